"""Scans as office machines make them: 1-bit photocopies, 150 dpi, a sheet fed sideways,
a table header printed white on a dark fill.

The fixture tests/fixtures/scanned/cards-copier.pdf is pages 3-5 of tests/fixtures/cards.pdf
(the pages of cards-scanned.pdf) scanned badly (see its build_copier.py): page 1 grey at
150 dpi turned -1.3°, page 2 fed sideways, page 3 (the card with both cronoprogramma
grids) 1-bit dithered and turned 1.4°. Its twin is the same pages read from the text
layer: every expectation is the twin's, never the OCR reader's own.

The dark-header cases are drawn here with OpenCV: no fixture of ours prints one.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from extract.ir import Table
from extract.ocr import _rendered
from extract.pdf import read_pdf
from extract.pdf_grid import find_table_boxes
from extract.scan_image import dark_fills, is_bilevel, mended, scan_image
from extract.scan_orientation import is_sideways, sideways_turns
from extract.settings import ReadSettings
from normalize import parse_document
from normalize.cards import CardDraft, number_and_title
from normalize.columns import PIAO_COLUMNS
from tests.test_ocr import _pages_of, needs_ocr

PIAO = ReadSettings(columns=PIAO_COLUMNS)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
COPIER = FIXTURES / "scanned" / "cards-copier.pdf"
ORIGINAL = FIXTURES / "cards.pdf"
PAGES = (3, 4, 5)  # of cards.pdf, in the order build_copier.py scans them

@pytest.fixture(scope="module")
def twin_doc():
    return read_pdf(_pages_of(ORIGINAL, PAGES), name="cards-pages.pdf")


@pytest.fixture(scope="module")
def twin(twin_doc):
    return parse_document(twin_doc)


@pytest.fixture(scope="module")
def scans():
    data = COPIER.read_bytes()
    return {n: scan_image(gray, n, scale) for n, (gray, scale) in _rendered(data, [1, 2, 3])}


@pytest.fixture(scope="module")
def copier():
    return parse_document(read_pdf(COPIER, PIAO))  # one OCR run (~15 s) for the module


def test_fixture_is_what_it_claims() -> None:
    doc = read_pdf(COPIER, ReadSettings(ocr=False))
    assert [p.has_text for p in doc.pages] == [False] * 3 and not doc.elements
    rendered = dict(_rendered(COPIER.read_bytes(), [1, 2, 3]))
    assert [is_bilevel(gray) for gray, _ in rendered.values()] == [False, False, True]
    assert [round(scale * 72) for _, scale in rendered.values()] == [150, 200, 200]
    assert rendered[2][0].shape[1] > rendered[2][0].shape[0]  # the sideways sheet
    assert COPIER.stat().st_size < 1_000_000


def test_each_page_has_the_originals_ruled_cells(twin_doc, scans) -> None:
    """Every ruled cell of the original is found on its scanned page, and no other: the
    1-bit page's broken rules mended, the sideways page turned upright, the skews undone."""
    original: dict[int, int] = {}
    for t in twin_doc.elements:
        if isinstance(t, Table):
            for c in t.cells:
                original[c.page] = original.get(c.page, 0) + 1
    found = {}
    for n, scan in scans.items():
        grids, lone = find_table_boxes(scan.edges, (0.0, 0.0, scan.width, scan.height))
        found[n] = sum(len(g) for g in grids) + len(lone)
    assert found == original and sum(original.values()) > 250
    assert [scans[n].turns for n in (1, 2, 3)] == [0, 1, 0]
    # turned back by the angles build_copier.py turned them (the sideways one after turning)
    assert [round(-scans[n].skew, 1) for n in (1, 3)] == [-1.3, 1.4]


def test_page_orientation_from_text_lines(scans) -> None:
    upright = scans[3].ink.astype(np.uint8) * 255
    assert not is_sideways(upright, scans[3].scale)
    assert is_sideways(np.ascontiguousarray(np.rot90(upright)), scans[3].scale)
    assert is_sideways(np.ascontiguousarray(np.rot90(upright, 3)), scans[3].scale)


