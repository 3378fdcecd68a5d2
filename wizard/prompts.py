"""The prompt front-end: one question at a time. The only module that imports questionary.

What to ask comes from the question's kind (`kind.prompt`, wizard.kinds); what a typed
answer means comes from the same kind's `parse`, the path an answers file takes too.
Every prompt returns the answer (None when skipped) or a navigation signal (BACK, HELP).
Ctrl-C raises `Interrupted` (a KeyboardInterrupt that carries the text being typed) and
Ctrl-D raises EOFError; the session turns both into "saved, here is how to resume".
Input and output can be injected, so tests drive the prompts with a pipe.

The screen: no colours (they vanish on projectors and dark or blue backgrounds; with
NO_COLOR set prompt_toolkit drops its own as well): the row under the cursor is one
reversed bar, ticks are marks, and errors stand directly under the question.
"""

from __future__ import annotations

import enum
import re
import shutil
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import questionary
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style

from wizard.kinds import (
    PROMPT_CHECKBOX,
    PROMPT_LONG_TEXT,
    PROMPT_SELECT,
    PROMPT_TEXT,
    Context,
    Invalid,
)
from wizard.questionnaire import Question


class Nav(enum.Enum):
    BACK = "terug"
    HELP = "uitleg"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C in a text prompt; `typed` is what stood in the box (maybe nothing)."""

    def __init__(self, typed: str = "") -> None:
        super().__init__()
        self.typed = typed


SKIP = "__overslaan__"
STYLE = Style(
    [
        ("qmark", "fg:ansidefault bold"),
        ("question", "bold"),
        ("answer", "fg:ansidefault bold"),
        ("pointer", "bold"),
        ("highlighted", "reverse bold"),
        ("selected", "bold"),
        ("instruction", ""),
        ("text", ""),
        ("validation-toolbar", "reverse"),
    ]
)
TEXT_KEYS = "Enter = klaar · leeg = overslaan · ? = uitleg · < = terug"
LONG_TEXT_KEYS = "Enter = nieuwe regel · klaar? twee keer Enter · leeg = overslaan · ? = uitleg · < = terug"
CHOICE_KEYS = "pijltjes + Enter · ? = uitleg · < = terug"
CHECK_KEYS = "spatie = aan/uit · Enter = klaar · ? = uitleg · < = terug"
MENU_KEYS = "pijltjes + Enter · ? = uitleg"
MENU_HELP = "Kies met de pijltjes ↑ en ↓ en druk op Enter. Ctrl-C stopt; uw antwoorden blijven bewaard."

# C0 and C1 control characters except tab and line break, and DEL: never to the terminal raw.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """Text as it may reach the terminal: escape sequences and control characters made harmless."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)


def width() -> int:
    """The terminal's real width (80 when unknown)."""
    return max(40, shutil.get_terminal_size((80, 24)).columns)


def wrap(text: str, indent: str = "", margin: int = 2) -> str:
    """Wrap at word boundaries to the terminal's width, keeping the line breaks of the text."""
    size = width() - margin
    lines = []
    for paragraph in text.split("\n"):
        lines.append(
            textwrap.fill(
                paragraph, size, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
            )
            if paragraph.strip()
            else ""
        )
    return "\n".join(lines)


def fit(text: str) -> str:
    """Text for the terminal: made safe, each line wrapped to the width under its own indent."""
    lines = []
    for line in safe(text).split("\n"):
        lead = line[: len(line) - len(line.lstrip(" "))]
        if len(line) <= width() - 1:
            lines.append(line)
        else:
            lines.append(
                textwrap.fill(line.strip(), width() - 1, initial_indent=lead, subsequent_indent=lead)
            )
    return "\n".join(lines)


