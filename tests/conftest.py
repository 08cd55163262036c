"""Shared test fixtures: the real seed document and the hostile corpus live in ../shared."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # tests.fixtures.* (specs, renderer) import from the repo root
    sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared"
SEED_MD = SHARED / "seeds" / "cazzago-san-martino-piao-2023-2025.md"
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="session")
def seed_plan():
    from extract.markdown import read_markdown
    from normalize import parse_document

    if not SEED_MD.exists():
        pytest.skip(f"seed document not found at {SEED_MD}")
    return parse_document(read_markdown(SEED_MD))
