"""`beleidsnotitie web` over plain HTTP: the guard (host, token, cookie, CSRF, size, headers) and saving.

Every test talks to a real server process on 127.0.0.1 (tests/webserver.py).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import yaml

from tests import webserver
from tests.webserver import Server, request
from wizard.resources import examples_dir


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = webserver.start(tmp_path / "antwoorden.yaml")
    yield running
    running.stop()


def login(server: Server) -> dict[str, str]:
    """The cookie header the browser gets from the first address."""
    parts = urlsplit(server.url)
    status, headers, _ = request("GET", server, f"{parts.path}?{parts.query}")
    assert status == 303
    return {"Cookie": headers["set-cookie"].split(";")[0]}


def csrf_of(server: Server, cookie: dict[str, str], path: str = "/deel/gemeente") -> str:
    status, _, body = request("GET", server, path, headers=cookie)
    assert status == 200
    match = re.search(r'name="csrf" value="([^"]+)"', body.decode())
    assert match, body.decode()[:500]
    return match.group(1)


def post(
    server: Server, path: str, fields: dict[str, str] | list[tuple[str, str]], headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes]:
    body = urlencode(fields).encode()
    return request(
        "POST",
        server,
        path,
        body=body,
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )


def saved(server: Server, tmp_path: Path) -> dict[str, object]:
    """The answers as the tool reads them back (decimals are written the Dutch way: 12500,5)."""
    from wizard import answers, questionnaire

    return dict(answers.load(tmp_path / "antwoorden.yaml", questionnaire.load()).values)


def test_the_first_address_sets_a_strict_cookie_and_takes_the_token_out_of_the_address(
    server: Server,
) -> None:
    parts = urlsplit(server.url)
    status, headers, _ = request("GET", server, f"{parts.path}?{parts.query}")
    assert status == 303 and headers["location"] == "/"
    cookie = headers["set-cookie"]
    assert cookie.startswith(f"beleidsnotitie-{server.port}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert parts.query.split("=", 1)[1] not in cookie  # the cookie is not the launch token
    status, _, body = request("GET", server, "/start?token=geraden")
    assert status == 403 and "Geen toegang" in body.decode()
    assert "".join(server.lines).count(server.url) == 1, "requests are logged with the token"


def test_every_page_needs_the_cookie_and_carries_the_security_headers(server: Server) -> None:
    cookie = login(server)
    for path in ("/", "/deel/gemeente", "/overzicht", "/bevindingen", "/documenten"):
        status, _, body = request("GET", server, path)
        assert status == 403, path
        assert '<html lang="nl"' in body.decode()
        status, headers, _ = request("GET", server, path, headers=cookie)
        assert status == 200, path
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
    status, _, _ = request("GET", server, "/", headers={"Cookie": f"beleidsnotitie-{server.port}=fout"})
    assert status == 403


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "192.168.1.5:{port}"])
def test_a_foreign_host_header_is_refused(server: Server, host: str) -> None:
    """DNS rebinding: a page of another site that resolves to 127.0.0.1 sends its own Host."""
    cookie = login(server)
    status, _, body = request("GET", server, "/", headers={**cookie, "Host": host.format(port=server.port)})
    assert status == 403 and "Geen toegang" in body.decode()
    status, _, _ = request("GET", server, "/", headers={**cookie, "Host": f"localhost:{server.port}"})
    assert status == 200


def test_a_change_needs_the_csrf_token_and_our_own_origin(server: Server, tmp_path: Path) -> None:
    cookie = login(server)
    token = csrf_of(server, cookie)
    fields = {"gemeente_naam": "Zeewolde", "actie": "blijf"}
    assert post(server, "/deel/gemeente", fields, cookie)[0] == 403
    assert post(server, "/deel/gemeente", {**fields, "csrf": "fout"}, cookie)[0] == 403
    foreign = {**cookie, "Origin": "http://evil.example"}
    assert post(server, "/deel/gemeente", {**fields, "csrf": token}, foreign)[0] == 403
    cross = {**cookie, "Sec-Fetch-Site": "cross-site"}
    assert post(server, "/deel/gemeente", {**fields, "csrf": token}, cross)[0] == 403
    assert "gemeente_naam" not in saved(server, tmp_path)
    own = {**cookie, "Origin": f"http://127.0.0.1:{server.port}"}
    status, headers, _ = post(server, "/deel/gemeente", {**fields, "csrf": token}, own)
    assert status == 303 and headers["location"] == "/deel/gemeente?bewaard=ja"
    assert saved(server, tmp_path)["gemeente_naam"] == "Zeewolde"


def test_too_large_a_request_is_refused_in_dutch(server: Server) -> None:
    cookie = login(server)
    token = csrf_of(server, cookie)
    status, _, body = post(server, "/deel/gemeente", {"csrf": token, "gemeente_naam": "x" * 600_000}, cookie)
    assert status == 413 and "Te veel tekst" in body.decode()


def test_unknown_pages_methods_and_paths_outside_the_package_get_dutch_errors(server: Server) -> None:
    cookie = login(server)
    status, _, body = request("GET", server, "/bestaat-niet", headers=cookie)
    assert status == 404 and "Pagina niet gevonden" in body.decode()
    assert request("GET", server, "/deel/bestaat-niet", headers=cookie)[0] == 404
    assert request("GET", server, "/deel/partnerschappen/partnerschappen/7", headers=cookie)[0] == 404
    assert request("PUT", server, "/", headers=cookie)[0] == 405
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%5capp.py", "/documenten/x.exe"):
        status, _, body = request("GET", server, path, headers=cookie)
        assert status == 404, path
        assert b"import" not in body


def test_posted_answers_are_checked_like_the_file_and_the_good_ones_saved(
    server: Server, tmp_path: Path
) -> None:
    cookie = login(server)
    token = csrf_of(server, cookie)
    fields = [
        ("csrf", token),
        ("gemeente_naam", "Zeewolde"),
        ("inwoners", "veel"),
        ("provincie", "flevoland"),
        ("huidige_activiteit", "stedenbanden"),
        ("huidige_activiteit", "projecten"),
        ("actie", "verder"),
    ]
    status, _, body = post(server, "/deel/gemeente", fields, cookie)
    page = body.decode()
    assert status == 200
    assert "<title>Fout: " in page
    assert "&#39;veel&#39; is geen getal" in page and 'href="#vraag-inwoners-invoer"' in page
    assert 'value="veel"' in page and 'aria-invalid="true"' in page  # what was typed stays
    data = saved(server, tmp_path)
    assert data["gemeente_naam"] == "Zeewolde" and "inwoners" not in data
    assert data["huidige_activiteit"] == ["stedenbanden", "projecten"]
    # Dutch numbers: dots group thousands; an amount may have a euro sign and cents.
    post(server, "/deel/gemeente", {"csrf": token, "inwoners": "23.000", "actie": "blijf"}, cookie)
    post(server, "/deel/geld", {"csrf": token, "budget_jaar": "€ 12.500", "actie": "blijf"}, cookie)
    assert saved(server, tmp_path)["inwoners"] == 23000
    assert saved(server, tmp_path)["budget_jaar"] == 12500
    post(server, "/deel/geld", {"csrf": token, "budget_jaar": "€ 12.500,50", "actie": "blijf"}, cookie)
    assert saved(server, tmp_path)["budget_jaar"] == 12500.5
    # An empty field removes the answer.
    post(server, "/deel/geld", {"csrf": token, "budget_jaar": "", "actie": "blijf"}, cookie)
    assert "budget_jaar" not in saved(server, tmp_path)


def test_an_answer_that_opens_a_question_stays_on_the_part_and_says_so(
    server: Server, tmp_path: Path
) -> None:
    cookie = login(server)
    token = csrf_of(server, cookie)
    status, headers, _ = post(
        server, "/deel/gemeente", {"csrf": token, "bestaand_beleid": "verouderd", "actie": "verder"}, cookie
    )
    assert status == 303 and headers["location"] == "/deel/gemeente?bewaard=nieuw#vraag-bestaand_beleid_jaar"
    _, _, body = request("GET", server, "/deel/gemeente?bewaard=nieuw", headers=cookie)
    assert "er vragen bijgekomen" in body.decode() and 'id="vraag-bestaand_beleid_jaar"' in body.decode()


def test_a_broken_answers_file_is_reported_in_dutch_and_no_server_starts(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text("formaat: 1\ninwoners: veel\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "web", str(broken), "--geen-browser"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "regel 2" in result.stderr and "'veel' is geen getal" in result.stderr
    assert "http://" not in result.stdout


def test_an_example_opens_with_its_answers(tmp_path: Path) -> None:
    copy = tmp_path / "oosterhaven.yaml"
    copy.write_bytes((examples_dir() / "oosterhaven.yaml").read_bytes())
    before = copy.read_bytes()
    running = webserver.start(copy)
    try:
        cookie = login(running)
        _, _, body = request("GET", running, "/overzicht", headers=cookie)
        assert "Oosterhaven" in body.decode()
        assert "Nog niet beantwoord" not in body.decode().split("Partnerschappen")[0]
    finally:
        running.stop()
    assert copy.read_bytes() == before  # looking changes nothing


def test_the_page_resumes_and_lists_what_is_open_as_the_terminal_walk_does(tmp_path: Path) -> None:
    """One engine (wizard/walk.py): the first open place inside a goal, open items by name, findings per part."""
    from markupsafe import escape

    from wizard import answers, questionnaire
    from wizard.draft import Drafter
    from wizard.walk import Walk

    copy = tmp_path / "oosterhaven.yaml"
    copy.write_bytes((examples_dir() / "oosterhaven.yaml").read_bytes())
    drafter = Drafter()
    loaded = answers.load(copy, questionnaire.load())
    # Oosterhaven leaves the benefit of one motive open (a question before the goals): give it.
    loaded.values["motief_opbrengst"]["ideeel"] = "Inwoners leren van de partnersteden."
    answers.save(loaded, drafter.questionnaire, copy)
    walk = Walk(drafter.questionnaire)
    first = walk.first_open(loaded)
    assert first is not None and first.item is not None  # Oosterhaven stopped inside a goal
    section = drafter.questionnaire.section_of(first.question)
    findings = drafter.findings(loaded)
    homes = walk.rule_homes(drafter.rules.rules)
    running = webserver.start(copy)
    try:
        cookie = login(running)
        _, _, body = request("GET", running, "/", headers=cookie)
        href = f"/deel/{section.id}/{first.question}/{first.item}#vraag-{first.field}"
        # The example keeps no route: the start page asks it first (issue 21), then resumes there.
        assert "Kies eerst een route" in body.decode()
        token = csrf_of(running, cookie, "/")
        fields = [("csrf", token), ("route", "volledig"), ("actie", "beginnen")]
        assert post(running, "/route", fields, cookie)[1]["location"] == href
        _, _, body = request("GET", running, "/", headers=cookie)
        assert f'href="{href}"' in body.decode()
        _, _, body = request("GET", running, "/overzicht", headers=cookie)
        page = body.decode()
        for part in drafter.questionnaire.sections:
            for item in walk.open_items(loaded, part):
                assert escape(item.name) in page, item.name
        for index, part in enumerate(drafter.questionnaire.sections):
            here = walk.findings_in(findings, homes, index)
            _, _, body = request("GET", running, f"/deel/{part.id}/aandachtspunten", headers=cookie)
            shown = body.decode()
            assert all(escape(f.title) in shown for f in here), part.id
            others = [f for f in findings if f not in here and all(f.title != h.title for h in here)]
            assert not any(escape(f.title) in shown for f in others), part.id
    finally:
        running.stop()


def test_the_answers_file_is_locked_while_the_page_runs_and_keeps_its_comments(tmp_path: Path) -> None:
    from wizard.lock import Lock, LockedError

    path = tmp_path / "antwoorden.yaml"
    path.write_text("# Onze eigen aantekening\nformaat: 1\ngemeente_naam: Zeewolde  # zo heet ze\n", "utf-8")
    running = webserver.start(path)
    try:
        with pytest.raises(LockedError):
            Lock.take(path)
        second = subprocess.run(
            [sys.executable, "-m", "wizard", "web", str(path), "--geen-browser"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 2 and "http://" not in second.stdout
        assert "al geopend in een andere sessie" in second.stderr and "Ctrl-C" in second.stderr
        cookie = login(running)
        token = csrf_of(running, cookie)
        post(running, "/deel/geld", {"csrf": token, "budget_jaar": "€ 12.500", "actie": "blijf"}, cookie)
    finally:
        running.stop()
    text = path.read_text("utf-8")
    assert "# Onze eigen aantekening" in text and "# zo heet ze" in text and "budget_jaar: 12500" in text
    Lock.take(path).release()  # stopping the server let go of the file


def test_a_final_version_names_what_is_still_open_and_needs_an_explicit_yes(tmp_path: Path) -> None:
    import io
    import zipfile

    from markupsafe import escape

    from wizard import answers, questionnaire, readiness
    from wizard.draft import Drafter

    copy = tmp_path / "oosterhaven.yaml"
    copy.write_bytes((examples_dir() / "oosterhaven.yaml").read_bytes())
    drafter = Drafter()
    loaded = answers.load(copy, questionnaire.load())
    drafts = drafter.drafts(loaded, ("notitie", "raadsvoorstel"))
    check = readiness.check(drafts[0].findings, [(d.meta.title, d.blocks) for d in drafts])
    assert not check.ready  # Oosterhaven has blocking findings
    running = webserver.start(copy)
    try:
        cookie = login(running)
        _, _, body = request("GET", running, "/documenten", headers=cookie)
        page = body.decode()
        assert (
            'id="versie-concept" name="versie" value="concept" aria-describedby="versie-concept-uitleg" checked'
            in page
        )
        assert 'href="/documenten/notitie.docx"' in page  # a concept needs no confirmation
        _, _, body = request("GET", running, "/documenten?versie=definitief", headers=cookie)
        page = body.decode()
        assert "Nog niet klaar voor een definitieve versie" in page and "Ik accepteer de open punten" in page
        for line in check.lines():
            assert escape(line.removeprefix("- ")) in page, line
        assert 'href="/documenten/notitie.docx' not in page  # no download before the yes
        # Asking for the final document without the yes leads back to the question, as an error.
        status, headers, _ = request(
            "GET", running, "/documenten/notitie.docx?versie=definitief", headers=cookie
        )
        assert status == 303 and headers["location"] == "/documenten?versie=definitief&bevestig=ja"
        _, _, body = request("GET", running, headers["location"], headers=cookie)
        page = body.decode()
        assert (
            "<title>Fout: " in page and 'href="#accepteer-invoer"' in page and 'aria-invalid="true"' in page
        )
        accepted = "?versie=definitief&accepteer=ja"
        _, _, body = request("GET", running, f"/documenten{accepted}&bevestig=ja", headers=cookie)
        assert f'href="/documenten/notitie.docx{accepted.replace("&", "&amp;")}"' in body.decode()
        status, _, final = request("GET", running, f"/documenten/notitie.docx{accepted}", headers=cookie)
        assert status == 200
        status, _, concept = request("GET", running, "/documenten/notitie.docx", headers=cookie)
        assert status == 200
        texts = {}
        for name, data in (("final", final), ("concept", concept)):
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                texts[name] = package.read("word/document.xml").decode()
                texts[name + "-core"] = package.read("docProps/core.xml").decode()
            assert "Oosterhaven" in texts[name]
        # The final version has no concept mark and no findings appendix.
        assert "Aandachtspunten bij dit concept" in texts["concept"]
        assert "Aandachtspunten bij dit concept" not in texts["final"]
        assert "<cp:category>Definitief</cp:category>" in texts["final-core"]
    finally:
        running.stop()


@pytest.mark.parametrize("args", [["--help"], ["web", "--help"]])
def test_other_commands_do_not_import_the_web_server(args: list[str]) -> None:
    code = (
        "import sys\nfrom wizard.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "assert 'starlette' not in sys.modules and 'uvicorn' not in sys.modules, 'web imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_ctrl_c_stops_the_server_and_says_where_the_answers_are(tmp_path: Path) -> None:
    import signal

    running = webserver.start(tmp_path / "antwoorden.yaml")
    cookie = login(running)
    assert request("GET", running, "/", headers=cookie)[0] == 200
    running.process.send_signal(signal.SIGINT)
    assert running.process.wait(timeout=15) == 0
    running.stop()
    assert "Gestopt. De antwoorden zijn bewaard in" in "".join(running.lines)


# --- werksessie -------------------------------------------------------------------------


def login_as(server: Server, url: str) -> dict[str, str]:
    parts = urlsplit(url)
    status, headers, _ = request("GET", server, f"{parts.path}?{parts.query}")
    assert status == 303
    return {"Cookie": headers["set-cookie"].split(";")[0]}


def test_a_werksessie_gives_each_group_its_own_file_and_the_advisor_adopts_an_answer(tmp_path: Path) -> None:
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "3", command="werksessie")
    try:
        links = running.links()
        assert sorted(links) == ["groep 1", "groep 2", "groep 3"]
        assert len(set(links.values()) | {running.url}) == 4  # a token each
        names = {"groep 1": "Zeewolde", "groep 2": "Zeewolde", "groep 3": "Dronten"}
        cookies = {}
        for group, url in links.items():
            cookies[group] = login_as(running, url)
            token = csrf_of(running, cookies[group])
            fields = {"csrf": token, "gemeente_naam": names[group], "actie": "blijf"}
            assert post(running, "/deel/gemeente", fields, cookies[group])[0] == 303
            # A group sees its own file, never the console or another group.
            assert request("GET", running, "/sessie", headers=cookies[group])[0] == 403
        for number, group in enumerate(sorted(names), start=1):
            data = yaml.safe_load((folder / f"groep-{number}.yaml").read_text(encoding="utf-8"))
            assert data["gemeente_naam"] == names[group]
        advisor = login(running)
        status, _, body = request("GET", running, "/sessie", headers=advisor)
        page = body.decode()
        assert status == 200 and "Naam van de gemeente" in page and "Dronten" in page
        assert "1 verschil " in page
        # Groups 1 and 2 agree: posting from group 1's csrf as the advisor is refused.
        token = csrf_of(running, advisor)
        refused = post(
            running,
            "/sessie/overnemen",
            {"csrf": csrf_of(running, cookies["groep 1"]), "vraag": "gemeente_naam", "groep": "groep-3"},
            advisor,
        )
        assert refused[0] == 403
        status, headers, _ = post(
            running,
            "/sessie/overnemen",
            {"csrf": token, "vraag": "gemeente_naam", "groep": "groep-3"},
            advisor,
        )
        assert status == 303 and headers["location"].startswith("/sessie?overgenomen=")
        combined = yaml.safe_load((folder / "gecombineerd.yaml").read_text(encoding="utf-8"))
        assert combined["gemeente_naam"] == "Dronten"
        assert (
            post(
                running,
                "/sessie/overnemen",
                {"csrf": token, "vraag": "bestaat_niet", "groep": "groep-3"},
                advisor,
            )[0]
            == 400
        )
    finally:
        running.stop()
    # Starting again resumes the same files.
    again = webserver.start(folder, "--groepen", "3", command="werksessie")
    try:
        cookie = login_as(again, again.links()["groep 3"])
        _, _, body = request("GET", again, "/deel/gemeente", headers=cookie)
        assert 'value="Dronten"' in body.decode()
    finally:
        again.stop()


def test_a_werksessie_needs_a_sensible_number_of_groups(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "werksessie", str(tmp_path / "s"), "--groepen", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "van 2 tot en met 30" in result.stderr


def test_a_werksessie_on_the_network_warns_and_gives_each_group_a_short_link_and_qr_code(
    tmp_path: Path,
) -> None:
    """--netwerk ADRES listens on that one address only. 127.0.0.2 (loopback) stands in for a
    local-network address, so the test never leaves this computer."""
    import http.client

    import segno

    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "3", "--netwerk", "127.0.0.2", command="werksessie")
    try:
        output = "".join(running.lines)
        assert "Let op: met --netwerk" in " ".join(output.split()) and "niet versleuteld" in output
        assert "Let op: 127.0.0.2 is een adres van deze computer zelf." in " ".join(output.split())
        assert running.url.startswith(f"http://127.0.0.2:{running.port}/start?token=")
        short = dict(re.findall(r"Link voor (.+?): \S+ \(kort: (http://\S+)\)", output))
        assert sorted(short) == ["groep 1", "groep 2", "groep 3"]
        assert all(
            re.fullmatch(rf"http://127\.0\.0\.2:{running.port}/doe-mee/[A-Z2-9]{{4}}-[A-Z2-9]{{4}}", u)
            for u in short.values()
        )
        # Only the chosen address listens: not 127.0.0.1.
        with pytest.raises(OSError):
            probe = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
            probe.request("GET", "/static/app.css")
        # A group opens its short link (typed in lower case, without the dash: still fine).
        code = short["groep 2"].rsplit("/", 1)[1]
        status, headers, _ = request("GET", running, f"/doe-mee/{code.replace('-', '').lower()}")
        assert status == 303 and headers["location"] == "/"
        group = {"Cookie": headers["set-cookie"].split(";")[0]}
        token = csrf_of(running, group)
        post(running, "/deel/gemeente", {"csrf": token, "gemeente_naam": "Urk", "actie": "blijf"}, group)
        assert yaml.safe_load((folder / "groep-2.yaml").read_text(encoding="utf-8"))["gemeente_naam"] == "Urk"
        assert request("GET", running, "/doe-mee/AAAA-AAAA")[0] == 403
        assert request("GET", running, "/sessie", headers=group)[0] == 403
        # The Meedoen page shows each short link with its QR code, drawn inline: nothing is fetched.
        advisor = login(running)
        projection = request("GET", running, "/sessie", headers=advisor)[2].decode()
        assert "<svg" not in projection and 'href="/sessie/meedoen"' in projection
        footer = " ".join(projection.split("<footer", 1)[1].split())
        assert (
            "Deze werksessie is open in het lokale netwerk" in footer and "alleen op uw eigen" not in footer
        )
        status, headers, body = request("GET", running, "/sessie/meedoen", headers=advisor)
        page = body.decode()
        assert "img-src 'self' data:" in headers["content-security-policy"]
        assert "open in het lokale netwerk (127.0.0.2)" in page
        assert request("GET", running, "/sessie/meedoen", headers=group)[0] == 403
        own = request("GET", running, "/", headers=group)[2].decode()
        footer = " ".join(own.split("<footer", 1)[1].split())
        assert (
            'De antwoorden staan in <code class="utrecht-code">groep-2.yaml</code> op de computer van de adviseur'
            in footer
        )
        for url in short.values():
            base, code = url.rsplit("/doe-mee/", 1)
            assert f">{base}/<wbr>doe-mee/<wbr><strong>{code}</strong></code>" in page
            svg = segno.make(url, error="m").svg_inline(
                scale=6, border=4, dark="#000", light="#fff", svgclass="qr", omitsize=True
            )
            assert svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1) in page
        assert "http" not in "".join(
            re.findall(r"<svg.*?</svg>", page, re.S)
        )  # no reference outside the page
    finally:
        running.stop()


def test_without_netwerk_there_are_no_short_links_and_a_bad_address_is_refused(tmp_path: Path) -> None:
    running = webserver.start(tmp_path / "sessie", "--groepen", "2", command="werksessie")
    try:
        assert "kort:" not in "".join(running.lines) and "--netwerk" not in "".join(running.lines)
        _, _, body = request("GET", running, "/sessie", headers=login(running))
        assert "<svg" not in body.decode()
    finally:
        running.stop()
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "werksessie", str(tmp_path / "s"), "--netwerk", "300.1.2.3"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2 and "'300.1.2.3' is geen IPv4-adres" in result.stderr


def test_the_projection_stream_sends_each_change_and_ctrl_c_still_stops_with_it_open(tmp_path: Path) -> None:
    """/sessie/stroom: server-sent events with the revisions; an open stream never blocks stopping."""
    import http.client
    import signal

    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        advisor = login(running)
        group = login_as(running, running.links()["groep 1"])
        assert request("GET", running, "/sessie/stroom", headers=group)[0] == 403
        stream = http.client.HTTPConnection("127.0.0.1", running.port, timeout=20)
        stream.request("GET", "/sessie/stroom", headers=advisor)
        response = stream.getresponse()
        assert response.status == 200 and response.getheader("content-type", "").startswith(
            "text/event-stream"
        )
        assert "default-src 'self'" in response.getheader("content-security-policy", "")

        def next_stand() -> str:
            event = ""
            while True:
                line = response.fp.readline().decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "stand":
                    return line[6:]

        first = next_stand()
        token = csrf_of(running, group)
        post(running, "/deel/gemeente", {"csrf": token, "gemeente_naam": "Urk", "actie": "blijf"}, group)
        second = next_stand()
        assert (
            second != first
            and second == request("GET", running, "/sessie/stand", headers=advisor)[2].decode()
        )
        # A group's file changed by hand (in a text editor) is a change too, within a second.
        _edit_by_hand(folder / "groep-2.yaml", {"gemeente_naam": "Emmeloord"})
        third = next_stand()
        assert third != second and third.split(".")[2] != second.split(".")[2]  # groep-2's revision
        more = []
        for _ in range(4):  # four more projection pages
            extra = http.client.HTTPConnection("127.0.0.1", running.port, timeout=20)
            extra.request("GET", "/sessie/stroom", headers=advisor)
            assert extra.getresponse().status == 200
            more.append(extra)
        running.process.send_signal(signal.SIGINT)
        assert running.process.wait(timeout=15) == 0
        stream.close()
        for extra in more:
            extra.close()
    finally:
        running.stop()
    assert "Gestopt." in "".join(running.lines)
    assert "Traceback" not in "".join(running.lines) and "CancelledError" not in "".join(running.lines)


def test_the_advisor_adopts_an_answer_inside_a_tie_and_a_tie_the_combined_file_lacks(tmp_path: Path) -> None:
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        for group, advice in (("groep 1", "voortzetten"), ("groep 2", "beeindigen")):
            cookie = login_as(running, running.links()[group])
            token = csrf_of(running, cookie)
            fields = {"csrf": token, "veld.partner": "Wanica", "veld.land": "Suriname", "veld.advies": advice}
            assert post(running, "/deel/partnerschappen/partnerschappen/nieuw", fields, cookie)[0] == 303
        advisor = login(running)
        _, _, body = request("GET", running, "/sessie", headers=advisor)
        page = body.decode()
        assert "Wanica (Suriname) · Wat stelt u voor met deze band?" in page
        assert 'name="veld" value="advies"' in page and 'name="item" value="wanica suriname"' in page
        token = csrf_of(running, advisor, "/sessie")
        adopt = {"csrf": token, "vraag": "partnerschappen", "veld": "advies", "item": "Wanica (Suriname)"}
        # The combined file has no such tie yet: it gets group 2's tie as a whole.
        status, headers, _ = post(running, "/sessie/overnemen", {**adopt, "groep": "groep-2"}, advisor)
        assert status == 303 and headers["location"].endswith("#vraag-partnerschappen-wanica-suriname-advies")
        combined = yaml.safe_load((folder / "gecombineerd.yaml").read_text(encoding="utf-8"))
        assert combined["partnerschappen"] == [
            {"partner": "Wanica", "land": "Suriname", "advies": "beeindigen"}
        ]
        # Now it has: only the one field changes, the tie stays one tie.
        post(running, "/sessie/overnemen", {**adopt, "groep": "groep-1"}, advisor)
        combined = yaml.safe_load((folder / "gecombineerd.yaml").read_text(encoding="utf-8"))
        assert combined["partnerschappen"] == [
            {"partner": "Wanica", "land": "Suriname", "advies": "voortzetten"}
        ]
        _, _, body = request("GET", running, "/sessie", headers=advisor)
        shown = (
            body.decode().split('id="vraag-partnerschappen-wanica-suriname-advies"')[1].split("</details>")[0]
        )
        assert "Voortzetten zoals nu" in shown.split("Gecombineerd")[1]
        unknown = {**adopt, "item": "Paramaribo (Suriname)", "groep": "groep-1"}
        assert post(running, "/sessie/overnemen", unknown, advisor)[0] == 400
    finally:
        running.stop()


def test_the_web_and_the_terminal_walk_write_the_same_file_and_findings_from_the_same_typing(
    tmp_path: Path,
) -> None:
    """The same typed answers through the page and through the engine `start` drives (walk.store,
    the kinds' parsing, answers.save after each answer) give the same bytes and the same findings."""
    from wizard import answers
    from wizard.draft import Drafter
    from wizard.walk import Place, Walk

    typed: dict[str, dict[str, str]] = {
        "gemeente": {"gemeente_naam": "Zeewolde", "inwoners": "23.000", "provincie": "flevoland"},
        "geld": {"budget_jaar": "€ 12.500,50"},
    }
    tie = {"partner": "Wanica", "land": "Suriname", "advies": "voortzetten", "sinds": "1998"}
    drafter = Drafter()
    walk = Walk(drafter.questionnaire)
    terminal = tmp_path / "terminal.yaml"
    state = answers.Answers()
    answers.save(state, drafter.questionnaire, terminal)  # `start` writes the new file first
    for fields in typed.values():
        for key, text in fields.items():
            question = drafter.questionnaire.by_id[key]
            walk.store(state, Place(key), question.kind.parse(question, text, walk.context(state)))
            answers.save(state, drafter.questionnaire, terminal)
    group = drafter.questionnaire.by_id["partnerschappen"]
    for key, text in tie.items():
        field = next(f for f in group.velden if f.id == key)
        walk.store(state, Place(group.id, 0, key), field.kind.parse(field, text, walk.context(state)))
        answers.save(state, drafter.questionnaire, terminal)

    web = tmp_path / "web.yaml"
    running = webserver.start(web)
    try:
        cookie = login(running)
        token = csrf_of(running, cookie)
        for part, fields in typed.items():  # a part is sent whole, as the browser does
            assert (
                post(running, f"/deel/{part}", {"csrf": token, **fields, "actie": "blijf"}, cookie)[0] == 303
            )
        form = {"csrf": token, **{f"veld.{k}": v for k, v in tie.items()}}
        assert post(running, "/deel/partnerschappen/partnerschappen/nieuw", form, cookie)[0] == 303
    finally:
        running.stop()
    assert web.read_text("utf-8") == terminal.read_text("utf-8")
    findings = [drafter.findings(answers.load(path, drafter.questionnaire)) for path in (web, terminal)]
    assert findings[0] == findings[1] and findings[0]


def test_the_start_page_offers_both_routes_and_keeps_the_choice_in_the_file(
    server: Server, tmp_path: Path
) -> None:
    """As `start` does: kort or volledig with an estimate for this file; the choice goes into the
    answers file (route: kort) and the walk follows it (the first question of the short route)."""
    cookie = login(server)
    status, _, body = request("GET", server, "/", headers=cookie)
    page = body.decode()
    assert status == 200 and "Welke route volgt u?" in page
    assert page.count("Voor dit bestand nog ongeveer") == 2
    token = csrf_of(server, cookie, "/")
    status, headers, _ = post(server, "/route", [("csrf", token), ("route", "kort")], cookie)
    assert status == 303 and headers["location"] == "/"
    assert "route: kort" in (tmp_path / "antwoorden.yaml").read_text(encoding="utf-8")
    _, _, body = request("GET", server, "/", headers=cookie)
    assert "U volgt nu de korte route" in body.decode()
    status, _, _ = post(server, "/route", [("csrf", token), ("route", "onzin")], cookie)
    assert status == 400


# --- the server under load and on the network (hostile round 3: N4-N7, W51) ----------------


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "[::]"])  # noqa: S104 - refused, never bound
def test_a_wildcard_address_for_netwerk_is_refused_in_dutch(tmp_path: Path, address: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "werksessie", str(tmp_path / "s"), "--netwerk", address],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert " ".join(result.stderr.split()) == (
        f"Fout: '{address}' betekent 'alle adressen van deze computer'; de werksessie luistert alleen "
        "op één IPv4-adres in het lokale netwerk. → Laat het adres weg na --netwerk (dan kiest "
        "beleidsnotitie het zelf), of geef één adres van deze computer, bijvoorbeeld --netwerk 192.168.1.20."
    )
    assert not (tmp_path / "s").exists() or not any((tmp_path / "s").glob("*.lock"))


