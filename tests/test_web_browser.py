"""`beleidsnotitie web` in a real browser: Debian's Chromium driven by Playwright.

The walk is done with the keyboard only (Tab, arrows, space, Enter), as someone without
a mouse would; axe-core (WCAG 2.1 A and AA) checks every page type at desktop and phone
width; a killed server loses no saved answer; documents download as real .docx packages.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import webserver
from tests.webserver import Server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with webserver.browser() as instance:
        yield instance


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    return tmp_path / "zeewolde.yaml"


@pytest.fixture
def server(answers: Path) -> Iterator[Server]:
    running = webserver.start(answers)
    yield running
    running.stop()


@pytest.fixture
def page(chromium: Any, server: Server) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    opened.console_errors = problems
    opened.goto(server.url)
    yield opened
    context.close()
    assert not problems, problems  # a CSP violation or a missing file shows up here


def saved(path: Path) -> dict[str, Any]:
    """The answers as the tool reads them back (decimals are written the Dutch way: 12500,5)."""
    from wizard import answers, questionnaire

    return dict(answers.load(path, questionnaire.load()).values)


# --- the keyboard ---------------------------------------------------------------------


def tab_to(page: Any, selector: str, limit: int = 400) -> None:
    """Press Tab until `selector` has the focus: it must be reachable without a mouse."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def type_into(page: Any, question: str, text: str) -> None:
    tab_to(page, f"#vraag-{question}-invoer")
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page: Any, name: str, value: str) -> None:
    """Tab into a radio group (on its checked option), then arrow to the option wanted."""
    tab_to(page, f'input[type=radio][name="{name}"]:checked')
    for _ in range(40):
        if page.evaluate("() => document.activeElement.value") == value:
            assert page.locator(f'input[name="{name}"][value="{value}"]').is_checked()
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {value} in {name}")


def tick(page: Any, name: str, value: str) -> None:
    tab_to(page, f'input[type=checkbox][name="{name}"][value="{value}"]')
    page.keyboard.press("Space")


def press_button(page: Any, text: str) -> None:
    tab_to(page, f'button:has-text("{text}"), a:has-text("{text}")')
    with page.expect_navigation():
        page.keyboard.press("Enter")


# --- the walk ---------------------------------------------------------------------------


def test_a_new_municipality_walks_every_part_with_the_keyboard_and_dutch_numbers(
    page: Any, answers: Path
) -> None:
    assert page.url.endswith("/") and "token" not in page.url
    choose(page, "route", "volledig")  # a new file suggests the short route (issue 21): every part here
    press_button(page, "Beginnen")
    assert page.url.endswith("/deel/gemeente#vraag-gemeente_naam")
    assert page.title() == "Deel 1 van 11: Gemeente · Beleidsnotitie"
    type_into(page, "gemeente_naam", "Zeewolde")
    type_into(page, "inwoners", "23.000")
    choose(page, "provincie", "flevoland")
    tick(page, "huidige_activiteit", "stedenbanden")
    choose(page, "bestaand_beleid", "geen")
    press_button(page, "Opslaan en verder")
    assert page.url.endswith("/deel/aanleiding")
    data = saved(answers)
    assert data["gemeente_naam"] == "Zeewolde" and data["inwoners"] == 23000
    assert data["provincie"] == "flevoland" and data["huidige_activiteit"] == ["stedenbanden"]

    seen = ["gemeente"]
    with_findings = []
    while "/deel/" in page.url:
        part = page.url.split("/deel/")[1].split("?")[0].split("#")[0]
        if part.endswith("/aandachtspunten"):  # what the check found in the part just saved
            with_findings.append(part.split("/")[0])
            assert page.locator(".bevinding").count() >= 1
            press_button(page, "Verder")
            continue
        seen.append(part)
        if part == "geld":
            type_into(page, "budget_jaar", "€ 12.500,50")
        if part == "partnerschappen":
            press_button(page, "Toevoegen")
            type_into(page, "partner", "Tata")
            type_into(page, "land", "Hongarije")
            press_button(page, "Opslaan")
        button = "Opslaan en verder" if part != "controle" else "Opslaan en naar de documenten"
        press_button(page, button)
    assert seen[-1] == "controle" and len(set(seen)) == len(seen) >= 10
    assert "visie" in with_findings  # no motives given: the check says so right after the part
    assert page.url.endswith("/documenten")
    data = saved(answers)
    assert data["budget_jaar"] == 12500.5
    assert data["partnerschappen"] == [{"partner": "Tata", "land": "Hongarije"}]

    press_button(page, "Overzicht")
    assert page.locator("dd", has_text="€ 12.500,50").count() == 1
    assert page.locator("dd", has_text="Tata (Hongarije)").count() == 1


