"""The condition language shared by the questionnaire (`wanneer`) and the rules (`als`).

A condition is plain YAML data, never code. Forms:

    alle: [cond, ...]              all must hold
    minstens_een: [cond, ...]      at least one must hold
    niet: cond                     negation
    veld: NAAM + one operator:
        is: waarde                 equal (a choice value, true/false, a number or text)
        is_een_van: [a, b]         equal to one of
        bevat: waarde              a multiple-choice answer includes the value;
                                   text contains it (not case-sensitive);
                                   per-choice answers have text for that choice
        bevat_een_van: [a, b]      includes at least one of (text: contains one of them)
        ingevuld: true | false     answered / not answered
        meer_dan / minder_dan / minstens / hoogstens: getal
    groep: NAAM + bij_een: cond    at least one item of a repeating group matches
    groep: NAAM + bij_alle: cond   every item matches (true when there are none)

Inside a repeating group, its fields are named `groep.veld` (for example
`partnerschappen.land`). They can be used only where one item is in view: inside
`bij_een`/`bij_alle`, in a question of that group, or in a rule with `per:`.

Every condition is checked when its file loads: unknown fields (with a suggestion),
operators that do not fit the field, choice values that do not exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from wizard.errors import DataError, Problem, suggest
from wizard.yamlsource import PathKey


class _Locator(Protocol):
    file: Any

    def line(self, path: PathKey) -> int | None: ...


@dataclass(frozen=True)
class FieldSpec:
    """What a condition may know about a field: its kind, choices and group."""

    kind: str  # text, number, bool, choice, choices, mapping, group
    choices: tuple[str, ...] = ()
    group: str | None = None
    label: str = ""


OPERATORS = (
    "is",
    "is_een_van",
    "bevat",
    "bevat_een_van",
    "ingevuld",
    "meer_dan",
    "minder_dan",
    "minstens",
    "hoogstens",
)
_NUMERIC_OPS = {"meer_dan", "minder_dan", "minstens", "hoogstens"}
_FITS: dict[str, set[str]] = {
    "text": {"is", "is_een_van", "bevat", "bevat_een_van", "ingevuld"},
    "number": {"is", "is_een_van", "ingevuld", *_NUMERIC_OPS},
    "bool": {"is", "ingevuld"},
    "choice": {"is", "is_een_van", "ingevuld"},
    "choices": {"bevat", "bevat_een_van", "ingevuld", *_NUMERIC_OPS},
    "mapping": {"bevat", "bevat_een_van", "ingevuld"},
    "group": {"ingevuld", *_NUMERIC_OPS},
}
_KIND_DUTCH = {
    "text": "tekst",
    "number": "getal",
    "bool": "ja/nee",
    "choice": "één keuze",
    "choices": "meerkeuze",
    "mapping": "tekst per keuze",
    "group": "herhaalde groep",
}
_LOGIC = ("alle", "minstens_een", "niet", "veld", "groep")


@dataclass(frozen=True)
class Compare:
    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    part: Condition


@dataclass(frozen=True)
class GroupTest:
    group: str
    every: bool
    part: Condition


Condition = Compare | AllOf | AnyOf | Not | GroupTest


def parse(
    raw: Any,
    specs: Mapping[str, FieldSpec],
    doc: _Locator,
    path: PathKey,
    scope: str | None = None,
) -> Condition:
    """Parse and check a condition; raise DataError with every problem found."""
    problems: list[Problem] = []
    result = _parse(raw, specs, doc, path, scope, problems)
    if problems or result is None:
        raise DataError(problems or [Problem("ongeldige voorwaarde.", file=doc.file, line=doc.line(path))])
    return result


def _problem(doc: _Locator, path: PathKey, message: str, hint: str | None = None) -> Problem:
    return Problem(message, file=doc.file, line=doc.line(path), field=".".join(map(str, path)), hint=hint)


def _parse(
    raw: Any,
    specs: Mapping[str, FieldSpec],
    doc: _Locator,
    path: PathKey,
    scope: str | None,
    problems: list[Problem],
) -> Condition | None:
    if not isinstance(raw, dict) or not raw:
        problems.append(
            _problem(
                doc, path, "een voorwaarde moet 'veld', 'alle', 'minstens_een', 'niet' of 'groep' bevatten."
            )
        )
        return None
    if "alle" in raw or "minstens_een" in raw:
        key = "alle" if "alle" in raw else "minstens_een"
        extra = set(raw) - {key}
        for name in extra:
            problems.append(
                _problem(doc, (*path, name), f"'{name}' kan niet naast '{key}' staan.", suggest(name, _LOGIC))
            )
        items = raw[key]
        if not isinstance(items, list) or not items:
            problems.append(_problem(doc, (*path, key), f"'{key}' moet een lijst met voorwaarden zijn."))
            return None
        parts = [_parse(item, specs, doc, (*path, key, i), scope, problems) for i, item in enumerate(items)]
        clean = tuple(p for p in parts if p is not None)
        return AllOf(clean) if key == "alle" else AnyOf(clean)
    if "niet" in raw:
        for name in set(raw) - {"niet"}:
            problems.append(_problem(doc, (*path, name), f"'{name}' kan niet naast 'niet' staan."))
        part = _parse(raw["niet"], specs, doc, (*path, "niet"), scope, problems)
        return Not(part) if part is not None else None
    if "groep" in raw:
        return _parse_group(raw, specs, doc, path, scope, problems)
    if "veld" in raw:
        return _parse_compare(raw, specs, doc, path, scope, problems)
    first = next(iter(raw))
    problems.append(
        _problem(
            doc,
            (*path, first),
            f"onbekend onderdeel '{first}' in een voorwaarde.",
            suggest(str(first), (*_LOGIC, *OPERATORS)) or "Gebruik veld, alle, minstens_een, niet of groep.",
        )
    )
    return None


def _parse_group(
    raw: dict[str, Any],
    specs: Mapping[str, FieldSpec],
    doc: _Locator,
    path: PathKey,
    scope: str | None,
    problems: list[Problem],
) -> Condition | None:
    name = raw["groep"]
    spec = specs.get(name) if isinstance(name, str) else None
    if spec is None or spec.kind != "group":
        groups = [k for k, s in specs.items() if s.kind == "group"]
        problems.append(
            _problem(doc, (*path, "groep"), f"'{name}' is geen herhaalde groep.", suggest(str(name), groups))
        )
        return None
    quantifiers = [k for k in ("bij_een", "bij_alle") if k in raw]
    for key in set(raw) - {"groep", "bij_een", "bij_alle"}:
        problems.append(
            _problem(doc, (*path, key), f"onbekend onderdeel '{key}'.", suggest(key, ("bij_een", "bij_alle")))
        )
    if len(quantifiers) != 1:
        problems.append(_problem(doc, path, "bij 'groep' hoort precies één van 'bij_een' of 'bij_alle'."))
        return None
    key = quantifiers[0]
    part = _parse(raw[key], specs, doc, (*path, key), name, problems)
    return GroupTest(name, key == "bij_alle", part) if part is not None else None


def _parse_compare(
    raw: dict[str, Any],
    specs: Mapping[str, FieldSpec],
    doc: _Locator,
    path: PathKey,
    scope: str | None,
    problems: list[Problem],
) -> Condition | None:
    name = raw["veld"]
    ops = [k for k in raw if k != "veld"]
    unknown = [k for k in ops if k not in OPERATORS]
    for key in unknown:
        problems.append(
            _problem(doc, (*path, key), f"onbekende vergelijking '{key}'.", suggest(str(key), OPERATORS))
        )
    if unknown:
        return None
    if len(ops) != 1:
        problems.append(
            _problem(
                doc, path, f"bij 'veld: {name}' hoort precies één vergelijking, zoals 'is' of 'ingevuld'."
            )
        )
        return None
    op = ops[0]
    value = raw[op]
    spec = specs.get(name) if isinstance(name, str) else None
    if spec is None:
        visible = [k for k, s in specs.items() if s.group is None or s.group == scope]
        problems.append(
            _problem(doc, (*path, "veld"), f"onbekend veld '{name}'.", suggest(str(name), visible))
        )
        return None
    if spec.group is not None and spec.group != scope:
        problems.append(
            _problem(
                doc,
                (*path, "veld"),
                f"'{name}' hoort bij de herhaalde groep '{spec.group}'.",
                f"Zet deze vergelijking binnen 'groep: {spec.group}' met 'bij_een' of 'bij_alle'.",
            )
        )
        return None
    if op not in _FITS[spec.kind]:
        allowed = ", ".join(sorted(_FITS[spec.kind]))
        problems.append(
            _problem(
                doc,
                (*path, op),
                f"'{op}' past niet bij veld '{name}' ({_KIND_DUTCH[spec.kind]}).",
                f"Gebruik hier: {allowed}.",
            )
        )
        return None
    if not _value_fits(spec, op, value, doc, (*path, op), name, problems):
        return None
    if op == "is_een_van" or op == "bevat_een_van":
        value = tuple(value)
    return Compare(name, op, value)


def _value_fits(
    spec: FieldSpec,
    op: str,
    value: Any,
    doc: _Locator,
    path: PathKey,
    name: str,
    problems: list[Problem],
) -> bool:
    if op == "ingevuld":
        if not isinstance(value, bool):
            problems.append(_problem(doc, path, "'ingevuld' is 'true' (ja) of 'false' (nee)."))
            return False
        return True
    if op in _NUMERIC_OPS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(_problem(doc, path, f"'{op}' vraagt om een getal, niet '{value}'."))
            return False
        return True
    values: Sequence[Any]
    if op in ("is_een_van", "bevat_een_van"):
        if not isinstance(value, list) or not value:
            problems.append(_problem(doc, path, f"'{op}' vraagt om een lijst, zoals [a, b]."))
            return False
        values = value
    else:
        values = [value]
    ok = True
    for item in values:
        if spec.kind == "bool" and not isinstance(item, bool):
            problems.append(
                _problem(doc, path, f"veld '{name}' is ja/nee: gebruik true of false, niet '{item}'.")
            )
            ok = False
        elif spec.kind == "number" and (isinstance(item, bool) or not isinstance(item, int | float)):
            problems.append(_problem(doc, path, f"veld '{name}' is een getal, '{item}' niet."))
            ok = False
        elif spec.kind in ("choice", "choices", "mapping") and item not in spec.choices:
            problems.append(
                _problem(
                    doc,
                    path,
                    f"'{item}' is geen keuze van veld '{name}'.",
                    suggest(str(item), spec.choices) or f"Mogelijke keuzes: {', '.join(spec.choices)}.",
                )
            )
            ok = False
        elif spec.kind == "text" and not isinstance(item, str):
            problems.append(
                _problem(doc, path, f"veld '{name}' is tekst: zet '{item}' tussen aanhalingstekens.")
            )
            ok = False
    return ok


# --- evaluation -------------------------------------------------------------


@dataclass(frozen=True)
class Env:
    """What a condition sees: all values, and the item in view inside a group."""

    values: Mapping[str, Any]
    group: str | None = None
    item: Mapping[str, Any] | None = None

    def lookup(self, name: str) -> Any:
        if "." in name:
            group, sub = name.split(".", 1)
            if group != self.group or self.item is None:
                return None
            return self.item.get(sub)
        return self.values.get(name)

    def with_item(self, group: str, item: Mapping[str, Any]) -> Env:
        return Env(self.values, group, item)


def is_filled(value: Any) -> bool:
    """Return whether an answer counts as given (False and 0 count; '' and [] do not)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | dict):
        return any(is_filled(v) for v in (value.values() if isinstance(value, dict) else value))
    return True


