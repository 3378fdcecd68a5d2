"""Content templates → text → blocks: the document's words, without its look.

All templates run in Jinja2's sandbox (bundled and user-supplied alike), with
StrictUndefined so a typo in a template is an error, not an empty section. Every
value a template prints passes `_finalize`, which marks it as literal data for the
block parser: answers can never become template code or document markup.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from wizard import blocks
from wizard.context import Text
from wizard.errors import DataError, Problem
from wizard.resources import templates_dir

SHARED = "gedeeld"  # pieces more than one document uses (the beslispunten)


def _finalize(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Text) or (isinstance(value, str) and blocks.OPEN_START in value):
        # The tool's own placeholders (also after a filter such as |lower). Answers
        # cannot contain OPEN_START: blocks.clean removes it when they are checked.
        return str(value)
    return blocks.data(str(value))


class Renderer:
    """Compiles the content templates of one kind of document once; renders many.

    With an own folder (`--sjablonen`), a template there replaces the bundled one of
    the same name: `<map>/<soort>/…` for any kind, or `<map>/…` for the note.
    """

    def __init__(self, folder: Path | None = None, kind: str = "notitie") -> None:
        self.main = f"{kind}.md.j2"
        bundled = templates_dir()
        self.folder = folder or bundled / kind
        own = [folder / kind, *([folder] if kind == "notitie" else [])] if folder is not None else []
        search = [*own, bundled / kind, bundled / SHARED]
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(path)) for path in search]
        # Our own templates are trusted; templates an advisor supplies run in the sandbox.
        environment = jinja2.Environment if folder is None else SandboxedEnvironment
        self.env = environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            finalize=_finalize,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
            bytecode_cache=_bytecode_cache(),
        )
        self._template: jinja2.Template | None = None

    def template(self) -> jinja2.Template:
        if self._template is None:
            try:
                self._template = self.env.get_template(self.main)
            except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound) as exc:
                raise self._loading_error(exc) from None
        return self._template

    def text(self, context: Mapping[str, Any]) -> str:
        """Render the note's text markup."""
        template = self.template()
        try:
            return template.render(**context)
        except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound) as exc:
            raise self._loading_error(exc) from None
        except (jinja2.UndefinedError, SecurityError, TypeError, AttributeError) as exc:
            frame = _template_frame(exc)
            raise DataError(
                [
                    Problem(
                        f"fout in een sjabloon: {exc}",
                        file=frame[0] if frame else self.folder,
                        line=frame[1] if frame else None,
                        hint="Controleer de naam van het veld of de functie in het sjabloon.",
                    )
                ]
            ) from None

    def _loading_error(self, exc: jinja2.TemplateSyntaxError | jinja2.TemplateNotFound) -> DataError:
        """A template that does not parse or is not there, said for people."""
        if isinstance(exc, jinja2.TemplateSyntaxError):
            return DataError([_template_problem(exc, exc.filename, exc.lineno)])
        return DataError(
            [
                Problem(
                    f"sjabloon '{exc.name}' niet gevonden.",
                    file=self.folder,
                    hint="Controleer de naam in {% include %}.",
                )
            ]
        )

    def blocks(self, context: Mapping[str, Any]) -> list[blocks.Block]:
        return blocks.parse(self.text(context))


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk (like .pyc files); a cache that cannot be written is skipped."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """A per-user cache folder: %LOCALAPPDATA% on Windows, $XDG_CACHE_HOME or ~/.cache elsewhere.

    Jinja keys each entry by the template's checksum, so an edited template is compiled anew.
    """
    base = os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "beleidsnotitie" / "sjablonen"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietCache(str(folder))


def _template_problem(exc: Exception, filename: str | None, line: int | None) -> Problem:
    return Problem(
        f"fout in een sjabloon: {getattr(exc, 'message', None) or exc}",
        file=filename or "<sjabloon>",
        line=line,
        hint="Controleer {{ }}, {% %} en of elk {% if %} een {% endif %} heeft.",
    )


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """Find the template file and line in a traceback, for a useful message."""
    tb = exc.__traceback__
    found = None
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2"):
            found = (code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    if found is None:
        return None
    template = found[0]
    # Jinja maps template lines into its generated code; recover the template line.
    try:
        source = Path(template).read_text(encoding="utf-8")
    except OSError:
        return found
    return template, min(found[1], source.count("\n") + 1)