def test_the_short_route_asks_only_its_own_questions_and_ends_at_the_documents(
    page: Any, answers: Path
) -> None:
    from wizard import answers as answers_mod
    from wizard import questionnaire
    from wizard.walk import Walk

    short = {q.id for q in questionnaire.load().questions() if q.kort}
    choose(page, "route", "kort")
    press_button(page, "Deze route volgen")
    assert "U volgt nu de korte route" in page.locator("main").inner_text()
    assert saved(answers) == {} and "route: kort" in answers.read_text(encoding="utf-8")
    press_button(page, "Beginnen")
    type_into(page, "gemeente_naam", "Zeewolde")
    shown: set[str] = set()
    parts = []
    while "/deel/" in page.url:
        part = page.url.split("/deel/")[1].split("?")[0].split("#")[0]
        if part.endswith("/aandachtspunten"):
            press_button(page, "Verder")
            continue
        parts.append(part)
        shown |= {
            i.removeprefix("vraag-")
            for i in page.locator("div.vraag").evaluate_all("els => els.map(e => e.id)")
        }
        if page.locator("button", has_text="Opslaan en naar de documenten").count():
            press_button(page, "Opslaan en naar de documenten")
        else:
            press_button(page, "Opslaan en verder")
    assert page.url.endswith("/documenten")
    # Only questions of the short route were shown: exactly those that apply with only the name
    # answered (the others depend on answers, such as the new money's duration on the coverage).
    assert shown and shown <= short, shown - short
    walk = Walk(questionnaire.load(), "kort")
    typed = answers_mod.Answers(values={"gemeente_naam": "Zeewolde"}, route="kort")
    expected = {
        q.id for q in walk.questionnaire.questions() if q.kort and q.group is None and walk.applies(typed, q)
    }
    assert shown == expected, sorted(shown ^ expected)
    assert len(parts) == len(set(parts))
    assert saved(answers)["gemeente_naam"] == "Zeewolde"
    assert "route: kort" in answers.read_text(encoding="utf-8")


def test_an_invalid_answer_is_explained_in_the_error_summary_and_kept(page: Any, answers: Path) -> None:
    page.goto(page.url + "deel/gemeente")
    type_into(page, "inwoners", "heel veel")
    press_button(page, "Opslaan en verder")
    assert page.title().startswith("Fout: ")
    summary = page.locator("#foutoverzicht")
    assert summary.evaluate("el => el === document.activeElement")  # focused on load
    link = page.locator(".foutoverzicht a")
    assert "'heel veel' is geen getal" in link.inner_text()
    field = page.locator("#vraag-inwoners-invoer")
    assert field.input_value() == "heel veel" and field.get_attribute("aria-invalid") == "true"
    assert "vraag-inwoners-fout" in (field.get_attribute("aria-describedby") or "")
    link.click()
    assert field.evaluate("el => el === document.activeElement")
    assert "inwoners" not in saved(answers)


