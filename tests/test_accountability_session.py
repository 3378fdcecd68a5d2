"""A verantwoording walked through the one answering session (issue 26): screen-free, in the
terminal with a scripted prompter, and in the browser over HTTP.

The session's findings and documents must be what `evaluatie` makes of the same files."""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import webserver
from tests.test_session import Script
from tests.test_web import login, post
from tests.webserver import Server, form_data, request
from wizard import accountability, evaluation, evaluation_doc
from wizard import answers as answers_mod
from wizard.answering import Answering
from wizard.session import Session
from wizard.walk import Place

EXAMPLE = Path(__file__).parent.parent / "voorbeelden" / "verantwoording"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "oosterhaven"
    shutil.copytree(EXAMPLE, target)
    return target


def opened(path: Path) -> Answering:
    profile = accountability.for_path(path)
    assert profile is not None
    session = Answering(profile.questionnaire, path, profile=profile)
    session.open()
    return session


def test_a_framework_file_is_not_a_verantwoording(folder: Path) -> None:
    assert accountability.for_path(folder / "oosterhaven-kader.yaml") is None
    assert accountability.is_accountability(folder / "oosterhaven-2028.yaml")


def test_the_session_finds_and_drafts_what_evaluatie_makes_of_the_same_files(folder: Path) -> None:
    path = folder / "oosterhaven-2028.yaml"
    session = opened(path)
    assert [p.path for p in session.profile.earlier] == [folder / "oosterhaven-2027.yaml"]  # type: ignore[union-attr]
    loaded = evaluation.load([folder / "oosterhaven-2027.yaml", path])
    assert session.findings().shown == tuple(loaded.last.findings)
    assert [f.rule for f in session.findings().shown] == [
        "gift-buiten-kader",
        "gift-boven-plafond",
        "band-slaapt-te-lang",
        "band-na-einddatum",
        "band-zonder-werkplan",
        "uitgaven-boven-budget",
        "band-geld-zonder-activiteit",
    ]
    # The findings are shown after the part whose answers settle them.
    parts = {part.section.id: [f.rule for f in part.findings] for part in session.parts()}
    assert parts["noodhulp"] == ["gift-buiten-kader", "gift-boven-plafond"]
    assert parts["geld"] == ["uitgaven-boven-budget"]
    assert sorted(parts["banden"]) == [
        "band-geld-zonder-activiteit",
        "band-na-einddatum",
        "band-slaapt-te-lang",
        "band-zonder-werkplan",
    ]
    assert session.kinds == ("evaluatie", "evaluatieraadsvoorstel")
    mine = session.drafts()
    theirs = evaluation_doc.drafts(loaded, evaluation_doc.KINDS)
    assert [d.blocks for d in mine] == [d.blocks for d in theirs]
    assert [d.meta for d in mine] == [d.meta for d in theirs]
    assert session.readiness().ready  # the example leaves no place open
    written, _ = session.write(session.targets())
    assert [p.name for p in written] == [
        "oosterhaven-2028-evaluatie-concept.docx",
        "oosterhaven-2028-evaluatie-raadsvoorstel-concept.docx",
    ]
    assert all(p.read_bytes()[:2] == b"PK" for p in written)
    assert session.download("evaluatieraadsvoorstel", "pdf")[:5] == b"%PDF-"


def test_the_link_and_the_identity_of_goals_and_ties_are_never_asked(folder: Path) -> None:
    session = opened(folder / "oosterhaven-2028.yaml")
    q = session.questionnaire.by_id
    assert not session.applies(q["kader"]) and not session.applies(q["kader_vingerafdruk"])
    assert session.applies(q["jaar"])
    goals, ties = q["doelen"], q["banden"]
    assert session.fixed_items(goals) and session.fixed_items(ties)
    asked = [f.id for f in session.applicable_fields(ties, session.items(ties)[0])]
    assert "partner" not in asked and "land" not in asked and "uitgegeven" in asked
    assert "omschrijving" not in [f.id for f in session.applicable_fields(goals, session.items(goals)[0])]


