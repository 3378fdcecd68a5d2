"""Where the bundled data lives: beside the package in a checkout, inside it in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder of bundled data `name` (questions, rules, templates, voorbeelden).

    An installed wheel carries the folders as `wizard/data/<name>`; a source checkout
    (and an editable install) keeps them at the top of the repository.
    """
    installed = _PACKAGE / "data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def questions_dir() -> Path:
    return data_dir("questions")


def rules_dir() -> Path:
    return data_dir("rules")


def templates_dir() -> Path:
    return data_dir("templates")


def examples_dir() -> Path:
    return data_dir("voorbeelden")
