"""The interactive session behind `beleidsnotitie start`: a guided walk that never loses work.

Driven entirely by the questionnaire data. Every answer is saved at once (atomic
write). '<' goes back, '?' shows the help, Ctrl-C or Ctrl-D stops and says how to
resume; resuming continues at the first open question. After each section the
findings of that section are shown; a review screen lets the user jump to any
question, and questions that depend on a changed answer are asked again.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import answers as answers_mod
from wizard import conditions, facts
from wizard import questionnaire as questionnaire_mod
from wizard.conditions import Env, is_filled
from wizard.display import item_name
from wizard.questionnaire import ROLE_LABELS, Question, Questionnaire, Section

if TYPE_CHECKING:
    from wizard import rules as rules_mod
    from wizard.prompts import Prompter

DEFAULT_FILE = Path("antwoorden.yaml")
EXIT_STOPPED = 130
_BACK_TO_OVERVIEW = "__overzicht__"  # questionary turns a None value into the title: never use None


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
        say: Callable[[str], None] = print,
    ) -> None:
        self.questionnaire = questionnaire
        self.path = path
        self.prompter = prompter
        self.workshop = workshop
        self.rule_dirs = rule_dirs
        self.skip_rules = skip_rules
        self.say = say
        self.answers = answers_mod.Answers(path=path)
        self._rules: rules_mod.RuleSet | None = None
        self._homes: dict[str, int] = {}
        self.flat: list[tuple[int, Question]] = [
            (index, question)
            for index, section in enumerate(questionnaire.sections)
            for question in section.questions
        ]

    # --- state -----------------------------------------------------------------------

    @property
    def rules(self) -> rules_mod.RuleSet:
        """Loaded on first use, so the first question appears without waiting for the rules."""
        if self._rules is None:
            from wizard import rules as rules_mod

            self._rules = rules_mod.load(self.questionnaire, self.rule_dirs).without(self.skip_rules)
            self._homes = {rule.id: self._home_section(rule) for rule in self._rules.rules}
        return self._rules

    def _home_section(self, rule: rules_mod.Rule) -> int:
        """The last section whose answers the rule reads: its findings are shown after it."""
        names: set[str] = set()
        for field in conditions.fields_used(rule.condition) | ({rule.per} if rule.per else set()):
            names.update(facts.SOURCES.get(field, (field.split(".", 1)[0],)))
        sections = [
            self.questionnaire.sections.index(self.questionnaire.section_of(n))
            for n in names
            if n in self.questionnaire.by_id
        ]
        return max(sections, default=len(self.questionnaire.sections) - 1)

    def save(self) -> None:
        answers_mod.save(self.answers, self.questionnaire, self.path)

    def set(self, question: Question, value: Any) -> None:
        if value is None or value == [] or value == {}:
            self.answers.values.pop(question.id, None)
        else:
            self.answers.values[question.id] = value
        self.save()

    def values(self) -> dict[str, Any]:
        return facts.derive(self.answers)

    def applies(self, question: Question, item: dict[str, Any] | None = None) -> bool:
        if question.when is None:
            return True
        env = Env(self.values())
        if item is not None and question.group:
            env = env.with_item(question.group, item)
        return conditions.evaluate(question.when, env)

    def answered(self, question: Question) -> bool:
        return is_filled(self.answers.values.get(question.id))

    # --- the whole session --------------------------------------------------------------

    def run(self) -> int:
        try:
            return self._run()
        except (KeyboardInterrupt, EOFError):
            self.say("")
            self.say(f"Gestopt. Uw antwoorden zijn bewaard in {self.path}.")
            self.say(f"Verder gaan? Typ: beleidsnotitie start {self.path}")
            return EXIT_STOPPED

    def _run(self) -> int:
        self.say("Beleidsnotitie internationale samenwerking")
        self.say("=" * 42)
        self.say(
            "U beantwoordt vragen over de drie rollen van de raad: initiëren, kaderstellen en controleren.\n"
            "Dat duurt ongeveer 30 tot 45 minuten. U mag vragen overslaan en later terugkomen.\n"
            f"Elk antwoord wordt meteen bewaard in {self.path}.\n"
            "Bij elke vraag: ? = uitleg, < = vorige vraag, Ctrl-C = stoppen (uw antwoorden blijven bewaard)."
        )
        if self.path.exists():
            self.answers = answers_mod.load(self.path, self.questionnaire)
            self.answers.path = self.path
            open_count = sum(1 for _, q in self.flat if self.applies(q) and not self.answered(q))
            self.say(f"\nU heeft al antwoorden in {self.path} ({open_count} vragen nog open).")
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
            self.save()
            self.walk(only_open=False)
        return self.review()

    # --- walking the questionnaire ------------------------------------------------------

    def walk(self, only_open: bool, start: int = 0, stop: int | None = None) -> None:
        """Ask questions in order from flat position `start`; '<' goes to the previous one."""
        stop = len(self.flat) if stop is None else stop
        pos = start
        shown_section = -1
        while pos < stop:
            index, question = self.flat[pos]
            if not self.applies(question) or (only_open and self.answered(question)):
                pos += 1
                if (pos >= stop or self.flat[pos][0] != index) and shown_section == index:
                    self.section_done(index)
                continue
            if shown_section != index:
                self.section_header(index)
                shown_section = index
            result = self.ask(question)
            if result == "back":
                previous = self._previous(pos)
                if previous is None:
                    self.say("Dit is de eerste vraag.")
                    continue
                pos = previous
                only_open = False
                continue
            pos += 1
            if pos >= stop or self.flat[pos][0] != index:
                self.section_done(index)

    def _previous(self, pos: int) -> int | None:
        for earlier in range(pos - 1, -1, -1):
            if self.applies(self.flat[earlier][1]):
                return earlier
        return None

    def section_header(self, index: int) -> None:
        section = self.questionnaire.sections[index]
        total = len(self.questionnaire.sections)
        self.say("")
        role = ROLE_LABELS[section.role]
        place = section.title if role == section.title else f"{role} · {section.title}"
        self.say(f"Deel {index + 1} van {total} · {place}")
        self.say("-" * 60)
        if section.intro:
            self.say(textwrap.fill(section.intro, width=90))

    def section_done(self, index: int) -> None:
        section = self.questionnaire.sections[index]
        if self.workshop:
            note = self.prompter.note(
                f"Toelichting van de groep bij '{section.title}'", self.answers.notes.get(section.id)
            )
            if note:
                self.answers.notes[section.id] = note
            else:
                self.answers.notes.pop(section.id, None)
            self.save()
        if not self.show_findings(index):
            return
        choice = self.prompter.menu(
            "Wat wilt u doen?", [("Verder", "verder"), ("Dit deel nu aanpassen", "aanpassen")]
        )
        if choice == "aanpassen":
            self.edit_section(section)

    def show_findings(self, index: int) -> bool:
        """Say what the check found in section `index`, with advice; False when nothing."""
        findings = [f for f in self.findings() if self._homes.get(f.rule) == index]
        if findings:
            self.say("")
            self.say(f"Aandachtspunten bij '{self.questionnaire.sections[index].title}':")
            for finding in findings:
                self.say(f"  [{finding.severity}] {finding.message}")
                self.say(f"      Advies: {finding.advice}")
        return bool(findings)

    def findings(self) -> list[rules_mod.Finding]:
        from wizard import rules as rules_mod

        return rules_mod.evaluate(self.rules, self.values(), self.questionnaire)

    # --- one question -------------------------------------------------------------------------

    def explain(self, question: Question) -> None:
        self.say(
            textwrap.fill(
                f"Uitleg: {question.explanation}", width=90, initial_indent="  ", subsequent_indent="  "
            )
        )
        if question.source:
            self.say(f"  Bron: {question.source}")

    def ask(self, question: Question) -> str:
        """Ask one top-level question and save the answer; return 'next' or 'back'."""
        if question.type == "groep":
            return self.edit_group(question)
        if question.type == "per_keuze":
            return self.ask_per_choice(question)
        from wizard.prompts import Nav

        if question.hint:
            self.say(f"  {question.hint}")
        if self.workshop:
            self.explain(question)
        while True:
            current = self.answers.values.get(question.id, question.default)
            result = self.prompter.ask(question, current)
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
        self.say(f"  {question.label}")
        if question.hint:
            self.say(f"  {question.hint}")
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
            result = self.prompter.ask(item, texts.get(value))
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

    def edit_group(self, question: Question) -> str:
        """Add, edit and remove items of a repeating group, with a short overview."""
        if self.workshop:
            self.explain(question)
        while True:
            items: list[dict[str, Any]] = list(self.answers.values.get(question.id) or [])
            names = [self._item_label(question, item, i) for i, item in enumerate(items)]
            self.say(f"\n{question.label}: {len(items)} ingevuld")
            for number, name in enumerate(names, start=1):
                self.say(f"  {number}. {name}")
            options: list[tuple[str, Any]] = [(f"Toevoegen ({question.hint or 'nieuw item'})", ("add",))]
            options += [(f"Aanpassen: {name}", ("edit", i)) for i, name in enumerate(names)]
            options += [(f"Verwijderen: {name}", ("remove", i)) for i, name in enumerate(names)]
            options += [
                ("Klaar, volgende vraag", ("done",)),
                ("Uitleg bij deze vraag", ("help",)),
                ("Vorige vraag", ("back",)),
            ]
            choice = self.prompter.menu(f"{question.label}: wat wilt u doen?", options, default=("done",))
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
                items = list(self.answers.values.get(question.id) or [])
                if items and not any(is_filled(v) for v in items[-1].values()):
                    items.pop()
                    self._store_items(question, items)
            elif action == "edit":
                self.edit_item(question, choice[1])
            elif action == "remove" and self.prompter.confirm(
                f"'{names[choice[1]]}' verwijderen?", default=False
            ):
                del items[choice[1]]
                self._store_items(question, items)

    @staticmethod
    def _item_label(question: Question, item: dict[str, Any], index: int) -> str:
        name = item_name(question, item)
        return name if name not in ("?", question.label) else f"nummer {index + 1} (nog zonder naam)"

    def _store_items(self, question: Question, items: list[dict[str, Any]]) -> None:
        self.answers.values[question.id] = items
        self.save()

    def edit_item(self, question: Question, index: int) -> None:
        from wizard.prompts import Nav

        position = 0
        fields = list(question.fields)
        while position < len(fields):
            items = self.answers.values[question.id]
            item = items[index]
            field = fields[position]
            if not self.applies(field, item):
                position += 1
                continue
            name = self._item_label(question, item, index)
            if self.workshop:
                self.explain(field)
            result = self.prompter.ask(field, item.get(field.id), f"{name} · {field.label}")
            if result is Nav.HELP:
                self.explain(field)
                continue
            if result is Nav.BACK:
                previous = [p for p in range(position) if self.applies(fields[p], item)]
                if not previous:
                    return
                position = previous[-1]
                continue
            if result is None:
                item.pop(field.id, None)
            else:
                item[field.id] = result
            self._store_items(question, items)
            position += 1

    # --- review and jumping back ---------------------------------------------------------------

    def review(self) -> int:
        """Per section: how much is answered and what the check found; from there, change anything."""
        while True:
            self.say("")
            self.say("Overzicht van uw antwoorden")
            self.say("=" * 27)
            findings = self.findings()
            _ = self.rules  # fills self._homes
            options: list[tuple[str, Any]] = [("Het concept maken", "maak")]
            for index, section in enumerate(self.questionnaire.sections):
                applicable = [q for q in section.questions if self.applies(q)]
                done = sum(1 for q in applicable if self.answered(q))
                here = [f for f in findings if self._homes.get(f.rule) == index]
                blocking = sum(1 for f in here if f.severity == "blokkerend")
                notes = f", {len(here)} aandachtspunt{'en' if len(here) != 1 else ''}" if here else ""
                notes += f" (waarvan {blocking} blokkerend)" if blocking else ""
                self.say(
                    f"  Deel {index + 1} · {section.title}: {done} van {len(applicable)} beantwoord{notes}"
                )
                options.append((f"Aanpassen: deel {index + 1} · {section.title}", index))
            self.say("Kies een deel om de antwoorden te zien en aan te passen.")
            options += [("Stoppen (alles is bewaard)", "stop")]
            choice = self.prompter.menu("Wat wilt u doen?", options)
            if choice == "stop":
                self.say(
                    f"Uw antwoorden zijn bewaard in {self.path}. Verder gaan: beleidsnotitie start {self.path}"
                )
                return 0
            if choice == "maak":
                return self.finish()
            self.edit_section(self.questionnaire.sections[choice])

    def edit_section(self, section: Section) -> None:
        from wizard.prompts import shown

        while True:
            self.show_findings(self.questionnaire.sections.index(section))
            applicable = [q for q in section.questions if self.applies(q)]
            options: list[tuple[str, Any]] = [
                (f"{q.label}  [{shown(self.answers.values.get(q.id), q)}]", q.id) for q in applicable
            ]
            options.append(("Terug naar het overzicht", _BACK_TO_OVERVIEW))
            choice = self.prompter.menu(f"Welke vraag in '{section.title}' wilt u aanpassen?", options)
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
        for _, other in self.flat:
            if other is question or other.when is None:
                continue
            if question.key in conditions.fields_used(other.when) and self.applies(other):
                self.say(f"  Deze vraag hangt af van uw antwoord: {other.label}")
                self.change(other)

    # --- the document ------------------------------------------------------------------------

    def finish(self) -> int:
        from wizard import documents, publish
        from wizard.draft import Drafter

        drafter = Drafter(rule_dirs=self.rule_dirs, skip_rules=self.skip_rules)
        kinds = [drafter.kind(name)[0] for name in documents.DRAFT_KINDS]
        folder, stem = self.path.parent, self.path.stem
        targets = [folder / kind.file_name(stem, "docx") for kind in kinds]
        existing = [t for t in targets if t.exists()]
        if existing:
            names = " en ".join(t.name for t in existing)
            if not self.prompter.confirm(
                f"{names} {'bestaat' if len(existing) == 1 else 'bestaan'} al. Vervangen?", default=False
            ):
                targets = _free_names(folder, stem, kinds)
        self.say("De concepten worden gemaakt ...")
        drafts = drafter.drafts(self.answers, [kind.name for kind in kinds])
        targets = publish.drafts(drafter, drafts, targets)
        findings = drafts[0].findings
        self.say("\nKlaar:")
        for target in targets:
            self.say(f"  {target.resolve()}")
        from wizard.rules import summary

        self.say(f"Aandachtspunten: {summary(findings)}. Ze staan in bijlage 2 van de notitie.")
        if any(f.severity == "blokkerend" for f in findings):
            self.say("Los de blokkerende punten op voordat de notitie naar de raad gaat.")
        self.offer_open_formats(targets)
        return 0

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
    )
    return session.run()
