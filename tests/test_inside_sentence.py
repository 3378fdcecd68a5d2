"""A free answer inside a beslispunt reads as one Dutch sentence (issue 23, G3).

An answer that opens with a capital ('Het werkplan …') is placed after words such as "het college
op te dragen" or "met deze nieuwe afspraken:". The filter `midden` (wizard.context.inside_sentence)
lowers its first letter only when that is safe; a name or an abbreviation keeps its capital.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from wizard import answers, blocks, evaluation_doc
from wizard import evaluation as evaluation_mod
from wizard.context import inside_sentence, open_text
from wizard.draft import Drafter
from wizard.render import Renderer, ordinary_words
from wizard.resources import examples_dir

from .test_truth import decisions


@pytest.mark.parametrize(
    ("answer", "inside"),
    [
        ("Het werkplan komt elk jaar", "het werkplan komt elk jaar"),
        ("De verslagen gaan naar de raad", "de verslagen gaan naar de raad"),
        ("Eén keer per jaar een bezoek", "één keer per jaar een bezoek"),
        ("Jaarlijks een verslag", "jaarlijks een verslag"),
        ("Van elk bezoek een verslag", "van elk bezoek een verslag"),
        ("Zo'n plan elk jaar", "zo'n plan elk jaar"),
        ("Het", "het"),
        ("Een verslag.", "een verslag."),
        ("de post onvoorzien", "de post onvoorzien"),
    ],
)
def test_an_answer_that_opens_with_an_ordinary_word_is_lowered(answer: str, inside: str) -> None:
    assert inside_sentence(answer, ordinary_words()) == inside


@pytest.mark.parametrize(
    "answer",
    [
        "Wanica bezoekt ons in 2028",  # a name
        "EU-subsidie aanvragen",  # an abbreviation
        "EU",
        "VNG International vragen",
        "Giro555 volgen",  # a word with a digit
        "Marokkaanse jongeren uitnodigen",  # not a word the list knows: perhaps a name
        "De Bilt betrekken",  # an ordinary word before a capital: perhaps a name
        "Van Dam blijft contactpersoon",
        "In Wanica een school bouwen",
        "Het Hogeland vragen mee te doen",
        "Programma Bestuur, taakveld Internationale samenwerking",
        "Oost-Europa",
        "",
    ],
)
def test_a_name_or_abbreviation_keeps_its_capital(answer: str) -> None:
    assert inside_sentence(answer, ordinary_words()) == answer


def test_placeholders_and_marked_data_are_handled() -> None:
    place = open_text("wat er verandert", "partnerschappen/0/wijzigingen")
    assert inside_sentence(place, ordinary_words()) is place  # the tool's own place stays as it is
    marked = blocks.data("Het werkplan")
    assert inside_sentence(marked, ordinary_words()) == blocks.data("het werkplan")


def _tie(wijzigingen: str) -> dict[str, Any]:
    return {
        "gemeente_naam": "Rekendam",
        "datum": "2026-11-23",
        "indiener": "college",
        "partnerschappen": [
            {
                "partner": "Tata",
                "land": "Hongarije",
                "advies": "aanpassen",
                "einddatum": 2030,
                "wijzigingen": wijzigingen,
            }
        ],
    }


@pytest.mark.parametrize(
    ("wijzigingen", "expected"),
    [
        (
            "Het werkplan komt elk jaar naar de raad.",
            "met deze nieuwe afspraken: het werkplan komt elk jaar naar de raad;",
        ),
        (
            "Wanica stuurt elk jaar een verslag.",
            "met deze nieuwe afspraken: Wanica stuurt elk jaar een verslag;",
        ),
        ("EU-geld alleen met een doel.", "met deze nieuwe afspraken: EU-geld alleen met een doel;"),
    ],
)
def test_a_tie_beslispunt_reads_the_changes_inside_the_sentence(
    drafter: Drafter, wijzigingen: str, expected: str
) -> None:
    loaded = answers.from_mapping(_tie(wijzigingen), drafter.questionnaire)
    proposal = blocks.outline(drafter.draft(loaded, "raadsvoorstel").blocks)
    point = next(p for p in decisions(proposal) if "Tata" in p)
    assert point.endswith(expected), point


def test_the_evaluation_beslispunt_keeps_a_name_and_lowers_an_ordinary_word(tmp_path: Path) -> None:
    folder = tmp_path / "voorbeeld"
    shutil.copytree(examples_dir() / "verantwoording", folder)
    year = folder / "oosterhaven-2028.yaml"
    original = "opdracht_college: De verslagen van de banden voortaan bij het jaarverslag te voegen."
    for answer, expected in (
        (
            "Wanica te vragen om een werkplan voor 2029.",
            "het college op te dragen Wanica te vragen om een werkplan voor 2029.",
        ),
        (
            "Het werkplan van Tata te bespreken in de commissie.",
            "het college op te dragen het werkplan van Tata te bespreken in de commissie.",
        ),
    ):
        text = year.read_text(encoding="utf-8")
        assert original in text or "opdracht_college: " in text
        lines = [
            f"opdracht_college: {answer}" if line.startswith("opdracht_college:") else line
            for line in text.splitlines()
        ]
        year.write_text("\n".join(lines) + "\n", encoding="utf-8")
        loaded = evaluation_mod.load([folder / "oosterhaven-2027.yaml", year])
        (proposal,) = evaluation_doc.drafts(loaded, ("evaluatieraadsvoorstel",))
        outline = blocks.outline(proposal.blocks)
        assert expected in outline, outline


def test_own_templates_in_the_sandbox_can_use_the_filter(tmp_path: Path) -> None:
    own = tmp_path / "sjablonen"
    own.mkdir()
    (own / "notitie.md.j2").write_text("Wij besluiten {{ tekst | midden }}.\n", encoding="utf-8")
    text = Renderer(own).text({"tekst": "Het plan uit te voeren"})
    assert "Wij besluiten " in text and "het plan uit te voeren" in text


def test_the_ordinary_words_are_data_an_advisor_can_extend(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The list lives in templates/gewone_woorden.yaml: a word added there is lowered too."""
    from wizard import render

    bundled = render.templates_dir() / render.WORDS_FILE
    assert "werkplan" in bundled.read_text(encoding="utf-8")
    assert inside_sentence("Onderhoud van de band", ordinary_words()) == "Onderhoud van de band"
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / render.WORDS_FILE).write_text(
        bundled.read_text(encoding="utf-8") + "  - onderhoud\n", encoding="utf-8"
    )
    monkeypatch.setattr(render, "templates_dir", lambda: folder)
    render.ordinary_words.cache_clear()
    try:
        assert inside_sentence("Onderhoud van de band", render.ordinary_words()) == "onderhoud van de band"
    finally:
        render.ordinary_words.cache_clear()


def test_a_broken_word_list_is_named_with_its_lines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A word with a capital or a space could never match: every such line is named at once,
    before any document is made."""
    from wizard import render
    from wizard.errors import DataError

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / render.WORDS_FILE).write_text(
        "woorden:\n  - de\n  - Het\n  - de post\n  - 12\nwoordenn: []\n", encoding="utf-8"
    )
    monkeypatch.setattr(render, "templates_dir", lambda: folder)
    render.ordinary_words.cache_clear()
    try:
        with pytest.raises(DataError) as caught:
            Renderer().template()
    finally:
        render.ordinary_words.cache_clear()
    found = {(p.line, p.message) for p in caught.value.problems}
    assert (3, "'Het' is geen los woord in kleine letters.") in found
    assert (4, "'de post' is geen los woord in kleine letters.") in found
    assert (5, "'12' is geen los woord in kleine letters.") in found
    assert (6, "onbekend veld.") in found
    assert all(p.file == folder / render.WORDS_FILE for p in caught.value.problems)
