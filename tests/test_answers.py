from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard import answers, atomic
from wizard.errors import DataError, EnvironmentProblem
from wizard.questionnaire import Questionnaire

from .conftest import EXAMPLES, example


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_load(questionnaire: Questionnaire, name: str) -> None:
    loaded = answers.load(example(name), questionnaire)
    assert loaded.get("gemeente_naam")


def problems(questionnaire: Questionnaire, text: str) -> list[str]:
    with pytest.raises(DataError) as exc:
        answers.from_text(text, questionnaire, "a.yaml")
    return [p.format() for p in exc.value.problems]


def test_every_problem_is_reported_at_once_with_its_line(questionnaire: Questionnaire) -> None:
    found = problems(
        questionnaire,
        """\
formaat: 1
gemeente_nam: Zeewolde
inwoners: veel
provincie: brabant
motieven: [ideeel, economies]
ramp_beleid: per ramp
dienstreizen: misschien
budget_jaar: -5
evaluatie_beleid_jaar: 1800
partnerschappen:
  - partner: Nador
    lnd: Marokko
""",
    )
    joined = "\n".join(found)
    assert len(found) == 9
    assert "regel 2 – gemeente_nam: onbekende vraag" in joined and "Bedoelt u 'gemeente_naam'?" in joined
    assert "regel 3 – inwoners: 'veel' is geen getal" in joined
    assert "regel 4 – provincie: 'brabant' is geen keuze" in joined
    assert "regel 5 – motieven.1: 'economies' is geen keuze" in joined and "'economisch'" in joined
    assert "regel 6 – ramp_beleid" in joined and "'per_ramp'" in joined
    assert "regel 7 – dienstreizen: 'misschien' is geen ja of nee" in joined
    assert "regel 8 – budget_jaar: € -5 ligt niet tussen € 0 en € 100.000.000" in joined
    assert "regel 9 – evaluatie_beleid_jaar: 1800 ligt niet tussen 2000 en " in joined
    assert "regel 12 – partnerschappen.0.lnd: onbekend veld 'lnd'" in joined


def test_partial_files_are_valid(questionnaire: Questionnaire) -> None:
    assert answers.from_text("gemeente_naam: Zeewolde\n", questionnaire).values == {
        "gemeente_naam": "Zeewolde"
    }
    assert answers.from_text("", questionnaire).values == {}


def test_friendly_forms_are_accepted(questionnaire: Questionnaire) -> None:
    loaded = answers.from_text(
        "dienstreizen: ja\nprovincie: Noord-Brabant\nbudget_jaar: '€ 25.000,50'\nversie: 0.1\n", questionnaire
    )
    assert loaded.values == {
        "dienstreizen": True,
        "provincie": "noord_brabant",
        "budget_jaar": 25000.5,
        "versie": "0.1",
    }


def test_not_finite_numbers_and_wrong_format_version(questionnaire: Questionnaire) -> None:
    assert any("geen gewoon getal" in m for m in problems(questionnaire, "budget_jaar: .nan\n"))
    assert any("geen gewoon getal" in m for m in problems(questionnaire, "inwoners: .inf\n"))
    assert any("formaat 7" in m for m in problems(questionnaire, "formaat: 7\n"))
    assert any("hier hoort een tekst" in m for m in problems(questionnaire, "visie: [a, b]\n"))
    assert any("een antwoordenbestand bestaat uit" in m for m in problems(questionnaire, "- a\n- b\n"))


def test_control_characters_are_removed(questionnaire: Questionnaire) -> None:
    loaded = answers.from_text('visie: "a\\x01b\\x1fc"\n', questionnaire)
    assert loaded.get("visie") == "abc"


@pytest.mark.parametrize("name", EXAMPLES)
def test_save_and_load_round_trip(questionnaire: Questionnaire, tmp_path: Path, name: str) -> None:
    original = answers.load(example(name), questionnaire)
    original.notes = {"visie": "De groep wil meer {{ nadruk }} op jongeren."}
    target = tmp_path / "uit.yaml"
    answers.save(original, questionnaire, target)
    again = answers.load(target, questionnaire)
    assert again.values == original.values
    assert again.notes == original.notes
    assert target.read_text(encoding="utf-8").startswith("# Antwoorden")
    assert [p.name for p in tmp_path.iterdir()] == ["uit.yaml"]  # no temporary file left behind


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40))
@settings(max_examples=150, deadline=None)
def test_the_fast_copy_inside_a_document_reads_back_as_the_answers(text: str) -> None:
    """The answers kept inside a .docx are written by libyaml's emitter (readable=False):
    whatever a griffier typed (emoji, quotes, line separators), as the tool holds it after
    reading the answers file, reads back from that copy unchanged."""
    questionnaire = _questionnaire()
    typed = answers.load(example("oosterhaven"), questionnaire)
    typed.values["visie"] = text
    typed.notes = {"visie": text}
    typed.route = "kort"
    held = answers.from_text(answers.dump(typed, questionnaire), questionnaire)
    copy = answers.from_text(answers.dump(held, questionnaire, readable=False), questionnaire)
    assert copy.values == held.values
    assert copy.notes == held.notes
    assert copy.route == held.route == "kort"


