from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from wizard import questionnaire as questionnaire_mod
from wizard.errors import DataError
from wizard.questionnaire import Questionnaire
from wizard.resources import questions_dir

from .conftest import edited_questions

SECTION_ORDER = [
    "gemeente",
    "aanleiding",
    "visie",
    "doelen",
    "partnerschappen",
    "samenleving",
    "noodhulp",
    "dienstreizen",
    "geld",
    "organisatie",
    "controle",
]


def all_questions(questionnaire: Questionnaire) -> list[questionnaire_mod.Question]:
    result = []
    for question in questionnaire.questions():
        result.append(question)
        result.extend(question.velden)
    return result


def test_sections_follow_the_councils_roles(questionnaire: Questionnaire) -> None:
    assert [s.id for s in questionnaire.sections] == SECTION_ORDER
    roles = [s.rol for s in questionnaire.sections]
    assert roles[0] == "gemeente" and roles[1] == "initiëren" and roles[-1] == "controleren"
    assert set(roles[2:-1]) == {"kaderstellen"}


def test_every_question_has_a_label_and_help_text(questionnaire: Questionnaire) -> None:
    for question in all_questions(questionnaire):
        assert question.label, question.id
        assert len(question.uitleg) > 20, question.id


def test_all_question_types_are_used(questionnaire: Questionnaire) -> None:
    used = {q.type for q in all_questions(questionnaire)}
    assert used == set(questionnaire_mod.TYPES)


def test_motives_are_data_with_the_five_named_and_another(questionnaire: Questionnaire) -> None:
    values = [c.waarde for c in questionnaire.choice_lists["motieven"]]
    assert values == [
        "ideeel",
        "economisch",
        "bestuurlijk",
        "sociale_cohesie",
        "duurzame_ontwikkeling",
        "ander_motief",
    ]
    assert "vijf" in questionnaire.by_id["motieven"].uitleg  # honest about the missing sixth


def test_partnership_group_has_the_steering_fields(questionnaire: Questionnaire) -> None:
    fields = {f.id for f in questionnaire.by_id["partnerschappen"].velden}
    assert {
        "partner",
        "land",
        "sinds",
        "soort",
        "themas",
        "initiatief",
        "herkomstland",
        "rol_migranten",
        "organisaties",
        "doelen",
        "einddatum",
        "werkplan",
        "jaarverslag_raad",
        "evaluatie_jaar",
        "exitcriteria",
        "budgetplafond",
        "verantwoordelijke",
    } <= fields


def test_disaster_framework_has_nine_parts(questionnaire: Questionnaire) -> None:
    parts = [
        q
        for q in questionnaire.sections[SECTION_ORDER.index("noodhulp")].questions
        if q.wanneer is not None
        and q.id
        not in ("ramp_toezeggingen", "ramp_reden", "ramp_later_jaar", "ramp_criteria_samen", "ramp_reserve")
    ]
    # nine parts of the framework; the amount has a sum per inhabitant and ceilings per disaster and per year
    # (the name of the reserve belongs to the budget source)
    assert len(parts) == 11


