"""The sandbox's time limit grows with the work a document announces (OCR pages), up to a cap."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extract import ocr
from extract.ocr_budget import ocr_starting
from piao.pipeline import Options, extract_and_parse
from piao.sandbox import Limits, SandboxError, extend_time, run_limited

SCANNED = Path(__file__).resolve().parent / "fixtures" / "scanned" / "cards-scanned.pdf"


def _ask_then_sleep(more_s: float, sleep_s: float) -> float | None:
    granted = extend_time(more_s)
    time.sleep(sleep_s)
    return granted


def test_worker_gets_the_time_it_asks_for() -> None:
    limits = Limits(time_s=0.5, max_time_s=10)
    assert run_limited(_ask_then_sleep, 2.0, 1.0, limits=limits) == 2.5


def test_extension_is_capped() -> None:
    limits = Limits(time_s=0.5, max_time_s=1.0)
    with pytest.raises(SandboxError) as err:
        run_limited(_ask_then_sleep, 100.0, 3.0, limits=limits)
    assert err.value.kind == "timeout" and "1 s" in err.value.message


def test_no_extension_without_a_ceiling() -> None:
    with pytest.raises(SandboxError) as err:
        run_limited(_ask_then_sleep, 5.0, 2.0, limits=Limits(time_s=0.5))
    assert err.value.kind == "timeout" and "0.5 s" in err.value.message


def test_extend_time_outside_a_sandbox_does_nothing() -> None:
    assert extend_time(10.0) is None


def test_options_limits() -> None:
    limits = Options(time_limit_s=60, time_limit_max_s=900, memory_limit_mb=512).limits()
    assert (limits.time_s, limits.max_time_s, limits.memory_mb) == (60, 900, 512)
    assert limits.extended(60, 85 * 10.0) == 900  # an 85-page scan at 10 s a page: capped
    assert limits.extended(60, 3 * 10.0) == 90


def _announce(pages: int, per_page_s: float, sleep_s: float) -> str:
    """What extract_and_parse's listener does when the reader announces OCR, then the work."""
    from extract.ocr_budget import on_ocr_start

    with on_ocr_start(lambda n: extend_time(n * per_page_s)):
        ocr_starting(pages)
    time.sleep(sleep_s)
    return "done"


def test_announced_pages_buy_time() -> None:
    limits = Limits(time_s=0.5, max_time_s=30)
    assert run_limited(_announce, 3, 1.0, 1.5, limits=limits) == "done"
    with pytest.raises(SandboxError):
        run_limited(_announce, 3, 0.0, 1.5, limits=limits)


@pytest.mark.skipif(ocr.unavailable() is not None, reason="OCR tools not installed")
def test_scanned_document_gets_ocr_time_in_the_sandbox() -> None:
    """The real path: the PDF reader announces its 3 scanned pages before OCR starts.
    A base limit far below the OCR time (~5 s here) suffices once per-page time is added."""
    limits = Limits(time_s=1.5, max_time_s=120)
    extracted = run_limited(extract_and_parse, SCANNED, 30.0, limits=limits)
    assert extracted.read_mode == "ocr" and extracted.pages == 3
    with pytest.raises(SandboxError) as err:  # no time per OCR page: the base limit holds
        run_limited(extract_and_parse, SCANNED, 0.0, limits=limits)
    assert err.value.kind == "timeout"
