"""The session's logic with a scripted prompter: saving, back, resume, groups, review, finish."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from wizard import answers
from wizard.prompts import Nav
from wizard.questionnaire import Question, Questionnaire
from wizard.session import EXIT_STOPPED, Session, run


class Script:
    """Answers prompts from a list, in order, and records what was asked."""

    def __init__(self, steps: list[tuple[str, Any]]) -> None:
        self.steps = list(steps)
        self.asked: list[str] = []
        self.log: list[str] = []  # what was said and asked, in order

    def _next(self, label: str) -> Any:
        self.asked.append(label)
        self.log.append(f"ASKED {label}")
        if not self.steps:
            raise EOFError  # like Ctrl-D: the script ends the session
        expected, value = self.steps.pop(0)
        assert expected in label, f"asked {label!r}, script expected {expected!r}"
        if isinstance(value, BaseException):
            raise value
        return value

    def ask(self, question: Question, current: Any, label: str | None = None, context: Any = None) -> Any:
        value = self._next(label or question.label)
        return current if value is KEEP else value

    def menu(self, label: str, options: list[tuple[str, Any]], default: Any = None, **keys: Any) -> Any:
        value = self._next(label)
        assert value in [v for _, v in options], (value, options)
        return value

    def confirm(self, label: str, default: bool = True) -> bool:
        return bool(self._next(label))

    def note(self, label: str, current: str | None) -> str | None:
        value = self._next(label)
        return None if value is None else str(value)


KEEP = object()


def session(
    questionnaire: Questionnaire, path: Path, steps: list[tuple[str, Any]], **kwargs: Any
) -> tuple[Session, Script, list[str]]:
    script = Script(steps)
    said: list[str] = []

    def say(text: str) -> None:
        said.append(text)
        script.log.append(text)

    return Session(questionnaire, path, script, say=say, **kwargs), script, said  # type: ignore[arg-type]


def saved(questionnaire: Questionnaire, path: Path) -> dict[str, Any]:
    return answers.load(path, questionnaire).values


def test_every_answer_is_saved_at_once_and_ctrl_c_says_how_to_resume(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    s, _, said = session(
        questionnaire,
        path,
        [
            ("Naam van de gemeente", "Zeewolde"),
            ("Aantal inwoners", 23000),
            ("Provincie", KeyboardInterrupt()),
        ],
    )
    assert s.run() == EXIT_STOPPED
    assert saved(questionnaire, path) == {"gemeente_naam": "Zeewolde", "inwoners": 23000}
    assert f"Verder gaan? Typ: beleidsnotitie start {path}" in said


def test_back_goes_to_the_previous_question_with_its_answer(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    s, _script, _ = session(
        questionnaire,
        path,
        [
            ("Naam van de gemeente", "Zeewold"),
            ("Aantal inwoners", Nav.BACK),
            ("Naam van de gemeente", "Zeewolde"),
            ("Aantal inwoners", Nav.HELP),
            ("Aantal inwoners", 23000),
        ],
    )
    s.run()
    assert saved(questionnaire, path) == {"gemeente_naam": "Zeewolde", "inwoners": 23000}


def test_resume_continues_at_the_first_open_question(questionnaire: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("gemeente_naam: Zeewolde\ninwoners: 23000\nprovincie: flevoland\n", encoding="utf-8")
    s, script, said = session(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "verder"),
            ("Wat doet de gemeente nu al", ["geen"]),
        ],
    )
    assert s.run() == EXIT_STOPPED
    assert script.asked[1] == "Wat doet de gemeente nu al internationaal?"
    assert any("nog open" in line for line in said)
    assert saved(questionnaire, path)["huidige_activiteit"] == ["geen"]


def test_conditional_questions_appear_only_when_they_apply(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "gemeente_naam: Z\ninwoners: 23000\nprovincie: flevoland\nhuidige_activiteit: [geen]\n",
        encoding="utf-8",
    )
    s, script, _ = session(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "verder"),
            ("Heeft de gemeente al beleid", "verouderd"),
            ("Uit welk jaar", 2009),
        ],
    )
    s.run()
    path.write_text(
        "gemeente_naam: Z\ninwoners: 23000\nprovincie: flevoland\nhuidige_activiteit: [geen]\n",
        encoding="utf-8",
    )
    s, script, _ = session(
        questionnaire, path, [("Wat wilt u doen?", "verder"), ("Heeft de gemeente al beleid", "geen")]
    )
    s.run()
    assert not any("Uit welk jaar" in label for label in script.asked)


def partial(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_groups_add_edit_and_remove(questionnaire: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    partial(path, "gemeente_naam: Z\n")
    s, _, _said = session(questionnaire, path, [])
    group = questionnaire.by_id["partnerschappen"]
    fields = [f.id for f in group.velden]
    # Without a proposal (advies), the questions of the new/adjust/end paths are not asked.
    path_only = len(
        {
            "voorwaarden_aangaan",
            "wijzigingen",
            "afbouw_reden",
            "afbouw_jaar",
            "afbouw_informeren",
            "afbouw_wat_blijft",
        }
        & set(fields)
    )
    assert path_only == 6
    steps: list[tuple[str, Any]] = [
        ("wat wilt u doen?", ("add",)),
        ("Naam van de partnergemeente", "Nador"),
        ("Land", "Marokko"),
    ]
    steps += [("", None)] * (fields.index("herkomstland") - 2)
    steps += [("Komen inwoners", True), ("Welke rol hebben inwoners", "adviseren")]
    steps += [("", None)] * (len(fields) - fields.index("rol_migranten") - 1 - path_only)
    steps += [("wat wilt u doen?", ("add",)), ("Naam van de partnergemeente", "Tata")] + [("", None)] * (
        len(fields) - 3 - path_only
    )
    steps += [("wat wilt u doen?", ("edit", 1)), ("Tata · Naam", KEEP), ("Land", "Hongarije")] + [
        ("", Nav.BACK)
    ] * 3
    steps += [
        ("wat wilt u doen?", ("remove", 0)),
        ("'Nador (Marokko)' verwijderen?", True),
        ("wat wilt u doen?", ("done",)),
    ]
    s.prompter = Script(steps)  # type: ignore[assignment]
    assert s.edit_group(group) == "next"
    items = saved(questionnaire, path)["partnerschappen"]
    assert items == [{"partner": "Tata", "land": "Hongarije"}]


def test_rol_migranten_is_asked_only_for_countries_of_origin(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    partial(path, "partnerschappen:\n  - partner: Tata\n    herkomstland: false\n")
    s, _script, _ = session(questionnaire, path, [])
    s.answers = answers.load(path, questionnaire)
    s.prompter = Script([("", None)] * 30)  # type: ignore[assignment]
    s.edit_item(questionnaire.by_id["partnerschappen"], 0)
    asked = s.prompter.asked  # type: ignore[attr-defined]
    assert not any("Welke rol hebben inwoners" in label for label in asked)


def test_changing_an_answer_asks_the_dependent_questions(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    partial(path, "ramp_beleid: per_ramp\nramp_toezeggingen: Turkije 2023\n")
    s, _, said = session(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "overzicht"),
            ("Wat wilt u doen?", 6),
            ("Welke vraag in 'Noodhulp bij rampen'", "ramp_keuze"),
            ("Wat besluit de raad met deze notitie over hulp na rampen", "kader"),
            ("Is noodhulp een taak", "Alleen bij grote rampen."),
            ("Wanneer komt de gemeente in actie?", ["sho_actie"]),
            ("Behandelt de gemeente elke ramp gelijk", True),
        ],
    )
    assert s.run() == EXIT_STOPPED
    values = saved(questionnaire, path)
    assert values["ramp_keuze"] == "kader" and values["ramp_criteria"] == ["sho_actie"]
    assert values["ramp_toezeggingen"] == "Turkije 2023"  # an answer that no longer applies is kept, not lost
    assert any("hangt af van uw antwoord" in line for line in said)


def test_section_feedback_and_workshop_notes(questionnaire: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    partial(path, "gemeente_naam: Z\n")
    s, script, said = session(
        questionnaire,
        path,
        [
            ("Hoe gaat het nu als er een ramp is", "per_ramp"),
            ("Welke giften", None),
            ("Toelichting van de groep bij 'Noodhulp bij rampen'", "De raad twijfelt."),
            ("Wat wilt u doen?", "verder"),
        ],
        workshop=True,
    )
    s.answers = answers.load(path, questionnaire)
    start = next(i for i, (_, q) in enumerate(s.flat) if q.id == "ramp_beleid")
    s.walk(only_open=False, start=start, stop=start + 2)
    assert any("!! BLOKKEREND: De gemeente beslist nu per ramp opnieuw" in line for line in said)
    assert any(line.strip().startswith("Uitleg:") for line in said)  # workshop mode explains every question
    # The group sees the findings of the part first, then writes its note; questions carry their number.
    log = script.log
    findings_at = log.index("Aandachtspunten bij 'Noodhulp bij rampen':")
    assert findings_at < log.index("ASKED Toelichting van de groep bij 'Noodhulp bij rampen'")
    assert script.asked[0].startswith("7.1 ")
    assert any("werksessie" in line for line in said)  # the mode is shown
    loaded = answers.load(path, questionnaire)
    assert loaded.notes == {"noodhulp": "De raad twijfelt."}


def test_finish_writes_the_document_and_never_overwrites_without_asking(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    partial(path, "gemeente_naam: Zeewolde\n")
    existing = tmp_path / "a-concept.docx"
    existing.write_bytes(b"werk van gisteren")
    s, _, said = session(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "maak"),
            ("Welke versie wilt u maken?", "concept"),
            ("a-concept.docx bestaat al. Vervangen?", False),
            ("Ook een PDF en een OpenDocument-bestand (.odt) maken?", True),
        ],
    )
    assert s.run() == 0
    assert existing.read_bytes() == b"werk van gisteren"
    # The names say concept, as the downloads of the web page do.
    assert (tmp_path / "a-2-concept.docx").stat().st_size > 10_000
    assert (tmp_path / "a-2-raadsvoorstel-concept.docx").stat().st_size > 5_000
    assert any("Aandachtspunten:" in line and "blokkerend" in line for line in said)
    # LibreOffice made the open formats next to them.
    names = (
        "a-2-concept.pdf",
        "a-2-concept.odt",
        "a-2-raadsvoorstel-concept.pdf",
        "a-2-raadsvoorstel-concept.odt",
    )
    for name in names:
        assert (tmp_path / name).read_bytes()[:2] in (b"%P", b"PK"), name


def test_without_a_terminal_it_points_to_maak(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    args = argparse.Namespace(antwoorden=None, werksessie=False, regels=[], zonder_regel=[])
    assert run(args) == 2
    assert "beleidsnotitie maak" in capsys.readouterr().err


def test_an_invalid_answers_file_is_reported_not_overwritten(
    questionnaire: Questionnaire, tmp_path: Path, cli: Callable[..., Any]
) -> None:
    path = tmp_path / "a.yaml"
    partial(path, "inwonrs: 5\n")
    s, _, _ = session(questionnaire, path, [])
    from wizard.errors import DataError

    with pytest.raises(DataError):
        s.run()
    assert path.read_text(encoding="utf-8") == "inwonrs: 5\n"


def test_overview_counts_answers_and_findings_per_section(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    partial(path, "gemeente_naam: Z\nramp_beleid: per_ramp\n")
    s, _, said = session(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "overzicht"),
            ("Wat wilt u doen?", 6),
            ("Welke vraag in 'Noodhulp bij rampen'", "__overzicht__"),
            ("Wat wilt u doen?", "stop"),
        ],
    )
    assert s.run() == 0
    lines = [line.strip() for line in said]
    assert any(line.startswith("Deel 1 · Gemeente: 1 van ") and line.endswith("beantwoord") for line in lines)
    noodhulp = next(line for line in lines if line.startswith("Deel 7 · Noodhulp bij rampen:"))
    assert "aandachtspunt" in noodhulp and "blokkerend" in noodhulp
    # Opening the section shows its findings before the questions.
    at = lines.index("Aandachtspunten bij 'Noodhulp bij rampen':")
    assert lines[at + 1].startswith("!! BLOKKEREND: De gemeente beslist nu per ramp opnieuw")


def oosterhaven(questionnaire: Questionnaire, path: Path) -> answers.Answers:
    """The Oosterhaven example with its open goal field and the benefit of its motive 'ideeel'
    filled: the first open place is a tie."""
    from wizard.resources import examples_dir

    path.write_text((examples_dir() / "oosterhaven.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    loaded = answers.load(path, questionnaire)
    loaded.values["doelen"][2]["termijn"] = 2030
    loaded.values["motief_opbrengst"]["ideeel"] = "Inwoners leren van de partnersteden."
    answers.save(loaded, questionnaire, path)
    return loaded


def test_resume_goes_into_the_tie_where_the_person_stopped(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    oosterhaven(questionnaire, path)
    rol = next(f for f in questionnaire.by_id["partnerschappen"].velden if f.id == "rol_migranten")
    s, script, said = session(
        questionnaire,
        path,
        [("Wat wilt u doen?", "verder"), (f"Wanica (Suriname) · {rol.label}", KeyboardInterrupt())],
    )
    assert s.run() == EXIT_STOPPED
    assert any("U was gebleven bij" in line and "Wanica (Suriname)" in line for line in said)
    assert script.asked[1] == f"Wanica (Suriname) · {rol.label}"


def test_overview_names_what_is_still_open(questionnaire: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    oosterhaven(questionnaire, path)
    s, _, said = session(
        questionnaire, path, [("Wat wilt u doen?", "overzicht"), ("Wat wilt u doen?", "stop")]
    )
    assert s.run() == 0
    line = next(line for line in said if "Nog open:" in line and "Wanica" in line)
    assert "Wanica (Suriname) (8 vragen open)" in " ".join(line.split())
    partnerships = next(line for line in said if "Partnerschappen:" in line)
    assert "0 van 1 beantwoord" in partnerships  # not 'complete' while ties miss answers


def test_after_going_back_it_goes_on_at_the_first_open_question(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    s, script, _ = session(
        questionnaire,
        path,
        [
            ("Naam van de gemeente", "Zeewolde"),
            ("Aantal inwoners", 23000),
            ("Provincie", "flevoland"),
            ("Wat doet de gemeente nu al", Nav.BACK),
            ("Provincie", Nav.BACK),
            ("Aantal inwoners", 24000),
            # Not 'Provincie' again: it is answered; on to where the person was.
            ("Wat doet de gemeente nu al", ["geen"]),
        ],
    )
    assert s.run() == EXIT_STOPPED
    assert saved(questionnaire, path)["inwoners"] == 24000
    assert script.asked.count("Provincie") == 2


def test_text_typed_before_ctrl_c_is_kept_or_the_message_says_so(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    from wizard.prompts import Interrupted

    path = tmp_path / "a.yaml"
    s, _, said = session(questionnaire, path, [("Naam van de gemeente", Interrupted("Zeewolde"))])
    assert s.run() == EXIT_STOPPED
    assert saved(questionnaire, path) == {"gemeente_naam": "Zeewolde"}
    assert "Wat u aan het typen was, is ook bewaard." in said
    s, _, said = session(
        questionnaire, path, [("Wat wilt u doen?", "verder"), ("Aantal inwoners", Interrupted("veel"))]
    )
    assert s.run() == EXIT_STOPPED
    assert "inwoners" not in saved(questionnaire, path)
    assert any("kon niet worden bewaard" in line for line in said)


def test_a_second_session_on_the_same_file_is_refused(questionnaire: Questionnaire, tmp_path: Path) -> None:
    from wizard.lock import Lock

    path = tmp_path / "a.yaml"
    partial(path, "gemeente_naam: Z\n")
    held = Lock.take(path)
    try:
        s, script, said = session(questionnaire, path, [])
        assert s.run() == 2
        assert any("al geopend in een andere sessie" in line for line in said)
        assert not script.asked
    finally:
        held.release()
    s, _, _ = session(questionnaire, path, [("Wat wilt u doen?", "stop")])
    assert s.run() == 0  # released: the next session may start


def test_without_a_route_the_session_asks_with_an_estimate_per_route(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    s, _script, said = session(
        questionnaire,
        path,
        [
            ("Welke route kiest u?", "kort"),
            ("Naam van de gemeente", "Zeewolde"),
            ("Aantal inwoners", 23000),
            ("Waarom maakt de gemeente nu een kader", KeyboardInterrupt()),  # provincie is not short
        ],
        route=None,
    )
    assert s.run() == EXIT_STOPPED
    text = "\n".join(said)
    assert "gerekend met 2 van elk" in text and "U volgt de korte route: nog 24 vragen" in text
    assert "route: kort" in path.read_text(encoding="utf-8")
    assert saved(questionnaire, path) == {"gemeente_naam": "Zeewolde", "inwoners": 23000}


def test_a_short_file_deepens_on_the_full_route_and_the_overview_shows_both(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    partial(path, "route: kort\ngemeente_naam: Z\ninwoners: 5000\n")
    s, _, said = session(
        questionnaire,
        path,
        [  # the file keeps its route: it is not asked again (issue 21)
            ("Wat wilt u doen?", "overzicht"),
            ("Wat wilt u doen?", "verdiepen"),
            ("Provincie", "flevoland"),  # the first open question of the full route, in order
            ("Wat doet de gemeente nu al", KeyboardInterrupt()),
        ],
        route=None,
    )
    assert s.run() == EXIT_STOPPED
    progress = next(line for line in said if line.startswith("Voortgang:"))
    assert re.fullmatch(r"Voortgang: kort: 2 van \d+, volledig: 2 van \d+", progress)
    # off the short route: no count of its own; offered only for the questions its findings read (issue 21)
    sixth = [line.strip() for line in said if line.strip().startswith("Deel 6 · Inwoners")]
    assert sixth == ["Deel 6 · Inwoners en organisaties: hoort bij de volledige route"]
    assert "route: volledig" in path.read_text(encoding="utf-8")


def test_choosing_the_full_route_at_the_start_asks_only_what_is_open_in_order(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    partial(path, "route: kort\ngemeente_naam: Z\ninwoners: 5000\naanleiding: [motie]\n")
    s, script, said = session(
        questionnaire,
        path,
        [  # the route is asked once; another route on resume is chosen with --route (issue 21)
            ("Wat wilt u doen?", "verder"),
            ("Provincie", KeyboardInterrupt()),
        ],
        route="volledig",
    )
    assert s.run() == EXIT_STOPPED
    assert any(line.startswith("U volgt de volledige route: nog ") for line in said)
    assert "route: volledig" in path.read_text(encoding="utf-8")
    assert saved(questionnaire, path)["aanleiding"] == ["motie"]
    assert script.asked[-1] == "Provincie"  # the first open question of the full route


def test_a_definitive_version_from_the_wizard_shows_what_is_open_first(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    partial(path, "gemeente_naam: Zeewolde\n")
    s, _, said = session(
        questionnaire,
        path,
        [
            ("Wat wilt u doen?", "maak"),
            ("Welke versie wilt u maken?", "definitief"),
            ("Toch definitief maken?", False),  # not ready: the person keeps the concept
            ("Ook een PDF en een OpenDocument-bestand (.odt) maken?", False),
        ],
    )
    assert s.run() == 0
    assert "Er is nog iets open:" in [line.strip() for line in said]
    assert any(line.strip().startswith("Blokkerende aandachtspunten") for line in said)
    # Every open place names the question that fills it, also the generic ones (issue 21).
    assert (
        "  - Beleidsnotitie internationale samenwerking, bij 'Beslispunten': [nog invullen: datum waarop het "
        "kader ingaat] → vraag 'Vanaf welke datum geldt het nieuwe kader?' in deel 11 (Controle en evaluatie)"
    ) in said
    listed = [line for line in said if line.startswith("  - ") and "[nog invullen:" in line]
    assert listed and all(" → vraag '" in line for line in listed)
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "a-concept.docx")).paragraphs)
    assert "Aandachtspunten bij dit concept" in text  # a concept after all, and named so
    assert not (tmp_path / "a-definitief.docx").exists()


def test_a_windows_1252_file_is_said_once_and_saved_as_utf8(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    """Issue 20: the terminal's autosave behaves as the web page's save (one answers.save)."""
    from wizard.yamlsource import CP1252_NOTE

    path = tmp_path / "a.yaml"
    path.write_bytes(
        "# Liëndewijk\ngemeente_naam: Liëndewijk\ninwoners: 23000\nprovincie: flevoland\n".encode("cp1252")
    )
    s, _, said = session(
        questionnaire,
        path,
        [("Wat wilt u doen?", "verder"), ("Wat doet de gemeente nu al", ["geen"])],
    )
    assert s.run() == EXIT_STOPPED
    assert said.count(f"Let op: {CP1252_NOTE}") == 1
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("# Liëndewijk\n") and "gemeente_naam: Liëndewijk\n" in text and "Ã" not in text
    assert saved(questionnaire, path)["huidige_activiteit"] == ["geen"]
