"""Shared test fixtures: the real seed document and the hostile corpus live in ../shared."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from normalize.text import squash

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # tests.fixtures.* (specs, renderer) import from the repo root
    sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"

SEED_MD = SHARED / "seeds" / "cazzago-san-martino-piao-2023-2025.md"
FIXTURES = REPO / "tests" / "fixtures"


# Word 97 files the hostile manifest expects to be refused: read through LibreOffice where
# it is installed (extract/legacy.py); without it refused with the install hint.
READ_BY_LIBREOFFICE = {"textract-raw_text-doc-renamed.docx"}


def expected_outcome(row: dict[str, str]) -> str:
    """A hostile-manifest row's expected outcome on this machine ("ok", "error", "either")."""
    import shutil

    if row["file"] in READ_BY_LIBREOFFICE and shutil.which("soffice"):
        return "ok"  # the manifest predates .doc support
    return row["expected"]


PROVENANCE = {"page", "line", "bbox", "page_first", "page_last"}


def _comparable(v):
    if isinstance(v, str):
        return squash(v)
    if isinstance(v, dict):
        return {k: _comparable(x) for k, x in v.items()}
    return v


def comparable_rows(plan, table: str) -> list[dict]:
    """A plan's records as dicts, provenance left out and text whitespace-collapsed: what two
    renderings of the same plan must agree on (line wrapping inside a cell is layout)."""
    return [
        {k: _comparable(v) for k, v in dataclasses.asdict(r).items() if k not in PROVENANCE}
        for r in getattr(plan, table)
    ]


@pytest.fixture(scope="session")
def clean_dir(tmp_path_factory) -> Path:
    """The datasets of `piao run data/raw`, written once per session (notebooks, README queries)."""
    import subprocess

    raw = REPO / "data" / "raw"
    if not list(raw.glob("*.pdf")):
        pytest.skip(f"no sample PDFs in {raw}")
    out = tmp_path_factory.mktemp("clean")
    subprocess.run([sys.executable, "-m", "piao", "run", str(raw), "--out", str(out)],
                   check=True, capture_output=True, text=True)
    return out


@pytest.fixture(scope="session")
def seed_plan():
    from extract.markdown import read_markdown
    from normalize import parse_document

    if not SEED_MD.exists():
        pytest.skip(f"seed document not found at {SEED_MD}")
    return parse_document(read_markdown(SEED_MD))
