"""Every layout municipalities publish reads back as the same records.

tests/fixtures/layouts/ holds the plan of tests/fixtures/layouts/spec.py printed in
each layout of build.py (DOCX by tests/fixtures/render.py, PDF by LibreOffice):
month headers by name or initial, shading in other colours, landscape pages,
rows cut by a page break, no borders at all, and two cards planned by quarter
and semester. `twin` is the same plan in the Word-like default layout.

- the twin gives the spec's records (the spec is what was printed);
- every layout gives the twin's records, format by format: keys, numbers, marks,
  spans and weights exactly, texts with whitespace collapsed (a PDF wraps lines
  where its columns end); a shaded layout marks "fill" where the twin has "X";
- quarter/semester marks cover their months and say which period they came from;
- borderless PDF tables are flagged `ruled=False`, with the Document warning.
"""

from __future__ import annotations

import zipfile
from functools import cache

import pytest
from conftest import REPO, comparable_rows

from extract import read_document
from extract.ir import Document
from extract.pdf_borderless import WARNING as BORDERLESS_WARNING
from normalize import parse_document
from normalize.records import Plan
from normalize.schedule import month_of_label, period_of_label
from normalize.text import squash
from tests.fixtures.layouts.spec import PERIOD_CARDS, PERIOD_MONTHS, build_plan, span_of

LAYOUTS_DIR = REPO / "tests" / "fixtures" / "layouts"
LAYOUTS = ("shaded-yellow", "shaded-blue", "months-abbrev", "months-initials", "months-full",
           "landscape-areas", "row-breaks", "borderless")
SHADED = {"shaded-yellow": "#fff2cc", "shaded-blue": "#1f3864"}
FORMATS = ("docx", "pdf")
TABLES = ("objectives", "phases", "schedule", "weights", "assignments", "staff")
SPEC_TABLES = ("objectives", "phases", "schedule", "weights", "staff")  # the spec has no people
PLAN_FIELDS = ("ente", "ente_slug", "period_start", "period_end", "approval_act")


@cache
def document(name: str, fmt: str) -> Document:
    return read_document(LAYOUTS_DIR / f"{name}.{fmt}")


@cache
def plan_of(name: str, fmt: str) -> Plan:
    return parse_document(document(name, fmt))


def _rows(plan: Plan, table: str, *, shaded: bool = False) -> list[dict]:
    rows = comparable_rows(plan, table)
    if shaded and table == "schedule":
        for row in rows:
            if row["marked"] and row["mark"] != "text":
                row["mark"] = "fill"  # every mark of a shaded layout is a filled cell
    return rows


def differences(expected: Plan, got: Plan, tables: tuple[str, ...], *, shaded: bool = False):
    problems = [f"{a}: {getattr(expected, a)!r} vs {getattr(got, a)!r}"
                for a in PLAN_FIELDS if getattr(expected, a) != getattr(got, a)]
    for table in tables:
        a, b = _rows(expected, table, shaded=shaded), _rows(got, table)
        if len(a) != len(b):
            problems.append(f"{table}: {len(a)} rows expected, {len(b)} read")
        for i, (x, y) in enumerate(zip(a, b)):
            diff = {k: (x[k], y.get(k)) for k in x if x[k] != y.get(k)}
            if diff:
                problems.append(f"{table}[{i}] {x.get('objective_key', '')}: {diff}")
    return problems


@pytest.mark.parametrize("fmt", FORMATS)
def test_twin_gives_the_spec(fmt):
    problems = differences(build_plan(), plan_of("twin", fmt), SPEC_TABLES)
    assert not problems, f"{len(problems)} differences: {problems[:5]}"
    assert not plan_of("twin", fmt).notes


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_layout_gives_the_twins_records(layout, fmt):
    plan = plan_of(layout, fmt)
    problems = differences(plan_of("twin", fmt), plan, TABLES, shaded=layout in SHADED)
    assert not problems, f"{len(problems)} differences: {problems[:5]}"
    assert [n.message for n in plan.notes] == [n.message for n in plan_of("twin", fmt).notes]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", ("twin", *LAYOUTS))
def test_period_marks_cover_their_months(layout, fmt):
    """A mark in a quarter (semester) column marks its 3 (6) months, and keeps the period."""
    spec = {(m.objective_key, m.seq, m.month): m for m in build_plan().schedule}
    seen = 0
    for mark in plan_of(layout, fmt).schedule:
        period = PERIOD_CARDS.get(mark.objective_key)
        if period is None:
            assert mark.span == ""
            continue
        expected = spec[(mark.objective_key, mark.seq, mark.month)]
        assert mark.marked == expected.marked, mark
        assert mark.span == (span_of(period, mark.month) if mark.marked else ""), mark
        seen += mark.marked
    assert seen == sum(m.marked for m in spec.values() if m.objective_key in PERIOD_CARDS)
    quarter = [m for m in plan_of(layout, fmt).schedule
               if m.objective_key == "affari-generali/2" and m.seq == 2 and m.marked]
    # phase 2 of the quarter card is marked in "II trim." and "III trim." (read by eye)
    assert [(m.month, m.span) for m in quarter] == [
        (4, "Q2"), (5, "Q2"), (6, "Q2"), (7, "Q3"), (8, "Q3"), (9, "Q3")]
    assert PERIOD_MONTHS == {"Q": 3, "S": 6}


