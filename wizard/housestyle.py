"""Open a house style with python-docx once and prepare it as a package to write into.

Only needed when a house style is not in the cache (wizard/cache.py): everything
here runs once per house style, so writing a document never imports python-docx.
The checks (zip bomb, .dotx, missing styles) and the Dutch messages live here too.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from wizard.errors import UserError
from wizard.wordpackage import (
    HEADER_MARK,
    LANGUAGE,
    MAX_UNPACKED_BYTES,
    OF_MARK,
    PAGE_MARK,
    STYLES,
    TABLE_STYLES,
    Band,
    Entry,
    HouseStyle,
    PageLook,
    Skeleton,
    TextLook,
    compress,
    unreadable_package,
)

_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOTX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
# A house style with macros (saved as .docm/.dotm and renamed): read as a document, macros removed.
_MACRO_MAINS = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
# Relationships to active content: macros and what belongs to them, never copied.
_ACTIVE = ("/vbaProject", "/wordVbaData", "/keyMapCustomizations", "/attachedToolbars", "/vbaData")
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def prepare(data: bytes, path: Path) -> HouseStyle:
    """Check the file, inspect its styles and prepare its package (raises UserError in Dutch)."""
    data = _as_document(data, path)
    document = _open(data, path.name)
    _strip_active_content(document)
    _qualify_attributes(document)
    _strip_fetching_fields(document)
    style = _inspect(document, data, path.name)  # before _skeleton changes the document
    style.base = _skeleton(document, style)
    return style


def _as_document(data: bytes, path: Path) -> bytes:
    """Check the package; turn a .dotx into a .docx by changing its content type."""
    broken = UserError(
        f"'{path.name}' is geen geldig Word-bestand (het is beschadigd of iets anders).",
        "Open het in Word, sla het opnieuw op als .docx en probeer het nog eens.",
    )
    known = unreadable_package(path.name, data)  # a password, the old format, Deflate64
    if known is not None:
        raise UserError(*known)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
            if total > MAX_UNPACKED_BYTES:
                raise UserError(
                    f"'{path.name}' wordt uitgepakt te groot (meer dan 100 MB); dit is geen gewoon Word-sjabloon.",
                    "Gebruik het sjabloon van uw gemeente zonder grote afbeeldingen of ingesloten bestanden.",
                )
            types = archive.read("[Content_Types].xml").decode("utf-8")
            for other in (_DOTX_MAIN, *_MACRO_MAINS):
                if other in types:
                    return _rewrite_content_types(archive, types.replace(other, _DOCX_MAIN))
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


def _strip_active_content(document: Any) -> None:
    """Remove macros and every relationship to something outside the package (an attached
    template on a server, linked pictures, hyperlinks in the header): a house style is
    copied into every document, and those must not travel with it. Only reachable parts
    are saved, so a part no relationship points to any more is left out."""
    for part in list(document.part.package.iter_parts()):
        dropped = []
        for rel_id, rel in list(part.rels.items()):
            if rel.is_external or rel.reltype.endswith(_ACTIVE):
                del part.rels[rel_id]
                dropped.append(rel_id)
        element = getattr(part, "_element", None)
        if dropped and element is not None:
            _drop_references(element, set(dropped))


def _parts_xml(document: Any) -> list[Any]:
    """The XML of every part python-docx parsed (document, styles, settings, headers, footers,
    notes, numbering …)."""
    return [
        element
        for part in document.part.package.iter_parts()
        if (element := getattr(part, "_element", None)) is not None
    ]


def _qualify_attributes(document: Any) -> None:
    """WordprocessingML attributes always carry the w: namespace; a house style written with a
    default namespace and bare attributes (<style type="paragraph" styleId="Title">) gets
    them qualified, so its styles are found and Word reads them."""
    for root in _parts_xml(document):
        for node in root.iter():
            if not isinstance(node.tag, str) or not node.tag.startswith("{" + _W + "}"):
                continue
            for name in [a for a in node.attrib if not a.startswith("{")]:
                node.set(f"{{{_W}}}{name}", node.attrib.pop(name))


# Fields that fetch something from outside the document when Word updates them.
_FETCHING_FIELDS = frozenset(
    {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO", "DATABASE", "RD"}
)


def _fetches(instruction: str) -> bool:
    words = instruction.split()
    return bool(words) and words[0].upper() in _FETCHING_FIELDS


def _strip_fetching_fields(document: Any) -> None:
    """Turn fields that fetch outside content (INCLUDEPICTURE "http://…", INCLUDETEXT on a
    share, LINK, DDE …) into the plain text or picture they last showed, in every part: a
    house style is copied into every document, and Word would fetch them on opening or
    printing. Simple fields (w:fldSimple) and complex ones (w:fldChar … w:instrText …),
    nested ones too, anywhere: body, headers, footers, notes."""
    simple = qn("w:fldSimple")
    for root in _parts_xml(document):
        for field_element in list(root.iter(simple)):
            if _fetches(field_element.get(qn("w:instr")) or ""):
                parent = field_element.getparent()
                at = parent.index(field_element)
                for child in list(field_element):
                    if child.tag != qn("w:fldData"):
                        parent.insert(at, child)
                        at += 1
                parent.remove(field_element)
        _strip_complex_fields(root)


def _strip_complex_fields(root: Any) -> None:
    """Complex fields, run by run: begin, the instruction (with any nested field in it), an
    optional separate, the shown result, end. A fetching field loses its marks and every run
    of its instruction; the result stays as it was last shown."""
    char, instr = qn("w:fldChar"), (qn("w:instrText"), qn("w:delInstrText"))
    open_fields: list[_Field] = []  # innermost last
    for run in list(root.iter(qn("w:r"))):
        mark = run.find(char)
        what = mark.get(qn("w:fldCharType")) if mark is not None else None
        inside = [f for f in open_fields if not f.separated]  # fields whose instruction this run is in
        if what == "begin":
            for field in inside:
                field.runs.append(run)
            open_fields.append(_Field(begin=run))
        elif what == "separate" and open_fields:
            field = open_fields[-1]
            field.separated = True
            field.marks.append(mark)
            for outer in inside:
                if outer is not field:
                    outer.runs.append(run)
        elif what == "end" and open_fields:
            field = open_fields.pop()
            field.marks.append(mark)
            for outer in (f for f in open_fields if not f.separated):
                outer.runs.append(run)
            if _fetches(field.text):
                machinery = [n for n in field.begin if n.tag == char or n.tag in instr]
                for node in [*machinery, *field.marks, *field.runs]:
                    if node.getparent() is not None:
                        node.getparent().remove(node)
        elif inside:
            for field in inside:
                field.runs.append(run)
            innermost = open_fields[-1]
            if not innermost.separated:
                innermost.text += "".join(node.text or "" for node in run if node.tag in instr)


class _Field:
    """One complex field while its runs are read."""

    def __init__(self, begin: Any) -> None:
        self.begin = begin  # the run with fldChar begin
        self.runs: list[Any] = []  # runs inside its instruction (nested fields included)
        self.marks: list[Any] = []  # its separate and end fldChar elements
        self.text = ""  # its own instruction text
        self.separated = False


def _drop_references(element: Any, dropped: set[str]) -> None:
    """Remove attributes (and attached templates) that point to a removed relationship."""
    for node in list(element.iter()):
        for attribute in [a for a in node.attrib if a.startswith("{" + _R + "}")]:
            if node.get(attribute) in dropped:
                if node.tag == qn("w:attachedTemplate"):
                    node.getparent().remove(node)
                    break
                del node.attrib[attribute]


def _open(data: bytes, name: str) -> Any:
    try:
        return Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        missing = re.search(r"no item named '([^']+)'", str(exc))
        detail = f": het onderdeel '{missing.group(1)}' ontbreekt" if missing else ""
        raise UserError(
            f"'{name}' kan niet als Word-document worden geopend{detail}.",
            "Open het in Word, sla het opnieuw op als .docx en probeer het nog eens.",
        ) from None
    except Exception as exc:  # lxml and python-docx raise many kinds on corrupt files
        raise UserError(
            f"'{name}' kan niet als Word-document worden geopend ({type(exc).__name__}).",
            "Open het in Word, sla het opnieuw op als .docx en probeer het nog eens.",
        ) from None


def _key(text: str) -> str:
    """'Heading 1', 'heading 1' and 'Heading1' are one style: compare without case and spaces."""
    return "".join(text.split()).lower()


# Ids other programs give the styles the tool needs (LibreOffice: Contents1 for 'TOC 1').
_OTHER_IDS = {"toc1": "contents1", "toc2": "contents2", "toc3": "contents3", "tocheading": "contentsheading"}


def _style_table(document: Any) -> dict[tuple[str, str], tuple[str, str]]:
    """(type, key) → (style id, name as written) for every style, found by its id and by its
    name as stored in styles.xml: never python-docx's display names, which differ from what
    LibreOffice writes ('Heading 1' there, 'heading 1' in Word)."""
    table: dict[tuple[str, str], tuple[str, str]] = {}
    for element in document.styles.element.findall(qn("w:style")):
        kind = element.get(qn("w:type")) or "paragraph"
        style_id = element.get(qn("w:styleId"))
        if not style_id:
            continue
        name_element = element.find(qn("w:name"))
        name = name_element.get(qn("w:val")) if name_element is not None else None
        table.setdefault((kind, _key(style_id)), (style_id, name or style_id))
        if name:
            table.setdefault((kind, _key(name)), (style_id, name))
    return table


def _find(table: dict[tuple[str, str], tuple[str, str]], kind: str, wanted: str) -> str | None:
    """The id of the style `wanted` ('Heading 1') of `kind`, by id or by name."""
    key = _key(wanted)
    for candidate in (key, _OTHER_IDS.get(key)):
        if candidate and (kind, candidate) in table:
            return table[(kind, candidate)][0]
    return None


def _inspect(document: Any, data: bytes, name: str) -> HouseStyle:
    """Which styles the house style has (by id and type), with a warning for each one that
    falls back."""
    table = _style_table(document)
    style = HouseStyle(data=data, name=name)
    normal = _find(table, "paragraph", "Normal") or _default_paragraph_style(document) or "Normal"
    for role, candidates in STYLES.items():
        chosen = next((c for c in candidates if _find(table, "paragraph", c)), "Normal")
        if chosen != candidates[0] and role not in ("toc1", "toc2", "toc3", "check"):
            style.warnings.append(
                f"De huisstijl '{name}' heeft geen opmaakprofiel '{candidates[0]}'; de tool gebruikt '{chosen}'."
            )
        style.styles[role] = chosen
        style.ids[role] = _find(table, "paragraph", chosen) or normal
    table_id = next((_find(table, "table", t) for t in TABLE_STYLES if _find(table, "table", t)), None)
    style.table_style = TABLE_STYLES[0] if table_id else None
    style.table_id = table_id
    if style.table_style is None:
        style.warnings.append(
            f"De huisstijl '{name}' heeft geen tabelstijl 'Table Grid'; tabellen krijgen eigen randen."
        )
    section = document.sections[0]
    style.keeps_header = _has_content(section.header._element)
    style.keeps_footer = _has_content(section.footer._element)
    style.own_first_page = section.different_first_page_header_footer and any(
        not part.is_linked_to_previous and _has_content(part._element)
        for part in (section.first_page_header, section.first_page_footer)
    )
    _measures(document, style)
    style.look = _look(document, style)
    try:
        style.has_numbering = document.part.numbering_part is not None
    except NotImplementedError:
        style.has_numbering = False
    return style


def _measures(document: Any, style: HouseStyle) -> None:
    """The width between the margins and the body font, to measure table columns with."""
    section = document.sections[0]
    if section.page_width and section.left_margin is not None and section.right_margin is not None:
        width = (section.page_width - section.left_margin - section.right_margin) // 635  # EMU → twips
        if width > 1440:  # less than an inch is a broken page setup: keep A4's
            style.text_width = int(width)
    styles = document.styles.element
    normal = next(
        (
            element
            for element in styles.findall(qn("w:style"))
            if element.get(qn("w:styleId")) == style.ids.get("body")
        ),
        None,
    )
    defaults = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    layers = [
        rpr for rpr in (normal.find(qn("w:rPr")) if normal is not None else None, defaults) if rpr is not None
    ]
    fonts = [
        f.get(qn("w:ascii")) or _theme_font(document, f.get(qn("w:asciiTheme")))
        for rpr in layers
        if (f := rpr.find(qn("w:rFonts"))) is not None
    ]
    sizes = [z.get(qn("w:val"), "") for rpr in layers if (z := rpr.find(qn("w:sz"))) is not None]
    style.font = next((font for font in fonts if font), "")  # unknown: measured wide
    style.font_size = next((int(size) for size in sizes if size.isdigit()), 20)  # Word's default: 10 pt


_EMU_PER_MM = 36000
_IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/svg+xml": "svg"}


def _look(document: Any, style: HouseStyle) -> PageLook:
    """What the PDF writer carries over: the page, the heading and title styles, and the
    house style's own header and footer (their text and first picture)."""
    section = document.sections[0]
    look = PageLook()
    measures = {
        "page_width": section.page_width,
        "page_height": section.page_height,
        "margin_top": section.top_margin,
        "margin_bottom": section.bottom_margin,
        "margin_left": section.left_margin,
        "margin_right": section.right_margin,
    }
    for name, emu in measures.items():
        if emu is not None and 0 <= emu <= 2 * _EMU_PER_MM * 1000:  # up to 2 m: anything else is broken
            setattr(look, name, round(emu / _EMU_PER_MM, 2))
    if look.page_width < 50 or look.page_height < 50:
        look.page_width, look.page_height = PageLook.page_width, PageLook.page_height
    body = _run_look(document, style.ids.get("body", ""), TextLook(style.font, style.font_size / 2))
    look.headings = tuple(
        _run_look(document, style.ids.get(f"heading{level}", ""), body) for level in (1, 2, 3)
    )
    look.after = body.below
    look.title = _run_look(document, style.ids.get("title", ""), body)
    look.subtitle = _run_look(document, style.ids.get("subtitle", ""), body)
    if style.own_first_page and not section.first_page_header.is_linked_to_previous:
        look.first = _band(section.first_page_header)
    if style.keeps_header:
        look.header = _band(section.header)
    if style.keeps_footer:
        look.footer = _band(section.footer)
    return look


