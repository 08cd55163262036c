"""The IR as text, for eyes: what `piao inspect FILE [--page N]` prints.

Per element: kind, page(s) and bbox; text blocks with [b] when bold; tables as
aligned grids where a spanned position shows `<-` (column-span continuation)
or `^` (row-span continuation), a shaded cell is prefixed with `▓`, a bold one
with `[b]`, and line breaks inside a cell show as `⏎`.
"""

from __future__ import annotations

from extract.ir import BBox, Cell, Document, Table, TextBlock

CELL_WIDTH = 18  # characters shown per grid column before truncation


def _bbox(b: BBox | None) -> str:
    return "(" + ", ".join(f"{v:.1f}" for v in b) + ")" if b else "(no bbox)"


def _where(page: int | None, line: int | None, pages: list[int | None] | None = None) -> str:
    if pages and len(pages) > 1:
        return "pages " + ",".join(str(p) for p in pages)
    if page is not None:
        return f"page {page}"
    return f"line {line}" if line is not None else "?"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _cell_label(cell: Cell) -> str:
    text = " ⏎ ".join(part.strip() for part in cell.text.strip().splitlines() if part.strip())
    prefix = ("▓" if cell.filled else "") + ("[b]" if cell.bold and text else "")
    return prefix + text


def format_table(table: Table, width: int = CELL_WIDTH) -> list[str]:
    grid: list[list[str]] = [[""] * table.n_cols for _ in range(table.n_rows)]
    for cell in table.cells:
        for r in range(cell.row, min(cell.row + cell.rowspan, table.n_rows)):
            for c in range(cell.col, min(cell.col + cell.colspan, table.n_cols)):
                if (r, c) == (cell.row, cell.col):
                    grid[r][c] = _cell_label(cell)
                else:
                    grid[r][c] = "^" if r > cell.row else "<-"
    if not grid or not table.n_cols:
        return ["  (empty table)"]
    widths = [max(1, min(width, max(len(row[c]) for row in grid))) for c in range(table.n_cols)]
    lines = ["     | " + " | ".join(f"{c:<{w}}"[:w] for c, w in zip(range(table.n_cols), widths))]
    for r, row in enumerate(grid):
        cells = " | ".join(f"{_clip(text, w):<{w}}" for text, w in zip(row, widths))
        lines.append(f"  {r:>2} | {cells}")
    return lines


def format_document(doc: Document, page: int | None = None) -> str:
    """Render the IR as text; with `page`, only the elements on that page."""
    out = [f"{doc.source}  [{doc.format}, {len(doc.pages)} pages]"]
    for key, value in doc.meta.items():
        out.append(f"  meta {key}: {value}")
    for warning in doc.warnings:
        out.append(f"  warning: {warning}")
    for info in doc.pages:
        if page is not None and info.number != page:
            continue
        if info.error:
            out.append(f"  page {info.number} ERROR: {info.error}")
        elif doc.format == "pdf":
            out.append(f"  page {info.number} read_mode: {info.read_mode}")
    for i, el in enumerate(doc.elements):
        if isinstance(el, Table):
            if page is not None and page not in el.pages:
                continue
            where = _where(el.page, el.line, el.pages)
            out.append("")
            out.append(f"#{i} table {el.n_rows}x{el.n_cols} {where} {_bbox(el.bbox)}")
            out.extend(format_table(el))
        elif isinstance(el, TextBlock):
            if page is not None and el.page != page:
                continue
            flags = "[b]" if el.bold else ""
            size = f" {el.size:g}pt" if el.size else ""
            heading = f" h{el.heading}" if el.heading else ""
            out.append("")
            out.append(
                f"#{i} text {_where(el.page, el.line)} {_bbox(el.bbox)}{size}{heading} {flags}"
            )
            out.extend("    " + line for line in el.text.splitlines())
    return "\n".join(out)
