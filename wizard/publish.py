"""One way to publish documents, for every command: plan, check, write, convert, report.

`maak` (many answers files, worker processes), `vragen`, `vergelijk` and the end of the
wizard all come here, so the rules are the same everywhere:

- the formats are named once (FORMATS); `-o x.pdf` means PDF;
- every target is checked before anything is written: an existing file is refused
  without --overschrijven, an input file is never replaced by its own output, and the
  check is made again at the moment of writing (wizard/atomic.py);
- each file is written atomically; a file another program holds open is reported by
  name and the rest goes on;
- .pdf is set by Typst from the same blocks as the .docx (wizard/pdfwriter.py), no other
  program needed; with `--pdf-via libreoffice` it is made from the Word file instead;
- .odt (and such a PDF) come from LibreOffice (wizard/office.py); without it the .docx is
  written instead, never over an existing file, and the exit status says so (3);
- each file is reported once, as written or not, with a summary at the end.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wizard import atomic
from wizard.errors import (
    EXIT_DATA_ERROR,
    EXIT_ENVIRONMENT,
    EnvironmentProblem,
    Problem,
    UserError,
    print_problems,
    suggest,
    visible,
    visible_lines,
)

if TYPE_CHECKING:
    from wizard import blocks
    from wizard.documents import Meta
    from wizard.draft import Draft, Drafter
    from wizard.office import Office
    from wizard.wordwriter import HouseStyle

FORMATS = ("docx", "md", "odt", "pdf")  # everything the tool can write
DOCUMENT_FORMATS = ("docx", "odt", "pdf")  # what `maak` writes
OFFICE_FORMATS = ("odt", "pdf")  # what LibreOffice can make from a .docx


def office_formats(pdf_via: str = "typst") -> tuple[str, ...]:
    """The formats LibreOffice makes: .odt, and .pdf only when asked for (--pdf-via libreoffice)."""
    return OFFICE_FORMATS if pdf_via == "libreoffice" else ("odt",)


def pdf(
    report: Report,
    document_blocks: list[blocks.Block],
    meta: Meta,
    style: HouseStyle | None,
    name: str = "",
    source: Path | None = None,
) -> bytes | None:
    """The PDF of one document (Typst); a failure goes into the report, in Dutch."""
    from wizard import pdfwriter

    try:
        data = pdfwriter.write(document_blocks, meta, style, name)
    except UserError as exc:
        report.failed_error(exc, source)
        return None
    note = pdfwriter.replaced_note(name)
    if note:
        report.say(note, error=True)
    return data


def font_note(style: HouseStyle | None) -> None:
    """Say once when the house style's font is not installed (the PDF uses its open twin)."""
    from wizard import pdfwriter

    note = pdfwriter.font_note(style)
    if note:
        print(note, file=sys.stderr, flush=True)


def parse_list(text: str, allowed: Sequence[str], what: str) -> tuple[str, ...]:
    """'docx,pdf' → ('docx', 'pdf') in the order of `allowed`; an unknown name is a UserError."""
    names = [part.strip().lower().lstrip(".") for part in text.split(",") if part.strip()]
    for name in names:
        if name not in allowed:
            raise UserError(
                f"onbekend {what} '{name}'.",
                suggest(name, allowed) or f"Kies uit: {', '.join(allowed)} (gescheiden door komma's).",
            )
    if not names:
        raise UserError(f"geef minstens één {what}.", f"Kies uit: {', '.join(allowed)}.")
    return tuple(name for name in allowed if name in names)  # fixed order, no doubles


def format_of(path: Path | None, allowed: Sequence[str] = DOCUMENT_FORMATS) -> str | None:
    """The format a file name asks for: `-o notitie.pdf` → 'pdf'."""
    suffix = path.suffix.lower().lstrip(".") if path is not None else ""
    return suffix if suffix in allowed else None


def targets(out: Path | str, formats: Sequence[str], default: str = "") -> list[tuple[str, Path]]:
    """`-o werkblad` or `-o werkblad.docx` → werkblad.docx, werkblad.md, …; `-o kort/` or an
    existing folder → kort/werkblad.docx, … (the `default` name in that folder), as `maak`."""
    path = Path(out)
    if default and (is_folder_name(str(out)) or path.is_dir()):
        path = path / default
    atomic.check_name(path.name)
    base = path.with_suffix("") if format_of(path, FORMATS) else path
    return [(fmt, base.with_name(f"{base.name}.{fmt}")) for fmt in formats]


def is_folder_name(text: str) -> bool:
    """`-o nieuw/` names a folder even when it does not exist yet (pathlib drops the slash)."""
    return text.endswith(("/", "\\"))


def check(paths: Iterable[Path], overwrite: bool, sources: Iterable[Path] = ()) -> None:
    """Every target at once, before anything is written: no two the same, none an input,
    none existing without --overschrijven. Raises DataError with every refusal."""
    wanted = list(paths)
    seen: dict[Path, Path] = {}
    for path in wanted:
        key = path.resolve()
        if key in seen:
            raise UserError(
                f"twee documenten krijgen dezelfde naam '{path}'; ze zouden elkaar overschrijven.",
                "Geef de antwoordenbestanden verschillende namen.",
            )
        seen[key] = path
    atomic.check_all_can_write(wanted, overwrite, sources)


