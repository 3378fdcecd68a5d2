"""The one place where the web pages meet the engine: what applies, progress, findings, saving.

The pages (wizard/web/app.py) ask this module everything about the questionnaire and
never look at conditions, rules or the answers file themselves. Today it is built from
the engine modules the terminal wizard uses (questionnaire, answers, facts, conditions,
rules); when the screen-free walk engine (wizard/walk.py) and the question kinds
(wizard/kinds.py) exist, this module becomes a thin wrapper around them and the pages
stay as they are.

Every change is checked by wizard.answers (the same checks and limits as loading a
file) and saved at once with answers.save (an atomic write), under a lock, so two
browser tabs never interleave a load-change-save.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard import answers as answers_mod
from wizard import conditions, facts
from wizard import rules as rules_mod
from wizard.conditions import Env, is_filled
from wizard.display import display, item_name
from wizard.errors import Collector
from wizard.kinds import Context
from wizard.questionnaire import Question, Questionnaire, Section
from wizard.yamlsource import Located

# A Dutch amount written with thousands dots only, like 25.000 or 1.250.000.


@dataclass(frozen=True)
class Progress:
    """How far one part is: applicable questions, answered ones, findings shown there."""

    section: Section
    number: int
    applicable: int
    answered: int
    findings: int
    blocking: int

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
        self.revision = 0  # counts the changes made here: the werksessie projection polls it
        self._values: dict[str, Any] | None = None
        self._findings: list[rules_mod.Finding] | None = None
        self._homes = {rule.id: self._home_section(rule) for rule in rule_set.rules}

    # --- reading ---------------------------------------------------------------------

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.questionnaire.sections if s.id == section_id), None)

    def number(self, section: Section) -> int:
        return self.questionnaire.sections.index(section) + 1

    def values(self) -> dict[str, Any]:
        """Answers and derived facts, worked out once per change of the answers."""
        if self._values is None:
            self._values = facts.derive(self.answers)
        return self._values

    def applies(self, question: Question, item: Mapping[str, Any] | None = None) -> bool:
        if question.when is None:
            return True
        env = Env(self.values())
        if item is not None and question.group:
            env = env.with_item(question.group, item)
        return conditions.evaluate(question.when, env)

    def applicable(self, section: Section) -> list[Question]:
        return [q for q in section.questions if self.applies(q)]

    def applicable_fields(self, group: Question, item: Mapping[str, Any]) -> list[Question]:
        return [f for f in group.fields if self.applies(f, item)]

    def answered(self, question: Question) -> bool:
        return is_filled(self.answers.values.get(question.id))

    def value(self, question: Question) -> Any:
        return self.answers.values.get(question.id)

    def items(self, group: Question) -> list[dict[str, Any]]:
        return [dict(item) for item in self.answers.values.get(group.id) or []]

    def item_label(self, group: Question, item: Mapping[str, Any], index: int) -> str:
        name = item_name(group, item)
        return name if name not in ("?", group.label) else f"Nummer {index + 1} (nog zonder naam)"

    def findings(self) -> list[rules_mod.Finding]:
        if self._findings is None:
            self._findings = rules_mod.evaluate(self.rules, self.values(), self.questionnaire)
        return list(self._findings)

    def findings_of(self, section: Section, findings: Sequence[rules_mod.Finding] | None = None) -> list[Any]:
        """The findings shown after `section`: those of rules whose last input is asked there."""
        index = self.questionnaire.sections.index(section)
        found = self.findings() if findings is None else findings
        return [f for f in found if self._homes.get(f.rule) == index]

    def progress(self) -> list[Progress]:
        findings = self.findings()
        result = []
        for section in self.questionnaire.sections:
            applicable = self.applicable(section)
            here = self.findings_of(section, findings)
            result.append(
                Progress(
                    section=section,
                    number=self.number(section),
                    applicable=len(applicable),
                    answered=sum(1 for q in applicable if self.answered(q)),
                    findings=len(here),
                    blocking=sum(1 for f in here if f.severity == "blokkerend"),
                )
            )
        return result

    def first_open(self) -> tuple[Section, Question] | None:
        """The first question that applies and has no answer yet: where 'verder' goes."""
        for section in self.questionnaire.sections:
            for question in self.applicable(section):
                if not self.answered(question):
                    return section, question
        return None

    def next_section(self, section: Section) -> Section | None:
        sections = self.questionnaire.sections
        later = sections[sections.index(section) + 1 :]
        return next((s for s in later if self.applicable(s)), None)

    def previous_section(self, section: Section) -> Section | None:
        sections = self.questionnaire.sections
        earlier = sections[: sections.index(section)]
        return next((s for s in reversed(earlier) if self.applicable(s)), None)

    def shown(self, question: Question, value: Any) -> str:
        """An answer as a person reads it (choice labels, € 25.000)."""
        if question.type == "groep":
            items = value or []
            return ", ".join(self.item_label(question, item, i) for i, item in enumerate(items))
        if isinstance(value, dict):
            return "; ".join(f"{question.choice_label(k)}: {v}" for k, v in value.items())
        return display(value, question) if is_filled(value) else ""

    # --- form values -------------------------------------------------------------------

    @staticmethod
    def form_text(question: Question, value: Any) -> str:
        """The text an input shows for a saved value (a number as typed: 25000 or 0,45)."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return "ja" if value else "nee"
        return question.kind.edit_text(value, question)

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
            if question.type == "groep":
                continue  # items are changed one at a time on their own page
            raw = self._raw(question, form, prefix + question.id)
            if question.type == "meerkeuze" and isinstance(raw, list):
                before = [v for v in current.get(question.id) or [] if v in raw]
                raw = before + [v for v in raw if v not in before]
            problems = Collector()
            doc = Located(data={}, file="formulier")
            context = Context.of(self.answers.values)
            value = answers_mod.check_value(question, raw, doc, (question.id,), problems, context)
            if problems.problems:
                problem = problems.problems[0]
                message = problem.message[:1].upper() + problem.message[1:]
                errors[question.id] = f"{message} {problem.hint or ''}".strip()
            else:
                values[question.id] = value
        return Parsed(values, errors)

    def _raw(self, question: Question, form: Mapping[str, list[str]], name: str) -> Any:
        kind = question.type
        if kind == "meerkeuze":
            return [v for v in form.get(name, []) if v] or None
        if kind == "per_keuze":
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
                if value is None or value == [] or value == {}:
                    self.answers.values.pop(key, None)
                else:
                    self.answers.values[key] = value
            self._save()

    def set_item(self, group: Question, index: int | None, item: Mapping[str, Any]) -> int:
        """Replace item `index` of a group, or add it when index is None; return its index."""
        with self.lock:
            items = self.items(group)
            clean = {k: v for k, v in item.items() if is_filled(v)}
            if index is None:
                items.append(clean)
                index = len(items) - 1
            else:
                items[index] = clean
            self.answers.values[group.id] = items
            self._save()
            return index

    def remove_item(self, group: Question, index: int) -> None:
        with self.lock:
            items = self.items(group)
            del items[index]
            if items:
                self.answers.values[group.id] = items
            else:
                self.answers.values.pop(group.id, None)
            self._save()

    def _save(self) -> None:
        self._values = self._findings = None
        self.revision += 1
        answers_mod.save(self.answers, self.questionnaire, self.path)

    # --- rules and parts ------------------------------------------------------------------

    def _home_section(self, rule: rules_mod.Rule) -> int:
        """The last part whose answers the rule reads: its findings are shown there (as in `start`)."""
        names: set[str] = set()
        for name in conditions.fields_used(rule.condition) | ({rule.per} if rule.per else set()):
            names.update(facts.SOURCES.get(name, (name.split(".", 1)[0],)))
        sections = [
            self.questionnaire.sections.index(self.questionnaire.section_of(n))
            for n in names
            if n in self.questionnaire.by_id
        ]
        return max(sections, default=len(self.questionnaire.sections) - 1)
