"""Derived facts read their reader-facing words from the data: `ontbreekt:` in the
questionnaire, the cost overview and the budget moments in questions/geld.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard import answers, facts
from wizard import questionnaire as questionnaire_mod
from wizard.questionnaire import Questionnaire

from .conftest import edited_questions


def edited(tmp_path: Path, name: str, old: str, new: str) -> Questionnaire:
    """The bundled questionnaire with one edit in one of its data files, as an advisor makes it."""
    folder = edited_questions(tmp_path, name, old, new)
    return questionnaire_mod.load(folder)


def derived(questionnaire: Questionnaire, data: dict[str, Any]) -> dict[str, Any]:
    return facts.derive(answers.from_mapping(data, questionnaire), questionnaire)


TIE = {"partner": "Tata", "land": "Hongarije", "advies": "voortzetten", "werkplan": True, "doelen": "d"}


def test_missing_steering_is_named_as_the_questionnaire_says(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    tie = derived(questionnaire, {"partnerschappen": [TIE]})["partnerschappen"][0]
    assert tie["ontbrekende_sturing"][0] == "een jaarlijks verslag aan de raad"
    assert "een werkplan" not in tie["ontbrekende_sturing"]
    changed = edited(
        tmp_path, "vragenlijst.yaml", "ontbreekt: een jaarlijks verslag", "ontbreekt: een jaarverslag voor"
    )
    tie = derived(changed, {"partnerschappen": [TIE]})["partnerschappen"][0]
    assert tie["ontbrekende_sturing"][0] == "een jaarverslag voor aan de raad"


def test_missing_ending_and_framework_are_named_by_the_data(questionnaire: Questionnaire) -> None:
    values = derived(
        questionnaire,
        {
            "partnerschappen": [{"partner": "Nador", "advies": "beeindigen", "afbouw_reden": "klaar"}],
            "ramp_keuze": "kader",
            "ramp_plafond": 5000,
        },
    )
    assert values["partnerschappen"][0]["ontbrekende_afbouw"] == [
        "het jaar waarin de band eindigt",
        "hoe de partner en de betrokkenen het horen",
        "wat doorgaat zonder de gemeente",
    ]
    assert values["ramp_ontbreekt"] == ["een bedrag per inwoner", "een plafond per jaar"]


def test_a_name_that_slips_past_the_load_shows_the_field(questionnaire: Questionnaire) -> None:
    """Should a questionnaire be built without the load's check, the field name shows: visible,
    never an item silently left out of the list."""
    assert facts.name_when_missing(questionnaire, "partnerschappen.werkplan") == "een werkplan"
    assert facts.name_when_missing(questionnaire, "partnerschappen.partner") == "partnerschappen.partner"


def test_cost_lines_follow_the_data_and_the_questions_conditions(questionnaire: Questionnaire) -> None:
    values = derived(
        questionnaire,
        {
            "partnerschappen": [
                {**TIE, "budgetplafond": 15000},
                {"partner": "Nador", "advies": "beeindigen", "budgetplafond": 9000},  # ends: not counted
                {"land": "Suriname", "advies": "aangaan"},  # no name, no ceiling yet
            ],
            "subsidies": [{"programma": "interreg", "cofinanciering": 2000}, {"naam": "Jongeren"}],
            "dienstreizen": False,
            "dienstreis_kosten": 3000,  # no trips: the question is not asked, the amount not counted
            "ramp_keuze": "kader",
            "ramp_plafond_jaar": 10000,
            "budget_jaar": 20000,
        },
    )
    assert facts.cost_lines(values, questionnaire) == [
        ("Band met Tata (plafond per jaar)", 15000.0),
        ("Eigen bijdrage aan EU: Interreg", 2000.0),  # a programme by its label, not its stable value
        ("Hulp na rampen (plafond per jaar)", 10000.0),
    ]
    assert values["kosten_totaal"] == 27000
    assert values["kosten_boven_budget"] == 7000
    assert values["kosten_ontbreekt"] == [
        "een plafond voor de band met een partner",
        "de eigen bijdrage aan Jongeren",
    ]
    assert values["kosten_volledig"] is False


def test_an_advisor_can_rename_and_add_cost_lines(tmp_path: Path) -> None:
    changed = edited(
        tmp_path,
        "geld.yaml",
        "    post: Dienstreizen\n",
        "    post: Reizen van bestuurders en ambtenaren\n",
    )
    values = derived(changed, {"dienstreizen": True, "dienstreis_kosten": 4000, "budget_jaar": 1000})
    assert facts.cost_lines(values, changed) == [("Reizen van bestuurders en ambtenaren", 4000.0)]
    assert values["kosten_boven_budget"] == 3000


def test_budget_moment_deadlines_are_data(questionnaire: Questionnaire, tmp_path: Path) -> None:
    def passed(q: Questionnaire, moment: str, date: str) -> Any:
        data = {"pc_moment": moment, "begrotingsjaar": 2027, "datum": date}
        return derived(q, data)["begroting_voorbij"]

    # the law: the begroting goes to the province before 15 November of the year before
    assert passed(questionnaire, "begroting", "2026-11-15") is False
    assert passed(questionnaire, "begroting", "2026-11-16") is True
    # the tool's own assumption for the kadernota: 1 July
    assert passed(questionnaire, "kadernota", "2026-07-01") is False
    assert passed(questionnaire, "kadernota", "2026-07-02") is True
    assert passed(questionnaire, "los_besluit", "2026-12-31") is None  # no fixed date
    later = edited(
        tmp_path,
        "geld.yaml",
        "  kadernota:\n    dag: 1\n    maand: 7\n",
        "  kadernota:\n    dag: 15\n    maand: 7\n",
    )
    assert passed(later, "kadernota", "2026-07-02") is False
