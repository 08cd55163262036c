"""Every file of the hostile corpus through read_document, inside the sandbox.

MANIFEST.csv says what each file must do: `ok` must load, `error` must be
rejected with a ReaderError (or stopped by the sandbox with a clear message),
`either` may do both but must finish quickly. Nothing may escape as a raw
exception, hang, or exhaust memory; a ReaderError of kind "internal" is a bug
in our code and fails the test whatever the file.
"""

from __future__ import annotations

import csv
import faulthandler
import os
import signal
import time
from pathlib import Path

import pytest

from conftest import expected_outcome

from extract import ocr, read_document
from extract.ir import Document, ReaderError
from piao.sandbox import Limits, SandboxError, run_limited

HOSTILE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "hostile"
MANIFEST = HOSTILE / "MANIFEST.csv"
# Generous for one small file on a loaded 2-core machine; the slowest (the 1 GiB
# flate bomb) is stopped by the memory limit in a few seconds.
LIMITS = Limits(time_s=20, memory_mb=1024)


def _manifest() -> list[dict[str, str]]:
    if not MANIFEST.is_file():
        return []
    with MANIFEST.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


ROWS = _manifest()
pytestmark = pytest.mark.skipif(not ROWS, reason=f"hostile corpus not found at {HOSTILE}")


def _outcome(path: Path) -> Document | ReaderError | SandboxError:
    try:
        return run_limited(read_document, path, limits=LIMITS)
    except (ReaderError, SandboxError) as exc:
        return exc


@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS])
def test_hostile_file(row: dict[str, str]) -> None:
    path = HOSTILE / row["file"]
    started = time.monotonic()
    outcome = _outcome(path)  # any other exception fails the test with its traceback
    elapsed = time.monotonic() - started
    expected = expected_outcome(row)

    if isinstance(outcome, ReaderError) and outcome.kind == "scanned_no_ocr":
        pytest.skip(f"{row['file']} is a scan: {outcome.message}")
    if isinstance(outcome, ReaderError):
        assert outcome.kind and outcome.message, "a ReaderError needs a kind and a message"
        assert outcome.kind != "internal", f"bug in our code: {outcome.message}"
    if isinstance(outcome, SandboxError):
        assert "exceeded" in outcome.message or "crashed" in outcome.message, outcome.message

    if expected == "ok":
        assert isinstance(outcome, Document), f"must load, got {type(outcome).__name__}: {outcome}"
        assert not outcome.failed_pages, [p.error for p in outcome.pages if p.error]
        if outcome.format == "pdf":
            assert outcome.pages
    elif expected == "error":
        assert isinstance(outcome, (ReaderError, SandboxError)), "must be rejected"
    else:
        assert expected == "either", f"unknown expectation {expected!r}"
    assert elapsed < LIMITS.time_s + 5


def _row(category: str) -> list[dict[str, str]]:
    return [r for r in ROWS if r["category"] == category]


@pytest.mark.parametrize("row", _row("encrypted-user"), ids=lambda r: r["file"])
def test_user_password_files_ask_for_a_password(row: dict[str, str]) -> None:
    outcome = _outcome(HOSTILE / row["file"])
    assert isinstance(outcome, ReaderError) and outcome.kind == "encrypted"
    assert "password required" in outcome.message


@pytest.mark.parametrize("row", _row("image-only"), ids=lambda r: r["file"])
def test_image_only_pages_are_read_by_ocr_or_refused(row: dict[str, str]) -> None:
    """A page of images is read by OCR, or refused when OCR is not installed; a blank
    page stays empty. Never a scan passed off as an empty page."""
    doc = _outcome(HOSTILE / row["file"])
    if isinstance(doc, ReaderError):
        assert doc.kind == "scanned_no_ocr" and ocr.unavailable() is not None, doc.message
        return
    assert isinstance(doc, Document) and not any(p.has_text for p in doc.pages)
    if doc.meta.get("read_mode") != "ocr":
        assert not list(doc.texts()) and not list(doc.tables())


def test_signed_envelopes_carry_their_signer() -> None:
    for row in _row("signed-p7m"):
        doc = _outcome(HOSTILE / row["file"])
        assert isinstance(doc, Document) and "Firmatario di Prova" in doc.meta["signer"]


# ------------------------------------------------------------------ the sandbox itself


def _sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def _allocate(mb: int) -> int:
    return len(bytearray(mb * 1024 * 1024))


def _segfault() -> None:
    faulthandler.disable()  # pytest's handler would dump the child's stack into the test output
    os.kill(os.getpid(), signal.SIGSEGV)


def _raise_reader_error() -> None:
    raise ReaderError("corrupt", "damaged PDF: test")


def test_sandbox_returns_the_result() -> None:
    assert run_limited(_sleep, 0, limits=Limits(time_s=10)) == "woke"


def test_sandbox_time_limit() -> None:
    with pytest.raises(SandboxError) as err:
        run_limited(_sleep, 30, limits=Limits(time_s=0.5))
    assert err.value.kind == "timeout" and err.value.message == "time limit 0.5 s exceeded"


def test_sandbox_memory_limit() -> None:
    with pytest.raises(SandboxError) as err:
        run_limited(_allocate, 400, limits=Limits(time_s=20, memory_mb=100))
    assert err.value.kind == "memory" and err.value.message == "memory limit 100 MB exceeded"
    assert run_limited(_allocate, 20, limits=Limits(time_s=20, memory_mb=100)) == 20 * 1024 * 1024


def test_sandbox_crash() -> None:
    with pytest.raises(SandboxError) as err:
        run_limited(_segfault, limits=Limits(time_s=10))
    assert err.value.kind == "crashed" and "SIGSEGV" in err.value.message


def test_sandbox_passes_reader_errors_through() -> None:
    with pytest.raises(ReaderError) as err:
        run_limited(_raise_reader_error, limits=Limits(time_s=10))
    assert (err.value.kind, err.value.message) == ("corrupt", "damaged PDF: test")
