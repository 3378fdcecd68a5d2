"""What `regels` prints, for the framework's rules (wizard/cli.py) and the control rules of a
verantwoording (wizard/evaluation_cli.py): the list of rules, and the report of checking an own
folder's examples. Its own module, because evaluation_cli is imported by cli."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from wizard.errors import EXIT_DATA_ERROR, visible
from wizard.rules import RULE_ROLES, ExampleResult, Rule
from wizard.severity import Severity


def ordered(rules: Sequence[Rule]) -> list[Rule]:
    """By role (initiëren, kaderstellen, controleren), then the most severe first, then by id."""
    return sorted(rules, key=lambda r: (RULE_ROLES.index(r.role), Severity(r.severity).rank, r.id))


def print_rules(rules: Sequence[Rule], what: str = "") -> None:
    """The rules in `ordered` order, each with its level, role and source; `what` follows the count."""
    shown = ordered(rules)
    width = max(len(r.id) for r in shown)
    print(f"{len(shown)} regels{what}\n")
    for rule in shown:
        print(visible(f"{rule.id:<{width}}  {rule.severity:<12} {rule.role:<12} {rule.title}"))
        print(visible(f"{'':<{width}}  bron: {rule.source.text()}"))


def print_examples(loaded: int, results: Sequence[ExampleResult]) -> int:
    """`regels --controleer`: each example that fails (on stderr), then the count; the exit status."""
    failed = [r for r in results if not r.ok]
    for result in failed:
        print(f"- {result.rule} voorbeelden.{result.kind}[{result.index}]: {result.detail}", file=sys.stderr)
    print(f"{loaded} regel(s) geladen, {len(results) - len(failed)} van {len(results)} voorbeelden kloppen.")
    return EXIT_DATA_ERROR if failed else 0
