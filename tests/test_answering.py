"""The answering session without a screen: route, findings per route, parts, changes, documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, example
from wizard import answers
from wizard.answering import Answering, Conflict, Options, Status, note_key
from wizard.draft import Drafter
from wizard.questionnaire import Questionnaire
from wizard.rules import RuleSet
from wizard.walk import Place


def start(questionnaire: Questionnaire, rule_set: RuleSet, path: Path, route: str | None = None) -> Answering:
    session = Answering(questionnaire, path, Options(route=route), rules=rule_set)
    session.open(create=True)
    return session


def test_a_new_file_is_created_with_the_chosen_route_and_every_part_not_started(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path
) -> None:
    path = tmp_path / "nieuw.yaml"
    session = start(questionnaire, rule_set, path, route="kort")
    assert path.exists() and answers.load(path, questionnaire).route == "kort"
    parts = session.parts()
    assert {p.status for p in parts} == {Status.NOT_STARTED}
    assert [p.section.id for p in parts if not p.asked]  # the short route leaves parts out
    assert Status.NOT_STARTED.label == "Niet begonnen"


def test_the_route_in_the_file_is_used_when_the_options_do_not_choose(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    start(questionnaire, rule_set, path, route="kort")
    again = start(questionnaire, rule_set, path)
    assert again.route == "kort" and again.walk.route == "kort"
    fresh = start(questionnaire, rule_set, tmp_path / "b.yaml")
    assert fresh.route is None and fresh.on_route == "volledig"


def test_short_route_findings_are_split_and_counted_per_part(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path
) -> None:
    path = tmp_path / "oosterhaven.yaml"
    shutil.copy(example("oosterhaven"), path)
    full = start(questionnaire, rule_set, path, route="volledig").findings()
    short = start(questionnaire, rule_set, path, route="kort").findings()
    assert full.later == () and full.later_text() == ""
    assert short.later_count > 0
    assert len(short.shown) + short.later_count == len(full.shown)
    assert {f.rule for f in short.shown} <= {f.rule for f in full.shown}
    assert short.later_text() == f"{short.later_count} punten komen aan bod op de volledige route"
    for part in short.later:  # every off-route part names the questions that settle it
        assert part.questions and all(not q.kort or q.group for q in part.questions)


def test_status_has_one_meaning(questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path) -> None:
    session = start(questionnaire, rule_set, tmp_path / "a.yaml", route="kort")
    gemeente = session.section("gemeente")
    assert gemeente is not None
    session.set(Place("gemeente_naam"), "Oosterhaven")
    part = session.parts()[0]
    assert part.section is gemeente and part.status is Status.IN_PROGRESS
    # Half a tie counts as begun, though the tie is not complete.
    banden = next(p for p in session.parts() if any(q.id == "partnerschappen" for q in p.section.questions))
    assert banden.status is Status.NOT_STARTED
    session.set(Place("partnerschappen", 0, "land"), "Ghana")
    banden = next(p for p in session.parts() if p.section is banden.section)
    assert banden.touched and banden.answered == 0
    assert banden.status in (Status.IN_PROGRESS, Status.ATTENTION)


def test_main_motive_offers_only_the_chosen_motives(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path
) -> None:
    session = start(questionnaire, rule_set, tmp_path / "a.yaml")
    main = questionnaire.by_id["hoofdmotief"]
    motives = questionnaire.by_id["motieven"]
    chosen = list(motives.choice_values[:2])
    session.set(Place("motieven"), chosen)
    assert session.choices(main).choice_values == tuple(chosen)
    assert session.choices(motives) is motives


def test_a_stale_change_is_refused_and_names_the_newer_answer(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path
) -> None:
    session = start(questionnaire, rule_set, tmp_path / "a.yaml")
    seen = session.revision
    session.set_answers({"gemeente_naam": "Oosterhaven"})  # the other tab
    with pytest.raises(Conflict) as refused:
        session.check_fresh({"gemeente_naam": "Westerhaven"}, seen)
    assert refused.value.changed == {"gemeente_naam": "Oosterhaven"}
    session.check_fresh({"gemeente_naam": "Oosterhaven"}, seen)  # the same answer: no conflict
    session.check_fresh({"inwoners": 100}, seen)  # another answer: no conflict
    session.check_fresh({"gemeente_naam": "Westerhaven"}, session.revision)  # seen the newer one


def test_a_change_made_by_hand_in_the_file_counts_as_newer_than_what_a_page_showed(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path
) -> None:
    """The file's content is the check, not only the revisions made here (issue 22: a hand edit
    in gecombineerd.yaml was silently written over)."""
    path = tmp_path / "a.yaml"
    session = start(questionnaire, rule_set, path)
    group = questionnaire.by_id["partnerschappen"]
    session.set_item(group, None, {"partner": "Wanica", "land": "Suriname", "advies": "voortzetten"})
    seen = session.revision
    assert not session.refresh()  # nothing changed on disk
    path.write_text(path.read_text(encoding="utf-8") + "# alleen een opmerking\n", encoding="utf-8")
    assert not session.refresh() and session.revision == seen  # a comment is no answer
    text = path.read_text(encoding="utf-8").replace("advies: voortzetten", "advies: beeindigen")
    path.write_text(text + "werksessie:\n  visie: Met de hand.\n", encoding="utf-8")
    with pytest.raises(Conflict) as refused:
        session.check_fresh({"partnerschappen/0/advies": "aanpassen"}, seen)
    assert refused.value.changed == {"partnerschappen/0/advies": "beeindigen"}
    assert refused.value.outside == {"partnerschappen/0/advies"}
    with pytest.raises(Conflict) as refused:
        session.check_fresh({note_key("visie"): "Van een groep."}, seen)
    assert refused.value.changed == {note_key("visie"): "Met de hand."}
    session.check_fresh({"partnerschappen/0/land": "Suriname", "gemeente_naam": "X"}, seen)  # not changed
    assert session.items(group)[0]["advies"] == "beeindigen"  # taken in, so the next save keeps it
    session.set_answers({"gemeente_naam": "Oosterhaven"})
    on_disk = answers.load(path, questionnaire)
    assert on_disk.values["partnerschappen"][0]["advies"] == "beeindigen"
    assert on_disk.notes == {"visie": "Met de hand."}
    # A file broken by hand is not taken in (and not written over: saving raises NotSaved).
    path.write_text("gemeente_naam: [Oosterhaven\n", encoding="utf-8")
    assert not session.refresh()
    with pytest.raises(answers.NotSaved):
        session.set_answers({"inwoners": 100})
    assert path.read_text(encoding="utf-8") == "gemeente_naam: [Oosterhaven\n"


def test_items_are_added_changed_and_removed_through_the_round_trip(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("# mijn opmerking\ngemeente_naam: Oosterhaven\n", encoding="utf-8")
    session = start(questionnaire, rule_set, path)
    group = questionnaire.by_id["partnerschappen"]
    first = session.set_item(group, None, {"land": "Ghana"})
    session.set_item(group, None, {"land": "Suriname"})
    session.set_item(group, first, {"land": "Marokko"})
    session.remove_item(group, 1)
    assert answers.load(path, questionnaire).values["partnerschappen"] == [{"land": "Marokko"}]
    assert "# mijn opmerking" in path.read_text(encoding="utf-8")


def test_documents_are_named_concept_or_definitief_and_made_through_publish(
    questionnaire: Questionnaire, rule_set: RuleSet, drafter: Drafter, tmp_path: Path
) -> None:
    path = tmp_path / "oosterhaven.yaml"
    shutil.copy(example("oosterhaven"), path)
    session = Answering(questionnaire, path, rules=rule_set, drafter=drafter)
    session.open()
    assert session.file_name("notitie", "docx") == "oosterhaven-concept.docx"
    assert session.file_name("notitie", "pdf", final=True).endswith("-definitief.pdf")
    assert session.download("notitie", "docx")[:2] == b"PK"
    ready = session.readiness()
    assert not ready.ready  # the example leaves places open
    written, _ = session.write([tmp_path / "uit.docx"])
    assert written == [tmp_path / "uit.docx"] and (tmp_path / "uit.docx").stat().st_size > 0


def test_without_libreoffice_the_pdf_is_still_made_and_the_odt_is_a_dutch_problem(
    questionnaire: Questionnaire,
    rule_set: RuleSet,
    drafter: Drafter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wizard import office
    from wizard.errors import EnvironmentProblem

    session = Answering(questionnaire, tmp_path / "a.yaml", rules=rule_set, drafter=drafter)
    session.open(create=True)
    monkeypatch.setattr(office, "find", lambda: None)
    pdf = session.download("notitie", "pdf")  # set by Typst: no other program needed
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    with pytest.raises(EnvironmentProblem) as problem:
        session.download("notitie", "odt")
    assert problem.value.message == "Een ODT-bestand maken lukt niet: LibreOffice ontbreekt."
    assert problem.value.hint == office.install_hint()


def test_every_open_place_of_a_finished_short_route_names_its_question(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path
) -> None:
    """The generic places carry their question; a field the short route does not ask says so."""
    from tests.test_web_session import short_route_file

    session = start(questionnaire, rule_set, short_route_file(tmp_path / "kort.yaml"))
    places = session.readiness().open_places
    named = {(p.heading, p.text): session.question_of(p) for p in places}
    assert "" not in named.values()
    assert named[("Looptijd", "[nog invullen: datum waarop het kader ingaat]")] == (
        "vraag 'Vanaf welke datum geldt het nieuwe kader?' in deel 11 (Controle en evaluatie), op de volledige route"
    )
    assert named[("Wat de raad besluit", "[nog invullen: via welke weg de hulp gaat]")] == (
        "vraag 'Via welke weg gaat de hulp?' in deel 7 (Noodhulp bij rampen), op de volledige route"
    )
    ends = [p for p in places if p.key == "partnerschappen/0/einddatum"]
    assert ends and session.question_of(ends[0]) == (
        "vraag 'Tot welk jaar loopt de band, of wanneer besluit de raad opnieuw?', bij Kırşehir (Turkije) "
        "in deel 5 (Partnerschappen), op de volledige route"
    )


@pytest.mark.parametrize("route", ["kort", "volledig"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_open_place_of_every_example_names_its_question(
    questionnaire: Questionnaire, rule_set: RuleSet, tmp_path: Path, name: str, route: str
) -> None:
    """The definitief page links each '[nog invullen: …]' to the question that fills it: no
    place in the note or the raadsvoorstel of an example may be left untraceable."""
    path = tmp_path / f"{name}.yaml"
    shutil.copyfile(example(name), path)
    session = start(questionnaire, rule_set, path, route=route)
    places = session.readiness().open_places
    assert places  # the examples leave something open, so the check has something to check
    untraced = [(p.heading, p.text) for p in places if not session.question_of(p)]
    assert untraced == []