class Prompter:
    """Asks questions; holds the terminal input and output (a pipe in tests)."""

    def __init__(self, input: Input | None = None, output: Output | None = None) -> None:
        self.io: dict[str, Any] = {}
        if input is not None:
            self.io["input"] = input
        if output is not None:
            self.io["output"] = output
        self._kept: dict[str, list[Any]] = {}  # ticks kept while the help is shown
        # "Genoteerd: …" waits for the view when `hold` is set: said only once the answer is saved
        # (not before a notice that it was not), by `noted`.
        self.hold = False
        self.held: str | None = None

    # --- questions from the questionnaire -----------------------------------------

    def ask(
        self, question: Question, current: Any, label: str | None = None, context: Context | None = None
    ) -> Any:
        """Ask one questionnaire question; return the answer, None (skipped) or a Nav."""
        asker = _ASKERS[question.kind.prompt]
        return asker(self, question, current, _label(label or question.label), context or Context.today())

    def _text(self, question: Question, current: Any, label: str, context: Context, long: bool) -> Any:
        default = "" if current is None else question.kind.edit_text(current, question)

        refused: list[str] = []  # the text last refused, while it stands unchanged

        def validate(text: str) -> bool | str:
            refused.clear()
            if text.strip() in ("", "?", "<"):
                return True
            try:
                question.kind.parse(question, text, context)
            except Invalid as exc:
                refused.append(text)
                return wrap(safe(exc.text()))  # whole words at any width
            return True

        prompt = questionary.text(
            label,
            default=default,
            instruction=_keys(LONG_TEXT_KEYS if long else TEXT_KEYS, after="\n "),
            validate=validate,
            style=STYLE,
            qmark="›",
            multiline=long,
            reserve_space_for_menu=0,
            **self.io,
        )
        _text_keys(prompt, long)
        _errors_wrap(prompt)
        _retype_after_error(prompt, refused)
        answer = prompt.unsafe_ask()
        text = (answer or "").strip()
        if text == "?":
            return Nav.HELP
        if text == "<":
            return Nav.BACK
        if not text:
            return None
        value = question.kind.parse(question, answer, context)
        from wizard.answering import understood  # the one rule of both views for "Genoteerd: …"

        noted = understood(question, value, None if long else text)
        if noted and self.hold:
            self.held = f"  {noted}"
        elif noted:
            self.echo(f"  {noted}")  # what the tool made of it: 1-12-2026 → 1 december 2026
        return value

    def _select(
        self,
        label: str,
        choices: Sequence[questionary.Choice],
        default: Any = None,
        instruction: str = CHOICE_KEYS,
    ) -> Any:
        values = [c.value for c in choices]
        prompt = questionary.select(
            label,
            choices=list(choices),
            default=default if default in values else None,
            instruction=_keys(instruction),
            style=STYLE,
            qmark="›",
            **self.io,
        )
        _one_bar(prompt, single=True)
        _navigation_keys(prompt)
        return prompt.unsafe_ask()

    def noted(self, saved: bool) -> None:
        """Say the held "Genoteerd: …" when the answer was `saved`; forget it otherwise."""
        held, self.held = self.held, None
        if held and saved:
            self.echo(held)

    def echo(self, text: str) -> None:
        text = fit(text)
        output = self.io.get("output")
        if output is None:
            print(text)
        else:
            output.write(text + "\n")
            output.flush()

    # --- menus for the session --------------------------------------------------------

    def menu(
        self,
        label: str,
        options: Sequence[tuple[str, Any]],
        default: Any = None,
        help: str = MENU_HELP,
        back: Any = None,
    ) -> Any:
        """One choice from a list; `?` shows `help` and asks again; `<` returns `back` (when given)."""
        if any(value is None for _, value in options):
            raise ValueError("menu values may not be None (questionary would return the title)")
        choices = [questionary.Choice(_title(title, 3), value=value) for title, value in options]
        keys = MENU_KEYS + (" · < = terug" if back is not None else "")
        while True:
            prompt = questionary.select(
                _label(label),
                choices=choices,
                default=default if default in [v for _, v in options] else None,
                instruction=_keys(keys),
                style=STYLE,
                qmark="›",
                **self.io,
            )
            _one_bar(prompt, single=True)
            _navigation_keys(prompt, back=back is not None)
            answer = prompt.unsafe_ask()
            if answer is Nav.HELP:
                self.echo(wrap(help, "  "))
                continue
            if answer is Nav.BACK:
                return back
            return answer

    def confirm(self, label: str, default: bool = True) -> bool:
        """Ja or nee, as a menu (questionary's own confirm only knows y/n)."""
        answer = self.menu(label, [("Ja", "ja"), ("Nee", "nee")], default="ja" if default else "nee")
        return bool(answer == "ja")

    def note(self, label: str, current: str | None) -> str | None:
        prompt = questionary.text(
            _label(label),
            default=current or "",
            instruction=_keys(f"{LONG_TEXT_KEYS.split(' · leeg')[0]} · leeg = geen toelichting", after="\n "),
            style=STYLE,
            qmark="›",
            multiline=True,
            reserve_space_for_menu=0,
            **self.io,
        )
        _text_keys(prompt, long=True)
        answer = prompt.unsafe_ask()
        return (answer or "").strip() or None


def _title(text: str, indent: int) -> str:
    """An option's text, wrapped under itself when it is wider than the screen."""
    return textwrap.fill(safe(text), max(20, width() - indent - 2), subsequent_indent=" " * indent)


