"""The answering session after round 5's notes: a read-only answers file is never replaced (the
terminal, the web and the werksessie all save through answers.save), a hand edit of `route:`
is followed by a running session, and the terminal's leftovers (ties while the file is broken,
ties reordered by hand, one message per refused answer)."""

from __future__ import annotations

import html
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import webserver
from tests.test_hostile_round5 import _named, _typed
from tests.test_session import KEEP
from tests.test_session_hand_edits import Editing, Hand, lines, replace, saved, start
from tests.test_web import csrf_of, login_as, post
from tests.webserver import form_data, request
from wizard import answers
from wizard.prompts import Prompter
from wizard.questionnaire import Question, Questionnaire
from wizard.session import EXIT_STOPPED


def _read_only(path: Path) -> None:
    path.chmod(stat.S_IREAD)  # what Windows' read-only attribute is too (os.chmod sets it there)


def _writable(path: Path) -> None:
    path.chmod(stat.S_IREAD | stat.S_IWRITE)


def test_a_read_only_answers_file_is_not_replaced_in_the_terminal(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("gemeente_naam: Zeewolde\n", encoding="utf-8")
    before = path.read_bytes()
    s, script, said = start(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "verder"),
            ("Aantal inwoners", Hand(lambda: _read_only(path), 23000)),
            ("Aantal inwoners", Hand(lambda: _writable(path), KEEP)),  # mark taken away: Enter saves
        ],
    )
    try:
        assert s.run() == EXIT_STOPPED  # the walk goes on
    finally:
        _writable(path)
    text = " ".join(lines(said))
    assert "'" + str(path) + "' is alleen-lezen" in text
    assert "Haal 'Alleen-lezen' weg" in text and "onder een andere naam" in text
    assert [value for label, value in script.defaults if "Aantal inwoners" in label] == [None, 23000]
    assert saved(questionnaire, path) == {"gemeente_naam": "Zeewolde", "inwoners": 23000}
    assert before != path.read_bytes()


def test_a_read_only_answers_file_is_not_replaced_by_the_web(tmp_path: Path) -> None:
    path = tmp_path / "antwoorden.yaml"
    with _named(path) as (running, cookie, fields):
        before = path.read_bytes()
        _read_only(path)
        try:
            status, _, body = post(running, "/deel/gemeente", {**fields, "gemeente_naam": "Anders"}, cookie)
            page = " ".join(html.unescape(body.decode()).split())
            assert status == 409 and "Uw antwoord is niet bewaard." in page
            assert "is alleen-lezen" in page and "Haal 'Alleen-lezen' weg" in page
            assert path.read_bytes() == before
        finally:
            _writable(path)
        assert post(running, "/deel/gemeente", {**fields, "gemeente_naam": "Anders"}, cookie)[0] == 303
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["gemeente_naam"] == "Anders"


