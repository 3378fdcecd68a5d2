"""Question kinds: the one home of what a `type:` in the questionnaire means.

Each kind (tekst, lange_tekst, getal, bedrag, jaar, datum, ja_nee, keuze, meerkeuze,
per_keuze, groep) is one object that

- parses and checks a value (`parse`): the same path for an answers file and for what a
  person types in the wizard, so "€ 25.000" means 25000 in both;
- describes itself for the JSON Schema (`schema`) and the werkblad (`describe`);
- shows a value to a person (`display`) and as the text to edit in a prompt (`edit_text`);
- tells the prompt front-end what to ask (`prompt`: one of the PROMPT_* names).

Numbers are read as a Dutch person means them: a dot groups thousands ("5.000"), a comma
starts the decimals ("8,5", "5.000,50"), "€" and ",-" may be typed. Input that a Dutch and
an English reader would read differently ("5.5", "5,000") is not guessed: the message asks
which one is meant. Small and free of heavy imports: the wizard needs it before its first
question.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from wizard.conditions import is_filled

MAX_TEXT = 20_000  # characters in one answer, in the wizard and in a file
YEARS_BACK = 100  # a year may lie this far before the note's year ...
YEARS_AHEAD = 30  # ... and this far after it
DATE_YEARS = (1950, 2200)  # a note's date lies in these years

PROMPT_TEXT = "text"  # one line
PROMPT_LONG_TEXT = "long_text"  # paragraphs
PROMPT_SELECT = "select"  # one of a list
PROMPT_CHECKBOX = "checkbox"  # some of a list
PROMPT_PER_CHOICE = "per_choice"  # a text per option chosen elsewhere
PROMPT_GROUP = "group"  # a list of items, each with its own questions

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    """One thing wrong with a value: where inside it (empty for the value itself), what, what to do."""

    message: str
    hint: str | None = None
    at: PathKey = ()


class Invalid(ValueError):
    """A value that cannot be kept; `issues` says every reason (a group can have several)."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(i.message for i in issues))
        self.issues = issues

    @classmethod
    def one(cls, message: str, hint: str | None = None) -> Invalid:
        return cls([Issue(message, hint)])

    def text(self) -> str:
        """The issues as one Dutch sentence for under a prompt."""
        first = self.issues[0]
        return first.message[:1].upper() + first.message[1:] + (f" {first.hint}" if first.hint else "")


@dataclass(frozen=True)
class Context:
    """What parsing needs besides the question: the year of the note (bounds for years)."""

    year: int

    @classmethod
    def today(cls) -> Context:
        return cls(dt.date.today().year)

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> Context:
        """The note's year from its `datum` answer, else this year."""
        date = values.get("datum")
        if isinstance(date, str):
            try:
                return cls(dt.date.fromisoformat(date).year)
            except ValueError:
                pass
        return cls.today()


def what(value: Any) -> str:
    """What a value is, in the words of a message ("hier hoort een getal, geen lijst")."""
    if isinstance(value, bool):
        return "ja of nee"
    if isinstance(value, dict):
        return "lijstje met sleutels"
    if isinstance(value, list | tuple):
        return "lijst"
    if isinstance(value, int | float):
        return "getal"
    return "tekst"


