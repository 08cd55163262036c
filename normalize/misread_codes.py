"""A weight row's code that OCR misread, taken back to the card it numbers.

A scan's weight table may print "SP5" and OCR read "SPS": the row then numbers no card,
and the card looks unweighted. On pages read by OCR only, a weight row whose code names
no card of its unit is given the number of the one card of that unit that (a) has no
weight row yet and (b) reads the same once the glyphs OCR confuses are taken as one
(S/5/3, O/0, I/l/1, B/8, Z/2, G/6), its points not counted (OCR loses the point of
"1.2"). It is a guess, so it is a finding
(`parser.ocr_code_read_as`) that keeps the code as OCR read it. Text-layer pages are
never touched: there a code that names no card is the plan's own, for the checks to
report.
"""

from __future__ import annotations

from extract.ir import Document
from normalize.records import Note, Plan
from normalize.text import fold

# The letters OCR reads for digits they resemble, and the digits each may stand for
# ("SP5" read "SPS", "3T" read "ST").
_LOOK_ALIKE = {"S": "53", "O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1",
               "B": "8", "Z": "2", "G": "6"}
_NOT_COUNTED = str.maketrans("", "", " .,")


def _reads_as(read: str, number: str) -> bool:
    """`read` is `number` once each letter OCR confuses with a digit is taken as it, and
    the points OCR loses are not counted ("12" for 1.2: a point is a speck's size)."""
    read, number = (fold(t).translate(_NOT_COUNTED) for t in (read, number))
    return len(read) == len(number) and all(
        r == n or n in _LOOK_ALIKE.get(r, "") or r in _LOOK_ALIKE.get(n, "")
        for r, n in zip(read, number))


def repair_misread_codes(plan: Plan, doc: Document) -> None:
    ocr_pages = {p.number for p in doc.pages if p.read_mode in ("ocr", "ocr_layer")}
    cards: dict[str, list[str]] = {}
    for o in plan.objectives:
        cards.setdefault(o.area_slug, []).append(o.number)
    weighted = {(w.area_slug, w.number) for w in plan.weights}
    for w in plan.weights:
        numbers = cards.get(w.area_slug, [])
        if w.page not in ocr_pages or w.table_kind != "area" or w.number in numbers:
            continue
        same = [n for n in numbers if (w.area_slug, n) not in weighted
                and _reads_as(w.number, n)]
        if len(same) != 1:
            continue
        plan.notes.append(Note(
            "parser.ocr_code_read_as",
            f"weight row code {w.number!r} (as OCR read it) taken as card {same[0]}: "
            "no card has the code read, and it reads as this card's once OCR's look-alike "
            "glyphs are taken as one",
            f"{w.area_slug}/{same[0]}", w.page))
        weighted.add((w.area_slug, same[0]))
        w.number = same[0]
