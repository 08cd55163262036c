"""The reading settings: one object from the command line down to the readers, in the hash.

Changing the PDF backend or the OCR setting changes `documents.options_hash`, so a
rerun with them is not skipped as unchanged; both backends write the same datasets
on the sample plans; what the reader warns about lands in the findings dataset.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from piao import dataset
from piao.batch import run_batch
from piao.cli import _settings, build_parser
from piao.pipeline import Options, process_document
from piao.read import piao_settings

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
SAMPLE_MD = RAW / "cazzago-san-martino-piao-2023-2025.md"
SCANNED = REPO / "tests" / "fixtures" / "scanned" / "cards-scanned.pdf"
# Differ by run, not by what was read.
RUN_COLUMNS = {"processed_at", "seconds", "options_hash"}


def test_backend_and_ocr_change_the_options_hash_and_limits_do_not():
    base = Options().digest()
    changed = [Options(read=piao_settings(pdf_backend="pdfplumber")),
               Options(read=piao_settings(ocr=False)),
               Options(read=piao_settings(ocr_language="ita+eng")),
               Options(run_checks=False)]
    digests = [o.digest() for o in changed]
    assert base not in digests and len(set(digests)) == len(digests)
    assert Options(read=piao_settings(time_limit_s=5, memory_limit_mb=100)).digest() == base


def test_the_command_line_sets_them():
    args = build_parser().parse_args(
        ["run", "--pdf-backend", "pdfplumber", "--no-ocr", "--ocr-lang", "ita+eng"])
    settings = _settings(args)
    assert (settings.pdf_backend, settings.ocr, settings.ocr_language) == ("pdfplumber", False,
                                                                          "ita+eng")
    default = _settings(build_parser().parse_args(["report", "x.pdf"]))
    assert (default.pdf_backend, default.ocr, default.ocr_language) == ("pdfium", True, "ita")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["diff", "a", "b", "--pdf-backend", "pdfmium"])


def test_a_rerun_with_another_backend_is_not_skipped(tmp_path):
    reference = Options(read=piao_settings(pdf_backend="pdfplumber"))
    first = run_batch([SAMPLE_MD], tmp_path)
    again = run_batch([SAMPLE_MD], tmp_path)
    other = run_batch([SAMPLE_MD], tmp_path, options=reference)
    assert [r.status for r in first] == ["ok"] and [r.status for r in again] == ["skipped"]
    assert [r.status for r in other] == ["ok"]
    docs = dataset.read_table(tmp_path, "documents")
    assert list(docs["options_hash"]) == [reference.digest()]


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in ("documents", "objectives", "phases", "schedule", "weights", "assignments",
                 "staff", "outputs", "indicators", "entity", "findings"):
        df = dataset.read_table(out, name)
        df = df.drop(columns=[c for c in RUN_COLUMNS if c in df.columns])
        tables[name] = df.sort_values(list(df.columns[:3])).reset_index(drop=True)
    return tables


@pytest.mark.parametrize("pdf", sorted(RAW.glob("*.pdf")), ids=lambda p: p.name)
def test_each_backend_writes_the_same_datasets(tmp_path, pdf):
    written = {}
    for backend in ("pdfplumber", "pdfium"):
        out = tmp_path / backend
        options = Options(read=piao_settings(pdf_backend=backend))
        result = process_document(pdf, out, options=options)
        assert result.status == "ok" and result.cards, result.error
        assert set(result.timings) >= {"read", "parse", "checks", "total"}
        written[backend] = _tables(out)
    for name, reference in written["pdfplumber"].items():
        pd.testing.assert_frame_equal(reference, written["pdfium"][name], obj=name)


def test_reader_warnings_are_findings_in_the_dataset(tmp_path):
    """Scanned pages not OCRed (--no-ocr) are said in the findings, page by page."""
    result = process_document(SCANNED, tmp_path, options=Options(read=piao_settings(ocr=False)))
    assert result.status == "ok"
    findings = dataset.read_table(tmp_path, "findings")
    unread = findings[findings["check_code"] == "reader.scan_not_read"]
    assert sorted(unread["page"]) == [1, 2, 3]
    assert set(unread["severity"]) == {"info"}
