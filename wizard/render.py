"""Content templates → text → blocks: the document's words, without its look.

All templates run in Jinja2's sandbox (bundled and user-supplied alike), with
StrictUndefined so a typo in a template is an error, not an empty section. Every
value a template prints passes `_finalize`, which marks it as literal data for the
block parser: answers can never become template code or document markup.

Own templates (`--sjablonen`) run in `_LimitedSandbox`, which also bounds time and
memory: arithmetic, calls and filters are checked before they run (no `9 ** 99999999`,
no `'x' * 10 ** 9`, no `center(10 ** 9)`), the clock is checked at every step, and the
output is capped while it is produced.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import re
import stat
import time
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from markupsafe import Markup

from wizard import blocks
from wizard.context import Text, after_word, inside_sentence
from wizard.errors import DataError, Problem
from wizard.resources import templates_dir

SHARED = "gedeeld"  # pieces more than one document uses (the beslispunten)
MAX_OUTPUT = 5_000_000  # characters one document's text may have (a note has about 60.000)
MAX_SECONDS = 20.0  # for rendering one document from own templates
MAX_NUMBER_BITS = 4096  # the largest number an own template may compute (about 1.200 digits)
MAX_WIDTH = 100_000  # widths and counts given to string methods and filters


class TemplateLimit(SecurityError):
    """An own template went over a limit of time or size."""


class _LimitedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox (lists and dicts cannot be changed: no `l.append` in a loop to fill the
    memory), plus limits on time and size for templates an advisor supplies."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "**", "%"})
    intercepted_unops = frozenset({"-", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.deadline = math.inf
        self.filters = {name: _guarded(self, function, name) for name, function in self.filters.items()}

    def start_clock(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"het sjabloon doet er langer dan {MAX_SECONDS:.0f} seconden over")

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call_unop(self, context: jinja2.runtime.Context, operator: str, arg: Any) -> Any:
        self.tick()
        return super().call_unop(context, operator, arg)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.tick()
        _check_arguments(args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        _check_size(result)
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`'{0:>900000000}'.format(1)`: Jinja's own wrapper, with a formatter that checks each
        width and precision before Python allocates the text (a format string is not a call
        argument, so the checks on arguments never see it)."""
        if not isinstance(value, types.MethodType | types.BuiltinMethodType) or value.__name__ not in (
            "format",
            "format_map",
        ):
            return None
        text = value.__self__
        if not isinstance(text, str):
            return None
        formatter = _LimitedEscapeFormatter(self, escape=text.escape) if isinstance(text, Markup) else None
        vformat = (formatter or _LimitedFormatter(self)).vformat
        mapping = value.__name__ == "format_map"

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if mapping:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                kwargs, args = args[0], ()
            return type(text)(vformat(text, args, kwargs))

        return functools.update_wrapper(wrapper, value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.tick()
        value = super().getattr(obj, attribute)
        _check_size(value)  # a namespace() value doubled with ~ in a loop
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        value = super().getitem(obj, argument)
        _check_size(value)
        return value


class _LimitedFormatter(SandboxedFormatter):
    """str.format in an own template: every field's width and precision bounded before it is made."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        _check_format_spec(format_spec)
        return super().format_field(value, format_spec)


class _LimitedEscapeFormatter(_LimitedFormatter, SandboxedEscapeFormatter):
    pass


def _check_format_spec(spec: str) -> None:
    """Refuse a width or precision above MAX_WIDTH in a format spec such as '😀>900000000'."""
    if len(spec) >= 2 and spec[1] in "<>=^":
        spec = spec[2:]  # the fill character may itself be a digit
    for digits in re.findall(r"\d+", spec):
        if len(digits) > 6 or int(digits) > MAX_WIDTH:
            raise TemplateLimit(
                f"een breedte of precisie in de {{}}-opmaak is te groot ({digits}; hooguit {MAX_WIDTH})"
            )


def _guarded(env: _LimitedSandbox, function: Callable[..., Any], name: str = "") -> Callable[..., Any]:
    """A filter that checks the clock, its arguments and the size of what it returns."""

    @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
    def guarded(*args: Any, **kwargs: Any) -> Any:
        env.tick()
        _check_arguments(args[1:], kwargs)
        if name == "format" and args and isinstance(args[0], str) and _BIG_FORMAT.search(args[0]):
            raise TemplateLimit(
                "een breedte of precisie in de %-opmaak is te groot"
            )  # '%0999999999d'|format(1)
        result = function(*args, **kwargs)
        _check_size(result)
        return result

    return guarded


_BIG_FORMAT = re.compile(r"%[-+ #0]*(\d{5,}|\*)|%[-+ #0]*\d*\.(\d{5,}|\*)")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse, before computing, what would take too much time or memory."""
    numbers = (int, float)
    if operator == "**" and isinstance(left, numbers) and isinstance(right, numbers):
        whole = isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0
        if whole and right * max(1, int(abs(left)).bit_length()) > MAX_NUMBER_BITS:
            raise TemplateLimit(f"het getal {left} ** {right} is te groot om uit te rekenen")
        return
    if operator == "*":
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > MAX_NUMBER_BITS:
                raise TemplateLimit("de vermenigvuldiging geeft een te groot getal")
            return
        for sequence, count in ((left, right), (right, left)):
            repeated = isinstance(sequence, str | list | tuple) and isinstance(count, int)
            if repeated and len(sequence) * count > MAX_OUTPUT:
                raise TemplateLimit("de herhaling met * maakt een te lange tekst of lijst")
        return
    if operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        if len(left) + len(right) > MAX_OUTPUT:
            raise TemplateLimit("de samengevoegde tekst of lijst is te lang")
        return
    if operator == "%" and isinstance(left, str) and _BIG_FORMAT.search(left):
        raise TemplateLimit("een breedte of precisie in de %-opmaak is te groot")
    if (
        isinstance(left, int)
        and isinstance(right, int)
        and max(left.bit_length(), right.bit_length()) > MAX_NUMBER_BITS
    ):
        raise TemplateLimit("het sjabloon rekent met te grote getallen")


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_WIDTH:
            raise TemplateLimit(f"het getal {value} is te groot als breedte of aantal (hooguit {MAX_WIDTH})")


def _check_size(value: Any) -> None:
    if isinstance(value, str | list | tuple | dict) and len(value) > MAX_OUTPUT:
        raise TemplateLimit("het sjabloon maakt een te lange tekst")


def _finalize(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Text) or (isinstance(value, str) and blocks.OPEN_START in value):
        # The tool's own placeholders (also after a filter such as |lower). Answers
        # cannot contain OPEN_START: blocks.clean removes it when they are checked.
        return str(value)
    return blocks.data(str(value))


WORDS_FILE = "gewone_woorden.yaml"  # in the tool's templates folder: words that are never a name
_WORD = re.compile(r"[a-zß-öø-ÿ]+(?:'[a-zß-öø-ÿ]+)?")  # one word in lower case: 'werkplan', "zo'n"


@functools.lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """The words that are never a name on their own (templates/gewone_woorden.yaml), checked
    when they load: a word with a capital or a space would never match, so it is refused."""
    from wizard import yamlsource

    path = templates_dir() / WORDS_FILE
    located = yamlsource.load_file(path, legacy=False)
    data = located.data
    words = data.get("woorden") if isinstance(data, dict) else None
    if not isinstance(words, list):
        raise DataError(
            [
                Problem(
                    "hier hoort het veld woorden: met een lijst van woorden.",
                    file=path,
                    line=located.line(("woorden",)) if isinstance(data, dict) and "woorden" in data else None,
                    hint="Zet bovenaan 'woorden:' en daaronder één woord per regel, zoals: - werkplan",
                )
            ]
        )
    problems = [
        Problem(
            "onbekend veld.",
            file=path,
            line=located.line((key,)),
            field=str(key),
            hint="Het enige veld is woorden:.",
        )
        for key in data
        if key != "woorden"
    ]
    for index, word in enumerate(words):
        if not isinstance(word, str) or not _WORD.fullmatch(word):
            problems.append(
                Problem(
                    f"'{word}' is geen los woord in kleine letters.",
                    file=path,
                    line=located.line(("woorden", index)),
                    field=f"woorden.{index}",
                    hint="Schrijf één woord per regel, in kleine letters en zonder spaties, zoals: - werkplan",
                )
            )
    if problems:
        raise DataError(problems)
    return frozenset(words)


def _inside_sentence(text: str) -> str:
    return inside_sentence(text, ordinary_words())


# The tool's own filters: `midden` places a free answer inside a sentence (its first letter
# lowered only when that is safe; see context.inside_sentence); `voorzetsel('uit')` puts a word
# before an answer unless the answer already opens with it (context.after_word).
_FILTERS: dict[str, Callable[..., Any]] = {"midden": _inside_sentence, "voorzetsel": after_word}


class Renderer:
    """Compiles the content templates of one kind of document once; renders many.

    With an own folder (`--sjablonen`), a template there replaces the bundled one of
    the same name: `<map>/<soort>/…` for any kind, or `<map>/…` for the note.
    """

    def __init__(self, folder: Path | None = None, kind: str = "notitie") -> None:
        if folder is not None and not folder.is_dir():
            raise DataError(
                [
                    Problem(
                        "dit is een bestand, geen map met sjablonen."
                        if folder.exists()
                        else "deze map met sjablonen bestaat niet.",
                        file=folder,
                        field="--sjablonen",
                        hint="Geef na --sjablonen de map op waarin uw sjablonen (.md.j2) staan.",
                    )
                ]
            )
        self.main = f"{kind}.md.j2"
        bundled = templates_dir()
        self.folder = folder or bundled / kind
        own = [folder / kind, *([folder] if kind == "notitie" else [])] if folder is not None else []
        search = [*own, bundled / kind, bundled / SHARED]
        loaders: list[jinja2.BaseLoader] = [_CheckedLoader(str(path), path in own) for path in search]
        # Our own templates are trusted; templates an advisor supplies run in the sandbox.
        environment = jinja2.Environment if folder is None else _LimitedSandbox
        self.env = environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            finalize=_finalize,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
            # Sandboxed code differs (every call and operator goes through the sandbox), so
            # the two kinds of environment never share compiled templates.
            bytecode_cache=_bytecode_cache("afgeschermd" if folder is not None else "eigen"),
        )
        for name, function in _FILTERS.items():
            self.env.filters[name] = (
                _guarded(self.env, function, name) if isinstance(self.env, _LimitedSandbox) else function
            )
        self._template: jinja2.Template | None = None

    def template(self) -> jinja2.Template:
        if self._template is None:
            ordinary_words()  # the filter `midden` needs them: a broken list shows before any work
            try:
                self._template = self.env.get_template(self.main)
            except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound) as exc:
                raise self._loading_error(exc) from None
        return self._template

    def text(self, context: Mapping[str, Any]) -> str:
        """Render the note's text markup."""
        template = self.template()
        try:
            if not isinstance(self.env, _LimitedSandbox):
                return template.render(**context)
            return self._limited(template, context)
        except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound) as exc:
            raise self._loading_error(exc) from None
        except RecursionError as exc:
            frame = _template_frame(exc)
            raise DataError(
                [
                    Problem(
                        "fout in een sjabloon: het sjabloon roept zichzelf te vaak aan.",
                        file=frame[0] if frame else self.folder,
                        line=frame[1] if frame else None,
                        hint="Controleer macro's die zichzelf aanroepen en {% include %} van het sjabloon zelf.",
                    )
                ]
            ) from None
        except MemoryError as exc:  # a limit the checks before each step did not foresee
            frame = _template_frame(exc)
            raise DataError(
                [
                    Problem(
                        "fout in een sjabloon: het sjabloon vraagt meer geheugen dan de computer heeft.",
                        file=frame[0] if frame else self.folder,
                        line=frame[1] if frame else None,
                        hint="Een sjabloon zet tekst neer; rekenwerk hoort niet in een sjabloon.",
                    )
                ]
            ) from None
        except TemplateLimit as exc:
            frame = _template_frame(exc)
            raise DataError(
                [
                    Problem(
                        f"fout in een sjabloon: {exc}.",
                        file=frame[0] if frame else (template.filename or self.folder),
                        line=frame[1] if frame else None,
                        hint="Een sjabloon zet tekst neer; rekenwerk hoort niet in een sjabloon.",
                    )
                ]
            ) from None
        except (
            jinja2.UndefinedError,
            SecurityError,
            TypeError,
            AttributeError,
            ValueError,
            ArithmeticError,
        ) as exc:
            frame = _template_frame(exc)
            message = f"fout in een sjabloon: {dutch(str(exc))}"
            if isinstance(exc, SecurityError):
                message = f"fout in een sjabloon: dit mag niet in een eigen sjabloon ({dutch(str(exc))})"
            raise DataError(
                [
                    Problem(
                        message,
                        file=frame[0] if frame else self.folder,
                        line=frame[1] if frame else None,
                        hint="Controleer de naam van het veld of de functie in het sjabloon.",
                    )
                ]
            ) from None

    def _limited(self, template: jinja2.Template, context: Mapping[str, Any]) -> str:
        """Render under the sandbox's clock, with the output capped while it grows."""
        env = self.env
        if not isinstance(env, _LimitedSandbox):  # pragma: no cover - only called for the sandbox
            raise TypeError("not a limited sandbox")
        env.start_clock()
        pieces: list[str] = []
        size = 0
        try:
            for piece in template.generate(**context):
                size += len(piece)
                if size > MAX_OUTPUT:
                    raise TemplateLimit(
                        f"het sjabloon maakt een te lange tekst (meer dan {MAX_OUTPUT:_} tekens)".replace(
                            "_", "."
                        )
                    )
                env.tick()
                pieces.append(piece)
        finally:
            env.deadline = math.inf
        return "".join(pieces)

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


