"""The user's own folders the tool writes to; imports nothing of the tool, so anyone may use it."""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder() -> Path:
    """%LOCALAPPDATA% on Windows, $XDG_CACHE_HOME or ~/.cache elsewhere, then 'beleidsnotitie'."""
    base = os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "beleidsnotitie"
