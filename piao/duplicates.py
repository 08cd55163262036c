"""Rows for files whose bytes another file of the batch already has.

A folder handed to `piao run` often holds the same plan twice (a copy renamed, the
same download saved under two names). It is read once; the copy still gets its own
`documents` row, so a user counting rows against the files given finds them all:
`status = "duplicate"`, `duplicate_of` = the doc_id it repeats and
`duplicate_of_path` its file. The copy's row is the original's facts (entity,
period, pages, codes) under a doc_id of its own, derived from the content hash and
the copy's path: no other table has rows under it, so joining documents to the
domain tables on doc_id never counts a plan twice. Nothing is read again but the
original's documents row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

from piao import dataset
from piao.schemas import TABLES, DocumentRow, records_from_frame

DOC_ID_HEX = 16


def duplicate_doc_id(sha256: str, path: Path | str) -> str:
    """The copy's own doc_id: stable for the same bytes at the same path, unlike any content
    doc_id (those are sha256 prefixes of the file bytes, this one of a labelled pair)."""
    return hashlib.sha256(f"duplicate\0{sha256}\0{path}".encode()).hexdigest()[:DOC_ID_HEX]


def write_duplicate(out: Path, path: Path, sha256: str, original: Path, *, tool_version: str,
                    options_hash: str) -> str:
    """Write the documents row (and empty tables) of `path`, a copy of `original`; its doc_id."""
    doc_id = duplicate_doc_id(sha256, path)
    found = _original_row(out, sha256[:DOC_ID_HEX])
    base = found[0] if found else None
    partition = found[1] if found else dataset.Partition()
    now = dt.datetime.now(dt.UTC)
    if base is None:  # the original left no row (it could not be written): the bare facts
        base = DocumentRow(sha256=sha256, source_path=str(original), file_name=original.name,
                           format=_suffix(path), size_bytes=path.stat().st_size, status="ok",
                           tool_version=tool_version, options_hash=options_hash,
                           processed_at=now, seconds=0.0)
    row = dataclasses.replace(
        base, source_path=str(path), file_name=path.name, status="duplicate",
        error=f"same content as {original}", error_kind="duplicate",
        duplicate_of=sha256[:DOC_ID_HEX], duplicate_of_path=str(original),
        tool_version=tool_version, options_hash=options_hash, processed_at=now, seconds=0.0)
    tables = {t: [] for t in TABLES}
    tables["documents"] = [row]
    dataset.write_document(out, doc_id, partition, tables)
    return doc_id


def _original_row(out: Path, doc_id: str) -> tuple[DocumentRow, dataset.Partition] | None:
    import pandas as pd

    files = sorted((Path(out) / "documents").glob(f"ente=*/period=*/{doc_id}.parquet"))
    if not files:
        return None
    frame = pd.read_parquet(files[0])
    rows = records_from_frame("documents", frame)
    if not rows:
        return None
    ente, period = (p.name.split("=", 1)[1] for p in (files[0].parent.parent, files[0].parent))
    return rows[0], dataset.Partition(ente=ente, period=period)


def _suffix(path: Path) -> str:
    return path.suffix.lower().lstrip(".")