def test_a_tie_is_added_gets_its_follow_up_questions_and_is_removed(page: Any, answers: Path) -> None:
    page.goto(page.url + "deel/partnerschappen")
    press_button(page, "Toevoegen")
    type_into(page, "partner", "Nador")
    type_into(page, "land", "Marokko")
    choose(page, "veld.herkomstland", "ja")
    press_button(page, "Opslaan")
    # The answer 'ja' opens two questions about this tie: the page stays and says so.
    assert "bewaard=nieuw" in page.url
    assert page.locator("[role=status]").inner_text().startswith("Bewaard. Door uw antwoord")
    choose(
        page,
        "veld.rol_migranten",
        page.locator('input[name="veld.rol_migranten"]').first.get_attribute("value"),
    )
    press_button(page, "Opslaan")
    assert page.url.endswith("/deel/partnerschappen?bewaard=item#vraag-partnerschappen")
    item = saved(answers)["partnerschappen"][0]
    assert item["partner"] == "Nador" and item["herkomstland"] is True and "rol_migranten" in item
    assert page.locator(".item__naam").all_inner_texts() == ["Nador (Marokko)"]

    press_button(page, "Verwijderen")
    assert page.title().startswith("Nador (Marokko) verwijderen")
    press_button(page, "Nee, houden")
    assert len(saved(answers)["partnerschappen"]) == 1
    press_button(page, "Verwijderen")
    press_button(page, "Ja, verwijderen")
    assert "partnerschappen" not in saved(answers)
    assert page.locator(".item__naam").count() == 0
    page.go_back()  # back to the question 'remove?': that item is gone, so a Dutch 404
    assert page.title().startswith("Pagina niet gevonden")
    page.reload()
    assert "partnerschappen" not in saved(answers)
    page.console_errors.clear()  # those two 404s were the point


def test_a_killed_server_loses_no_answer_and_a_new_one_resumes(
    chromium: Any, page: Any, server: Server, answers: Path
) -> None:
    page.goto(server.base + "/deel/gemeente")
    type_into(page, "gemeente_naam", "Zeewolde")
    press_button(page, "Opslaan en verder")
    # The next page's style sheet and fonts must be in before the kill: a response cut off
    # halfway is a console error (ERR_CONTENT_LENGTH_MISMATCH) that has nothing to do with
    # the answers, and under load it used to happen now and then.
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    server.kill()
    assert saved(answers)["gemeente_naam"] == "Zeewolde"
    again = webserver.start(answers)
    try:
        context = chromium.new_context()
        resumed = context.new_page()
        resumed.goto(again.url)
        # No route chosen yet: the start page asks it first (the suggested one marked), then goes on.
        assert resumed.locator("#route-kort").is_checked()
        with resumed.expect_navigation():
            resumed.locator("button", has_text="Verder bij de eerste open vraag").click()
        assert resumed.url.endswith("/deel/gemeente#vraag-inwoners")
        resumed.goto(again.base + "/deel/gemeente")
        assert resumed.locator("#vraag-gemeente_naam-invoer").input_value() == "Zeewolde"
        context.close()
    finally:
        again.stop()
    # The first tab may have asked the killed server for something: that refusal was the point.
    page.console_errors[:] = [e for e in page.console_errors if "ERR_CONNECTION_REFUSED" not in e]


