from __future__ import annotations

from pathlib import Path

import pytest

from wizard.errors import DataError
from wizard.yamlsource import MAX_BYTES, load_file, load_text


def test_records_the_line_of_every_value() -> None:
    doc = load_text("a: 1\nb:\n  - x: 2\n    y: 3\n")
    assert doc.data == {"a": 1, "b": [{"x": 2, "y": 3}]}
    assert doc.line(("a",)) == 1
    assert doc.line(("b", 0, "y")) == 4
    assert doc.line(("b", 0, "missing")) == 3  # falls back to the nearest parent


def test_tab_indentation_is_named_with_its_line() -> None:
    with pytest.raises(DataError) as exc:
        load_text("a: 1\n\tb: 2\n", "x.yaml")
    problem = exc.value.problems[0]
    assert problem.line == 2
    assert "tab" in problem.message


def test_unclosed_quote_is_a_dutch_error_with_a_line() -> None:
    with pytest.raises(DataError) as exc:
        load_text('a: "open\nb: 2\n', "x.yaml")
    assert "geen geldige YAML" in exc.value.problems[0].message
    assert exc.value.problems[0].line is not None


def test_alias_bomb_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]")
    with pytest.raises(DataError) as exc:
        load_text("\n".join(lines))
    assert "te veel onderdelen" in exc.value.problems[0].message


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(DataError) as exc:
        load_text("a: " + "[" * 60 + "]" * 60)
    assert "te diep" in exc.value.problems[0].message


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(DataError) as exc:
        load_text("a: 1\na: 2\n")
    assert exc.value.problems[0].line == 2


def test_python_tags_are_not_constructed() -> None:
    with pytest.raises(DataError):
        load_text("a: !!python/object/apply:os.system ['echo hi']\n")


def test_encodings(tmp_path: Path) -> None:
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbfnaam: Zo\xc3\xab\n")
    assert load_file(bom).data == {"naam": "Zoë"}
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_bytes("naam: Zoë\n".encode("utf-16"))
    assert load_file(utf16).data == {"naam": "Zoë"}
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("naam: Zoë\n".encode("latin-1"))
    assert load_file(latin).data == {"naam": "Zoë"}


def test_binary_missing_directory_and_huge_files(tmp_path: Path) -> None:
    binary = tmp_path / "x.yaml"
    binary.write_bytes(b"\x00\x01\x02PK")
    with pytest.raises(DataError, match="binaire"):
        load_file(binary)
    with pytest.raises(DataError, match="niet gevonden"):
        load_file(tmp_path / "nergens.yaml")
    with pytest.raises(DataError, match="map"):
        load_file(tmp_path)
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as stream:
        stream.truncate(MAX_BYTES + 1)
    with pytest.raises(DataError, match="te groot"):
        load_file(huge)
