"""The render context: what content templates can see, as read-only helper objects.

Templates ask for answers by question id and get text that is ready to print:
choice labels instead of stable values, Dutch amounts, and a highlighted
"[nog invullen: …]" placeholder where an answer is missing, so a section is
never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard import blocks, facts
from wizard.conditions import is_filled
from wizard.display import display, dutch_list, euro, in_words, item_name, lower_first, number
from wizard.questionnaire import FULL, ROLE_LABELS, SHORT, Question, Questionnaire
from wizard.rules import Finding, Rule
from wizard.severity import Severity

if TYPE_CHECKING:
    from wizard.answers import Answers

_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def dutch_date(value: Any) -> str:
    """'2026-11-23' → '23 november 2026'; today when no date is given."""
    try:
        day = dt.date.fromisoformat(str(value)) if value else dt.date.today()
    except ValueError:
        return str(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def plural(count: Any, one: str, many: str) -> str:
    """'één band', 'drie banden': the count in words with the right form of the noun."""
    return f"{in_words(count)} {one if count == 1 else many}"


def inside_sentence(text: str, ordinary: frozenset[str]) -> str:
    """A free answer placed inside a sentence ('het college op te dragen …'): its first letter is
    lowered only when that is safe, that is when the answer opens with an `ordinary` word, one
    that is never a name on its own (templates/gewone_woorden.yaml: 'Het werkplan …' → 'het
    werkplan …'). A name ('Wanica'), an abbreviation ('EU', 'VNG'), a word with a digit, or an
    ordinary word before a capital ('De Bilt', 'Van Dam', 'In Wanica': perhaps a name) keeps its
    capital. Placeholders and empty texts come back as they are. The templates use it as the
    filter `midden`."""
    if not isinstance(text, str) or not text or blocks.OPEN_START in text:
        return text
    if text.startswith(blocks.DATA_START):
        return text[0] + inside_sentence(text[1:], ordinary)
    match = _FIRST_WORD.match(text)
    if match is None:
        return text
    word, rest = match.group(1), text[match.end(1) :]
    if not (word[0].isupper() and (len(word) == 1 or word[1:].islower())):
        return text  # already lower case, an abbreviation, or a name such as 'McDonald'
    lowered = "één" if word == "Eén" else word[0].lower() + word[1:]
    if lowered not in ordinary:
        return text
    following = _NEXT_WORD.match(rest)
    if following is not None and following.group(1)[:1].isupper():
        return text
    return lowered + rest


def after_word(text: str, word: str) -> str:
    """`word` (a preposition such as 'uit') placed before a free answer, once: an answer that
    already opens with that word, in any case ('uit de algemene reserve', 'Uit de reserve'),
    keeps its own and takes the template's spelling of it, so "uit {{ reserve() }}" never reads
    'uit uit de algemene reserve'. A placeholder or an empty text gets the word in front. The
    templates use it as the filter `voorzetsel`: `{{ reserve() | voorzetsel('uit') }}`."""
    if not isinstance(text, str) or not text or blocks.OPEN_START in text:
        return f"{word} {text}" if isinstance(text, str) and text else word
    start = text[0] if text.startswith(blocks.DATA_START) else ""
    body = text[len(start) :]
    match = re.match(r"(\S+)\s+", body)
    if match is not None and match.group(1).casefold() == word.casefold():
        return start + word + body[match.end(1) :]
    return f"{word} {text}"


_FIRST_WORD = re.compile(r"([^\W\d_]+(?:'[^\W\d_]+)?)(?=[\s,.;:!?)]|$)")
_NEXT_WORD = re.compile(r"[\s,;:]+(\S+)")


def upper_first(text: str) -> str:
    """The first letter in upper case, as at the start of a sentence ('één' becomes 'Eén');
    also when the text is marked as data (the output of a macro such as the ties' count)."""
    if text.startswith(blocks.DATA_START):
        return text[0] + upper_first(text[1:])
    if text.startswith("één"):
        return "Eén" + text[3:]
    return text[:1].upper() + text[1:]


# Offices an answer may name without a person ('burgemeester'): inside a sentence they take 'de'.
_OFFICES = frozenset({"burgemeester", "wethouder", "portefeuillehouder", "gedeputeerde"})


def with_article(text: str) -> str:
    """An office inside a sentence: 'burgemeester' becomes 'de burgemeester', 'wethouder van
    Financiën' becomes 'de wethouder van Financiën'; with a name ('Wethouder Van Dam') the office is
    a title and takes no article ('wethouder Van Dam')."""
    words = text.split()
    if not words or words[0].lower() not in _OFFICES:
        return text
    if len(words) > 1 and words[1][:1].isupper():
        return lower_first(text)
    return "de " + lower_first(text)


def without_full_stop(text: str) -> str:
    """An answer used inside a longer sentence: without its own closing full stop."""
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def sentence(text: str) -> str:
    """An answer as a whole sentence: with its own end ('?', '!', '.') kept, else a full stop."""
    stripped = text.rstrip()
    return stripped if stripped.endswith((".", "?", "!")) else stripped + "."


def sentence_list(
    parts: Sequence[str], klein: bool = False, puntkomma: bool = False, of: bool = False, los: bool = False
) -> str:
    """Labels listed inside a sentence: 'a, b en c', optionally with a lower first letter;
    with `puntkomma` 'a; b; en c', for items that hold a comma themselves; with `of` the
    alternatives 'a, b of c' (the note means either, never all); with `los` no joining word
    at all ('a; b'), where the answers do not say whether one or all are meant."""
    items = [lower_first(str(p)) if klein else str(p) for p in parts]
    word = "of" if of else "en"
    if los and len(items) > 1:
        return ("; " if puntkomma else ", ").join(items)
    if puntkomma and len(items) > 1:
        return "; ".join(items[:-1]) + f"; {word} " + items[-1]
    if of and len(items) > 1:
        return ", ".join(items[:-1]) + " of " + items[-1]
    return dutch_list(items)


class Text(str):
    """Text produced by the tool itself (placeholders): not wrapped as an answer."""

    __slots__ = ()


OPEN_PREFIX = "[nog invullen: "
CLERK_PREFIX = "[griffie: "


def open_text(what: str, key: str = "") -> Text:
    """Return a highlighted placeholder for an answer still to give; `key` is the question that
    gives it (a templates' `open('datum waarop het kader ingaat', 'ingangsdatum')`), so a page
    can link the place to that question. The key is not shown."""
    return Text(blocks.placeholder(f"{OPEN_PREFIX}{what}]", key))


def clerk_text(what: str) -> Text:
    """A highlighted place the griffie fills in at the end (meeting date, case number, names):
    no answer can fill it, so it does not stop a definitive version."""
    return Text(blocks.placeholder(f"{CLERK_PREFIX}{what}]"))


class _Fields:
    """Shared helpers over a mapping of answers and the questions that describe them."""

    def __init__(self, values: Mapping[str, Any], questions: Mapping[str, Question], place: str = "") -> None:
        self._values = values
        self._questions = questions
        self._place = place  # 'banden/0/' for the fields of an item: the key of their open places

    def heeft(self, name: str) -> bool:
        """Whether the answer is given (ja/nee counts, also when it is 'nee')."""
        return is_filled(self._values.get(name))

    def geen(self, *names: str) -> bool:
        """Whether none of these answers is given (a part the short route leaves for later)."""
        return not any(is_filled(self._values.get(name)) for name in names)

    def waarde(self, name: str) -> Any:
        """The raw answer (stable choice values, numbers, True/False), or None."""
        return self._values.get(name)

    def ja(self, name: str) -> bool:
        return self._values.get(name) is True

    def nee(self, name: str) -> bool:
        return self._values.get(name) is False

    def toon(self, name: str, leeg: str | None = None) -> str:
        """The answer as text for a reader, or a placeholder naming the question."""
        value = self._values.get(name)
        question = self._questions.get(name)
        if not is_filled(value):
            what = leeg or (question.label.rstrip("?").lower() if question else name)
            return open_text(what, self._place + name)
        return display(value, question)

    def open(self, name: str, what: str | None = None) -> Text:
        """An open place for the answer `name` (of this item, for a tie or goal), saying `what` is
        to be filled in, and keyed to that question (templates: `band.open('advies', 'wat …')`)."""
        question = self._questions.get(name)
        return open_text(
            what or (question.label.rstrip("?").lower() if question else name), self._place + name
        )

    def labels(self, name: str) -> list[str]:
        """The labels of a multiple-choice answer (empty list when not given)."""
        value = self._values.get(name) or []
        question = self._questions.get(name)
        return [question.choice_label(v) if question else str(v) for v in value]

    def keuze(self, name: str, value: str) -> str:
        question = self._questions.get(name)
        return question.choice_label(value) if question else value

    def bron(self, name: str, value: str) -> str:
        """The publication an option's name comes from (its `bron` in keuzelijsten.yaml, one of
        questionnaire.CHOICE_SOURCES), or '' when no source says (templates: which source to name)."""
        question = self._questions.get(name)
        choice = next((c for c in question.keuzes if c.waarde == value), None) if question else None
        return choice.bron if choice else ""

    def vraag(self, name: str) -> str:
        question = self._questions.get(name)
        return question.label if question else name


class Item(_Fields):
    """One item of a repeating group (a partnership, a goal, a subsidy)."""

    def __init__(self, group: Question, values: Mapping[str, Any], index: int | None = None) -> None:
        place = f"{group.id}/{index}/" if index is not None else ""
        super().__init__(values, {f.id: f for f in group.velden}, place)
        self.naam = item_name(group, values)

    @property
    def advies(self) -> Any:
        """The proposal for a tie (a stable choice value), for filters such as selectattr."""
        return self._values.get("advies")


class Note(_Fields):
    """The answers of the whole questionnaire plus derived facts."""

    def __init__(self, questionnaire: Questionnaire, values: Mapping[str, Any]) -> None:
        super().__init__(values, questionnaire.by_id)
        self._questionnaire = questionnaire
        self._items: dict[str, list[Item]] = {}

    def items(self, group: str) -> list[Item]:
        """The items of a repeating group, made once per document (templates ask often, and
        cannot change them: the sandbox is immutable)."""
        if group not in self._items:
            question = self._questionnaire.by_id[group]
            self._items[group] = [
                Item(question, item, i) for i, item in enumerate(self._values.get(group) or [])
            ]
        return self._items[group]

    def banden(
        self,
        door: bool | None = None,
        zonder: str | None = None,
        thema: str | None = None,
        herkomstland: bool | None = None,
    ) -> list[str]:
        """Names of ties that match: going on (`door`), missing an answer (`zonder`), with a
        theme, or in a country of origin; so templates need no loops that build lists."""
        names = []
        for item in self.items("partnerschappen"):
            if door is not None and bool(item.waarde("gaat_door")) is not door:
                continue
            if zonder is not None and item.heeft(zonder):
                continue
            if thema is not None and thema not in (item.waarde("themas") or []):
                continue
            if herkomstland is not None and item.ja("herkomstland") is not herkomstland:
                continue
            names.append(item.naam)
        return names

    def kosten(self) -> list[tuple[str, str]]:
        """The yearly commitments for the cost overview: (what, amount as text)."""
        return [(what, euro(amount)) for what, amount in facts.cost_lines(self._values, self._questionnaire)]

    def feit(self, name: str) -> Any:
        return self._values.get(name)

    def tekst_per_keuze(self, name: str, value: str) -> str | None:
        mapping = self._values.get(name) or {}
        text = mapping.get(value)
        return str(text) if is_filled(text) else None


@dataclass(frozen=True)
class LaterPart:
    """On the short route: a part of the full route and the findings its questions would settle."""

    deel: str  # the section's title
    aantal: int  # how many findings
    blokkerend: int  # of which blocking
    vragen: tuple[str, ...]  # the questions of that part the findings read, as labels


@dataclass(frozen=True)
class FindingView:
    regel: str
    titel: str
    ernst: str
    ernst_label: str
    rol: str
    rol_label: str
    melding: str
    uitleg: str
    advies: str
    bron: str
    url: str


def build(
    questionnaire: Questionnaire,
    values: Mapping[str, Any],
    findings: Sequence[Finding],
    notes: Mapping[str, str] | None = None,
    final: bool = False,
    route: str = FULL,
    rules: Sequence[Rule] = (),
    answered: Answers | None = None,
) -> dict[str, Any]:
    """Return the variables every content template receives.

    `final` is true for a definitive version: no findings appendix, no "concept".
    `route` is the answers file's route: on the short route (`kort` is true) `bevindingen`
    holds only findings about short-route questions or answers already given (`answered`), and
    `later` summarises the others per part of the full route (which needs `rules`, to know what
    each finding reads).
    """
    note = Note(questionnaire, values)
    later: list[LaterPart] = []
    if route == SHORT:
        findings, later = _split_by_route(questionnaire, findings, rules, answered)
    views = [
        FindingView(
            regel=f.rule,
            titel=f.title,
            ernst=f.severity,
            ernst_label=Severity(f.severity).label,
            rol=f.role,
            rol_label=ROLE_LABELS[f.role],
            melding=f.message,
            uitleg=f.explanation,
            advies=f.advice,
            bron=f.source.text(),
            url=f.source.url,
        )
        for f in findings
    ]
    return {
        "a": note,
        "gemeente": note.toon("gemeente_naam"),  # placeholder: the question's own label
        "datum": dutch_date(values.get("datum")),
        "bevindingen": views,
        "blokkerend": [v for v in views if v.ernst == Severity.BLOCKING],
        "werksessie": dict(notes or {}),
        "rollen": ROLE_LABELS,
        "open": open_text,
        "griffie": clerk_text,
        "euro": euro,
        "getal": number,
        "woord": in_words,
        "aantal": plural,
        "lijst": sentence_list,
        "klein": lower_first,
        "bestuurder": with_article,
        "hoofd": upper_first,
        "zonder_punt": without_full_stop,
        "zin": sentence,
        "definitief": final,
        "kort": route == SHORT,
        "route": route,
        "later": later,
        "datum_tekst": dutch_date,
        "jaar": facts.note_year(values),
    }


def _split_by_route(
    questionnaire: Questionnaire,
    findings: Sequence[Finding],
    rules: Sequence[Rule],
    answered: Answers | None,
) -> tuple[list[Finding], list[LaterPart]]:
    """Findings about short-route questions (or answered ones), and the others summarised per
    part (walk.Walk.split)."""
    from wizard.walk import Walk

    kept, off_route = Walk(questionnaire, SHORT).split(findings, rules, answered)
    later = []
    for part in off_route:
        labels: list[str] = []
        for question in part.questions:
            label = question.label.rstrip("?")
            if label not in labels:
                labels.append(label)
        later.append(
            LaterPart(
                deel=part.section.titel,
                aantal=len(part.findings),
                blokkerend=sum(1 for f in part.findings if f.severity == Severity.BLOCKING),
                vragen=tuple(labels),
            )
        )
    return kept, later
