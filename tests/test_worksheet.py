"""The printable workshop sheet (`beleidsnotitie vragen`): the whole questionnaire, on paper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from wizard import blocks, conditions, worksheet
from wizard.questionnaire import Questionnaire

from .conftest import Result

Cli = Callable[..., Result]


@pytest.fixture(scope="module")
def outline(questionnaire: Questionnaire) -> str:
    _, sheet = worksheet.blocks_for(questionnaire)
    return blocks.outline(sheet)


def test_every_question_and_choice_is_on_the_sheet_with_its_number(
    questionnaire: Questionnaire, outline: str
) -> None:
    lines = outline.splitlines()
    for s_number, section in enumerate(questionnaire.sections, start=1):
        assert f"# Deel {s_number}. {section.titel}" in lines
        for q_number, question in enumerate(section.questions, start=1):
            assert f"## {s_number}.{q_number} {question.label}" in lines
            for choice in question.keuzes:
                assert f"- [ ] {choice.label}" in lines
            for f_number, field in enumerate(question.velden, start=1):
                assert f"### {s_number}.{q_number}.{f_number} {field.label}" in lines


def test_conditional_questions_say_when_they_apply(outline: str) -> None:
    assert (
        "Alleen als u bij vraag 1.5 (Heeft de gemeente al beleid voor internationale samenwerking) "
        "'Ja, maar het is verouderd' of 'Ja, en het is actueel' antwoordde." in outline
    )
    assert (
        "Alleen als u bij vraag 3.2 (Welke motieven heeft de gemeente) meer dan één antwoord koos." in outline
    )


def test_there_is_room_to_write_after_every_open_question(questionnaire: Questionnaire, outline: str) -> None:
    spaces = outline.count("[[ruimte ")
    open_questions = sum(
        1
        for section in questionnaire.sections
        for question in section.questions
        for q in (question, *question.velden)
        if q.type in ("tekst", "lange_tekst", "getal", "bedrag", "jaar", "datum")
    )
    assert spaces >= open_questions + len(questionnaire.sections)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (conditions.Compare("inwoners", "ingevuld", True), "u vraag 1.2 (Aantal inwoners) invulde"),
        (conditions.Compare("inwoners", "ingevuld", False), "u vraag 1.2 (Aantal inwoners) leeg liet"),
        (
            conditions.Compare("inwoners", "meer_dan", 50000),
            "het antwoord op vraag 1.2 (Aantal inwoners) meer dan 50.000 is",
        ),
        (
            conditions.Compare("motieven", "minstens", 2),
            "u bij vraag 3.2 (Welke motieven heeft de gemeente) minstens twee antwoorden koos",
        ),
        (
            conditions.AnyOf(
                (
                    conditions.Compare("dienstreizen", "is", True),
                    conditions.Compare("inwoners", "ingevuld", True),
                )
            ),
            "'ja' antwoordde of u vraag 1.2 (Aantal inwoners) invulde",
        ),
    ],
)
def test_conditions_read_as_dutch(
    questionnaire: Questionnaire, condition: conditions.Condition, expected: str
) -> None:
    numbers = {
        q.key: f"{s}.{n}"
        for s, section in enumerate(questionnaire.sections, start=1)
        for n, q in enumerate(section.questions, start=1)
    }
    assert worksheet.describe(condition, questionnaire, numbers).endswith(expected)


def test_cli_writes_word_and_markdown_and_never_overwrites(cli: Cli, tmp_path: Path) -> None:
    base = tmp_path / "sessie"
    result = cli("vragen", "-o", base)
    assert result.code == 0, result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sessie.docx", "sessie.md"]
    markdown = (tmp_path / "sessie.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Werkblad: kader voor internationale samenwerking")
    assert "## 1.1 Naam van de gemeente" in markdown and "- [ ] Drenthe" in markdown
    assert "\\_\\_\\_" in markdown  # lines to write on

    document = docx.Document(str(tmp_path / "sessie.docx"))
    assert document.core_properties.title == "Werkblad beleidsnotitie internationale samenwerking"
    boxes = [p for p in document.paragraphs if p.text.startswith("\u2610 ")]
    assert boxes and all(p.style.name == "List Paragraph" for p in boxes)
    ruled = [
        p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
    ]
    assert len(ruled) > 50 and all(not p.text for p in ruled)
    headings = [p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Heading 1" and "Heading 3" in headings

    again = cli("vragen", "-o", base)
    assert again.code == 2 and "bestaat al" in again.err
    assert cli("vragen", "-o", tmp_path / "los.docx", "--formaat", "md").code == 0
    assert (tmp_path / "los.md").exists() and not (tmp_path / "los.docx").exists()


def test_sheet_from_an_answers_file_shows_the_current_answers(cli: Cli, tmp_path: Path) -> None:
    from .conftest import example

    result = cli(
        "vragen", "--antwoorden", example("veendrecht"), "-o", tmp_path / "herzien", "--formaat", "md"
    )
    assert result.code == 0, result.err
    text = (tmp_path / "herzien.md").read_text(encoding="utf-8")
    assert "**Gemeente:** Veendrecht" in text
    assert "**Nu:** Ja, maar het is verouderd" in text  # a choice shows its label
    assert "**Nu:** Berkane (Marokko)" in text  # a group lists its items by name
    assert "staat dat antwoord achter **Nu:**" in text
    broken = tmp_path / "fout.yaml"
    broken.write_text("inwoners: veel\n", encoding="utf-8")
    refused = cli("vragen", "--antwoorden", broken, "-o", tmp_path / "x")
    assert refused.code == 2 and "fout.yaml, regel 1 – inwoners" in refused.err


def test_the_short_sheet_holds_the_short_route_with_the_same_numbers(
    cli: Cli, tmp_path: Path, questionnaire: Questionnaire, outline: str
) -> None:
    result = cli("vragen", "--route", "kort", "-o", tmp_path / "kort", "--formaat", "md")
    assert result.code == 0, result.err
    text = (tmp_path / "kort.md").read_text(encoding="utf-8")
    assert text.startswith("# Werkblad: kader voor internationale samenwerking (korte route)")
    headings = [line for line in text.splitlines() if line.startswith("## ") or line.startswith("### ")]
    short = [q for q in questionnaire.questions() if q.kort]
    fields = [f for q in short for f in q.velden if f.kort]
    assert len(headings) == len(short) + len(fields)
    full = outline.splitlines()
    assert all(heading.replace("\\", "") in full for heading in headings)  # numbered as on the full sheet
    assert "## 1.1 Naam van de gemeente" in text and "Provincie" not in text
    assert "# Deel 6." not in text  # Inwoners en organisaties has no question on the short route
    assert f"de {len(short) + len(fields)} vragen waarmee de raad besluit" in text
