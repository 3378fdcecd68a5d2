"""Round 5 of the hostile test (docs/hostile-round-5.md): the defects found in this morning's
surfaces, each with the test that showed it. Web cases drive a real server over HTTP."""

from __future__ import annotations

import html
import os
import shutil
import sys
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import webserver
from tests.test_web import csrf_of, login, login_as, post
from tests.webserver import form_data, request
from wizard import accountability, answers
from wizard.answering import Answering, Options
from wizard.questionnaire import Questionnaire
from wizard.rules import RuleSet
from wizard.yamlsource import MAX_BYTES

EXAMPLE = Path(__file__).parent.parent / "voorbeelden" / "verantwoording"


@contextmanager
def _named(path: Path) -> Iterator[tuple[webserver.Server, dict[str, str], dict[str, str]]]:
    """A `web` server over `path` with the municipality's name saved: the server, the login
    cookie and the fields of that first form (to post again with changes)."""
    running = webserver.start(path)
    try:
        cookie = login(running)
        token = csrf_of(running, cookie)
        fields = {"csrf": token, "gemeente_naam": "Oosterhaven", "actie": "blijf"}
        assert post(running, "/deel/gemeente", fields, cookie)[0] == 303
        yield running, cookie, fields
    finally:
        running.stop()


def _typed(form: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    return [(k, changes.get(k, v)) for k, v in form] + [("actie", "blijf")]


def test_a_huge_answers_file_is_not_read_whole_on_every_look(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path
) -> None:
    """H1: refresh (every page, and the projection every second) read and hashed the whole file,
    however large: a 200 MB file cost 0.23 s of CPU and 200 MB of memory per request. A file over
    the size limit cannot be an answers file; it is looked at, not read."""
    path = tmp_path / "a.yaml"
    session = Answering(questionnaire, path, Options(route="kort"), rules=rule_set)
    session.open(create=True)
    session.set_answers({"gemeente_naam": "Oosterhaven"})
    with path.open("ab") as stream:
        stream.write(b"# " + b"x" * (4 * MAX_BYTES) + b"\n")
    tracemalloc.start()
    try:
        for _ in range(3):
            assert not session.refresh()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MAX_BYTES  # nothing near the file's 20 MB was read
    with pytest.raises(answers.NotSaved) as refused:  # and it is not written over
        session.set_answers({"inwoners": 100})
    assert "het bestand is te groot (20,0 MB; maximaal 5,0 MB)" in str(refused.value.problems[1].message)


@pytest.mark.skipif(sys.platform == "win32", reason="a FIFO is POSIX")
def test_an_answers_file_replaced_by_a_pipe_does_not_hang_the_server(tmp_path: Path) -> None:
    """H2: refresh opened whatever stood at the answers file's name, under the session's lock: a
    FIFO (or a link to one) hung that request, and every later one of the file, for good."""
    path = tmp_path / "antwoorden.yaml"
    with _named(path) as (running, cookie, fields):
        path.unlink()
        os.mkfifo(path)
        status, _, _ = request("GET", running, "/deel/gemeente", headers=cookie)  # answered, not hung
        assert status == 200
        status, _, body = post(running, "/deel/gemeente", {**fields, "inwoners": "23000"}, cookie)
        text = " ".join(html.unescape(body.decode()).split())
        assert status == 409
        assert "dit is geen gewoon bestand (maar bijvoorbeeld een pijp of een apparaat)." in text
    assert "Traceback" not in "".join(running.lines)


def test_a_groups_note_changed_by_hand_is_not_written_over_by_an_open_page(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    """H3: a part's page of a werksessie group saved its note ('Toelichting van de groep') without
    the revision check its answers have: a page shown before the note was changed by hand in the
    group's file (or in another tab) wrote the old note back, silently, with 'bewaard'."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    path = folder / "groep-1.yaml"
    try:
        cookie = login_as(running, running.links()["groep 1"])
        token = csrf_of(running, cookie)
        fields = {
            "csrf": token,
            "visie": "Samen.",
            "toelichting-groep": "Leren van elkaar.",
            "actie": "blijf",
        }
        assert post(running, "/deel/visie", fields, cookie)[0] == 303
        status, _, body = request("GET", running, "/deel/visie", headers=cookie)
        page = form_data(body)  # the group's page, still open
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["werksessie"]["visie"] = "Met de hand veranderd."  # the advisor, in a text editor
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        status, _, body = post(running, "/deel/visie", _typed(page, visie="Samen, en open."), cookie)
        text = " ".join(html.unescape(body.decode()).split())
        assert status == 409
        assert (
            "Toelichting van de groep: Deze toelichting is intussen in het bestand zelf (buiten dit programma) "
            "veranderd in: Met de hand veranderd. Uw tekst staat hieronder nog." in text
        )
        assert ">Leren van elkaar.</textarea>" in text  # what the page had is still in the form
        on_disk = answers.load(path, questionnaire)
        assert on_disk.notes == {"visie": "Met de hand veranderd."} and on_disk.values["visie"] == "Samen."
        # Saving again from the refusal is a choice made knowingly.
        assert post(running, "/deel/visie", _typed(form_data(body)), cookie)[0] == 303
        on_disk = answers.load(path, questionnaire)
        assert (
            on_disk.notes == {"visie": "Leren van elkaar."} and on_disk.values["visie"] == "Samen, en open."
        )
        # Another tab that changed the note: the same refusal, in its own words.
        first = form_data(request("GET", running, "/deel/visie", headers=cookie)[2])
        second = form_data(request("GET", running, "/deel/visie", headers=cookie)[2])
        changed = _typed(second, **{"toelichting-groep": "Uit het tweede tabblad."})
        assert post(running, "/deel/visie", changed, cookie)[0] == 303
        status, _, body = post(running, "/deel/visie", _typed(first), cookie)
        text = " ".join(html.unescape(body.decode()).split())
        assert status == 409 and "Deze toelichting is intussen in een ander venster veranderd in: Uit" in text
        assert answers.load(path, questionnaire).notes == {"visie": "Uit het tweede tabblad."}
    finally:
        running.stop()
    assert "Traceback" not in "".join(running.lines)


def test_a_save_while_an_editor_has_just_emptied_the_file_loses_nothing(tmp_path: Path) -> None:
    """H4: an editor that saves by emptying the file and then writing into it (Notepad does) was
    caught in between: the empty file was taken for 'every answer removed by hand', a browser
    answer posted then was 'bewaard' as the only answer, and the editor's text went into the file
    the tool had just replaced. Every answer was gone. An empty file is now never saved over."""
    path = tmp_path / "antwoorden.yaml"
    running = webserver.start(path)
    try:
        cookie = login(running)
        token = csrf_of(running, cookie)
        fields = {"csrf": token, "gemeente_naam": "Oosterhaven", "inwoners": "23000", "actie": "blijf"}
        assert post(running, "/deel/gemeente", fields, cookie)[0] == 303
        page = form_data(request("GET", running, "/deel/aanleiding", headers=cookie)[2])
        edited = path.read_text(encoding="utf-8").replace("Oosterhaven", "Westerhaven")
        with path.open("r+", encoding="utf-8") as editor:
            editor.truncate(0)
            editor.flush()
            assert request("GET", running, "/deel/gemeente", headers=cookie)[0] == 200
            typed = _typed(page, aanleiding_toelichting="Een nieuwe aanleiding.")
            status, _, body = post(running, "/deel/aanleiding", typed, cookie)
            text = " ".join(html.unescape(body.decode()).split())
            editor.seek(0)
            editor.write(edited)
        assert status == 409
        assert "antwoorden.yaml: het bestand is leeg. Misschien slaat een ander programma het net op." in text
        on_disk = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert (on_disk["gemeente_naam"], on_disk["inwoners"]) == ("Westerhaven", 23000)
        # The editor is done: the same answer is saved, beside the hand edit.
        assert post(running, "/deel/aanleiding", typed, cookie)[0] == 303
        on_disk = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert on_disk["gemeente_naam"] == "Westerhaven"
        assert on_disk["aanleiding_toelichting"] == "Een nieuwe aanleiding."
    finally:
        running.stop()
    assert "Traceback" not in "".join(running.lines)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("9" * 5000, "'9999999999…' heeft te veel cijfers (5000; hooguit 30)."),
        ("9" * 400 + ",5", "'9999999999…' heeft te veel cijfers (401; hooguit 30)."),
    ],
)
def test_a_number_with_thousands_of_digits_is_said_in_dutch(
    cli: Any, tmp_path: Path, typed: str, said: str
) -> None:
    """H5: a number of 5,000 digits (Python refuses to read more than 4,300) or one too large for
    a decimal number ended the command in "er ging iets onverwachts mis" (exit 4) and gave a 500
    page with a traceback in the browser; in a verantwoording's `jaar:` it stopped the session."""
    path = tmp_path / "a.yaml"
    path.write_text(f"formaat: 1\ninwoners: {typed}\n", encoding="utf-8")
    result = cli("toets", path)
    assert result.code == 2 and said in result.err and "onverwachts" not in result.err
    running = webserver.start(tmp_path / "web.yaml")
    try:
        cookie = login(running)
        fields = {"csrf": csrf_of(running, cookie), "inwoners": typed, "actie": "blijf"}
        status, _, body = post(running, "/deel/gemeente", fields, cookie)
        assert status == 200 and said in html.unescape(body.decode())
    finally:
        running.stop()
    assert "Traceback" not in "".join(running.lines)


def test_a_file_beside_the_framework_with_a_nul_in_its_kader_line_is_named_not_a_crash(
    tmp_path: Path,
) -> None:
    """H6: a NUL byte in the `kader:` line of a broken file beside the framework (a file damaged
    on a USB stick) made the name a path Python refuses ("embedded null byte"): opening the
    verantwoording of another year stopped with a traceback."""
    folder = tmp_path / "oosterhaven"
    shutil.copytree(EXAMPLE, folder)
    source = (folder / "oosterhaven-2027.yaml").read_text(encoding="utf-8")
    damaged = source.replace("kader: oosterhaven-kader.yaml", "kader: oost\x00erhaven-kader.yaml")
    (folder / "kopie.yaml").write_text(damaged, encoding="utf-8")
    profile = accountability.for_path(folder / "oosterhaven-2028.yaml")
    assert profile is not None
    session = Answering(profile.questionnaire, folder / "oosterhaven-2028.yaml", profile=profile)
    session.open()
    assert session.notices == [
        "Let op: kopie.yaml telt niet mee als eerder jaar van dit kader: het bestand klopt niet, en er staat "
        "niet leesbaar in bij welk kader het hoort. In kopie.yaml: dit is geen tekstbestand (het bevat "
        "binaire gegevens). Kies een .yaml-bestand dat u met een teksteditor kunt openen. Hoort het bij dit "
        "kader, zorg dan dat bovenaan 'kader: oosterhaven-kader.yaml' staat. Herstel het bestand in een "
        "teksteditor en open deze verantwoording daarna opnieuw."
    ]
    assert [p.path.name for p in profile.earlier] == ["oosterhaven-2027.yaml"]


@pytest.mark.parametrize("revision", ["²", "9" * 5000])
def test_a_garbled_revision_field_is_no_500(tmp_path: Path, revision: str) -> None:
    """H7: the page's hidden revision (which check_fresh now also compares with hand edits) was
    read with str.isdigit and int: '²' passes isdigit but is no number, and 5,000 digits are more
    than Python reads; both gave a 500 page and a traceback. A revision that cannot be read now
    counts as the oldest one: an answer changed since the file was opened is not written over."""
    path = tmp_path / "antwoorden.yaml"
    with _named(path) as (running, cookie, fields):
        garbled = {**fields, "gemeente_naam": "Westerhaven", "revisie": revision}
        status, _, body = post(running, "/deel/gemeente", garbled, cookie)
        assert status == 409 and "veranderd in: Oosterhaven." in html.unescape(body.decode())
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["gemeente_naam"] == "Oosterhaven"
    assert "Traceback" not in "".join(running.lines)


def test_an_answer_refused_as_not_saved_is_not_written_later_over_a_hand_repair(tmp_path: Path) -> None:
    """H8: an answer posted while the file was broken by hand was refused ("Uw antwoord is niet
    bewaard") but stayed in the session; after the advisor repaired the file by hand, with his own
    value for that answer, the pages showed the refused answer, and the next save of any other
    answer wrote it over the repair."""
    path = tmp_path / "antwoorden.yaml"
    with _named(path) as (running, cookie, fields):
        good = path.read_text(encoding="utf-8")
        path.write_text(good + "doelen: [oeps\n", encoding="utf-8")  # broken by hand
        status, _, body = post(
            running, "/deel/gemeente", {**fields, "gemeente_naam": "Uit de browser"}, cookie
        )
        assert status == 409 and "Uw antwoord is niet bewaard." in html.unescape(body.decode())
        path.write_text(good.replace("Oosterhaven", "Met de hand"), encoding="utf-8")  # repaired by hand
        _, _, body = request("GET", running, "/deel/gemeente", headers=cookie)
        assert 'value="Met de hand"' in body.decode()
        assert (
            post(
                running, "/deel/visie", {"csrf": fields["csrf"], "visie": "Samen.", "actie": "blijf"}, cookie
            )[0]
            == 303
        )
        on_disk = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert (on_disk["gemeente_naam"], on_disk["visie"]) == ("Met de hand", "Samen.")
    assert "Traceback" not in "".join(running.lines)


def test_a_hand_save_in_windows_1252_is_said_on_the_start_page_as_at_opening(tmp_path: Path) -> None:
    """H9: a file saved again by hand as Windows-1252 (Notepad's 'ANSI') while the browser was open
    was taken in without the line opening it would have given ('dit bestand is niet als UTF-8
    maar als Windows-1252 (ANSI) opgeslagen ...'), and the next answer turned it into UTF-8
    without a word."""
    path = tmp_path / "antwoorden.yaml"
    with _named(path) as (running, cookie, _):
        text = path.read_text(encoding="utf-8").replace("Oosterhaven", "Café-dorp")
        path.write_bytes(text.encode("cp1252"))
        _, _, body = request("GET", running, "/", headers=cookie)
        page = " ".join(html.unescape(body.decode()).split())
        assert "dit bestand is niet als UTF-8 maar als Windows-1252 (ANSI) opgeslagen" in page
        _, _, body = request("GET", running, "/deel/gemeente", headers=cookie)
        assert 'value="Café-dorp"' in body.decode()
    assert "Traceback" not in "".join(running.lines)


def test_a_year_line_that_is_more_than_a_year_is_not_read_as_one(tmp_path: Path) -> None:
    """H10: the first lines of a broken file beside the framework were read for its year by the
    first four digits: 'jaar: 2027.5' was called "de verantwoording over 2027", and 'jaar: 2029-1'
    was taken for a later year and left out without a word."""
    folder = tmp_path / "oosterhaven"
    shutil.copytree(EXAMPLE, folder)
    source = (folder / "oosterhaven-2027.yaml").read_text(encoding="utf-8")
    for name, year in (("kopie-a.yaml", "2027.5"), ("kopie-b.yaml", "2029-1")):
        (folder / name).write_text(source.replace("jaar: 2027\n", f"jaar: {year}\n"), encoding="utf-8")
    profile = accountability.for_path(folder / "oosterhaven-2028.yaml")
    assert profile is not None
    session = Answering(profile.questionnaire, folder / "oosterhaven-2028.yaml", profile=profile)
    session.open()
    notices = session.notices
    assert len(notices) == 2 and "over 2027" not in notices[0]
    for name, notice in zip(("kopie-a.yaml", "kopie-b.yaml"), notices, strict=True):
        assert notice.startswith(
            f"Let op: {name} telt niet mee als eerder jaar van dit kader: het bestand klopt niet, en er staat "
            "niet leesbaar in over welk jaar het gaat."
        )


def test_a_broken_earlier_year_with_windows_line_ends_is_named_with_its_year(tmp_path: Path) -> None:
    """H11: a broken verantwoording saved with Windows line ends (Notepad) was said to name no
    framework ("er staat niet leesbaar in bij welk kader het hoort"): the lines read for its
    `kader:` did not allow the carriage return at their end."""
    folder = tmp_path / "oosterhaven"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "oosterhaven-2027.yaml"
    text = path.read_text(encoding="utf-8").replace("periode: jaar\n", "periode: [jaar\n")
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    profile = accountability.for_path(folder / "oosterhaven-2028.yaml")
    assert profile is not None
    session = Answering(profile.questionnaire, folder / "oosterhaven-2028.yaml", profile=profile)
    session.open()
    assert len(session.notices) == 1
    assert session.notices[0].startswith(
        "Let op: de verantwoording over 2027 telt nu niet mee, want het bestand klopt niet. In "
        "oosterhaven-2027.yaml, regel"
    ), session.notices


def test_an_answer_changed_by_hand_in_the_moment_before_a_save_is_not_written_over(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path
) -> None:
    """H12: between the look at the file (check_fresh) and the save, the same answer was changed
    and saved in an editor: the save wrote the browser's answer over it without a word (the
    session's changed answers always won). Now the save is refused; nothing is written."""
    path = tmp_path / "a.yaml"
    session = Answering(questionnaire, path, Options(route="kort"), rules=rule_set)
    session.open(create=True)
    session.set_answers({"gemeente_naam": "Oosterhaven", "inwoners": 23000})
    seen = session.revision
    session.check_fresh({"gemeente_naam": "Uit de browser"}, seen)  # the page is fresh
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Oosterhaven", "Met de hand"), encoding="utf-8")  # just then
    with pytest.raises(answers.NotSaved) as refused:
        session.set_answers({"gemeente_naam": "Uit de browser"})
    assert refused.value.problems[0].message == (
        "het antwoord op 'Naam van de gemeente' is op hetzelfde moment ook buiten dit programma veranderd, "
        "in: Met de hand. Het nieuwe antwoord is daarom niet bewaard; het bestand blijft zoals het is."
    )
    assert path.read_text(encoding="utf-8") == text.replace("Oosterhaven", "Met de hand")
    session.set_answers({"inwoners": 24000})  # another answer: the hand edit is kept
    on_disk = answers.load(path, questionnaire)
    assert (on_disk.values["gemeente_naam"], on_disk.values["inwoners"]) == ("Met de hand", 24000)


def test_a_file_an_editor_is_still_writing_is_not_taken_in_half(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path
) -> None:
    """H13: an editor that writes the file in pieces (empties it, writes half, then the rest) was
    read in between: the half file was taken in as 'the other answers removed by hand', the next
    save wrote that half plus the new answer in place of the file, and the editor's rest went
    into the file the tool had just replaced: every answer of the second half was lost."""
    import threading
    import time

    path = tmp_path / "a.yaml"
    session = Answering(questionnaire, path, Options(route="kort"), rules=rule_set)
    session.open(create=True)
    session.set_answers({"gemeente_naam": "Oosterhaven", "visie": "Samen.", "budget_jaar": 5000})
    edited = path.read_text(encoding="utf-8").replace("Samen.", "Samen, met de hand.")
    lines = edited.splitlines(keepends=True)
    cut = next(n for n, line in enumerate(lines) if line.startswith("gemeente_naam:")) + 1
    half = threading.Event()

    def editor() -> None:
        with path.open("r+", encoding="utf-8") as stream:
            stream.truncate(0)
            stream.write("".join(lines[:cut]))  # a valid answers file, without the rest
            stream.flush()
            half.set()
            time.sleep(0.1)
            stream.write("".join(lines[cut:]))

    writing = threading.Thread(target=editor)
    writing.start()
    half.wait()
    session.refresh()
    try:
        session.set_answers({"inwoners": 24000})
    except answers.NotSaved:  # refused while the editor writes: the person saves again
        writing.join()
        session.refresh()
        session.set_answers({"inwoners": 24000})
    writing.join()
    on_disk = answers.load(path, questionnaire).values
    assert on_disk["visie"] == "Samen, met de hand." and on_disk["budget_jaar"] == 5000
    assert on_disk["inwoners"] == 24000 and on_disk["gemeente_naam"] == "Oosterhaven"


def test_a_broken_file_on_the_projection_is_said_with_one_full_stop(tmp_path: Path) -> None:
    """H14: the projection quotes why a file changed by hand no longer loads inside its own
    sentence "(…)."; the quoted message kept its own full stop: "… niet goed afgesloten).)."."""
    folder = tmp_path / "sessie"
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        cookie = login_as(running, running.links()["groep 1"])
        fields = {"csrf": csrf_of(running, cookie), "gemeente_naam": "Zeewolde", "actie": "blijf"}
        assert post(running, "/deel/gemeente", fields, cookie)[0] == 303
        path = folder / "groep-1.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "doelen: [oeps\n", encoding="utf-8")
        _, _, body = request("GET", running, "/sessie", headers=login(running))
        text = " ".join(html.unescape(body.decode()).split())
        assert "is niet goed afgesloten)). Wat de groep nu invult, wordt pas bewaard" in text
        assert ".)." not in text
    finally:
        running.stop()
    assert "Traceback" not in "".join(running.lines)
