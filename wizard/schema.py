"""JSON Schema of the answers file, generated from the questionnaire.

Editors with a YAML language server (VS Code with the YAML extension, for
example) use it to check and complete answers files while people type.
"""

from __future__ import annotations

from typing import Any

from wizard.answers import FORMAT_KEY, FORMAT_VERSION, NOTES_KEY, ROUTE_KEY
from wizard.kinds import question_schema
from wizard.questionnaire import ROUTES, Questionnaire

SCHEMA_ID = "https://beleidsnotitie.example/schema/antwoorden-1.json"


def build(questionnaire: Questionnaire) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of an answers file."""
    properties: dict[str, Any] = {
        FORMAT_KEY: {"const": FORMAT_VERSION, "description": "Versie van het bestandsformaat."},
        ROUTE_KEY: {
            "enum": [*ROUTES, None],
            "description": "De gekozen route: kort (de besluiten van de raad, een eerste concept) of volledig.",
        },
        NOTES_KEY: {
            "type": "object",
            "description": "Toelichting uit de werksessie, per deel van de vragenlijst.",
            "properties": {
                s.id: {"type": ["string", "null"], "title": s.titel} for s in questionnaire.sections
            },
            "additionalProperties": False,
        },
    }
    for question in questionnaire.questions():
        properties[question.id] = question_schema(question)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Antwoorden voor de beleidsnotitie internationale samenwerking",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
