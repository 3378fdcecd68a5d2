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

from tests import webserver
from tests.test_session import session
from tests.test_web import login
from wizard import answers
from wizard.answering import Answering, Options
from wizard.questionnaire import Questionnaire
from wizard.resources import examples_dir

EXAMPLES = sorted(p.stem for p in examples_dir().glob("*.yaml"))
OFF_ROUTE_NOTE = (
    "Eén blokkerend punt gaat over vragen die alleen de volledige route stelt. Ook dat punt moet "
    "opgelost zijn voor een definitieve versie: beantwoord die vragen, of ga verder op de volledige route."
)
RAMP_LINE = (
    "- Hulp na een ramp zonder vooraf afgesproken kader: De gemeente beslist nu per ramp opnieuw of zij "
    "hulp geeft, en de notitie zegt niet wat de raad daarover besluit. → vraag 'Wat doet de gemeente nu al "
    "internationaal?' in deel 1 (Gemeente) en vraag 'Hoe gaat het nu als er een ramp is in het buitenland?' "
    "in deel 7 (Noodhulp bij rampen), op de volledige route"
)


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def on_route(questionnaire: Questionnaire, name: str, route: str, folder: Path, **extra: Any) -> Path:
    path = folder / f"{name}.yaml"
    shutil.copy(examples_dir() / f"{name}.yaml", path)
    loaded = answers.load(path, questionnaire)
    loaded.route = route
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
    state = opened(questionnaire, on_route(questionnaire, "lindewijk", "kort", tmp_path))
    found = state.findings()
    assert [f.rule for f in found.blocking] == ["geen-doelen"]  # what the short route can settle
    assert [f.rule for f in found.later_blocking] == ["ramp-ad-hoc"]
    assert found.later_text() == "7 punten komen aan bod op de volledige route, waarvan 1 blokkerend"
    ready = state.readiness()
    assert {f.rule for f in ready.blocking} == {"geen-doelen", "ramp-ad-hoc"}  # never silently final
    assert [(e.finding.rule, e.question) for e in ready.later] == [("ramp-ad-hoc", "huidige_activiteit")]
    lines = ready.lines()
    assert lines[:4] == [
        "Blokkerende aandachtspunten (2):",
        "- Geen concrete doelen: Het kader noemt geen enkel concreet doel.",
        RAMP_LINE,
        OFF_ROUTE_NOTE,
    ]
    # On the full route the same finding is an ordinary blocking one: nothing is said about routes.
    full = opened(questionnaire, on_route(questionnaire, "lindewijk", "volledig", tmp_path)).readiness()
    assert {f.rule for f in full.blocking} == {"geen-doelen", "ramp-ad-hoc"} and full.later == ()
    assert not any("volledige route" in line for line in full.lines()[:3])


def test_every_place_says_the_same_about_an_off_route_blocking_finding(
    questionnaire: Questionnaire, cli: Callable[..., Any], tmp_path: Path
) -> None:
    """Only an off-route finding blocks: `toets`, `maak --definitief`, the terminal's end and
    the web's definitief page all refuse on it and say it in the same words."""
    path = on_route(questionnaire, "lindewijk", "kort", tmp_path, doelen=A_GOAL)
    state = opened(questionnaire, path)
    assert state.findings().blocking == () and len(state.findings().later_blocking) == 1
    expected = ["Blokkerende aandachtspunten (1):", RAMP_LINE, OFF_ROUTE_NOTE]
    assert state.readiness().lines()[:3] == expected

    checked = cli("toets", "--drempel", "blokkerend", path)
    assert checked.code == 1  # deferred, not gone
    assert "Daarnaast: 8 punten komen aan bod op de volledige route, waarvan 1 blokkerend:" in checked.out

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

    running = webserver.start(path)
    try:
        cookie = login(running)
        status, _, body = webserver.request("GET", running, "/documenten?versie=definitief", headers=cookie)
    finally:
        running.stop()
    assert status == 200
    page = plain(body.decode())
    assert all(plain(line.removeprefix("- ")) in page for line in expected)
    assert "definitief.docx" not in page  # nothing to download before the points are accepted
