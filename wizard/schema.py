"""JSON Schema of the answers file, generated from the questionnaire.

Editors with a YAML language server (VS Code with the YAML extension, for
example) use it to check and complete answers files while people type.
"""

from __future__ import annotations

from typing import Any

from wizard.answers import FORMAT_KEY, FORMAT_VERSION, NOTES_KEY
from wizard.questionnaire import Question, Questionnaire

SCHEMA_ID = "https://beleidsnotitie.example/schema/antwoorden-1.json"


def build(questionnaire: Questionnaire) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of an answers file."""
    properties: dict[str, Any] = {
        FORMAT_KEY: {"const": FORMAT_VERSION, "description": "Versie van het bestandsformaat."},
        NOTES_KEY: {
            "type": "object",
            "description": "Toelichting uit de werksessie, per deel van de vragenlijst.",
            "properties": {
                s.id: {"type": ["string", "null"], "title": s.title} for s in questionnaire.sections
            },
            "additionalProperties": False,
        },
    }
    for question in questionnaire.questions():
        properties[question.id] = _question(question)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Antwoorden voor de beleidsnotitie internationale samenwerking",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }


def _question(question: Question) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": question.label, "description": _describe(question)}
    kind = question.type
    if kind in ("tekst", "lange_tekst"):
        schema["type"] = ["string", "null"]
    elif kind == "datum":
        schema.update(type=["string", "null"], format="date")
    elif kind in ("getal", "jaar"):
        schema["type"] = ["integer", "null"]
    elif kind == "bedrag":
        schema["type"] = ["number", "null"]
    elif kind == "ja_nee":
        schema["type"] = ["boolean", "null"]
    elif kind == "keuze":
        schema["enum"] = [*question.choice_values, None]
    elif kind == "meerkeuze":
        schema.update(type=["array", "null"], items={"enum": list(question.choice_values)}, uniqueItems=True)
    elif kind == "per_keuze":
        schema.update(
            type=["object", "null"],
            properties={c.value: {"type": ["string", "null"], "title": c.label} for c in question.choices},
            additionalProperties=False,
        )
    elif kind == "groep":
        schema.update(
            type=["array", "null"],
            items={
                "type": "object",
                "properties": {f.id: _question(f) for f in question.fields},
                "additionalProperties": False,
            },
        )
    if question.minimum is not None:
        schema["minimum"] = question.minimum
    if question.maximum is not None:
        schema["maximum"] = question.maximum
    return schema


def _describe(question: Question) -> str:
    text = question.explanation
    if question.choices:
        options = "; ".join(f"{c.value} = {c.label}" for c in question.choices)
        text += f"\n\nKeuzes: {options}"
    if question.source:
        text += f"\n\nBron: {question.source}"
    return text
