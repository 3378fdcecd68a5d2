"""The prompt front-end: one question at a time, by type. The only module that imports questionary.

A registry maps each question type to a prompt. Every prompt returns either the
answer or a navigation signal (BACK, HELP). Ctrl-C raises KeyboardInterrupt and
Ctrl-D raises EOFError; the session turns both into "saved, here is how to resume".
Input and output can be injected, so tests drive the prompts with a pipe.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from typing import Any

import questionary
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style

from wizard.display import display
from wizard.questionnaire import Question


class Nav(enum.Enum):
    BACK = "terug"
    HELP = "uitleg"


SKIP = "__overslaan__"
STYLE = Style(
    [
        ("qmark", "fg:#1f3a5f bold"),
        ("question", "bold"),
        ("answer", "fg:#1f6f3f bold"),
        ("pointer", "fg:#1f3a5f bold"),
        ("highlighted", "fg:#1f3a5f bold"),
        ("selected", "fg:#1f6f3f"),
        ("instruction", "fg:#666666 italic"),
    ]
)
TEXT_KEYS = "leeg = overslaan · ? = uitleg · < = terug"
CHOICE_KEYS = "? = uitleg · < = terug"
CHECK_KEYS = "spatie = kiezen · Enter = klaar · ? = uitleg · < = terug"


class Prompter:
    """Asks questions; holds the terminal input and output (a pipe in tests)."""

    def __init__(self, input: Input | None = None, output: Output | None = None) -> None:
        self.io: dict[str, Any] = {}
        if input is not None:
            self.io["input"] = input
        if output is not None:
            self.io["output"] = output

    # --- questions from the questionnaire -----------------------------------------

    def ask(self, question: Question, current: Any, label: str | None = None) -> Any:
        """Ask one questionnaire question; return the answer, None (skipped) or a Nav."""
        asker = _ASKERS[question.type]
        return asker(self, question, current, label or question.label)

    def _text(
        self, question: Question, current: Any, label: str, check: Callable[[str], str | None] | None = None
    ) -> Any:
        default = "" if current is None else _plain(current, question)

        def validate(text: str) -> bool | str:
            if text.strip() in ("", "?", "<") or check is None:
                return True
            return check(text.strip()) or True

        # Long texts are typed on one (wrapping) line too: Enter always finishes an answer.
        answer = questionary.text(
            label,
            default=default,
            instruction=f"({TEXT_KEYS})",
            validate=validate,
            style=STYLE,
            qmark="›",
            **self.io,
        ).unsafe_ask()
        text = (answer or "").strip()
        if text == "?":
            return Nav.HELP
        if text == "<":
            return Nav.BACK
        return text or None

    def _select(
        self,
        label: str,
        choices: Sequence[questionary.Choice],
        default: Any = None,
        instruction: str = CHOICE_KEYS,
    ) -> Any:
        values = [c.value for c in choices]
        question = questionary.select(
            label,
            choices=list(choices),
            default=default if default in values else None,
            instruction=f"({instruction})",
            style=STYLE,
            qmark="›",
            **self.io,
        )
        _navigation_keys(question)
        return question.unsafe_ask()

    def echo(self, text: str) -> None:
        output = self.io.get("output")
        if output is None:
            print(text)
        else:
            output.write(text + "\n")
            output.flush()

    # --- menus for the session --------------------------------------------------------

    def menu(self, label: str, options: Sequence[tuple[str, Any]], default: Any = None) -> Any:
        if any(value is None for _, value in options):
            raise ValueError("menu values may not be None (questionary would return the title)")
        choices = [questionary.Choice(title, value=value) for title, value in options]
        question = questionary.select(
            label,
            choices=choices,
            default=default if default in [v for _, v in options] else None,
            instruction="(pijltjes + Enter)",
            style=STYLE,
            qmark="›",
            **self.io,
        )
        _interrupt_keys(question)
        return question.unsafe_ask()

    def confirm(self, label: str, default: bool = True) -> bool:
        """Ja or nee, as a menu (questionary's own confirm only knows y/n)."""
        answer = self.menu(label, [("Ja", "ja"), ("Nee", "nee")], default="ja" if default else "nee")
        return bool(answer == "ja")

    def note(self, label: str, current: str | None) -> str | None:
        answer = questionary.text(
            label,
            default=current or "",
            instruction="(Enter = klaar · leeg = geen toelichting)",
            style=STYLE,
            qmark="›",
            **self.io,
        ).unsafe_ask()
        return (answer or "").strip() or None


def _navigation_keys(question: questionary.Question) -> None:
    """'<' goes back and '?' shows the help in select and checkbox prompts; Ctrl-D stops."""
    bindings = _bindings(question)

    @bindings.add("<", eager=True)
    def _back(event: Any) -> None:
        event.app.exit(result=Nav.BACK)

    @bindings.add("?", eager=True)
    def _help(event: Any) -> None:
        event.app.exit(result=Nav.HELP)

    _interrupt_keys(question)


def _bindings(question: questionary.Question) -> KeyBindings:
    """The key bindings of a select or checkbox prompt (a plain KeyBindings in questionary)."""
    bindings = question.application.key_bindings
    if not isinstance(bindings, KeyBindings):  # pragma: no cover - guards a questionary change
        raise TypeError("unexpected key bindings in questionary prompt")
    return bindings


def _interrupt_keys(question: questionary.Question) -> None:
    bindings = _bindings(question)

    @bindings.add("c-d", eager=True)
    def _stop(event: Any) -> None:
        event.app.exit(exception=EOFError())


def _plain(value: Any, question: Question) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if value == int(value) else f"{value}".replace(".", ",")
    return str(value)


def _number_check(question: Question) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        parsed = parse_number(question, text)
        return parsed if isinstance(parsed, str) else None

    return check


def parse_number(question: Question, text: str) -> float | int | str:
    """Return the number typed, or a Dutch message saying what is wrong."""
    cleaned = text.replace("€", "").replace(" ", "")
    if question.type == "bedrag" and "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif question.type != "bedrag":
        cleaned = cleaned.replace(".", "")
    try:
        number = float(cleaned)
    except ValueError:
        return "Typ alleen cijfers, bijvoorbeeld 25000."
    if question.type in ("getal", "jaar") and number != int(number):
        return "Typ een heel getal, zonder komma."
    low, high = question.minimum, question.maximum
    if question.type == "jaar":
        low, high = (1900 if low is None else low), (2100 if high is None else high)
    if low is not None and number < low:
        return f"Het getal moet minstens {int(low)} zijn."
    if high is not None and number > high:
        return f"Het getal mag hoogstens {int(high)} zijn."
    return int(number) if number == int(number) else number


def _ask_text(p: Prompter, question: Question, current: Any, label: str) -> Any:
    return p._text(question, current, label)


def _ask_date(p: Prompter, question: Question, current: Any, label: str) -> Any:
    def check(text: str) -> str | None:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            return "Typ de datum als JJJJ-MM-DD, bijvoorbeeld 2026-11-23."
        return None

    return p._text(question, current or dt.date.today().isoformat(), label, check)


def _ask_number(p: Prompter, question: Question, current: Any, label: str) -> Any:
    answer = p._text(question, current, label, _number_check(question))
    if answer is None or isinstance(answer, Nav):
        return answer
    return parse_number(question, answer)


def _ask_yes_no(p: Prompter, question: Question, current: Any, label: str) -> Any:
    choices = [
        questionary.Choice("Ja", value=True),
        questionary.Choice("Nee", value=False),
        questionary.Choice("(overslaan)", value=SKIP),
    ]
    answer = p._select(label, choices, SKIP if current is None else current)
    return None if answer == SKIP else answer


def _ask_choice(p: Prompter, question: Question, current: Any, label: str) -> Any:
    choices = [questionary.Choice(c.label, value=c.value) for c in question.choices]
    choices.append(questionary.Choice("(overslaan)", value=SKIP))
    answer = p._select(label, choices, SKIP if current is None else current)
    return None if answer == SKIP else answer


def _ask_choices(p: Prompter, question: Question, current: Any, label: str) -> Any:
    chosen = set(current or [])
    choices = [
        questionary.Choice(c.label, value=c.value, checked=c.value in chosen) for c in question.choices
    ]
    prompt = questionary.checkbox(
        label,
        choices=choices,
        instruction=f"({CHECK_KEYS})",
        style=STYLE,
        qmark="›",
        erase_when_done=True,  # questionary's own summary line is English; print a Dutch one
        **p.io,
    )
    _navigation_keys(prompt)
    answer = prompt.unsafe_ask()
    if isinstance(answer, Nav):
        return answer
    labels = [question.choice_label(v) for v in answer]
    p.echo(f"› {label} {', '.join(labels) if labels else '(niets gekozen)'}")
    return list(answer) or None


_ASKERS: dict[str, Callable[[Prompter, Question, Any, str], Any]] = {
    "tekst": _ask_text,
    "lange_tekst": _ask_text,
    "datum": _ask_date,
    "getal": _ask_number,
    "bedrag": _ask_number,
    "jaar": _ask_number,
    "ja_nee": _ask_yes_no,
    "keuze": _ask_choice,
    "meerkeuze": _ask_choices,
}


def shown(value: Any, question: Question) -> str:
    """A short version of an answer for overviews."""
    if value is None or value == [] or value == {}:
        return "—"
    if question.type == "groep":
        return f"{len(value)} ingevuld"
    if question.type == "per_keuze":
        return f"{len(value)} ingevuld"
    text = display(value, question).replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."
