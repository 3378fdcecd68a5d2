"""The browser over the answering session (issue 21, and N17 of issue 20): a stale tab, the
echo of a read value, 'Wijzigen' from the overview, the task list's statuses.

Every test talks to a real server process on 127.0.0.1 (tests/webserver.py).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import webserver
from tests.test_web import login, post, saved
from tests.webserver import Server, form_data, request


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = webserver.start(tmp_path / "antwoorden.yaml")
    yield running
    running.stop()


def tab(server: Server, cookie: dict[str, str], path: str = "/deel/gemeente") -> list[tuple[str, str]]:
    """A tab showing `path`: the form as its browser would send it."""
    status, _, body = request("GET", server, path, headers=cookie)
    assert status == 200
    return form_data(body)


def typed(form: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    return [(k, changes.get(k, v)) for k, v in form] + [("actie", "blijf")]


def test_a_stale_tab_cannot_overwrite_a_newer_answer_and_loses_nothing(
    server: Server, tmp_path: Path
) -> None:
    cookie = login(server)
    first, second = tab(server, cookie), tab(server, cookie)
    assert ("revisie", "1") in first  # the new file was saved once
    status, _, _ = post(server, "/deel/gemeente", typed(second, gemeente_naam="Oosterhaven"), cookie)
    assert status == 303
    status, _, body = post(server, "/deel/gemeente", typed(first, gemeente_naam="Westerhaven"), cookie)
    page = html.unescape(body.decode())
    assert status == 409
    assert "Er is niets bewaard: een antwoord op deze pagina is intussen in een ander venster" in page
    assert "Dit antwoord is intussen in een ander venster veranderd in: Oosterhaven." in page
    assert 'href="/deel/gemeente">Pagina opnieuw laden</a>' in page
    assert 'value="Westerhaven"' in page  # what this tab typed is still there
    assert saved(server, tmp_path)["gemeente_naam"] == "Oosterhaven"
    # Saving again from the refusal (it shows the newer revision) is a choice made knowingly.
    again = form_data(body)
    status, _, _ = post(server, "/deel/gemeente", typed(again), cookie)
    assert status == 303 and saved(server, tmp_path)["gemeente_naam"] == "Westerhaven"


def test_a_stale_tab_may_save_what_nobody_else_changed(server: Server, tmp_path: Path) -> None:
    cookie = login(server)
    gemeente, aanleiding = tab(server, cookie), tab(server, cookie, "/deel/aanleiding")
    post(server, "/deel/aanleiding", typed(aanleiding), cookie)  # another part, saved in between
    status, _, _ = post(server, "/deel/gemeente", typed(gemeente, gemeente_naam="Zeewolde"), cookie)
    assert status == 303 and saved(server, tmp_path)["gemeente_naam"] == "Zeewolde"


def test_the_page_says_how_it_read_a_number(server: Server) -> None:
    cookie = login(server)
    post(server, "/deel/gemeente", typed(tab(server, cookie), inwoners="2027"), cookie)
    _, _, body = request("GET", server, "/deel/gemeente?bewaard=ja", headers=cookie)
    assert 'id="vraag-inwoners-genoteerd">Genoteerd: 2.027</div>' in body.decode()


def test_change_from_the_overview_returns_to_the_overview(server: Server) -> None:
    cookie = login(server)
    _, _, body = request("GET", server, "/overzicht", headers=cookie)
    assert 'href="/deel/gemeente?terug=overzicht#vraag-gemeente_naam">Wijzigen' in body.decode()
    form = tab(server, cookie, "/deel/gemeente?terug=overzicht")
    assert ("terug", "overzicht") in form
    status, headers, _ = post(server, "/deel/gemeente", typed(form, gemeente_naam="Z"), cookie)
    assert status == 303 and headers["location"] == "/overzicht#deel-gemeente"


def test_the_task_list_of_a_new_file_has_not_started_everywhere_and_the_route_comes_first(
    server: Server,
) -> None:
    cookie = login(server)
    _, _, body = request("GET", server, "/", headers=cookie)
    page = body.decode()
    assert "Er is een probleem" not in page and "Heeft aandacht nodig" not in page
    assert page.count("Niet begonnen: 0 van") >= 10
    # 'Beginnen' comes after the route choice and starts the route chosen there.
    assert page.index("Welke route volgt u?") < page.index('name="actie" value="beginnen"')
    assert "Kies eerst een route" in page
