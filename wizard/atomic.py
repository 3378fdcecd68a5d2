"""Atomic file writes: a crash leaves either the old file or the new one, never half.

A new file is written under a temporary name in the same folder and then put in place
in one step. Without permission to overwrite, the step itself refuses an existing
file (a hard link fails when the name is taken), so a file that appeared while the
tool was working is never replaced unasked. A target another program holds open
(Word on Windows) is reported by name instead of ending the run.

Temporary files are hidden (a leading dot) and carry this computer and process in their
name (.uit.docx.<host>-<pid>.<random>.tmp). Every temporary file still being written is
known (`pending`), so a stop by a signal removes them (`discard_pending`); after a kill -9,
which no program can catch, the first write into that folder removes what a process of
this computer that no longer runs left behind (`sweep`), and anything of ours older than
a day.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import socket
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from wizard.errors import DataError, EnvironmentProblem, Problem, UserError, visible

MAX_NAME_BYTES = 255  # one name in a folder, on Windows (NTFS) and Linux alike
# Names Windows keeps for devices, with any extension (aux.docx is AUX): refused on every
# platform, because a document is meant to travel (OneDrive, Teams, a colleague's laptop).
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")}
)
WINDOWS_FORBIDDEN = '<>:"|?*'

HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]  # noqa: S324 - a tag
STALE_AFTER = 24 * 3600  # seconds: a temporary file of another computer (a shared folder)
_TEMP_NAME = re.compile(r"\..+\.(?P<host>[0-9a-f]{6})-(?P<pid>\d+)\.[^.]+\.tmp(\.[a-z]+)?")
pending: set[Path] = set()  # temporary files this process is writing now
_swept: set[str] = set()  # folders already cleaned in this run

# The one call that replaces a file; tests put a Windows-like lock in its place.
_replace = os.replace
# The call that puts the data on disk (where a full disk shows at the latest); tests put a
# full or read-only disk in its place.
_fsync = os.fsync


class LockedError(EnvironmentProblem):
    """The target is open in another program (Windows refuses to replace it)."""


def locked(path: Path) -> LockedError:
    return LockedError(
        f"'{path}' is geopend in een ander programma en kan niet worden vervangen; "
        "sluit het bestand in Word en probeer opnieuw.",
        "Sluit ook een PDF-lezer of Verkenner-voorbeeld dat het bestand toont.",
    )


def read_only(path: Path) -> bool:
    """Whether `path` is a file the user (or IT, the griffier) marked read-only, or one on a
    share or disk that may only be read. Replacing it through a temporary file would work on
    Linux in a writable folder (os.replace ignores the mark), so it is asked here, on every
    platform: the mark (Windows' read-only attribute shows as a mode without write permission)
    and os.access, which also knows a read-only disk (even for an administrator)."""
    try:
        info = path.stat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    return not info.st_mode & stat.S_IWRITE or not os.access(path, os.W_OK)


def read_only_problem(path: Path) -> Problem:
    """Why a read-only file is not saved over, and what to do, in Dutch (the message itself says
    what to do: the terminal shows no hints)."""
    return Problem(
        f"'{path}' is alleen-lezen (het bestand is op alleen-lezen gezet, of het staat op een schijf "
        "of gedeelde map waarop u alleen mag lezen). Uw antwoord is daarom niet bewaard; het bestand "
        "blijft zoals het is. Haal 'Alleen-lezen' weg (in Verkenner: rechtermuisknop op het bestand, "
        "Eigenschappen), of kopieer het bestand naar een map waarin u mag schrijven, onder een andere "
        "naam, en werk daarin verder.",
        file=path.name,
    )


def appeared(path: Path) -> UserError:
    return UserError(
        f"'{path}' is ontstaan terwijl de tool werkte en wordt niet overschreven.",
        "Kies een andere naam, of gebruik --overschrijven als u het bestand wilt vervangen.",
    )


def disk_problem(exc: OSError, path: Path, folder: Path) -> EnvironmentProblem:
    """What a failed create, write or rename means, in Dutch, with what to do about it."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return EnvironmentProblem(
            f"de schijf is vol: '{path}' kan niet worden geschreven.",
            "Maak ruimte vrij op de schijf (of kies met -o een map op een andere schijf) en probeer het opnieuw.",
        )
    if code == errno.EFBIG:
        return EnvironmentProblem(
            f"'{path}' is te groot voor deze schijf, of voor de grens die voor dit programma geldt.",
            "Kies met -o een map op een andere schijf; of vraag de beheerder naar de grens voor "
            "de bestandsgrootte (ulimit -f).",
        )
    if code == errno.EROFS:
        return EnvironmentProblem(
            f"de map '{folder}' staat op een schijf die alleen gelezen kan worden.",
            "Kies met -o een map op een schijf waarop u mag schrijven.",
        )
    if code in (errno.EACCES, errno.EPERM):
        return EnvironmentProblem(
            f"in de map '{folder}' mag niet worden geschreven.",
            "Kies een map waarin u bestanden mag opslaan.",
        )
    if code == errno.ENAMETOOLONG:
        return EnvironmentProblem(
            f"de naam '{path}' is te lang voor dit systeem.", "Kies een kortere naam of een kortere map."
        )
    return EnvironmentProblem(
        f"'{path}' kan niet worden geschreven (foutcode {errno.errorcode.get(code or 0, code)}).",
        "Controleer of de map bestaat en bereikbaar is, of kies met -o een andere map.",
    )


