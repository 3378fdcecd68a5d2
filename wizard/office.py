"""ODT and PDF through LibreOffice: find it, convert a batch on every core, under a clock.

LibreOffice is the converter because it is free, on every platform, and writes
ODF (the open standard municipalities exchange) and tagged PDF/A. The conversion
itself runs in `office_convert.py` under LibreOffice's own Python (the one that
has `uno`); this module finds the programs, hands over the work, and moves each
result into place atomically.

Under control: a batch is split over two LibreOffice processes (one per core), each
with its own temporary profile. Each document has a time budget that grows with its
size; a document that goes over it is given up once (its converter and LibreOffice
are ended) and the rest goes on in a fresh process. The converter runs in its own
process group and watches the pipe from this process: when the tool is stopped, even
with kill -9, the converter ends LibreOffice and removes the profile.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard import atomic
from wizard.errors import UserError

START_SECONDS = 60.0  # for LibreOffice to start (a cold start on a slow disk takes ~20 s)
DOCUMENT_SECONDS = 30.0  # per document, plus BYTES_PER_SECOND of its size
BYTES_PER_SECOND = 20_000
MAX_PROCESSES = 2
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
    """BELEIDSNOTITIE_SOFFICE (the program, or the LibreOffice folder), then PATH, then the
    places the installers use (Program Files on Windows, /Applications on macOS)."""
    configured = os.environ.get("BELEIDSNOTITIE_SOFFICE")
    if configured:
        path = Path(configured.strip().strip('"'))
        if path.is_dir():
            return next((c for c in _program_candidates(path) if c.is_file()), None)
        return path if path.is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found).resolve()
    return next((path for path in install_places() if path.is_file()), None)


def _program_candidates(folder: Path) -> list[Path]:
    return [folder / "program" / "soffice.exe", folder / "soffice.exe", folder / "program" / "soffice"]


def install_places(system: str | None = None, env: dict[str, str] | None = None) -> list[Path]:
    """Where LibreOffice's installers put soffice on this kind of computer."""
    system = system or platform.system()
    env = dict(os.environ) if env is None else env
    if system == "Windows":
        places = []
        for variable in ("PROGRAMFILES", "PROGRAMW6432", "PROGRAMFILES(X86)", "LOCALAPPDATA"):
            base = env.get(variable)
            if base:
                folder = Path(base) / ("Programs" if variable == "LOCALAPPDATA" else "") / "LibreOffice"
                places.append(folder / "program" / "soffice.exe")
        places.append(Path("C:/Program Files/LibreOffice/program/soffice.exe"))
        return list(dict.fromkeys(places))
    if system == "Darwin":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return [Path("/usr/lib/libreoffice/program/soffice"), Path("/opt/libreoffice/program/soffice")]


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


def _wrong_setting() -> str | None:
    """What to say when BELEIDSNOTITIE_SOFFICE names no LibreOffice (then installing it is no help)."""
    configured = os.environ.get("BELEIDSNOTITIE_SOFFICE")
    if not configured or _soffice() is not None:
        return None
    from wizard.errors import visible

    return (
        f"BELEIDSNOTITIE_SOFFICE wijst naar '{visible(configured.strip())}', maar daar staat geen LibreOffice. "
        "Verbeter die instelling (het programma soffice of de map van LibreOffice), of haal haar weg."
    )


def install_hint() -> str:
    """One line that says how to get LibreOffice on this computer."""
    wrong = _wrong_setting()
    if wrong is not None:
        return wrong
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
    if _wrong_setting() is not None:
        return f"Let op: er komen geen ODT- of PDF-bestanden{kept}. {install_hint()}"
    return f"Let op: LibreOffice ontbreekt, dus er komen geen ODT- of PDF-bestanden{kept}. {install_hint()}"


def convert(office: Office, jobs: Sequence[Job], overwrite: bool = True) -> dict[Path, str | UserError]:
    """Convert every job; return why, per source that failed (a text from LibreOffice, or
    a UserError when a result could not be put in place, such as a file open in Word).

    Each result is written next to its final place under a temporary name and moved
    there atomically, so a crash never leaves half a PDF under the real name.
    """
    if not jobs:
        return {}
    temporary: dict[Path, Path] = {}
    request_files: list[dict[str, Any]] = []
    try:
        for job in jobs:
            targets = []
            for fmt, final in job.targets:
                handle, temp = atomic.new_temp(final, suffix=f".tmp.{fmt}")
                os.close(handle)
                temporary[temp] = final
                targets.append({"format": fmt, "path": str(temp)})
            size = job.source.stat().st_size if job.source.exists() else 0
            request_files.append({"source": str(job.source), "targets": targets, "size": size})
        outcome = _run_parallel(office, request_files)
        return _finish(jobs, outcome, temporary, overwrite)
    finally:
        for temp in temporary:
            atomic.forget_temp(temp)


