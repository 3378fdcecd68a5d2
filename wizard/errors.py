"""Problems in user data, reported to people in Dutch, all at once.

Every loader collects `Problem`s instead of stopping at the first one and raises a
single `DataError` at the end. The CLI prints them and exits with status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

EXIT_DATA_ERROR = 2


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
            place.append(str(self.file))
        if self.line is not None:
            place.append(f"regel {self.line}")
        head = ", ".join(place)
        if self.field:
            head = f"{head} – {self.field}" if head else self.field
        text = f"{head}: {self.message}" if head else self.message
        if self.hint:
            text += f"\n    → {self.hint}"
        return text


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
        return self.message + (f"\n    → {self.hint}" if self.hint else "")


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
