"""Concept and definitive version: `maak --definitief` refuses, with every open point named,
until nothing blocks and nothing is left to fill in; the definitive documents carry no
"Concept" and no findings appendix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx

from .conftest import Result, example
from .test_document import body_text

CASES = Path(__file__).parent / "antwoorden"
Cli = Callable[..., Result]


def header_text(document: docx.document.Document) -> str:
    return " ".join("".join(s.header._element.itertext()) for s in document.sections)


def test_a_complete_draft_becomes_definitive(cli: Cli, tmp_path: Path) -> None:
    result = cli("maak", CASES / "compleet.yaml", "-o", tmp_path, "--definitief")
    assert result.code == 0, result.err
    note = docx.Document(str(tmp_path / "compleet.docx"))
    proposal = docx.Document(str(tmp_path / "compleet-raadsvoorstel.docx"))
    for document in (note, proposal):
        assert document.core_properties.category == "Definitief"
        assert "Concept" not in header_text(document) and "Definitief" in header_text(document)
    note_text, proposal_text = body_text(note), body_text(proposal)
    assert "Status: Definitief" in note_text and "Concept" not in note_text
    assert "Aandachtspunten bij dit concept" not in note_text
    assert "(concept)" not in proposal_text and "aandachtspunten uit de toets" not in proposal_text
    assert "[nog invullen" not in note_text + proposal_text
    assert "[griffie: zaaknummer]" in proposal_text  # the griffie fills these in at the end


def test_a_draft_with_open_points_is_refused_with_each_point_named(cli: Cli, tmp_path: Path) -> None:
    result = cli("maak", example("oosterhaven"), "-o", tmp_path, "--definitief")
    assert result.code == 1
    assert not list(tmp_path.iterdir())  # nothing written
    assert "de definitieve versie is niet gemaakt, want er is nog iets open:" in result.err
    assert "Blokkerende aandachtspunten (2):" in result.err
    assert (
        "- Beleidsnotitie internationale samenwerking, bij 'Wanica (Suriname)': "
        "[nog invullen: welke rol deze inwoners hebben in de band]"
    ) in result.err
    assert "--accepteer-open-punten" in result.err
    assert "griffie:" not in result.err  # the griffie's own fields never block


def test_open_points_can_be_accepted_explicitly(cli: Cli, tmp_path: Path) -> None:
    result = cli("maak", example("oosterhaven"), "-o", tmp_path, "--definitief", "--accepteer-open-punten")
    assert result.code == 0, result.err
    note = docx.Document(str(tmp_path / "oosterhaven.docx"))
    text = body_text(note)
    assert "Status: Definitief" in text and "Aandachtspunten bij dit concept" not in text
    assert "[nog invullen: welke rol deze inwoners hebben in de band]" in text  # still visible


def test_accepting_open_points_belongs_to_a_definitive_version(cli: Cli, tmp_path: Path) -> None:
    result = cli("maak", example("oosterhaven"), "-o", tmp_path, "--accepteer-open-punten")
    assert result.code == 2
    assert "--accepteer-open-punten hoort bij --definitief." in result.err


def test_a_concept_is_the_default(cli: Cli, tmp_path: Path) -> None:
    assert cli("maak", CASES / "compleet.yaml", "-o", tmp_path).code == 0
    note = docx.Document(str(tmp_path / "compleet.docx"))
    assert note.core_properties.category == "Concept"
    assert "Aandachtspunten bij dit concept" in body_text(note)
