"""The terminal's view of one answering session: the state it shows and how it speaks.

`start` runs a Session (wizard/session.py) built from three parts: this base (the state,
which is the answering session's in wizard/answering.py, and how the terminal says things),
the asking (wizard/session_ask.py) and the end with the documents (wizard/session_end.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import answers as answers_mod
from wizard.answering import Answering, Conflict, Options
from wizard.kinds import Context, Invalid
from wizard.questionnaire import FULL, Question, Questionnaire, Section
from wizard.severity import Severity
from wizard.walk import Place, Walk

if TYPE_CHECKING:
    from wizard import rules as rules_mod
    from wizard.accountability import Accountability
    from wizard.prompts import Prompter

BLOCKING = Severity.BLOCKING


def _say(text: str) -> None:
    from wizard.prompts import fit

    print(fit(text))


class TerminalView:
    def __init__(
        self,
        questionnaire: Questionnaire,
        path: Path,
        prompter: Prompter,
        *,
        workshop: bool = False,
        rule_dirs: tuple[Path, ...] = (),
        skip_rules: tuple[str, ...] = (),
        say: Callable[[str], None] = _say,
        route: str | None = FULL,
        options: Options | None = None,
        profile: Accountability | None = None,
    ) -> None:
        self.options = options or Options(route, workshop, rule_dirs, skip_rules)
        # everything about the file; a verantwoording's profile brings its own questionnaire
        self.state = Answering(questionnaire, path, self.options, profile=profile)
        questionnaire = self.state.questionnaire
        self.questionnaire = questionnaire
        self.path = path
        self.prompter = prompter
        self.workshop = self.options.workshop
        self.say = say
        self._typing: Callable[[str], bool] | None = None  # keeps text typed before Ctrl-C
        self.reaching = False  # changing a part: questions of the full route its findings read are offered
        self._unsaved: tuple[str, Any] | None = None  # an answer the file refused (NotSaved): offered again
        from wizard.worksheet import question_numbers

        self.numbers = question_numbers(questionnaire)

    # --- the state is the answering session's (wizard/answering.py) --------------------

    @property
    def answers(self) -> answers_mod.Answers:
        return self.state.answers

    @answers.setter
    def answers(self, value: answers_mod.Answers) -> None:
        self.state.answers = value

    @property
    def walker(self) -> Walk:
        return self.state.walk

    @property
    def flat(self) -> list[tuple[int, Question]]:
        return self.state.walk.order

    @property
    def route(self) -> str | None:
        return self.state.route

    @property
    def rules(self) -> rules_mod.RuleSet:
        return self.state.rules

    def save(self) -> None:
        self.state.save()

    def set(self, question: Question, value: Any) -> None:
        self.state.set(Place(question.id), value)

    def context(self) -> Context:
        return self.state.context()

    def applies(self, question: Question, item: dict[str, Any] | None = None) -> bool:
        return self.state.applies(question, item)

    def label(self, question: Question, text: str | None = None) -> str:
        """The label as asked; in a werksessie with its number from the werkblad ("4.2")."""
        text = text or question.label
        return f"{self.numbers[question.key]} {text}" if self.workshop else text

    def _wrap(self, text: str, indent: str = "") -> str:
        from wizard.prompts import wrap

        return wrap(text, indent)

    def findings(self) -> list[rules_mod.Finding]:
        """The findings this route can settle (the session filters by route, once)."""
        return list(self.state.findings().shown)

    def explain(self, question: Question) -> None:
        self.say(self._wrap(f"Uitleg: {question.uitleg}", "  "))
        if question.bron:
            self.say(self._wrap(f"Bron: {question.bron}", "  "))

    # --- hand edits of the file while the walk runs (Answering.refresh, check_fresh) -----------

    def look(self) -> int:
        """Take in what was changed in the answers file by hand since (as every web page does),
        so that the coming question shows the answer the file holds now; the revision it is
        shown at, for `fresh`."""
        self.state.refresh()
        return self.state.revision

    def fresh(
        self, question: Question, key: str, value: Any, seen: int, store: Callable[[Any], None]
    ) -> bool:
        """Store `value` for `key` (`store(value)`) unless that answer was changed in the file
        by hand after revision `seen`: then say what the file holds now and what was typed, and
        return False, so the view asks again with the file's answer (nothing is written over).
        A save the file refuses (NotSaved: broken, being written, changed in the same moment) is
        said too and also False: the walk goes on."""
        self._unsaved = None
        with self.state.lock:
            try:
                self.state.check_fresh({key: value}, seen)
            except Conflict as conflict:
                self._noted(False)  # not "Genoteerd" before "niet bewaard"
                self._changed_by_hand(question, conflict.changed.get(key), value)
                return False
            try:
                store(value)
            except answers_mod.NotSaved as exc:
                self._noted(False)
                self.refused(
                    exc,
                    "De vraag komt opnieuw. Klopt het bestand niet meer? Herstel het eerst in uw "
                    "teksteditor en sla het op. Druk daarna op Enter om uw antwoord te bewaren.",
                )
                self._unsaved = (key, value)
                return False
        self._noted(True)
        return True

    def _noted(self, saved: bool) -> None:
        noted = getattr(self.prompter, "noted", None)  # the terminal's prompter (not a test script)
        if noted is not None:
            noted(saved)

    def refused(self, exc: answers_mod.NotSaved, then: str) -> None:
        """Say why the file refused a save (the hints speak of a web page: the terminal says its
        own, `then`)."""
        for problem in exc.problems:
            self.say(self._wrap(f"Let op: {dataclasses.replace(problem, hint=None).format()}", "  "))
        self.say(self._wrap(then, "  "))

    def offered(self, key: str, current: Any) -> Any:
        """The default of the question for `key`: the answer the file just refused (it is not
        lost while the person repairs the file), else `current`."""
        unsaved, self._unsaved = self._unsaved, None
        return unsaved[1] if unsaved is not None and unsaved[0] == key else current

    def stale(self, key: str, value: Any, seen: int) -> bool:
        """Whether the answer under `key` was changed in the file by hand after `seen` (quietly)."""
        try:
            self.state.check_fresh({key: value}, seen)
        except Conflict:
            return True
        return False

    def _changed_by_hand(self, question: Question, newer: Any, typed: Any) -> None:
        from wizard.prompts import shown

        def said(value: Any) -> str:
            text = shown(value, question) if not question.kind.has_fields else ""
            return "(leeg)" if text in ("", "—") else text

        self.say("")
        self.say(
            self._wrap(
                f"Let op: het antwoord op '{question.label}' is intussen in het bestand zelf veranderd "
                f"(buiten dit programma), in: {said(newer)}. Uw antwoord is daarom nog niet bewaard. "
                f"U gaf: {said(typed)}. De vraag komt opnieuw, met het antwoord uit het bestand. Wilt u uw "
                "eigen antwoord? Geef het dan opnieuw. Druk op Enter om het antwoord uit het bestand te houden.",
                "  ",
            )
        )

    def _ask(
        self,
        question: Question,
        current: Any,
        label: str,
        store: Callable[[Any], None],
        seen: int | None = None,
        key: str | None = None,
    ) -> Any:
        """Ask through the prompter; a Ctrl-C while typing can still keep the typed text (not
        when that answer was changed in the file by hand after revision `seen`)."""

        def keep(typed: str) -> bool:
            try:
                value = question.kind.parse(question, typed, self.context())
            except Invalid:
                return False
            if seen is not None and self.stale(key or question.id, value, seen):
                return False
            try:
                store(value)
            except answers_mod.NotSaved:
                return False
            return True

        self._typing = keep  # still set when Ctrl-C comes through: run() uses it
        if hasattr(self.prompter, "hold"):
            self.prompter.hold = True  # "Genoteerd: …" waits until fresh() knows it is saved
            self.prompter.held = None
        result = self.prompter.ask(question, current, label, context=self.context())
        self._typing = None
        return result

    # --- what the session itself shows (wizard/session.py) ---------------------------------

    def edit_section(self, section: Section) -> None:
        raise NotImplementedError

    def section_header(self, index: int) -> None:
        raise NotImplementedError

    def section_done(self, index: int) -> None:
        raise NotImplementedError


def _estimate_text(estimate: Any) -> str:
    """'nog 20 vragen, ongeveer 12 tot 19 minuten'; 'alles beantwoord' when nothing is open."""
    if not estimate.open:
        return f"alle {estimate.questions} vragen beantwoord"
    low, high = estimate.minutes
    many = "vraag" if estimate.open == 1 else "vragen"
    already = f" van {estimate.questions}" if estimate.open != estimate.questions else ""
    return f"nog {estimate.open}{already} {many}, ongeveer {low} tot {high} minuten"


def _finding_mark(severity: str) -> str:
    """Blocking findings stand out without colour; tips read quietly."""
    return Severity(severity).mark


def _width() -> int:
    from wizard.prompts import width

    return width()
