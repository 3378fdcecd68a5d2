"""Blocks → .docx. The words come from the templates; the look from a reference document.

The reference document (the house style) supplies styles, page setup, header and
footer. The default is templates/huisstijl.docx; a municipality can bring its own
.docx or .dotx. A style missing from it falls back to a near one, with a warning.

What a Word user expects is built in: a title page, a table of contents that
fills in when the document is opened, real heading and list styles (numbering
restarts per list), tables with a repeating header row, "Pagina X van Y", document
properties and Dutch as the language.
"""

from __future__ import annotations

import datetime as dt
import stat
import struct
from collections.abc import Sequence
from pathlib import Path

from wizard import blocks as b
from wizard import cache, provenance, textwidth
from wizard.documents import Meta
from wizard.errors import UserError
from wizard.resources import templates_dir
from wizard.wordpackage import (
    HEADER_MARK,
    LANGUAGE,
    MAX_TEMPLATE_BYTES,
    MAX_UNPACKED_BYTES,
    OF_MARK,
    PAGE_MARK,
    Entry,
    HouseStyle,
    Skeleton,
    compress,
    wrong_kind,
)

__all__ = ["MAX_UNPACKED_BYTES", "HouseStyle", "default_style", "load_style", "write"]

_DEFAULT_STYLE: HouseStyle | None = None


def default_style() -> HouseStyle:
    """The bundled house style (loaded once per process)."""
    global _DEFAULT_STYLE
    if _DEFAULT_STYLE is None:
        path = templates_dir() / "huisstijl.docx"
        _DEFAULT_STYLE = load_style(path)
    return _DEFAULT_STYLE


def load_style(path: Path) -> HouseStyle:
    """Check a municipality's .docx or .dotx and return it as a house style.

    Raises UserError (in Dutch) for a missing, unreadable, non-Word or oversized
    file, and for a zip bomb. Missing styles are warnings, not errors.
    """
    if not path.exists():
        raise UserError(f"het huisstijlbestand '{path}' bestaat niet.", "Controleer de naam en de map.")
    if path.is_dir():
        raise UserError(f"'{path}' is een map, geen Word-bestand.", "Geef een .docx- of .dotx-bestand op.")
    if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block, a device never end
        raise UserError(
            f"het huisstijlbestand '{path}' is geen gewoon bestand (maar bijvoorbeeld een pijp of een apparaat).",
            "Geef een .docx- of .dotx-bestand op dat op schijf staat.",
        )
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise UserError(
            f"het huisstijlbestand '{path.name}' is te groot (meer dan 20 MB).",
            "Gebruik een kleiner sjabloon.",
        )
    with path.open("rb") as stream:
        data = stream.read(MAX_TEMPLATE_BYTES + 1)  # capped, also when the file grows meanwhile
    if len(data) > MAX_TEMPLATE_BYTES:
        raise UserError(
            f"het huisstijlbestand '{path.name}' is te groot (meer dan 20 MB).",
            "Gebruik een kleiner sjabloon.",
        )
    if path.suffix.lower() not in (".docx", ".dotx"):
        raise UserError(*wrong_kind(path.name, path.suffix.lower(), data))
    return cache.cached("huisstijl", [data, path.name.encode()], lambda: _prepare(data, path))


def _prepare(data: bytes, path: Path) -> HouseStyle:
    """Open the house style with python-docx (only when it is not in the cache)."""
    from wizard import housestyle

    return housestyle.prepare(data, path)


# --- writing -------------------------------------------------------------------------


