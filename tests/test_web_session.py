"""The browser over the answering session (issue 21, and N17 of issue 20): a stale tab, the
echo of a read value, 'Wijzigen' from the overview, the task list's statuses.

Every test talks to a real server process on 127.0.0.1 (tests/webserver.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

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
    assert dict(first)["revisie"] == dict(second)["revisie"]  # both show the file as it is
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


def test_an_answer_changed_by_hand_in_the_file_is_not_overwritten_by_an_open_page(
    server: Server, tmp_path: Path
) -> None:
    """A page shown before the answers file was changed in a text editor is refused on that
    answer, as a stale tab is: the newer answer is shown, the typed text stays."""
    cookie = login(server)
    post(server, "/deel/gemeente", typed(tab(server, cookie), gemeente_naam="Oosterhaven"), cookie)
    page = tab(server, cookie)
    path = tmp_path / "antwoorden.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(
        yaml.safe_dump({**data, "gemeente_naam": "Westerhaven", "visie": "Met de hand."}, sort_keys=False),
        encoding="utf-8",
    )
    status, _, body = post(server, "/deel/gemeente", typed(page, inwoners="23000"), cookie)
    text = html.unescape(body.decode())
    assert status == 409
    assert (
        "Er is niets bewaard: een antwoord op deze pagina is intussen in het bestand zelf veranderd, buiten "
        "dit programma." in text
    )
    assert (
        "Dit antwoord is intussen in het bestand zelf (buiten dit programma) veranderd in: Westerhaven."
        in text
    )
    assert 'value="23000"' in text  # what this page typed is still there
    on_disk = saved(server, tmp_path)
    assert on_disk["gemeente_naam"] == "Westerhaven" and "inwoners" not in on_disk
    # Saving again from the refusal is a choice made knowingly; the other hand edit stays.
    status, _, _ = post(server, "/deel/gemeente", typed(form_data(body)), cookie)
    on_disk = saved(server, tmp_path)
    assert status == 303 and (on_disk["gemeente_naam"], on_disk["inwoners"]) == ("Oosterhaven", 23000)
    assert on_disk["visie"] == "Met de hand."
    _, _, body = request("GET", server, "/deel/visie", headers=cookie)
    assert "Met de hand." in body.decode()  # a page shows the file as it is now


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


def short_route_file(path: Path) -> Path:
    """Oosterhaven's answers to the questions of the short route, and nothing else: a short route
    walked to its end."""
    from wizard import answers, questionnaire
    from wizard.resources import examples_dir
    from wizard.walk import Walk

    questions = questionnaire.load()
    data = yaml.safe_load((examples_dir() / "oosterhaven.yaml").read_text(encoding="utf-8"))
    short: dict[str, object] = {"formaat": data["formaat"], "route": "kort"}
    for key, value in data.items():
        question = questions.by_id.get(key)
        if question is None or not question.kort:
            continue
        if question.velden:
            keep = {f.id for f in question.velden if f.kort}
            value = [{k: v for k, v in item.items() if k in keep} for item in value]
        short[key] = value
    # Oosterhaven leaves a few short-route fields of its items open: fill them in as a person would.
    walk = Walk(questions, "kort")
    while (place := walk.first_open(answers.from_mapping(short, questions))) is not None:
        assert place.item is not None, place  # only fields of items are left
        question = questions.by_id[place.question]
        asked = next(f for f in question.velden if f.id == place.field)
        fills = {"keuze": asked.choice_values[:1] and asked.choice_values[0], "jaar": 2030, "ja_nee": True}
        short[place.question][place.item][place.field] = fills.get(asked.type, "Een antwoord")  # type: ignore[index]
    path.write_text(yaml.safe_dump(short, allow_unicode=True), encoding="utf-8")
    assert walk.first_open(answers.load(path, questions)) is None
    return path


@pytest.mark.parametrize("finished", [False, True], ids=["leeg", "korte-route-af"])
def test_every_open_place_on_the_definitive_page_links_to_its_question(
    tmp_path: Path, finished: bool
) -> None:
    """The generic places ('[nog invullen: datum waarop het kader ingaat]', 'bedrag') carry the
    question the template named, so none of them sends the person to the overview (issue 21)."""
    path = tmp_path / "antwoorden.yaml"
    if finished:
        short_route_file(path)
    running = webserver.start(path)
    try:
        cookie = login(running)
        _, _, body = request("GET", running, "/documenten?versie=definitief", headers=cookie)
    finally:
        running.stop()
    page = html.unescape(body.decode())
    count = int(re.search(r"Plekken die nog ingevuld moeten worden \((\d+)\):", page).group(1))  # type: ignore[union-attr]
    places = re.findall(r"<li>([^<]*) – <a class=\"utrecht-link\" href=\"([^\"]+)\">", page)
    assert len(places) == count > 0
    assert [text for text, href in places if not href.startswith("/deel/")] == []
    start = "Beleidsnotitie internationale samenwerking, bij 'Looptijd': [nog invullen: datum waarop het kader ingaat]"
    # A question only the full route asks is named in ?ook=: its page shows it (issue 21).
    assert (start, f"/deel/controle{'?ook=ingangsdatum' if finished else ''}#vraag-ingangsdatum") in places
    if not finished:
        decision = "[nog invullen: wat de raad besluit over hulp na rampen in het buitenland]"
        proposal = f"Raadsvoorstel kader internationale samenwerking, bij 'Beslispunten': {decision}"
        assert (proposal, "/deel/noodhulp#vraag-ramp_keuze") in places
    else:  # a field of an item goes to that item's page
        change = (
            "Beleidsnotitie internationale samenwerking, bij 'Beslispunten': [nog invullen: wat er verandert]"
        )
        assert (change, "/deel/partnerschappen/partnerschappen/2?ook=wijzigingen#vraag-wijzigingen") in places