def _run_look(document: Any, style_id: str, base: TextLook) -> TextLook:
    """Font, size, colour, weight and spacing of a paragraph style, following its basedOn chain."""
    found: dict[str, Any] = {}
    elements = {e.get(qn("w:styleId")): e for e in document.styles.element.findall(qn("w:style"))}
    seen: set[str] = set()
    current = elements.get(style_id)
    while current is not None and current.get(qn("w:styleId")) not in seen:
        seen.add(current.get(qn("w:styleId")))
        rpr = current.find(qn("w:rPr"))
        ppr = current.find(qn("w:pPr"))
        if rpr is not None:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is not None and "font" not in found:
                font = fonts.get(qn("w:ascii")) or _theme_font(document, fonts.get(qn("w:asciiTheme")))
                if font:
                    found["font"] = font
            size = rpr.find(qn("w:sz"))
            if size is not None and "size" not in found and (size.get(qn("w:val")) or "").isdigit():
                found["size"] = int(size.get(qn("w:val"))) / 2
            colour = rpr.find(qn("w:color"))
            value = colour.get(qn("w:val")) if colour is not None else None
            if value and "colour" not in found:
                found["colour"] = value if len(value) == 6 and _is_hex(value) else ""
            bold = rpr.find(qn("w:b"))
            if bold is not None and "bold" not in found:
                found["bold"] = bold.get(qn("w:val"), "true") not in ("0", "false", "off")
        spacing = ppr.find(qn("w:spacing")) if ppr is not None else None
        if spacing is not None:
            for side, key in (("before", "above"), ("after", "below")):
                twips = spacing.get(qn(f"w:{side}"))
                if twips and twips.isdigit() and key not in found:
                    found[key] = min(int(twips) / 20, 72.0)
        based = current.find(qn("w:basedOn"))
        current = elements.get(based.get(qn("w:val"))) if based is not None else None
    return TextLook(
        font=found.get("font", base.font),
        size=max(4.0, min(found.get("size", base.size), 96.0)),
        colour=found.get("colour", ""),
        bold=found.get("bold", False),
        above=found.get("above", base.above),
        below=found.get("below", base.below),
    )


