"""One wizard session per answers file, with a lock a crash does not leave behind.

The lock is an operating-system lock on a small file next to the answers file
(".antwoorden.yaml.slot"): `fcntl.flock` on Linux and macOS, `msvcrt.locking` on Windows,
chosen at runtime. The system drops it when the process ends, however it ends, so a
crash or a closed terminal never blocks the next session. The file also says who holds
it (process, computer, since when) for the message to the second session.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import sys
from pathlib import Path
from typing import IO

_INFO_AT = 1  # Windows locks byte 0; the description starts after it, so others can read it


class LockedError(Exception):
    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def lock_path(path: Path) -> Path:
    target = path.resolve() if path.is_symlink() else path
    return target.with_name(f".{target.name}.slot")


class Lock:
    def __init__(self, path: Path, stream: IO[bytes] | None) -> None:
        self.path = path
        self.stream: IO[bytes] | None = stream

    @classmethod
    def take(cls, answers: Path) -> Lock:
        """Lock `answers` for this process, or raise LockedError saying who has it."""
        path = lock_path(answers)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            stream = path.open("a+b")
        except OSError:
            # A folder we cannot write in: saving will say so; no lock to take.
            return cls(path, None)
        if not _try_lock(stream):
            stream.seek(_INFO_AT)
            holder = stream.read(400).decode("utf-8", "replace").strip()
            stream.close()
            who = f" ({holder})" if holder else ""
            raise LockedError(
                f"{answers} is al geopend in een andere sessie van beleidsnotitie{who}.",
                "Ga verder in die sessie, of sluit haar eerst (Ctrl-C). Twee sessies tegelijk "
                "zouden elkaars antwoorden overschrijven.",
            )
        since = dt.datetime.now().strftime("%d-%m-%Y %H:%M")
        info = f"proces {os.getpid()} op {socket.gethostname()}, sinds {since}"
        stream.seek(0)
        stream.truncate()
        stream.write(b"\n" + info.encode("utf-8"))
        stream.flush()
        return cls(path, stream)

    def release(self) -> None:
        if self.stream is None:
            return
        stream, self.stream = self.stream, None
        try:
            stream.seek(0)
            stream.truncate()
            _unlock(stream)
        except OSError:
            pass
        stream.close()
        with contextlib.suppress(OSError):  # another session may have it open already; harmless
            self.path.unlink()


def _try_lock(stream: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        stream.seek(0)
        try:
            msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(stream: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        stream.seek(0)
        msvcrt.locking(stream.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(stream.fileno(), fcntl.LOCK_UN)