def test_a_loopback_address_for_netwerk_says_no_other_device_can_reach_it_and_codes_are_rate_limited(
    tmp_path: Path,
) -> None:
    """--netwerk 127.0.0.1 is not silently the local mode: it says so, and still gives the short
    links. Ten wrong codes from one address in a minute, then a Dutch 429 page for every code."""
    running = webserver.start(
        tmp_path / "s", "--groepen", "2", "--netwerk", "127.0.0.1", command="werksessie"
    )
    try:
        output = " ".join("".join(running.lines).split())
        assert (
            "Let op: 127.0.0.1 is een adres van deze computer zelf. Andere apparaten kunnen de werksessie "
            "zo niet bereiken; laat het adres weg na --netwerk, of geef het adres van deze computer in "
            "het lokale netwerk (bijvoorbeeld 192.168.1.20)."
        ) in output
        short = dict(re.findall(r"Link voor (.+?): \S+ \(kort: (http://\S+)\)", output))
        assert sorted(short) == ["groep 1", "groep 2"]
        code = short["groep 1"].rsplit("/", 1)[1]
        assert [request("GET", running, f"/doe-mee/ZZZZ-ZZZ{n}")[0] for n in range(2, 10)] == [403] * 8
        assert request("GET", running, "/doe-mee/ZZZZ-ZZZA")[0] == 403
        assert request("GET", running, "/doe-mee/ZZZZ-ZZZB")[0] == 403
        status, headers, body = request("GET", running, "/doe-mee/ZZZZ-ZZZC")
        assert status == 429 and headers["retry-after"] == "60"
        page = " ".join(body.decode().split())
        assert "Te veel verkeerde codes" in page
        assert "Vanaf dit apparaat zijn te veel verkeerde codes geprobeerd. Wacht een minuut" in page
        assert request("GET", running, f"/doe-mee/{code}")[0] == 429  # the right one too, for now
        assert request("GET", running, "/sessie", headers=login(running))[0] == 200  # the rest works
    finally:
        running.stop()


