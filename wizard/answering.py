"""One answering session per answers file: the one state the terminal and the browser show.

The terminal (wizard/session.py) and the web pages (wizard/web/walk_adapter.py, app.py) are
views: they ask, print and render. Everything they say about the state of an answers file
comes from here, so they cannot disagree:

    session = Answering(questionnaire, path, Options(route="kort"))
    session.open()                      # read the file (or start an empty one)
    session.findings()                  # what this route can settle (RouteFindings)
    session.parts()                     # per part: counts, status, open places, findings
    session.set(Place("inwoners"), 23000)        # stored and saved at once (round trip)
    session.readiness()                 # may this be final?
    session.download("notitie", "pdf", final=False)  # bytes through the one publish path

It owns the path, the in-process lock (two browser tabs never interleave a change), the
answers, the route and the walk (wizard/walk.py, the screen-free engine). Findings are
filtered by route in `findings()` only: on the short route the findings about questions
the short route does not ask are counted and named per part of the full route.
"""

from __future__ import annotations

import copy
import enum
import hashlib
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import answers as answers_mod
from wizard import conditions
from wizard.conditions import is_filled
from wizard.questionnaire import FULL, ROUTES, SHORT, Question, Questionnaire, Section
from wizard.severity import Severity
from wizard.walk import Estimate, OffRoute, OpenItem, Place, Walk

if TYPE_CHECKING:
    from wizard.accountability import Accountability
    from wizard.draft import Draft, Drafter
    from wizard.kinds import Context
    from wizard.readiness import OpenPlace, Readiness
    from wizard.rules import Finding, RuleSet

BLOCKING = Severity.BLOCKING
DRAFT_KINDS = ("notitie", "raadsvoorstel")  # as documents.DRAFT_KINDS, without importing it early
NOTICE = "Let op: "  # how every view starts a line that opening the file noticed


@dataclass(frozen=True)
class Options:
    """How a session runs: the route (None: from the file, else ask), a werksessie, the rules."""

    route: str | None = None
    workshop: bool = False
    rule_dirs: tuple[Path, ...] = ()
    skip_rules: tuple[str, ...] = ()


class Status(enum.Enum):
    """How far one part is; one meaning everywhere (task list, overview, terminal).

    - niet begonnen: no answer given in this part yet (findings do not change that);
    - bezig: some answers given, something still open;
    - klaar: every question this route asks here is answered and nothing blocks;
    - heeft aandacht nodig: answers given, and a blocking finding belongs to this part.
    """

    NOT_STARTED = "niet begonnen"
    IN_PROGRESS = "bezig"
    DONE = "klaar"
    ATTENTION = "heeft aandacht nodig"

    @property
    def label(self) -> str:
        return self.value[:1].upper() + self.value[1:]


@dataclass(frozen=True)
class RouteFindings:
    """The findings of one answers file on its route."""

    shown: tuple[Finding, ...]  # what this route can settle
    later: tuple[OffRoute, ...] = ()  # short route: the others, per part of the full route

    @property
    def later_count(self) -> int:
        return sum(len(part.findings) for part in self.later)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.shown if f.severity == BLOCKING)

    @property
    def later_blocking(self) -> tuple[Finding, ...]:
        """The blocking findings off this route: a definitive version is refused on them too
        (wizard/readiness.py)."""
        return tuple(f for part in self.later for f in part.findings if f.severity == BLOCKING)

    def later_text(self) -> str:
        """'3 punten komen aan bod op de volledige route' (', waarvan 1 blokkerend'), or ''."""
        count = self.later_count
        if not count:
            return ""
        text = f"{count} {'punt komt' if count == 1 else 'punten komen'} aan bod op de volledige route"
        blocking = len(self.later_blocking)
        return text + (f", waarvan {blocking} blokkerend" if blocking else "")


@dataclass(frozen=True)
class Part:
    """One part (section) of the questionnaire for one answers file on its route."""

    section: Section
    number: int
    applicable: int  # questions this route asks here (with their conditions)
    answered: int  # of which answered (a group: every item complete)
    touched: bool  # some answer given here, also half an item
    findings: tuple[Finding, ...]  # the findings shown after this part
    open: tuple[OpenItem, ...] = field(default_factory=tuple)

    @property
    def asked(self) -> bool:
        """False for a part this route does not ask anything of."""
        return self.applicable > 0

    @property
    def blocking(self) -> int:
        return sum(1 for f in self.findings if f.severity == BLOCKING)

    @property
    def status(self) -> Status:
        if not self.touched and not self.answered:
            return Status.NOT_STARTED
        if self.blocking:
            return Status.ATTENTION
        if self.answered >= self.applicable:
            return Status.DONE
        return Status.IN_PROGRESS


