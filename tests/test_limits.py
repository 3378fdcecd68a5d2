"""Fail safe on every input: limits checked before parsing, own templates bounded in time
and size, and no character an XML document cannot hold reaches a .docx."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from wizard import render
from wizard.errors import EXIT_DATA_ERROR

from .conftest import Result, example

Cli = Callable[..., Result]


def run_tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """A separate process: a crash (exit 139) cannot hide behind the test runner."""
    return subprocess.run(
        [sys.executable, "-m", "wizard", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


def test_a_deeply_nested_answers_file_is_refused_not_a_crash(tmp_path: Path) -> None:
    nested = tmp_path / "diep.yaml"
    nested.write_text("[" * 50_000, encoding="utf-8")  # 50 kB; composing it used to end in exit 139
    result = run_tool("toets", nested)
    assert result.returncode == EXIT_DATA_ERROR, result.stderr
    assert f"- {nested}, regel 1: de gegevens zijn te diep genest." in result.stderr


def test_a_deeply_nested_rules_file_in_a_batch_is_refused(tmp_path: Path) -> None:
    rules = tmp_path / "regels"
    rules.mkdir()
    (rules / "diep.yaml").write_text("regels:\n" + "  " + "[" * 50_000, encoding="utf-8")
    result = run_tool("toets", example("lindewijk"), "--regels", rules)
    assert result.returncode == EXIT_DATA_ERROR, result.stderr
    assert f"{rules / 'diep.yaml'}, regel 2: de gegevens zijn te diep genest." in result.stderr


def test_a_list_of_60000_ties_is_refused_quickly_with_a_limit(tmp_path: Path) -> None:
    ties = tmp_path / "banden.yaml"
    lines = ["formaat: 1", "gemeente_naam: Veel", "partnerschappen:"]
    lines += [f"  - {{partner: Stad {n}, land: Marokko}}" for n in range(60_000)]
    ties.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_tool("toets", ties)
    assert result.returncode == EXIT_DATA_ERROR, result.stderr
    assert f"- {ties}, regel 2004: deze lijst is te lang (meer dan 2.000 onderdelen)." in result.stderr


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "groot.yaml"
    with big.open("wb") as stream:
        stream.truncate(6 * 1024 * 1024)  # sparse: costs no disk
    result = run_tool("toets", big)
    assert result.returncode == EXIT_DATA_ERROR
    assert f"- {big}: het bestand is te groot (6,0 MB; maximaal 5,0 MB)." in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pijp.yaml"
    os.mkfifo(fifo)
    result = run_tool("toets", fifo)  # nobody writes to it: reading it would wait forever
    assert result.returncode == EXIT_DATA_ERROR
    assert (
        f"- {fifo}: dit is geen gewoon bestand (maar bijvoorbeeld een pijp of een apparaat)." in result.stderr
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_does_not_eat_memory() -> None:
    result = run_tool("maak", "/dev/zero")
    assert result.returncode == EXIT_DATA_ERROR
    assert "/dev/zero: dit is geen gewoon bestand" in result.stderr


def own_template(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "sjablonen"
    (folder / "notitie").mkdir(parents=True, exist_ok=True)
    (folder / "notitie" / "notitie.md.j2").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ 9**99999999 }}", "het getal 9 ** 99999999 is te groot om uit te rekenen."),
        ("{{ 'x' * 10**9 }}", "de herhaling met * maakt een te lange tekst of lijst."),
        (
            "{{ 'x'|center(1000000000) }}",
            "het getal 1000000000 is te groot als breedte of aantal (hooguit 100000).",
        ),
        (
            "{{ 'x'.ljust(1000000000) }}",
            "het getal 1000000000 is te groot als breedte of aantal (hooguit 100000).",
        ),
        ("{{ '%0999999d' % 1 }}", "een breedte of precisie in de %-opmaak is te groot."),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}{{ 'woorden ' }}{% endfor %}{% endfor %}",
            "het sjabloon maakt een te lange tekst (meer dan 5.000.000 tekens).",
        ),
        (
            "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "het sjabloon maakt een te lange tekst.",
        ),
        (
            "{% set l = [] %}{% for i in range(10) %}{{ l.append(i) }}{% endfor %}",
            "dit mag niet in een eigen sjabloon ('append' van een list is afgeschermd)",
        ),
    ],
)
def test_own_templates_are_bounded_in_size(cli: Cli, tmp_path: Path, text: str, message: str) -> None:
    folder = own_template(tmp_path, text + "\n")
    result = cli(
        "maak", example("lindewijk"), "--sjablonen", folder, "-o", tmp_path / "x.docx", "--stukken", "notitie"
    )
    assert result.code == EXIT_DATA_ERROR
    line = "" if "te lange tekst (meer dan" in message else ", regel 1"  # the cap is on the whole output
    assert f"{folder / 'notitie' / 'notitie.md.j2'}{line}: fout in een sjabloon: {message}" in result.err
    assert not (tmp_path / "x.docx").exists()


def test_own_templates_are_bounded_in_time(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "MAX_SECONDS", 2.0)
    folder = own_template(
        tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n"
    )
    result = cli(
        "maak", example("lindewijk"), "--sjablonen", folder, "-o", tmp_path / "x.docx", "--stukken", "notitie"
    )
    assert result.code == EXIT_DATA_ERROR
    assert "fout in een sjabloon: het sjabloon doet er langer dan 2 seconden over." in result.err


def document_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml")


def assert_valid_docx(path: Path) -> None:
    from openxml_audit import OpenXmlValidator

    etree.fromstring(document_xml(path))  # Word refuses a package whose XML does not parse
    result = OpenXmlValidator().validate(str(path))
    assert result.is_valid, [str(e) for e in result.errors[:5]]


def test_control_characters_in_an_own_template_never_reach_the_docx(cli: Cli, tmp_path: Path) -> None:
    folder = own_template(tmp_path, "# Kop\x03 met stuurteken\n\nTekst\x07 met \x1b stuurtekens\x00.\n")
    target = tmp_path / "x.docx"
    result = cli("maak", example("lindewijk"), "--sjablonen", folder, "-o", target, "--stukken", "notitie")
    assert result.code == 0, result.err
    xml = document_xml(target).decode("utf-8")
    assert "Kop met stuurteken" in xml and "Tekst met  stuurtekens." in xml
    assert_valid_docx(target)


def test_control_characters_in_an_own_rule_never_reach_the_docx(
    cli: Cli, tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    write(
        "regels/eigen.yaml",
        """\
        regels:
          - id: eigen-stuurteken
            titel: "Een titel met een bel\\a"
            ernst: tip
            rol: initiëren
            als:
              veld: gemeente_naam
              is: Lindewijk
            melding: "Een melding met een escape\\e en een nul\\0."
            uitleg: "Uitleg\\x08."
            advies: "Advies\\x1f."
            bron:
              document: "Eigen bron\\x0c"
              onderdeel: Eigen
            voorbeelden:
              wel:
                - {gemeente_naam: Lindewijk}
              niet:
                - {gemeente_naam: Anders}
        """,
    )
    target = tmp_path / "x.docx"
    result = cli(
        "maak", example("lindewijk"), "--regels", tmp_path / "regels", "-o", target, "--stukken", "notitie"
    )
    assert result.code == 0, result.err
    xml = document_xml(target).decode("utf-8")
    assert "Een titel met een bel" in xml and "Een melding met een escape en een nul." in xml
    assert_valid_docx(target)


def test_a_scalar_merge_key_costs_only_its_own_file_in_a_batch(
    cli: Cli, tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    write("in/goed.yaml", "gemeente_naam: Goed\n")
    bad = write("in/samenvoeging.yaml", "gemeente_naam: X\n<<: 5\n")
    out = tmp_path / "uit"
    result = cli("maak", tmp_path / "in", "-o", out, "--stukken", "notitie")
    assert result.code == EXIT_DATA_ERROR
    assert (
        f"- {bad}, regel 1: een samenvoeging met '<<' moet naar een lijst met velden verwijzen." in result.err
    )
    assert f"Geschreven: {out / 'goed.docx'}" in result.out
    assert [p.name for p in out.iterdir()] == ["goed.docx"]


def test_a_name_too_long_for_the_file_system_is_named_before_anything_is_written(
    cli: Cli, tmp_path: Path
) -> None:
    long = tmp_path / ("a" * 250 + ".yaml")
    long.write_bytes(example("lindewijk").read_bytes())
    result = cli("maak", long, "-o", f"{tmp_path / 'uit'}/")
    assert result.code == EXIT_DATA_ERROR
    target = tmp_path / "uit" / ("a" * 250 + "-raadsvoorstel.docx")
    assert f"- de bestandsnaam van '{target}' is te lang (meer dan 255 tekens)." in result.err
    assert not (tmp_path / "uit").exists()


def test_sandboxed_and_own_compiled_templates_never_share_the_cache(cli: Cli, tmp_path: Path) -> None:
    """The bundled templates compiled in the sandbox (with --sjablonen) call the sandbox's
    hooks; the tool's own environment must not load that code from the cache."""
    own = tmp_path / "leeg"
    own.mkdir()
    with_own = cli(
        "maak", example("lindewijk"), "--sjablonen", own, "-o", tmp_path / "a.docx", "--stukken", "notitie"
    )
    assert with_own.code == 0, with_own.err
    plain = cli("maak", example("lindewijk"), "-o", tmp_path / "b.docx", "--stukken", "notitie")
    assert plain.code == 0, plain.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_house_style_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "huisstijl.docx"
    os.mkfifo(fifo)
    result = run_tool("maak", example("lindewijk"), "--huisstijl", fifo, "-o", tmp_path / "x.docx")
    assert result.returncode == EXIT_DATA_ERROR
    assert (
        f"Fout: het huisstijlbestand '{fifo}' is geen gewoon bestand (maar bijvoorbeeld een pijp of een apparaat)."
        in result.stderr
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_own_template_does_not_hang(tmp_path: Path) -> None:
    folder = tmp_path / "sjablonen" / "notitie"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "notitie.md.j2")
    result = run_tool("maak", example("lindewijk"), "--sjablonen", folder.parent, "-o", tmp_path / "x.docx")
    assert result.returncode == EXIT_DATA_ERROR
    assert (
        f"- {folder / 'notitie.md.j2'}: dit is geen gewoon bestand (maar bijvoorbeeld een pijp of een apparaat)."
        in result.stderr
    )