def test_a_wrong_short_code_counts_for_one_minute_only() -> None:
    """The guard on its own, with a clock the test turns: the lockout ends after CODE_WINDOW."""
    import asyncio

    from wizard.web.guard import CODE_TRIES, CODE_WINDOW, Guard, Keys

    keys = Keys(port=8000, groups=("groep-1",))
    now = [1000.0]
    guard = Guard(None, keys, lambda status: str(status), clock=lambda: now[0])

    def open_code(code: str, client: str = "192.168.1.30") -> int:
        sent: list[dict[str, object]] = []

        async def send(message: dict[str, object]) -> None:
            sent.append(message)

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b""}

        scope = {
            "type": "http",
            "method": "GET",
            "path": f"/doe-mee/{code}",
            "headers": [(b"host", b"127.0.0.1:8000")],
            "client": (client, 50000),
        }
        asyncio.run(guard(scope, receive, send))
        return int(str(sent[0]["status"]))

    right = keys.roles["groep-1"].code
    assert [open_code("ZZZZZZZZ") for _ in range(CODE_TRIES)] == [403] * CODE_TRIES
    assert open_code(right) == 429
    assert open_code(right, client="192.168.1.31") == 303  # another device is not locked out
    now[0] += CODE_WINDOW
    assert open_code(right) == 303