def write(
    document_blocks: Sequence[b.Block],
    meta: Meta,
    style: HouseStyle | None = None,
    origin: provenance.Provenance | None = None,
) -> bytes:
    """Return the .docx bytes for the blocks in the given house style; `origin`: what the
    document was made from, kept in the package for `bijwerken` (wizard/provenance.py)."""
    style = style or default_style()
    skeleton = style.base
    if skeleton is None:
        raise ValueError("a HouseStyle comes from load_style(), which prepares its package")
    meta = _clean_meta(meta)
    writer = _Writer(skeleton, style, meta)
    if meta.title_page:
        writer.title_page(meta)
    headings = [blk for blk in document_blocks if isinstance(blk, b.Heading)]
    kept = _kept_together(document_blocks)
    for index, block in enumerate(document_blocks):
        writer.keep = kept.get(index, "")
        writer.block(block, headings)
    body_end = skeleton.body_end
    if not meta.title_page and not style.own_first_page:
        # No title page: the first page is a page like the others, with header and page number.
        body_end = body_end.replace("<w:titlePg/>", "")
    changed = {
        skeleton.document: skeleton.body_start + "".join(writer.parts) + body_end,
        skeleton.core: _core_xml(meta),
    }
    if skeleton.header is not None:
        changed[skeleton.header[0]] = skeleton.header[1].replace(HEADER_MARK, _esc(meta.header))
    if skeleton.footer is not None:
        page = meta.labels.get("pagina", "")
        changed[skeleton.footer[0]] = (
            skeleton.footer[1]
            .replace(PAGE_MARK, _esc(f"{page} " if page else ""))
            .replace(OF_MARK, _esc(f" {meta.labels.get('van', '/')} "))
        )
    if skeleton.numbering is not None:
        name, start, end = skeleton.numbering
        changed[name] = start + "".join(writer.new_numbers) + end
    data = {name: text.encode("utf-8") for name, text in changed.items()}
    parts = skeleton.parts
    if origin is not None:
        parts = provenance.attach(list(parts), data, origin, skeleton.document)
    return _zip(parts, data)


_DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1  # 1 January 1980, as python-docx writes it


def _zip(parts: Sequence[tuple[str, Entry | None]], changed: dict[str, bytes]) -> bytes:
    """Write the package: fixed parts as compressed once, the changed ones compressed now.

    zipfile cannot take data that is already compressed, so the few lines of the format
    (local headers, central directory, end record) are written here.
    """
    out = bytearray()
    central = bytearray()
    for name, entry in parts:
        if entry is None:
            entry = compress(changed[name], 1)
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800  # bit 11: the name is UTF-8 (a part name like 'média')
        offset = len(out)
        # flags, method (deflate), time, date, crc, sizes, name length: the same in both records
        common = struct.pack(
            "<HHHHIIIH", flags, 8, 0, _DOS_DATE, entry.crc, len(entry.data), entry.size, len(encoded)
        )
        out += struct.pack("<IH", 0x04034B50, 20) + common + struct.pack("<H", 0) + encoded + entry.data
        central += (
            struct.pack("<IHH", 0x02014B50, 20, 20) + common + struct.pack("<HHHHII", 0, 0, 0, 0, 0, offset)
        )
        central += encoded
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), start, 0)
    return bytes(out)


def _core_xml(meta: Meta) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = (
        ("dc:title", meta.document_title),
        ("dc:subject", meta.subject),
        ("dc:creator", meta.author),
        ("cp:keywords", "; ".join(meta.keywords)),
        ("dc:description", f"{meta.status}, gemaakt met beleidsnotitie."),
        ("cp:lastModifiedBy", meta.author),
        ("cp:category", meta.status),
        ("dc:language", LANGUAGE),
        ("cp:revision", "1"),
    )
    body = "".join(f"<{tag}>{_esc(value)}</{tag}>" for tag, value in fields if value)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{body}"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _clean_meta(meta: Meta) -> Meta:
    """Meta comes straight from answers: remove what XML cannot hold."""
    return Meta(
        title=b.clean(meta.title),
        municipality=b.clean(meta.municipality),
        date=b.clean(meta.date),
        version=b.clean(meta.version),
        author=b.clean(meta.author),
        status=b.clean(meta.status),
        keywords=[b.clean(k) for k in meta.keywords],
        subject=b.clean(meta.subject),
        document_title=b.clean(meta.document_title or meta.title),
        header=b.clean(meta.header),
        labels={key: b.clean(value) for key, value in meta.labels.items()},
        title_page=meta.title_page,
        toc_levels=meta.toc_levels,
    )


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _esc(text: str) -> str:
    """Text for the XML, cleaned whatever its origin: answers are cleaned when checked, but
    an own template or an own rule can put any character into a block."""
    return b.clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


