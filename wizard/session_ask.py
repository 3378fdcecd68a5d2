"""Asking in the terminal: the walk through the questions, one question, repeating groups.

'<' goes back, '?' shows the help; every answer is stored through the answering session,
which saves it at once (atomic write, comments in the file kept). Resuming continues at the
first open place, also inside a tie or a goal.
"""

from __future__ import annotations

import copy
from typing import Any

from wizard.kinds import PROMPT_GROUP, PROMPT_PER_CHOICE
from wizard.questionnaire import Question
from wizard.session_view import TerminalView
from wizard.walk import Place


class Asking(TerminalView):
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
            self.look()  # what is open and what applies, with the file's hand edits
            if pos >= len(self.flat):  # the route changed in the file by hand: a shorter walk
                break
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
            seen = self.look()  # a hand edit of the file: its answer is the default
            current = self.offered(
                question.id, self.answers.values.get(question.id, question.kind.suggestion(question))
            )
            asked = self.state.choices(question)  # a main motive: only the motives chosen
            result = self._ask(asked, current, self.label(question), lambda v: self.set(question, v), seen)
            if result is Nav.HELP:
                self.explain(question)
                continue
            if result is Nav.BACK:
                return "back"
            if self.fresh(question, question.id, result, seen, lambda v: self.set(question, v)):
                return "next"

    def ask_per_choice(self, question: Question) -> str:
        """One short text for each option chosen in the question it follows."""
        from wizard.prompts import Nav

        source = self.questionnaire.by_id[question.van or ""]
        self.say(self._wrap(self.label(question), "  "))
        if question.hint:
            self.say(self._wrap(question.hint, "  "))
        if self.workshop:
            self.explain(question)
        position = 0
        while True:
            seen = self.look()  # the texts as the file holds them now
            chosen = self.answers.values.get(source.id) or []
            texts = dict(self.answers.values.get(question.id) or {})
            if position >= len(chosen):
                break
            value = chosen[position]
            item = Question(
                id=question.id,
                type="tekst",
                label=f"{source.choice_label(value)}",
                uitleg=question.uitleg,
            )

            def store(
                result: Any, value: str = value, texts: dict[str, Any] = texts, chosen: list[str] = chosen
            ) -> None:
                texts[value] = result
                self.set(question, {k: v for k, v in texts.items() if k in chosen and v})

            result = self._ask(item, texts.get(value), item.label, store, seen)
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
            answer = {k: v for k, v in texts.items() if k in chosen}
            if self.fresh(question, question.id, answer, seen, lambda v: self.set(question, v)):
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
            seen = self.look()  # items changed in the file by hand: shown as they are now
            items = self.walker.items(self.answers, question)
            shown_items = copy.deepcopy(items)
            names = [self.walker.item_label(question, item, i) for i, item in enumerate(items)]
            self.say(f"\n{self.label(question)}: {len(items)} ingevuld")
            for number, (name, _) in enumerate(zip(names, items, strict=True), start=1):
                open_count = len(self.walker.open_fields(self.answers, question, number - 1))
                more = f" ({open_count} vragen open)" if open_count else ""
                self.say(f"  {number}. {name}{more}")
            fixed = self.state.fixed_items(question)  # a verantwoording: the framework's goals and ties
            options: list[tuple[str, Any]] = (
                [] if fixed else [(f"Toevoegen ({question.hint or 'nieuw item'})", ("add",))]
            )
            options += [(f"Aanpassen: {name}", ("edit", i)) for i, name in enumerate(names)]
            if not fixed:
                options += [(f"Verwijderen: {name}", ("remove", i)) for i, name in enumerate(names)]
            options += [
                ("Klaar, volgende vraag", ("done",)),
                ("Uitleg bij deze vraag", ("help",)),
                ("Vorige vraag", ("back",)),
            ]
            choice = self.prompter.menu(
                f"{question.label}: wat wilt u doen?",
                options,
                default=("done",) if items or fixed else ("add",),
                help=f"Uitleg: {question.uitleg}",
                back=("back",),
            )
            action = choice[0]
            if action == "done":
                return "next"
            if action == "back":
                return "back"
            if action in ("add", "edit", "remove") and self.stale(question.id, shown_items, seen):
                self.say("")
                self.say(
                    self._wrap(
                        f"Let op: '{question.label}' is intussen in het bestand zelf veranderd (buiten dit "
                        "programma). Hieronder ziet u wat er nu staat. Kies opnieuw wat u wilt doen.",
                        "  ",
                    )
                )
                continue
            if action == "help":
                self.explain(question)
            elif action == "add":
                items.append({})
                if not self._store_items(question, items):
                    continue
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

    def _store_items(self, question: Question, items: list[dict[str, Any]]) -> bool:
        """Store the list of ties or goals; False when the file refused it (broken by hand,
        read-only): said, and the menu comes again (the walk goes on)."""
        from wizard import answers as answers_mod

        try:
            self.state.set_items(question, items)
        except answers_mod.NotSaved as exc:
            self.refused(exc, "Het bestand is niet veranderd. Herstel het eerst en kies daarna opnieuw.")
            return False
        return True

    def edit_item(self, question: Question, index: int, start: str | None = None) -> None:
        from wizard.prompts import Nav

        fields = list(question.velden)
        position = next((i for i, f in enumerate(fields) if f.id == start), 0)
        chosen: dict[str, Any] | None = None  # the tie as it was when chosen, then as last shown
        while position < len(fields):
            seen = self.look()  # a field changed in the file by hand: its value is the default
            items = self.answers.values.get(question.id)
            if isinstance(items, list) and chosen is None and index < len(items):
                chosen = copy.deepcopy(items[index])
            found = _find_item(question, items, index, chosen)
            if found is None:
                items = None  # gone from the file (removed by hand): said below
            else:
                index = found
                chosen = copy.deepcopy(items[index])  # type: ignore[index]
            if not isinstance(items, list) or index >= len(items):
                self.say(
                    self._wrap(
                        f"Let op: dit onderdeel van '{question.label}' staat niet meer in het bestand "
                        "(het is buiten dit programma veranderd).",
                        "  ",
                    )
                )
                return
            item = items[index]
            field = fields[position]
            # this route's fields; all of a group only the full route asks; and when changing a part
            # on the short route, the fields of the full route its off-route findings read (marked)
            wanted = self.state.later_fields(question) if self.reaching else []
            shown = self.state.shown_fields(question, item, wanted)
            if field not in shown:
                position += 1
                continue
            name = self.walker.item_label(question, item, index)
            if self.workshop:
                self.explain(field)
            place = Place(question.id, index, field.id)

            def store(value: Any, place: Place = place) -> None:
                self.state.set(place, value)

            beyond = " (volledige route)" if self.state.beyond_route(field) else ""
            key = f"{question.id}/{index}/{field.id}"
            label = f"{name} · {self.label(field)}{beyond}"
            result = self._ask(field, self.offered(key, item.get(field.id)), label, store, seen, key)
            if result is Nav.HELP:
                self.explain(field)
                continue
            if result is Nav.BACK:
                previous = [p for p in range(position) if fields[p] in shown]
                if not previous:
                    return
                position = previous[-1]
                continue
            if self.fresh(field, key, result, seen, store):
                position += 1
                chosen = copy.deepcopy(self.answers.values[question.id][index])  # as saved here


def _find_item(question: Question, items: Any, index: int, chosen: dict[str, Any] | None) -> int | None:
    """Where the tie (or goal) the person is changing is now: the ties are changed by position,
    and one reordered or removed by hand must not make the next field go to another tie.
    The same position while it holds that tie (also with a field changed by hand: same name);
    else the one place that holds it whole, or its name; None when it is gone."""
    if not isinstance(items, list) or chosen is None:
        return index
    if index < len(items) and items[index] == chosen:
        return index
    whole = [i for i, item in enumerate(items) if item == chosen]
    if len(whole) == 1:
        return whole[0]
    name = _name_field(question)
    wanted = chosen.get(name) if name else None
    if wanted in (None, ""):
        return index if index < len(items) else None
    if index < len(items) and isinstance(items[index], dict) and items[index].get(name) == wanted:
        return index
    named = [i for i, item in enumerate(items) if isinstance(item, dict) and item.get(name) == wanted]
    return named[0] if len(named) == 1 else None


def _name_field(question: Question) -> str | None:
    """The first field a tie's name is made of ('{partner} ({land})': partner)."""
    import re

    found = re.search(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)", question.naam or "")
    return found[1] if found else None
