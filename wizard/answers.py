"""Answers files: load and check against the questionnaire, save atomically.

An answers file is plain YAML keyed by question ids, with `formaat: 1`. Partial files
are valid (the wizard resumes them). Loading reports every problem at once, each
with its line and field. Group items are lists of mappings keyed by field id.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import atomic
from wizard.errors import Collector, DataError, Problem, suggest
from wizard.questionnaire import Question, Questionnaire
from wizard.yamlsource import Located, PathKey, load_file, load_text

FORMAT_VERSION = 1
FORMAT_KEY = "formaat"
NOTES_KEY = "werksessie"  # notes from a workshop, per section id
MAX_TEXT = 20_000
_YEAR_DEFAULT = (1900, 2100)


@dataclass
class Answers:
    """Checked answers: question id → value (None or absent means not answered)."""

    values: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def load(path: Path, questionnaire: Questionnaire) -> Answers:
    """Load and check an answers file; raise DataError listing every problem."""
    return _check(load_file(path), questionnaire, path)


def from_text(text: str, questionnaire: Questionnaire, name: str = "<tekst>") -> Answers:
    return _check(load_text(text, name), questionnaire, None)


def from_mapping(data: Mapping[str, Any], questionnaire: Questionnaire, name: str = "<gegevens>") -> Answers:
    """Check answers given as Python data (rule examples, tests)."""
    return _check(Located(data=dict(data), file=name), questionnaire, None)


def _check(doc: Located, questionnaire: Questionnaire, path: Path | None) -> Answers:
    problems = Collector()
    data = doc.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataError(
            [
                Problem(
                    "een antwoordenbestand bestaat uit regels 'vraag: antwoord'.",
                    file=doc.file,
                    line=1,
                    hint="Begin bijvoorbeeld met 'gemeente_naam: Zeewolde'.",
                )
            ]
        )
    version = data.get(FORMAT_KEY, FORMAT_VERSION)
    if version != FORMAT_VERSION:
        problems.add(
            Problem(
                f"formaat {version} wordt niet ondersteund (deze versie leest formaat {FORMAT_VERSION}).",
                file=doc.file,
                line=doc.line((FORMAT_KEY,)),
                field=FORMAT_KEY,
                hint="Gebruik een nieuwere versie van beleidsnotitie, of zet 'formaat: 1'.",
            )
        )
    values: dict[str, Any] = {}
    notes: dict[str, str] = {}
    section_ids = [s.id for s in questionnaire.sections]
    for key, raw in data.items():
        if key == FORMAT_KEY:
            continue
        if key == NOTES_KEY:
            notes = _check_notes(doc, raw, section_ids, problems)
            continue
        question = questionnaire.by_id.get(key)
        if question is None:
            problems.add(
                Problem(
                    f"onbekende vraag '{key}'.",
                    file=doc.file,
                    line=doc.line((key,)),
                    field=key,
                    hint=suggest(key, questionnaire.by_id) or "Controleer de spelling, of haal de regel weg.",
                )
            )
            continue
        value = check_value(question, raw, doc, (key,), problems)
        if value is not None:
            values[key] = value
    problems.raise_if_any()
    return Answers(values=values, notes=notes, path=path)


def _check_notes(doc: Located, raw: Any, section_ids: list[str], problems: Collector) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.add(
            _p(doc, (NOTES_KEY,), "'werksessie' bevat per deel een tekst, bijvoorbeeld 'visie: ...'.")
        )
        return {}
    notes = {}
    for key, text in raw.items():
        if key not in section_ids:
            problems.add(_p(doc, (NOTES_KEY, key), f"onbekend deel '{key}'.", suggest(key, section_ids)))
        elif text is not None:
            notes[key] = _text(text, doc, (NOTES_KEY, key), problems) or ""
    return notes


def _p(doc: Located, path: PathKey, message: str, hint: str | None = None) -> Problem:
    return Problem(message, file=doc.file, line=doc.line(path), field=".".join(map(str, path)), hint=hint)


def check_value(question: Question, raw: Any, doc: Located, path: PathKey, problems: Collector) -> Any:
    """Return the checked value of one answer, or None (adding a problem when wrong)."""
    if raw is None:
        return None
    kind = question.type
    if kind in ("tekst", "lange_tekst"):
        return _text(raw, doc, path, problems)
    if kind == "datum":
        text = _text(raw, doc, path, problems)
        if text is None:
            return None
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            problems.add(
                _p(
                    doc,
                    path,
                    f"'{text}' is geen datum.",
                    "Schrijf de datum als JJJJ-MM-DD, bijvoorbeeld 2026-11-23.",
                )
            )
            return None
        return text
    if kind in ("getal", "jaar", "bedrag"):
        return _number(question, raw, doc, path, problems)
    if kind == "ja_nee":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in ("ja", "nee"):
            return raw.strip().lower() == "ja"
        problems.add(_p(doc, path, f"'{raw}' is geen ja of nee.", "Schrijf ja of nee."))
        return None
    if kind == "keuze":
        return _choice(question, raw, doc, path, problems)
    if kind == "meerkeuze":
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list):
            problems.add(
                _p(
                    doc,
                    path,
                    "hier hoort een lijst met keuzes.",
                    "Schrijf bijvoorbeeld [ideeel, economisch].",
                )
            )
            return None
        chosen = []
        for index, item in enumerate(raw):
            value = _choice(question, item, doc, (*path, index), problems)
            if value is not None and value not in chosen:
                chosen.append(value)
        return chosen
    if kind == "per_keuze":
        if not isinstance(raw, dict):
            problems.add(_p(doc, path, "hier hoort per keuze een tekst, bijvoorbeeld 'ideeel: ...'."))
            return None
        result = {}
        for key, text in raw.items():
            if key not in question.choice_values:
                problems.add(
                    _p(
                        doc,
                        (*path, key),
                        f"'{key}' is geen keuze bij deze vraag.",
                        suggest(key, question.choice_values)
                        or f"Mogelijk: {', '.join(question.choice_values)}.",
                    )
                )
                continue
            checked = _text(text, doc, (*path, key), problems) if text is not None else None
            if checked:
                result[key] = checked
        return result
    if kind == "groep":
        return _group(question, raw, doc, path, problems)
    raise AssertionError(kind)  # pragma: no cover - the loader refuses unknown types


def _text(raw: Any, doc: Located, path: PathKey, problems: Collector) -> str | None:
    if isinstance(raw, bool | list | dict):
        problems.add(
            _p(doc, path, "hier hoort een tekst.", "Zet de tekst eventueel tussen aanhalingstekens.")
        )
        return None
    if isinstance(raw, float) and not math.isfinite(raw):
        problems.add(_p(doc, path, "hier hoort een tekst.", "Zet de tekst tussen aanhalingstekens."))
        return None
    from wizard.blocks import clean  # imported here: the wizard's first question does not need it

    text = clean(str(raw))
    if len(text) > MAX_TEXT:
        problems.add(
            _p(
                doc,
                path,
                f"de tekst is te lang ({len(text)} tekens; maximaal {MAX_TEXT}).",
                "Maak de tekst korter.",
            )
        )
        return None
    return text


def _number(
    question: Question, raw: Any, doc: Located, path: PathKey, problems: Collector
) -> float | int | None:
    whole = question.type in ("getal", "jaar")
    if isinstance(raw, str):
        cleaned = raw.strip().replace("€", "").replace(" ", "")
        if question.type == "bedrag":
            cleaned = cleaned.replace(".", "").replace(",", ".") if "," in cleaned else cleaned
        try:
            raw = int(cleaned) if whole else float(cleaned)
        except ValueError:
            problems.add(
                _p(doc, path, f"'{raw}' is geen getal.", "Schrijf alleen cijfers, bijvoorbeeld 25000.")
            )
            return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        problems.add(_p(doc, path, f"'{raw}' is geen getal.", "Schrijf alleen cijfers, bijvoorbeeld 25000."))
        return None
    if not math.isfinite(raw):
        problems.add(_p(doc, path, "dit is geen gewoon getal.", "Schrijf een getal zoals 25000."))
        return None
    if whole and raw != int(raw):
        problems.add(_p(doc, path, f"{raw} is geen heel getal.", "Schrijf een getal zonder komma."))
        return None
    number: int | float = int(raw) if whole or raw == int(raw) else float(raw)
    low, high = question.minimum, question.maximum
    if question.type == "jaar":
        low = _YEAR_DEFAULT[0] if low is None else low
        high = _YEAR_DEFAULT[1] if high is None else high
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            span = f"tussen {_fmt(low)} en {_fmt(high)}"
        else:
            span = f"minstens {_fmt(low)}" if low is not None else f"hoogstens {_fmt(high)}"
        problems.add(_p(doc, path, f"{_fmt(number)} ligt niet {span}.", "Controleer het getal."))
        return None
    return number


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value)}" if value == int(value) else f"{value}"


def _choice(question: Question, raw: Any, doc: Located, path: PathKey, problems: Collector) -> str | None:
    values = question.choice_values
    if isinstance(raw, str) and raw in values:
        return raw
    if isinstance(raw, str):
        # Accept the label as typed by a person, not only the stable value.
        for choice in question.choices:
            if raw.strip().casefold() == choice.label.casefold():
                return choice.value
    problems.add(
        _p(
            doc,
            path,
            f"'{raw}' is geen keuze bij '{question.label}'.",
            suggest(str(raw), values) or f"Mogelijk: {', '.join(values)}.",
        )
    )
    return None


def _group(
    question: Question, raw: Any, doc: Located, path: PathKey, problems: Collector
) -> list[dict[str, Any]] | None:
    if not isinstance(raw, list):
        problems.add(_p(doc, path, "hier hoort een lijst; begin elk item met '- '."))
        return None
    by_id = {f.id: f for f in question.fields}
    items = []
    for index, raw_item in enumerate(raw):
        i_path = (*path, index)
        if not isinstance(raw_item, dict):
            problems.add(_p(doc, i_path, "elk item is een lijstje 'veld: waarde'."))
            continue
        item: dict[str, Any] = {}
        for key, value in raw_item.items():
            sub = by_id.get(key)
            if sub is None:
                problems.add(_p(doc, (*i_path, key), f"onbekend veld '{key}'.", suggest(key, by_id)))
                continue
            checked = check_value(sub, value, doc, (*i_path, key), problems)
            if checked is not None:
                item[key] = checked
        items.append(item)
    return items


# --- saving --------------------------------------------------------------------


def dump(answers: Answers, questionnaire: Questionnaire) -> str:
    """Return the answers as readable YAML, in questionnaire order, a comment per section."""
    lines = [
        "# Antwoorden voor de beleidsnotitie internationale samenwerking.",
        "# U mag dit bestand met de hand aanpassen. Maak daarna een nieuw concept met:",
        "#   beleidsnotitie maak <dit bestand>",
        f"{FORMAT_KEY}: {FORMAT_VERSION}",
    ]
    for section in questionnaire.sections:
        present = [q for q in section.questions if q.id in answers.values]
        if not present:
            continue
        lines.append("")
        lines.append(f"# --- {section.title} ---")
        for question in present:
            chunk = {question.id: answers.values[question.id]}
            lines.append(_yaml(chunk).rstrip("\n"))
    if answers.notes:
        lines.append("")
        lines.append("# --- Toelichting uit de werksessie ---")
        lines.append(_yaml({NOTES_KEY: answers.notes}).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _yaml(data: Any) -> str:
    import yaml  # only when saving: the wizard's first question comes before it

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)


def save(answers: Answers, questionnaire: Questionnaire, path: Path) -> None:
    """Write the answers atomically: a crash leaves the previous file intact."""
    atomic.write_text(path, dump(answers, questionnaire))