@needs_ocr
def test_which_way_round_a_sideways_page_goes(scans) -> None:
    page = scans[3].clean
    # the page turned a quarter clockwise needs a quarter counter-clockwise, and back
    assert sideways_turns(np.ascontiguousarray(np.rot90(page, 3))) == 1
    assert sideways_turns(np.ascontiguousarray(np.rot90(page, 1))) == 3


@needs_ocr
def test_objective_keys_phases_and_marks_exactly(twin, copier) -> None:
    keys = [o.objective_key for o in twin.objectives]
    assert [o.objective_key for o in copier.objectives] == keys and keys

    def phases(plan):
        return [(p.objective_key, p.year_index, p.seq, p.phase_no) for p in plan.phases]

    def marked(plan):
        return sorted((m.objective_key, m.year_index, m.seq, m.month)
                      for m in plan.schedule if m.marked)

    assert phases(copier) == phases(twin) and len(twin.phases) == 4
    assert marked(copier) == marked(twin) and len(marked(twin)) == 18


@needs_ocr
def test_staff_from_the_sideways_page(twin, copier) -> None:
    """Names and hours exactly; the two-character categories ("B1") are lone tokens in
    narrow cells, of which OCR may misread one ("Bl1") -- never a row more or less."""
    def rows(plan):
        return [(s.name, s.weekly_hours) for s in plan.staff]

    assert rows(copier) == rows(twin) and len(twin.staff) == 5
    same = sum(a.category == b.category for a, b in zip(copier.staff, twin.staff))
    assert same >= len(twin.staff) - 1


@needs_ocr
def test_weights_read_agree(twin, copier) -> None:
    expected = {(w.area_slug, w.number): w.weight for w in twin.weights}
    got = {(w.area_slug, w.number): w.weight for w in copier.weights}
    agree = {k for k, v in got.items() if expected.get(k) == v}
    assert len(agree) >= 0.9 * len(expected) and len(expected) == 32


# --- a header row printed white on a dark fill --------------------------------------

SCALE = 200 / 72  # pixels per point
COLUMNS_PT = (40.0, 200.0, 555.0)  # a label column and a value column
ROWS_PT = (60.0, 80.0, 100.0, 120.0, 140.0)  # the first row is the dark header


def _card_page(fill: int = 60) -> np.ndarray:
    """An A4 page at 200 dpi: a 4-row table whose header row is white text on gray `fill`,
    its label cells lightly shaded, 1 pt rules."""
    px = lambda v: round(v * SCALE)  # noqa: E731
    page = np.full((px(842), px(595)), 255, np.uint8)
    x0, xm, x1 = (px(v) for v in COLUMNS_PT)
    for top, bottom in zip(ROWS_PT[1:], ROWS_PT[2:]):
        page[px(top):px(bottom), x0:xm] = 215  # label shading
    page[px(ROWS_PT[0]):px(ROWS_PT[1]), x0:x1] = fill
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(page, "OBIETTIVO N. 1.1", (x0 + 12, px(ROWS_PT[1]) - 16), font, 1.0, 255, 2)
    cv2.putText(page, "Titolo della scheda", (xm + 12, px(ROWS_PT[1]) - 16), font, 1.0, 255, 2)
    for k, top in enumerate(ROWS_PT[1:-1], start=1):
        cv2.putText(page, f"ETICHETTA {k}", (x0 + 12, px(top) + 40), font, 0.9, 0, 2)
        cv2.putText(page, f"valore {k}", (xm + 12, px(top) + 40), font, 0.9, 0, 2)
    w = max(1, round(SCALE))
    for y in ROWS_PT:
        cv2.line(page, (x0, px(y)), (x1, px(y)), 0, w)
    for x in (x0, x1):
        cv2.line(page, (x, px(ROWS_PT[0])), (x, px(ROWS_PT[-1])), 0, w)
    cv2.line(page, (xm, px(ROWS_PT[1])), (xm, px(ROWS_PT[-1])), 0, w)
    return page


def _turned(page: np.ndarray, degrees: float) -> np.ndarray:
    h, w = page.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def _photocopied(page: np.ndarray) -> np.ndarray:
    """1-bit, Floyd–Steinberg dithered, back to 0/255 gray as a renderer gives it."""
    return np.asarray(Image.fromarray(page).convert("1").convert("L"))