def test_the_documents_download_as_word_packages_with_the_answers(page: Any, answers: Path) -> None:
    page.goto(page.url + "deel/gemeente")
    type_into(page, "gemeente_naam", "Zeewolde")
    press_button(page, "Opslaan")
    page.goto(page.url.split("/deel")[0] + "/documenten")
    # The file names say which version (issue 21): concept here, definitief below.
    for kind, name in (
        ("notitie", "zeewolde-concept.docx"),
        ("raadsvoorstel", "zeewolde-raadsvoorstel-concept.docx"),
    ):
        with page.expect_download() as info:
            page.locator(f'a[href="/documenten/{kind}.docx"]').click()
        download = info.value
        assert download.suggested_filename == name
        with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as package:
            assert package.testzip() is None
            assert "Zeewolde" in package.read("word/document.xml").decode()
    # The tool sets the PDF itself (Typst); LibreOffice (installed by tasks.py) makes the ODT.
    with page.expect_download() as info:
        page.locator('a[href="/documenten/notitie.pdf"]').click()
    assert info.value.suggested_filename == "zeewolde-concept.pdf"
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as info:
        page.locator('a[href="/documenten/raadsvoorstel.odt"]').click()
    with zipfile.ZipFile(info.value.path()) as package:
        assert package.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert "Zeewolde" in package.read("content.xml").decode()
    # The final version: chosen, what is still open is named, and only after an explicit yes.
    page.check("#versie-definitief")
    with page.expect_navigation():
        page.get_by_role("button", name="Versie kiezen").click()
    assert page.get_by_role("heading", name="Nog niet klaar voor een definitieve versie").is_visible()
    assert page.locator('a[href^="/documenten/notitie.docx"]').count() == 0
    page.check("#accepteer-invoer")
    with page.expect_navigation():
        page.get_by_role("button", name="Versie kiezen").click()
    with page.expect_download() as info:
        page.locator('a[href="/documenten/notitie.docx?versie=definitief&accepteer=ja"]').click()
    assert info.value.suggested_filename == "zeewolde-definitief.docx"
    with zipfile.ZipFile(info.value.path()) as package:
        assert "Zeewolde" in package.read("word/document.xml").decode()


# --- accessibility ----------------------------------------------------------------------

PAGES = [
    ("start", "/"),
    ("vraag", "/deel/gemeente"),
    ("vraag met groep", "/deel/partnerschappen"),
    ("aandachtspunten van een deel", "/deel/partnerschappen/aandachtspunten"),
    ("item", "/deel/partnerschappen/partnerschappen/0"),
    ("verwijderen", "/deel/partnerschappen/partnerschappen/0/verwijderen"),
    ("overzicht", "/overzicht"),
    ("bevindingen", "/bevindingen"),
    ("documenten", "/documenten"),
    ("documenten, definitief met open punten", "/documenten?versie=definitief"),
    ("documenten, definitief zonder ja", "/documenten?versie=definitief&bevestig=ja"),
    ("document bijwerken", "/bijwerken"),
    ("niet gevonden", "/bestaat-niet"),
]


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_no_wcag_violation_on_any_page_type(chromium: Any, tmp_path: Path, width: int) -> None:
    example = tmp_path / "oosterhaven.yaml"
    from wizard.resources import examples_dir

    example.write_bytes((examples_dir() / "oosterhaven.yaml").read_bytes())
    running = webserver.start(example)
    # axe is injected as a script, which our own CSP rightly forbids: this context bypasses it.
    context = chromium.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    try:
        tab = context.new_page()
        tab.goto(running.url)
        found = {}
        for name, path in PAGES:
            tab.goto(running.base + path)
            found[name] = webserver.axe(tab)
        # The error state: a wrong number in the form.
        tab.goto(running.base + "/deel/gemeente")
        tab.fill("#vraag-inwoners-invoer", "veel")
        with tab.expect_navigation():
            tab.click("button[value=verder]")
        assert tab.title().startswith("Fout: ")
        found["vraag met fout"] = webserver.axe(tab)
        assert found == {name: [] for name in found}
    finally:
        context.close()
        running.stop()


