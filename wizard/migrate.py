"""Answers files of an earlier version, brought up to date: one line per change, nothing lost.

Every file with `formaat: 1` that an earlier version wrote must keep working. When a new
question takes over part of what an old answer meant, the old answer is kept as it is and
the new answer is derived from it, with a Dutch line that says what was added and why, so
the person sees it once and the file reads the same in every later version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Migration = Callable[[dict[str, Any]], str | None]


def _disaster_decision(values: dict[str, Any]) -> str | None:
    """Before 'ramp_keuze' existed, 'ramp_beleid: kader' meant both "there is a framework"
    and "the note holds it"; the note keeps holding it."""
    if values.get("ramp_beleid") == "kader" and "ramp_keuze" not in values:
        values["ramp_keuze"] = "kader"
        return (
            "ramp_keuze: kader toegevoegd. De vraag wat de raad over hulp na rampen besluit is nieuw; "
            "omdat er al een kader is (ramp_beleid: kader), neemt de notitie dat kader op."
        )
    return None


MIGRATIONS: tuple[Migration, ...] = (_disaster_decision,)


def upgrade(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The values with every migration applied, and one line per change made."""
    result = dict(values)
    notes = [note for migration in MIGRATIONS if (note := migration(result))]
    return result, notes