def write_bytes(path: Path, data: bytes, overwrite: bool = True) -> None:
    """Write `data` to `path` through a temporary file in the same folder.

    With overwrite=False an existing `path` is refused at the moment of writing.
    """
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise UserError(
            f"de map '{folder}' bestaat niet.",
            "Maak de map eerst aan, of kies een andere map.",
        )
    try:
        handle, temp = new_temp(path)
    except OSError as exc:
        raise disk_problem(exc, path, folder) from None
    try:
        copy_mode(path, temp)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            _fsync(stream.fileno())
    except OSError as exc:  # disk full, file too large, the disk went away
        forget_temp(temp)
        raise disk_problem(exc, path, folder) from None
    except BaseException:
        forget_temp(temp)
        raise
    try:
        place(temp, path, overwrite)
    finally:
        forget_temp(temp)  # already gone when it was put in place


def new_temp(path: Path, suffix: str = ".tmp") -> tuple[int, Path]:
    """A new hidden temporary file beside `path` (open handle, name), known as pending.
    The folder is swept for what killed runs left behind first (once per run)."""
    folder = path.parent if str(path.parent) else Path()
    sweep(folder)
    handle, name = tempfile.mkstemp(
        prefix=f".{path.name[:80]}.{HOST}-{os.getpid()}.", suffix=suffix, dir=folder
    )
    pending.add(Path(name))
    return handle, Path(name)


def forget_temp(temp: Path) -> None:
    """Remove a temporary file (when it is still there) and stop tracking it."""
    pending.discard(temp)
    with contextlib.suppress(OSError):
        temp.unlink()


def discard_pending() -> None:
    """Remove every temporary file this process is writing: the last act before it stops on
    a signal (SIGTERM, SIGHUP, its parent gone)."""
    for temp in list(pending):
        forget_temp(temp)
    # A stop that came between creating a temporary file and noting it as pending: the file
    # carries this process's id, in a folder this run has written to.
    own = f".{HOST}-{os.getpid()}."
    for folder in list(_swept):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if own in entry.name and _TEMP_NAME.fullmatch(entry.name):
                with contextlib.suppress(OSError):
                    Path(entry.path).unlink()


def sweep(folder: Path) -> None:
    """Remove temporary files of ours in `folder` that nobody writes any more: left by a
    process of this computer that no longer runs (kill -9, a power cut), or older than
    STALE_AFTER (another computer, on a shared folder). Once per folder per run."""
    key = str(folder.absolute())
    if key in _swept:
        return
    _swept.add(key)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        found = _TEMP_NAME.fullmatch(entry.name)
        if found is None or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(found["pid"])
        try:
            if found["host"] == HOST and os.name == "posix":
                stale = pid != os.getpid() and not _running(pid)
            else:
                stale = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER
            if stale:
                Path(entry.path).unlink()
        except OSError:
            continue