def test_a_sixth_motive_can_be_added_by_editing_data(tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    shutil.copytree(questions_dir(), folder)
    lists = folder / "keuzelijsten.yaml"
    lists.write_text(
        lists.read_text(encoding="utf-8").replace(
            "  - waarde: ander_motief",
            "  - waarde: zesde\n    label: Het zesde motief\n  - waarde: ander_motief",
        ),
        encoding="utf-8",
    )
    loaded = questionnaire_mod.load(folder)
    assert "zesde" in loaded.by_id["motieven"].choice_values
    assert "zesde" in loaded.by_id["motief_opbrengst"].choice_values


def test_the_themes_say_which_source_names_them(questionnaire: questionnaire_mod.Questionnaire) -> None:
    """Each theme of the choice list has the publication it comes from (DOMAIN.md: nine from NCDO 2008,
    five from the VNG/NCDO grouping of 2014); an own theme has none."""
    sources = {c.waarde: c.bron for c in questionnaire.choice_lists["themas"]}
    assert sum(1 for s in sources.values() if s == "ncdo_2008") == 9
    assert sum(1 for s in sources.values() if s == "vng_ncdo_2014") == 5
    assert sources["cultuur"] == "ncdo_2008" and sources["lokaal_bestuur"] == "vng_ncdo_2014"
    assert sources["ander_thema"] == ""


def test_an_unknown_source_of_a_choice_fails_with_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    shutil.copytree(questions_dir(), folder)
    lists = folder / "keuzelijsten.yaml"
    text = lists.read_text(encoding="utf-8")
    assert "    bron: ncdo_2008\n" in text
    lists.write_text(text.replace("    bron: ncdo_2008\n", "    bron: ncdo_2009\n", 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        questionnaire_mod.load(folder)
    [message] = [p.format() for p in exc.value.problems]
    line = text.splitlines().index("    bron: ncdo_2008") + 1
    assert f"keuzelijsten.yaml, regel {line}" in message
    assert "onbekende bron 'ncdo_2009'" in message and "ncdo_2008, vng_ncdo_2014" in message


def broken(tmp_path: Path, old: str, new: str) -> list[str]:
    folder = tmp_path / "questions"
    shutil.copytree(questions_dir(), folder)
    path = folder / "vragenlijst.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        questionnaire_mod.load(folder)
    return [p.format() for p in exc.value.problems]


def test_condition_with_unknown_field_fails_with_line(tmp_path: Path) -> None:
    [message] = broken(tmp_path, "veld: bestaand_beleid\n", "veld: bestaand_belied\n")
    assert "vragenlijst.yaml, regel" in message and "Bedoelt u 'bestaand_beleid'?" in message


def test_unknown_type_and_key_are_reported_together(tmp_path: Path) -> None:
    found = broken(
        tmp_path, "type: getal\n        label: Aantal inwoners", "type: getall\n        labl: Aantal inwoners"
    )
    assert any("onbekend vraagtype 'getall'" in m for m in found)
    assert any("onbekende sleutel 'labl'" in m for m in found)


def test_missing_help_text_fails(tmp_path: Path) -> None:
    found = broken(
        tmp_path, "        uitleg: De provincie helpt om samen te werken met gemeenten in de buurt.\n", ""
    )
    assert any("heeft geen 'uitleg'" in m for m in found)


def test_the_short_route_is_marked_in_the_data(questionnaire: Questionnaire) -> None:
    short = {q.key for q in all_questions(questionnaire) if q.kort}
    assert {"gemeente_naam", "motieven", "hoofdmotief", "ramp_keuze", "budget_jaar"} <= short
    assert {"doelen.omschrijving", "doelen.indicator", "doelen.termijn"} <= short
    assert {"partnerschappen.partner", "partnerschappen.land", "partnerschappen.advies"} <= short
    assert "doelen.motief" not in short and "visie" not in short


def test_a_short_field_needs_its_group_on_the_short_route(tmp_path: Path) -> None:
    messages = broken(
        tmp_path,
        "        label: Partnerschappen en stedenbanden\n        kort: true\n",
        "        label: Partnerschappen en stedenbanden\n",
    )
    # partner, land, advies, herkomstland and rol_migranten, each with its line; and rol_migranten's
    # condition reads herkomstland, which is then off the short route too
    assert len(messages) == 6
    assert sum("groep 'partnerschappen' niet" in m and "vragenlijst.yaml" in m for m in messages) == 5
    assert any("Zet ook 'kort: true' bij 'partnerschappen.herkomstland'" in m for m in messages)


def test_a_short_question_may_only_depend_on_the_short_route(tmp_path: Path) -> None:
    [message] = broken(
        tmp_path,
        "          veld: pc_moment\n          is_een_van: [kadernota, begroting, los_besluit]\n",
        "          veld: provincie\n          ingevuld: true\n",
    )
    assert "begrotingsjaar" in message and "'provincie'" in message


def broken_file(tmp_path: Path, name: str, old: str, new: str) -> list[str]:
    """Load a copy of the questionnaire with one change in `name`; return every problem."""
    folder = edited_questions(tmp_path, name, old, new)
    with pytest.raises(DataError) as exc:
        questionnaire_mod.load(folder)
    return [p.format() for p in exc.value.problems]


def test_missing_answers_are_named_by_the_data(questionnaire: Questionnaire) -> None:
    ties = {f.id: f for f in questionnaire.by_id["partnerschappen"].velden}
    assert ties["werkplan"].ontbreekt == "een werkplan"
    assert ties["afbouw_reden"].ontbreekt == "de reden"
    assert questionnaire.by_id["ramp_plafond"].ontbreekt == "een plafond per ramp"
    assert questionnaire.question("partnerschappen.werkplan") is ties["werkplan"]
    assert questionnaire.question("partnerschappen.bestaat_niet") is None


def test_a_steering_field_without_its_missing_name_does_not_load(tmp_path: Path) -> None:
    """A typo in 'ontbreekt' must not silently drop 'een werkplan' from the findings: the
    misspelt key and the missing text are both reported, with file and line."""
    found = broken(tmp_path, "ontbreekt: een werkplan\n", "ontbreek: een werkplan\n")
    assert any("onbekende sleutel 'ontbreek'" in m and "Bedoelt u 'ontbreekt'?" in m for m in found)
    [missing] = [m for m in found if "heeft geen 'ontbreekt'" in m]
    lines = (questions_dir() / "vragenlijst.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("          - id: werkplan") + 1
    assert f"vragenlijst.yaml, regel {line} – partnerschappen.werkplan" in missing
    assert "ontbreekt: een werkplan" in missing  # the hint shows what to add


def test_every_answer_a_fact_names_needs_its_text(tmp_path: Path) -> None:
    found = broken(tmp_path, "            ontbreekt: de reden\n", "")
    assert len(found) == 1 and "vraag 'partnerschappen.afbouw_reden' heeft geen 'ontbreekt'" in found[0]
    found = broken(tmp_path / "b", "        ontbreekt: een plafond per ramp\n", "")
    assert len(found) == 1 and "ramp_plafond" in found[0] and "regel " in found[0]


def test_missing_name_must_be_text(tmp_path: Path) -> None:
    found = broken(tmp_path, "ontbreekt: een werkplan\n", "ontbreekt: ['een werkplan']\n")
    assert any(
        "'ontbreekt' is een korte tekst" in m and re.search(r"velden\.\d+\.ontbreekt", m) for m in found
    )


def test_cost_overview_is_data(questionnaire: Questionnaire) -> None:
    assert [c.amount for c in questionnaire.costs] == [
        "partnerschappen.budgetplafond",
        "subsidies.cofinanciering",
        "dienstreis_kosten",
        "ramp_plafond_jaar",
    ]
    assert questionnaire.costs[0].name == "Band met {partner} (plafond per jaar)"
    assert questionnaire.costs[0].unnamed == "een partner"


def test_budget_moments_say_which_date_is_the_law(questionnaire: Questionnaire) -> None:
    deadlines = questionnaire.deadlines
    assert (deadlines["begroting"].day, deadlines["begroting"].month) == (15, 11)
    assert (deadlines["kadernota"].day, deadlines["kadernota"].month) == (1, 7)
    text = (questions_dir() / "geld.yaml").read_text(encoding="utf-8")
    assert "Gemeentewet, artikel 191" in text and "Een aanname van deze tool" in text


def test_problems_in_the_cost_overview_are_reported_together(tmp_path: Path) -> None:
    found = broken_file(
        tmp_path,
        "geld.yaml",
        """  - bedrag: partnerschappen.budgetplafond
    post: Band met {partner} (plafond per jaar)
    ontbreekt: een plafond voor de band met {partner}
    zonder_naam: een partner
  - bedrag: subsidies.cofinanciering
""",
        """  - bedrag: partnerschappen.budgetplafond
    post: Band met {partnr} (plafond per jaar)
    ontbreekt: een plafond voor de band met {partner}
  - bedrag: dienstreis_doel
    post: Doel
    ontbreekt: een doel
  - bedrag: dienstreis_kosten
    post: Reizen {naam}
    ontbreekt: reizen
    zonder_naam: niets
    toelichting: nee
  - bedrag: subsidies.cofinanciering
""",
    )
    assert len(found) == 5, found
    assert all(m.startswith(str(tmp_path / "questions" / "geld.yaml") + ", regel ") for m in found)
    assert any(
        "'{partnr}' is geen veld van de groep 'partnerschappen'" in m and "'partner'" in m for m in found
    )
    assert any("zegt niet wat er staat als dat leeg is" in m for m in found)
    assert any("'dienstreis_doel' is geen vraag naar een bedrag" in m for m in found)
    assert any("alleen een post in een groep kan een veld" in m for m in found)
    assert any("onbekende sleutel 'toelichting'" in m for m in found)


def test_problems_in_the_budget_moments_are_reported_together(tmp_path: Path) -> None:
    found = broken_file(
        tmp_path,
        "geld.yaml",
        "  begroting:\n    dag: 15\n    maand: 11\n",
        "  begroting:\n    dag: 31\n    maand: 11\n  begrotng:\n    dag: 1\n    maand: 10\n    jaar: 2027\n",
    )
    assert len(found) == 3, found
    assert any(
        "dag 31 en maand 11 vormen geen datum" in m and "begrotingsmomenten.begroting" in m for m in found
    )
    assert any("onbekende sleutel 'jaar'" in m for m in found)
    assert any(
        "'begrotng' is geen keuze van de vraag 'pc_moment'" in m and "Kies uit: kadernota" in m for m in found
    )


def test_a_missing_part_and_a_stray_fallback_are_reported(tmp_path: Path) -> None:
    found = broken_file(
        tmp_path,
        "geld.yaml",
        "    post: Dienstreizen\n",
        "    post: Dienstreizen\n    zonder_naam: geen\n",
    )
    assert len(found) == 1 and "'zonder_naam' hoort alleen bij een post met {…}" in found[0]
    text = (questions_dir() / "geld.yaml").read_text(encoding="utf-8")
    found = broken_file(tmp_path / "b", "geld.yaml", text[text.index("begrotingsmomenten:") :], "")
    assert len(found) == 1 and "'begrotingsmomenten:' ontbreekt" in found[0]


def test_the_money_file_explains_every_key_it_may_hold() -> None:
    """An advisor reads geld.yaml, not the code: its header names each key the loader accepts."""
    text = (questions_dir() / "geld.yaml").read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    keys = questionnaire_mod._MONEY_KEYS | questionnaire_mod._COST_KEYS | questionnaire_mod._DEADLINE_KEYS
    for key in keys:
        assert f"{key}:" in comments or f"'{key}'" in comments, key


def test_the_fields_of_a_question_are_its_yaml_keys() -> None:
    """One table: every key a question may have is the Question field of that name (issue 21)."""
    fields = {f.name for f in dataclasses.fields(questionnaire_mod.Question)}
    keys = {*questionnaire_mod.STRUCTURE_KEYS, *(key.name for key in questionnaire_mod.QUESTION_KEYS)}
    assert fields - keys == {"group", "section", "line"}  # where it stands, not a key
    assert keys <= fields


def test_the_fields_of_a_choice_and_a_section_are_their_yaml_keys() -> None:
    """Choice and Section speak the YAML's language too: a field is named as its key."""
    choice = {f.name for f in dataclasses.fields(questionnaire_mod.Choice)}
    assert choice == questionnaire_mod._CHOICE_KEYS
    section = {f.name for f in dataclasses.fields(questionnaire_mod.Section)}
    assert section - {"questions"} == questionnaire_mod._SECTION_KEYS - {"vragen"}  # the parsed 'vragen'
