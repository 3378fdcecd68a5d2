"""Saving by pieces (wizard.roundtrip) writes exactly what a whole-file emit writes."""

from __future__ import annotations

import copy
import difflib
import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from wizard import answers, roundtrip
from wizard.questionnaire import Questionnaire

from .conftest import EXAMPLES, example

ROOT = Path(__file__).resolve().parent.parent

CASES = sorted((ROOT / "tests" / "antwoorden").glob("*.yaml"))
COMMENTED = (
    "# yaml-language-server: $schema=./antwoorden.schema.json\n"
    "# Onze eigen aantekening bovenaan.\n"
    "inwoners: 52.000   # afgerond\n"
    "gemeente_naam: Zeewolde\n"
    "\n"
    "# --- geld, met de hand ---\n"
    "budget_jaar: € 25.000\n"
    "partnerschappen:\n"
    "- partner: Tata   # de oudste\n"
    "  land: Marokko\n"
    "  # een opmerking tussen velden\n"
    "  sinds: 1990\n"
    "- partner: Kırşehir\n"
    "  land: Turkije\n"
    "motieven:\n"
    "- ideeel   # het belangrijkste\n"
    "- economisch\n"
    "# en een opmerking aan het eind\n"
)


def _shape(value: Any) -> type:
    return list if isinstance(value, list) else dict if isinstance(value, dict) else str


AWKWARD = (
    "# kop\n"
    "formaat: 1\n"
    "gemeente_naam:   # de naam staat hieronder\n"
    "  Zeewolde\n"
    "partnerschappen:   # banden\n"
    "  # eerste band\n"
    "  - partner: A   # a\n"
    "    land: B\n"
    "    # tussen twee banden\n"
    "  - partner: C\n"
    "    land: D\n"
    "  # na de laatste band, ingesprongen\n"
    "# --- Geld ---\n"
    "budget_jaar: 5000\n"
    "motieven: [ideeel,   # flow met commentaar\n"
    "  economisch]\n"
    "visie: |\n"
    "  Regel een.\n"
    "  # geen commentaar maar tekst\n"
    "  Regel drie.\n"
    "doelen:\n"
    "- omschrijving: x\n"
    "  termijn: 2030\n"
    "\n"
    "\n"
    "# slot\n"
)


def _random_value(rng: random.Random, depth: int = 0, like: Any = None) -> Any:
    """A value of any kind, or of the same shape as `like` (a question's kind never changes)."""
    while True:
        value = _any_value(rng, depth)
        if like is None or _shape(value) is _shape(like):
            return value


def _any_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(8 if depth < 2 else 5)
    if kind == 0:
        return rng.randrange(-5, 250000)
    if kind == 1:
        return rng.choice([0.45, 1234.5, 2.0])
    if kind == 2:
        return rng.choice(
            [
                "ja",
                "Tata",
                "een zin: met dubbele punt",
                "ë ş 'quote' \"dubbel\"",
                "{niet: een mapping}",
                "- geen lijst",
                "@aan",
            ]
        )
    if kind == 3:
        return "Regel een.\nRegel twee.\n\nNa een witregel."
    if kind == 4:
        return rng.choice([True, False, None])
    if kind == 5:
        return [_any_value(rng, depth + 1) for _ in range(rng.randrange(1, 4))]  # an empty one is removed
    if kind == 6:
        return {f"veld{n}": _any_value(rng, depth + 1) for n in range(rng.randrange(1, 4))}
    return [{"partner": f"band {n}", "land": "Ghana", "sinds": 2000 + n} for n in range(rng.randrange(1, 3))]


def _edit(rng: random.Random, values: dict[str, Any], order: list[str]) -> None:
    """One change a person could make: change, add or remove an answer, or edit inside an item."""
    action = rng.randrange(5)
    present = [key for key in values if key != answers.FORMAT_KEY]
    if action == 0 and present:
        del values[rng.choice(present)]
    elif action == 1 or not present:
        key = rng.choice(order)
        values[key] = _random_value(rng, like=values.get(key))
    else:
        key = rng.choice(present)
        value = values[key]
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            item = rng.choice(value)
            if action == 2:
                field = rng.choice(["partner", "land", "nieuw"])
                item[field] = _random_value(rng, 2, like=item.get(field))
            elif action == 3:
                value.remove(item)
                if not value:
                    del values[key]  # as the walk does: an empty answer is removed
            else:
                value.append({"partner": "erbij", "land": "Peru"})
        else:
            values[key] = _random_value(rng, like=value)