def test_too_many_form_fields_get_a_dutch_page_and_no_traceback(server: Server) -> None:
    cookie = login(server)
    token = csrf_of(server, cookie)
    fields = [("csrf", token)] + [(f"veld{n}", "x") for n in range(2500)]
    status, _, body = post(server, "/deel/gemeente", fields, cookie)
    assert status == 400
    assert "Dit verzoek klopt niet" in body.decode()
    assert request("GET", server, "/", headers=cookie)[0] == 200
    server.stop()
    assert "Traceback" not in "".join(server.lines)


def test_thousands_of_idle_connections_are_closed_and_the_server_keeps_answering(tmp_path: Path) -> None:
    """A werksessie in the network that may open only 256 files gets 600 idle connections from
    another device (address): those over its cap are closed at once, the rest after HEADER_TIMEOUT;
    the advisor still gets in, and the terminal gets at most one Dutch line, never a traceback."""
    import socket
    import time

    from wizard.web.server import HEADER_TIMEOUT

    running = webserver.start(
        tmp_path / "s", "--groepen", "2", "--netwerk", "127.0.0.1", command="werksessie", files=256
    )
    idle: list[socket.socket] = []
    try:
        for _ in range(600):
            sock = socket.socket()
            sock.bind(("127.0.0.3", 0))
            sock.settimeout(5)
            try:
                sock.connect(("127.0.0.1", running.port))
            except OSError:
                sock.close()
                continue
            idle.append(sock)
        slow = socket.create_connection(("127.0.0.1", running.port), timeout=HEADER_TIMEOUT + 10)
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the rest of the headers
        assert login(running)["Cookie"].startswith(f"beleidsnotitie-{running.port}=")
        assert slow.recv(1) == b""  # closed by the server after HEADER_TIMEOUT
        slow.close()
        deadline = time.monotonic() + 10
        still_open = idle
        while still_open and time.monotonic() < deadline:
            still_open = [s for s in still_open if not _closed_by_peer(s)]
        assert not still_open
    finally:
        for sock in idle:
            sock.close()
        running.stop()
    output = "".join(running.lines)
    assert "Traceback" not in output and "Too many open files" not in output
    assert output.count("Let op: de server heeft te veel verbindingen") <= 1


