"""Rules: anti-pattern checks as YAML data, validated at load, evaluated into findings.

A rules file holds `regels:`, a list of rules. Each rule has:

- `id`: stable, lower case with hyphens (`ramp-ad-hoc`); users refer to it.
- `titel`: short name. `ernst`: blokkerend, waarschuwing or tip.
- `rol`: initiëren, kaderstellen or controleren (the council role it belongs to).
- `per`: optional repeating group; the rule is checked per item and names it.
- `als`: a condition in the shared condition language (wizard.conditions).
- `melding`: the message, with placeholders `{veld}`; inside `per`, also
  `{groep.veld}` and `{naam}` (how the item is called, e.g. "Nador (Marokko)").
  `{veld?enkelvoud|meervoud}` gives the first word when the field counts one (a list of one
  item, or the number 1), else the second: "Voor {motieven_zonder_doel?dit motief|deze
  motieven} …". A choice's label inside a sentence starts in lower case.
- `uitleg` (why this is a risk), `advies` (what to do).
- `bron`: `document`, `onderdeel` and optionally `url`.
- `voorbeelden`: `wel` (answers that must trigger the rule) and `niet` (answers
  that must not). Both are required; they are run by the tests and by
  `beleidsnotitie regels --controleer`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import answers as answers_mod
from wizard import conditions, facts
from wizard.conditions import Env
from wizard.display import (  # noqa: F401 - re-exported
    PLACEHOLDER,
    display,
    dutch_list,
    euro,
    in_words,
    item_name,
    lower_first,
    number,
)
from wizard.errors import Collector, DataError, Problem, suggest
from wizard.questionnaire import ROLES, Question, Questionnaire
from wizard.resources import rules_dir
from wizard.severity import SEVERITIES, Severity
from wizard.yamlsource import Located, PathKey, folder_files, load_file

SEVERITY_LABELS = {s.value: s.label for s in Severity}  # the severities' home: wizard/severity.py
RULE_ROLES = tuple(r for r in ROLES if r != "gemeente")
_RULE_KEYS = {
    "id",
    "titel",
    "ernst",
    "rol",
    "per",
    "korte_route",
    "als",
    "melding",
    "uitleg",
    "advies",
    "bron",
    "voorbeelden",
}
_REQUIRED = ("id", "titel", "ernst", "rol", "als", "melding", "uitleg", "advies", "bron", "voorbeelden")
_SOURCE_KEYS = {"document", "onderdeel", "url"}
_TEXT_KEYS = ("id", "titel", "melding", "uitleg", "advies")  # one text each, never a list or a mapping
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Source:
    document: str
    section: str = ""
    url: str = ""

    def text(self) -> str:
        parts = [self.document]
        if self.section:
            parts.append(self.section)
        return ", ".join(parts)


@dataclass
class Rule:
    id: str
    title: str
    severity: Severity
    role: str
    condition: conditions.Condition
    message: str
    explanation: str
    advice: str
    source: Source
    per: str | None = None
    # `korte_route: true`: the short route's own answers can make this rule fire, so the short
    # route shows its finding even though the rule reads questions only the full route asks.
    short_route: bool = False
    examples_hit: list[Any] = field(default_factory=list)
    examples_miss: list[Any] = field(default_factory=list)
    file: Path | str = ""
    line: int | None = None


@dataclass(frozen=True)
class Finding:
    """One rule that applies to the answers (once per item for `per` rules)."""

    rule: str
    title: str
    severity: Severity
    role: str
    message: str
    explanation: str
    advice: str
    source: Source
    item: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "regel": self.rule,
            "titel": self.title,
            "ernst": self.severity,
            "rol": self.role,
            "melding": self.message,
            "uitleg": self.explanation,
            "advies": self.advice,
            "bron": {
                "document": self.source.document,
                "onderdeel": self.source.section,
                "url": self.source.url,
            },
            "onderdeel": self.item,
        }


@dataclass
class RuleSet:
    rules: list[Rule]

    def by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    def without(self, ids: Iterable[str]) -> RuleSet:
        """Return the set without the given rules; unknown ids are an error."""
        known = self.by_id()
        problems = [
            Problem(f"er is geen regel '{rid}'.", field="--zonder-regel", hint=suggest(rid, known))
            for rid in ids
            if rid not in known
        ]
        if problems:
            raise DataError(problems)
        skip = set(ids)
        return RuleSet([r for r in self.rules if r.id not in skip])


def load(questionnaire: Questionnaire, extra_dirs: Sequence[Path] = (), bundled: bool = True) -> RuleSet:
    """Load the bundled rules and any extra folders (a later rule replaces one by id)."""
    files = sorted(rules_dir().glob("*.yaml")) if bundled else []
    return load_files([*files, *own_files(extra_dirs)], questionnaire, own_from=len(files))


def own_files(folders: Sequence[Path]) -> list[Path]:
    """The rule files of own folders (--regels), .yaml and .yml; a folder that is a file, is
    missing or holds no rule file is an error. A name that is no regular file (a FIFO) is
    listed, and refused when it is read."""
    files: list[Path] = []
    problems = Collector()
    for folder in folders:
        if not folder.is_dir():
            problems.add(
                Problem(
                    "dit is een bestand, geen map met regels."
                    if folder.exists()
                    else "deze map met regels bestaat niet.",
                    file=folder,
                    field="--regels",
                    hint="Geef na --regels de map op waarin uw regelbestanden (.yaml) staan.",
                )
            )
            continue
        found = folder_files(folder)
        if not found:
            problems.add(
                Problem(
                    "in deze map staan geen regelbestanden (.yaml of .yml).",
                    file=folder,
                    field="--regels",
                    hint="Zet uw regels in een bestand dat eindigt op .yaml, in deze map.",
                )
            )
        files.extend(found)
    problems.raise_if_any()
    return files


def load_files(
    files: Sequence[Path],
    questionnaire: Questionnaire,
    own_from: int | None = None,
    derived: Mapping[str, conditions.FieldSpec] | None = None,
) -> RuleSet:
    """The rules of these files, checked against a questionnaire and its derived facts
    (`derived`: the facts of another questionnaire than the framework's, such as
    wizard/evaluation.py's). An own rule (from file `own_from` on) replaces a bundled one
    with the same id; two own rules with one id are an error naming both places."""
    specs = {**questionnaire.field_specs(), **(facts.specs(questionnaire) if derived is None else derived)}
    problems = Collector()
    rules: dict[str, Rule] = {}
    own: set[str] = set()
    for index, file in enumerate(files):
        try:
            doc = load_file(file, legacy=False)  # only answers files may be Windows-1252
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        is_own = own_from is not None and index >= own_from
        for rule in _parse_file(doc, specs, questionnaire, problems):
            earlier = rules.get(rule.id)
            if earlier is not None and (rule.id in own or not is_own):
                where = (
                    f"op regel {earlier.line} van dit bestand"
                    if earlier.file == rule.file
                    else f"in {earlier.file}, regel {earlier.line}"
                )
                problems.add(
                    Problem(
                        f"de regel-id '{rule.id}' komt twee keer voor (ook {where}).",
                        file=file,
                        line=rule.line,
                        field="id",
                        hint="Geef elke regel een eigen id; een eigen regel met de id van een "
                        "ingebouwde regel vervangt die.",
                    )
                )
                continue
            if is_own:
                own.add(rule.id)
            rules.pop(rule.id, None)  # an own rule replaces a bundled one with the same id
            rules[rule.id] = rule
    problems.raise_if_any()
    return RuleSet(list(rules.values()))


def _what(value: Any) -> str:
    """What a value is, in the words of a message ("hier hoort een tekst, geen lijst")."""
    if isinstance(value, bool):
        return "ja of nee"
    if isinstance(value, dict):
        return "lijstje met sleutels"
    if isinstance(value, list):
        return "lijst"
    if isinstance(value, int | float):
        return "getal"
    return "waarde van deze soort"


def _p(doc: Located, path: PathKey, message: str, hint: str | None = None) -> Problem:
    return Problem(message, file=doc.file, line=doc.line(path), field=".".join(map(str, path)), hint=hint)


def _parse_file(
    doc: Located, specs: Mapping[str, conditions.FieldSpec], questionnaire: Questionnaire, problems: Collector
) -> list[Rule]:
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("regels"), list):
        problems.add(
            Problem(
                "een regelbestand begint met 'regels:' en daaronder een lijst regels.", file=doc.file, line=1
            )
        )
        return []
    for key in data:
        if key != "regels":
            problems.add(_p(doc, (key,), f"onbekende sleutel '{key}'.", "Alleen 'regels:' is toegestaan."))
    result = []
    for index, raw in enumerate(data["regels"]):
        rule = _parse_rule(doc, ("regels", index), raw, specs, questionnaire, problems)
        if rule is not None:
            result.append(rule)
    return result


def _parse_rule(
    doc: Located,
    path: PathKey,
    raw: Any,
    specs: Mapping[str, conditions.FieldSpec],
    questionnaire: Questionnaire,
    problems: Collector,
) -> Rule | None:
    if not isinstance(raw, dict):
        problems.add(_p(doc, path, "een regel is een lijstje met sleutels (id, titel, ernst, ...)."))
        return None
    before = len(problems.problems)
    for key in raw:
        if key not in _RULE_KEYS:
            problems.add(_p(doc, (*path, key), f"onbekende sleutel '{key}'.", suggest(str(key), _RULE_KEYS)))
    named = raw.get("id") if isinstance(raw.get("id"), str) and raw.get("id") else "?"
    for key in _REQUIRED:
        if key not in raw or raw[key] in (None, ""):
            problems.add(_p(doc, path, f"regel '{named}' mist '{key}'."))
    for key in _TEXT_KEYS:
        value = raw.get(key)
        if (value is not None and not isinstance(value, str | int | float)) or isinstance(value, bool):
            problems.add(
                _p(
                    doc,
                    (*path, key),
                    f"hier hoort een tekst, geen {_what(value)}.",
                    "Schrijf de tekst op dezelfde regel, of zet hem tussen aanhalingstekens.",
                )
            )
    plain = isinstance(raw.get("id"), str | int | float) and not isinstance(raw.get("id"), bool)
    rule_id = str(raw["id"]) if plain else ""
    if rule_id and not _ID.match(rule_id):
        problems.add(
            _p(
                doc,
                (*path, "id"),
                f"'{rule_id}' is geen geldige regel-id.",
                "Gebruik kleine letters en streepjes, zoals 'ramp-ad-hoc'.",
            )
        )
    severity = raw.get("ernst")
    if severity is not None and not isinstance(severity, str):
        problems.add(
            _p(
                doc,
                (*path, "ernst"),
                f"hier hoort één woord, geen {_what(severity)}.",
                f"Kies uit: {', '.join(SEVERITIES)}.",
            )
        )
    elif severity is not None and severity not in SEVERITIES:
        problems.add(
            _p(
                doc,
                (*path, "ernst"),
                f"onbekende ernst '{severity}'.",
                suggest(str(severity), SEVERITIES) or f"Kies uit: {', '.join(SEVERITIES)}.",
            )
        )
    role = raw.get("rol")
    if role is not None and not isinstance(role, str):
        problems.add(
            _p(
                doc,
                (*path, "rol"),
                f"hier hoort één woord, geen {_what(role)}.",
                f"Kies uit: {', '.join(RULE_ROLES)}.",
            )
        )
    elif role is not None and role not in RULE_ROLES:
        problems.add(
            _p(
                doc,
                (*path, "rol"),
                f"onbekende rol '{role}'.",
                suggest(str(role), RULE_ROLES) or f"Kies uit: {', '.join(RULE_ROLES)}.",
            )
        )
    per = raw.get("per")
    group_question: Question | None = None
    if per is not None:
        group_question = questionnaire.by_id.get(str(per))
        if group_question is None or not group_question.kind.has_fields:
            groups = [q.id for q in questionnaire.questions() if q.kind.has_fields]
            problems.add(
                _p(doc, (*path, "per"), f"'{per}' is geen herhaalde groep.", suggest(str(per), groups))
            )
            group_question = None
    short_route = raw.get("korte_route", False)
    if not isinstance(short_route, bool):
        problems.add(
            _p(doc, (*path, "korte_route"), f"'{short_route}' is geen ja of nee.", "Schrijf true of false.")
        )
        short_route = False
    condition = None
    if "als" in raw:
        try:
            condition = conditions.parse(
                raw["als"], specs, doc, (*path, "als"), scope=per if group_question else None
            )
        except DataError as exc:
            problems.extend(exc.problems)
    message = str(raw.get("melding", "") or "")
    _check_placeholders(doc, (*path, "melding"), message, specs, per if group_question else None, problems)
    source = _parse_source(doc, (*path, "bron"), raw.get("bron"), problems)
    hits, misses = _parse_examples(doc, (*path, "voorbeelden"), raw.get("voorbeelden"), problems)
    if len(problems.problems) > before or condition is None or source is None:
        return None
    return Rule(
        id=rule_id,
        title=str(raw["titel"]).strip(),
        severity=Severity(str(severity)),
        role=str(role),
        condition=condition,
        message=" ".join(message.split()),
        explanation=" ".join(str(raw["uitleg"]).split()),
        advice=" ".join(str(raw["advies"]).split()),
        source=source,
        per=str(per) if per else None,
        short_route=short_route,
        examples_hit=hits,
        examples_miss=misses,
        file=doc.file,
        line=doc.line(path),
    )


def _check_placeholders(
    doc: Located,
    path: PathKey,
    message: str,
    specs: Mapping[str, conditions.FieldSpec],
    scope: str | None,
    problems: Collector,
) -> None:
    for placeholder in PLACEHOLDER.findall(message):
        name, question_mark, forms = placeholder.partition("?")
        if question_mark and (forms.count("|") != 1 or not all(f.strip() for f in forms.split("|"))):
            problems.add(
                _p(
                    doc,
                    path,
                    f"'{{{placeholder}}}': na het vraagteken staan twee woorden, gescheiden door |.",
                    "Bijvoorbeeld {aantal_banden_door?band|banden} of {motieven_zonder_doel?dit motief|deze motieven}.",
                )
            )
            continue
        if name == "naam" and scope:
            continue
        spec = specs.get(name)
        if spec is None or (spec.group is not None and spec.group != scope):
            visible = [k for k, s in specs.items() if s.group is None or s.group == scope]
            if scope:
                visible.append("naam")
            problems.add(
                _p(doc, path, f"onbekende plaatshouder '{{{name}}}' in de melding.", suggest(name, visible))
            )


def _parse_source(doc: Located, path: PathKey, raw: Any, problems: Collector) -> Source | None:
    if isinstance(raw, str) and raw.strip():
        return Source(raw.strip())
    if not isinstance(raw, dict) or raw.get("document") is None or not str(raw["document"]).strip():
        problems.add(_p(doc, path, "'bron' noemt minstens het 'document'."))
        return None
    for key in raw:
        if key not in _SOURCE_KEYS:
            problems.add(
                _p(doc, (*path, key), f"onbekende sleutel '{key}'.", suggest(str(key), _SOURCE_KEYS))
            )
        elif isinstance(raw[key], list | dict | bool):
            problems.add(_p(doc, (*path, key), f"hier hoort een tekst, geen {_what(raw[key])}."))
            return None
    url = str(raw.get("url", "") or "")
    if url and not url.startswith(("https://", "http://")):
        problems.add(_p(doc, (*path, "url"), "een url begint met https://."))
    return Source(str(raw["document"]).strip(), str(raw.get("onderdeel", "") or "").strip(), url)


def _parse_examples(
    doc: Located, path: PathKey, raw: Any, problems: Collector
) -> tuple[list[Any], list[Any]]:
    if raw is None:
        return [], []
    if not isinstance(raw, dict):
        problems.add(_p(doc, path, "'voorbeelden' heeft 'wel' en 'niet', elk een lijst antwoorden."))
        return [], []
    for key in raw:
        if key not in ("wel", "niet"):
            problems.add(
                _p(doc, (*path, key), f"onbekende sleutel '{key}'.", suggest(str(key), ("wel", "niet")))
            )
    lists: list[list[Any]] = []
    for key in ("wel", "niet"):
        items = raw.get(key)
        if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
            problems.add(
                _p(
                    doc,
                    (*path, key),
                    f"'voorbeelden.{key}' moet minstens één voorbeeld (een lijstje antwoorden) bevatten.",
                )
            )
            lists.append([])
        else:
            lists.append(items)
    return lists[0], lists[1]


# --- evaluation --------------------------------------------------------------------


def evaluate(
    rule_set: RuleSet,
    values: Mapping[str, Any],
    questionnaire: Questionnaire,
    amounts: frozenset[str] = facts.AMOUNT_FACTS,
    counts: frozenset[str] = facts.COUNT_FACTS,
    years: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Return the findings for derived values, most severe first per role. `amounts`,
    `counts` and `years`: the derived facts a message shows in euro, as a number in words and
    as a year (2028, never 2.028)."""
    env = Env(values)
    findings: list[Finding] = []
    for rule in rule_set.rules:
        if rule.per is None:
            if conditions.evaluate(rule.condition, env):
                findings.append(_finding(rule, env, questionnaire, None, amounts, counts, years))
            continue
        group = questionnaire.by_id[rule.per]
        for item in values.get(rule.per) or []:
            item_env = env.with_item(rule.per, item)
            if conditions.evaluate(rule.condition, item_env):
                findings.append(
                    _finding(rule, item_env, questionnaire, item_name(group, item), amounts, counts, years)
                )
    return sort_findings(findings)


def summary(findings: Sequence[Finding]) -> str:
    """'2 blokkerend, 1 waarschuwing, 3 tips' in correct Dutch, or 'geen aandachtspunten'."""
    parts = []
    for severity in Severity:
        count = sum(1 for f in findings if f.severity == severity)
        if count:
            parts.append(severity.counted(count))
    return ", ".join(parts) if parts else "geen aandachtspunten"


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (RULE_ROLES.index(f.role), SEVERITIES.index(f.severity)))