def evaluate(condition: Condition, env: Env) -> bool:
    """Return whether the condition holds; missing answers never match a comparison."""
    if isinstance(condition, AllOf):
        return all(evaluate(part, env) for part in condition.parts)
    if isinstance(condition, AnyOf):
        return any(evaluate(part, env) for part in condition.parts)
    if isinstance(condition, Not):
        return not evaluate(condition.part, env)
    if isinstance(condition, GroupTest):
        items = env.values.get(condition.group) or []
        test = all if condition.every else any
        return test(evaluate(condition.part, env.with_item(condition.group, item)) for item in items)
    return _compare(condition, env.lookup(condition.field))


def _compare(condition: Compare, value: Any) -> bool:
    op, expected = condition.op, condition.value
    if op == "ingevuld":
        return is_filled(value) is expected
    if not is_filled(value):
        return False
    if op in _NUMERIC_OPS:
        number = len(value) if isinstance(value, list | tuple | dict) else value
        if isinstance(number, bool) or not isinstance(number, int | float):
            return False
        if op == "meer_dan":
            return bool(number > expected)
        if op == "minder_dan":
            return bool(number < expected)
        if op == "minstens":
            return bool(number >= expected)
        return bool(number <= expected)
    if op == "is":
        return bool(value == expected)
    if op == "is_een_van":
        return value in expected
    wanted = (expected,) if op == "bevat" else expected
    if isinstance(value, str):
        low = value.casefold()
        return any(str(w).casefold() in low for w in wanted)
    if isinstance(value, dict):
        return any(is_filled(value.get(w)) for w in wanted)
    if isinstance(value, list | tuple):
        return any(w in value for w in wanted)
    return False


def fields_used(condition: Condition) -> set[str]:
    """Return every field a condition reads (for dependency tracking in the wizard)."""
    if isinstance(condition, Compare):
        return {condition.field}
    if isinstance(condition, AllOf | AnyOf):
        return set().union(*(fields_used(p) for p in condition.parts)) if condition.parts else set()
    if isinstance(condition, Not):
        return fields_used(condition.part)
    return {condition.group} | fields_used(condition.part)
