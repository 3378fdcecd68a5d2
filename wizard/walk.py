"""The walk through the questionnaire, without a screen: what to ask next, and how far along.

A front-end (the terminal session in wizard/session.py, a web page later) keeps the
answers and asks this engine where to go. Everything here is a pure function of the
questionnaire and the answers: state in, next step out. A *place* is one question, or
one field of one item of a repeating group (a tie, a goal), so a walk can stop and resume
anywhere, also halfway through the second tie.

    walk = Walk(questionnaire)                   # the full route; Walk(questionnaire, "kort"): short
    place = walk.first_open(answers)             # where to resume (None: all answered)
    place = walk.next_open(answers, place)       # after answering: the next open place
    place = walk.previous(answers, place)        # '<'
    walk.open_items(answers)                     # per section: what is still open, by name
    walk.progress(answers)                       # per section: answered / applicable
    walk.findings_by_section(findings, rules)    # where each finding is shown
    walk.store(answers, place, value)            # put an answer in its place
    walk.totals(answers)                         # answered / applicable on this route
    walk.estimate(answers)                       # how long this route takes for this file

On the short route (`kort`) only questions marked `kort: true` apply (and in a group only its
fields marked so); conditions work as on the full route. A file begun on the short route goes
on on the full route with only what is still open: a walk is a pure function of the answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard import conditions, facts
from wizard.answers import Answers
from wizard.conditions import Env, is_filled
from wizard.display import item_name
from wizard.kinds import Context
from wizard.questionnaire import FULL, ROUTES, Question, Questionnaire, Section

if TYPE_CHECKING:
    from wizard.rules import Finding, Rule


@dataclass(frozen=True)
class Place:
    """Where in the questionnaire: a question, or a field of one item of a group question."""

    question: str
    item: int | None = None
    field: str | None = None

    @property
    def in_item(self) -> bool:
        return self.item is not None


@dataclass(frozen=True)
class Progress:
    section: Section
    answered: int
    applicable: int

    @property
    def complete(self) -> bool:
        return self.answered == self.applicable


@dataclass(frozen=True)
class OpenItem:
    """Something still open in a section, named for a person: a question, or a group item."""

    name: str
    place: Place
    open_fields: int = 0  # a group item: how many of its questions are open


@dataclass(frozen=True)
class OffRoute:
    """On the short route: a part of the full route and the findings its questions would settle."""

    section: Section
    findings: tuple[Finding, ...]
    questions: tuple[Question, ...]  # the questions of that part the findings read

    def named(self, limit: int = 3) -> str:
        """The first `limit` questions by label, and how many more: for a line per part."""
        names = "; ".join(q.label for q in self.questions[:limit])
        more = len(self.questions) - limit
        return names + (f"; en {more} andere vra{'gen' if more > 1 else 'ag'}" if more > 0 else "")


ASSUMED_ITEMS = 2  # a group without items yet counts this many in an estimate (said to the person)


@dataclass(frozen=True)
class Estimate:
    """How long a route takes for one answers file: questions still to answer and minutes."""

    route: str
    questions: int  # applicable answers on this route (a question, or a field of one item)
    open: int  # of which still open
    seconds: int  # the open ones, each at its kind's seconds (wizard.kinds), group menus included
    assumed: tuple[str, ...] = ()  # groups without items, counted as ASSUMED_ITEMS items

    @property
    def minutes(self) -> tuple[int, int]:
        """A range: the kinds' seconds, and half again for reading help and thinking it over."""
        low = max(1, round(self.seconds / 60))
        return low, max(low + 1, round(self.seconds * 1.5 / 60))


