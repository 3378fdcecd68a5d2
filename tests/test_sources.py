"""What each derived fact reads (facts.SOURCES), per question and field, and what follows on the
short route (issue 23, R2).

SOURCES used to name whole groups ('partnerschappen'), so a rule that reads only the proposal per tie
counted as reading every field of a tie, and landed under "Wat de volledige route toevoegt" although
the short route asks all it reads. Now SOURCES names fields; these tests check both sides:

- no fact changes when an answer outside its sources is removed (so SOURCES never claims too little,
  which would show a finding the short route cannot settle);
- a rule whose own examples use only short-route questions is never deferred on the short route.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from wizard import answers, conditions, facts
from wizard.draft import Drafter
from wizard.errors import DataError
from wizard.questionnaire import Question, Questionnaire
from wizard.rules import Rule
from wizard.walk import Walk

from .conftest import EXAMPLES, example

ANSWER_FILES = sorted((Path(__file__).parent / "antwoorden").glob("*.yaml"))


def _answer_sets(drafter: Drafter) -> Iterator[tuple[str, dict[str, Any]]]:
    for name in EXAMPLES:
        yield name, dict(drafter.load(example(name)).values)
    for path in ANSWER_FILES:
        try:
            yield path.stem, dict(answers.load(path, drafter.questionnaire).values)
        except DataError:
            continue  # a file that shows an error message


def _fact_values(values: Mapping[str, Any], questionnaire: Questionnaire) -> dict[str, Any]:
    """Every derived fact of one answers set, an item fact once per item ('partnerschappen.0.gaat_door')."""
    derived = facts.derive(answers.Answers(values=dict(values)), questionnaire)
    out = {name: derived[name] for name in (*facts.FACTS, *facts.LIST_FACTS)}
    for group, item_facts in facts.ITEM_FACTS.items():
        for index, item in enumerate(derived.get(group) or []):
            for name in item_facts:
                out[f"{group}.{index}.{name}"] = item[name]
    return out


def _sources_of(key: str) -> tuple[str, ...]:
    """The sources of a fact as `_fact_values` names it ('partnerschappen.0.gaat_door')."""
    parts = key.split(".")
    return facts.SOURCES[f"{parts[0]}.{parts[2]}" if len(parts) == 3 else key]


def _removals(values: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each answer taken away in turn: a top-level answer, or one field from every item of a group."""
    for key, value in values.items():
        yield key, {k: v for k, v in values.items() if k != key}
        if isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
            fields = sorted({name for item in value for name in item})
            for name in fields:
                items = [{k: v for k, v in item.items() if k != name} for item in value]
                yield f"{key}.{name}", {**values, key: items}


def _covers(sources: tuple[str, ...], removed: str) -> bool:
    group = removed.split(".", 1)[0]
    if "." in removed:
        return removed in sources
    return removed in sources or any(source.startswith(group + ".") for source in sources)


def test_no_fact_changes_when_an_answer_outside_its_sources_is_removed(drafter: Drafter) -> None:
    questionnaire = drafter.questionnaire
    checked = 0
    for name, values in _answer_sets(drafter):
        before = _fact_values(values, questionnaire)
        for removed, fewer in _removals(values):
            after = _fact_values(fewer, questionnaire)
            for key, value in before.items():
                if key not in after or _covers(_sources_of(key), removed):
                    continue
                checked += 1
                assert after[key] == value, (
                    f"{name}: the fact {key} changes when '{removed}' is removed, but its sources "
                    f"{_sources_of(key)} do not name it"
                )
    assert checked > 10_000


def test_sources_name_fields_not_whole_groups_where_a_field_is_read() -> None:
    # A group's name alone means its items; these facts read fields, and say which.
    assert facts.SOURCES["budget_per_band"] == ("budget_jaar", "partnerschappen.advies")
    assert facts.SOURCES["doelen.termijn_verstreken"] == ("doelen.termijn", "datum")
    assert facts.SOURCES["aantal_doelen"] == ("doelen",)
    assert "partnerschappen" not in facts.SOURCES["kosten_totaal"]


