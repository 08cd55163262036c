"""Writing and reading the Parquet datasets.

Layout: `<out>/<table>/ente=<slug>/period=<start>-<end>/<doc_id>.parquet`, one
file per (table, document), every table written for every document (a
zero-row file when nothing was found, failed documents included) so each
dataset exists and loads as soon as one document was processed.

Files are written atomically (`piao/atomic.py`: a hidden temp file in the target
directory, fsync, `os.replace`): readers never see a half-written file, and a
crashed run leaves at worst a stray temp file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from piao.atomic import write_parquet_atomic
from piao.schemas import PARTITION_SCHEMA, TABLES, UNKNOWN_PARTITION, dataset_schema, to_arrow

if TYPE_CHECKING:  # pandas costs ~0.5 s to import and ~40 MB in every worker: reading only
    import pandas as pd


@dataclass(frozen=True)
class Partition:
    """Hive partition values of one document (directory names, not file columns)."""

    ente: str = UNKNOWN_PARTITION
    period: str = UNKNOWN_PARTITION

    @classmethod
    def of(cls, ente_slug: str | None, period_start: int | None, period_end: int | None) -> Partition:
        # A period is only named when both ends are known: a half period would
        # put one plan in two different partitions depending on what was read.
        period = f"{period_start}-{period_end}" if period_start and period_end else UNKNOWN_PARTITION
        return cls(ente=_path_safe(ente_slug), period=period)

    def directory(self, out: Path, table: str) -> Path:
        return Path(out) / table / f"ente={self.ente}" / f"period={self.period}"


def _path_safe(slug: str | None) -> str:
    """A slug usable as a hive value: no "/", "=", spaces or upper case."""
    s = re.sub(r"[^a-z0-9_-]+", "-", (slug or "").lower()).strip("-")
    return s or UNKNOWN_PARTITION


def table_file(out: Path, table: str, doc_id: str, partition: Partition) -> Path:
    return partition.directory(out, table) / f"{doc_id}.parquet"


def write_table(out: Path, table: str, doc_id: str, rows: Sequence[Any], partition: Partition) -> Path:
    """Write one document's rows of one table, replacing any earlier file of that document."""
    path = table_file(out, table, doc_id, partition)
    write_parquet_atomic(to_arrow(table, doc_id, list(rows)), path)
    _remove_stale(Path(out) / table, doc_id, keep=path)
    return path


def write_document(
    out: Path, doc_id: str, partition: Partition, tables: Mapping[str, Sequence[Any]]
) -> dict[str, Path]:
    """Write every table of one document; the documents row goes last.

    The documents file is the mark that a document is complete: a run that
    dies half-way leaves the old documents row (or none), never a new one
    pointing at tables that were not written.
    """
    missing = set(TABLES) - set(tables)
    unknown = set(tables) - set(TABLES)
    if missing or unknown:
        raise ValueError(f"tables missing: {sorted(missing)}, unknown: {sorted(unknown)}")
    order = [t for t in TABLES if t != "documents"] + ["documents"]
    return {t: write_table(out, t, doc_id, tables[t], partition) for t in order}


def _remove_stale(table_dir: Path, doc_id: str, keep: Path) -> None:
    """Remove the document's files under other partitions (its entity or period changed).

    Empty partition directories are left in place: removing them would race
    with a parallel worker that just created one to write into.
    """
    for old in table_dir.glob(f"ente=*/period=*/{doc_id}.parquet"):
        if old != keep:
            old.unlink(missing_ok=True)


def document_files(out: Path, doc_id: str) -> list[Path]:
    """Every dataset file of one document, across tables and partitions."""
    return sorted(Path(out).glob(f"*/ente=*/period=*/{doc_id}.parquet"))


def read_table(out: Path | str, name: str) -> pd.DataFrame:
    """A whole dataset as a DataFrame, with `ente` and `period` as string columns.

    Unlike a bare `pandas.read_parquet`, the schema is the declared one (so a
    missing dataset gives an empty frame with the right columns, and partition
    values such as "2023-2025" are never guessed as other types).
    """
    import pyarrow.dataset as ds

    schema = dataset_schema(name)
    root = Path(out) / name
    if not root.is_dir():
        return schema.empty_table().to_pandas()
    dataset = ds.dataset(
        root,
        format="parquet",
        schema=schema,
        partitioning=ds.partitioning(PARTITION_SCHEMA, flavor="hive"),
    )
    return dataset.to_table().to_pandas()
