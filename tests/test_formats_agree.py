"""The whole sample plan in three formats gives the same records.

data/raw holds the real seed Markdown and the whole plan rendered from it to DOCX and,
through LibreOffice, to PDF (tests/fixtures/build_sample.py). Provenance differs by
nature (lines vs pages and boxes) and so does line wrapping inside a cell (a PDF
breaks long lines where the column ends): both are left out of the comparison, every
other value must be equal, table by table.
"""

from __future__ import annotations

import pytest
from conftest import REPO, comparable_rows

from extract import read_document
from normalize import parse_document

SAMPLE = REPO / "data" / "raw" / "cazzago-san-martino-piao-2023-2025"
TABLES = ("objectives", "phases", "schedule", "weights", "assignments", "staff", "outputs",
          "indicators", "entity")

@pytest.fixture(scope="module")
def md_plan():
    return parse_document(read_document(SAMPLE.with_suffix(".md")))


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_same_records_as_markdown(md_plan, fmt):
    plan = parse_document(read_document(SAMPLE.with_suffix(f".{fmt}")))
    problems = []
    for attr in ("ente", "ente_slug", "period_start", "period_end", "approval_act"):
        if getattr(md_plan, attr) != getattr(plan, attr):
            problems.append(f"{attr}: {getattr(md_plan, attr)!r} vs {getattr(plan, attr)!r}")
    for table in TABLES:
        a, b = comparable_rows(md_plan, table), comparable_rows(plan, table)
        if len(a) != len(b):
            problems.append(f"{table}: {len(a)} rows from Markdown, {len(b)} from {fmt}")
        for i, (x, y) in enumerate(zip(a, b)):
            diff = {k: (x[k], y.get(k)) for k in x if x[k] != y.get(k)}
            if diff:
                problems.append(f"{table}[{i}] {x.get('objective_key', '')}: {diff}")
    print("\n".join(problems[:40]))
    assert not problems, f"{len(problems)} differences, first: {problems[:3]}"


def test_pdf_records_carry_pages_and_boxes():
    plan = parse_document(read_document(SAMPLE.with_suffix(".pdf")))
    assert all(o.page_first and o.page_last >= o.page_first for o in plan.objectives)
    marked = [s for s in plan.schedule if s.marked and s.mark != "text"]
    assert marked and all(s.page and s.bbox for s in marked)
    assert all(w.page and w.bbox for w in plan.weights)