@pytest.mark.parametrize("example", ["oosterhaven", "veendrecht", "lindewijk"])
def test_saving_every_page_unchanged_keeps_every_answer_as_it_was(
    chromium: Any, tmp_path: Path, example: str
) -> None:
    """What a page shows is what it saves: text, numbers, amounts, choices and items round-trip."""
    from wizard import answers as answers_mod
    from wizard import questionnaire as questionnaire_mod
    from wizard.resources import examples_dir

    questions = questionnaire_mod.load()
    path = tmp_path / f"{example}.yaml"
    path.write_bytes((examples_dir() / f"{example}.yaml").read_bytes())
    before = answers_mod.load(path, questions).values
    running = webserver.start(path)
    context = chromium.new_context()
    try:
        tab = context.new_page()
        tab.goto(running.url)
        parts = [a.get_attribute("href") for a in tab.locator(".takenlijst a").all()]
        for part in parts:
            tab.goto(running.base + part)
            items = tab.locator("button[value^='wijzig:']").count()
            for index in range(items):
                tab.goto(running.base + part)
                with tab.expect_navigation():
                    tab.locator("button[value^='wijzig:']").nth(index).click()
                with tab.expect_navigation():
                    tab.locator("button", has_text="Opslaan").click()
                assert "Fout" not in tab.title()
            tab.goto(running.base + part)
            with tab.expect_navigation():
                tab.click("button[value=blijf]")
            assert "Fout" not in tab.title(), tab.locator(".foutoverzicht").all_inner_texts()
        assert answers_mod.load(path, questions).values == before
    finally:
        context.close()
        running.stop()


def test_a_werksessie_with_three_groups_updates_the_projection_live(chromium: Any, tmp_path: Path) -> None:
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "3", command="werksessie")
    contexts = []
    try:
        advisor_context = chromium.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(advisor_context)
        projection = advisor_context.new_page()
        errors: list[str] = []
        projection.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        asked: list[str] = []
        projection.on("request", lambda r: asked.append(r.url.split("?")[0]))
        projection.goto(running.url)
        projection.goto(running.base + "/sessie")
        assert projection.locator(".verschil").count() == 0
        for group, name in (("groep 1", "Zeewolde"), ("groep 2", "Dronten"), ("groep 3", "Zeewolde")):
            context = chromium.new_context()
            contexts.append(context)
            tab = context.new_page()
            tab.goto(running.links()[group])
            tab.goto(running.base + "/deel/gemeente")
            tab.fill("#vraag-gemeente_naam-invoer", name)
            with tab.expect_navigation():
                tab.click("button[value=blijf]")
        # No reload: the page follows the event stream and swaps in the new content.
        from playwright.sync_api import expect

        difference = projection.locator(".verschil", has_text="Naam van de gemeente")
        answers_shown = difference.locator(".keuze-groep__antwoord")
        expect(answers_shown).to_have_text(
            ["Zeewolde", "Dronten", "Zeewolde", "(nog niet gekozen)"], timeout=10_000
        )
        assert running.base + "/sessie/stroom" in asked and running.base + "/sessie/stand" not in asked
        with projection.expect_navigation():
            difference.locator("button", has_text="Overnemen").nth(1).click()
        combined = saved(folder / "gecombineerd.yaml")
        assert combined["gemeente_naam"] == "Dronten"
        assert "→ Dronten (Groep 2)" in projection.locator("#vraag-gemeente_naam summary").inner_text()
        assert not errors, errors
        context = chromium.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
        contexts.append(context)
        checked = context.new_page()
        checked.goto(running.url)
        checked.goto(running.base + "/sessie")
        assert webserver.axe(checked) == []
    finally:
        for context in contexts:
            context.close()
        running.stop()


def test_a_werksessie_on_the_network_shows_qr_codes_and_a_phone_joins_by_short_link(
    chromium: Any, tmp_path: Path
) -> None:
    """127.0.0.2 (loopback) stands in for the local-network address: nothing leaves this computer."""
    import re

    running = webserver.start(
        tmp_path / "sessie", "--groepen", "3", "--netwerk", "127.0.0.2", command="werksessie"
    )
    contexts = []
    try:
        for width, height in ((1280, 800), (390, 844)):
            context = chromium.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
            contexts.append(context)
            projection = context.new_page()
            projection.goto(running.url)
            projection.goto(running.base + "/sessie/meedoen")
            assert projection.locator("svg.qr").count() == 3
            assert all(
                box is not None and box["width"] >= 150
                for box in (q.bounding_box() for q in projection.locator("svg.qr").all())
            )
            assert webserver.axe(projection) == []
        short = re.search(r"Link voor groep 1: \S+ \(kort: (http://\S+)\)", "".join(running.lines))
        assert short is not None
        phone = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        contexts.append(phone)
        tab = phone.new_page()
        tab.goto(short.group(1))
        assert tab.url == running.base + "/" and "Groep 1" in tab.locator(".kop__titel").inner_text()
    finally:
        for context in contexts:
            context.close()
        running.stop()


