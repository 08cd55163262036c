"""DOCX reader: a Word/LibreOffice .docx → the layout IR.

python-docx opens the package and resolves styles; the body and the tables
are walked on the underlying WordprocessingML elements, because python-docx's
`row.cells` repeats a merged cell at every grid position it covers (and for a
vertical merge returns the *origin* cell for the `continue` rows), so counting
its cells cannot tell a span from a repetition. Walking `<w:tc>` elements gives
exactly one IR Cell per cell the author drew:

- `w:gridSpan` → colspan; `w:gridBefore` shifts the first cell of a row;
- `w:vMerge="restart"` opens a vertical merge, each following `w:vMerge`
  (no value, or "continue") in the same grid column and with the same width
  extends that cell's rowspan; a `continue` with nothing to continue becomes
  a cell of its own (and a warning);
- the legacy `w:hMerge` (old Word, some converters) extends colspan the same way.

Choices a caller should know about:

- DOCX has no pages: every element has `page=None`, `bbox=None`, and
  `Document.pages` is empty.
- Cell text is one line per non-blank paragraph ("\n" between them), so list
  items stay separate lines; automatic list numbers and bullets (w:numPr) are
  not text in the file and are not invented here.
- A table nested inside a cell is emitted as its own Table right after the
  table that contains it (depth first), and its text is kept out of the outer
  cell. `Document.meta["nested_tables"]` records, for every nested table, its
  index among the document's tables and the (table, row, col) it sits in.
- Bold: a run is bold when its own properties say so, else its character
  style, else its paragraph style (following `basedOn`), else the document
  defaults. Table-style conditional formatting (e.g. "bold first row" of a
  table style) is not resolved. A cell or paragraph is bold when all its
  non-blank runs are bold.
- Shading: `w:tcPr/w:shd/@w:fill` (or a solid pattern colour) other than
  "auto"/white marks the cell `filled`, with `fill_color` "#rrggbb".
- Headings: paragraph styles named or identified "Heading N" / "Titolo N"
  (Word's English and Italian names), else an explicit outline level.
- Text in headers, footers, footnotes, comments and text boxes is not read.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as open_package
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.run import Run
from lxml import etree

from extract.ir import Cell, Document, Element, ReaderError, Table, TextBlock
from extract.source import load_source

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK"
ZIP_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"
# A main document part larger than this is refused rather than parsed: real
# plans are a few MB of XML, a ZIP bomb is not.
MAX_PART_BYTES = 256 * 1024 * 1024

_HEADING_STYLE = re.compile(r"^(?:heading|titolo)\s*([1-9])$", re.IGNORECASE)
_NO_COLOUR = {"", "auto", "ffffff", "none"}

# Runs that are visible text of a paragraph, in document order: plain runs and
# runs wrapped in hyperlinks, tracked insertions, smart tags, simple fields,
# inline content controls. Deleted runs (w:del) are not text.
_RUN_XPATH = (
    "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r"
    " | ./w:fldSimple/w:r | ./w:sdt/w:sdtContent/w:r"
    " | ./w:customXml/w:r | ./w:hyperlink/w:ins/w:r"
)


def read_docx(source: str | Path | bytes, *, name: str | None = None) -> Document:
    """Read a .docx file (path or bytes) into a Document; ReaderError if it cannot be read."""
    data, source_name = load_source(source, name)
    _check_container(data)
    try:
        package = open_package(io.BytesIO(data))
    except PackageNotFoundError as exc:
        raise ReaderError("not_docx", f"not a Word document: {exc}") from exc
    except KeyError as exc:
        raise ReaderError(
            "missing_part", f"the DOCX package is missing a part it refers to: {exc}"
        ) from exc
    except ValueError as exc:
        # python-docx raises ValueError for an OOXML package of another kind
        # (a spreadsheet or a presentation renamed .docx).
        raise ReaderError("not_docx", f"not a Word document: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise ReaderError("corrupt", f"a part of the DOCX is not well-formed XML: {exc}") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ReaderError("corrupt", f"the DOCX archive is damaged: {exc}") from exc

    walker = _BodyWalker(package)
    try:
        walker.walk_container(package.element.body)
    except etree.XMLSyntaxError as exc:
        raise ReaderError("corrupt", f"a part of the DOCX is not well-formed XML: {exc}") from exc
    doc = Document(
        source=source_name, format="docx", elements=walker.elements, pages=[],
        warnings=walker.warnings,
    )
    if walker.nested:
        doc.meta["nested_tables"] = walker.nested
    return doc


# --------------------------------------------------------------------------- container


def _check_container(data: bytes) -> None:
    """Refuse what is not a readable DOCX ZIP before python-docx sees it, with a precise kind."""
    if not data:
        raise ReaderError("empty", "the file is empty (0 bytes)")
    if data.startswith(OLE2_MAGIC):
        raise ReaderError(
            "doc_binary",
            "this is a Word 97-2003 binary document (.doc, OLE2 compound file), not a .docx; "
            "convert it first, e.g. `soffice --headless --convert-to docx FILE`",
        )
    if data.startswith(b"%PDF"):
        raise ReaderError("not_docx", "this is a PDF file, not a .docx")
    if not data.startswith(ZIP_MAGIC):
        raise ReaderError(
            "not_docx", f"not a .docx: a DOCX is a ZIP archive, this file starts with {data[:8]!r}"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        # The central directory sits at the end of a ZIP: a file cut short has
        # its local headers but no end-of-central-directory record.
        if ZIP_END_OF_CENTRAL_DIRECTORY not in data[-(65536 + 22):]:
            raise ReaderError(
                "truncated",
                f"the DOCX archive is truncated: the ZIP central directory is missing "
                f"({len(data)} bytes read)",
            ) from exc
        raise ReaderError("corrupt", f"the DOCX archive is damaged: {exc}") from exc
    with archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            raise ReaderError(
                "not_docx",
                "a ZIP archive without [Content_Types].xml: not an Office Open XML document",
            )
        for info in archive.infolist():
            if info.filename.endswith(".xml") and info.file_size > MAX_PART_BYTES:
                raise ReaderError(
                    "too_large",
                    f"part {info.filename} inflates to {info.file_size} bytes "
                    f"(limit {MAX_PART_BYTES}); refusing to parse it",
                )


# --------------------------------------------------------------------------- styles


@dataclass
class _StyleProps:
    bold: bool | None
    size: float | None
    heading: int


class _Styles:
    """Effective bold / size / heading level per style id, following basedOn, cached."""

    def __init__(self, package) -> None:
        # Accessing .styles creates a default styles part when the package has
        # none (python-docx-sty-having-no-styles-part.docx): defaults then apply.
        self._styles_el = package.styles.element
        self._by_id = {
            s.get(qn("w:styleId")): s for s in self._styles_el.findall(qn("w:style"))
        }
        self._cache: dict[str, _StyleProps] = {}
        self.default_bold, self.default_size = self._doc_defaults()
        self.default_paragraph = self._default_id("paragraph")
        self.default_character = self._default_id("character")

    def _doc_defaults(self) -> tuple[bool, float | None]:
        rpr = self._styles_el.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is None:
            return False, None
        return bool(_toggle(rpr, "w:b")), _half_points(rpr)

    def _default_id(self, kind: str) -> str | None:
        for style_id, el in self._by_id.items():
            if el.get(qn("w:type")) == kind and el.get(qn("w:default")) in ("1", "true", "on"):
                return style_id
        return None

    def props(self, style_id: str | None) -> _StyleProps:
        if not style_id:
            return _StyleProps(None, None, 0)
        if style_id not in self._cache:
            self._cache[style_id] = self._resolve(style_id, depth=0)
        return self._cache[style_id]

    def _resolve(self, style_id: str, depth: int) -> _StyleProps:
        el = self._by_id.get(style_id)
        if el is None or depth > 20:  # unknown id, or a basedOn loop
            return _StyleProps(None, None, 0)
        rpr = el.find(qn("w:rPr"))
        bold = _toggle(rpr, "w:b") if rpr is not None else None
        size = _half_points(rpr) if rpr is not None else None
        heading = _heading_level(el)
        based = el.find(qn("w:basedOn"))
        if based is not None and (bold is None or size is None or not heading):
            parent = self._resolve(based.get(qn("w:val")), depth + 1)
            bold = parent.bold if bold is None else bold
            size = parent.size if size is None else size
            heading = heading or parent.heading
        return _StyleProps(bold, size, heading)


def _heading_level(style_el) -> int:
    name_el = style_el.find(qn("w:name"))
    for candidate in (style_el.get(qn("w:styleId")), name_el.get(qn("w:val")) if name_el is not None else None):
        if candidate and (m := _HEADING_STYLE.match(candidate.strip())):
            return int(m.group(1))
    return _outline_level(style_el.find(qn("w:pPr")))


def _outline_level(ppr) -> int:
    if ppr is None:
        return 0
    lvl = ppr.find(qn("w:outlineLvl"))
    if lvl is None:
        return 0
    try:
        value = int(lvl.get(qn("w:val")))
    except (TypeError, ValueError):
        return 0
    return value + 1 if 0 <= value <= 8 else 0  # 9 = body text


def _toggle(rpr, tag: str) -> bool | None:
    """A toggle property (w:b): None when absent, else its on/off value."""
    el = rpr.find(qn(tag))
    if el is None:
        return None
    return el.get(qn("w:val"), "true").lower() not in ("0", "false", "off", "none")


def _half_points(rpr) -> float | None:
    el = rpr.find(qn("w:sz"))
    if el is None:
        return None
    try:
        return int(el.get(qn("w:val"))) / 2
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- body walk


@dataclass
class _Line:
    """One paragraph's text with the bold/size facts of its visible runs."""

    text: str
    all_bold: bool  # every non-blank run bold (False when there is none)
    size: float | None
    heading: int


