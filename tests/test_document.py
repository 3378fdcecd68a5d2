"""The rendered note: golden text, Word structure, literal answers, validity, house styles."""

from __future__ import annotations

import io
import itertools
import os
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from wizard import answers, blocks, wordwriter
from wizard.documents import Meta
from wizard.draft import Drafter
from wizard.errors import UserError

from .conftest import EXAMPLES, example

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("kind", ["notitie", "raadsvoorstel"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_golden_outline(drafter: Drafter, name: str, kind: str) -> None:
    """Each document's text per example, normalised; UPDATE_GOLDEN=1 rewrites after a deliberate change."""
    outline = blocks.outline(drafter.draft(drafter.load(example(name)), kind).blocks)
    path = GOLDEN / f"{name}{'' if kind == 'notitie' else '-' + kind}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(outline, encoding="utf-8")
    assert outline == path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rendered(drafter: Drafter) -> dict[str, bytes]:
    return {name: drafter.docx(drafter.load(example(name))) for name in EXAMPLES}


@pytest.fixture(scope="module")
def others(drafter: Drafter) -> dict[str, bytes]:
    """The other documents the tool writes: raadsvoorstel per example, werkblad, vergelijking."""
    from wizard import compare, documents, worksheet
    from wizard.render import Renderer

    out = {f"{n}-raadsvoorstel": drafter.docx(drafter.load(example(n)), "raadsvoorstel") for n in EXAMPLES}
    kind, sheet = worksheet.blocks_for(drafter.questionnaire)
    out["werkblad"] = wordwriter.write(sheet, documents.meta(kind, "", "1 januari 2026"))
    loaded = [drafter.load(example(n)) for n in EXAMPLES]
    found, compared = compare.differences(drafter.questionnaire, loaded)
    result = Renderer(None, "vergelijking").blocks(compare.context(EXAMPLES, found, compared))
    out["vergelijking"] = wordwriter.write(
        result, documents.meta(documents.load("vergelijking"), "", "1 januari 2026")
    )
    return out


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def body_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize("name", EXAMPLES)
def test_reopens_with_the_answers_in_the_text(
    rendered: dict[str, bytes], name: str, drafter: Drafter
) -> None:
    document = open_docx(rendered[name])
    text = body_text(document)
    loaded = drafter.load(example(name))
    assert f"Gemeente {loaded.get('gemeente_naam')}" in text
    assert "Status: Concept" in text
    for chapter in (
        "1. Samenvatting en beslispunten",
        "8. Noodhulp en wederopbouw",
        "12. Rol van de raad",
        "13. Monitoring, verantwoording en evaluatie",
        "Bronnen",
    ):
        assert chapter in text
    # Bijlage 1 is the uitvoeringsagenda, bijlage 2 lists the ties; without ties that one is left out
    # and the findings are bijlage 2.
    assert "Bijlage 1. Uitvoeringsagenda" in text
    appendix = 3 if loaded.get("partnerschappen") else 2
    assert f"Bijlage {appendix}. Aandachtspunten bij dit concept" in text
    for item in loaded.get("partnerschappen") or []:
        assert item["partner"] in text


def test_headings_are_in_order_without_skipped_levels(
    rendered: dict[str, bytes], others: dict[str, bytes]
) -> None:
    for data in [*rendered.values(), *others.values()]:
        levels = [
            int(p.style.name[-1]) for p in open_docx(data).paragraphs if p.style.name.startswith("Heading ")
        ]
        assert levels[0] == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


def test_real_lists_and_numbering_restarts_per_list(rendered: dict[str, bytes]) -> None:
    document = open_docx(rendered["oosterhaven"])
    styles = {p.style.name for p in document.paragraphs}
    assert {"List Bullet", "List Number"} <= styles
    num_ids = [p._p.pPr.numPr.numId.val for p in document.paragraphs if p.style.name == "List Number"]
    numbering = document.part.numbering_part.element
    lists = sorted(set(num_ids))
    assert len(lists) >= 2  # beslispunten and the disaster framework
    for num_id in lists:
        num = numbering.num_having_numId(num_id)
        assert num.find(qn("w:lvlOverride")).find(qn("w:startOverride")).get(qn("w:val")) == "1"


def test_tables_have_a_repeating_header_and_no_merged_cells(
    rendered: dict[str, bytes], others: dict[str, bytes]
) -> None:
    document = open_docx(rendered["oosterhaven"])
    assert len(document.tables) >= 3
    # The last table of the raadsvoorstel is its signature block (tested below): no header row.
    tables = [*document.tables, *open_docx(others["oosterhaven-raadsvoorstel"]).tables[:-1]]
    for table in [*tables, *open_docx(others["vergelijking"]).tables]:
        first = table.rows[0]._tr
        assert first.trPr.find(qn("w:tblHeader")) is not None
        assert not table._tbl.findall(".//" + qn("w:gridSpan")) and not table._tbl.findall(
            ".//" + qn("w:vMerge")
        )


def test_the_ontwerpbesluit_ends_with_a_signature_block_not_a_framed_table(others: dict[str, bytes]) -> None:
    """As in a council decision: "De raad van de gemeente …," then "de griffier," and "de
    voorzitter," side by side, room to sign, the names; no lines, no header row."""
    document = open_docx(others["oosterhaven-raadsvoorstel"])
    signature = document.tables[-1]._tbl
    assert [cell.text for cell in document.tables[-1].rows[0].cells] == ["de griffier,", "de voorzitter,"]
    assert signature.findall(".//" + qn("w:tblHeader")) == []
    assert signature.tblPr.find(qn("w:tblStyle")) is None  # not Table Grid, whose lines would show
    edges = signature.tblPr.find(qn("w:tblBorders"))
    assert [edge.get(qn("w:val")) for edge in edges] == ["nil"] * 6
    assert signature.findall(".//" + qn("w:b")) == []  # the roles are not a bold header
    names_row = document.tables[-1].rows[1]._tr
    spacing = names_row.find(".//" + qn("w:spacing"))
    assert int(spacing.get(qn("w:before"))) >= 720  # at least half an inch to sign in
    # The paragraphs before the table (after it comes the empty one every table gets).
    *earlier, item, adopted, council, after = document.paragraphs
    assert adopted.text.startswith("Vastgesteld in de openbare vergadering")
    assert council.text == "De raad van de gemeente Oosterhaven," and after.text == ""
    assert item.text.startswith("het college op te dragen het beleid")  # the last decision point
    # Those lines and the last decision point stay on the page with the signatures.
    for paragraph in (item, adopted, council):
        assert paragraph._p.pPr.find(qn("w:keepNext")) is not None, paragraph.text
    assert earlier[-1]._p.pPr.find(qn("w:keepNext")) is None  # the decision points may break


def test_a_finding_stays_together_so_its_source_never_stands_alone(rendered: dict[str, bytes]) -> None:
    document = open_docx(rendered["oosterhaven"])
    paragraphs = document.paragraphs
    sources = [i for i, p in enumerate(paragraphs) if p.text.startswith("Bron: ")]
    assert len(sources) >= 8
    for at in sources:
        start = max(i for i in range(at) if paragraphs[i].style.name == "Heading 3")
        finding = paragraphs[start : at + 1]
        # the heading, the message (or one item per tie when a rule fires for several), then these
        assert [p.text.split(":")[0] for p in finding[-3:]] == ["Waarom dit telt", "Advies", "Bron"]
        assert len(finding) >= 5 and "Waarom dit telt" not in [p.text.split(":")[0] for p in finding[:-3]]
        for paragraph in finding[:-1]:  # the heading by its style, the text by its own keepNext
            keeps = paragraph._p.pPr.find(qn("w:keepNext")) is not None or paragraph.style.name == "Heading 3"
            assert keeps, paragraph.text
        assert all(p._p.pPr.find(qn("w:keepLines")) is not None for p in finding[1:])
        assert finding[-1]._p.pPr.find(qn("w:keepNext")) is None  # the next finding may go to a new page
    # Long texts under a heading 3 may still break across pages.
    long_text = blocks.parse("### Kop\n\n" + "Een zin van tekst. " * 200 + "\n\nNog een alinea.\n")
    draft = wordwriter.write(long_text, _meta())
    assert b"keepNext" not in _body(draft)


def test_table_columns_hold_their_longest_word(drafter: Drafter) -> None:
    """A column is at least as wide as its longest word in the body font (bold in the header),
    so LibreOffice and Word never break a word in the middle ("Jongerenontmoeti-ng")."""
    from wizard import textwidth

    style = wordwriter.default_style()
    long_word = "Jongerenontmoetingsprogramma"
    table = blocks.parse(
        "| Partner | Land | Sinds | Soort | Herkomstland van inwoners | Voorstel |\n"
        f"| Kirşehir | Nicaragua | 1998 | {long_word} | ja | Voortzetten zoals nu |\n"
        "| Wanica | Suriname | 2006 | Projectsamenwerking (voor een bepaalde tijd) | nee | Afbouwen |\n"
    )
    xml = _body(wordwriter.write(table, _meta())).decode()
    grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', xml)]
    assert sum(grid) == style.text_width
    assert '<w:tblLayout w:type="fixed"/>' in xml  # Word keeps the widths too
    size = int(re.search(r'<w:sz w:val="(\d+)"/>', xml).group(1)) if "<w:sz " in xml else style.font_size
    margins = 216  # Table Grid: 108 twips left and right
    for column, word, bold in (
        (0, "Kirşehir", False),
        (3, long_word, False),
        (4, "Herkomstland", True),
        (5, "Voortzetten", False),
        (3, "Projectsamenwerking", False),
    ):
        assert grid[column] >= textwidth.twips(word, size, bold) + margins, (word, grid)
    # Longer texts get the room that is left: the column of the long type beats the year.
    assert grid[3] > grid[2]
    # A short table is never split over two pages: every row but the last keeps with the next.
    rows = re.findall(r"<w:tr>.*?</w:tr>", xml)
    assert ["<w:keepNext/>" in row for row in rows] == [True, True, False]
    many = "".join(f"| rij {n} | tekst |\n" for n in range(20))
    long_table = _body(wordwriter.write(blocks.parse("| Kop | Tekst |\n" + many), _meta())).decode()
    assert long_table.count("<w:keepNext/>") == 2  # only the header row: a long table may break
    # The sentence that introduces a short table goes with it to the next page.
    introduced = _body(wordwriter.write(blocks.parse("Drie rollen.\n\n| Rol | Wat |\n| a | b |\n"), _meta()))
    assert introduced.split(b"<w:tbl>")[0].count(b"<w:keepNext/>") == 1
    # A table that fits at the body size keeps the body size.
    small = _body(
        wordwriter.write(blocks.parse("| Waarvoor | Per jaar |\n| Dienstreizen | € 18.000 |\n"), _meta())
    )
    assert b"<w:sz " not in small


def test_a_document_without_title_page_numbers_its_first_page(drafter: Drafter) -> None:
    """The raadsvoorstel starts with its text: page 1 carries the header and "Pagina 1 van N"
    like every other page. The note keeps its title page free of them."""
    loaded = drafter.load(example("lindewijk"))
    note = _document_xml(drafter.docx(loaded))
    proposal = _document_xml(drafter.docx(loaded, "raadsvoorstel"))
    assert b"<w:titlePg/>" in note and b"<w:titlePg" not in proposal


def _meta() -> Meta:
    from wizard import documents

    return documents.meta(documents.load("vergelijking"), "", "1 januari 2026")


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


def _body(data: bytes) -> bytes:
    xml = _document_xml(data)
    return xml[xml.index(b"<w:body>") : xml.index(b"<w:sectPr")]


def test_word_expectations(rendered: dict[str, bytes]) -> None:
    document = open_docx(rendered["veendrecht"])
    props = document.core_properties
    assert props.title == "Beleidsnotitie internationale samenwerking – Gemeente Veendrecht"
    assert props.subject and props.author == "S. El Amrani, raadsgriffier"
    assert "internationale samenwerking" in props.keywords and props.language == "nl-NL"
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "nl-NL"
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    footer = document.sections[0].footer._element
    instructions = " ".join(t.text for t in footer.iter(qn("w:instrText")))
    assert "PAGE" in instructions and "NUMPAGES" in instructions
    assert "Pagina" in "".join(footer.itertext())
    body = document.element.body
    assert any("TOC" in (t.text or "") for t in body.iter(qn("w:instrText")))
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_missing_answers_become_highlighted_placeholders(rendered: dict[str, bytes]) -> None:
    document = open_docx(rendered["lindewijk"])
    marked = [r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert any(text.startswith("[nog invullen: ") for text in marked)
    assert "[nog invullen: de visie van de gemeente in één tot drie zinnen]" in marked


def test_answers_are_data_never_markup_or_template_code(drafter: Drafter) -> None:
    tricky = "{{ 7*7 }} {% if x %}ja{% endif %} & <b>vet</b> **niet vet** | # geen kop 😀 ﺍﻟﻨﺎﻇﻮﺭ Kırşehir"
    loaded = answers.from_mapping(
        {
            "gemeente_naam": "Çeşme & Zoë",
            "visie": tricky + "\n- geen lijst\n# geen kop",
            "partnerschappen": [{"partner": "ﺍﻟﻨﺎﻇﻮﺭ | x", "land": "Marokko"}],
        },
        drafter.questionnaire,
    )
    draft = drafter.draft(loaded)
    document = open_docx(wordwriter.write(draft.blocks, draft.meta))
    text = body_text(document)
    assert tricky in text and "{{ 7*7 }}" in text and "49" not in text
    assert "- geen lijst" in text and "# geen kop" in text
    assert "ﺍﻟﻨﺎﻇﻮﺭ | x" in text and "Gemeente Çeşme & Zoë" in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert not any("geen kop" in h for h in headings)


def test_characters_xml_cannot_hold_are_removed(drafter: Drafter) -> None:
    loaded = answers.Answers({"gemeente_naam": "A\x00B\x07C\ufffe", "visie": "x\x1by"})
    draft = drafter.draft(loaded)
    text = body_text(open_docx(wordwriter.write(draft.blocks, draft.meta)))
    assert "Gemeente ABC" in text and "xy" in text


def test_output_passes_the_ooxml_schema_check(
    rendered: dict[str, bytes], others: dict[str, bytes], tmp_path: Path
) -> None:
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator()
    for name, data in {**rendered, **others}.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(data)
        result = validator.validate(str(path))
        assert result.is_valid, [str(e) for e in result.errors[:5]]
    # the validator really checks: a broken copy fails
    broken = tmp_path / "kapot.docx"
    with zipfile.ZipFile(io.BytesIO(rendered["lindewijk"])) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(b"<w:body>", b"<w:body><w:bestaatniet/>", 1)
            target.writestr(info, content)
    assert not validator.validate(str(broken)).is_valid


# --- house styles -----------------------------------------------------------------------


def own_style(tmp_path: Path, suffix: str = ".docx") -> Path:
    """A municipality's template: python-docx's default without Quote and List Number, with a header."""
    document = docx.Document()
    for name in ("Quote", "List Number", "TOC Heading"):
        element = document.styles[name].element
        element.getparent().remove(element)
    document.sections[0].header.paragraphs[0].text = "Gemeente Testdorp – logo"
    path = tmp_path / f"huisstijl{suffix}"
    document.save(str(path))
    if suffix == ".dotx":
        data = path.read_bytes()
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                content = source.read(info)
                if info.filename == "[Content_Types].xml":
                    content = content.replace(b"document.main+xml", b"template.main+xml")
                target.writestr(info, content)
        path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("suffix", [".docx", ".dotx"])
def test_own_house_style_with_missing_styles_renders_with_warnings(
    drafter: Drafter, tmp_path: Path, suffix: str
) -> None:
    style = wordwriter.load_style(own_style(tmp_path, suffix))
    assert any("'Quote'" in w for w in style.warnings) and any("'List Number'" in w for w in style.warnings)
    draft = drafter.draft(drafter.load(example("oosterhaven")))
    document = open_docx(wordwriter.write(draft.blocks, draft.meta, style))
    assert "Gemeente Testdorp – logo" in "".join(document.sections[0].header._element.itertext())
    text = body_text(document)
    assert (
        "1. de beleidsnotitie Internationale samenwerking van de gemeente Oosterhaven" in text
    )  # manual numbers


def test_an_own_house_style_gives_its_text_width_font_and_first_page(
    drafter: Drafter, tmp_path: Path
) -> None:
    """Columns are measured in the municipality's font and page; a letterhead on its first
    page stays on the raadsvoorstel's first page (so there the first page keeps its own footer)."""
    document = docx.Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = docx.shared.Cm(3)
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Briefhoofd Gemeente Testdorp"
    path = tmp_path / "briefhoofd.docx"
    document.save(str(path))
    style = wordwriter.load_style(path)
    assert style.own_first_page
    assert style.text_width == (section.page_width - 2 * docx.shared.Cm(3)) // 635
    assert style.font == "Cambria"  # python-docx's template: the theme's minor font
    loaded = drafter.load(example("lindewijk"))
    draft = drafter.draft(loaded, "raadsvoorstel")
    data = wordwriter.write(draft.blocks, draft.meta, style)
    assert b"<w:titlePg/>" in _document_xml(data)
    grid = [int(w) for w in re.findall(rb'<w:gridCol w:w="(\d+)"/>', _body(data))]
    assert grid and max(grid) < style.text_width
    tables = re.findall(rb"<w:tblGrid>(.*?)</w:tblGrid>", _body(data))
    assert all(sum(int(w) for w in re.findall(rb'w:w="(\d+)"', t)) <= style.text_width for t in tables)
    assert not wordwriter.load_style(own_style(tmp_path)).own_first_page


def test_bad_house_styles_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    doc = tmp_path / "oud.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UserError, match="geen Word-document"):
        wordwriter.load_style(doc)
    corrupt = tmp_path / "kapot.docx"
    corrupt.write_bytes(b"PK\x03\x04 niet echt")
    with pytest.raises(UserError, match="geen geldig Word-bestand"):
        wordwriter.load_style(corrupt)
    with pytest.raises(UserError, match="bestaat niet"):
        wordwriter.load_style(tmp_path / "nergens.docx")
    bomb = tmp_path / "bom.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/leeg.xml", b"\0" * (wordwriter.MAX_UNPACKED_BYTES + 1))
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(UserError, match="te groot"):
        wordwriter.load_style(bomb)


# --- a real client: LibreOffice ----------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_converts_every_example_to_pdf(rendered: dict[str, bytes], tmp_path: Path) -> None:
    import shutil
    import subprocess

    from pypdf import PdfReader

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for this test: run 'python3 tasks.py test', which installs it"
    for name, data in rendered.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    profile = (tmp_path / "profiel").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *[str(tmp_path / f"{n}.docx") for n in rendered],
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    for name in rendered:
        reader = PdfReader(str(tmp_path / f"{name}.pdf"))
        text = " ".join(page.extract_text() for page in reader.pages)
        text = re.sub(r"\s+", " ", text)
        assert len(reader.pages) >= 8
        assert "Beleidsnotitie internationale samenwerking" in text
        assert "Samenvatting en beslispunten" in text and "Aandachtspunten bij dit concept" in text
        assert f"Pagina 2 van {len(reader.pages)}" in text


def test_workshop_notes_appear_as_framed_notes(drafter: Drafter) -> None:
    loaded = drafter.load(example("veendrecht"))
    loaded.notes = {
        "visie": "De groep wil **meer** nadruk op jongeren.\n> geen citaat",
        "controle": "Elk jaar.",
    }
    draft = drafter.draft(loaded)
    notes = [blk for blk in draft.blocks if isinstance(blk, blocks.Paragraph) and blk.style == "note"]
    assert [blocks.plain(n.runs) for n in notes] == [
        "Toelichting uit de werksessie: De groep wil **meer** nadruk op jongeren.\n> geen citaat",
        "Toelichting uit de werksessie: Elk jaar.",
    ]
    document = open_docx(wordwriter.write(draft.blocks, draft.meta))
    assert sum(1 for p in document.paragraphs if p.style.name == "Quote") == 2


def test_raadsvoorstel_has_the_usual_structure_and_an_ontwerpbesluit(others: dict[str, bytes]) -> None:
    document = open_docx(others["veendrecht-raadsvoorstel"])
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "Raadsvoorstel: kader voor internationale samenwerking",
        "Onderwerp",
        "Beslispunten",
        "Inleiding",
        "Beoogd effect",
        "Argumenten",
        "Kanttekeningen en risico's",
        "Alternatieven",
        "Financiën",
        "Communicatie en participatie",
        "Uitvoering en evaluatie",
        "Bijlagen",
        "Ontwerpbesluit",
    ]
    text = body_text(document)
    # The decision points stand on their own: no "see chapter" references.
    decisions = text[text.index("Wij stellen de raad voor om:") : text.index("Inleiding")]
    assert "hoofdstuk" not in decisions and "Berkane (Marokko)" in decisions
    assert "gelet op artikel 108, artikel 160 en artikel 189 en volgende van de Gemeentewet;" in text
    assert "gelezen het voorstel van burgemeester en wethouders van" in text and "besluit:" in text
    props = document.core_properties
    assert props.title == "Raadsvoorstel kader internationale samenwerking – Gemeente Veendrecht"
    assert props.language == "nl-NL"


def test_document_yaml_mistakes_are_all_reported_with_their_line(tmp_path: Path) -> None:
    from wizard import documents
    from wizard.errors import DataError

    (tmp_path / "document.yaml").write_text(
        "titl: X\nonderwerp: Y\ntitelpagina: misschien\nkopregel: '{gemeent} · {titel}'\n"
        "inhoud_niveaus: 5\nachtervoegsel: 3\nlabels:\n  gemeente: Gemeente\n  stat: Status\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        documents.load("proef", tmp_path)
    text = str(caught.value)
    assert "regel 1 – titl: onbekend veld.\n    → Bedoelt u 'titel'?" in text
    assert "regel 3 – titelpagina: dit veld hoort ja of nee te zijn." in text
    assert "regel 4 – kopregel: onbekende plek '{gemeent}'" in text and "Bedoelt u 'gemeente'?" in text
    assert "regel 5 – inhoud_niveaus: kies 1, 2 of 3" in text
    assert "regel 6 – achtervoegsel: dit veld hoort tekst te zijn." in text
    assert "regel 9 – labels.stat: onbekend label." in text
    assert "labels: deze labels ontbreken: status, versie" in text
    assert "titel: dit veld ontbreekt." in text


def test_document_yaml_with_a_word_where_a_number_belongs_is_an_error_not_a_crash(tmp_path: Path) -> None:
    from wizard import documents
    from wizard.errors import DataError

    (tmp_path / "document.yaml").write_text(
        "titel: X\nonderwerp: Y\ninhoud_niveaus: twee\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as caught:
        documents.load("proef", tmp_path)
    assert "regel 3 – inhoud_niveaus: dit veld hoort een getal te zijn." in str(caught.value)


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_name_each_foundation_as_their_organisations_list_does(name: str) -> None:
    # A council member who reads "Stichting X" in a kanttekening finds the same X among the
    # organisations the note lists (Veendrecht once called one foundation by two names).
    text = example(name).read_text(encoding="utf-8")
    named = set(re.findall(r"Stichting(?: [A-Z][\w–-]*)+", text))
    listed = "\n".join(line for line in text.splitlines() if "organisaties:" in line)
    assert named, name
    assert {n for n in named if n not in listed} == set()
