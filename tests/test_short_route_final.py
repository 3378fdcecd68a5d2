"""A definitive version on the short route, the suggested route, and links to full-route questions.

Issue 21's three open decisions, each made once in the answering session or readiness and
checked here in every view: the terminal (scripted prompter), the browser (a real server over
HTTP), `maak --definitief` and `toets` (in-process).
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import webserver
from tests.test_session import Script, session
from tests.test_web import login
from wizard import answers
from wizard import blocks as b
from wizard.answering import ADVICE_FULL, ADVICE_SHORT, FULL_ROUTE_NOTE, Answering, Options
from wizard.questionnaire import Questionnaire
from wizard.resources import examples_dir
from wizard.session import Session

EXAMPLES = sorted(p.stem for p in examples_dir().glob("*.yaml"))
OFF_ROUTE_NOTE = (
    "Eén blokkerend punt gaat over vragen die alleen de volledige route stelt. Ook dat punt moet "
    "opgelost zijn voor een definitieve versie: beantwoord die vragen, of ga verder op de volledige route."
)
RAMP_LINE = (
    "- Hulp na een ramp zonder vooraf afgesproken kader: De gemeente beslist nu per ramp opnieuw of zij "
    "hulp geeft, en de notitie zegt niet wat de raad daarover besluit. → vraag 'Hoe gaat het nu als er een "
    "ramp is in het buitenland?' in deel 7 (Noodhulp bij rampen), op de volledige route"
)
# Lindewijk without its answer on how disasters go now: the disaster finding reads that open
# full-route question (with it answered, the finding is an ordinary one on the short route too).
OPEN_RAMP = ("ramp_beleid", "ramp_toezeggingen")


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def on_route(
    questionnaire: Questionnaire,
    name: str,
    route: str,
    folder: Path,
    without: tuple[str, ...] = (),
    **extra: Any,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    shutil.copy(examples_dir() / f"{name}.yaml", path)
    loaded = answers.load(path, questionnaire)
    loaded.route = route
    for key in without:
        loaded.values.pop(key, None)
    loaded.values.update(extra)
    answers.save(loaded, questionnaire, path)
    return path


def opened(questionnaire: Questionnaire, path: Path) -> Answering:
    state = Answering(questionnaire, path, Options())
    state.open()
    return state


# --- 1. a definitive version on the short route ------------------------------------------------

A_GOAL = [
    {"omschrijving": "Elk jaar een uitwisseling", "indicator": "Twee scholen doen mee", "termijn": 2029}
]


def test_an_off_route_blocking_finding_is_named_as_such_with_what_to_do(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    state = opened(questionnaire, on_route(questionnaire, "lindewijk", "kort", tmp_path, OPEN_RAMP))
    found = state.findings()
    assert [f.rule for f in found.blocking] == ["geen-doelen"]  # what the short route can settle
    assert [f.rule for f in found.later_blocking] == ["ramp-ad-hoc"]
    assert found.later_text() == "5 punten komen aan bod op de volledige route, waarvan 1 blokkerend"
    ready = state.readiness()
    assert {f.rule for f in ready.blocking} == {"geen-doelen", "ramp-ad-hoc"}  # never silently final
    assert [(e.finding.rule, e.question) for e in ready.later] == [("ramp-ad-hoc", "ramp_beleid")]
    lines = ready.lines()
    assert lines[:4] == [
        "Blokkerende aandachtspunten (2):",
        "- Geen concrete doelen: Het kader noemt geen enkel concreet doel.",
        RAMP_LINE,
        OFF_ROUTE_NOTE,
    ]
    # On the full route the same finding is an ordinary blocking one: nothing is said about routes.
    full = opened(
        questionnaire, on_route(questionnaire, "lindewijk", "volledig", tmp_path, OPEN_RAMP)
    ).readiness()
    assert {f.rule for f in full.blocking} == {"geen-doelen", "ramp-ad-hoc"} and full.later == ()
    assert not any("volledige route" in line for line in full.lines()[:3])


def test_every_place_says_the_same_about_an_off_route_blocking_finding(
    questionnaire: Questionnaire, cli: Callable[..., Any], tmp_path: Path
) -> None:
    """Only an off-route finding blocks: `toets`, `maak --definitief`, the terminal's end and
    the web's definitief page all refuse on it and say it in the same words."""
    path = on_route(questionnaire, "lindewijk", "kort", tmp_path, OPEN_RAMP, doelen=A_GOAL)
    state = opened(questionnaire, path)
    assert state.findings().blocking == () and len(state.findings().later_blocking) == 1
    expected = ["Blokkerende aandachtspunten (1):", RAMP_LINE, OFF_ROUTE_NOTE]
    assert state.readiness().lines()[:3] == expected

    checked = cli("toets", "--drempel", "blokkerend", path)
    assert checked.code == 1  # deferred, not gone
    assert "Daarnaast: 6 punten komen aan bod op de volledige route, waarvan 1 blokkerend:" in checked.out

    made = cli("maak", "--definitief", path, "-o", tmp_path / "uit.docx")
    assert made.code == 1 and not (tmp_path / "uit.docx").exists()
    said = plain(made.err)
    assert all(plain(line) in said for line in expected)

    s, script, terminal = session(
        questionnaire,
        path,
        [("Welke versie wilt u maken?", "definitief"), ("Toch definitief maken?", False)],
        route=None,
    )
    s.state.open()
    assert s.choose_version() is False and not script.steps
    assert [line.strip() for line in terminal[1:4]] == expected

    page = plain(web_page(path, "/documenten?versie=definitief"))
    assert all(plain(line.removeprefix("- ")) in page for line in expected)
    assert "definitief.docx" not in page  # nothing to download before the points are accepted


