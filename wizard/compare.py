"""Where answers files differ, per question: two workshop groups, or this year's and last year's framework.

Questions are compared as a reader sees them (choice labels, Dutch amounts), in
questionnaire order and numbered as on the workshop sheet. Items of a repeating
group (ties, goals, subsidies) are matched by their name, so "Tata (Hongarije)" in
one file is compared with "Tata (Hongarije)" in the other, wherever it sits in
the list. Workshop notes per section are compared too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wizard.answers import Answers
from wizard.display import answer_text, item_name
from wizard.questionnaire import Question, Questionnaire
from wizard.worksheet import question_numbers


@dataclass(frozen=True)
class Difference:
    """One question whose answers are not the same in every file; None where a file has no answer."""

    nummer: str
    deel: str
    vraag: str
    waarden: tuple[str | None, ...]


def differences(questionnaire: Questionnaire, files: Sequence[Answers]) -> tuple[list[Difference], int]:
    """Every difference, and how many questions (and group fields) were compared."""
    numbers = question_numbers(questionnaire)
    found: list[Difference] = []
    compared = 0
    for section in questionnaire.sections:
        for question in section.questions:
            number = numbers[question.key]
            if question.kind.has_fields:
                compared += _compare_group(question, number, section.title, files, numbers, found)
                continue
            compared += 1
            values = tuple(answer_text(a.get(question.id), question) for a in files)
            if len(set(values)) > 1:
                found.append(Difference(number, section.title, question.label, values))
        notes = tuple(a.notes.get(section.id) or None for a in files)
        if len(set(notes)) > 1:
            found.append(Difference("", section.title, "Toelichting uit de werksessie", notes))
    return found, compared


def _compare_group(
    group: Question,
    number: str,
    section: str,
    files: Sequence[Answers],
    numbers: Mapping[str, str],
    found: list[Difference],
) -> int:
    per_file = [_items_by_name(group, a.get(group.id) or []) for a in files]
    names = list(dict.fromkeys(name for items in per_file for name in items))  # first-seen order
    compared = 1
    if len({frozenset(items) for items in per_file}) > 1:  # another order is no difference
        listed = tuple(", ".join(items) or None for items in per_file)
        found.append(Difference(number, section, group.label, listed))
    for name in names:
        items = [items.get(name) for items in per_file]
        if any(item is None for item in items):
            continue  # an item missing from a file shows in the list above
        for field in group.fields:
            compared += 1
            values = tuple(answer_text(item.get(field.id), field) for item in items if item is not None)
            if len(set(values)) > 1:
                found.append(Difference(numbers[field.key], section, f"{name} · {field.label}", values))
    return compared


def _items_by_name(group: Question, items: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    named: dict[str, Mapping[str, Any]] = {}
    for item in items:
        name = item_name(group, item)
        unique, count = name, 2
        while unique in named:  # two items with the same name stay apart
            unique, count = f"{name} ({count})", count + 1
        named[unique] = item
    return named


def context(names: Sequence[str], found: Sequence[Difference], compared: int) -> dict[str, Any]:
    """What the vergelijking template receives."""
    sections: dict[str, list[Difference]] = {}
    for difference in found:
        sections.setdefault(difference.deel, []).append(difference)
    return {
        "bestanden": list(names),
        "delen": list(sections.items()),
        "aantal_verschillen": len(found),
        "aantal_vergeleken": compared,
    }
