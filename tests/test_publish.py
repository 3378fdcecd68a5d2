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
    result = cli("vragen", "-o", tmp_path / "werkblad", "--formaat", "pdf", "--pdf-via", "libreoffice")
    assert result.code == EXIT_ENVIRONMENT
    assert "LibreOffice ontbreekt, dus er komen geen ODT- of PDF-bestanden; wel .docx." in result.err
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
