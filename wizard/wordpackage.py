"""The prepared house style as data: what wizard/housestyle.py makes once, wizard/wordwriter.py fills.

A house style is opened with python-docx only when it is not in the cache; the result
(a `HouseStyle` with its package `Skeleton`) is plain data that is cached and pickled
to worker processes. Both modules import this one and neither imports the other at
load time, so the Word writer is one unit with one direction: wordpackage ← housestyle,
wordpackage ← wordwriter (which calls housestyle.prepare for a style not yet cached).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field

LANGUAGE = "nl-NL"
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

# Style the document needs → styles to try, in order, when the house style lacks it.
STYLES: dict[str, tuple[str, ...]] = {
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
TABLE_STYLES = ("Table Grid",)


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
    base: Skeleton | None = None  # the package, prepared once (see housestyle.prepare)
    ids: dict[str, str] = field(default_factory=dict)  # role → style id, filled by housestyle.prepare
    table_id: str | None = None
    # What the table columns are measured with (see wordwriter._column_widths): the width
    # between the margins in twips, the body font and its size in half-points.
    text_width: int = 9070
    font: str = "Arial"
    font_size: int = 22
    own_first_page: bool = False  # the house style has its own first-page header or footer
    look: PageLook = field(default_factory=lambda: PageLook())  # what the PDF writer carries over


@dataclass(frozen=True)
class TextLook:
    """Font, size (pt), colour (hex, '' for black) and weight of one paragraph style."""

    font: str = ""
    size: float = 11.0
    colour: str = ""
    bold: bool = False
    above: float = 12.0  # space before and after, pt
    below: float = 6.0


@dataclass
class PageLook:
    """The house style as the PDF writer (wizard/pdfwriter.py) needs it: the page, the fonts and
    colours of the styles, and the texts and logo of the first-page header and of the footer.
    The defaults are those of the bundled templates/huisstijl.docx."""

    page_width: float = 210.0  # mm
    page_height: float = 297.0
    margin_top: float = 25.0
    margin_bottom: float = 22.0
    margin_left: float = 25.0
    margin_right: float = 25.0
    headings: tuple[TextLook, ...] = (
        TextLook("Arial", 16, "1F3A5F", True, 18, 6),
        TextLook("Arial", 13, "1F3A5F", True, 12, 6),
        TextLook("Arial", 11.5, "1F3A5F", True, 10, 6),
    )
    after: float = 6.0  # pt after a body paragraph
    title: TextLook = TextLook("Arial", 26, "1F3A5F", True, 0, 6)
    subtitle: TextLook = TextLook("Arial", 15, "1F3A5F", False, 0, 6)
    first: Band | None = None  # the house style's own first-page header (shown on page 1 only)
    header: Band | None = None  # the house style's own header (instead of the tool's header line)
    footer: Band | None = None  # the house style's own footer (the page number comes beside it)


@dataclass(frozen=True)
class Band:
    """A header or footer of the house style: its lines of text and its first picture (the logo)."""

    texts: tuple[str, ...] = ()
    logo: bytes | None = None
    logo_type: str = ""  # png, jpg, gif, svg
    logo_width: float = 40.0  # mm, as placed in the house style


# Placeholders in the prepared header and footer, replaced per document.
HEADER_MARK = "BELEIDSNOTITIE-KOPREGEL"
PAGE_MARK = "BELEIDSNOTITIE-PAGINA"
OF_MARK = "BELEIDSNOTITIE-VAN"


@dataclass
class Skeleton:
    """A house style prepared once as a package: fixed parts compressed, the changing ones as text."""

    parts: list[tuple[str, Entry | None]]  # in package order; None: written per document
    document: str
    body_start: str  # document.xml up to and including <w:body>
    body_end: str  # the section properties and the rest
    core: str
    header: tuple[str, str] | None = None  # part name, XML with HEADER_MARK
    footer: tuple[str, str] | None = None  # part name, XML with the footer marks
    numbering: tuple[str, str, str] | None = None  # part name, XML before and after new <w:num>s
    next_num_id: int = 1
    number_abstract: str | None = None


@dataclass(frozen=True)
class Entry:
    crc: int
    size: int
    data: bytes  # raw deflate


def compress(data: bytes, level: int = 6) -> Entry:
    """Raw deflate, as a zip entry holds it. Fixed parts: once, level 6; per document: level 1
    (a few kB larger, three times faster)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Entry(zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


# --- what a file that is not a usable house style is -------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, and Office's password-protected files
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream Office encrypts a .docx into
_MACROS = {".dotm": "een Word-sjabloon met macro's (.dotm)", ".docm": "een Word-document met macro's (.docm)"}
PASSWORD = (
    "'{name}' is beveiligd met een wachtwoord; daardoor kan de tool het niet lezen.",
    "Open het in Word, haal het wachtwoord weg (Bestand > Info > Document beveiligen > "
    "Versleutelen met wachtwoord: leeg laten) en sla het opnieuw op.",
)


def wrong_kind(name: str, suffix: str, data: bytes) -> tuple[str, str]:
    """Message and hint for a house style whose name does not end in .docx or .dotx: what it
    really is, judged by its content (a Word document named .odt is said to be one)."""
    if suffix in _MACROS:
        return (
            f"'{name}' is {_MACROS[suffix]}; de tool neemt geen macro's over.",
            "Sla de huisstijl in Word op als Word-sjabloon (.dotx) of als Word-document (.docx), zonder macro's.",
        )
    inside = _zip_names(data)
    if "word/document.xml" in inside:
        return (
            f"'{name}' is een Word-document, maar de naam eindigt op '{suffix}'.",
            "Geef het bestand de extensie .docx en probeer het opnieuw.",
        )
    if "mimetype" in inside and b"application/vnd.oasis.opendocument" in data[:200]:
        return (
            f"'{name}' is een OpenDocument-bestand (LibreOffice), geen Word-bestand.",
            "Open het in LibreOffice en kies Bestand > Opslaan als, met als type Word 2007-365 (.docx).",
        )
    if data.startswith(OLE_MAGIC) and _ENCRYPTED_PACKAGE in data:
        return PASSWORD[0].format(name=name), PASSWORD[1]
    return (
        f"'{name}' is geen Word-document (.docx) of Word-sjabloon (.dotx).",
        "Sla de huisstijl in Word op als .docx of .dotx. Een .doc of .dot uit oudere Word-versies werkt niet.",
    )


def unreadable_package(name: str, data: bytes) -> tuple[str, str] | None:
    """Message and hint for a .docx/.dotx the tool cannot unpack for a reason the user can fix:
    a password, the old Word format under a new name, or a zip program's unusual packing."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in data:
            return PASSWORD[0].format(name=name), PASSWORD[1]
        return (
            f"'{name}' is een Word-bestand in het oude formaat (Word 97-2003), geen .docx.",
            "Open het in Word en sla het op als Word-document (.docx) of Word-sjabloon (.dotx).",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        return None
    if any(info.flag_bits & 0x1 for info in entries):
        return PASSWORD[0].format(name=name), PASSWORD[1]
    if _strict(data):
        return (
            f"'{name}' is opgeslagen als 'Strikt Open XML-document'; dat formaat kan de tool niet lezen.",
            "Open het in Word en sla het op als gewoon Word-document (.docx) of Word-sjabloon (.dotx).",
        )
    if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in entries):
        return (
            f"'{name}' is ingepakt op een manier die de tool niet kan lezen "
            "(bijvoorbeeld Deflate64, door een zip-programma).",
            "Open het in Word en sla het opnieuw op als .docx; Word pakt het dan gewoon in.",
        )
    return None


def _zip_names(data: bytes) -> set[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        return set()


def _strict(data: bytes) -> bool:
    """Whether the package is Strict Open XML (ISO 29500 Strict namespaces, purl.oclc.org)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            rels = archive.read("_rels/.rels") if "_rels/.rels" in archive.namelist() else b""
    except (zipfile.BadZipFile, EOFError, ValueError, RuntimeError, NotImplementedError):
        return False
    return b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" in rels
