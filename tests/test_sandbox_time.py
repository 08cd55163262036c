"""The sandbox's time limit grows with the work a document announces (OCR pages), up to a cap."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extract import ocr
from piao.read import limits_of, piao_settings, read_plan
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


def test_settings_limits() -> None:
    limits = limits_of(piao_settings(time_limit_s=60, time_limit_max_s=900, memory_limit_mb=512))
    assert (limits.time_s, limits.max_time_s, limits.memory_mb) == (60, 900, 512)
    assert limits.extended(60, 85 * 10.0) == 900  # an 85-page scan at 10 s a page: capped
    assert limits.extended(60, 3 * 10.0) == 90


@pytest.mark.skipif(ocr.unavailable() is not None, reason="OCR tools not installed")
def test_scanned_document_gets_ocr_time_in_the_sandbox() -> None:
    """The real path: the PDF reader announces its 3 scanned pages before OCR starts, and
    read_plan's child asks the sandbox for that much more time. A base limit far below
    the OCR time (~5 s here) suffices once per-page time is added."""
    base = {"time_limit_s": 1.5, "time_limit_max_s": 120}
    read = read_plan(SCANNED, piao_settings(**base, ocr_time_per_page_s=30.0))
    assert read.status == "ok" and read.read_mode == "ocr" and read.pages == 3
    assert set(read.timings) >= {"read", "parse", "total"}
    # no time per OCR page: the base limit holds
    read = read_plan(SCANNED, piao_settings(**base, ocr_time_per_page_s=0.0))
    assert read.status == "failed" and read.error_kind == "timeout", read.error
