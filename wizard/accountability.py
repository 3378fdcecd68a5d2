"""The answering session's profile for a verantwoording (the role controleren).

An answers file that names its framework (`kader:` at the top) is a verantwoording: it answers
`questions/verantwoording.yaml`. The one answering session (wizard/answering.py) walks it with
this profile instead of the framework's: the facts come from `evaluation.derive` with the
framework's answers and the earlier periods of the same framework (the files beside it that
name the same `kader:`), the findings from the control rules (rules/verantwoording/), the
documents from `evaluation_doc` (the evaluation note and its raadsvoorstel), written through
the one publish path. The views (terminal and browser) stay the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wizard import answers as answers_mod
from wizard import evaluation
from wizard.errors import DataError, Problem
from wizard.questionnaire import Questionnaire
from wizard.rules import Finding, RuleSet

KINDS = ("evaluatie", "evaluatieraadsvoorstel")
# Answers the session never asks (they link the file to its framework; `verantwoord` sets them).
NEVER_ASKED = (evaluation.FRAMEWORK_KEY, evaluation.FINGERPRINT_KEY)
# Fields that say which goal or tie an item is: shown, never changed in a session.
IDENTITY = {evaluation.GOALS: ("omschrijving",), evaluation.TIES: ("partner", "land")}
_KADER_LINE = re.compile(r"^kader:[ \t]*\S", re.MULTILINE)
# What a file that does not load still shows of itself: the framework it names and its year.
# (Each allows the carriage return of Windows line ends before the end of its line.)
# (A YAML anchor or tag before the value, `kader: &k naam.yaml`, `kader: !!str naam.yaml`, is passed over.)
_KADER_NAME = re.compile(
    r"""^kader:[ \t]*(?:[&!][^ \t\r\n]*[ \t]+)*["']?([^"'#\r\n]*?)["']?[ \t]*(?:#[^\r\n]*)?\r?$""",
    re.MULTILINE,
)
_YEAR_LINE = re.compile(
    r"^jaar:[ \t]*([\"']?)(\d{4})\1[ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE
)  # the whole value
# As much as an answers file may hold (yamlsource.MAX_BYTES): a long comment above `kader:` must
# not hide it (a file beside the framework would then silently not count).
_PEEK = 5 * 1024 * 1024


def _head(path: Path) -> str:
    """The start of a file as text, in the encodings an answers file may have (UTF-16 from
    Notepad's 'Unicode' too); whatever cannot be read is replaced, never refused here."""
    from wizard import yamlsource
    from wizard.errors import DataError

    try:
        with path.open("rb") as file:
            raw = file.read(_PEEK)
    except OSError:
        return ""
    try:
        return yamlsource.decode(raw, path).text
    except DataError:  # cut off inside a character, or not text: read what can be read
        return raw.decode("utf-8", errors="replace")


def is_accountability(path: Path) -> bool:
    """Whether an answers file is a verantwoording: it has a top-level `kader:` line."""
    return _KADER_LINE.search(_head(path)) is not None


def unreadable_note(path: Path, framework: Path, year: int, problems: Sequence[Problem]) -> str | None:
    """The Dutch line for a verantwoording beside the framework that does not load: which file,
    which line, what is wrong and what to do. None when its own lines show that it is no earlier
    year of this framework (another framework, or this year or later): it would not count anyway.

    A file whose `kader:` or `jaar:` cannot be read at all is not taken for an earlier year of
    this framework: the line says so, and what to put there."""
    head = _head(path)
    named = _KADER_NAME.search(head)
    name = named.group(1).strip() if named is not None else ""
    try:
        elsewhere = bool(name) and (path.parent / name).resolve() != framework.resolve()
    except (OSError, ValueError):  # no name a path can have (a NUL byte, far too long): unreadable
        name, elsewhere = "", False
    if elsewhere:
        return None  # another framework's verantwoording
    found = _YEAR_LINE.search(head)
    other_year = int(found.group(2)) if found is not None else None
    if other_year is not None and other_year >= year:
        return None
    first = problems[0] if problems else Problem("het bestand kan niet worden gelezen.")
    where = f"{path.name}, regel {first.line}" if first.line is not None else path.name
    more = len(problems) - 1
    rest = (
        f" Er {'is' if more == 1 else 'zijn'} nog {more} {'fout' if more == 1 else 'fouten'}; "
        f"'beleidsnotitie evaluatie {path.name}' noemt ze allemaal."
        if more
        else ""
    )
    said = f"In {where}: {first.message}{' ' + first.hint if first.hint else ''}{rest}"
    if not name or other_year is None:
        return _unknown_note(path, framework, year, not name, other_year is None, said)
    return (
        f"de verantwoording over {other_year} telt nu niet mee, want het bestand klopt niet. {said} "
        "Herstel het bestand in een teksteditor en open deze verantwoording daarna opnieuw."
    )