# --- a werksessie evening with four groups (issue 22) ----------------------------------

GROUP_ANSWERS = {
    1: (["ideeel", "economisch"], [("Wenzhou", "China", "voortzetten")]),
    2: (["economisch"], [("Wenzhou", "China", "beeindigen")]),
    3: (["ideeel"], [("Tetovo", "Noord-Macedonië", "aangaan")]),
    4: (["ideeel", "economisch"], [("wenzhou", "China", "nog_bepalen")]),
}


def answer_in_browser(tab: Any, motives: list[str], ties: list[tuple[str, str, str]]) -> None:
    """A group at its own device: ticks its motives and adds its ties, as on the pages."""
    base = tab.url.split("/", 3)[:3]
    tab.goto("/".join(base) + "/deel/visie")
    for motive in motives:
        tab.check(f'input[name="motieven"][value="{motive}"]')
    with tab.expect_navigation():
        tab.click("button[value=blijf]")
    for partner, land, advice in ties:
        tab.goto("/".join(base) + "/deel/partnerschappen/partnerschappen/nieuw")
        tab.fill("#vraag-partner-invoer", partner)
        tab.fill("#vraag-land-invoer", land)
        tab.check(f'input[name="veld.advies"][value="{advice}"]')
        with tab.expect_navigation():
            tab.get_by_role("button", name="Opslaan").first.click()
        assert "Fout" not in tab.title()


def press_adopt(projection: Any, anchor: str, group: str) -> str:
    """Press Overnemen for `group` in the difference `anchor` (opening it when it is folded
    because the combined file already holds an answer there); return the status message."""
    block = projection.locator(f"#{anchor}")
    if block.evaluate("el => el.tagName === 'DETAILS' && !el.open"):
        block.locator("summary").click()
    button = projection.locator(f"#{anchor} li", has_text=group).get_by_role("button", name="Overnemen")
    with projection.expect_navigation():
        button.click()
    projection.wait_for_function(f"() => document.activeElement.closest('#{anchor}') !== null")
    text: str = projection.locator("#melding").inner_text()
    return text


