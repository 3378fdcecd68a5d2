"""The questionnaire as a render context, for the printable workshop sheet (werkblad).

The sheet is drawn from the same questionnaire data as the wizard: every section,
question, hint, explanation and choice, numbered the way a facilitator refers to
them ("vraag 4.2"). When a question only applies after another answer, the sheet
says so in words, made from the same condition the wizard evaluates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wizard import conditions
from wizard.answers import Answers
from wizard.display import answer_text, display
from wizard.questionnaire import FULL, ROLE_LABELS, SHORT, Question, Questionnaire


@dataclass(frozen=True)
class SheetQuestion:
    nummer: str
    id: str
    type: str
    label: str
    hint: str
    uitleg: str
    bron: str
    keuzes: tuple[str, ...]
    alleen_als: str  # when the question applies, in words; empty when always
    velden: tuple[SheetQuestion, ...]  # a groep: the questions asked per item
    per_keuze_van: str  # per_keuze: the label of the question it follows
    antwoord: str | None = None  # the current answer, when the sheet is made from an answers file
    soort: str = ""  # what kind of answer is expected, in words ("bedrag in euro van € 0 tot …")


@dataclass(frozen=True)
class SheetSection:
    nummer: int
    titel: str
    rol: str
    rol_label: str
    inleiding: str
    vragen: tuple[SheetQuestion, ...]


def question_numbers(questionnaire: Questionnaire) -> dict[str, str]:
    """Field name → "4.2" (section 4, question 2) or "5.1.3" (a question inside a group)."""
    numbers: dict[str, str] = {}
    for s_index, section in enumerate(questionnaire.sections, start=1):
        for q_index, question in enumerate(section.questions, start=1):
            numbers[question.key] = f"{s_index}.{q_index}"
            for f_index, field in enumerate(question.velden, start=1):
                numbers[field.key] = f"{s_index}.{q_index}.{f_index}"
    return numbers


def build(questionnaire: Questionnaire, answers: Answers | None = None, route: str = FULL) -> dict[str, Any]:
    """Return the variables the werkblad template receives; with `answers`, each question
    also carries its current answer (to revise an existing framework in a workshop).

    On the short route (`kort`) the sheet holds only the short-route questions and fields,
    numbered as in the full sheet (so "vraag 4.1" is the same question on both)."""
    numbers = question_numbers(questionnaire)
    values = answers.values if answers is not None else {}
    short = route == SHORT
    sections = tuple(
        SheetSection(
            nummer=index,
            titel=section.titel,
            rol=section.rol,
            rol_label=ROLE_LABELS[section.rol],
            inleiding=section.inleiding,
            vragen=tuple(
                _question(q, questionnaire, numbers, values.get(q.id), short)
                for q in section.questions
                if q.kort or not short
            ),
        )
        for index, section in enumerate(questionnaire.sections, start=1)
    )
    sections = tuple(s for s in sections if s.vragen)
    counted = sum(1 + sum(1 for _ in q.velden) for s in sections for q in s.vragen)
    return {
        "delen": sections,
        "rollen": ROLE_LABELS,
        "kort": short,
        "aantal_vragen": counted,
        "gemeente": answer_text(values.get("gemeente_naam"), questionnaire.by_id["gemeente_naam"])
        if "gemeente_naam" in questionnaire.by_id
        else None,
        "met_antwoorden": answers is not None,
    }


def _question(
    question: Question,
    questionnaire: Questionnaire,
    numbers: Mapping[str, str],
    value: Any = None,
    short: bool = False,
) -> SheetQuestion:
    follows = questionnaire.by_id.get(question.van) if question.van else None
    choices = question.keuzes or (follows.keuzes if follows else ())
    return SheetQuestion(
        nummer=numbers[question.key],
        id=question.id,
        type=question.type,
        label=question.label,
        hint=question.hint,
        uitleg=question.uitleg,
        bron=question.bron,
        keuzes=tuple(choice.label for choice in choices),
        alleen_als=describe(question.wanneer, questionnaire, numbers) if question.wanneer else "",
        velden=tuple(
            _question(field, questionnaire, numbers) for field in question.velden if field.kort or not short
        ),
        per_keuze_van=follows.label if follows else "",
        antwoord=answer_text(value, question),
        soort=question.kind.describe(question),
    )


_COUNT_WORDS = {1: "één", 2: "twee", 3: "drie", 4: "vier", 5: "vijf"}
_NUMERIC = {
    "meer_dan": "meer dan",
    "minder_dan": "minder dan",
    "minstens": "minstens",
    "hoogstens": "hoogstens",
}


def describe(
    condition: conditions.Condition, questionnaire: Questionnaire, numbers: Mapping[str, str]
) -> str:
    """A condition as the end of "Alleen als …": "u bij vraag 1.5 (Is er al beleid) 'Ja' antwoordde"."""
    if isinstance(condition, conditions.AllOf):
        return " en ".join(describe(p, questionnaire, numbers) for p in condition.parts)
    if isinstance(condition, conditions.AnyOf):
        return " of ".join(describe(p, questionnaire, numbers) for p in condition.parts)
    if isinstance(condition, conditions.Not):
        return "dit niet geldt: " + describe(condition.part, questionnaire, numbers)
    if isinstance(condition, conditions.GroupTest):
        which = "alle" if condition.every else "minstens één"
        group = questionnaire.by_id.get(condition.group)
        label = group.label.lower() if group else condition.group
        return f"dit geldt voor {which} van de {label}: " + describe(condition.part, questionnaire, numbers)
    question = _find(questionnaire, condition.field)
    where = f"vraag {numbers[question.key]}" if question and question.key in numbers else condition.field
    subject = f"{where} ({question.label.rstrip('?')})" if question else where
    value = condition.value

    def shown(item: Any) -> str:
        return f"'{display(item, question)}'"

    op = condition.op
    if op == "ingevuld":
        return f"u {subject} invulde" if value else f"u {subject} leeg liet"
    if op in ("is", "is_een_van"):
        options = value if op == "is_een_van" else (value,)
        return f"u bij {subject} " + " of ".join(shown(v) for v in options) + " antwoordde"
    if op in ("bevat", "bevat_een_van"):
        options = value if op == "bevat_een_van" else (value,)
        return f"u bij {subject} " + " of ".join(shown(v) for v in options) + " koos"
    if question and question.kind.counted:
        count = _COUNT_WORDS.get(value, str(value))
        return f"u bij {subject} {_NUMERIC[op]} {count} antwoord{'' if value == 1 else 'en'} koos"
    return f"het antwoord op {subject} {_NUMERIC[op]} {display(value, question)} is"


def _find(questionnaire: Questionnaire, key: str) -> Question | None:
    if key in questionnaire.by_id:
        return questionnaire.by_id[key]
    group, _, name = key.partition(".")
    parent = questionnaire.by_id.get(group)
    for field in parent.velden if parent else ():
        if field.id == name:
            return field
    return None


def blocks_for(
    questionnaire: Questionnaire, template_dir: Any = None, answers: Answers | None = None, route: str = FULL
) -> tuple[Any, list[Any]]:
    """The werkblad's document kind and its blocks, rendered from the questionnaire."""
    from wizard import documents
    from wizard.render import Renderer

    kind = documents.load("werkblad")
    return kind, Renderer(template_dir, "werkblad").blocks(build(questionnaire, answers, route))