FULL_ROUTE_NOTE = (
    "Deze vraag hoort bij de volledige route. U mag hem nu al beantwoorden: uw antwoord wordt bewaard "
    "en telt mee, en u blijft op de korte route."
)
FULL_ROUTE_PART_NOTE = (
    "Dit deel hoort bij de volledige route. U mag de vragen nu al beantwoorden: uw antwoorden worden "
    "bewaard en tellen mee, en u blijft op de korte route."
)
FULL_ROUTE_ITEM_NOTE = (
    "Deze vragen horen bij de volledige route. U mag ze nu al beantwoorden: uw antwoorden worden "
    "bewaard en tellen mee, en u blijft op de korte route."
)
ROUTE_TEXTS = {  # what each route is, said the same in every view
    SHORT: (
        "Kort",
        "Alleen de vragen waarmee de raad besluit, voor een eerste, kortere notitie. Later kunt u verder met de rest.",
    ),
    FULL: ("Volledig", "Alle vragen, voor een volledige notitie die de raad kan vaststellen."),
}
ADVICE_SHORT = (
    "Aangeraden: de korte route. Zo heeft u snel een eerste concept met de besluiten van de raad, "
    "om te bespreken. Daarna kunt u verder op de volledige route; dan komen alleen de vragen die nog "
    "open zijn."
)
ADVICE_FULL = (
    "Aangeraden: de volledige route. In dit bestand staan al antwoorden op vragen die alleen de "
    "volledige route stelt ({count}); op de volledige route ziet u ze allemaal terug."
)


@dataclass(frozen=True)
class RouteChoice:
    """One route as a view offers it: its name, what it is, and how long it takes for this file."""

    route: str
    name: str  # 'Kort'
    text: str  # what the route asks, one or two sentences
    estimate: Estimate
    suggested: bool


@dataclass(frozen=True)
class RouteOffer:
    """The routes in order, the one suggested and why; `chosen` is the file's (or the options')
    route, and a view asks only while it is None (a file with `route:` is never asked again)."""

    choices: tuple[RouteChoice, ...]
    suggested: str
    advice: str
    chosen: str | None

    @property
    def ask(self) -> bool:
        return self.chosen is None

    @property
    def selected(self) -> str:
        """The route a view marks: the chosen one, else the suggested one."""
        return self.chosen or self.suggested


class Conflict(Exception):
    """A change refused: the answer changed elsewhere after the page showed it (a stale tab, or
    the file itself, changed by hand in an editor)."""

    def __init__(self, changed: dict[str, Any], outside: frozenset[str] = frozenset()) -> None:
        super().__init__(", ".join(changed))
        self.changed = changed  # key → the newer value
        self.outside = outside  # the keys among them that were changed in the file by hand


def seen_revision(text: str) -> int | None:
    """The revision a page says it showed (its hidden field): None when it says none; 0, the
    oldest, when it cannot be read ('²' passes str.isdigit, 5,000 digits are more than Python
    reads), so that an answer changed since the file was opened is never written over."""
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else 0


def note_key(section_id: str) -> str:
    """The key of a part's werksessie note where answers are keyed (check_fresh): 'werksessie/visie'."""
    return f"{answers_mod.NOTES_KEY}/{section_id}"


def understood(question: Question, value: Any, typed: str | None = None) -> str:
    """'Genoteerd: € 2.027': how the tool read an answer, said after typing in every view.

    A number is always repeated (2027 as a budget is € 2.027); other text only when what was
    read differs from what was typed (1-12-2026 → 1 december 2026). '' when nothing to say."""
    from wizard.kinds import Money, Number

    if not is_filled(value) or question.kind.has_fields or isinstance(value, list | dict | bool):
        return ""
    kind = question.kind
    read = kind.understood(value, question) if isinstance(kind, Money) else kind.display(value, question)
    if isinstance(kind, Number) or (typed is not None and read != typed.strip()):
        return f"Genoteerd: {read}"
    return ""


def route_findings(
    questionnaire: Questionnaire, rule_set: RuleSet, answers: answers_mod.Answers
) -> RouteFindings:
    """The findings of `answers` on its own route: the one filter `toets` and both views use."""
    from wizard import facts
    from wizard import rules as rules_mod

    found = rules_mod.evaluate(rule_set, facts.derive(answers, questionnaire), questionnaire)
    walk = Walk(questionnaire, answers.on_route)
    if walk.route == FULL:
        return RouteFindings(tuple(found))
    kept, later = walk.split(found, rule_set.rules, answers)
    return RouteFindings(tuple(kept), tuple(later))


