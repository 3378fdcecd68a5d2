from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from .conftest import EXAMPLES, Result, example

Cli = Callable[..., Result]


def test_help_is_dutch(cli: Cli) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("--help")
    assert exc.value.code == 0


def test_help_text(capsys: pytest.CaptureFixture[str]) -> None:
    from wizard.cli import main

    with pytest.raises(SystemExit):
        main(["maak", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("Gebruik: beleidsnotitie maak")
    assert "--huisstijl" in out and "Opties:" in out


def test_usage_errors_are_dutch_with_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    from wizard.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["maak"])
    assert exc.value.code == 2
    assert "Fout: deze argumenten ontbreken" in capsys.readouterr().err


def test_make_writes_a_docx_that_reopens(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "v.docx"
    result = cli("maak", example("veendrecht"), "-o", target)
    assert result.code == 0, result.err
    proposal = tmp_path / "v-raadsvoorstel.docx"
    assert f"Geschreven: {target}, {proposal}" in result.out and "blokkerend" in result.out
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Gemeente Veendrecht" in text and "Berkane (Marokko)" in text
    text = "\n".join(p.text for p in docx.Document(str(proposal)).paragraphs)
    assert "Ontwerpbesluit" in text and "De raad van de gemeente Veendrecht," in text


def test_make_only_the_note_when_asked(cli: Cli, tmp_path: Path) -> None:
    result = cli("maak", example("veendrecht"), "-o", tmp_path, "--stukken", "notitie")
    assert result.code == 0, result.err
    assert [p.name for p in tmp_path.iterdir()] == ["veendrecht.docx"]


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--formaat", "pfd", "onbekend formaat 'pfd'.\n    → Bedoelt u 'pdf'?"),
        ("--formaat", ",", "geef minstens één formaat"),
        ("--stukken", "raadsvorstel", "Bedoelt u 'raadsvoorstel'?"),
    ],
)
def test_unknown_format_or_document_is_refused_before_any_work(
    cli: Cli, tmp_path: Path, option: str, value: str, said: str
) -> None:
    result = cli("maak", example("veendrecht"), "-o", tmp_path, option, value)
    assert result.code == 2 and said in result.err
    assert list(tmp_path.iterdir()) == []


def test_without_libreoffice_the_docx_is_still_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BELEIDSNOTITIE_SOFFICE", str(tmp_path / "geen-soffice"))
    # ODT needs LibreOffice (a PDF does not: tests/test_pdfwriter.py).
    result = cli("maak", example("veendrecht"), "-o", tmp_path, "--formaat", "odt", "--stukken", "notitie")
    assert result.code == 3
    line = next(line for line in result.err.splitlines() if "LibreOffice" in line)
    assert "geen ODT- of PDF-bestanden; wel .docx" in line and "BELEIDSNOTITIE_SOFFICE wijst naar" in line
    assert [p.name for p in tmp_path.iterdir()] == ["veendrecht.docx"]
    # Asked again for an ODT: the .docx that is already there is not replaced.
    before = (tmp_path / "veendrecht.docx").read_bytes()
    again = cli("maak", example("veendrecht"), "-o", tmp_path, "--formaat", "odt", "--stukken", "notitie")
    assert again.code == 3 and "veendrecht.docx' bestaat al en wordt niet overschreven" in again.err
    assert (tmp_path / "veendrecht.docx").read_bytes() == before


