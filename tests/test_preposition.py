"""A preposition before a free answer stands there once (the filter `voorzetsel`).

Sentences such as "het geld komt uit {{ reserve }}" read 'uit uit de algemene reserve' when the
answer to ramp_reserve itself opened with 'uit'. The templates write
`{{ reserve() | voorzetsel('uit') }}`: the word comes first unless the answer already has it.
"""

from __future__ import annotations

import re

import pytest

from wizard import answers, blocks
from wizard.context import after_word, open_text
from wizard.draft import Drafter

from .conftest import example


@pytest.mark.parametrize(
    ("answer", "word", "text"),
    [
        ("de algemene reserve", "uit", "uit de algemene reserve"),
        ("uit de algemene reserve", "uit", "uit de algemene reserve"),
        ("Uit de algemene reserve", "uit", "uit de algemene reserve"),
        ("UIT de algemene reserve", "Uit", "Uit de algemene reserve"),
        ("uit de algemene reserve", "Uit", "Uit de algemene reserve"),
        ("uitgaven reserve", "uit", "uit uitgaven reserve"),
        ("uit", "uit", "uit uit"),  # one word only: not a preposition before a name
    ],
)
def test_the_word_stands_once(answer: str, word: str, text: str) -> None:
    assert after_word(answer, word) == text
    marked = blocks.data(answer)  # as an answer reaches the filter from a macro
    assert blocks.plain(blocks.inline(after_word(marked, word))) == text


def test_a_placeholder_gets_the_word_in_front() -> None:
    place = open_text("welke reserve", "ramp_reserve")
    assert after_word(place, "uit") == "uit " + place


@pytest.mark.parametrize(
    "reserve", ["uit de algemene reserve", "Uit de algemene reserve", "de algemene reserve"]
)
def test_no_document_says_uit_uit(drafter: Drafter, reserve: str) -> None:
    data = {**drafter.load(example("veendrecht")).values, "ramp_reserve": reserve}
    loaded = answers.from_mapping(data, drafter.questionnaire)
    texts = [blocks.outline(d.blocks) for d in drafter.drafts(loaded, ("notitie", "raadsvoorstel"))]
    joined = "\n".join(texts)
    assert not re.search(r"\buit\s+uit\b", joined, re.IGNORECASE)
    assert "te betalen uit de algemene reserve;" in joined  # the beslispunt
    assert "Uit de algemene reserve (hulp na rampen)" in texts[0]  # the cost table of the note
    assert "(hulp na rampen) uit de algemene reserve;" in texts[1]
