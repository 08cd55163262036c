"""How to read a document: the settings every reader is handed by its caller.

One frozen object, passed down explicitly (read_document → read_pdf → OCR): no reader
looks at the environment or at module state to learn how to read. Fields marked
`output` change what is read, so they go into the pipeline's options hash (a rerun
with another backend or without OCR is not skipped as unchanged); the limits only say
when to give up and are applied by whoever runs the reader in a sandbox (piao/read.py).

`columns` is what the caller knows about the tables' columns (which header
spellings head a number column, how a month or period label reads): extract/ knows
PDFs, not PIAO, so the PIAO vocabulary comes from normalize (normalize/columns.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields

PDF_BACKENDS = ("pdfplumber", "pdfium")


def _no_month(text: str, position: int) -> int | None:
    return None


def _no_period(text: str) -> str | None:
    return None


@dataclass(frozen=True)
class ColumnVocabulary:
    """What tells the OCR cell re-reader (extract/ocr_cells.py) a column's kind.

    `number_headers`: header texts, folded (upper case, no accents, no spaces), over a
    column of numbers; `month_of_label(text, position)`: the month (1…12) a header cell
    names, `position` being its index in a run of month cells (initials read by place);
    `period_of_label(text)`: the quarter/semester a header cell names ("Q1", "S2"), or
    None. The default knows nothing: only columns typed by their own cells are re-read.
    """

    number_headers: frozenset[str] = frozenset()
    month_of_label: Callable[[str, int], int | None] = _no_month
    period_of_label: Callable[[str], str | None] = _no_period

    def is_month_run(self, labels: list[str]) -> bool:
        """Whether `labels` are the twelve months in order, as a schedule header prints them."""
        return len(labels) == 12 and all(self.month_of_label(t, i) == i + 1
                                         for i, t in enumerate(labels))


NO_COLUMNS = ColumnVocabulary()


_OUTPUT = {"output": True}


@dataclass(frozen=True)
class ReadSettings:
    pdf_backend: str = field(default="pdfium", metadata=_OUTPUT)  # or "pdfplumber", the reference
    ocr: bool = field(default=True, metadata=_OUTPUT)  # False: scans stay unread, with a warning
    ocr_language: str = field(default="ita", metadata=_OUTPUT)  # Tesseract's, e.g. "ita+eng"
    # Tesseract processes sharing one document's pages; 0: one per core the process may
    # use. A batch of N workers gives each its share of the cores.
    ocr_jobs: int = 0
    # Limits (seconds, MB), applied by the sandbox around the reader, not by the reader.
    time_limit_s: float = 600.0  # an 85-page plan reads in ~5 s; 600 s is a hung parser
    # Pages without a text layer are OCRed at a few seconds each (an 85-page scan ~5 min):
    # the reader asks for this much more per such page before OCR starts, up to the cap.
    ocr_time_per_page_s: float = 10.0
    time_limit_max_s: float = 3600.0
    memory_limit_mb: int = 2048  # address space the child may add (pdfplumber peaks ~400 MB)
    columns: ColumnVocabulary = field(default=NO_COLUMNS, compare=False)

    def __post_init__(self) -> None:
        if self.pdf_backend not in PDF_BACKENDS:
            raise ValueError(f"unknown PDF backend {self.pdf_backend!r}: expected "
                             f"{' or '.join(map(repr, PDF_BACKENDS))}")

    def output_fields(self) -> dict[str, object]:
        """The settings that change what is read (for an options hash)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.metadata.get("output")}


DEFAULT_SETTINGS = ReadSettings()  # no PIAO vocabulary: extract/ alone knows none

OcrStart = Callable[[int], None]  # told how many pages OCR is about to read, before it starts
