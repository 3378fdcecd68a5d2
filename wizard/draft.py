"""The pipeline, in one direction: answers → derived facts → findings → context → blocks → .docx.

A `Drafter` loads the questionnaire, rules and templates once and then drafts
many notes; that is what makes batch rendering for hundreds of municipalities cheap.
One answers file gives several documents (the note, the raadsvoorstel): facts and
findings are derived once and shared. python-docx is imported only to prepare a
house style that is not in the cache yet (wizard/housestyle.py).
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import answers as answers_mod
from wizard import blocks, context, documents, facts, provenance
from wizard import questionnaire as questionnaire_mod
from wizard import rules as rules_mod
from wizard.render import MAX_TEMPLATE_BYTES, Renderer

if TYPE_CHECKING:
    from wizard.wordwriter import HouseStyle


@dataclass
class Draft:
    """Everything derived from one answers file, before it is written."""

    answers: answers_mod.Answers
    values: dict[str, Any]
    findings: list[rules_mod.Finding]
    blocks: list[blocks.Block]
    meta: documents.Meta
    kind: documents.DocumentKind
    final: bool = False


class Drafter:
    def __init__(
        self,
        rule_dirs: Sequence[Path] = (),
        skip_rules: Sequence[str] = (),
        template_dir: Path | None = None,
        house_style: HouseStyle | None = None,
    ) -> None:
        self.questionnaire, rule_set = load_data(rule_dirs)
        self.rules = rule_set.without(skip_rules)
        self.template_dir = template_dir
        self.house_style = house_style
        self._kinds: dict[str, tuple[documents.DocumentKind, Renderer]] = {}
        self._font_note: str | None = None
        self._templates_fingerprint: str | None = None
        self._dumped: tuple[answers_mod.Answers, str] | None = None
        # What was just loaded lives as long as the process: keep the garbage collector
        # from scanning it again for every note of a batch (about 10 % per note).
        gc.freeze()

    def kind(self, name: str) -> tuple[documents.DocumentKind, Renderer]:
        """The document kind and its compiled templates, loaded once."""
        if name not in self._kinds:
            kind = documents.load(name)
            self._kinds[name] = (kind, Renderer(self.template_dir, kind.name))
        return self._kinds[name]

    def prepare(self, kinds: Sequence[str]) -> None:
        """Load and compile the templates of `kinds` now, so mistakes show before any work."""
        for name in kinds:
            self.kind(name)[1].template()

    def load(self, path: Path) -> answers_mod.Answers:
        return answers_mod.load(path, self.questionnaire)

    def findings(self, answers: answers_mod.Answers) -> list[rules_mod.Finding]:
        return rules_mod.evaluate(self.rules, facts.derive(answers, self.questionnaire), self.questionnaire)

    def draft(self, answers: answers_mod.Answers, kind: str = "notitie") -> Draft:
        return self.drafts(answers, (kind,))[0]

    def drafts(self, answers: answers_mod.Answers, kinds: Sequence[str], final: bool = False) -> list[Draft]:
        """The documents of `kinds` for one answers file, from one derivation of facts and findings.
        `final`: a definitive version, without the findings appendix and without "Concept"."""
        values = facts.derive(answers, self.questionnaire)
        findings = rules_mod.evaluate(self.rules, values, self.questionnaire)
        ctx = context.build(
            self.questionnaire,
            values,
            findings,
            answers.notes,
            final=final,
            route=answers.on_route,
            rules=self.rules.rules,
            answered=answers,
        )
        out = []
        for name in kinds:
            kind, renderer = self.kind(name)
            document_blocks = renderer.blocks(ctx)
            out.append(
                Draft(
                    answers, values, findings, document_blocks, self.meta(answers, kind, final), kind, final
                )
            )
        return out

    def meta(
        self, answers: answers_mod.Answers, kind: documents.DocumentKind, final: bool = False
    ) -> documents.Meta:
        return documents.meta(
            kind,
            municipality=blocks.clean(str(answers.get("gemeente_naam") or "[naam gemeente]")),
            date=context.dutch_date(answers.get("datum")),
            version=blocks.clean(str(answers.get("versie") or "0.1")),
            author=blocks.clean(str(answers.get("auteur") or "[nog invullen]")),
            final=final,
        )

    def write(self, draft: Draft) -> bytes:
        from wizard import wordwriter

        return wordwriter.write(draft.blocks, draft.meta, self.house_style, self.origin(draft))

    def origin(self, draft: Draft) -> provenance.Provenance:
        """What `draft` is made from, to keep inside its .docx (for `beleidsnotitie bijwerken`)."""
        fingerprint, name = self.origin_style()
        return provenance.Provenance(
            answers=self._dump(draft.answers),
            kind=draft.kind.name,
            route=draft.answers.route or "",
            final=draft.final,
            templates=self.templates_fingerprint(),
            house_style=fingerprint,
            house_style_name=name,
        )

    def _dump(self, answers: answers_mod.Answers) -> str:
        """The answers as YAML, once for the documents of one answers file (a note and its raadsvoorstel)."""
        if self._dumped is None or self._dumped[0] is not answers:
            self._dumped = (answers, answers_mod.dump(answers, self.questionnaire, readable=False))
        return self._dumped[1]

    def origin_style(self) -> tuple[str, str]:
        """The fingerprint and the file name of the house style the drafter writes with."""
        import hashlib

        from wizard import wordwriter

        style = self.house_style or wordwriter.default_style()
        return hashlib.sha256(style.data).hexdigest(), style.name

    def templates_fingerprint(self) -> str:
        """A digest of every template file (the bundled ones and the own folder), once per drafter."""
        if self._templates_fingerprint is None:
            import hashlib

            from wizard.resources import templates_dir

            digest = hashlib.sha256()
            for folder in [templates_dir(), *([self.template_dir] if self.template_dir else [])]:
                for path in sorted(folder.rglob("*")):
                    if path.is_file() and path.suffix.lower() not in (".docx", ".dotx"):
                        # the name inside the folder, not where the tool is installed
                        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                        info = path.stat()
                        if info.st_size > MAX_TEMPLATE_BYTES:  # never a template: not read whole
                            digest.update(f"{info.st_size} {info.st_mtime_ns}".encode() + b"\1")
                        else:
                            digest.update(path.read_bytes() + b"\1")
            self._templates_fingerprint = digest.hexdigest()
        return self._templates_fingerprint

    def font_note(self) -> str:
        """One Dutch line when the house style's font is not installed ('' when it is)."""
        if self._font_note is None:
            from wizard import pdfwriter

            self._font_note = pdfwriter.font_note(self.house_style)
        return self._font_note

    def docx(self, answers: answers_mod.Answers, kind: str = "notitie") -> bytes:
        return self.write(self.draft(answers, kind))


def load_data(rule_dirs: Sequence[Path] = ()) -> tuple[questionnaire_mod.Questionnaire, rules_mod.RuleSet]:
    """The checked questionnaire and rules, from the cache when no file changed since last time."""
    from wizard import cache
    from wizard.resources import questions_dir, rules_dir
    from wizard.yamlsource import folder_files

    def build() -> tuple[questionnaire_mod.Questionnaire, rules_mod.RuleSet]:
        questionnaire = questionnaire_mod.load()
        return questionnaire, rules_mod.load(questionnaire, rule_dirs)

    files = [
        *sorted(questions_dir().glob("*.yaml")),
        *sorted(rules_dir().glob("*.yaml")),
        *(path for folder in rule_dirs if folder.is_dir() for path in folder_files(folder)),
    ]
    return cache.cached("gegevens", [cache.files_digest(files), repr(list(rule_dirs)).encode()], build)
