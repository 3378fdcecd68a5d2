"""Where answers files differ, per question: two workshop groups, or this year's and last year's framework.

Questions are compared as a reader sees them (choice labels, Dutch amounts), in
questionnaire order and numbered as on the workshop sheet. Items of a repeating
group (ties, goals, subsidies) are matched by who they are (`identity`: a tie's partner
and country, a goal's description, without case, accents or punctuation), so
"Tata (Hongarije)" in one file is compared field by field with "tata (Hongarije)" in
another, wherever it sits in the list and whatever else the lists hold; an item that
only some files list is a difference of its own. The werksessie projection
(wizard/web/workshop.py) uses the same matching, and compares only what each group's route
asks (`route`, one per file): a question outside a group's route is "not asked" there
(NOT_ASKED), never a difference by itself, and an answer a group gave earlier on the full
route is no difference once it follows the short one. When all groups follow one route,
that is the evening's route. Workshop notes per section are compared too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wizard.answers import Answers
from wizard.display import answer_text, dutch_list, item_name
from wizard.questionnaire import FULL, Question, Questionnaire
from wizard.walk import Walk
from wizard.worksheet import question_numbers

MISSING = "(niet in de lijst)"  # an item this file does not list (and so none of its fields)
NAMED = "in de lijst"  # an item this file lists (an item that only some files list)
NOT_ASKED = "(niet gevraagd op deze route)"  # the file's route does not ask this question or field


@dataclass(frozen=True)
class Difference:
    """One question whose answers are not the same in every file; None where a file has no answer.

    `vraag_id` is the question (for an item or one of its fields: the repeating group),
    `item` the item's identity (see `identity`), `naam` how the item is called and `veld`
    the field. An item that only some files list is one difference of its own (no `veld`;
    its values are NAMED or MISSING); `aanwezig` says per file whether it lists the item.
    A note of a part has no `vraag_id`; `deel_id` is its part (section id)."""

    nummer: str
    deel: str
    vraag: str
    waarden: tuple[str | None, ...]
    vraag_id: str = ""
    item: str = ""
    naam: str = ""
    veld: str = ""
    aanwezig: tuple[bool, ...] = ()
    deel_id: str = ""

    @property
    def soort(self) -> str:
        """'toelichting' (a note of a part), 'vraag', 'item' (listed by some files) or 'veld'."""
        if not self.vraag_id:
            return "toelichting"
        if not self.item:
            return "vraag"
        return "veld" if self.veld else "item"


def differences(
    questionnaire: Questionnaire, files: Sequence[Answers], route: str | Sequence[str] = FULL
) -> tuple[list[Difference], int]:
    """Every difference, and how many questions (and group fields) were compared.

    `route` is one route for every file, or the route of each file (a werksessie group's): a
    question or field is compared between the files whose route asks it; where a file's route
    does not ask it, its answer is NOT_ASKED there and counts for nothing (not a difference, not
    adoptable). A question counts as compared when at least two files are asked it (one, when
    there is one file)."""
    routes = [route] * len(files) if isinstance(route, str) else list(route)
    if len(routes) != len(files):
        raise ValueError("one route per file")
    walks = {name: Walk(questionnaire, name).on_route for name in set(routes)}
    asks = [walks[name] for name in routes]
    enough = min(2, len(files))
    numbers = question_numbers(questionnaire)
    found: list[Difference] = []
    compared = 0
    for section in questionnaire.sections:
        for question in section.questions:
            asked = tuple(a(question) for a in asks)
            if sum(asked) < enough:
                continue
            number = numbers[question.key]
            if question.kind.has_fields:
                compared += _compare_group(
                    question, number, section.titel, files, asks, asked, numbers, found
                )
                continue
            compared += 1
            values = tuple(
                answer_text(a.get(question.id), question) if here else NOT_ASKED
                for a, here in zip(files, asked, strict=True)
            )
            if len({v for v, here in zip(values, asked, strict=True) if here}) > 1:
                found.append(Difference(number, section.titel, question.label, values, question.id))
        notes = tuple(a.notes.get(section.id) or None for a in files)
        if len(set(notes)) > 1:
            found.append(
                Difference("", section.titel, "Toelichting uit de werksessie", notes, deel_id=section.id)
            )
    return found, compared


def _compare_group(
    group: Question,
    number: str,
    section: str,
    files: Sequence[Answers],
    asks: Sequence[Callable[[Question], bool]],
    asked: tuple[bool, ...],
    numbers: Mapping[str, str],
    found: list[Difference],
) -> int:
    """Items are matched by who they are, wherever they sit in each list; an item that only
    some files list is a difference of its own, and its fields are still compared between
    the files that do list it. Only files whose route asks the group (`asked`) count, and
    a field only where the file's route asks it."""
    per_file = [
        match_items(group, a.get(group.id) or []) if here else {}
        for a, here in zip(files, asked, strict=True)
    ]
    keys = list(dict.fromkeys(key for items in per_file for key in items))  # first-seen order
    naming = {name for names in re.findall(r"\{([^}]*)\}", group.naam) for name in names.split("|")}
    enough = min(2, len(files))
    fields = [(f, tuple(here and a(f) for a, here in zip(asks, asked, strict=True))) for f in group.velden]
    fields = [(f, field_asked) for f, field_asked in fields if sum(field_asked) >= enough]
    compared = 1
    for key in keys:
        here = [items.get(key) for items in per_file]
        present = tuple(item is not None for item in here)
        name = next(item[0] for item in here if item is not None)
        if not all(p for p, a in zip(present, asked, strict=True) if a):
            listed = tuple(
                NOT_ASKED if not a else NAMED if item is not None else MISSING
                for item, a in zip(here, asked, strict=True)
            )
            found.append(
                Difference(
                    number, section, f"{group.label}: {name}", listed, group.id, key, name, "", present
                )
            )
        for field, field_asked in fields:
            compared += 1
            shown = [
                answer_text(item[1].get(field.id), field)
                for item, a in zip(here, field_asked, strict=True)
                if item is not None and a
            ]
            if field.id in naming:  # part of the name: 'wenzhou ' and 'Wenzhou' are the same tie
                shown = [identity(text or "") for text in shown]
            if len(set(shown)) < 2:
                continue  # the same wherever the item is listed and asked (or there once)
            values = tuple(
                NOT_ASKED
                if not a
                else answer_text(item[1].get(field.id), field)
                if item is not None
                else MISSING
                for item, a in zip(here, field_asked, strict=True)
            )
            found.append(
                Difference(
                    numbers[field.key],
                    section,
                    f"{name} · {field.label}",
                    values,
                    group.id,
                    key,
                    name,
                    field.id,
                    present,
                )
            )
    return compared


def identity(name: str) -> str:
    """Who an item is, from its name: 'Wenzhou (China)' is 'wenzhou  (china) ' is 'Wenzhou, China'.

    A name without letters or digits ('😀 (🇳🇱)', '!!! (???)') keeps its signs, so two such
    items do not become one."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", plain)) or " ".join(plain.split())


def match_items(
    group: Question, items: Sequence[Mapping[str, Any]]
) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """The items of a repeating group by identity: a tie by partner and country, a goal by its
    description (the group's `naam`), normalised; two items of one file that are the same
    stay apart as 'x (2)'. Each value is (the item's name, the item)."""
    matched: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for item in items:
        name = item_name(group, item)
        key, unique, count = identity(name), name, 2
        while key in matched:
            unique = f"{name} ({count})"
            key, count = identity(unique), count + 1
        matched[key] = (unique, item)
    return matched


def present_in(difference: Difference, names: Sequence[str]) -> str:
    """'alleen bij groep 3' for an item that only some files list, else ''."""
    if difference.soort not in ("item", "veld"):
        return ""
    counted = [  # a file whose route does not ask the group says nothing about the list
        here
        for here, value in zip(difference.aanwezig, difference.waarden, strict=True)
        if here or value != NOT_ASKED
    ]
    if all(counted):
        return ""
    having = [name for name, here in zip(names, difference.aanwezig, strict=True) if here]
    return "alleen bij " + dutch_list(having)


def context(names: Sequence[str], found: Sequence[Difference], compared: int) -> dict[str, Any]:
    """What the vergelijking template receives (plain data: the template is sandboxed)."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for difference in found:
        sections.setdefault(difference.deel, []).append(
            {
                "nummer": difference.nummer,
                "vraag": difference.vraag,
                "waarden": list(difference.waarden),
                "alleen": present_in(difference, names),
            }
        )
    return {
        "bestanden": list(names),
        "delen": list(sections.items()),
        "aantal_verschillen": len(found),
        "aantal_vergeleken": compared,
    }
