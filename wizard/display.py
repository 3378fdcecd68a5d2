"""How answers read for a person: choice labels, Dutch numbers and amounts, names of group items.

Small and free of heavy imports, because the wizard needs it before its first question.
"""

from __future__ import annotations

from typing import Any

from wizard.conditions import is_filled
from wizard.kinds import PLACEHOLDER, format_euro, format_number, item_name
from wizard.questionnaire import Question

__all__ = ["PLACEHOLDER", "item_name"]  # their home is wizard.kinds (no import back from there)


def display(value: Any, question: Question | None) -> str:
    """Return a value as a person reads it: choice labels, Dutch numbers, lists joined."""
    if question is not None:
        return question.kind.display(value, question)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list | tuple):
        return ", ".join(display(v, None) for v in value)
    if isinstance(value, int | float):
        return number(value)
    return str(value)


euro = format_euro
number = format_number


def answer_text(value: Any, question: Question) -> str | None:
    """A whole answer as one line for a reader, or None when it is not given.

    Groups list their items by name; a text per choice reads "Label: text; …".
    """
    if not is_filled(value):
        return None
    return question.kind.display(value, question) or None


def dutch_list(parts: list[str]) -> str:
    """'a', 'a en b', 'a, b en c': how a Dutch sentence lists things."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


_NUMBER_WORDS = (
    "nul",
    "één",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
)


def in_words(value: Any) -> str:
    """Small whole numbers in words, as Dutch style wants in running text ('drie doelen');
    larger numbers in digits."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(_NUMBER_WORDS):
        return _NUMBER_WORDS[value]
    return number(value) if isinstance(value, int | float) else str(value)


def lower_first(text: str) -> str:
    """Lower the first letter of a label for use inside a sentence, without breaking words:
    'Eén organisatie' becomes 'één organisatie', an abbreviation such as 'EU' stays."""
    if text.startswith("Eén"):
        return "één" + text[3:]
    first_word = text.split(" ", 1)[0]
    if any(c.isdigit() for c in first_word) or any(c.isupper() for c in first_word[1:]):
        return text  # a name such as Giro555 or VNG
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text