def _finding(
    rule: Rule,
    env: Env,
    questionnaire: Questionnaire,
    item: str | None,
    amounts: frozenset[str] = facts.AMOUNT_FACTS,
    counts: frozenset[str] = facts.COUNT_FACTS,
    years: frozenset[str] = frozenset(),
) -> Finding:
    def fill(match: re.Match[str]) -> str:
        name, _, forms = match.group(1).partition("?")
        if forms:  # {veld?enkelvoud|meervoud}: the word that fits how many there are
            one, _, many = forms.partition("|")
            return one if _count(env.lookup(name)) == 1 else many
        if name == "naam":
            return item or ""
        value = env.lookup(name)
        if not conditions.is_filled(value):
            return "[onbekend]"
        question = _question_for(name, questionnaire)
        # A choice's label inside a sentence starts in lower case ('nog geen doel: ideëel motief'),
        # as in the document (`lijst(…, klein=True)`); at the start of a sentence it keeps its capital.
        before = rule.message[: match.start()].rstrip()
        lower = (
            question is not None
            and bool(question.keuzes)
            and bool(before)
            and not before.endswith((".", "!", "?"))
        )
        if isinstance(value, list):
            shown = [display(v, question) for v in value]
            return dutch_list([lower_first(label) for label in shown] if lower else shown)
        if lower:
            return lower_first(display(value, question))
        if question is None and isinstance(value, int | float) and name in amounts:
            return euro(value)
        if isinstance(value, int) and name in counts:  # a fact, or an answer counted in words
            return in_words(value)
        if question is None and isinstance(value, int) and name in years:
            return str(value)
        return display(value, question)

    return Finding(
        rule=rule.id,
        title=rule.title,
        severity=rule.severity,
        role=rule.role,
        message=PLACEHOLDER.sub(fill, rule.message),
        explanation=rule.explanation,
        advice=rule.advice,
        source=rule.source,
        item=item,
    )


