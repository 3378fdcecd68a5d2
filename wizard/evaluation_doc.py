"""The evaluation's documents: the render context and the blocks of the evaluation note and
its raadsvoorstel (templates/evaluatie/, templates/evaluatieraadsvoorstel/).

The context offers the same helpers as the framework's documents (wizard/context.py): every
answer through `toon` (its reader's form, or a visible "[nog invullen: …]" place), and the
framework's own answers beside it (`kader`), so a target or ceiling is printed from the
framework and never from a copy. Per goal and tie, `jaren` holds one row per period that
accounts for it, in order of year; `laatste` is the row of the last period.

The control's findings are content here, not a drafting checklist: they stay in the
definitive version. A definitive version is refused only while a place is still open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wizard import blocks, context, factneeds, facts, readiness
from wizard import documents as documents_mod
from wizard import evaluation as evaluation_mod
from wizard.questionnaire import ROLE_LABELS, Questionnaire
from wizard.render import Renderer
from wizard.rules import SEVERITY_LABELS, Finding

NOTE, PROPOSAL = "evaluatie", "evaluatieraadsvoorstel"
KINDS = (NOTE, PROPOSAL)


@dataclass(frozen=True)
class Row:
    """What one period says about a goal, tie, trip or gift."""

    jaar: int | None
    item: context.Item


@dataclass
class Subject:
    """A goal or tie of the framework, with what each period said about it."""

    naam: str
    kader: context.Item  # the framework's own answers about it
    jaren: list[Row] = field(default_factory=list)
    nu: context.Item | None = None  # what the last period says, when it accounts for it

    @property
    def laatste(self) -> context.Item | None:
        return self.jaren[-1].item if self.jaren else None


@dataclass(frozen=True)
class FindingRow:
    jaar: int | None
    titel: str
    ernst: str
    ernst_label: str
    melding: str
    advies: str
    bron: str


def _subjects(
    evaluation: evaluation_mod.Evaluation,
    framework_group: str,
    group: str,
    same: Any,
    frame_items: Sequence[tuple[int, Mapping[str, Any]]],
) -> list[Subject]:
    """Each framework item (with its index in the framework, which keys its open places) and
    what each period says about it."""
    framework_q = evaluation.questionnaire.by_id[framework_group]
    own_q = evaluation.accountability.by_id[group]
    result = []
    for frame_index, frame in frame_items:
        framework_item = context.Item(framework_q, frame, frame_index)
        subject = Subject(framework_item.naam, framework_item)
        for period in evaluation.periods:
            for index, item in enumerate(period.values.get(group) or []):
                if same(item) == same(frame):
                    subject.jaren.append(Row(period.year, context.Item(own_q, item, index)))
                    if period is evaluation.last:
                        subject.nu = subject.jaren[-1].item
        result.append(subject)
    return result


def _rows(evaluation: evaluation_mod.Evaluation, group: str) -> list[Row]:
    question = evaluation.accountability.by_id[group]
    return [
        Row(period.year, context.Item(question, item, index))
        for period in evaluation.periods
        for index, item in enumerate(period.values.get(group) or [])
    ]


def build_context(evaluation: evaluation_mod.Evaluation, final: bool = False) -> dict[str, Any]:
    """What the evaluation's templates see."""
    framework_values = facts.derive(evaluation.framework, evaluation.questionnaire)
    kader = context.Note(evaluation.questionnaire, framework_values)
    accountability: Questionnaire = evaluation.accountability
    last = evaluation.last
    goals = _subjects(
        evaluation,
        "doelen",
        evaluation_mod.GOALS,
        evaluation_mod.goal_key,
        list(enumerate(framework_values.get("doelen") or [])),
    )
    accounted = {
        evaluation_mod.tie_key(t)
        for period in evaluation.periods
        for t in evaluation_mod.accounted_ties(framework_values, period.year)
    }
    ties = _subjects(
        evaluation,
        factneeds.TIES,
        evaluation_mod.TIES,
        evaluation_mod.tie_key,
        [
            (i, t)
            for i, t in enumerate(framework_values.get(factneeds.TIES) or [])
            if evaluation_mod.tie_key(t) in accounted
        ],
    )
    years = [p.year for p in evaluation.periods if p.year is not None]
    findings = [
        FindingRow(
            jaar=period.year,
            titel=f.title,
            ernst=f.severity,
            ernst_label=SEVERITY_LABELS[f.severity],
            melding=f.message,
            advies=f.advice,
            bron=f.source.text(),
        )
        for period in evaluation.periods
        for f in period.findings
    ]
    base = context.build(evaluation.questionnaire, framework_values, [], final=final)
    return {
        **{
            k: base[k]
            for k in ("open", "griffie", "euro", "getal", "woord", "aantal", "lijst", "klein", "hoofd")
        },
        "zonder_punt": base["zonder_punt"],
        "datum_tekst": base["datum_tekst"],
        "rollen": ROLE_LABELS,
        "kader": kader,
        "gemeente": kader.toon("gemeente_naam"),
        "v": context.Note(accountability, last.values),  # the last period: its conclusions
        "perioden": [
            {"jaar": p.year, "v": context.Note(accountability, p.values)} for p in evaluation.periods
        ],
        "jaren": years,
        "jaren_tekst": context.sentence_list([str(y) for y in years]),
        "doelen": goals,
        "banden": ties,
        "reizen": _rows(evaluation, evaluation_mod.TRIPS),
        "giften": _rows(evaluation, evaluation_mod.GIFTS),
        "bevindingen": findings,
        "blokkerend": [f for f in findings if f.ernst == "blokkerend"],
        "datum": context.dutch_date(last.answers.values.get("datum")),
        "definitief": final,
    }


def _findings_of(evaluation: evaluation_mod.Evaluation) -> list[Finding]:
    return [f for period in evaluation.periods for f in period.findings]


@dataclass
class EvaluationDraft:
    kind: documents_mod.DocumentKind
    blocks: list[blocks.Block]
    meta: documents_mod.Meta


def drafts(
    evaluation: evaluation_mod.Evaluation,
    kinds: Sequence[str] = KINDS,
    final: bool = False,
    template_dir: Any = None,
) -> list[EvaluationDraft]:
    ctx = build_context(evaluation, final)
    values = evaluation.last.answers.values
    municipality = blocks.clean(str(evaluation.framework.values.get("gemeente_naam") or "[naam gemeente]"))
    out = []
    for name in kinds:
        kind = documents_mod.load(name)
        document_blocks = Renderer(template_dir, name).blocks(ctx)
        meta = documents_mod.meta(
            kind,
            municipality=municipality,
            date=context.dutch_date(values.get("datum")),
            version=blocks.clean(str(values.get("versie") or "0.1")),
            author=blocks.clean(str(values.get("auteur") or "[nog invullen]")),
            final=final,
        )
        out.append(EvaluationDraft(kind, document_blocks, meta))
    return out


def readiness_of(documents: Sequence[EvaluationDraft]) -> readiness.Readiness:
    """Open places only: the control's findings are results, and stay in a final version."""
    return readiness.check([], [(d.meta.title, d.blocks) for d in documents])
