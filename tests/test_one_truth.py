"""The terminal, the browser and `toets` tell the same truth about one answers file (issue 21).

For every example and both routes: the same findings (the same rules about the same items),
and the same number of findings left for the full route. The terminal is driven through its
prompt layer with a scripted prompter (as in tests/test_session.py), the browser over HTTP
against a real server (tests/webserver.py), `toets` in-process.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import webserver
from tests.test_session import session
from tests.test_web import login
from wizard import answers
from wizard.answering import Answering, Options
from wizard.questionnaire import Questionnaire
from wizard.resources import examples_dir

EXAMPLES = sorted(p.stem for p in examples_dir().glob("*.yaml"))
LATER = re.compile(r"(\d+) (?:punt komt|punten komen) aan bod op de volledige route")


def plain(text: str) -> str:
    return " ".join(text.split())


def on_route(questionnaire: Questionnaire, name: str, route: str, folder: Path) -> Path:
    path = folder / f"{name}.yaml"
    shutil.copy(examples_dir() / f"{name}.yaml", path)
    loaded = answers.load(path, questionnaire)
    loaded.route = route
    answers.save(loaded, questionnaire, path)
    return path


def from_toets(cli: Callable[..., Any], path: Path) -> tuple[Counter[str], int]:
    result = cli("toets", "--json", path)
    report = json.loads(result.out)["bestanden"][0]
    later = sum(part["aantal"] for part in report["volledige_route"])
    return Counter(plain(f["melding"]) for f in report["bevindingen"]), later


def from_terminal(questionnaire: Questionnaire, path: Path) -> tuple[Counter[str], int]:
    """Open the file, go to the overview, open every part listed (its findings are shown), stop."""
    state = Answering(questionnaire, path, Options())
    state.open()
    parts = [p.number - 1 for p in state.parts() if p.asked or state.on_route == "volledig"]
    steps: list[tuple[str, Any]] = [("Wat wilt u doen?", "overzicht")]
    for index in parts:
        steps += [("Wat wilt u doen?", index), ("Welke vraag in", "__overzicht__")]
    steps.append(("Wat wilt u doen?", "stop"))
    s, script, said = session(questionnaire, path, steps, route=None)
    assert s.run() == 0 and not script.steps
    assert not any("Welke route kiest u?" in asked for asked in script.asked)  # the file has one
    marks = ("!! BLOKKEREND:", "[waarschuwing]", "[tip]")
    shown = [plain(line) for line in said if line.strip().startswith(marks)]
    messages = Counter(line.split(" ", 1)[1].removeprefix("BLOKKEREND: ") for line in shown)
    later = next((int(m.group(1)) for line in said if (m := LATER.search(line))), 0)
    return messages, later


def from_browser(path: Path) -> tuple[Counter[str], int, str]:
    running = webserver.start(path)
    try:
        cookie = login(running)
        status, _, body = webserver.request("GET", running, "/bevindingen", headers=cookie)
        assert status == 200
        _, _, start = webserver.request("GET", running, "/", headers=cookie)
    finally:
        running.stop()
    page = body.decode()
    blocks = re.findall(
        r'class="utrecht-alert utrecht-alert--\w+ bevinding">(.*?)</div>\s*</div>\s*</div>', page, re.S
    )
    messages = Counter(
        plain(html.unescape(re.findall(r'<p class="utrecht-paragraph">(.*?)</p>', block, re.S)[1]))
        for block in blocks
    )
    match = LATER.search(html.unescape(page))
    return messages, int(match.group(1)) if match else 0, html.unescape(start.decode())


@pytest.mark.parametrize("route", ["kort", "volledig"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_terminal_browser_and_toets_report_the_same_findings(
    questionnaire: Questionnaire, cli: Callable[..., Any], tmp_path: Path, name: str, route: str
) -> None:
    path = on_route(questionnaire, name, route, tmp_path)
    toets, toets_later = from_toets(cli, path)
    terminal, terminal_later = from_terminal(questionnaire, path)
    browser, browser_later, start = from_browser(path)
    assert toets, "every example has findings on both routes"
    assert terminal == toets
    assert browser == toets
    assert terminal_later == browser_later == toets_later
    if route == "volledig":
        assert toets_later == 0
    elif toets_later:
        assert f"{toets_later} punten komen aan bod op de volledige route" in start