def _is_hex(text: str) -> bool:
    return all(char in "0123456789abcdefABCDEF" for char in text)


def _band(part: Any) -> Band:
    """The lines of text of a header or footer (fields left out) and its first picture."""
    element = part._element
    texts = []
    for paragraph in element.iter(qn("w:p")):
        text = "".join(node.text or "" for node in paragraph.iter(qn("w:t"))).strip()
        if text:
            texts.append(text)
    logo, kind, width = None, "", 40.0
    for drawing in element.iter(qn("w:drawing")):
        blip = drawing.find(".//" + _DRAWING + "blip")
        rel_id = blip.get(f"{{{_R}}}embed") if blip is not None else None
        rel = part.part.rels.get(rel_id) if rel_id else None
        if rel is None or rel.is_external:
            continue
        kind = _IMAGE_TYPES.get(rel.target_part.content_type, "")
        if not kind:
            continue
        logo = rel.target_part.blob
        extent = drawing.find(
            ".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
        )
        if extent is not None and (extent.get("cx") or "").isdigit():
            width = max(5.0, min(int(extent.get("cx")) / _EMU_PER_MM, 150.0))
        break
    return Band(tuple(texts[:6]), logo, kind, round(width, 1))


_THEME_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _theme_font(document: Any, theme: str | None) -> str:
    """The typeface behind a theme font ('minorHAnsi' → Calibri in Word's default theme)."""
    if not theme:
        return ""
    kind = "majorFont" if theme.startswith("major") else "minorFont"
    for rel in document.part.rels.values():
        if rel.reltype == _THEME_RELATION and not rel.is_external:
            try:
                root = etree.fromstring(rel.target_part.blob)
            except etree.XMLSyntaxError:
                return ""
            latin = root.find(f".//{_DRAWING}{kind}/{_DRAWING}latin")
            return str(latin.get("typeface", "")) if latin is not None else ""
    return ""


