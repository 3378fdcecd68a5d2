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
