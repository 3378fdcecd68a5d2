"""`beleidsnotitie maak`: answers files → documents (.docx, .pdf by Typst, .odt through LibreOffice).

The plan is made first (which files go where) and checked as a whole: nothing is
written when any target exists without --overschrijven (wizard/publish.py holds those
rules for every command). Then every answers file is drafted and written (in two
worker processes for a batch: one file's failure, even a bug, costs only that file; the
PDF is set there too, from the same blocks), and finally LibreOffice converts the whole
batch to .odt (and to .pdf with --pdf-via libreoffice).
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import publish
from wizard.documents import DRAFT_KINDS, DocumentKind
from wizard.errors import EXIT_FINDINGS, EXIT_INTERNAL, DataError, Problem, UserError, internal_message
from wizard.publish import Conversion, Report

if TYPE_CHECKING:
    from wizard.draft import Drafter
    from wizard.wordwriter import HouseStyle

MAX_WORKERS = 2


@dataclass
class Options:
    formats: tuple[str, ...] = ("docx",)
    kinds: tuple[str, ...] = DRAFT_KINDS
    overwrite: bool = False
    rule_dirs: tuple[Path, ...] = ()
    skip_rules: tuple[str, ...] = ()
    template_dir: Path | None = None
    house_style: HouseStyle | None = None
    final: bool = False  # --definitief: no findings appendix, no "Concept"; refused while not ready
    accept_open: bool = False  # --accepteer-open-punten: make the final version all the same
    pdf_via: str = "typst"  # --pdf-via libreoffice: the PDF from the .docx, by LibreOffice


@dataclass
class Plan:
    """One answers file and where each of its documents goes."""

    source: Path
    folder: Path
    stem: str
    docx: dict[str, Path] = field(default_factory=dict)  # kind → .docx to write
    pdf: dict[str, Path] = field(default_factory=dict)  # kind → .pdf to set with Typst
    converted: dict[str, list[tuple[str, Path]]] = field(default_factory=dict)  # kind → (format, path)


@dataclass
class Outcome:
    plan: Plan
    report: Report
    made: list[str] = field(default_factory=list)  # kinds whose .docx was written
    font_note: str = ""  # a house-style font not installed (said once by the parent)


def parse_formats(text: str) -> tuple[str, ...]:
    """'docx,pdf' → ('docx', 'pdf'); unknown names are a UserError."""
    return publish.parse_list(text, publish.DOCUMENT_FORMATS, "formaat")


def parse_kinds(text: str) -> tuple[str, ...]:
    return publish.parse_list(text, DRAFT_KINDS, "stuk")


def plan(
    sources: Sequence[Path], single: bool, out: Path | None, options: Options, out_is_folder: bool = False
) -> list[Plan]:
    """Decide every output path and refuse, all at once, what would overwrite a file.

    With one answers file `-o` names the document (`-o concept.pdf`) or, when it is a folder
    or ends in a slash, the folder; with several it is the folder. A folder that does not
    exist yet is created when the documents are written."""
    kinds = [_kind(name) for name in options.kinds]
    plans = []
    if out is not None:
        from wizard import atomic

        atomic.check_name(out.name)  # 'uit.docx.' would become 'uit.docx..docx'
    if single:
        source = sources[0]
        target = out or Path(source.stem + ".docx")
        if out_is_folder or target.is_dir():
            plans.append(Plan(source, target, source.stem))
        else:
            plans.append(Plan(source, target.parent, target.stem if target.suffix else target.name))
    else:
        folder = out or Path()
        if folder.exists() and not folder.is_dir():
            raise UserError(
                f"'{folder}' is een bestand, geen map.",
                "Kies met -o een map voor de documenten van meer antwoordenbestanden.",
            )
        plans = [Plan(source, folder, source.stem) for source in sources]
    for item in plans:
        for kind in kinds:
            if "docx" in options.formats:
                item.docx[kind.name] = item.folder / kind.file_name(item.stem, "docx")
            if "pdf" in options.formats and options.pdf_via != "libreoffice":
                item.pdf[kind.name] = item.folder / kind.file_name(item.stem, "pdf")
            converted = [
                (fmt, item.folder / kind.file_name(item.stem, fmt))
                for fmt in options.formats
                if fmt in publish.office_formats(options.pdf_via)
            ]
            if converted:
                item.converted[kind.name] = converted
    publish.check((path for item in plans for path in _all_targets(item)), options.overwrite, sources)
    return plans


@functools.cache
def _kind(name: str) -> DocumentKind:
    """A kind's document.yaml, read once per process."""
    from wizard import documents

    return documents.load(name)


