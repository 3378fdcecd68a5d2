"""The screen-free walk (wizard/walk.py): where to go next, what is open, and storing answers."""

from __future__ import annotations

from pathlib import Path

from wizard import answers
from wizard.questionnaire import Questionnaire
from wizard.resources import examples_dir
from wizard.walk import Place, Walk


def example(questionnaire: Questionnaire) -> answers.Answers:
    return answers.load(examples_dir() / "oosterhaven.yaml", questionnaire)


def test_a_new_walk_starts_at_the_first_question(questionnaire: Questionnaire) -> None:
    walk = Walk(questionnaire)
    empty = answers.Answers()
    first = walk.first_open(empty)
    assert first == Place(questionnaire.sections[0].questions[0].id)
    assert walk.previous(empty, first) is None
    second = walk.next_open(empty, first)
    assert second == Place(questionnaire.sections[0].questions[1].id)
    assert walk.previous(empty, second) == first


def test_open_places_inside_group_items(questionnaire: Questionnaire) -> None:
    walk = Walk(questionnaire)
    loaded = example(questionnaire)
    first = walk.first_open(loaded)
    assert first is not None and first.in_item and first.question == "doelen"
    walk.store(loaded, first, 2030)
    assert loaded.values["doelen"][first.item or 0]["termijn"] == 2030
    tie = walk.first_open(loaded)
    assert tie == Place("partnerschappen", 1, tie.field if tie else None) and tie.field
    section = questionnaire.section_of("partnerschappen")
    names = [item.name for item in walk.open_items(loaded, section)]
    assert names[0] == "Wanica (Suriname)"
    progress = {p.section.id: p for p in walk.progress(loaded)}
    assert not progress["partnerschappen"].complete and progress["gemeente"].complete


def test_conditions_decide_what_is_asked(questionnaire: Questionnaire) -> None:
    walk = Walk(questionnaire)
    values = answers.Answers(values={"bestaand_beleid": "geen"})
    year = questionnaire.by_id["bestaand_beleid_jaar"]
    assert not walk.applies(values, year)
    values.values["bestaand_beleid"] = "verouderd"
    assert walk.applies(values, year)
    assert year in walk.dependents(values, questionnaire.by_id["bestaand_beleid"])


def test_the_context_carries_the_note_year(questionnaire: Questionnaire, tmp_path: Path) -> None:
    walk = Walk(questionnaire)
    assert walk.context(answers.Answers(values={"datum": "2031-01-05"})).year == 2031