def _running(pid: int) -> bool:
    """Whether a process with this id runs on this computer (POSIX: signal 0 asks, sends nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it runs, as another user
        return True
    return True


def place(temp: Path, path: Path, overwrite: bool = True) -> None:
    """Put a finished temporary file under its real name in one step (os.replace, or a
    hard link that fails on an existing name when overwriting is not allowed)."""
    try:
        if not overwrite:
            try:
                os.link(temp, path)
            except FileExistsError:
                raise appeared(path) from None
            except OSError:  # a file system without hard links (FAT, some shares)
                if path.exists():
                    raise appeared(path) from None
                _replace(temp, path)
            else:
                with contextlib.suppress(OSError):
                    temp.unlink()
            return
        _replace(temp, path)  # atomic on Windows and POSIX
    except PermissionError:
        raise locked(path) from None
    except OSError as exc:
        raise disk_problem(exc, path, path.parent) from None


def copy_mode(path: Path, temp: Path) -> None:
    """Give the new file the old file's permissions, or the usual ones for a new file.

    mkstemp creates files only the owner can read; a document is meant to be shared.
    """
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        current = os.umask(0)
        os.umask(current)
        mode = 0o666 & ~current
    temp.chmod(mode)


def write_text(path: Path, text: str, overwrite: bool = True) -> None:
    write_bytes(path, text.encode("utf-8"), overwrite)


def check_name(name: str) -> None:
    """Refuse a file name Windows cannot hold (CON, aux.docx, COM1.pdf, 'uit.docx.', 'a?b'),
    on every platform: the document would be written here and be unusable there."""
    if name in ("", ".", ".."):
        return
    original, name = name, visible(name)  # as printed: a line break or ESC in it shown, not sent
    hint = "Kies met -o een andere naam, bijvoorbeeld notitie.docx."
    if original[-1] in ". ":
        raise UserError(
            f"de naam '{name}' eindigt op een punt of een spatie; zo'n bestand is in Windows niet te openen.",
            "Laat de punt of spatie aan het eind weg.",
        )
    if any(char in WINDOWS_FORBIDDEN or ord(char) < 32 or ord(char) == 127 for char in original):
        shown = " ".join(sorted({char for char in original if char in WINDOWS_FORBIDDEN}))
        control = any(ord(char) < 32 or ord(char) == 127 for char in original)
        what = (
            "een stuurteken (zoals een nieuwe regel of Esc)"
            if control
            else f"een teken dat in Windows niet in een bestandsnaam mag ({shown})"
        )
        raise UserError(f"de naam '{name}' bevat {what}.", hint)
    device = original.split(".")[0].rstrip(" ").upper()
    if device in WINDOWS_RESERVED:
        raise UserError(
            f"de naam '{name}' is in Windows gereserveerd ({device} is een apparaat); "
            "zo'n bestand is daar niet te openen of te kopiëren.",
            hint,
        )


def check_can_write(path: Path, overwrite: bool, sources: Iterable[Path] = ()) -> None:
    """Refuse to replace an existing file unless the user said so, and never replace one of
    the tool's own inputs (`sources`), not even with --overschrijven; refuse a name that
    Windows cannot hold."""
    _check_one(path, overwrite, _inputs(sources))


def _inputs(sources: Iterable[Path]) -> frozenset[Path]:
    """The inputs as the files they are (links and ./sub/../ resolved), looked up once."""
    found = set()
    for source in sources:
        with contextlib.suppress(OSError):
            if source.exists():
                found.add(source.resolve())
    return frozenset(found)


def _check_one(path: Path, overwrite: bool, inputs: frozenset[Path]) -> None:
    check_name(path.name)
    if len(path.name.encode("utf-8")) > MAX_NAME_BYTES:
        raise UserError(
            f"de bestandsnaam van '{path}' is te lang (meer dan {MAX_NAME_BYTES} tekens).",
            "Geef het antwoordenbestand of -o een kortere naam.",
        )
    try:
        _check_can_write(path, overwrite, inputs)
    except OSError as exc:  # a name too long for the file system, a folder we may not read
        raise UserError(
            f"'{path}' kan niet worden gemaakt ({exc.strerror}).",
            "Kies een kortere naam of een andere map.",
        ) from None


def _check_can_write(path: Path, overwrite: bool, inputs: frozenset[Path]) -> None:
    if path.is_dir():
        raise UserError(f"'{path}' is een map.", "Geef een bestandsnaam op, bijvoorbeeld notitie.docx.")
    if path.exists():
        if path.resolve() in inputs:
            raise UserError(
                f"'{path}' is het invoerbestand zelf en wordt nooit door een document vervangen.",
                "Geef het document met -o een andere naam.",
            )
        if not overwrite:
            raise UserError(
                f"'{path}' bestaat al en wordt niet overschreven.",
                "Kies een andere naam, of gebruik --overschrijven als u het oude bestand wilt vervangen.",
            )


def check_all_can_write(paths: Iterable[Path], overwrite: bool, sources: Iterable[Path] = ()) -> None:
    """`check_can_write` for many files: every refusal reported at once, before anything is
    written. The inputs are looked up once for all targets (linear, not targets × inputs)."""
    problems = []
    inputs = _inputs(sources)
    for path in paths:
        try:
            _check_one(path, overwrite, inputs)
        except UserError as exc:
            problems.append(Problem(exc.message, hint=exc.hint))
    if problems:
        raise DataError(problems)
