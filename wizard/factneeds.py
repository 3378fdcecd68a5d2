"""What the derived facts (wizard/facts.py) need of the questionnaire, checked when it loads.

The facts name some answers when they are missing (each needs an `ontbreekt:` text) and read
the budget moments of geld.yaml. The questionnaire loader runs `check`; this module imports
nothing above the questionnaire, so loading it never imports the facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from wizard.errors import Problem

# The steering instruments of a tie that goes on (DOMAIN.md §6): fields of `partnerschappen`.
# How a reader names each one when it is missing is its `ontbreekt:` in vragenlijst.yaml.
TIES = "partnerschappen"
STEERING_FIELDS = (
    "doelen",
    "werkplan",
    "jaarverslag_raad",
    "evaluatie_jaar",
    "exitcriteria",
    "budgetplafond",
    "verantwoordelijke",
    "einddatum",
)
# The parts of an orderly ending (afbouw) of a tie.
ENDING_FIELDS = ("afbouw_reden", "afbouw_jaar", "afbouw_informeren", "afbouw_wat_blijft")
# The amounts of a disaster framework.
FRAMEWORK_AMOUNTS = ("ramp_bedrag_per_inwoner", "ramp_plafond", "ramp_plafond_jaar")
# Every answer a fact lists by name when it is missing: each needs an `ontbreekt:` text.
NAMED_WHEN_MISSING = (
    *(f"{TIES}.{name}" for name in (*STEERING_FIELDS, *ENDING_FIELDS)),
    *FRAMEWORK_AMOUNTS,
)
# The question whose choices are the budget moments of geld.yaml (`begrotingsmomenten`).
BUDGET_MOMENT = "pc_moment"


# What the check reads of the questionnaire (wizard.questionnaire has it all); protocols, so this
# module never imports the questionnaire, which imports it.


class Question(Protocol):
    @property
    def ontbreekt(self) -> str: ...
    @property
    def line(self) -> int | None: ...
    @property
    def choice_values(self) -> tuple[str, ...]: ...


class Deadline(Protocol):
    @property
    def line(self) -> int | None: ...


class Questionnaire(Protocol):
    @property
    def files(self) -> tuple[Path, ...]: ...
    @property
    def deadlines(self) -> Mapping[str, Deadline]: ...
    def question(self, key: str) -> Question | None:
        """The question behind a field name: 'id', or 'groep.id' for a field of a group."""


def check(questionnaire: Questionnaire) -> list[Problem]:
    """What the facts need from the questionnaire's data: a name for each answer they list
    when it is missing, and budget moments that are choices of the budget-moment question.
    Called when the questionnaire loads (wizard.questionnaire.load)."""
    questions_file = _file(questionnaire, "vragenlijst.yaml")
    problems = []
    for key in NAMED_WHEN_MISSING:
        question = questionnaire.question(key)
        if question is None:
            problems.append(
                Problem(
                    f"de vraag '{key}' ontbreekt, maar de toets leest haar.",
                    file=questions_file,
                    hint="Zet de vraag terug, of pas de lijsten in wizard/factneeds.py aan.",
                )
            )
        elif not question.ontbreekt:
            problems.append(
                Problem(
                    f"vraag '{key}' heeft geen 'ontbreekt'.",
                    file=questions_file,
                    line=question.line,
                    field=key,
                    hint="De toets en de notitie noemen dit antwoord als het ontbreekt. Voeg toe hoe, "
                    "bijvoorbeeld 'ontbreekt: een werkplan'.",
                )
            )
    moment = questionnaire.question(BUDGET_MOMENT)
    choices = moment.choice_values if moment else ()
    for name, deadline in questionnaire.deadlines.items():
        if name not in choices:
            problems.append(
                Problem(
                    f"'{name}' is geen keuze van de vraag '{BUDGET_MOMENT}'.",
                    file=_file(questionnaire, "geld.yaml"),
                    line=deadline.line,
                    field=f"begrotingsmomenten.{name}",
                    hint=f"Kies uit: {', '.join(choices)}." if choices else None,
                )
            )
    return problems


def _file(questionnaire: Questionnaire, name: str) -> Path | str:
    return next((f for f in questionnaire.files if f.name == name), name)
