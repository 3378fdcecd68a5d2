from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from wizard import answers
from wizard.errors import DataError
from wizard.questionnaire import Questionnaire

from .conftest import EXAMPLES, example


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_load(questionnaire: Questionnaire, name: str) -> None:
    loaded = answers.load(example(name), questionnaire)
    assert loaded.get("gemeente_naam")


def problems(questionnaire: Questionnaire, text: str) -> list[str]:
    with pytest.raises(DataError) as exc:
        answers.from_text(text, questionnaire, "a.yaml")
    return [p.format() for p in exc.value.problems]


def test_every_problem_is_reported_at_once_with_its_line(questionnaire: Questionnaire) -> None:
    found = problems(
        questionnaire,
        """\
formaat: 1
gemeente_nam: Zeewolde
inwoners: veel
provincie: brabant
motieven: [ideeel, economies]
ramp_beleid: per ramp
dienstreizen: misschien
budget_jaar: -5
evaluatie_beleid_jaar: 1800
partnerschappen:
  - partner: Nador
    lnd: Marokko
""",
    )
    joined = "\n".join(found)
    assert len(found) == 9
    assert "regel 2 – gemeente_nam: onbekende vraag" in joined and "Bedoelt u 'gemeente_naam'?" in joined
    assert "regel 3 – inwoners: 'veel' is geen getal" in joined
    assert "regel 4 – provincie: 'brabant' is geen keuze" in joined
    assert "regel 5 – motieven.1: 'economies' is geen keuze" in joined and "'economisch'" in joined
    assert "regel 6 – ramp_beleid" in joined and "'per_ramp'" in joined
    assert "regel 7 – dienstreizen: 'misschien' is geen ja of nee" in joined
    assert "regel 8 – budget_jaar: € -5 ligt niet tussen € 0 en € 100.000.000" in joined
    assert "regel 9 – evaluatie_beleid_jaar: 1800 ligt niet tussen 2000 en " in joined
    assert "regel 12 – partnerschappen.0.lnd: onbekend veld 'lnd'" in joined


def test_partial_files_are_valid(questionnaire: Questionnaire) -> None:
    assert answers.from_text("gemeente_naam: Zeewolde\n", questionnaire).values == {
        "gemeente_naam": "Zeewolde"
    }
    assert answers.from_text("", questionnaire).values == {}


def test_friendly_forms_are_accepted(questionnaire: Questionnaire) -> None:
    loaded = answers.from_text(
        "dienstreizen: ja\nprovincie: Noord-Brabant\nbudget_jaar: '€ 25.000,50'\nversie: 0.1\n", questionnaire
    )
    assert loaded.values == {
        "dienstreizen": True,
        "provincie": "noord_brabant",
        "budget_jaar": 25000.5,
        "versie": "0.1",
    }


def test_not_finite_numbers_and_wrong_format_version(questionnaire: Questionnaire) -> None:
    assert any("geen gewoon getal" in m for m in problems(questionnaire, "budget_jaar: .nan\n"))
    assert any("geen gewoon getal" in m for m in problems(questionnaire, "inwoners: .inf\n"))
    assert any("formaat 7" in m for m in problems(questionnaire, "formaat: 7\n"))
    assert any("hier hoort een tekst" in m for m in problems(questionnaire, "visie: [a, b]\n"))
    assert any("een antwoordenbestand bestaat uit" in m for m in problems(questionnaire, "- a\n- b\n"))


def test_control_characters_are_removed(questionnaire: Questionnaire) -> None:
    loaded = answers.from_text('visie: "a\\x01b\\x1fc"\n', questionnaire)
    assert loaded.get("visie") == "abc"


@pytest.mark.parametrize("name", EXAMPLES)
def test_save_and_load_round_trip(questionnaire: Questionnaire, tmp_path: Path, name: str) -> None:
    original = answers.load(example(name), questionnaire)
    original.notes = {"visie": "De groep wil meer {{ nadruk }} op jongeren."}
    target = tmp_path / "uit.yaml"
    answers.save(original, questionnaire, target)
    again = answers.load(target, questionnaire)
    assert again.values == original.values
    assert again.notes == original.notes
    assert target.read_text(encoding="utf-8").startswith("# Antwoorden")
    assert [p.name for p in tmp_path.iterdir()] == ["uit.yaml"]  # no temporary file left behind


def test_save_keeps_the_old_file_when_writing_fails(
    questionnaire: Questionnaire,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write: Callable[[str, str], Path],
) -> None:
    path = write("a.yaml", "gemeente_naam: Oud\n")

    def fail(*_: object) -> None:
        raise OSError("schijf vol")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError):
        answers.save(answers.Answers({"gemeente_naam": "Nieuw"}), questionnaire, path)
    assert path.read_text(encoding="utf-8") == "gemeente_naam: Oud\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]
