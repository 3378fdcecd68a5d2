"""One way to publish (wizard/publish.py): locked files, files that appear during a run,
inputs never replaced, output folders made, exit statuses, and the command-line conventions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from wizard import __version__, atomic
from wizard.errors import EXIT_DATA_ERROR, EXIT_ENVIRONMENT, EXIT_INTERNAL

from .conftest import Result, example

Cli = Callable[..., Result]
LOCKED = "is geopend in een ander programma en kan niet worden vervangen; sluit het bestand in Word en probeer opnieuw."


def lock(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Windows refuses to replace a file Word holds open: os.replace raises PermissionError."""
    real = atomic._replace

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(target).name in names:
            raise PermissionError(13, "Access is denied", str(target))
        real(source, target)

    monkeypatch.setattr(atomic, "_replace", replace)


def test_a_document_open_in_word_is_named_and_the_rest_is_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "veendrecht.docx"
    target.write_bytes(b"open in Word")
    lock(monkeypatch, "veendrecht.docx")
    result = cli("maak", example("veendrecht"), "-o", target, "--overschrijven")
    assert result.code == EXIT_ENVIRONMENT
    assert f"'{target}' {LOCKED}" in result.err
    assert target.read_bytes() == b"open in Word"
    assert f"Geschreven: {tmp_path / 'veendrecht-raadsvoorstel.docx'}" in result.out
    assert "Er is 1 probleem gevonden; 1 bestand is wel geschreven, dit niet:" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["veendrecht-raadsvoorstel.docx", "veendrecht.docx"]


def test_a_locked_file_in_a_batch_costs_only_that_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wizard.resources import examples_dir

    out = tmp_path / "uit"
    out.mkdir()
    (out / "lindewijk.docx").write_bytes(b"open in Word")
    lock(monkeypatch, "lindewijk.docx")  # the worker processes are forked: they inherit the lock
    result = cli("maak", examples_dir(), "-o", out, "--stukken", "notitie", "--overschrijven")
    assert result.code == EXIT_ENVIRONMENT
    assert f"- {example('lindewijk')}: '{out / 'lindewijk.docx'}' {LOCKED}" in result.err
    assert f"Geschreven: {out / 'oosterhaven.docx'}" in result.out
    assert f"Geschreven: {out / 'veendrecht.docx'}" in result.out
    assert "Er is 1 probleem gevonden; 2 bestanden zijn wel geschreven, dit niet:" in result.err
    assert (out / "lindewijk.docx").read_bytes() == b"open in Word"


@pytest.mark.slow
def test_a_pdf_open_in_a_reader_is_named(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = tmp_path / "lindewijk.pdf"
    pdf.write_bytes(b"open in Acrobat")
    lock(monkeypatch, "lindewijk.pdf")
    result = cli(
        "maak",
        example("lindewijk"),
        "-o",
        pdf,
        "--stukken",
        "notitie",
        "--overschrijven",
        "--formaat",
        "docx,pdf",
    )
    assert result.code == EXIT_ENVIRONMENT, result.err
    assert f"'{pdf}' {LOCKED}" in result.err
    assert pdf.read_bytes() == b"open in Acrobat"
    assert (tmp_path / "lindewijk.docx").stat().st_size > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "lindewijk.docx",
        "lindewijk.pdf",
    ]  # no temporary files


