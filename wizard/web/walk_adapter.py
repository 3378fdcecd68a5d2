"""The web pages' view of one answers file, built on the screen-free walk engine.

The pages (wizard/web/app.py) ask this module everything about the questionnaire and
never look at conditions, rules or the answers file themselves. What applies, progress,
what is still open (by name), where to resume (also inside a tie) and which findings
belong to which part come from wizard/walk.py, the same engine the terminal wizard
(`start`) drives; typed text is parsed by the question's kind (wizard/kinds.py) through
answers.check_value, the same path as the answers file. This module only turns those
answers into what a page needs (addresses, labels, form texts).

Every change is saved at once with answers.save (atomic, round trip: the person's
comments stay), under a thread lock, so two browser tabs never interleave a
load-change-save. The server holds the same file lock as `start` (wizard/lock.py).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import answers as answers_mod
from wizard import facts
from wizard import rules as rules_mod
from wizard.conditions import is_filled
from wizard.errors import Collector
from wizard.kinds import PROMPT_CHECKBOX, PROMPT_GROUP, PROMPT_PER_CHOICE
from wizard.questionnaire import ROUTES, Question, Questionnaire, Section
from wizard.walk import OpenItem, Place
from wizard.walk import Walk as Engine
from wizard.yamlsource import Located


@dataclass(frozen=True)
class Progress:
    """How far one part is: applicable questions, answered ones, what is open, findings shown there."""

    section: Section
    number: int
    applicable: int
    answered: int
    findings: int
    blocking: int
    open: list[tuple[OpenItem, str]] = field(default_factory=list)  # what is open, with its address

    @property
    def status(self) -> str:
        if self.blocking:
            return "Er is een probleem"
        if self.applicable and self.answered >= self.applicable:
            return "Klaar"
        return "Bezig" if self.answered else "Nog niet begonnen"


@dataclass
class Parsed:
    """A posted form turned into checked values, and a Dutch message per field that was wrong."""

    values: dict[str, Any]
    errors: dict[str, str]


class Walk:
    """One answers file in the browser: the state the pages read and change."""

    def __init__(self, questionnaire: Questionnaire, rule_set: rules_mod.RuleSet, path: Path) -> None:
        self.questionnaire = questionnaire
        self.rules = rule_set
        self.path = path
        self.lock = threading.RLock()
        if path.exists():
            self.answers = answers_mod.load(path, questionnaire)  # DataError: the CLI reports it
        else:
            self.answers = answers_mod.Answers()
            answers_mod.save(self.answers, questionnaire, path)
        self.answers.path = path
        # The same route as the terminal: the one in the file (kort or volledig), else the full one.
        self.engine = Engine(questionnaire, self.answers.on_route)
        self.revision = 0  # counts the changes made here: the werksessie projection follows it
        self._values: dict[str, Any] | None = None
        self._findings: list[rules_mod.Finding] | None = None
        self._homes = self.engine.rule_homes(rule_set.rules)
        self._prepared = False

    def prepare_saving(self) -> None:
        """Read the file's round-trip form once, before the first answer (see answers.prepare_saving).

        Called when a page is shown rather than at start: a werksessie with 30 groups would
        otherwise read 30 files before the advisor's first page."""
        with self.lock:
            if not self._prepared:
                self._prepared = True
                answers_mod.prepare_saving(self.path)

    # --- reading ---------------------------------------------------------------------

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.questionnaire.sections if s.id == section_id), None)

    def number(self, section: Section) -> int:
        return self.questionnaire.sections.index(section) + 1

    def values(self) -> dict[str, Any]:
        """Answers and derived facts, worked out once per change of the answers."""
        if self._values is None:
            self._values = facts.derive(self.answers, self.questionnaire)
        return self._values

    def applies(self, question: Question, item: Mapping[str, Any] | None = None) -> bool:
        return self.engine.applies(self.answers, question, item, self.values())

    def applicable(self, section: Section) -> list[Question]:
        return [q for q in section.questions if self.applies(q)]

    def applicable_fields(self, group: Question, item: Mapping[str, Any]) -> list[Question]:
        return [f for f in group.fields if self.applies(f, item)]

    def answered(self, question: Question) -> bool:
        """Answered as the terminal counts it: a group only when every item is complete."""
        return not self.engine.is_open(self.answers, Place(question.id), self.values())

    def value(self, question: Question) -> Any:
        return self.answers.values.get(question.id)

    def items(self, group: Question) -> list[dict[str, Any]]:
        return self.engine.items(self.answers, group)

    def item_label(self, group: Question, item: Mapping[str, Any], index: int) -> str:
        label = self.engine.item_label(group, item, index)
        return label[:1].upper() + label[1:] if label.startswith("nummer ") else label

    def findings(self) -> list[rules_mod.Finding]:
        if self._findings is None:
            self._findings = rules_mod.evaluate(self.rules, self.values(), self.questionnaire)
        return list(self._findings)

    def findings_of(self, section: Section, findings: Sequence[rules_mod.Finding] | None = None) -> list[Any]:
        """The findings shown after `section` (walk.rule_homes: where `start` shows them too)."""
        index = self.questionnaire.sections.index(section)
        return self.engine.findings_in(self.findings() if findings is None else findings, self._homes, index)

    def estimates(self) -> dict[str, tuple[int, int]]:
        """Minutes per route (kort, volledig) for this file, as `start` shows them."""
        return {route: Engine(self.questionnaire, route).estimate(self.answers).minutes for route in ROUTES}

    def set_route(self, route: str) -> None:
        """Follow another route from now on and keep the choice in the file, as `start` does."""
        with self.lock:
            self.answers.route = route
            self.engine = Engine(self.questionnaire, route)
            self._homes = self.engine.rule_homes(self.rules.rules)
            self._save()

    def progress(self) -> list[Progress]:
        findings = self.findings()
        result = []
        for index, counted in enumerate(self.engine.progress(self.answers)):
            section = counted.section
            here = self.engine.findings_in(findings, self._homes, index)
            result.append(
                Progress(
                    section=section,
                    number=index + 1,
                    applicable=counted.applicable,
                    answered=counted.answered,
                    findings=len(here),
                    blocking=sum(1 for f in here if f.severity == "blokkerend"),
                    open=[(o, self.url(o.place)) for o in self.engine.open_items(self.answers, section)],
                )
            )
        return result

    def first_open(self) -> Place | None:
        """Where 'verder' goes: the first open place, also a field inside a tie or goal."""
        return self.engine.first_open(self.answers)

    def url(self, place: Place) -> str:
        """The page address of a place: its part, or the page of the item it is in."""
        section = self.questionnaire.section_of(place.question)
        if place.item is not None and place.item < len(self.items(self.questionnaire.by_id[place.question])):
            return f"/deel/{section.id}/{place.question}/{place.item}#vraag-{place.field}"
        return f"/deel/{section.id}#vraag-{place.question}"

    def next_section(self, section: Section) -> Section | None:
        sections = self.questionnaire.sections
        later = sections[sections.index(section) + 1 :]
        return next((s for s in later if self.applicable(s)), None)

    def previous_section(self, section: Section) -> Section | None:
        sections = self.questionnaire.sections
        earlier = sections[: sections.index(section)]
        return next((s for s in reversed(earlier) if self.applicable(s)), None)

    def shown(self, question: Question, value: Any) -> str:
        """An answer as a person reads it (choice labels, € 25.000): the kind's display."""
        if question.kind.has_fields:
            items = value or []
            return ", ".join(self.item_label(question, item, i) for i, item in enumerate(items))
        return question.kind.display(value, question) if is_filled(value) else ""

    # --- form values -------------------------------------------------------------------

    @staticmethod
    def form_text(question: Question, value: Any) -> str:
        """The text an input shows for a saved value (a number as typed: 25000 or 0,45)."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return "ja" if value else "nee"
        return question.kind.edit_text(value, question)

    @staticmethod
    def option_text(value: Any) -> str:
        """The form value of one option of a choice: 'ja'/'nee' for yes or no, else the stored value."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return "ja" if value else "nee"
        return str(value)

    def parse(
        self,
        questions: Sequence[Question],
        form: Mapping[str, list[str]],
        prefix: str = "",
        current: Mapping[str, Any] | None = None,
    ) -> Parsed:
        """Turn the posted fields of `questions` into values, checked like an answers file.

        `current` holds the saved values (of an item, or else the whole file): a browser sends
        ticked boxes in page order, so the order already saved is kept for them."""
        current = self.answers.values if current is None else current
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for question in questions:
            if question.kind.prompt == PROMPT_GROUP:
                continue  # items are changed one at a time on their own page
            raw = self._raw(question, form, prefix + question.id)
            if question.kind.prompt == PROMPT_CHECKBOX and isinstance(raw, list):
                before = [v for v in current.get(question.id) or [] if v in raw]
                raw = before + [v for v in raw if v not in before]
            problems = Collector()
            doc = Located(data={}, file="formulier")
            context = self.engine.context(self.answers)
            value = answers_mod.check_value(question, raw, doc, (question.id,), problems, context)
            if problems.problems:
                problem = problems.problems[0]
                message = problem.message[:1].upper() + problem.message[1:]
                errors[question.id] = f"{message} {problem.hint or ''}".strip()
            else:
                values[question.id] = value
        return Parsed(values, errors)

    def _raw(self, question: Question, form: Mapping[str, list[str]], name: str) -> Any:
        prompt = question.kind.prompt
        if prompt == PROMPT_CHECKBOX:
            return [v for v in form.get(name, []) if v] or None
        if prompt == PROMPT_PER_CHOICE:
            texts = {c.value: (form.get(f"{name}.{c.value}") or [""])[0] for c in question.choices}
            return {k: v for k, v in texts.items() if v.strip()} or None
        text = (form.get(name) or [""])[0].strip()
        if not text:
            return None
        # Typed text goes to the question's kind (wizard.kinds), the same parser as the
        # terminal and the answers file: "€ 25.000" is 25000 everywhere.
        return text

    # --- changing ----------------------------------------------------------------------

    def set_answers(self, values: Mapping[str, Any]) -> None:
        """Store answers (None or empty removes one) and save the file at once."""
        with self.lock:
            for key, value in values.items():
                self.engine.store(self.answers, Place(key), value)
            self._save()

    def set_item(self, group: Question, index: int | None, item: Mapping[str, Any]) -> int:
        """Replace item `index` of a group, or add it when index is None; return its index."""
        with self.lock:
            items = self.answers.values.get(group.id)
            count = len(items) if isinstance(items, list) else 0
            if index is None:
                index = count
            elif isinstance(items, list):
                items[index] = {}
            for field_ in group.fields:
                self.engine.store(self.answers, Place(group.id, index, field_.id), item.get(field_.id))
            self._save()
            return index

    def remove_item(self, group: Question, index: int) -> None:
        with self.lock:
            items = self.items(group)
            del items[index]
            self.engine.store(self.answers, Place(group.id), items or None)
            self._save()

    def _save(self) -> None:
        self._values = self._findings = None
        self.revision += 1
        answers_mod.save(self.answers, self.questionnaire, self.path)
