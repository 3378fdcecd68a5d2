"""`start` while the answers file is changed by hand (in a text editor): the terminal takes the
change in before each question and the overview, as the web does (Answering.refresh), and an
answer changed in the file after its question was shown is said and asked again, never saved
over and never the end of the walk (check_fresh, Conflict)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.test_session import KEEP, Script
from wizard import answers
from wizard.prompts import Interrupted, Nav
from wizard.questionnaire import Question, Questionnaire
from wizard.session import EXIT_STOPPED, Session


@dataclass
class Hand:
    """A step that changes the file by hand while its prompt is on screen, then gives `value`."""

    edit: Callable[[], None]
    value: Any


class Editing(Script):
    """The scripted prompter, which also records each prompt's default and each menu's options."""

    def __init__(self, steps: list[tuple[str, Any]]) -> None:
        super().__init__(steps)
        self.defaults: list[tuple[str, Any]] = []
        self.options: list[list[str]] = []

    def _next(self, label: str) -> Any:
        value = super()._next(label)
        if isinstance(value, Hand):
            value.edit()
            value = value.value
            if isinstance(value, BaseException):
                raise value
        return value

    def ask(self, question: Question, current: Any, label: str | None = None, context: Any = None) -> Any:
        self.defaults.append((label or question.label, current))
        return super().ask(question, current, label, context)

    def menu(self, label: str, options: list[tuple[str, Any]], default: Any = None, **keys: Any) -> Any:
        self.options.append([text for text, _ in options])
        return super().menu(label, options, default, **keys)


def start(
    questionnaire: Questionnaire, path: Path, steps: list[tuple[str, Any]]
) -> tuple[Session, Editing, list[str]]:
    script = Editing(steps)
    said: list[str] = []
    return Session(questionnaire, path, script, say=said.append), script, said  # type: ignore[arg-type]


def replace(path: Path, old: str, new: str) -> Callable[[], None]:
    """An edit in a text editor: one line changed, the rest of the file as it is."""

    def edit() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit


def lines(said: list[str]) -> list[str]:
    """What was said, each message on one line (the terminal wraps long ones)."""
    return [" ".join(text.split()) for text in said]


def saved(questionnaire: Questionnaire, path: Path) -> dict[str, Any]:
    return answers.load(path, questionnaire).values


def test_an_answer_changed_by_hand_while_asked_is_said_and_asked_again_with_the_files_value(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("gemeente_naam: Zeewolde\ninwoners: 20000\n", encoding="utf-8")
    s, script, said = start(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "overzicht"),
            ("Wat wilt u doen?", 0),  # deel 1
            ("Welke vraag", "inwoners"),
            ("Aantal inwoners", Hand(replace(path, "inwoners: 20000", "inwoners: 30000"), 23000)),
            ("Aantal inwoners", KEEP),  # asked again: the file's value is kept
            ("Welke vraag", "inwoners"),
            ("Aantal inwoners", Hand(replace(path, "inwoners: 30000", "inwoners: 31000"), 23000)),
            ("Aantal inwoners", 23000),  # asked again: typed once more, so it is saved
        ],
    )
    assert s.run() == EXIT_STOPPED  # the script ends; the walk did not end on the hand edit
    asked = [(label, value) for label, value in script.defaults if "Aantal inwoners" in label]
    assert [value for _, value in asked] == [20000, 30000, 30000, 31000]
    told = [line for line in lines(said) if "in het bestand zelf veranderd" in line]
    assert len(told) == 2
    assert "30.000" in told[0] and "U gaf: 23.000" in told[0] and "Aantal inwoners" in told[0]
    assert "31.000" in told[1]
    assert not any("het bestand blijft zoals het is" in line for line in lines(said))  # no NotSaved
    assert saved(questionnaire, path) == {"gemeente_naam": "Zeewolde", "inwoners": 23000}


def test_a_hand_edit_of_another_answer_is_kept_and_shown_at_the_next_question(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("# van de griffie\ngemeente_naam: Zeewolde\n", encoding="utf-8")
    s, script, said = start(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "verder"),
            ("Aantal inwoners", Hand(replace(path, "Zeewolde", "Zeewolde-Oost"), 23000)),
            ("Provincie", Nav.BACK),
            ("Aantal inwoners", Nav.BACK),
            ("Naam van de gemeente", KEEP),
        ],
    )
    assert s.run() == EXIT_STOPPED
    assert ("Naam van de gemeente", "Zeewolde-Oost") in script.defaults  # the default is the file's
    assert not any(
        "in het bestand zelf veranderd" in line for line in lines(said)
    )  # no answer of its own lost
    assert saved(questionnaire, path) == {"gemeente_naam": "Zeewolde-Oost", "inwoners": 23000}
    assert path.read_text(encoding="utf-8").startswith("# van de griffie\n")


def test_the_overview_shows_an_answer_changed_by_hand_at_once(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("gemeente_naam: Zeewolde\ninwoners: 20000\n", encoding="utf-8")
    s, script, _ = start(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", Hand(replace(path, "Zeewolde", "Zeewolde-Oost"), "overzicht")),
            ("Wat wilt u doen?", 0),
            ("Welke vraag", Hand(replace(path, "inwoners: 20000", "inwoners: 21000"), "__overzicht__")),
            ("Wat wilt u doen?", 0),
        ],
    )
    assert s.run() == EXIT_STOPPED
    first, second = (
        opts for opts in script.options if any(o.startswith("Naam van de gemeente") for o in opts)
    )
    assert any("[Zeewolde-Oost]" in option for option in first)
    assert any("21.000" in option for option in second)  # changed while that menu stood on screen


def test_a_field_of_a_tie_changed_by_hand_while_asked_is_asked_again_and_the_other_ties_are_kept(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "partnerschappen:\n  - partner: Nador\n    land: Marokko\n  - partner: Tata\n    land: Hongarije\n",
        encoding="utf-8",
    )
    s, _, said = start(questionnaire, path, [])
    s.state.open()
    group = questionnaire.by_id["partnerschappen"]
    s.prompter = script = Editing(  # type: ignore[assignment]
        [
            ("Tata (Hongarije) · Naam", KEEP),
            (
                "Tata (Hongarije) · Land",
                Hand(replace(path, "partner: Nador", "partner: Nadorr"), "Hongarije"),
            ),
            ("Wat stelt u voor", Nav.BACK),
            (
                "Tata (Hongarije) · Land",
                Hand(replace(path, "land: Hongarije", "land: Hongarije (Komárom)"), "Ungarn"),
            ),
            ("Tata (Hongarije (Komárom)) · Land", KEEP),
            ("Wat stelt u voor", Nav.BACK),
            ("Land", Nav.BACK),
            ("Naam", Nav.BACK),
        ]
    )
    s.edit_item(group, 1)
    told = [line for line in lines(said) if "in het bestand zelf veranderd" in line]
    assert len(told) == 1 and "Hongarije (Komárom)" in told[0] and "U gaf: Ungarn" in told[0]
    label, default = script.defaults[4]  # asked again after the hand edit: the file's value
    assert "Land" in label and default == "Hongarije (Komárom)"
    assert saved(questionnaire, path)["partnerschappen"] == [
        {"partner": "Nadorr", "land": "Marokko"},
        {"partner": "Tata", "land": "Hongarije (Komárom)"},
    ]


def test_the_list_of_ties_changed_by_hand_while_its_menu_is_shown_is_shown_again_first(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "partnerschappen:\n  - partner: Nador\n    land: Marokko\n  - partner: Tata\n    land: Hongarije\n",
        encoding="utf-8",
    )
    remove_nador = replace(path, "  - partner: Nador\n    land: Marokko\n", "")
    s, _, said = start(questionnaire, path, [])
    s.state.open()
    s.prompter = Editing(  # type: ignore[assignment]
        [
            ("wat wilt u doen?", Hand(remove_nador, ("remove", 0))),  # 'Nador' on screen, gone in the file
            ("wat wilt u doen?", ("done",)),
        ]
    )
    assert s.edit_group(questionnaire.by_id["partnerschappen"]) == "next"
    assert any("is intussen in het bestand zelf veranderd" in line for line in lines(said))
    assert saved(questionnaire, path)["partnerschappen"] == [{"partner": "Tata", "land": "Hongarije"}]


def test_text_typed_before_ctrl_c_is_not_saved_over_an_answer_changed_by_hand(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("gemeente_naam: Zeewolde\ninwoners: 20000\n", encoding="utf-8")
    s, _, said = start(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "overzicht"),
            ("Wat wilt u doen?", 0),
            ("Welke vraag", "inwoners"),
            ("Aantal inwoners", Hand(replace(path, "20000", "30000"), Interrupted("23000"))),
        ],
    )
    assert s.run() == EXIT_STOPPED
    assert any("kon niet worden bewaard" in line for line in lines(said))
    assert saved(questionnaire, path)["inwoners"] == 30000


def test_a_file_broken_by_hand_is_said_and_the_question_asked_again_until_it_is_repaired(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    good = "gemeente_naam: Zeewolde\n"
    path.write_text(good, encoding="utf-8")
    broken = good + "provincie: [flevoland\n"  # a list not closed in a text editor

    def repair() -> None:
        path.write_text(good + "provincie: flevoland\n", encoding="utf-8")

    s, script, said = start(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "verder"),
            ("Aantal inwoners", Hand(lambda: path.write_text(broken, encoding="utf-8"), 23000)),
            ("Aantal inwoners", Hand(repair, KEEP)),  # the walk goes on; repaired, Enter saves
        ],
    )
    assert s.run() == EXIT_STOPPED
    assert [value for label, value in script.defaults if "Aantal inwoners" in label] == [None, 23000]
    text = " ".join(lines(said))
    assert "geen geldig antwoordenbestand" in text and "De vraag komt opnieuw" in text
    assert "Laad de pagina opnieuw" not in text  # the web's hint is not the terminal's
    assert saved(questionnaire, path) == {
        "gemeente_naam": "Zeewolde",
        "inwoners": 23000,
        "provincie": "flevoland",
    }


def test_a_werksessie_note_changed_by_hand_while_written_is_said_and_asked_again(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("gemeente_naam: Zeewolde\nwerksessie:\n  gemeente: van de griffie\n", encoding="utf-8")
    s = Session(questionnaire, path, Editing([]), say=(said := []).append, workshop=True)  # type: ignore[arg-type]
    s.state.open()
    edit = replace(path, "van de griffie", "van de griffier")
    s.prompter = script = Editing(  # type: ignore[assignment]
        [
            ("Toelichting van de groep", Hand(edit, "van de groep")),
            ("Toelichting van de groep", "van de groep"),
        ]
    )
    s.section_done(0)  # deel 1 · Gemeente: no findings with these answers, so no menu after the note
    assert script.asked == ["Toelichting van de groep bij 'Gemeente'"] * 2
    told = [line for line in lines(said) if "in het bestand zelf veranderd" in line]
    assert len(told) == 1 and "van de griffier" in told[0] and "U gaf: van de groep" in told[0]
    assert answers.load(path, questionnaire).notes == {"gemeente": "van de groep"}


def test_the_documents_say_what_the_file_holds_when_they_are_made(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    import docx

    path = tmp_path / "a.yaml"
    path.write_text("gemeente_naam: Zeewolde\n", encoding="utf-8")
    s, _, _ = start(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "maak"),
            ("Welke versie wilt u maken?", Hand(replace(path, "Zeewolde", "Zeewolde-Oost"), "concept")),
            ("Ook een PDF", False),
        ],
    )
    assert s.run() == 0
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "a-concept.docx")).paragraphs)
    assert "Zeewolde-Oost" in text
