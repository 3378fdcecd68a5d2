"""`beleidsnotitie vergelijk`: where answers files differ, per question."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import docx

from wizard import answers, compare
from wizard.questionnaire import Questionnaire

from .conftest import Result

Cli = Callable[..., Result]

TIES = [
    {"partner": "Tata", "land": "Hongarije", "advies": "voortzetten"},
    {"partner": "Berkane", "land": "Marokko", "advies": "aanpassen"},
]


def load(
    questionnaire: Questionnaire, data: dict[str, object], notes: dict[str, str] | None = None
) -> answers.Answers:
    loaded = answers.from_mapping(data, questionnaire)
    loaded.notes.update(notes or {})
    return loaded


def test_differences_per_question_in_questionnaire_order(questionnaire: Questionnaire) -> None:
    first = load(questionnaire, {"gemeente_naam": "Dorp", "budget_jaar": 5000, "partnerschappen": TIES})
    second = load(
        questionnaire,
        # the same ties in another order; one answer changed; a note added
        {
            "gemeente_naam": "Dorp",
            "budget_jaar": 7500,
            "partnerschappen": [{**TIES[1], "advies": "beeindigen"}, TIES[0]],
        },
        {"geld": "De groep wil meer geld."},
    )
    found, compared = compare.differences(questionnaire, [first, second])
    assert [(d.nummer, d.vraag, d.waarden) for d in found] == [
        (
            "5.1.3",
            "Berkane (Marokko) · Wat stelt u voor met deze band?",
            ("Voortzetten met andere afspraken", "Afbouwen en beëindigen"),
        ),
        ("9.1", "Hoeveel geld is er per jaar voor internationale samenwerking?", ("€ 5.000", "€ 7.500")),
        ("", "Toelichting uit de werksessie", (None, "De groep wil meer geld.")),
    ]
    assert found[1].deel == "Geld" and compared > 90


def test_an_item_in_one_file_only_is_a_difference_of_its_own(questionnaire: Questionnaire) -> None:
    first = load(questionnaire, {"partnerschappen": TIES})
    second = load(questionnaire, {"partnerschappen": TIES[:1]})
    found, _ = compare.differences(questionnaire, [first, second])
    assert [(d.nummer, d.vraag, d.waarden, d.soort) for d in found] == [
        (
            "5.1",
            "Partnerschappen en stedenbanden: Berkane (Marokko)",
            ("in de lijst", "(niet in de lijst)"),
            "item",
        )
    ]
    assert compare.present_in(found[0], ["groep 1", "groep 2"]) == "alleen bij groep 1"


WENZHOU = {"partner": "Wenzhou", "land": "China"}
TETOVO = {"partner": "Tetovo", "land": "Noord-Macedonië", "advies": "aangaan"}


def test_fields_of_a_tie_are_compared_whatever_the_lists_of_the_groups_look_like(
    questionnaire: Questionnaire,
) -> None:
    """Four groups: three name Wenzhou (one in other letters, after another tie) with three
    proposals; one names only Tetovo. The proposal for Wenzhou is the difference that counts."""
    groups = [
        load(questionnaire, {"partnerschappen": [{**WENZHOU, "advies": "voortzetten"}]}),
        load(
            questionnaire,
            {"partnerschappen": [TIES[0], {"partner": "wenzhou ", "land": "CHINA", "advies": "beeindigen"}]},
        ),
        load(questionnaire, {"partnerschappen": [TETOVO]}),
        load(questionnaire, {"partnerschappen": [{**WENZHOU, "advies": "nog_bepalen"}]}),
    ]
    found, _ = compare.differences(questionnaire, groups)
    names = ["groep 1", "groep 2", "groep 3", "groep 4"]
    rows = [(d.soort, d.naam, d.veld, d.waarden, compare.present_in(d, names)) for d in found]
    assert rows == [
        (
            "item",
            "Wenzhou (China)",
            "",
            ("in de lijst", "in de lijst", "(niet in de lijst)", "in de lijst"),
            "alleen bij groep 1, groep 2 en groep 4",
        ),
        (
            "veld",
            "Wenzhou (China)",
            "advies",
            (
                "Voortzetten zoals nu",
                "Afbouwen en beëindigen",
                "(niet in de lijst)",
                "Nu nog niet kiezen; eerst evalueren",
            ),
            "alleen bij groep 1, groep 2 en groep 4",
        ),
        (
            "item",
            "Tata (Hongarije)",
            "",
            ("(niet in de lijst)", "in de lijst", "(niet in de lijst)", "(niet in de lijst)"),
            "alleen bij groep 2",
        ),
        (
            "item",
            "Tetovo (Noord-Macedonië)",
            "",
            ("(niet in de lijst)", "(niet in de lijst)", "in de lijst", "(niet in de lijst)"),
            "alleen bij groep 3",
        ),
    ]
    assert {d.item for d in found} == {"wenzhou china", "tata hongarije", "tetovo noord macedonie"}


def test_goals_are_matched_by_their_description_without_case_or_punctuation(
    questionnaire: Questionnaire,
) -> None:
    one = load(
        questionnaire, {"doelen": [{"omschrijving": "Afval scheiden in de partnerstad.", "termijn": 2028}]}
    )
    two = load(
        questionnaire, {"doelen": [{"omschrijving": "afval scheiden in de  Partnerstad", "termijn": 2030}]}
    )
    found, _ = compare.differences(questionnaire, [one, two])
    assert [(d.soort, d.veld, d.waarden) for d in found] == [("veld", "termijn", ("2028", "2030"))]


def test_cli_prints_writes_a_short_docx_and_exits_1_on_differences(
    cli: Cli, tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    one = write("groep1.yaml", "gemeente_naam: Dorp\nbudget_jaar: 5000\n")
    two = write("groep2.yaml", "gemeente_naam: Dorp\nbudget_jaar: 7500\nvisie: Samen leren.\n")
    result = cli("vergelijk", one, two, "-o", tmp_path / "verschil")
    assert result.code == 1, result.err
    assert "A = groep1.yaml, B = groep2.yaml" in result.out
    assert "9.1 Hoeveel geld is er per jaar" in result.out and "A  € 5.000" in result.out
    assert "A  (niet ingevuld)" in result.out
    document = docx.Document(str(tmp_path / "verschil.docx"))
    assert document.paragraphs[0].text == "Vergelijking van antwoorden"
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    # In Word the euro sign and the amount are joined by a no-break space.
    assert ["groep2.yaml", "€\u00a07.500"] in rows and ["groep1.yaml", "(niet ingevuld)"] in rows
    assert all(table.rows[0].cells[0].text == "Bestand" for table in document.tables)


def test_cli_same_answers_exit_0_and_bad_input_exit_2(
    cli: Cli, tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    one = write("a.yaml", "gemeente_naam: Dorp\n")
    same = cli("vergelijk", one, one, "--formaat", "geen")
    assert same.code == 0 and "zijn in elk bestand hetzelfde" in same.out
    assert not list(tmp_path.glob("*.docx"))
    alone = cli("vergelijk", one)
    assert alone.code == 2 and "minstens twee" in alone.err
    bad = write("b.yaml", "inwoners: veel\n")
    worse = write("c.yaml", "budget_jaar: duur\n")
    broken = cli("vergelijk", one, bad, worse, "--formaat", "geen")
    assert broken.code == 2 and "b.yaml, regel 1" in broken.err and "c.yaml, regel 1" in broken.err


def test_on_the_short_route_only_its_questions_and_fields_are_compared(questionnaire: Questionnaire) -> None:
    """The werksessie on `--route kort`: an answer given before (on the full route) is no difference."""
    tie = {"partner": "Tata", "land": "Hongarije", "advies": "voortzetten", "sinds": 1990}
    first = load(questionnaire, {"gemeente_naam": "Dorp", "visie": "Samen.", "partnerschappen": [tie]})
    second = load(
        questionnaire,
        {
            "gemeente_naam": "Stad",
            "visie": "Solidair.",
            "partnerschappen": [{**tie, "advies": "beeindigen", "sinds": 2001}],
        },
        notes={"visie": "Lang over gepraat."},
    )
    full, compared_full = compare.differences(questionnaire, [first, second])
    short, compared_short = compare.differences(questionnaire, [first, second], "kort")
    assert {(d.vraag_id, d.veld) for d in full} == {
        ("gemeente_naam", ""),
        ("visie", ""),
        ("", ""),
        ("partnerschappen", "advies"),
        ("partnerschappen", "sinds"),
    }
    assert [(d.vraag_id, d.veld, d.deel_id) for d in short] == [
        ("gemeente_naam", "", ""),
        ("", "", "visie"),  # the group's note of a part is kept: it explains the short answers too
        ("partnerschappen", "advies", ""),
    ]
    assert compared_short < compared_full


def test_a_question_outside_a_files_route_is_not_asked_there_not_a_difference(
    questionnaire: Questionnaire,
) -> None:
    """Issue 22, a gap: groups on different routes were compared on the full route, so everything a
    group on the short route was never asked showed as a difference. Now each file is compared on
    its own route: a question (or field) its route does not ask is NOT_ASKED there."""
    short = load(
        questionnaire,
        {
            "gemeente_naam": "Dorp",
            "auteur": "Een oud antwoord",  # given earlier on the full route
            "partnerschappen": [{**TIES[0], "einddatum": 2030}],
        },
    )
    full = load(
        questionnaire,
        {
            "gemeente_naam": "Stad",
            "auteur": "Griffie",
            "partnerschappen": [{**TIES[0], "einddatum": 2028}, TIES[1]],
        },
    )
    other = load(
        questionnaire,
        {
            "gemeente_naam": "Stad",
            "auteur": "Bestuursadviseur",
            "partnerschappen": [{**TIES[0], "einddatum": 2029}],
        },
    )
    found, compared = compare.differences(
        questionnaire, [short, full, other], ["kort", "volledig", "volledig"]
    )
    by_question = {d.vraag: d for d in found}
    assert by_question["Naam van de gemeente"].waarden == ("Dorp", "Stad", "Stad")
    author = next(d for d in found if d.vraag_id == "auteur")  # the two full-route groups differ
    assert author.waarden == (compare.NOT_ASKED, "Griffie", "Bestuursadviseur")
    end = next(d for d in found if d.veld == "einddatum")  # a field the short route does not ask
    assert end.waarden == (compare.NOT_ASKED, "2028", "2029") and not compare.present_in(end, ["1", "2", "3"])
    listed = next(d for d in found if d.soort == "item")  # Berkane: only group 2 lists it
    assert listed.naam == "Berkane (Marokko)" and listed.waarden == (
        compare.MISSING,
        compare.NAMED,
        compare.MISSING,
    )
    # Only the short-route group differs from the others on a question it is not asked: nothing.
    found, compared_two = compare.differences(questionnaire, [short, other], ["kort", "volledig"])
    assert not any(d.vraag_id == "auteur" or d.veld == "einddatum" for d in found)
    assert compared_two < compared  # a question one file is asked is not compared
    # One route for all files is what it always was.
    same, _ = compare.differences(questionnaire, [short, full], "volledig")
    assert next(d for d in same if d.vraag_id == "auteur").waarden == ("Een oud antwoord", "Griffie")


def test_one_difference_is_said_in_the_singular_and_counts_answers_not_questions(
    cli: Cli, tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    """'Van de 224 vragen verschillen er 1' beside a werkblad of 124 questions: the count is of
    the answers compared (a tie's fields count per tie), and one difference is 'verschilt er één'."""
    one = write("groep1.yaml", "gemeente_naam: Dorp\nbudget_jaar: 5000\n")
    two = write("groep2.yaml", "gemeente_naam: Dorp\nbudget_jaar: 7500\n")
    result = cli("vergelijk", one, two, "-o", tmp_path / "verschil", "--formaat", "md")
    assert result.code == 1, result.err
    assert re.search(r"Van de \d+ vergeleken antwoorden verschilt er één\.", result.out)
    text = (tmp_path / "verschil.md").read_text(encoding="utf-8")
    assert re.search(
        r"vergeleken antwoorden \(vragen, en de vragen per band of doel\) verschilt er één\. Alleen dat verschil staat hieronder\.",
        text,
    )
    assert "verschillen er 1" not in text
