"""Controleren: a verantwoording beside the adopted framework, its derived facts and rules.

A verantwoording file answers `questions/verantwoording.yaml` for one period (a year, or the
framework's whole term). It names its framework (`kader:`, a path relative to the file) and
the framework's fingerprint (`kader_vingerafdruk:`), and lists the framework's goals and ties
by identity only: a goal by its `omschrijving`, a tie by `partner` and `land`. Targets,
indicators, years and ceilings are never copied: they are read from the framework when the
verantwoording is loaded, so the two files cannot drift apart. When the framework changed
after the verantwoording began (another fingerprint), or a goal or tie is not in it, loading
stops with a Dutch problem that says what to do.

One or more verantwoording files of the same framework make an `Evaluation`: its periods in
order of year, the framework's answers and, per period, the values the rules and templates
see (answers plus facts such as a tie's ceiling, what it spent above it, how many years in a
row it had no activity). Facts are declared once in ITEM_FACTS / FACTS with their kind, like
wizard/facts.py, so the rules in `rules/verantwoording/` are checked when they load.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import answers as answers_mod
from wizard import factneeds, yamlsource
from wizard import facts as framework_facts
from wizard import questionnaire as questionnaire_mod
from wizard import rules as rules_mod
from wizard.conditions import FieldSpec, is_filled
from wizard.errors import Collector, DataError, Problem
from wizard.questionnaire import Questionnaire
from wizard.resources import rules_dir

Values = Mapping[str, Any]

FRAMEWORK_KEY = "kader"
FINGERPRINT_KEY = "kader_vingerafdruk"
GOALS, TIES, TRIPS, GIFTS = "doelen", "banden", "reizen", "giften"
FRAMEWORK_TIES = factneeds.TIES
RULES_FOLDER = "verantwoording"  # rules/verantwoording/*.yaml: the control rules
# In a rule example, the framework's answers and the earlier periods stand under these keys.
EXAMPLE_FRAMEWORK, EXAMPLE_EARLIER = "kader", "eerder"


# --- identity and fingerprint -------------------------------------------------------------


def goal_key(item: Values) -> str:
    """A goal is known by its description (spaces and case do not count)."""
    return " ".join(str(item.get("omschrijving") or "").split()).casefold()


def tie_key(item: Values) -> tuple[str, str]:
    """A tie is known by its partner and country."""
    return (
        " ".join(str(item.get("partner") or "").split()).casefold(),
        " ".join(str(item.get("land") or "").split()).casefold(),
    )


def fingerprint(values: Values) -> str:
    """A short fingerprint of the framework's answers: the same answers give the same
    fingerprint, whatever the comments, order or layout of the file."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def framework_goal(framework: Values, item: Values) -> Values | None:
    key = goal_key(item)
    return next((g for g in framework.get("doelen") or [] if goal_key(g) == key), None)


def framework_tie(framework: Values, item: Values) -> Values | None:
    key = tie_key(item)
    return next((t for t in framework.get(FRAMEWORK_TIES) or [] if tie_key(t) == key), None)


def accounted_ties(framework: Values, year: int | None) -> list[Values]:
    """The framework's ties a verantwoording over `year` accounts for: every tie, except one
    that was being ended in an earlier year."""
    result = []
    for tie in framework.get(FRAMEWORK_TIES) or []:
        ended = tie.get("advies") == framework_facts.ENDING and isinstance(tie.get("afbouw_jaar"), int)
        if ended and year is not None and tie["afbouw_jaar"] < year:
            continue
        result.append(tie)
    return result


# --- derived facts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    spec: FieldSpec
    description: str
    compute: Callable[[Values, Values, Sequence[Values]], Any]  # (values, framework, earlier)


@dataclass(frozen=True)
class ItemFact:
    spec: FieldSpec
    description: str
    # (item, the item's counterpart in the framework or None, values, framework, earlier)
    compute: Callable[[Values, Values | None, Values, Values, Sequence[Values]], Any]