@dataclass
class Report:
    """What was written and what not, each file once; the exit status that follows."""

    written: list[str] = field(default_factory=list)
    missed: list[Problem] = field(default_factory=list)
    status: int = 0
    echo: bool = True  # print each line now; a worker process keeps them for its parent
    lines: list[tuple[str, bool]] = field(default_factory=list)  # (text, to stderr)

    def say(self, text: str, error: bool = False) -> None:
        self.lines.append((text, error))
        if self.echo:
            print(visible_lines(text), file=sys.stderr if error else sys.stdout, flush=True)

    def wrote(self, *paths: Path, note: str = "") -> None:
        if not paths:
            return
        names = ", ".join(visible(str(p)) for p in paths)  # a name with a line break stays one line
        self.written.extend(str(p) for p in paths)
        self.say(f"Geschreven: {names}" + (f"  ({note})" if note else ""))

    def failed(self, problem: Problem, status: int = EXIT_DATA_ERROR) -> None:
        """A file that was not made: listed once, in the summary at the end (the same problem
        for two documents of one answers file, a full disk say, is listed once)."""
        if problem not in self.missed:
            self.missed.append(problem)
        self.status = max(self.status, status)

    def failed_error(self, exc: UserError, file: Path | None = None) -> None:
        status = EXIT_ENVIRONMENT if isinstance(exc, EnvironmentProblem) else EXIT_DATA_ERROR
        self.failed(Problem(exc.message, file=file, hint=exc.hint), status)

    def merge(self, other: Report) -> None:
        """Take over a worker's report and print its lines."""
        for text, error in other.lines:
            self.say(text, error)
        self.written.extend(other.written)
        self.missed.extend(problem for problem in other.missed if problem not in self.missed)
        self.status = max(self.status, other.status)

    def finish(self, batch: bool = False) -> int:
        """The summary: how many files were written, and every one that was not."""
        if self.missed:
            done = len(self.written)
            made = {0: "er is niets geschreven", 1: "1 bestand is wel geschreven, dit niet"}.get(
                done, f"{done} bestanden zijn wel geschreven, dit niet"
            )
            print_problems(self.missed, made)
        elif batch:
            print(f"Klaar: {len(self.written)} bestanden geschreven.")
        return self.status


def write(report: Report, path: Path, data: bytes, overwrite: bool, source: Path | None = None) -> bool:
    """Write one file atomically; a refusal or a lock goes into the report, not up the stack.
    The folder `-o` named is made here, for the first file written into it: a run that
    writes nothing leaves no empty folder behind."""
    made = bool(str(path.parent)) and not path.parent.is_dir()
    try:
        if made:
            make_folder(path.parent)
        atomic.write_bytes(path, data, overwrite)
    except UserError as exc:
        if made:
            with contextlib.suppress(OSError):
                path.parent.rmdir()  # only when it is still empty
        report.failed_error(exc, source)
        return False
    return True