def test_make_never_overwrites_without_asking(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "v.docx"
    target.write_bytes(b"oud werk")
    result = cli("maak", example("veendrecht"), "-o", target)
    assert result.code == 2
    assert "bestaat al en wordt niet overschreven" in result.err and "--overschrijven" in result.err
    assert target.read_bytes() == b"oud werk"
    assert cli("maak", example("veendrecht"), "-o", target, "--overschrijven").code == 0
    assert target.read_bytes() != b"oud werk"


def test_make_batch_from_a_folder(cli: Cli, tmp_path: Path) -> None:
    from wizard.resources import examples_dir

    out = tmp_path / "uit"
    out.mkdir()
    result = cli("maak", examples_dir(), "-o", out)
    assert result.code == 0, result.err
    expected = sorted(f"{name}{suffix}.docx" for name in EXAMPLES for suffix in ("", "-raadsvoorstel"))
    assert sorted(p.name for p in out.iterdir()) == expected
    assert "Klaar: 6 bestanden geschreven." in result.out


def test_batch_reports_bad_files_and_still_writes_the_good_ones(
    cli: Cli, tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    good = write("in/goed.yaml", "gemeente_naam: Goed\n")
    write("in/fout.yaml", "inwoners: veel\n")
    out = tmp_path / "uit"
    out.mkdir()
    result = cli("maak", good.parent, "-o", out)
    assert result.code == 2
    assert "fout.yaml, regel 1 – inwoners: 'veel' is geen getal" in result.err
    assert sorted(p.name for p in out.iterdir()) == ["goed-raadsvoorstel.docx", "goed.docx"]


def test_an_output_folder_that_does_not_exist_is_made(cli: Cli, tmp_path: Path) -> None:
    from wizard.resources import examples_dir

    result = cli("maak", examples_dir(), "-o", tmp_path / "nieuw" / "uit", "--stukken", "notitie")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "nieuw" / "uit").iterdir()) == [
        f"{n}.docx" for n in sorted(EXAMPLES)
    ]
    # One answers file and -o ending in a slash: a folder, not 'nieuw.docx'.
    single = cli("maak", example("lindewijk"), "-o", f"{tmp_path / 'map'}/", "--stukken", "notitie")
    assert single.code == 0, single.err
    assert [p.name for p in (tmp_path / "map").iterdir()] == ["lindewijk.docx"]
    assert not (tmp_path / "map.docx").exists()
    named = cli(
        "maak", example("lindewijk"), "-o", tmp_path / "geen-map" / "uit.docx", "--stukken", "notitie"
    )
    assert named.code == 0, named.err
    assert [p.name for p in (tmp_path / "geen-map").iterdir()] == ["uit.docx"]


def test_bad_answers_file_gets_dutch_errors_and_no_traceback(
    cli: Cli, write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    path = write("fout.yaml", "gemeente_naam: X\ninwonrs: 5\nramp_beleid: soms\n")
    result = cli("maak", path, "-o", tmp_path / "x.docx")
    assert result.code == 2
    assert "Er zijn 2 problemen gevonden" in result.err
    assert "regel 2 – inwonrs" in result.err and "regel 3 – ramp_beleid" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "x.docx").exists()


def test_debug_shows_the_traceback(cli: Cli, write: Callable[[str, str], Path]) -> None:
    from wizard.errors import DataError

    path = write("fout.yaml", "inwonrs: 5\n")
    with pytest.raises(DataError):
        cli("--debug", "toets", path)


def test_check_exit_status_follows_the_threshold(cli: Cli, write: Callable[[str, str], Path]) -> None:
    veendrecht = cli("toets", example("veendrecht"))
    assert veendrecht.code == 1
    assert "Veendrecht" in veendrecht.out and "Kaderstellen" in veendrecht.out
    assert "[blokkerend] Band met een herkomstland zonder duidelijke rol voor migranten" in veendrecht.out
    # only tips: nothing reaches the default threshold (waarschuwing)
    quiet = write(
        "stil.yaml",
        "dienstreizen: true\ndienstreis_doel: true\ndienstreis_verslag: true\ndienstreis_openbaar: false\n",
    )
    args = [
        "--zonder-regel",
        "geen-doelen",
        "--zonder-regel",
        "geen-visie",
        "--zonder-regel",
        "geen-motieven",
        "--zonder-regel",
        "geen-alternatieven",
        "--zonder-regel",
        "geen-evaluatie-beleid",
        "--zonder-regel",
        "geen-rapportage",
        "--zonder-regel",
        "geen-maatschappelijke-organisaties",
    ]
    result = cli("toets", quiet, *args)
    assert result.code == 0, result.out
    assert "dienstreis-niet-openbaar" in result.out
    assert cli("toets", quiet, *args, "--drempel", "tip").code == 1


def test_check_json_shape(cli: Cli) -> None:
    result = cli("toets", "--json", example("oosterhaven"), example("lindewijk"))
    data = json.loads(result.out)
    assert data["formaat"] == 1 and len(data["bestanden"]) == 2
    first = data["bestanden"][0]
    assert first["gemeente"] == "Oosterhaven"
    ids = {f["regel"] for f in first["bevindingen"]}
    assert {"eu-subsidie-zonder-doel", "herkomstland-rol-migranten", "doel-zonder-termijn"} <= ids
    finding = first["bevindingen"][0]
    assert set(finding) == {
        "regel",
        "titel",
        "ernst",
        "rol",
        "melding",
        "uitleg",
        "advies",
        "bron",
        "onderdeel",
    }
    assert first["telling"]["blokkerend"] == sum(
        1 for f in first["bevindingen"] if f["ernst"] == "blokkerend"
    )


def test_rules_listing_and_json(cli: Cli) -> None:
    listing = cli("regels")
    assert listing.code == 0 and "ramp-ad-hoc" in listing.out
    data = json.loads(cli("regels", "--json").out)
    assert {"ramp-ad-hoc", "herkomstland-rol-migranten"} <= {r["id"] for r in data["regels"]}