class Answering:
    """One answers file being answered: the state every view reads and changes."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        path: Path,
        options: Options | None = None,
        rules: RuleSet | None = None,
        drafter: Drafter | None = None,
        profile: Accountability | None = None,
    ) -> None:
        """`profile`: a verantwoording's (wizard/accountability.py), else the framework's."""
        self.profile = profile
        if profile is not None:
            questionnaire = profile.questionnaire
        self.questionnaire = questionnaire
        self.path = path
        self.options = options or Options()
        self.lock = threading.RLock()
        self.answers = answers_mod.Answers(path=path)
        self.route: str | None = self.options.route  # None: not chosen yet
        self.walk = self._walk(self.route or FULL)
        self.revision = 0  # counts the changes made here (stale tabs, the werksessie projection)
        self._changed: dict[str, int] = {}  # answer key → the revision that last changed it
        self._outside: set[str] = set()  # keys last changed in the file by hand (refresh)
        self._unmarked: dict[str, tuple[int | None, bool]] = {}  # marks before the coming save's
        self._fingerprint: bytes | None = None  # the file's content as this session last read or wrote it
        self._unreadable: bytes | None = None  # a content that did not load (not read again)
        self._rules = rules
        self._drafter = drafter
        self._homes: dict[str, int] | None = None
        self._values: dict[str, Any] | None = None
        self._findings: RouteFindings | None = None
        self._prepared = False

    def _walk(self, route: str) -> Walk:
        if self.profile is None:
            return Walk(self.questionnaire, route)
        return Walk(self.questionnaire, route, self.profile.derive, self.profile.sources)

    @property
    def kinds(self) -> tuple[str, ...]:
        """The document kinds this session ends in (the framework's, or the evaluation's)."""
        return tuple(self.profile.kinds) if self.profile is not None else DRAFT_KINDS

    # --- the file ----------------------------------------------------------------------

    def open(self, create: bool = False) -> bool:
        """Read the answers file; True when it existed. A new file is saved at once with `create`.

        The route: the one the options chose, else the one in the file (None when neither)."""
        existed = self.path.exists()
        if existed:
            self._fingerprint = self._file_fingerprint()  # before reading: an edit in between is seen later
            self.answers = answers_mod.load(self.path, self.questionnaire)  # DataError: said by the caller
        else:
            self.answers = answers_mod.Answers()
        self.answers.path = self.path
        if self.profile is not None:
            self.profile.bind(self.path, self.answers)  # the framework and earlier periods
            self._values = None
            self._findings = None
        route = self.options.route or self.answers.route
        if self.profile is not None:
            route = self.profile.route
        if route is not None:
            self.use_route(route, save=existed)
        if create and not existed:
            self.save()
        return existed

    def prepare_saving(self) -> None:
        """Read the file's round-trip form once, before the first answer (answers.prepare_saving)."""
        with self.lock:
            if not self._prepared:
                self._prepared = True
                answers_mod.prepare_saving(self.path)

    def save(self) -> None:
        with self.lock:
            self._values = None
            self._findings = None
            self.revision += 1
            try:
                written = answers_mod.save(self.answers, self.questionnaire, self.path)
            except answers_mod.NotSaved:
                self._roll_back()
                raise
            finally:
                self._unmarked.clear()
            self._fingerprint = hashlib.sha256(written).digest()

    def _roll_back(self) -> None:
        """Back to the answers the file holds (as last saved or taken in): a change the person was
        told is not saved (NotSaved) must not stay here, to be shown and written by a later save
        over what is in the file by then (a repair by hand with its own value)."""
        for key, (revision, outside) in self._unmarked.items():  # changed here: not after all
            if revision is None:
                self._changed.pop(key, None)
            else:
                self._changed[key] = revision
            if outside:
                self._outside.add(key)
        saved = self.answers.saved
        if saved is None:
            return
        self.answers.values.clear()
        self.answers.values.update(
            copy.deepcopy(
                {k: v for k, v in saved.items() if k not in (answers_mod.ROUTE_KEY, answers_mod.NOTES_KEY)}
            )
        )
        self.answers.notes.clear()
        self.answers.notes.update(saved.get(answers_mod.NOTES_KEY) or {})
        self.answers.route = saved.get(answers_mod.ROUTE_KEY)

    def _file_fingerprint(self) -> bytes | None:
        """The file's content as a fingerprint (None when it is not there).

        Only a regular file within the size limit is read (yamlsource.read_limited), as loading
        it would: a FIFO put in its place would hang this look (under the lock), and a huge
        file would be read whole on every page and every second of the projection. Anything
        else is fingerprinted by what it is, its size and time, so it is tried once (and found
        unreadable) until it changes."""
        from wizard.errors import DataError
        from wizard.yamlsource import read_limited

        try:
            return hashlib.sha256(read_limited(self.path)).digest()
        except DataError:
            try:
                info = self.path.stat()
            except OSError:
                return None
            return hashlib.sha256(f"{info.st_mode} {info.st_size} {info.st_mtime_ns}".encode()).digest()

    def refresh(self) -> bool:
        """Take in what was changed in the file by hand (in a text editor) since this session
        last read or wrote it. Each answer (a field of a tie or goal, a note of a part) changed
        there counts as changed now, at a new revision: a page or projection shown before is
        refused on it (check_fresh), as a stale tab is, and so a hand edit is never silently
        written over. A file that no longer loads is left as it is (saving says so: NotSaved).
        True when answers changed."""
        from wizard.errors import DataError

        with self.lock:
            old = self.answers.saved
            now = self._file_fingerprint()
            if old is None or now is None or now in (self._fingerprint, self._unreadable):
                return False
            if answers_mod.emptied(self.path):  # an editor between emptying and writing: wait
                self._unreadable = now
                return False
            if not answers_mod.settled(self.path):  # an editor still writing it: look again later
                return False
            now = self._file_fingerprint()  # as it is read now, written whole
            try:
                on_disk = answers_mod.load(self.path, self.questionnaire)
            except DataError:
                self._unreadable = now
                return False
            self._fingerprint = now
            theirs = on_disk.saved or {}
            self.answers.saved = theirs
            self.answers.encoding = on_disk.encoding  # saved again in an editor: keep what it chose
            self.answers.upgraded = list(on_disk.upgraded)  # and say it as opening it would (Windows-1252)
            current = answers_mod.snapshot(self.answers)
            mine = {k for k in old.keys() | current.keys() if old.get(k) != current.get(k)}  # not saved yet
            changed = [k for k in old.keys() | theirs.keys() if old.get(k) != theirs.get(k) and k not in mine]
            marks = self._take_in(on_disk, old, theirs, changed)
            if not marks:
                return False
            self.revision += 1
            for key in marks:
                self._changed[key] = self.revision
            self._outside.update(marks)
            self._values = None
            self._findings = None
            return True

    def _take_in(
        self,
        on_disk: answers_mod.Answers,
        old: Mapping[str, Any],
        theirs: Mapping[str, Any],
        changed: list[str],
    ) -> list[str]:
        """Put the file's answers for `changed` in this session; the keys that changed (as
        check_fresh names them: 'vraag', 'groep/0/veld', 'werksessie/deel')."""
        marks: list[str] = []
        for key in changed:
            if key == answers_mod.ROUTE_KEY:
                self.answers.route = on_disk.route
                self._follow_route(on_disk.route)
                marks.append(key)
            elif key == answers_mod.NOTES_KEY:
                before, after = old.get(key) or {}, theirs.get(key) or {}
                self.answers.notes.clear()
                self.answers.notes.update(on_disk.notes)
                marks += [note_key(s) for s in before.keys() | after.keys() if before.get(s) != after.get(s)]
            else:
                value = on_disk.values.get(key)
                if value is None:
                    self.answers.values.pop(key, None)
                else:
                    self.answers.values[key] = copy.deepcopy(value)
                marks.append(key)
                marks += _item_keys(key, old.get(key), theirs.get(key))
        return marks

    def _follow_route(self, route: str | None) -> None:
        """The route changed in the file by hand: walk it from now on (a file without `route:`
        follows the full route). A verantwoording keeps its one route. An unknown route never
        comes here: such a file does not load, and the session keeps its route (saving says
        which line is wrong)."""
        if self.profile is not None:
            return
        self.route = route if route in ROUTES else FULL
        self.walk = self._walk(self.route)
        self._homes = None
        self._findings = None
        self._values = None

    @property
    def notices(self) -> list[str]:
        """What opening the file noticed, one Dutch line each ("Let op: ..."), for every view to
        say: an older file brought up to date, a file read as Windows-1252."""
        return self.notices_about("")

    def notices_about(self, about: str) -> list[str]:
        """The notices with the file they are about ("Let op: groep-2.yaml: ..."), where one
        screen speaks of more files (the werksessie)."""
        head = f"{NOTICE}{about}: " if about else NOTICE
        earlier = self.profile.notices if self.profile is not None else []  # a verantwoording's broken years
        return [f"{head}{line}" for line in [*self.answers.upgraded, *earlier]]

    def snapshot(self) -> answers_mod.Answers:
        """A still picture of the answers (for drafting while others keep answering)."""
        with self.lock:
            return copy.deepcopy(self.answers)

    # --- the route -----------------------------------------------------------------------

    @property
    def on_route(self) -> str:
        return self.route or FULL

    def use_route(self, route: str, save: bool = True) -> None:
        """Walk `route` from now on, and keep the choice in the answers file."""
        if route not in ROUTES:
            raise ValueError(route)
        with self.lock:
            self.route = route
            self.walk = self._walk(route)
            self._homes = None
            self._findings = None
            if self.answers.route != route and self.profile is None:
                self.answers.route = route
                if save:
                    self.save()

    def route_offer(self) -> RouteOffer:
        """Which routes to offer, in order, with one suggested and its reason.

        The short route is for a first concept (the README: 'een eerste concept in ongeveer
        twintig minuten', one evening of a werksessie); it is suggested unless the file already
        answers questions only the full route asks: then the full route, which shows them."""
        estimates = self.estimates()
        beyond = self.full_route_answers()
        suggested = FULL if beyond else SHORT
        advice = ADVICE_FULL.format(count=beyond) if beyond else ADVICE_SHORT
        choices = tuple(
            RouteChoice(route, *ROUTE_TEXTS[route], estimates[route], route == suggested) for route in ROUTES
        )
        return RouteOffer(choices, suggested, advice, self.route)

    def full_route_answers(self) -> int:
        """How many answers of this file only the full route asks (a question, or a field of an item)."""
        short = self._walk(SHORT)
        count = 0
        for question in self.questionnaire.questions():
            value = self.answers.values.get(question.id)
            if not is_filled(value):
                continue
            if not short.on_route(question):
                count += 1
            elif question.kind.has_fields and isinstance(value, list):
                off = [f.id for f in question.velden if not short.on_route(f)]
                count += sum(
                    1 for item in value if isinstance(item, dict) for f in off if is_filled(item.get(f))
                )
        return count

    def estimates(self) -> dict[str, Estimate]:
        """Per route: the questions still open for this file and the minutes they take."""
        return {route: self._walk(route).estimate(self.answers) for route in ROUTES}

    def totals(self) -> dict[str, tuple[int, int]]:
        """Per route: answered and applicable top-level questions."""
        return {route: self._walk(route).totals(self.answers) for route in ROUTES}

    # --- reading ---------------------------------------------------------------------------

    @property
    def rules(self) -> RuleSet:
        """Loaded on first use, so the first question appears without waiting for the rules."""
        if self._rules is None and self.profile is not None:
            self._rules = self.profile.rules
        if self._rules is None:
            from wizard import rules as rules_mod

            loaded = rules_mod.load(self.questionnaire, self.options.rule_dirs)
            self._rules = loaded.without(self.options.skip_rules)
        return self._rules

    @property
    def homes(self) -> dict[str, int]:
        """Rule id → the index of the part after which its findings are shown."""
        if self._homes is None:
            self._homes = self.walk.rule_homes(self.rules.rules)
        return self._homes

    def values(self) -> dict[str, Any]:
        """Answers and derived facts, worked out once per change."""
        if self._values is None:
            self._values = self.walk.values(self.answers)
        return self._values

    def context(self) -> Context:
        return self.walk.context(self.answers)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.questionnaire.sections if s.id == section_id), None)

    def number(self, section: Section) -> int:
        return self.questionnaire.sections.index(section) + 1

    def applies(self, question: Question, item: Mapping[str, Any] | None = None) -> bool:
        """Whether a view asks this question (or field of `item`) now. A verantwoording's link
        to its framework and the identity of its goals and ties are never asked (fixed)."""
        if self.fixed(question):
            return False
        return self.walk.applies(self.answers, question, item, self.values())

    def fixed(self, question: Question) -> bool:
        """A question or field no view asks or changes (a verantwoording's `kader:` and the
        description of a goal, the partner and country of a tie: they come from the framework)."""
        if self.profile is None:
            return False
        if question.group is None:
            return question.id in self.profile.never_asked
        return question.id in self.profile.identity.get(question.group, ())

    def fixed_items(self, group: Question) -> bool:
        """Whether a group's items are fixed (no adding or removing): a verantwoording's goals
        and ties are the framework's."""
        return self.profile is not None and group.id in self.profile.identity

    def applicable(self, section: Section) -> list[Question]:
        return [q for q in section.questions if self.applies(q)]

    def applicable_fields(self, group: Question, item: Mapping[str, Any]) -> list[Question]:
        return [f for f in group.velden if self.applies(f, item)]

    # --- questions of the full route, reached from the short route ------------------------------
    #
    # A link to a question only the full route asks (an open place of the definitive version, an
    # off-route finding, a part the short route skips) lands where that question can be answered:
    # the page shows it beside this route's questions, with FULL_ROUTE_NOTE. The answer is kept and
    # counts like any other; the route stays what it was.

    def beyond_route(self, question: Question) -> bool:
        """Whether this route does not ask `question` (a field also when its group is not asked)."""
        group = self.questionnaire.by_id.get(question.group or "") if question.group else None
        return not self.walk.on_route(question) or (group is not None and not self.walk.on_route(group))

    def _applies_on_full_route(self, question: Question, item: Mapping[str, Any] | None = None) -> bool:
        if self.fixed(question):
            return False
        return self._walk(FULL).applies(self.answers, question, item, self.values())

    def shown_questions(self, section: Section, wanted: Sequence[str] = ()) -> list[Question]:
        """The questions a page of `section` shows: those this route asks, plus those of the full
        route named in `wanted` (a link's target); every question of the full route when this
        route asks nothing here (a part the short route skips)."""
        asked = self.applicable(section)
        if not asked:
            return [q for q in section.questions if self._applies_on_full_route(q)]
        return [
            q for q in section.questions if q in asked or (q.id in wanted and self._applies_on_full_route(q))
        ]

    def shown_fields(
        self, group: Question, item: Mapping[str, Any], wanted: Sequence[str] = ()
    ) -> list[Question]:
        """The fields an item's page shows, as shown_questions: every field of the full route for a
        group this route does not ask."""
        if self.beyond_route(group):
            return [f for f in group.velden if self._applies_on_full_route(f, item)]
        asked = self.applicable_fields(group, item)
        return [
            f for f in group.velden if f in asked or (f.id in wanted and self._applies_on_full_route(f, item))
        ]

    def _read_beyond_route(self) -> list[Question]:
        """On the short route: the full-route questions the findings read, open ones (the
        findings under 'later') and given ones (a finding on them is shown on this route), so
        an answer given through a link can be changed again the same way."""
        found = [q for part in self.findings().later for q in part.questions]
        by_id = {rule.id: rule for rule in self.rules.rules}
        for finding in self.findings().shown:
            rule = by_id.get(finding.rule)
            if rule is not None:
                found += self.walk.off_route(rule)
        return found

    def later_questions(self, section: Section) -> list[str]:
        """On the short route: the questions of `section` that the findings read beyond the
        route (a field counts as its group), for a view to offer beside this route's questions."""
        found: list[str] = []
        for question in self._read_beyond_route():
            top = question.group or question.id
            if self.questionnaire.section_of(top) is section and top not in found:
                found.append(top)
        return found

    def later_fields(self, group: Question) -> list[str]:
        """On the short route: the fields of `group` that the findings read beyond the route."""
        return list(dict.fromkeys(q.id for q in self._read_beyond_route() if q.group == group.id))

    def place_of_question(self, question: Question) -> Place:
        """Where a question is answered: a field in the first item of its group that asks it and
        leaves it open (else the first item that asks it, else the first item), or the group itself
        when it has no items; else the question. A field asked only for some items (the goals of a
        tie that goes on, not of one that ends) is looked for where it is asked."""
        if question.group is None:
            return Place(question.id)
        group = self.questionnaire.by_id[question.group]
        items = self.items(group)
        if not items:
            return Place(group.id)
        asking = [i for i, item in enumerate(items) if self._applies_on_full_route(question, item)] or [0]
        index = next((i for i in asking if not is_filled(items[i].get(question.id))), asking[0])
        return Place(group.id, index, question.id)

    def answered(self, question: Question) -> bool:
        """Answered as counted everywhere: a group only when every item is complete."""
        return not self.walk.is_open(self.answers, Place(question.id), self.values())

    def value(self, question: Question) -> Any:
        return self.answers.values.get(question.id)

    def items(self, group: Question) -> list[dict[str, Any]]:
        return self.walk.items(self.answers, group)

    def item_label(self, group: Question, item: Mapping[str, Any], index: int) -> str:
        return self.walk.item_label(group, item, index)

    def first_open(self) -> Place | None:
        return self.walk.first_open(self.answers)

    def open_items(self, section: Section) -> list[OpenItem]:
        return self.walk.open_items(self.answers, section)

    def choices(self, question: Question) -> Question:
        """The question as asked: a choice that follows a multiple choice with the same list
        (the main motive among the motives) offers only what was chosen there."""
        if not question.keuzes or question.wanneer is None:
            return question
        for name in sorted(conditions.fields_used(question.wanneer)):
            source = self.questionnaire.by_id.get(name)
            if source is None or source is question or source.choice_values != question.choice_values:
                continue
            chosen = self.answers.values.get(source.id)
            if isinstance(chosen, list) and chosen:
                kept = tuple(c for c in question.keuzes if c.waarde in chosen)
                return replace(question, keuzes=kept)
        return question

    def shown(self, question: Question, value: Any) -> str:
        """An answer as a person reads it (choice labels, € 25.000): the kind's display."""
        if question.kind.has_fields:
            return ", ".join(self.item_label(question, item, i) for i, item in enumerate(value or []))
        return question.kind.display(value, question) if is_filled(value) else ""

    def place_of(self, text: str, heading: str, key: str = "") -> Place | None:
        """Where a document's open place ('[nog invullen: …]' under `heading`) is filled in.

        First by the question the template put in the place (`key`: 'ingangsdatum' or
        'banden/0/partner'); else by the question the text names (its label or `ontbreekt`), else the item of a tie or
        goal the heading names (its first open field), else the part the heading names (its
        first open question), else the applicable question whose label and id hold every word (two or more) of
        the text. None when the place cannot be traced (the view links the overview then)."""
        found = self._place_of_key(key)
        if found is not None:
            return found
        wanted = text.strip("[]").removeprefix("nog invullen:").strip().lower()
        for question in self.questionnaire.questions():
            for asked in (question, *question.velden):
                if wanted in {asked.label.rstrip("?").lower(), asked.ontbreekt.lower()} - {""}:
                    return Place(asked.group or asked.id)
        values = self.values()
        for question in self.questionnaire.questions():
            if not question.kind.has_fields:
                continue
            for index, item in enumerate(self.items(question)):
                if self.walk.item_label(question, item, index) == heading:
                    fields = self.walk.open_fields(self.answers, question, index, values)
                    return fields[0] if fields else Place(question.id, index, question.velden[0].id)
        for section in self.questionnaire.sections:
            if heading.lower() in section.titel.lower().split(" en "):
                first = self.walk.open_items(self.answers, section)
                return first[0].place if first else Place(section.questions[0].id)
        words = [w for w in wanted.replace(",", " ").split() if len(w) > 3]
        for question in self.questionnaire.questions():
            said = f"{question.label} {question.id.replace('_', ' ')}".lower()
            if len(words) > 1 and all(w in said for w in words) and self.applies(question):
                return Place(question.id)
        return None

    def question_of(self, place: OpenPlace) -> str:
        """The question that fills a document's open place, as a person finds it: "vraag 'Vanaf
        welke datum geldt het nieuwe kader?' in deel 11 (Controle en evaluatie)"; with the item for a
        field of a tie or goal, and ', op de volledige route' for a question the short route does
        not ask. Empty when the place cannot be traced."""
        found = self.place_of(place.text, place.heading, place.key)
        if found is None:
            return ""
        question = self.questionnaire.by_id[found.question]
        section = self.questionnaire.section_of(question.id)
        asked = question
        where = ""
        if found.item is not None and found.field is not None:
            asked = next((f for f in question.velden if f.id == found.field), question)
            items = self.items(question)
            if found.item < len(items):
                where = f", bij {self.item_label(question, items[found.item], found.item)}"
        later = (
            "" if self.walk.on_route(question) and self.walk.on_route(asked) else ", op de volledige route"
        )
        return f"vraag '{asked.label}'{where} in deel {self.number(section)} ({section.titel}){later}"

    def _place_of_key(self, key: str) -> Place | None:
        """The place a placeholder's key names, when that question exists (and, for a field,
        its item); None otherwise."""
        by_id = self.questionnaire.by_id
        group_id, _, rest = key.partition("/")
        question = by_id.get(group_id)
        if question is None:
            return None
        if not rest:
            return Place(question.group or question.id)
        index, _, field_id = rest.partition("/")
        if not index.isdigit() or field_id not in {f.id for f in question.velden}:
            return Place(question.id)
        if int(index) >= len(self.items(question)):
            return Place(question.id)
        return Place(question.id, int(index), field_id)

    # --- findings ------------------------------------------------------------------------------

    def findings(self) -> RouteFindings:
        """The findings on this route (worked out once per change)."""
        if self._findings is None:
            from wizard import rules as rules_mod

            if self.profile is not None:
                found = self.profile.evaluate(self.values(), self.rules)
            else:
                found = rules_mod.evaluate(self.rules, self.values(), self.questionnaire)
            if self.walk.route == FULL:
                self._findings = RouteFindings(tuple(found))
            else:
                kept, later = self.walk.split(found, self.rules.rules, self.answers)
                self._findings = RouteFindings(tuple(kept), tuple(later))
        return self._findings

    def findings_in(self, section: Section) -> list[Finding]:
        """The findings of this route shown after `section`, blocking ones first."""
        index = self.questionnaire.sections.index(section)
        here = self.walk.findings_in(self.findings().shown, self.homes, index)
        return sorted(here, key=lambda f: f.severity != BLOCKING)

    def parts(self) -> list[Part]:
        """Per part: how far it is, its status, what is open and its findings."""
        values = self.values()
        result = []
        for index, counted in enumerate(self.walk.progress(self.answers)):
            section = counted.section
            touched = any(
                is_filled(self.answers.values.get(q.id))
                for q in section.questions
                if self.walk.applies(self.answers, q, values=values)
            )
            result.append(
                Part(
                    section=section,
                    number=index + 1,
                    applicable=counted.applicable,
                    answered=counted.answered,
                    touched=touched,
                    findings=tuple(self.findings_in(section)),
                    open=tuple(self.walk.open_items(self.answers, section)),
                )
            )
        return result

    def next_section(self, section: Section) -> Section | None:
        sections = self.questionnaire.sections
        return next((s for s in sections[sections.index(section) + 1 :] if self.applicable(s)), None)

    def previous_section(self, section: Section) -> Section | None:
        sections = self.questionnaire.sections
        earlier = sections[: sections.index(section)]
        return next((s for s in reversed(earlier) if self.applicable(s)), None)

    # --- changing ---------------------------------------------------------------------------------

    def check_fresh(self, keys: Mapping[str, Any], seen: int | None) -> None:
        """Refuse (Conflict) when an answer in `keys` changed after revision `seen` to something
        else than what is now posted: the page that posts it showed an older answer."""
        with self.lock:
            self.refresh()  # an answer changed in the file by hand counts too
            if seen is None:
                return
            changed = {}
            for key, posted in keys.items():
                if self._changed.get(key, 0) > seen:
                    current = self._current(key)
                    if current != posted:
                        changed[key] = current
            if changed:
                raise Conflict(changed, frozenset(changed) & frozenset(self._outside))

    def _current(self, key: str) -> Any:
        group, _, rest = key.partition("/")
        if not rest:
            return self.answers.values.get(key)
        if group == answers_mod.NOTES_KEY:
            return self.answers.notes.get(rest)
        index, _, name = rest.partition("/")
        items = self.answers.values.get(group)
        if not isinstance(items, list) or not index.isdigit() or int(index) >= len(items):
            return None
        return items[int(index)].get(name) if name else items[int(index)]

    def _mark(self, *keys: str) -> None:
        for key in keys:
            self._unmarked.setdefault(key, (self._changed.get(key), key in self._outside))
            self._changed[key] = self.revision + 1  # the revision the coming save makes
            self._outside.discard(key)

    def set(self, place: Place, value: Any) -> None:
        """Store one answer (None or empty removes it) and save the file at once."""
        with self.lock:
            self.walk.store(self.answers, place, value)
            key = place.question if place.field is None else f"{place.question}/{place.item}/{place.field}"
            self._mark(key, place.question)
            self.save()

    def set_answers(self, values: Mapping[str, Any]) -> None:
        """Store several top-level answers and save once."""
        with self.lock:
            changed = [
                k for k, v in values.items() if self.answers.values.get(k) != (v if is_filled(v) else None)
            ]
            for key, value in values.items():
                self.walk.store(self.answers, Place(key), value)
            self._mark(*changed)
            self.save()

    def set_items(self, group: Question, items: list[dict[str, Any]]) -> None:
        """Replace a group's items; an empty new item is kept (the terminal fills it next)."""
        with self.lock:
            if items:
                self.answers.values[group.id] = items
            else:
                self.answers.values.pop(group.id, None)
            self._mark(group.id)
            self.save()

    def set_item(self, group: Question, index: int | None, item: Mapping[str, Any]) -> int:
        """Replace item `index` of a group, or add it when index is None; return its index."""
        with self.lock:
            items = self.answers.values.get(group.id)
            count = len(items) if isinstance(items, list) else 0
            if index is None:
                index = count
            elif isinstance(items, list):
                items[index] = {}
            for field_ in group.velden:
                self.walk.store(self.answers, Place(group.id, index, field_.id), item.get(field_.id))
            self._mark(group.id, *(f"{group.id}/{index}/{f.id}" for f in group.velden))
            self.save()
            return index

    def remove_item(self, group: Question, index: int) -> None:
        with self.lock:
            items = self.items(group)
            del items[index]
            self.walk.store(self.answers, Place(group.id), items or None)
            self._mark(group.id)
            self.save()

    def set_note(self, section: Section, note: str | None) -> None:
        """The werksessie group's explanation of a part (None or empty removes it)."""
        with self.lock:
            if note:
                self.answers.notes[section.id] = note
            else:
                self.answers.notes.pop(section.id, None)
            self._mark(note_key(section.id))
            self.save()

    def dependents(self, question: Question) -> list[Question]:
        return self.walk.dependents(self.answers, question)

    @contextmanager
    def held(self) -> Iterator[None]:
        """The file lock `start` and `web` both hold (wizard/lock.py); LockedError when taken."""
        from wizard.lock import Lock

        lock = Lock.take(self.path)
        try:
            yield
        finally:
            lock.release()

    # --- documents -------------------------------------------------------------------------------

    def use_drafter(self, drafter: Drafter) -> None:
        """Draft with this drafter (its templates and house style), e.g. the web server's."""
        self._drafter = drafter

    @property
    def drafter(self) -> Drafter:
        if self._drafter is None:
            from wizard.draft import Drafter

            self._drafter = Drafter(rule_dirs=self.options.rule_dirs, skip_rules=self.options.skip_rules)
        return self._drafter

    def drafts(self, kinds: Sequence[str] | None = None, final: bool = False) -> list[Draft]:
        kinds = self.kinds if kinds is None else kinds
        if self.profile is not None:
            return self.profile.drafts(self.snapshot(), kinds, final=final)
        return self.drafter.drafts(self.snapshot(), kinds, final=final)

    def readiness(self) -> Readiness:
        """What stands in the way of a definitive version (blocking findings, open places;
        for a verantwoording only open places: its findings are results)."""
        from wizard import readiness

        if self.profile is not None:
            result: Readiness = self.profile.readiness(self.drafts(final=True))
            return result
        return readiness.of_drafts(self.drafts(final=True), self.questionnaire, self.rules.rules)

    def kind_title(self, kind: str) -> str:
        from wizard import documents

        return documents.load(kind).title

    def file_name(self, kind: str, fmt: str, final: bool = False, stem: str | None = None) -> str:
        """'oosterhaven-concept.docx', 'oosterhaven-raadsvoorstel-definitief.pdf': the version shows."""
        from wizard import documents

        version = "definitief" if final else "concept"
        name = documents.load(kind).file_name(stem or self.path.stem, fmt)
        return f"{name.removesuffix('.' + fmt)}-{version}.{fmt}"

    def targets(
        self, kinds: Sequence[str] | None = None, final: bool = False, stem: str | None = None
    ) -> list[Path]:
        """Where the end of the terminal walk writes its documents: beside the answers file, under
        the names the web downloads get ('oosterhaven-concept.docx')."""
        folder = self.path.parent
        return [folder / self.file_name(kind, "docx", final, stem) for kind in kinds or self.kinds]

    def _writer(self) -> Drafter:
        """What writes a draft's .docx: the framework's drafter, or the evaluation's writer."""
        if self.profile is not None:
            writer: Drafter = self.profile.writer  # type: ignore[assignment]  # publish needs .write only
            return writer
        return self.drafter

    def write(self, targets: Sequence[Path], final: bool = False) -> tuple[list[Path], list[Finding]]:
        """Write the documents through the one publish path; the files written and the findings
        of this route (the others are summarised per part in the documents)."""
        from wizard import publish

        documents = self.drafts(self.kinds[: len(targets)], final=final)
        written = publish.drafts(self._writer(), documents, targets)
        return list(written), list(self.findings().shown)

    def download(self, kind: str, fmt: str, final: bool = False) -> bytes:
        """One document as bytes (docx, odt or pdf) through the one publish path.
        UserError (in Dutch) when LibreOffice is missing or fails."""
        from wizard import publish

        draft = self.drafts((kind,), final=final)[0]
        return publish.document_bytes(self._writer(), draft, fmt)


def _item_keys(group: str, before: Any, after: Any) -> list[str]:
    """The fields of a repeating group that differ between two versions of its list, per place
    in the list ('banden/0/advies'); nothing for an answer that is no list."""
    if not isinstance(before, list) and not isinstance(after, list):
        return []
    old, new = (v if isinstance(v, list) else [] for v in (before, after))
    keys = []
    for index in range(max(len(old), len(new))):
        a, b = (
            items[index] if index < len(items) and isinstance(items[index], dict) else {}
            for items in (old, new)
        )
        keys += [
            f"{group}/{index}/{name}" for name in sorted(a.keys() | b.keys()) if a.get(name) != b.get(name)
        ]
    return keys