def _run_parallel(office: Office, files: list[dict[str, Any]]) -> dict[str, str | None]:
    """Split the batch over one LibreOffice process per core (each with its own profile),
    the largest documents first, so both finish at about the same time."""
    count = min(MAX_PROCESSES, os.cpu_count() or 1, len(files))
    if count <= 1:
        return _run_batch(office, files)
    shares: list[list[dict[str, Any]]] = [[] for _ in range(count)]
    loads = [0] * count
    for file in sorted(files, key=lambda f: -int(f["size"])):
        lightest = loads.index(min(loads))
        shares[lightest].append(file)
        loads[lightest] += int(file["size"]) + 20_000  # a fixed cost per document, too
    results: list[dict[str, str | None]] = [{} for _ in range(count)]

    def work(index: int) -> None:
        results[index] = _run_batch(office, shares[index])

    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome: dict[str, str | None] = {}
    for result in results:
        outcome.update(result)
    return outcome


def budget(size: int) -> float:
    """Seconds one document may take: more for a larger one."""
    return DOCUMENT_SECONDS + size / BYTES_PER_SECOND


def _run_batch(office: Office, files: list[dict[str, Any]]) -> dict[str, str | None]:
    """Convert in one LibreOffice process; if it dies or hangs on a file, give that file
    up and go on with the rest in a fresh process, so one bad document cannot cost a batch."""
    outcome: dict[str, str | None] = {}
    pending = files
    while pending:
        with tempfile.TemporaryDirectory(prefix="beleidsnotitie-lo-", ignore_cleanup_errors=True) as profile:
            request = {"soffice": str(office.soffice), "profile": profile, "files": pending}
            answers, ready, current, died = _run_helper(office, request)
        outcome.update(answers)
        rest = [f for f in pending if f["source"] not in answers]
        if died is None or not rest:
            for file in rest:
                outcome[file["source"]] = "LibreOffice gaf geen antwoord over dit bestand."
            break
        if not ready:  # it did not even start: trying again will not help
            for file in rest:
                outcome[file["source"]] = died
            break
        stuck = str(current if current in {f["source"] for f in rest} else rest[0]["source"])
        outcome[stuck] = died  # the file it was working on when it stopped
        pending = [f for f in rest if f["source"] != stuck]
    return outcome


