"""The PDF made by Typst (wizard/pdfwriter.py): no LibreOffice, the same words as the .docx,
a tagged PDF/A-2b and PDF/UA-1 in Dutch, the house style carried over, and no text a user
types ever read as Typst code."""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pypdf
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from wizard.draft import Drafter
from wizard.questionnaire import Questionnaire
from wizard.resources import templates_dir

from .conftest import EXAMPLES, Result, example

Cli = Callable[..., Result]

# Typst markup and code; rule texts may not hold braces (those are the rules' own placeholders).
RULE_MARKUP = '#read("/etc/passwd") #import "@preview/x:0.1.0": * $x^2$ *vet* _schuin_ @ref <x> `code` ]['
MARKUP = RULE_MARKUP + " \\\\ \\u{41} #strong[sterk] = kop #{1+1}"


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line in a subprocess (PATH and LibreOffice as the test sets them)."""
    return subprocess.run(
        [sys.executable, "-m", "wizard", *[str(a) for a in args]],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=Path(__file__).parents[1],
    )


def without_libreoffice(tmp_path: Path) -> dict[str, str]:
    """An environment in which no LibreOffice can be found: an empty PATH, and the setting
    pointing at a program that is not there (so the usual install places are not searched)."""
    empty = tmp_path / "leeg-pad"
    empty.mkdir(exist_ok=True)
    return dict(os.environ, PATH=str(empty), BELEIDSNOTITIE_SOFFICE=str(tmp_path / "geen-libreoffice"))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every example as .docx and .pdf, made with LibreOffice out of reach."""
    folder = tmp_path_factory.mktemp("pdf")
    examples = [example(name) for name in EXAMPLES]
    result = run_cli(
        "maak", *examples, "-o", folder, "--formaat", "docx,pdf", env=without_libreoffice(folder)
    )
    assert result.returncode == 0, result.stderr
    assert "LibreOffice" not in result.stdout + result.stderr
    return folder


# --- what the PDF says -----------------------------------------------------------------------

_MARKER = re.compile(r"^(•|☐|\d+[.)]?)$")  # list bullets and numbers: Word numbers its lists itself


def _words(text: str) -> str:
    """The text without whitespace and list markers: what 'the same words in the same order' compares."""
    return "".join(word for word in text.split() if not _MARKER.match(word))


def docx_text(path: Path) -> str:
    """Every paragraph and table cell of the body in order, without the table of contents."""
    document = docx.Document(str(path))
    parts = []
    for paragraph in document.element.body.iter(qn("w:p")):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")).upper().startswith(("TOC", "CONTENTS")):
            continue
        parts.append(" ".join(node.text or "" for node in paragraph.iter(qn("w:t"))))
    return "\n".join(parts)


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def pdf_text(path: Path, header: str) -> str:
    """The pages' text without the header line, the page numbers and the contents page."""
    kept = []
    for text in pdf_pages(path):
        lines = [line for line in text.splitlines() if line.strip()]
        if any(re.search(r"\.\s?\.\s?\.", line) for line in lines):
            continue  # the contents: its entries are in the body too, with page numbers
        kept.extend(
            line for line in lines if line.strip() != header and not re.fullmatch(r"Pagina \d+ van \d+", line)
        )
    return "\n".join(kept)


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("suffix", ["", "-raadsvoorstel"])
def test_the_pdf_has_the_words_of_the_docx_in_the_same_order(made: Path, name: str, suffix: str) -> None:
    reader = pypdf.PdfReader(made / f"{name}{suffix}.pdf")
    header = next(
        line for line in reader.pages[-1].extract_text().splitlines() if line.startswith("Gemeente ")
    )
    in_word = _words(docx_text(made / f"{name}{suffix}.docx"))
    in_pdf = _words(pdf_text(made / f"{name}{suffix}.pdf", header))
    if in_word != in_pdf:
        at = next(i for i, (a, b) in enumerate(zip(in_word, in_pdf, strict=False)) if a != b)
        pytest.fail(
            f"differs at {at}:\nword: {in_word[at - 80 : at + 80]}\npdf:  {in_pdf[at - 80 : at + 80]}"
        )