def _questions_read(rule: Rule, questionnaire: Questionnaire) -> list[Question]:
    """The questions a rule reads, said independently of the walk: each field of its condition, a
    derived fact through its SOURCES; 'groep.veld' is that field, a group's name alone its items."""
    read: list[Question] = []
    for field in conditions.fields_used(rule.condition):
        for name in facts.SOURCES.get(field, (field,)):
            if name == "datum":  # the note's date: without it, today on every route
                continue
            question = questionnaire.question(name)
            assert question is not None, (rule.id, name)
            read.append(question)
    return read


def _asked_on_short_route(question: Question, questionnaire: Questionnaire) -> bool:
    group = questionnaire.by_id[question.group] if question.group else None
    return question.kort and (group is None or group.kort)


@pytest.fixture(scope="module")
def short_rules(drafter: Drafter) -> dict[str, Rule]:
    """The rules whose every question is on the short route."""
    questionnaire = drafter.questionnaire
    return {
        rule.id: rule
        for rule in drafter.rules.rules
        if all(_asked_on_short_route(q, questionnaire) for q in _questions_read(rule, questionnaire))
    }


def test_a_rule_whose_questions_are_all_on_the_short_route_is_never_deferred(
    drafter: Drafter, short_rules: dict[str, Rule]
) -> None:
    questionnaire = drafter.questionnaire
    walk = Walk(questionnaire, "kort")
    for rule in short_rules.values():
        assert walk.off_route(rule) == [], rule.id
        # Its own examples, answered on the short route: each finding stays in the short draft.
        for hit in rule.examples_hit:
            loaded = answers.from_mapping({"route": "kort", **hit}, questionnaire)
            found = [f for f in drafter.findings(loaded) if f.rule == rule.id]
            assert found, f"{rule.id}: its own example {hit} should make it fire"
            kept, later = walk.split(found, drafter.rules.rules)
            assert kept == found and not later, (rule.id, hit)


def test_the_rules_that_were_left_for_later_are_kept_on_the_short_route(
    drafter: Drafter, short_rules: dict[str, Rule]
) -> None:
    # Before R2 these landed under "later" on the short route, or needed `korte_route: true`.
    assert {"budget-past-niet", "doel-termijn-verstreken", "geen-doelen", "ramp-reserve-zonder-naam"} <= set(
        short_rules
    )
    assert not short_rules["geen-doelen"].short_route  # no longer needs the flag
    # A rule that reads one field off the route is still left for the full route, under that field only.
    walk = Walk(drafter.questionnaire, "kort")
    by_id = {rule.id: rule for rule in drafter.rules.rules}
    assert [q.key for q in walk.off_route(by_id["geen-budget"])] == ["huidige_activiteit"]
    assert [q.key for q in walk.off_route(by_id["doelen-boven-budget"])] == ["doelen.budget"]
    # 'tegenstrijdig' reads only short-route answers (budget, coverage, new part): marked as such.
    assert (
        by_id["nieuw-geld-meer-dan-budget"].short_route
        and walk.off_route(by_id["nieuw-geld-meer-dan-budget"]) == []
    )


def test_the_short_draft_shows_a_finding_its_own_answers_settle_and_names_only_fields_read(
    drafter: Drafter,
) -> None:
    """Rendered: too little money per tie is a finding of the short draft itself (before R2 it was
    summed up under the ties' part of "Wat de volledige route toevoegt"), and that summary names the
    fields the deferred findings read, not every field of a tie ('sinds welk jaar …')."""
    from wizard import blocks

    data = {
        "route": "kort",
        "datum": "2026-11-23",
        "gemeente_naam": "Kortdorp",
        "inwoners": 20000,
        "budget_jaar": 6000,
        "partnerschappen": [
            {"partner": "Tata", "land": "Hongarije", "advies": "voortzetten"},
            {"partner": "Nador", "land": "Marokko", "advies": "voortzetten"},
        ],
    }
    note = blocks.outline(drafter.draft(answers.from_mapping(data, drafter.questionnaire)).blocks)
    annex = note[note.index("Aandachtspunten bij dit concept") :]
    own, _, later = annex.partition("## Wat de volledige route toevoegt")
    assert "### Tip: Weinig geld per band" in own
    assert "Weinig geld per band" not in later
    ties = next(line for line in later.splitlines() if line.startswith("- Partnerschappen:"))
    assert "welke doelen heeft deze band" in ties
    assert "sinds" not in ties  # a field no deferred finding reads
