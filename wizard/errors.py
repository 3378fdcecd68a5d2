"""Problems in user data, reported to people in Dutch, all at once.

Every loader collects `Problem`s instead of stopping at the first one and raises a
single `DataError` at the end. The CLI prints them and exits with status 2.

Exit statuses (the one home of these numbers; the README lists them for users):
0 done, 1 findings at or above the threshold (`toets`) or differences (`vergelijk`),
2 a problem with the input, 3 a missing program or a problem of the computer
(LibreOffice absent, a file open in Word, a folder that cannot be written),
4 an internal error (a bug: the details go to a log file).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_DATA_ERROR = 2
EXIT_ENVIRONMENT = 3
EXIT_INTERNAL = 4


# Characters that would act on a terminal instead of showing: C0 and C1 controls (ESC starts an
# escape sequence, BEL rings, NUL and CR hide text), DEL, and the bidirectional overrides and
# isolates that turn text around (a file name could then read as something else).
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_HIDDEN_NOT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def visible(text: str) -> str:
    """A name or a value from input as it may be printed: every control character written
    out (ESC as \\x1b, a line break as \\n), so a file name or a key cannot clear the screen,
    ring, hide text or pose as a line of the tool's own output."""
    return _HIDDEN.sub(_shown, text)


def visible_lines(text: str) -> str:
    """The same for a text the tool composed, whose own line breaks stay line breaks."""
    return _HIDDEN_NOT_NEWLINE.sub(_shown, text)


@dataclass(frozen=True)
class Problem:
    """One thing that is wrong: what, where (file, line, field) and what to do."""

    message: str
    file: Path | str | None = None
    line: int | None = None
    field: str | None = None
    hint: str | None = None

    def format(self) -> str:
        """Return the problem as one or two lines of Dutch text."""
        place = []
        if self.file is not None:
            place.append(visible(str(self.file)))
        if self.line is not None:
            place.append(f"regel {self.line}")
        head = ", ".join(place)
        if self.field:
            field = visible(self.field)
            head = f"{head} – {field}" if head else field
        text = f"{head}: {self.message}" if head else self.message
        if self.hint:
            text += f"\n    → {self.hint}"
        return visible_lines(text)


@dataclass
class DataError(Exception):
    """One or more problems in a data file; the tool cannot go on with it."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.format() for p in self.problems)


class UserError(Exception):
    """A problem with how the tool was called (paths, options): one Dutch sentence."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def format(self) -> str:
        return visible_lines(self.message + (f"\n    → {self.hint}" if self.hint else ""))


class EnvironmentProblem(UserError):
    """Not the user's input but the computer: a missing program, a file locked by another
    program, a folder that cannot be written. Exit status 3."""


class Collector:
    """Gathers problems while a file is checked; `raise_if_any` ends the check."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(list(self.problems))


def suggest(word: str, options: Iterable[str]) -> str | None:
    """Return a 'did you mean' hint for a near miss, or None."""
    import difflib

    matches = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    if matches:
        return f"Bedoelt u '{matches[0]}'?"
    return None


def print_problems(problems: Iterable[Problem], after: str = "") -> None:
    """Print every problem to stderr, each with its place and what to do."""
    problems = list(problems)
    count = "is 1 probleem" if len(problems) == 1 else f"zijn {len(problems)} problemen"
    print(f"Er {count} gevonden{'; ' + after if after else ''}:", file=sys.stderr)
    for problem in problems:
        print("- " + problem.format().replace("\n", "\n  "), file=sys.stderr)


def log_exception(exc: BaseException) -> Path | None:
    """Append the technical details of an unexpected error to fouten.log in the user's
    cache folder; return where, or None when it could not be written."""
    import datetime as dt
    import traceback

    from wizard.userdirs import cache_folder  # not wizard.cache: it imports this module

    path = cache_folder() / "fouten.log"
    details = "".join(traceback.format_exception(exc))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8", errors="replace") as stream:
            stream.write(f"--- {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')} ---\n{details}\n")
    except OSError:
        return None
    return path


def internal_message(exc: BaseException) -> str:
    """The message for a true bug: what happened, and where the details were logged."""
    logged = log_exception(exc)
    where = f"De details staan in {logged}." if logged else "Probeer het opnieuw met --debug voor de details."
    return (
        f"er ging iets onverwachts mis in de tool ({type(exc).__name__}). {where}\n"
        "    → Stuur dat bestand naar de beheerder; probeer het intussen met --debug."
    )