class _Writer:
    """Writes the body as WordprocessingML text: far faster than one API call per run."""

    def __init__(self, skeleton: Skeleton, style: HouseStyle, meta: Meta) -> None:
        self.skeleton = skeleton
        self.style = style
        self.meta = meta
        self.new_numbers: list[str] = []  # <w:num> elements: one numbering that restarts per list
        self.parts: list[str] = []
        self.ids = style.ids
        self.table_id = style.table_id
        self.keep = ""  # keepNext/keepLines for the paragraphs of the current block

    def paragraph(self, role: str, runs: Sequence[b.Run] = (), extra: str = "", tail: str = "") -> None:
        self.parts.append(
            f'<w:p><w:pPr><w:pStyle w:val="{_attr(self.ids[role])}"/>{self.keep}{extra}</w:pPr>'
            f"{self.runs(runs)}{tail}</w:p>"
        )

    def runs(self, runs: Sequence[b.Run], size: int | None = None) -> str:
        out = []
        for run in runs:
            props = ""
            if run.bold:
                props += "<w:b/>"
            if size:
                props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
            if run.open:
                props += '<w:highlight w:val="yellow"/>'
            rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
            # "€ 25.000" never breaks between the sign and the amount at the end of a line.
            pieces = run.text.replace("€ ", "€\u00a0").split(b.SOFT_BREAK)
            content = "<w:br/>".join(
                f'<w:t xml:space="preserve">{_esc(piece)}</w:t>' if piece else "" for piece in pieces
            )
            out.append(f"<w:r>{rpr}{content}</w:r>")
        return "".join(out)

    def page_break(self) -> None:
        self.parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def writing_space(self, lines: int) -> None:
        """Ruled lines to write on: one empty paragraph with a bottom border per line."""
        for number in range(lines):
            # Word and LibreOffice draw equal borders of adjacent paragraphs as one box; a
            # colour one step apart keeps every line its own (and looks the same).
            colour = "A6A6A6" if number % 2 == 0 else "A7A7A7"
            self.paragraph(
                "body",
                extra=(
                    f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="{colour}"/></w:pBdr>'
                    '<w:spacing w:before="0" w:after="0" w:line="480" w:lineRule="exact"/>'
                ),
            )

    def title_page(self, meta: Meta) -> None:
        label = meta.labels.get
        self.paragraph("title", [b.Run(meta.title)])
        self.paragraph("subtitle", [b.Run(f"{label('gemeente', '')} {meta.municipality}".strip())])
        self.paragraph("body")
        for key, value in (
            ("status", meta.status),
            ("versie", meta.version),
            ("datum", meta.date),
            ("auteur", meta.author),
        ):
            self.paragraph("body", [b.Run(f"{label(key, key)}: ", bold=True), b.Run(value)])
        self.page_break()

    def block(self, block: b.Block, headings: Sequence[b.Heading]) -> None:
        if isinstance(block, b.Heading):
            self.paragraph(f"heading{block.level}", block.runs)
        elif isinstance(block, b.Paragraph):
            self.paragraph("note" if block.style == "note" else "body", block.runs)
        elif isinstance(block, b.ListBlock):
            self.list(block)
        elif isinstance(block, b.Table):
            self.table(block)
        elif isinstance(block, b.PageBreak):
            self.page_break()
        elif isinstance(block, b.WritingSpace):
            self.writing_space(block.lines)
        else:
            self.contents(headings, self.meta.labels.get("inhoud", ""))

    def list(self, block: b.ListBlock) -> None:
        if block.checks:  # boxes to tick on paper: a box, no bullet
            for item in block.items:
                self.paragraph("check", [b.Run("\u2610 "), *item], '<w:spacing w:before="0" w:after="60"/>')
            return
        role = "number" if block.ordered else "bullet"
        num_id = self._restart_numbering() if block.ordered else None
        manual = block.ordered and num_id is None
        extra = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>' if num_id else ""
        if not block.ordered and self.style.styles["bullet"] != "List Bullet":
            manual = True
        keep, self.keep = self.keep, ""
        for index, item in enumerate(block.items, start=1):
            prefix = (f"{index}. " if block.ordered else "• ") if manual else ""
            runs = [b.Run(prefix), *item] if prefix else item
            if keep.startswith("last:"):
                self.keep = keep.removeprefix("last:") if index == len(block.items) else ""
            else:
                self.keep = keep
            self.paragraph(role, runs, extra)

    def _restart_numbering(self) -> int | None:
        """Return a new numbering instance that starts at 1 (one per numbered list)."""
        abstract = self.skeleton.number_abstract
        if abstract is None:
            return None
        num_id = self.skeleton.next_num_id + len(self.new_numbers)
        self.new_numbers.append(
            f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{_attr(abstract)}"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
        return num_id

    def table(self, block: b.Table) -> None:
        if block.signature:
            self.signature(block)
            return
        widths, size = _column_widths(block, self.style)
        style = f'<w:tblStyle w:val="{_attr(self.table_id)}"/>' if self.table_id else ""
        borders = "" if self.table_id else _BORDERS
        grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
        # A short table stays on one page (its rows keep with the next); a long one may break,
        # and its header row comes back on the next page.
        short = len(block.rows) <= _SHORT_TABLE_ROWS
        last = len(block.rows) - 1
        rows = [self._row(block.header, widths, header=True, size=size, keep=True)]
        rows += [
            self._row(row, widths, size=size, keep=short and index < last)
            for index, row in enumerate(block.rows)
        ]
        # Fixed layout: Word and LibreOffice both keep the measured widths (Word's autofit
        # would share the width out again by its own rules).
        self.parts.append(
            f'<w:tbl><w:tblPr>{style}<w:tblW w:w="{sum(widths)}" w:type="dxa"/>{borders}'
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )
        self.paragraph("body")

    def signature(self, block: b.Table) -> None:
        """A signature block as in a council decision: the roles side by side ("de griffier,",
        "de voorzitter,"), room to sign, then the names; no lines, no header row."""
        columns = max(1, len(block.header))
        width = self.style.text_width // columns
        widths = [width] * columns
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        rows = [self._row(block.header, widths, keep=True)]
        rows += [
            self._row(row, widths, keep=index < len(block.rows) - 1, before=_SIGNING_SPACE)
            for index, row in enumerate(block.rows)
        ]
        self.parts.append(
            f'<w:tbl><w:tblPr><w:tblW w:w="{width * columns}" w:type="dxa"/>{_NO_BORDERS}'
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="115" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )
        self.paragraph("body")

    def _row(
        self,
        cells: Sequence[Sequence[b.Run]],
        widths: Sequence[int],
        header: bool = False,
        size: int | None = None,
        keep: bool = False,
        before: int = 0,
    ) -> str:
        tr_pr = (
            "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
        )
        body_id = _attr(self.ids["body"])
        keep_next = "<w:keepNext/>" if keep else ""
        spacing = f'<w:spacing w:before="{before}" w:after="0"/>' if before else '<w:spacing w:after="0"/>'
        if size:  # the paragraph mark too, or its line keeps the body's height
            spacing += f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        out = []
        for runs, width in zip(cells, widths, strict=False):
            content = [b.Run(r.text, bold=True, open=r.open) for r in runs] if header else list(runs)
            out.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{body_id}"/>{keep_next}{spacing}</w:pPr>'
                f"{self.runs(content, size)}</w:p></w:tc>"
            )
        return f"<w:tr>{tr_pr}{''.join(out)}</w:tr>"

    def contents(self, headings: Sequence[b.Heading], title: str) -> None:
        """A TOC field, pre-filled with the headings so it reads well before an update."""
        self.paragraph("toc_heading", [b.Run(title)])
        levels = self.meta.toc_levels
        entries = [h for h in headings if h.level <= levels] or [
            b.Heading(1, [b.Run("Werk de inhoudsopgave bij (F9).")])
        ]
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{levels}" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        last = len(entries) - 1
        for index, heading in enumerate(entries):
            text = b.plain(heading.runs).replace("\n", " ")
            runs = f'<w:r><w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'
            self.parts.append(
                f'<w:p><w:pPr><w:pStyle w:val="{_attr(self.ids[f"toc{heading.level}"])}"/></w:pPr>'
                f"{begin if index == 0 else ''}{runs}{end if index == last else ''}</w:p>"
            )


