"""Compare two plans of one entity (plan years, or two renderings of one plan).

    from piao.diff import diff_documents, diff_plans, diff_datasets, run_diff

- `diff_plans(old, new)`: two `normalize.records.Plan` → list of `Change`;
- `diff_documents(old_path, new_path)`: read + parse both files first;
- `diff_datasets(clean_dir, ente, old_period, new_period)`: from `piao run` output;
- `run_diff(old_path, new_path, out_dir, lang="it")`: the above plus the `diff`
  Parquet table and the HTML/Markdown reports (what `piao diff` runs).

Modules: cards (a plan card by card), similarity and assignment (matching
scores, Hungarian algorithm), matching, compare (change detection), table
(Parquet), report/report_md/report_html/labels (the reports), datasets, run.
"""

from piao.diff.changes import KINDS, Change
from piao.diff.compare import PlanDiff, compare_plans, diff_plans
from piao.diff.datasets import diff_datasets
from piao.diff.run import DiffOutputs, diff_documents, run_diff
from piao.diff.table import DIFF_SCHEMA, read_diff, write_diff

__all__ = [
    "KINDS", "Change", "PlanDiff", "compare_plans", "diff_plans", "diff_datasets", "diff_documents",
    "run_diff", "DiffOutputs", "DIFF_SCHEMA", "read_diff", "write_diff",
]
