"""`beleidsnotitie maak`: answers files → documents (.docx, and .odt/.pdf through LibreOffice).

The plan is made first (which files go where) and checked as a whole: nothing is
written when any target exists without --overschrijven. Then every answers file is
drafted (in two worker processes for a batch), and finally one LibreOffice process
converts the whole batch.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import atomic
from wizard.documents import DRAFT_KINDS
from wizard.errors import DataError, Problem, UserError, print_problems

if TYPE_CHECKING:
    from wizard.draft import Drafter
    from wizard.wordwriter import HouseStyle

MAX_WORKERS = 2
FORMATS = ("docx", "odt", "pdf")


@dataclass
class Options:
    formats: tuple[str, ...] = ("docx",)
    kinds: tuple[str, ...] = DRAFT_KINDS
    overwrite: bool = False
    rule_dirs: tuple[Path, ...] = ()
    skip_rules: tuple[str, ...] = ()
    template_dir: Path | None = None
    house_style: HouseStyle | None = None


@dataclass
class Plan:
    """One answers file and where each of its documents goes."""

    source: Path
    folder: Path
    stem: str
    docx: dict[str, Path] = field(default_factory=dict)  # kind → .docx to write
    converted: dict[str, list[tuple[str, Path]]] = field(default_factory=dict)  # kind → (format, path)


@dataclass
class Outcome:
    plan: Plan
    summary: str = ""
    problems: list[Problem] = field(default_factory=list)


def parse_formats(text: str) -> tuple[str, ...]:
    """'docx,pdf' → ('docx', 'pdf'); unknown names are a UserError."""
    from wizard.output import parse_list

    return parse_list(text, FORMATS, "formaat")


def parse_kinds(text: str) -> tuple[str, ...]:
    from wizard.output import parse_list

    return parse_list(text, DRAFT_KINDS, "stuk")


def plan(sources: Sequence[Path], single: bool, out: Path | None, options: Options) -> list[Plan]:
    """Decide every output path and refuse, all at once, what would overwrite a file."""
    from wizard import documents
    from wizard.office import FORMATS as office_formats

    kinds = [documents.load(name) for name in options.kinds]
    plans = []
    if single:
        source = sources[0]
        target = out or Path(source.stem + ".docx")
        if target.is_dir():
            plans.append(Plan(source, target, source.stem))
        else:
            plans.append(Plan(source, target.parent, target.stem if target.suffix else target.name))
    else:
        folder = out or Path()
        if not folder.is_dir():
            raise UserError(
                f"de map '{folder}' bestaat niet.", "Maak de map eerst aan, of kies een bestaande map met -o."
            )
        plans = [Plan(source, folder, source.stem) for source in sources]
    for item in plans:
        for kind in kinds:
            if "docx" in options.formats:
                item.docx[kind.name] = item.folder / kind.file_name(item.stem, "docx")
            converted = [
                (fmt, item.folder / kind.file_name(item.stem, fmt))
                for fmt in options.formats
                if fmt in office_formats
            ]
            if converted:
                item.converted[kind.name] = converted
    targets = [path.resolve() for item in plans for path in _all_targets(item)]
    if len(set(targets)) != len(targets):
        raise UserError(
            "twee antwoordenbestanden hebben dezelfde naam; hun documenten zouden elkaar overschrijven.",
            "Geef de bestanden verschillende namen.",
        )
    atomic.check_all_can_write((path for item in plans for path in _all_targets(item)), options.overwrite)
    return plans


def _all_targets(item: Plan) -> list[Path]:
    return [*item.docx.values(), *(path for pairs in item.converted.values() for _, path in pairs)]


def run(plans: list[Plan], options: Options) -> int:
    """Draft, write and convert; print what was written. Return the exit status."""
    from wizard.errors import EXIT_DATA_ERROR

    drafter = _make_drafter(options)  # checks rules and templates once, before any work
    drafter.prepare(options.kinds)
    wants_conversion = any(item.converted for item in plans)
    office = None
    status = 0
    if wants_conversion:
        from wizard import office as office_mod

        office = office_mod.find()
        if office is None:
            print(office_mod.missing_note(), file=sys.stderr)
            _docx_instead(plans, options)
            status = EXIT_DATA_ERROR  # not everything asked for was made
    with tempfile.TemporaryDirectory(prefix="beleidsnotitie-", ignore_cleanup_errors=True) as scratch:
        # A .docx that is only needed as the converter's input goes to a scratch folder.
        sources: dict[tuple[int, str], Path] = {}
        for number, item in enumerate(plans):
            for kind in item.converted:
                if kind not in item.docx:
                    sources[(number, kind)] = Path(scratch) / f"{number}-{kind}.docx"
        jobs = [(item, _docx_targets(item, number, sources)) for number, item in enumerate(plans)]
        if len(jobs) == 1 or (os.cpu_count() or 1) < 2:
            outcomes = [_render(drafter, item, targets) for item, targets in jobs]
        else:
            outcomes = _render_parallel(options, jobs)
        for outcome in outcomes:
            if not outcome.problems and outcome.plan.docx:
                names = ", ".join(str(p) for p in outcome.plan.docx.values())
                print(f"Geschreven: {names}  ({outcome.summary})")
        if office is not None:
            _convert(office, outcomes, sources)
    failed = [problem for outcome in outcomes for problem in outcome.problems]
    if failed:
        print_problems(failed, "voor die bestanden is niet alles gemaakt")
        return EXIT_DATA_ERROR
    if len(plans) > 1:
        print(f"Klaar: {len(plans)} antwoordenbestanden.")
    return status


def _docx_instead(plans: list[Plan], options: Options) -> None:
    """Without LibreOffice, write the .docx of every document that was to be converted,
    but never over an existing file the user did not ask to replace."""
    from wizard import documents

    kinds = {name: documents.load(name) for name in options.kinds}
    for item in plans:
        for kind in item.converted:
            target = item.folder / kinds[kind].file_name(item.stem, "docx")
            try:
                atomic.check_can_write(target, options.overwrite)
            except UserError as exc:
                print(f"Let op: {exc.message}", file=sys.stderr)
                continue
            item.docx.setdefault(kind, target)
        item.converted.clear()


def _docx_targets(item: Plan, number: int, sources: dict[tuple[int, str], Path]) -> dict[str, Path]:
    """Where each document's .docx goes: its own place, or the scratch folder when it is
    only the converter's input."""
    targets = dict(item.docx)
    for kind in item.converted:
        if kind not in targets:
            targets[kind] = sources[(number, kind)]
    return targets