def _amount(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _above(spent: Any, limit: Any) -> float | None:
    """What was spent above a limit, or None when it stayed under it (or one is missing)."""
    a, b = _amount(spent), _amount(limit)
    if a is None or b is None or a <= b:
        return None
    return a - b


def _year(values: Values) -> int | None:
    year = values.get("jaar")
    return year if isinstance(year, int) else None


def _same_tie(period: Values, item: Values) -> Values | None:
    key = tie_key(item)
    return next((t for t in period.get(TIES) or [] if tie_key(t) == key), None)


def _years_without_activity(item: Values, values: Values, earlier: Sequence[Values]) -> int:
    """Years in a row without activity, ending with this period (earlier periods count)."""
    if item.get("actief") is not False:
        return 0
    count = 1
    for period in reversed(earlier):
        tie = _same_tie(period, item)
        if tie is None or tie.get("actief") is not False:
            break
        count += 1
    return count


def _sleeps_too_long(item: Values, tie: Values | None, values: Values, earlier: Sequence[Values]) -> bool:
    limit = item.get("stopgrens_jaren")
    return isinstance(limit, int | float) and _years_without_activity(item, values, earlier) >= limit


def _tie_evaluation_missed(
    item: Values, tie: Values | None, values: Values, framework: Values, earlier: Sequence[Values]
) -> bool:
    year, due = _year(values), (tie or {}).get("evaluatie_jaar")
    if year is None or not isinstance(due, int) or year < due:
        return False
    periods = [*(_same_tie(p, item) for p in earlier), item]
    return not any(p is not None and p.get("geevalueerd") is True for p in periods)


def _past_end(item: Values, tie: Values | None, values: Values) -> bool:
    """The tie was still active (or spent money) in a year after the framework's end year for it."""
    year, end = _year(values), (tie or {}).get("einddatum")
    if year is None or not isinstance(end, int) or year <= end:
        return False
    spent = item.get("uitgegeven")
    return item.get("actief") is True or (isinstance(spent, int | float) and spent > 0)


def _term_passed(item: Values, goal: Values | None, values: Values) -> bool:
    year, term = _year(values), (goal or {}).get("termijn")
    return year is not None and isinstance(term, int) and term <= year


def _gift_outside(item: Values, framework: Values) -> bool:
    """A gift outside the disaster framework: not as it says, or above its ceiling per disaster
    (a gift where the framework has no disaster framework is `zonder_rampenkader`)."""
    if framework.get("ramp_keuze") != "kader":
        return False
    if item.get("volgens_kader") is False:
        return True
    return _above(item.get("bedrag"), framework.get("ramp_plafond")) is not None


def _gifts_total(values: Values) -> float | None:
    amounts = [_amount(g.get("bedrag")) for g in values.get(GIFTS) or []]
    known = [a for a in amounts if a is not None]
    return sum(known) if known else None


def _parts_total(values: Values) -> float | None:
    """What the ties and the gifts cost together, as far as their amounts are given."""
    amounts = [_amount(t.get("uitgegeven")) for t in values.get(TIES) or []]
    amounts += [_amount(g.get("bedrag")) for g in values.get(GIFTS) or []]
    known = [a for a in amounts if a is not None]
    return sum(known) if known else None


def _names(items: Sequence[Values], name: Callable[[Values], str]) -> str:
    from wizard.display import dutch_list

    return dutch_list([name(item) for item in items])


def _tie_name(tie: Values) -> str:
    return f"{tie.get('partner') or '?'} ({tie.get('land') or '?'})"


def _goals_not_accounted(values: Values, framework: Values, earlier: Sequence[Values]) -> str:
    have = {goal_key(g) for g in values.get(GOALS) or []}
    missing = [g for g in framework.get("doelen") or [] if goal_key(g) not in have]
    return _names(missing, lambda g: str(g.get("omschrijving") or "?"))


def _ties_not_accounted(values: Values, framework: Values, earlier: Sequence[Values]) -> str:
    have = {tie_key(t) for t in values.get(TIES) or []}
    missing = [t for t in accounted_ties(framework, _year(values)) if tie_key(t) not in have]
    return _names(missing, _tie_name)


def _policy_evaluation_missed(values: Values, framework: Values, earlier: Sequence[Values]) -> bool:
    year, due = _year(values), framework.get("evaluatie_beleid_jaar")
    if year is None or not isinstance(due, int) or year < due:
        return False
    return not any(p.get("evaluatie_gedaan") is True for p in [*earlier, values])


def _bool(kind: str = "bool", group: str | None = None, label: str = "") -> FieldSpec:
    return FieldSpec(kind, group=group, label=label)


ITEM_FACTS: dict[str, dict[str, ItemFact]] = {
    GOALS: {
        "in_kader": ItemFact(
            _bool(group=GOALS), "het doel staat in het kader", lambda i, g, v, f, e: g is not None
        ),
        "indicator": ItemFact(
            _bool("text", GOALS),
            "de indicator uit het kader",
            lambda i, g, v, f, e: (g or {}).get("indicator"),
        ),
        "termijn": ItemFact(
            _bool("number", GOALS), "het jaar uit het kader", lambda i, g, v, f, e: (g or {}).get("termijn")
        ),
        "termijn_verstreken": ItemFact(
            _bool(group=GOALS),
            "het jaar van het doel is bereikt of voorbij",
            lambda i, g, v, f, e: _term_passed(i, g, v),
        ),
        "zonder_meting": ItemFact(
            _bool(group=GOALS),
            "het jaar van het doel is voorbij en er is geen meting",
            lambda i, g, v, f, e: _term_passed(i, g, v) and not is_filled(i.get("gemeten")),
        ),
    },
    TIES: {
        "in_kader": ItemFact(
            _bool(group=TIES), "de band staat in het kader", lambda i, t, v, f, e: t is not None
        ),
        "gaat_door": ItemFact(
            _bool(group=TIES),
            "het kader zet de band voort",
            lambda i, t, v, f, e: t is not None and framework_facts.goes_on(t),
        ),
        "verslag_afgesproken": ItemFact(
            _bool(group=TIES),
            "het kader spreekt voor deze band een jaarlijks verslag aan de raad af",
            lambda i, t, v, f, e: (t or {}).get("jaarverslag_raad") is True,
        ),
        "plafond": ItemFact(
            _bool("number", TIES),
            "het plafond per jaar uit het kader",
            lambda i, t, v, f, e: (t or {}).get("budgetplafond"),
        ),
        "boven_plafond": ItemFact(
            _bool("number", TIES),
            "wat de band meer kostte dan het plafond",
            lambda i, t, v, f, e: _above(i.get("uitgegeven"), (t or {}).get("budgetplafond")),
        ),
        "jaren_zonder_activiteit": ItemFact(
            _bool("number", TIES),
            "jaren op rij zonder activiteit, tot en met deze periode",
            lambda i, t, v, f, e: _years_without_activity(i, v, e),
        ),
        "slaapt_te_lang": ItemFact(
            _bool(group=TIES),
            "zo lang zonder activiteit als de afspraken over stoppen toestaan",
            lambda i, t, v, f, e: _sleeps_too_long(i, t, v, e),
        ),
        "evaluatie_jaar": ItemFact(
            _bool("number", TIES),
            "het jaar van evaluatie uit het kader",
            lambda i, t, v, f, e: (t or {}).get("evaluatie_jaar"),
        ),
        "evaluatie_gemist": ItemFact(
            _bool(group=TIES),
            "het jaar van evaluatie is voorbij zonder evaluatie",
            _tie_evaluation_missed,
        ),
        "einddatum": ItemFact(
            _bool("number", TIES),
            "het jaar waarin de band volgens het kader eindigt",
            lambda i, t, v, f, e: (t or {}).get("einddatum"),
        ),
        "na_einddatum": ItemFact(
            _bool(group=TIES),
            "de band was actief of kostte geld na het jaar waarin hij volgens het kader eindigt",
            lambda i, t, v, f, e: _past_end(i, t, v),
        ),
        "afspraken_stoppen": ItemFact(
            _bool("text", TIES),
            "de afspraken over stoppen uit het kader",
            lambda i, t, v, f, e: (t or {}).get("exitcriteria"),
        ),
    },
    GIFTS: {
        "plafond": ItemFact(
            _bool("number", GIFTS),
            "het plafond per ramp uit het kader",
            lambda i, t, v, f, e: f.get("ramp_plafond"),
        ),
        "boven_plafond": ItemFact(
            _bool("number", GIFTS),
            "wat de gift meer was dan het plafond per ramp",
            lambda i, t, v, f, e: _above(i.get("bedrag"), f.get("ramp_plafond")),
        ),
        "buiten_kader": ItemFact(
            _bool(group=GIFTS),
            "de gift viel buiten het kader voor hulp na rampen",
            lambda i, t, v, f, e: _gift_outside(i, f),
        ),
        "zonder_rampenkader": ItemFact(
            _bool(group=GIFTS),
            "de gemeente gaf, terwijl het kader geen kader voor hulp na rampen heeft",
            lambda i, t, v, f, e: f.get("ramp_keuze") != "kader",
        ),
    },
}

FACTS: dict[str, Fact] = {
    "budget_jaar": Fact(
        _bool("number"), "het budget per jaar uit het kader", lambda v, f, e: f.get("budget_jaar")
    ),
    "boven_budget": Fact(
        _bool("number"),
        "wat er meer is uitgegeven dan het budget",
        lambda v, f, e: _above(v.get("uitgegeven_totaal"), f.get("budget_jaar")),
    ),
    "evaluatie_beleid_jaar": Fact(
        _bool("number"),
        "het jaar van evaluatie uit het kader",
        lambda v, f, e: f.get("evaluatie_beleid_jaar"),
    ),
    "evaluatie_beleid_gemist": Fact(
        _bool(), "het jaar van evaluatie is voorbij zonder evaluatie", _policy_evaluation_missed
    ),
    "rampenkader": Fact(
        _bool(),
        "het kader heeft een kader voor hulp na rampen",
        lambda v, f, e: f.get("ramp_keuze") == "kader",
    ),
    "ramp_plafond_jaar": Fact(
        _bool("number"), "het plafond per jaar voor rampen", lambda v, f, e: f.get("ramp_plafond_jaar")
    ),
    "giften_totaal": Fact(_bool("number"), "alle giften samen", lambda v, f, e: _gifts_total(v)),
    "giften_boven_jaarplafond": Fact(
        _bool("number"),
        "wat de giften samen meer waren dan het plafond per jaar",
        lambda v, f, e: _above(_gifts_total(v), f.get("ramp_plafond_jaar")),
    ),
    "delen_totaal": Fact(
        _bool("number"), "wat de banden en de giften samen kostten", lambda v, f, e: _parts_total(v)
    ),
    "totaal_te_laag": Fact(
        _bool("number"),
        "wat de banden en giften samen meer kostten dan het totaal dat is uitgegeven",
        lambda v, f, e: _above(_parts_total(v), v.get("uitgegeven_totaal")),
    ),
    "doelen_niet_verantwoord": Fact(
        _bool("text"), "doelen uit het kader die hier ontbreken", _goals_not_accounted
    ),
    "banden_niet_verantwoord": Fact(
        _bool("text"), "banden uit het kader die hier ontbreken", _ties_not_accounted
    ),
}

# Facts that count things: a message says "twee jaar", not "2 jaar".
COUNT_FACTS = frozenset({f"{TIES}.jaren_zonder_activiteit", f"{TIES}.stopgrens_jaren"})
# Facts that are years from the framework: a message says "2028", not "2.028".
YEAR_FACTS = frozenset(
    {f"{GOALS}.termijn", f"{TIES}.evaluatie_jaar", f"{TIES}.einddatum", "evaluatie_beleid_jaar"}
)
# Facts that are amounts in euro: a message shows them as "€ 25.000".
AMOUNT_FACTS = frozenset(
    {
        "budget_jaar",
        "boven_budget",
        "ramp_plafond_jaar",
        "giften_totaal",
        "giften_boven_jaarplafond",
        "delen_totaal",
        "totaal_te_laag",
        f"{TIES}.plafond",
        f"{TIES}.boven_plafond",
        f"{GIFTS}.plafond",
        f"{GIFTS}.boven_plafond",
    }
)
# Which answers of the verantwoording each fact reads (the rest comes from the framework or
# from earlier periods): for a front-end that shows a finding after the part that settles it,
# as wizard/facts.py's SOURCES does for the framework.
_GOAL, _TIE = (f"{GOALS}.omschrijving",), (f"{TIES}.partner", f"{TIES}.land")
SOURCES: dict[str, tuple[str, ...]] = {
    f"{GOALS}.in_kader": _GOAL,
    f"{GOALS}.indicator": _GOAL,
    f"{GOALS}.termijn": _GOAL,
    f"{GOALS}.termijn_verstreken": ("jaar", *_GOAL),
    f"{GOALS}.zonder_meting": ("jaar", *_GOAL, f"{GOALS}.gemeten"),
    f"{TIES}.in_kader": _TIE,
    f"{TIES}.gaat_door": _TIE,
    f"{TIES}.verslag_afgesproken": _TIE,
    f"{TIES}.plafond": _TIE,
    f"{TIES}.boven_plafond": (*_TIE, f"{TIES}.uitgegeven"),
    f"{TIES}.jaren_zonder_activiteit": (*_TIE, f"{TIES}.actief"),
    f"{TIES}.slaapt_te_lang": (*_TIE, f"{TIES}.actief", f"{TIES}.stopgrens_jaren"),
    f"{TIES}.evaluatie_jaar": _TIE,
    f"{TIES}.evaluatie_gemist": ("jaar", *_TIE, f"{TIES}.geevalueerd"),
    f"{TIES}.einddatum": _TIE,
    f"{TIES}.na_einddatum": ("jaar", *_TIE, f"{TIES}.actief", f"{TIES}.uitgegeven"),
    f"{TIES}.afspraken_stoppen": _TIE,
    f"{GIFTS}.plafond": (),
    f"{GIFTS}.boven_plafond": (f"{GIFTS}.bedrag",),
    f"{GIFTS}.buiten_kader": (f"{GIFTS}.bedrag", f"{GIFTS}.volgens_kader"),
    f"{GIFTS}.zonder_rampenkader": (f"{GIFTS}.ramp",),
    "budget_jaar": (),
    "boven_budget": ("uitgegeven_totaal",),
    "evaluatie_beleid_jaar": (),
    "evaluatie_beleid_gemist": ("jaar", "evaluatie_gedaan"),
    "rampenkader": (),
    "ramp_plafond_jaar": (),
    "giften_totaal": (GIFTS,),
    "giften_boven_jaarplafond": (GIFTS,),
    "delen_totaal": (f"{TIES}.uitgegeven", GIFTS),
    "totaal_te_laag": ("uitgegeven_totaal", f"{TIES}.uitgegeven", GIFTS),
    "doelen_niet_verantwoord": (GOALS,),
    "banden_niet_verantwoord": ("jaar", TIES),
}
_COUNTERPART: dict[str, Callable[[Values, Values], Values | None]] = {
    GOALS: framework_goal,
    TIES: framework_tie,
}


def specs() -> dict[str, FieldSpec]:
    """Field specs of every derived fact, for checking the rules' conditions."""
    result = {name: fact.spec for name, fact in FACTS.items()}
    for group, item_facts in ITEM_FACTS.items():
        for name, item_fact in item_facts.items():
            result[f"{group}.{name}"] = item_fact.spec
    return result


def derive(values: Values, framework: Values, earlier: Sequence[Values] = ()) -> dict[str, Any]:
    """The answers of one period plus the facts that read the framework and earlier periods."""
    result: dict[str, Any] = dict(values)
    for group, item_facts in ITEM_FACTS.items():
        items = []
        for item in values.get(group) or []:
            counterpart = _COUNTERPART[group](framework, item) if group in _COUNTERPART else None
            enriched = dict(item)
            for name, item_fact in item_facts.items():
                enriched[name] = item_fact.compute(item, counterpart, values, framework, earlier)
            items.append(enriched)
        result[group] = items
    for name, fact in FACTS.items():
        result[name] = fact.compute(values, framework, earlier)
    return result


# --- loading ------------------------------------------------------------------------------


@dataclass
class Period:
    path: Path | None
    answers: answers_mod.Answers
    values: dict[str, Any] = field(default_factory=dict)  # answers plus facts
    findings: list[rules_mod.Finding] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return _year(self.answers.values)


@dataclass
class Evaluation:
    framework_path: Path | None
    framework: answers_mod.Answers
    questionnaire: Questionnaire  # the framework's
    accountability: Questionnaire  # the verantwoording's
    periods: list[Period]

    @property
    def last(self) -> Period:
        return self.periods[-1]

    @property
    def findings(self) -> list[rules_mod.Finding]:
        return self.last.findings


def questionnaires() -> tuple[Questionnaire, Questionnaire]:
    """The framework's questionnaire and the verantwoording's (both checked, from the cache)."""
    return (
        questionnaire_mod.load_cached(),
        questionnaire_mod.load_cached(questionnaire_mod.VERANTWOORDING),
    )


def load_rules(
    accountability: Questionnaire, extra_dirs: Sequence[Path] = (), bundled: bool = True
) -> rules_mod.RuleSet:
    """The control rules (rules/verantwoording/) and any own folders (an own rule replaces a
    bundled one with the same id), checked against the verantwoording's questions and the
    facts above."""
    files = sorted((rules_dir() / RULES_FOLDER).glob("*.yaml")) if bundled else []
    own = rules_mod.own_files(extra_dirs)  # listed as the framework's own rule folders are
    return rules_mod.load_files([*files, *own], accountability, own_from=len(files), derived=specs())


def framework_of(path: Path, answers: answers_mod.Answers) -> Path | None:
    """The framework file a verantwoording names, relative to the verantwoording's folder."""
    name = answers.values.get(FRAMEWORK_KEY)
    if not isinstance(name, str) or not name.strip():
        return None
    return path.parent / name.strip()


def _say_notes(path: Path, answers: answers_mod.Answers) -> None:
    """What loading noticed (an older file, a Windows-1252 file), as `toets` says it: never silently."""
    import sys

    for line in answers.upgraded:
        print(f"{path}: {line}", file=sys.stderr)


def load(paths: Sequence[Path], rule_dirs: Sequence[Path] = (), skip_rules: Sequence[str] = ()) -> Evaluation:
    """Load one or more verantwoording files of one framework; every problem at once."""
    questionnaire, accountability = questionnaires()
    problems = Collector()
    loaded: list[tuple[Path, answers_mod.Answers]] = []
    for path in paths:
        try:
            loaded.append((path, answers_mod.load(path, accountability)))
        except DataError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any()
    for path, answers in loaded:
        _say_notes(path, answers)
    if not loaded:
        raise DataError([Problem("geef minstens één verantwoording op.")])
    frameworks: dict[Path, list[Path]] = {}
    for path, answers in loaded:
        target = framework_of(path, answers)
        if target is None:
            problems.add(
                Problem(
                    "deze verantwoording noemt geen kader.",
                    file=path,
                    field=FRAMEWORK_KEY,
                    hint="Zet bovenaan 'kader: ' met de naam van het antwoordenbestand van het kader, "
                    "of begin opnieuw met: beleidsnotitie verantwoord KADER.yaml",
                )
            )
            continue
        frameworks.setdefault(target.resolve(), []).append(path)
    problems.raise_if_any()
    if len(frameworks) > 1:
        names = "; ".join(f"{', '.join(map(str, files))} → {target}" for target, files in frameworks.items())
        raise DataError(
            [
                Problem(
                    f"deze verantwoordingen horen bij verschillende kaders ({names}).",
                    hint="Evalueer de verantwoordingen van één kader samen.",
                )
            ]
        )
    path, answers = loaded[0]
    framework_path = framework_of(path, answers) or next(iter(frameworks))
    if not framework_path.is_file():
        raise DataError(
            [
                Problem(
                    f"het kader '{answers.values[FRAMEWORK_KEY]}' "
                    + (
                        "is geen gewoon bestand maar een map, pijp of apparaat"
                        if framework_path.exists()
                        else "is niet gevonden"
                    )
                    + f" ({framework_path}).",
                    file=path,
                    line=_lines(path).line((FRAMEWORK_KEY,)),
                    field=FRAMEWORK_KEY,
                    hint="Zet bij 'kader:' de naam van het antwoordenbestand van het kader, vanuit de map "
                    "van deze verantwoording (bijvoorbeeld 'kader: mijn-gemeente.yaml').",
                )
            ]
        )
    framework = answers_mod.load(framework_path, questionnaire)
    _say_notes(framework_path, framework)
    periods = [Period(path, answers) for path, answers in loaded]
    problems.extend(check_link(framework.values, periods))
    problems.raise_if_any()
    periods.sort(key=lambda p: p.year or 0)
    rule_set = load_rules(accountability, rule_dirs).without(skip_rules)
    earlier: list[Values] = []
    for period in periods:
        period.values = derive(period.answers.values, framework.values, earlier)
        period.findings = rules_mod.evaluate(
            rule_set,
            period.values,
            accountability,
            amounts=AMOUNT_FACTS,
            counts=COUNT_FACTS,
            years=YEAR_FACTS,
        )
        earlier.append(period.answers.values)
    return Evaluation(framework_path, framework, questionnaire, accountability, periods)


def check_link(framework: Values, periods: Sequence[Period]) -> list[Problem]:
    """What keeps a verantwoording from its framework: another fingerprint, a goal or tie the
    framework does not have, two periods over the same year."""
    problems = []
    now = fingerprint(framework)
    years: dict[int, Path | None] = {}
    for period in periods:
        values, path = period.answers.values, period.path
        located = _lines(path)
        stored = values.get(FINGERPRINT_KEY)
        if is_filled(stored) and str(stored).strip() != now:
            problems.append(
                Problem(
                    f"het kader is veranderd nadat deze verantwoording begon (vingerafdruk {stored}, "
                    f"nu {now}).",
                    file=path,
                    line=located.line((FINGERPRINT_KEY,)),
                    field=FINGERPRINT_KEY,
                    hint="Kijk na of de doelen, banden en bedragen in deze verantwoording nog bij het kader "
                    f"passen. Klopt het, zet dan 'kader_vingerafdruk: {now}'.",
                )
            )
        seen_goals: set[str] = set()
        for index, goal in enumerate(values.get(GOALS) or []):
            if framework_goal(framework, goal) is None:
                problems.append(
                    Problem(
                        f"het doel '{goal.get('omschrijving') or '?'}' staat niet in het kader.",
                        file=path,
                        line=located.line((GOALS, index, "omschrijving")),
                        field=f"{GOALS}.{index}.omschrijving",
                        hint="Schrijf de omschrijving precies zoals in het kader, of haal het doel hier weg.",
                    )
                )
            elif goal_key(goal) in seen_goals:  # which of the two counts would be a guess
                problems.append(
                    Problem(
                        f"het doel '{goal.get('omschrijving') or '?'}' staat twee keer in deze verantwoording.",
                        file=path,
                        line=located.line((GOALS, index, "omschrijving")),
                        field=f"{GOALS}.{index}.omschrijving",
                        hint="Haal één van de twee weg: zet de meting en het oordeel bij één doel.",
                    )
                )
            seen_goals.add(goal_key(goal))
        seen_ties: set[tuple[str, str]] = set()
        for index, tie in enumerate(values.get(TIES) or []):
            if framework_tie(framework, tie) is None:
                problems.append(
                    Problem(
                        f"de band met {_tie_name(tie)} staat niet in het kader.",
                        file=path,
                        line=located.line((TIES, index, "partner")),
                        field=f"{TIES}.{index}.partner",
                        hint="Schrijf partner en land precies zoals in het kader, of haal de band hier weg.",
                    )
                )
            elif tie_key(tie) in seen_ties:  # both would be counted: amounts and findings twice
                problems.append(
                    Problem(
                        f"de band met {_tie_name(tie)} staat twee keer in deze verantwoording.",
                        file=path,
                        line=located.line((TIES, index, "partner")),
                        field=f"{TIES}.{index}.partner",
                        hint="Haal één van de twee weg: zet wat er gebeurde en wat het kostte bij één band.",
                    )
                )
            seen_ties.add(tie_key(tie))
        year = _year(values)
        if year is None:
            problems.append(
                Problem(
                    "deze verantwoording noemt geen jaar.",
                    file=path,
                    field="jaar",
                    hint="Zet 'jaar: ' met het jaar waarover zij gaat.",
                )
            )
        elif year in years:
            problems.append(
                Problem(
                    f"twee verantwoordingen gaan over {year} ({years[year]} en {path}).",
                    file=path,
                    line=located.line(("jaar",)),
                    field="jaar",
                    hint="Geef elke verantwoording een eigen jaar.",
                )
            )
        else:
            years[year] = path
    return problems


def _lines(path: Path | None) -> yamlsource.Located:
    """Where each answer stands in a verantwoording, for problems with a line number."""
    if path is None:
        return yamlsource.Located(data=None, file="")
    return yamlsource.load_file(path, number_text=True)


# --- rule examples ------------------------------------------------------------------------


def example_values(example: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The values of a control rule's example: verantwoording answers, with the framework's
    answers under `kader:` and earlier periods under `eerder:` (both optional)."""
    questionnaire, accountability = questionnaires()
    data = dict(example)
    framework_data = data.pop(EXAMPLE_FRAMEWORK, None) or {}
    earlier_data = data.pop(EXAMPLE_EARLIER, None) or []
    framework = answers_mod.from_mapping(framework_data, questionnaire, f"{name} kader")
    earlier = [
        answers_mod.from_mapping(period, accountability, f"{name} eerder[{index}]").values
        for index, period in enumerate(earlier_data)
    ]
    answers = answers_mod.from_mapping(data, accountability, name)
    return derive(answers.values, framework.values, earlier)


def run_examples(rule_set: rules_mod.RuleSet, accountability: Questionnaire) -> list[rules_mod.ExampleResult]:
    return rules_mod.run_examples(
        rule_set,
        accountability,
        derive=example_values,
        amounts=AMOUNT_FACTS,
        counts=COUNT_FACTS,
        years=YEAR_FACTS,
    )
