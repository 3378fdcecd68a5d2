from __future__ import annotations

from typing import Any

import pytest

from wizard import conditions
from wizard.conditions import Env, FieldSpec
from wizard.errors import DataError
from wizard.yamlsource import load_text

SPECS = {
    "naam": FieldSpec("text"),
    "inwoners": FieldSpec("number"),
    "actief": FieldSpec("bool"),
    "beleid": FieldSpec("choice", ("geen", "kader")),
    "motieven": FieldSpec("choices", ("ideeel", "economisch")),
    "banden": FieldSpec("group"),
    "banden.land": FieldSpec("text", group="banden"),
    "banden.herkomst": FieldSpec("bool", group="banden"),
}


def parse(text: str, scope: str | None = None) -> conditions.Condition:
    doc = load_text(text, "regels.yaml")
    return conditions.parse(doc.data, SPECS, doc, (), scope)


def holds(text: str, values: dict[str, Any]) -> bool:
    return conditions.evaluate(parse(text), Env(values))


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ("{veld: beleid, is: kader}", {"beleid": "kader"}, True),
        ("{veld: beleid, is: kader}", {}, False),
        ("{veld: beleid, is_een_van: [geen, kader]}", {"beleid": "geen"}, True),
        ("{veld: motieven, bevat: ideeel}", {"motieven": ["economisch"]}, False),
        ("{veld: motieven, bevat_een_van: [ideeel, economisch]}", {"motieven": ["economisch"]}, True),
        ("{veld: naam, bevat: HAVEN}", {"naam": "Oosterhaven"}, True),
        ("{veld: naam, ingevuld: false}", {"naam": "  "}, True),
        ("{veld: actief, ingevuld: true}", {"actief": False}, True),
        ("{veld: actief, is: false}", {"actief": False}, True),
        ("{veld: inwoners, meer_dan: 50000}", {"inwoners": 50000}, False),
        ("{veld: inwoners, minstens: 50000}", {"inwoners": 50000}, True),
        ("{veld: inwoners, minder_dan: 10}", {}, False),
        ("{veld: motieven, meer_dan: 1}", {"motieven": ["ideeel", "economisch"]}, True),
        ("{niet: {veld: beleid, is: kader}}", {}, True),
        (
            "{alle: [{veld: actief, is: true}, {veld: beleid, is: geen}]}",
            {"actief": True, "beleid": "geen"},
            True,
        ),
        ("{minstens_een: [{veld: actief, is: true}, {veld: beleid, is: geen}]}", {"beleid": "kader"}, False),
        (
            "{groep: banden, bij_een: {veld: banden.herkomst, is: true}}",
            {"banden": [{"herkomst": False}, {"herkomst": True}]},
            True,
        ),
        (
            "{groep: banden, bij_alle: {veld: banden.herkomst, is: true}}",
            {"banden": [{"herkomst": False}, {"herkomst": True}]},
            False,
        ),
        ("{groep: banden, bij_alle: {veld: banden.herkomst, is: true}}", {"banden": []}, True),
    ],
)
def test_evaluation(condition: str, values: dict[str, Any], expected: bool) -> None:
    assert holds(condition, values) is expected


def problems(text: str, scope: str | None = None) -> list[str]:
    with pytest.raises(DataError) as exc:
        parse(text, scope)
    return [p.format() for p in exc.value.problems]


def test_unknown_field_names_file_line_and_suggestion() -> None:
    [message] = problems("alle:\n  - veld: inwonrs\n    meer_dan: 5\n")
    assert "regels.yaml, regel 2" in message
    assert "onbekend veld 'inwonrs'" in message
    assert "Bedoelt u 'inwoners'?" in message


def test_operator_must_fit_the_field() -> None:
    [message] = problems("{veld: beleid, meer_dan: 3}")
    assert "past niet bij veld 'beleid'" in message


def test_choice_value_must_exist() -> None:
    [message] = problems("{veld: beleid, is: kaders}")
    assert "'kaders' is geen keuze" in message and "Bedoelt u 'kader'?" in message


def test_bool_and_number_values_are_checked() -> None:
    assert problems("{veld: actief, is: ja}")
    assert problems("{veld: inwoners, meer_dan: veel}")
    assert problems("{veld: naam, ingevuld: misschien}")


def test_group_field_needs_its_group_in_view() -> None:
    [message] = problems("{veld: banden.land, is: Marokko}")
    assert "herhaalde groep 'banden'" in message
    assert parse("{veld: banden.land, is: Marokko}", scope="banden")


def test_unknown_operator_and_keyword() -> None:
    [message] = problems("{veld: naam, bevaat: x}")
    assert "Bedoelt u 'bevat'?" in message
    [message] = problems("{allle: []}")
    assert "Bedoelt u 'alle'?" in message


def test_all_problems_are_reported_at_once() -> None:
    found = problems("alle:\n  - {veld: inwonrs, is: 3}\n  - {veld: beleid, is: kaders}\n")
    assert len(found) == 2


def test_fields_used() -> None:
    used = conditions.fields_used(
        parse(
            "{alle: [{veld: actief, is: true}, {groep: banden, bij_een: {veld: banden.land, ingevuld: true}}]}"
        )
    )
    assert used == {"actief", "banden", "banden.land"}
