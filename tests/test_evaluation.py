"""Controleren: the verantwoording beside the framework, its facts, rules, documents and the loop."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wizard import answers as answers_mod
from wizard import cycle
from wizard import evaluation as evaluation_mod
from wizard import questionnaire as questionnaire_mod
from wizard.errors import DataError
from wizard.resources import examples_dir

EXAMPLE = examples_dir() / "verantwoording"
FRAMEWORK = EXAMPLE / "oosterhaven-kader.yaml"
YEARS = (EXAMPLE / "oosterhaven-2027.yaml", EXAMPLE / "oosterhaven-2028.yaml")


@pytest.fixture(scope="module")
def evaluation() -> evaluation_mod.Evaluation:
    return evaluation_mod.load(list(reversed(YEARS)))  # any order: periods sort by year


def copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / "voorbeeld"
    shutil.copytree(EXAMPLE, folder)
    return folder


# --- 1. verantwoording as data ------------------------------------------------------------


def test_the_verantwoording_is_a_second_questionnaire_of_the_same_machinery() -> None:
    accountability = questionnaire_mod.load(name=questionnaire_mod.VERANTWOORDING)
    assert [s.id for s in accountability.sections] == [
        "periode",
        "doelen",
        "banden",
        "dienstreizen",
        "noodhulp",
        "geld",
        "conclusies",
    ]
    assert {s.role for s in accountability.sections} == {"controleren"}
    ties = accountability.by_id["banden"]
    assert [f.id for f in ties.fields][:2] == ["partner", "land"]
    # a condition inside the group, parsed by the shared condition language
    assert accountability.question("banden.stopgrens_jaren").when is not None
    # the framework's questionnaire is unchanged by the second one
    assert "banden" not in questionnaire_mod.load().by_id


def test_periods_sort_by_year_and_read_targets_from_the_framework(
    evaluation: evaluation_mod.Evaluation,
) -> None:
    assert [p.year for p in evaluation.periods] == [2027, 2028]
    last = evaluation.last.values
    schools = next(g for g in last["doelen"] if g["omschrijving"].startswith("Scholen"))
    # indicator and year are not in the verantwoording file: they come from the framework
    assert "indicator" not in evaluation.last.answers.values["doelen"][1]
    assert schools["indicator"] == "Zes scholen hebben een partnerschool"
    assert schools["termijn"] == 2028 and schools["termijn_verstreken"] is True
    kirsehir = next(t for t in last["banden"] if t["partner"] == "Kırşehir")
    assert kirsehir["plafond"] == 25000 and kirsehir["boven_plafond"] is None
    first = evaluation.periods[0].values
    tata_2027 = next(t for t in first["banden"] if t["partner"] == "Tata")
    assert tata_2027["boven_plafond"] == 2500  # 17.500 against a ceiling of 15.000
    wanica = next(t for t in last["banden"] if t["partner"] == "Wanica")
    assert wanica["jaren_zonder_activiteit"] == 2 and wanica["slaapt_te_lang"] is True
    assert last["boven_budget"] == 8500  # 198.500 against 190.000
    # Matagalpa ended in 2027: accounted for in 2027, not expected in 2028
    assert [t["partner"] for t in first["banden"]][-1] == "Matagalpa"
    assert last["banden_niet_verantwoord"] == ""


def test_start_lists_goals_and_ties_by_identity_with_the_fingerprint(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    target = folder / "nieuw-2029.yaml"
    started = cycle.start_accountability(folder / "oosterhaven-kader.yaml", target, 2029)
    values = started.values
    assert values["kader"] == "oosterhaven-kader.yaml"
    framework = answers_mod.load(folder / "oosterhaven-kader.yaml", questionnaire_mod.load()).values
    assert values["kader_vingerafdruk"] == evaluation_mod.fingerprint(framework)
    assert values["doelen"] == [{"omschrijving": g["omschrijving"]} for g in framework["doelen"]]
    # Matagalpa ended in 2027, so a verantwoording over 2029 does not list it
    assert [(t["partner"], t["land"]) for t in values["banden"]] == [
        ("Kırşehir", "Turkije"),
        ("Wanica", "Suriname"),
        ("Tata", "Hongarije"),
    ]
    target.write_text(cycle.dump_accountability(started), encoding="utf-8")
    loaded = evaluation_mod.load([target])
    assert loaded.last.year == 2029


def test_a_changed_framework_or_an_unknown_tie_is_refused_with_what_to_do(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    framework = folder / "oosterhaven-kader.yaml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace("budgetplafond: 25000", "budgetplafond: 40000"),
        encoding="utf-8",
    )
    year = folder / "oosterhaven-2027.yaml"
    year.write_text(
        year.read_text(encoding="utf-8").replace("partner: Wanica", "partner: Paramaribo"), encoding="utf-8"
    )
    with pytest.raises(DataError) as caught:
        evaluation_mod.load([year])
    messages = [p.message for p in caught.value.problems]
    assert any(m.startswith("het kader is veranderd nadat deze verantwoording begon") for m in messages)
    assert "de band met Paramaribo (Suriname) staat niet in het kader." in messages
    fields = {p.field for p in caught.value.problems}
    assert {"kader_vingerafdruk", "banden.2"} <= fields


def test_two_periods_over_one_year_are_refused(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    twin = folder / "kopie.yaml"
    shutil.copy(folder / "oosterhaven-2027.yaml", twin)
    with pytest.raises(DataError) as caught:
        evaluation_mod.load([folder / "oosterhaven-2027.yaml", twin])
    assert any(p.message.startswith("twee verantwoordingen gaan over 2027") for p in caught.value.problems)
