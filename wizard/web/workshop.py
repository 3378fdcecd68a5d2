"""`beleidsnotitie werksessie MAP --groepen N`: many groups at once, one advisor, one combined file.

MAP gets one answers file per group (groep-1.yaml …) and gecombineerd.yaml; files that are
already there are used again, so a session can be resumed. Every file is an answering session
like any other (wizard/answering.py, through web/walk_adapter.py): every group opens its own
link (its own token and cookie) and sees the ordinary pages on its own file, plus a note per
part (the werksessie toelichting, Answering.set_note). With `--route kort` (or the choice on
the projection page) every group follows the same route. The advisor's link opens the
combined file and the projection page (/sessie): per group the counts, statuses and findings
of its session's parts (what its own task list shows) and, per question the route asks, the
groups' answers where they differ (wizard.compare, the `vergelijk` logic: ties, goals and
subsidies matched by who they are), the most political first, with a button to adopt one
group's answer into the combined file: a whole answer (also a multiple choice), one field of
a tie or goal, a whole tie or goal, or a note. Each button carries the combined file's revision
the page showed; an answer changed there since, on a page or by hand in the file itself, is not
overwritten (check_fresh, as a stale tab on the ordinary pages). It carries the group's answer as shown too: a group that changed it
since is not adopted from, so the advisor adopts what the room saw. Differences already settled in the combined file fold up. A separate
page (/sessie/meedoen) shows each group's link and, with `--netwerk`, its short link with a QR
code (segno, inline SVG), for the beamer.

The projection page follows /sessie/stroom (server-sent events: the revision of every file,
the moment one changes, and a ping every 15 seconds; a file changed by hand in a text editor is
taken in within a second, at a new revision, Answering.refresh) and fetches its content again only after
a change; a browser without EventSource asks /sessie/stand every second (static/sessie.js).
"""

from __future__ import annotations

import asyncio
import copy
import re
import threading
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import jinja2
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from wizard.answering import Conflict, Status, note_key
from wizard.answers import NotSaved
from wizard.compare import MISSING, NAMED, NOT_ASKED, Difference, identity, match_items, present_in
from wizard.display import answer_text
from wizard.questionnaire import ROUTES, Question
from wizard.web.guard import CSRF_FIELD, MAIN, Keys
from wizard.web.walk_adapter import Walk, seen_on_page

COMBINED = "gecombineerd"
STREAM_LOOK = 0.2  # seconds between looks at the revisions (memory only): well within a second
STREAM_PING = 15.0  # seconds of quiet before a comment line keeps the connection open
FILE_LOOK = 1.0  # seconds between looks at the files themselves (a change by hand, in an editor)
MAX_GROUPS = 30
# What a council argues about most comes first on the projection: the proposal per tie (and
# which ties there are at all), the budget, and what the council decides about disasters.
# "vraag" or "vraag.veld"; everything else follows in questionnaire order.
FIRST = ("partnerschappen.advies", "partnerschappen", "budget_jaar", "ramp_keuze")
ROUTE_NAMES = {"kort": "de korte route", "volledig": "de volledige route"}


def group_names(count: int) -> list[str]:
    return [f"groep-{number}" for number in range(1, count + 1)]


def label(name: str) -> str:
    return name.replace("-", " ").capitalize()


@dataclass(frozen=True)
class GroupProgress:
    """One group on the projection, read from its answering session as its own pages read it."""

    name: str  # as shown (Groep 2)
    answered: int
    applicable: int
    statuses: list[tuple[str, int]]  # ('klaar', 2): how many asked parts have each status
    findings: int  # shown on this route: the sum of its task list
    later: int  # short route: the findings left for the full route
    route: str
    problem: str  # why its file no longer loads ('' when fine)
    notices: list[str]  # what opening its file noticed, as its own start page says it (Walk.page_notices)


@dataclass(frozen=True)
class Choice:
    """One group's answer in a difference, and whether it can be adopted."""

    group: str  # the group's key (groep-2)
    name: str  # as shown (Groep 2)
    text: str  # the answer as a reader sees it
    given: bool  # False: not answered, or the item is not in this group's list
    adoptable: bool


@dataclass(frozen=True)
class Row:
    """One difference as the projection shows it."""

    difference: Difference
    anchor: str
    title: str
    only: str  # 'alleen bij Groep 3', or ''
    choices: list[Choice]
    combined: str | None  # the combined file's answer here ('' none yet)
    chosen: list[str]  # the groups whose answer the combined file now holds: settled