def test_a_read_only_group_file_is_not_replaced_by_the_werksessie(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    path = folder / "groep-1.yaml"
    try:
        cookie = login_as(running, running.links()["groep 1"])
        fields = {"csrf": csrf_of(running, cookie), "visie": "Samen.", "actie": "blijf"}
        assert post(running, "/deel/visie", fields, cookie)[0] == 303
        _, _, body = request("GET", running, "/deel/visie", headers=cookie)
        page = form_data(body)
        before = path.read_bytes()
        _read_only(path)
        try:
            status, _, body = post(running, "/deel/visie", _typed(page, visie="Anders."), cookie)
            text = " ".join(html.unescape(body.decode()).split())
            assert status == 409 and "is alleen-lezen" in text and "groep-1.yaml" in text
            assert path.read_bytes() == before
        finally:
            _writable(path)
    finally:
        running.stop()
    assert answers.load(path, questionnaire).values["visie"] == "Samen."


def test_a_file_on_a_disk_that_may_only_be_read_counts_as_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only share keeps the file's own mark as it was: os.access knows (also for an
    administrator, who may write a file marked read-only on a writable disk)."""
    from wizard import atomic

    path = tmp_path / "a.yaml"
    path.write_text("gemeente_naam: Zeewolde\n", encoding="utf-8")
    assert not atomic.read_only(path)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == path else real(p, mode))
    assert atomic.read_only(path)
    assert not atomic.read_only(tmp_path / "nieuw.yaml")  # a new file: nothing to protect


class _Noting(Editing):
    """The scripted prompter, holding "Genoteerd: …" as the terminal's Prompter does when the
    view asks it to (hold), and saying it only through Prompter.noted."""

    def __init__(self, steps: list[tuple[str, Any]], said: list[str]) -> None:
        super().__init__(steps)
        self.hold = False
        self.held: str | None = None
        self.echo = said.append

    noted = Prompter.noted

    def ask(self, question: Question, current: Any, label: str | None = None, context: Any = None) -> Any:
        value = super().ask(question, current, label, context)
        if isinstance(value, int) and not isinstance(value, bool):
            note = f"  Genoteerd: {value}"
            if self.hold:
                self.held = note
            else:
                self.echo(note)
        return value


def test_genoteerd_is_said_only_for_an_answer_that_was_saved(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("gemeente_naam: Zeewolde\ninwoners: 20000\n", encoding="utf-8")
    s, _, said = start(questionnaire, path, [])
    s.state.open()
    inwoners = questionnaire.by_id["inwoners"]
    s.prompter = _Noting(  # type: ignore[assignment]
        [
            ("Aantal inwoners", Hand(replace(path, "inwoners: 20000", "inwoners: 30000"), 23000)),
            ("Aantal inwoners", KEEP),  # asked again: Enter keeps the file's answer
            ("Aantal inwoners", 24000),
        ],
        said,
    )
    assert s.ask(inwoners) == "next"
    text = lines(said)
    assert any("Uw antwoord is daarom nog niet bewaard" in line for line in text)
    assert not any("Genoteerd: 23000" in line for line in text)  # it was not saved
    assert saved(questionnaire, path)["inwoners"] == 30000
    said.clear()
    assert s.ask(inwoners) == "next"
    assert [line for line in lines(said) if "Genoteerd" in line] == ["Genoteerd: 24000"]  # saved: said
    assert saved(questionnaire, path)["inwoners"] == 24000


def test_a_route_changed_by_hand_is_followed_by_the_running_session(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    from wizard.answering import Answering, Options

    path = tmp_path / "a.yaml"
    path.write_text("route: volledig\ngemeente_naam: Zeewolde\n", encoding="utf-8")
    session = Answering(questionnaire, path, Options())
    session.open()
    assert session.on_route == "volledig"
    replace(path, "route: volledig", "route: kort")()
    assert session.refresh()
    assert session.on_route == "kort" and session.walk.route == "kort"
    assert session.findings().later or session.walk.route == "kort"  # findings filtered by this route
    replace(path, "route: kort", "route: snel")()  # not a route: the file does not load
    assert not session.refresh()
    assert session.on_route == "kort"  # the old route kept
    replace(path, "route: snel\n", "")()  # no route line: the full route
    assert session.refresh() and session.on_route == "volledig"


def test_an_unknown_route_written_by_hand_is_said_with_its_line_and_the_route_kept(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("route: volledig\ngemeente_naam: Zeewolde\n", encoding="utf-8")
    s, _, said = start(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "verder"),
            ("Aantal inwoners", Hand(replace(path, "route: volledig", "route: snel"), 23000)),
        ],
    )
    assert s.run() == EXIT_STOPPED
    text = " ".join(lines(said))
    assert "onbekende route 'snel'" in text and "regel 1" in text
    assert s.state.on_route == "volledig"
    assert path.read_text(encoding="utf-8").startswith("route: snel")  # the file kept as it is


def test_adding_or_removing_a_tie_while_the_file_is_broken_is_said_and_the_walk_goes_on(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    good = "partnerschappen:\n  - partner: Nador\n    land: Marokko\n"
    path.write_text(good, encoding="utf-8")
    s, _, said = start(questionnaire, path, [])
    s.state.open()

    def breaking() -> None:
        path.write_text(good + "provincie: [flevoland\n", encoding="utf-8")

    s.prompter = Editing(  # type: ignore[assignment]
        [
            ("wat wilt u doen?", Hand(breaking, ("add",))),
            ("wat wilt u doen?", ("remove", 0)),
            ("verwijderen?", True),
            ("wat wilt u doen?", ("done",)),
        ]
    )
    assert s.edit_group(questionnaire.by_id["partnerschappen"]) == "next"  # not the end of the walk
    text = [line for line in lines(said) if "geen geldig antwoordenbestand" in line]
    assert len(text) == 2
    assert any("a.yaml, regel" in line for line in lines(said)), lines(said)  # where it is broken
    assert path.read_text(encoding="utf-8") == good + "provincie: [flevoland\n"  # kept as it is


def test_ties_reordered_by_hand_between_two_fields_keep_the_next_field_on_the_chosen_tie(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    nador, tata = "  - partner: Nador\n    land: Marokko\n", "  - partner: Tata\n    land: Hongarije\n"
    path.write_text("partnerschappen:\n" + nador + tata, encoding="utf-8")
    s, _, _ = start(questionnaire, path, [])
    s.state.open()

    def swap() -> None:
        path.write_text("partnerschappen:\n" + tata + nador, encoding="utf-8")

    s.prompter = script = Editing(  # type: ignore[assignment]
        [
            ("Tata (Hongarije) · Naam", Hand(swap, "Tata")),  # the old position 1 changed: asked again
            ("Tata (Hongarije) · Naam", KEEP),  # the same tie, found at its new place
            ("Tata (Hongarije) · Land", "Hongarije (Komárom)"),
        ]
    )
    with pytest.raises(EOFError):  # the script ends at the tie's next field
        s.edit_item(questionnaire.by_id["partnerschappen"], 1)
    ties = saved(questionnaire, path)["partnerschappen"]
    assert {"partner": "Tata", "land": "Hongarije (Komárom)"} in ties
    assert {"partner": "Nador", "land": "Marokko"} in ties  # the tie now at position 1 untouched
    assert [default for _, default in script.defaults][:3] == ["Tata", "Tata", "Hongarije"]


def test_a_tie_removed_by_hand_while_its_fields_are_asked_is_said_and_not_replaced_by_another(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    nador, tata = "  - partner: Nador\n    land: Marokko\n", "  - partner: Tata\n    land: Hongarije\n"
    path.write_text(
        "partnerschappen:\n" + nador + tata + "  - partner: Wanica\n    land: Suriname\n", encoding="utf-8"
    )
    s, _, said = start(questionnaire, path, [])
    s.state.open()
    remove_tata = replace(path, tata, "")
    s.prompter = Editing([("Tata (Hongarije) · Naam", Hand(remove_tata, "Tata"))])  # type: ignore[assignment]
    s.edit_item(questionnaire.by_id["partnerschappen"], 1)
    assert any("staat niet meer in het bestand" in line for line in lines(said))
    assert saved(questionnaire, path)["partnerschappen"] == [
        {"partner": "Nador", "land": "Marokko"},
        {"partner": "Wanica", "land": "Suriname"},
    ]


def _broken_earlier_year(tmp_path: Path, change: Callable[[str], str]) -> list[str]:
    """The notices of the 2028 verantwoording with its 2027 beside it broken and `change`d."""
    import shutil

    from tests.test_hostile_round5 import EXAMPLE
    from wizard import accountability
    from wizard.answering import Answering

    folder = tmp_path / "oosterhaven"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "oosterhaven-2027.yaml"
    text = path.read_text(encoding="utf-8").replace("periode: jaar\n", "periode: [jaar\n")
    path.write_text(change(text), encoding="utf-8")
    profile = accountability.for_path(folder / "oosterhaven-2028.yaml")
    assert profile is not None
    session = Answering(profile.questionnaire, folder / "oosterhaven-2028.yaml", profile=profile)
    session.open()
    return session.notices


def test_a_broken_earlier_year_whose_framework_has_a_yaml_anchor_is_named(tmp_path: Path) -> None:
    notices = _broken_earlier_year(tmp_path, lambda text: text.replace("kader: ", "kader: &k ", 1))
    assert len(notices) == 1 and "de verantwoording over 2027 telt nu niet mee" in notices[0], notices


def test_a_broken_earlier_year_below_a_long_comment_is_named(tmp_path: Path) -> None:
    notices = _broken_earlier_year(tmp_path, lambda text: "# " + "x" * 70_000 + "\n" + text)
    assert len(notices) == 1 and "de verantwoording over 2027 telt nu niet mee" in notices[0], notices
