"""Is a draft ready to be final? The blocking findings and the open places, said for people.

A definitive version (`--definitief`) has no findings appendix and no "concept" in its header
and properties. It may only be made when nothing blocks and no "[nog invullen: …]" place is
left, unless the user explicitly accepts what is still open. This module finds what is left,
per document and under the heading where it stands, so the refusal can name every point.

The one rule for the short route (`route: kort`): a definitive version may carry no blocking
finding at all, also not one about a question only the full route asks. Such a finding is
not hidden by the route (the definitive version has no appendix that would still show it);
it is named as off the route, with the questions that settle it and what to do: answer
those questions, or go on on the full route. The terminal's end, the web's definitief page
and `maak --definitief` all show `Readiness.lines()`; `toets` counts the same findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from wizard import blocks
from wizard.context import CLERK_PREFIX
from wizard.rules import Finding
from wizard.severity import Severity

if TYPE_CHECKING:
    from wizard.answers import Answers
    from wizard.draft import Draft
    from wizard.questionnaire import Questionnaire
    from wizard.rules import Rule

MAX_LISTED = 25  # a refusal lists this many open places; the rest is counted


@dataclass(frozen=True)
class OpenPlace:
    document: str  # the document's title
    heading: str  # the nearest heading above the place
    text: str  # what is still to fill in
    key: str = ""  # the question that fills it ('ingangsdatum', 'banden/0/partner'), when known


@dataclass(frozen=True)
class Later:
    """On the short route: a blocking finding about questions only the full route asks."""

    finding: Finding
    asked: str  # "vraag 'Hoe gaat het nu als er een ramp is …?' in deel 7 (Noodhulp bij rampen)"
    question: str  # the id of the first question that settles it (a group's, for a field)
    field: str = ""  # that field of the group, when it is one


LATER_NOTE_ONE = (
    "Eén blokkerend punt gaat over vragen die alleen de volledige route stelt. Ook dat punt moet "
    "opgelost zijn voor een definitieve versie: beantwoord die vragen, of ga verder op de volledige route."
)
LATER_NOTE = (
    "{count} blokkerende punten gaan over vragen die alleen de volledige route stelt. Ook die punten "
    "moeten opgelost zijn voor een definitieve versie: beantwoord die vragen, of ga verder op de "
    "volledige route."
)


@dataclass(frozen=True)
class Readiness:
    blocking: tuple[Finding, ...]  # every blocking finding, on the route or not
    open_places: tuple[OpenPlace, ...]
    later: tuple[Later, ...] = ()  # short route: the blocking ones about full-route questions

    @property
    def ready(self) -> bool:
        return not self.blocking and not self.open_places

    def later_of(self, finding: Finding) -> Later | None:
        return next((entry for entry in self.later if entry.finding is finding), None)

    def blocking_lines(self) -> list[str]:
        """One line per blocking finding; one off the route says which question settles it."""
        out = []
        for finding in self.blocking:
            entry = self.later_of(finding)
            where = f" → {entry.asked}, op de volledige route" if entry is not None else ""
            out.append(f"- {finding.title}: {finding.message}{where}")
        return out

    def later_note(self) -> str:
        """What to do about the blocking findings off the route, or ''."""
        count = len(self.later)
        if not count:
            return ""
        return LATER_NOTE_ONE if count == 1 else LATER_NOTE.format(count=count)

    def lines(self, question_of: Callable[[OpenPlace], str] | None = None) -> list[str]:
        """What still stands in the way, one line each, in Dutch; `question_of` names the
        question that fills an open place (the terminal adds it as '→ vraag …')."""
        out: list[str] = []
        if self.blocking:
            out.append(f"Blokkerende aandachtspunten ({len(self.blocking)}):")
            out += self.blocking_lines()
            if self.later:
                out.append(self.later_note())
        if self.open_places:
            out.append(f"Plekken die nog ingevuld moeten worden ({len(self.open_places)}):")
            for place in self.open_places[:MAX_LISTED]:
                asked = question_of(place) if question_of is not None else ""
                out.append(
                    f"- {place.document}, bij '{place.heading}': {place.text}{asked and ' → ' + asked}"
                )
            rest = len(self.open_places) - MAX_LISTED
            if rest == 1:
                out.append("- en nog één andere plek")
            elif rest > 1:
                out.append(f"- en nog {rest} andere plekken")
        return out


def _runs(block: blocks.Block) -> Iterable[list[blocks.Run]]:
    if isinstance(block, blocks.Heading | blocks.Paragraph):
        yield block.runs
    elif isinstance(block, blocks.ListBlock):
        yield from block.items
    elif isinstance(block, blocks.Table):
        yield from block.header
        for row in block.rows:
            yield from row


def open_places(document: str, content: Sequence[blocks.Block]) -> list[OpenPlace]:
    """Every placeholder in a document, with the heading it stands under."""
    places: list[OpenPlace] = []
    heading = document
    for block in content:
        if isinstance(block, blocks.Heading):
            heading = block.text
        for runs in _runs(block):
            for run in runs:
                # Places for the griffie (meeting date, case number) are filled in at the end.
                if run.open and not run.text.startswith(CLERK_PREFIX):
                    places.append(OpenPlace(document, heading, run.text, run.key))
    return places


def of_drafts(
    drafts: Sequence[Draft], questionnaire: Questionnaire | None = None, rules: Iterable[Rule] = ()
) -> Readiness:
    """Readiness of the drafts of one answers file (they share their findings). With the
    questionnaire and the rules, a file on the short route gets its off-route blocking
    findings named (`Readiness.later`)."""
    findings = drafts[0].findings if drafts else []
    route = drafts[0].answers.on_route if drafts else ""
    result = check(findings, [(d.meta.title, d.blocks) for d in drafts])
    if questionnaire is None or not result.blocking:
        return result
    answered = drafts[0].answers if drafts else None
    return replace(result, later=off_route(result.blocking, questionnaire, rules, route, answered))


def off_route(
    blocking: Sequence[Finding],
    questionnaire: Questionnaire,
    rules: Iterable[Rule],
    route: str,
    answered: Answers | None = None,
) -> tuple[Later, ...]:
    """The blocking findings a route does not ask the (still open) questions of, each with
    those questions (walk.Walk.off_route)."""
    from wizard.walk import Walk

    walk = Walk(questionnaire, route)
    by_id = {rule.id: rule for rule in rules}
    found = []
    for finding in blocking:
        rule = by_id.get(finding.rule)
        questions = walk.off_route(rule, answered) if rule is not None else []
        if not questions:
            continue
        named = []
        for question in questions[:3]:
            top = questionnaire.by_id[question.group or question.id]
            section = questionnaire.section_of(top.id)
            number = questionnaire.sections.index(section) + 1
            named.append(f"vraag '{question.label}' in deel {number} ({section.titel})")
        more = len(questions) - 3
        if more > 0:
            named.append(f"nog {more} andere vra{'gen' if more > 1 else 'ag'}")
        asked = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " en " + named[-1]
        first = questions[0]
        found.append(Later(finding, asked, first.group or first.id, first.id if first.group else ""))
    return tuple(found)


def check(findings: Sequence[Finding], documents: Iterable[tuple[str, Sequence[blocks.Block]]]) -> Readiness:
    """The blocking findings and every open place of the given (title, blocks) documents."""
    places = [place for title, content in documents for place in open_places(title, content)]
    return Readiness(tuple(f for f in findings if f.severity == Severity.BLOCKING), tuple(places))
