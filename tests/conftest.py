"""Shared fixtures: the bundled data loaded once, and helpers to write files and run the CLI."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from wizard import questionnaire as questionnaire_mod
from wizard import rules as rules_mod
from wizard.cli import main
from wizard.draft import Drafter
from wizard.resources import examples_dir, questions_dir

EXAMPLES = sorted(p.stem for p in examples_dir().glob("*.yaml"))


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The suite never reads or fills the user's real cache (wizard/cache.py); subprocesses inherit this."""
    os.environ.pop("LOCALAPPDATA", None)
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def questionnaire() -> questionnaire_mod.Questionnaire:
    return questionnaire_mod.load()


@pytest.fixture(scope="session")
def rule_set(questionnaire: questionnaire_mod.Questionnaire) -> rules_mod.RuleSet:
    return rules_mod.load(questionnaire)


@pytest.fixture(scope="session")
def drafter() -> Drafter:
    return Drafter()


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a (dedented) text file below tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run the command line in-process and return its exit status and output."""

    def _run(*args: str | Path) -> Result:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


def example(name: str) -> Path:
    return examples_dir() / f"{name}.yaml"


def edited_questions(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the bundled questions folder with one edit in one file, as an advisor makes it."""
    folder = tmp_path / "questions"
    shutil.copytree(questions_dir(), folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder
