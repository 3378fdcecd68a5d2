"""Atomic file writes: a crash leaves either the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from wizard.errors import DataError, Problem, UserError


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and os.replace."""
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise UserError(
            f"de map '{folder}' bestaat niet.",
            "Maak de map eerst aan, of kies een andere map.",
        )
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except PermissionError:
        raise UserError(
            f"in de map '{folder}' mag niet worden geschreven.",
            "Kies een map waarin u bestanden mag opslaan.",
        ) from None
    temp = Path(temp_name)
    try:
        copy_mode(path, temp)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temp.replace(path)  # os.replace: atomic on Windows and POSIX
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


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


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def check_can_write(path: Path, overwrite: bool) -> None:
    """Refuse to replace an existing file unless the user said so."""
    if path.is_dir():
        raise UserError(f"'{path}' is een map.", "Geef een bestandsnaam op, bijvoorbeeld notitie.docx.")
    if path.exists() and not overwrite:
        raise UserError(
            f"'{path}' bestaat al en wordt niet overschreven.",
            "Kies een andere naam, of gebruik --overschrijven als u het oude bestand wilt vervangen.",
        )


def check_all_can_write(paths: Iterable[Path], overwrite: bool) -> None:
    """`check_can_write` for many files: every refusal reported at once, before anything is written."""
    problems = []
    for path in paths:
        try:
            check_can_write(path, overwrite)
        except UserError as exc:
            problems.append(Problem(exc.message, hint=exc.hint))
    if problems:
        raise DataError(problems)
