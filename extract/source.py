"""A reader's input as bytes: a path or the bytes themselves, with a clear error kind."""

from __future__ import annotations

from pathlib import Path

from extract.ir import ReaderError


def load_source(source: str | Path | bytes, name: str | None = None) -> tuple[bytes, str]:
    """(the file's bytes, the name to report it by)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), name or "<bytes>"
    path = Path(source)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReaderError("not_found", f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise ReaderError("not_found", f"{path}: is a directory, not a file") from exc
    except OSError as exc:
        raise ReaderError("unreadable", f"{path}: cannot be read ({exc.strerror})") from exc
    return data, name or str(path)
