"""Readiness for a definitive version: blocking findings and open places, named."""

from __future__ import annotations

from pathlib import Path

from wizard import readiness
from wizard.draft import Drafter

from .conftest import example

CASES = Path(__file__).parent / "antwoorden"


def test_open_places_are_named_with_their_heading(drafter: Drafter) -> None:
    drafts = drafter.drafts(drafter.load(example("oosterhaven")), ("notitie", "raadsvoorstel"))
    result = readiness.check(drafts[0].findings, [(d.meta.title, d.blocks) for d in drafts])
    assert not result.ready
    assert {f.rule for f in result.blocking} == {"eu-subsidie-zonder-doel", "herkomstland-rol-migranten"}
    headings = {(p.document, p.heading) for p in result.open_places}
    assert ("Raadsvoorstel kader internationale samenwerking", "Beslispunten") in headings
    # The griffie's own fields (meeting date, case number) never stand in the way.
    assert not any(p.text.startswith("[griffie:") for p in result.open_places)
    lines = result.lines()
    assert lines[0] == "Blokkerende aandachtspunten (2):"
    assert any(
        line.startswith("- Raadsvoorstel kader internationale samenwerking, bij 'Ontwerpbesluit': ")
        for line in lines
    )


def test_a_complete_draft_is_ready(drafter: Drafter) -> None:
    drafts = drafter.drafts(drafter.load(CASES / "band-stopt.yaml"), ("notitie",))
    places = readiness.open_places("notitie", drafts[0].blocks)
    assert places  # this small file leaves places open ...
    only_filled = readiness.check([], [])
    assert only_filled.ready and only_filled.lines() == []  # ... and nothing open means ready