_PADDING = 216 + 60  # the cell's left and right margins (Table Grid: 108 each), and some air
_SMALLEST = 16  # a table's text may go down to 8 pt to keep its words whole, no further
_SHORT_TABLE_ROWS = 8  # rows under the header: a table this short is never split over two pages
_SIGNING_SPACE = 900  # twips above the names in a signature block: room to sign (1.6 cm)


_WIDTHS: dict[tuple[object, ...], tuple[tuple[int, ...], int | None]] = {}
_WIDTHS_KEPT = 512


def _column_widths(block: b.Table, style: HouseStyle) -> tuple[list[int], int | None]:
    """Column widths in twips, and the table's font size in half-points (None: the body's).

    Measured once per table text and house style: the Word and the PDF writer both ask,
    and the same table comes back in the documents of a batch."""
    rows = tuple(
        tuple(tuple((r.text, r.bold) for r in cell) for cell in row) for row in (block.header, *block.rows)
    )
    key = (style.font, style.font_size, style.text_width, rows)
    known = _WIDTHS.get(key)
    if known is None:
        if len(_WIDTHS) >= _WIDTHS_KEPT:
            _WIDTHS.clear()
        widths, size = _measure_columns(block, style)
        known = _WIDTHS[key] = (tuple(widths), size)
    return list(known[0]), known[1]


