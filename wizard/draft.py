"""The pipeline, in one direction: answers → derived facts → findings → context → blocks → .docx.

A `Drafter` loads the questionnaire, rules and templates once and then drafts
many notes; that is what makes batch rendering for hundreds of municipalities cheap.
python-docx is imported only when a document is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import answers as answers_mod
from wizard import blocks, context, facts
from wizard import questionnaire as questionnaire_mod
from wizard import rules as rules_mod
from wizard.render import Renderer

if TYPE_CHECKING:
    from wizard.wordwriter import HouseStyle

TITLE = "Beleidsnotitie internationale samenwerking"
_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass
class Draft:
    """Everything derived from one answers file, before it is written."""

    answers: answers_mod.Answers
    values: dict[str, Any]
    findings: list[rules_mod.Finding]
    blocks: list[blocks.Block]
    meta: Any  # wordwriter.Meta, kept loose so this module does not import python-docx


class Drafter:
    def __init__(
        self,
        rule_dirs: Sequence[Path] = (),
        skip_rules: Sequence[str] = (),
        template_dir: Path | None = None,
        house_style: HouseStyle | None = None,
    ) -> None:
        self.questionnaire = questionnaire_mod.load()
        self.rules = rules_mod.load(self.questionnaire, rule_dirs).without(skip_rules)
        self.renderer = Renderer(template_dir)
        self.house_style = house_style

    def load(self, path: Path) -> answers_mod.Answers:
        return answers_mod.load(path, self.questionnaire)

    def findings(self, answers: answers_mod.Answers) -> list[rules_mod.Finding]:
        return rules_mod.evaluate(self.rules, facts.derive(answers), self.questionnaire)

    def draft(self, answers: answers_mod.Answers) -> Draft:
        values = facts.derive(answers)
        findings = rules_mod.evaluate(self.rules, values, self.questionnaire)
        ctx = context.build(self.questionnaire, values, findings, answers.notes)
        document_blocks = self.renderer.blocks(ctx)
        return Draft(answers, values, findings, document_blocks, self.meta(answers))

    def meta(self, answers: answers_mod.Answers) -> Any:
        from wizard.wordwriter import Meta

        name = blocks.clean(str(answers.get("gemeente_naam") or "[naam gemeente]"))
        keywords = ["internationale samenwerking", "beleidsnotitie", "gemeenteraad", name]
        return Meta(
            title=TITLE,
            municipality=name,
            date=dutch_date(answers.get("datum")),
            version=blocks.clean(str(answers.get("versie") or "0.1")),
            author=blocks.clean(str(answers.get("auteur") or "[nog invullen]")),
            keywords=keywords,
        )

    def docx(self, answers: answers_mod.Answers) -> bytes:
        from wizard import wordwriter

        draft = self.draft(answers)
        return wordwriter.write(draft.blocks, draft.meta, self.house_style)


def dutch_date(value: Any) -> str:
    """'2026-11-23' → '23 november 2026'; today when no date is given."""
    try:
        day = dt.date.fromisoformat(str(value)) if value else dt.date.today()
    except ValueError:
        return str(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