def test_the_pdf_is_tagged_pdfa_pdfua_dutch_with_its_title_and_fonts_embedded(made: Path) -> None:
    reader = pypdf.PdfReader(made / "oosterhaven.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl-NL"
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert reader.metadata is not None
    assert reader.metadata.title == "Beleidsnotitie internationale samenwerking – Gemeente Oosterhaven"
    assert reader.metadata.author == "R. de Boer, senior adviseur griffie"
    word = docx.Document(str(made / "oosterhaven.docx")).core_properties
    assert reader.metadata.subject == word.subject and word.subject
    assert reader.metadata["/Keywords"] == ", ".join(word.keywords.split("; "))
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part[>=\"']+2", xmp) and re.search(r"pdfaid:conformance[>=\"']+B", xmp)
    assert re.search(r"pdfuaid:part[>=\"']+1", xmp)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                descriptor = descendant["/FontDescriptor"].get_object()
                fonts[str(descendant["/BaseFont"])] = any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
    assert fonts and all(fonts.values()), fonts
    assert any("LiberationSans" in name for name in fonts), fonts  # Arial's twin: Arial is not installed


def test_the_pdf_has_contents_with_page_numbers_and_pages_like_a_council_document(made: Path) -> None:
    note = pdf_pages(made / "oosterhaven.pdf")
    assert "Beleidsnotitie internationale" in note[0] and "Status: Concept" in note[0]
    assert "Pagina" not in note[0]  # the title page has no header and no page number
    contents = note[1]
    assert contents.startswith("Inhoud") or "\nInhoud" in contents
    number = re.search(r"6\. Partnerschappen[ .]*(\d+)", contents)
    assert number, contents
    assert "6. Partnerschappen" in note[int(number.group(1)) - 1]  # the page it names
    assert f"Pagina 3 van {len(note)}" in note[2]
    # No page starts in the middle of a finding: its source or advice never stands alone.
    tops = [[line for line in page.splitlines() if line.strip()][1] for page in note[2:]]
    assert not [top for top in tops if top.startswith(("Bron:", "Advies:", "Waarom dit telt:"))], tops
    # The raadsvoorstel has no title page: page 1 has the header and its number.
    proposal = pdf_pages(made / "oosterhaven-raadsvoorstel.pdf")
    assert f"Pagina 1 van {len(proposal)}" in proposal[0]
    last = [line.strip() for line in proposal[-1].splitlines() if line.strip()]
    at = len(last) - 1 - last[::-1].index("De raad van de gemeente Oosterhaven,")
    assert "de griffier" in last[at + 1] and "de voorzitter" in last[at + 1], last


def test_a_long_table_repeats_its_header_row_on_the_next_page(cli: Cli, tmp_path: Path) -> None:
    from wizard import blocks, documents, pdfwriter

    rows = "\n".join(f"| Band {n} | Land {n} | € {n}.000 |" for n in range(1, 90))
    parsed = blocks.parse(f"# Overzicht\n\n| Band | Land | Bedrag per jaar |\n{rows}\n")
    meta = documents.meta(documents.load("notitie"), municipality="Proef", date="1 januari 2027")
    pdf = pdfwriter.write(parsed, meta)
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 3
    assert all("Bedrag per jaar" in page for page in pages[1:]), pages
    assert "€ 89.000" in pages[-1] or "€\xa089.000" in pages[-1]


# --- nothing typed becomes Typst code ------------------------------------------------------------


def test_typst_markup_in_answers_rules_and_own_templates_is_printed_as_written(
    tmp_path: Path,
) -> None:
    answers = example("lindewijk").read_text(encoding="utf-8")
    quoted = MARKUP.replace("\\", "\\\\").replace('"', '\\"')
    answers = answers.replace(
        "indiener_naam: de fracties van Dorpsbelang en GroenLinks", f'indiener_naam: "{quoted}"'
    )
    answers = answers.replace("auteur: M. Jansen, griffier", f'auteur: "{quoted}"')
    source = tmp_path / "markup.yaml"
    source.write_text(answers, encoding="utf-8")
    rules = tmp_path / "regels"
    rules.mkdir()
    (rules / "eigen.yaml").write_text(
        "regels:\n"
        "  - id: eigen-opmaak\n"
        f"    titel: 'Regel {RULE_MARKUP}'\n"
        "    ernst: tip\n"
        "    rol: controleren\n"
        "    als: {veld: gemeente_naam, ingevuld: true}\n"
        f"    melding: 'Melding {RULE_MARKUP}'\n"
        "    uitleg: Uitleg.\n"
        "    advies: Advies.\n"
        "    bron: {document: Eigen, onderdeel: Proef}\n"
        "    voorbeelden:\n"
        "      wel:\n"
        "        - {gemeente_naam: Ergens}\n"
        "      niet:\n"
        "        - {auteur: Iemand}\n",
        encoding="utf-8",
    )
    own = tmp_path / "eigen" / "hoofdstukken"
    own.mkdir(parents=True)
    (own / "03_visie.md.j2").write_text(
        "# 3. Onze visie\n\nSjabloon {% raw %}" + MARKUP + "{% endraw %} voor {{ gemeente }}.\n",
        encoding="utf-8",
    )
    result = run_cli(
        "maak", source, "-o", tmp_path / "uit.pdf", "--regels", rules, "--sjablonen", tmp_path / "eigen",
        env=without_libreoffice(tmp_path),
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    text = "\n".join(pdf_pages(tmp_path / "uit.pdf"))
    flat = _words(text)
    for where, markup in (("Regel", RULE_MARKUP), ("Melding", RULE_MARKUP), ("Sjabloon", MARKUP)):
        assert _words(f"{where} {markup}") in flat, where
    assert _words(MARKUP) in _words("\n".join(pdf_pages(tmp_path / "uit-raadsvoorstel.pdf")))
    assert "root:" not in text and "/bin/" not in text  # nothing was read


def test_a_picture_typst_cannot_read_is_a_dutch_message_naming_the_document(cli: Cli, tmp_path: Path) -> None:
    style = house_style(tmp_path)
    with zipfile.ZipFile(style) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    picture = next(name for name in parts if name.startswith("word/media/"))
    parts[picture] = parts[picture][:40]  # a picture cut off: its header says more than there is
    with zipfile.ZipFile(style, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    result = cli("maak", example("lindewijk"), "-o", tmp_path / "x.pdf", "--huisstijl", style)
    assert result.code == 2
    assert (
        "de PDF van 'x.pdf' kan niet worden gemaakt: het logo in de kop- of voettekst van de huisstijl "
        "kan niet worden gelezen (melding van Typst: failed to decode image" in result.err
    ), result.err
    assert (
        "Zet het logo opnieuw in de huisstijl, als PNG of JPG, of kies --pdf-via libreoffice." in result.err
    )
    assert "Traceback" not in result.err
    assert not (tmp_path / "x.pdf").exists()


# --- the house style ----------------------------------------------------------------------------


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small one-colour PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def house_style(tmp_path: Path) -> Path:
    """A municipality's own house style: Letter paper, other margins, Calibri 10 pt, dark red
    headings, a first page with the municipality's name and logo, a footer line."""
    document = docx.Document(str(templates_dir() / "huisstijl.docx"))
    section = document.sections[0]
    section.page_width, section.page_height = Mm(215.9), Mm(279.4)
    section.left_margin, section.right_margin = Mm(40), Mm(15)
    section.top_margin, section.bottom_margin = Mm(30), Mm(20)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        font = document.styles[name].font
        font.name = "Calibri"
        if name == "Normal":
            font.size = Pt(10)
        else:
            font.color.rgb = RGBColor(0x8B, 0x00, 0x00)
    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.is_linked_to_previous = False
    paragraph = first.paragraphs[0]
    paragraph.text = "Gemeente Proefdorp – Bestuursdienst"
    picture = tmp_path / "logo.png"
    picture.write_bytes(png(60, 30, (0, 90, 160)))
    paragraph.add_run().add_picture(str(picture), width=Mm(30))
    section.footer.is_linked_to_previous = False
    section.footer.paragraphs[0].text = "Proefdorp, Raadhuisplein 1"
    path = tmp_path / "proefdorp.docx"
    document.save(str(path))
    return path


def _positions(page: pypdf.PageObject) -> list[tuple[float, float, str]]:
    found: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        if text.strip():  # the text's origin on the page: the text matrix through the graphics matrix
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def test_the_house_style_gives_the_pdf_its_paper_margins_fonts_colours_logo_and_footer(
    cli: Cli, tmp_path: Path
) -> None:
    style = house_style(tmp_path)
    result = cli("maak", example("oosterhaven"), "-o", tmp_path / "p.pdf", "--huisstijl", style)
    assert result.code in (0, 1), result.err
    assert (
        "Let op: lettertype Calibri staat niet op deze computer. De PDF gebruikt daarom Carlito voor "
        "Calibri: een vrij lettertype dat even breed is, dus de regels lopen hetzelfde." in result.err
    )
    assert result.err.count("lettertype Calibri") == 1
    reader = pypdf.PdfReader(tmp_path / "p.pdf")
    first = reader.pages[0]
    assert [round(float(v)) for v in first.mediabox] == [0, 0, 612, 792]  # Letter
    # The body text starts at the left margin of 40 mm (113 pt).
    lefts = [x for page in reader.pages[2:5] for x, _, _ in _positions(page)]
    assert 111 < min(lefts) < 116, min(lefts)
    # Calibri's twin, embedded; the logo on the first page; the first-page header's text.
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[2]["/Resources"]["/Font"].values()}
    assert any("Carlito" in name for name in fonts), fonts
    images = first["/Resources"]["/XObject"].values()
    assert [(x.get_object()["/Width"], x.get_object()["/Height"]) for x in images] == [(60, 30)]
    assert "Gemeente Proefdorp – Bestuursdienst" in first.extract_text()
    assert "Proefdorp, Raadhuisplein 1" in reader.pages[3].extract_text()
    assert "Gemeente Proefdorp – Bestuursdienst" not in reader.pages[3].extract_text()
    # Headings in the house style's dark red (0.545 0 0 in the page's drawing commands).
    content = reader.pages[2].get_contents()
    assert content is not None and re.search(rb"0\.545098\d* 0 0 scn", content.get_data())


# --- every front-end: the wizard's end and the web download --------------------------------------


def test_the_wizard_end_makes_the_pdf_without_libreoffice(
    questionnaire: Questionnaire, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_session import partial, session

    monkeypatch.setenv("BELEIDSNOTITIE_SOFFICE", str(tmp_path / "geen-libreoffice"))
    path = tmp_path / "a.yaml"
    partial(path, "gemeente_naam: Zeewolde\n")
    s, _, said = session(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "maak"),
            ("Welke versie wilt u maken?", "concept"),
            ("Ook een PDF maken?", True),
        ],
    )
    assert s.run() == 0
    for name in ("a-concept.pdf", "a-raadsvoorstel-concept.pdf"):
        reader = pypdf.PdfReader(tmp_path / name)
        assert "Zeewolde" in reader.pages[0].extract_text(), name
    assert not list(tmp_path.glob("*.odt"))
    assert any(
        line.startswith("Een OpenDocument-bestand (.odt) maken kan alleen met LibreOffice.") for line in said
    )


def test_the_web_download_of_a_pdf_needs_no_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests import webserver

    from .test_web import login

    monkeypatch.setenv("BELEIDSNOTITIE_SOFFICE", str(tmp_path / "geen-libreoffice"))
    copy = tmp_path / "lindewijk.yaml"
    copy.write_bytes(example("lindewijk").read_bytes())
    running = webserver.start(copy)
    try:
        cookie = login(running)
        _, _, body = webserver.request("GET", running, "/documenten", headers=cookie)
        page = body.decode()
        assert 'href="/documenten/notitie.pdf"' in page and 'href="/documenten/notitie.odt"' not in page
        assert "Voor OpenDocument (.odt) is LibreOffice nodig; Word en PDF maakt de tool zelf." in page
        status, headers, data = webserver.request(
            "GET", running, "/documenten/raadsvoorstel.pdf", headers=cookie
        )
        assert status == 200 and headers["content-type"] == "application/pdf"
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert reader.metadata is not None and "Lindewijk" in (reader.metadata.title or "")
    finally:
        running.stop()


def test_the_worksheet_and_a_comparison_as_pdf_without_libreoffice(tmp_path: Path) -> None:
    env = without_libreoffice(tmp_path)
    sheet = run_cli("vragen", "-o", tmp_path / "werkblad", "--formaat", "pdf", env=env)
    assert sheet.returncode == 0, sheet.stderr
    text = "\n".join(pdf_pages(tmp_path / "werkblad.pdf"))
    assert "Stedenbanden of partnerschappen" in text  # an item with a box to tick (drawn)
    compared = run_cli(
        "vergelijk", example("lindewijk"), example("veendrecht"), "-o", tmp_path / "verschil", "--formaat", "pdf",
        env=env,
    )  # fmt: skip
    assert compared.returncode == 1, compared.stderr  # 1: the answers differ
    assert "Lindewijk" in "\n".join(pdf_pages(tmp_path / "verschil.pdf"))


def test_a_sign_no_font_has_becomes_a_question_mark_and_is_said(cli: Cli, tmp_path: Path) -> None:
    answers = example("lindewijk").read_text(encoding="utf-8")
    answers = answers.replace("auteur: M. Jansen, griffier", "auteur: M. Jansen 🙂 griffier")
    source = tmp_path / "emoji.yaml"
    source.write_text(answers, encoding="utf-8")
    result = cli("maak", source, "-o", tmp_path / "e.pdf", "--stukken", "notitie")
    assert result.code in (0, 1), result.err
    assert "Let op: in e.pdf staan deze tekens als ? omdat geen lettertype ze heeft: 🙂" in result.err
    assert "M. Jansen ? griffier" in pdf_pages(tmp_path / "e.pdf")[0]


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_page_ends_with_a_heading(made: Path, name: str) -> None:
    for suffix in ("", "-raadsvoorstel"):
        document = docx.Document(str(made / f"{name}{suffix}.docx"))
        headings = {p.text for p in document.paragraphs if p.style.name.lower().startswith("heading")}
        for number, page in enumerate(pdf_pages(made / f"{name}{suffix}.pdf"), start=1):
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            body = [line for line in lines if not re.fullmatch(r"Pagina \d+ van \d+", line)]
            assert body[-1] not in headings, f"{name}{suffix}.pdf, page {number} ends with '{body[-1]}'"


def test_pdfs_made_at_once_in_threads_are_all_whole(drafter: Drafter) -> None:
    """The web pages run in worker threads and share the process's one Typst compiler."""
    from concurrent.futures import ThreadPoolExecutor

    from wizard import pdfwriter

    answers = drafter.load(example("veendrecht"))
    drafts = drafter.drafts(answers, ["notitie", "raadsvoorstel"]) * 3
    with ThreadPoolExecutor(max_workers=6) as pool:
        made = list(pool.map(lambda draft: pdfwriter.write(draft.blocks, draft.meta), drafts))
    for draft, pdf in zip(drafts, made, strict=True):
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        assert reader.metadata is not None and reader.metadata.title == draft.meta.document_title


def _ink_right_of(pdf: bytes, page: int, x_mm: float, above_mm: float, tmp_path: Path) -> int:
    """Dark pixels right of x_mm and above above_mm on a page (pdftoppm at 72 dpi, grey): text
    of the header past the margin."""
    (tmp_path / "p.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-f",
            str(page),
            "-l",
            str(page),
            "-r",
            "72",
            "-gray",
            str(tmp_path / "p.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    (image,) = tmp_path.glob("p-*.pgm")
    data = image.read_bytes()
    magic, width, height, _, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    w, h = int(width), int(height)
    left, top = round(x_mm / 25.4 * 72), round(above_mm / 25.4 * 72)
    return sum(1 for y in range(min(h, top)) for x in range(left, w) if pixels[y * w + x] < 128)


@pytest.mark.parametrize(
    ("name", "lines"), [("Veen\ndrecht  aan de\nRijn", 1), ("Sint" + "x" * 150, 2), ("Heel" * 16, 1)]
)
def test_the_header_stays_within_the_margins_and_a_typed_new_line_is_a_space(
    drafter: Drafter, tmp_path: Path, name: str, lines: int
) -> None:
    """A name typed with a new line gives one header line; a long name without spaces is set
    smaller, and only what still does not fit breaks: nothing runs past the right margin."""
    from wizard import answers, pdfwriter

    data = {**drafter.load(example("veendrecht")).values, "gemeente_naam": name}
    (draft,) = drafter.drafts(answers.from_mapping(data, drafter.questionnaire), ["notitie"])
    assert "\n" not in draft.meta.header and "  " not in draft.meta.header
    pdf = pdfwriter.write(draft.blocks, draft.meta)
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[2]
    header = [(round(y), text) for _, y, text in _positions(page) if y > float(page.mediabox[3]) - 60]
    assert header and len({y for y, _ in header}) == lines, header
    assert _ink_right_of(pdf, 3, 210 - 25 + 1, 20, tmp_path) == 0  # A4, right margin 25 mm
