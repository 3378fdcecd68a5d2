"""Atomic file writes: a crash leaves either the old file or the new one, never half.

A new file is written under a temporary name in the same folder and then put in place
in one step. Without permission to overwrite, the step itself refuses an existing
file (a hard link fails when the name is taken), so a file that appeared while the
tool was working is never replaced unasked. A target another program holds open
(Word on Windows) is reported by name instead of ending the run.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from wizard.errors import DataError, EnvironmentProblem, Problem, UserError

MAX_NAME_BYTES = 255  # one name in a folder, on Windows (NTFS) and Linux alike

# The one call that replaces a file; tests put a Windows-like lock in its place.
_replace = os.replace


class LockedError(EnvironmentProblem):
    """The target is open in another program (Windows refuses to replace it)."""


def locked(path: Path) -> LockedError:
    return LockedError(
        f"'{path}' is geopend in een ander programma en kan niet worden vervangen; "
        "sluit het bestand in Word en probeer opnieuw.",
        "Sluit ook een PDF-lezer of Verkenner-voorbeeld dat het bestand toont.",
    )


def appeared(path: Path) -> UserError:
    return UserError(
        f"'{path}' is ontstaan terwijl de tool werkte en wordt niet overschreven.",
        "Kies een andere naam, of gebruik --overschrijven als u het bestand wilt vervangen.",
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
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name[:80]}.", suffix=".tmp", dir=folder)
    except PermissionError:
        raise EnvironmentProblem(
            f"in de map '{folder}' mag niet worden geschreven.",
            "Kies een map waarin u bestanden mag opslaan.",
        ) from None
    except OSError as exc:
        raise EnvironmentProblem(
            f"in de map '{folder}' kan geen bestand worden gemaakt ({exc.strerror}).",
            "Kies een kortere naam of een andere map.",
        ) from None
    temp = Path(temp_name)
    try:
        copy_mode(path, temp)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        place(temp, path, overwrite)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


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
        raise EnvironmentProblem(
            f"'{path}' kan niet worden geschreven ({exc.strerror}).",
            "Kies een kortere naam of een andere map.",
        ) from None


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


def check_can_write(path: Path, overwrite: bool, sources: Iterable[Path] = ()) -> None:
    """Refuse to replace an existing file unless the user said so, and never replace one of
    the tool's own inputs (`sources`), not even with --overschrijven."""
    if len(path.name.encode("utf-8")) > MAX_NAME_BYTES:
        raise UserError(
            f"de bestandsnaam van '{path}' is te lang (meer dan {MAX_NAME_BYTES} tekens).",
            "Geef het antwoordenbestand of -o een kortere naam.",
        )
    try:
        _check_can_write(path, overwrite, sources)
    except OSError as exc:  # a name too long for the file system, a folder we may not read
        raise UserError(
            f"'{path}' kan niet worden gemaakt ({exc.strerror}).",
            "Kies een kortere naam of een andere map.",
        ) from None


def _check_can_write(path: Path, overwrite: bool, sources: Iterable[Path]) -> None:
    if path.is_dir():
        raise UserError(f"'{path}' is een map.", "Geef een bestandsnaam op, bijvoorbeeld notitie.docx.")
    if path.exists():
        resolved = path.resolve()
        for source in sources:
            if source.exists() and source.resolve() == resolved:
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
    """`check_can_write` for many files: every refusal reported at once, before anything is written."""
    problems = []
    inputs = list(sources)
    for path in paths:
        try:
            check_can_write(path, overwrite, inputs)
        except UserError as exc:
            problems.append(Problem(exc.message, hint=exc.hint))
    if problems:
        raise DataError(problems)
