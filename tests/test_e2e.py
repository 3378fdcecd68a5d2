"""The installed `beleidsnotitie start` in a real pseudo-terminal, used as a person would."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import docx
import pexpect
import pytest

from wizard import answers
from wizard.questionnaire import Questionnaire

TOOL = Path(sys.executable).parent / "beleidsnotitie"
DOWN, UP, CTRL_C = "\x1b[B", "\x1b[A", "\x03"


def spawn(folder: Path, *args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        str(TOOL), ["start", *args], cwd=str(folder), dimensions=(50, 140), encoding="utf-8", timeout=20
    )
    child.logfile_read = io.StringIO()
    return child


@pytest.mark.slow
def test_full_session_with_interrupt_resume_review_and_finish(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    # 1. start new, answer two questions, Ctrl-C halfway
    child = spawn(tmp_path, "dorp.yaml")
    child.expect("Naam van de gemeente")
    child.send("Testdorp\r")
    child.expect("Aantal inwoners")
    child.send("veel\r")  # refused as typed, with a Dutch message
    child.expect("Typ alleen cijfers")
    child.send("\x7f" * 4 + "12000\r")
    child.expect("Provincie")
    child.send(CTRL_C)
    child.expect("Verder gaan\\? Typ: beleidsnotitie start dorp.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    path = tmp_path / "dorp.yaml"
    assert answers.load(path, questionnaire).values == {"gemeente_naam": "Testdorp", "inwoners": 12000}

    # 2. resume: continue at the first open question and walk the whole questionnaire
    child = spawn(tmp_path, "dorp.yaml")
    child.expect("nog open")
    child.send("\r")  # Verder gaan bij de eerste open vraag
    child.expect("Provincie")
    child.send(UP + "\r")  # from "(overslaan)" one up: Zuid-Holland
    child.expect("Wat doet de gemeente nu al internationaal")
    child.send(" \r")  # Stedenbanden
    child.expect("Stedenbanden")  # the answer is echoed: that prompt is done
    # Enter (skip or accept) at every prompt that waits for input, until the overview shows.
    # Each Enter answers a prompt seen on screen, so none is left over for the overview.
    waiting = r"= terug\)|pijltjes \+ Enter\)|leeg = geen toelichting\)"
    for _ in range(300):
        if child.expect(["Overzicht van uw antwoorden", waiting], timeout=20) == 0:
            break
        child.send("\r")
    else:
        pytest.fail("the walk did not reach the review screen:\n" + child.logfile_read.getvalue()[-3000:])

    # 3. review: jump to part 1, change the name, back to the overview, make the draft
    child.expect("Wat wilt u doen")
    child.send(DOWN + "\r")  # Aanpassen: deel 1 · Gemeente
    child.expect("Welke vraag in 'Gemeente'")
    child.send("\r")  # Naam van de gemeente
    child.expect("Naam van de gemeente")
    child.send("\x7f" * 8 + "Nieuwdorp\r")
    child.expect("Welke vraag in 'Gemeente'")
    child.send(UP + "\r")  # Terug naar het overzicht (the list wraps around)
    child.expect("Overzicht van uw antwoorden")
    child.expect("Wat wilt u doen")
    child.send("\r")  # Het concept maken
    child.expect("Klaar:")
    child.expect("Ook een PDF en een OpenDocument-bestand")
    child.send("\r")  # the default: no
    child.expect("Later kan dat ook: beleidsnotitie maak dorp.yaml --formaat odt,pdf")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    values = answers.load(path, questionnaire).values
    assert values["gemeente_naam"] == "Nieuwdorp"
    assert values["provincie"] == "zuid_holland" and values["huidige_activiteit"] == ["stedenbanden"]
    document = docx.Document(str(tmp_path / "dorp.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Gemeente Nieuwdorp" in text and "Aandachtspunten bij dit concept" in text
    proposal = docx.Document(str(tmp_path / "dorp-raadsvoorstel.docx"))
    assert "De raad van de gemeente Nieuwdorp," in "\n".join(p.text for p in proposal.paragraphs)
