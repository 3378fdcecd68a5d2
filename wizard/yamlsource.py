"""Safe YAML loading that remembers the line of every value.

PyYAML's safe *composer* builds a node tree (no Python objects, no code); we turn
that tree into plain dicts, lists and scalars ourselves and record the line of each
value by its path, so every later check can say "regel 12". Limits are checked
before the file is read or parsed, so no file can hang the tool or exhaust its memory
or stack: only regular files are read (not a FIFO or /dev/zero), at most MAX_BYTES; a
streaming pass over the parser's events (which keeps no tree and does not recurse)
caps nesting depth, the number of values and the length of any one list before the
tree is composed (alias bombs, `[` × 50.000, a list of 60.000 ties).
"""

from __future__ import annotations

import math
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.errors import DataError, Problem

if TYPE_CHECKING:
    import yaml

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 50_000  # the whole questionnaire has about 1.300
MAX_DEPTH = 40
MAX_ITEMS = 2_000  # entries in one list or mapping (an answers file has a few dozen)

PathKey = tuple[str | int, ...]
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


@dataclass
class Located:
    """A parsed YAML document with the line of every value, keyed by its path."""

    data: Any
    file: Path | str
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """Return the line of `path`, or of its nearest parent that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def _decode(raw: bytes, file: Path | str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw:
        raise DataError(
            [
                Problem(
                    "dit is geen tekstbestand (het bevat binaire gegevens).",
                    file=file,
                    hint="Kies een .yaml-bestand dat u met een teksteditor kunt openen.",
                )
            ]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        # Latin-1 / Windows-1252 files from older editors: accept them, they are common.
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            raise DataError(
                [
                    Problem(
                        "het bestand is niet als UTF-8 opgeslagen.",
                        file=file,
                        line=line,
                        hint="Sla het bestand op als 'UTF-8' (in Kladblok: Opslaan als → Codering).",
                    )
                ]
            ) from None


def read_limited(path: Path, max_bytes: int = MAX_BYTES, what: str = "bestand") -> bytes:
    """The bytes of a regular file of at most `max_bytes`, or a DataError in Dutch.

    The kind of file is checked before it is opened: a FIFO would block and a device
    such as /dev/zero never ends."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DataError(
            [Problem("bestand niet gevonden.", file=path, hint="Controleer de naam en de map.")]
        ) from None
    except OSError as exc:
        raise DataError([Problem(f"bestand kan niet worden gelezen ({exc.strerror}).", file=path)]) from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError([Problem("dit is een map, geen bestand.", file=path, hint=f"Geef een {what} op.")])
    if not stat.S_ISREG(info.st_mode):
        raise DataError(
            [
                Problem(
                    "dit is geen gewoon bestand (maar bijvoorbeeld een pijp of een apparaat).",
                    file=path,
                    hint=f"Geef een {what} op dat op schijf staat.",
                )
            ]
        )
    if info.st_size > max_bytes:
        raise DataError([_too_large(path, info.st_size, max_bytes)])
    try:
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)  # a file that grows while it is read stays capped
    except OSError as exc:
        raise DataError([Problem(f"bestand kan niet worden gelezen ({exc.strerror}).", file=path)]) from None
    if len(raw) > max_bytes:
        raise DataError([_too_large(path, len(raw), max_bytes)])
    return raw


def _too_large(path: Path, size: int, max_bytes: int) -> Problem:
    return Problem(
        f"het bestand is te groot ({_size(size)}; maximaal {_size(max_bytes)}).",
        file=path,
        hint="Een antwoordenbestand is normaal enkele kilobytes. Kies het juiste bestand.",
    )


