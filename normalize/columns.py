"""The PIAO vocabulary of table columns, handed to the PDF readers.

extract/ocr_cells.py re-reads the cells of number and month columns of a scanned
table, and extract/pdf_borderless.py fixes a borderless table's month columns by their
header; which headers name such columns is PIAO knowledge, so it lives here and the
caller (piao/read.py) passes it down in `ReadSettings.columns`. Month and period
labels are read by the very functions the normaliser reads the schedule with.
"""

from __future__ import annotations

from extract.settings import ColumnVocabulary
from normalize.schedule import month_of_label, period_of_label

# Header cell text, folded (upper case, no accents, no spaces), over a column of
# numbers: objective and phase numbers, weights, weekly hours, as PIAO and PEG print them.
NUMBER_HEADERS = frozenset({
    "NR.", "NR", "N.", "N", "N°", "Nº", "N.RO", "NUM.", "NUMERO",
    "PESO", "PESO%", "PESO(%)", "PESI", "PESO%OBIETTIVO", "%",
    "ORESETTIMANALI", "ORE",
})

PIAO_COLUMNS = ColumnVocabulary(number_headers=NUMBER_HEADERS, month_of_label=month_of_label,
                               period_of_label=period_of_label)
