"""Word 97-2003 .doc and RTF through LibreOffice: read where it is installed, a clear
install hint where it is not.

tests/fixtures/converted/cards.doc and cards.rtf were saved by LibreOffice from
tests/fixtures/cards.docx (tests/fixtures/converted/build.py): reading them converts
them back with the real LibreOffice, and the records must be the DOCX's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import comparable_rows

from extract import read_document
from extract.docx import read_docx
from extract.legacy import soffice_path
from normalize import parse_document

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
CONVERTED = FIXTURES / "converted"
HOSTILE_DOC = REPO.parent / "shared" / "corpus" / "hostile" / "textract-raw_text-doc-renamed.docx"
RECORD_TABLES = ("objectives", "phases", "schedule", "weights", "assignments", "staff", "outputs",
                 "indicators", "entity")
needs_soffice = pytest.mark.skipif(soffice_path() is None,
                                   reason="LibreOffice (soffice) not installed")


@pytest.fixture(scope="module")
def docx_plan():
    return parse_document(read_docx(FIXTURES / "cards.docx"))


@needs_soffice
@pytest.mark.parametrize("name, fmt", [("cards.doc", "doc"), ("cards.rtf", "rtf")])
def test_legacy_file_gives_the_docx_records(name, fmt, docx_plan):
    doc = read_document(CONVERTED / name)
    assert doc.format == fmt and doc.meta["converted_with"] == "libreoffice"
    assert "read through LibreOffice" in doc.warnings[0]
    plan = parse_document(doc)
    assert len(plan.objectives) == 12
    for table in RECORD_TABLES:
        assert comparable_rows(plan, table) == comparable_rows(docx_plan, table), table


@needs_soffice
@pytest.mark.skipif(not HOSTILE_DOC.exists(), reason="hostile corpus not found")
def test_doc_named_docx_is_read_by_content():
    doc = read_document(HOSTILE_DOC)
    assert doc.format == "doc" and any(e.text.strip() for e in doc.texts())


def _read_without_soffice(path: Path) -> subprocess.CompletedProcess:
    # PATH without LibreOffice: what a machine without the package sees
    code = ("import sys\nfrom extract import read_document\nfrom extract.ir import ReaderError\n"
            "try:\n    read_document(sys.argv[1])\nexcept ReaderError as e:\n"
            "    print(e.kind); print(e.message)\n")
    return subprocess.run([sys.executable, "-c", code, str(path)], cwd=REPO, check=False,
                          env={"PATH": "/nonexistent", "PYTHONPATH": str(REPO)},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["cards.doc", "cards.rtf"])
def test_without_libreoffice_the_error_names_the_package(name):
    r = _read_without_soffice(CONVERTED / name)
    assert r.returncode == 0, r.stderr
    kind, message = r.stdout.splitlines()[:2]
    assert kind == "converter_missing"
    assert "libreoffice-writer" in message and "apt-get install" in message


@needs_soffice
def test_conversion_runs_under_the_sandbox_limits(tmp_path):
    """Through the pipeline the conversion happens inside the sandboxed worker (its memory
    cap inherited by LibreOffice) and the plan comes back."""
    from piao.pipeline import Options, process_document
    from piao.read import piao_settings

    res = process_document(CONVERTED / "cards.doc", tmp_path,
                           options=Options(read=piao_settings(time_limit_s=120)))
    assert (res.status, res.cards, res.error) == ("ok", 12, None)


@needs_soffice
def test_conversion_gives_up_before_the_sandbox_deadline(tmp_path):
    """LibreOffice gets the worker's time left minus a margin (~1 s of a 3 s limit; it needs
    more to start): the conversion stops it itself and reports the timeout, instead of the
    sandbox killing the worker and leaving LibreOffice running."""
    from piao.pipeline import Options, process_document
    from piao.read import piao_settings

    res = process_document(CONVERTED / "cards.doc", tmp_path,
                           options=Options(read=piao_settings(time_limit_s=3, time_limit_max_s=3)))
    assert res.status == "failed" and res.error_kind == "timeout", res.error
    assert "LibreOffice" in res.error
    left = subprocess.run(["pgrep", "-f", "piao-lo-"], capture_output=True, text=True, check=False)
    assert not left.stdout.strip(), "a LibreOffice conversion outlived its document"
