"""The web pages' face of the answering session (wizard/answering.py): addresses and forms.

The state of the answers file (what applies, progress and status per part, what is open,
findings on the route, saving, the route, documents) is the session's, the same object
the terminal (`start`) shows. This module only adds what a page needs: the address of a
place, the text an input shows for a saved value, and turning a posted form into checked
values (typed text is parsed by the question's kind through answers.check_value, the same
path as the answers file). Every change goes through the session, under its lock, so two
browser tabs never interleave a load-change-save; a page carries the revision it showed,
so a stale tab cannot silently overwrite a newer answer (Answering.check_fresh).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import answers as answers_mod
from wizard import yamlsource
from wizard.answering import Answering, Options, Part, seen_revision
from wizard.errors import Collector
from wizard.kinds import PROMPT_CHECKBOX, PROMPT_GROUP, PROMPT_PER_CHOICE
from wizard.questionnaire import Question, Questionnaire, Section
from wizard.walk import OpenItem, Place
from wizard.yamlsource import Located

if TYPE_CHECKING:
    from wizard.accountability import Accountability
    from wizard.draft import Drafter
    from wizard.readiness import Later, OpenPlace
    from wizard.rules import RuleSet


# The session counts its revisions from 0 at every start. A page (or a projection) opened before
# a restart (a werksessie keeps its links and cookies over a crash) must not pass for one of this
# run, so pages show revisions from RUN_BASE, the start in microseconds: every revision of an
# earlier run is lower. Such a page counts as having seen the file as this run opened it.
RUN_BASE = time.time_ns() // 1000


def seen_on_page(text: str) -> int | None:
    """The session revision a page's hidden field `revisie` stands for (None: it says none).
    A revision from before this run is 0: every answer changed in this run is newer."""
    seen = seen_revision(text)
    if seen is None:
        return None
    return seen - RUN_BASE if seen >= RUN_BASE else 0


@dataclass(frozen=True)
class Progress:
    """One part as the task list shows it: the session's Part, with the address of each open place."""

    part: Part
    open: list[tuple[OpenItem, str]]

    section = property(lambda self: self.part.section)
    number = property(lambda self: self.part.number)
    applicable = property(lambda self: self.part.applicable)
    answered = property(lambda self: self.part.answered)
    asked = property(lambda self: self.part.asked)

    @property
    def findings(self) -> int:
        return len(self.part.findings)

    @property
    def blocking(self) -> int:
        return self.part.blocking

    @property
    def status(self) -> str:
        return self.part.status.label


@dataclass
class Parsed:
    """A posted form turned into checked values, and a Dutch message per field that was wrong."""

    values: dict[str, Any]
    errors: dict[str, str]
    stale: bool = False  # refused: an answer changed in another tab after this page was shown
    outside: bool = False  # ... or in the file itself, by hand (Answering.refresh)


class Walk(Answering):
    """One answers file in the browser: the answering session plus addresses and forms."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        rule_set: RuleSet | None,
        path: Path,
        drafter: Drafter | None = None,
        profile: Accountability | None = None,
    ) -> None:
        """`profile`: a verantwoording's (wizard/accountability.py); its rules are its own."""
        super().__init__(questionnaire, path, Options(), rules=rule_set, drafter=drafter, profile=profile)
        self.open(create=True)  # DataError: the CLI reports it

    @property
    def page_revision(self) -> int:
        """The revision a page carries in its hidden field `revisie` (seen_on_page reads it back)."""
        return RUN_BASE + self.revision

    @property
    def page_notices(self) -> list[str]:
        """The notices for the start page: the Windows-1252 line only while the file still is one
        (the first save writes it as UTF-8, and the line would no longer be true)."""
        if self.answers.encoding == yamlsource.CP1252:
            return self.notices
        return [line for line in self.notices if not line.endswith(yamlsource.CP1252_NOTE)]

    def item_label(self, group: Question, item: Mapping[str, Any], index: int) -> str:
        label = super().item_label(group, item, index)
        return label[:1].upper() + label[1:] if label.startswith("nummer ") else label

    def findings_of(self, section: Section) -> list[Any]:
        """The findings shown after `section` on this route (where `start` shows them too)."""
        return self.findings_in(section)

    def progress(self) -> list[Progress]:
        return [Progress(part, [(o, self.url(o.place)) for o in part.open]) for part in self.parts()]

    def url(self, place: Place) -> str:
        """The page address of a place: its part, or the page of the item it is in. A question this
        route does not ask is named in `?ook=`: the page then shows it (Answering.shown_questions)."""
        section = self.questionnaire.section_of(place.question)
        group = self.questionnaire.by_id[place.question]
        if place.item is not None and place.item < len(self.items(group)):
            field = next((f for f in group.velden if f.id == place.field), None)
            extra = f"?ook={field.id}" if field is not None and self.beyond_route(field) else ""
            return f"/deel/{section.id}/{place.question}/{place.item}{extra}#vraag-{place.field}"
        extra = f"?ook={group.id}" if self.beyond_route(group) else ""
        return f"/deel/{section.id}{extra}#vraag-{place.question}"

    def later_url(self, entry: Later) -> str:
        """Where an off-route blocking finding of a definitive version is settled: its first question."""
        key = f"{entry.question}.{entry.field}" if entry.field else entry.question
        question = self.questionnaire.question(key)
        return self.question_url(question) if question is not None else "/overzicht"

    def question_url(self, question: Question) -> str:
        """The page address where `question` (or a field of a group) is answered."""
        return self.url(self.place_of_question(question))

    def place_url(self, place: OpenPlace) -> str:
        """Where an open place of a document is filled in: its question, else the overview."""
        found = self.place_of(place.text, place.heading, place.key)
        return self.url(found) if found is not None else "/overzicht"

    @staticmethod
    def shown_value(question: Question, value: Any) -> str:
        if question.kind.has_fields or value is None:
            return ""
        return question.kind.display(value, question)

    def set_route(self, route: str) -> None:
        """Follow another route from now on and keep the choice in the file, as `start` does."""
        self.use_route(route)

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
            context = self.context()
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
            texts = {c.waarde: (form.get(f"{name}.{c.waarde}") or [""])[0] for c in question.keuzes}
            return {k: v for k, v in texts.items() if v.strip()} or None
        text = (form.get(name) or [""])[0].strip()
        if not text:
            return None
        # Typed text goes to the question's kind (wizard.kinds), the same parser as the
        # terminal and the answers file: "€ 25.000" is 25000 everywhere.
        return text