def _unknown_note(
    path: Path, framework: Path, year: int, no_framework: bool, no_year: bool, said: str = ""
) -> str:
    """A file beside the framework that looks like a verantwoording, but whose framework or year
    cannot be read: it is left out (it is not taken for an earlier year), and the line says what
    to put at the top if it does belong to this framework."""
    what = " en ".join(
        part
        for part, missing in (
            ("bij welk kader het hoort", no_framework),
            ("over welk jaar het gaat", no_year),
        )
        if missing
    )
    lines = " en ".join(
        line
        for line, missing in (
            (f"'kader: {framework.name}'", no_framework),
            (
                f"'jaar:' met het jaar waarover het gaat, in cijfers (bijvoorbeeld 'jaar: {year - 1}')",
                no_year,
            ),
        )
        if missing
    )
    why = "het bestand klopt niet, en er staat niet leesbaar in" if said else "er staat niet in"
    return (
        f"{path.name} telt niet mee als eerder jaar van dit kader: {why} {what}. {said + ' ' if said else ''}"
        f"Hoort het bij dit kader, zorg dan dat bovenaan {lines} staat. Herstel het bestand in een teksteditor en "
        "open deze verantwoording daarna opnieuw."
    )


class Writer:
    """What publish needs of a drafter to write an evaluation draft (its blocks and meta)."""

    house_style = None

    def write(self, draft: Any) -> bytes:
        from wizard import wordwriter

        return wordwriter.write(draft.blocks, draft.meta, None)


