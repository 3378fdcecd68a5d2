"""Where answers files differ, per question: two workshop groups, or this year's and last year's framework.

Questions are compared as a reader sees them (choice labels, Dutch amounts), in
questionnaire order and numbered as on the workshop sheet. Items of a repeating
group (ties, goals, subsidies) are matched by who they are (`identity`: a tie's partner
and country, a goal's description, without case, accents or punctuation), so
"Tata (Hongarije)" in one file is compared field by field with "tata (Hongarije)" in
another, wherever it sits in the list and whatever else the lists hold; an item that
only some files list is a difference of its own. The werksessie projection
(wizard/web/workshop.py) uses the same matching, and compares only what the evening's
route asks (`route`: on the short route an answer given earlier on the full route is no
difference). Workshop notes per section are compared too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wizard.answers import Answers
from wizard.display import answer_text, dutch_list, item_name
from wizard.questionnaire import FULL, Question, Questionnaire
from wizard.walk import Walk
from wizard.worksheet import question_numbers

MISSING = "(niet in de lijst)"  # an item this file does not list (and so none of its fields)
NAMED = "in de lijst"  # an item this file lists (an item that only some files list)


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
    questionnaire: Questionnaire, files: Sequence[Answers], route: str = FULL
) -> tuple[list[Difference], int]:
    """Every difference on `route` (its questions and, in a group, its fields), and how many
    questions (and group fields) were compared."""
    asks = Walk(questionnaire, route).on_route
    numbers = question_numbers(questionnaire)
    found: list[Difference] = []
    compared = 0
    for section in questionnaire.sections:
        for question in section.questions:
            if not asks(question):
                continue
            number = numbers[question.key]
            if question.kind.has_fields:
                fields = [f for f in question.velden if asks(f)]
                compared += _compare_group(question, fields, number, section.title, files, numbers, found)
                continue
            compared += 1
            values = tuple(answer_text(a.get(question.id), question) for a in files)
            if len(set(values)) > 1:
                found.append(Difference(number, section.title, question.label, values, question.id))
        notes = tuple(a.notes.get(section.id) or None for a in files)
        if len(set(notes)) > 1:
            found.append(
                Difference("", section.title, "Toelichting uit de werksessie", notes, deel_id=section.id)
            )
    return found, compared


def _compare_group(
    group: Question,
    fields: Sequence[Question],
    number: str,
    section: str,
    files: Sequence[Answers],
    numbers: Mapping[str, str],
    found: list[Difference],
) -> int:
    """Items are matched by who they are, wherever they sit in each list; an item that only
    some files list is a difference of its own, and its fields are still compared between
    the files that do list it."""
    per_file = [match_items(group, a.get(group.id) or []) for a in files]
    keys = list(dict.fromkeys(key for items in per_file for key in items))  # first-seen order
    naming = {name for names in re.findall(r"\{([^}]*)\}", group.naam) for name in names.split("|")}
    compared = 1
    for key in keys:
        here = [items.get(key) for items in per_file]
        present = tuple(item is not None for item in here)
        name = next(item[0] for item in here if item is not None)
        if not all(present):
            listed = tuple(NAMED if item is not None else MISSING for item in here)
            found.append(
                Difference(
                    number, section, f"{group.label}: {name}", listed, group.id, key, name, "", present
                )
            )
        for field in fields:
            compared += 1
            shown = [answer_text(item[1].get(field.id), field) for item in here if item is not None]
            if field.id in naming:  # part of the name: 'wenzhou ' and 'Wenzhou' are the same tie
                shown = [identity(text or "") for text in shown]
            if len(set(shown)) < 2:
                continue  # the same wherever the item is listed (or listed once)
            values = tuple(
                answer_text(item[1].get(field.id), field) if item is not None else MISSING for item in here
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
    if difference.soort not in ("item", "veld") or all(difference.aanwezig):
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
