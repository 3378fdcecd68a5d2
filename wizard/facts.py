"""Derived facts: values computed from the answers and offered to rules and templates.

Rules stay declarative by naming these like any other field ("budget_per_inwoner
minder_dan 0.2"). Each fact is declared once in FACTS (or ITEM_FACTS for one item of
a repeating group) with its kind, a description and the answers it is computed from,
so conditions that use it are checked when the rules load and the wizard knows after
which part a finding that uses it can be shown.

The note, the raadsvoorstel and the rules all read these same values, so what a
beslispunt says and what a chapter says cannot disagree: a tie that is being ended is
not counted as a tie that goes on, the cost overview adds up the same amounts the
rules compare with the budget, and a year is judged against the note's own date.

What a reader sees is data, not code: how a missing answer is named (`ontbreekt:` in
questions/vragenlijst.yaml), the lines of the cost overview and the deadlines of the budget
moments (questions/geld.yaml). This module knows only *which* answers make up a fact;
`check` makes a gap in that data a load error of the questionnaire.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from wizard.answers import Answers
from wizard.conditions import Env, FieldSpec, evaluate, is_filled
from wizard.display import PLACEHOLDER, display
from wizard.factneeds import (  # what the facts need of the questionnaire, checked at its load
    BUDGET_MOMENT,
    ENDING_FIELDS,
    FRAMEWORK_AMOUNTS,
    STEERING_FIELDS,
    TIES,
)
from wizard.questionnaire import CostItem, Question, Questionnaire

Values = Mapping[str, Any]

ENDING = "beeindigen"

# An EU subsidy goal shorter than this says too little to steer on (the tool's own threshold).
MIN_GOAL_WORDS = 3

# How the budget is covered: choices of `dekking` (questions/keuzelijsten.yaml).
EXISTING, PART_NEW, ALL_NEW = "bestaande_post", "deels_nieuw", "nieuw_geld"
# The budget beslispunt the answers support (fact `geld_besluit`): a placeholder for a missing
# budget, none at all when there is no money, a shortfall the council must settle first, coverage
# still open, a new part larger than the budget, all within the existing budget, or new money.
MONEY_DECISIONS = ("open_budget", "geen", "tekort", "open_dekking", "tegenstrijdig", "bestaand", "nieuw")
# The disaster criteria that make help depend on who lives in the municipality (unequal treatment).
UNEQUAL_CRITERIA = frozenset({"herkomstland"})

# What each fact reads (its `sources`), per question: 'budget_jaar', a field of a group as
# 'partnerschappen.advies', and a group's name alone for its items only (how many there are). The
# short route asks some fields of a group and not others, so a fact names the fields it reads: a
# rule about the money per tie, which reads only the proposal per tie, is then no longer left for
# the full route because the group also has a werkplan field (issue 23, R2). A test removes every
# other answer from the examples and checks that no fact changes.
_PROPOSAL = f"{TIES}.advies"
# The lines of the cost overview (geld.yaml): each amount and the answers that decide whether its
# question is asked (its `wanneer`), since only asked amounts are counted.
_COST_SOURCES = (
    _PROPOSAL,
    f"{TIES}.budgetplafond",
    "subsidies_gebruik",
    "subsidies.cofinanciering",
    "dienstreizen",
    "dienstreis_kosten",
    "ramp_keuze",
    "ramp_plafond_jaar",
)
_STEERING_SOURCES = tuple(f"{TIES}.{name}" for name in STEERING_FIELDS)
_ENDING_SOURCES = tuple(f"{TIES}.{name}" for name in ENDING_FIELDS)


@dataclass(frozen=True)
class Fact:
    spec: FieldSpec
    description: str
    compute: Callable[[Values, Questionnaire], Any]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ItemFact:
    spec: FieldSpec
    description: str
    compute: Callable[[Values, Values, Questionnaire], Any]  # (item, all values, questionnaire)
    sources: tuple[str, ...]


def note_year(values: Values) -> int:
    """The year of the note: its date when given and valid, else this year."""
    raw = values.get("datum")
    try:
        return dt.date.fromisoformat(str(raw)).year if raw else dt.date.today().year
    except ValueError:
        return dt.date.today().year


def _amount(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _ties(values: Values) -> list[Mapping[str, Any]]:
    return [t for t in values.get("partnerschappen") or [] if isinstance(t, Mapping)]


def goes_on(tie: Values) -> bool:
    """A tie goes on unless the proposal is to end it (an open proposal keeps it going)."""
    return tie.get("advies") != ENDING


def _continuing(values: Values) -> list[Mapping[str, Any]]:
    return [t for t in _ties(values) if goes_on(t)]


def _ratio(numerator: Any, denominator: float) -> float | None:
    if not isinstance(numerator, int | float) or isinstance(numerator, bool) or not denominator:
        return None
    return round(numerator / denominator, 2)


def _given(item: Values, name: str) -> bool:
    value = item.get(name)
    return is_filled(value) and value is not False


def name_when_missing(questionnaire: Questionnaire, key: str) -> str:
    """How a reader names an answer while it is missing: its `ontbreekt:` text. (The load
    checks every answer a fact names; should one slip through, its field name shows.)"""
    question = questionnaire.question(key)
    return question.ontbreekt if question is not None and question.ontbreekt else key


def _missing_steering(tie: Values, values: Values, questionnaire: Questionnaire) -> list[str]:
    if not goes_on(tie):
        return []
    return [
        name_when_missing(questionnaire, f"{TIES}.{name}")
        for name in STEERING_FIELDS
        if not _given(tie, name)
    ]


def _missing_ending(tie: Values, values: Values, questionnaire: Questionnaire) -> list[str]:
    if goes_on(tie):
        return []
    return [
        name_when_missing(questionnaire, f"{TIES}.{name}")
        for name in ENDING_FIELDS
        if not is_filled(tie.get(name))
    ]


def _before_note(field: str) -> Callable[[Values, Values, Questionnaire], Any]:
    def compute(item: Values, values: Values, questionnaire: Questionnaire) -> Any:
        year = item.get(field)
        if not isinstance(year, int | float) or isinstance(year, bool):
            return None
        return year < note_year(values)

    return compute


def _goal_is_clear(item: Values, values: Values, questionnaire: Questionnaire) -> bool:
    text = item.get("doel")
    return isinstance(text, str) and len(re.findall(r"\w{2,}", text)) >= MIN_GOAL_WORDS


def _goal_complete(item: Values, values: Values, questionnaire: Questionnaire | None = None) -> bool:
    return all(is_filled(item.get(name)) for name in ("omschrijving", "indicator", "termijn"))


def _motives_without(values: Values, covered: set[str]) -> list[str]:
    return [m for m in values.get("motieven") or [] if m not in covered]


def _motives_without_goal(values: Values) -> list[str]:
    covered = {goal.get("motief") for goal in values.get("doelen") or [] if isinstance(goal, Mapping)}
    return _motives_without(values, {c for c in covered if c})


def _motives_without_benefit(values: Values) -> list[str]:
    benefits = values.get("motief_opbrengst") or {}
    return _motives_without(values, {k for k, v in benefits.items() if is_filled(v)})


def _main_motive_chosen(values: Values) -> Any:
    main = values.get("hoofdmotief")
    if main is None:
        return None
    return main in (values.get("motieven") or [])


def _active(values: Values) -> bool:
    activity = [a for a in values.get("huidige_activiteit") or [] if a != "geen"]
    return bool(activity) or bool(values.get("partnerschappen"))


def disaster_framework(values: Values) -> bool:
    """Whether this note holds a disaster framework. (A file from before the decision
    question existed gets its `ramp_keuze` from wizard.migrate when it loads.)"""
    return values.get("ramp_keuze") == "kader"


def _disaster_gift(values: Values) -> float | None:
    """What one gift after a disaster costs under the framework: amount per inhabitant
    times inhabitants, capped by the ceiling per disaster."""
    if not disaster_framework(values):
        return None
    per_inhabitant, inhabitants = values.get("ramp_bedrag_per_inwoner"), values.get("inwoners")
    if not isinstance(per_inhabitant, int | float) or not isinstance(inhabitants, int | float):
        return None
    gift = float(per_inhabitant) * float(inhabitants)
    ceiling = values.get("ramp_plafond")
    if isinstance(ceiling, int | float) and not isinstance(ceiling, bool):
        gift = min(gift, float(ceiling))
    return round(gift, 2)


def _asked(question: Question, env: Env) -> bool:
    return question.wanneer is None or evaluate(question.wanneer, env)


def _cost_places(
    values: Values, questionnaire: Questionnaire
) -> Iterator[tuple[CostItem, Any, Mapping[str, Any] | None]]:
    """Each line of the cost overview that applies (geld.yaml), with its amount and, for a
    field of a group, its item: only where the amount's question is asked (its `wanneer`),
    so the ceiling of a tie that ends is not counted."""
    env = Env(values)
    for cost in questionnaire.costs:
        question = questionnaire.question(cost.amount)
        if question is None:
            continue
        if not question.group:
            if _asked(question, env):
                yield cost, values.get(question.id), None
            continue
        group = questionnaire.by_id[question.group]
        if not _asked(group, env):
            continue
        for item in values.get(question.group) or []:
            if isinstance(item, Mapping) and _asked(question, env.with_item(question.group, item)):
                yield cost, item.get(question.id), item


def _cost_text(
    text: str, cost: CostItem, item: Mapping[str, Any] | None, questionnaire: Questionnaire
) -> str:
    """A line's name with the item's answers filled in ('Band met {partner}' → 'Band met Tata')."""
    if item is None or "{" not in text:
        return text
    group = cost.amount.split(".", 1)[0]

    def fill(match: re.Match[str]) -> str:
        for name in match.group(1).split("|"):
            value = item.get(name)
            if is_filled(value):
                return display(value, questionnaire.question(f"{group}.{name}"))
        return cost.unnamed

    return PLACEHOLDER.sub(fill, text)


def cost_lines(values: Values, questionnaire: Questionnaire) -> list[tuple[str, float]]:
    """The yearly commitments the answers make, each named: what the cost overview lists
    and what is set against the budget. Only amounts that were answered are listed."""
    return [
        (_cost_text(cost.name, cost, item, questionnaire), _amount(amount))
        for cost, amount, item in _cost_places(values, questionnaire)
        if is_filled(amount)
    ]


def _costs_missing(values: Values, questionnaire: Questionnaire) -> list[str]:
    """The yearly commitments that have no amount yet, named for a reader."""
    return [
        _cost_text(cost.missing, cost, item, questionnaire)
        for cost, amount, item in _cost_places(values, questionnaire)
        if not is_filled(amount)
    ]


def _earlier(
    values: Values, name: str, compute: Callable[[Values, Questionnaire], Any], questionnaire: Questionnaire
) -> Any:
    """A fact that `derive` has computed already (FACTS are computed in order), else computed
    now: the cost overview is walked once for its lines and once for what it misses."""
    return values[name] if name in values else compute(values, questionnaire)


def _costs_complete(values: Values, questionnaire: Questionnaire) -> bool:
    """Whether every yearly commitment has an amount: a ceiling for each tie that goes on,
    the own share of each subsidy, the cost of trips when there are any, and the yearly
    ceiling of a disaster framework. Only then can the note say the plans fit the budget."""
    return not _earlier(values, "kosten_ontbreekt", _costs_missing, questionnaire)


def _cost_total(values: Values, questionnaire: Questionnaire) -> float | None:
    lines = cost_lines(values, questionnaire)
    return round(sum(amount for _, amount in lines), 2) if lines else None


def _budget_moment_passed(values: Values, questionnaire: Questionnaire) -> Any:
    """Whether the moment to fix the budget year's money has passed on the note's date: the
    deadlines per moment are data (geld.yaml, `begrotingsmomenten`, which says which date is
    the law's and which the tool's own assumption)."""
    moment, year = values.get(BUDGET_MOMENT), values.get("begrotingsjaar")
    deadline = questionnaire.deadlines.get(str(moment))
    if deadline is None or not isinstance(year, int) or isinstance(year, bool):
        return None
    raw = values.get("datum")
    try:
        today = dt.date.fromisoformat(str(raw)) if raw else dt.date.today()
    except ValueError:
        today = dt.date.today()
    return today > dt.date(year - 1, deadline.month, deadline.day)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _reserve(values: Values, questionnaire: Questionnaire) -> float:
    """The yearly disaster ceiling when a reserve or the post onvoorzien pays it: it is counted
    in the costs, and covered beside the budget (never silently left out of the totals)."""
    if disaster_framework(values) and values.get("ramp_budgetbron") == "reserve":
        return _amount(values.get("ramp_plafond_jaar"))
    return 0.0


def _covered(values: Values, questionnaire: Questionnaire) -> float | None:
    """The money set against the costs: the yearly budget plus a disaster reserve."""
    budget = _number(values.get("budget_jaar"))
    if budget is None:
        return None
    return round(budget + _amount(_earlier(values, "dekking_reserve", _reserve, questionnaire)), 2)


def _over_budget(values: Values, questionnaire: Questionnaire) -> float | None:
    total = _earlier(values, "kosten_totaal", _cost_total, questionnaire)
    covered = _number(_earlier(values, "dekking_totaal", _covered, questionnaire))
    if not isinstance(total, float) or covered is None:
        return None
    return round(max(total - covered, 0.0), 2)


def _new_money(values: Values, questionnaire: Questionnaire) -> float | None:
    """How much of the yearly budget is new money: what a begrotingswijziging or a kadernota
    decision adds (None while the budget or its coverage is open)."""
    budget, coverage = _number(values.get("budget_jaar")), values.get("dekking")
    if budget is None:
        return None
    if coverage == EXISTING:
        return 0.0
    if coverage == ALL_NEW:
        return budget
    if coverage == PART_NEW:
        return _number(values.get("budget_nieuw"))
    return None


def _existing_money(values: Values, questionnaire: Questionnaire) -> float | None:
    """The part of the yearly budget that is in the budget already."""
    budget = _number(values.get("budget_jaar"))
    new = _number(_earlier(values, "geld_nieuw", _new_money, questionnaire))
    if budget is None or new is None or new > budget:
        return None
    return round(budget - new, 2)


def _money_decision(values: Values, questionnaire: Questionnaire) -> str:
    """Which budget beslispunt the answers make true (one of MONEY_DECISIONS). A shortfall comes
    before coverage: a sentence that the money fits is never written while the amounts say no."""
    budget = _number(values.get("budget_jaar"))
    if budget is None:
        return "open_budget"
    over = _earlier(values, "kosten_boven_budget", _over_budget, questionnaire)
    if not budget and not over:
        return "geen"  # no budget, and nothing to pay but perhaps a disaster reserve
    if not budget:
        return "tekort"
    new = _earlier(values, "geld_nieuw", _new_money, questionnaire)
    if new is not None and new > budget:
        return "tegenstrijdig"
    if _earlier(values, "kosten_boven_budget", _over_budget, questionnaire):
        return "tekort"
    if new is None:
        return "open_dekking"
    return "nieuw" if new else "bestaand"


def _one_off_money_for_more_years(values: Values, questionnaire: Questionnaire) -> bool | None:
    """Whether new money is for the budget year only (geld_duur 'incidenteel') while the framework
    runs on after that year: those years then have no cover (None while a year is missing)."""
    new = _number(_earlier(values, "geld_nieuw", _new_money, questionnaire))
    if values.get("geld_duur") != "incidenteel" or not new:
        return False
    end, year = _number(values.get("looptijd_tot")), _number(values.get("begrotingsjaar"))
    if end is None or year is None:
        return None
    return end > year


def _goal_money(values: Values, questionnaire: Questionnaire) -> float | None:
    goals = [g for g in values.get("doelen") or [] if isinstance(g, Mapping) and is_filled(g.get("budget"))]
    return round(sum(_amount(g.get("budget")) for g in goals), 2) if goals else None


def _goal_money_over_budget(values: Values, questionnaire: Questionnaire) -> Any:
    goals = _number(_earlier(values, "doelen_budget", _goal_money, questionnaire))
    budget = _number(values.get("budget_jaar"))
    if goals is None or budget is None:
        return None
    return goals > budget


def _unequal_disasters(values: Values) -> bool:
    """Whether the framework helps after some disasters only because residents have roots there."""
    if not disaster_framework(values):
        return False
    chosen = set(values.get("ramp_criteria") or [])
    return values.get("ramp_gelijke_behandeling") is False or bool(chosen & UNEQUAL_CRITERIA)


def _gift_over_budget(values: Values, questionnaire: Questionnaire) -> Any:
    gift, budget = _disaster_gift(values), values.get("budget_jaar")
    if gift is None or not isinstance(budget, int | float) or isinstance(budget, bool):
        return None
    return gift > budget


def _missing_framework(values: Values, questionnaire: Questionnaire) -> list[str]:
    if not disaster_framework(values):
        return []
    return [name_when_missing(questionnaire, n) for n in FRAMEWORK_AMOUNTS if not is_filled(values.get(n))]


def _plain(compute: Callable[[Values], Any]) -> Callable[[Values, Questionnaire], Any]:
    """A fact computed from the answers alone (most are)."""
    return lambda values, questionnaire: compute(values)


def _count(group: str) -> Callable[[Values, Questionnaire], Any]:
    return _plain(lambda v: len(v.get(group) or []))


def _year_passed(field: str) -> Callable[[Values, Questionnaire], Any]:
    def compute(values: Values, questionnaire: Questionnaire) -> Any:
        year = values.get(field)
        if not isinstance(year, int | float) or isinstance(year, bool):
            return None
        return year < note_year(values)

    return compute


FACTS: dict[str, Fact] = {
    "notitie_jaar": Fact(
        FieldSpec("number"),
        "Het jaar van de notitie (de datum van het concept, anders dit jaar).",
        _plain(note_year),
        ("datum",),
    ),
    "aantal_banden": Fact(
        FieldSpec("number"),
        "Het aantal banden, ook banden die stoppen.",
        _count("partnerschappen"),
        ("partnerschappen",),
    ),
    "aantal_banden_door": Fact(
        FieldSpec("number"),
        "Het aantal banden dat doorgaat of begint (niet de banden die stoppen).",
        _plain(lambda v: len(_continuing(v))),
        (_PROPOSAL,),
    ),
    "aantal_banden_stop": Fact(
        FieldSpec("number"),
        "Het aantal banden dat de notitie voorstelt te beëindigen.",
        _plain(lambda v: len(_ties(v)) - len(_continuing(v))),
        (_PROPOSAL,),
    ),
    "aantal_doelen": Fact(FieldSpec("number"), "Het aantal doelen.", _count("doelen"), ("doelen",)),
    "aantal_doelen_compleet": Fact(
        FieldSpec("number"),
        "Het aantal doelen met een omschrijving, een indicator en een jaartal.",
        _plain(
            lambda v: sum(1 for d in v.get("doelen") or [] if isinstance(d, Mapping) and _goal_complete(d, v))
        ),
        ("doelen.omschrijving", "doelen.indicator", "doelen.termijn"),
    ),
    "aantal_subsidies": Fact(
        FieldSpec("number"), "Het aantal subsidies en programma's.", _count("subsidies"), ("subsidies",)
    ),
    "budget_per_inwoner": Fact(
        FieldSpec("number"),
        "Het jaarbudget gedeeld door het aantal inwoners, in euro.",
        _plain(lambda v: _ratio(v.get("budget_jaar"), _amount(v.get("inwoners")))),
        ("inwoners", "budget_jaar"),
    ),
    "budget_per_band": Fact(
        FieldSpec("number"),
        "Het jaarbudget gedeeld door het aantal banden dat doorgaat, in euro.",
        _plain(lambda v: _ratio(v.get("budget_jaar"), len(_continuing(v)))),
        ("budget_jaar", _PROPOSAL),
    ),
    "uren_per_band": Fact(
        FieldSpec("number"),
        "De ambtelijke uren per week gedeeld door het aantal banden dat doorgaat.",
        _plain(lambda v: _ratio(v.get("uren_per_week"), len(_continuing(v)))),
        ("uren_per_week", _PROPOSAL),
    ),
    "kosten_totaal": Fact(
        FieldSpec("number"),
        "De vaste kosten per jaar uit de antwoorden: plafonds van banden die doorgaan, eigen bijdragen "
        "aan subsidies, dienstreizen en het plafond per jaar voor hulp na rampen.",
        _cost_total,
        _COST_SOURCES,
    ),
    "dekking_reserve": Fact(
        FieldSpec("number"),
        "Het plafond per jaar voor hulp na rampen als een reserve of de post onvoorzien het betaalt (anders 0).",
        _reserve,
        ("ramp_keuze", "ramp_budgetbron", "ramp_plafond_jaar"),
    ),
    "dekking_totaal": Fact(
        FieldSpec("number"),
        "Het geld tegenover de kosten: het jaarbudget, plus het plafond voor rampen als een reserve dat betaalt.",
        _covered,
        ("budget_jaar", "ramp_keuze", "ramp_budgetbron", "ramp_plafond_jaar"),
    ),
    "kosten_boven_budget": Fact(
        FieldSpec("number"),
        "Hoeveel de vaste kosten per jaar boven het geld uitkomen dat ertegenover staat (0 als ze passen).",
        _over_budget,
        ("budget_jaar", *_COST_SOURCES, "ramp_budgetbron"),
    ),
    "geld_nieuw": Fact(
        FieldSpec("number"),
        "Hoeveel van het jaarbudget nieuw geld is (het bedrag van de begrotingswijziging of van het besluit "
        "bij de kadernota).",
        _new_money,
        ("budget_jaar", "dekking", "budget_nieuw"),
    ),
    "geld_bestaand": Fact(
        FieldSpec("number"),
        "Hoeveel van het jaarbudget al in de begroting staat.",
        _existing_money,
        ("budget_jaar", "dekking", "budget_nieuw"),
    ),
    "geld_besluit": Fact(
        FieldSpec("choice", MONEY_DECISIONS),
        "Welk besluit over geld de antwoorden waar maken: open_budget (geen bedrag), geen (geen geld nodig), "
        "tekort (de kosten zijn hoger dan het geld), open_dekking, tegenstrijdig (meer nieuw geld dan "
        "budget), bestaand (binnen de begroting) of nieuw (nieuw geld).",
        _money_decision,
        ("budget_jaar", "dekking", "budget_nieuw", *_COST_SOURCES, "ramp_budgetbron"),
    ),
    "geld_eenmalig_kader_langer": Fact(
        FieldSpec("bool"),
        "Of het nieuwe geld eenmalig is (alleen voor het begrotingsjaar) terwijl het kader daarna nog doorloopt.",
        _one_off_money_for_more_years,
        ("budget_jaar", "dekking", "budget_nieuw", "geld_duur", "looptijd_tot", "begrotingsjaar"),
    ),
    "doelen_budget": Fact(
        FieldSpec("number"),
        "Het geld per jaar voor de doelen samen (een deel van het jaarbudget).",
        _goal_money,
        ("doelen.budget",),
    ),
    "doelen_boven_budget": Fact(
        FieldSpec("bool"),
        "Of het geld per doel samen meer is dan het jaarbudget.",
        _goal_money_over_budget,
        ("doelen.budget", "budget_jaar"),
    ),
    "kosten_ontbreekt": Fact(
        FieldSpec("choices"),
        "Welke vaste verplichtingen nog geen bedrag hebben.",
        _costs_missing,
        (*_COST_SOURCES, f"{TIES}.partner", "subsidies.naam", "subsidies.programma"),  # and the names
    ),
    "kosten_volledig": Fact(
        FieldSpec("bool"),
        "Of elke vaste verplichting een bedrag heeft (plafond per band, eigen bijdrage per subsidie, "
        "dienstreizen, plafond per jaar voor rampen).",
        _costs_complete,
        _COST_SOURCES,
    ),
    "begroting_voorbij": Fact(
        FieldSpec("bool"),
        "Of de kadernota of begroting voor het gekozen begrotingsjaar al voorbij is op de datum van de notitie.",
        _budget_moment_passed,
        ("pc_moment", "begrotingsjaar", "datum"),
    ),
    "rampenkader": Fact(
        FieldSpec("bool"),
        "Of deze notitie een kader voor hulp na rampen vaststelt.",
        _plain(disaster_framework),
        ("ramp_keuze",),
    ),
    "ramp_gift": Fact(
        FieldSpec("number"),
        "Wat één gift na een ramp kost: bedrag per inwoner keer inwoners, tot het plafond.",
        _plain(_disaster_gift),
        ("ramp_keuze", "ramp_bedrag_per_inwoner", "ramp_plafond", "inwoners"),
    ),
    "ramp_gift_boven_budget": Fact(
        FieldSpec("bool"),
        "Of één gift na een ramp meer kost dan het hele jaarbudget.",
        _gift_over_budget,
        ("ramp_keuze", "ramp_bedrag_per_inwoner", "ramp_plafond", "inwoners", "budget_jaar"),
    ),
    "ramp_ontbreekt": Fact(
        FieldSpec("choices"),
        "Welke bedragen het rampenkader nog mist.",
        _missing_framework,
        ("ramp_keuze", "ramp_bedrag_per_inwoner", "ramp_plafond", "ramp_plafond_jaar"),
    ),
    "ramp_ongelijk": Fact(
        FieldSpec("bool"),
        "Of het rampenkader alleen helpt bij rampen in landen waar inwoners wortels hebben, of rampen "
        "niet gelijk behandelt.",
        _plain(_unequal_disasters),
        ("ramp_keuze", "ramp_criteria", "ramp_gelijke_behandeling"),
    ),
    "heeft_herkomstland_band": Fact(
        FieldSpec("bool"),
        "Of minstens één band met een herkomstland van inwoners is.",
        _plain(lambda v: any(t.get("herkomstland") is True for t in _ties(v))),
        (f"{TIES}.herkomstland",),
    ),
    "actief": Fact(
        FieldSpec("bool"),
        "Of de gemeente nu al iets internationaal doet.",
        _plain(_active),
        ("huidige_activiteit", "partnerschappen"),
    ),
    "hoofdmotief_gekozen": Fact(
        FieldSpec("bool"),
        "Of het hoofdmotief ook bij de gekozen motieven staat.",
        _plain(_main_motive_chosen),
        ("motieven", "hoofdmotief"),
    ),
    "evaluatie_verstreken": Fact(
        FieldSpec("bool"),
        "Of het jaar van de evaluatie van het beleid voor het jaar van de notitie ligt.",
        _year_passed("evaluatie_beleid_jaar"),
        ("evaluatie_beleid_jaar", "datum"),
    ),
    "looptijd_verstreken": Fact(
        FieldSpec("bool"),
        "Of het laatste jaar van het kader voor het jaar van de notitie ligt.",
        _year_passed("looptijd_tot"),
        ("looptijd_tot", "datum"),
    ),
}

ITEM_FACTS: dict[str, dict[str, ItemFact]] = {
    "partnerschappen": {
        "gaat_door": ItemFact(
            FieldSpec("bool", group="partnerschappen"),
            "Of deze band doorgaat of begint (niet: afbouwen en beëindigen).",
            lambda item, values, questionnaire: goes_on(item),
            (_PROPOSAL,),
        ),
        "sturingsmiddelen": ItemFact(
            FieldSpec("number", group="partnerschappen"),
            "Hoeveel sturingsmiddelen deze band heeft (doelen, werkplan, verslag, evaluatie, exitcriteria, "
            "budgetplafond, verantwoordelijke, einddatum).",
            lambda item, values, questionnaire: sum(1 for name in STEERING_FIELDS if _given(item, name)),
            _STEERING_SOURCES,
        ),
        "ontbrekende_sturing": ItemFact(
            FieldSpec("choices", group="partnerschappen"),
            "Welke sturingsmiddelen deze band nog mist (leeg voor een band die stopt).",
            _missing_steering,
            (_PROPOSAL, *_STEERING_SOURCES),
        ),
        "ontbrekende_afbouw": ItemFact(
            FieldSpec("choices", group="partnerschappen"),
            "Wat de afbouw van deze band nog mist (leeg voor een band die doorgaat).",
            _missing_ending,
            (_PROPOSAL, *_ENDING_SOURCES),
        ),
        "evaluatie_verstreken": ItemFact(
            FieldSpec("bool", group="partnerschappen"),
            "Of het jaar van evaluatie van deze band voor het jaar van de notitie ligt.",
            _before_note("evaluatie_jaar"),
            (f"{TIES}.evaluatie_jaar", "datum"),
        ),
    },
    "doelen": {
        "termijn_verstreken": ItemFact(
            FieldSpec("bool", group="doelen"),
            "Of het jaar van dit doel voor het jaar van de notitie ligt.",
            _before_note("termijn"),
            ("doelen.termijn", "datum"),
        ),
        "compleet": ItemFact(
            FieldSpec("bool", group="doelen"),
            "Of dit doel een omschrijving, een indicator en een jaartal heeft.",
            _goal_complete,
            ("doelen.omschrijving", "doelen.indicator", "doelen.termijn"),
        ),
    },
    "subsidies": {
        "doel_helder": ItemFact(
            FieldSpec("bool", group="subsidies"),
            f"Of het doel van deze subsidie in minstens {MIN_GOAL_WORDS} woorden is beschreven "
            "(een drempel van deze tool).",
            _goal_is_clear,
            ("subsidies.doel",),
        ),
    },
}

# Facts that are computed after the others: lists of choice values of a question.
LIST_FACTS: dict[str, tuple[Callable[[Values], Any], tuple[str, ...]]] = {
    "motieven_zonder_doel": (_motives_without_goal, ("motieven", "doelen.motief")),
    "motieven_zonder_opbrengst": (_motives_without_benefit, ("motieven", "motief_opbrengst")),
}

# Facts that are amounts in euro (a message or a document shows them as "€ 25.000").
AMOUNT_FACTS = frozenset(
    {
        "budget_per_band",
        "budget_per_inwoner",
        "kosten_totaal",
        "kosten_boven_budget",
        "ramp_gift",
        "dekking_reserve",
        "dekking_totaal",
        "geld_nieuw",
        "geld_bestaand",
        "doelen_budget",
    }
)

# Facts that count things (a message says "drie banden", not "3 banden").
COUNT_FACTS = frozenset(name for name in FACTS if name.startswith("aantal_"))

# Facts whose values are choice values of a question: shown with that question's labels.
CHOICES_FROM = {
    "motieven_zonder_doel": "motieven",
    "motieven_zonder_opbrengst": "motieven",
}

# Which answers each fact is computed from, per question or field (see _PROPOSAL above): for the
# wizard, after which section a finding that uses the fact can be shown, and on the short route
# whether a finding reads a question that route does not ask (walk.Walk.off_route).
SOURCES: dict[str, tuple[str, ...]] = {
    **{name: fact.sources for name, fact in FACTS.items()},
    **{name: sources for name, (_, sources) in LIST_FACTS.items()},
    **{
        f"{group}.{name}": fact.sources
        for group, item_facts in ITEM_FACTS.items()
        for name, fact in item_facts.items()
    },
}


def specs(questionnaire: Questionnaire) -> dict[str, FieldSpec]:
    """Field specs of every derived fact, for checking conditions that use them."""
    result = {name: fact.spec for name, fact in FACTS.items()}
    for name, question_id in CHOICES_FROM.items():
        question = questionnaire.by_id.get(question_id)
        choices = question.choice_values if question else ()
        result[name] = FieldSpec("choices", choices, label=name.replace("_", " ").capitalize())
    for group, item_facts in ITEM_FACTS.items():
        for name, fact in item_facts.items():
            result[f"{group}.{name}"] = fact.spec
    return result


def derive(answers: Answers, questionnaire: Questionnaire) -> dict[str, Any]:
    """Return answers and derived facts together: the values rules and templates see.
    The questionnaire gives the names a reader sees (`ontbreekt:`, geld.yaml)."""
    values: dict[str, Any] = dict(answers.values)
    for group, item_facts in ITEM_FACTS.items():
        items = []
        for item in values.get(group) or []:
            enriched = dict(item)
            for name, item_fact in item_facts.items():
                enriched[name] = item_fact.compute(item, values, questionnaire)
            items.append(enriched)
        values[group] = items
    for name, fact in FACTS.items():
        values[name] = fact.compute(values, questionnaire)
    for name, (compute, _) in LIST_FACTS.items():
        values[name] = compute(values)
    return values
