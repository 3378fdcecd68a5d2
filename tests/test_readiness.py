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


def test_a_placeholder_carries_its_question_unseen() -> None:
    """`open('…', 'ingangsdatum')` in a template: the run keeps the key, its text stays as shown."""
    from wizard import blocks
    from wizard.context import open_text

    line = f"Het kader geldt vanaf {open_text('datum waarop het kader ingaat', 'ingangsdatum')}."
    runs = blocks.inline(line)
    assert [r.text for r in runs] == [
        "Het kader geldt vanaf ",
        "[nog invullen: datum waarop het kader ingaat]",
        ".",
    ]
    assert [(r.open, r.key) for r in runs] == [(False, ""), (True, "ingangsdatum"), (False, "")]
    both = blocks.inline(open_text("bedrag", "ramp_plafond") + open_text("bedrag", "ramp_jaarplafond"))
    assert [r.key for r in both] == ["ramp_plafond", "ramp_jaarplafond"]  # never merged into one place
    places = readiness.open_places("Notitie", [blocks.Paragraph(runs)])
    assert places == [
        readiness.OpenPlace(
            "Notitie", "Notitie", "[nog invullen: datum waarop het kader ingaat]", "ingangsdatum"
        )
    ]
    lines = readiness.check([], [("Notitie", [blocks.Paragraph(runs)])]).lines(lambda p: f"vraag {p.key}")
    assert lines[-1] == (
        "- Notitie, bij 'Notitie': [nog invullen: datum waarop het kader ingaat] → vraag ingangsdatum"
    )


def test_every_question_a_template_names_for_an_open_place_exists() -> None:
    """A typo in `open('…', 'vraag_id')` would quietly send people to the overview again."""
    import re

    from wizard import questionnaire
    from wizard.resources import templates_dir

    known = questionnaire.load().by_id
    named = {
        (path.name, key)
        for path in templates_dir().rglob("*.j2")
        for key in re.findall(
            r"open\((?:[^()]|\([^()]*\))*?, '([a-z_]+)'\)", path.read_text(encoding="utf-8")
        )
    }
    assert len(named) >= 20
    assert sorted(n for n in named if n[1] not in known) == []
