"""Property-based tests: whatever the questionnaire allows renders to a valid document."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard import answers, facts, rules
from wizard.draft import Drafter
from wizard.errors import DataError
from wizard.kinds import Context
from wizard.questionnaire import Question, Questionnaire, load
from wizard.yamlsource import load_file

QUESTIONNAIRE = load()
DRAFTER = Drafter()
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


def value_for(question: Question) -> st.SearchStrategy[Any]:
    kind = question.type
    if kind in ("tekst", "lange_tekst"):
        return TEXT
    if kind == "datum":
        # The note's date sets the bounds of its years (wizard.kinds.Year): one in this year.
        this_year = dt.date.today().year
        return st.dates(dt.date(this_year, 1, 1), dt.date(this_year, 12, 31)).map(lambda d: d.isoformat())
    if kind in ("getal", "jaar"):
        low, high = question.kind.bounds(question, Context.today())  # type: ignore[attr-defined]
        return st.integers(int(low if low is not None else 0), int(high if high is not None else 10**9))
    if kind == "bedrag":
        # Amounts go to the cent (kinds.Money refuses more decimals): whole cents, as floats.
        low, high = int((question.min or 0) * 100), int((question.max or 1e6) * 100)
        return st.integers(low, high).map(lambda cents: cents / 100)
    if kind == "ja_nee":
        return st.booleans()
    if kind == "keuze":
        return st.sampled_from(question.choice_values)
    if kind == "meerkeuze":
        shared = [c.waarde for c in question.keuzes if not c.exclusief]
        alone = [[c.waarde] for c in question.keuzes if c.exclusief]  # "geen" stands alone
        many = st.lists(st.sampled_from(shared), unique=True)
        return st.one_of(many, st.sampled_from(alone)) if alone else many
    if kind == "per_keuze":
        return st.dictionaries(st.sampled_from(question.choice_values), TEXT, max_size=3)
    fields = {f.id: value_for(f) for f in question.velden}
    return st.lists(st.fixed_dictionaries({}, optional=fields), max_size=3)


ANSWERS = st.fixed_dictionaries({}, optional={q.id: value_for(q) for q in QUESTIONNAIRE.questions()})


def check_and_render(data: dict[str, Any], questionnaire: Questionnaire) -> bytes:
    loaded = answers.from_mapping(data, questionnaire)
    rules.evaluate(DRAFTER.rules, facts.derive(loaded, questionnaire), questionnaire)  # toets never crashes
    return DRAFTER.docx(loaded)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(ANSWERS)
def test_allowed_answers_render_to_a_schema_valid_document(data: dict[str, Any]) -> None:
    from openxml_audit import OpenXmlValidator

    rendered = check_and_render(data, QUESTIONNAIRE)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "n.docx"
        path.write_bytes(rendered)
        result = OpenXmlValidator().validate(str(path))
        assert result.is_valid, [str(e) for e in result.errors[:3]]
    assert docx.Document(io.BytesIO(rendered)).paragraphs


@settings(max_examples=60, deadline=None)
@given(ANSWERS)
def test_saved_answers_load_back_equal(data: dict[str, Any]) -> None:
    loaded = answers.from_mapping(data, QUESTIONNAIRE)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.yaml"
        answers.save(loaded, QUESTIONNAIRE, path)
        assert answers.load(path, QUESTIONNAIRE).values == loaded.values


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_a_clean_error_or_valid_answers(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.yaml"
        path.write_bytes(raw)
        try:
            answers.load(path, QUESTIONNAIRE)
        except DataError as exc:
            assert exc.problems and all(p.message for p in exc.problems)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_gives_a_clean_error_or_valid_yaml(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_file(path)
            answers.load(path, QUESTIONNAIRE)
        except DataError as exc:
            assert exc.problems