class Accountability:
    """How a session runs a verantwoording: its questionnaire, facts, rules and documents."""

    name = "verantwoording"
    kinds = KINDS
    sources = evaluation.SOURCES
    route = "volledig"  # the verantwoording has one route
    never_asked = NEVER_ASKED
    identity = IDENTITY

    def __init__(self, rule_dirs: Sequence[Path] = (), skip_rules: Sequence[str] = ()) -> None:
        self.framework_questionnaire, self.questionnaire = evaluation.questionnaires()
        self.rule_dirs, self.skip_rules = tuple(rule_dirs), tuple(skip_rules)
        self._rules: RuleSet | None = None
        self.path: Path | None = None
        self.framework_path: Path | None = None
        self.framework = answers_mod.Answers()
        self.earlier: list[evaluation.Period] = []
        self.notices: list[str] = []  # earlier periods beside the framework that do not load
        self.writer = Writer()

    @property
    def rules(self) -> RuleSet:
        if self._rules is None:
            self._rules = evaluation.load_rules(self.questionnaire, self.rule_dirs).without(self.skip_rules)
        return self._rules

    # --- the framework and the earlier periods ------------------------------------------

    def bind(self, path: Path, answers: answers_mod.Answers) -> None:
        """Read the framework this file names and the earlier periods beside it.
        DataError (in Dutch) when the framework is missing or the file does not fit it."""
        self.path = path
        target = evaluation.framework_of(path, answers)
        if target is None or not target.is_file():
            named = answers.values.get(evaluation.FRAMEWORK_KEY)
            raise DataError(
                [
                    Problem(
                        f"het kader '{named or ''}' is niet gevonden.",
                        file=path,
                        field=evaluation.FRAMEWORK_KEY,
                        hint="Zet bij 'kader:' de naam van het antwoordenbestand van het kader, vanuit de map "
                        "van deze verantwoording (bijvoorbeeld 'kader: mijn-gemeente.yaml').",
                    )
                ]
            )
        self.framework_path = target
        self.framework = answers_mod.load(target, self.framework_questionnaire)
        earlier = self._earlier(path, target, evaluation._year(answers.values))
        # The same check as `evaluatie`: every period fits the framework as it is now.
        problems = evaluation.check_link(self.framework.values, [*earlier, evaluation.Period(path, answers)])
        if problems:
            raise DataError(problems)
        self.earlier = self._derived(earlier)

    def _earlier(self, path: Path, framework: Path, year: int | None) -> list[evaluation.Period]:
        """The verantwoordingen of the same framework over earlier years, in order. A file that
        does not load is left out, and said in `notices` (the session goes on with this year)."""
        found: list[evaluation.Period] = []
        self.notices = []
        if year is None:
            return found
        for other in sorted(path.parent.glob("*.yaml")):
            if other.resolve() in {path.resolve(), framework.resolve()} or not is_accountability(other):
                continue
            try:
                answers = answers_mod.load(other, self.questionnaire)
            except DataError as exc:
                note = unreadable_note(other, framework, year, exc.problems)
                if note is not None:
                    self.notices.append(note)
                continue
            named = evaluation.framework_of(other, answers)
            other_year = evaluation._year(answers.values)
            if named is None or named.resolve() != framework.resolve():
                continue
            if other_year is None:  # this framework's, but over no year: not taken for an earlier one
                self.notices.append(_unknown_note(other, framework, year, False, True))
                continue
            if other_year < year:
                found.append(evaluation.Period(other, answers))
        found.sort(key=lambda p: p.year or 0)
        return found

    def _derived(self, periods: list[evaluation.Period]) -> list[evaluation.Period]:
        before: list[evaluation.Values] = []
        for period in periods:
            period.values = evaluation.derive(period.answers.values, self.framework.values, before)
            period.findings = self.evaluate(period.values)
            before.append(period.answers.values)
        return periods

    # --- facts, findings, documents ---------------------------------------------------------

    def derive(self, answers: answers_mod.Answers) -> dict[str, Any]:
        earlier = [p.answers.values for p in self.earlier]
        return evaluation.derive(answers.values, self.framework.values, earlier)

    def evaluate(self, values: dict[str, Any], rule_set: RuleSet | None = None) -> list[Finding]:
        from wizard import rules as rules_mod

        return rules_mod.evaluate(
            rule_set or self.rules,
            values,
            self.questionnaire,
            amounts=evaluation.AMOUNT_FACTS,
            counts=evaluation.COUNT_FACTS,
            years=evaluation.YEAR_FACTS,
        )

    def evaluation(self, answers: answers_mod.Answers) -> evaluation.Evaluation:
        """The evaluation `evaluatie` makes of the earlier periods and this one."""
        values = self.derive(answers)
        now = evaluation.Period(self.path, answers, values, self.evaluate(values))
        return evaluation.Evaluation(
            self.framework_path,
            self.framework,
            self.framework_questionnaire,
            self.questionnaire,
            [*self.earlier, now],
        )

    def drafts(self, answers: answers_mod.Answers, kinds: Sequence[str], final: bool = False) -> list[Any]:
        from wizard import evaluation_doc

        return list(evaluation_doc.drafts(self.evaluation(answers), kinds, final=final))

    def readiness(self, drafts: Sequence[Any]) -> Any:
        from wizard import evaluation_doc

        return evaluation_doc.readiness_of(drafts)


def for_path(
    path: Path, rule_dirs: Sequence[Path] = (), skip_rules: Sequence[str] = ()
) -> Accountability | None:
    """The profile of an answers file: a verantwoording's, or None for a framework's."""
    return Accountability(rule_dirs, skip_rules) if is_accountability(path) else None


def questionnaire_of(profile: Accountability | None) -> Questionnaire:
    from wizard import questionnaire as questionnaire_mod

    return profile.questionnaire if profile is not None else questionnaire_mod.load_cached()
