"""A per-user cache of work that only changes when its input changes (like .pyc files).

Loading and checking the questionnaire and the rules, and preparing a house style,
takes longer than drafting a note. The results are kept in the user's cache folder
(%LOCALAPPDATA% on Windows, $XDG_CACHE_HOME or ~/.cache elsewhere), under a key
made from the exact bytes of every input *and* of the tool's own code, so an edited
rule, template, house style or program is never served stale. A cache that cannot be
read or written is skipped silently: it only ever saves time.

The files are pickles the tool wrote itself into a folder only the user can write to,
the same trust as Python's own .pyc files and Jinja's compiled-template cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent
_CODE_DIGEST: str | None = None


def folder() -> Path:
    from wizard.userdirs import cache_folder

    return cache_folder()


def _code_digest() -> str:
    """A digest of the tool's own Python files (name, size, time of change), like .pyc files use:
    a new or edited version of the tool never reads an old cache."""
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        digest = hashlib.sha256(sys.version.encode())
        for path in sorted(_PACKAGE.glob("*.py")):
            status = path.stat()
            digest.update(f"{path.name}:{status.st_size}:{status.st_mtime_ns};".encode())
        _CODE_DIGEST = digest.hexdigest()
    return _CODE_DIGEST


def files_digest(paths: Iterable[Path]) -> bytes:
    """The names and bytes of `paths`, as a key part (a missing file counts as empty)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        with contextlib.suppress(OSError):
            info = path.stat()
            if stat.S_ISREG(info.st_mode):  # a FIFO would block, a device never end: never read
                digest.update(path.read_bytes())
            else:
                digest.update(f"{info.st_mode}".encode())
        digest.update(b"\1")
    return digest.digest()


def cached(kind: str, key: Iterable[bytes], build: Callable[[], T]) -> T:
    """Return the cached result for `key`, or build it, store it and return it."""
    if os.environ.get("BELEIDSNOTITIE_GEEN_CACHE"):
        return build()
    digest = hashlib.sha256(_code_digest().encode())
    for part in key:
        digest.update(hashlib.sha256(part).digest())
    path = folder() / kind / f"{digest.hexdigest()}.pickle"
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)  # type: ignore[no-any-return]  # noqa: S301 - our own cache, see above
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, IndexError, TypeError):
        pass
    value = build()
    _store(path, value)
    return value


def _store(path: Path, value: object) -> None:
    from wizard import atomic
    from wizard.errors import UserError

    with contextlib.suppress(
        OSError, UserError, pickle.PicklingError, TypeError, AttributeError, RecursionError
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
