"""`piao inspect FILE --page N --png OUT.png`: a real picture of the page with the IR drawn on it.

The PDF reader's fixture (tests/fixtures/pdf_reader/schedule.pdf) has a ruled
cronoprogramma with merged headers, X marks and a shaded month: the picture must be
the page at the drawing scale, not blank, and carry the overlay colours of tables,
cells, spanning cells and marks — colours no ordinary page holds.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from test_cli import REPO, piao_cli

from extract.inspect_png import CELL, MARK, MARK_ALPHA, SCALE, SPAN, TABLE

SCHEDULE_PDF = REPO / "tests/fixtures/pdf_reader/schedule.pdf"
A4 = (595.304, 841.89)  # the fixture's page size in points (pdfinfo)


def _count(image: Image.Image, colour: tuple[int, int, int]) -> int:
    return sum(n for n, c in image.getcolors(maxcolors=1 << 24) if c == colour)


def _near(image: Image.Image, colour: tuple[int, int, int], tol: int = 60) -> int:
    """Pixels close to `colour`: mark fills are blended with the page under them."""
    return sum(n for n, c in image.getcolors(maxcolors=1 << 24)
               if sum(abs(a - b) for a, b in zip(c, colour)) <= tol)


def test_inspect_png_draws_the_page_with_what_was_found(tmp_path: Path):
    out = tmp_path / "page1.png"
    r = piao_cli("inspect", str(SCHEDULE_PDF), "--page", "1", "--png", str(out))
    assert r.returncode == 0, r.stderr
    assert "drawn to" in r.stderr and "CRONOPROGRAMMA" in r.stdout  # the text listing too
    image = Image.open(out)
    assert image.format == "PNG"
    assert abs(image.width - A4[0] * SCALE) <= 2 and abs(image.height - A4[1] * SCALE) <= 2
    rgb = image.convert("RGB")
    lo, hi = rgb.convert("L").getextrema()
    assert hi - lo > 200  # black print on white paper, not a blank page
    assert _count(rgb, TABLE) > 500 and _count(rgb, CELL) > 500 and _count(rgb, SPAN) > 100
    # the X marks and the shaded month: the mark tint laid over white paper
    a = MARK_ALPHA / 255
    tint = tuple(round(255 * (1 - a) + c * a) for c in MARK)
    assert _near(rgb, tint, tol=12) > 1000


def test_inspect_png_of_a_page_that_does_not_exist_is_an_error(tmp_path: Path):
    out = tmp_path / "page9.png"
    r = piao_cli("inspect", str(SCHEDULE_PDF), "--page", "9", "--png", str(out))
    assert r.returncode == 2 and "does not exist" in r.stderr
    assert not out.exists()