class Walk:
    def __init__(
        self,
        questionnaire: Questionnaire,
        route: str = FULL,
        derive: Callable[[Answers], dict[str, Any]] | None = None,
        sources: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        """`derive` and `sources`: how facts are derived and which answers each reads, for
        another questionnaire than the framework's (the verantwoording, wizard/evaluation.py)."""
        if route not in ROUTES:
            raise ValueError(route)
        self.questionnaire = questionnaire
        self.route = route
        self._derive = derive
        self._sources = sources if sources is not None else facts.SOURCES
        self.order: list[tuple[int, Question]] = [
            (index, question)
            for index, section in enumerate(questionnaire.sections)
            for question in section.questions
        ]
        self._position = {q.id: pos for pos, (_, q) in enumerate(self.order)}

    # --- what applies ---------------------------------------------------------------

    def values(self, answers: Answers) -> dict[str, Any]:
        if self._derive is not None:
            return self._derive(answers)
        return facts.derive(answers, self.questionnaire)

    def context(self, answers: Answers) -> Context:
        """What parsing needs: the note's year from its date answer."""
        return Context.of(answers.values)

    def on_route(self, question: Question) -> bool:
        """Whether the question is on this walk's route (the full route has every question)."""
        return self.route == FULL or question.kort

    def applies(
        self, answers: Answers, question: Question, item: Mapping[str, Any] | None = None, values: Any = None
    ) -> bool:
        if not self.on_route(question):
            return False
        if question.wanneer is None:
            return True
        env = Env(values if values is not None else self.values(answers))
        if item is not None and question.group:
            env = env.with_item(question.group, dict(item))
        return conditions.evaluate(question.wanneer, env)

    def question(self, place: Place) -> Question:
        top = self.questionnaire.by_id[place.question]
        if place.field is None:
            return top
        return next(f for f in top.velden if f.id == place.field)

    def position(self, place: Place) -> int:
        """The place's top-level question as an index in `order`."""
        return self._position[place.question]

    def section_index(self, place: Place) -> int:
        return self.order[self._position[place.question]][0]

    def items(self, answers: Answers, group: Question) -> list[dict[str, Any]]:
        value = answers.values.get(group.id)
        return [dict(item) for item in value] if isinstance(value, list) else []

    # --- open places ----------------------------------------------------------------

    def item_places(self, answers: Answers, group: Question, index: int, values: Any = None) -> list[Place]:
        """The applicable fields of one group item, in order."""
        items = self.items(answers, group)
        item = items[index] if index < len(items) else {}
        values = values if values is not None else self.values(answers)
        return [
            Place(group.id, index, field.id)
            for field in group.velden
            if self.applies(answers, field, item, values)
        ]

    def is_open(self, answers: Answers, place: Place, values: Any = None) -> bool:
        question = self.question(place)
        if place.field is not None:
            items = self.items(answers, self.questionnaire.by_id[place.question])
            item = items[place.item or 0] if (place.item or 0) < len(items) else {}
            return not is_filled(item.get(place.field))
        if question.kind.has_fields:
            items = self.items(answers, question)
            return not items or any(self.open_fields(answers, question, i, values) for i in range(len(items)))
        value = answers.values.get(question.id)
        if question.kind.follows_choices and question.van and isinstance(value, Mapping):
            # One value per chosen option (per_keuze): open while a chosen option lacks its
            # value, as the note then still shows an open place for it.
            chosen = answers.values.get(question.van)
            wanted = [c for c in chosen if c in question.choice_values] if isinstance(chosen, list) else []
            if any(not is_filled(value.get(c)) for c in wanted):
                return True
        return not is_filled(value)

    def open_fields(self, answers: Answers, group: Question, index: int, values: Any = None) -> list[Place]:
        return [p for p in self.item_places(answers, group, index, values) if self.is_open(answers, p)]

    def first_open(self, answers: Answers, after: Place | None = None) -> Place | None:
        """The first open place (after `after`, when given): a question, or a field inside an item.

        A group with an item that is not complete resumes at that item's first open field.
        """
        values = self.values(answers)
        start = 0 if after is None else self._position[after.question] + (0 if after.in_item else 1)
        for _, question in self.order[start:]:
            if not self.applies(answers, question, values=values):
                continue
            if question.kind.has_fields:
                items = self.items(answers, question)
                for index in range(len(items)):
                    if after is not None and after.question == question.id and index < (after.item or 0):
                        continue
                    fields = self.open_fields(answers, question, index, values)
                    if fields:
                        return fields[0]
                if not items:
                    return Place(question.id)
                continue
            if after is not None and after.question == question.id:
                continue
            if self.is_open(answers, Place(question.id), values):
                return Place(question.id)
        return None

    def next_open(self, answers: Answers, place: Place) -> Place | None:
        """After answering at `place`: the next open place (going on where the person was)."""
        return self.first_open(answers, after=Place(place.question))

    def next_question(self, answers: Answers, place: Place) -> Place | None:
        """The next applicable top-level question, answered or not."""
        values = self.values(answers)
        for _, question in self.order[self._position[place.question] + 1 :]:
            if self.applies(answers, question, values=values):
                return Place(question.id)
        return None

    def previous(self, answers: Answers, place: Place) -> Place | None:
        """The applicable top-level question before `place` ('<'); None at the first one."""
        values = self.values(answers)
        for _, question in reversed(self.order[: self._position[place.question]]):
            if self.applies(answers, question, values=values):
                return Place(question.id)
        return None

    # --- overview -------------------------------------------------------------------

    def progress(self, answers: Answers) -> list[Progress]:
        values = self.values(answers)
        result = []
        for section in self.questionnaire.sections:
            applicable = [q for q in section.questions if self.applies(answers, q, values=values)]
            answered = sum(1 for q in applicable if not self.is_open(answers, Place(q.id), values))
            result.append(Progress(section, answered, len(applicable)))
        return result

    def open_items(self, answers: Answers, section: Section) -> list[OpenItem]:
        """What is still open in a section, by name: questions, and group items not complete."""
        values = self.values(answers)
        found: list[OpenItem] = []
        for question in section.questions:
            if not self.applies(answers, question, values=values):
                continue
            if question.kind.has_fields:
                items = self.items(answers, question)
                if not items:
                    found.append(OpenItem(question.label, Place(question.id)))
                for index, item in enumerate(items):
                    fields = self.open_fields(answers, question, index, values)
                    if fields:
                        found.append(OpenItem(self.item_label(question, item, index), fields[0], len(fields)))
            elif self.is_open(answers, Place(question.id), values):
                found.append(OpenItem(question.label, Place(question.id)))
        return found

    @staticmethod
    def item_label(group: Question, item: Mapping[str, Any], index: int) -> str:
        name = item_name(group, item)
        return name if name not in ("?", group.label) else f"nummer {index + 1} (nog zonder naam)"

    def totals(self, answers: Answers) -> tuple[int, int]:
        """Answered and applicable top-level questions on this route, as in `progress`."""
        parts = self.progress(answers)
        return sum(p.answered for p in parts), sum(p.applicable for p in parts)

    def estimate(self, answers: Answers) -> Estimate:
        """The answers this route asks for this file, and how long the open ones take.

        Every applicable question counts once, a group's fields once per item (with each
        item's own conditions); a group without items counts ASSUMED_ITEMS empty items.
        Each open answer takes its kind's `seconds` (wizard.kinds), a group's menu once per
        item and once to finish.
        """
        values = self.values(answers)
        total = open_count = seconds = 0
        assumed: list[str] = []
        for _, question in self.order:
            if not self.applies(answers, question, values=values):
                continue
            if not question.kind.has_fields:
                total += 1
                if self.is_open(answers, Place(question.id), values):
                    open_count += 1
                    seconds += question.kind.seconds
                continue
            items = self.items(answers, question)
            if not items:
                assumed.append(question.id)
                items = [{} for _ in range(ASSUMED_ITEMS)]
            group_seconds = 0
            for item in items:
                fields = [f for f in question.velden if self.applies(answers, f, item, values)]
                missing = [f for f in fields if not is_filled(item.get(f.id))]
                total += len(fields)
                open_count += len(missing)
                if missing:
                    group_seconds += question.kind.seconds + sum(f.kind.seconds for f in missing)
            if group_seconds:
                seconds += group_seconds + question.kind.seconds  # and once to finish the menu
        return Estimate(self.route, total, open_count, seconds, tuple(assumed))

    # --- findings per section -----------------------------------------------------------

    def rule_homes(self, rules: Iterable[Rule]) -> dict[str, int]:
        """Rule id → the last section whose answers it reads: its findings are shown after it."""
        homes = {}
        for rule in rules:
            names: set[str] = set()
            for field in conditions.fields_used(rule.condition) | ({rule.per} if rule.per else set()):
                names.update(self._sources.get(field, (field.split(".", 1)[0],)))
            tops = {n.split(".", 1)[0] for n in names}  # a field of a group ('partnerschappen.advies')
            sections = [
                self.questionnaire.sections.index(self.questionnaire.section_of(n))
                for n in tops
                if n in self.questionnaire.by_id
            ]
            homes[rule.id] = max(sections, default=len(self.questionnaire.sections) - 1)
        return homes

    def off_route(self, rule: Rule, answered: Answers | None = None) -> list[Question]:
        """The questions a rule reads that this route does not ask, in questionnaire order; with
        `answered` (the answers), only those still open there (`is_open`): a finding on answers
        already given (kept from the full route, or given through a link) is real now, so it is
        shown on this route too. A field of a group counts as given when no item leaves it open.

        A derived fact reads what facts.SOURCES says, per question and per field of a group (the
        steering of a tie reads its steering fields, the money per tie only the proposal per tie);
        a group's name alone is its items, as when a rule counts them. The note's date counts as asked:
        without an answer it is today's date on every route. A rule marked `korte_route: true`
        reads nothing off the route: the short route's own answers can make it fire (a shortfall
        from the yearly disaster cap, more new money than the budget), so its finding belongs on that
        route too.
        """
        if rule.short_route:
            return []
        read: list[Question] = []
        for field in conditions.fields_used(rule.condition):
            for name in self._sources.get(field, (field,)):
                group, _, sub = name.partition(".")
                top = self.questionnaire.by_id.get(group)
                if top is None or top.id == "datum":
                    continue
                fields = [f for f in top.velden if f.id == sub] if sub else []
                read += fields or [top]
        found: list[Question] = []
        for question in read:
            top = self.questionnaire.by_id[question.group or question.id]
            asked_here = self.on_route(top) and self.on_route(question)
            given = answered is not None and self._given(question, answered)
            if not asked_here and not given and question not in found:
                found.append(question)

        def order(question: Question) -> tuple[int, int]:
            top = self.questionnaire.by_id[question.group or question.id]
            return self._position[top.id], top.velden.index(question) if question.group else -1

        return sorted(found, key=order)

    def _given(self, question: Question, answers: Answers) -> bool:
        """Whether the answers give this question in full: a field of a group in every item."""
        if question.group is None:
            return not self.is_open(answers, Place(question.id))
        group = self.questionnaire.by_id[question.group]
        count = len(self.items(answers, group))
        return count > 0 and not any(
            self.is_open(answers, Place(group.id, i, question.id)) for i in range(count)
        )

    def split(
        self, findings: Sequence[Finding], rules: Iterable[Rule], answered: Answers | None = None
    ) -> tuple[list[Finding], list[OffRoute]]:
        """The findings this route can settle, and the others grouped per part of the full route.

        A finding is off this route when its rule reads a question the route does not ask and
        (with `answered`, the answers) that is still open; it belongs to the part of the first
        such question. On the full route nothing is off route.
        """
        by_id = {rule.id: rule for rule in rules}
        kept: list[Finding] = []
        parts: dict[str, list[tuple[Finding, list[Question]]]] = {}
        for finding in findings:
            rule = by_id.get(finding.rule)
            missing = self.off_route(rule, answered) if rule is not None else []
            if not missing:
                kept.append(finding)
                continue
            section = self.questionnaire.section_of(missing[0].group or missing[0].id)
            parts.setdefault(section.id, []).append((finding, missing))
        later = []
        for section in self.questionnaire.sections:
            found = parts.get(section.id)
            if not found:
                continue
            asked: list[Question] = []
            for _, questions in found:
                for question in questions:
                    top = question.group or question.id
                    if self.questionnaire.section_of(top) is section and question not in asked:
                        asked.append(question)
            later.append(OffRoute(section, tuple(f for f, _ in found), tuple(asked)))
        return kept, later

    @staticmethod
    def findings_in(findings: Sequence[Finding], homes: Mapping[str, int], section: int) -> list[Finding]:
        return [f for f in findings if homes.get(f.rule) == section]

    # --- changing answers ---------------------------------------------------------------

    def store(self, answers: Answers, place: Place, value: Any) -> None:
        """Put `value` at `place` (None removes it). The caller saves."""
        if place.field is None:
            if is_filled(value):
                answers.values[place.question] = value
            else:
                answers.values.pop(place.question, None)
            return
        items = answers.values.setdefault(place.question, [])
        while len(items) <= (place.item or 0):
            items.append({})
        item = items[place.item or 0]
        if is_filled(value):
            item[place.field] = value
        else:
            item.pop(place.field, None)

    def dependents(self, answers: Answers, question: Question) -> list[Question]:
        """Questions whose condition reads `question` and that now apply: ask them again."""
        values = self.values(answers)
        return [
            other
            for _, other in self.order
            if other is not question
            and other.wanneer is not None
            and question.key in conditions.fields_used(other.wanneer)
            and self.applies(answers, other, values=values)
        ]