def test_an_answer_changes_the_findings_and_is_saved(folder: Path) -> None:
    path = folder / "oosterhaven-2028.yaml"
    session = opened(path)
    session.set(Place("uitgegeven_totaal"), 1000)
    assert "uitgaven-boven-budget" not in [f.rule for f in session.findings().shown]
    accountability_q = session.questionnaire
    assert answers_mod.load(path, accountability_q).values["uitgegeven_totaal"] == 1000
    assert "kader: oosterhaven-kader.yaml" in path.read_text(encoding="utf-8")  # the link stays


class Recording(Script):
    """The scripted prompter, keeping the options of every menu."""

    def __init__(self, steps: list[tuple[str, Any]]) -> None:
        super().__init__(steps)
        self.menus: dict[str, list[Any]] = {}

    def menu(self, label: str, options: list[tuple[str, Any]], default: Any = None, **keys: Any) -> Any:
        self.menus[label] = [value for _, value in options]
        return super().menu(label, options, default, **keys)


def test_the_terminal_walks_a_verantwoording_and_ends_in_the_evaluation(folder: Path) -> None:
    path = folder / "oosterhaven-2028.yaml"
    profile = accountability.for_path(path)
    assert profile is not None
    said: list[str] = []
    script = Recording(
        [
            ("Wat wilt u doen?", "verder"),
            ("Meer handel met bedrijven in Kırşehir · Toelichting", "De vereniging telt pas in 2029."),
            ("Doelen uit het kader: wat wilt u doen?", ("done",)),
            ("Wat wilt u doen?", "maak"),  # the overview at the end
            ("Welke versie wilt u maken?", "concept"),
            ("Ook een PDF", False),
        ]
    )
    session = Session(profile.questionnaire, path, script, say=said.append, profile=profile)  # type: ignore[arg-type]
    assert session.run() == 0
    assert said[0] == "Verantwoording internationale samenwerking"
    assert not any("Welke route" in label for label in script.asked)
    link = {profile.questionnaire.by_id[k].label for k in ("kader", "kader_vingerafdruk")}
    assert not link & set(script.asked)
    goals_menu = script.menus["Doelen uit het kader: wat wilt u doen?"]
    assert ("add",) not in goals_menu and not any(v[0] == "remove" for v in goals_menu)
    assert answers_mod.load(path, profile.questionnaire).values["doelen"][0]["toelichting"] == (
        "De vereniging telt pas in 2029."
    )
    assert (folder / "oosterhaven-2028-evaluatie-concept.docx").exists()
    assert (folder / "oosterhaven-2028-evaluatie-raadsvoorstel-concept.docx").exists()
    assert "Uit de controle: 2 blokkerend, 5 waarschuwingen. Ze staan in de evaluatie." in said
    assert said[-1] == (
        f"Later kan dat ook: beleidsnotitie evaluatie {folder / 'oosterhaven-2027.yaml'} {path} --formaat odt,pdf"
    )


@pytest.fixture
def server(folder: Path) -> Iterator[Server]:
    running = webserver.start(folder / "oosterhaven-2028.yaml")
    yield running
    running.stop()


