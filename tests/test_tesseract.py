"""Tesseract run on piao's own pixels (extract/tesseract.py): words, boxes, order, ink.

The pictures are real renderings of Italian print (DejaVu Sans, as a Word export uses
a sans), read by the real Tesseract; nothing here stands in for it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract import ocr
from extract.chars_text import chars_text
from extract.tesseract import Picture, Word, _on_ink, read_images

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DPI = 200.0

needs_ocr = pytest.mark.skipif(ocr.unavailable() is not None or not FONT.exists(),
                               reason="tesseract-ocr with Italian, or the DejaVu font, missing")


def _printed(lines: list[str], size: int = 40) -> Picture:
    """Lines of text printed black on white, `size` px tall (~14 pt at 200 dpi)."""
    image = Image.new("L", (1400, 120 + 70 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), size)
    for k, line in enumerate(lines):
        draw.text((60, 60 + 70 * k), line, font=font, fill=0)
    return Picture(np.asarray(image), DPI)


@needs_ocr
def test_words_come_in_reading_order_with_their_letters_inside_the_word() -> None:
    picture = _printed(["Responsabile del procedimento", "attività di verifica"])
    [words] = read_images([picture], "ita", "6")
    assert [w.text for w in words] == ["Responsabile", "del", "procedimento", "attività",
                                       "di", "verifica"]
    for w in words:
        assert "".join(t for t, _, _ in w.letters) == w.text
        starts = [a for _, a, _ in w.letters]
        assert starts == sorted(starts), w  # a word keeps its order whatever sorts by x
        assert w.box[0] - 1 <= starts[0] and w.letters[-1][2] <= w.box[2] + 1
        assert w.line[1] <= w.baseline <= w.line[3]
        assert 0 < w.ascent and 0 <= w.descent
        assert 50 <= w.confidence <= 100
    first, second = words[0], words[3]
    assert second.baseline - first.baseline == pytest.approx(70, abs=4)


@needs_ocr
def test_a_page_read_in_bands_reads_as_the_whole_page() -> None:
    """The running text is cut at blank rows for parallel Tesseract runs: the words,
    placed back on the page, are the page's own, in its order, at its places."""
    lines = ["Obiettivo strategico", "Peso 25", "cronoprogramma delle fasi", "Settore tecnico",
             "Responsabile del servizio", "indicatori di risultato"]
    picture = _printed(lines)
    bands = ocr._bands(picture.pixels, 2)
    assert len(bands) == 2 and bands[0][0] == 0 and bands[-1][1] == picture.pixels.shape[0]
    cut = bands[1][0]
    assert not (picture.pixels[cut] < ocr.DARK).any()  # a blank row: no line is cut
    [whole] = read_images([picture], "ita", "6")
    banded = [w.lowered(top) for top, bottom in bands
              for w in read_images([Picture(picture.pixels[top:bottom], DPI)], "ita", "6")[0]]
    assert [w.text for w in banded] == [w.text for w in whole]
    assert " ".join(w.text for w in whole) == " ".join(lines)
    for a, b in zip(banded, whole, strict=True):
        assert a.box == pytest.approx(b.box, abs=2)
        assert a.baseline == pytest.approx(b.baseline, abs=2)


@needs_ocr
def test_a_whitelist_limits_what_is_read() -> None:
    [words] = read_images([_printed(["3T"])], "ita", "7", whitelist="0123456789T")
    assert "".join(w.text for w in words) == "3T"


def test_letters_boxed_over_blank_paper_are_dropped() -> None:
    """Tesseract's line model fills the gap between spaced "X"s with O's boxed over white."""
    pixels = np.full((100, 400), 255, np.uint8)
    pixels[30:60, 20:50] = 0  # an X's ink
    pixels[30:60, 200:230] = 0  # another
    line = (20.0, 30.0, 230.0, 60.0)
    word = Word("XOOX", (20.0, 30.0, 230.0, 60.0), line, 58.0, 28.0, 2.0, 0.0,
                (("X", 20.0, 50.0), ("O", 80.0, 110.0), ("O", 130.0, 160.0),
                 ("X", 200.0, 230.0)))
    [kept] = _on_ink([word], pixels)
    assert kept.text == "XX"
    assert [a for _, a, _ in kept.letters] == [20.0, 200.0]
    blank = Word("O", (80.0, 30.0, 110.0, 60.0), line, 58.0, 28.0, 2.0, 0.0,
                 (("O", 80.0, 110.0),))
    assert _on_ink([blank], pixels) == []
    assert _on_ink([word], np.zeros_like(pixels)) == [word]  # all on ink: untouched


