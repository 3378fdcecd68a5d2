from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from wizard import answers, facts, rules
from wizard.errors import DataError
from wizard.questionnaire import Questionnaire
from wizard.resources import rules_dir

from .conftest import example

FIXED_IDS = {
    "ramp-ad-hoc",
    "herkomstland-rol-migranten",
    "eu-subsidie-zonder-doel",
    "stedenband-zonder-sturing",
}


def test_the_rule_set_is_complete(rule_set: rules.RuleSet) -> None:
    ids = set(rule_set.by_id())
    assert len(ids) >= 20
    assert ids >= FIXED_IDS
    assert {r.role for r in rule_set.rules} == {"initiëren", "kaderstellen", "controleren"}
    assert {r.severity for r in rule_set.rules} == set(rules.SEVERITIES)


def test_every_rule_has_examples_both_ways_and_a_source(rule_set: rules.RuleSet) -> None:
    for rule in rule_set.rules:
        assert rule.examples_hit and rule.examples_miss, rule.id
        assert rule.source.document and rule.advice and rule.explanation, rule.id


def rule_ids(rule_set: rules.RuleSet) -> list[str]:
    return [r.id for r in rule_set.rules]


def test_every_rule_example_holds(rule_set: rules.RuleSet, questionnaire: Questionnaire) -> None:
    results = rules.run_examples(rule_set, questionnaire)
    failures = [f"{r.rule} {r.kind}[{r.index}]: {r.detail}" for r in results if not r.ok]
    assert not failures
    assert len(results) >= 2 * len(rule_set.rules)


def findings_for(name: str, rule_set: rules.RuleSet, questionnaire: Questionnaire) -> list[rules.Finding]:
    loaded = answers.load(example(name), questionnaire)
    return rules.evaluate(rule_set, facts.derive(loaded, questionnaire), questionnaire)


def test_examples_get_what_a_careful_reader_expects(
    rule_set: rules.RuleSet, questionnaire: Questionnaire
) -> None:
    small = {f.rule for f in findings_for("lindewijk", rule_set, questionnaire)}
    assert {"ramp-ad-hoc", "geisoleerd-werken", "geen-doelen", "activiteit-zonder-beleid"} <= small
    middle = findings_for("veendrecht", rule_set, questionnaire)
    assert {"herkomstland-rol-migranten", "kader-niet-bij-kadernota"} <= {f.rule for f in middle}
    # Veendrecht chose one organisation and wrote down why (organisaties_reden): no advice to explain it.
    assert "een-migrantenorganisatie" not in {f.rule for f in middle}
    assert "ramp-ad-hoc" not in {f.rule for f in middle}  # Veendrecht has a framework
    large = findings_for("oosterhaven", rule_set, questionnaire)
    large_ids = {f.rule for f in large}
    assert {"eu-subsidie-zonder-doel", "herkomstland-rol-migranten", "band-zonder-exitcriteria"} <= large_ids
    # Oosterhaven adopts a disaster framework, ends Matagalpa orderly, and its money adds up.
    assert not {"ramp-ad-hoc", "stedenband-zonder-sturing", "kosten-boven-budget"} & large_ids
    # The Interreg co-financing is budgeted; the planned CERV project has no budgeted own money yet
    # (the co-financing rule covers every EU programme, not only Interreg).
    cofinancing = [f.item for f in large if f.rule == "eu-zonder-cofinanciering"]
    assert cofinancing == ["Jongerenontmoeting Tata–Oosterhaven"]


def test_partnership_rules_name_the_partnership(
    rule_set: rules.RuleSet, questionnaire: Questionnaire
) -> None:
    large = findings_for("oosterhaven", rule_set, questionnaire)
    exit_criteria = [f for f in large if f.rule == "band-zonder-exitcriteria"]
    assert [f.item for f in exit_criteria] == ["Wanica (Suriname)", "Tata (Hongarije)"]
    assert exit_criteria[0].message.startswith("Voor de band met Wanica (Suriname) is")
    origin = [f for f in large if f.rule == "herkomstland-rol-migranten"]
    assert [f.item for f in origin] == ["Wanica (Suriname)"]  # Kırşehir has a defined role


def test_findings_are_sorted_by_role_then_severity(
    rule_set: rules.RuleSet, questionnaire: Questionnaire
) -> None:
    found = findings_for("oosterhaven", rule_set, questionnaire)
    keys = [(rules.RULE_ROLES.index(f.role), rules.SEVERITIES.index(f.severity)) for f in found]
    assert keys == sorted(keys)


def test_derived_facts(questionnaire: Questionnaire) -> None:
    loaded = answers.from_mapping(
        {
            "inwoners": 20000,
            "budget_jaar": 10000,
            "uren_per_week": 6,
            "motieven": ["ideeel", "economisch"],
            "doelen": [{"omschrijving": "x", "motief": "economisch"}],
            "partnerschappen": [
                {"partner": "A", "herkomstland": True, "werkplan": True, "doelen": "d"},
                {"partner": "B"},
            ],
        },
        questionnaire,
    )
    values = facts.derive(loaded, questionnaire)
    assert values["budget_per_inwoner"] == 0.5
    assert values["budget_per_band"] == 5000
    assert values["uren_per_band"] == 3
    assert values["aantal_banden"] == 2
    assert values["heeft_herkomstland_band"] is True
    assert values["motieven_zonder_doel"] == ["ideeel"]
    assert [p["sturingsmiddelen"] for p in values["partnerschappen"]] == [2, 0]