class _Fitted(str):
    """A question or its keys, wrapped at word boundaries to the terminal's width *when drawn*.

    questionary puts the message into the screen with "{}".format(...) at every redraw, so
    a resized window wraps the text anew instead of breaking words ("bl / ijven").
    """

    def __new__(cls, text: str, before: str = "", indent: str = "", after: str = "") -> _Fitted:
        # As a plain string (where questionary does not format it) it is wrapped to today's width.
        fitted = super().__new__(cls, _fit_now(text, before, indent, after))
        fitted.source, fitted.before, fitted.indent, fitted.after = text, before, indent, after
        return fitted

    source: str
    before: str
    indent: str
    after: str

    def __format__(self, spec: str) -> str:
        return _fit_now(self.source, self.before, self.indent, self.after)


def _fit_now(text: str, before: str, indent: str, after: str) -> str:
    wrapped = wrap(text, indent, margin=4)
    return before + (wrapped if indent else wrapped.lstrip()) + after


def _keys(text: str, after: str = "") -> _Fitted:
    """The keys of a prompt, on their own line(s) under the question."""
    return _Fitted(f"({text})", before="\n", indent="  ", after=after)


def _label(text: str) -> _Fitted:
    return _Fitted(safe(text))


def _bindings(question: questionary.Question) -> KeyBindings:
    """The key bindings of a prompt (a plain KeyBindings in questionary)."""
    bindings = question.application.key_bindings
    if not isinstance(bindings, KeyBindings):  # pragma: no cover - guards a questionary change
        raise TypeError("unexpected key bindings in questionary prompt")
    return bindings


def _navigation_keys(question: questionary.Question, back: bool = True) -> None:
    """'<' goes back and '?' shows the help in select and checkbox prompts; Ctrl-D stops."""
    bindings = _bindings(question)

    if back:

        @bindings.add("<", eager=True)
        def _back(event: Any) -> None:
            event.app.exit(result=Nav.BACK)

    @bindings.add("?", eager=True)
    def _help(event: Any) -> None:
        event.app.exit(result=Nav.HELP)

    _interrupt_keys(question)


def _interrupt_keys(question: questionary.Question) -> None:
    bindings = _bindings(question)

    @bindings.add("c-d", eager=True)
    def _stop(event: Any) -> None:
        event.app.exit(exception=EOFError())


def _text_keys(question: questionary.Question, long: bool) -> None:
    """Enter, paste and Ctrl-C in a text box.

    A paste arrives as many keys at once. Without bracketed paste its line breaks come as
    Enter keys; while more keys are waiting, Enter is part of the paste (a space in a one-line
    answer, a line break in a long one), so a pasted text never answers the next questions.
    In a long text, Enter on an empty line (twice Enter) finishes.
    """
    from prompt_toolkit.filters import has_focus, is_done
    from prompt_toolkit.key_binding import merge_key_bindings

    app = question.application
    buffer = app.current_buffer
    bindings = KeyBindings()
    typing = has_focus(buffer) & ~is_done

    def pasting(event: Any) -> bool:
        return bool(event.key_processor.input_queue)

    @bindings.add("enter", filter=typing, eager=True)
    def _enter(event: Any) -> None:
        document = buffer.document
        text = document.text
        if pasting(event):
            buffer.insert_text("\n" if long else " ")
            return
        if long and text.strip() not in ("", "?", "<") and document.current_line.strip():
            buffer.insert_text("\n")
            return
        buffer.validate_and_handle()

    @bindings.add("c-c", filter=typing, eager=True)
    def _interrupt(event: Any) -> None:
        event.app.exit(exception=Interrupted(buffer.text))

    @bindings.add("c-d", filter=typing, eager=True)
    def _stop(event: Any) -> None:
        event.app.exit(exception=EOFError())

    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), bindings])


def _retype_after_error(question: questionary.Question, refused: list[str]) -> None:
    """After a refused answer the next typed text starts a new answer: without this,
    '28 duizend' stayed and typing went on behind it ('28 duizend28.500'). Deleting or moving
    the cursor first edits the refused text instead."""
    buffer = question.application.current_buffer

    def inserted(_: Any) -> None:
        if not refused:
            return
        before = refused.pop()
        text = buffer.text
        if text.startswith(before) and len(text) > len(before) and buffer.cursor_position == len(text):
            buffer.text = text[len(before) :]
            buffer.cursor_position = len(buffer.text)

    buffer.on_text_insert += inserted


