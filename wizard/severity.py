"""How serious a finding is: one home for the three severities (rules, toets, readiness, pages).

A StrEnum: a severity is also its Dutch word ("blokkerend"), so rule files, the JSON of
`toets` and the templates keep reading and writing plain text.
"""

from __future__ import annotations

import enum


class Severity(enum.StrEnum):
    BLOCKING = "blokkerend"  # stops a definitive version
    WARNING = "waarschuwing"
    TIP = "tip"

    @property
    def label(self) -> str:
        """'Blokkerend', 'Waarschuwing', 'Tip'."""
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        """0 for the most severe."""
        return list(Severity).index(self)

    def counted(self, count: int) -> str:
        """'1 waarschuwing', '3 tips', '2 blokkerend'."""
        plural = {Severity.BLOCKING: "blokkerend", Severity.WARNING: "waarschuwingen", Severity.TIP: "tips"}
        return f"{count} {self.value if count == 1 else plural[self]}"

    @property
    def mark(self) -> str:
        """How the terminal marks it: blocking stands out without colour, tips read quietly."""
        return "!! BLOKKEREND:" if self is Severity.BLOCKING else f"[{self.value}]"


SEVERITIES = tuple(s.value for s in Severity)  # most severe first
