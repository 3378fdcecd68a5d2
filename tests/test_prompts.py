"""Each prompt kind, driven through a prompt_toolkit pipe (questionary's own testing technique)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from wizard.prompts import Nav, Prompter, parse_number
from wizard.questionnaire import Questionnaire

ENTER, DOWN, UP, SPACE, CTRL_C, CTRL_D = "\r", "\x1b[B", "\x1b[A", " ", "\x03", "\x04"


@pytest.fixture
def keys() -> Iterator[Any]:
    with create_pipe_input() as pipe:

        def ask(
            questionnaire: Questionnaire, qid: str, typed: str, current: Any = None, group: str | None = None
        ) -> Any:
            question = (
                questionnaire.by_id[qid]
                if group is None
                else next(f for f in questionnaire.by_id[group].fields if f.id == qid)
            )
            pipe.send_text(typed)
            return Prompter(pipe, DummyOutput()).ask(question, current)

        yield ask


def test_text(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "gemeente_naam", "Zeewolde" + ENTER) == "Zeewolde"
    assert keys(questionnaire, "gemeente_naam", ENTER) is None  # empty skips
    assert keys(questionnaire, "gemeente_naam", ENTER, current="Oud") == "Oud"  # earlier answer pre-filled
    assert keys(questionnaire, "visie", "Samen leren. {{ x }}" + ENTER) == "Samen leren. {{ x }}"


def test_navigation_in_text(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "gemeente_naam", "?" + ENTER) is Nav.HELP
    assert keys(questionnaire, "gemeente_naam", "<" + ENTER) is Nav.BACK


def test_numbers_are_checked_as_typed(keys: Any, questionnaire: Questionnaire) -> None:
    # an invalid number is refused (the prompt stays), the corrected one is taken
    assert keys(questionnaire, "inwoners", "veel" + ENTER + "\x7f" * 4 + "23.000" + ENTER) == 23000
    assert keys(questionnaire, "budget_jaar", "€ 25.000,50" + ENTER) == 25000.5
    assert keys(questionnaire, "evaluatie_beleid_jaar", "1999" + ENTER + "\x7f" * 4 + "2029" + ENTER) == 2029


def test_parse_number_messages(questionnaire: Questionnaire) -> None:
    assert parse_number(questionnaire.by_id["inwoners"], "12") == "Het getal moet minstens 500 zijn."
    assert parse_number(questionnaire.by_id["inwoners"], "1,5") == "Typ alleen cijfers, bijvoorbeeld 25000."
    assert (
        parse_number(questionnaire.by_id["evaluatie_beleid_jaar"], "3000")
        == "Het getal mag hoogstens 2100 zijn."
    )


def test_date(keys: Any, questionnaire: Questionnaire) -> None:
    assert (
        keys(questionnaire, "datum", "\x7f" * 10 + "2026-13-01" + ENTER + "\x7f" * 10 + "2026-12-01" + ENTER)
        == "2026-12-01"
    )


def test_yes_no_and_choice(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "dienstreizen", UP + UP + ENTER) is True
    assert keys(questionnaire, "dienstreizen", ENTER) is None  # pointer starts on (overslaan)
    assert keys(questionnaire, "dienstreizen", ENTER, current=False) is False
    assert keys(questionnaire, "ramp_beleid", UP + UP + ENTER) == "per_ramp"
    assert keys(questionnaire, "ramp_beleid", "?") is Nav.HELP
    assert keys(questionnaire, "ramp_beleid", "<") is Nav.BACK


def test_multiple_choice(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "motieven", SPACE + DOWN + DOWN + SPACE + ENTER) == ["ideeel", "bestuurlijk"]
    assert keys(questionnaire, "motieven", ENTER) is None
    assert keys(questionnaire, "motieven", SPACE + ENTER, current=["ideeel", "economisch"]) == ["economisch"]
    assert keys(questionnaire, "motieven", "<") is Nav.BACK


def test_group_field(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "herkomstland", UP + UP + ENTER, group="partnerschappen") is True


def test_interrupts(keys: Any, questionnaire: Questionnaire) -> None:
    with pytest.raises(KeyboardInterrupt):
        keys(questionnaire, "gemeente_naam", CTRL_C)
    with pytest.raises(EOFError):
        keys(questionnaire, "gemeente_naam", CTRL_D)
    with pytest.raises(EOFError):
        keys(questionnaire, "ramp_beleid", CTRL_D)
    with pytest.raises(KeyboardInterrupt):
        keys(questionnaire, "motieven", CTRL_C)


def test_confirm_is_ja_or_nee_and_enter_takes_the_default() -> None:
    with create_pipe_input() as pipe:
        prompter = Prompter(pipe, DummyOutput())
        pipe.send_text(ENTER)
        assert prompter.confirm("Vervangen?", default=False) is False
        pipe.send_text(ENTER)
        assert prompter.confirm("Doorgaan?", default=True) is True
        pipe.send_text(UP + ENTER)  # from "Nee" one up: "Ja"
        assert prompter.confirm("Vervangen?", default=False) is True
