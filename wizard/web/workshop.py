"""`beleidsnotitie werksessie MAP --groepen N`: many groups at once, one advisor, one combined file.

MAP gets one answers file per group (groep-1.yaml …) and gecombineerd.yaml; files that are
already there are used again, so a session can be resumed. Every group opens its own link
(its own token and cookie) and sees the ordinary pages on its own file. The advisor's link
opens the combined file and the projection page (/sessie): the progress of each group and,
per question, the groups' answers where they differ (wizard.compare, the `vergelijk` logic),
with a button to adopt one group's answer into the combined file. The projection page
follows /sessie/stroom (server-sent events: the revision of every file, the moment one
changes, and a ping every 15 seconds) and fetches its content again only after a change;
a browser without EventSource asks /sessie/stand every second instead. With `--netwerk` the
projection also shows each group's short link with a QR code (segno, inline SVG). The projection asks
/sessie/stand every second (static/sessie.js) and reloads its content only after a change.
"""

from __future__ import annotations

import asyncio
import copy
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import jinja2
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse

from wizard.compare import Difference, _items_by_name
from wizard.questionnaire import Question
from wizard.web.guard import CSRF_FIELD, MAIN, Keys
from wizard.web.walk_adapter import Walk

COMBINED = "gecombineerd"
STREAM_LOOK = 0.2  # seconds between looks at the revisions (memory only): well within a second
STREAM_PING = 15.0  # seconds of quiet before a comment line keeps the connection open
MAX_GROUPS = 30


def group_names(count: int) -> list[str]:
    return [f"groep-{number}" for number in range(1, count + 1)]


@dataclass(frozen=True)
class Target:
    """What an 'Overnemen' button changes: a question, or one field of the item with this name."""

    question: str
    field: str
    item: str
    anchor: str


def label(name: str) -> str:
    return name.replace("-", " ").capitalize()