def _convert(office: Any, outcomes: list[Outcome], sources: dict[tuple[int, str], Path]) -> None:
    from wizard import office as office_mod

    jobs = []
    owners = {}
    for number, outcome in enumerate(outcomes):
        if outcome.problems:
            continue
        item = outcome.plan
        for kind, pairs in item.converted.items():
            source = sources.get((number, kind)) or item.docx[kind]
            job = office_mod.Job(source, tuple(pairs))
            jobs.append(job)
            owners[source] = outcome
    if not jobs:
        return
    formats = sorted({fmt.upper() for job in jobs for fmt, _ in job.targets})
    count = "1 document" if len(jobs) == 1 else f"{len(jobs)} documenten"
    print(f"Omzetten naar {' en '.join(formats)} met LibreOffice ({count}) …", flush=True)
    failures = office_mod.convert(office, jobs)
    for job in jobs:
        names = ", ".join(str(path) for _, path in job.targets)
        if job.source in failures:
            owners[job.source].problems.append(
                Problem(
                    f"{names} niet gemaakt: {failures[job.source]}",
                    file=owners[job.source].plan.source,
                    hint="Probeer het opnieuw. Lukt het niet, open dan het .docx-bestand in LibreOffice "
                    "en kies Bestand > Exporteren.",
                )
            )
        else:
            print(f"Geschreven: {names}")


def _make_drafter(options: Options) -> Drafter:
    from wizard.draft import Drafter

    return Drafter(
        rule_dirs=options.rule_dirs,
        skip_rules=options.skip_rules,
        template_dir=options.template_dir,
        house_style=options.house_style,
    )


def _render(drafter: Drafter, item: Plan, targets: dict[str, Path]) -> Outcome:
    from wizard.rules import summary

    try:
        answers = drafter.load(item.source)
        drafts = drafter.drafts(answers, list(targets))
        for draft in drafts:
            atomic.write_bytes(targets[draft.kind.name], drafter.write(draft))
    except DataError as exc:
        return Outcome(item, problems=exc.problems)
    except UserError as exc:
        return Outcome(item, problems=[Problem(exc.message, file=item.source, hint=exc.hint)])
    return Outcome(item, summary(drafts[0].findings) if drafts else "")


_WORKER: Drafter | None = None


def _init_worker(options: Options) -> None:
    global _WORKER
    _WORKER = _make_drafter(options)


def _render_job(job: tuple[Plan, dict[str, Path]]) -> Outcome:
    if _WORKER is None:  # pragma: no cover - the pool always runs the initializer first
        raise RuntimeError("worker not initialised")
    return _render(_WORKER, *job)


def _render_parallel(options: Options, jobs: list[tuple[Plan, dict[str, Path]]]) -> list[Outcome]:
    """Render in worker processes that each load the data once (uses both cores)."""
    from concurrent.futures import ProcessPoolExecutor

    workers = min(MAX_WORKERS, os.cpu_count() or 1, len(jobs))
    chunk = max(1, len(jobs) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(options,)) as pool:
        return list(pool.map(_render_job, jobs, chunksize=chunk))