def _measure_columns(block: b.Table, style: HouseStyle) -> tuple[list[int], int | None]:
    """Column widths in twips, and the table's font size in half-points (None: the body's).

    Each column is at least as wide as its longest word, measured in the house style's
    font, so no word is broken in the middle ("Jongerenontmoeti-ng"); the rest of the text
    width goes to the columns with the longer texts. When the longest words together do
    not fit at the body size, the table's text is set one or two points smaller; only when
    they do not fit at 8 pt either, are the columns scaled down together."""
    columns = len(block.header)
    if not columns:
        return [], None
    factor = textwidth.font_factor(style.font)
    rows = [block.header, *block.rows]
    cells = [[(row[i] if i < len(row) else []) for row in rows] for i in range(columns)]
    steps = (style.font_size, style.font_size - 2, style.font_size - 4)
    sizes = [step for step in steps if step >= _SMALLEST] or [style.font_size]
    floor: list[int] = []
    for size in sizes:
        floor = [
            max(
                (
                    textwidth.twips(word, size, bold or row == 0, factor)
                    for row, cell in enumerate(column)
                    for word, bold in _words(cell)
                ),
                default=0,
            )
            + _PADDING
            for column in cells
        ]
        if sum(floor) <= style.text_width:
            break
    if sum(floor) > style.text_width:
        widths = [width * style.text_width // sum(floor) for width in floor]
    else:
        need = [min(max(len(b.plain(list(cell))) for cell in column), 40) + 1 for column in cells]
        spare = style.text_width - sum(floor)
        widths = [low + spare * n // sum(need) for low, n in zip(floor, need, strict=True)]
    widths[-1] += style.text_width - sum(widths)
    return widths, (size if size != style.font_size else None)


def _words(cell: Sequence[b.Run]) -> list[tuple[str, bool]]:
    """The words of a cell as they are written (an amount with its euro sign is one word)."""
    return [
        (word, run.bold)
        for run in cell
        for word in run.text.replace("€ ", "€\u00a0").replace(b.SOFT_BREAK, " ").split(" ")
        if word
    ]


def _kept_together(blocks: Sequence[b.Block]) -> dict[int, str]:
    """keepNext/keepLines per block index: a short subsection (a heading 3 and the text up
    to the next heading, such as one finding with its advice and source) stays on one page,
    so a "Bron:" line never stands alone at the top of the next page; a short table keeps
    the sentence that introduces it, a signature block the lines before it."""
    kept: dict[int, str] = {}
    for index, block in enumerate(blocks):
        if isinstance(block, b.Table) and block.signature:
            # "Vastgesteld in …" and "De raad van de gemeente …," stay with the signatures.
            for at in range(max(0, index - 3), index):
                if isinstance(blocks[at], b.Paragraph):
                    kept[at] = _KEEP
                elif isinstance(blocks[at], b.ListBlock) and at == index - 3:
                    kept[at] = _KEEP_LAST  # the last decision point: never sign a page without text
            continue
        if isinstance(block, b.Table) and len(block.rows) <= _SHORT_TABLE_ROWS:
            if index and isinstance(blocks[index - 1], b.Paragraph):
                kept[index - 1] = _KEEP  # the sentence that introduces a short table goes with it
            continue
        if not (isinstance(block, b.Heading) and block.level == 3):
            continue
        end = index + 1
        while end < len(blocks) and isinstance(blocks[end], b.Paragraph | b.ListBlock):
            end += 1
        section = blocks[index + 1 : end]
        length = sum(_length(blk) for blk in section)
        if not section or length > _KEEP_LIMIT:
            continue
        for at in range(index + 1, end - 1):
            kept[at] = _KEEP
        kept[end - 1] = "<w:keepLines/>"
    return kept


_KEEP = "<w:keepNext/><w:keepLines/>"
_KEEP_LAST = "last:" + _KEEP  # a list whose last item only is kept with what follows
_KEEP_LIMIT = 1000  # characters: about a third of a page (a finding with its advice and source); a longer subsection, such as a tie, may break


def _length(block: b.Block) -> int:
    if isinstance(block, b.Paragraph):
        return len(b.plain(block.runs))
    if isinstance(block, b.ListBlock):
        return sum(len(b.plain(item)) + 40 for item in block.items)
    return 0


_BORDERS = (
    "<w:tblBorders>"
    + "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders>"
)
_NO_BORDERS = (
    "<w:tblBorders>"
    + "".join(f'<w:{edge} w:val="nil"/>' for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders>"
)