def _count(value: Any) -> int | None:
    """How many a placeholder's value counts: the items of a list, or a whole number itself."""
    if isinstance(value, list | tuple):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _question_for(name: str, questionnaire: Questionnaire) -> Question | None:
    if name in facts.CHOICES_FROM:
        return questionnaire.by_id.get(facts.CHOICES_FROM[name])
    if "." in name:
        group, sub = name.split(".", 1)
        parent = questionnaire.by_id.get(group)
        return next((f for f in parent.velden if f.id == sub), None) if parent else None
    return questionnaire.by_id.get(name)


# --- examples --------------------------------------------------------------------


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    kind: str  # wel / niet
    index: int
    ok: bool
    detail: str = ""


def run_examples(
    rule_set: RuleSet,
    questionnaire: Questionnaire,
    only: Iterable[str] | None = None,
    derive: Callable[[Mapping[str, Any], str], Mapping[str, Any]] | None = None,
    amounts: frozenset[str] = facts.AMOUNT_FACTS,
    counts: frozenset[str] = facts.COUNT_FACTS,
    years: frozenset[str] = frozenset(),
) -> list[ExampleResult]:
    """Run every rule's own examples; a `wel` must trigger the rule, a `niet` must not.
    `derive` turns an example into the values the rules see (default: the framework's
    answers and facts)."""
    wanted = set(only) if only is not None else None
    results = []
    for rule in rule_set.rules:
        if wanted is not None and rule.id not in wanted:
            continue
        single = RuleSet([rule])
        for kind, examples in (("wel", rule.examples_hit), ("niet", rule.examples_miss)):
            for index, example in enumerate(examples):
                name = f"{rule.file} – {rule.id} voorbeelden.{kind}[{index}]"
                try:
                    if derive is None:
                        values: Mapping[str, Any] = facts.derive(
                            answers_mod.from_mapping(example, questionnaire, name), questionnaire
                        )
                    else:
                        values = derive(example, name)
                except DataError as exc:
                    results.append(
                        ExampleResult(rule.id, kind, index, False, "ongeldig voorbeeld: " + str(exc))
                    )
                    continue
                found = evaluate(single, values, questionnaire, amounts, counts, years)
                ok = bool(found) if kind == "wel" else not found
                detail = (
                    ""
                    if ok
                    else (
                        "de regel gaat niet af, maar zou dat wel moeten."
                        if kind == "wel"
                        else "de regel gaat af, maar zou dat niet moeten."
                    )
                )
                results.append(ExampleResult(rule.id, kind, index, ok, detail))
    return results


def as_json(rules: Sequence[Rule]) -> dict[str, Any]:
    """The rules as `regels --json` prints them (format 1): id, title, severity, role, scope, source."""
    rows = [
        {
            "id": r.id,
            "titel": r.title,
            "ernst": r.severity,
            "rol": r.role,
            "per": r.per,
            "bron": {"document": r.source.document, "onderdeel": r.source.section, "url": r.source.url},
        }
        for r in rules
    ]
    return {"formaat": 1, "regels": rows}