def test_a_finding_on_full_route_answers_already_given_is_shown_on_the_short_route(
    questionnaire: Questionnaire, cli: Callable[..., Any], tmp_path: Path
) -> None:
    """Lindewijk answered on the full route that it decides per disaster. On the short route
    that finding is real, not 'for later': the session, `toets`, the draft and readiness all
    show it as an ordinary one; with that answer open, all of them put it under the full route."""
    from wizard.draft import Drafter

    title = "Hulp na een ramp zonder vooraf afgesproken kader"
    given = on_route(questionnaire, "lindewijk", "kort", tmp_path / "gegeven", doelen=A_GOAL)
    open_ = on_route(questionnaire, "lindewijk", "kort", tmp_path / "open", OPEN_RAMP, doelen=A_GOAL)
    drafter = Drafter()
    for path, shown in ((given, True), (open_, False)):
        state = opened(questionnaire, path)
        found = state.findings()
        assert (title in [f.title for f in found.shown]) is shown
        assert (title in [f.title for p in found.later for f in p.findings]) is not shown
        assert [e.finding.title for e in state.readiness().later] == ([] if shown else [title])
        checked = cli("toets", path)  # lists the findings it shows; those for later only per part
        assert (title in checked.out) is shown, checked.out
        draft = drafter.draft(answers.load(path, questionnaire))
        text = "\n".join(b.plain(block.runs) for block in draft.blocks if hasattr(block, "runs"))
        assert (title in text) is shown


@pytest.mark.parametrize("both", [True, False])
def test_a_per_choice_answer_given_for_some_options_only_is_open_in_every_view(
    questionnaire: Questionnaire, cli: Callable[..., Any], tmp_path: Path, both: bool
) -> None:
    """motief_opbrengst gives one text per chosen motive. Given for one of two motives, it is
    still open: the walk asks it again, the finding about the missing motive waits for the full
    route (it is not asked on the short one) in the session, `toets` and the draft, and the
    draft and readiness show the open place keyed to it. Given for both, nothing is open."""
    from wizard.draft import Drafter
    from wizard.walk import Place

    title = "Niet duidelijk wat de eigen gemeente eraan heeft"
    benefit = {"ideeel": "Inwoners voelen zich gesteund.", "economisch": "Meer handel."}
    if not both:
        del benefit["economisch"]
    path = on_route(
        questionnaire,
        "lindewijk",
        "kort",
        tmp_path,
        motieven=["ideeel", "economisch"],
        motief_opbrengst=benefit,
        doelen=A_GOAL,
    )
    state = opened(questionnaire, path)
    assert state.walk.is_open(state.answers, Place("motief_opbrengst")) is not both
    copy = tmp_path / "volledig.yaml"  # opening on the full route stores that route in the file
    shutil.copy(path, copy)
    full = Answering(questionnaire, copy, Options(route="volledig"))
    full.open()
    assert full.walk.is_open(full.answers, Place("motief_opbrengst")) is not both
    found = state.findings()
    assert title not in [f.title for f in found.shown]
    assert (title in [f.title for p in found.later for f in p.findings]) is not both
    keys = [p.key for p in state.readiness().open_places]
    assert ("motief_opbrengst" in keys) is not both
    checked = cli("toets", path)
    assert title not in checked.out, checked.out
    draft = Drafter().draft(answers.load(path, questionnaire))
    text = b.outline(draft.blocks)
    assert title not in text
    assert ("wat dit motief de eigen gemeente oplevert" in text) is not both


# --- 2. the route suggested on a new file -----------------------------------------------------


