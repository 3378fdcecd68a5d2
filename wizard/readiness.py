"""Is a draft ready to be final? The blocking findings and the open places, said for people.

A definitive version (`--definitief`) has no findings appendix and no "concept" in its header
and properties. It may only be made when nothing blocks and no "[nog invullen: …]" place is
left, unless the user explicitly accepts what is still open. This module finds what is left,
per document and under the heading where it stands, so the refusal can name every point.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wizard import blocks
from wizard.context import CLERK_PREFIX
from wizard.rules import Finding
from wizard.severity import Severity

if TYPE_CHECKING:
    from wizard.draft import Draft

MAX_LISTED = 25  # a refusal lists this many open places; the rest is counted


@dataclass(frozen=True)
class OpenPlace:
    document: str  # the document's title
    heading: str  # the nearest heading above the place
    text: str  # what is still to fill in
    key: str = ""  # the question that fills it ('ingangsdatum', 'banden/0/partner'), when known


@dataclass(frozen=True)
class Readiness:
    blocking: tuple[Finding, ...]
    open_places: tuple[OpenPlace, ...]

    @property
    def ready(self) -> bool:
        return not self.blocking and not self.open_places

    def lines(self, question_of: Callable[[OpenPlace], str] | None = None) -> list[str]:
        """What still stands in the way, one line each, in Dutch; `question_of` names the
        question that fills an open place (the terminal adds it as '→ vraag …')."""
        out: list[str] = []
        if self.blocking:
            out.append(f"Blokkerende aandachtspunten ({len(self.blocking)}):")
            out += [f"- {f.title}: {f.message}" for f in self.blocking]
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


def of_drafts(drafts: Sequence[Draft]) -> Readiness:
    """Readiness of the drafts of one answers file (they share their findings)."""
    findings = drafts[0].findings if drafts else []
    return check(findings, [(d.meta.title, d.blocks) for d in drafts])


def check(findings: Sequence[Finding], documents: Iterable[tuple[str, Sequence[blocks.Block]]]) -> Readiness:
    """The blocking findings and every open place of the given (title, blocks) documents."""
    places = [place for title, content in documents for place in open_places(title, content)]
    return Readiness(tuple(f for f in findings if f.severity == Severity.BLOCKING), tuple(places))