MAX_TEMPLATE_BYTES = 1024 * 1024  # one template file (the longest bundled one has a few kB)


class _CheckedLoader(jinja2.FileSystemLoader):
    """Templates from folders, but only regular files of a sane size, as UTF-8 (or UTF-16 or
    UTF-32 with a byte order mark), and only inside their folder: a FIFO named notitie.md.j2
    would block, a huge file fill the memory, and a symbolic link to a file elsewhere would
    put that file's text into the note (a templates folder may come from someone else; the
    bundled folders, `confined` False, may be installed as links)."""

    def __init__(self, searchpath: str, confined: bool = True) -> None:
        super().__init__(searchpath)
        self.confined = confined

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        from jinja2.loaders import split_template_path

        from wizard import yamlsource

        pieces = split_template_path(template)
        for folder in self.searchpath:
            candidate = Path(folder, *pieces)
            try:
                info = candidate.stat()
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                raise _unreadable(
                    candidate, "dit is geen gewoon bestand (maar bijvoorbeeld een pijp of een apparaat)."
                )
            if info.st_size > MAX_TEMPLATE_BYTES:
                raise _unreadable(candidate, "het sjabloon is te groot (meer dan 1 MB).")
            if self.confined and not _inside(candidate, Path(folder)):
                raise DataError(
                    [
                        Problem(
                            f"dit sjabloon is een snelkoppeling naar een bestand buiten de map '{folder}'.",
                            file=candidate,
                            hint="Zet het sjabloon zelf in de map, niet een snelkoppeling ernaar.",
                        )
                    ]
                )
            raw = yamlsource.read_limited(candidate, MAX_TEMPLATE_BYTES, "sjabloon")
            text = yamlsource.decode(raw, candidate, legacy=False, what="sjabloon", nul_ok=True).text
            mtime = info.st_mtime

            def uptodate(candidate: Path = candidate, mtime: float = mtime) -> bool:
                try:
                    return candidate.stat().st_mtime == mtime
                except OSError:
                    return False

            return text, os.path.normpath(candidate), uptodate
        raise jinja2.TemplateNotFound(template)