def test_a_werksessie_evening_with_four_groups_adopts_every_kind_of_difference(
    chromium: Any, tmp_path: Path
) -> None:
    """Four groups in their own browser contexts answer differently: a multiple choice, the
    proposal for a tie three of them name (one typed otherwise), a tie only one names. The
    projection shows every difference; the advisor adopts one of each kind; gecombineerd.yaml
    holds exactly those answers and the notitie is made from it. axe on the projection and on
    the Meedoen page; screenshots at 1280x800 and 1920x1080."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "4", "--route", "kort", command="werksessie")
    contexts = []
    try:
        for number, (motives, ties) in GROUP_ANSWERS.items():
            context = chromium.new_context()
            contexts.append(context)
            tab = context.new_page()
            tab.goto(running.links()[f"groep {number}"])
            answer_in_browser(tab, motives, ties)
        advisor = chromium.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        contexts.append(advisor)
        projection = advisor.new_page()
        errors: list[str] = []
        projection.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        projection.goto(running.url)
        projection.goto(running.base + "/sessie")
        headings = projection.locator("section.verschil h3").all_inner_texts()
        assert headings == [
            "≠ Verschilt: 5.1.3 Wenzhou (China) · Wat stelt u voor met deze band? "
            "(Partnerschappen; alleen bij Groep 1, Groep 2 en Groep 4)",
            "≠ Verschilt: 5.1 Partnerschappen en stedenbanden: Wenzhou (China) "
            "(Partnerschappen; alleen bij Groep 1, Groep 2 en Groep 4)",
            "≠ Verschilt: 5.1 Partnerschappen en stedenbanden: Tetovo (Noord-Macedonië) "
            "(Partnerschappen; alleen bij Groep 3)",
            "≠ Verschilt: 3.2 Welke motieven heeft de gemeente? (Visie en motieven)",
        ]
        advice = projection.locator("#vraag-partnerschappen-wenzhou-china-advies .keuze-groep__antwoord")
        assert advice.all_inner_texts() == [
            "Voortzetten zoals nu",
            "Afbouwen en beëindigen",
            "(niet in de lijst)",
            "Nu nog niet kiezen; eerst evalueren",
            "(nog niet opgenomen)",
        ]
        assert "Voortgang op de korte route" in projection.locator("#voortgang-kop").inner_text()
        # One of each kind; each time the focus is back at that difference, now folded.
        message = press_adopt(projection, "vraag-motieven", "Groep 2")
        assert message == "Overgenomen van Groep 2: 3.2 Welke motieven heeft de gemeente?"
        message = press_adopt(projection, "vraag-partnerschappen-wenzhou-china", "Groep 1")
        assert message == "Overgenomen van Groep 1: Wenzhou (China), met alle antwoorden"
        message = press_adopt(projection, "vraag-partnerschappen-wenzhou-china-advies", "Groep 2")
        assert message == "Overgenomen van Groep 2: Wenzhou (China) · Wat stelt u voor met deze band?"
        assert projection.evaluate("() => document.activeElement.tagName") == "SUMMARY"
        message = press_adopt(projection, "vraag-partnerschappen-tetovo-noord-macedonie", "Groep 3")
        assert message == "Overgenomen van Groep 3: Tetovo (Noord-Macedonië), met alle antwoorden"
        assert projection.locator("section.verschil").count() == 0
        assert projection.locator("details.verschil--gekozen").count() == 4
        # A folded difference opens again with the keyboard, its buttons still there.
        folded = projection.locator("#vraag-motieven")
        folded.locator("summary").focus()
        projection.keyboard.press("Enter")
        assert folded.get_attribute("open") is not None
        assert folded.get_by_role("button", name="Overnemen").count() == 4
        assert not errors, errors
    finally:
        for context in contexts:
            context.close()
        running.stop()
    from wizard import answers, questionnaire

    combined = answers.load(folder / "gecombineerd.yaml", questionnaire.load())
    assert combined.values == {
        "motieven": ["economisch"],
        "partnerschappen": [
            {"partner": "Wenzhou", "land": "China", "advies": "beeindigen"},
            {"partner": "Tetovo", "land": "Noord-Macedonië", "advies": "aangaan"},
        ],
    }
    assert "Traceback" not in "".join(running.lines)
    # The evening's result makes the notitie (the advisor's Documenten page, as in `web`).
    again = webserver.start(folder, "--groepen", "4", command="werksessie")
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    try:
        tab = context.new_page()
        tab.goto(again.url)
        tab.goto(again.base + "/documenten")
        with tab.expect_download() as info:
            tab.locator('a[href="/documenten/notitie.docx"]').click()
        with zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes())) as package:
            text = package.read("word/document.xml").decode()
        assert "Wenzhou" in text and "Tetovo" in text and "Economisch" in text
    finally:
        context.close()
        again.stop()


def test_the_projection_and_the_meedoen_page_pass_axe_and_fit_a_beamer(chromium: Any, tmp_path: Path) -> None:
    """Four groups with open and adopted differences; screenshots for a person to look at
    (kept in the test's folder) at the two usual beamer sizes."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "4", "--netwerk", "127.0.0.2", command="werksessie")
    contexts = []
    try:
        for number, (motives, ties) in GROUP_ANSWERS.items():
            context = chromium.new_context()
            contexts.append(context)
            tab = context.new_page()
            tab.goto(running.links()[f"groep {number}"])
            answer_in_browser(tab, motives, ties)
        for width, height in ((1280, 800), (1920, 1080)):
            context = chromium.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
            contexts.append(context)
            projection = context.new_page()
            projection.goto(running.url)
            projection.goto(running.base + "/sessie")
            if width == 1280:
                press_adopt(projection, "vraag-motieven", "Groep 2")
            projection.screenshot(path=str(tmp_path / f"projectie-{width}x{height}.png"))
            # Readable from the back: answers at least 20 px, headings larger; no sideways scrolling.
            sizes = projection.evaluate(
                "() => [getComputedStyle(document.querySelector('.keuze-groep__antwoord')).fontSize,"
                " getComputedStyle(document.querySelector('.verschil__kop')).fontSize,"
                " document.documentElement.scrollWidth]"
            )
            assert float(sizes[0].removesuffix("px")) >= 20 and float(sizes[1].removesuffix("px")) >= 21
            assert sizes[2] <= width
            # The most political difference is on the first screen.
            box = projection.locator("#vraag-partnerschappen-wenzhou-china-advies").bounding_box()
            assert box is not None and box["y"] + box["height"] <= height
            assert webserver.axe(projection) == []
            projection.locator("details.verschil--gekozen summary").first.click()
            assert webserver.axe(projection) == []
            projection.goto(running.base + "/sessie/meedoen")
            projection.screenshot(path=str(tmp_path / f"meedoen-{width}x{height}.png"))
            assert projection.locator("svg.qr").count() == 4
            assert webserver.axe(projection) == []
    finally:
        for context in contexts:
            context.close()
        running.stop()


def test_groups_explain_a_part_in_the_browser_and_the_advisor_adopts_a_note(
    chromium: Any, tmp_path: Path
) -> None:
    """The werksessie toelichting in the browser: each group writes its note under the questions
    of a part; the projection shows the notes side by side and adopts one; axe on both pages."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    contexts = []
    notes = {1: "Wij kozen voor leren van elkaar.", 2: "Eerst de inwoners vragen."}
    try:
        for number, note in notes.items():
            context = chromium.new_context(bypass_csp=True)
            contexts.append(context)
            tab = context.new_page()
            tab.goto(running.links()[f"groep {number}"])
            tab.goto(running.base + "/deel/visie")
            tab.get_by_label("Toelichting van de groep bij ‘Visie en motieven’").fill(note)
            with tab.expect_navigation():
                tab.click("button[value=blijf]")
            assert tab.locator("#toelichting-groep-invoer").input_value() == note
            assert webserver.axe(tab) == []
        context = chromium.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
        contexts.append(context)
        projection = context.new_page()
        projection.goto(running.url)
        projection.goto(running.base + "/sessie")
        row = projection.locator("#vraag-toelichting-visie")
        assert row.locator(".keuze-groep__antwoord").all_inner_texts() == [
            *notes.values(),
            "(nog niet gekozen)",
        ]
        message = press_adopt(projection, "vraag-toelichting-visie", "Groep 2")
        assert message == "Overgenomen van Groep 2: de toelichting bij Visie en motieven"
        summary = projection.locator("#vraag-toelichting-visie summary").inner_text()
        assert (
            summary
            == "✓ Gekozen: Toelichting van de groepen bij Visie en motieven → Eerst de inwoners vragen. (Groep 2)"
        )
        assert webserver.axe(projection) == []
    finally:
        for context in contexts:
            context.close()
        running.stop()
    from wizard import answers, questionnaire

    combined = answers.load(folder / "gecombineerd.yaml", questionnaire.load())
    assert combined.notes == {"visie": "Eerst de inwoners vragen."} and combined.values == {}