class Recorded(Script):
    """A scripted prompter that also keeps each menu's options and default."""

    def __init__(self, steps: list[tuple[str, Any]]) -> None:
        super().__init__(steps)
        self.menus: dict[str, tuple[list[tuple[str, Any]], Any]] = {}

    def menu(self, label: str, options: list[tuple[str, Any]], default: Any = None, **keys: Any) -> Any:
        self.menus[label] = (list(options), default)
        return super().menu(label, options, default, **keys)


def terminal_offer(questionnaire: Questionnaire, path: Path) -> tuple[list[tuple[str, Any]], Any, str]:
    """The route menu `start` shows for this file: its options, the default and what is said."""
    script = Recorded([("Welke route kiest u?", "kort"), ("Wat wilt u doen?", "stop")])
    said: list[str] = []
    s = Session(questionnaire, path, script, say=said.append, route=None)  # type: ignore[arg-type]
    s.state.open()
    s.choose_route()
    options, default = script.menus["Welke route kiest u?"]
    return options, default, " ".join(" ".join(said).split())


def web_page(path: Path, url: str) -> str:
    """The page at `url` of a fresh `web` server over `path` (asserting it answers 200)."""
    running = webserver.start(path)
    try:
        cookie = login(running)
        status, _, body = webserver.request("GET", running, url, headers=cookie)
    finally:
        running.stop()
    assert status == 200
    return body.decode()


def browser_start(path: Path) -> str:
    return web_page(path, "/")


def checked_route(page: str) -> str:
    found = re.findall(r'<input type="radio"[^>]*name="route" value="(\w+)"[^>]*checked', page)
    assert len(found) == 1, found
    return found[0]