def _run_helper(
    office: Office, request: dict[str, Any]
) -> tuple[dict[str, str | None], bool, str | None, str | None]:
    """Run the converter under a clock. Returns the answers per source, whether LibreOffice
    started, the source it was working on last, and why it stopped early (None: it did not)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    sizes = {f["source"]: int(f.get("size", 0)) for f in request["files"]}
    try:
        process = subprocess.Popen(  # noqa: S603 - a program we located, no shell
            [str(office.python), str(_HELPER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            **_own_group(),
        )
    except OSError as exc:
        return {}, False, None, f"LibreOffice kon niet starten ({exc.strerror or exc})."
    stdin, stdout, stderr = process.stdin, process.stdout, process.stderr
    if stdin is None or stdout is None or stderr is None:  # pragma: no cover - all three are pipes
        raise RuntimeError("no pipes to the converter")
    lines: queue.Queue[str | None] = queue.Queue()
    errors: list[bytes] = []
    readers = [
        threading.Thread(target=_pump, args=(stdout, lines), daemon=True),
        threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True),
    ]
    for reader in readers:
        reader.start()
    # The request is one line; the pipe stays open: when it closes, the converter stops.
    with contextlib.suppress(OSError):
        stdin.write(json.dumps(request).encode("utf-8") + b"\n")
        stdin.flush()
    answers: dict[str, str | None] = {}
    ready = False
    current: str | None = None
    deadline = time.monotonic() + START_SECONDS
    died: str | None = None
    office_pid: int | None = None
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                died = (
                    "LibreOffice reageerde niet op tijd bij dit document."
                    if ready
                    else "LibreOffice startte niet op tijd."
                )
                break
            if line is None:  # the converter ended
                break
            message = _parse(line)
            if "started" in message:
                office_pid = int(message["started"])
            elif message.get("ready"):
                ready = True
                deadline = time.monotonic() + START_SECONDS
            elif "working" in message:
                current = str(message["working"])
                deadline = time.monotonic() + budget(sizes.get(current, 0))
            elif "source" in message:
                answers[str(message["source"])] = None if message.get("ok") else str(message.get("error"))
                current = None
    finally:
        with contextlib.suppress(OSError):
            stdin.close()  # the converter's signal to end LibreOffice and stop
        try:
            process.wait(timeout=5 if died is not None else 60)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.wait()
        if died is not None and office_pid is not None:
            _kill_tree(office_pid)
        for reader in readers:
            reader.join(timeout=10)
        for stream in (stdout, stderr):
            with contextlib.suppress(OSError):
                stream.close()
    if died is None and process.returncode != 0:
        text = b"".join(errors).decode("utf-8", "replace").strip()
        reason = (text.splitlines() or ["onbekende fout"])[-1]
        died = f"LibreOffice stopte met een fout ({reason})."
    return answers, ready, current, died


def _pump(stream: Any, lines: queue.Queue[str | None]) -> None:
    for raw in stream:
        lines.put(raw.decode("utf-8", "replace"))
    lines.put(None)


def _parse(line: str) -> dict[str, Any]:
    with contextlib.suppress(ValueError):
        message = json.loads(line)
        if isinstance(message, dict):
            return message
    return {}


def _own_group() -> dict[str, Any]:
    """Start the converter as the head of its own process group, so it and LibreOffice can
    be ended together."""
    if platform.system() == "Windows":
        return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200)}
    return {"start_new_session": True}


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """End the converter and everything in its process group."""
    _kill_tree(process.pid)
    with contextlib.suppress(OSError):
        process.kill()


def _kill_tree(pid: int) -> None:
    """End a process group (LibreOffice and its helpers); a group already gone is fine."""
    if platform.system() == "Windows":
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(  # noqa: S603 - Windows' own tool, no shell
                ["taskkill", "/F", "/T", "/PID", str(pid)],  # noqa: S607
                capture_output=True,
                timeout=30,
                check=False,
            )
        return
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)


def _finish(
    jobs: Sequence[Job], outcome: dict[str, str | None], temporary: dict[Path, Path], overwrite: bool
) -> dict[Path, str | UserError]:
    failed: dict[Path, str | UserError] = {}
    by_final = {final: temp for temp, final in temporary.items()}
    for job in jobs:
        error: str | UserError | None = outcome.get(
            str(job.source), "LibreOffice gaf geen antwoord over dit bestand."
        )
        if error is None:
            for _fmt, final in job.targets:
                temp = by_final[final]
                if temp.stat().st_size == 0:
                    error = f"LibreOffice schreef een leeg bestand voor {final.name}."
                    break
                if not has_signature(temp, _fmt):
                    error = f"LibreOffice schreef geen geldig {_fmt.upper()}-bestand voor {final.name}."
                    break
                if _fmt == "odt":
                    repair_odt(temp)
                _sync(temp)
                atomic.copy_mode(final, temp)
                try:
                    atomic.place(temp, final, overwrite)
                except UserError as exc:
                    error = exc
                    break
        if error is not None:
            failed[job.source] = error
    return failed


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def has_signature(path: Path, fmt: str) -> bool:
    """Whether a converted file is what its name says, before it is reported as written: a
    PDF starts with %PDF- and ends with %%EOF; an ODT is a zip whose first entry, `mimetype`,
    says OpenDocument text, and that holds content.xml."""
    import zipfile

    try:
        with path.open("rb") as stream:
            head = stream.read(8)
            stream.seek(max(0, path.stat().st_size - 2048))
            tail = stream.read()
        if fmt == "pdf":
            return head.startswith(b"%PDF-") and b"%%EOF" in tail
        if fmt == "odt":
            with zipfile.ZipFile(path) as package:
                names = package.namelist()
                return (
                    bool(names)
                    and names[0] == "mimetype"
                    and package.read("mimetype").strip() == ODT_MIMETYPE
                    and "content.xml" in names
                )
    except (OSError, zipfile.BadZipFile, EOFError, RuntimeError, NotImplementedError):
        return False
    return True


_CONTINUE_LIST = re.compile(r'\s+text:continue-list="([^"]*)"')
_XML_ID = re.compile(r'xml:id="([^"]*)"')


def repair_odt(path: Path) -> None:
    """Remove list references LibreOffice leaves pointing nowhere.

    A Word list that restarts its numbering (a new w:num with a start override) becomes an
    ODF list with `text:continue-list` naming a list that is not in the document; the
    numbering itself is right (text:start-value), but the reference is invalid ODF and
    other programs may continue the wrong list. The package is rewritten with the
    mimetype first and uncompressed, as ODF requires."""
    import zipfile

    with zipfile.ZipFile(path) as package:
        content = package.read("content.xml").decode("utf-8")
        known = set(_XML_ID.findall(content))
        repaired = _CONTINUE_LIST.sub(lambda m: m.group(0) if m.group(1) in known else "", content)
        if repaired == content:
            return
        entries = [(info, package.read(info)) for info in package.infolist()]
    temp = path.with_name(path.name + ".lijst")
    with zipfile.ZipFile(temp, "w") as target:
        for info, data in entries:
            if info.filename == "content.xml":
                data = repaired.encode("utf-8")
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info.filename, data, compress_type=method)
    temp.replace(path)


def _sync(path: Path) -> None:
    with contextlib.suppress(OSError), path.open("rb+") as stream:
        os.fsync(stream.fileno())