def _default_paragraph_style(document: Any) -> str | None:
    for element in document.styles.element.findall(qn("w:style")):
        if element.get(qn("w:type")) == "paragraph" and element.get(qn("w:default")) in ("1", "true", "on"):
            return str(element.get(qn("w:styleId")))
    return None


def _has_content(element: Any) -> bool:
    text = "".join(element.itertext()).strip()
    return bool(text) or bool(element.findall(".//" + qn("w:drawing")))


def _skeleton(document: Any, style: HouseStyle) -> Skeleton:
    """The house style as a package to write into: empty body, header and footer parts made,
    Dutch, fields update. Changes `document`."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    marker = OxmlElement("w:p")  # where the body goes
    section_properties = body.find(qn("w:sectPr"))
    if section_properties is not None:
        section_properties.addprevious(marker)
    else:
        body.append(marker)
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False  # creates the parts when the style has none
    section.footer.is_linked_to_previous = False
    _language(document)
    _settings(document)
    header_part = footer_part = None
    if not style.keeps_header:
        section.header.paragraphs[0].text = HEADER_MARK
        header_part = section.header.part
    if not style.keeps_footer or not _has_page_field(section.footer._element):
        footer = section.footer.paragraphs[-1] if not style.keeps_footer else section.footer.add_paragraph()
        footer.add_run(PAGE_MARK)
        _simple_field(footer, "PAGE", "1")
        footer.add_run(OF_MARK)
        _simple_field(footer, "NUMPAGES", "1")
        footer_part = section.footer.part
    document.core_properties.language = LANGUAGE  # makes sure the package has a core part
    numbering_part, abstract, next_id = _numbering(document, style)
    for part in (document.part, header_part, footer_part, numbering_part):
        if part is not None:
            part._element = _with_w_prefix(part._element)
    out = io.BytesIO()
    document.save(out)
    names = {"document": document.part.partname.lstrip("/"), "core": _core_part_name(out.getvalue())}
    app = _package_part_name(out.getvalue(), "/extended-properties")
    dynamic = {names["document"], names["core"]}
    texts: dict[str, str] = {}
    special = {
        "header": header_part.partname.lstrip("/") if header_part is not None else None,
        "footer": footer_part.partname.lstrip("/") if footer_part is not None else None,
        "numbering": numbering_part.partname.lstrip("/") if numbering_part is not None else None,
    }
    dynamic |= {name for name in special.values() if name}
    parts: list[tuple[str, Entry | None]] = []
    with zipfile.ZipFile(out) as package:
        for info in package.infolist():
            content = package.read(info)
            if info.filename in dynamic:
                texts[info.filename] = content.decode("utf-8")
                parts.append((info.filename, None))
            elif info.filename == app:
                parts.append((info.filename, compress(_app_xml(content))))
            else:
                parts.append((info.filename, compress(content)))
    main = texts[names["document"]]
    marker_text = "<w:p/>"
    at = main.index(marker_text, main.index("<w:body>"))
    skeleton = Skeleton(
        parts=parts,
        document=names["document"],
        body_start=main[:at],
        body_end=main[at + len(marker_text) :],
        core=names["core"],
    )
    if special["header"]:
        skeleton.header = (special["header"], texts[special["header"]])
    if special["footer"]:
        skeleton.footer = (special["footer"], _preserve(texts[special["footer"]]))
    if special["numbering"]:
        numbering = texts[special["numbering"]]
        cut = numbering.find("<w:numIdMacAtCleanup")
        cut = cut if cut >= 0 else numbering.rindex("</w:numbering>")
        skeleton.numbering = (special["numbering"], numbering[:cut], numbering[cut:])
        skeleton.next_num_id = next_id
        skeleton.number_abstract = abstract
    return skeleton


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _with_w_prefix(element: Any) -> Any:
    """The parts the writer fills as text use the prefix 'w' for WordprocessingML; a house
    style saved by a program that chose another prefix (ns0:, x:) gets it renamed."""
    if element.prefix == "w" and list(element.nsmap.values()).count(_W) == 1:
        return element
    nsmap = {prefix: uri for prefix, uri in element.nsmap.items() if uri != _W and prefix != "w"}
    nsmap["w"] = _W
    root = etree.Element(element.tag, nsmap=nsmap)
    for name, value in element.attrib.items():
        root.set(name, value)
    root.text = element.text
    for child in list(element):
        root.append(child)  # lxml moves each child's namespace to the declaration on the new root
    return root


def _core_part_name(package: bytes) -> str:
    """Where the package keeps its core properties (docProps/core.xml in practice)."""
    name = _package_part_name(package, "/metadata/core-properties")
    if name is None:
        raise UserError(
            "de huisstijl heeft geen documenteigenschappen.", "Sla het document opnieuw op in Word."
        )
    return name


def _package_part_name(package: bytes, relation_type: str) -> str | None:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        relations = etree.fromstring(archive.read("_rels/.rels"))
    for relation in relations:
        if relation.get("Type", "").endswith(relation_type):
            return str(relation.get("Target")).lstrip("/")
    return None


_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_KEEP_EXTENDED = ("Company", "Manager")  # the house style's own words; counts and program go


def _app_xml(content: bytes) -> bytes:
    """The extended properties say honestly which program made the document (not the Word
    or LibreOffice that saved the house style) and carry no stale page or word counts."""
    from wizard import __version__

    kept = ""
    try:
        original = etree.fromstring(content)
        for name in _KEEP_EXTENDED:
            node = original.find(f"{{{_EXTENDED}}}{name}")
            if node is not None and node.text:
                kept += f"<{name}>{_xml_text(node.text)}</{name}>"
    except etree.XMLSyntaxError:
        pass
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_EXTENDED}" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>beleidsnotitie {__version__}</Application><DocSecurity>0</DocSecurity>{kept}"
        "</Properties>"
    ).encode()


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _preserve(xml: str) -> str:
    """Keep the spaces around the footer words: the marks' runs get xml:space="preserve"."""
    for mark in (PAGE_MARK, OF_MARK):
        xml = xml.replace(f"<w:t>{mark}</w:t>", f'<w:t xml:space="preserve">{mark}</w:t>')
    return xml