def _inside(path: Path, folder: Path) -> bool:
    """Whether a path, its links followed, stays inside a folder (its links followed too)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def _unreadable(path: Path, message: str) -> DataError:
    return DataError([Problem(message, file=path, hint="Kies een tekstbestand met een sjabloon.")])


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


def _bytecode_cache(kind: str) -> jinja2.BytecodeCache | None:
    """A per-user cache folder: %LOCALAPPDATA% on Windows, $XDG_CACHE_HOME or ~/.cache elsewhere.

    Jinja keys each entry by the template's checksum, so an edited template is compiled anew.
    """
    base = os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(base) / "beleidsnotitie" / "sjablonen" / kind
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _QuietCache(str(folder))


# Jinja's own messages, in Dutch: (pattern, Dutch with {1}, {2} for the groups). Others stay as
# Jinja says them, behind "fout in een sjabloon".
_JINJA_DUTCH = (
    (r"^'(.+)' is undefined$", "'{1}' bestaat niet in dit sjabloon"),
    (r"^'(.+) object' has no attribute '(.+)'$", "'{2}' bestaat niet bij {1}"),
    (r"^(.+) has no attribute '(.+)'$", "'{2}' bestaat niet bij {1}"),
    (r"^access to attribute '(.+)' of '(.+)' object is unsafe\.?$", "'{1}' van een {2} is afgeschermd"),
    (r"^Encountered unknown tag '(.+)'\..*$", "onbekende opdracht {% {1} %}"),
    (
        r"^Unexpected end of template\..*The innermost block that needs to be closed is '(.+)'\.$",
        "het sjabloon houdt op terwijl {% {1} %} nog open is",
    ),
    (r"^Unexpected end of template\..*$", "het sjabloon houdt op terwijl een opdracht nog open is"),
    (r"^No filter named '(.+)'\.?$", "onbekend filter '{1}'"),
    (r"^No test named '(.+)'\.?$", "onbekende test '{1}'"),
    (r"^unexpected '(.+?)', expected '(.+)'$", "hier hoort '{2}', maar er staat '{1}'"),
    (r"^unexpected '(.+)'$", "'{1}' staat op een plek waar het niet kan"),
    (r"^unexpected end of template, expected '(.+)'\.?$", "het sjabloon houdt op; '{1}' ontbreekt"),
    (r"^expected token '(.+)', got '(.+)'$", "hier hoort '{1}', maar er staat '{2}'"),
    (r"^Expected an expression, got '(.+)'$", "hier ontbreekt iets vóór '{1}'"),
    (
        r"^not all arguments converted during string formatting$",
        "de %-opmaak krijgt meer waarden dan zij plaatsen heeft",
    ),
    (r"^not enough arguments for format string$", "de %-opmaak krijgt minder waarden dan zij plaatsen heeft"),
)
_TOKENS = {"end of print statement": "}}", "end of statement block": "%}", "end of template": "het einde"}


def dutch(message: str) -> str:
    """A message of Jinja in Dutch, when it is one of the usual ones."""
    for pattern, text in _JINJA_DUTCH:
        found = re.match(pattern, message.strip(), flags=re.DOTALL)
        if found:
            for number, group in enumerate(found.groups(), start=1):
                text = text.replace(f"{{{number}}}", _TOKENS.get(group, group))
            return text
    return message


def _template_problem(exc: Exception, filename: str | None, line: int | None) -> Problem:
    return Problem(
        f"fout in een sjabloon: {dutch(str(getattr(exc, 'message', None) or exc))}",
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
    except (OSError, ValueError):  # a UTF-16 template reads as such in the loader, not here
        return found
    return template, min(found[1], source.count("\n") + 1)