def test_a_file_that_appears_during_the_run_is_not_overwritten(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wizard.draft import Drafter

    target = tmp_path / "v.docx"
    real = Drafter.write

    def write_while_someone_saves(self: Drafter, draft: object) -> bytes:
        target.write_bytes(b"net opgeslagen door een collega")
        return real(self, draft)  # type: ignore[arg-type]

    monkeypatch.setattr(Drafter, "write", write_while_someone_saves)
    result = cli("maak", example("veendrecht"), "-o", target, "--stukken", "notitie")
    assert result.code == EXIT_DATA_ERROR
    assert f"'{target}' is ontstaan terwijl de tool werkte en wordt niet overschreven." in result.err
    assert target.read_bytes() == b"net opgeslagen door een collega"
    assert [p.name for p in tmp_path.iterdir()] == ["v.docx"]


def test_an_answers_file_is_never_replaced_by_its_own_output(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "x.docx"
    answers.write_bytes(example("lindewijk").read_bytes())
    result = cli("maak", answers, "-o", answers, "--stukken", "notitie", "--overschrijven")
    assert result.code == EXIT_DATA_ERROR
    assert f"'{answers}' is het invoerbestand zelf en wordt nooit door een document vervangen." in result.err
    assert answers.read_bytes() == example("lindewijk").read_bytes()


def test_without_libreoffice_vragen_writes_the_docx_as_maak_does(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BELEIDSNOTITIE_SOFFICE", str(tmp_path / "geen-soffice"))
    result = cli("vragen", "-o", tmp_path / "werkblad", "--formaat", "odt")  # a PDF needs no LibreOffice
    assert result.code == EXIT_ENVIRONMENT
    assert "Let op: er komen geen ODT- of PDF-bestanden; wel .docx." in result.err
    assert [p.name for p in tmp_path.iterdir()] == ["werkblad.docx"]


def test_version_in_both_languages(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    for option in ("--version", "--versie"):
        with pytest.raises(SystemExit) as stop:
            cli(option)
        assert stop.value.code == 0
        assert capsys.readouterr().out == f"beleidsnotitie {__version__}\n"


def test_pyproject_reads_the_one_version() -> None:
    text = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in text and 'path = "wizard/__init__.py"' in text


def test_argparse_speaks_dutch(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli("toets", "x.yaml", "--drempel", "alles")
    assert stop.value.code == EXIT_DATA_ERROR
    err = capsys.readouterr().err
    assert (
        "Fout: optie --drempel: ongeldige keuze: 'alles' (kies uit 'blokkerend', 'waarschuwing', 'tip')"
        in err
    )
    for english in ("choose from", "usage:", "invalid", "argument", "error:"):
        assert english not in err


def test_debug_counts_anywhere_on_the_line(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "weg.yaml"
    with pytest.raises(Exception, match="bestand niet gevonden"):
        cli("toets", missing, "--debug")
    assert cli("toets", missing).code == EXIT_DATA_ERROR


def test_a_bug_is_logged_and_says_where(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wizard import cli as cli_mod

    def broken(args: object) -> int:
        raise ZeroDivisionError("deling door nul")

    monkeypatch.setitem(cli_mod._COMMANDS, "regels", broken)
    result = cli("regels")
    assert result.code == EXIT_INTERNAL
    log = Path(os.environ["XDG_CACHE_HOME"]) / "beleidsnotitie" / "fouten.log"
    assert (
        f"Fout: er ging iets onverwachts mis in de tool (ZeroDivisionError). De details staan in {log}."
        in result.err
    )
    assert "Traceback" not in result.err
    assert "ZeroDivisionError: deling door nul" in log.read_text(encoding="utf-8")


def run_tool(*args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        capture_output=True,
        env={**os.environ, **env},
        check=False,
        timeout=120,
    )


def test_a_broken_pipe_is_silent() -> None:
    """`beleidsnotitie regels | head -0`: the reader is gone before the first line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "wizard", "regels"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # long before the tool has loaded its rules
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == 0
    assert err == b""


def test_json_to_a_file_is_utf8_even_where_the_console_is_cp1252(tmp_path: Path) -> None:
    result = run_tool("toets", str(example("veendrecht")), "--json", PYTHONIOENCODING="cp1252")
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["bestanden"][0]["gemeente"] == "Veendrecht"
    assert "ë" in result.stdout.decode("utf-8") or "é" in result.stdout.decode("utf-8")


def test_a_bug_with_one_file_of_a_batch_costs_only_that_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wizard.draft import Drafter
    from wizard.resources import examples_dir

    real = Drafter.drafts

    def drafts(self: Drafter, answers: object, kinds: object, final: bool = False) -> object:
        if answers.get("gemeente_naam") == "Veendrecht":  # type: ignore[attr-defined]
            raise KeyError("een fout in de tool")
        return real(self, answers, kinds, final)  # type: ignore[arg-type]

    monkeypatch.setattr(Drafter, "drafts", drafts)  # the forked workers inherit it
    out = tmp_path / "uit"
    result = cli("maak", examples_dir(), "-o", out, "--stukken", "notitie")
    assert result.code == EXIT_INTERNAL
    log = Path(os.environ["XDG_CACHE_HOME"]) / "beleidsnotitie" / "fouten.log"
    assert (
        f"- {example('veendrecht')}: er ging iets onverwachts mis in de tool (KeyError). De details staan in {log}."
        in result.err
    )
    assert "Er is 1 probleem gevonden; 2 bestanden zijn wel geschreven, dit niet:" in result.err
    assert sorted(p.name for p in out.iterdir()) == ["lindewijk.docx", "oosterhaven.docx"]


@pytest.mark.slow
def test_folders_with_spaces_and_accents_as_on_onedrive(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "OneDrive - Gemeente Zoë" / "Raad & Griffie (2026)"
    folder.mkdir(parents=True)
    answers = folder / "mijn gemeente.yaml"
    answers.write_bytes(example("lindewijk").read_bytes())
    result = cli(
        "maak", answers, "--formaat", "docx,pdf", "--stukken", "notitie", "-o", f"{folder / 'concepten'}/"
    )
    assert result.code == 0, result.err
    assert sorted(p.name for p in (folder / "concepten").iterdir()) == [
        "mijn gemeente.docx",
        "mijn gemeente.pdf",
    ]
    assert (folder / "concepten" / "mijn gemeente.pdf").read_bytes().startswith(b"%PDF")


def test_vragen_makes_the_folder_that_o_names(cli: Cli, tmp_path: Path) -> None:
    result = cli("vragen", "-o", tmp_path / "nieuw" / "werkblad")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "nieuw").iterdir()) == ["werkblad.docx", "werkblad.md"]


# --- hostile round 3: full disks, names Windows cannot hold, -o for every command ----------


def test_a_file_too_large_for_the_limit_gets_a_dutch_message_and_no_empty_folder(tmp_path: Path) -> None:
    """A real limit on file size (ulimit -f: EFBIG), in a process of its own."""
    import resource

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    result = subprocess.run(
        [sys.executable, "-m", "wizard", "maak", str(example("lindewijk")), "-o", "uit/notitie.docx"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=small_files,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == EXIT_ENVIRONMENT, result.stderr
    hint = (
        "→ Kies met -o een map op een andere schijf; of vraag de beheerder naar de grens voor de "
        "bestandsgrootte (ulimit -f)."
    )
    assert " ".join(result.stderr.split()) == " ".join(
        f"Er zijn 2 problemen gevonden; er is niets geschreven: "
        f"- {example('lindewijk')}: 'uit/notitie.docx' is te groot voor deze schijf, of voor de grens die "
        f"voor dit programma geldt. {hint} "
        f"- {example('lindewijk')}: 'uit/notitie-raadsvoorstel.docx' is te groot voor deze schijf, of voor "
        f"de grens die voor dit programma geldt. {hint}".split()
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "uit").exists()  # made for the first file, taken away again


FULL = (
    "de schijf is vol: '{path}' kan niet worden geschreven.",
    "Maak ruimte vrij op de schijf (of kies met -o een map op een andere schijf) en probeer het opnieuw.",
)
READ_ONLY = (
    "de map '{folder}' staat op een schijf die alleen gelezen kan worden.",
    "Kies met -o een map op een schijf waarop u mag schrijven.",
)
NOT_ALLOWED = (
    "in de map '{folder}' mag niet worden geschreven.",
    "Kies een map waarin u bestanden mag opslaan.",
)


@pytest.mark.parametrize(
    ("code", "messages"),
    [("ENOSPC", [FULL, FULL]), ("EROFS", [READ_ONLY]), ("EPERM", [NOT_ALLOWED])],
)
def test_a_full_or_read_only_disk_gets_a_dutch_message_once_per_problem(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str, messages: list[tuple[str, str]]
) -> None:
    """The disk refuses at the moment the data is put on it (atomic._fsync). The note and the
    raadsvoorstel of one answers file: a full disk names each file, a read-only or locked
    folder is said once; no hidden temporary file stays behind."""
    import errno

    def refuse(descriptor: int) -> None:
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)))

    monkeypatch.setattr(atomic, "_fsync", refuse)
    folder = tmp_path / "uit"
    folder.mkdir()
    result = cli("maak", example("lindewijk"), "-o", folder / "notitie.docx")
    assert result.code == EXIT_ENVIRONMENT
    paths = [folder / "notitie.docx", folder / "notitie-raadsvoorstel.docx"]
    expected = [
        f"- {example('lindewijk')}: {message.format(path=path, folder=folder)} → {hint}"
        for (message, hint), path in zip(messages, paths, strict=False)
    ]
    count = "is 1 probleem" if len(expected) == 1 else f"zijn {len(expected)} problemen"
    assert " ".join(result.err.split()) == " ".join(
        f"Er {count} gevonden; er is niets geschreven: {' '.join(expected)}".split()
    )
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "name", ["CON", "aux.docx", "nul.docx", "COM1.docx", "LPT9.docx", "Con.pdf", "prn.md"]
)
def test_names_windows_reserves_are_refused_on_every_platform(cli: Cli, tmp_path: Path, name: str) -> None:
    device = name.split(".")[0].upper()
    message = (
        f"Fout: de naam '{{file}}' is in Windows gereserveerd ({device} is een apparaat); zo'n bestand is daar "
        "niet te openen of te kopiëren. → Kies met -o een andere naam, bijvoorbeeld notitie.docx."
    )
    target = tmp_path / name
    made = cli("maak", example("lindewijk"), "-o", target, "--stukken", "notitie")
    assert made.code == 2
    file = name  # as typed after -o
    assert " ".join(made.err.split()).endswith(message.format(file=file).split("Fout: ")[1])
    sheet = cli("vragen", "-o", target)
    assert sheet.code == 2
    assert device in sheet.err and "is in Windows gereserveerd" in sheet.err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["uit.docx.", "uit.docx ", "uit."])
def test_a_name_ending_in_a_dot_or_space_is_refused_not_doubled(cli: Cli, tmp_path: Path, name: str) -> None:
    result = cli("maak", example("lindewijk"), "-o", tmp_path / name, "--stukken", "notitie")
    assert result.code == 2
    assert " ".join(result.err.split()) == (
        f"Fout: de naam '{name}' eindigt op een punt of een spatie; zo'n bestand is in Windows niet te "
        "openen. → Laat de punt of spatie aan het eind weg."
    )
    assert list(tmp_path.iterdir()) == []


def test_schema_never_replaces_an_answers_file_not_even_with_overschrijven(cli: Cli, tmp_path: Path) -> None:
    answers = tmp_path / "in.yaml"
    answers.write_bytes(example("lindewijk").read_bytes())
    result = cli("schema", "-o", answers, "--overschrijven")
    assert result.code == 2
    assert " ".join(result.err.split()) == (
        f"Fout: '{answers}' is geen schema maar een ander bestand (bijvoorbeeld een antwoordenbestand) en "
        "wordt nooit door het schema vervangen. → Geef het schema met -o een eigen naam, bijvoorbeeld "
        "-o antwoorden.schema.json."
    )
    assert answers.read_bytes() == example("lindewijk").read_bytes()
    schema = tmp_path / "antwoorden.schema.json"
    assert cli("schema", "-o", schema).code == 0
    assert cli("schema", "-o", schema, "--overschrijven").code == 0  # its own earlier output: fine
    assert json.loads(schema.read_text(encoding="utf-8"))["$schema"].startswith("https://json-schema.org/")


def test_o_names_a_folder_the_same_way_for_every_command(cli: Cli, tmp_path: Path) -> None:
    """`-o kort/` (or an existing folder) is a folder for vragen and vergelijk as for maak."""
    made = cli("vragen", "-o", f"{tmp_path / 'kort'}/")
    assert made.code == 0, made.err
    assert sorted(p.name for p in (tmp_path / "kort").iterdir()) == ["werkblad.docx", "werkblad.md"]
    assert not (tmp_path / "kort.docx").exists()
    existing = tmp_path / "bestaand"
    existing.mkdir()
    compared = cli("vergelijk", example("lindewijk"), example("oosterhaven"), "-o", existing)
    assert compared.code in (0, 1), compared.err
    assert [p.name for p in existing.iterdir()] == ["vergelijking.docx"]
    made = cli("maak", example("lindewijk"), "-o", f"{tmp_path / 'map'}/", "--stukken", "notitie")
    assert made.code == 0, made.err
    assert [p.name for p in (tmp_path / "map").iterdir()] == ["lindewijk.docx"]


def test_maak_makes_no_folder_when_it_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text("gemeente_naam: [niet afgesloten\n", encoding="utf-8")
    result = cli("maak", broken, "-o", f"{tmp_path / 'nieuw'}/")
    assert result.code == 2
    assert not (tmp_path / "nieuw").exists()
    batch = cli("maak", broken, tmp_path / "ontbreekt-niet.yaml", "-o", tmp_path / "ook-niet")
    assert batch.code == 2
    assert not (tmp_path / "ook-niet").exists()


def test_a_name_with_a_control_character_is_refused_and_never_printed_raw(cli: Cli, tmp_path: Path) -> None:
    """-o with a newline and an escape sequence (F06): refused, shown with \\x escapes."""
    result = cli("maak", example("lindewijk"), "-o", tmp_path / "a\nGeschreven: nep.docx\x1b[2J.docx")
    assert result.code == 2
    assert "\x1b" not in result.err
    assert " ".join(result.err.split()) == (
        "Fout: de naam 'a\\nGeschreven: nep.docx\\x1b[2J.docx' bevat een stuurteken (zoals een nieuwe "
        "regel of Esc). → Kies met -o een andere naam, bijvoorbeeld notitie.docx."
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "shown"), [("a:b.docx", ":"), ("a*b?.docx", "* ?"), ("a<b>|.docx", "< > |")]
)
def test_a_name_with_a_character_windows_forbids_is_refused(
    cli: Cli, tmp_path: Path, name: str, shown: str
) -> None:
    result = cli("maak", example("lindewijk"), "-o", tmp_path / name)
    assert result.code == 2
    assert " ".join(result.err.split()) == (
        f"Fout: de naam '{name}' bevat een teken dat in Windows niet in een bestandsnaam mag ({shown}). "
        "→ Kies met -o een andere naam, bijvoorbeeld notitie.docx."
    )
    assert list(tmp_path.iterdir()) == []