def _all_targets(item: Plan) -> list[Path]:
    return [
        *item.docx.values(),
        *item.pdf.values(),
        *(path for pairs in item.converted.values() for _, path in pairs),
    ]


def run(plans: list[Plan], options: Options) -> int:
    """Draft, write and convert; report each file once. Return the exit status."""
    report = Report()
    drafter = _make_drafter(options)  # checks rules and templates once, before any work
    drafter.prepare(options.kinds)
    office = None
    if any(item.converted for item in plans):
        office = publish.find_office(report)
        if office is None:
            _docx_instead(plans, options, report)
    with tempfile.TemporaryDirectory(prefix="beleidsnotitie-", ignore_cleanup_errors=True) as scratch:
        # A .docx that is only needed as the converter's input goes to a scratch folder.
        sources: dict[tuple[int, str], Path] = {}
        for number, item in enumerate(plans):
            for kind in item.converted:
                if kind not in item.docx:
                    sources[(number, kind)] = Path(scratch) / f"{number}-{kind}.docx"
        jobs = [
            Job(
                item,
                _docx_targets(item, number, sources),
                options.overwrite,
                options.final,
                options.accept_open,
            )
            for number, item in enumerate(plans)
        ]
        if len(jobs) == 1 or (os.cpu_count() or 1) < 2:
            outcomes = []
            for job in jobs:
                outcome = _render(drafter, job)
                report.merge(outcome.report)
                outcomes.append(outcome)
        else:
            outcomes = _render_parallel(options, jobs, report)
        note = next((outcome.font_note for outcome in outcomes if outcome.font_note), "")
        if note:
            print(note, file=sys.stderr, flush=True)
        if office is not None:
            conversions = [
                Conversion(
                    sources.get((number, kind)) or outcome.plan.docx[kind], tuple(pairs), outcome.plan.source
                )
                for number, outcome in enumerate(outcomes)
                for kind, pairs in outcome.plan.converted.items()
                if kind in outcome.made
            ]
            publish.convert(report, office, conversions, options.overwrite)
    return report.finish(batch=len(plans) > 1)


def _docx_instead(plans: list[Plan], options: Options, report: Report) -> None:
    """Without LibreOffice, write the .docx of every document that was to be converted,
    but never over an existing file the user did not ask to replace."""
    from wizard import atomic

    kinds = {name: _kind(name) for name in options.kinds}
    for item in plans:
        for kind in item.converted:
            target = item.folder / kinds[kind].file_name(item.stem, "docx")
            try:
                atomic.check_can_write(target, options.overwrite, [item.source])
            except UserError as exc:
                report.failed_error(exc, item.source)
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


def _make_drafter(options: Options) -> Drafter:
    from wizard.draft import Drafter

    return Drafter(
        rule_dirs=options.rule_dirs,
        skip_rules=options.skip_rules,
        template_dir=options.template_dir,
        house_style=options.house_style,
    )


@dataclass(frozen=True)
class Job:
    """One answers file to draft and write (what a worker process gets)."""

    plan: Plan
    targets: dict[str, Path]
    overwrite: bool
    final: bool = False
    accept_open: bool = False


