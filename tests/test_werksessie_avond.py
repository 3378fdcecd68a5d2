"""A werksessie evening over HTTP (docs/werksessie-avond.md): several groups answer, the
advisor's laptop is killed (kill -9) and started again, the groups go on with the pages they had
open, the advisor adopts. Nothing answered is lost and nobody needs a new link.

Every test talks to a real server process on 127.0.0.1 (tests/webserver.py)."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
import yaml

from tests import webserver
from tests.test_web import login, login_as, post
from tests.webserver import Server, form_data, request


def page_form(server: Server, cookie: dict[str, str], path: str) -> list[tuple[str, str]]:
    status, _, body = request("GET", server, path, headers=cookie)
    assert status == 200, body.decode()[:300]
    return form_data(body)


def with_motives(form: list[tuple[str, str]], *motives: str) -> list[tuple[str, str]]:
    kept = [(k, v) for k, v in form if k != "motieven"]
    return kept + [("motieven", m) for m in motives] + [("actie", "blijf")]


def motives_in(folder: Path, name: str) -> list[str]:
    data = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8")) or {}
    found: list[str] = data.get("motieven", [])
    return found


def test_groups_and_the_advisor_go_on_after_the_laptop_is_killed_and_started_again(tmp_path: Path) -> None:
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "3", "--route", "kort", command="werksessie")
    links = running.links()
    cookies = {n: login_as(running, links[f"groep {n}"]) for n in (1, 2, 3)}
    advisor = login(running)
    # Groups 1 and 3 answer; group 2's phone shows the page and goes to sleep before it submits.
    for number, motive in ((1, "ideeel"), (3, "economisch")):
        form = page_form(running, cookies[number], "/deel/visie")
        assert post(running, "/deel/visie", with_motives(form, motive), cookies[number])[0] == 303
    sleeping = page_form(running, cookies[2], "/deel/visie")
    _, _, projection = request("GET", running, "/sessie", headers=advisor)
    # The first Overnemen button as the projection showed it.
    adopt = form_data(re.findall(rb'<form[^>]*action="/sessie/overnemen".*?</form>', projection, re.S)[0])
    running.kill()  # kill -9: no chance to clean up

    again = webserver.start(folder, "--groepen", "3", command="werksessie")
    try:
        assert again.port == running.port and again.links() == links  # the same links and QR codes
        # Nothing answered was lost, and the groups' cookies still open their own pages.
        assert motives_in(folder, "groep-1") == ["ideeel"] and motives_in(folder, "groep-3") == ["economisch"]
        status, _, body = request("GET", again, "/deel/visie", headers=cookies[1])
        assert status == 200 and re.search(r'value="ideeel"[^>]*checked', body.decode())
        # The phone wakes up and submits the page it had open before the restart.
        status, _, _ = post(again, "/deel/visie", with_motives(sleeping, "ideeel", "economisch"), cookies[2])
        assert status == 303
        assert motives_in(folder, "groep-2") == ["ideeel", "economisch"]
        # The advisor's projection from before the restart still adopts.
        assert dict(adopt)["vraag"] == "motieven"
        status, headers, _ = post(again, "/sessie/overnemen", adopt, advisor)
        assert status == 303 and headers["location"].startswith("/sessie?overgenomen=")
        assert motives_in(folder, "gecombineerd") == motives_in(folder, dict(adopt)["groep"])
        # A group still cannot open the projection.
        assert request("GET", again, "/sessie", headers=cookies[3])[0] == 403
    finally:
        again.stop()
    assert "Traceback" not in "".join(running.lines + again.lines)


def test_a_page_from_before_the_restart_cannot_overwrite_an_answer_changed_after_it(tmp_path: Path) -> None:
    """The session counts revisions from 0 at every start: a page from the evening's first run
    carried a higher number than a change made after the restart, and overwrote it silently."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", "--route", "kort", command="werksessie")
    cookie = login_as(running, running.links()["groep 1"])
    for motive in ("ideeel", "economisch", "ideeel"):  # a busy first hour: the revision climbs
        form = page_form(running, cookie, "/deel/visie")
        assert post(running, "/deel/visie", with_motives(form, motive), cookie)[0] == 303
    old_page = page_form(running, cookie, "/deel/visie")  # a phone shows it, then sleeps
    running.kill()
    again = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        other_tab = page_form(again, cookie, "/deel/visie")
        assert post(again, "/deel/visie", with_motives(other_tab, "economisch"), cookie)[0] == 303
        status, _, body = post(again, "/deel/visie", with_motives(old_page, "ideeel", "bestuurlijk"), cookie)
        assert status == 409 and "Er is niets bewaard" in body.decode()
        assert motives_in(folder, "groep-1") == ["economisch"]
        # The refusal shows the newer answer and carries this run's revision: saving again is a choice.
        status, _, _ = post(again, "/deel/visie", with_motives(form_data(body), "ideeel"), cookie)
        assert status == 303 and motives_in(folder, "groep-1") == ["ideeel"]
    finally:
        again.stop()


