"""The `piao` command line, run as a user runs it (a subprocess)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd

import piao
from piao import dataset

REPO = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).resolve().parents[2] / "shared/corpus/hostile"
VALID_PDF = HOSTILE / "synthetic-valid-small.pdf"
SEED_MD = REPO.parent / "shared/seeds/cazzago-san-martino-piao-2023-2025.md"


def piao_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    # `python -m piao` with the repository on the path: the venv has no installed
    # `piao` script, and the module form must work anyway.
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "piao", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_help_lists_the_commands():
    r = piao_cli("--help")
    assert r.returncode == 0, r.stderr
    assert "run " in r.stdout and "read documents into Parquet datasets" in r.stdout
    assert "inspect " in r.stdout and "print the layout" in r.stdout


def test_entry_point_and_version_match_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["piao"] == "piao.cli:main"
    assert project["version"] == piao.__version__
    r = piao_cli("--version")
    assert r.stdout.strip() == f"piao {project['version']}"


def test_inspect_prints_the_text_of_a_real_pdf():
    r = piao_cli("inspect", str(VALID_PDF))
    assert r.returncode == 0, r.stderr
    # the three lines of the file, read by eye with pdftotext
    for line in ("Documento di prova firmato digitalmente.", "Determina n. 123 del 01/02/2024.",
                 "Importo: 1.234,56 EUR"):
        assert line in r.stdout


def test_inspect_a_page_that_does_not_exist_shows_no_text():
    r = piao_cli("inspect", str(VALID_PDF), "--page", "2")  # the file has one page
    assert r.returncode == 0, r.stderr
    assert "Documento di prova" not in r.stdout


def test_inspect_of_an_unreadable_file_is_a_one_line_error():
    r = piao_cli("inspect", str(HOSTILE / "synthetic-html-error-page.pdf"))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "cannot read" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_run_over_a_folder_of_bad_files_goes_on_and_records_them(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(HOSTILE / "synthetic-zero-bytes.pdf", raw / "empty.pdf")
    shutil.copy(HOSTILE / "synthetic-html-error-page.pdf", raw / "sub" / "404.pdf")
    shutil.copy(HOSTILE / "synthetic-html-error-page.pdf", raw / "sub" / "404-again.pdf")
    (raw / "notes.txt").write_text("not a document")  # not picked up by the folder walk
    out = tmp_path / "clean"

    r = piao_cli("run", str(raw), "--out", str(out), "--json")
    assert r.returncode == 1, r.stderr  # some document failed
    report = json.loads(r.stdout)
    by_name = {Path(d["path"]).name: d for d in report["documents"]}
    assert set(by_name) == {"empty.pdf", "404.pdf", "404-again.pdf"}
    assert by_name["empty.pdf"]["status"] == "failed"
    # same bytes twice: processed once, the second reported as a duplicate of the first
    assert sorted(by_name[n]["status"] for n in ("404.pdf", "404-again.pdf")) == ["duplicate", "failed"]
    assert report["totals"]["documents"] == 3

    docs = dataset.read_table(out, "documents")
    assert sorted(docs["file_name"]) == ["404-again.pdf", "404.pdf", "empty.pdf"]  # one row per file
    dup = docs.set_index("file_name").loc["404.pdf"]  # sorted walk: -again first
    assert (dup["status"], dup["duplicate_of_path"]) == ("duplicate", str(raw / "sub" / "404-again.pdf"))
    docs = docs[docs["status"] != "duplicate"]
    assert set(docs["status"]) == {"failed"}
    assert docs["error"].str.len().min() > 0 and not docs["error"].str.contains("Traceback").any()
    assert set(docs["error_kind"]) & {"internal", "schema"} == set()  # refused by the reader
    assert pd.read_parquet(out / "objectives").empty  # every dataset exists and loads


def test_run_prints_a_summary_table(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(HOSTILE / "synthetic-zero-bytes.pdf", raw / "empty.pdf")
    r = piao_cli("run", "--out", str(tmp_path / "clean"), cwd=tmp_path)  # default input data/raw
    assert r.returncode == 2 and "no such file or folder: data/raw" in r.stderr

    (tmp_path / "data").mkdir()
    shutil.copy(SEED_MD, raw / "cazzago.md")
    raw.rename(tmp_path / "data" / "raw")
    r = piao_cli("run", cwd=tmp_path)  # defaults: data/raw → data/clean
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    row = next(ln for ln in lines if "cazzago.md" in ln)
    cards = SEED_MD.read_text(encoding="utf-8").count("BIETTIVO N.")  # OBIETTIVO / OBBIETTIVO
    assert " ok " in row and f" {cards} " in row
    assert any("empty.pdf" in ln and "failed" in ln for ln in lines)
    assert any("2 documents" in ln and "1 failed, 1 ok" in ln for ln in lines)  # totals row
    assert len(dataset.read_table(tmp_path / "data/clean", "documents")) == 2


def test_run_with_a_missing_input_is_a_usage_error(tmp_path):
    r = piao_cli("run", str(tmp_path / "nope.pdf"), "--out", str(tmp_path / "clean"))
    assert r.returncode == 2 and "no such file or folder" in r.stderr
    assert not (tmp_path / "clean").exists()


def test_diff_command_on_the_two_sample_years(tmp_path):
    """`piao diff` end to end: the Markdown seed vs the 2024-2026 DOCX sample."""
    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    proc = subprocess.run(
        [sys.executable, "-m", "piao", "diff", str(raw / "cazzago-san-martino-piao-2023-2025.md"),
         str(raw / "cazzago-san-martino-piao-2024-2026.docx"), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    from tests.fixtures.planted_changes import PLANTED
    assert proc.stdout.startswith(f"{len(PLANTED)} changes")
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".html", ".md", ".parquet"]


def test_report_command_writes_html_and_markdown(tmp_path):
    """`piao report DOC` on the real seed: the Finanziaria 103-vs-100 weight error is there."""
    seed = Path(__file__).resolve().parents[1] / "data" / "raw" / "cazzago-san-martino-piao-2023-2025.md"
    proc = subprocess.run([sys.executable, "-m", "piao", "report", str(seed), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / f"{seed.name}.html").read_text(encoding="utf-8")
    md = (tmp_path / f"{seed.name}.md").read_text(encoding="utf-8")
    assert "103" in html and "103" in md


def test_diff_from_the_datasets_by_entity_and_period(tmp_path):
    """`piao diff --ente SLUG OLD_PERIOD NEW_PERIOD`: the same 44 changes, read back from Parquet."""
    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    inputs = [raw / "cazzago-san-martino-piao-2023-2025.docx", raw / "cazzago-san-martino-piao-2024-2026.docx"]
    run = subprocess.run([sys.executable, "-m", "piao", "run", *map(str, inputs), "--out",
                          str(tmp_path / "clean"), "--quiet"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "piao", "diff", "--ente", "cazzago-san-martino", "2023-2025", "2024-2026",
         "--clean", str(tmp_path / "clean"), "--out", str(tmp_path / "rep")],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    from tests.fixtures.planted_changes import PLANTED

    assert proc.stdout.startswith(f"{len(PLANTED)} changes")


def test_area_level_findings_keep_their_area_in_the_dataset(tmp_path):
    """Finanziaria's weights add to 103 under a TOTALE of 100 (seed 212-236): a finding about
    a weight table, not a card, so only area_slug says where it is."""
    seed = Path(__file__).resolve().parents[1] / "data" / "raw" / "cazzago-san-martino-piao-2023-2025.md"
    proc = subprocess.run([sys.executable, "-m", "piao", "run", str(seed), "--out", str(tmp_path / "clean"),
                           "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    findings = dataset.read_table(tmp_path / "clean", "findings")
    total = findings[findings["check_code"] == "weights.total_mismatch"]
    assert list(total["area_slug"]) == ["finanziaria"]
    assert list(total["found"]) == ["103"]
