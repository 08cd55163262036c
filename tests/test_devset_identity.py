"""The same plan in every layout and format has the same entity and period (issue 11).

Inputs are the development set's documents (../shared/devset) and their answer keys; the
image-only scans are left to the OCR tests. The entity is the body alone — never a
running header such as "Comune di Besnate - PEG 2016 - Piano della performance … pag. 1".
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import SHARED

from extract import read_document
from normalize import parse_document
from normalize.text import slug

DEVSET = SHARED / "devset"
TEXT_LAYOUTS = sorted(p for p in (DEVSET / "docs").glob("*.pdf") if "scan" not in p.name) + sorted(
    (DEVSET / "docs").glob("*.docx"))


@pytest.mark.parametrize("path", TEXT_LAYOUTS, ids=lambda p: p.name)
def test_entity_and_period_of_every_layout(path):
    truth = json.loads((DEVSET / "truth" / f"{path.name.split('.')[0]}.json").read_text())
    plan = parse_document(read_document(path))
    assert plan.ente_slug == slug(re.sub(r"(?i)^comune\s+di\s+", "", truth["ente"]))
    assert plan.ente.casefold() == truth["ente"].casefold()  # printed case kept ("COMUNE DI …")
    assert [plan.period_start, plan.period_end] == truth["period"]