def test_one_user_on_the_local_page_may_keep_more_connections_than_a_device_in_the_network(
    tmp_path: Path,
) -> None:
    """#20: `web` listens on 127.0.0.1 only, so every connection is this computer's: many tabs,
    and a browser that opens connections ahead, all come from one address. The cap per address
    of a werksessie in the network (64) does not apply there; the cap in all still does."""
    import contextlib
    import socket

    from wizard.web.server import MAX_PER_ADDRESS, connection_limit

    count = 2 * MAX_PER_ADDRESS + 8
    assert count < connection_limit()
    running = webserver.start(tmp_path / "antwoorden.yaml")
    tabs: list[socket.socket] = []
    try:
        for _ in range(count):  # all open at once, as keep-alive connections of many tabs are
            tabs.append(socket.create_connection(("127.0.0.1", running.port), timeout=10))
        answered = 0
        for sock in tabs:
            sock.sendall(f"GET /static/app.css HTTP/1.1\r\nHost: 127.0.0.1:{running.port}\r\n\r\n".encode())
            with contextlib.suppress(OSError):  # closed by the server: over a cap
                answered += sock.recv(12) == b"HTTP/1.1 200"
        assert answered == count
    finally:
        for sock in tabs:
            sock.close()
        running.stop()
    assert "Traceback" not in "".join(running.lines)


def _closed_by_peer(sock: object) -> bool:
    import socket

    assert isinstance(sock, socket.socket)
    sock.settimeout(0.01)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


def test_running_out_of_file_handles_prints_one_dutch_line_a_minute() -> None:
    import asyncio
    import errno

    from wizard.web.server import NOTE_EVERY, out_of_handles_handler

    said: list[str] = []
    now = [0.0]
    handle = out_of_handles_handler(said.append, clock=lambda: now[0])
    loop = asyncio.new_event_loop()
    try:
        for _ in range(500):
            handle(
                loop,
                {
                    "message": "socket.accept() out of system resource",
                    "exception": OSError(errno.EMFILE, "x"),
                },
            )
        now[0] += NOTE_EVERY
        handle(
            loop,
            {"message": "socket.accept() out of system resource", "exception": OSError(errno.ENFILE, "x")},
        )
    finally:
        loop.close()
    assert [" ".join(line.split()) for line in said] == [
        "Let op: de server heeft te veel verbindingen tegelijk open en neemt even geen nieuwe aan. "
        "Bewaarde antwoorden blijven bewaard. Gebeurt dit vaker, kijk dan welk apparaat in het "
        "netwerk zo veel verbindingen maakt."
    ] * 2


# --- a werksessie evening: four groups, every kind of difference, adopted ---------------

MOTIVES = {1: ["ideeel", "economisch"], 2: ["economisch"], 3: ["ideeel"], 4: ["ideeel", "economisch"]}
TIES = {
    1: [("Wenzhou", "China", "voortzetten")],
    2: [("Wenzhou", "China", "beeindigen")],
    3: [("Tetovo", "Noord-Macedonië", "aangaan")],
    4: [("wenzhou", "china", "nog_bepalen")],  # typed otherwise: the same tie
}


GOALS = {
    1: [("Afval scheiden in de partnerstad.", "2028")],
    2: [("afval scheiden in de Partnerstad", "2030")],
}


def answer_as_group(server: Server, url: str, number: int) -> None:
    """One group's evening: a multiple choice, and its ties (each on its own page)."""
    cookie = login_as(server, url)
    token = csrf_of(server, cookie)
    motives = [("csrf", token), *(("motieven", m) for m in MOTIVES[number]), ("actie", "blijf")]
    assert post(server, "/deel/visie", motives, cookie)[0] == 303
    for partner, land, advice in TIES[number]:
        tie = {"csrf": token, "veld.partner": partner, "veld.land": land, "veld.advies": advice}
        assert post(server, "/deel/partnerschappen/partnerschappen/nieuw", tie, cookie)[0] == 303
    for description, year in GOALS.get(number, []):
        goal = {"csrf": token, "veld.omschrijving": description, "veld.termijn": year}
        assert post(server, "/deel/doelen/doelen/nieuw", goal, cookie)[0] == 303


def adopt(server: Server, advisor: dict[str, str], **fields: str) -> str:
    """Press one Overnemen button; return the projection the browser is sent back to."""
    token = csrf_of(server, advisor, "/sessie")
    status, headers, _ = post(server, "/sessie/overnemen", {"csrf": token, **fields}, advisor)
    assert status == 303, fields
    back = headers["location"]
    assert back.startswith("/sessie?")
    return request("GET", server, back.split("#")[0], headers=advisor)[2].decode()


