"""Compare two plans of one entity (plan years, or two renderings of one plan).

    from piao.diff import compare_plans, compare_documents, compare_datasets, run_diff

- `compare_plans(old, new)`: two `normalize.records.Plan` → a `PlanDiff` (its
  `.changes`: the list of `Change`);
- `compare_documents(old_path, new_path)`: read both files first (piao.read, sandboxed);
- `compare_datasets(clean_dir, ente, old_period, new_period)`: from `piao run` output;
- `run_diff(old_path, new_path, out_dir, lang="it")`: the above plus the `diff`
  Parquet table and the HTML/Markdown reports (what `piao diff` runs).

Modules: cards (a plan card by card), similarity and assignment (matching
scores, optimal one-to-one assignment), matching, compare (change detection),
table (Parquet), report/report_md/report_html/labels (the reports), datasets, run.
"""

from piao.diff.changes import KINDS, Change
from piao.diff.compare import PlanDiff, compare_plans
from piao.diff.datasets import compare_datasets
from piao.diff.run import DiffOutputs, DocumentsUnreadable, compare_documents, run_diff
from piao.diff.table import DIFF_SCHEMA, read_diff, write_diff

__all__ = [
    "DIFF_SCHEMA", "KINDS", "Change", "DiffOutputs", "DocumentsUnreadable", "PlanDiff",
    "compare_datasets", "compare_documents", "compare_plans", "read_diff", "run_diff",
    "write_diff",
]
