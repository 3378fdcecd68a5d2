"""The pages of `beleidsnotitie web`: routes that render Jinja2 templates, nothing more.

Everything about questions, conditions, findings and saving is asked of the adapter
(wizard/web/walk_adapter.py). Forms post back to the page they came from and redirect
after a successful save (post-redirect-get), so refresh and back never add an item twice.
The pages work without any script.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import anyio
import anyio.to_thread
import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from wizard import kinds
from wizard.answering import (
    FULL_ROUTE_ITEM_NOTE,
    FULL_ROUTE_NOTE,
    FULL_ROUTE_PART_NOTE,
    Conflict,
    note_key,
    understood,
)
from wizard.answers import NOTES_KEY, NotSaved
from wizard.draft import Drafter
from wizard.errors import UserError
from wizard.kinds import PROMPT_CHECKBOX, PROMPT_GROUP, PROMPT_PER_CHOICE, PROMPT_SELECT
from wizard.questionnaire import ROUTES, Question, Section
from wizard.walk import Place
from wizard.web import upload
from wizard.web.guard import CSRF_FIELD, MAIN, MAX_FIELDS, Guard, Keys
from wizard.web.walk_adapter import Parsed, Walk, seen_on_page

HERE = Path(__file__).resolve().parent
ERRORS = {
    400: ("Dit verzoek klopt niet", "De pagina kreeg gegevens die zij niet begrijpt."),
    403: (
        "Geen toegang",
        "Open de pagina via de link die beleidsnotitie liet zien toen u het programma startte.",
    ),
    404: ("Pagina niet gevonden", "Deze pagina bestaat niet. Misschien is de link verouderd."),
    405: ("Dat kan hier niet", "Deze pagina kan dit verzoek niet afhandelen."),
    413: (
        "Te veel tekst in één keer",
        "Wat u stuurde is te groot: een half megabyte tekst, of een Word-document van 20 MB. "
        "Maak de teksten korter of het document kleiner.",
    ),
    429: (
        "Te veel verkeerde codes",
        "Vanaf dit apparaat zijn te veel verkeerde codes geprobeerd. Wacht een minuut en typ de "
        "code dan nog eens over zoals hij op het scherm staat.",
    ),
    500: (
        "Er ging iets mis",
        "Uw eerder bewaarde antwoorden zijn veilig. Probeer het opnieuw of start het programma opnieuw.",
    ),
}
KINDS = {"notitie": "Beleidsnotitie", "raadsvoorstel": "Raadsvoorstel met ontwerpbesluit"}
FORMATS = {
    "docx": ("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": ("OpenDocument", "application/vnd.oasis.opendocument.text"),
    "pdf": ("PDF", "application/pdf"),
}


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def create_app(
    walk: Walk,
    keys: Keys,
    drafter: Drafter,
    groups: Mapping[str, Walk] | None = None,
    stopping: threading.Event | None = None,
) -> Any:
    """The ASGI application: the pages behind the guard (wizard/web/guard.py).

    `walk` is the person's answers file (in a werksessie: the combined one, for the advisor);
    each group of a werksessie gets the same pages on its own file, chosen by its cookie.
    `stopping` is set at Ctrl-C: the projection's streams end on it."""
    env = environment()
    env.globals["werksessie"] = bool(groups)
    walks = {MAIN: walk, **(groups or {})}
    pages = {name: Pages(w, keys.roles[name].csrf, env, drafter, name) for name, w in walks.items()}

    def error_page(status: int) -> str:
        title, text = ERRORS.get(status, ERRORS[500])
        return env.get_template("fout.html.j2").render(status=status, title=title, text=text)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        return HTMLResponse(error_page(status), status_code=status)

    workers: list[anyio.CapacityLimiter] = []  # made in the event loop, at the first page

    def page(name: str) -> Any:
        async def endpoint(request: Request) -> Response:
            # The body is read here, on the event loop; the page itself (checking, saving with
            # its fsync, rendering) runs in a worker thread, so one slow disk write never holds
            # up the other groups of a werksessie. Each file's Walk.lock orders its changes.
            form = await _form(request) if request.method == "POST" else {}
            owner = pages[request.state.role]
            if not workers:
                workers.append(anyio.CapacityLimiter(WORKERS))
            response: Response = await anyio.to_thread.run_sync(
                _handle, owner, name, request, form, limiter=workers[0]
            )
            return response

        return endpoint

    async def update_page(request: Request) -> Response:
        body = await request.body() if request.method == "POST" else b""
        owner, kind = pages[request.state.role], request.headers.get("content-type", "")
        if owner.walk.profile is not None:  # bijwerken knows the framework's documents only
            raise HTTPException(404)
        response: Response = await anyio.to_thread.run_sync(upload.respond, owner, request.method, kind, body)
        return response

    routes = [
        Route("/", page("home")),
        Route("/route", page("route"), methods=["POST"]),
        Route("/deel/{section}", page("section"), methods=["GET", "POST"]),
        Route("/deel/{section}/aandachtspunten", page("section_findings")),
        Route("/deel/{section}/{group}/nieuw", page("item"), methods=["GET", "POST"]),
        Route("/deel/{section}/{group}/{index:int}", page("item"), methods=["GET", "POST"]),
        Route("/deel/{section}/{group}/{index:int}/verwijderen", page("remove"), methods=["GET", "POST"]),
        Route("/overzicht", page("overview")),
        Route("/bevindingen", page("findings")),
        Route("/documenten", page("documents")),
        Route("/documenten/{kind}.{fmt}", page("download")),
        Route(upload.PATH, update_page, methods=["GET", "POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static", follow_symlink=False), name="static"),
    ]
    if groups:
        from wizard.web.workshop import Console

        routes[:0] = Console(walk, dict(groups), keys, env, stopping or threading.Event()).routes()
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error, Exception: http_error})
    return Guard(app, keys, error_page)