def _saves(path: Path, questionnaire: Questionnaire, original: str, seed: int) -> list[tuple[str, set[str]]]:
    """Write `original`, then save 40 random edits to it; per save the text and the keys touched so far.

    Stops early when the round trip gives up (the caller would then write the answers plainly)."""
    order = [answers.FORMAT_KEY, answers.ROUTE_KEY] + [q.id for q in questionnaire.questions()]
    titles = {q.id: s.titel for s in questionnaire.sections for q in s.questions}
    path.write_text(original, encoding="utf-8")
    old = yaml.safe_load(original)  # any start will do; an invalid file too
    rng = random.Random(seed)
    touched: set[str] = set()
    saves = []
    for step in range(40):
        new = copy.deepcopy(old)
        _edit(rng, new, order)
        touched |= {key for key in set(old) | set(new) if old.get(key) != new.get(key)}
        text = roundtrip.rewrite(path, old, new, order, titles)
        if text is None:  # ruamel.yaml could not read its own text back: answers.save writes plainly
            break
        path.write_text(text, encoding="utf-8")
        saves.append((text, set(touched)))
        if step % 7 == 6:
            roundtrip.forget(path)  # as after a restart: the spliced file is read and cut anew
        old = new
    return saves


def _comments(text: str) -> list[str]:
    """The comments of a text, roughly: a # after a space, outside quotes (enough for these files)."""
    lines = (re.sub(r"'[^']*'|\"[^\"]*\"", "", line) for line in text.splitlines())
    return [m.group(1).strip() for line in lines if (m := re.search(r"(?:^|\s)(#.*)$", line))]


def _sources() -> list[tuple[str, str]]:
    files = [example(name) for name in EXAMPLES] + CASES
    return [(p.name, p.read_text(encoding="utf-8")) for p in files] + [
        ("eigen-commentaar", COMMENTED),
        ("lastig-commentaar", AWKWARD),
    ]


@pytest.mark.parametrize(("name", "original"), _sources(), ids=[n for n, _ in _sources()])
def test_saving_by_pieces_keeps_untouched_answers_and_means_what_a_whole_emit_means(
    questionnaire: Questionnaire, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, original: str
) -> None:
    headings = {f"# --- {section.titel} ---" for section in questionnaire.sections}
    first = roundtrip._cut(original, roundtrip._yaml().load(original))
    assert first.pieces is not None, "every bundled file can be cut into pieces"
    for seed in range(2):
        spliced = _saves(tmp_path / f"{seed}.yaml", questionnaire, original, seed)
        with monkeypatch.context() as whole_only:  # the reference: the whole file emitted each time
            whole_only.setattr(roundtrip, "_cut", lambda text, doc: roundtrip._Written(text, doc, "", None))
            whole = _saves(tmp_path / f"{seed}-geheel.yaml", questionnaire, original, seed)
        assert len(spliced) == 40  # these seeds never need the plain fallback
        for (text, touched), (reference, _) in zip(spliced, whole, strict=False):
            assert yaml.safe_load(text) == yaml.safe_load(reference)
            # No comment is lost that a whole emit keeps (which may repeat a heading), none made up.
            assert set(_comments(reference)) <= set(_comments(text))
            assert set(_comments(text)) <= set(_comments(original)) | headings
            assert text.startswith(first.head)
            for key, piece in first.pieces.items():
                if key not in touched:
                    assert piece.body in text, f"{key} kept its own lines"


def test_a_file_that_cannot_be_cut_is_written_whole(questionnaire: Questionnaire, tmp_path: Path) -> None:
    for original in ("a: &x\nb: *x\n", "{gemeente_naam: Zeewolde, inwoners: 5}\n", "a: 1\r\nb: 2\r\n"):
        doc = roundtrip._yaml().load(original)
        assert roundtrip._cut(original, doc).pieces is None
    path = tmp_path / "a.yaml"
    path.write_text("gemeente_naam: &naam Zeewolde\nauteur: *naam\n", encoding="utf-8")
    text = roundtrip.rewrite(
        path,
        {"gemeente_naam": "Zeewolde", "auteur": "Zeewolde"},
        {"gemeente_naam": "Zeewolde", "auteur": "X"},
        ["gemeente_naam", "auteur"],
        {},
    )
    assert text == "gemeente_naam: &naam Zeewolde\nauteur: X\n"


