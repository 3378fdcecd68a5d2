"""The per-user cache: it saves time, and is never served stale or trusted when broken."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wizard import cache, wordwriter
from wizard.resources import templates_dir


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.delenv("BELEIDSNOTITIE_GEEN_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "beleidsnotitie"


def test_a_result_is_built_once_and_then_read(cache_home: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"waarde": len(calls)}

    assert cache.cached("proef", [b"sleutel"], build) == {"waarde": 1}
    assert cache.cached("proef", [b"sleutel"], build) == {"waarde": 1}
    assert len(calls) == 1
    assert cache.cached("proef", [b"andere sleutel"], build) == {"waarde": 2}
    assert len(list((cache_home / "proef").iterdir())) == 2


def test_a_changed_input_file_is_a_new_key(tmp_path: Path, cache_home: Path) -> None:
    rule = tmp_path / "regel.yaml"
    rule.write_text("id: a\n", encoding="utf-8")
    first = cache.files_digest([rule])
    rule.write_text("id: b\n", encoding="utf-8")
    assert cache.files_digest([rule]) != first
    assert cache.files_digest([tmp_path / "weg.yaml"]) != cache.files_digest([rule])


def test_a_broken_cache_file_is_rebuilt_not_trusted(cache_home: Path) -> None:
    assert cache.cached("proef", [b"k"], lambda: "goed") == "goed"
    (stored,) = (cache_home / "proef").iterdir()
    stored.write_bytes(b"\x80\x05 kapot")
    assert cache.cached("proef", [b"k"], lambda: "opnieuw") == "opnieuw"


def test_an_unwritable_cache_only_costs_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "bestand"
    blocked.write_text("geen map", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    assert cache.cached("proef", [b"k"], lambda: 42) == 42


def test_errors_are_never_cached(cache_home: Path, tmp_path: Path) -> None:
    from wizard.errors import UserError

    bad = tmp_path / "huisstijl.docx"
    bad.write_bytes(b"geen zip")
    for _ in range(2):
        with pytest.raises(UserError):
            wordwriter.load_style(bad)
    assert not (cache_home / "huisstijl").exists()


def test_a_cached_house_style_writes_the_same_document_without_python_docx(
    cache_home: Path, tmp_path: Path
) -> None:
    """Once prepared, writing a note needs neither python-docx nor lxml in the process."""
    style_path = templates_dir() / "huisstijl.docx"
    wordwriter.load_style(style_path)  # fills the cache
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from wizard import wordwriter, blocks\n"
        "from wizard.documents import Meta\n"
        f"style = wordwriter.load_style(Path({str(style_path)!r}))\n"
        "data = wordwriter.write(blocks.parse('# Kop\\n\\nTekst.'), Meta('T', 'Dorp', '1 mei', '1', 'A'), style)\n"
        "assert data[:2] == b'PK'\n"
        "print('docx' in sys.modules, 'lxml' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"XDG_CACHE_HOME": str(cache_home.parent), "PATH": ""},
    )
    assert result.stdout.split() == ["False", "False"]