def test_rules_check_runs_the_examples_of_own_rules(cli: Cli, write: Callable[[str, str], Path]) -> None:
    path = write(
        "mijn/regels.yaml",
        """\
        regels:
          - id: geen-coordinator
            titel: Geen coördinator
            ernst: tip
            rol: kaderstellen
            als: {veld: coordinator, is: false}
            melding: Er is geen coördinator.
            uitleg: Zonder coördinator ligt het werk stil.
            advies: Wijs een coördinator aan.
            bron: {document: NCDO 2008}
            voorbeelden:
              wel: [{coordinator: false}]
              niet: [{coordinator: false}]
        """,
    )
    result = cli("regels", "--controleer", path.parent)
    assert result.code == 2
    assert "geen-coordinator voorbeelden.niet[0]: de regel gaat af" in result.err


def test_schema_and_example_commands(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    assert cli("schema", "-o", target).code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["properties"]["gemeente_naam"]["title"]
    copied = tmp_path / "v.yaml"
    assert cli("voorbeeld", "veendrecht", "-o", copied).code == 0
    assert copied.read_bytes() == example("veendrecht").read_bytes()
    wrong = cli("voorbeeld", "veendrect")
    assert wrong.code == 2 and "Bedoelt u 'veendrecht'?" in wrong.err


@pytest.mark.parametrize("args", [["--help"], ["toets", "VOORBEELD"], ["regels"]])
def test_light_commands_do_not_import_python_docx(args: list[str]) -> None:
    args = [str(example("lindewijk")) if a == "VOORBEELD" else a for a in args]
    code = (
        "import sys\nfrom wizard.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "assert 'docx' not in sys.modules, 'python-docx imported'\n"
        "assert 'questionary' not in sys.modules, 'questionary imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_maak_with_a_prepared_house_style_does_not_import_python_docx(tmp_path: Path) -> None:
    """The second `maak` reads the prepared house style from the cache: no python-docx, no lxml."""
    code = (
        "import sys\nfrom wizard.cli import main\n"
        f"main(['maak', {str(example('lindewijk'))!r}, '-o', sys.argv[1], '--overschrijven'])\n"
        "print('docx' in sys.modules, 'lxml' in sys.modules)\n"
    )
    target = str(tmp_path / "l.docx")
    runs = [
        subprocess.run([sys.executable, "-c", code, target], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert runs[1].stdout.splitlines()[-1] == "False False", runs[1].stdout
    assert docx.Document(target).paragraphs[0].text == "Beleidsnotitie internationale samenwerking"


def test_wizard_reaches_its_first_question_without_yaml_jinja_or_docx() -> None:
    """What `start` needs before the first question: the questionnaire (cached) and questionary."""
    code = (
        "import sys\nimport wizard.cli, wizard.session, wizard.prompts\n"
        "from wizard import questionnaire\nquestionnaire.load_cached()\nquestionnaire.load_cached()\n"
        "print(sorted(m for m in ('yaml', 'jinja2', 'docx', 'lxml', 'wizard.rules') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_own_templates_replace_a_chapter_of_the_note_and_the_raadsvoorstel(
    cli: Cli, tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    write("eigen/hoofdstukken/03_visie.md.j2", "# 3. Onze visie\n\nEigen tekst over {{ gemeente }}.\n")
    write("eigen/raadsvoorstel/raadsvoorstel.md.j2", "# Voorstel\n\nKort voorstel voor {{ gemeente }}.\n")
    result = cli("maak", example("veendrecht"), "-o", tmp_path / "v.docx", "--sjablonen", tmp_path / "eigen")
    assert result.code == 0, result.err
    note = "\n".join(p.text for p in docx.Document(str(tmp_path / "v.docx")).paragraphs)
    assert "Eigen tekst over Veendrecht." in note and "4. Motieven, doelen en thema's" in note
    proposal = [p.text for p in docx.Document(str(tmp_path / "v-raadsvoorstel.docx")).paragraphs]
    assert proposal == ["Voorstel", "Kort voorstel voor Veendrecht."]


@pytest.mark.slow
def test_output_name_with_pdf_means_pdf(cli: Cli, tmp_path: Path) -> None:
    result = cli("maak", example("lindewijk"), "-o", tmp_path / "concept.pdf", "--stukken", "notitie")
    assert result.code == 0, result.err
    assert [p.name for p in tmp_path.iterdir()] == ["concept.pdf"]
    assert (tmp_path / "concept.pdf").read_bytes().startswith(b"%PDF")