def _size(count: int) -> str:
    return (
        f"{count / 1024 / 1024:.1f} MB".replace(".", ",") if count >= 1024 * 1024 else f"{count // 1024} kB"
    )


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a data file as text with a size cap and a Dutch error for every failure."""
    return _decode(read_limited(path, max_bytes, "YAML-bestand"), path)


def load_file(path: Path, number_text: bool = False) -> Located:
    """Load one YAML file safely; raise DataError with the line on any problem."""
    return load_text(read_text(path), path, number_text)


def load_text(text: str, file: Path | str = "<tekst>", number_text: bool = False) -> Located:
    """Parse YAML text into plain data with line numbers.

    With `number_text`, an unquoted scalar that YAML reads as a number stays its text, as a
    `kinds.NumberText` ("25.000" is 25000 euro to a Dutch reader, not 25.0; "1.10" is a version).
    """
    if "\t" in text:
        for number, content in enumerate(text.splitlines(), start=1):
            stripped = content.lstrip(" ")
            if stripped.startswith("\t"):
                raise DataError(
                    [
                        Problem(
                            "deze regel begint met een tab. YAML gebruikt alleen spaties om in te springen.",
                            file=file,
                            line=number,
                            hint="Vervang de tab door spaties (bijvoorbeeld twee).",
                        )
                    ]
                )
    import yaml  # here, not at the top: the wizard shows its first question without it

    # libyaml's safe loader is ~10x faster and keeps line marks; pure Python where it is missing.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    _check_shape(text, file, loader)
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise DataError(
            [
                Problem(
                    f"dit is geen geldige YAML ({_explain(exc)}).",
                    file=file,
                    line=line,
                    hint="Controleer inspringing, dubbele punten en aanhalingstekens op of vlak vóór deze regel.",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(f"dit is geen geldige YAML ({exc}).", file=file)]) from None
    located = Located(data=None, file=file)
    if node is None:
        return located
    builder = _Builder(located, number_text)
    located.data = builder.build(node, (), 0)
    return located


def _check_shape(text: str, file: Path | str, loader: Any) -> None:
    """Depth, number of values and list lengths from the parser's event stream, before any
    tree is built: composing a `[` × 50.000 file recurses until the process dies."""
    import yaml

    depth = 0
    count = 0
    lengths: list[int] = []  # per open collection: values in it (a mapping's keys count as half)
    limits: list[int] = []

    def fail(message: str, event: Any, hint: str) -> DataError:
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        return DataError([Problem(message, file=file, line=line, hint=hint)])

    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.ScalarEvent | yaml.AliasEvent | yaml.CollectionStartEvent):
                count += 1
                if count > MAX_NODES:
                    raise fail(
                        f"het bestand bevat te veel onderdelen (meer dan {MAX_NODES:_}).".replace("_", "."),
                        event,
                        "Een antwoordenbestand heeft enkele honderden waarden. Kies het juiste bestand.",
                    )
                if lengths:
                    lengths[-1] += 1
                    if lengths[-1] > limits[-1]:
                        raise fail(
                            f"deze lijst is te lang (meer dan {MAX_ITEMS:_} onderdelen).".replace("_", "."),
                            event,
                            "Een antwoordenbestand heeft hooguit enkele tientallen banden of doelen.",
                        )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise fail(
                        "de gegevens zijn te diep genest.",
                        event,
                        "Een antwoordenbestand heeft hooguit een paar niveaus inspringing.",
                    )
                lengths.append(0)
                limits.append(2 * MAX_ITEMS if isinstance(event, yaml.MappingStartEvent) else MAX_ITEMS)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                lengths.pop()
                limits.pop()
    except yaml.MarkedYAMLError as exc:
        # libyaml (PyYAML >= 6.0.3) stops at its own nesting limit before our depth check
        # sees the events: that is the same problem, said the same way.
        if "maximum nesting depth" in (exc.problem or ""):
            mark = exc.problem_mark or exc.context_mark
            raise DataError(
                [
                    Problem(
                        "de gegevens zijn te diep genest.",
                        file=file,
                        line=mark.line + 1 if mark is not None else None,
                        hint="Een antwoordenbestand heeft hooguit een paar niveaus inspringing.",
                    )
                ]
            ) from None
        return  # composing the text reports the error, with its line
    except yaml.YAMLError:
        return  # composing the text reports the error, with its line


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    translations = {
        "found character '\\t' that cannot start any token": "een tab waar dat niet mag",
        "could not find expected ':'": "een dubbele punt ontbreekt",
        "found unexpected end of stream": "het bestand houdt onverwacht op, mogelijk een open aanhalingsteken",
        "mapping values are not allowed here": "een dubbele punt staat op een plek waar dat niet kan",
        "found undefined alias": "een verwijzing (*) naar iets dat niet bestaat",
        "expected <block end>, but found '-'": "een lijstregel met een verkeerde inspringing",
    }
    for english, dutch in translations.items():
        if english in problem:
            return dutch
    if problem.startswith("expected <block end>"):
        return "de inspringing klopt niet"
    if "found duplicate anchor" in problem:
        return "een anker (&) komt twee keer voor"
    return problem or "onbekende fout"


class _Builder:
    """Turns composed nodes into Python values, with caps on size and depth."""

    def __init__(self, located: Located, number_text: bool = False) -> None:
        import yaml

        self.located = located
        self.number_text = number_text
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()
        self.yaml = yaml

    def _fail(self, message: str, node: yaml.Node, hint: str) -> DataError:
        return DataError([Problem(message, file=self.located.file, line=node.start_mark.line + 1, hint=hint)])

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(
                "het bestand bevat te veel onderdelen (mogelijk door herhaalde verwijzingen met & en *).",
                node,
                "Schrijf de gegevens uit zonder ankers en verwijzingen.",
            )
        if depth > MAX_DEPTH:
            raise self._fail(
                "de gegevens zijn te diep genest.",
                node,
                "Een antwoordenbestand heeft hooguit een paar niveaus inspringing.",
            )
        self.located.lines.setdefault(path, node.start_mark.line + 1)
        yaml = self.yaml
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
            raise self._fail(
                f"het label '{node.tag}' wordt niet ondersteund.",
                node,
                "Haal het label met !! weg; gebruik gewone lijsten en waarden.",
            )
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            try:
                self.constructor.flatten_mapping(node)
            except yaml.YAMLError:
                raise self._fail(
                    "een samenvoeging met '<<' moet naar een lijst met velden verwijzen.",
                    node,
                    "Haal de regel met '<<:' weg, of schrijf de velden uit.",
                ) from None
            for key_node, value_node in node.value:
                key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str | int | bool | float) or key is None:
                    raise self._fail(
                        "een sleutel moet een eenvoudige naam zijn.",
                        key_node,
                        "Gebruik namen zoals 'gemeente_naam:'.",
                    )
                key_text = str(key)
                if key_text in result:
                    raise self._fail(
                        f"de sleutel '{key_text}' staat twee keer in dezelfde lijst.",
                        key_node,
                        "Haal één van de twee weg.",
                    )
                self.located.lines[(*path, key_text)] = key_node.start_mark.line + 1
                result[key_text] = self.build(value_node, (*path, key_text), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                items.append(self.build(item, (*path, index), depth + 1))
            return items
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except ValueError:
            # e.g. 2026-02-30 looks like a date but is none: keep the text, the
            # field's own check then says what is wrong with it.
            return node.value
        except self.yaml.YAMLError as exc:
            raise self._fail(
                f"deze waarde kan niet worden gelezen ({exc}).",
                node,
                "Zet de waarde tussen aanhalingstekens.",
            ) from None
        plain = not getattr(node, "style", None)  # not quoted (libyaml says "", pure Python None)
        number = isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
        if self.number_text and plain and number and not isinstance(value, bool):
            from wizard.numbertext import NumberText

            return NumberText(node.value)
        if isinstance(value, float) and not math.isfinite(value):
            return value  # checked (and refused) by the validators, which know the field
        if hasattr(value, "isoformat") and not isinstance(value, str):
            return value.isoformat()
        if isinstance(value, bytes):
            raise self._fail(
                "binaire waarden (!!binary) worden niet ondersteund.", node, "Gebruik gewone tekst."
            )
        return value