def _numbering(document: Any, style: HouseStyle) -> tuple[Any, str | None, int]:
    """The numbering part, the abstract list behind 'List Number', and the first free list id."""
    if not style.has_numbering or style.styles["number"] != "List Number":
        return None, None, 1
    part = document.part.numbering_part
    element = part.element
    ids = [_number(num.get(qn("w:numId"))) for num in element.findall(qn("w:num"))]
    style_num = None
    for candidate in document.styles.element.findall(qn("w:style")):
        if candidate.get(qn("w:styleId")) == style.ids["number"]:
            style_num = candidate.find(qn("w:pPr") + "/" + qn("w:numPr") + "/" + qn("w:numId"))
    abstract = None
    if style_num is not None:
        for num in element.findall(qn("w:num")):
            link = num.find(qn("w:abstractNumId"))
            if num.get(qn("w:numId")) == style_num.get(qn("w:val")) and link is not None:
                abstract = link.get(qn("w:val"))
    return part, abstract, max(ids, default=0) + 1


def _number(text: str | None) -> int:
    """A list id as a number; a broken one counts as 0 (new ids start above the largest)."""
    try:
        return int(text or 0)
    except ValueError:
        return 0


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


COMPATIBILITY_MODE = "15"  # Word 2013 and later: no "compatibility mode" in the title bar
_WORD_URI = "http://schemas.microsoft.com/office/word"
_PROTECTION = ("documentProtection", "writeProtection")


