from __future__ import annotations

import jsonschema
import pytest

from wizard import answers, schema
from wizard.questionnaire import Questionnaire

from .conftest import EXAMPLES, example


@pytest.fixture(scope="module")
def validator(questionnaire: Questionnaire) -> jsonschema.Draft202012Validator:
    built = schema.build(questionnaire)
    jsonschema.Draft202012Validator.check_schema(built)
    return jsonschema.Draft202012Validator(built)


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_match_the_schema(
    validator: jsonschema.Draft202012Validator, questionnaire: Questionnaire, name: str
) -> None:
    import yaml

    data = yaml.safe_load(example(name).read_text(encoding="utf-8"))
    # PyYAML reads an unquoted 2026-11-23 as a date; the schema (like YAML 1.2 editors) sees text.
    data = {k: str(v) if k in ("datum", "ingangsdatum") else v for k, v in data.items()}
    assert not list(validator.iter_errors(data))


def test_schema_rejects_what_the_loader_rejects(validator: jsonschema.Draft202012Validator) -> None:
    bad = {
        "gemeente_nam": "x",
        "ramp_beleid": "soms",
        "inwoners": 10,
        "motieven": ["x"],
        "partnerschappen": [{"lnd": "x"}],
    }
    messages = " ".join(e.message for e in validator.iter_errors(bad))
    assert "gemeente_nam" in messages and "'soms'" in messages and "lnd" in messages
    assert "10 is less than the minimum of 500" in messages


def test_schema_carries_labels_and_help(questionnaire: Questionnaire) -> None:
    built = schema.build(questionnaire)
    motives = built["properties"]["motieven"]
    assert motives["title"] == questionnaire.by_id["motieven"].label
    assert "ideeel = Ideëel motief" in motives["description"]
    assert set(built["properties"]) == {q.id for q in questionnaire.questions()} | {
        answers.FORMAT_KEY,
        answers.NOTES_KEY,
        answers.ROUTE_KEY,
    }
