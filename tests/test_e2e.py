"""The installed `beleidsnotitie start` in a real pseudo-terminal, used as a person would."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import docx
import pexpect
import pytest

from wizard import answers
from wizard.questionnaire import Questionnaire
from wizard.walk import Walk

TOOL = Path(sys.executable).parent / "beleidsnotitie"
DOWN, UP, CTRL_C = "\x1b[B", "\x1b[A", "\x03"


def spawn(folder: Path, *args: str) -> pexpect.spawn:
    """`beleidsnotitie start` on the full route, unless the test names a route."""
    route = [] if "--route" in args else ["--route", "volledig"]
    child = pexpect.spawn(
        str(TOOL),
        ["start", *route, *args],
        cwd=str(folder),
        dimensions=(50, 140),
        encoding="utf-8",
        timeout=20,
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
    child.send("veel\r")  # refused as typed, with a Dutch message under the question
    child.expect("geen getal")
    child.send("\x7f" * 4 + "12.000\r")
    child.expect("Genoteerd: 12.000")
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
    child.send(UP + UP + "\r")  # from the first option, Drenthe, past "(overslaan)": Zuid-Holland
    child.expect("Wat doet de gemeente nu al internationaal")
    child.send(" \r")  # Stedenbanden
    child.expect("Stedenbanden")  # the answer is echoed: that prompt is done
    # Enter (skip or accept) at every prompt that waits for input, until the overview shows.
    # Each Enter answers a prompt seen on screen, so none is left over for the overview.
    waiting = r"= terug\)|\? = uitleg\)|leeg = geen toelichting\)"
    for _ in range(300):
        if child.expect(["Overzicht van uw antwoorden", waiting], timeout=20) == 0:
            break
        child.send("\r")
    else:
        pytest.fail("the walk did not reach the review screen:\n" + child.logfile_read.getvalue()[-3000:])

    # 3. review: jump to part 1, change the name, back to the overview, make the draft
    child.expect("Wat wilt u doen")
    child.send(DOWN + DOWN + "\r")  # past "Verder gaan bij de eerste open vraag": deel 1 · Gemeente
    child.expect("Welke vraag in 'Gemeente'")
    child.send("\r")  # Naam van de gemeente
    child.expect("leeg = overslaan")  # the text box is there (not the echo of the menu choice)
    child.send("\x7f" * 8 + "Nieuwdorp\r")
    child.expect("Welke vraag in 'Gemeente'")
    child.send(UP + "\r")  # Terug naar het overzicht (the list wraps around)
    child.expect("Overzicht van uw antwoorden")
    child.expect("Wat wilt u doen")
    child.send("\r")  # Het concept maken
    child.expect("Welke versie wilt u maken")
    child.send("\r")  # the default: a concept
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
    document = docx.Document(str(tmp_path / "dorp-concept.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Gemeente Nieuwdorp" in text and "Aandachtspunten bij dit concept" in text
    proposal = docx.Document(str(tmp_path / "dorp-raadsvoorstel-concept.docx"))
    assert "De raad van de gemeente Nieuwdorp," in "\n".join(p.text for p in proposal.paragraphs)


def start_with(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def finished(child: pexpect.spawn, status: int) -> None:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == status, child.logfile_read.getvalue()[-2000:]


@pytest.mark.slow
def test_a_dutch_amount_ends_up_right_in_the_documents(tmp_path: Path, questionnaire: Questionnaire) -> None:
    path = start_with(tmp_path, "geld.yaml", "gemeente_naam: Zeewolde\n")
    child = spawn(tmp_path, "geld.yaml")
    child.expect("Wat wilt u doen")
    child.send(DOWN + "\r")  # Antwoorden bekijken en aanpassen
    child.expect("Overzicht van uw antwoorden")
    child.expect("Wat wilt u doen")
    child.send(DOWN * 10 + "\r")  # maak, verder, deel 1 … deel 9 · Geld
    child.expect("Welke vraag in 'Geld'")
    child.send("\r")
    child.expect("Hoeveel geld is er per jaar")
    child.expect("leeg = overslaan")
    child.send("€ 5.5\r")
    child.expect("niet duidelijk")  # a question back, not a guess
    child.send("\x7f" * 3 + "25.000\r")
    child.expect("Genoteerd: € 25.000 per jaar")
    child.expect("Welke vraag in 'Geld'")
    child.send(UP + "\r")  # Terug naar het overzicht
    child.expect("Overzicht van uw antwoorden")
    child.expect("Wat wilt u doen")
    child.send("\r")  # Het concept maken
    child.expect("Welke versie wilt u maken")
    child.send("\r")  # the default: a concept
    child.expect("Klaar:")
    child.expect("Ook een PDF")
    child.send("\r")
    finished(child, 0)
    assert answers.load(path, questionnaire).values["budget_jaar"] == 25000
    note = "\n".join(p.text for p in docx.Document(str(tmp_path / "geld-concept.docx")).paragraphs)
    # The euro sign and the amount are joined by a no-break space: never split at a line end.
    assert "€\u00a025.000" in note and "€\u00a025\n" not in note and "€\u00a025 " not in note
    proposal = docx.Document(str(tmp_path / "geld-raadsvoorstel-concept.docx"))
    assert "€\u00a025.000" in "\n".join(p.text for p in proposal.paragraphs)


@pytest.mark.slow
def test_a_long_answer_keeps_its_lines_and_a_paste_stays_in_its_own_answer(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = start_with(
        tmp_path,
        "tekst.yaml",
        "# yaml-language-server: $schema=./antwoorden.schema.json\n"
        "# Ingevuld met de griffie.\n"
        "gemeente_naam: Zeewolde   # zo heet ze\n",
    )
    child = spawn(tmp_path, "tekst.yaml")
    child.expect("Wat wilt u doen")
    child.send("\r")  # Verder gaan bij de eerste open vraag
    child.expect("Aantal inwoners")
    # A paste without bracketed paste: its line break must not answer the next question.
    child.send("23.000\rFlevoland\r")
    child.expect("Aantal inwoners")  # still this question: '23.000 Flevoland' is no number
    child.expect("geen getal")
    child.send("\x7f" * 10 + "\r")
    child.expect("Genoteerd: 23.000")
    child.expect("Provincie")
    child.send(CTRL_C)
    finished(child, 130)
    child = spawn(tmp_path, "tekst.yaml")
    child.expect("Wat wilt u doen")
    child.send(DOWN + "\r")
    child.expect("Wat wilt u doen")
    child.send(DOWN * 4 + "\r")  # maak, verder, deel 1, deel 2, deel 3 · Visie
    child.expect("Welke vraag in 'Visie")
    child.send("\r")
    child.expect("klaar\\? twee keer Enter")  # the hint says how to finish, in plain words
    child.send("Eerste regel.\r")
    child.expect("Eerste regel")
    child.send("Tweede regel.\r")
    child.expect("Tweede regel")
    child.send("\r")  # Enter on an empty line: done
    child.expect("Welke vraag in 'Visie")
    child.send(CTRL_C)
    finished(child, 130)
    values = answers.load(path, questionnaire).values
    assert values["visie"] == "Eerste regel.\nTweede regel."
    assert values["inwoners"] == 23000 and "provincie" not in values
    text = path.read_text(encoding="utf-8")
    # The person's comments and the schema line survive the sessions.
    assert text.startswith(
        "# yaml-language-server: $schema=./antwoorden.schema.json\n# Ingevuld met de griffie.\n"
    )
    assert "gemeente_naam: Zeewolde   # zo heet ze\n" in text


@pytest.mark.slow
def test_ctrl_c_inside_a_tie_and_resume_at_that_tie(tmp_path: Path, questionnaire: Questionnaire) -> None:
    from wizard.resources import examples_dir

    path = tmp_path / "band.yaml"
    path.write_text((examples_dir() / "oosterhaven.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    loaded = answers.load(path, questionnaire)
    loaded.values["doelen"][2]["termijn"] = 2030  # the one open goal field: now a tie is first
    loaded.values["motief_opbrengst"]["ideeel"] = "Inwoners leren van de partnersteden."  # and before it
    answers.save(loaded, questionnaire, path)
    fields = {f.id: f.label for f in questionnaire.by_id["partnerschappen"].velden}
    child = spawn(tmp_path, "band.yaml")
    child.expect("Wat wilt u doen")
    child.send("\r")
    child.expect("U was gebleven bij")
    child.expect(f"Wanica \\(Suriname\\) · {fields['rol_migranten'][:20]}")
    child.send("\r")  # the first option
    child.expect("Wanica \\(Suriname\\) · ")
    child.send(CTRL_C)
    finished(child, 130)
    stopped = answers.load(path, questionnaire)
    assert stopped.values["partnerschappen"][1].get("rol_migranten")
    place = Walk(questionnaire).first_open(stopped)
    assert place is not None and place.item == 1 and place.field not in (None, "rol_migranten")
    child = spawn(tmp_path, "band.yaml")
    child.expect("Wat wilt u doen")
    child.send("\r")
    child.expect("U was gebleven bij")
    child.expect("Wanica \\(Suriname\\)")
    child.expect(f"Wanica \\(Suriname\\) · {re.escape(fields[place.field][:20])}")
    child.send(CTRL_C)
    finished(child, 130)


@pytest.mark.slow
def test_a_second_session_on_the_same_file_is_refused(tmp_path: Path) -> None:
    start_with(tmp_path, "samen.yaml", "gemeente_naam: Zeewolde\n")
    first = spawn(tmp_path, "samen.yaml")
    first.expect("Wat wilt u doen")
    second = spawn(tmp_path, "samen.yaml")
    second.expect("al geopend in een andere sessie")
    finished(second, 2)
    first.send(CTRL_C)
    finished(first, 130)
    again = spawn(tmp_path, "samen.yaml")  # the first session is gone, and so is its lock
    again.expect("Wat wilt u doen")
    again.send(CTRL_C)
    finished(again, 130)


@pytest.mark.slow
def test_a_c_locale_keeps_dutch_and_turkish_letters(tmp_path: Path, questionnaire: Questionnaire) -> None:
    import os

    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    env.pop("PYTHONUTF8", None)
    child = pexpect.spawn(
        str(TOOL), ["start", "--route", "volledig", "c.yaml"], cwd=str(tmp_path), env=env, timeout=20
    )
    child.expect(b"Naam van de gemeente")
    child.send("Súdwest-Fryslân Kırşehir\r".encode())
    child.expect(b"Aantal inwoners")
    child.send(CTRL_C)
    child.expect(pexpect.EOF)
    loaded = answers.load(tmp_path / "c.yaml", questionnaire)
    assert loaded.values["gemeente_naam"] == "Súdwest-Fryslân Kırşehir"


ANSI = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"
PROMPT = rf"›{ANSI} ([^\r\n\x1b]*){ANSI}\r*\n{ANSI} +\((?:Enter|pijltjes|spatie)[^)]*\)"


@pytest.mark.slow
def test_the_short_route_walked_as_a_griffier_gives_a_consistent_short_draft(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    from wizard.draft import Drafter

    from .test_truth import check_consistency, outline

    child = spawn(tmp_path, "kort.yaml", "--route", "kort")
    child.expect("U volgt de korte route: nog \\d+ vragen, ongeveer \\d+ tot \\d+ minuten")
    goals = ties = subsidies = 0
    last = ""
    questions: list[str] = []  # what was asked, menus not counted
    partners = [("Berkane", "Marokko", DOWN), ("Chrudim", "Tsjechië", DOWN * 3)]  # voortzetten, beëindigen
    steps = {
        "Naam van de gemeente": "Dorp\r",
        "Aantal inwoners": "12.000\r",
        "Waarom maakt de gemeente nu een kader?": DOWN * 2 + " \r",
        "Welke motieven heeft de gemeente?": " " + DOWN * 2 + " \r",
        "Wat is het belangrijkste motief?": "\r",
        "Waaraan ziet u dat het doel is gehaald?": "twee uitwisselingen per jaar\r",
        "In welk jaar moet het doel zijn gehaald?": "2030\r",
        "Wat besluit de raad met deze notitie over hulp na rampen?": DOWN + "\r",  # geen giften
        "Hoeveel geld is er per jaar voor internationale samenwerking?": "15.000\r",
        "Welke rol hebben inwoners die uit dit land komen?": DOWN * 2 + "\r",  # zij adviseren
        "Waar komt het geld vandaan?": "\r",  # binnen het bestaande budget
        "Op welke begrotingspost of in welk programma staat of komt het geld?": "Programma Bestuur\r",
        "Waar legt de raad het budget vast?": "\r",  # kadernota
        "Voor welk begrotingsjaar legt de raad het budget vast?": "2028\r",
        "In welk jaar wordt het beleid geëvalueerd?": "2030\r",
        "Gebruikt de gemeente subsidies, of wil zij die aanvragen?": "\r",  # ja
        "Welk programma?": DOWN + "\r",  # EU: Interreg
    }
    for _ in range(80):
        if child.expect([PROMPT, "Overzicht van uw antwoorden"], timeout=20) == 1:
            break
        full_label = child.match.group(1)
        if full_label == last:
            continue  # the prompt drawn again (after a key), not a new one
        last = full_label
        label = full_label.split(" · ")[-1]
        if label == "Doelen: wat wilt u doen?":
            child.send(UP * (1 + 2 * goals) * bool(goals) + "\r" if goals < 3 else "\r")  # add, or done
            continue
        if label == "Partnerschappen en stedenbanden: wat wilt u doen?":
            child.send(UP * (1 + 2 * ties) * bool(ties) + "\r" if ties < 2 else "\r")
            continue
        if label == "Subsidies en programma's: wat wilt u doen?":
            child.send("\r")  # the default: add one without items, done with one
            continue
        if label == "Wat wilt u doen?":  # after the findings of a part
            child.send("\r")
            continue
        questions.append(label)
        if label == "Wat wil de gemeente bereiken?":
            goals += 1
            child.send(f"Doel {goals} van Dorp en Berkane\r")
        elif label == "Naam van de partnergemeente":
            ties += 1
            child.send(partners[ties - 1][0] + "\r")
        elif label == "Land":
            child.send(partners[ties - 1][1] + "\r")
        elif label == "Wat stelt u voor met deze band?":
            child.send(partners[ties - 1][2] + "\r")
        elif label == "Waarom kiest de raad hiervoor?":  # a long text: a line, then an empty line
            child.send("Noodhulp is geen taak van de gemeente.\r")
            child.expect("Noodhulp is geen taak van de gemeente.")
            child.send("\r")
        elif label == "Aan welk doel van het beleid draagt deze subsidie bij?":  # too short to be clear
            subsidies += 1
            child.send("Jongeren\r")
            child.expect("Jongeren")
            child.send("\r")
        elif label == "Komen inwoners (of hun ouders) uit dit land?":
            child.send("\r" if ties == 1 else DOWN + "\r")  # Berkane: ja; Chrudim: nee
        else:
            assert label in steps, f"the short route asked {label!r}"
            child.send(steps[label])
    else:
        pytest.fail(f"the overview never came; asked {questions}: {child.logfile_read.getvalue()[-1500:]}")
    # 31 before the short route asked about subsidies: now the yes/no, and per subsidy two more
    assert len(questions) == 34 and goals == 3 and ties == 2 and subsidies == 1
    shown = child.logfile_read.getvalue()
    assert "Aandachtspunten bij 'Geld':" in shown and 'Bij de Europese subsidie "EU: Interreg"' in shown
    child.expect("Voortgang: kort: (\\d+) van (\\d+), volledig: (\\d+) van (\\d+)")
    done, total, full_done, full_total = (int(n) for n in child.match.groups())
    assert done == total and full_done < full_total
    child.expect("Wat wilt u doen")
    child.send("\r")  # Het concept maken
    child.expect("Welke versie wilt u maken")
    child.send("\r")  # the default: a concept
    child.expect("Klaar:")
    child.expect("Ook een PDF")
    child.send("\r")  # Nee
    finished(child, 0)

    loaded = answers.load(tmp_path / "kort.yaml", questionnaire)
    assert loaded.route == "kort" and Walk(questionnaire, "kort").first_open(loaded) is None
    assert (tmp_path / "kort-concept.docx").exists() and (
        tmp_path / "kort-raadsvoorstel-concept.docx"
    ).exists()
    drafter = Drafter()
    check_consistency(drafter, loaded)
    note = outline(drafter, loaded, "notitie")
    assert "Een volgende, volledigere versie beschrijft hier de visie en missie" in note
    assert "## Wat de volledige route toevoegt" in note
    assert "EU: Interreg | Jongeren" in note
    assert "Regel: eu-subsidie-zonder-doel." in note
    assert note.count("[nog invullen") <= 10  # the beslispunten's years and the griffie's details


@pytest.mark.slow
def test_after_a_refused_answer_new_typing_replaces_it(tmp_path: Path, questionnaire: Questionnaire) -> None:
    """Issue 21: '28 duizend' refused, then typing '28.500' gives 28.500, not '28 duizend28.500'."""
    path = tmp_path / "nieuw.yaml"
    child = spawn(tmp_path, "nieuw.yaml")
    child.expect("Naam van de gemeente")
    child.send("Zeewolde\r")
    child.expect("Aantal inwoners")
    child.send("28 duizend")
    child.expect("28 duizend")
    child.send("\r")
    child.expect("geen getal")
    child.send("28.500")
    child.expect("28.500")
    child.send("\r")
    child.expect("Genoteerd: 28.500")
    child.expect("Provincie")
    child.send(CTRL_C)
    finished(child, 130)
    assert answers.load(path, questionnaire).values["inwoners"] == 28500


@pytest.mark.slow
def test_a_hand_edit_between_two_questions_is_taken_in_and_never_saved_over(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    """The answers file changed in a text editor while `start` runs, as the web takes it in."""
    path = tmp_path / "dorp.yaml"
    path.write_text("# van de griffie\ngemeente_naam: Testdorp\n", encoding="utf-8")
    child = spawn(tmp_path, "dorp.yaml")
    child.expect("nog open")
    child.send("\r")  # Verder gaan bij de eerste open vraag
    child.expect("Aantal inwoners")
    child.send("12000\r")
    child.expect("Provincie")
    # Between two questions, in an editor: the name and the number just saved change.
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Testdorp", "Testdorp-Oost").replace("12000", "13000"), encoding="utf-8")
    child.send("<")  # back: the question shows the file's answer
    child.expect("Aantal inwoners")
    child.expect("13.000")
    # While the question is on screen, the file changes that answer again; the typed one is not
    # saved over it and the walk goes on: said, and asked again with the file's answer.
    child.send("\x7f" * 10 + "14000")
    path.write_text(path.read_text(encoding="utf-8").replace("13000", "15000"), encoding="utf-8")
    child.send("\r")
    child.expect(r"in het bestand zelf\s+veranderd")  # the notice is wrapped to the window
    child.expect(r"in:\s+15\.000")
    child.expect(r"U gaf:\s+14\.000")
    child.expect("Aantal inwoners")
    child.send("\r")  # keep the file's answer
    child.expect("Provincie")
    child.send(CTRL_C)
    child.expect("Verder gaan\\? Typ: beleidsnotitie start dorp.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, child.logfile_read.getvalue()[-2000:]
    assert answers.load(path, questionnaire).values == {"gemeente_naam": "Testdorp-Oost", "inwoners": 15000}
    assert path.read_text(encoding="utf-8").startswith("# van de griffie\n")