def shown(value: Any, limit: int = 60) -> str:
    """A value from input as a message quotes it: control characters written out, long text cut."""
    from wizard.errors import visible

    text = visible(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def filled(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


# --- what a kind reads of a question ----------------------------------------------------------
# wizard.questionnaire.Question has all of it; these protocols keep this module free of the
# questionnaire (which imports the kinds), so the two never import each other.


class Choice(Protocol):
    """One option of a question, as a kind reads it."""

    @property
    def waarde(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def exclusief(self) -> bool: ...


class Question(Protocol):
    """A question, as a kind reads it (wizard.questionnaire.Question)."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def uitleg(self) -> str: ...
    @property
    def bron(self) -> str: ...
    @property
    def keuzes(self) -> tuple[Choice, ...]: ...
    @property
    def min(self) -> float | None: ...
    @property
    def max(self) -> float | None: ...
    @property
    def standaard(self) -> Any: ...
    @property
    def velden(self) -> tuple[Question, ...]: ...
    @property
    def naam(self) -> str: ...
    @property
    def tijd(self) -> str | None: ...
    @property
    def kind(self) -> Kind: ...
    @property
    def choice_values(self) -> tuple[str, ...]: ...
    def choice_label(self, value: str) -> str: ...


# --- the kinds ---------------------------------------------------------------------------


class Kind:
    """The base: a kind without choices, bounds or sub-questions."""

    name: ClassVar[str]
    condition_kind: ClassVar[str] = "text"  # how conditions compare it (wizard.conditions)
    prompt: ClassVar[str] = PROMPT_TEXT
    has_choices: ClassVar[bool] = False
    has_bounds: ClassVar[bool] = False
    has_fields: ClassVar[bool] = False
    follows_choices: ClassVar[bool] = False  # per_keuze: the options of another question
    counted: ClassVar[bool] = False  # "minstens 2" in a condition counts its items
    dutch: ClassVar[str] = "tekst"  # what the werkblad and messages call it
    # How long a person takes for one answer of this kind, reading the question included: the
    # basis of the time estimate per route (wizard/walk.py). A groep's figure is its menu, once
    # per item and once to finish; its fields count on their own.
    seconds: ClassVar[int] = 40

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        """Return the value to keep, or raise Invalid. `raw` is typed text or a YAML value."""
        raise NotImplementedError

    def schema(self, question: Question) -> dict[str, Any]:
        return {"type": ["string", "null"]}

    def display(self, value: Any, question: Question) -> str:
        return str(value)

    def edit_text(self, value: Any, question: Question) -> str:
        """The stored value as text to change in a prompt (parses back to the same value)."""
        return self.display(value, question)

    def options(self, question: Question) -> list[tuple[str, Any]]:
        """What a menu offers, (label, value): the question's choices (none for free input)."""
        return [(c.label, c.waarde) for c in question.keuzes]

    def describe(self, question: Question) -> str:
        """What kind of answer is expected, for the werkblad and the schema description."""
        return self.dutch

    def suggestion(self, question: Question) -> Any:
        """What the wizard offers when nothing is stored: the question's `standaard`."""
        return question.standaard

    def summary(self, value: Any, question: Question) -> str:
        """A short version for overviews."""
        text = self.display(value, question).replace("\n", " ")
        return text if len(text) <= 60 else text[:57] + "..."


def text_value(raw: Any) -> str:
    """Any scalar as checked text: refused when too long or not text-like."""
    if isinstance(raw, bool | list | dict) or raw is None:
        raise Invalid.one("hier hoort een tekst.", "Zet de tekst eventueel tussen aanhalingstekens.")
    if isinstance(raw, float) and not math.isfinite(raw):
        raise Invalid.one("hier hoort een tekst.", "Zet de tekst tussen aanhalingstekens.")
    from wizard.blocks import clean  # imported here: the wizard's first question does not need it

    text = clean(repair_text(str(raw)))
    if len(text) > MAX_TEXT:
        raise Invalid.one(
            f"de tekst is te lang ({len(text)} tekens; maximaal {MAX_TEXT}).", "Maak de tekst korter."
        )
    return text


def repair_text(text: str) -> str:
    """Undo a terminal's 'surrogateescape' decoding (a C/POSIX locale reading UTF-8 bytes)."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


class Text(Kind):
    name = "tekst"

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        text = text_value(raw).strip()
        return text or None


class LongText(Text):
    name = "lange_tekst"
    prompt = PROMPT_LONG_TEXT
    dutch = "tekst van een of meer alinea's"
    seconds = 120

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        text = text_value(raw)
        lines = [line.rstrip() for line in text.strip().split("\n")]
        # More than one empty line between paragraphs is one paragraph break.
        result = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
        return result or None


class Date(Kind):
    name = "datum"
    dutch = "datum (JJJJ-MM-DD)"
    seconds = 20

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        text = text_value(raw).strip()
        if not text:
            return None
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            day = re.fullmatch(r"(\d{1,2})[-/ .](\d{1,2})[-/ .](\d{4})", text)
            if day:
                try:
                    return dt.date(int(day[3]), int(day[2]), int(day[1])).isoformat()
                except ValueError:
                    pass
            raise Invalid.one(
                f"'{shown(text)}' is geen datum.", "Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2026-11-23."
            ) from None
        year = int(text[:4])
        if not DATE_YEARS[0] <= year <= DATE_YEARS[1]:
            raise Invalid.one(
                f"{text} ligt niet tussen {DATE_YEARS[0]} en {DATE_YEARS[1]}.",
                "Controleer het jaar; de datum bepaalt ook welke jaartallen elders kunnen.",
            )
        return text

    def schema(self, question: Question) -> dict[str, Any]:
        return {"type": ["string", "null"], "format": "date"}

    def suggestion(self, question: Question) -> Any:
        return question.standaard or dt.date.today().isoformat()


class YesNo(Kind):
    name = "ja_nee"
    condition_kind = "bool"
    prompt = PROMPT_SELECT
    dutch = "ja of nee"
    seconds = 15

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in ("ja", "nee", "j", "n"):
            return raw.strip().lower().startswith("j")
        if not isinstance(raw, str):
            raise Invalid.one(f"hier hoort ja of nee, geen {what(raw)}.", "Schrijf ja of nee.")
        raise Invalid.one(f"'{shown(raw)}' is geen ja of nee.", "Schrijf ja of nee.")

    def schema(self, question: Question) -> dict[str, Any]:
        return {"type": ["boolean", "null"]}

    def display(self, value: Any, question: Question) -> str:
        return ("ja" if value else "nee") if isinstance(value, bool) else str(value)

    def options(self, question: Question) -> list[tuple[str, Any]]:
        return [("Ja", True), ("Nee", False)]


# --- numbers ------------------------------------------------------------------------------

_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")  # 5.000 or 1.250.000
_PLAIN = re.compile(r"\d+")
_DECIMALS = re.compile(r"\d+,\d+")  # 8,5
_GROUPED_DECIMALS = re.compile(r"\d{1,3}(\.\d{3})+,\d+")  # 5.000,50


MAX_DIGITS = 30  # a budget or a population has at most a dozen; more is a paste gone wrong


def dutch_number(text: str, money: bool, example: str = "") -> float | int:
    """Read a number as a Dutch person writes it; raise Invalid when unclear or no number.
    `example` is what the hint shows (a money or a plain number when not given)."""
    original = text.strip()
    cleaned = original.replace("\u00a0", " ").replace("\u202f", " ")
    if money:
        cleaned = re.sub(r"^(€|eur(o)?)\s*", "", cleaned.strip(), flags=re.IGNORECASE)
        cleaned = re.sub(r"\s*(€|euro?)$", "", cleaned, flags=re.IGNORECASE)
        cleaned = re.sub(r",-{1,2}$|\.-{1,2}$", "", cleaned.strip())
    cleaned = cleaned.replace(" ", "")
    negative = cleaned.startswith("-")
    body = cleaned[1:] if negative else cleaned
    sign = -1 if negative else 1
    example = example or ("25000 of 25.000" if money else "52000 of 52.000")
    digits = sum(c.isdigit() for c in body)
    if digits > MAX_DIGITS:  # Python reads at most 4,300 digits, and a float ends near 10^308
        raise Invalid.one(
            f"'{shown(original, 11)}' heeft te veel cijfers ({digits}; hooguit {MAX_DIGITS}).",
            f"Schrijf een getal zoals {example}.",
        )
    if _PLAIN.fullmatch(body):
        return sign * int(body)
    if _GROUPED.fullmatch(body):
        return sign * int(body.replace(".", ""))
    if _DECIMALS.fullmatch(body) or _GROUPED_DECIMALS.fullmatch(body):
        whole, decimals = body.replace(".", "").split(",")
        grouped_decimals = _GROUPED_DECIMALS.fullmatch(body)
        if len(decimals) == 3 and len(whole) <= 3 and int(whole) and not grouped_decimals:
            # 68,400: a Dutch reader sees 68,4, an English one 68.400
            if money:
                raise Invalid.one(
                    f"'{original}' is niet duidelijk: bedoelt u € {whole}.{decimals} of € {whole},{decimals[:2]}?",
                    f"Schrijf een bedrag met een punt tussen duizendtallen ({whole}.{decimals}) en een "
                    f"komma voor centen ({whole},{decimals[:2]}).",
                )
            raise Invalid.one(
                f"'{original}' is niet duidelijk: bedoelt u {whole}.{decimals} of {whole},{decimals.rstrip('0') or '0'}?",
                f"Schrijf {whole}{decimals} of {whole}.{decimals}: in het Nederlands staat de punt tussen "
                "duizendtallen en de komma voor de decimalen.",
            )
        if money and len(decimals) > 2:
            raise Invalid.one(
                f"'{original}' heeft meer dan twee cijfers na de komma.",
                "Een bedrag heeft hooguit centen: schrijf bijvoorbeeld 0,01 of 25.000,50.",
            )
        value = float(f"{whole}.{decimals}")
        return sign * (int(value) if value == int(value) else value)
    if re.fullmatch(r"0\.\d+", body):  # 0.45: nobody groups thousands after a zero
        return sign * float(body)
    if re.fullmatch(r"\d{4,}\.\d+", body):  # 68400.7: too long a whole part to group thousands
        whole, decimals = body.split(".")
        raise Invalid.one(
            f"'{original}' heeft een punt waar in het Nederlands een komma staat.",
            f"Schrijf {whole},{decimals} (de komma staat voor de decimalen).",
        )
    if re.fullmatch(r"\d+\.\d+", body):
        whole, decimals = body.split(".")
        comma = f"{whole},{decimals.ljust(2, '0') if money else decimals}"
        grouped = _group(int(whole + decimals.ljust(3, "0")))
        unit = "€ " if money else ""
        raise Invalid.one(
            f"'{original}' is niet duidelijk: bedoelt u {unit}{comma} of {unit}{grouped}?",
            f"Schrijf {comma} of {grouped}: in het Nederlands staat de komma voor de decimalen "
            "en de punt tussen duizendtallen.",
        )
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", body):
        raise Invalid.one(
            f"'{original}' is op zijn Engels geschreven.",
            f"Schrijf {body.replace(',', '_').replace('.', ',').replace('_', '.')} (punt tussen duizendtallen, komma voor decimalen).",
        )
    raise Invalid.one(
        f"'{shown(original)}' is geen getal.", f"Schrijf alleen cijfers, bijvoorbeeld {example}."
    )


NUMBER_PATTERN = r"^\s*(€|EUR|eur|euro)?\s*-?[0-9][0-9.]*(,[0-9]+|,-{1,2})?\s*(€|euro)?\s*$"


def _group(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def format_number(value: float) -> str:
    """A number the Dutch way: 52.000 or 8,5."""
    if value == int(value):
        return _group(int(value))
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".").rstrip("0").rstrip(",")


def format_euro(value: float) -> str:
    """An amount the Dutch way: € 25.000 or € 0,45."""
    if value == int(value):
        return "€ " + _group(int(value))
    return "€ " + f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


class Number(Kind):
    name = "getal"
    condition_kind = "number"
    has_bounds = True
    money: ClassVar[bool] = False
    whole: ClassVar[bool] = False
    example: ClassVar[str] = ""  # the hint's example when the text is no number
    dutch = "getal"
    seconds = 25

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        if isinstance(raw, str):
            if not raw.strip():
                return None
            number = dutch_number(raw, self.money, self.example)
        elif isinstance(raw, bool) or not isinstance(raw, int | float):
            raise Invalid.one(
                f"hier hoort een getal, geen {what(raw)}.", "Schrijf alleen cijfers, bijvoorbeeld 25000."
            )
        elif not math.isfinite(raw):
            raise Invalid.one("dit is geen gewoon getal.", "Schrijf een getal zoals 25000.")
        else:
            number = int(raw) if raw == int(raw) else raw
        if self.whole and number != int(number):
            raise Invalid.one(
                f"{format_number(number)} is geen heel getal.", "Schrijf een getal zonder komma."
            )
        low, high = self.bounds(question, context)
        if (low is not None and number < low) or (high is not None and number > high):
            raise Invalid.one(self.out_of_bounds(number, low, high, context), self.bounds_hint())
        return number

    def bounds(self, question: Question, context: Context) -> tuple[float | None, float | None]:
        return question.min, question.max

    def out_of_bounds(self, number: float, low: float | None, high: float | None, context: Context) -> str:
        show = self.display_number
        if low is not None and high is not None:
            return f"{show(number)} ligt niet tussen {show(low)} en {show(high)}."
        if low is not None:
            return f"{show(number)} is te laag; het moet minstens {show(low)} zijn."
        return f"{show(number)} is te hoog; het mag hoogstens {show(high or 0)} zijn."

    def bounds_hint(self) -> str:
        return "Controleer het getal."

    def display_number(self, value: float) -> str:
        return format_number(value)

    def schema(self, question: Question) -> dict[str, Any]:
        # A person may write "25.000" or "€ 25.000" in the file: numbers and such texts are both fine.
        schema: dict[str, Any] = {
            "type": ["integer" if self.whole else "number", "string", "null"],
            "pattern": NUMBER_PATTERN,  # for a text only: what a Dutch number may look like
        }
        if question.min is not None:
            schema["minimum"] = question.min
        if question.max is not None:
            schema["maximum"] = question.max
        return schema

    def display(self, value: Any, question: Question) -> str:
        return self.display_number(value) if isinstance(value, int | float) else str(value)

    def edit_text(self, value: Any, question: Question) -> str:
        return self.display(value, question).removeprefix("€ ")

    def describe(self, question: Question) -> str:
        low, high = question.min, question.max
        if low is not None and high is not None:
            return f"{self.dutch} van {self.display_number(low)} tot {self.display_number(high)}"
        return self.dutch


class Money(Number):
    name = "bedrag"
    money = True
    dutch = "bedrag in euro"
    seconds = 35

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        number = super().parse(question, raw, context)
        if isinstance(number, float) and round(number, 2) != number:
            # Never rounded silently: 1.125 would be saved as "1,125", which reads as € 1.125.
            shown = f"{number:.6f}".rstrip("0").replace(".", ",")
            raise Invalid.one(
                f"{shown} heeft meer dan twee cijfers na de komma; een bedrag gaat tot op de cent.",
                "Schrijf het bedrag in euro en centen, bijvoorbeeld 1,13.",
            )
        return number

    def display_number(self, value: float) -> str:
        return format_euro(value)

    def understood(self, value: float, question: Question) -> str:
        """How the wizard repeats an amount: "€ 5.000 per jaar" when the question says so."""
        text = format_euro(value)
        return f"{text} per jaar" if "per jaar" in question.label else text


class Year(Number):
    name = "jaar"
    whole = True
    example = "2027"
    dutch = "jaartal"
    seconds = 20

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        if isinstance(raw, str) and re.fullmatch(r"\s*\d+\.\d+\s*", raw):  # 2.026 or 2026.0
            raise Invalid.one(
                f"'{raw.strip()}' is geen jaartal.", "Schrijf het jaar als vier cijfers, zoals 2026."
            )
        return super().parse(question, raw, context)

    def bounds(self, question: Question, context: Context) -> tuple[float | None, float | None]:
        low = context.year - YEARS_BACK
        high = context.year + YEARS_AHEAD
        if question.min is not None:
            low = max(low, int(question.min))
        if question.max is not None:
            high = min(high, int(question.max))
        if question.tijd == "verleden":
            high = min(high, context.year)
        elif question.tijd == "toekomst":
            low = max(low, context.year)
        return low, high

    def out_of_bounds(self, number: float, low: float | None, high: float | None, context: Context) -> str:
        year, low, high = int(number), int(low or 0), int(high or 0)
        if year > high == context.year:
            return f"{year} ligt na het jaar van deze notitie ({context.year}); dat kan hier niet."
        if year < low == context.year:
            return f"{year} ligt vóór het jaar van deze notitie ({context.year}); dat kan hier niet."
        return f"{year} ligt niet tussen {low} en {high} (de notitie is van {context.year})."

    def bounds_hint(self) -> str:
        return "Controleer het jaartal, en de datum van het concept (vraag 'datum')."

    def schema(self, question: Question) -> dict[str, Any]:
        schema = super().schema(question)
        schema.update(type=["integer", "null"])
        del schema["pattern"]
        return schema

    def display_number(self, value: float) -> str:
        return str(int(value))

    def describe(self, question: Question) -> str:
        return self.dutch


# --- choices ----------------------------------------------------------------------------


def choice_value(question: Question, raw: Any) -> str:
    """The stable value of one option, given as value or as its label."""
    values = question.choice_values
    if isinstance(raw, str) and raw in values:
        return raw
    if isinstance(raw, str):
        # Accept the label as typed by a person, not only the stable value.
        for choice in question.keuzes:
            if raw.strip().casefold() in (choice.label.casefold(), choice.waarde.casefold()):
                return choice.waarde
    from wizard.errors import suggest

    if isinstance(raw, list | dict):
        raise Invalid.one(f"hier hoort één keuze, geen {what(raw)}.", f"Mogelijk: {', '.join(values)}.")
    raise Invalid.one(
        f"'{shown(raw)}' is geen keuze bij '{question.label}'.",
        suggest(str(raw), values) or f"Mogelijk: {', '.join(values)}.",
    )


class OneChoice(Kind):
    name = "keuze"
    condition_kind = "choice"
    prompt = PROMPT_SELECT
    has_choices = True
    dutch = "één keuze"
    seconds = 30

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        if isinstance(raw, str) and not raw.strip():
            return None
        return choice_value(question, raw)

    def schema(self, question: Question) -> dict[str, Any]:
        return {"enum": [*question.choice_values, None]}

    def display(self, value: Any, question: Question) -> str:
        return question.choice_label(str(value))


class ManyChoices(Kind):
    name = "meerkeuze"
    condition_kind = "choices"
    prompt = PROMPT_CHECKBOX
    has_choices = True
    counted = True
    dutch = "een of meer keuzes"
    seconds = 45

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        if isinstance(raw, str):
            raw = [raw] if raw.strip() else []
        if not isinstance(raw, list | tuple):
            raise Invalid.one(
                "hier hoort een lijst met keuzes.", "Schrijf bijvoorbeeld [ideeel, economisch]."
            )
        chosen: list[str] = []
        issues: list[Issue] = []
        for index, item in enumerate(raw):
            try:
                value = choice_value(question, item)
            except Invalid as exc:
                issues += [Issue(i.message, i.hint, (index, *i.at)) for i in exc.issues]
                continue
            if value not in chosen:
                chosen.append(value)
        exclusive = [c for c in question.keuzes if c.exclusief and c.waarde in chosen]
        if exclusive and len(chosen) > 1:
            issues.append(
                Issue(
                    f"'{exclusive[0].label}' kan niet samen met andere keuzes.",
                    f"Kies alleen '{exclusive[0].label}', of haal die keuze weg.",
                )
            )
        if issues:
            raise Invalid(issues)
        return chosen or None

    def schema(self, question: Question) -> dict[str, Any]:
        return {
            "type": ["array", "null"],
            "items": {"enum": list(question.choice_values)},
            "uniqueItems": True,
        }

    def display(self, value: Any, question: Question) -> str:
        if isinstance(value, str):  # one option, as named in a condition
            return question.choice_label(value)
        return ", ".join(question.choice_label(str(v)) for v in value)


class PerChoice(Kind):
    name = "per_keuze"
    condition_kind = "mapping"
    prompt = PROMPT_PER_CHOICE
    follows_choices = True
    dutch = "een korte tekst per gekozen mogelijkheid"
    seconds = 90

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        if not isinstance(raw, dict):
            raise Invalid.one("hier hoort per keuze een tekst, bijvoorbeeld 'ideeel: ...'.")
        result: dict[str, str] = {}
        issues: list[Issue] = []
        for key, text in raw.items():
            if key not in question.choice_values:
                from wizard.errors import suggest

                issues.append(
                    Issue(
                        f"'{shown(key)}' is geen keuze bij deze vraag.",
                        suggest(key, question.choice_values)
                        or f"Mogelijk: {', '.join(question.choice_values)}.",
                        (key,),
                    )
                )
                continue
            if text is None:
                continue
            try:
                checked = text_value(text).strip()
            except Invalid as exc:
                issues += [Issue(i.message, i.hint, (key,)) for i in exc.issues]
                continue
            if checked:
                result[key] = checked
        if issues:
            raise Invalid(issues)
        return result or None

    def schema(self, question: Question) -> dict[str, Any]:
        return {
            "type": ["object", "null"],
            "properties": {c.waarde: {"type": ["string", "null"], "title": c.label} for c in question.keuzes},
            "additionalProperties": False,
        }

    def display(self, value: Any, question: Question) -> str:
        if not isinstance(value, Mapping):
            return question.choice_label(str(value))
        return "; ".join(f"{question.choice_label(k)}: {t}" for k, t in value.items() if filled(t))

    def summary(self, value: Any, question: Question) -> str:
        return f"{len(value)} ingevuld"


class Group(Kind):
    name = "groep"
    condition_kind = "group"
    prompt = PROMPT_GROUP
    has_fields = True
    counted = True
    dutch = "een lijst; per item dezelfde vragen"
    seconds = 10

    def parse(self, question: Question, raw: Any, context: Context) -> Any:
        if not isinstance(raw, list):
            raise Invalid.one("hier hoort een lijst; begin elk item met '- '.")
        by_id = {f.id: f for f in question.velden}
        items: list[dict[str, Any]] = []
        issues: list[Issue] = []
        for index, raw_item in enumerate(raw):
            if not isinstance(raw_item, dict):
                issues.append(Issue("elk item is een lijstje 'veld: waarde'.", at=(index,)))
                continue
            item: dict[str, Any] = {}
            for key, value in raw_item.items():
                field = by_id.get(key)
                if field is None:
                    from wizard.errors import suggest

                    issues.append(Issue(f"onbekend veld '{shown(key)}'.", suggest(key, by_id), (index, key)))
                    continue
                if value is None:
                    continue
                try:
                    checked = field.kind.parse(field, value, context)
                except Invalid as exc:
                    issues += [Issue(i.message, i.hint, (index, key, *i.at)) for i in exc.issues]
                    continue
                if checked is not None:
                    item[key] = checked
            items.append(item)
        if issues:
            raise Invalid(issues)
        return items

    def schema(self, question: Question) -> dict[str, Any]:
        return {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "properties": {f.id: question_schema(f) for f in question.velden},
                "additionalProperties": False,
            },
        }

    def display(self, value: Any, question: Question) -> str:
        if not isinstance(value, list):
            return str(value)
        return ", ".join(item_name(question, item) for item in value if isinstance(item, Mapping))

    def summary(self, value: Any, question: Question) -> str:
        return f"{len(value)} ingevuld"


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Text(),
        LongText(),
        Number(),
        Money(),
        Year(),
        Date(),
        YesNo(),
        OneChoice(),
        ManyChoices(),
        PerChoice(),
        Group(),
    )
}


# --- names and schemas built from the kinds (wizard.display and wizard.schema use them) ----------

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def item_name(group: Question, item: Mapping[str, Any]) -> str:
    """Return how one item of a repeating group is called, e.g. 'Nador (Marokko)'."""
    fields = {f.id: f for f in group.velden}

    def fill(match: re.Match[str]) -> str:
        # "{naam|programma}": the first of these fields that is filled in.
        for name in match.group(1).split("|"):
            value = item.get(name)
            if is_filled(value):
                field = fields.get(name)
                return field.kind.display(value, field) if field is not None else str(value)
        return "?"

    text = PLACEHOLDER.sub(fill, group.naam).replace(" (?)", "").strip()
    # 'Curaçao (Curaçao (Koninkrijk der Nederlanden))': the name once, with its own addition.
    repeated = re.fullmatch(r"(.+?) \((.+)\)", text)
    if repeated and repeated.group(2).casefold().startswith(repeated.group(1).casefold()):
        text = repeated.group(2)
    return text or group.label


def question_schema(question: Question) -> dict[str, Any]:
    """One question's schema: its kind's part, with title and description."""
    schema: dict[str, Any] = {"title": question.label, "description": _describe(question)}
    schema.update(question.kind.schema(question))
    return schema


def _describe(question: Question) -> str:
    text = question.uitleg
    text += f"\n\nAntwoord: {question.kind.describe(question)}."
    if question.keuzes:
        options = "; ".join(f"{c.waarde} = {c.label}" for c in question.keuzes)
        text += f"\n\nKeuzes: {options}"
    if question.bron:
        text += f"\n\nBron: {question.bron}"
    return text
