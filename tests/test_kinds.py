"""Question kinds (wizard/kinds.py): parsing, schema, display and prompting, per kind.

One table feeds the same inputs through an answers file and through the wizard's prompt
and expects the same value from both: what the griffier types is what the tool keeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from wizard import answers
from wizard.errors import DataError
from wizard.kinds import (
    KINDS,
    PROMPT_CHECKBOX,
    PROMPT_GROUP,
    PROMPT_LONG_TEXT,
    PROMPT_PER_CHOICE,
    PROMPT_SELECT,
    PROMPT_TEXT,
    Context,
    Invalid,
    dutch_number,
)
from wizard.prompts import Prompter
from wizard.questionnaire import TYPES, Questionnaire

NOTE_2026 = Context(2026)


def parse(questionnaire: Questionnaire, qid: str, raw: Any, context: Context = NOTE_2026) -> Any:
    question = questionnaire.by_id[qid]
    return question.kind.parse(question, raw, context)


def refused(questionnaire: Questionnaire, qid: str, raw: Any, context: Context = NOTE_2026) -> str:
    with pytest.raises(Invalid) as caught:
        parse(questionnaire, qid, raw, context)
    return caught.value.text()


def test_every_type_of_the_questionnaire_has_one_kind() -> None:
    assert set(TYPES) == set(KINDS)
    assert {kind.name for kind in KINDS.values()} == set(KINDS)


# --- parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("5000", 5000),
        ("5.000", 5000),
        ("€ 5.000", 5000),
        ("€5.000,-", 5000),
        ("€ 5.000,-", 5000),
        ("5.000,50", 5000.5),
        ("€ 25.000", 25000),
        ("1.250.000", 1250000),
        ("0,45", 0.45),
        ("0.45", 0.45),
        ("25000 euro", 25000),
        ("EUR 300", 300),
    ],
)
def test_money_is_read_the_dutch_way(questionnaire: Questionnaire, typed: str, value: float) -> None:
    assert parse(questionnaire, "budget_jaar", typed) == value


@pytest.mark.parametrize("typed", ["5.5", "5,000", "12.50", "5,000.50"])
def test_unclear_amounts_get_a_question_back_not_a_guess(questionnaire: Questionnaire, typed: str) -> None:
    message = refused(questionnaire, "budget_jaar", typed)
    assert "niet duidelijk" in message or "Engels" in message
    assert "Schrijf" in message  # and says how to write it


def test_numbers(questionnaire: Questionnaire) -> None:
    assert parse(questionnaire, "inwoners", "52.000") == 52000
    assert parse(questionnaire, "uren_per_week", "8,5") == 8.5
    assert parse(questionnaire, "inwoners", 23000) == 23000
    assert "geen getal" in refused(questionnaire, "inwoners", "veel")
    assert "ligt niet tussen 500 en 1.500.000" in refused(questionnaire, "inwoners", "12")
    assert "geen gewoon getal" in refused(questionnaire, "budget_jaar", float("nan"))
    assert parse(questionnaire, "inwoners", "  ") is None


def test_years_stay_near_the_note(questionnaire: Questionnaire) -> None:
    assert parse(questionnaire, "evaluatie_beleid_jaar", "2029") == 2029
    assert "geen jaartal" in refused(questionnaire, "evaluatie_beleid_jaar", "2.029")
    assert "geen heel getal" in refused(questionnaire, "evaluatie_beleid_jaar", "2026,5")
    message = refused(questionnaire, "evaluatie_beleid_jaar", "2090")
    assert "2090 ligt niet tussen" in message and "de notitie is van 2026" in message
    # The bounds move with the note's year.
    assert parse(questionnaire, "evaluatie_beleid_jaar", "2090", Context(2070)) == 2090


def test_a_year_can_be_bound_to_past_or_future(questionnaire: Questionnaire) -> None:
    question = questionnaire.by_id["bestaand_beleid_jaar"]
    past = type(question)(**{**question.__dict__, "tijd": "verleden"})
    with pytest.raises(Invalid) as caught:
        past.kind.parse(past, "2031", NOTE_2026)
    assert "2031 ligt na het jaar van deze notitie (2026)" in caught.value.text()
    future = type(question)(**{**question.__dict__, "tijd": "toekomst"})
    with pytest.raises(Invalid) as caught:
        future.kind.parse(future, "2019", NOTE_2026)
    assert "vóór het jaar van deze notitie" in caught.value.text()
    assert future.kind.parse(future, "2027", NOTE_2026) == 2027


def test_the_note_year_comes_from_its_date() -> None:
    assert Context.of({"datum": "2031-05-01"}).year == 2031
    assert Context.of({"datum": "onzin"}) == Context.today()
    assert Context.of({}) == Context.today()


def test_texts(questionnaire: Questionnaire) -> None:
    assert parse(questionnaire, "gemeente_naam", "  Zeewolde ") == "Zeewolde"
    assert parse(questionnaire, "versie", "1.10") == "1.10"
    assert parse(questionnaire, "visie", "Een.\r\n\n\n\nTwee.  \n") == "Een.\n\nTwee."
    assert "te lang" in refused(questionnaire, "visie", "x" * 20_001)
    assert "Hier hoort een tekst" in refused(questionnaire, "gemeente_naam", ["a"])
    # Bytes a C/POSIX locale decoded with surrogateescape are repaired, not dropped.
    assert parse(questionnaire, "gemeente_naam", "Zo\udcc3\udcabte") == "Zoëte"


def test_dates(questionnaire: Questionnaire) -> None:
    assert parse(questionnaire, "datum", "2026-11-23") == "2026-11-23"
    assert parse(questionnaire, "datum", "23-11-2026") == "2026-11-23"
    assert "geen datum" in refused(questionnaire, "datum", "2026-02-30")
    assert "ligt niet tussen 1950 en 2200" in refused(questionnaire, "datum", "0019-02-22")


def test_yes_no_and_choices(questionnaire: Questionnaire) -> None:
    assert parse(questionnaire, "dienstreizen", "Ja") is True
    assert parse(questionnaire, "dienstreizen", False) is False
    assert "geen ja of nee" in refused(questionnaire, "dienstreizen", "misschien")
    assert parse(questionnaire, "ramp_beleid", "per_ramp") == "per_ramp"
    label = questionnaire.by_id["ramp_beleid"].keuzes[1].label
    assert parse(questionnaire, "ramp_beleid", label.upper()) == "per_ramp"
    assert "'economies' is geen keuze" in refused(questionnaire, "motieven", ["ideeel", "economies"])
    assert parse(questionnaire, "motieven", ["ideeel", "ideeel", "economisch"]) == ["ideeel", "economisch"]


def test_an_exclusive_option_stands_alone(questionnaire: Questionnaire) -> None:
    assert parse(questionnaire, "huidige_activiteit", ["geen"]) == ["geen"]
    message = refused(questionnaire, "huidige_activiteit", ["geen", "projecten"])
    assert "'Nog geen' kan niet samen met andere keuzes" in message


def test_per_choice_and_groups_report_every_problem_with_its_place(questionnaire: Questionnaire) -> None:
    question = questionnaire.by_id["partnerschappen"]
    with pytest.raises(Invalid) as caught:
        question.kind.parse(question, [{"partner": "A", "sinds": 1800, "lnd": "x"}, "los"], NOTE_2026)
    where = sorted(str(issue.at) for issue in caught.value.issues)
    assert where == ["(0, 'lnd')", "(0, 'sinds')", "(1,)"]


def test_dutch_number_helper() -> None:
    assert dutch_number("-1.500", money=True) == -1500
    with pytest.raises(Invalid):
        dutch_number("1,5,5", money=False)


# --- schema, display, werkblad, prompt ------------------------------------------------


def test_schema_per_kind(questionnaire: Questionnaire) -> None:
    by = questionnaire.by_id
    assert by["gemeente_naam"].kind.schema(by["gemeente_naam"]) == {"type": ["string", "null"]}
    assert by["datum"].kind.schema(by["datum"])["format"] == "date"
    money = by["budget_jaar"].kind.schema(by["budget_jaar"])
    assert "string" in money["type"] and money["minimum"] == 0  # "€ 25.000" may be written too
    assert by["dienstreizen"].kind.schema(by["dienstreizen"]) == {"type": ["boolean", "null"]}
    assert None in by["ramp_beleid"].kind.schema(by["ramp_beleid"])["enum"]
    assert by["motieven"].kind.schema(by["motieven"])["uniqueItems"] is True
    group = by["partnerschappen"].kind.schema(by["partnerschappen"])
    assert group["items"]["properties"]["partner"]["title"]


def test_display_per_kind(questionnaire: Questionnaire) -> None:
    by = questionnaire.by_id

    def shown(qid: str, value: Any) -> str:
        return by[qid].kind.display(value, by[qid])

    assert shown("budget_jaar", 25000) == "€ 25.000"
    assert shown("budget_jaar", 0.45) == "€ 0,45"
    assert shown("inwoners", 52000) == "52.000"
    assert shown("uren_per_week", 8.5) == "8,5"
    assert shown("evaluatie_beleid_jaar", 2029) == "2029"
    assert shown("dienstreizen", True) == "ja"
    assert shown("motieven", ["ideeel"]) == by["motieven"].keuzes[0].label
    assert shown("partnerschappen", [{"partner": "Nador", "land": "Marokko"}]) == "Nador (Marokko)"
    # The text to edit parses back to the same value.
    money = by["budget_jaar"]
    assert money.kind.parse(money, money.kind.edit_text(25000.5, money), NOTE_2026) == 25000.5


def test_werkblad_description_per_kind(questionnaire: Questionnaire) -> None:
    by = questionnaire.by_id
    assert by["budget_jaar"].kind.describe(by["budget_jaar"]) == "bedrag in euro van € 0 tot € 100.000.000"
    assert by["visie"].kind.describe(by["visie"]) == "tekst van een of meer alinea's"


def test_what_the_front_end_asks(questionnaire: Questionnaire) -> None:
    asks = {qid: questionnaire.by_id[qid].kind.prompt for qid in questionnaire.by_id}
    assert asks["gemeente_naam"] == PROMPT_TEXT
    assert asks["visie"] == PROMPT_LONG_TEXT
    assert asks["budget_jaar"] == PROMPT_TEXT
    assert asks["dienstreizen"] == PROMPT_SELECT
    assert asks["ramp_beleid"] == PROMPT_SELECT
    assert asks["motieven"] == PROMPT_CHECKBOX
    assert asks["partnerschappen"] == PROMPT_GROUP
    per_choice = [q for q in questionnaire.questions() if q.type == "per_keuze"]
    assert per_choice and all(q.kind.prompt == PROMPT_PER_CHOICE for q in per_choice)


# --- the same inputs through a file and through the wizard ------------------------------

SAME = [
    # (question, as written in a file (YAML), as typed in the wizard, value)
    ("budget_jaar", "25.000", "25.000", 25000),
    ("budget_jaar", '"€ 25.000"', "€ 25.000", 25000),
    ("budget_jaar", "€ 5.000,-", "€ 5.000,-", 5000),
    ("budget_jaar", "5.000,50", "5.000,50", 5000.5),
    ("budget_jaar", "5000", "5000", 5000),
    ("inwoners", "52.000", "52.000", 52000),
    ("uren_per_week", "8,5", "8,5", 8.5),
    ("evaluatie_beleid_jaar", "2029", "2029", 2029),
    ("versie", "1.10", "1.10", "1.10"),
    ("gemeente_naam", "Súdwest-Fryslân", "Súdwest-Fryslân", "Súdwest-Fryslân"),
    ("datum", "2026-11-23", "2026-11-23", "2026-11-23"),
]


@pytest.fixture
def wizard() -> Iterator[Any]:
    with create_pipe_input() as pipe:
        prompter = Prompter(pipe, DummyOutput())
        prompter.echo = lambda text: None  # type: ignore[method-assign]

        def ask(questionnaire: Questionnaire, qid: str, typed: str) -> Any:
            pipe.send_text(typed + "\r")
            return prompter.ask(questionnaire.by_id[qid], None, context=NOTE_2026)

        yield ask


@pytest.mark.parametrize(("qid", "in_file", "typed", "value"), SAME)
def test_a_file_and_the_wizard_keep_the_same_value(
    questionnaire: Questionnaire, wizard: Any, qid: str, in_file: str, typed: str, value: Any
) -> None:
    date = "" if qid == "datum" else "datum: 2026-11-23\n"
    from_file = answers.from_text(f"{date}{qid}: {in_file}\n", questionnaire).values[qid]
    assert from_file == value
    assert type(from_file) is type(value)
    assert wizard(questionnaire, qid, typed) == value


def test_an_unclear_amount_is_refused_in_a_file_as_in_the_wizard(questionnaire: Questionnaire) -> None:
    with pytest.raises(DataError) as caught:
        answers.from_text("budget_jaar: 5.5\n", questionnaire, "a.yaml")
    assert "niet duidelijk" in str(caught.value.problems[0])
    assert "niet duidelijk" in refused(questionnaire, "budget_jaar", "5.5")


def test_an_amount_with_more_than_cents_is_refused_not_rounded() -> None:
    from wizard import answers, questionnaire
    from wizard.errors import DataError

    with pytest.raises(DataError) as caught:
        answers.from_mapping({"ramp_bedrag_per_inwoner": 1.125}, questionnaire.load())
    (problem,) = caught.value.problems
    assert problem.message == "1,125 heeft meer dan twee cijfers na de komma; een bedrag gaat tot op de cent."
    assert problem.hint == "Schrijf het bedrag in euro en centen, bijvoorbeeld 1,13."
    values = answers.from_mapping({"ramp_bedrag_per_inwoner": 1.25}, questionnaire.load()).values
    assert values == {"ramp_bedrag_per_inwoner": 1.25}
