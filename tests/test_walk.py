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
    # Oosterhaven gives what a motive yields for three of its four motives: still open.
    benefit = walk.first_open(loaded)
    assert benefit == Place("motief_opbrengst")
    walk.store(loaded, benefit, {**loaded.values["motief_opbrengst"], "ideeel": "Inwoners leren."})
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


def two_ties_three_goals(questionnaire: Questionnaire) -> answers.Answers:
    """A municipality with two ties and three goals, answered on the short route."""
    goals = [{"omschrijving": f"Doel {n}", "indicator": "drie bezoeken", "termijn": 2030} for n in (1, 2, 3)]
    ties = [
        {
            "partner": "Berkane",
            "land": "Marokko",
            "advies": "voortzetten",
            "herkomstland": True,
            "rol_migranten": "adviseren",
        },
        {"partner": "Chrudim", "land": "Tsjechië", "advies": "beeindigen", "herkomstland": False},
    ]
    return answers.from_mapping(
        {
            "gemeente_naam": "Dorp",
            "inwoners": 12000,
            "aanleiding": ["geen_goede_notitie"],
            "motieven": ["ideeel", "bestuurlijk"],
            "hoofdmotief": "ideeel",
            "doelen": goals,
            "partnerschappen": ties,
            "ramp_keuze": "kader",
            "ramp_criteria": ["sho_actie"],
            "ramp_bedrag_per_inwoner": 1,
            "ramp_plafond": 12000,
            "ramp_plafond_jaar": 24000,
            "ramp_budgetbron": "kadernota",
            "budget_jaar": 10000,
            "dekking": "bestaande_post",
            "begrotingspost": "Programma Bestuur",
            "pc_moment": "kadernota",
            "begrotingsjaar": 2027,
            "evaluatie_beleid_jaar": 2030,
            "subsidies_gebruik": False,
        },
        questionnaire,
    )


def test_the_short_route_asks_at_most_36_questions_for_two_ties_and_three_goals(
    questionnaire: Questionnaire,
) -> None:
    filled = two_ties_three_goals(questionnaire)
    short = Walk(questionnaire, "kort").estimate(filled)
    # 25 before the short route saw every anti-pattern: a tie's country of origin and the role of its
    # migrants, the disaster framework's criteria and ceilings, the coverage of the budget, and whether
    # the municipality uses or wants subsidies (one question when it does not)
    assert short.questions <= 36 and short.open == 0 and short.assumed == ()
    # the same count with nothing answered yet: every condition that opens a question holds here
    assert Walk(questionnaire, "kort").first_open(filled) is None
    full = Walk(questionnaire, "volledig").estimate(filled)
    assert full.questions > 3 * short.questions and full.open == full.questions - short.questions


def test_on_the_short_route_only_short_questions_apply_and_conditions_still_work(
    questionnaire: Questionnaire,
) -> None:
    walk = Walk(questionnaire, "kort")
    empty = answers.Answers()
    assert walk.first_open(empty) == Place("gemeente_naam")
    assert walk.next_open(empty, Place("gemeente_naam")) == Place("inwoners")
    assert walk.next_open(empty, Place("inwoners")) == Place("aanleiding")  # provincie is not short
    one_motive = answers.Answers(values={"motieven": ["ideeel"]})
    assert not walk.applies(one_motive, questionnaire.by_id["hoofdmotief"])
    one_motive.values["motieven"].append("bestuurlijk")
    assert walk.applies(one_motive, questionnaire.by_id["hoofdmotief"])
    tie = answers.Answers(values={"partnerschappen": [{"partner": "Berkane"}]})
    assert [p.field for p in walk.item_places(tie, questionnaire.by_id["partnerschappen"], 0)] == [
        "partner",
        "land",
        "advies",
        "herkomstland",
    ]
    assert not walk.applies(empty, questionnaire.by_id["visie"])


def test_a_short_file_goes_on_on_the_full_route_with_only_what_is_open(
    questionnaire: Questionnaire,
) -> None:
    filled = two_ties_three_goals(questionnaire)
    full = Walk(questionnaire)
    first = full.first_open(filled)
    assert first == Place("provincie")  # the first question off the short route, in order
    goal = full.first_open(filled, after=Place("criteria_nieuwe_banden", None))
    assert goal is not None and goal.question == "partnerschappen" and goal.item == 0
    short_done, short_all = Walk(questionnaire, "kort").totals(filled)
    full_done, full_all = full.totals(filled)
    assert short_done == short_all and full_done < full_all


def test_the_estimate_counts_open_answers_by_kind_and_says_what_it_assumed(
    questionnaire: Questionnaire,
) -> None:
    from wizard.walk import ASSUMED_ITEMS

    empty = answers.Answers()
    short = Walk(questionnaire, "kort").estimate(empty)
    assert short.assumed == ("doelen", "partnerschappen")
    # ten single questions (hoofdmotief, begrotingsjaar, the post, the disaster framework and the
    # subsidies wait for their answers), three fields per assumed goal and four per assumed tie
    # (rol_migranten waits)
    assert short.questions == short.open == 10 + (3 + 4) * ASSUMED_ITEMS
    kinds = questionnaire.by_id
    assert short.seconds > kinds["gemeente_naam"].kind.seconds * short.questions / 4
    low, high = short.minutes
    assert low < high <= 30
    filled = two_ties_three_goals(questionnaire)
    assert Walk(questionnaire, "kort").estimate(filled).seconds == 0
    assert Walk(questionnaire).estimate(filled).minutes[0] > 3 * low


def test_the_short_route_asks_per_subsidy_its_programme_and_goal_behind_one_gate(
    questionnaire: Questionnaire,
) -> None:
    """The fourth pitfall of the Raadgever (EU subsidy before the goal) is seen on the short route:
    one yes/no for a municipality without subsidies, the programme and the goal per subsidy."""
    walk = Walk(questionnaire, "kort")
    without = two_ties_three_goals(questionnaire)
    del without.values["subsidies_gebruik"]
    assert walk.first_open(without) == Place("subsidies_gebruik")
    before = walk.estimate(without).questions
    without.values["subsidies_gebruik"] = False
    assert walk.first_open(without) is None and walk.estimate(without).questions == before
    assert not walk.applies(without, questionnaire.by_id["subsidies"])
    with_eu = two_ties_three_goals(questionnaire)
    with_eu.values["subsidies_gebruik"] = True
    assert walk.first_open(with_eu) == Place("subsidies")
    with_eu.values["subsidies"] = [{"programma": "cerv"}]
    assert [p.field for p in walk.item_places(with_eu, questionnaire.by_id["subsidies"], 0)] == [
        "programma",
        "doel",
    ]
    assert walk.first_open(with_eu) == Place("subsidies", 0, "doel")
    assert walk.estimate(with_eu).questions == before + 2
    # a file from before the yes/no keeps its subsidies on both routes, without a new answer
    del with_eu.values["subsidies_gebruik"]
    for route in ("kort", "volledig"):
        assert Walk(questionnaire, route).applies(with_eu, questionnaire.by_id["subsidies"])
    # 'nee' wins over subsidies left in the file
    with_eu.values["subsidies_gebruik"] = False
    assert not Walk(questionnaire).applies(with_eu, questionnaire.by_id["subsidies"])
