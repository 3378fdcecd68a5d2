"""ODT and PDF through LibreOffice: find it, convert a whole batch in one process.

LibreOffice is the converter because it is free, on every platform, and writes
ODF (the open standard municipalities exchange) and tagged PDF/A. The conversion
itself runs in `office_convert.py` under LibreOffice's own Python (the one that
has `uno`); this module finds the programs, hands over the work, and moves each
result into place atomically.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard import atomic

FORMATS = ("odt", "pdf")  # what LibreOffice makes from a .docx
START_SECONDS = 90
SECONDS_PER_FILE = 60
_HELPER = Path(__file__).with_name("office_convert.py")
_READY = '{"ready": true}'  # the converter's first line once LibreOffice is running


@dataclass(frozen=True)
class Office:
    soffice: Path
    python: Path


@dataclass(frozen=True)
class Job:
    """One .docx to convert, and where each format must end up."""

    source: Path
    targets: tuple[tuple[str, Path], ...]  # (format, final path)


def _soffice() -> Path | None:
    configured = os.environ.get("BELEIDSNOTITIE_SOFFICE")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found).resolve()
    candidates = []
    if platform.system() == "Windows":
        for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)"):
            base = os.environ.get(variable)
            if base:
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
    elif platform.system() == "Darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((path for path in candidates if path.is_file()), None)


def _uno_python(soffice: Path) -> Path | None:
    """LibreOffice's Python: bundled beside soffice (Windows, macOS) or the system one (Linux)."""
    program = soffice.parent
    candidates = [
        program / "python.exe",
        program / "python",
        program.parent / "Resources" / "python",
        Path("/usr/bin/python3"),
    ]
    for candidate in candidates:
        if not candidate.is_file():
            continue
        try:
            result = subprocess.run(  # noqa: S603 - a program we located, no shell
                [str(candidate), "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if result.returncode == 0:
            return candidate
    return None


def find() -> Office | None:
    """LibreOffice and a Python that can drive it, or None."""
    soffice = _soffice()
    if soffice is None:
        return None
    python = _uno_python(soffice)
    return Office(soffice, python) if python is not None else None


def install_hint() -> str:
    """One line that says how to get LibreOffice on this computer."""
    if platform.system() == "Windows":
        return "Installeer LibreOffice: winget install TheDocumentFoundation.LibreOffice"
    if platform.system() == "Darwin":
        return "Installeer LibreOffice: brew install --cask libreoffice"
    if _soffice() is not None:
        return "LibreOffice mist de koppeling met Python: sudo apt install python3-uno"
    return "Installeer LibreOffice: sudo apt install libreoffice-writer-nogui python3-uno"


def missing_note(docx_written: bool = True) -> str:
    """One line: no ODT or PDF without LibreOffice, whether the .docx is there, how to install it."""
    kept = "; wel .docx" if docx_written else ""
    return f"Let op: LibreOffice ontbreekt, dus er komen geen ODT- of PDF-bestanden{kept}. {install_hint()}"


def convert(office: Office, jobs: Sequence[Job]) -> dict[Path, str]:
    """Convert every job in one LibreOffice process; return why, per source that failed.

    Each result is written next to its final place under a temporary name and moved
    there with os.replace, so a crash never leaves half a PDF under the real name.
    """
    if not jobs:
        return {}
    temporary: dict[Path, Path] = {}
    request_files: list[dict[str, Any]] = []
    for job in jobs:
        targets = []
        for fmt, final in job.targets:
            handle, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=f".tmp.{fmt}", dir=final.parent)
            os.close(handle)
            temporary[Path(name)] = final
            targets.append({"format": fmt, "path": name})
        request_files.append({"source": str(job.source), "targets": targets})
    try:
        outcome = _run_batch(office, request_files)
        return _finish(jobs, outcome, temporary)
    finally:
        for temp in temporary:
            with contextlib.suppress(OSError):
                temp.unlink()


def _run_batch(office: Office, files: list[dict[str, Any]]) -> dict[str, str | None]:
    """Convert in one LibreOffice process; if it dies on a file, skip that file and go on
    with the rest in a fresh process, so one bad document cannot cost a whole batch."""
    outcome: dict[str, str | None] = {}
    pending = files
    while pending:
        with tempfile.TemporaryDirectory(prefix="beleidsnotitie-lo-", ignore_cleanup_errors=True) as profile:
            request = {"soffice": str(office.soffice), "profile": profile, "files": pending}
            output, died = _run_helper(office, request, START_SECONDS + SECONDS_PER_FILE * len(pending))
        answers = _answers(output)
        outcome.update(answers)
        rest = [f for f in pending if f["source"] not in answers]
        if died is None or not rest:
            for file in rest:
                outcome[file["source"]] = "LibreOffice gaf geen antwoord over dit bestand."
            break
        if _READY not in output:  # it did not even start: trying again will not help
            for file in rest:
                outcome[file["source"]] = died
            break
        outcome[rest[0]["source"]] = died  # the file it was working on when it stopped
        pending = rest[1:]
    return outcome


def _run_helper(office: Office, request: dict[str, Any], timeout: float) -> tuple[str, str | None]:
    """Run the converter: what it printed, and why it stopped early, if it did."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    try:
        result = subprocess.run(  # noqa: S603 - a program we located, no shell
            [str(office.python), str(_HELPER)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        output = exc.stdout.decode("utf-8", "replace") if isinstance(exc.stdout, bytes) else exc.stdout or ""
        return output, "LibreOffice reageerde niet op tijd."
    except OSError as exc:
        return "", f"LibreOffice kon niet starten ({exc})."
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["onbekende fout"])[-1]
        return result.stdout, f"LibreOffice stopte met een fout ({reason})."
    return result.stdout, None


def _answers(output: str) -> dict[str, str | None]:
    """Per source: None when converted, else the reason it failed."""
    answers: dict[str, str | None] = {}
    for line in output.splitlines():
        with contextlib.suppress(ValueError, KeyError, TypeError):
            answer = json.loads(line)
            answers[answer["source"]] = None if answer["ok"] else str(answer.get("error"))
    return answers


def _finish(
    jobs: Sequence[Job], outcome: dict[str, str | None], temporary: dict[Path, Path]
) -> dict[Path, str]:
    failed = {}
    by_final = {final: temp for temp, final in temporary.items()}
    for job in jobs:
        error = outcome.get(str(job.source), "LibreOffice gaf geen antwoord over dit bestand.")
        if error is None:
            for _fmt, final in job.targets:
                temp = by_final[final]
                if temp.stat().st_size == 0:
                    error = f"LibreOffice schreef een leeg bestand voor {final.name}."
                    break
                _sync(temp)
                atomic.copy_mode(final, temp)
                temp.replace(final)
        if error is not None:
            failed[job.source] = error
    return failed


def _sync(path: Path) -> None:
    with contextlib.suppress(OSError), path.open("rb+") as stream:
        os.fsync(stream.fileno())