def _errors_wrap(question: questionary.Question) -> None:
    """The error under a prompt shows whole (prompt_toolkit gives it one line, cut at the edge)."""
    from prompt_toolkit.filters import to_filter
    from prompt_toolkit.layout import Window

    for window in question.application.layout.find_all_windows():
        text = getattr(window.content, "text", None)
        if isinstance(window, Window) and "ValidationToolbar" in getattr(text, "__qualname__", ""):
            window.height = None
            window.wrap_lines = to_filter(True)
        elif isinstance(window, Window) and window.style == "class:bottom-toolbar":  # tick lists
            window.wrap_lines = to_filter(True)


def _one_bar(question: questionary.Question, single: bool) -> None:
    """One reversed bar on the row under the cursor, whether that row is ticked or not.

    questionary colours the stored answer and the cursor row differently, so Enter seemed to
    pick another row than it did. In a single choice the stored answer only sets where the
    cursor starts; in a tick list the marks (● / ○) show what is ticked.
    """
    from prompt_toolkit.layout import Window

    control: Any = None
    for window in question.application.layout.find_all_windows():
        if isinstance(window, Window) and hasattr(window.content, "selected_options"):
            control = window.content
    if control is None:  # pragma: no cover - guards a questionary change
        return
    if single:
        control.selected_options = []
    original = control.text

    def tokens() -> list[tuple[str, str]]:
        result: list[tuple[str, str]] = []
        row: list[tuple[str, str]] = []
        for style, text, *_rest in original():
            row.append((style, text))
            if text == "\n":
                if any(s == "[SetCursorPosition]" for s, _ in row):
                    row = [
                        (s if s == "[SetCursorPosition]" or t == "\n" else f"{s} class:highlighted", t)
                        for s, t in row
                    ]
                result += row
                row = []
        return result + row

    control.text = tokens


def _ask_text(p: Prompter, question: Question, current: Any, label: str, context: Context) -> Any:
    return p._text(question, current, label, context, long=False)


def _ask_long_text(p: Prompter, question: Question, current: Any, label: str, context: Context) -> Any:
    return p._text(question, current, label, context, long=True)


def _ask_select(p: Prompter, question: Question, current: Any, label: str, context: Context) -> Any:
    options = question.kind.options(question)
    choices = [questionary.Choice(_title(title, 3), value=value) for title, value in options]
    choices.append(questionary.Choice("(overslaan)", value=SKIP))
    # The cursor starts on the stored answer, or on the first real option.
    answer = p._select(label, choices, options[0][1] if current is None else current)
    return None if answer == SKIP else answer


def _ask_checkbox(p: Prompter, question: Question, current: Any, label: str, context: Context) -> Any:
    chosen = set(p._kept.pop(question.key, None) or current or [])
    choices = [
        questionary.Choice(_title(title, 5), value=value, checked=value in chosen)
        for title, value in question.kind.options(question)
    ]

    def validate(values: list[Any]) -> bool | str:
        try:
            question.kind.parse(question, list(values), context)
        except Invalid as exc:
            return wrap(safe(exc.text()))  # whole words at any width
        return True

    prompt = questionary.checkbox(
        label,
        choices=choices,
        instruction=_keys(CHECK_KEYS),
        validate=validate,
        style=STYLE,
        qmark="›",
        erase_when_done=True,  # questionary's own summary line is English; print a Dutch one
        **p.io,
    )
    _one_bar(prompt, single=False)
    _errors_wrap(prompt)
    control = next(
        w.content
        for w in prompt.application.layout.find_all_windows()
        if hasattr(w.content, "selected_options")
    )
    bindings = _bindings(prompt)

    @bindings.add("<", eager=True)
    def _back(event: Any) -> None:
        event.app.exit(result=Nav.BACK)

    @bindings.add("?", eager=True)
    def _help(event: Any) -> None:
        p._kept[question.key] = list(control.selected_options)  # the ticks survive the help
        event.app.exit(result=Nav.HELP)

    _interrupt_keys(prompt)
    answer = prompt.unsafe_ask()
    if isinstance(answer, Nav):
        return answer
    value = question.kind.parse(question, list(answer), context)
    shown = question.kind.display(value, question) if value else "(niets gekozen)"
    p.echo(f"› {label} {shown}")
    return value


_ASKERS: dict[str, Callable[[Prompter, Question, Any, str, Context], Any]] = {
    PROMPT_TEXT: _ask_text,
    PROMPT_LONG_TEXT: _ask_long_text,
    PROMPT_SELECT: _ask_select,
    PROMPT_CHECKBOX: _ask_checkbox,
}


def shown(value: Any, question: Question) -> str:
    """A short version of an answer for overviews."""
    if value is None or value == [] or value == {}:
        return "—"
    return safe(question.kind.summary(value, question))
