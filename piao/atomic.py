"""Files written whole or not at all: datasets, the diff table, reports.

A hidden temp file in the target directory, fsync, `os.replace`, fsync of the
directory. Readers (pyarrow/pandas ignore names starting with "."; the
`*.parquet` glob of DuckDB does not match the `.tmp` suffix) never see a
half-written file, and a crashed run leaves at worst a stray temp file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq


def write_atomic(path: Path, write: Callable[[IO[Any]], object], *, text: bool = False) -> None:
    """Call `write(f)` on a temp file beside `path` (binary, or UTF-8 text with `text`),
    then put the finished file in place of `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") if text else os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; datasets and reports are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    write_atomic(path, lambda f: pq.write_table(table, f))


def write_text_atomic(path: Path, content: str) -> Path:
    write_atomic(path, lambda f: f.write(content), text=True)
    return path


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not every platform lets a directory be opened.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
