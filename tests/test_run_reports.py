"""`piao run` writes each document's consistency report and a batch index next to the
datasets, and the quality figures of each document into the documents table.

Inputs are the real samples (the seed Markdown and its DOCX rendering) and an empty
file from the hostile corpus. The counts expected below were read by eye from the
seed (../shared/seeds/cazzago-san-martino-piao-2023-2025.md), see tests/test_checks.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest

from piao import dataset
from piao.report.i18n import tr

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
SAMPLE_MD = RAW / "cazzago-san-martino-piao-2023-2025.md"
SAMPLE_DOCX = RAW / "cazzago-san-martino-piao-2023-2025.docx"
EMPTY_PDF = REPO.parent / "shared" / "corpus" / "hostile" / "synthetic-zero-bytes.pdf"
# cards whose mandatory labels are not all there (seed, see SEED["cards.missing_fields"]
# in tests/test_checks.py): SAP 3, Fin 5, 7, 8, 9, 10, 20, Tec 5, 11
INCOMPLETE_CARDS = 9


def piao(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "piao", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def seed_cards() -> int:
    return SAMPLE_MD.read_text(encoding="utf-8").count("BIETTIVO N.")  # OBIETTIVO / OBBIETTIVO


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One run over: the seed (Markdown), its DOCX, an empty PDF, and two different
    Markdown files that share a name (a/plan.md, b/plan.md)."""
    if not EMPTY_PDF.is_file():
        pytest.skip("hostile corpus missing")
    root = tmp_path_factory.mktemp("run")
    raw = root / "raw"
    for sub in ("a", "b"):
        (raw / sub).mkdir(parents=True)
    shutil.copy(SAMPLE_MD, raw)
    shutil.copy(SAMPLE_DOCX, raw)
    shutil.copy(EMPTY_PDF, raw / "empty.pdf")
    (raw / "a" / "plan.md").write_bytes(SAMPLE_MD.read_bytes() + b"\n")
    (raw / "b" / "plan.md").write_bytes(SAMPLE_MD.read_bytes() + b"\n\n")
    out = root / "data" / "clean"
    r = piao("run", str(raw), "--out", str(out), "-j", "2", "--json")
    assert r.returncode == 1, r.stderr  # empty.pdf failed
    return root, out, root / "data" / "reports", json.loads(r.stdout)


def _doc_ids(out: Path) -> dict[str, str]:
    docs = dataset.read_table(out, "documents")
    return dict(zip(docs["source_path"].map(lambda p: Path(p).relative_to(out.parents[1] / "raw")
                                             .as_posix()), docs["doc_id"]))


def test_each_read_document_has_its_report_beside_the_datasets(run):
    _, _, reports, result = run
    assert result["reports"] == str(reports)
    names = {p.name for p in reports.iterdir()}
    for sample in (SAMPLE_MD, SAMPLE_DOCX):
        assert {f"{sample.name}.html", f"{sample.name}.md"} <= names
    assert not [n for n in names if n.startswith("empty.pdf")]  # failed: no plan, no report
    assert not [n for n in names if n.startswith(".")]  # no temp file left behind
    by_path = {Path(d["path"]).name: d for d in result["documents"]}
    assert by_path[SAMPLE_MD.name]["report"] == str(reports / f"{SAMPLE_MD.name}.html")

    html = (reports / f"{SAMPLE_MD.name}.html").read_text(encoding="utf-8")
    dom = lxml.html.fromstring(html)
    assert dom.xpath('//tr[@data-check="weights.total_mismatch"]')  # Finanziaria 103 vs 100
    assert "103" in (reports / f"{SAMPLE_MD.name}.md").read_text(encoding="utf-8")


