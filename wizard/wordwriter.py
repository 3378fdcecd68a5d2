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
import io
import zipfile
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from wizard import blocks as b
from wizard.documents import Meta
from wizard.errors import UserError
from wizard.resources import templates_dir

LANGUAGE = "nl-NL"
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOTX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"

# Style the document needs → styles to try, in order, when the house style lacks it.
_STYLES: dict[str, tuple[str, ...]] = {
    "title": ("Title", "Heading 1", "Normal"),
    "subtitle": ("Subtitle", "Heading 2", "Normal"),
    "heading1": ("Heading 1", "Normal"),
    "heading2": ("Heading 2", "Heading 1", "Normal"),
    "heading3": ("Heading 3", "Heading 2", "Normal"),
    "bullet": ("List Bullet", "List Paragraph", "Normal"),
    "number": ("List Number", "List Paragraph", "Normal"),
    "check": ("List Paragraph", "Normal"),
    "note": ("Quote", "Intense Quote", "Normal"),
    "toc_heading": ("TOC Heading", "Heading 1", "Normal"),
    "toc1": ("toc 1", "Normal"),
    "toc2": ("toc 2", "Normal"),
    "toc3": ("toc 3", "Normal"),
    "body": ("Normal",),
}
_TABLE_STYLES = ("Table Grid",)


@dataclass
class HouseStyle:
    """A reference document, checked once, used for many notes."""

    data: bytes
    name: str
    styles: dict[str, str] = field(default_factory=dict)
    table_style: str | None = None
    warnings: list[str] = field(default_factory=list)
    keeps_header: bool = False
    keeps_footer: bool = False
    has_numbering: bool = False
    base: Any = None  # the opened reference document, prepared once (see _base)
    ids: dict[str, str] = field(default_factory=dict)  # role → style id, filled by _base
    table_id: str | None = None


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
    if path.suffix.lower() not in (".docx", ".dotx"):
        raise UserError(
            f"'{path.name}' is geen Word-document (.docx) of Word-sjabloon (.dotx).",
            "Sla de huisstijl in Word op als .docx of .dotx. Een .doc of .dot uit oudere Word-versies werkt niet.",
        )
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise UserError(
            f"het huisstijlbestand '{path.name}' is te groot (meer dan 20 MB).",
            "Gebruik een kleiner sjabloon.",
        )
    data = path.read_bytes()
    data = _as_document(data, path)
    return _inspect(data, path.name)


def _as_document(data: bytes, path: Path) -> bytes:
    """Check the package; turn a .dotx into a .docx by changing its content type."""
    broken = UserError(
        f"'{path.name}' is geen geldig Word-bestand (het is beschadigd of iets anders).",
        "Open het in Word, sla het opnieuw op als .docx en probeer het nog eens.",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
            if total > MAX_UNPACKED_BYTES:
                raise UserError(
                    f"'{path.name}' wordt uitgepakt te groot (meer dan 100 MB); dit is geen gewoon Word-sjabloon.",
                    "Gebruik het sjabloon van uw gemeente zonder grote afbeeldingen of ingesloten bestanden.",
                )
            types = archive.read("[Content_Types].xml").decode("utf-8")
            if _DOTX_MAIN in types:
                return _rewrite_content_types(archive, types.replace(_DOTX_MAIN, _DOCX_MAIN))
            if _DOCX_MAIN not in types:
                raise broken
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, EOFError):
        raise broken from None
    return data