class Moved(Exception):
    """Refused: the group changed the answer after the projection showed it (adopt only what was seen)."""

    def __init__(self, now: str) -> None:
        super().__init__(now)
        self.now = now


def _check_seen(shown: str | None, now: str | None) -> None:
    """Moved when the group's answer is no longer the text its button showed (None: not sent).
    Whitespace does not count: a browser sends line breaks in a form value as CR LF."""
    if shown is not None and shown.split() != (now or "").split():
        raise Moved(now or "")


class Console:
    """The advisor's pages of a werksessie; groups get a 403 here."""

    def __init__(
        self,
        combined: Walk,
        groups: dict[str, Walk],
        keys: Keys,
        env: jinja2.Environment,
        stopping: threading.Event,
    ) -> None:
        from wizard.worksheet import question_numbers

        self.combined = combined
        self.groups = groups
        self.keys = keys
        self.env = env
        self.stopping = stopping  # set at Ctrl-C: every stream ends, nothing is left to cancel
        # With --netwerk each group gets a short link and its QR code (made once, here).
        self.network = keys.network
        env.globals["netwerk"] = self.network  # the footer of every page says where it runs
        self.links = [
            (
                label(n),
                keys.start_url(n),
                keys.short_url(n) if self.network else "",
                self._qr(keys.short_url(n)),
            )
            for n in groups
        ]
        self.numbers = question_numbers(combined.questionnaire)
        self._checked: dict[Path, tuple[tuple[int, int], str]] = {}
        self._new_file: dict[str, tuple[int, int]] = {}

    def routes(self) -> list[Route]:
        """The advisor's addresses (app.py puts them before the ordinary pages)."""
        return [
            Route("/sessie", self.projection),
            Route("/sessie/meedoen", self.join),
            Route("/sessie/stand", self.state),
            Route("/sessie/stroom", self.stream),
            Route("/sessie/overnemen", self.adopt, methods=["POST"]),
            Route("/sessie/route", self.route, methods=["POST"]),
        ]

    def _qr(self, url: str) -> Markup:
        """The link as a QR code: an inline SVG made here (segno), nothing fetched from elsewhere.

        It repeats the short link printed beside it, so screen readers skip it. A viewBox and no
        fixed size: the page gives it its width (app.css), the same on a phone and on a beamer."""
        if not self.network:
            return Markup("")
        import segno

        svg = segno.make(url, error="m").svg_inline(
            scale=6, border=4, dark="#000", light="#fff", svgclass="qr", omitsize=True
        )
        return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))  # noqa: S704 - segno's own SVG of our own URL

    def _advisor(self, request: Request) -> None:
        if request.state.role != MAIN:
            raise HTTPException(403)

    def stand(self) -> str:
        # Counted from the run's start (page_revision): a projection left open over a restart never
        # mistakes the new run's revisions for the ones it shows.
        return ".".join(str(w.page_revision) for w in (self.combined, *self.groups.values()))

    async def state(self, request: Request) -> Response:
        self._advisor(request)
        await run_in_threadpool(self._look_at_files)  # asked every second: a hand edit shows too
        return PlainTextResponse(self.stand())

    async def stream(self, request: Request) -> Response:
        """Server-sent events: `stand` with the revisions whenever one changes, pings in between.

        Starlette ends the generator when the browser goes away; at Ctrl-C it ends itself
        (`stopping`) within STREAM_LOOK, so stopping never waits for or cancels a stream."""
        self._advisor(request)

        async def events() -> AsyncIterator[str]:
            yield "retry: 2000\n\n"
            last, quiet, looked = "", 0.0, 0.0
            while not self.stopping.is_set():
                if looked >= FILE_LOOK:  # a file changed by hand gets a new revision too
                    looked = 0.0
                    await run_in_threadpool(self._look_at_files)
                now = self.stand()
                if now != last:
                    last, quiet = now, 0.0
                    yield f"event: stand\ndata: {now}\n\n"
                elif quiet >= STREAM_PING:
                    quiet = 0.0
                    yield ": wacht\n\n"
                await asyncio.sleep(STREAM_LOOK)
                quiet += STREAM_LOOK
                looked += STREAM_LOOK

        return StreamingResponse(events(), media_type="text/event-stream")

    # --- the pages ---------------------------------------------------------------------

    async def projection(self, request: Request) -> Response:
        self._advisor(request)
        # Comparing all groups is real work: off the event loop, as the groups' own pages are.
        query = {key: value for key, value in request.query_params.items()}
        return HTMLResponse(await run_in_threadpool(self._projection, query))

    async def join(self, request: Request) -> Response:
        """The page to show while groups join: each group's link (and QR code), large."""
        self._advisor(request)
        page = self.env.get_template("sessie_meedoen.html.j2").render(
            walk=self.combined,
            role=MAIN,
            groups=self.links,
            network=self.network,
            host=self.keys.host,
        )
        return HTMLResponse(page)

    def _projection(self, query: Mapping[str, str]) -> str:
        from wizard.compare import differences

        self._look_at_files()  # a file changed by hand (in a text editor) is shown as it is now
        answers, progress = [], []
        for name, walk in self.groups.items():
            with walk.lock:  # a group may be saving in another thread: read a still picture
                answers.append(copy.deepcopy(walk.answers))
                progress.append(self._group_progress(name, walk))
        routes = {p.route for p in progress}
        route = routes.pop() if len(routes) == 1 else ""
        # Only what each group's route asks (all on one route: the evening's): an answer a group
        # gave before the route changed is no difference, and a question another route asks is
        # "not asked" for a group on the short route, not a difference.
        found, compared = differences(self.combined.questionnaire, answers, [p.route for p in progress])
        found = sorted(found, key=_weight)  # stable: questionnaire order after the political ones
        estimates = self._estimates()
        with self.combined.lock:  # the page shows the combined file's answers too
            rows = [self._row(difference) for difference in found]
            return self.env.get_template(
                "sessie.html.j2"
            ).render(
                walk=self.combined,
                role=MAIN,
                csrf_field=CSRF_FIELD,
                csrf=self.keys.roles[MAIN].csrf,
                revision=self.combined.page_revision,  # carried by every Overnemen button (a stale page is refused)
                stand=self.stand(),
                network=self.network,
                host=self.keys.host,
                progress=progress,
                rows=rows,
                open_rows=sum(1 for r in rows if not r.chosen),
                compared=compared,
                route=route,
                route_names=ROUTE_NAMES,
                estimates=estimates,
                message=self._message(query),
                combined_problem=self._file_problem(self.combined),
            )

    def _look_at_files(self) -> None:
        """Take in what was changed by hand in the combined file and the groups' files
        (Answering.refresh): a changed file gets a new revision, so the projection follows it."""
        for walk in (self.combined, *self.groups.values()):
            walk.refresh()

    def _group_progress(self, name: str, walk: Walk) -> GroupProgress:
        """Counts, statuses and findings from the group's session: what its own task list shows."""
        parts = walk.parts()
        asked = [p for p in parts if p.asked]
        counted = {status: sum(1 for p in asked if p.status is status) for status in Status}
        return GroupProgress(
            name=label(name),
            answered=sum(p.answered for p in parts),
            applicable=sum(p.applicable for p in parts),
            statuses=[(status.value, count) for status, count in counted.items() if count],
            findings=sum(len(p.findings) for p in parts),
            later=walk.findings().later_count,
            route=walk.on_route,
            problem=self._file_problem(walk),
            notices=walk.page_notices,
        )

    def _estimates(self) -> dict[str, tuple[int, int]]:
        """Minutes per route for a group that starts now (an empty file), as `start` estimates them."""
        from wizard.answers import Answers
        from wizard.walk import Walk as Engine

        if not self._new_file:
            questionnaire = self.combined.questionnaire
            self._new_file.update({r: Engine(questionnaire, r).estimate(Answers()).minutes for r in ROUTES})
        return self._new_file

    def _row(self, difference: Difference) -> Row:
        """A difference, what each group's button would adopt, and the combined file's answer."""
        names = [label(n) for n in self.groups]
        keys = list(self.groups)
        kind = difference.soort
        title = f"{difference.nummer} {difference.vraag}".strip()
        if kind == "toelichting":  # a group's note of a part: adopted as a whole
            choices = [
                Choice(k, n, text or "(geen toelichting)", text is not None, text is not None)
                for k, n, text in zip(keys, names, difference.waarden, strict=True)
            ]
            combined = self.combined.answers.notes.get(difference.deel_id) or ""
            chosen = [c.name for c in choices if c.given and c.text == combined] if combined else []
            anchor = _anchor("toelichting", difference.deel_id)
            title = f"Toelichting van de groepen bij {difference.deel}"
            return Row(difference, anchor, title, "", choices, combined, chosen)
        question = self.combined.questionnaire.by_id[difference.vraag_id]
        combined = self._combined_text(question, difference)
        choices = []
        for key, name, text, here in zip(
            keys, names, difference.waarden, difference.aanwezig or [True] * len(keys), strict=True
        ):
            given = text is not None and text not in (MISSING, NOT_ASKED) and here
            shown = "(niet ingevuld)" if text is None else text
            choices.append(Choice(key, name, shown, given, given))
        chosen = (
            [c.name for c in choices if c.given and c.text == combined]
            if combined not in ("", MISSING)
            else []
        )
        anchor = _anchor(difference.vraag_id, difference.item, difference.veld)
        only = present_in(difference, names)
        return Row(difference, anchor, title, only, choices, combined, chosen)

    def _combined_text(self, question: Question, difference: Difference) -> str:
        """The combined file's answer where this difference is ('': none yet; MISSING: the
        combined file does not list the item)."""
        if difference.soort == "vraag":
            return answer_text(self.combined.value(question), question) or ""
        here = match_items(question, self.combined.items(question)).get(difference.item)
        if here is None:
            return MISSING
        if difference.soort == "item":
            return NAMED
        field = next(f for f in question.velden if f.id == difference.veld)
        return answer_text(here[1].get(field.id), field) or ""

    def _message(self, query: Mapping[str, str]) -> str:
        """'Overgenomen van Groep 2: 2.2 Welke motieven …': what the last button did, from its ids."""
        if query.get("route") in ROUTES:
            return f"Alle groepen volgen nu {ROUTE_NAMES[query['route']]}."
        group = query.get("overgenomen", "")
        if group not in self.groups:
            return ""
        section = self.combined.section(query.get("toelichting", ""))
        if section is not None:
            return f"Overgenomen van {label(group)}: de toelichting bij {section.titel}"
        question = self.combined.questionnaire.by_id.get(query.get("vraag", ""))
        if question is None:
            return ""
        return f"Overgenomen van {label(group)}: {self._what(question, query.get('item', ''), query.get('veld', ''))}"

    def _what(self, question: Question, item: str, field_id: str) -> str:
        """'2.2 Welke motieven …', 'Wenzhou (China) · Wat stelt u voor …': one adoptable answer named."""
        if not question.kind.has_fields:
            return f"{self.numbers[question.key]} {question.label}"
        with self.combined.lock:
            found = match_items(question, self.combined.items(question)).get(identity(item))
        name = found[0] if found is not None else item
        field = next((f for f in question.velden if f.id == field_id), None)
        return f"{name} · {field.label}" if field is not None else f"{name}, met alle antwoorden"

    def _file_problem(self, walk: Walk) -> str:
        """Why a file that was changed by hand no longer loads ('' when it is fine).

        The file is read again only when its size or time changed, and only when it no
        longer holds what this server last wrote there."""
        from wizard import roundtrip
        from wizard.answers import load
        from wizard.errors import DataError

        try:
            status = walk.path.stat()
        except OSError:
            return ""
        stamp = (status.st_mtime_ns, status.st_size)
        known = self._checked.get(walk.path)
        if known is not None and known[0] == stamp:
            return known[1]
        problem = ""
        if not roundtrip.known(walk.path):
            try:
                load(walk.path, walk.questionnaire)
            except DataError as exc:
                problem = exc.problems[0].format().splitlines()[0] if exc.problems else str(exc)
                problem = problem.rstrip(".")  # quoted inside a sentence of its own: "(…)."
        self._checked[walk.path] = (stamp, problem)
        return problem

    # --- changing ----------------------------------------------------------------------

    async def route(self, request: Request) -> Response:
        """Put every group (and the combined file) on one route."""
        self._advisor(request)
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        chosen = (form.get("route") or [""])[0]
        if chosen not in ROUTES:
            raise HTTPException(400)
        return await run_in_threadpool(self._set_route, chosen)

    def _set_route(self, route: str) -> Response:
        for walk in (*self.groups.values(), self.combined):
            try:
                walk.set_route(route)
            except NotSaved as exc:
                return self._not_saved(exc)
        return RedirectResponse(f"/sessie?route={route}", 303)

    async def adopt(self, request: Request) -> Response:
        """Copy one group's answer into the combined file: a question, one field of an item
        (matched by who it is), or a whole item (a tie the combined file does not have yet)."""
        self._advisor(request)
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        return await run_in_threadpool(
            self._adopt, {key: values[0] for key, values in form.items() if values}
        )

    def _adopt(self, form: dict[str, str]) -> Response:
        """Adopt, unless the combined file changed here after the projection showed it (the
        revision the page carries): then nothing is written and the advisor is told, as a stale
        tab is on the ordinary pages."""

        def one(key: str) -> str:
            return form.get(key, "")

        group = self.groups.get(one("groep"))
        seen = seen_on_page(one("revisie"))
        shown = form.get("gezien")  # the group's answer as its button showed it
        if group is None:
            raise HTTPException(400)
        # Answers changed by hand in the files since: a newer revision (check_fresh refuses on them).
        group.refresh()
        self.combined.refresh()
        if one("toelichting"):
            try:
                return self._adopt_note(one("groep"), group, one("toelichting"), seen, shown)
            except Moved as moved:
                section = self.combined.section(one("toelichting"))
                what = f"Toelichting bij {section.titel if section else ''}"
                return self._moved(one("groep"), what, moved.now, _anchor("toelichting", one("toelichting")))
        question = self.combined.questionnaire.by_id.get(one("vraag"))
        if question is None or question.group is not None:
            raise HTTPException(400)
        query = {"overgenomen": one("groep"), "vraag": question.id}
        anchor = _anchor(question.id, identity(one("item")) if question.kind.has_fields else "", one("veld"))
        try:
            if question.kind.has_fields:
                self._adopt_item(question, group, one("item"), one("veld"), seen, shown)
                query.update(item=one("item"), veld=one("veld"))
            else:
                with group.lock:  # the group's answer as it stands, then the combined file changes
                    value = copy.deepcopy(group.value(question))
                _check_seen(shown, answer_text(value, question))
                with self.combined.lock:
                    self.combined.check_fresh({question.id: value}, seen)
                    self.combined.set_answers({question.id: value})
        except NotSaved as exc:
            return self._not_saved(exc)
        except Conflict as conflict:
            what = self._what(question, one("item"), one("veld"))
            return self._stale(what, self._newer(question, conflict), anchor, bool(conflict.outside))
        except Moved as moved:
            return self._moved(
                one("groep"), self._what(question, one("item"), one("veld")), moved.now, anchor
            )
        return RedirectResponse(f"/sessie?{urlencode(query)}#{anchor}", 303)

    def _adopt_item(
        self,
        group_question: Question,
        group: Walk,
        key: str,
        field_id: str,
        seen: int | None,
        shown: str | None = None,
    ) -> None:
        """Adopt one field of the item `key`, or (no field) the whole item.
        Conflict when what it would replace changed after revision `seen`; Moved when the
        group's field is no longer what the projection showed."""
        field = next((f for f in group_question.velden if f.id == field_id), None)
        if field_id and field is None:
            raise HTTPException(400)
        key = identity(key)  # the form sends the identity; a name as shown ('Wanica (Suriname)') is the same
        with group.lock:
            source = match_items(group_question, copy.deepcopy(group.items(group_question))).get(key)
        if source is None:
            raise HTTPException(400)  # this group does not list the item (any more)
        if field is not None:
            _check_seen(shown, answer_text(source[1].get(field.id), field))
        with self.combined.lock:
            items = self.combined.items(group_question)
            here = match_items(group_question, items).get(key)
            if here is None:  # not in the combined file yet: the whole item, whatever was asked
                self.combined.set_item(group_question, None, dict(source[1]))  # adds: nothing replaced
            else:
                index = next(i for i, item in enumerate(items) if item is here[1])
                new = dict(source[1]) if field is None else {**here[1], field.id: source[1].get(field.id)}
                replaced = group_question.velden if field is None else (field,)
                posted = {f"{group_question.id}/{index}/{f.id}": new.get(f.id) for f in replaced}
                self.combined.check_fresh(posted, seen)
                self.combined.set_item(group_question, index, new)

    def _adopt_note(
        self, name: str, group: Walk, section_id: str, seen: int | None, shown: str | None
    ) -> Response:
        """Adopt a group's note of a part (werksessie toelichting) into the combined file."""
        section = self.combined.section(section_id)
        if section is None:
            raise HTTPException(400)
        with group.lock:
            note = group.answers.notes.get(section.id)
        _check_seen(shown, note)
        if not note:
            raise HTTPException(400)  # this group wrote no note here (any more)
        anchor = _anchor("toelichting", section.id)
        with self.combined.lock:
            try:
                self.combined.check_fresh({note_key(section.id): note}, seen)
                self.combined.set_note(section, note)
            except Conflict as conflict:
                newer = next(iter(conflict.changed.values())) or ""
                return self._stale(f"Toelichting bij {section.titel}", newer, anchor, bool(conflict.outside))
            except NotSaved as exc:
                return self._not_saved(exc)
        query = {"overgenomen": name, "toelichting": section.id}
        return RedirectResponse(f"/sessie?{urlencode(query)}#{anchor}", 303)

    @staticmethod
    def _newer(question: Question, conflict: Conflict) -> str:
        """The combined file's newer answer that refused an adoption, as a reader sees it."""
        texts = []
        for key, value in conflict.changed.items():
            field_id = key.rsplit("/", 1)[1] if "/" in key else ""
            field = next((f for f in question.velden if f.id == field_id), None)
            text = answer_text(value, field or question) or "(leeg)"
            texts.append(f"{field.label} {text}" if field is not None and len(conflict.changed) > 1 else text)
        return "; ".join(texts)

    def _stale(self, what: str, newer: str, anchor: str, outside: bool = False) -> Response:
        """Adopting over a newer change to the combined file (on a page, or by hand in the file
        itself: `outside`): refused, nothing lost, the newer answer shown, reload offered."""
        how = " met de hand (buiten dit programma)" if outside else ""
        text = (
            f"Het antwoord bij ‘{what}’ in {self.combined.path.name} is{how} veranderd nadat deze projectie "
            f"werd getoond, in: {_sentence(newer)} Er is niets overschreven en niets verloren."
        )
        return self._refused(text, anchor)

    def _moved(self, group: str, what: str, now: str, anchor: str) -> Response:
        """The group changed its answer after the projection showed it: adopt only what was seen."""
        text = (
            f"{label(group)} heeft het antwoord bij ‘{what}’ veranderd nadat deze projectie werd getoond, "
            f"in: {_sentence(now)} Er is niets overgenomen."
        )
        return self._refused(text, anchor)

    def _refused(self, text: str, anchor: str) -> Response:
        page = self.env.get_template("fout.html.j2").render(
            status=409,
            title="Niet overgenomen",
            text=f"{text} Laad de projectie opnieuw om het nieuwe antwoord te zien en kies dan opnieuw.",
            back=(f"/sessie#{anchor}", "Projectie opnieuw laden"),
        )
        return HTMLResponse(page, status_code=409)

    def _not_saved(self, exc: NotSaved) -> Response:
        """The combined file (or a group's) was broken by hand: say so, write nothing over it."""
        page = self.env.get_template("fout.html.j2").render(
            status=409,
            title="Niet bewaard",
            text="Het antwoord staat nog niet in het bestand: het bestand is buiten dit programma veranderd "
            "en klopt nu niet. Het programma schrijft er niet overheen, zodat die wijziging niet verloren gaat. "
            "Herstel het bestand; bij de volgende keer bewaren komt het antwoord er alsnog in.",
            details=[p.format() for p in exc.problems],
            back=("/sessie", "Terug naar de projectie"),
        )
        return HTMLResponse(page, status_code=409)


def _sentence(text: str) -> str:
    """An answer quoted at the end of a sentence: '(leeg)' when empty, one full stop."""
    text = text.strip() or "(leeg)"
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _weight(difference: Difference) -> int:
    """Where a difference stands on the projection: the political ones first (FIRST)."""
    key = f"{difference.vraag_id}.{difference.veld}" if difference.veld else difference.vraag_id
    return FIRST.index(key) if key in FIRST else len(FIRST)


def _anchor(*parts: str) -> str:
    """The id of a difference on the projection page (to return to it after a button)."""
    return "vraag-" + re.sub(r"[^a-z0-9_]+", "-", " ".join(p for p in parts if p).lower()).strip("-")
