"""A corpus of bad inputs through the real command line.

Every case must end with exit status 2, a Dutch message that names the problem
(and where it could, the line), no traceback, and no file created, changed or lost.
"""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .conftest import Result, example

GOOD = example("veendrecht").read_text(encoding="utf-8")


def _alias_bomb() -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (110 * 1024 * 1024))
    return out.getvalue()


@dataclass
class Case:
    id: str
    expect: str  # a fragment of the Dutch message
    answers: str | bytes | None = None  # content of in.yaml (None: do not create)
    args: tuple[str, ...] = ("maak", "{in}", "-o", "{out}")
    files: dict[str, str | bytes] = field(default_factory=dict)
    line: int | None = None


A = "in.yaml"
CASES = [
    # malformed YAML
    Case("tab-indent", "begint met een tab", "gemeente_naam: X\n\tinwoners: 5\n", line=2),
    Case("bad-indent", "geen geldige YAML", "partnerschappen:\n  - partner: A\n   land: B\n"),
    Case("unclosed-double-quote", "geen geldige YAML", 'visie: "open\ninwoners: 5\n'),
    Case("unclosed-single-quote", "geen geldige YAML", "visie: 'open\ninwoners: 5\n"),
    Case("unclosed-bracket", "geen geldige YAML", "motieven: [ideeel, economisch\n"),
    Case("colon-in-value", "geen geldige YAML", "visie: doel: meer\n", line=1),
    Case("duplicate-key", "staat twee keer", "inwoners: 5000\ninwoners: 6000\n", line=2),
    Case("undefined-alias", "geen geldige YAML", "visie: *nergens\n"),
    Case("alias-bomb", "te veel onderdelen", _alias_bomb()),
    Case("deep-nesting", "te diep", "visie: " + "[" * 80 + "]" * 80 + "\n"),
    Case("python-tag", "label", "visie: !!python/object/apply:os.system [echo]\n"),
    Case("python-tag-scalar", "kan niet worden gelezen", "visie: !!python/name:os.system ''\n"),
    Case("binary-tag", "binaire", "visie: !!binary aGFsbG8=\n"),
    Case("list-document", "bestaat uit regels", "- a\n- b\n"),
    Case("scalar-document", "bestaat uit regels", "gewoon tekst\n"),
    Case("complex-key", "eenvoudige naam", "? [a, b]\n: c\n"),
    # encodings and file kinds
    Case("binary-file", "binaire gegevens", b"\x00\x01PK\x03\x04\xff\xfe\x00"),
    Case("png-file", "binaire gegevens", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    Case("utf16-broken", "geen geldige YAML", b"\xff\xfeg\x00:\x00 \x00[\x00"),
    Case("huge-file", "te groot", b"visie: " + b"x" * (50 * 1024 * 1024) + b"\n"),
    Case(
        "directory",
        "in deze map staan geen antwoordenbestanden (.yaml of .yml).",
        None,
        args=("toets", "{dir}/map.yaml"),
        files={"map.yaml/x": "a"},
    ),
    Case("missing-file", "niet gevonden", None, args=("maak", "{dir}/nergens.yaml")),
    Case(
        "empty-folder",
        "geen antwoordenbestanden (.yaml of .yml)",
        None,
        args=("toets", "{dir}/leeg"),
        files={"leeg/.keep": ""},
    ),
    # wrong types and values
    Case("unknown-key", "Bedoelt u 'gemeente_naam'?", "gemeente_nam: X\n", line=1),
    Case(
        "unknown-group-field", "onbekend veld 'lnd'", "partnerschappen:\n  - partner: A\n    lnd: B\n", line=3
    ),
    Case("group-not-list", "hier hoort een lijst", "partnerschappen: Nador\n"),
    Case("group-item-not-mapping", "elk item", "partnerschappen:\n  - Nador\n"),
    Case("text-is-list", "hier hoort een tekst", "visie: [a, b]\n"),
    Case("text-is-bool", "hier hoort een tekst", "gemeente_naam: yes\n"),
    Case("number-is-text", "geen getal", "inwoners: veel\n", line=1),
    Case("number-is-list", "hier hoort een getal, geen lijst.", "inwoners: [1, 2]\n"),
    Case("number-fraction", "een punt waar in het Nederlands een komma staat", "inwoners: 12000.5\n"),
    Case("year-fraction", "geen heel getal", "evaluatie_beleid_jaar: 2026,5\n"),
    Case("number-too-small", "ligt niet tussen", "inwoners: 3\n"),
    Case("number-negative", "ligt niet tussen", "budget_jaar: -100\n"),
    Case("number-nan", "geen gewoon getal", "budget_jaar: .nan\n"),
    Case("number-inf", "geen gewoon getal", "budget_jaar: .inf\n"),
    Case("number-neg-inf", "geen gewoon getal", "uren_per_week: -.inf\n"),
    Case("year-too-early", "ligt niet tussen", "evaluatie_beleid_jaar: 1066\n"),
    Case("year-too-late", "ligt niet tussen", "evaluatie_beleid_jaar: 3000\n"),
    Case("year-in-group", "ligt niet tussen", "partnerschappen:\n  - partner: A\n    sinds: 1800\n", line=3),
    Case("bad-date", "geen datum", "datum: 2026-02-30\n"),
    Case("date-words", "geen datum", "datum: morgen\n"),
    Case("yes-no-word", "geen ja of nee", "dienstreizen: misschien\n"),
    Case("choice-unknown", "Bedoelt u 'per_ramp'?", "ramp_beleid: per_rampp\n"),
    Case("choice-is-number", "geen keuze", "ramp_beleid: 3\n"),
    Case("multi-unknown", "geen keuze", "motieven: [ideeel, vrede]\n"),
    Case("multi-is-mapping", "lijst met keuzes", "motieven: {a: b}\n"),
    Case("per-choice-unknown", "geen keuze bij deze vraag", "motief_opbrengst:\n  vrede: iets\n"),
    Case("per-choice-not-mapping", "per keuze een tekst", "motief_opbrengst: iets\n"),
    Case("notes-unknown-section", "onbekend deel", "werksessie:\n  visei: iets\n"),
    Case("format-version", "formaat 2", "formaat: 2\n"),
    Case("very-long-text", "te lang", "visie: " + "x" * 25_000 + "\n"),
    Case("many-problems", "Er zijn 3 problemen", "inwonrs: 5\nramp_beleid: x\ndatum: nooit\n"),
    # output
    Case(
        "output-exists",
        "wordt niet overschreven",
        GOOD,
        files={"uit.docx": b"oud werk"},
        args=("maak", "{in}", "-o", "{dir}/uit.docx"),
    ),
    # a folder named by -o that does not exist yet is made (tests/test_cli.py); the same file twice is not
    Case(
        "batch-folder-missing", "dezelfde naam", GOOD, args=("maak", "{in}", "{in}", "-o", "{dir}/geen-map")
    ),
    Case(
        "output-is-folder-of-file",
        "is een bestand, geen map",
        GOOD,
        files={"bestand": "x"},
        args=("maak", "{in}", "-o", "{dir}/bestand/uit.docx"),
    ),
    Case(
        "same-output-twice",
        "dezelfde naam",
        GOOD,
        files={"b/in.yaml": GOOD},
        args=("maak", "{in}", "{dir}/b/in.yaml", "-o", "{dir}"),
    ),
    # rules
    Case(
        "rule-field-typo",
        "Bedoelt u 'visie'?",
        GOOD,
        files={
            "r/x.yaml": "regels:\n  - id: x\n    titel: X\n    ernst: tip\n    rol: kaderstellen\n    als: {veld: vsie, ingevuld: false}\n    melding: m\n    uitleg: u\n    advies: a\n    bron: b\n    voorbeelden: {wel: [{visie: a}], niet: [{visie: b}]}\n"
        },
        args=("toets", "{in}", "--regels", "{dir}/r"),
    ),
    Case(
        "rule-not-yaml",
        "geen geldige YAML",
        GOOD,
        files={"r/x.yaml": "regels: [\n"},
        args=("toets", "{in}", "--regels", "{dir}/r"),
    ),
    Case(
        "rule-wrong-shape",
        "begint met 'regels:'",
        GOOD,
        files={"r/x.yaml": "- id: x\n"},
        args=("toets", "{in}", "--regels", "{dir}/r"),
    ),
    Case("rule-folder-missing", "bestaat niet", GOOD, args=("toets", "{in}", "--regels", "{dir}/nergens")),
    Case(
        "rule-off-unknown",
        "Bedoelt u 'geen-visie'?",
        GOOD,
        args=("toets", "{in}", "--zonder-regel", "geen-visi"),
    ),
    # templates
    Case(
        "template-syntax",
        "fout in een sjabloon",
        GOOD,
        files={"t/notitie.md.j2": "# Kop\n{% if a %}\n"},
        args=("maak", "{in}", "-o", "{out}", "--sjablonen", "{dir}/t"),
    ),
    Case(
        "template-unknown-name",
        "fout in een sjabloon",
        GOOD,
        files={"t/notitie.md.j2": "{{ bestaat_niet.x }}\n"},
        args=("maak", "{in}", "-o", "{out}", "--sjablonen", "{dir}/t"),
    ),
    Case(
        "template-escape-sandbox",
        "fout in een sjabloon",
        GOOD,
        files={"t/notitie.md.j2": "{{ ''.__class__.__mro__[1].__subclasses__() }}\n"},
        args=("maak", "{in}", "-o", "{out}", "--sjablonen", "{dir}/t"),
    ),
    Case(
        "template-missing-include",
        "niet gevonden",
        GOOD,
        files={"t/notitie.md.j2": "{% include 'weg.md.j2' %}\n"},
        args=("maak", "{in}", "-o", "{out}", "--sjablonen", "{dir}/t"),
    ),
    Case(
        "template-raadsvoorstel-syntax",
        "fout in een sjabloon",
        GOOD,
        files={"t/raadsvoorstel/raadsvoorstel.md.j2": "# Voorstel\n{% for x in %}\n"},
        args=("maak", "{in}", "-o", "{out}", "--sjablonen", "{dir}/t"),
    ),
    Case(
        "template-raadsvoorstel-escape-sandbox",
        "fout in een sjabloon",
        GOOD,
        files={"t/raadsvoorstel/raadsvoorstel.md.j2": "{{ a.__class__.__init__.__globals__ }}\n"},
        args=("maak", "{in}", "-o", "{out}", "--sjablonen", "{dir}/t"),
    ),
    Case(
        "unknown-format",
        "onbekend formaat 'word'",
        GOOD,
        args=("maak", "{in}", "-o", "{out}", "--formaat", "word"),
    ),
    # house styles
    Case(
        "style-missing",
        "bestaat niet",
        GOOD,
        args=("maak", "{in}", "-o", "{out}", "--huisstijl", "{dir}/stijl.docx"),
    ),
    Case(
        "style-corrupt",
        "geen geldig Word-bestand",
        GOOD,
        files={"stijl.docx": b"PK\x03\x04kapot"},
        args=("maak", "{in}", "-o", "{out}", "--huisstijl", "{dir}/stijl.docx"),
    ),
    Case(
        "style-text",
        "geen geldig Word-bestand",
        GOOD,
        files={"stijl.docx": "dit is tekst"},
        args=("maak", "{in}", "-o", "{out}", "--huisstijl", "{dir}/stijl.docx"),
    ),
    Case(
        "style-old-doc",
        "geen Word-document",
        GOOD,
        files={"stijl.doc": b"\xd0\xcf\x11\xe0"},
        args=("maak", "{in}", "-o", "{out}", "--huisstijl", "{dir}/stijl.doc"),
    ),
    Case(
        "style-zip-bomb",
        "te groot",
        GOOD,
        files={"stijl.docx": _zip_bomb()},
        args=("maak", "{in}", "-o", "{out}", "--huisstijl", "{dir}/stijl.docx"),
    ),
    Case(
        "style-is-folder",
        "is een map",
        GOOD,
        files={"stijl.docx/x": "a"},
        args=("maak", "{in}", "-o", "{out}", "--huisstijl", "{dir}/stijl.docx"),
    ),
]


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_a_clear_answer_and_nothing_is_lost(
    case: Case, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    if case.answers is not None:
        data = case.answers.encode("utf-8") if isinstance(case.answers, str) else case.answers
        (tmp_path / A).write_bytes(data)
    for name, content in case.files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    before = snapshot(tmp_path)
    values = {"in": str(tmp_path / A), "out": str(tmp_path / "uit.docx"), "dir": str(tmp_path)}
    result = cli(*[arg.format(**values) for arg in case.args])
    assert result.code == 2, result
    assert case.expect in result.err, result.err
    assert "Traceback" not in result.err and "Error" not in result.err.split("(")[0]
    if case.line is not None:
        assert f"regel {case.line}" in result.err, result.err
    assert snapshot(tmp_path) == before  # nothing written, changed or lost


@pytest.mark.skipif(sys.platform != "linux", reason="needs a folder nobody may write in")
def test_read_only_output_folder(cli: Callable[..., Result]) -> None:
    result = cli("maak", example("lindewijk"), "-o", "/sys/uit.docx")
    assert result.code == 3 and "mag niet worden geschreven" in result.err  # the computer, not the input


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bom", "\ufeffgemeente_naam: Zoë\n".encode()),
        ("utf16", "gemeente_naam: Zoë\n".encode("utf-16")),
        ("latin1", "gemeente_naam: Zoë\n".encode("latin-1")),
        ("empty", b""),
        ("only-comments", b"# nog niets\n"),
        ("control-characters", b'gemeente_naam: "Zo\\x01\\x1b\\u00eb"\n'),
        ("template-syntax", b"gemeente_naam: '{{ 7*7 }} {% raw %}'\n"),
    ],
)
def test_unusual_but_valid_files_work(
    name: str, content: bytes, tmp_path: Path, cli: Callable[..., Result]
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    result = cli("maak", path, "-o", tmp_path / "uit.docx")
    assert result.code == 0, result.err
    assert (tmp_path / "uit.docx").stat().st_size > 10_000