def test_same_report_as_piao_report(run, tmp_path):
    """`piao report DOC` and `piao run` render through the same function: the Markdown
    files are the same but for the two lines only a run knows (version, time)."""
    _, _, reports, _ = run
    r = piao("report", str(SAMPLE_MD), "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    run_only = (f"| {tr('it', 'tool_version')} |", f"| {tr('it', 'processed_at')} |")

    def lines(p: Path) -> list[str]:
        return [ln for ln in p.read_text(encoding="utf-8").splitlines() if not ln.startswith(run_only)]

    name = f"{SAMPLE_MD.name}.md"
    assert lines(reports / name) == lines(tmp_path / name)


def test_same_file_name_twice_gets_two_reports(run):
    _, out, reports, _ = run
    ids = _doc_ids(out)
    for sub in ("a", "b"):
        stem = f"plan.md.{ids[f'{sub}/plan.md']}"
        assert (reports / f"{stem}.html").is_file() and (reports / f"{stem}.md").is_file()
    assert not (reports / "plan.md.html").exists()


def test_index_links_every_report(run):
    _, out, reports, _ = run
    docs = dataset.read_table(out, "documents")
    dom = lxml.html.fromstring((reports / "index.html").read_text(encoding="utf-8"))
    rows = {tr_.get("data-doc"): tr_ for tr_ in dom.xpath('//table[@class="documents"]//tr[@data-doc]')}
    assert set(rows) == set(docs["doc_id"])  # every document in the datasets
    for doc in docs.to_dict("records"):
        links = rows[doc["doc_id"]].xpath(".//a/@href")
        if doc["status"] == "failed":
            assert links == []
            continue
        assert len(links) == 1
        target = reports / unquote(links[0])
        assert target.is_file() and doc["doc_id"] in target.read_text(encoding="utf-8")
    md = (reports / "index.md").read_text(encoding="utf-8")
    assert f"]({SAMPLE_MD.name}.md)" in md and f"]({SAMPLE_DOCX.name}.md)" in md
    assert "empty.pdf" in md


def test_documents_carry_quality_figures(run):
    _, out, _, _ = run
    docs = dataset.read_table(out, "documents").set_index("file_name")
    cards = seed_cards()
    for name in (SAMPLE_MD.name, SAMPLE_DOCX.name):
        doc = docs.loc[name]
        assert doc["read_mode"] == "text"
        assert doc["cards"] == cards
        assert doc["cards_complete_share"] == pytest.approx((cards - INCOMPLETE_CARDS) / cards)
        assert doc["ocr_confidence"] != doc["ocr_confidence"]  # NaN: no OCR
    assert docs.loc[SAMPLE_DOCX.name, "tables"] > cards  # each card is a table, plus the rest
    failed = docs.loc["empty.pdf"]
    assert failed["status"] == "failed" and failed["cards_complete_share"] != failed["cards_complete_share"]


def test_rerun_keeps_reports_and_rebuilds_a_missing_one(run):
    root, out, reports, _ = run
    raw = root / "raw"
    md_report = reports / f"{SAMPLE_MD.name}.html"
    docx_report = reports / f"{SAMPLE_DOCX.name}.html"
    before = {p: p.stat().st_mtime_ns for p in (md_report, docx_report)}
    docx_report.unlink()

    r = piao("run", str(raw), "--out", str(out), "-j", "2", "--json")
    status = {Path(d["path"]).name: (d["status"], d["error_kind"]) for d in json.loads(r.stdout)["documents"]}
    assert status[SAMPLE_MD.name] == ("skipped", "unchanged")
    assert md_report.stat().st_mtime_ns == before[md_report]  # kept, not rebuilt
    assert status[SAMPLE_DOCX.name] == ("ok", None)  # its report was missing: done again
    assert docx_report.is_file()


def test_reports_folder_and_language_options(tmp_path):
    reports = tmp_path / "rapporti"
    r = piao("run", str(SAMPLE_MD), "--out", str(tmp_path / "clean"), "--reports", str(reports),
             "--lang", "en", "--quiet")
    assert r.returncode == 0, r.stderr
    html = (reports / f"{SAMPLE_MD.name}.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert '<html lang="en">' in (reports / "index.html").read_text(encoding="utf-8")
    assert not (tmp_path / "reports").exists()


def test_ocr_read_mode_and_confidence_reach_the_documents_row(tmp_path, monkeypatch):
    """The OCR reader marks its Document with meta read_mode="ocr" and ocr_confidence;
    until it lands here, the real Markdown reader's Document is marked the same way."""
    import extract
    from piao.pipeline import Options, process_document

    real = extract.read_document

    def read_as_ocr(path, *args, **kwargs):
        doc = real(path, *args, **kwargs)
        doc.meta.update(read_mode="ocr", ocr_confidence=87.5)
        return doc

    monkeypatch.setattr(extract, "read_document", read_as_ocr)
    res = process_document(SAMPLE_MD, tmp_path, options=Options(isolate=False))
    assert res.status == "ok"
    doc = dataset.read_table(tmp_path, "documents").iloc[0]
    assert (doc["read_mode"], doc["ocr_confidence"]) == ("ocr", 87.5)