def _questionnaire() -> Questionnaire:
    from wizard.draft import load_data

    return load_data()[0]


def test_save_keeps_the_old_file_when_writing_fails(
    questionnaire: Questionnaire,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write: Callable[[str, str], Path],
) -> None:
    path = write("a.yaml", "gemeente_naam: Oud\n")

    def fail(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_fsync", fail)  # the moment the data is put on the disk
    with pytest.raises(
        EnvironmentProblem, match=r"^de schijf is vol: '.*a\.yaml' kan niet worden geschreven"
    ):
        answers.save(answers.Answers({"gemeente_naam": "Nieuw"}), questionnaire, path)
    assert path.read_text(encoding="utf-8") == "gemeente_naam: Oud\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_saving_keeps_comments_schema_line_order_and_the_way_values_are_written(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    original = (
        "# yaml-language-server: $schema=./antwoorden.schema.json\n"
        "# Onze eigen aantekening bovenaan.\n"
        "inwoners: 52.000   # afgerond\n"
        "gemeente_naam: Zeewolde\n"
        "budget_jaar: € 25.000\n"
        "versie: 1.10\n"
        "motieven:\n"
        "- ideeel   # het belangrijkste\n"
        "- economisch\n"
    )
    path.write_text(original, encoding="utf-8")
    loaded = answers.load(path, questionnaire)
    assert loaded.values["inwoners"] == 52000 and loaded.values["budget_jaar"] == 25000
    assert loaded.values["versie"] == "1.10"
    answers.save(loaded, questionnaire, path)
    assert path.read_text(encoding="utf-8") == original  # nothing changed, nothing rewritten
    loaded.values["gemeente_naam"] = "Zeewolde-Oost"
    loaded.values["provincie"] = "flevoland"
    loaded.values["visie"] = "Regel een.\nRegel twee met ë en ş."
    del loaded.values["motieven"]
    answers.save(loaded, questionnaire, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./antwoorden.schema.json\n# Onze eigen")
    assert "inwoners: 52.000   # afgerond\n" in text
    assert "budget_jaar: € 25.000\n" in text and "versie: 1.10\n" in text
    assert "gemeente_naam: Zeewolde-Oost\n" in text and "motieven:" not in text
    # A new answer goes where the questionnaire has it: provincie after inwoners, before budget.
    assert text.index("inwoners") < text.index("provincie") < text.index("budget_jaar")
    again = answers.load(path, questionnaire)
    assert again.values == loaded.values


def test_saving_through_a_symlink_keeps_the_link(questionnaire: Questionnaire, tmp_path: Path) -> None:
    real = tmp_path / "echt.yaml"
    real.write_text("gemeente_naam: Zeewolde\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    try:
        link.symlink_to(real)
    except OSError:  # pragma: no cover - Windows without the right to make links
        pytest.skip("no symlinks here")
    loaded = answers.load(link, questionnaire)
    loaded.values["inwoners"] = 23000
    answers.save(loaded, questionnaire, link)
    assert link.is_symlink()
    assert answers.load(real, questionnaire).values["inwoners"] == 23000


def test_decimals_are_saved_so_they_read_back_the_same(questionnaire: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    loaded = answers.Answers(values={"budget_jaar": 25000.5, "uren_per_week": 8.5})
    answers.save(loaded, questionnaire, path)
    assert "budget_jaar: 25000,5" in path.read_text(encoding="utf-8")
    assert answers.load(path, questionnaire).values == {"budget_jaar": 25000.5, "uren_per_week": 8.5}
    loaded.values["budget_jaar"] = 0.45
    answers.save(loaded, questionnaire, path)  # the round-trip path
    assert answers.load(path, questionnaire).values["budget_jaar"] == 0.45


def test_the_route_is_kept_in_the_file_next_to_the_format(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "kort.yaml"
    path.write_text("formaat: 1\n# mijn opmerking\ngemeente_naam: Dorp\n", encoding="utf-8")
    loaded = answers.load(path, questionnaire)
    assert loaded.route is None and loaded.on_route == "volledig"
    loaded.route = "kort"
    answers.save(loaded, questionnaire, path)
    text = path.read_text(encoding="utf-8")
    assert text.index("formaat: 1") < text.index("route: kort") < text.index("gemeente_naam")
    assert "# mijn opmerking" in text
    assert answers.load(path, questionnaire).route == "kort"
    fresh = answers.Answers(values={"gemeente_naam": "Dorp"}, route="kort")
    assert "route: kort" in answers.dump(fresh, questionnaire)
    with pytest.raises(DataError) as exc:
        answers.from_text("route: snel\n", questionnaire)
    assert "onbekende route 'snel'" in exc.value.problems[0].format()
