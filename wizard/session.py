"""The interactive session behind `beleidsnotitie start`: the terminal front-end of the walk.

Everything about the answers file (route, what is open, findings per part and per route,
statuses, saving, documents) comes from the answering session in wizard/answering.py, the
same one the browser shows; this module and session_view/session_ask/session_end only ask
(through wizard/prompts.py) and print. Every answer is saved at once (atomic write, comments
in the file kept).
'<' goes back, '?' shows the help, Ctrl-C or Ctrl-D stops and says how to resume;
resuming continues at the first open place, also inside a tie or a goal. After each
section its findings are shown; a review screen names what is still open and lets the
user jump to any question; questions that depend on a changed answer are asked again.
Without `--route` and without `route:` in the file the session first asks which route (kort or
volledig), each with the time it takes for this answers file; the choice is kept in the file,
so it is asked once. A
file begun on the short route goes on on the full route with only what is still open.
The file may be changed by hand (in a text editor) while the walk runs: before each question,
menu of a part and the overview the change is taken in (Answering.refresh), as the web does per
page; an answer changed there after its question was shown is said, with the file's value and
the one typed, and asked again with the file's value (check_fresh), never written over.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.answering import FULL_ROUTE_PART_NOTE, note_key
from wizard.questionnaire import FULL, ROLE_LABELS, SHORT, Question, Section
from wizard.session_ask import Asking
from wizard.session_end import Finishing
from wizard.session_view import _estimate_text, _finding_mark, _width
from wizard.walk import ASSUMED_ITEMS, Place

if TYPE_CHECKING:
    from wizard.lock import Lock

DEFAULT_FILE = Path("antwoorden.yaml")
EXIT_STOPPED = 130
_BACK_TO_OVERVIEW = "__overzicht__"  # questionary turns a None value into the title: never use None


class Session(Asking, Finishing):
    """`start`: the terminal walk over one answering session."""

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
                        "Let op: wat u aan het typen was, kon niet worden bewaard (het klopte nog niet, "
                        "of dat antwoord was intussen in het bestand zelf veranderd)."
                    )
            self.say(f"Gestopt. Uw antwoorden zijn bewaard in {self.path}.")
            self.say(f"Verder gaan? Typ: beleidsnotitie start {self.path}")
            return EXIT_STOPPED
        finally:
            if lock is not None:
                lock.release()

    def _run(self) -> int:
        accounting = self.state.profile is not None
        title = "Verantwoording" if accounting else "Beleidsnotitie"
        self.say(f"{title} internationale samenwerking")
        self.say("=" * len(f"{title} internationale samenwerking"))
        about = (
            "U legt verantwoording af over een jaar van het kader (de rol controleren): per doel de "
            "meting, per band wat er gebeurde en wat het kostte, de dienstreizen, giften en uitgaven."
            if accounting
            else "U beantwoordt vragen over de drie rollen van de raad: initiëren, kaderstellen en controleren."
        )
        self.say(
            self._wrap(
                f"{about} U mag vragen overslaan en later "
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
            for line in self.state.notices:  # an older file or encoding, as the web says it too
                self.say(line)
            self.say(f"\nU heeft al antwoorden in {self.path}.")
            self.choose_route()
            self.look()
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
        """Ask which route, once: not when --route chose it or the file keeps one (`route:`).
        The routes, their order, the suggested one and why are the session's (route_offer),
        the same the start page of `web` shows."""
        offer = self.state.route_offer()
        estimates = {c.route: c.estimate for c in offer.choices}
        route = offer.chosen
        if route is None:
            options = [
                (
                    f"{c.name}{' (aangeraden)' if c.suggested else ''}: {c.text[:1].lower()}{c.text[1:]} "
                    f"({_estimate_text(c.estimate)})",
                    c.route,
                )
                for c in offer.choices
            ]
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
            self.say(self._wrap(offer.advice))
            route = self.prompter.menu(
                "Welke route kiest u?",
                options,
                default=offer.suggested,
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

    def section_header(self, index: int) -> None:
        section = self.questionnaire.sections[index]
        total = len(self.questionnaire.sections)
        self.say("")
        role = ROLE_LABELS[section.rol]
        place = section.titel if role == section.titel else f"{role} · {section.titel}"
        mode = " · werksessie" if self.workshop else ""
        self.say(f"Deel {index + 1} van {total} · {place}{mode}")
        self.say("-" * min(60, _width()))
        if section.inleiding:
            self.say(self._wrap(section.inleiding))

    def section_done(self, index: int) -> None:
        section = self.questionnaire.sections[index]
        has_findings = self.show_findings(index)
        while self.workshop:
            seen = self.look()
            note = self.prompter.note(
                f"Toelichting van de groep bij '{section.titel}'", self.answers.notes.get(section.id)
            )
            if self.fresh(
                Question(
                    id=section.id, type="tekst", label=f"Toelichting van de groep bij '{section.titel}'"
                ),
                note_key(section.id),
                note,
                seen,
                lambda text: self.state.set_note(section, text),
            ):
                break
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
            self.say(f"Aandachtspunten bij '{self.questionnaire.sections[index].titel}':")
            for finding in findings:
                self.say(self._wrap(f"{_finding_mark(finding.severity)} {finding.message}", "  "))
                self.say(self._wrap(f"Advies: {finding.advice}", "      "))
        return bool(findings)

    # --- review and jumping back ---------------------------------------------------------------

    def review(self) -> int:
        """Per section: how much is answered, what is open and what the check found; change anything."""
        while True:
            self.look()  # an answer changed in the file by hand shows here at once
            self.say("")
            self.say("Overzicht van uw antwoorden")
            self.say("=" * 27)
            totals = self.state.totals()
            if self.state.profile is not None:  # a verantwoording has one route
                totals = {r: t for r, t in totals.items() if r == FULL}
            self.say("Voortgang: " + ", ".join(f"{r}: {d} van {n}" for r, (d, n) in totals.items()))
            later = self.state.findings().later_text()
            if later:
                self.say(f"Daarnaast: {later}.")
            options: list[tuple[str, Any]] = [("Het concept maken", "maak")]
            for part in self.state.parts():
                section, index = part.section, part.number - 1
                if not part.asked and self.walker.route == SHORT:
                    # a part off the short route: offered only when a finding reads its questions
                    if self.state.later_questions(section):
                        self.say(f"  Deel {index + 1} · {section.titel}: hoort bij de volledige route")
                        self.say(self._wrap(FULL_ROUTE_PART_NOTE, "      "))
                        options.append(
                            (f"Vragen van de volledige route: deel {index + 1} · {section.titel}", index)
                        )
                    continue
                here = part.findings
                notes = f", {len(here)} aandachtspunt{'en' if len(here) != 1 else ''}" if here else ""
                notes += f" (waarvan {part.blocking} blokkerend)" if part.blocking else ""
                self.say(
                    f"  Deel {index + 1} · {section.titel}: {part.answered} van "
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
                options.append((f"Aanpassen: deel {index + 1} · {section.titel}", index))
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
            self.look()
            self.show_findings(self.questionnaire.sections.index(section))
            # this route's questions, and those of the full route its off-route findings read
            applicable = self.state.shown_questions(section, self.state.later_questions(section))
            beyond = " (volledige route)"
            options: list[tuple[str, Any]] = [
                (
                    f"{self.label(q)}{beyond if self.state.beyond_route(q) else ''}  "
                    f"[{shown(self.answers.values.get(q.id), q)}]",
                    q.id,
                )
                for q in applicable
            ]
            options.append(("Terug naar het overzicht", _BACK_TO_OVERVIEW))
            choice = self.prompter.menu(
                f"Welke vraag in '{section.titel}' wilt u aanpassen?",
                options,
                help="Kies een vraag om het antwoord te veranderen. Tussen [ ] staat het huidige antwoord.",
                back=_BACK_TO_OVERVIEW,
            )
            if choice == _BACK_TO_OVERVIEW:
                return
            self.reaching = True
            try:
                self.change(self.questionnaire.by_id[choice])
            finally:
                self.reaching = False

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


def run(args: argparse.Namespace) -> int:
    """`beleidsnotitie start`: refuse politely without a terminal, else run the session."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(
            "Fout: 'beleidsnotitie start' stelt vragen en heeft daarvoor een terminal nodig.\n"
            "    → Heeft u al een antwoordenbestand? Maak dan een concept met: beleidsnotitie maak ANTWOORDEN.yaml",
            file=sys.stderr,
        )
        return 2
    from wizard import accountability
    from wizard.prompts import Prompter

    path = args.antwoorden or DEFAULT_FILE
    rule_dirs, skip_rules = tuple(args.regels), tuple(args.zonder_regel)
    profile = accountability.for_path(path, rule_dirs, skip_rules)  # a verantwoording (`kader:`)
    session = Session(
        accountability.questionnaire_of(profile),
        path,
        Prompter(),
        workshop=args.werksessie,
        rule_dirs=rule_dirs,
        skip_rules=skip_rules,
        route=args.route,
        profile=profile,
    )
    return session.run()