def test_a_file_changed_by_someone_else_is_read_again(questionnaire: Questionnaire, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    loaded = answers.load(path, questionnaire)
    loaded.values["gemeente_naam"] = "Zeewolde-Oost"
    answers.save(loaded, questionnaire, path)
    # Someone edits the file by hand between two saves: their change and comment stay.
    edited = path.read_text(encoding="utf-8").replace(
        "budget_jaar: € 25.000", "budget_jaar: € 30.000  # nieuw"
    )
    path.write_text(edited, encoding="utf-8")
    loaded = answers.load(path, questionnaire)
    loaded.values["inwoners"] = 53000
    answers.save(loaded, questionnaire, path)
    text = path.read_text(encoding="utf-8")
    assert "budget_jaar: € 30.000  # nieuw\n" in text and "inwoners: 53000    # afgerond\n" in text
    assert "gemeente_naam: Zeewolde-Oost\n" in text and text.endswith("# en een opmerking aan het eind\n")
    assert answers.load(path, questionnaire).values == loaded.values


def test_changing_one_answer_changes_one_line_of_a_hand_written_file(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    # Oosterhaven has long lines, folded texts and indented lists that a whole emit would rewrap.
    path = tmp_path / "oosterhaven.yaml"
    original = example("oosterhaven").read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    loaded = answers.load(path, questionnaire)
    loaded.values["gemeente_naam"] = "Oosterhaven-Noord"
    answers.save(loaded, questionnaire, path)
    assert path.read_text(encoding="utf-8") == original.replace(
        "gemeente_naam: Oosterhaven\n", "gemeente_naam: Oosterhaven-Noord\n"
    )
    assert answers.load(path, questionnaire).values == loaded.values
    # Inside a list of ties only the changed tie is written again, in the list's own indentation.
    loaded.values["partnerschappen"][1]["budgetplafond"] = 17500
    answers.save(loaded, questionnaire, path)
    text = path.read_text(encoding="utf-8")
    assert "  - partner: Wanica\n" in text and "    budgetplafond: 17500\n" in text
    changes = [line for line in difflib.ndiff(original.splitlines(), text.splitlines()) if line[:1] in "+-"]
    assert changes == [
        "- gemeente_naam: Oosterhaven",
        "+ gemeente_naam: Oosterhaven-Noord",
        "+     budgetplafond: 17500",  # Wanica had no ceiling yet: one line more, in its place
    ]
    assert answers.load(path, questionnaire).values == loaded.values


def test_a_text_that_would_not_read_back_is_never_written(
    questionnaire: Questionnaire, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    loaded = answers.load(path, questionnaire)
    loaded.values["gemeente_naam"] = "Zeewolde-Oost"
    # A broken piece: the whole file is emitted instead, comments and all.
    monkeypatch.setattr(roundtrip, "_emit_one", lambda doc, key, dash=0: f"{key}: [kapot\n")
    answers.save(loaded, questionnaire, path)
    assert "# afgerond" in path.read_text(encoding="utf-8")
    assert answers.load(path, questionnaire).values == loaded.values
    # The emitter itself broken: the answers are written plainly; comments go, no answer is lost.
    monkeypatch.setattr(roundtrip, "_emit", lambda doc, dash=0: "kapot: [\n")
    loaded.values["gemeente_naam"] = "Zeewolde-West"
    answers.save(loaded, questionnaire, path)
    assert answers.load(path, questionnaire).values == loaded.values


OWN_FORMAT = "formaat: 1\n\n# --- Partnerschappen ---\npartnerschappen:\n- partner: A\n  land: Marokko\n\n# --- Geld ---\nbudget_jaar: 5000\n"


def test_a_heading_after_the_last_tie_stays_single_over_many_sessions(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    # ruamel.yaml hangs "# --- Geld ---" on the last tie's last value; written again with it,
    # the heading doubled on every new session (2, 4, 8 … until the file was too large).
    path = tmp_path / "a.yaml"
    path.write_text(OWN_FORMAT, encoding="utf-8")
    for session, land in enumerate(["Ghana", "Peru", "Chili", "Mali", "Togo", "Benin"]):
        roundtrip.forget(path)  # a new process
        loaded = answers.load(path, questionnaire)
        loaded.values["partnerschappen"][0]["land"] = land
        if session == 3:
            loaded.values["partnerschappen"].append({"partner": "B", "land": "Peru"})
        answers.save(loaded, questionnaire, path)
        text = path.read_text(encoding="utf-8")
        assert text.count("# --- Geld ---") == 1, text
        assert text.index("partner: A") < text.index("# --- Geld ---") < text.index("budget_jaar")
        if session >= 3:
            assert text.index("partner: B") < text.index("# --- Geld ---")
        assert answers.load(path, questionnaire).values == loaded.values


@pytest.mark.parametrize(
    ("question", "typed"),
    [
        ("visie", "Onze doelen:\n\t- onderwijs\n\t- cultuur"),  # pasted with tabs
        ("auteur", "Yes"),  # YAML 1.1 would read a plain Yes as true
        ("gemeente_naam", "Off"),
        ("versie", "1.10"),
    ],
)
def test_a_text_answer_always_reads_back_as_typed(
    questionnaire: Questionnaire, tmp_path: Path, question: str, typed: str
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    loaded = answers.load(path, questionnaire)
    loaded.values[question] = typed
    answers.save(loaded, questionnaire, path)
    assert answers.load(path, questionnaire).values[question] == typed
    assert "inwoners: 52.000   # afgerond" in path.read_text(encoding="utf-8")  # still round trip


TIES = (
    "formaat: 1\npartnerschappen:\n- partner: A\n  land: Marokko\n  sinds: 1990\n"
    "- partner: C\n  land: Turkije\n  sinds: 2001\nbudget_jaar: 5000\n"
)


def test_a_hand_edit_during_a_session_is_kept_and_never_mixes_ties(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(TIES, encoding="utf-8")
    session = answers.load(path, questionnaire)  # the web page holds these answers in memory
    answers.prepare_saving(path)
    # Meanwhile someone inserts a tie at the top and changes the budget in an editor.
    edited = TIES.replace("partnerschappen:\n", "partnerschappen:\n- partner: B\n  land: Ghana\n")
    path.write_text(edited.replace("budget_jaar: 5000", "budget_jaar: 6000"), encoding="utf-8")
    # The session changes tie C and another answer.
    session.values["partnerschappen"][1]["land"] = "Suriname"
    session.values["inwoners"] = 23000
    # The ties changed on both sides: neither wins unseen (the session's list whole would lose
    # tie B, a merge item by item could give a tie another tie's fields). Nothing is written.
    with pytest.raises(answers.NotSaved):
        answers.save(session, questionnaire, path)
    assert path.read_text(encoding="utf-8") == edited.replace("budget_jaar: 5000", "budget_jaar: 6000")
    # Without the clash, the session's answer is written and the editor's other change stays,
    # and the session now holds it too.
    session = answers.load(path, questionnaire)  # the session looked again (Answering.refresh)
    session.values["partnerschappen"][2]["land"] = "Suriname"
    session.values["inwoners"] = 23000
    path.write_text(path.read_text(encoding="utf-8").replace("budget_jaar: 6000", "budget_jaar: 7000"))
    answers.save(session, questionnaire, path)
    saved = answers.load(path, questionnaire).values
    assert saved["partnerschappen"] == [
        {"partner": "B", "land": "Ghana"},
        {"partner": "A", "land": "Marokko", "sinds": 1990},
        {"partner": "C", "land": "Suriname", "sinds": 2001},
    ]
    assert saved["budget_jaar"] == 7000 and saved["inwoners"] == 23000
    assert session.values == saved


def test_a_file_with_windows_line_ends_keeps_them_and_its_other_lines(
    questionnaire: Questionnaire, tmp_path: Path
) -> None:
    path = tmp_path / "kladblok.yaml"
    original = COMMENTED.replace("\n", "\r\n")  # as Notepad saves it
    path.write_bytes(original.encode("utf-8"))
    loaded = answers.load(path, questionnaire)
    loaded.values["gemeente_naam"] = "Zeewolde-Oost"
    loaded.values["partnerschappen"][1]["land"] = "Turkije (Anatolië)"
    answers.save(loaded, questionnaire, path)
    loaded.values["budget_jaar"] = 30000
    answers.save(loaded, questionnaire, path)
    text = path.read_bytes().decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # every line ends the Windows way
    changes = [line for line in difflib.ndiff(original.splitlines(), text.splitlines()) if line[:1] in "+-"]
    assert changes == [
        "- gemeente_naam: Zeewolde",
        "+ gemeente_naam: Zeewolde-Oost",
        "- budget_jaar: € 25.000",
        "+ budget_jaar: 30000",
        "-   land: Turkije",
        "+   land: Turkije (Anatolië)",
    ]
    assert answers.load(path, questionnaire).values == loaded.values