def _settings(document: Any) -> None:
    """Ask Word to update fields (the table of contents) when the document opens, and declare
    the current compatibility level whatever program saved the house style."""
    settings = document.settings.element
    for name in _PROTECTION:  # a concept is there to be finished: never read-only or locked
        for found in settings.findall(qn(f"w:{name}")):
            settings.remove(found)
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        # CT_Settings has a fixed child order; updateFields comes after w:hideGrammaticalErrors etc.
        _insert_setting(settings, update, "updateFields")
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        _insert_setting(settings, compat, "compat")
    mode = next(
        (c for c in compat.findall(qn("w:compatSetting")) if c.get(qn("w:name")) == "compatibilityMode"), None
    )
    if mode is None:
        mode = OxmlElement("w:compatSetting")
        mode.set(qn("w:name"), "compatibilityMode")
        mode.set(qn("w:uri"), _WORD_URI)
        compat.append(mode)  # compatSetting elements come last in w:compat
    mode.set(qn("w:val"), COMPATIBILITY_MODE)


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
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
)


def _insert_setting(settings: Any, element: Any, name: str) -> None:
    """Insert `element` after every setting that must come before it."""
    position = _SETTINGS_ORDER.index(name)
    later = {qn(f"w:{name}") for name in _SETTINGS_ORDER[: position + 1]}
    index = 0
    for i, child in enumerate(settings):
        if child.tag in later:
            index = i + 1
    settings.insert(index, element)
