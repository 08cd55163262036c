"""ODT reader: an OpenDocument text (LibreOffice Writer .odt) → the layout IR.

The same IR as extract/docx.py gives for the same document, so a plan saved by
LibreOffice parses like its Word twin. Read with lxml straight from the package's
content.xml (and styles.xml for the named styles): odfpy would add a dependency
and a DOM for what is one pass over a tree.

- Tables: every `table:table-cell` is one IR Cell; `table:number-columns-spanned`
  and `table:number-rows-spanned` are its spans; a `table:covered-table-cell` only
  holds the grid position a span covers (text left in one is not displayed and is
  not read, with a warning, as DOCX's merged-away cells). `table:number-columns-repeated`
  and `table:number-rows-repeated` are expanded (bounded). Rows inside
  `table:table-header-rows`, `table:table-rows` and `table:table-row-group` are read
  once, in document order: repeating a header row on every page is layout, as the
  DOCX `w:tblHeader` row is read once.
- Shading: the cell style's `fo:background-color` (following the parent styles),
  other than transparent/white, marks the cell `filled` with `fill_color` "#rrggbb".
- Bold and size: a span's text style, else its paragraph style chain, else the
  default paragraph style; a paragraph or cell is bold when all its non-blank text is.
- Headings: `text:h` (its `text:outline-level`), or a paragraph style with a default
  outline level or named "Heading N"/"Titolo N".
- Text: ODF collapses white space in the XML (runs of spaces/newlines are one space);
  `text:s` (spaces), `text:tab` and `text:line-break` are the characters they stand
  for. Cell text is one line per non-blank paragraph, as in DOCX.
- ODT has no pages: `page=None`, `bbox=None`, `Document.pages` empty, like DOCX.
- Not read, as in DOCX: headers, footers, footnotes (`text:note`), comments
  (`office:annotation`), text boxes and frames (`draw:*`), tracked deletions.
- A table nested in a cell is emitted after its parent table, its text kept out of
  the outer cell; `Document.meta["nested_tables"]` records where it sat.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from extract.ir import Cell, Document, Element, ReaderError, Table, TextBlock
from extract.source import load_source

MIMETYPE = "application/vnd.oasis.opendocument.text"
# Real plans are a few MB of XML; more than this from one part is a ZIP bomb.
MAX_PART_BYTES = 256 * 1024 * 1024
# Writer files rarely repeat rows or columns; spreadsheet-like tables repeat an empty
# row a million times. Expanding beyond this would be a bomb, not a plan.
MAX_REPEAT = 1000

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


_HEADING_NAME = re.compile(r"^(?:heading|titolo)[\s_]*(?:_20_)?([1-9])$", re.IGNORECASE)
_NO_COLOUR = {"", "transparent", "#ffffff", "none"}
_WS = re.compile(r"[ \t\r\n]+")
# Placeholders (private-use characters) for text:s, text:tab and text:line-break while the
# XML white space around them is collapsed: they are characters, not white space to fold.
_SPACE, _TAB, _BREAK = "\ue000", "\ue001", "\ue002"

# Containers whose children are block content read in order (sections, lists, indexes,
# tracked insertions); anything else that is not a paragraph or a table has no body text.
_BLOCK_CONTAINERS = {q(n) for n in (
    "text:section", "text:list", "text:list-item", "text:list-header", "text:index-body",
    "text:table-of-content", "text:illustration-index", "text:table-index",
    "text:alphabetical-index", "text:user-index", "text:bibliography", "text:object-index",
    "text:index-title", "office:text",
)}
# Inline elements whose text is not on the page of the body (or is not text at all).
_INLINE_SKIP = {q(n) for n in (
    "text:note", "office:annotation", "office:annotation-end", "text:bookmark-ref",
    "text:tracked-changes", "text:sequence-decls", "text:variable-decls",
    "text:user-field-decls",
)}
_ROW_CONTAINERS = {q(n) for n in ("table:table-header-rows", "table:table-rows",
                                  "table:table-row-group")}


def read_odt(source: str | Path | bytes, *, name: str | None = None) -> Document:
    """Read a .odt file (path or bytes) into a Document; ReaderError if it cannot be read."""
    data, source_name = load_source(source, name)
    content, styles_xml = _parts(data)
    content_root = _parse(content, "content.xml")
    styles_root = _parse(styles_xml, "styles.xml") if styles_xml else None
    styles = _Styles(styles_root, content_root)
    body = content_root.find(f"{q('office:body')}/{q('office:text')}")
    if body is None:
        raise ReaderError("not_odt", "an OpenDocument package without a text body (not a Writer document)")
    walker = _BodyWalker(styles)
    walker.walk(body)
    doc = Document(source=source_name, format="odt", elements=walker.elements, pages=[],
                   warnings=walker.warnings)
    if walker.nested:
        doc.meta["nested_tables"] = walker.nested
    return doc


# --------------------------------------------------------------------------- container


def _parts(data: bytes) -> tuple[bytes, bytes | None]:
    """content.xml and styles.xml of the package, refusing what is not an ODT."""
    if not data:
        raise ReaderError("empty", "the file is empty (0 bytes)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        if b"PK\x05\x06" not in data[-(65536 + 22):]:
            raise ReaderError("truncated", "the ODT archive is truncated: the ZIP central "
                              f"directory is missing ({len(data)} bytes read)") from exc
        raise ReaderError("corrupt", f"the ODT archive is damaged: {exc}") from exc
    with archive:
        names = set(archive.namelist())
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip() \
            if "mimetype" in names else ""
        if mimetype and mimetype != MIMETYPE:
            raise ReaderError("not_odt", f"an OpenDocument file of another kind ({mimetype}), "
                              "not a text document")
        if "content.xml" not in names:
            raise ReaderError("missing_part", "the ODT package has no content.xml")
        for part in ("content.xml", "styles.xml"):
            if part in names and archive.getinfo(part).file_size > MAX_PART_BYTES:
                raise ReaderError("too_large", f"part {part} inflates to "
                                  f"{archive.getinfo(part).file_size} bytes (limit {MAX_PART_BYTES})")
        try:
            content = archive.read("content.xml")
            styles = archive.read("styles.xml") if "styles.xml" in names else None
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise ReaderError("corrupt", f"the ODT archive is damaged: {exc}") from exc
    return content, styles


def _parse(xml: bytes, part: str):
    # No entity expansion, no network: a hostile file cannot make lxml fetch or explode.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise ReaderError("corrupt", f"{part} of the ODT is not well-formed XML: {exc}") from exc


# --------------------------------------------------------------------------- styles


@dataclass
class _Props:
    bold: bool | None = None
    size: float | None = None
    heading: int = 0
    fill: str | None = None


class _Styles:
    """Effective properties per (family, style name), following style:parent-style-name."""

    def __init__(self, styles_root, content_root) -> None:
        self._by_key: dict[tuple[str, str], object] = {}
        self._defaults: dict[str, object] = {}
        for root in (styles_root, content_root):  # automatic styles (content) win
            if root is None:
                continue
            for el in root.iter(q("style:style")):
                self._by_key[(el.get(q("style:family")), el.get(q("style:name")))] = el
            for el in root.iter(q("style:default-style")):
                self._defaults[el.get(q("style:family"))] = el
        self._cache: dict[tuple[str, str | None], _Props] = {}
        default = self._defaults.get("paragraph")
        own = _own_props(default) if default is not None else _Props()
        self.default_bold = bool(own.bold)
        self.default_size = own.size

    def props(self, family: str, name: str | None) -> _Props:
        key = (family, name)
        if key not in self._cache:
            self._cache[key] = self._resolve(family, name, 0)
        return self._cache[key]

    def _resolve(self, family: str, name: str | None, depth: int) -> _Props:
        el = self._by_key.get((family, name)) if name else None
        if el is None or depth > 20:  # unknown name, or a parent loop
            return _Props()
        own = _own_props(el)
        parent = el.get(q("style:parent-style-name"))
        if parent and (own.bold is None or own.size is None or not own.heading or own.fill is None):
            up = self._resolve(family, parent, depth + 1)
            own.bold = up.bold if own.bold is None else own.bold
            own.size = up.size if own.size is None else own.size
            own.heading = own.heading or up.heading
            own.fill = up.fill if own.fill is None else own.fill
        return own


def _own_props(el) -> _Props:
    props = _Props()
    text = el.find(q("style:text-properties"))
    if text is not None:
        weight = text.get(q("fo:font-weight"))
        if weight is not None:
            props.bold = weight == "bold" or (weight.isdigit() and int(weight) >= 600)
        props.size = _points(text.get(q("fo:font-size")))
    level = el.get(q("style:default-outline-level"))
    if level and level.isdigit() and 1 <= int(level) <= 10:
        props.heading = int(level)
    else:
        for candidate in (el.get(q("style:name")), el.get(q("style:display-name"))):
            if candidate and (m := _HEADING_NAME.match(candidate.strip())):
                props.heading = int(m.group(1))
                break
    cell = el.find(q("style:table-cell-properties"))
    if cell is not None and cell.get(q("fo:background-color")) is not None:
        colour = cell.get(q("fo:background-color")).strip().lower()
        # "" records an explicit "no fill" that stops the parent's fill from applying
        props.fill = colour if re.fullmatch(r"#[0-9a-f]{6}", colour) and colour not in _NO_COLOUR else ""
    return props


def _points(value: str | None) -> float | None:
    """"9pt" → 9.0; other units converted; a percentage is relative, not a size."""
    if not value:
        return None
    m = re.fullmatch(r"\s*([\d.]+)\s*(pt|in|cm|mm|px|pc)\s*", value)
    if not m:
        return None
    factor = {"pt": 1, "in": 72, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, "pc": 12}[m.group(2)]
    return round(float(m.group(1)) * factor, 2)


# --------------------------------------------------------------------------- body walk


@dataclass
class _Line:
    text: str
    all_bold: bool  # every non-blank piece bold (False when there is none)
    size: float | None
    heading: int


@dataclass
class _BodyWalker:
    styles: _Styles
    elements: list[Element] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    nested: list[dict] = field(default_factory=list)
    table_count: int = 0

    def walk(self, container) -> None:
        for child in container.iterchildren(tag=etree.Element):
            tag = child.tag
            if tag in (q("text:p"), q("text:h")):
                line = self.paragraph(child)
                if line.text.strip():
                    self.elements.append(TextBlock(text=line.text, bold=line.all_bold,
                                                   size=line.size, heading=line.heading))
            elif tag == q("table:table"):
                self.table(child)
            elif tag in _BLOCK_CONTAINERS:
                self.walk(child)

    # ----------------------------------------------------------------- paragraphs

    def paragraph(self, p) -> _Line:
        pstyle = self.styles.props("paragraph", p.get(q("text:style-name")))
        heading = pstyle.heading
        if p.tag == q("text:h"):
            level = p.get(q("text:outline-level"), "1")
            heading = int(level) if level.isdigit() and int(level) > 0 else 1
        pieces: list[tuple[str, bool, float | None]] = []
        base_bold = self.styles.default_bold if pstyle.bold is None else pstyle.bold
        base_size = pstyle.size if pstyle.size is not None else self.styles.default_size
        self._inline(p, base_bold, base_size, pieces)
        text = _collapse("".join(t for t, _, _ in pieces))
        visible = [(t, b, s) for t, b, s in pieces if t.strip()]
        sizes: dict[float, int] = {}
        for t, _, s in visible:
            if s is not None:
                sizes[s] = sizes.get(s, 0) + len(t.strip())
        size = max(sizes, key=sizes.get) if sizes else None
        return _Line(text, bool(visible) and all(b for _, b, _ in visible), size, heading)

    def _inline(self, el, bold: bool, size: float | None, out: list) -> None:
        """Text of `el` and its inline children, each piece with its bold/size."""
        if el.text:
            out.append((el.text, bold, size))
        for child in el.iterchildren():
            if isinstance(child.tag, str) and child.tag not in _INLINE_SKIP \
                    and not child.tag.startswith("{urn:oasis:names:tc:opendocument:xmlns:drawing"):
                tag = child.tag
                if tag == q("text:s"):
                    count = child.get(q("text:c"), "1")
                    out.append((_SPACE * min(_int(count, 1), MAX_REPEAT), bold, size))
                elif tag == q("text:tab"):
                    out.append((_TAB, bold, size))
                elif tag == q("text:line-break"):
                    out.append((_BREAK, bold, size))
                else:
                    span = self.styles.props("text", child.get(q("text:style-name")))
                    self._inline(child, bold if span.bold is None else span.bold,
                                 size if span.size is None else span.size, out)
            if child.tail:  # the text after an element belongs to the element's parent
                out.append((child.tail, bold, size))

    # ----------------------------------------------------------------- tables

    def table(self, tbl) -> None:
        table_index = self.table_count
        self.table_count += 1
        n_declared = sum(_repeat(c, "table:number-columns-repeated")
                         for c in tbl.iter(q("table:table-column")) if _owner(c) is tbl)
        cells: list[Cell] = []
        nested: list[tuple[object, int, int]] = []
        rows = list(_rows(tbl))
        for row_index, tr in enumerate(rows):
            col = 0
            for tc in tr.iterchildren(q("table:table-cell"), q("table:covered-table-cell")):
                repeat = _repeat(tc, "table:number-columns-repeated")
                if tc.tag == q("table:covered-table-cell"):
                    lines, _, inner = self.cell_content(tc)
                    self._hidden_text("\n".join(lines), table_index, row_index, col)
                    nested += [(t, row_index, col) for t in inner]
                    col += repeat
                    continue
                lines, bold, inner = self.cell_content(tc)
                fill = self.styles.props("table-cell", tc.get(q("table:style-name"))).fill or None
                colspan = max(1, _int(tc.get(q("table:number-columns-spanned")), 1))
                rowspan = max(1, _int(tc.get(q("table:number-rows-spanned")), 1))
                rowspan = min(rowspan, len(rows) - row_index)
                for k in range(repeat):
                    cells.append(Cell(row=row_index, col=col + k * colspan, text="\n".join(lines),
                                      rowspan=rowspan, colspan=colspan, filled=fill is not None,
                                      fill_color=fill, bold=bold))
                nested += [(t, row_index, col) for t in inner]
                # the covered cells that follow in this row hold the spanned positions
                col += repeat
        n_cols = max([n_declared] + [c.col + c.colspan for c in cells])
        self.elements.append(Table(cells=cells, n_rows=len(rows), n_cols=n_cols, pages=[]))
        for inner_tbl, row, col in nested:
            self.nested.append({"table": self.table_count, "parent": table_index, "row": row,
                                "col": col})
            self.table(inner_tbl)

    def cell_content(self, tc) -> tuple[list[str], bool, list]:
        lines: list[str] = []
        bold_flags: list[bool] = []
        inner: list = []

        def visit(container) -> None:
            for child in container.iterchildren(tag=etree.Element):
                if child.tag in (q("text:p"), q("text:h")):
                    line = self.paragraph(child)
                    if line.text.strip():
                        lines.append(line.text)
                        bold_flags.append(line.all_bold)
                elif child.tag == q("table:table"):
                    inner.append(child)
                elif child.tag in _BLOCK_CONTAINERS:
                    visit(child)

        visit(tc)
        return lines, bool(bold_flags) and all(bold_flags), inner

    def _hidden_text(self, text: str, table_index: int, row: int, col: int) -> None:
        if text.strip():
            self.warnings.append(
                f"table {table_index}: text in a covered cell at row {row} col {col} "
                f"is not displayed and was not read: {text[:60]!r}")


def _rows(tbl):
    """The table's own rows in order (header rows, row groups), repeated rows expanded."""
    def visit(container):
        for child in container.iterchildren(tag=etree.Element):
            if child.tag == q("table:table-row"):
                yield from [child] * _repeat(child, "table:number-rows-repeated")
            elif child.tag in _ROW_CONTAINERS:
                yield from visit(child)
    return visit(tbl)


def _owner(el):
    """The table:table an element belongs to (not one nested deeper)."""
    node = el.getparent()
    while node is not None and node.tag != q("table:table"):
        node = node.getparent()
    return node


def _repeat(el, attr: str) -> int:
    return min(max(1, _int(el.get(q(attr)), 1)), MAX_REPEAT)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _collapse(text: str) -> str:
    """ODF white-space rule: runs of XML white space are one space, trimmed at the ends;
    the characters text:s/text:tab/text:line-break stand for are kept as they are."""
    text = _WS.sub(" ", text).strip(" ")
    return text.replace(_SPACE, " ").replace(_TAB, "\t").replace(_BREAK, "\n")
