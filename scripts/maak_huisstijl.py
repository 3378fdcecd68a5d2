"""Build templates/huisstijl.docx, the default house style, from python-docx's template.

The result is small on purpose: only the styles the note uses (python-docx's own
template carries 870 KB of style definitions, which made every render slow), A4
with Dutch margins, a calm readable font, and Dutch as the language. Run it again
after changing the look:

    python scripts/maak_huisstijl.py
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parent.parent / "templates" / "huisstijl.docx"
FONT = "Arial"  # on every Windows PC; LibreOffice uses the metric-compatible Liberation Sans
KEEP = {
    "Normal",
    "Header",
    "Footer",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Title",
    "Subtitle",
    "List Paragraph",
    "List Bullet",
    "List Number",
    "Quote",
    "TOC Heading",
    "Default Paragraph Font",
    "Normal Table",
    "Table Grid",
    "No List",
    "Heading 1 Char",
    "Heading 2 Char",
    "Heading 3 Char",
    "Title Char",
    "Subtitle Char",
    "Quote Char",
    "Header Char",
    "Footer Char",
}
DROP_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")


def lean_template() -> bytes:
    source = Path(docx.__file__).parent / "templates" / "default.docx"
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            name = info.filename
            if name.startswith(DROP_PARTS):
                continue
            content = src.read(name)
            if name == "word/styles.xml":
                content = _keep_styles(content.decode("utf-8")).encode("utf-8")
            elif name in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"):
                text = content.decode("utf-8")
                text = re.sub(r"<Override[^>]*(stylesWithEffects|thumbnail|customXml)[^>]*/>", "", text)
                text = re.sub(r"<Relationship[^>]*(stylesWithEffects|thumbnail|customXml)[^>]*/>", "", text)
                content = text.encode("utf-8")
            dst.writestr(info, content)
    return out.getvalue()


def _keep_styles(xml: str) -> str:
    xml = re.sub(r"<w:latentStyles.*?</w:latentStyles>", "", xml, flags=re.S)

    def keep(match: re.Match[str]) -> str:
        name = re.search(r'<w:name w:val="([^"]+)"', match.group(0))
        return match.group(0) if name and name.group(1).lower() in {k.lower() for k in KEEP} else ""

    return re.sub(r"<w:style .*?</w:style>", keep, xml, flags=re.S)


def main() -> None:
    document = Document(io.BytesIO(lean_template()))
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _east_asia_font(normal, FONT)
    blue = RGBColor(0x1F, 0x3A, 0x5F)
    for name, size, before in (
        ("Title", 26, 0),
        ("Subtitle", 15, 0),
        ("Heading 1", 16, 18),
        ("Heading 2", 13, 12),
        ("Heading 3", 11.5, 10),
        ("TOC Heading", 16, 0),
    ):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = blue
        style.font.italic = False
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
        _east_asia_font(style, FONT)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        styles[name].font.bold = True
    quote = styles["Quote"]
    quote.font.italic = False
    quote.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    quote.paragraph_format.left_indent = Cm(0.6)
    for level in (1, 2):
        toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        toc.base_style = normal
        toc.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        # Single lines and little space: the contents of the largest note (Oosterhaven, 53 lines) fit one page.
        toc.paragraph_format.line_spacing = 1.0
        toc.paragraph_format.space_before = Pt(1 if level == 1 else 0)
        toc.paragraph_format.space_after = Pt(0)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(9)
        styles[name].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    _language(document)
    document.core_properties.title = "Huisstijl beleidsnotitie"
    document.core_properties.language = "nl-NL"
    document.save(OUT)
    print(f"geschreven: {OUT} ({OUT.stat().st_size} bytes)")


def _east_asia_font(style: object, font: str) -> None:
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), font)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)


def _language(document: object) -> None:
    styles = document.styles.element  # type: ignore[attr-defined]
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "nl-NL")
    lang.set(qn("w:eastAsia"), "nl-NL")
    lang.set(qn("w:bidi"), "ar-SA")
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)


if __name__ == "__main__":
    main()
