"""Derived facts: values computed from the answers and offered to rules and templates.

Rules stay declarative by naming these like any other field ("budget_per_inwoner
minder_dan 0.2"). Each fact is declared once in FACTS with its kind, so conditions
that use it are checked when the rules load.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from wizard.answers import Answers
from wizard.conditions import FieldSpec, is_filled
from wizard.questionnaire import Questionnaire

# The steering instruments of a tie that the note should arrange (DOMAIN.md §6).
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


@dataclass(frozen=True)
class Fact:
    spec: FieldSpec
    description: str
    compute: Callable[[Mapping[str, Any]], Any]


def _count(group: str) -> Callable[[Mapping[str, Any]], Any]:
    return lambda v: len(v.get(group) or [])


def _ratio(
    top: str, bottom: Callable[[Mapping[str, Any]], Any], scale: float = 1.0
) -> Callable[[Mapping[str, Any]], Any]:
    def compute(values: Mapping[str, Any]) -> Any:
        numerator, denominator = values.get(top), bottom(values)
        if not isinstance(numerator, int | float) or not denominator:
            return None
        return round(numerator * scale / denominator, 2)

    return compute


def _motives_without(values: Mapping[str, Any], covered: set[str]) -> list[str]:
    return [m for m in values.get("motieven") or [] if m not in covered]


def _motives_without_goal(values: Mapping[str, Any]) -> list[str]:
    covered = {goal.get("motief") for goal in values.get("doelen") or []}
    return _motives_without(values, {c for c in covered if c})


def _motives_without_benefit(values: Mapping[str, Any]) -> list[str]:
    benefits = values.get("motief_opbrengst") or {}
    return _motives_without(values, {k for k, v in benefits.items() if is_filled(v)})


def _main_motive_chosen(values: Mapping[str, Any]) -> Any:
    main = values.get("hoofdmotief")
    if main is None:
        return None
    return main in (values.get("motieven") or [])


def _active(values: Mapping[str, Any]) -> bool:
    activity = [a for a in values.get("huidige_activiteit") or [] if a != "geen"]
    return bool(activity) or bool(values.get("partnerschappen"))


def _steering(item: Mapping[str, Any]) -> int:
    return sum(1 for name in STEERING_FIELDS if is_filled(item.get(name)) and item.get(name) is not False)


FACTS: dict[str, Fact] = {
    "aantal_banden": Fact(
        FieldSpec("number"), "Het aantal partnerschappen en stedenbanden.", _count("partnerschappen")
    ),
    "aantal_doelen": Fact(FieldSpec("number"), "Het aantal doelen.", _count("doelen")),
    "aantal_subsidies": Fact(
        FieldSpec("number"), "Het aantal subsidies en programma's.", _count("subsidies")
    ),
    "budget_per_inwoner": Fact(
        FieldSpec("number"),
        "Het jaarbudget gedeeld door het aantal inwoners, in euro.",
        _ratio("budget_jaar", lambda v: v.get("inwoners")),
    ),
    "budget_per_band": Fact(
        FieldSpec("number"),
        "Het jaarbudget gedeeld door het aantal banden, in euro.",
        _ratio("budget_jaar", _count("partnerschappen")),
    ),
    "uren_per_band": Fact(
        FieldSpec("number"),
        "De ambtelijke uren per week gedeeld door het aantal banden.",
        _ratio("uren_per_week", _count("partnerschappen")),
    ),
    "heeft_herkomstland_band": Fact(
        FieldSpec("bool"),
        "Of minstens één band met een herkomstland van inwoners is.",
        lambda v: any(p.get("herkomstland") is True for p in v.get("partnerschappen") or []),
    ),
    "actief": Fact(FieldSpec("bool"), "Of de gemeente nu al iets internationaal doet.", _active),
    "hoofdmotief_gekozen": Fact(
        FieldSpec("bool"), "Of het hoofdmotief ook bij de gekozen motieven staat.", _main_motive_chosen
    ),
}

ITEM_FACTS: dict[str, dict[str, Fact]] = {
    "partnerschappen": {
        "sturingsmiddelen": Fact(
            FieldSpec("number", group="partnerschappen"),
            "Hoeveel sturingsmiddelen deze band heeft (doelen, werkplan, verslag, evaluatie, exitcriteria, "
            "budgetplafond, verantwoordelijke, einddatum).",
            _steering,
        ),
    },
}


# Which answers each fact is computed from (for the wizard: after which section a
# finding that uses the fact can be shown).
SOURCES: dict[str, tuple[str, ...]] = {
    "aantal_banden": ("partnerschappen",),
    "aantal_doelen": ("doelen",),
    "aantal_subsidies": ("subsidies",),
    "budget_per_inwoner": ("inwoners", "budget_jaar"),
    "budget_per_band": ("budget_jaar", "partnerschappen"),
    "uren_per_band": ("uren_per_week", "partnerschappen"),
    "heeft_herkomstland_band": ("partnerschappen",),
    "actief": ("huidige_activiteit", "partnerschappen"),
    "hoofdmotief_gekozen": ("motieven", "hoofdmotief"),
    "motieven_zonder_doel": ("motieven", "doelen"),
    "motieven_zonder_opbrengst": ("motieven", "motief_opbrengst"),
    "partnerschappen.sturingsmiddelen": ("partnerschappen",),
}


# Facts whose values are choice values of a question: shown with that question's labels.
CHOICES_FROM = {
    "motieven_zonder_doel": "motieven",
    "motieven_zonder_opbrengst": "motieven",
}


def specs(questionnaire: Questionnaire) -> dict[str, FieldSpec]:
    """Field specs of every derived fact, for checking conditions that use them."""
    result = {name: fact.spec for name, fact in FACTS.items()}
    for name, question_id in CHOICES_FROM.items():
        question = questionnaire.by_id.get(question_id)
        choices = question.choice_values if question else ()
        result[name] = FieldSpec("choices", choices, label=name.replace("_", " ").capitalize())
    for group, facts in ITEM_FACTS.items():
        for name, fact in facts.items():
            result[f"{group}.{name}"] = fact.spec
    return result


def derive(answers: Answers) -> dict[str, Any]:
    """Return answers and derived facts together: the values rules and templates see."""
    values: dict[str, Any] = dict(answers.values)
    for group, facts in ITEM_FACTS.items():
        items = []
        for item in values.get(group) or []:
            enriched = dict(item)
            for name, fact in facts.items():
                enriched[name] = fact.compute(item)
            items.append(enriched)
        values[group] = items
    for name, fact in FACTS.items():
        values[name] = fact.compute(values)
    values["motieven_zonder_doel"] = _motives_without_goal(values)
    values["motieven_zonder_opbrengst"] = _motives_without_benefit(values)
    return values