def test_the_browser_serves_a_verantwoording_and_its_documents(server: Server, folder: Path) -> None:
    cookie = login(server)
    status, _, body = request("GET", server, "/deel/banden", headers=cookie)
    page = html.unescape(body.decode())
    assert status == 200
    assert "Kırşehir" in page and "Wijzigen" in page
    assert "Toevoegen" not in page and "Verwijderen" not in page
    status, _, body = request("GET", server, "/deel/periode", headers=cookie)
    page = html.unescape(body.decode())
    assert 'name="jaar"' in page and 'name="kader"' not in page and "kader_vingerafdruk" not in page
    # Saving the part keeps the link to the framework, which the page does not ask.
    status, _, _ = post(server, "/deel/periode", [*form_data(body), ("actie", "blijf")], cookie)
    assert status == 303
    period = answers_mod.load(folder / "oosterhaven-2028.yaml", accountability.Accountability().questionnaire)
    assert period.values["kader"] == "oosterhaven-kader.yaml"
    assert period.values["kader_vingerafdruk"] == "sha256:f873a751db6f0e9b"
    status, _, _ = request("GET", server, "/deel/banden/banden/nieuw", headers=cookie)
    assert status == 404
    # Changing a tie keeps its partner and country, which the page does not ask.
    status, _, body = request("GET", server, "/deel/banden/banden/0", headers=cookie)
    assert status == 200 and 'name="veld.partner"' not in body.decode()
    fields = [(k, "30000" if k == "veld.uitgegeven" else v) for k, v in form_data(body)]
    status, _, _ = post(server, "/deel/banden/banden/0", [*fields, ("actie", "bewaar")], cookie)
    assert status == 303
    tie = answers_mod.load(folder / "oosterhaven-2028.yaml", accountability.Accountability().questionnaire)
    assert tie.values["banden"][0]["partner"] == "Kırşehir" and tie.values["banden"][0]["uitgegeven"] == 30000
    status, _, body = request("GET", server, "/documenten", headers=cookie)
    page = html.unescape(body.decode())
    assert status == 200
    assert "Evaluatie kader internationale samenwerking" in page
    assert "Raadsvoorstel evaluatie internationale samenwerking" in page
    assert "Hier maakt u de evaluatie en het raadsvoorstel met ontwerpbesluit" in page
    assert "/bijwerken" not in page and "Beleidsnotitie" not in page
    status, _, body = request("GET", server, "/", headers=cookie)
    page = html.unescape(body.decode())
    assert "Uw verantwoording internationale samenwerking" in page and "Welke route" not in page
    assert "samen met de verantwoording over 2027." in page
    status, headers, data = request("GET", server, "/documenten/evaluatie.docx", headers=cookie)
    assert status == 200 and data[:2] == b"PK"
    assert "oosterhaven-2028-evaluatie-concept.docx" in headers["content-disposition"]
    status, _, _ = request("GET", server, "/documenten/notitie.docx", headers=cookie)
    assert status == 404


def test_a_new_year_is_walked_beside_the_earlier_ones_and_a_year_reads_as_a_year(folder: Path) -> None:
    from wizard import cycle

    target = folder / "oosterhaven-kader.verantwoording-2029.yaml"
    started = cycle.start_accountability(folder / "oosterhaven-kader.yaml", target, 2029)
    target.write_text(cycle.dump_accountability(started), encoding="utf-8")
    session = opened(target)
    assert [p.year for p in session.profile.earlier] == [2027, 2028]  # type: ignore[union-attr]
    messages = [f.message for f in session.findings().shown if f.rule == "doel-zonder-meting"]
    assert any("moest in 2028 zijn gehaald" in m for m in messages), messages


def test_verantwoord_without_a_terminal_writes_the_file_and_says_how_to_walk_it(
    folder: Path, cli: Any
) -> None:
    result = cli("verantwoord", folder / "oosterhaven-kader.yaml", "--jaar", "2029")
    target = folder / "oosterhaven-kader.verantwoording-2029.yaml"
    assert result.code == 0 and target.exists()
    assert (
        f"    → Vragen beantwoorden: beleidsnotitie start {target}   (of: beleidsnotitie web {target})"
        in (result.out.splitlines())
    )
    assert accountability.is_accountability(target)


@pytest.mark.slow
def test_the_verantwoording_pages_pass_axe_in_chromium(folder: Path) -> None:
    running = webserver.start(folder / "oosterhaven-2028.yaml")
    try:
        with webserver.browser() as chromium:
            # axe is injected as a script, which our own CSP rightly forbids: this context bypasses it.
            context = chromium.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
            tab = context.new_page()
            tab.goto(running.url)
            assert tab.locator("h1").inner_text() == "Uw verantwoording internationale samenwerking"
            found = {}
            for path in ("/", "/deel/periode", "/deel/banden", "/deel/banden/banden/0", "/documenten"):
                tab.goto(running.base + path)
                found[path] = webserver.axe(tab)
            assert found == {path: [] for path in found}
            context.close()
    finally:
        running.stop()


