"""The stable codes of the reader's warnings (`reader.<what>`), as data.

The readers (extract/) write their warnings as sentences; each kind is recognised by
its wording (a regular expression in `reader_codes.csv`; a group `page` gives the
finding's page) and gets a code and a description in Italian and English. A new kind
of warning is a new row there. Kept apart from `reader.py` so the registry can
describe the codes without importing the findings it builds.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import NamedTuple

READER_PREFIX = "reader."
OTHER = READER_PREFIX + "other"
OCR_CELL_REREAD = READER_PREFIX + "ocr_cell_reread"
TABLE = Path(__file__).with_name("reader_codes.csv")


class WarningCode(NamedTuple):
    code: str
    wording: re.Pattern[str]
    it: str
    en: str


def _load(path: Path) -> tuple[WarningCode, ...]:
    with path.open(newline="", encoding="utf-8") as fh:
        return tuple(WarningCode(READER_PREFIX + r["code"], re.compile(r["wording"]), r["it"],
                                 r["en"]) for r in csv.DictReader(fh))


WARNING_CODES = _load(TABLE)

DESCRIPTIONS: dict[str, tuple[str, str]] = {
    **{w.code: (w.it, w.en) for w in WARNING_CODES},
    OCR_CELL_REREAD: ("Cella riletta con OCR limitato ai caratteri della colonna",
                      "Cell read again by OCR with only its column's characters"),
    OTHER: ("Avviso del lettore", "Reader warning"),
}