@dataclass
class _BodyWalker:
    package: object
    elements: list[Element] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    nested: list[dict] = field(default_factory=list)
    table_count: int = 0

    def __post_init__(self) -> None:
        self.styles = _Styles(self.package)
        self.parent = self.package._body  # gives Run objects access to the document part

    def walk_container(self, container) -> None:
        """Body-level block content in order: paragraphs, tables, content controls."""
        for child in container.iterchildren():
            tag = child.tag
            if tag == qn("w:p"):
                line = self.paragraph(child)
                if line.text.strip():
                    self.elements.append(
                        TextBlock(text=line.text, bold=line.all_bold, size=line.size, heading=line.heading)
                    )
            elif tag == qn("w:tbl"):
                self.table(child)
            elif tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.walk_container(content)
            elif tag == qn("w:customXml"):
                self.walk_container(child)

    # ----------------------------------------------------------------- paragraphs

    def paragraph(self, p) -> _Line:
        ppr = p.find(qn("w:pPr"))
        style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style_id = style_el.get(qn("w:val")) if style_el is not None else self.styles.default_paragraph
        pstyle = self.styles.props(style_id)
        heading = pstyle.heading or _outline_level(ppr)

        parts: list[str] = []
        bold_flags: list[bool] = []
        sizes: dict[float, int] = {}
        for r in p.xpath(_RUN_XPATH):
            run = Run(r, self.parent)
            text = run.text
            if not text:
                continue
            parts.append(text)
            if not text.strip():
                continue
            bold, size = self._run_props(r, pstyle)
            bold_flags.append(bold)
            if size is not None:
                sizes[size] = sizes.get(size, 0) + len(text.strip())
        text = "".join(parts)
        # The size most of the visible characters are set in.
        size = max(sizes, key=sizes.get) if sizes else None
        return _Line(text=text, all_bold=bool(bold_flags) and all(bold_flags), size=size, heading=heading)

    def _run_props(self, r, pstyle: _StyleProps) -> tuple[bool, float | None]:
        rpr = r.find(qn("w:rPr"))
        bold = _toggle(rpr, "w:b") if rpr is not None else None
        size = _half_points(rpr) if rpr is not None else None
        if bold is None or size is None:
            rstyle_el = rpr.find(qn("w:rStyle")) if rpr is not None else None
            rstyle = self.styles.props(
                rstyle_el.get(qn("w:val")) if rstyle_el is not None else self.styles.default_character
            )
            for fallback in (rstyle, pstyle):
                bold = fallback.bold if bold is None else bold
                size = fallback.size if size is None else size
        bold = self.styles.default_bold if bold is None else bold
        size = self.styles.default_size if size is None else size
        return bool(bold), size

    # ----------------------------------------------------------------- tables

    def table(self, tbl) -> None:
        """Append the table, then (depth first) the tables nested in its cells."""
        table_index = self.table_count
        self.table_count += 1
        grid = tbl.find(qn("w:tblGrid"))
        n_grid = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0

        cells: list[Cell] = []
        nested: list[tuple[object, int, int]] = []  # (tbl element, row, col) in this table
        # Per grid column, the cell a following vMerge "continue" would extend.
        vertical: dict[int, Cell] = {}
        rows = tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr | ./w:customXml/w:tr")
        for row_index, tr in enumerate(rows):
            col = _int_attr(tr, "w:trPr/w:gridBefore")
            previous: Cell | None = None
            for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc | ./w:customXml/w:tc"):
                tcpr = tc.find(qn("w:tcPr"))
                span = max(1, _int_attr(tcpr, "w:gridSpan", default=1)) if tcpr is not None else 1
                vmerge = _merge_value(tcpr, "w:vMerge")
                hmerge = _merge_value(tcpr, "w:hMerge")
                lines, bold, inner = self.cell_content(tc)
                text = "\n".join(lines)

                if hmerge == "continue" and previous is not None and previous.row == row_index:
                    previous.colspan += span
                    nested += [(t, previous.row, previous.col) for t in inner]
                    self._hidden_text(text, table_index, row_index, col)
                    col += span
                    continue

                above = vertical.get(col)
                if (
                    vmerge == "continue"
                    and above is not None
                    and above.colspan == span
                    and above.row + above.rowspan == row_index
                ):
                    above.rowspan += 1
                    nested += [(t, above.row, above.col) for t in inner]
                    self._hidden_text(text, table_index, row_index, col)
                    previous = above
                    col += span
                    continue
                if vmerge == "continue":
                    self.warnings.append(
                        f"table {table_index}: row {row_index} col {col} continues a vertical "
                        f"merge that nothing above starts; read as a cell of its own"
                    )

                fill = _shading(tcpr)
                cell = Cell(
                    row=row_index, col=col, text=text, colspan=span,
                    filled=fill is not None, fill_color=fill, bold=bold,
                )
                cells.append(cell)
                nested += [(t, row_index, col) for t in inner]
                if vmerge in ("restart", "continue"):
                    vertical[col] = cell
                else:
                    vertical.pop(col, None)
                previous = cell
                col += span

        n_cols = max([n_grid] + [c.col + c.colspan for c in cells])
        self.elements.append(Table(cells=cells, n_rows=len(rows), n_cols=n_cols, pages=[]))
        for inner_tbl, row, col in nested:
            self.nested.append(
                {"table": self.table_count, "parent": table_index, "row": row, "col": col}
            )
            self.table(inner_tbl)

    def cell_content(self, tc) -> tuple[list[str], bool, list]:
        """Non-blank paragraph lines, all-bold flag, and nested tables of one cell."""
        lines: list[str] = []
        bold_flags: list[bool] = []
        inner: list = []

        def visit(container) -> None:
            for child in container.iterchildren():
                if child.tag == qn("w:p"):
                    line = self.paragraph(child)
                    if line.text.strip():
                        lines.append(line.text)
                        bold_flags.append(line.all_bold)
                elif child.tag == qn("w:tbl"):
                    inner.append(child)
                elif child.tag == qn("w:sdt"):
                    content = child.find(qn("w:sdtContent"))
                    if content is not None:
                        visit(content)
                elif child.tag == qn("w:customXml"):
                    visit(child)

        visit(tc)
        return lines, bool(bold_flags) and all(bold_flags), inner

    def _hidden_text(self, text: str, table_index: int, row: int, col: int) -> None:
        # Word shows only the first cell of a merge; text left in the others is
        # not on the page, so it is not read, but it is not dropped silently.
        if text.strip():
            self.warnings.append(
                f"table {table_index}: text in merged-away cell at row {row} col {col} "
                f"is not displayed by Word and was not read: {text[:60]!r}"
            )


