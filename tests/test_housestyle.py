"""House styles from anywhere: saved by LibreOffice, with macros or links to elsewhere, with
broken numbering; and what every .docx declares (Word compatibility level, the program)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from wizard import office
from wizard.resources import templates_dir

from .conftest import Result, example

Cli = Callable[..., Result]
BUNDLED = templates_dir() / "huisstijl.docx"


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def assert_valid(path: Path) -> None:
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(path))
    assert result.is_valid, [str(e) for e in result.errors[:5]]


def rebuild(source: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    content = parts(source)
    change(content)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in content.items():
            package.writestr(name, data)
    return target


@pytest.fixture(scope="module")
def libreoffice_style(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled house style, opened and saved again as .docx by LibreOffice."""
    found = office.find()
    assert found is not None, "LibreOffice with python3-uno is needed (python3 tasks.py test installs it)"
    folder = tmp_path_factory.mktemp("lo")
    subprocess.run(
        [
            str(found.soffice),
            "--headless",
            f"-env:UserInstallation={(folder / 'profiel').as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder / "uit"),
            str(BUNDLED),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = folder / "uit" / "huisstijl.docx"
    styles = parts(saved)["word/styles.xml"].decode("utf-8")
    # What made python-docx's lookup by display name fail: LibreOffice's own names and ids.
    assert '<w:name w:val="Heading 1"/>' in styles and 'w:styleId="Contents1"' in styles
    return saved


@pytest.mark.slow
def test_a_house_style_saved_by_libreoffice_works(cli: Cli, tmp_path: Path, libreoffice_style: Path) -> None:
    target = tmp_path / "notitie.docx"
    result = cli("maak", example("oosterhaven"), "--huisstijl", libreoffice_style, "-o", target)
    assert result.code == 0, result.err
    assert "heeft geen opmaakprofiel" not in result.err
    body = parts(target)["word/document.xml"].decode("utf-8")
    assert '<w:pStyle w:val="Heading1"/>' in body and '<w:pStyle w:val="Contents1"/>' in body
    assert '<w:pStyle w:val="ListBullet"/>' in body and '<w:tblStyle w:val="TableGrid"/>' in body
    assert_valid(target)


MACRO_RELS = (
    b'<Relationship Id="rIdMacro" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
    b'Target="vbaProject.bin"/>'
    b'<Relationship Id="rIdLink" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
    b'Target="https://intranet.example/huisstijl" TargetMode="External"/>'
    b"</Relationships>"
)
SETTINGS_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rIdSjabloon" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
    b'Target="file://server/sjablonen/Normal.dotm" TargetMode="External"/></Relationships>'
)


def with_macros_and_links(content: dict[str, bytes]) -> None:
    content["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 macro's"
    content["word/_rels/document.xml.rels"] = content["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", MACRO_RELS
    )
    content["[Content_Types].xml"] = content["[Content_Types].xml"].replace(
        b"<Default ",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ',
        1,
    )
    content["word/_rels/settings.xml.rels"] = SETTINGS_RELS
    content["word/settings.xml"] = content["word/settings.xml"].replace(
        b"<w:defaultTabStop", b'<w:attachedTemplate r:id="rIdSjabloon"/><w:defaultTabStop', 1
    )


def test_macros_and_external_links_in_a_house_style_are_not_copied(cli: Cli, tmp_path: Path) -> None:
    style = rebuild(BUNDLED, tmp_path / "met-macro.docx", with_macros_and_links)
    assert b"vbaProject" in parts(style)["word/_rels/document.xml.rels"]
    target = tmp_path / "notitie.docx"
    result = cli("maak", example("lindewijk"), "--huisstijl", style, "-o", target, "--stukken", "notitie")
    assert result.code == 0, result.err
    written = parts(target)
    assert "word/vbaProject.bin" not in written
    rels = b"".join(data for name, data in written.items() if name.endswith(".rels"))
    assert b"vbaProject" not in rels and b"External" not in rels
    assert b"server/sjablonen" not in rels and b"intranet" not in rels
    assert b"attachedTemplate" not in written["word/settings.xml"]
    assert b"vbaProject" not in written["[Content_Types].xml"]
    assert_valid(target)


def test_a_house_style_with_broken_numbering_still_works(cli: Cli, tmp_path: Path) -> None:
    def break_numbering(content: dict[str, bytes]) -> None:
        content["word/numbering.xml"] = re.sub(
            rb'w:numId="\d+"', b'w:numId="kapot"', content["word/numbering.xml"]
        )

    style = rebuild(BUNDLED, tmp_path / "kapot.docx", break_numbering)
    target = tmp_path / "notitie.docx"
    result = cli("maak", example("oosterhaven"), "--huisstijl", style, "-o", target, "--stukken", "notitie")
    assert result.code == 0, result.err
    assert target.stat().st_size > 10_000


def test_every_docx_declares_the_current_word_and_the_program_that_made_it(cli: Cli, tmp_path: Path) -> None:
    from wizard import __version__

    target = tmp_path / "notitie.docx"
    assert cli("maak", example("lindewijk"), "-o", target, "--stukken", "notitie").code == 0
    written = parts(target)
    assert (
        b'<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        in written["word/settings.xml"]
    )
    app = written["docProps/app.xml"].decode("utf-8")
    assert f"<Application>beleidsnotitie {__version__}</Application>" in app
    assert "Microsoft" not in app and "<Pages>" not in app
    assert_valid(target)


def test_the_word_writer_has_no_import_cycle() -> None:
    """wordpackage ← housestyle and wordpackage ← wordwriter; only wordwriter.load_style calls
    housestyle, inside the function, for a style not yet in the cache."""
    import ast

    package = Path(__file__).parents[1] / "wizard"

    def top_level_imports(name: str) -> set[str]:
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        found = set()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        return found

    assert not {m for m in top_level_imports("housestyle") if "wordwriter" in m}
    assert not {m for m in top_level_imports("wordwriter") if "housestyle" in m}
    assert not {m for m in top_level_imports("wordpackage") if m.startswith("wizard")}


def test_a_house_style_with_another_namespace_prefix_works(cli: Cli, tmp_path: Path) -> None:
    def rename_prefix(content: dict[str, bytes]) -> None:
        for name in list(content):
            if name.startswith("word/") and name.endswith(".xml") and "theme" not in name:
                text = content[name].decode("utf-8")
                text = re.sub(r"(</?|\s)w:", r"\1x:", text).replace("xmlns:w=", "xmlns:x=")
                content[name] = text.encode("utf-8")

    style = rebuild(BUNDLED, tmp_path / "voorvoegsel.docx", rename_prefix)
    assert b"<x:body>" in parts(style)["word/document.xml"]
    target = tmp_path / "notitie.docx"
    result = cli("maak", example("lindewijk"), "--huisstijl", style, "-o", target, "--stukken", "notitie")
    assert result.code == 0, result.err
    assert_valid(target)


def test_a_house_style_with_a_non_ascii_part_name_works(cli: Cli, tmp_path: Path) -> None:
    def accent(content: dict[str, bytes]) -> None:
        content["word/theme/thème1.xml"] = content.pop("word/theme/theme1.xml")
        for name in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
            content[name] = content[name].replace(b"theme/theme1.xml", "theme/thème1.xml".encode())

    style = rebuild(BUNDLED, tmp_path / "accent.docx", accent)
    target = tmp_path / "notitie.docx"
    result = cli("maak", example("lindewijk"), "--huisstijl", style, "-o", target, "--stukken", "notitie")
    assert result.code == 0, result.err
    with zipfile.ZipFile(target) as package:
        assert "word/theme/thème1.xml" in package.namelist()
        assert package.testzip() is None


# --- hostile round 3: fields that fetch, protection, default namespace, odd packages ---------

SIMPLE_FETCH = (
    b"<w:fldSimple w:instr=' INCLUDEPICTURE \"http://beacon.invalid/pixel.png\" \\d '>"
    b"<w:r><w:t>Logo</w:t></w:r></w:fldSimple>"
)
COMPLEX_FETCH = (
    b'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    b'<w:r><w:instrText xml:space="preserve"> INCLUDETEXT "\\\\\\\\beacon.invalid\\\\share\\\\x.docx" </w:instrText></w:r>'
    b'<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    b"<w:r><w:t>Kopregel van de gemeente</w:t></w:r>"
    b'<w:r><w:fldChar w:fldCharType="end"/></w:r>'
)
NESTED_FETCH = (  # { INCLUDEPICTURE "{ DOCPROPERTY logo }" } in the footer, beside a PAGE field
    b'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    b'<w:r><w:instrText xml:space="preserve"> INCLUDEPICTURE "</w:instrText></w:r>'
    b'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    b'<w:r><w:instrText xml:space="preserve"> DOCPROPERTY logo </w:instrText></w:r>'
    b'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>http://beacon.invalid/b.png</w:t></w:r>'
    b'<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    b'<w:r><w:instrText xml:space="preserve">" \\d </w:instrText></w:r>'
    b'<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    b"<w:r><w:t>Voettekst</w:t></w:r>"
    b'<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    b'<w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
)


def style_with_header_and_footer(tmp_path: Path) -> Path:
    import docx

    document = docx.Document(str(BUNDLED))
    document.sections[0].header.paragraphs[0].text = "KOP"
    document.sections[0].footer.paragraphs[0].text = "VOET"
    path = tmp_path / "kop-en-voet.docx"
    document.save(str(path))
    return path


def test_fields_that_fetch_outside_content_are_not_copied_from_a_house_style(
    cli: Cli, tmp_path: Path
) -> None:
    def add_fields(content: dict[str, bytes]) -> None:
        for name in list(content):
            if name.startswith("word/header"):
                content[name] = content[name].replace(
                    b"<w:r><w:t>KOP</w:t></w:r>", SIMPLE_FETCH + COMPLEX_FETCH
                )
            if name.startswith("word/footer"):
                content[name] = content[name].replace(b"<w:r><w:t>VOET</w:t></w:r>", NESTED_FETCH)

    style = rebuild(style_with_header_and_footer(tmp_path), tmp_path / "velden.docx", add_fields)
    assert b"INCLUDETEXT" in b"".join(parts(style).values())
    target = tmp_path / "notitie.docx"
    result = cli("maak", example("lindewijk"), "--huisstijl", style, "-o", target)
    assert result.code == 0, result.err
    for written in (target, tmp_path / "notitie-raadsvoorstel.docx"):
        content = parts(written)
        everything = b"".join(content.values())
        assert (
            b"beacon" not in everything and b"INCLUDE" not in everything and b"DOCPROPERTY" not in everything
        )
        header = b"".join(data for name, data in content.items() if name.startswith("word/header"))
        footer = b"".join(data for name, data in content.items() if name.startswith("word/footer"))
        assert b"<w:t>Logo</w:t>" in header and b"<w:t>Kopregel van de gemeente</w:t>" in header
        assert b"<w:t>Voettekst</w:t>" in footer and b'w:instr="PAGE"' in footer
        assert_valid(written)


def test_document_protection_of_a_house_style_is_not_copied(cli: Cli, tmp_path: Path) -> None:
    def protect(content: dict[str, bytes]) -> None:
        content["word/settings.xml"] = content["word/settings.xml"].replace(
            b"<w:defaultTabStop",
            b'<w:writeProtection w:recommended="1"/>'
            b'<w:documentProtection w:edit="readOnly" w:enforcement="1"/><w:defaultTabStop',
            1,
        )

    style = rebuild(BUNDLED, tmp_path / "beschermd.docx", protect)
    assert b"documentProtection" in parts(style)["word/settings.xml"]
    target = tmp_path / "notitie.docx"
    assert cli("maak", example("lindewijk"), "--huisstijl", style, "-o", target).code == 0
    for written in (target, tmp_path / "notitie-raadsvoorstel.docx"):
        settings = parts(written)["word/settings.xml"]
        assert b"documentProtection" not in settings and b"writeProtection" not in settings
        assert_valid(written)


def test_a_styles_part_with_a_default_namespace_and_bare_attributes_is_understood(
    cli: Cli, tmp_path: Path
) -> None:
    def default_namespace(content: dict[str, bytes]) -> None:
        text = content["word/styles.xml"].decode("utf-8")
        text = re.sub(r"(</?)w:", r"\1", text).replace("xmlns:w=", "xmlns=")
        text = re.sub(r"(\s)w:(\w+=)", r"\1\2", text)  # bare attributes: no namespace at all
        content["word/styles.xml"] = text.encode("utf-8")

    style = rebuild(BUNDLED, tmp_path / "standaardnaamruimte.docx", default_namespace)
    assert b'<style type="paragraph"' in parts(style)["word/styles.xml"]
    target = tmp_path / "notitie.docx"
    result = cli("maak", example("lindewijk"), "--huisstijl", style, "-o", target, "--stukken", "notitie")
    assert result.code == 0, result.err
    assert "opmaakprofiel" not in result.err and "tabelstijl" not in result.err
    document = parts(target)["word/document.xml"]
    assert b'<w:pStyle w:val="Title"/>' in document and b'<w:tblStyle w:val="TableGrid"/>' in document
    assert_valid(target)


def test_a_macro_template_and_a_word_document_with_another_extension_get_true_messages(
    cli: Cli, tmp_path: Path
) -> None:
    def macro_template(content: dict[str, bytes]) -> None:
        with_macros_and_links(content)
        content["[Content_Types].xml"] = content["[Content_Types].xml"].replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
        )

    dotm = rebuild(BUNDLED, tmp_path / "huisstijl.dotm", macro_template)
    result = cli("maak", example("lindewijk"), "--huisstijl", dotm, "-o", tmp_path / "n.docx")
    assert result.code == 2
    assert " ".join(result.err.split()) == (
        "Fout: 'huisstijl.dotm' is een Word-sjabloon met macro's (.dotm); de tool neemt geen macro's over. "
        "→ Sla de huisstijl in Word op als Word-sjabloon (.dotx) of als Word-document (.docx), zonder macro's."
    )
    odt = tmp_path / "huisstijl.odt"
    odt.write_bytes(BUNDLED.read_bytes())
    result = cli("maak", example("lindewijk"), "--huisstijl", odt, "-o", tmp_path / "n.docx")
    assert result.code == 2
    assert " ".join(result.err.split()) == (
        "Fout: 'huisstijl.odt' is een Word-document, maar de naam eindigt op '.odt'. "
        "→ Geef het bestand de extensie .docx en probeer het opnieuw."
    )
    assert not (tmp_path / "n.docx").exists()


def _patch_central_directory(data: bytes, offset: int, value: int) -> bytes:
    """Set a 2-byte field (8: flags, 10: compression method) of every central directory entry."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        out[at + offset : at + offset + 2] = value.to_bytes(2, "little")
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


LOCKED_MESSAGE = (
    "Fout: 'beveiligd.docx' is beveiligd met een wachtwoord; daardoor kan de tool het niet lezen. "
    "→ Open het in Word, haal het wachtwoord weg (Bestand > Info > Document beveiligen > "
    "Versleutelen met wachtwoord: leeg laten) en sla het opnieuw op."
)


@pytest.mark.parametrize(
    ("what", "message"),
    [
        ("office-encrypted", LOCKED_MESSAGE),
        ("zip-encrypted-flag", LOCKED_MESSAGE),
        (
            "deflate64",
            "Fout: 'beveiligd.docx' is ingepakt op een manier die de tool niet kan lezen (bijvoorbeeld "
            "Deflate64, door een zip-programma). → Open het in Word en sla het opnieuw op als .docx; "
            "Word pakt het dan gewoon in.",
        ),
        (
            "word-97",
            "Fout: 'beveiligd.docx' is een Word-bestand in het oude formaat (Word 97-2003), geen .docx. "
            "→ Open het in Word en sla het op als Word-document (.docx) of Word-sjabloon (.dotx).",
        ),
    ],
)
def test_a_house_style_with_a_password_or_unusual_packing_gets_a_dutch_message(
    cli: Cli, tmp_path: Path, what: str, message: str
) -> None:
    from wizard.wordpackage import OLE_MAGIC

    data = BUNDLED.read_bytes()
    style = tmp_path / "beveiligd.docx"
    style.write_bytes(
        {
            "office-encrypted": OLE_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(64),
            "zip-encrypted-flag": _patch_central_directory(data, 8, 0x1),
            "deflate64": _patch_central_directory(data, 10, 9),
            "word-97": OLE_MAGIC + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(64),
        }[what]
    )
    result = cli("maak", example("lindewijk"), "--huisstijl", style, "-o", tmp_path / "n.docx")
    assert result.code == 2, result.err
    assert " ".join(result.err.split()) == message


def test_strict_open_xml_and_a_missing_part_get_dutch_messages_without_english(
    cli: Cli, tmp_path: Path
) -> None:
    def strict(content: dict[str, bytes]) -> None:
        content["_rels/.rels"] = content["_rels/.rels"].replace(
            b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
            b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
        )

    result = cli(
        "maak", example("lindewijk"), "--huisstijl", rebuild(BUNDLED, tmp_path / "strikt.docx", strict)
    )
    assert result.code == 2
    assert " ".join(result.err.split()) == (
        "Fout: 'strikt.docx' is opgeslagen als 'Strikt Open XML-document'; dat formaat kan de tool niet "
        "lezen. → Open het in Word en sla het op als gewoon Word-document (.docx) of Word-sjabloon (.dotx)."
    )

    def without_body(content: dict[str, bytes]) -> None:
        content["word/inhoud.xml"] = content.pop("word/document.xml")

    result = cli(
        "maak", example("lindewijk"), "--huisstijl", rebuild(BUNDLED, tmp_path / "leeg.docx", without_body)
    )
    assert result.code == 2
    assert " ".join(result.err.split()) == (
        "Fout: 'leeg.docx' kan niet als Word-document worden geopend: het onderdeel 'word/document.xml' "
        "ontbreekt. → Open het in Word, sla het opnieuw op als .docx en probeer het nog eens."
    )