def test_a_new_file_is_offered_the_short_route_first_with_one_reason_in_both_views(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "nieuw.yaml"
    offer = opened(questionnaire, path).route_offer()
    assert [c.route for c in offer.choices] == ["kort", "volledig"] and offer.ask
    assert offer.suggested == "kort" and offer.advice == ADVICE_SHORT
    options, default, said = terminal_offer(questionnaire, path)
    assert default == "kort" and [v for _, v in options] == ["kort", "volledig"]
    assert options[0][0].startswith(
        "Kort (aangeraden): alleen de vragen waarmee de raad besluit, voor een eerste, kortere notitie."
    )
    assert options[1][0].startswith(
        "Volledig: alle vragen, voor een volledige notitie die de raad kan vaststellen."
    )
    assert ADVICE_SHORT in said
    assert not path.exists()  # choose_route alone writes nothing to a new file: the browser gets it new too
    page = browser_start(path)
    assert checked_route(page) == "kort"
    text = plain(page)
    assert ADVICE_SHORT in text and "Kort (aangeraden)" in text and "Volledig (aangeraden)" not in text
    assert "Alleen de vragen waarmee de raad besluit, voor een eerste, kortere notitie." in text


def test_a_file_with_full_route_answers_is_offered_the_full_route_and_a_kept_route_is_never_asked(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "oosterhaven.yaml"
    shutil.copy(examples_dir() / "oosterhaven.yaml", path)  # the example has no `route:`
    offer = opened(questionnaire, path).route_offer()
    assert offer.suggested == "volledig" and offer.ask
    assert re.fullmatch(ADVICE_FULL.replace("({count})", r"\(\d+\)"), offer.advice)
    _, default, said = terminal_offer(questionnaire, path)
    assert default == "volledig" and offer.advice in said
    page = browser_start(on_route(questionnaire, "oosterhaven", "volledig", tmp_path / "web"))
    assert checked_route(page) == "volledig" and "aangeraden" not in page  # chosen: not asked again
    kept = on_route(questionnaire, "oosterhaven", "kort", tmp_path / "kort")
    assert not opened(questionnaire, kept).route_offer().ask
    s, script, _ = session(questionnaire, kept, [("Wat wilt u doen?", "stop")], route=None)
    assert s.run() == 0 and "Welke route kiest u?" not in script.asked
    page = browser_start(kept)
    assert checked_route(page) == "kort" and "Kies eerst een route" not in page


# --- 3. a link to a question of the full route lands where it can be answered ---------------


LINK = re.compile(r'href="(/deel/[^"]*)"')
PAGES = ("/", "/overzicht", "/bevindingen", "/documenten?versie=definitief")


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_link_to_a_question_on_the_short_route_shows_its_field(
    questionnaire: Questionnaire, tmp_path: Path, name: str
) -> None:
    """Follow every link to a part or question on the start, overview, findings and definitief
    pages (and each part's findings page): the target shows the field the link names, and a
    field only the full route asks says so."""
    path = on_route(questionnaire, name, "kort", tmp_path)
    running = webserver.start(path)
    followed: dict[str, str] = {}
    try:
        cookie = login(running)
        links: set[str] = set()
        for page in PAGES:
            status, _, body = webserver.request("GET", running, page, headers=cookie)
            assert status == 200, page
            links |= {html.unescape(h) for h in LINK.findall(body.decode())}
        for section in questionnaire.sections:
            _, _, body = webserver.request(
                "GET", running, f"/deel/{section.id}/aandachtspunten", headers=cookie
            )
            links |= {html.unescape(h) for h in LINK.findall(body.decode())}
        for link in sorted(links):
            address, _, anchor = link.partition("#")
            status, _, body = webserver.request("GET", running, address, headers=cookie)
            assert status == 200, link
            followed[link] = body.decode()
            if anchor:
                assert f'id="{anchor}"' in followed[link], f"{link} does not show {anchor}"
            else:
                assert 'class="vraag"' in followed[link], f"{link} shows no question"
    finally:
        running.stop()
    beyond = [link for link in followed if "?ook=" in link]
    assert beyond, "every example has open places or findings on the full route"
    for link in beyond:
        assert (
            "hoort bij de volledige route" in followed[link]
            or "horen bij de volledige route" in followed[link]
        )


def test_an_answer_to_a_full_route_question_is_kept_on_the_short_route(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    """The off-route blocking finding of Lindewijk, settled from the link on the definitief page."""
    from tests.test_web import csrf_of, post

    path = on_route(questionnaire, "lindewijk", "kort", tmp_path, OPEN_RAMP, doelen=A_GOAL)
    running = webserver.start(path)
    try:
        cookie = login(running)
        _, _, body = webserver.request("GET", running, "/documenten?versie=definitief", headers=cookie)
        page = html.unescape(body.decode())
        link = re.search(r'Hulp na een ramp zonder[^<]* \(<a class="utrecht-link" href="([^"]+)"', page)
        assert link is not None and link.group(1) == "/deel/noodhulp?ook=ramp_beleid#vraag-ramp_beleid"
        _, _, body = webserver.request("GET", running, "/deel/noodhulp?ook=ramp_beleid", headers=cookie)
        text = plain(body.decode())
        assert FULL_ROUTE_NOTE in text and 'name="ook" value="ramp_beleid"' in body.decode()
        token = csrf_of(running, cookie, "/deel/noodhulp?ook=ramp_beleid")
        fields = [("csrf", token), ("ook", "ramp_beleid"), ("ramp_beleid", "per_ramp"), ("actie", "blijf")]
        status, headers, _ = post(running, "/deel/noodhulp", fields, cookie)
        assert status == 303 and headers["location"] == "/deel/noodhulp?bewaard=ja&ook=ramp_beleid"
    finally:
        running.stop()
    state = opened(questionnaire, path)
    assert state.route == "kort" and state.answers.values["ramp_beleid"] == "per_ramp"
    # Answered, the finding reads no open question any more: it is an ordinary one on the short route.
    assert [f.rule for f in state.findings().blocking] == ["ramp-ad-hoc"]
    assert state.findings().later_blocking == ()


def test_the_terminal_offers_the_full_route_questions_its_findings_read_when_changing_a_part(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    """The terminal's equivalent of the links: changing a part on the short route also offers the
    questions of the full route that its off-route findings read, marked; the answer is kept and
    the route stays short."""
    path = on_route(questionnaire, "lindewijk", "kort", tmp_path, OPEN_RAMP, doelen=A_GOAL)
    noodhulp = next(i for i, section in enumerate(questionnaire.sections) if section.id == "noodhulp")
    script = Recorded(
        [
            ("Wat wilt u doen?", "overzicht"),
            ("Wat wilt u doen?", noodhulp),
            ("Welke vraag in 'Noodhulp bij rampen'", "ramp_beleid"),
            ("Hoe gaat het nu als er een ramp is in het buitenland?", "per_ramp"),
            ("Welke vraag in 'Noodhulp bij rampen'", "__overzicht__"),
            ("Wat wilt u doen?", "stop"),
        ]
    )
    said: list[str] = []
    s = Session(questionnaire, path, script, say=said.append, route=None)  # type: ignore[arg-type]
    assert s.run() == 0 and not script.steps
    options, _ = script.menus["Welke vraag in 'Noodhulp bij rampen' wilt u aanpassen?"]
    labels = [label for label, _ in options]
    assert any(
        label.startswith("Hoe gaat het nu als er een ramp is in het buitenland? (volledige route)")
        for label in labels
    )
    # not read by an open finding: not offered
    assert not any(label.startswith("Welke giften deed de gemeente") for label in labels)
    state = opened(questionnaire, path)
    assert state.route == "kort" and state.answers.values["ramp_beleid"] == "per_ramp"
