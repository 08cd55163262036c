"""Batch runs: parallel workers, resuming, a killed run, the dask executor.

Inputs are the real samples (the Markdown and DOCX renderings of the Cazzago San
Martino plan, which read in under a second) and files of the hostile corpus whose
expected outcome MANIFEST.csv states.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from piao import dataset
from piao.batch import run_batch
from piao.schemas import TABLES

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data/raw"
HOSTILE = REPO.parent / "shared/corpus/hostile"
SAMPLE_MD = RAW / "cazzago-san-martino-piao-2023-2025.md"
SAMPLE_DOCX = RAW / "cazzago-san-martino-piao-2023-2025.docx"
HOSTILE_PICKS = ("synthetic-zero-bytes.pdf", "synthetic-html-error-page.pdf", "pdfjs-bug1020226.pdf",
                 "synthetic-valid-small.pdf", "python-docx-test.docx")
VOLATILE = ("processed_at", "seconds")  # differ between any two runs by nature


def piao_cli(*args: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "piao", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def manifest_expected() -> dict[str, str]:
    with open(HOSTILE / "MANIFEST.csv", newline="") as f:
        return {row["file"]: row["expected"] for row in csv.DictReader(f)}


def md_copies(folder: Path, n: int) -> list[Path]:
    """n copies of the sample with different bytes (trailing newlines), so none is a duplicate."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE_MD.read_bytes()
    paths = []
    for i in range(n):
        p = folder / f"copy-{i:02d}.md"
        p.write_bytes(text + b"\n" * (i + 1))
        paths.append(p)
    return paths


def load_all(out: Path) -> dict[str, pd.DataFrame]:
    """Every table, volatile columns dropped, rows in a canonical order."""
    frames = {}
    for t in TABLES:
        df = dataset.read_table(out, t).drop(columns=list(VOLATILE), errors="ignore")
        key = (df.apply(lambda row: "|".join(map(str, row.tolist())), axis=1) if len(df)
               else pd.Series([], dtype=str))
        frames[t] = df.assign(_key=key).sort_values("_key").drop(columns="_key").reset_index(drop=True)
    return frames


def assert_same_datasets(a: Path, b: Path) -> None:
    fa, fb = load_all(a), load_all(b)
    for t in TABLES:
        pd.testing.assert_frame_equal(fa[t], fb[t], obj=f"table {t}")


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SAMPLE_MD, raw)
    shutil.copy(SAMPLE_DOCX, raw)
    for name in HOSTILE_PICKS:
        shutil.copy(HOSTILE / name, raw / name)
    return raw


def test_parallel_run_gives_one_row_per_file_with_the_expected_status(mixed_folder, tmp_path):
    out = tmp_path / "clean"
    r = piao_cli("run", str(mixed_folder), "--out", str(out), "-j", "2", "--json")
    assert r.returncode == 1, r.stderr  # the broken files failed
    report = json.loads(r.stdout)
    status = {Path(d["path"]).name: d["status"] for d in report["documents"]}
    expected = manifest_expected()
    for name in HOSTILE_PICKS:
        want = {"ok": {"ok", "partial"}, "error": {"failed"}}[expected[name]]
        assert status[name] in want, (name, status[name])
    for sample in (SAMPLE_MD, SAMPLE_DOCX):
        assert status[sample.name] == "ok"
    docs = dataset.read_table(out, "documents")
    assert sorted(docs["file_name"]) == sorted(p.name for p in mixed_folder.iterdir())
    assert report["totals"]["documents"] == len(HOSTILE_PICKS) + 2


def test_rerun_skips_unchanged_documents_and_force_redoes_them(mixed_folder, tmp_path):
    out = tmp_path / "clean"
    first = {Path(r.path).name: r for r in run_batch(sorted(mixed_folder.iterdir()), out, jobs=2)}
    md_row = dataset.document_files(out, first[SAMPLE_MD.name].doc_id)
    written = {p: p.stat().st_mtime_ns for p in md_row}

    again = {Path(r.path).name: r for r in run_batch(sorted(mixed_folder.iterdir()), out, jobs=2)}
    for name, r in first.items():
        if r.status == "failed":  # a failure is retried, never taken as done
            assert again[name].status == "failed" and again[name].error_kind != "unchanged"
        else:
            assert again[name].status == "skipped" and again[name].error_kind == "unchanged"
            assert again[name].cards == r.cards
    assert {p: p.stat().st_mtime_ns for p in md_row} == written  # not rewritten

    forced = run_batch(sorted(mixed_folder.iterdir()), out, jobs=2, force=True)
    assert not [r for r in forced if r.status == "skipped"]
    assert len(dataset.read_table(out, "documents")) == len(first)


def test_a_killed_run_resumes_to_the_same_datasets(tmp_path):
    raw = tmp_path / "raw"
    md_copies(raw, 6)
    shutil.copy(HOSTILE / "synthetic-zero-bytes.pdf", raw / "empty.pdf")
    reference, resumed = tmp_path / "reference", tmp_path / "resumed"
    assert piao_cli("run", str(raw), "--out", str(reference), "-j", "1", "--quiet").returncode == 1

    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "-m", "piao", "run", str(raw), "--out", str(resumed),
                             "-j", "1", "--quiet"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(resumed.glob("documents/*/*/*.parquet")):
        assert proc.poll() is None, "the run ended before any document was written"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its sandbox children, mid-document
    proc.wait()
    done_before = len(list(resumed.glob("documents/*/*/*.parquet")))
    assert done_before < 7, "killed too late: nothing left to resume"

    r = piao_cli("run", str(raw), "--out", str(resumed), "-j", "2", "--json")
    report = json.loads(r.stdout)
    skipped = [d for d in report["documents"] if d["error_kind"] == "unchanged"]
    assert 1 <= len(skipped) <= done_before
    assert_same_datasets(reference, resumed)


def test_dask_executor_writes_what_the_local_one_writes(tmp_path):
    pytest.importorskip("distributed")
    raw = tmp_path / "raw"
    files = md_copies(raw, 2) + [shutil.copy(HOSTILE / "synthetic-zero-bytes.pdf", raw / "e.pdf")]
    local = run_batch(files, tmp_path / "local", jobs=2)
    dask = run_batch(files, tmp_path / "dask", jobs=2, executor="dask")
    assert [r.status for r in dask] == [r.status for r in local] == ["ok", "ok", "failed"]
    assert_same_datasets(tmp_path / "local", tmp_path / "dask")


def test_workers_share_the_cores_for_ocr(monkeypatch) -> None:
    """A batch of N local workers gives each worker's Tesseract runs cores // N of the
    cores (at least one); a number the user set stays."""
    import dataclasses

    from piao import batch
    from piao.pipeline import Options

    monkeypatch.setattr(batch, "available_jobs", lambda: 8)
    assert batch._sharing_cores(Options(), 2).read.ocr_jobs == 4
    assert batch._sharing_cores(Options(), 1).read.ocr_jobs == 8
    assert batch._sharing_cores(Options(), 16).read.ocr_jobs == 1
    mine = Options(read=dataclasses.replace(Options().read, ocr_jobs=3))
    assert batch._sharing_cores(mine, 2).read.ocr_jobs == 3