@pytest.mark.parametrize("layout", sorted(SHADED))
@pytest.mark.parametrize("fmt", FORMATS)
def test_shading_of_any_colour_is_read(layout, fmt):
    filled = [c for t in document(layout, fmt).tables() for c in t.cells if c.filled]
    marked_cells = sum(1 for m in build_plan().schedule if m.marked and m.mark != "text"
                       and not m.span)
    periods = {(m.objective_key, m.seq, m.span) for m in build_plan().schedule if m.span}
    assert len(filled) == marked_cells + len(periods)
    assert {c.fill_color for c in filled} == {SHADED[layout]}
    assert all(c.empty for c in filled)


def test_borderless_pdf_tables_are_flagged():
    doc = document("borderless", "pdf")
    tables = list(doc.tables())
    assert tables and all(not t.ruled for t in tables)
    assert BORDERLESS_WARNING in doc.warnings
    # the same number of tables as the ruled twin: 3 weight tables, staff, 6 cards
    assert len(tables) == len(list(document("twin", "pdf").tables())) == 10
    twin = document("twin", "pdf")
    assert all(t.ruled for t in twin.tables()) and BORDERLESS_WARNING not in twin.warnings
    # a card cut by the page break is one table again, over both pages
    assert any(len(t.pages) == 2 for t in tables)


def test_row_cut_by_the_page_break_is_joined():
    """row-breaks.pdf: tecnica/1 phase 2 ends at the top of page 3 ("gli enti gestori")."""
    doc = document("row-breaks", "pdf")
    card = next(t for t in doc.tables() if any("DENOMINAZIONE: Manutenzione" in c.text
                                               for c in t.cells))
    assert card.pages == [2, 3]
    first = min((c for c in card.cells if c.page == 3), key=lambda c: (c.row, c.col))
    row = [c for c in card.cells if c.row == first.row]
    assert not any(c.text.strip() for c in row if c.col == 0)  # the N° cell of a cut row
    assert any(c.text.startswith("gli enti gestori") for c in row)
    phase = next(p for p in plan_of("row-breaks", "pdf").phases
                 if p.objective_key == "tecnica/1" and p.seq == 2)
    assert squash(phase.description).endswith("coordinamento con gli enti gestori")


def test_landscape_pages():
    whole = document("months-full", "pdf")
    assert all(p.width > p.height for p in whole.pages)
    mixed = document("landscape-areas", "pdf")
    shapes = [p.width > p.height for p in mixed.pages]
    assert shapes[0] is False and shapes[-1] is True


@pytest.mark.parametrize("text, position, month", [
    ("1", 0, 1), ("12", 11, 12), ("Gen", 0, 1), ("Dic", 11, 12), ("gennaio", 0, 1),
    ("Settembre", 8, 9), ("Sett.", 8, 9), ("genna\nio", 0, 1), ("G", 0, 1), ("G", 5, 6),
    ("L", 6, 7), ("GENERALE", 0, None), ("13", 0, None), ("X", 0, None), ("M", 0, None),
])
def test_month_labels(text, position, month):
    assert month_of_label(text, position) == month


@pytest.mark.parametrize("text, span", [
    ("I trim.", "Q1"), ("II trim.", "Q2"), ("IV trim.", "Q4"), ("1° trimestre", "Q1"),
    ("primo trimestre", "Q1"), ("Q3", "Q3"), ("1° sem.", "S1"), ("2° sem.", "S2"),
    ("II semestre", "S2"), ("III sem.", None), ("V trim.", None), ("trim.", None),
    ("Gen", None),
])
def test_period_labels(text, span):
    assert period_of_label(text) == span


def test_default_layout_unchanged(tmp_path):
    """The options left at their defaults write the document the first fixtures were built from."""
    from tests.fixtures.cards_spec import build_plan as seed_plan
    from tests.fixtures.render import render_docx

    for name, layout in (("cards", "word"), ("cards-shaded", "shaded")):
        fresh = zipfile.ZipFile(render_docx(seed_plan(), tmp_path / f"{name}.docx", layout=layout))
        committed = zipfile.ZipFile(REPO / "tests" / "fixtures" / f"{name}.docx")
        assert fresh.read("word/document.xml") == committed.read("word/document.xml"), name