def test_specks_read_as_signs_are_dust_but_marks_on_tiles_are_not() -> None:
    def word(text: str, confidence: float) -> Word:
        return Word(text, (0.0, 0.0, 10.0, 10.0), (0.0, 0.0, 10.0, 10.0), 9.0, 8.0, 1.0,
                    confidence, tuple((ch, 0.0, 10.0) for ch in text))

    assert not ocr._believed(word(".", 0.0), tile=False)
    assert not ocr._believed(word("°", 10.0), tile=True)
    assert ocr._believed(word("-", 93.0), tile=False)
    assert not ocr._believed(word("î", 0.0), tile=False)  # a lone letter in running text
    assert ocr._believed(word("X", 0.0), tile=True)  # a tile's whole content: a mark
    assert ocr._believed(word("di", 5.0), tile=False)  # a word: the normaliser judges it


def test_words_become_characters_on_their_line_with_spaces_between() -> None:
    line = (100.0, 200.0, 500.0, 240.0)
    words = [Word("Peso", (100.0, 200.0, 180.0, 240.0), line, 232.0, 28.0, 8.0, 95.0,
                  (("P", 100.0, 120.0), ("e", 120.0, 140.0), ("s", 140.0, 160.0),
                   ("o", 160.0, 180.0))),
             Word("%", (200.0, 200.0, 220.0, 240.0), line, 232.0, 28.0, 8.0, 90.0,
                  (("%", 200.0, 220.0),))]
    chars = ocr._chars(words, 72 / DPI)
    assert "".join(c["text"] for c in chars) == "Peso %"
    space = chars[4]
    assert space["x0"] == pytest.approx(180 * 72 / DPI) and space["x1"] == pytest.approx(72)
    assert {round(c["top"], 2) for c in chars} == {round(204 * 72 / DPI, 2)}
    assert {round(c["bottom"], 2) for c in chars} == {round(240 * 72 / DPI, 2)}
    assert [c["confidence"] for c in chars] == [95.0] * 5 + [90.0]


def test_two_words_whose_boxes_overlap_stay_two_words() -> None:
    """Tesseract boxes the last letter of "raggiungere" over the "i" it reads as the next
    word: the text must read "raggiungere i", not "raggiungerei"."""
    line = (0.0, 0.0, 400.0, 30.0)
    words = [Word("re", (0.0, 0.0, 40.0, 30.0), line, 25.0, 20.0, 5.0, 96.0,
                  (("r", 0.0, 12.0), ("e", 14.0, 40.0))),
             Word("i", (37.0, 0.0, 44.0, 30.0), line, 25.0, 20.0, 5.0, 96.0,
                  (("i", 37.0, 44.0),))]
    chars = ocr._chars(words, 1.0)
    assert chars_text(chars) == "re i"


def test_a_word_stays_one_word_but_tiles_keep_their_letters_apart() -> None:
    """Spaced capitals ("OBIE TTIVO" at a wide gap) close up into one word; letters far
    apart (one "word" Tesseract ran over several tiles) each stay where they were seen."""
    line = (0.0, 0.0, 400.0, 30.0)
    spaced = Word("OBIE", (0.0, 0.0, 100.0, 30.0), line, 25.0, 20.0, 5.0, 90.0,
                  (("O", 0.0, 15.0), ("B", 16.0, 30.0), ("I", 45.0, 50.0), ("E", 52.0, 66.0)))
    assert ocr._closed_up(spaced) == [("O", 0.0, 16.0), ("B", 16.0, 45.0), ("I", 45.0, 52.0),
                                      ("E", 52.0, 66.0)]
    tiles = Word("123", (0.0, 0.0, 300.0, 30.0), line, 25.0, 20.0, 5.0, 40.0,
                 (("1", 0.0, 12.0), ("2", 120.0, 132.0), ("3", 240.0, 252.0)))
    assert ocr._closed_up(tiles) == list(tiles.letters)
    chars = ocr._chars([spaced], 1.0)
    assert "".join(c["text"] for c in chars) == "OBIE"
    assert all(b["x0"] <= a["x1"] for a, b in zip(chars, chars[1:]))