def _rewrite_content_types(archive: zipfile.ZipFile, types: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            content = types.encode("utf-8") if info.filename == "[Content_Types].xml" else archive.read(info)
            target.writestr(info, content)
    return out.getvalue()


def _inspect(data: bytes, name: str) -> HouseStyle:
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UserError(
            f"'{name}' kan niet als Word-document worden geopend ({exc}).",
            "Open het in Word, sla het opnieuw op als .docx en probeer het nog eens.",
        ) from None
    except Exception as exc:  # lxml and python-docx raise many kinds on corrupt files
        raise UserError(
            f"'{name}' kan niet als Word-document worden geopend ({type(exc).__name__}).",
            "Open het in Word, sla het opnieuw op als .docx en probeer het nog eens.",
        ) from None
    available = {style.name for style in document.styles if style.name}
    style = HouseStyle(data=data, name=name)
    for role, candidates in _STYLES.items():
        chosen = next((c for c in candidates if c in available), None)
        if chosen is None:
            chosen = "Normal"
        if chosen != candidates[0] and role not in ("toc1", "toc2", "toc3", "check"):
            style.warnings.append(
                f"De huisstijl '{name}' heeft geen opmaakprofiel '{candidates[0]}'; de tool gebruikt '{chosen}'."
            )
        style.styles[role] = chosen
    style.table_style = next((t for t in _TABLE_STYLES if t in available), None)
    if style.table_style is None:
        style.warnings.append(
            f"De huisstijl '{name}' heeft geen tabelstijl 'Table Grid'; tabellen krijgen eigen randen."
        )
    section = document.sections[0]
    style.keeps_header = _has_content(section.header._element)
    style.keeps_footer = _has_content(section.footer._element)
    try:
        style.has_numbering = document.part.numbering_part is not None
    except NotImplementedError:
        style.has_numbering = False
    return style


def _has_content(element: Any) -> bool:
    text = "".join(element.itertext()).strip()
    return bool(text) or bool(element.findall(".//" + qn("w:drawing")))


# --- writing -------------------------------------------------------------------------


def write(document_blocks: Sequence[b.Block], meta: Meta, style: HouseStyle | None = None) -> bytes:
    """Return the .docx bytes for the blocks in the given house style."""
    style = style or default_style()
    document = deepcopy(_base(style))  # far cheaper than parsing the package again
    body = document.element.body
    section_properties = body.find(qn("w:sectPr"))
    meta = _clean_meta(meta)
    writer = _Writer(document, style, meta)
    if meta.title_page:
        writer.title_page(meta)
    headings = [blk for blk in document_blocks if isinstance(blk, b.Heading)]
    for block in document_blocks:
        writer.block(block, headings)
    fragment = etree.fromstring(f'<w:body xmlns:w="{_W}">{"".join(writer.parts)}</w:body>')
    for child in list(fragment):
        if section_properties is not None:
            section_properties.addprevious(child)
        else:
            body.append(child)
    writer.header_footer(meta)
    _properties(document, meta)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _base(style: HouseStyle) -> Any:
    """The house style opened once: empty body, header and footer parts made, Dutch, fields update."""
    if style.base is None:
        document = Document(io.BytesIO(style.data))
        body = document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        section = document.sections[0]
        section.different_first_page_header_footer = True
        section.header.is_linked_to_previous = False  # creates the parts when the style has none
        section.footer.is_linked_to_previous = False
        _language(document)
        styles = document.styles
        style.ids = {role: styles[name].style_id for role, name in style.styles.items()}
        style.table_id = styles[style.table_style].style_id if style.table_style else None
        _settings(document)
        style.base = document
    return style.base


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
    # Block text is clean already: answers are cleaned when checked and again when
    # inserted into a template (blocks.data); meta is cleaned in write().
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


class _Writer:
    """Writes the body as WordprocessingML text: far faster than one API call per run."""

    def __init__(self, document: Any, style: HouseStyle, meta: Meta) -> None:
        self.document = document
        self.style = style
        self.meta = meta
        self.parts: list[str] = []
        self.ids = style.ids
        self.table_id = style.table_id
        self.numbering: Any = None
        self.number_abstract: str | None = None

    def paragraph(self, role: str, runs: Sequence[b.Run] = (), extra: str = "", tail: str = "") -> None:
        self.parts.append(
            f'<w:p><w:pPr><w:pStyle w:val="{_attr(self.ids[role])}"/>{extra}</w:pPr>'
            f"{self.runs(runs)}{tail}</w:p>"
        )

    def runs(self, runs: Sequence[b.Run]) -> str:
        out = []
        for run in runs:
            props = ""
            if run.bold:
                props += "<w:b/>"
            if run.open:
                props += '<w:highlight w:val="yellow"/>'
            rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
            pieces = run.text.split(b.SOFT_BREAK)
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
        for index, item in enumerate(block.items, start=1):
            prefix = (f"{index}. " if block.ordered else "• ") if manual else ""
            runs = [b.Run(prefix), *item] if prefix else item
            self.paragraph(role, runs, extra)

    def _restart_numbering(self) -> int | None:
        """Return a new numbering instance that starts at 1 (one per numbered list)."""
        if not self.style.has_numbering or self.style.styles["number"] != "List Number":
            return None
        if self.numbering is None:
            self.numbering = self.document.part.numbering_part.element
            style = self.document.styles["List Number"].element
            num_id = style.find(qn("w:pPr") + "/" + qn("w:numPr") + "/" + qn("w:numId"))
            if num_id is None:
                return None
            for num in self.numbering.findall(qn("w:num")):
                if num.get(qn("w:numId")) == num_id.get(qn("w:val")):
                    self.number_abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        if self.number_abstract is None:
            return None
        num = self.numbering.add_num(int(self.number_abstract))
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return int(num.numId)

    def table(self, block: b.Table) -> None:
        width = len(block.header)
        column = 9070 // max(width, 1)  # text width of A4 with 2.5 cm margins, in twips
        style = f'<w:tblStyle w:val="{_attr(self.table_id)}"/>' if self.table_id else ""
        borders = "" if self.table_id else _BORDERS
        grid = "".join(f'<w:gridCol w:w="{column}"/>' for _ in range(width))
        rows = [self._row(block.header, column, header=True)]
        rows += [self._row(row, column) for row in block.rows]
        self.parts.append(
            f'<w:tbl><w:tblPr>{style}<w:tblW w:w="5000" w:type="pct"/>{borders}'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )
        self.paragraph("body")

    def _row(self, cells: Sequence[Sequence[b.Run]], column: int, header: bool = False) -> str:
        tr_pr = (
            "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
        )
        body_id = _attr(self.ids["body"])
        out = []
        for runs in cells:
            content = [b.Run(r.text, bold=True, open=r.open) for r in runs] if header else list(runs)
            out.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{column}" w:type="dxa"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{body_id}"/><w:spacing w:after="0"/></w:pPr>'
                f"{self.runs(content)}</w:p></w:tc>"
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

    def header_footer(self, meta: Meta) -> None:
        section = self.document.sections[0]
        if not self.style.keeps_header and meta.header:
            header = section.header.paragraphs[0]
            header.text = meta.header
        if not self.style.keeps_footer or not _has_page_field(section.footer._element):
            footer = (
                section.footer.paragraphs[-1]
                if not self.style.keeps_footer
                else section.footer.add_paragraph()
            )
            footer.add_run(f"{meta.labels.get('pagina', '')} ".lstrip())
            _simple_field(footer, "PAGE", "1")
            footer.add_run(f" {meta.labels.get('van', '/')} ")
            _simple_field(footer, "NUMPAGES", "1")


_BORDERS = (
    "<w:tblBorders>"
    + "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders>"
)


def _has_page_field(element: Any) -> bool:
    instructions = [node.text or "" for node in element.iter(qn("w:instrText"))]
    instructions += [node.get(qn("w:instr")) or "" for node in element.iter(qn("w:fldSimple"))]
    return any("PAGE" in text for text in instructions)


def _field_start(paragraph: Any, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    instr_run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run._r.append(instr)
    sep_run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    sep_run._r.append(separate)


def _field_end(paragraph: Any) -> None:
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _simple_field(paragraph: Any, instruction: str, shown: str) -> None:
    _field_start(paragraph, instruction)
    paragraph.add_run(shown)
    _field_end(paragraph)


def _properties(document: Any, meta: Meta) -> None:
    props = document.core_properties
    props.title = meta.document_title
    props.subject = meta.subject
    props.author = meta.author
    props.last_modified_by = meta.author
    props.keywords = "; ".join(meta.keywords)
    props.language = LANGUAGE
    props.category = meta.status
    props.comments = "Concept gemaakt met beleidsnotitie."
    props.revision = 1
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now


def _language(document: Any) -> None:
    """Set Dutch as the language of the whole document (docDefaults)."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")


def _settings(document: Any) -> None:
    """Ask Word to update fields (the table of contents) when the document opens."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        # CT_Settings has a fixed child order; updateFields comes after w:hideGrammaticalErrors etc.
        _insert_setting(settings, update)


_SETTINGS_ORDER = (
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "showEnvelope",
    "summaryLength",
    "clickAndTypeStyle",
    "defaultTableStyle",
    "evenAndOddHeaders",
    "bookFoldRevPrinting",
    "bookFoldPrinting",
    "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin",
    "doNotShadeFormData",
    "noPunctuationKerning",
    "characterSpacingControl",
    "printTwoOnOne",
    "strictFirstAndLastChars",
    "noLineBreaksAfter",
    "noLineBreaksBefore",
    "savePreviewPicture",
    "doNotValidateAgainstSchema",
    "saveInvalidXml",
    "ignoreMixedContent",
    "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml",
    "saveXmlDataOnly",
    "useXSLTWhenSaving",
    "saveThroughXslt",
    "showXMLTags",
    "alwaysMergeEmptyNamespace",
    "updateFields",
)


def _insert_setting(settings: Any, element: Any) -> None:
    position = _SETTINGS_ORDER.index("updateFields")
    later = {qn(f"w:{name}") for name in _SETTINGS_ORDER[: position + 1]}
    index = 0
    for i, child in enumerate(settings):
        if child.tag in later:
            index = i + 1
    settings.insert(index, element)
