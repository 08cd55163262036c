"""Reader for PDF-to-Markdown converter output (Markdown with inline HTML).

Converters render Word tables either as tab-separated lines (one line per row,
cells may hold inline HTML such as <b>, <p>, <ul><li>) or as HTML <table>
blocks. Markdown has no pages and no geometry: every element carries its
source line instead, and column spans of tab rows are lost (each tab cell is
one grid column) — the normaliser accounts for that.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import lxml.html

from extract.ir import Cell, Document, ReaderError, Table, TextBlock

_BLOCK_BREAK = re.compile(r"(?i)<\s*(br|/p|/li|/div|/tr|/h\d)\s*/?>")
_LI_OPEN = re.compile(r"(?i)<\s*li[^>]*>")
_TAG = re.compile(r"<[^>]+>")
_BOLD_WRAPPED = re.compile(r"^(?:\*\*|__|<b>|<strong>)(.*?)(?:\*\*|__|</b>|</strong>)$", re.S)
_MD_STRONG = re.compile(r"\*\*|__")
_MD_EM = re.compile(r"(?<!\*)\*(?!\s)([^*\n]*?\S)\*(?!\*)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def inline_to_text(fragment: str) -> str:
    """Text of a cell or paragraph: HTML/Markdown markup removed, line structure kept."""
    s = _LI_OPEN.sub("\n", fragment)
    s = _BLOCK_BREAK.sub("\n", s)
    s = _TAG.sub("", s)
    s = _MD_EM.sub(r"\1", _MD_STRONG.sub("", s.replace("***", "**")))
    s = html.unescape(s).replace("\xa0", " ")
    lines = [ln.strip() for ln in s.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _is_bold(fragment: str) -> bool:
    """True when all visible text sits inside bold markup."""
    frag = fragment.strip()
    if not inline_to_text(frag):
        return False
    # drop bold spans, then see if any visible text is left
    rest = re.sub(r"(?is)<(b|strong)>.*?</\1>", "", frag)
    rest = re.sub(r"(?s)\*\*.*?\*\*", "", rest)
    return not inline_to_text(rest)


def _tab_row(line: str, row: int, lineno: int) -> list[Cell]:
    return [
        Cell(row=row, col=k, text=inline_to_text(raw), line=lineno, bold=_is_bold(raw))
        for k, raw in enumerate(line.split("\t"))
    ]


def _tab_table(rows: list[tuple[int, str]]) -> Table:
    cells: list[Cell] = []
    for r, (lineno, line) in enumerate(rows):
        cells.extend(_tab_row(line, r, lineno))
    n_cols = max(c.col for c in cells) + 1
    return Table(cells=cells, n_rows=len(rows), n_cols=n_cols, pages=[None], line=rows[0][0])


def _html_table(markup: str, lineno: int) -> Table:
    """An HTML <table>: honour rowspan/colspan by filling a occupancy grid."""
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    trs = root.xpath(".//tr")
    for r, tr in enumerate(trs):
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in taken:
                c += 1
            rs = int(td.get("rowspan", "1") or 1)
            cs = int(td.get("colspan", "1") or 1)
            inner = lxml.html.tostring(td, encoding="unicode")
            inner = re.sub(r"(?is)^<t[dh][^>]*>|</t[dh]>\s*$", "", inner)
            bold = td.tag == "th" or _is_bold(inner)
            cells.append(Cell(r, c, inline_to_text(inner), rs, cs, line=lineno, bold=bold))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            c += cs
    n_rows = max((r for r, _ in taken), default=-1) + 1
    n_cols = max((c for _, c in taken), default=-1) + 1
    return Table(cells=cells, n_rows=n_rows, n_cols=n_cols, pages=[None], line=lineno)


def _paragraph(lines: list[tuple[int, str]]) -> list[TextBlock]:
    """One block per paragraph; bold runs glued by the converter ("**A****B**") are split."""
    lineno = lines[0][0]
    text = "\n".join(s.rstrip() for _, s in lines)
    m = _HEADING.match(text)
    if m:
        body = m.group(2)
        return [
            TextBlock(
                inline_to_text(body), line=lineno, heading=len(m.group(1)), bold=_is_bold(body)
            )
        ]
    parts = [p for p in re.split(r"(?<=\*\*)(?=\*\*)", text) if p.strip()]
    blocks = []
    for part in parts:
        t = inline_to_text(part)
        if t:
            blocks.append(TextBlock(t, line=lineno, bold=_is_bold(part.replace("\n", " "))))
    return blocks


def _continues(table: Table, first_row: str) -> bool:
    """A tab block after blank lines continues the previous table when its first row looks
    carried over a page break: first cell empty, no bold header cell, same column count."""
    cells = first_row.split("\t")
    return (
        not inline_to_text(cells[0])
        and not any(_is_bold(c) for c in cells)
        and abs(len(cells) - table.n_cols) <= 1
    )


def read_markdown(source: str | Path | bytes, *, name: str | None = None) -> Document:
    if isinstance(source, bytes):
        raw, src = source, name or "<bytes>"
    else:
        raw, src = Path(source).read_bytes(), name or str(source)
    if not raw.strip():
        raise ReaderError("empty", "empty file: no text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    doc = Document(source=src, format="md")
    lines = text.splitlines()

    i = 0
    para: list[tuple[int, str]] = []
    open_table: Table | None = None  # a table that blank lines alone may still continue

    def flush_para():
        if para:
            doc.elements.extend(_paragraph(para))
            para.clear()

    while i < len(lines):
        lineno, line = i + 1, lines[i]
        if re.match(r"(?i)^\s*<table", line):
            flush_para()
            j = i
            while j < len(lines) and not re.search(r"(?i)</table>", lines[j]):
                j += 1
            doc.elements.append(_html_table("\n".join(lines[i : j + 1]), lineno))
            open_table = None
            i = j + 1
            continue
        if "\t" in line and line.strip():
            flush_para()
            rows: list[tuple[int, str]] = []
            while i < len(lines) and "\t" in lines[i] and lines[i].strip():
                rows.append((i + 1, lines[i]))
                i += 1
            if open_table is not None and _continues(open_table, rows[0][1]):
                _append_rows(open_table, rows)
            else:
                open_table = _tab_table(rows)
                doc.elements.append(open_table)
            continue
        if not line.strip():
            flush_para()
            i += 1
            continue
        open_table = None  # text between two tables: the second one is a new table
        if (
            _HEADING.match(line)
            or line.lstrip().startswith(("- ", "* "))
            or re.match(r"^\s*\d+\.\s", line)
        ):
            flush_para()
            para.append(
                (lineno, line.lstrip()[2:] if line.lstrip().startswith(("- ", "* ")) else line)
            )
            flush_para()
        else:
            para.append((lineno, line))
        i += 1
    flush_para()
    return doc


def _append_rows(table: Table, rows: list[tuple[int, str]]) -> None:
    for lineno, line in rows:
        new = _tab_row(line, table.n_rows, lineno)
        table.cells.extend(new)
        table.n_rows += 1
        table.n_cols = max(table.n_cols, len(new))