def test_a_werksessie_of_four_groups_adopts_every_kind_of_difference_over_http(tmp_path: Path) -> None:
    """The evening of issue 22 without a browser: four groups on the short route answer
    differently (a multiple choice, the proposal for a tie three groups name, a tie one group
    names); the projection shows every difference, the most political first; the advisor adopts
    one of each kind; gecombineerd.yaml holds exactly those answers and makes a document."""
    from wizard import answers, questionnaire

    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "4", "--route", "kort", command="werksessie")
    try:
        links = running.links()
        for number in range(1, 5):
            answer_as_group(running, links[f"groep {number}"], number)
        advisor = login(running)
        page = request("GET", running, "/sessie", headers=advisor)[2].decode()
        assert "Voortgang op de korte route" in page
        titles = re.findall(r'<span class="verschil__teken">≠ Verschilt:</span> ([^<]+?) <span', page)
        # The proposal per tie first, then which ties there are, then the rest in questionnaire order.
        assert titles == [
            "5.1.3 Wenzhou (China) · Wat stelt u voor met deze band?",
            "5.1 Partnerschappen en stedenbanden: Wenzhou (China)",
            "5.1 Partnerschappen en stedenbanden: Tetovo (Noord-Macedonië)",
            "3.2 Welke motieven heeft de gemeente?",
            "4.1 Doelen: Afval scheiden in de partnerstad.",
            "4.1.4 Afval scheiden in de partnerstad. · In welk jaar moet het doel zijn gehaald?",
        ], titles
        assert (
            "alleen bij Groep 1 en Groep 2" in page
            and "alleen bij Groep 3" in page
            and "alleen bij Groep 1, Groep 2 en Groep 4" in page
        )
        assert "Afbouwen en beëindigen" in page and "Nu nog niet kiezen; eerst evalueren" in page
        # 1. A multiple choice (HTTP 500 before).
        page = adopt(running, advisor, vraag="motieven", groep="groep-2")
        assert "Overgenomen van Groep 2: 3.2 Welke motieven heeft de gemeente?" in page
        assert re.search(r'<details class="verschil verschil--gekozen" id="vraag-motieven">', page)
        # 2. A whole tie, then 3. one field of it from another group.
        page = adopt(running, advisor, vraag="partnerschappen", item="wenzhou china", groep="groep-1")
        assert "Overgenomen van Groep 1: Wenzhou (China), met alle antwoorden" in page
        page = adopt(
            running, advisor, vraag="partnerschappen", item="wenzhou china", veld="advies", groep="groep-2"
        )
        assert "Overgenomen van Groep 2: Wenzhou (China) · Wat stelt u voor met deze band?" in page
        assert "→ Afbouwen en beëindigen (Groep 2)" in page
        # 4. A tie only one group names.
        page = adopt(
            running, advisor, vraag="partnerschappen", item="tetovo noord macedonie", groep="groep-3"
        )
        assert page.count("≠ Verschilt:") == 2 and "4 al gekozen" in page  # the goal's two still open
        # 5. One field of a goal the combined file does not have yet: the whole goal comes along.
        page = adopt(
            running,
            advisor,
            vraag="doelen",
            item="afval scheiden in de partnerstad",
            veld="termijn",
            groep="groep-2",
        )
        assert (
            "Overgenomen van Groep 2: afval scheiden in de Partnerstad · In welk jaar moet het doel zijn gehaald?"
            in page
        )
        # A group that does not name the tie has nothing to adopt there.
        token = csrf_of(running, advisor, "/sessie")
        refused = post(
            running,
            "/sessie/overnemen",
            {"csrf": token, "vraag": "partnerschappen", "item": "tetovo noord macedonie", "groep": "groep-1"},
            advisor,
        )
        assert refused[0] == 400
    finally:
        running.stop()
    output = "".join(running.lines)
    assert "Traceback" not in output and "Error" not in output, output
    combined = answers.load(folder / "gecombineerd.yaml", questionnaire.load())
    assert combined.route == "kort"
    assert combined.values == {
        "motieven": ["economisch"],
        "partnerschappen": [
            {"partner": "Wenzhou", "land": "China", "advies": "beeindigen"},
            {"partner": "Tetovo", "land": "Noord-Macedonië", "advies": "aangaan"},
        ],
        "doelen": [{"omschrijving": "afval scheiden in de Partnerstad", "termijn": 2030}],
    }
    made = subprocess.run(
        [sys.executable, "-m", "wizard", "maak", str(folder / "gecombineerd.yaml"), "--formaat", "docx"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert made.returncode in (0, 1), made.stderr
    import docx

    written = sorted(folder.glob("*.docx")) + sorted(tmp_path.glob("*.docx"))
    assert written, made.stdout + made.stderr
    text = "\n".join(p.text for p in docx.Document(str(written[0])).paragraphs)
    assert "Wenzhou" in text and "Tetovo" in text


def test_the_advisor_puts_every_group_on_one_route_from_the_projection(tmp_path: Path) -> None:
    from wizard import answers, questionnaire

    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        advisor = login(running)
        page = request("GET", running, "/sessie", headers=advisor)[2].decode()
        assert "Voortgang op de volledige route" in page
        token = csrf_of(running, advisor, "/sessie")
        assert post(running, "/sessie/route", {"route": "kort"}, advisor)[0] == 403  # no CSRF token
        status, headers, _ = post(running, "/sessie/route", {"csrf": token, "route": "kort"}, advisor)
        assert status == 303 and headers["location"] == "/sessie?route=kort"
        page = request("GET", running, "/sessie?route=kort", headers=advisor)[2].decode()
        assert "Alle groepen volgen nu de korte route." in page and "Voortgang op de korte route" in page
        assert post(running, "/sessie/route", {"csrf": token, "route": "snel"}, advisor)[0] == 400
        group = login_as(running, running.links()["groep 1"])
        assert (
            post(running, "/sessie/route", {"csrf": csrf_of(running, group), "route": "volledig"}, group)[0]
            == 403
        )
    finally:
        running.stop()
    questions = questionnaire.load()
    for name in ("groep-1", "groep-2", "gecombineerd"):
        assert answers.load(folder / f"{name}.yaml", questions).route == "kort"


def test_a_group_file_broken_by_hand_is_never_written_over_and_everyone_is_told(tmp_path: Path) -> None:
    """Hostile round 3, W67: an invalid hand edit used to vanish at the group's next save."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        group = login_as(running, running.links()["groep 1"])
        token = csrf_of(running, group)
        fields = {"csrf": token, "gemeente_naam": "Urk", "actie": "blijf"}
        assert post(running, "/deel/gemeente", fields, group)[0] == 303
        file = folder / "groep-1.yaml"
        broken = file.read_text(encoding="utf-8") + "visie: [niet afgesloten\n"
        file.write_text(broken, encoding="utf-8")
        status, _, body = post(running, "/deel/gemeente", {**fields, "gemeente_naam": "Dronten"}, group)
        page = " ".join(body.decode().split())
        assert status == 409 and "<title>Niet bewaard · Beleidsnotitie</title>" in page
        assert "Uw antwoord is niet bewaard." in page
        assert "groep-1.yaml: het bestand is buiten dit programma veranderd" in page
        assert file.read_text(encoding="utf-8") == broken  # the hand edit is kept, byte for byte
        projection = request("GET", running, "/sessie", headers=login(running))[2].decode()
        assert "Let op: het bestand van deze groep is met de hand veranderd en klopt nu niet" in projection
        # Repaired by hand: the next save keeps the repair and the answer typed meanwhile.
        file.write_text(broken.replace("[niet afgesloten", "Samen leren."), encoding="utf-8")
        assert post(running, "/deel/gemeente", {**fields, "gemeente_naam": "Dronten"}, group)[0] == 303
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        assert data["gemeente_naam"] == "Dronten" and data["visie"] == "Samen leren."
        # The advisor's combined file the same way: nothing adopted, nothing written over.
        combined = folder / "gecombineerd.yaml"
        combined.write_text("formaat: 1\nmotieven: [ideeel\n", encoding="utf-8")
        advisor = login(running)
        projection = request("GET", running, "/sessie", headers=advisor)[2].decode()
        assert "Let op: gecombineerd.yaml is buiten dit programma veranderd en klopt nu niet" in projection
        adopt = {"csrf": csrf_of(running, advisor, "/sessie"), "vraag": "gemeente_naam", "groep": "groep-1"}
        status, _, body = post(running, "/sessie/overnemen", adopt, advisor)
        page = " ".join(body.decode().split())
        assert (
            status == 409
            and "Het antwoord staat nog niet in het bestand" in page
            and "Terug naar de projectie" in page
        )
        assert combined.read_text(encoding="utf-8") == "formaat: 1\nmotieven: [ideeel\n"
    finally:
        running.stop()
    assert "Traceback" not in "".join(running.lines)


def test_a_long_free_text_on_the_projection_shows_its_start_and_opens_whole(tmp_path: Path) -> None:
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    long = "Samen leren van andere gemeenten, en dat ook laten zien aan de inwoners. " * 5
    try:
        for group, vision in (("groep 1", long), ("groep 2", "Solidariteit.")):
            cookie = login_as(running, running.links()[group])
            fields = {"csrf": csrf_of(running, cookie), "visie": vision, "actie": "blijf"}
            assert post(running, "/deel/visie", fields, cookie)[0] == 303
        page = request("GET", running, "/sessie", headers=login(running))[2].decode()
        row = page.split('id="vraag-visie"')[1].split("</section>")[0]
        assert row.count("Hele tekst") == 1 and long.strip() in row
        start = (
            "Samen leren van andere gemeenten, en dat ook laten zien aan de inwoners. Samen leren van andere "
        )
        assert f'"keuze-groep__antwoord">{start}gemeenten, en dat ook laten zien aan de …</span>' in row
    finally:
        running.stop()


def revision_of(page: str) -> str:
    """The revision of the combined file the projection showed (carried by each Overnemen button)."""
    found = set(re.findall(r'name="revisie" value="(\d+)"', page))
    assert len(found) == 1, found
    return found.pop()


def test_adopting_over_a_newer_change_to_the_combined_file_is_refused_like_a_stale_tab(
    tmp_path: Path,
) -> None:
    """Issue 22, point 4: the projection carries the combined file's revision; an answer changed
    there after the projection was shown (the advisor's own page, another tab) is never overwritten."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        for group, name, advice in (
            ("groep 1", "Zeewolde", "voortzetten"),
            ("groep 2", "Dronten", "beeindigen"),
        ):
            cookie = login_as(running, running.links()[group])
            token = csrf_of(running, cookie)
            fields = {"csrf": token, "gemeente_naam": name, "actie": "blijf"}
            assert post(running, "/deel/gemeente", fields, cookie)[0] == 303
            tie = {"csrf": token, "veld.partner": "Wanica", "veld.land": "Suriname", "veld.advies": advice}
            assert post(running, "/deel/partnerschappen/partnerschappen/nieuw", tie, cookie)[0] == 303
        advisor = login(running)
        page = adopt(running, advisor, vraag="partnerschappen", item="wanica suriname", groep="groep-1")
        shown = revision_of(page)  # the projection the advisor looks at
        token = csrf_of(running, advisor, "/sessie")
        # Meanwhile the combined file changes on the advisor's own page (another tab).
        fields = {"csrf": token, "gemeente_naam": "Lelystad", "actie": "blijf"}
        assert post(running, "/deel/gemeente", fields, advisor)[0] == 303
        tie = {"csrf": token, "veld.partner": "Wanica", "veld.land": "Suriname", "veld.advies": "nog_bepalen"}
        assert post(running, "/deel/partnerschappen/partnerschappen/0", tie, advisor)[0] == 303
        stale = {"csrf": token, "revisie": shown, "groep": "groep-2"}
        status, _, body = post(running, "/sessie/overnemen", {**stale, "vraag": "gemeente_naam"}, advisor)
        text = " ".join(body.decode().split())
        assert status == 409 and "<title>Niet overgenomen · Beleidsnotitie</title>" in text
        assert (
            "Het antwoord bij ‘1.1 Naam van de gemeente’ in gecombineerd.yaml is veranderd nadat deze "
            "projectie werd getoond, in: Lelystad. Er is niets overschreven en niets verloren. Laad de "
            "projectie opnieuw om het nieuwe antwoord te zien en kies dan opnieuw." in text
        ), text
        assert (
            '<a class="utrecht-link" href="/sessie#vraag-gemeente_naam">Projectie opnieuw laden</a>' in text
        )
        field = {**stale, "vraag": "partnerschappen", "item": "wanica suriname", "veld": "advies"}
        status, _, body = post(running, "/sessie/overnemen", field, advisor)
        text = " ".join(body.decode().split())
        assert (
            status == 409
            and "Het antwoord bij ‘Wanica (Suriname) · Wat stelt u voor met deze band?’ in" in text
        )
        assert "in: Nu nog niet kiezen; eerst evalueren." in text
        combined = yaml.safe_load((folder / "gecombineerd.yaml").read_text(encoding="utf-8"))
        assert combined["gemeente_naam"] == "Lelystad"
        assert combined["partnerschappen"][0]["advies"] == "nog_bepalen"
        # Reloaded: the projection shows the newer answers and adopting works again.
        page = request("GET", running, "/sessie", headers=advisor)[2].decode()
        fresh = {**stale, "revisie": revision_of(page), "vraag": "gemeente_naam"}
        assert post(running, "/sessie/overnemen", fresh, advisor)[0] == 303
        # The page is older than that adoption, but the tie's proposal did not change since it was shown.
        assert post(running, "/sessie/overnemen", {**field, "revisie": fresh["revisie"]}, advisor)[0] == 303
        combined = yaml.safe_load((folder / "gecombineerd.yaml").read_text(encoding="utf-8"))
        assert (
            combined["gemeente_naam"] == "Dronten"
            and combined["partnerschappen"][0]["advies"] == "beeindigen"
        )
    finally:
        running.stop()
    assert "Traceback" not in "".join(running.lines)


def _edit_by_hand(path: Path, change: dict[str, object]) -> None:
    """What an advisor does in a text editor while the werksessie runs: change some answers and save."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    data.update(change)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_adopting_over_a_hand_edit_of_the_combined_file_is_refused_and_shows_the_newer_answer(
    tmp_path: Path,
) -> None:
    """Issue 22, a gap: an answer or note changed by hand in gecombineerd.yaml (in a text editor,
    while the werksessie runs) was not seen by the revision check, and adopting a group's answer
    wrote over it. Now the file's content counts: the adoption is refused like a stale tab."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    combined = folder / "gecombineerd.yaml"
    try:
        for group, name, advice, note in (
            ("groep 1", "Zeewolde", "voortzetten", "Leren van elkaar."),
            ("groep 2", "Dronten", "beeindigen", "Eerst de inwoners."),
        ):
            cookie = login_as(running, running.links()[group])
            token = csrf_of(running, cookie)
            fields = {"csrf": token, "gemeente_naam": name, "actie": "blijf"}
            assert post(running, "/deel/gemeente", fields, cookie)[0] == 303
            fields = {"csrf": token, "visie": "Samen.", "toelichting-groep": note, "actie": "blijf"}
            assert post(running, "/deel/visie", fields, cookie)[0] == 303
            tie = {"csrf": token, "veld.partner": "Wanica", "veld.land": "Suriname", "veld.advies": advice}
            assert post(running, "/deel/partnerschappen/partnerschappen/nieuw", tie, cookie)[0] == 303
        advisor = login(running)
        adopt(running, advisor, vraag="partnerschappen", item="wanica suriname", groep="groep-1")
        page = request("GET", running, "/sessie", headers=advisor)[2].decode()
        shown = revision_of(page)  # the projection the advisor looks at
        token = csrf_of(running, advisor, "/sessie")
        # Meanwhile, in a text editor: a name, the tie's proposal and a note of the combined file.
        tie = yaml.safe_load(combined.read_text(encoding="utf-8"))["partnerschappen"]
        tie[0]["advies"] = "nog_bepalen"
        _edit_by_hand(
            combined,
            {"gemeente_naam": "Lelystad", "partnerschappen": tie, "werksessie": {"visie": "Met de hand."}},
        )
        before = combined.read_bytes()
        stale = {"csrf": token, "revisie": shown, "groep": "groep-2"}
        status, _, body = post(running, "/sessie/overnemen", {**stale, "vraag": "gemeente_naam"}, advisor)
        text = " ".join(body.decode().split())
        assert status == 409 and "<title>Niet overgenomen · Beleidsnotitie</title>" in text
        assert (
            "Het antwoord bij ‘1.1 Naam van de gemeente’ in gecombineerd.yaml is met de hand (buiten dit "
            "programma) veranderd nadat deze projectie werd getoond, in: Lelystad. Er is niets overschreven en "
            "niets verloren. Laad de projectie opnieuw om het nieuwe antwoord te zien en kies dan opnieuw."
        ) in text, text
        field = {**stale, "vraag": "partnerschappen", "item": "wanica suriname", "veld": "advies"}
        status, _, body = post(running, "/sessie/overnemen", field, advisor)
        text = " ".join(body.decode().split())
        assert status == 409 and "Wanica (Suriname) · Wat stelt u voor met deze band?" in text
        assert "met de hand (buiten dit programma) veranderd" in text
        assert "in: Nu nog niet kiezen; eerst evalueren." in text
        note = {**stale, "toelichting": "visie", "gezien": "Eerst de inwoners."}
        status, _, body = post(running, "/sessie/overnemen", note, advisor)
        text = " ".join(body.decode().split())
        assert status == 409 and "Het antwoord bij ‘Toelichting bij Visie en motieven’" in text
        assert "met de hand (buiten dit programma) veranderd" in text and "in: Met de hand." in text
        assert combined.read_bytes() == before  # the hand edits are all still there, byte for byte
        # Reloaded, the projection shows the hand edits; adopting over them is now a choice made knowingly.
        page = request("GET", running, "/sessie", headers=advisor)[2].decode()
        assert "Lelystad" in page and "Met de hand." in page
        fresh = revision_of(page)
        assert fresh != shown
        assert (
            post(
                running, "/sessie/overnemen", {**stale, "revisie": fresh, "vraag": "gemeente_naam"}, advisor
            )[0]
            == 303
        )
        data = yaml.safe_load(combined.read_text(encoding="utf-8"))
        assert data["gemeente_naam"] == "Dronten"
        assert data["partnerschappen"][0]["advies"] == "nog_bepalen" and data["werksessie"] == {
            "visie": "Met de hand."
        }
        # A hand edit elsewhere does not stand in the way, and is kept when another answer is adopted.
        page = request("GET", running, "/sessie", headers=advisor)[2].decode()
        _edit_by_hand(combined, {"auteur": "Griffie, met de hand"})
        note = {**note, "revisie": revision_of(page)}
        assert post(running, "/sessie/overnemen", note, advisor)[0] == 303
        data = yaml.safe_load(combined.read_text(encoding="utf-8"))
        assert (
            data["werksessie"] == {"visie": "Eerst de inwoners."} and data["auteur"] == "Griffie, met de hand"
        )
    finally:
        running.stop()
    assert "Traceback" not in "".join(running.lines)


def test_the_projection_compares_only_the_questions_of_the_evenings_route(tmp_path: Path) -> None:
    """Answers given on the full route before the advisor chose the short one are no differences."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        for group, name, vision in (
            ("groep 1", "Zeewolde", "Samen leren."),
            ("groep 2", "Dronten", "Solidair."),
        ):
            cookie = login_as(running, running.links()[group])
            token = csrf_of(running, cookie)
            assert (
                post(
                    running,
                    "/deel/gemeente",
                    {"csrf": token, "gemeente_naam": name, "actie": "blijf"},
                    cookie,
                )[0]
                == 303
            )
            assert (
                post(running, "/deel/visie", {"csrf": token, "visie": vision, "actie": "blijf"}, cookie)[0]
                == 303
            )
        advisor = login(running)
        page = request("GET", running, "/sessie", headers=advisor)[2].decode()
        assert 'id="vraag-visie"' in page and 'id="vraag-gemeente_naam"' in page
        assert "2 verschillen bij" in page
        token = csrf_of(running, advisor, "/sessie")
        assert post(running, "/sessie/route", {"csrf": token, "route": "kort"}, advisor)[0] == 303
        page = request("GET", running, "/sessie", headers=advisor)[2].decode()
        assert 'id="vraag-visie"' not in page and 'id="vraag-gemeente_naam"' in page
        compared = int(re.search(r"1 verschil bij (\d+) vergeleken vragen", page).group(1))  # type: ignore[union-attr]
        assert compared < 60  # only the short route's questions and fields are compared
        # The answers themselves are kept: back on the full route the difference returns.
        assert post(running, "/sessie/route", {"csrf": token, "route": "volledig"}, advisor)[0] == 303
        assert 'id="vraag-visie"' in request("GET", running, "/sessie", headers=advisor)[2].decode()
    finally:
        running.stop()


def test_groups_on_different_routes_differ_only_where_their_own_routes_ask(tmp_path: Path) -> None:
    """Issue 22, a gap: with groups on different routes the projection compared the full route, so
    every question the short-route group was never asked showed as a difference (and as its empty
    answer). Now a question outside a group's route is "not asked" there: no difference by itself,
    no button; the groups on the full route are still compared with each other."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "3", command="werksessie")
    try:
        for group, route, name, author in (
            ("groep 1", "kort", "Zeewolde", ""),
            ("groep 2", "volledig", "Dronten", "Griffie"),
            ("groep 3", "volledig", "Dronten", "Bestuursadviseur"),
        ):
            cookie = login_as(running, running.links()[group])
            token = csrf_of(running, cookie)
            assert post(running, "/route", {"csrf": token, "route": route}, cookie)[0] == 303
            fields = {"csrf": token, "gemeente_naam": name, "auteur": author, "actie": "blijf"}
            if author:  # the full-route groups agree on a question the short route does not ask
                fields["provincie"] = "flevoland"
            assert post(running, "/deel/gemeente", fields, cookie)[0] == 303
        advisor = login(running)
        page = " ".join(request("GET", running, "/sessie", headers=advisor)[2].decode().split())
        assert "(de groepen volgen verschillende routes)" in page
        assert 'id="vraag-gemeente_naam"' in page
        assert 'id="vraag-provincie"' not in page  # not asked of group 1: no difference
        # Group 1 was not asked who writes the note: its empty answer is no third view, and no button.
        row = page.split('id="vraag-auteur"')[1].split("</section>")[0]
        assert "(niet gevraagd op deze route)" in row and row.count("Overnemen<span") == 2, row
        assert re.search(r"2 verschillen bij (\d+) vergeleken vragen", page), page
        # Only group 2 on the full route: nothing to compare on what the short route does not ask.
        cookie = login_as(running, running.links()["groep 3"])
        assert post(running, "/route", {"csrf": csrf_of(running, cookie), "route": "kort"}, cookie)[0] == 303
        page = " ".join(request("GET", running, "/sessie", headers=advisor)[2].decode().split())
        assert 'id="vraag-auteur"' not in page and 'id="vraag-gemeente_naam"' in page
        assert "1 verschil bij" in page
    finally:
        running.stop()
    assert "Traceback" not in "".join(running.lines)


def test_on_the_short_route_the_projection_shows_each_groups_progress_as_its_own_task_list(
    tmp_path: Path,
) -> None:
    """Issue 22, point 4: statuses and findings per group come from the group's own session, so the
    projection agrees with the group's start page (also the findings left for the full route)."""
    import shutil

    folder = tmp_path / "sessie"
    folder.mkdir()
    shutil.copy(examples_dir() / "oosterhaven.yaml", folder / "groep-1.yaml")
    running = webserver.start(folder, "--groepen", "2", "--route", "kort", command="werksessie")
    try:
        group = login_as(running, running.links()["groep 1"])
        start = " ".join(request("GET", running, "/", headers=group)[2].decode().split())
        assert "U volgt nu de korte route" in start
        lines = re.findall(r'<span class="takenlijst__status" id="status-[a-z_]+">([^<]+)</span>', start)
        statuses: dict[str, int] = {}
        findings = 0
        for line in lines:
            found = re.match(
                r"(Niet begonnen|Bezig|Klaar|Heeft aandacht nodig): \d+ van \d+ beantwoord(?:, (\d+) aandachtspunt)?",
                line,
            )
            if found is None:
                assert line == "Komt aan bod op de volledige route", line
                continue
            statuses[found.group(1).lower()] = statuses.get(found.group(1).lower(), 0) + 1
            findings += int(found.group(2) or 0)
        later = re.search(r"(\d+) (?:punt komt|punten komen) aan bod op de volledige route", start)
        assert later is not None and findings > 0  # the example has findings on both sides of the route
        projection = " ".join(request("GET", running, "/sessie", headers=login(running))[2].decode().split())
        row = projection.split('scope="row">Groep 1</th>')[1].split("</tr>")[0]
        shown = re.search(r'<td class="utrecht-table__cell voortgang__delen">([^<]*)</td>', row)
        assert shown is not None
        order = ["niet begonnen", "bezig", "klaar", "heeft aandacht nodig"]
        expected = " · ".join(f"{statuses[s]} {s}" for s in order if s in statuses)
        assert shown.group(1) == expected, (shown.group(1), lines)
        assert (
            f'<td class="utrecht-table__cell">{findings} <span class="voortgang__later">'
            f"(+ {later.group(1)} op de volledige route)</span></td>" in row
        ), row
        other = projection.split('scope="row">Groep 2</th>')[1].split("</tr>")[0]
        assert re.search(r'voortgang__delen">\d+ niet begonnen</td>', other), other  # an empty file
    finally:
        running.stop()


def test_groups_write_a_note_per_part_and_the_advisor_adopts_one(tmp_path: Path) -> None:
    """The werksessie toelichting: each group explains a part on its own page (saved in its file,
    as `start --werksessie` does); the projection compares the notes and adopts one."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    notes = {"groep 1": "Wij kozen voor leren van elkaar.", "groep 2": "Eerst de inwoners vragen."}
    try:
        for group, note in notes.items():
            cookie = login_as(running, running.links()[group])
            page = request("GET", running, "/deel/visie", headers=cookie)[2].decode()
            assert "Toelichting van de groep bij ‘Visie en motieven’" in page
            fields = {
                "csrf": csrf_of(running, cookie),
                "visie": "Samen.",
                "toelichting-groep": note,
                "actie": "blijf",
            }
            assert post(running, "/deel/visie", fields, cookie)[0] == 303
            page = request("GET", running, "/deel/visie", headers=cookie)[2].decode()
            assert (
                f'name="toelichting-groep" aria-describedby="toelichting-groep-uitleg">{note}</textarea>'
                in page
            )
        data = yaml.safe_load((folder / "groep-2.yaml").read_text(encoding="utf-8"))
        assert data["werksessie"] == {"visie": "Eerst de inwoners vragen."} and data["visie"] == "Samen."
        advisor = login(running)
        assert "toelichting-groep" not in request("GET", running, "/deel/visie", headers=advisor)[2].decode()
        page = request("GET", running, "/sessie", headers=advisor)[2].decode()
        row = page.split('id="vraag-toelichting-visie"')[1].split("</section>")[0]
        assert 'name="toelichting" value="visie"' in row and row.count("Overnemen<span") == 2
        shown = revision_of(page)
        page = adopt(running, advisor, toelichting="visie", groep="groep-2", revisie=shown)
        assert "Overgenomen van Groep 2: de toelichting bij Visie en motieven" in page
        assert "→ Eerst de inwoners vragen. (Groep 2)" in page
        # The older projection cannot adopt over the note just adopted.
        token = csrf_of(running, advisor, "/sessie")
        stale = {"csrf": token, "toelichting": "visie", "groep": "groep-1", "revisie": shown}
        status, _, body = post(running, "/sessie/overnemen", stale, advisor)
        text = " ".join(body.decode().split())
        assert status == 409 and "Het antwoord bij ‘Toelichting bij Visie en motieven’" in text
        assert "in: Eerst de inwoners vragen. Er is niets overschreven" in text
        # A group clears its note: the empty field removes it from its file.
        cookie = login_as(running, running.links()["groep 1"])
        fields = {
            "csrf": csrf_of(running, cookie),
            "visie": "Samen.",
            "toelichting-groep": "",
            "actie": "blijf",
        }
        assert post(running, "/deel/visie", fields, cookie)[0] == 303
        assert "werksessie" not in yaml.safe_load((folder / "groep-1.yaml").read_text(encoding="utf-8"))
    finally:
        running.stop()
    combined = yaml.safe_load((folder / "gecombineerd.yaml").read_text(encoding="utf-8"))
    assert combined["werksessie"] == {"visie": "Eerst de inwoners vragen."}
    assert "Traceback" not in "".join(running.lines)


def test_an_answer_a_group_changed_after_the_projection_showed_it_is_not_adopted(tmp_path: Path) -> None:
    """Each Overnemen button carries the answer it shows: the advisor adopts what the room saw."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        cookies = {}
        for group, name in (("groep 1", "Zeewolde"), ("groep 2", "Dronten")):
            cookies[group] = login_as(running, running.links()[group])
            fields = {"csrf": csrf_of(running, cookies[group]), "gemeente_naam": name, "actie": "blijf"}
            assert post(running, "/deel/gemeente", fields, cookies[group])[0] == 303
        advisor = login(running)
        page = request("GET", running, "/sessie", headers=advisor)[2].decode()
        assert '<input type="hidden" name="gezien" value="Dronten">' in page
        token = csrf_of(running, advisor, "/sessie")
        button = {"csrf": token, "revisie": revision_of(page), "vraag": "gemeente_naam", "groep": "groep-2"}
        fields = {"csrf": csrf_of(running, cookies["groep 2"]), "gemeente_naam": "Almere", "actie": "blijf"}
        assert post(running, "/deel/gemeente", fields, cookies["groep 2"])[0] == 303
        status, _, body = post(running, "/sessie/overnemen", {**button, "gezien": "Dronten"}, advisor)
        text = " ".join(body.decode().split())
        assert status == 409 and (
            "Groep 2 heeft het antwoord bij ‘1.1 Naam van de gemeente’ veranderd nadat deze projectie werd "
            "getoond, in: Almere. Er is niets overgenomen. Laad de projectie opnieuw" in text
        ), text
        assert "gemeente_naam" not in yaml.safe_load(
            (folder / "gecombineerd.yaml").read_text(encoding="utf-8")
        )
        # A line break the browser sends as CR LF is the same answer.
        assert post(running, "/sessie/overnemen", {**button, "gezien": "Almere\r\n"}, advisor)[0] == 303
        assert (
            yaml.safe_load((folder / "gecombineerd.yaml").read_text(encoding="utf-8"))["gemeente_naam"]
            == "Almere"
        )
    finally:
        running.stop()
