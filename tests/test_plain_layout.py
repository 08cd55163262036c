"""A plan printed by a PDF library with no table rules at all (tests/fixtures/plain/).

The fixture's content is the data in its builder (`UNITS`): every card, phase, month
mark and weight must come back from the geometry of the text alone. See the builder's
docstring for what makes the layout hard; each test below names the rule it holds.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from extract import read_document
from extract.pdf_borderless import _groups, _is_justified
from normalize.parser import parse_document
from normalize.records import Plan
from piao.read import piao_settings

HERE = Path(__file__).resolve().parent / "fixtures" / "plain"
PDF = HERE / "library-plan.pdf"


def _builder():
    spec = importlib.util.spec_from_file_location("plain_build", HERE / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _builder()
CARDS = [(unit, responsible, card) for unit, responsible, cards in BUILD.UNITS for card in cards]


@pytest.fixture(scope="module", params=["library-plan.pdf", "library-plan-flow.pdf"])
def plan(request) -> Plan:
    """The plan with a page per card, and flowing on (page breaks cutting its tables)."""
    return parse_document(read_document(HERE / request.param, piao_settings()))


def _objective(plan: Plan, number: str):
    found = [o for o in plan.objectives if o.number == number]
    assert len(found) == 1, [o.objective_key for o in plan.objectives]
    return found[0]


def test_every_card_is_found_under_its_title_paragraph(plan: Plan):
    """The title "OBIETTIVO N. 1.1" is a paragraph above the card's table, at the same
    height on every card page: it opens the card (not the next one), and it is not
    taken for a running header although it repeats on most pages."""
    assert sorted(o.number for o in plan.objectives) == sorted(c[0] for _, _, c in CARDS)
    for unit, responsible, (number, missione, programma, title, description, _, indicators,
                            people, _) in CARDS:
        o = _objective(plan, number)
        assert o.area == unit
        assert o.title == title
        assert o.responsible == responsible
        assert o.missione_raw == missione and o.programma_raw == programma
        assert " ".join(o.description.split()) == description
        assert o.result_indicators == indicators
        assert o.human_resources == people


def test_phases_and_month_marks_from_a_header_of_numbers(plan: Plan):
    """Month columns fixed by the `1 … 12` header, each X placed in its month; a text
    schedule across the months is kept as text."""
    for _, _, (number, *_rest) in CARDS:
        phases_spec = _rest[4]
        key = _objective(plan, number).objective_key
        phases = sorted((p for p in plan.phases if p.objective_key == key), key=lambda p: p.seq)
        assert [p.description for p in phases] == [d for d, _ in phases_spec]
        for phase, (_, when) in zip(phases, phases_spec):
            months = sorted(m.month for m in plan.schedule
                            if m.objective_key == key and m.seq == phase.seq and m.marked
                            and m.mark == "X")
            if isinstance(when, str):
                assert phase.schedule_text == when and months == []
            else:
                assert months == when, (number, phase.description)


def test_weight_tables_with_a_wrapped_right_aligned_responsible(plan: Plan):
    """Rows padded apart more than a blank line stay one table; the responsible printed
    right-aligned over two lines is one name, and names the unit's weights."""
    got = {(w.area, w.responsible, w.number, w.weight, w.title) for w in plan.weights}
    want = {(unit, responsible, c[0], float(c[8]), c[3]) for unit, responsible, c in CARDS}
    assert got == want
    assert {w.declared_total for w in plan.weights} == {100.0}


def test_the_running_footer_is_set_apart_and_prose_is_no_table():
    """The footer (page number changing with the page) is furniture; the justified
    introduction on page 1 is running text, not a table."""
    doc = read_document(PDF, piao_settings())
    assert not [t for t in doc.tables() if t.pages == [1]]
    plan = parse_document(doc)
    assert plan.objectives and not any("pag." in o.description for o in plan.objectives)


@pytest.mark.skipif(importlib.util.find_spec("reportlab") is None,
                    reason="reportlab builds the fixture")
def test_the_committed_fixture_is_what_the_builder_writes(tmp_path: Path):
    """The PDF under test is the builder's output (rebuilt, same text on every page)."""
    import pypdfium2 as pdfium

    out, flow = tmp_path / "plan.pdf", tmp_path / "flow.pdf"
    BUILD.build(out)
    BUILD.build(flow, flow=True)

    def texts(path: Path) -> list[str]:
        pdf = pdfium.PdfDocument(str(path))
        try:
            return [page.get_textpage().get_text_range() for page in pdf]
        finally:
            pdf.close()

    assert texts(out) == texts(PDF)
    assert texts(flow) == texts(BUILD.FLOW)


def _line_of_words(words: list[str], gaps: list[float], size: float = 8.2) -> list[dict]:
    """Characters of one line: each word's letters side by side, `gaps` points between
    the words (what OCR gives for a justified line: no space characters)."""
    chars, x = [], 60.0
    for k, word in enumerate(words):
        for ch in word:
            chars.append({"text": ch, "x0": x, "x1": x + 4.0, "top": 100.0,
                          "bottom": 100.0 + size, "size": size, "upright": True,
                          "fontname": "OCR"})
            x += 4.0
        x += gaps[k] if k < len(gaps) else 0.0
    return chars


def test_a_justified_line_with_one_narrow_gap_is_running_text() -> None:
    """Justification stretches a line's word spaces evenly; OCR losing an apostrophe
    ("dall art.14" for "dall'art.14") leaves one gap narrower than the rest. The line is
    still running text, not a row of a table with a column per word."""
    words = "= il comma 5-sexies del suddetto D.L. come modificato dall art.14 bis del".split()
    gaps = [14.4, 8.2, 8.2, 8.2, 8.2, 8.2, 8.6, 7.7, 8.2, 4.3, 8.6, 8.2]
    assert _is_justified(_groups(_line_of_words(words, gaps)))
    # number columns two ems apart and unlike one another stay a table row
    row = _line_of_words(["Totale", "1.250", "30", "4.100"], [30.0, 9.0, 22.0])
    assert not _is_justified(_groups(row))