class Console:
    """The advisor's pages of a werksessie; groups get a 403 here."""

    def __init__(self, combined: Walk, groups: dict[str, Walk], keys: Keys, env: jinja2.Environment) -> None:
        from wizard.worksheet import question_numbers

        self.combined = combined
        self.groups = groups
        self.keys = keys
        self.env = env
        # With --netwerk each group gets a short link and its QR code (made once, here).
        self.network = keys.host not in ("127.0.0.1", "localhost")
        self.links = [
            (
                label(n),
                keys.start_url(n),
                keys.short_url(n) if self.network else "",
                self._qr(keys.short_url(n)),
            )
            for n in groups
        ]
        numbers = question_numbers(combined.questionnaire)
        # A difference names its question by number: a top-level question, or a field of a group.
        self.by_number = {numbers[q.key]: q for q in combined.questionnaire.questions()}
        self.fields_by_number = {
            numbers[f.key]: (q, f) for q in combined.questionnaire.questions() for f in q.fields
        }

    def _qr(self, url: str) -> Markup:
        """The link as a QR code: an inline SVG made here (segno), nothing fetched from elsewhere.

        It repeats the short link printed beside it, so screen readers skip it."""
        if not self.network:
            return Markup("")
        import segno

        svg = segno.make(url, error="m").svg_inline(
            scale=6, border=4, dark="#000", light="#fff", svgclass="qr"
        )
        return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))  # noqa: S704 - segno's own SVG of our own URL

    def _advisor(self, request: Request) -> None:
        if request.state.role != MAIN:
            raise HTTPException(403)

    def stand(self) -> str:
        return ".".join(str(w.revision) for w in (self.combined, *self.groups.values()))

    async def state(self, request: Request) -> Response:
        self._advisor(request)
        return PlainTextResponse(self.stand())

    async def stream(self, request: Request) -> Response:
        """Server-sent events: `stand` with the revisions whenever one changes, pings in between.

        Starlette ends the generator when the browser goes away; uvicorn cancels it at
        shutdown after its graceful timeout, so Ctrl-C never hangs on an open stream."""
        self._advisor(request)

        async def events() -> AsyncIterator[str]:
            yield "retry: 2000\n\n"
            last, quiet = "", 0.0
            while True:
                now = self.stand()
                if now != last:
                    last, quiet = now, 0.0
                    yield f"event: stand\ndata: {now}\n\n"
                elif quiet >= STREAM_PING:
                    quiet = 0.0
                    yield ": wacht\n\n"
                await asyncio.sleep(STREAM_LOOK)
                quiet += STREAM_LOOK

        return StreamingResponse(events(), media_type="text/event-stream")

    async def projection(self, request: Request) -> Response:
        self._advisor(request)
        # Comparing all groups is real work: off the event loop, as the groups' own pages are.
        return HTMLResponse(
            await run_in_threadpool(self._projection, request.query_params.get("overgenomen", ""))
        )

    def _projection(self, adopted: str) -> str:
        from wizard.compare import differences

        answers, progress = [], []
        for name, walk in self.groups.items():
            with walk.lock:  # a group may be saving in another thread: read a still picture
                answers.append(copy.deepcopy(walk.answers))
                parts = walk.progress()
            progress.append(
                (
                    label(name),
                    sum(p.answered for p in parts),
                    sum(p.applicable for p in parts),
                    sum(p.findings for p in parts),
                )
            )
        found, compared = differences(self.combined.questionnaire, answers)
        with self.combined.lock:  # the page shows the combined file's answers too
            rows = [self._row(difference) for difference in found]
            return self.env.get_template("sessie.html.j2").render(
                walk=self.combined,
                role=MAIN,
                csrf_field=CSRF_FIELD,
                csrf=self.keys.roles[MAIN].csrf,
                stand=self.stand(),
                groups=self.links,
                network=self.network,
                host=self.keys.host,
                names=[label(n) for n in self.groups],
                keys=list(self.groups),
                progress=progress,
                rows=rows,
                compared=compared,
                adopted=adopted,
            )

    def _row(self, difference: Difference) -> tuple[Difference, Target | None, str | None]:
        """A difference, what adopting it would change, and the combined file's answer there."""
        question = self.by_number.get(difference.nummer)
        if question is not None and question.group is None:
            target = Target(question.id, "", "", f"vraag-{question.id}")
            return difference, target, self.combined.shown(question, self.combined.value(question))
        found = self.fields_by_number.get(difference.nummer)
        if found is None or not difference.vraag.endswith(f" · {found[1].label}"):
            return difference, None, None  # a note of a part: nothing to adopt
        group, field = found
        name = difference.vraag[: -len(f" · {field.label}")]
        anchor = _anchor(group, name, field)
        item = _items_by_name(group, self.combined.items(group)).get(name)
        shown = self.combined.shown(field, item.get(field.id)) if item is not None else None
        return difference, Target(group.id, field.id, name, anchor), shown

    async def adopt(self, request: Request) -> Response:
        """Copy one group's answer into the combined file: a question, or one field of a named item.

        An item the combined file does not have yet (a tie, a goal) is copied whole."""
        from urllib.parse import parse_qs

        self._advisor(request)
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        return await run_in_threadpool(
            self._adopt, {key: values[0] for key, values in form.items() if values}
        )

    def _adopt(self, form: dict[str, str]) -> Response:
        def one(key: str) -> str:
            return form.get(key, "")

        question = self.combined.questionnaire.by_id.get(one("vraag"))
        group = self.groups.get(one("groep"))
        if question is None or question.group is not None or group is None:
            raise HTTPException(400)
        anchor = f"vraag-{question.id}"
        with group.lock:  # the group's answer as it stands, then the combined file changes
            value = copy.deepcopy(group.value(question))
            source = _items_by_name(question, copy.deepcopy(group.items(question))).get(one("item"))
        with self.combined.lock:
            if not one("veld"):
                self.combined.set_answers({question.id: value})
            else:
                field = next((f for f in question.fields if f.id == one("veld")), None)
                if field is None or source is None:
                    raise HTTPException(400)
                items = self.combined.items(question)
                here = _items_by_name(question, items).get(one("item"))
                if here is None:
                    self.combined.set_item(question, None, dict(source))
                else:
                    index = next(i for i, item in enumerate(items) if item is here)
                    self.combined.set_item(question, index, {**here, field.id: source.get(field.id)})
                anchor = _anchor(question, one("item"), field)
        return RedirectResponse(f"/sessie?overgenomen={question.id}.{one('groep')}#{anchor}", 303)


def _anchor(group: Question, item: str, field: Question) -> str:
    """The id of a difference inside a named item on the projection page (to return to it)."""
    return "vraag-" + re.sub(r"[^a-z0-9]+", "-", f"{group.id} {item} {field.id}".lower()).strip("-")