def _render(drafter: Drafter, job: Job, echo: bool = False) -> Outcome:
    """Draft and write the documents of one answers file. Every failure, a bug too, ends in
    the outcome of this file only. A definitive version is refused, with every blocking
    finding and open place named, unless it is ready or the user accepts what is open."""
    from wizard import readiness
    from wizard.rules import summary

    item, targets, overwrite = job.plan, job.targets, job.overwrite
    outcome = Outcome(item, Report(echo=echo))
    report = outcome.report
    try:
        answers = drafter.load(item.source)
        for line in answers.upgraded:
            report.say(f"{item.source}: {line}")
        kinds = list(dict.fromkeys([*targets, *item.pdf]))  # the .docx kinds, then those only as PDF
        drafts = drafter.drafts(answers, kinds, final=job.final)
        if job.final and not job.accept_open:
            ready = readiness.of_drafts(drafts, drafter.questionnaire, drafter.rules.rules)
            if not ready.ready:
                report.failed(
                    Problem(
                        "de definitieve versie is niet gemaakt, want er is nog iets open:\n  "
                        + "\n  ".join(ready.lines()),
                        file=item.source,
                        hint="Los deze punten op, of maak de definitieve versie toch met "
                        "--accepteer-open-punten (de open plekken blijven dan geel in het document).",
                    ),
                    EXIT_FINDINGS,
                )
                return outcome
        written = []
        for draft in drafts:
            name = draft.kind.name
            final = name in targets and item.docx.get(name) == targets[name]
            if name in targets and publish.write(
                report, targets[name], drafter.write(draft), overwrite or not final, item.source
            ):
                outcome.made.append(name)
                if final:
                    written.append(targets[name])
            if name in item.pdf:
                outcome.font_note = outcome.font_note or drafter.font_note()
                data = publish.pdf(
                    report, draft.blocks, draft.meta, drafter.house_style, item.pdf[name].name, item.source
                )
                if data is not None and publish.write(report, item.pdf[name], data, overwrite, item.source):
                    written.append(item.pdf[name])
        report.wrote(*written, note=summary(drafts[0].findings) if drafts else "")
    except DataError as exc:
        for problem in exc.problems:
            report.failed(problem)
    except UserError as exc:
        report.failed_error(exc, item.source)
    except Exception as exc:  # a bug with one file must not cost the others their documents
        report.failed(Problem(internal_message(exc), file=item.source), EXIT_INTERNAL)
    return outcome


_WORKER: Drafter | None = None


def _init_worker(options: Options) -> None:
    global _WORKER
    _stop_with_parent()
    _stop_on_signals()
    _WORKER = _make_drafter(options)


def _stop_on_signals() -> None:
    """SIGTERM or SIGHUP to a worker (its parent stops): remove the file it is writing, end."""
    import signal

    from wizard import atomic

    def stop(number: int, frame: object) -> None:
        atomic.discard_pending()
        os._exit(128 + number)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def _stop_with_parent() -> None:
    """End this worker as soon as the process that started it is gone (kill -9 included):
    a thread waits on the pipe to the parent, which closes when the parent dies."""
    import multiprocessing
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - only ever run as a worker
        return
    sentinel = parent.sentinel

    def watch() -> None:
        from wizard import atomic

        wait([sentinel])
        atomic.discard_pending()
        os._exit(1)

    threading.Thread(target=watch, name="stop-with-parent", daemon=True).start()


def _render_job(job: Job) -> Outcome:
    if _WORKER is None:  # pragma: no cover - the pool always runs the initializer first
        raise RuntimeError("worker not initialised")
    return _render(_WORKER, job)


def _stop_workers(pool: Any) -> None:
    """End the pool's workers at once (each removes the file it was writing) and drop the
    jobs that had not started."""
    import multiprocessing

    pool.shutdown(wait=False, cancel_futures=True)
    for child in multiprocessing.active_children():
        child.terminate()
    for child in multiprocessing.active_children():
        child.join(timeout=5)


def _render_parallel(options: Options, jobs: list[Job], report: Report) -> list[Outcome]:
    """Render in worker processes that each load the data once (uses both cores); print
    each file's outcome as it comes in."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = min(MAX_WORKERS, os.cpu_count() or 1, len(jobs))
    chunk = max(1, min(8, len(jobs) // (workers * 4)))
    outcomes: list[Outcome] = []
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(options,)) as pool:
            try:
                for outcome in pool.map(_render_job, jobs, chunksize=chunk):
                    report.merge(outcome.report)
                    outcomes.append(outcome)
            except BaseException:  # Ctrl-C, SIGTERM, SIGHUP: the workers stop now, not after the batch
                _stop_workers(pool)
                raise
    except BrokenProcessPool as exc:  # a worker died (out of memory, killed): say which files
        for job in jobs[len(outcomes) :]:
            failed = Outcome(job.plan, Report(echo=False))
            failed.report.failed(Problem(internal_message(exc), file=job.plan.source), EXIT_INTERNAL)
            report.merge(failed.report)
            outcomes.append(failed)
    return outcomes