def test_an_earlier_year_that_no_longer_fits_the_framework_is_said_as_evaluatie_says_it(folder: Path) -> None:
    from wizard.errors import DataError

    earlier = folder / "oosterhaven-2027.yaml"
    earlier.write_text(
        earlier.read_text(encoding="utf-8").replace("sha256:f873a751db6f0e9b", "sha256:0000000000000000"),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as problem:
        opened(folder / "oosterhaven-2028.yaml")
    (only,) = problem.value.problems
    assert only.file == earlier and only.field == "kader_vingerafdruk"
    assert only.message.startswith("het kader is veranderd nadat deze verantwoording begon")


def test_verantwoord_in_a_terminal_walks_the_new_file(
    folder: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from wizard import session

    walked: list[Path] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(session, "run", lambda args: walked.append(args.antwoorden) or 0)
    result = cli("verantwoord", folder / "oosterhaven-kader.yaml", "--jaar", "2029")
    assert result.code == 0
    assert walked == [folder / "oosterhaven-kader.verantwoording-2029.yaml"]
    walked.clear()
    result = cli("verantwoord", folder / "oosterhaven-kader.yaml", "--jaar", "2030", "--alleen-bestand")
    assert result.code == 0 and walked == []


BROKEN_2027 = (
    "Let op: de verantwoording over 2027 telt nu niet mee, want het bestand klopt niet. "
    "In oosterhaven-2027.yaml, regel 12: dit is geen geldige YAML (een lijst tussen [ en ] is niet goed "
    "afgesloten). Controleer of elke [ een ] heeft, met komma's tussen de waarden. "
    "Herstel het bestand in een teksteditor en open deze verantwoording daarna opnieuw."
)


def _break(path: Path, after: str = "jaar: 2027\n") -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(after, after + "doelen: [oeps\n", 1), encoding="utf-8")


def test_a_broken_earlier_year_is_said_with_file_line_and_what_to_do_and_the_walk_goes_on(
    folder: Path,
) -> None:
    """#26: a broken 2027 beside the framework was left out of the 2028 session without a word."""
    _break(folder / "oosterhaven-2027.yaml")
    # Broken too, but no earlier year of this framework: it would not count anyway, so not said.
    other = folder / "ander.verantwoording-2026.yaml"
    other.write_text("kader: ander-kader.yaml\njaar: 2026\ndoelen: [oeps\n", encoding="utf-8")
    later = folder / "oosterhaven-2029.yaml"
    later.write_text("kader: oosterhaven-kader.yaml\njaar: 2029\ndoelen: [oeps\n", encoding="utf-8")
    session = opened(folder / "oosterhaven-2028.yaml")
    assert session.notices == [BROKEN_2027]
    assert session.profile is not None and session.profile.earlier == []
    session.set(Place("uitgegeven_totaal"), 1000)  # the walk of 2028 goes on
    assert (
        answers_mod.load(folder / "oosterhaven-2028.yaml", session.questionnaire).values["uitgegeven_totaal"]
        == 1000
    )
    other.unlink()
    later.unlink()
    # The terminal says it once, before the menu; the browser on its start page and in its terminal.
    said: list[str] = []
    profile = accountability.for_path(folder / "oosterhaven-2028.yaml")
    assert profile is not None
    script = Recording([("Wat wilt u doen?", "stop")])
    terminal = Session(
        profile.questionnaire, folder / "oosterhaven-2028.yaml", script, say=said.append, profile=profile
    )  # type: ignore[arg-type]
    terminal.run()
    assert said.count(BROKEN_2027) == 1
    running = webserver.start(folder / "oosterhaven-2028.yaml")
    try:
        _, _, body = request("GET", running, "/", headers=login(running))
        page = html.unescape(body.decode())
        assert page.count(BROKEN_2027) == 1 and "samen met de verantwoording over" not in page
        _, _, body = request("GET", running, "/deel/periode", headers=login(running))
        assert (  # the part's introduction, in plain words (it said "Eerst over welk kader ...")
            "Deze verantwoording hoort bij een kader dat de raad heeft vastgesteld. Hier vult u in over welke "
            "periode het gaat, wie de evaluatie aan de raad aanbiedt en wie de verantwoording schrijft."
        ) in html.unescape(body.decode())
    finally:
        running.stop()
    assert "".join(running.lines).count(BROKEN_2027) == 1


def test_a_file_beside_the_framework_whose_framework_or_year_cannot_be_read_is_named_and_left_out(
    folder: Path,
) -> None:
    """#26: a verantwoording beside the framework whose `kader:` or `jaar:` cannot be read was taken
    for an earlier year of this framework ("de verantwoording over een eerder jaar telt nu niet
    mee"). Now it is named with its file, line and what to put there, and the walk goes on."""
    source = (folder / "oosterhaven-2027.yaml").read_text(encoding="utf-8")
    # The year cannot be read (and so the file does not load).
    (folder / "kopie-a.yaml").write_text(
        source.replace("jaar: 2027\n", "jaar: twintig27\n"), encoding="utf-8"
    )
    # The framework is left empty, and the file is broken further down.
    (folder / "kopie-b.yaml").write_text(
        source.replace("kader: oosterhaven-kader.yaml\n", "kader: ''\n").replace(
            "jaar: 2027\n", "jaar: 2026\ndoelen: [oeps\n"
        ),
        encoding="utf-8",
    )
    # It loads and names this framework, but over no year.
    (folder / "kopie-c.yaml").write_text(source.replace("jaar: 2027\n", ""), encoding="utf-8")
    session = opened(folder / "oosterhaven-2028.yaml")
    year = "'jaar:' met het jaar waarover het gaat, in cijfers (bijvoorbeeld 'jaar: 2027') staat."
    assert session.notices == [
        "Let op: kopie-a.yaml telt niet mee als eerder jaar van dit kader: het bestand klopt niet, en er staat "
        "niet leesbaar in over welk jaar het gaat. In kopie-a.yaml, regel 10: 'twintig27' is geen getal. "
        f"Schrijf alleen cijfers, bijvoorbeeld 2027. Hoort het bij dit kader, zorg dan dat bovenaan {year} "
        "Herstel het bestand in een teksteditor en open deze verantwoording daarna opnieuw.",
        "Let op: kopie-b.yaml telt niet mee als eerder jaar van dit kader: het bestand klopt niet, en er staat "
        "niet leesbaar in bij welk kader het hoort. In kopie-b.yaml, regel 12: dit is geen geldige YAML (een "
        "lijst tussen [ en ] is niet goed afgesloten). Controleer of elke [ een ] heeft, met komma's tussen de "
        "waarden. Hoort het bij dit kader, zorg dan dat bovenaan 'kader: oosterhaven-kader.yaml' staat. "
        "Herstel het bestand in een teksteditor en open deze verantwoording daarna opnieuw.",
        "Let op: kopie-c.yaml telt niet mee als eerder jaar van dit kader: er staat niet in over welk jaar het "
        f"gaat. Hoort het bij dit kader, zorg dan dat bovenaan {year} Herstel het bestand in een teksteditor "
        "en open deze verantwoording daarna opnieuw.",
    ]
    # Left out: only the real 2027 counts as an earlier year, and the walk of 2028 goes on.
    assert session.profile is not None
    assert [p.path.name for p in session.profile.earlier] == ["oosterhaven-2027.yaml"]
    session.set(Place("uitgegeven_totaal"), 1000)
    assert (
        answers_mod.load(folder / "oosterhaven-2028.yaml", session.questionnaire).values["uitgegeven_totaal"]
        == 1000
    )


def test_an_earlier_year_saved_as_utf16_by_notepad_still_counts(folder: Path) -> None:
    """The files beside the framework are recognised in every encoding an answers file may have:
    a 2027 saved by Notepad as 'Unicode' (UTF-16) was silently left out."""
    earlier = folder / "oosterhaven-2027.yaml"
    earlier.write_bytes(earlier.read_text(encoding="utf-8").encode("utf-16"))
    assert accountability.is_accountability(earlier)
    session = opened(folder / "oosterhaven-2028.yaml")
    assert session.profile is not None and session.notices == []
    assert [p.path.name for p in session.profile.earlier] == ["oosterhaven-2027.yaml"]
