"""Each prompt kind, driven through a prompt_toolkit pipe (questionary's own testing technique).

A pipe delivers all keys of one test at once, the way a terminal delivers a paste: an Enter
followed by more keys is part of a paste. Typing, then a refused Enter, then a correction is
tested through a real terminal in tests/test_e2e.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from wizard.kinds import Context
from wizard.prompts import Interrupted, Nav, Prompter, safe
from wizard.questionnaire import Questionnaire

ENTER, DOWN, UP, SPACE, CTRL_C, CTRL_D = "\r", "\x1b[B", "\x1b[A", " ", "\x03", "\x04"


@pytest.fixture
def keys() -> Iterator[Any]:
    with create_pipe_input() as pipe:
        echoed: list[str] = []
        prompter = Prompter(pipe, DummyOutput())  # one for the whole test, as in a session
        prompter.echo = echoed.append  # type: ignore[method-assign]

        def ask(
            questionnaire: Questionnaire,
            qid: str,
            typed: str,
            current: Any = None,
            group: str | None = None,
            context: Context | None = None,
        ) -> Any:
            question = (
                questionnaire.by_id[qid]
                if group is None
                else next(f for f in questionnaire.by_id[group].velden if f.id == qid)
            )
            pipe.send_text(typed)
            return prompter.ask(question, current, context=context)

        ask.echoed = echoed  # type: ignore[attr-defined]
        yield ask


def test_text(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "gemeente_naam", "Zeewolde" + ENTER) == "Zeewolde"
    assert keys(questionnaire, "gemeente_naam", ENTER) is None  # empty skips
    assert keys(questionnaire, "gemeente_naam", ENTER, current="Oud") == "Oud"  # earlier answer pre-filled
    assert keys(questionnaire, "auteur", "{{ x }}" + ENTER) == "{{ x }}"


def test_navigation_in_text(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "gemeente_naam", "?" + ENTER) is Nav.HELP
    assert keys(questionnaire, "gemeente_naam", "<" + ENTER) is Nav.BACK
    assert keys(questionnaire, "visie", "?" + ENTER) is Nav.HELP
    assert keys(questionnaire, "visie", "<" + ENTER) is Nav.BACK


def test_dutch_numbers_as_typed_and_repeated(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "inwoners", "23.000" + ENTER) == 23000
    assert keys(questionnaire, "budget_jaar", "€ 25.000,50" + ENTER) == 25000.5
    assert keys(questionnaire, "budget_jaar", "€ 5.000,-" + ENTER) == 5000
    assert keys.echoed[-1] == "  Genoteerd: € 5.000 per jaar"
    assert keys(questionnaire, "uren_per_week", "8,5" + ENTER) == 8.5
    assert keys(questionnaire, "evaluatie_beleid_jaar", "2029" + ENTER) == 2029
    # A stored amount is offered for editing as the person would type it, and kept.
    assert keys(questionnaire, "budget_jaar", ENTER, current=25000.5) == 25000.5


def test_long_text_takes_paragraphs_and_twice_enter_finishes(keys: Any, questionnaire: Questionnaire) -> None:
    # A paste (all keys at once) keeps its line breaks, also its empty line, and ends the answer
    # only with the last Enter on an empty line.
    typed = "Eerste alinea.\rTweede regel.\r\rNieuwe alinea.\r\r"
    assert keys(questionnaire, "visie", typed) == "Eerste alinea.\nTweede regel.\n\nNieuwe alinea."


def test_a_pasted_text_never_answers_the_next_question(keys: Any, questionnaire: Questionnaire) -> None:
    # Without bracketed paste, line breaks arrive as Enter; in a one-line answer they become spaces.
    assert keys(questionnaire, "gemeente_naam", "Zee\rwolde" + ENTER) == "Zee wolde"


def test_date(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "datum", "2026-12-01" + ENTER) == "2026-12-01"
    assert keys(questionnaire, "datum", "1-12-2026" + ENTER) == "2026-12-01"
    assert keys.echoed[-1] == "  Genoteerd: 2026-12-01"  # repeated when it differs from what was typed


def test_yes_no_and_choice(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "dienstreizen", ENTER) is True  # the cursor starts on the first option
    assert keys(questionnaire, "dienstreizen", DOWN + DOWN + ENTER) is None  # (overslaan) is last
    assert keys(questionnaire, "dienstreizen", ENTER, current=False) is False  # starts on the stored answer
    assert keys(questionnaire, "ramp_beleid", DOWN + ENTER) == "per_ramp"
    assert keys(questionnaire, "ramp_beleid", "?") is Nav.HELP
    assert keys(questionnaire, "ramp_beleid", "<") is Nav.BACK


def test_multiple_choice(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "motieven", SPACE + DOWN + DOWN + SPACE + ENTER) == ["ideeel", "bestuurlijk"]
    assert keys(questionnaire, "motieven", ENTER) is None
    assert keys(questionnaire, "motieven", SPACE + ENTER, current=["ideeel", "economisch"]) == ["economisch"]
    assert keys(questionnaire, "motieven", "<") is Nav.BACK


def test_help_keeps_the_ticks(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "motieven", SPACE + "?") is Nav.HELP
    # Asked again with the stored (empty) answer: the tick set before '?' is still there.
    assert keys(questionnaire, "motieven", ENTER) == ["ideeel"]


def test_exclusive_option_cannot_be_combined(keys: Any, questionnaire: Questionnaire) -> None:
    question = questionnaire.by_id["huidige_activiteit"]
    exclusive = [c for c in question.keuzes if c.exclusief]
    assert exclusive, "keuzelijsten.yaml marks the 'geen' option exclusief"
    index = question.keuzes.index(exclusive[0])
    # Ticking 'geen' and another option is refused; unticking the other one is accepted.
    other = 0 if index else 1
    moves = DOWN * index + SPACE + (UP * (index - other) if index > other else DOWN * (other - index)) + SPACE
    assert keys(questionnaire, "huidige_activiteit", moves + ENTER + SPACE + ENTER) == [exclusive[0].waarde]


def test_group_field(keys: Any, questionnaire: Questionnaire) -> None:
    assert keys(questionnaire, "herkomstland", ENTER, group="partnerschappen") is True


def test_interrupts(keys: Any, questionnaire: Questionnaire) -> None:
    with pytest.raises(KeyboardInterrupt):
        keys(questionnaire, "gemeente_naam", CTRL_C)
    with pytest.raises(Interrupted) as stopped:
        keys(questionnaire, "visie", "Half af" + CTRL_C)
    assert stopped.value.typed == "Half af"  # the session can still keep it
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


def test_menus_have_help_and_back() -> None:
    with create_pipe_input() as pipe:
        prompter = Prompter(pipe, DummyOutput())
        shown: list[str] = []
        prompter.echo = shown.append  # type: ignore[method-assign]
        pipe.send_text("?" + ENTER)
        assert prompter.menu("Wat?", [("Een", "een"), ("Twee", "twee")], help="Kies er een.") == "een"
        assert any("Kies er een." in line for line in shown)
        pipe.send_text("<")
        assert prompter.menu("Wat?", [("Een", "een")], back="terug") == "terug"


def test_escape_sequences_never_reach_the_terminal() -> None:
    assert safe("rood\x1b[31m en \x07bel\x9b") == "rood\ufffd[31m en \ufffdbel\ufffd"
    assert safe("twee\nregels") == "twee\nregels"
