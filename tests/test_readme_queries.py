"""The README's analyst queries run as written against a fresh run's datasets.

Every ```python block of the README's "For analysts" section is executed in order in one
namespace (the pandas blocks use names the DuckDB blocks define), from a directory whose
`data/clean` is the output of `piao run data/raw`, as a reader pasting them at the repository
root would. The SQL is not edited: a column named after an SQL keyword would need quoting,
and a renamed column would fail here first.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb")

README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
_SQL = re.compile(r'duckdb\.sql\("""(.*?)"""\)', re.DOTALL)


def analyst_blocks() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## For analysts", 1)[1]
    return _BLOCK.findall(section)


@pytest.fixture
def at_repo_layout(clean_dir, tmp_path, monkeypatch) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "clean").symlink_to(clean_dir, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_has_duckdb_queries():
    queries = [q for b in analyst_blocks() for q in _SQL.findall(b)]
    assert len(queries) >= 3
    assert not [q for q in queries if '"' in q], "a README query quotes an identifier"


def test_readme_blocks_run_as_written(at_repo_layout):
    namespace: dict = {}
    for block in analyst_blocks():
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code


def test_readme_queries_find_what_they_promise(at_repo_layout):
    queries = [q for b in analyst_blocks() for q in _SQL.findall(b)]
    results = [duckdb.sql(q).fetchall() for q in queries]
    assert all(results), [q.split("\n")[1] for q, r in zip(queries, results) if not r]
    # the first query: the seed plan's Finanziaria weights sum to 103 under a TOTALE of 100
    assert any(row[1].lower().startswith("area finanziaria") and row[2] == 103 for row in results[0]), \
        results[0]