def own_rules(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "eigen"
    folder.mkdir()
    (folder / "regels.yaml").write_text(text, encoding="utf-8")
    return folder


RULE = """\
regels:
  - id: {id}
    titel: Test
    ernst: waarschuwing
    rol: kaderstellen
    als:
      veld: {field}
      ingevuld: false
    melding: {message}
    uitleg: Waarom.
    advies: Wat te doen.
    bron:
      document: Eigen bron
    voorbeelden:
      wel:
        - {{gemeente_naam: X}}
      niet:
        - {{visie: Y}}
"""


def test_typo_in_a_field_is_an_error_with_file_line_and_suggestion(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    folder = own_rules(tmp_path, RULE.format(id="eigen-regel", field="vsie", message="Geen visie."))
    with pytest.raises(DataError) as exc:
        rules.load(questionnaire, [folder])
    [problem] = exc.value.problems
    assert str(problem.file).endswith("regels.yaml") and problem.line == 7
    assert "onbekend veld 'vsie'" in problem.message and problem.hint == "Bedoelt u 'visie'?"


def test_bad_placeholder_unknown_key_and_severity_are_all_reported(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    text = RULE.format(id="eigen-regel", field="visie", message="Geen {visei}.").replace(
        "ernst: waarschuwing", "ernst: ernstig\n    prioriteit: 1"
    )
    with pytest.raises(DataError) as exc:
        rules.load(questionnaire, [own_rules(tmp_path, text)])
    messages = " | ".join(p.format() for p in exc.value.problems)
    assert "onbekende plaatshouder '{visei}'" in messages
    assert "onbekende sleutel 'prioriteit'" in messages
    assert "onbekende ernst 'ernstig'" in messages


def test_korte_route_must_be_yes_or_no(questionnaire: Questionnaire, tmp_path: Path) -> None:
    text = RULE.format(id="eigen-regel", field="visie", message="Geen visie.").replace(
        "ernst: waarschuwing", "ernst: waarschuwing\n    korte_route: misschien"
    )
    with pytest.raises(DataError) as exc:
        rules.load(questionnaire, [own_rules(tmp_path, text)])
    [problem] = exc.value.problems
    assert problem.message == "'misschien' is geen ja of nee." and problem.line == 5
    ok = RULE.format(id="eigen-regel", field="visie", message="Geen visie.").replace(
        "ernst: waarschuwing", "ernst: waarschuwing\n    korte_route: true"
    )
    second = tmp_path / "ok"
    second.mkdir()
    loaded = rules.load(questionnaire, [own_rules(second, ok)])
    [rule] = [r for r in loaded.rules if r.id == "eigen-regel"]
    assert rule.short_route is True


def test_duplicate_ids_in_one_file_are_refused(questionnaire: Questionnaire, tmp_path: Path) -> None:
    one = RULE.format(id="dubbel", field="visie", message="x")
    text = one + one[len("regels:\n") :]
    with pytest.raises(DataError, match="twee keer"):
        rules.load(questionnaire, [own_rules(tmp_path, text)])


def test_rule_without_examples_fails(questionnaire: Questionnaire, tmp_path: Path) -> None:
    text = (
        RULE.format(id="eigen-regel", field="visie", message="x").split("    voorbeelden:")[0]
        + "    voorbeelden:\n      wel:\n        - {gemeente_naam: X}\n"
    )
    with pytest.raises(DataError, match=r"voorbeelden\.niet"):
        rules.load(questionnaire, [own_rules(tmp_path, text)])


def test_own_rule_replaces_bundled_rule_by_id(questionnaire: Questionnaire, tmp_path: Path) -> None:
    folder = own_rules(tmp_path, RULE.format(id="geen-visie", field="visie", message="Eigen tekst."))
    rule_set = rules.load(questionnaire, [folder])
    replaced = rule_set.by_id()["geen-visie"]
    assert replaced.message == "Eigen tekst." and replaced.title == "Test"
    assert len(rule_set.rules) == len(rules.load(questionnaire).rules)


def test_switching_rules_off(rule_set: rules.RuleSet) -> None:
    smaller = rule_set.without(["geen-visie"])
    assert "geen-visie" not in smaller.by_id()
    with pytest.raises(DataError, match="Bedoelt u 'geen-visie'"):
        rule_set.without(["geen-vsie"])


def test_bundled_rule_files_are_all_loaded(rule_set: rules.RuleSet) -> None:
    files = {Path(r.file).name for r in rule_set.rules}
    assert files == {p.name for p in rules_dir().glob("*.yaml")}


def test_broken_bundled_copy_reports_the_file(
    questionnaire: Questionnaire, tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    folder = tmp_path / "kopie"
    shutil.copytree(rules_dir(), folder)
    path = folder / "noodhulp.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("is: per_ramp", "is: per_rampp", 1), encoding="utf-8"
    )
    with pytest.raises(DataError) as exc:
        rules.load(questionnaire, [folder], bundled=False)
    assert "'per_rampp' is geen keuze" in exc.value.problems[0].message
    assert "Bedoelt u 'per_ramp'?" in (exc.value.problems[0].hint or "")


def test_every_fact_says_which_answers_it_comes_from(questionnaire: Questionnaire) -> None:
    assert set(facts.specs(questionnaire)) == set(facts.SOURCES)
    for sources in facts.SOURCES.values():
        assert all(questionnaire.question(name) is not None for name in sources)