def test_a_projection_left_open_over_a_restart_sees_the_new_runs_changes_as_new(tmp_path: Path) -> None:
    """The projection fetches its content again only when the revisions (`stand`) differ from
    what it shows. They were counted from 0 at every start, so after a restart and one change
    per file the stand was the same as before the kill, and the projection kept the old page."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    advisor = login(running)
    shown = request("GET", running, "/sessie/stand", headers=advisor)[2].decode()
    running.kill()
    again = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        for cookie in (advisor, *(login_as(again, url) for url in again.links().values())):
            form = [(k, v) for k, v in page_form(again, cookie, "/deel/gemeente") if k != "gemeente_naam"]
            assert (
                post(
                    again,
                    "/deel/gemeente",
                    [*form, ("gemeente_naam", "Zeewolde"), ("actie", "blijf")],
                    cookie,
                )[0]
                == 303
            )
        now = request("GET", again, "/sessie/stand", headers=advisor)[2].decode()
        assert now != shown and not set(now.split(".")) & set(shown.split("."))
    finally:
        again.stop()


def test_a_new_tie_sent_twice_on_a_weak_connection_is_added_once(tmp_path: Path) -> None:
    """A phone whose answer got lost sends the 'nieuw' form again (or it was tapped twice): the
    tie was in the file twice. From a page shown after it, adding the same tie again still works."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", "--route", "kort", command="werksessie")
    new = "/deel/partnerschappen/partnerschappen/nieuw"
    try:
        cookie = login_as(running, running.links()["groep 1"])
        tie = {"veld.partner": "Wenzhou", "veld.land": "China", "veld.advies": "voortzetten"}
        form = [(k, v) for k, v in page_form(running, cookie, new) if k not in tie] + list(tie.items())
        for _ in range(2):
            status, headers, _ = post(running, new, form, cookie)
            assert status == 303 and headers["location"].startswith("/deel/partnerschappen?bewaard=item")
        ties = yaml.safe_load((folder / "groep-1.yaml").read_text(encoding="utf-8"))["partnerschappen"]
        assert ties == [{"partner": "Wenzhou", "land": "China", "advies": "voortzetten"}]
        fresh = [(k, v) for k, v in page_form(running, cookie, new) if k not in tie] + list(tie.items())
        assert post(running, new, fresh, cookie)[0] == 303
        ties = yaml.safe_load((folder / "groep-1.yaml").read_text(encoding="utf-8"))["partnerschappen"]
        assert len(ties) == 2
    finally:
        running.stop()


def test_a_werksessie_whose_old_port_is_taken_starts_on_another_and_says_the_links_changed(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    old = running.links()
    port = running.port
    running.stop()
    squatter = socket.socket()
    try:
        squatter.bind(("127.0.0.1", port))
        squatter.listen(1)
        again = webserver.start(folder, "--groepen", "2", command="werksessie")
        try:
            assert again.port != port
            said = "".join(again.lines)
            assert (
                f"Let op: poort {port}, waarop deze werksessie de vorige keer draaide, is nu bezet."
                in " ".join(said.split())
            )
            # The codes are the same; only the port in the link differs.
            assert [u.split("/", 3)[3] for u in again.links().values()] == [
                u.split("/", 3)[3] for u in old.values()
            ]
            assert request("GET", again, "/", headers=login_as(again, again.links()["groep 1"]))[0] == 200
        finally:
            again.stop()
    finally:
        squatter.close()


def test_a_broken_keys_file_gives_new_links_instead_of_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "sessie"
    folder.mkdir()
    (folder / ".werksessie-sleutels.json").write_text('{"poort": "x", "rollen": []', encoding="utf-8")
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        assert request("GET", running, "/", headers=login_as(running, running.links()["groep 2"]))[0] == 200
    finally:
        running.stop()
    assert '"poort": ' + str(running.port) in (folder / ".werksessie-sleutels.json").read_text(
        encoding="utf-8"
    )


PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True, "bypass_csp": True}


@pytest.mark.slow
def test_eight_groups_on_phones_and_the_projection_on_a_1280x720_beamer(tmp_path: Path) -> None:
    """Eight groups answer on phones (360x740, touch); their pages pass axe and fit the phone.
    On a 1280x720 beamer the most political difference is on the first screen (the progress of
    eight groups took the whole screen when the last column wrapped), and the advisor adopts
    with the keyboard alone. Screenshots stay in the test's folder for a person to look at."""
    from tests.test_web_browser import answer_in_browser, tab_to

    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "8", "--route", "kort", command="werksessie")
    try:
        with webserver.browser() as chromium:
            for number in range(1, 9):
                phone = chromium.new_context(**PHONE).new_page()
                phone.goto(running.links()[f"groep {number}"])
                advice = "voortzetten" if number % 3 else "beeindigen"
                answer_in_browser(
                    phone, ["ideeel" if number % 2 else "economisch"], [("Wenzhou", "China", advice)]
                )
                if number == 1:
                    for path in ("/", "/deel/visie"):
                        phone.goto(running.base + path)
                        phone.screenshot(
                            path=str(tmp_path / f"telefoon{path.replace('/', '-')}.png"), full_page=True
                        )
                        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
                        assert webserver.axe(phone) == []
            beamer = chromium.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=True).new_page()
            beamer.goto(running.url)
            beamer.goto(running.base + "/sessie")
            beamer.screenshot(path=str(tmp_path / "projectie-1280x720.png"))
            assert beamer.evaluate("document.documentElement.scrollWidth") <= 1280
            first = beamer.locator("section.verschil h3").first
            assert first.inner_text().startswith("≠ Verschilt: 5.1.3 Wenzhou (China)")
            box = first.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 720
            assert webserver.axe(beamer) == []
            # The advisor, keyboard only: Tab to Groep 3's button, Enter; the focus comes back there.
            tab_to(beamer, "#vraag-partnerschappen-wenzhou-china-advies li:nth-child(3) button")
            with beamer.expect_navigation():
                beamer.keyboard.press("Enter")
            beamer.wait_for_function(
                "() => document.activeElement.closest('#vraag-partnerschappen-wenzhou-china-advies') !== null"
            )
            assert beamer.locator("#melding").inner_text().startswith("Overgenomen van Groep 3:")
            assert webserver.axe(beamer) == []
    finally:
        running.stop()
    combined = yaml.safe_load((folder / "gecombineerd.yaml").read_text(encoding="utf-8"))
    assert combined["partnerschappen"][0]["advies"] == "beeindigen"
