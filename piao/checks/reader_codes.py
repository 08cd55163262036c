"""The stable codes of the reader's warnings (`reader.<what>`), as data.

The readers (extract/) write their warnings as sentences; each kind is recognised
here by its wording and gets a code, a page when the sentence names one, and a
description in Italian and English. Kept apart from `reader.py` so the registry can
describe the codes without importing the findings it builds.
"""

from __future__ import annotations

import re

READER_PREFIX = "reader."
OTHER = READER_PREFIX + "other"
OCR_CELL_REREAD = READER_PREFIX + "ocr_cell_reread"

# (code, wording of the warning; a group "page" gives the finding's page, it, en)
WARNING_CODES: tuple[tuple[str, re.Pattern[str], str, str], ...] = (
    (READER_PREFIX + "scan_not_read",
     re.compile(r"page (?P<page>\d+) has no text layer, only images"),
     "Pagina senza testo (scansione) non letta: OCR disattivato",
     "Page without text (a scan) not read: OCR turned off"),
    (READER_PREFIX + "page_unreadable", re.compile(r"page (?P<page>\d+) could not be read"),
     "Pagina illeggibile: le altre pagine sono state lette",
     "Page could not be read: the other pages were read"),
    (READER_PREFIX + "ocr_pages", re.compile(r"pages? [\d, ]+ have no text layer: read by OCR"),
     "Pagine lette con OCR (testo riconosciuto dall'immagine)",
     "Pages read by OCR (text recognised from the image)"),
    (READER_PREFIX + "borderless_table", re.compile(r"borderless table"),
     "Tabella senza bordi: colonne ricavate dagli spazi",
     "Table without rules: columns inferred from whitespace"),
    (READER_PREFIX + "merge_without_start", re.compile(r"continues a vertical merge"),
     "Cella unita verticalmente senza inizio: letta come cella a sé",
     "Vertically merged cell with no start: read as a cell of its own"),
    (READER_PREFIX + "hidden_merged_text", re.compile(r"text in merged-away cell"),
     "Testo in una cella unita non visibile in Word: non letto",
     "Text in a merged-away cell, not shown by Word: not read"),
    (READER_PREFIX + "gzip", re.compile(r"gzip-compressed"),
     "File compresso con gzip (scaricato con Content-Encoding: gzip?)",
     "File was gzip-compressed (downloaded with Content-Encoding: gzip?)"),
    (READER_PREFIX + "p7m_base64", re.compile(r"envelope is Base64-encoded"),
     "Busta firmata codificata in Base64", "Signed envelope is Base64-encoded"),
    (READER_PREFIX + "junk_before_header", re.compile(r"junk before the %PDF header"),
     "Byte estranei prima dell'intestazione %PDF (ignorati)",
     "Junk bytes before the %PDF header (ignored)"),
    (READER_PREFIX + "no_pdf_header", re.compile(r"no %PDF header"),
     "Intestazione %PDF assente: letto comunque come PDF",
     "No %PDF header: read as a PDF anyway"),
)

DESCRIPTIONS: dict[str, tuple[str, str]] = {
    **{code: (it, en) for code, _, it, en in WARNING_CODES},
    OCR_CELL_REREAD: ("Cella riletta con OCR limitato ai caratteri della colonna",
                      "Cell read again by OCR with only its column's characters"),
    OTHER: ("Avviso del lettore", "Reader warning"),
}