@pytest.mark.parametrize("make", [
    lambda p: p,
    lambda p: _turned(p, 1.2),
    lambda p: _photocopied(_turned(p, -1.0)),
], ids=["grey", "skewed", "photocopied"])
def test_dark_header_row_is_a_row_of_the_grid_and_reads_dark_on_white(make) -> None:
    scan = scan_image(make(_card_page()), 1, SCALE)
    grids, _ = find_table_boxes(scan.edges, (0.0, 0.0, scan.width, scan.height))
    # the header (one cell: no rule shows between its two halves) and 3 rows of 2 cells
    assert [len(g) for g in grids] == [7]
    header = min(grids[0], key=lambda b: b[1])
    assert abs(header[1] - ROWS_PT[0]) < 2 and abs(header[3] - ROWS_PT[1]) < 2
    x0, top, x1, bottom = (round(v * SCALE) for v in header)
    inside = scan.clean[top + 4:bottom - 4, x0 + 4:x1 - 4]
    # its letters are dark on white paper now, as Tesseract reads text; the fill is gone
    assert 0.02 < np.mean(inside < 128) < 0.3
    assert np.mean(inside == 255) > 0.6


def test_a_solid_fill_stays_ink_and_a_bullet_is_no_fill() -> None:
    page = np.full((400, 400), 255, np.uint8)
    page[50:110, 50:300] = 40  # a solid shaded bar, no text: a month marked by shading
    cv2.circle(page, (200, 300), 6, 0, -1)  # a "●" mark, 4 pt across
    threshold = 128.0
    fills = dark_fills(page, threshold, SCALE)
    assert len(fills) == 1  # the bar, to a pixel or two of blur; not the bullet
    assert all(abs(a - b) <= 2 for a, b in zip(fills[0], (50, 50, 300, 110)))
    scan = scan_image(page, 1, SCALE)
    assert scan.ink[60:100, 60:290].mean() > 0.9  # still ink: a mark, not text to reverse
    assert scan.ink[294:306, 194:206].any()


def test_broken_rules_are_mended_but_a_merged_cell_stays_open() -> None:
    def h(y, x0, x1):
        return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y}

    def v(x, t, b):
        return {"orientation": "v", "x0": x, "x1": x, "top": t, "bottom": b}

    edges = [v(40, 100, 200), v(300, 100, 200), v(560, 100, 200),
             h(100, 40, 560), h(140, 40, 560), h(200, 40, 560),
             h(160, 55, 250), h(160, 262, 560),  # broken twice: at its start and inside
             v(200, 100, 140), v(200, 160, 200)]  # a gap from rule to rule: a merged cell
    out = mended(edges)
    rows = sorted((e["x0"], e["x1"]) for e in out if e["orientation"] == "h"
                  and e["top"] == 160)
    assert rows == [(40, 560)]
    cols = sorted((e["top"], e["bottom"]) for e in out if e["orientation"] == "v"
                  and e["x0"] == 200)
    assert cols == [(100, 140), (160, 200)]


# --- the card's number and title read as one cell ----------------------------------

def test_number_then_title_with_only_a_space_between() -> None:
    assert number_and_title("1.1 Digitalizzazione del protocollo") == (
        "1.1", "Digitalizzazione del protocollo")
    assert number_and_title("AG1 – Attività di base") == ("AG1", "Attività di base")
    assert number_and_title("3 bis") == ("3 bis", "")
    assert number_and_title("01.02") == ("01.02", "")


def test_a_repeated_header_with_its_number_misread_continues_the_card() -> None:
    card = CardDraft("SERVIZIO X", "servizio-x")
    card.put_number("OBIETTIVO N.", "1.4 Iscrizioni on-line ai servizi")
    assert (card.number_token(), card.title_row) == ("1.4", "Iscrizioni on-line ai servizi")
    assert card.same_title("14 Iscrizioni on-line ai servizi")  # the point lost by OCR
    assert not card.same_title("1.5 Altro obiettivo del servizio")
    card.put_number("OBIETTIVO N.", "14 Iscrizioni on-line ai servizi")
    assert card.number_token() == "1.4"
