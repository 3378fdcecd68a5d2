"""The interactive session behind `beleidsnotitie start`: the terminal front-end of the walk.

Where to go next, what is open and which findings belong to a section come from the
screen-free engine in wizard/walk.py; this module asks (through wizard/prompts.py),
prints and saves. Every answer is saved at once (atomic write, comments in the file kept).
'<' goes back, '?' shows the help, Ctrl-C or Ctrl-D stops and says how to resume;
resuming continues at the first open place, also inside a tie or a goal. After each
section its findings are shown; a review screen names what is still open and lets the
user jump to any question; questions that depend on a changed answer are asked again.
Without `--route` the session first asks which route (kort or volledig), each with the time
it takes for this answers file (wizard.walk.Walk.estimate); the choice is kept in the file. A
file begun on the short route goes on on the full route with only what is still open.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import answers as answers_mod
from wizard import questionnaire as questionnaire_mod
from wizard.answering import Answering, Options
from wizard.kinds import PROMPT_GROUP, PROMPT_PER_CHOICE, Context, Invalid
from wizard.questionnaire import FULL, ROLE_LABELS, ROUTES, SHORT, Question, Questionnaire, Section
from wizard.walk import ASSUMED_ITEMS, Place, Walk

if TYPE_CHECKING:
    from wizard import rules as rules_mod
    from wizard.lock import Lock
    from wizard.prompts import Prompter

DEFAULT_FILE = Path("antwoorden.yaml")
EXIT_STOPPED = 130
_BACK_TO_OVERVIEW = "__overzicht__"  # questionary turns a None value into the title: never use None
BLOCKING = "blokkerend"


def _say(text: str) -> None:
    from wizard.prompts import fit

    print(fit(text))


class Session:
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
    ) -> None:
        self.options = options or Options(route, workshop, rule_dirs, skip_rules)
        self.state = Answering(questionnaire, path, self.options)  # everything about the file
        self.questionnaire = questionnaire
        self.path = path
        self.prompter = prompter
        self.workshop = self.options.workshop
        self.say = say
        self._typing: Callable[[str], bool] | None = None  # keeps text typed before Ctrl-C
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

    # --- the whole session --------------------------------------------------------------

    def run(self) -> int:
        lock: Lock | None = None
        try:
            from wizard.lock import Lock, LockedError

            try:
                lock = Lock.take(self.path)
            except LockedError as exc:
                self.say(f"Fout: {exc.message}")
                self.say(f"    → {exc.hint}")
                return 2
            _stop_on_hangup()
            return self._run()
        except (KeyboardInterrupt, EOFError) as exc:
            self.say("")
            typed = getattr(exc, "typed", "").strip()
            if typed and self._typing is not None:
                if self._typing(typed):
                    self.say("Wat u aan het typen was, is ook bewaard.")
                else:
                    self.say(
                        "Let op: wat u aan het typen was, kon niet worden bewaard (het klopte nog niet)."
                    )
            self.say(f"Gestopt. Uw antwoorden zijn bewaard in {self.path}.")
            self.say(f"Verder gaan? Typ: beleidsnotitie start {self.path}")
            return EXIT_STOPPED
        finally:
            if lock is not None:
                lock.release()

    def _run(self) -> int:
        self.say("Beleidsnotitie internationale samenwerking")
        self.say("=" * 42)
        self.say(
            self._wrap(
                "U beantwoordt vragen over de drie rollen van de raad: initiëren, kaderstellen en "
                "controleren. U mag vragen overslaan en later "
                f"terugkomen. Elk antwoord wordt meteen bewaard in {self.path}.\n"
                "Bij elke vraag: ? = uitleg, < = vorige vraag. In elk menu: ? = uitleg, en < = terug "
                "waar dat onder het menu staat. Ctrl-C = stoppen (uw antwoorden blijven bewaard)."
            )
        )
        if self.workshop:
            self.say(
                self._wrap(
                    "Werksessie: bij elke vraag staat de uitleg en het nummer uit het werkblad. "
                    "Na elk deel ziet de groep eerst de aandachtspunten en schrijft daarna een toelichting."
                )
            )
        if self.state.open():
            for line in self.answers.upgraded:  # an older file, brought up to date once
                self.say(f"Let op: {line}")
            self.say(f"\nU heeft al antwoorden in {self.path}.")
            self.choose_route()
            open_count = sum(
                len(self.walker.open_items(self.answers, s)) for s in self.questionnaire.sections
            )
            self.say(f"Op deze route: {open_count} vragen of onderdelen nog open.")
            choice = self.prompter.menu(
                "Wat wilt u doen?",
                [
                    ("Verder gaan bij de eerste open vraag", "verder"),
                    ("Antwoorden bekijken en aanpassen", "overzicht"),
                    ("Het concept maken", "maak"),
                    ("Stoppen", "stop"),
                ],
            )
            if choice == "stop":
                return 0
            if choice == "maak":
                return self.finish()
            if choice == "overzicht":
                return self.review()
            self.walk(only_open=True)
        else:
            self.say(f"\nU begint een nieuw antwoordenbestand: {self.path}")
            self.choose_route()
            self.save()
            self.walk(only_open=False)
        return self.review()

    def choose_route(self) -> None:
        """Ask which route, once: not when --route chose it or the file keeps one (`route:`)."""
        estimates = self.state.estimates()
        route = self.route
        if route is None:
            what = {
                SHORT: "Kort: alleen de besluiten van de raad, voor een eerste concept",
                FULL: "Volledig: alle vragen, voor een concept dat de raad kan vaststellen",
            }
            options = [(f"{what[r]} ({_estimate_text(estimates[r])})", r) for r in ROUTES]
            assumed = sorted(
                {g for e in estimates.values() for g in e.assumed},
                key=lambda g: self.walker.position(Place(g)),
            )
            if assumed:
                names = "; ".join(self.questionnaire.by_id[g].label.lower() for g in assumed)
                self.say(
                    self._wrap(
                        f"De tijd is geschat per soort vraag. Voor {names} is gerekend met "
                        f"{ASSUMED_ITEMS} van elk, omdat u die nog niet heeft ingevuld."
                    )
                )
            route = self.prompter.menu(
                "Welke route kiest u?",
                options,
                default=self.answers.route or SHORT,
                help="Kort: de vragen waarmee de raad besluit (gemeente, aanleiding, motieven, doelen, "
                "banden, noodhulp, budget, evaluatie); de andere delen zegt het concept in één zin. "
                "Later verder op de volledige route kan altijd: dan komen alleen de vragen die nog open zijn.",
            )
        self.use_route(route)
        estimate = estimates[route]
        name = "korte" if route == SHORT else "volledige"
        self.say(f"U volgt de {name} route: {_estimate_text(estimate)}.")

    def use_route(self, route: str) -> None:
        """Walk `route` from now on, and keep the choice in the answers file."""
        self.state.use_route(route, save=self.path.exists())

    def _wrap(self, text: str, indent: str = "") -> str:
        from wizard.prompts import wrap

        return wrap(text, indent)

    # --- walking the questionnaire ------------------------------------------------------

    def walk(self, only_open: bool, start: int = 0, stop: int | None = None) -> None:
        """Ask questions in order from position `start`.

        With `only_open`, answered questions are passed by and an unfinished group item is
        entered at its first open field. '<' goes to the previous question; after going back,
        going on skips what is answered up to where the person was.
        """
        stop = len(self.flat) if stop is None else stop
        pos = start
        frontier = start if not only_open else len(self.flat)  # beyond it, ask every question
        shown_section = -1
        back_to = -1  # the question '<' went to is asked, answered or not
        while pos < stop:
            index, question = self.flat[pos]
            skip_answered = (only_open or pos < frontier) and pos != back_to
            if not self.applies(question) or (skip_answered and self._done_here(question)):
                pos += 1
                if (pos >= stop or self.flat[pos][0] != index) and shown_section == index:
                    self.section_done(index)
                continue
            if shown_section != index:
                self.section_header(index)
                shown_section = index
            result = self.ask(question, resume=skip_answered)
            if result == "back":
                previous = self.walker.previous(self.answers, Place(question.id))
                if previous is None:
                    self.say("Dit is de eerste vraag.")
                    continue
                frontier = max(frontier, pos)
                pos = back_to = self.walker.position(previous)
                only_open = False
                if self.flat[pos][0] != shown_section:
                    shown_section = -1
                continue
            frontier = max(frontier, pos + 1) if not only_open else frontier
            pos += 1
            if pos >= stop or self.flat[pos][0] != index:
                self.section_done(index)

    def _done_here(self, question: Question) -> bool:
        return not self.walker.is_open(self.answers, Place(question.id))

    def section_header(self, index: int) -> None:
        section = self.questionnaire.sections[index]
        total = len(self.questionnaire.sections)
        self.say("")
        role = ROLE_LABELS[section.role]
        place = section.title if role == section.title else f"{role} · {section.title}"
        mode = " · werksessie" if self.workshop else ""
        self.say(f"Deel {index + 1} van {total} · {place}{mode}")
        self.say("-" * min(60, _width()))
        if section.intro:
            self.say(self._wrap(section.intro))

    def section_done(self, index: int) -> None:
        section = self.questionnaire.sections[index]
        has_findings = self.show_findings(index)
        if self.workshop:
            note = self.prompter.note(
                f"Toelichting van de groep bij '{section.title}'", self.answers.notes.get(section.id)
            )
            self.state.set_note(section, note)
        if not has_findings:
            return
        choice = self.prompter.menu(
            "Wat wilt u doen?",
            [("Verder", "verder"), ("Dit deel nu aanpassen", "aanpassen")],
            help="Verder: naar het volgende deel. Dit deel nu aanpassen: kies een vraag uit dit deel "
            "om het antwoord te veranderen, zodat een aandachtspunt verdwijnt.",
        )
        if choice == "aanpassen":
            self.edit_section(section)

    def show_findings(self, index: int) -> bool:
        """Say what the check found in section `index`, with advice; False when nothing.

        Blocking findings come first and stand out (capitals and a mark), tips follow.
        """
        findings = self.state.findings_in(self.questionnaire.sections[index])
        if findings:
            self.say("")
            self.say(f"Aandachtspunten bij '{self.questionnaire.sections[index].title}':")
            for finding in findings:
                self.say(self._wrap(f"{_finding_mark(finding.severity)} {finding.message}", "  "))
                self.say(self._wrap(f"Advies: {finding.advice}", "      "))
        return bool(findings)

    def findings(self) -> list[rules_mod.Finding]:
        """The findings this route can settle (the session filters by route, once)."""
        return list(self.state.findings().shown)

    # --- one question -------------------------------------------------------------------------

    def explain(self, question: Question) -> None:
        self.say(self._wrap(f"Uitleg: {question.explanation}", "  "))
        if question.source:
            self.say(self._wrap(f"Bron: {question.source}", "  "))

    def _ask(self, question: Question, current: Any, label: str, store: Callable[[Any], None]) -> Any:
        """Ask through the prompter; a Ctrl-C while typing can still keep the typed text."""

        def keep(typed: str) -> bool:
            try:
                value = question.kind.parse(question, typed, self.context())
            except Invalid:
                return False
            store(value)
            return True

        self._typing = keep  # still set when Ctrl-C comes through: run() uses it
        result = self.prompter.ask(question, current, label, context=self.context())
        self._typing = None
        return result

    def ask(self, question: Question, resume: bool = False) -> str:
        """Ask one top-level question and save the answer; return 'next' or 'back'."""
        if question.kind.prompt == PROMPT_GROUP:
            return self.edit_group(question, resume=resume)
        if question.kind.prompt == PROMPT_PER_CHOICE:
            return self.ask_per_choice(question)
        from wizard.prompts import Nav

        if question.hint:
            self.say(self._wrap(question.hint, "  "))
        if self.workshop:
            self.explain(question)
        while True:
            current = self.answers.values.get(question.id, question.kind.suggestion(question))
            asked = self.state.choices(question)  # a main motive: only the motives chosen
            result = self._ask(asked, current, self.label(question), lambda v: self.set(question, v))
            if result is Nav.HELP:
                self.explain(question)
                continue
            if result is Nav.BACK:
                return "back"
            self.set(question, result)
            return "next"

    def ask_per_choice(self, question: Question) -> str:
        """One short text for each option chosen in the question it follows."""
        from wizard.prompts import Nav

        source = self.questionnaire.by_id[question.of or ""]
        chosen = self.answers.values.get(source.id) or []
        texts = dict(self.answers.values.get(question.id) or {})
        self.say(self._wrap(self.label(question), "  "))
        if question.hint:
            self.say(self._wrap(question.hint, "  "))
        if self.workshop:
            self.explain(question)
        position = 0
        while position < len(chosen):
            value = chosen[position]
            item = Question(
                id=question.id,
                type="tekst",
                label=f"{source.choice_label(value)}",
                explanation=question.explanation,
            )

            def store(result: Any, value: str = value) -> None:
                texts[value] = result
                self.set(question, {k: v for k, v in texts.items() if k in chosen and v})

            result = self._ask(item, texts.get(value), item.label, store)
            if result is Nav.HELP:
                self.explain(question)
                continue
            if result is Nav.BACK:
                if position == 0:
                    return "back"
                position -= 1
                continue
            if result:
                texts[value] = result
            else:
                texts.pop(value, None)
            self.set(question, {k: v for k, v in texts.items() if k in chosen})
            position += 1
        return "next"

    # --- repeating groups ------------------------------------------------------------------------

    def edit_group(self, question: Question, resume: bool = False) -> str:
        """Add, edit and remove items of a repeating group, with a short overview.

        On resume, an item that is not complete is entered at once at its first open field.
        """
        if self.workshop:
            self.explain(question)
        if resume:
            items = self.walker.items(self.answers, question)
            for index in range(len(items)):
                fields = self.walker.open_fields(self.answers, question, index)
                if fields:
                    name = self.walker.item_label(question, items[index], index)
                    self.say(f"\nU was gebleven bij {question.label.lower()}: {name}.")
                    self.edit_item(question, index, start=fields[0].field)
                    break
        while True:
            items = self.walker.items(self.answers, question)
            names = [self.walker.item_label(question, item, i) for i, item in enumerate(items)]
            self.say(f"\n{self.label(question)}: {len(items)} ingevuld")
            for number, (name, _) in enumerate(zip(names, items, strict=True), start=1):
                open_count = len(self.walker.open_fields(self.answers, question, number - 1))
                more = f" ({open_count} vragen open)" if open_count else ""
                self.say(f"  {number}. {name}{more}")
            options: list[tuple[str, Any]] = [(f"Toevoegen ({question.hint or 'nieuw item'})", ("add",))]
            options += [(f"Aanpassen: {name}", ("edit", i)) for i, name in enumerate(names)]
            options += [(f"Verwijderen: {name}", ("remove", i)) for i, name in enumerate(names)]
            options += [
                ("Klaar, volgende vraag", ("done",)),
                ("Uitleg bij deze vraag", ("help",)),
                ("Vorige vraag", ("back",)),
            ]
            choice = self.prompter.menu(
                f"{question.label}: wat wilt u doen?",
                options,
                default=("done",) if items else ("add",),
                help=f"Uitleg: {question.explanation}",
                back=("back",),
            )
            action = choice[0]
            if action == "done":
                return "next"
            if action == "back":
                return "back"
            if action == "help":
                self.explain(question)
            elif action == "add":
                items.append({})
                self._store_items(question, items)
                self.edit_item(question, len(items) - 1)
                items = self.walker.items(self.answers, question)
                if items and not any(v not in (None, "", [], {}) for v in items[-1].values()):
                    items.pop()
                    self._store_items(question, items)
            elif action == "edit":
                self.edit_item(question, choice[1])
            elif action == "remove" and self.prompter.confirm(
                f"'{names[choice[1]]}' verwijderen?", default=False
            ):
                del items[choice[1]]
                self._store_items(question, items)

    def _store_items(self, question: Question, items: list[dict[str, Any]]) -> None:
        self.state.set_items(question, items)

    def edit_item(self, question: Question, index: int, start: str | None = None) -> None:
        from wizard.prompts import Nav

        fields = list(question.fields)
        position = next((i for i, f in enumerate(fields) if f.id == start), 0)
        while position < len(fields):
            items = self.answers.values[question.id]
            item = items[index]
            field = fields[position]
            if not self.applies(field, item):
                position += 1
                continue
            name = self.walker.item_label(question, item, index)
            if self.workshop:
                self.explain(field)
            place = Place(question.id, index, field.id)

            def store(value: Any, place: Place = place) -> None:
                self.state.set(place, value)

            result = self._ask(field, item.get(field.id), f"{name} · {self.label(field)}", store)
            if result is Nav.HELP:
                self.explain(field)
                continue
            if result is Nav.BACK:
                previous = [p for p in range(position) if self.applies(fields[p], item)]
                if not previous:
                    return
                position = previous[-1]
                continue
            store(result)
            position += 1

    # --- review and jumping back ---------------------------------------------------------------

    def review(self) -> int:
        """Per section: how much is answered, what is open and what the check found; change anything."""
        while True:
            self.say("")
            self.say("Overzicht van uw antwoorden")
            self.say("=" * 27)
            totals = self.state.totals()
            self.say("Voortgang: " + ", ".join(f"{r}: {d} van {n}" for r, (d, n) in totals.items()))
            later = self.state.findings().later_text()
            if later:
                self.say(f"Daarnaast: {later}.")
            options: list[tuple[str, Any]] = [("Het concept maken", "maak")]
            for part in self.state.parts():
                section, index = part.section, part.number - 1
                if not part.asked and self.walker.route == SHORT:
                    continue  # a part off the short route: the full route asks it
                here = part.findings
                notes = f", {len(here)} aandachtspunt{'en' if len(here) != 1 else ''}" if here else ""
                notes += f" (waarvan {part.blocking} blokkerend)" if part.blocking else ""
                self.say(
                    f"  Deel {index + 1} · {section.title}: {part.answered} van "
                    f"{part.applicable} beantwoord{notes}"
                )
                open_items = part.open
                status = f"{part.status.label}."
                if open_items:
                    names = "; ".join(
                        f"{o.name} ({o.open_fields} vragen open)" if o.open_fields else o.name
                        for o in open_items[:6]
                    )
                    more = f" en nog {len(open_items) - 6}" if len(open_items) > 6 else ""
                    status += f" Nog open: {names}{more}"
                self.say(self._wrap(status, "      "))
                options.append((f"Aanpassen: deel {index + 1} · {section.title}", index))
            self.say("Kies een deel om de antwoorden te zien en aan te passen.")
            first_open = self.walker.first_open(self.answers)
            if first_open is not None:
                options.insert(1, ("Verder gaan bij de eerste open vraag", "verder"))
            if self.walker.route == SHORT:
                full = self.state.estimates()[FULL]
                if full.open:
                    options.insert(
                        2 if first_open is not None else 1,
                        (f"Verder op de volledige route ({_estimate_text(full)})", "verdiepen"),
                    )
            options += [("Stoppen (alles is bewaard)", "stop")]
            choice = self.prompter.menu(
                "Wat wilt u doen?",
                options,
                help="Kies 'Het concept maken' als u klaar bent, of een deel om antwoorden te veranderen. "
                "Stoppen kan altijd; alles is bewaard.",
            )
            if choice == "stop":
                self.say(
                    f"Uw antwoorden zijn bewaard in {self.path}. Verder gaan: beleidsnotitie start {self.path}"
                )
                return 0
            if choice == "maak":
                return self.finish()
            if choice == "verder":
                self.walk(only_open=True)
                continue
            if choice == "verdiepen":
                self.use_route(FULL)
                self.walk(only_open=True)
                continue
            self.edit_section(self.questionnaire.sections[choice])

    def edit_section(self, section: Section) -> None:
        from wizard.prompts import shown

        while True:
            self.show_findings(self.questionnaire.sections.index(section))
            applicable = [q for q in section.questions if self.applies(q)]
            options: list[tuple[str, Any]] = [
                (f"{self.label(q)}  [{shown(self.answers.values.get(q.id), q)}]", q.id) for q in applicable
            ]
            options.append(("Terug naar het overzicht", _BACK_TO_OVERVIEW))
            choice = self.prompter.menu(
                f"Welke vraag in '{section.title}' wilt u aanpassen?",
                options,
                help="Kies een vraag om het antwoord te veranderen. Tussen [ ] staat het huidige antwoord.",
                back=_BACK_TO_OVERVIEW,
            )
            if choice == _BACK_TO_OVERVIEW:
                return
            self.change(self.questionnaire.by_id[choice])

    def change(self, question: Question) -> None:
        """Ask one question again; then ask the questions that depend on it and now apply."""
        before = self.answers.values.get(question.id)
        if self.ask(question) == "back":
            return
        if self.answers.values.get(question.id) == before:
            return
        for other in self.state.dependents(question):
            self.say(f"  Deze vraag hangt af van uw antwoord: {other.label}")
            self.change(other)

    # --- the document ------------------------------------------------------------------------

    def finish(self) -> int:
        """Choose concept or definitief, write both documents beside the answers file (through the
        session and the one publish path), say what the check found and offer ODT and PDF."""
        from wizard.answering import DRAFT_KINDS
        from wizard.rules import summary

        targets = self.state.targets()
        existing = [t for t in targets if t.exists()]
        if existing:
            names = " en ".join(t.name for t in existing)
            if not self.prompter.confirm(
                f"{names} {'bestaat' if len(existing) == 1 else 'bestaan'} al. Vervangen?", default=False
            ):
                kinds = [self.state.drafter.kind(name)[0] for name in DRAFT_KINDS]
                targets = _free_names(self.path.parent, self.path.stem, kinds)
        final = self.choose_version()
        self.say("De definitieve versie wordt gemaakt ..." if final else "De concepten worden gemaakt ...")
        targets, findings = self.state.write(targets, final)
        self.say("\nKlaar:")
        for target in targets:
            self.say(f"  {target.resolve()}")
        later = self.state.findings().later_count
        if final:
            self.say(
                f"Aandachtspunten: {summary(findings)}. De definitieve versie heeft geen bijlage daarmee."
            )
        else:
            self.say(f"Aandachtspunten: {summary(findings)}. Ze staan in de laatste bijlage van de notitie.")
        if later and not final:
            self.say(
                f"Nog {later} aandachtspunten gaan over vragen van de volledige route; de bijlage vat ze "
                "per deel samen."
            )
        if any(f.severity == BLOCKING for f in findings):
            self.say("Los de blokkerende punten op voordat de notitie naar de raad gaat.")
        self.offer_open_formats(targets)
        return 0

    def choose_version(self) -> bool:
        """Ask for a concept or a definitive version; a definitive one only when nothing is
        open, or when the person accepts what is open after seeing every point."""
        choice = self.prompter.menu(
            "Welke versie wilt u maken?",
            [
                ("Concept (met de aandachtspunten als bijlage)", "concept"),
                ("Definitief (zonder aandachtspunten en zonder 'Concept')", "definitief"),
            ],
            default="concept",
        )
        if choice != "definitief":
            return False
        ready = self.state.readiness()
        if ready.ready:
            return True
        self.say("Er is nog iets open:")
        for line in ready.lines():
            self.say(f"  {line}")
        return bool(
            self.prompter.confirm(
                "Toch definitief maken? De open plekken blijven geel in het document.", default=False
            )
        )

    def offer_open_formats(self, documents: list[Path]) -> None:
        """Offer ODT and PDF (the open standards municipalities exchange), made by LibreOffice."""
        from wizard import office

        found = office.find()
        if found is None:
            self.say(f"Ook als ODT of PDF? Daarvoor is LibreOffice nodig. {office.install_hint()}")
            return
        if not self.prompter.confirm("Ook een PDF en een OpenDocument-bestand (.odt) maken?", default=False):
            self.say(f"Later kan dat ook: beleidsnotitie maak {self.path} --formaat odt,pdf")
            return
        jobs = [
            office.Job(d, (("odt", d.with_suffix(".odt")), ("pdf", d.with_suffix(".pdf")))) for d in documents
        ]
        existing = [path.name for job in jobs for _, path in job.targets if path.exists()]
        if existing and not self.prompter.confirm(
            f"{', '.join(existing)} bestaan al. Vervangen?", default=False
        ):
            self.say("De bestaande bestanden blijven zoals ze zijn.")
            return
        self.say("LibreOffice zet de concepten om ...")
        failures = office.convert(found, jobs)
        for job in jobs:
            if job.source in failures:
                self.say(f"  Niet gelukt voor {job.source.name}: {failures[job.source]}")
            else:
                for _, path in job.targets:
                    self.say(f"  {path.resolve()}")


def _stop_on_hangup() -> None:
    """A closed terminal window or a kill ends the session like Ctrl-C: saved, lock released."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


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
    return "!! BLOKKEREND:" if severity == BLOCKING else f"[{severity}]"


def _width() -> int:
    from wizard.prompts import width

    return width()


def _free_names(folder: Path, stem: str, kinds: list[Any]) -> list[Path]:
    """The first 'naam-2', 'naam-3', … under which none of the documents exists yet."""
    number = 2
    while True:
        candidates = [folder / kind.file_name(f"{stem}-{number}", "docx") for kind in kinds]
        if not any(c.exists() for c in candidates):
            return candidates
        number += 1


def run(args: argparse.Namespace) -> int:
    """`beleidsnotitie start`: refuse politely without a terminal, else run the session."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            "Fout: 'beleidsnotitie start' stelt vragen en heeft daarvoor een terminal nodig.\n"
            "    → Heeft u al een antwoordenbestand? Maak dan een concept met: beleidsnotitie maak ANTWOORDEN.yaml",
            file=sys.stderr,
        )
        return 2
    from wizard.prompts import Prompter

    session = Session(
        questionnaire_mod.load_cached(),
        args.antwoorden or DEFAULT_FILE,
        Prompter(),
        workshop=args.werksessie,
        rule_dirs=tuple(args.regels),
        skip_rules=tuple(args.zonder_regel),
        route=args.route,
    )
    return session.run()