def _int_attr(el, path: str, default: int = 0) -> int:
    if el is None:
        return default
    parts = path.split("/")
    node = el
    for part in parts:
        node = node.find(qn(part))
        if node is None:
            return default
    try:
        return int(node.get(qn("w:val")))
    except (TypeError, ValueError):
        return default


def _merge_value(tcpr, tag: str) -> str | None:
    if tcpr is None:
        return None
    el = tcpr.find(qn(tag))
    if el is None:
        return None
    # An absent value means "continue" (ECMA-376 17.4.85).
    return "restart" if el.get(qn("w:val")) == "restart" else "continue"


def _shading(tcpr) -> str | None:
    """The cell's background as "#rrggbb", or None when it has none (or white)."""
    if tcpr is None:
        return None
    shd = tcpr.find(qn("w:shd"))
    if shd is None:
        return None
    pattern = (shd.get(qn("w:val")) or "").lower()
    if pattern == "nil":
        return None
    fill = (shd.get(qn("w:fill")) or "").lower()
    if pattern == "solid":
        # A solid pattern paints the foreground colour over the fill.
        fill = (shd.get(qn("w:color")) or "").lower() or fill
    if fill in _NO_COLOUR or not re.fullmatch(r"[0-9a-f]{6}", fill):
        return None
    return "#" + fill