def make_folder(folder: Path) -> None:
    """Create the folder `-o` names (with its parents)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UserError(f"'{folder}' is een bestand, geen map.", "Kies met -o een map.") from None
    except OSError as exc:
        problem = atomic.disk_problem(exc, folder, folder.parent)
        raise EnvironmentProblem(
            f"de map '{folder}' kan niet worden gemaakt: {problem.message}", problem.hint
        ) from None


# --- conversion ------------------------------------------------------------------------


@dataclass
class Conversion:
    """One .docx to convert and where each format goes; `source` is the answers file it
    came from (for messages)."""

    docx: Path
    targets: tuple[tuple[str, Path], ...]
    source: Path | None = None


def find_office(report: Report) -> Office | None:
    """LibreOffice, or None with one note (and exit status 3) when it is missing."""
    from wizard import office

    found = office.find()
    if found is None:
        print(office.missing_note(), file=sys.stderr)
        report.status = max(report.status, EXIT_ENVIRONMENT)
    return found


def convert(report: Report, found: Office, conversions: Sequence[Conversion], overwrite: bool) -> None:
    """Convert every .docx with LibreOffice and report each result once."""
    from wizard import office

    if not conversions:
        return
    formats = sorted({fmt.upper() for item in conversions for fmt, _ in item.targets})
    count = "1 document" if len(conversions) == 1 else f"{len(conversions)} documenten"
    print(f"Omzetten naar {' en '.join(formats)} met LibreOffice ({count}) …", flush=True)
    for folder in sorted({path.parent for item in conversions for _, path in item.targets}):
        make_folder(folder)  # a PDF without its .docx: the folder was not made yet
    jobs = [office.Job(item.docx, item.targets) for item in conversions]
    failures = office.convert(found, jobs, overwrite)
    for item in conversions:
        reason = failures.get(item.docx)
        if reason is None:
            report.wrote(*(path for _, path in item.targets))
            continue
        names = ", ".join(str(path) for _, path in item.targets)
        if isinstance(reason, UserError):
            report.failed_error(reason, item.source)
        else:
            report.failed(
                Problem(
                    f"{names} niet gemaakt: {reason}",
                    file=item.source,
                    hint="Probeer het opnieuw. Lukt het niet, open dan het .docx-bestand in LibreOffice "
                    "en kies Bestand > Exporteren.",
                ),
                EXIT_ENVIRONMENT,
            )


def docx_instead(targets: Sequence[tuple[str, Path]]) -> Path | None:
    """Without LibreOffice: the .docx beside the first ODT/PDF target."""
    for fmt, path in targets:
        if fmt in OFFICE_FORMATS:
            return path.with_suffix(".docx")
    return None


# --- one document (vragen, vergelijk) ---------------------------------------------------


def document(
    document_blocks: list[blocks.Block],
    meta: Meta,
    pairs: Sequence[tuple[str, Path]],
    overwrite: bool,
    sources: Sequence[Path] = (),
    style: HouseStyle | None = None,
    pdf_via: str = "typst",
) -> int:
    """Write one rendered document in every format of `pairs`; return the exit status.

    The targets must have been checked with `check` before the (slow) rendering."""
    from wizard import blocks as blocks_mod

    report = Report()
    wanted = dict(pairs)
    if "md" in wanted and write(
        report, wanted["md"], blocks_mod.markdown(document_blocks).encode(), overwrite
    ):
        report.wrote(wanted["md"])
    if "pdf" in wanted and pdf_via != "libreoffice":
        font_note(style)
        data = pdf(report, document_blocks, meta, style, wanted["pdf"].name)
        if data is not None and write(report, wanted["pdf"], data, overwrite):
            report.wrote(wanted["pdf"])
    converted = tuple((fmt, path) for fmt, path in pairs if fmt in office_formats(pdf_via))
    if "docx" not in wanted and not converted:
        return report.finish()
    from wizard import wordwriter

    data = wordwriter.write(document_blocks, meta, style)
    found = None
    if converted:
        found = find_office(report)
        if found is None:
            fallback = docx_instead(converted)
            if "docx" not in wanted and fallback is not None:
                try:
                    atomic.check_can_write(fallback, overwrite, sources)
                    wanted["docx"] = fallback
                except UserError as exc:
                    report.failed_error(exc)
            converted = ()
    if "docx" in wanted and write(report, wanted["docx"], data, overwrite):
        report.wrote(wanted["docx"])
    if found is not None and converted:
        with tempfile.TemporaryDirectory(prefix="beleidsnotitie-", ignore_cleanup_errors=True) as scratch:
            source = Path(scratch) / "document.docx"
            source.write_bytes(data)
            convert(report, found, [Conversion(source, converted)], overwrite)
    return report.finish()


# --- the end of the wizard ---------------------------------------------------------------


def drafts(
    drafter: Drafter, documents: Sequence[Draft], targets: Sequence[Path], overwrite: bool = True
) -> list[Path]:
    """Write the wizard's documents (the person confirmed any replacement already) by the
    same rules as `maak`; say what could not be written. Returns the files written."""
    report = Report(echo=False)
    written = []
    for draft, target in zip(documents, targets, strict=True):
        if write(report, target, drafter.write(draft), overwrite):
            written.append(target)
    if report.missed:
        report.finish()
    return written


# --- one document in memory (the web download) --------------------------------------------


def document_bytes(drafter: Drafter, draft: Draft, fmt: str) -> bytes:
    """`draft` as `fmt` (one of DOCUMENT_FORMATS), made like `maak` makes it: the PDF set by
    Typst from the same blocks, the .odt by LibreOffice from the .docx.

    A UserError (in Dutch, with what to do) when the PDF cannot be set, or LibreOffice is
    missing or fails for the .odt."""
    if fmt not in DOCUMENT_FORMATS:
        raise ValueError(fmt)
    if fmt == "pdf":
        from wizard import pdfwriter

        return pdfwriter.write(draft.blocks, draft.meta, drafter.house_style)
    docx = drafter.write(draft)
    if fmt == "docx":
        return docx
    from wizard import office

    found = office.find()
    if found is None:
        raise EnvironmentProblem(
            f"Een {fmt.upper()}-bestand maken lukt niet: LibreOffice ontbreekt.", office.install_hint()
        )
    with tempfile.TemporaryDirectory(prefix="beleidsnotitie-", ignore_cleanup_errors=True) as scratch:
        source = Path(scratch) / "document.docx"
        source.write_bytes(docx)
        target = Path(scratch) / f"document.{fmt}"
        failures = office.convert(found, [office.Job(source, ((fmt, target),))])
        reason = failures.get(source)
        if reason is not None or not target.exists():
            raise EnvironmentProblem(
                f"LibreOffice kon het {fmt.upper()}-bestand niet maken: {reason or 'geen uitvoer'}.",
                "Probeer het opnieuw, of download het Word-bestand en kies daarin Bestand > Exporteren.",
            )
        return target.read_bytes()
