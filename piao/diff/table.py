"""The `diff` Parquet table: one row per Change, with the two plans it compares.

Explicit schema (no type guessing: a column of all-None values must still be
a string column). The context columns repeat on every row so diffs of many
entities and years can be concatenated and filtered like any dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from piao.atomic import write_parquet_atomic
from piao.diff.changes import CHANGE_FIELDS, Change

DIFF_SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class DiffContext:
    ente: str = ""  # entity slug
    old_period: str = ""  # "2023-2025"
    new_period: str = ""
    old_source: str = ""  # file path or doc_id
    new_source: str = ""


_CONTEXT = ("ente", "old_period", "new_period", "old_source", "new_source")
_TYPES: dict[str, pa.DataType] = {
    "similarity": pa.float64(), "year_index": pa.int64(), "old_seq": pa.int64(), "new_seq": pa.int64(),
}
_REQUIRED = {"kind", "area", *_CONTEXT}

DIFF_SCHEMA = pa.schema(
    [pa.field(name, pa.string(), nullable=False) for name in _CONTEXT]
    + [pa.field(name, _TYPES.get(name, pa.string()), nullable=name not in _REQUIRED)
       for name in CHANGE_FIELDS],
    metadata={b"piao.table": b"diff", b"piao.schema_version": DIFF_SCHEMA_VERSION.encode()},
)


def diff_table(changes: list[Change], context: DiffContext = DiffContext()) -> pa.Table:
    n = len(changes)
    columns = {name: [getattr(context, name)] * n for name in _CONTEXT}
    columns.update({name: [getattr(c, name) for c in changes] for name in CHANGE_FIELDS})
    return pa.table(columns, schema=DIFF_SCHEMA)


def write_diff(changes: list[Change], path: str | Path, context: DiffContext = DiffContext()) -> Path:
    """Write the changes atomically (a reader never sees half a file); returns the path."""
    out = Path(path)
    write_parquet_atomic(diff_table(changes, context), out)
    return out


def read_diff(path: str | Path) -> list[Change]:
    rows = pq.read_table(path, schema=DIFF_SCHEMA).to_pylist()
    return [Change(**{name: row[name] for name in CHANGE_FIELDS}) for row in rows]