Form = dict[str, list[str]]
NOTE_FIELD = "toelichting-groep"  # a werksessie group's note of a part (not a question id: those have no '-')
WORKERS = 8  # pages worked on at once: more threads only fight over Python's lock (GIL)


def _handle(owner: Pages, name: str, request: Request, form: Form) -> Response:
    if request.method == "GET":
        owner.walk.prepare_saving()  # a page is shown: an answer may follow
    owner.walk.refresh()  # an answer changed in the file by hand: shown, and a stale page refused on it
    try:
        response: Response = getattr(owner, name)(request, form)
    except NotSaved as exc:  # the file was broken by hand: it is kept, the person is told
        text = "Uw antwoord is niet bewaard. Ga terug met de knop Vorige van uw browser: het staat nog in het formulier."
        page = owner.env.get_template("fout.html.j2").render(
            status=409, title="Niet bewaard", text=text, details=[p.format() for p in exc.problems], back=None
        )
        return HTMLResponse(page, status_code=409)
    return response


async def _form(request: Request) -> Form:
    """The posted form (urlencoded; the guard has already limited its size and checked CSRF)."""
    body = await request.body()
    return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=MAX_FIELDS)


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


class Pages:
    """The pages for one answers file; `role` says whose (MAIN, or a group of a werksessie)."""

    def __init__(self, walk: Walk, csrf: str, env: jinja2.Environment, drafter: Drafter, role: str) -> None:
        self.walk = walk
        self.csrf = csrf
        self.env = env
        self.drafter = drafter
        self.role = role
        walk.use_drafter(drafter)

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        with self.walk.lock:  # templates read the walk too; pages of one file run one at a time
            page = self.env.get_template(name).render(
                walk=self.walk, csrf_field=CSRF_FIELD, csrf=self.csrf, role=self.role, **context
            )
        return HTMLResponse(page, status_code=status)

    def _section(self, request: Request) -> Section:
        section = self.walk.section(request.path_params["section"])
        if section is None:
            raise HTTPException(404)
        return section

    def _group(self, request: Request, section: Section) -> Question:
        group = next(
            (q for q in section.questions if q.id == request.path_params["group"] and q.kind.has_fields), None
        )
        if group is None:
            raise HTTPException(404)
        return group

    # --- start, overview, findings -------------------------------------------------------

    def home(self, request: Request, form: Form) -> Response:
        with self.walk.lock:
            progress = self.walk.progress()
            first = self.walk.first_open()
            first_url = self.walk.url(first) if first is not None else None
            offer = self.walk.route_offer()  # the routes, the suggested one and why: as `start` asks
            estimates = {c.route: (*c.estimate.minutes, c.estimate.open) for c in offer.choices}
            later = self.walk.findings().later_text()
        return self.render(
            "start.html.j2", progress=progress, first=first_url, estimates=estimates, later=later, offer=offer
        )

    def route(self, request: Request, form: Form) -> Response:
        """Choose the short or the full route; the choice is kept in the answers file."""
        chosen = (form.get("route") or [""])[0]
        if chosen not in ROUTES:
            raise HTTPException(400)
        if self.walk.profile is not None:  # a verantwoording has one route
            return _see("/")
        with self.walk.lock:
            self.walk.set_route(chosen)
            first = self.walk.first_open()
            if (form.get("actie") or [""])[0] == "beginnen":  # 'Beginnen' comes after the choice
                return _see(self.walk.url(first) if first is not None else "/documenten")
        return _see("/")

    def overview(self, request: Request, form: Form) -> Response:
        with self.walk.lock:
            return self.render(
                "overzicht.html.j2", progress=self.walk.progress(), later=self.walk.findings().later_text()
            )

    def findings(self, request: Request, form: Form) -> Response:
        with self.walk.lock:
            found = self.walk.findings()
            parts = [
                (section, self.walk.findings_of(section)) for section in self.walk.questionnaire.sections
            ]
        return self.render(
            "bevindingen.html.j2",
            parts=[p for p in parts if p[1]],
            total=len(found.shown),
            later=[
                (part, [(q, self.walk.question_url(q)) for q in part.questions[:3]]) for part in found.later
            ],
            later_text=found.later_text(),
        )

    # --- one part --------------------------------------------------------------------------

    def section(self, request: Request, form: Form) -> Response:
        section = self._section(request)
        wanted = _wanted(request, form)  # questions of the full route a link asked for
        also = "".join(f"&ook={w}" for w in wanted)
        if request.method == "GET":
            with self.walk.lock:
                return self._section_page(
                    section,
                    Parsed({}, {}),
                    None,
                    saved=request.query_params.get("bewaard", ""),
                    back=request.query_params.get("terug", ""),
                    wanted=wanted,
                )
        with self.walk.lock:
            before = {q.id for q in self.walk.shown_questions(section, wanted)}
            questions = [q for q in self.walk.shown_questions(section, wanted) if not q.kind.has_fields]
            parsed = self.walk.parse(questions, form)
            back = (form.get("terug") or [""])[0]
            posted = dict(parsed.values)
            if self._note_posted(form):  # a group's note is checked as its answers are
                posted[note_key(section.id)] = _posted_note(form)
            try:
                self.walk.check_fresh(posted, _revision(form))
            except Conflict as conflict:
                stale = _stale(parsed, conflict, questions)
                return self._section_page(section, stale, form, "", back, 409, wanted)
            self.walk.set_answers(parsed.values)
            self._save_note(section, form)
            if parsed.errors:
                return self._section_page(section, parsed, form, saved="", back=back, wanted=wanted)
            action = (form.get("actie") or ["verder"])[0]
            target = self._action_target(section, action)
            if target is not None:
                return _see(target)
            appeared = [
                q
                for q in self.walk.shown_questions(section, wanted)
                if q.id not in before and not self.walk.answered(q)
            ]
            if appeared:
                return _see(f"/deel/{section.id}?bewaard=nieuw{also}#vraag-{appeared[0].id}")
            if back == "overzicht":  # 'Wijzigen' in the overview returns there
                return _see(f"/overzicht#deel-{section.id}")
            if action == "verder" and self.walk.findings_of(section):
                return _see(f"/deel/{section.id}/aandachtspunten")  # as `start` does after a part
            following = self.walk.next_section(section)
            if action == "verder" and following is not None:
                return _see(f"/deel/{following.id}")
            if action == "verder":
                return _see("/documenten")
            return _see(f"/deel/{section.id}?bewaard=ja{also}")

    def _note_posted(self, form: Form) -> bool:
        return self.role != MAIN and NOTE_FIELD in form

    def _save_note(self, section: Section, form: Form) -> None:
        """A group of a werksessie: its explanation of the part (the advisor compares them)."""
        if not self._note_posted(form):
            return
        note = _posted_note(form)
        if note != self.walk.answers.notes.get(section.id):
            self.walk.set_note(section, note)

    def section_findings(self, request: Request, form: Form) -> Response:
        """What the check found in the part just answered, before going on (as in `start`)."""
        section = self._section(request)
        with self.walk.lock:
            return self.render(
                "deel_bevindingen.html.j2",
                section=section,
                number=self.walk.number(section),
                total=len(self.walk.questionnaire.sections),
                findings=self.walk.findings_of(section),
                following=self.walk.next_section(section),
            )

    def _action_target(self, section: Section, action: str) -> str | None:
        """Where a group button goes after saving the part: 'nieuw:groep' or 'wijzig:groep:2'."""
        parts = action.split(":")
        groups = {q.id: q for q in section.questions if q.kind.has_fields}
        if len(parts) < 2 or parts[1] not in groups:
            return None
        base = f"/deel/{section.id}/{parts[1]}"
        if parts[0] in {"nieuw", "verwijder"} and self.walk.fixed_items(groups[parts[1]]):
            return None  # a verantwoording's goals and ties are the framework's
        count = len(self.walk.items(groups[parts[1]]))
        if parts[0] == "nieuw" and len(parts) == 2:
            return f"{base}/nieuw"
        if len(parts) == 3 and parts[2].isdigit() and int(parts[2]) < count:
            if parts[0] == "wijzig":
                return f"{base}/{int(parts[2])}"
            if parts[0] == "verwijder":
                return f"{base}/{int(parts[2])}/verwijderen"
        return None

    def _section_page(
        self,
        section: Section,
        parsed: Parsed,
        form: Mapping[str, list[str]] | None,
        saved: str,
        back: str = "",
        status: int = 200,
        wanted: Sequence[str] = (),
    ) -> HTMLResponse:
        questions = self.walk.shown_questions(section, wanted)
        whole = not self.walk.applicable(section)  # a part this route does not ask: one note for all
        fields = [self._field(q, parsed, form, note=not whole) for q in questions]
        errors = [(f["id"], f"{f['q'].label}: {f['error']}") for f in fields if f["error"]]
        note = None  # only a group of a werksessie writes a note per part
        note_error = parsed.errors.get(note_key(section.id), "")
        if self.role != MAIN:
            saved_note = self.walk.answers.notes.get(section.id) or ""
            note = (form.get(NOTE_FIELD) or [""])[0] if form is not None else saved_note
            if note_error:
                errors.append((NOTE_FIELD, f"Toelichting van de groep: {note_error}"))
        return self.render(
            "deel.html.j2",
            section=section,
            number=self.walk.number(section),
            total=len(self.walk.questionnaire.sections),
            fields=fields,
            errors=errors,
            findings=self.walk.findings_of(section),
            previous=self.walk.previous_section(section),
            following=self.walk.next_section(section),
            saved=saved,
            stale=parsed.stale,
            stale_outside=parsed.outside,
            back=back,
            status=status,
            note=note,
            note_error=note_error,
            wanted=wanted,
            part_note=FULL_ROUTE_PART_NOTE if whole and questions else "",
        )

    def _field(
        self,
        question: Question,
        parsed: Parsed,
        form: Mapping[str, list[str]] | None,
        item: Mapping[str, Any] | None = None,
        prefix: str = "",
        note: bool = True,
    ) -> dict[str, Any]:
        """What the template needs for one question: its current text or choices and its error;
        `note`: say it when this route does not ask the question (FULL_ROUTE_NOTE)."""
        name = prefix + question.id
        value = item.get(question.id) if item is not None else self.walk.value(question)
        error = parsed.errors.get(question.id)
        question = self.walk.choices(question)  # a main motive: only the motives chosen
        field: dict[str, Any] = {
            "q": question,
            "id": f"vraag-{question.id}",
            "name": name,
            "error": error,
            "value": value,
            "prompt": question.kind.prompt,  # which control: the kind says (wizard/kinds.py)
            "input": _input_kind(question),
            "later": FULL_ROUTE_NOTE if note and self.walk.beyond_route(question) else "",
        }
        if question.kind.prompt == PROMPT_GROUP:
            field["fixed"] = self.walk.fixed_items(question)  # no adding or removing
            items = self.walk.items(question)
            field["items"] = [
                (index, self.walk.item_label(question, entry, index)) for index, entry in enumerate(items)
            ]
        elif question.kind.prompt == PROMPT_CHECKBOX:
            field["chosen"] = set(form.get(name, [])) if form is not None else set(value or [])
        elif question.kind.prompt == PROMPT_PER_CHOICE:
            source = self.walk.questionnaire.by_id[question.van or ""]
            chosen = self.walk.value(source) or []
            texts = dict(value or {})
            if form is not None:
                texts = {c: (form.get(f"{name}.{c}") or [""])[0] for c in chosen}
            field["per_choice"] = [(c, source.choice_label(c), texts.get(c, "")) for c in chosen]
            field["source"] = source
        elif question.kind.prompt == PROMPT_SELECT:
            # The kind's options, each posted as the text its parser reads back ("ja", a choice value).
            options = question.kind.options(question)
            field["options"] = [(Walk.option_text(v), label) for label, v in options]
            if form is not None:
                field["selected"] = (form.get(name) or [""])[0]
            else:
                field["selected"] = Walk.option_text(value)
        else:
            if form is not None:
                field["text"] = (form.get(name) or [""])[0]
            else:
                field["text"] = Walk.form_text(question, value)
        # How the tool read the saved answer, as the terminal says it after typing: € 2.027.
        field["noted"] = understood(question, value, field.get("text")) if error is None else ""
        return field

    # --- items of a repeating group ----------------------------------------------------------

    def item(self, request: Request, form: Form) -> Response:
        section = self._section(request)
        group = self._group(request, section)
        index: int | None = request.path_params.get("index")
        wanted = _wanted(request, form)
        if index is None and self.walk.fixed_items(group):
            raise HTTPException(404)  # a verantwoording's goals and ties are the framework's
        with self.walk.lock:
            items = self.walk.items(group)
            if index is not None and not 0 <= index < len(items):
                raise HTTPException(404)
            current = items[index] if index is not None else {}
            if request.method == "GET":
                return self._item_page(
                    section, group, index, current, Parsed({}, {}), None, request, wanted=wanted
                )
            before = {f.id for f in self.walk.shown_fields(group, current, wanted)}
            fields = self.walk.shown_fields(group, current, wanted)
            parsed = self.walk.parse(fields, form, prefix="veld.", current=current)
            merged = {**current, **parsed.values}
            merged = {k: v for k, v in merged.items() if k in {f.id for f in group.velden}}
            if index is not None:
                try:
                    posted = {f"{group.id}/{index}/{k}": v for k, v in parsed.values.items()}
                    self.walk.check_fresh(posted, _revision(form))
                except Conflict as conflict:
                    changed = {k.rsplit("/", 1)[1]: v for k, v in conflict.changed.items()}
                    outside = frozenset(k.rsplit("/", 1)[1] for k in conflict.outside)
                    stale = _stale(parsed, Conflict(changed, outside), fields)
                    return self._item_page(section, group, index, current, stale, form, request, 409, wanted)
            if index is None and not any(v is not None for v in parsed.values.values()) and not parsed.errors:
                return _see(self.walk.url(Place(group.id)))  # nothing typed: nothing added
            again = self._resent(group, merged, _revision(form)) if index is None else None
            if again is not None:  # the same form twice (a lost answer, a double tap): added once
                return _see(f"/deel/{section.id}?bewaard=item#vraag-{group.id}")
            index = self.walk.set_item(group, index, merged)
            if parsed.errors:
                return self._item_page(section, group, index, merged, parsed, form, request, wanted=wanted)
            saved = self.walk.items(group)[index]
            appeared = [
                f
                for f in self.walk.shown_fields(group, saved, wanted)
                if f.id not in before and f.id not in saved
            ]
            also = "".join(f"&ook={w}" for w in wanted)
            if appeared:
                return _see(
                    f"/deel/{section.id}/{group.id}/{index}?bewaard=nieuw{also}#vraag-{appeared[0].id}"
                )
            also = f"&ook={group.id}" if self.walk.beyond_route(group) else ""
            return _see(f"/deel/{section.id}?bewaard=item{also}#vraag-{group.id}")

    def _resent(self, group: Question, item: Mapping[str, Any], seen: int | None) -> int | None:
        """The index of an item the same as `item` that was added after the page was shown: the
        'nieuw' form sent a second time (its answer lost on a weak connection, or a button pressed
        twice) adds nothing. From a page shown after it, the same item is added again on purpose."""

        def filled(one: Mapping[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in one.items() if v not in (None, "", [])}

        same = [i for i, have in enumerate(self.walk.items(group)) if filled(have) == filled(item)]
        if not same or seen is None:
            return None
        try:
            self.walk.check_fresh({group.id: _CHANGED}, seen)  # anything but the list: did it change since?
        except Conflict:
            return same[-1]
        return None

    def _item_page(
        self,
        section: Section,
        group: Question,
        index: int | None,
        item: Mapping[str, Any],
        parsed: Parsed,
        form: Mapping[str, list[str]] | None,
        request: Request,
        status: int = 200,
        wanted: Sequence[str] = (),
    ) -> HTMLResponse:
        whole = self.walk.beyond_route(group)  # a group this route does not ask: one note for all
        fields = [
            self._field(f, parsed, form, item=item, prefix="veld.", note=not whole)
            for f in self.walk.shown_fields(group, item, wanted)
        ]
        label = self.walk.item_label(group, item, index) if index is not None else ""
        action = f"/deel/{section.id}/{group.id}/" + ("nieuw" if index is None else str(index))
        action += ("?" + "&".join(f"ook={w}" for w in wanted)) if wanted else ""
        return self.render(
            "item.html.j2",
            section=section,
            group=group,
            index=index,
            label=label,
            action=action,
            fields=fields,
            errors=[(f["id"], f"{f['q'].label}: {f['error']}") for f in fields if f["error"]],
            appeared=request.query_params.get("bewaard") == "nieuw",
            stale=parsed.stale,
            stale_outside=parsed.outside,
            status=status,
            part_note=FULL_ROUTE_ITEM_NOTE if whole else "",
            back_url=self.walk.url(Place(group.id)),  # the group's part (with ?ook= off the route)
        )

    def remove(self, request: Request, form: Form) -> Response:
        section = self._section(request)
        group = self._group(request, section)
        index: int = request.path_params["index"]
        if self.walk.fixed_items(group):
            raise HTTPException(404)  # a verantwoording's goals and ties are the framework's
        with self.walk.lock:
            items = self.walk.items(group)
            if not 0 <= index < len(items):
                raise HTTPException(404)
            label = self.walk.item_label(group, items[index], index)
            if request.method == "GET":
                return self.render(
                    "verwijderen.html.j2", section=section, group=group, index=index, label=label
                )
            if (form.get("naam") or [""])[0] != label:
                # The list changed in another tab since this page was shown: remove nothing.
                return _see(f"/deel/{section.id}#vraag-{group.id}")
            if (form.get("actie") or [""])[0] == "verwijderen":
                self.walk.remove_item(group, index)
                return _see(f"/deel/{section.id}?bewaard=verwijderd#vraag-{group.id}")
            return _see(f"/deel/{section.id}#vraag-{group.id}")

    # --- documents -------------------------------------------------------------------------

    def documents(self, request: Request, form: Form) -> Response:
        from wizard import office

        final = request.query_params.get("versie") == "definitief"
        accepted = request.query_params.get("accepteer") == "ja"
        with self.walk.lock:
            found = self.walk.findings()
        check = self.walk.readiness() if final else None
        # "Versie kiezen" with the box shown but not ticked: say so, as for a wrong answer.
        refused = (
            check is not None and not check.ready and not accepted and "bevestig" in request.query_params
        )
        errors = (
            [("accepteer", "Vink aan dat u de open punten accepteert, of kies het concept.")]
            if refused
            else []
        )
        can_download = not final or (check is not None and (check.ready or accepted))
        query = ("?versie=definitief" + ("&accepteer=ja" if accepted else "")) if final else ""
        formats = ["docx", "pdf"] + (["odt"] if office.find() is not None else [])
        return self.render(
            "documenten.html.j2",
            kinds=KINDS
            if self.walk.profile is None
            else {kind: self.walk.kind_title(kind) for kind in self.walk.kinds},
            formats=[(f, FORMATS[f][0]) for f in formats],
            findings=found.shown,
            blocking=found.blocking,
            later_text=found.later_text(),
            places=[(p, self.walk.place_url(p)) for p in check.open_places] if check is not None else [],
            stem=quote(self.walk.path.stem),
            office_missing=office.find() is None,
            install_hint=office.install_hint(),
            final=final,
            accepted=accepted,
            readiness=_grouped(check.lines()) if check is not None else [],
            # an off-route blocking finding links to the question that settles it
            blocking_links={
                line.removeprefix("- "): self.walk.later_url(e)
                for line, f in zip(check.blocking_lines(), check.blocking, strict=True)
                if (e := check.later_of(f)) is not None
            }
            if check is not None
            else {},
            ready=check is not None and check.ready,
            errors=errors,
            can_download=can_download,
            query=query,
        )

    def download(self, request: Request, form: Form) -> Response:
        kind, fmt = request.path_params["kind"], request.path_params["fmt"]
        if kind not in self.walk.kinds or fmt not in FORMATS:
            raise HTTPException(404)
        final = request.query_params.get("versie") == "definitief"
        if final and request.query_params.get("accepteer") != "ja" and not self.walk.readiness().ready:
            return _see("/documenten?versie=definitief&bevestig=ja")
        try:
            data = self.walk.download(kind, fmt, final)  # through the one publish path
        except UserError as exc:  # LibreOffice missing or failing: say so, on the documents page
            return self.render(
                "fout.html.j2",
                status=503,
                title="Dit bestand kon niet worden gemaakt",
                text=f"{exc.message} {exc.hint or ''}".strip(),
            )
        name = self.walk.file_name(kind, fmt, final)
        return Response(
            data,
            media_type=FORMATS[fmt][1],
            headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
        )


def _grouped(lines: list[str]) -> list[tuple[str, list[str]]]:
    """readiness.lines() as (heading, points): a line starting with '- ' belongs to the heading above."""
    groups: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("- ") and groups:
            groups[-1][1].append(line[2:])
        else:
            groups.append((line, []))
    return groups


def _input_kind(question: Question) -> str:
    """How a one-line input helps typing: a short box, and the phone keyboard for numbers."""
    kind = question.kind
    if isinstance(kind, kinds.Money):
        return "decimal"
    if isinstance(kind, kinds.Number):
        return "numeric"
    return "short" if isinstance(kind, kinds.Date) else ""


def _wanted(request: Request, form: Form) -> list[str]:
    """The questions of the full route a link asked a page to show (`?ook=`), kept in its form."""
    names = [*request.query_params.getlist("ook"), *form.get("ook", [])]
    return list(dict.fromkeys(n for n in names if n.replace("_", "").isalnum()))


def _posted_note(form: Form) -> str | None:
    """A group's note as its part's form posts it (None: left empty)."""
    return (form.get(NOTE_FIELD) or [""])[0].strip() or None


_CHANGED = object()  # compared with a list of items: never equal, so check_fresh says whether it changed


def _revision(form: Mapping[str, list[str]]) -> int | None:
    """The revision of the answers the page showed (its hidden field), or None."""
    return seen_on_page((form.get("revisie") or [""])[0])


def _stale(parsed: Parsed, conflict: Conflict, questions: list[Question]) -> Parsed:
    """The form refused as a whole: per answer changed elsewhere, the newer value and what to do."""
    by_id = {q.id: q for q in questions}
    errors = dict(parsed.errors)
    for key, newer in conflict.changed.items():
        question = by_id.get(key)
        shown = Walk.shown_value(question, newer) if question is not None else str(newer or "")
        where = (
            "in het bestand zelf (buiten dit programma)"
            if key in conflict.outside
            else "in een ander venster"
        )
        what = "Deze toelichting" if key.startswith(f"{NOTES_KEY}/") else "Dit antwoord"
        errors[key] = (
            f"{what} is intussen {where} veranderd in: {_full_stop(shown)} "
            "Uw tekst staat hieronder nog. Bewaar opnieuw om uw tekst te gebruiken, "
            "of laad de pagina opnieuw om het nieuwe antwoord te zien."
        )
    return Parsed({}, errors, stale=True, outside=bool(conflict.outside))


def _full_stop(text: str) -> str:
    """An answer quoted at the end of a sentence: '(leeg)' when empty, one full stop."""
    text = text.strip() or "(leeg)"
    return text if text.endswith((".", "!", "?")) else f"{text}."
