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
import re
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
MAX_EXPANDED = 2 * MAX_BYTES  # characters once every alias is written out

PathKey = tuple[str | int, ...]
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class Located:
    """A parsed YAML document with the line of every value, keyed by its path."""

    data: Any
    file: Path | str
    lines: dict[PathKey, int] = field(default_factory=dict)
    encoding: str = "utf-8"  # the file's, as yamlsource.decode read it

    def line(self, path: PathKey) -> int | None:
        """Return the line of `path`, or of its nearest parent that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


# The encodings a file can be read in, by the name Python knows them under. A file is written
# back in the encoding it was read in (answers.save), except Windows-1252, which becomes UTF-8.
UTF8 = "utf-8"
CP1252 = "cp1252"
_BOMS = (  # longest first: a UTF-32 LE mark begins with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
# A multi-byte character as UTF-8 writes it (RFC 3629): in a file that does not decode as
# UTF-8, one of these means the file is UTF-8 with stray bytes, not Windows-1252.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
DEPTH_HINT = "Antwoorden- en regelbestanden hebben hooguit een paar niveaus inspringing."
SAVE_AS_UTF8 = "Sla het bestand op als UTF-8 (in Kladblok: Opslaan als → Codering: UTF-8)."
CP1252_NOTE = (
    "dit bestand is niet als UTF-8 maar als Windows-1252 (ANSI) opgeslagen; de tool leest het zo. "
    "Controleer ë, é en € in het concept; bewaart de tool hier antwoorden, dan wordt het bestand UTF-8."
)


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read in (one of the names above)."""

    text: str
    encoding: str = UTF8


def decode(
    raw: bytes, file: Path | str, legacy: bool = True, what: str = ".yaml-bestand", nul_ok: bool = False
) -> Decoded:
    """The text of a file's bytes: UTF-8 (with or without BOM), UTF-16 or UTF-32 with BOM, or,
    with `legacy`, a file that is wholly Windows-1252 (older Notepad's "ANSI"). Never a guess: a
    UTF-8 file with a stray byte is refused, with its line and the byte. A NUL byte means a
    binary file, unless `nul_ok` (templates: their control characters are cleaned later)."""
    for mark, codec, label in _BOMS:
        if raw.startswith(mark):
            try:
                return Decoded(raw[len(mark) :].decode(codec), codec)
            except UnicodeDecodeError as exc:
                body = raw[len(mark) :]
                line = body[: exc.start].decode(codec, "replace").count("\n") + 1
                raise DataError(
                    [
                        Problem(
                            f"het bestand is als {label} opgeslagen, maar op deze regel staat iets "
                            f"dat in {label} niet kan (byte {_byte(body, exc.start)}).",
                            file=file,
                            line=line,
                            hint=SAVE_AS_UTF8,
                        )
                    ]
                ) from None
    if b"\x00" in raw and not nul_ok and _utf16_without_mark(raw):
        raise DataError(
            [
                Problem(
                    "het bestand is als UTF-16 opgeslagen, maar zonder het kenmerk (BOM) dat zegt in welke "
                    "volgorde; de tool leest het daarom niet.",
                    file=file,
                    hint=SAVE_AS_UTF8,
                )
            ]
        )
    if b"\x00" in raw and not nul_ok:
        raise DataError(
            [
                Problem(
                    "dit is geen tekstbestand (het bevat binaire gegevens).",
                    file=file,
                    hint=f"Kies een {what} dat u met een teksteditor kunt openen.",
                )
            ]
        )
    try:
        return Decoded(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        first = exc.start
    mixed = _UTF8_SEQUENCE.search(raw) is not None
    if legacy and not mixed:  # no UTF-8 character anywhere: an editor that saves Windows-1252
        try:
            return Decoded(raw.decode(CP1252), CP1252)
        except UnicodeDecodeError:  # a byte Windows-1252 does not have either
            pass
    raise DataError(
        [
            Problem(
                f"het bestand is niet {'helemaal ' if mixed else ''}als UTF-8 opgeslagen: op deze "
                f"regel staat byte {_byte(raw, first)}, die in UTF-8 niet kan.",
                file=file,
                line=raw[:first].count(b"\n") + 1,
                hint="Controleer de letters en tekens op deze regel (zoals ë, é of €). " + SAVE_AS_UTF8,
            )
        ]
    )


def _utf16_without_mark(raw: bytes) -> bool:
    """Text in UTF-16 without a byte order mark: every other byte of its start is zero."""
    start = raw[:200]
    if len(start) < 4:
        return False
    even, odd = start[0::2], start[1::2]
    return (odd.count(0) == len(odd) and 0 not in even) or (even.count(0) == len(even) and 0 not in odd)


def encode(text: str, encoding: str) -> bytes:
    """The bytes to write for `text` in an encoding `decode` returned; Windows-1252 becomes UTF-8."""
    if encoding == CP1252:
        encoding = UTF8
    for mark, codec, _label in _BOMS:
        if codec == encoding:  # the mark once, then the text ("utf-8-sig" would add its own)
            return mark + text.encode(codec.removesuffix("-sig"))
    return text.encode(encoding)


def _byte(raw: bytes, index: int) -> str:
    return f"0x{raw[index]:02X}"


YAML_SUFFIXES = ("*.yaml", "*.yml")


def folder_files(folder: Path) -> list[Path]:
    """The .yaml and .yml files in a folder, sorted by name: the one way a folder of answers or
    rules is listed. Not opened here; a name that is no regular file (a FIFO) is refused
    when it is read (read_limited), never read into a cache key."""
    return sorted({path for pattern in YAML_SUFFIXES for path in folder.glob(pattern)})


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
        hint="Een antwoorden- of regelbestand is normaal enkele kilobytes. Kies het juiste bestand.",
    )


def _size(count: int) -> str:
    return (
        f"{count / 1024 / 1024:.1f} MB".replace(".", ",") if count >= 1024 * 1024 else f"{count // 1024} kB"
    )


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a data file as text with a size cap and a Dutch error for every failure."""
    return read_decoded(path, max_bytes).text


def read_decoded(path: Path, max_bytes: int = MAX_BYTES, legacy: bool = True) -> Decoded:
    """A data file's text and the encoding it was read in."""
    return decode(read_limited(path, max_bytes, "YAML-bestand"), path, legacy)


def load_file(path: Path, number_text: bool = False, legacy: bool = True) -> Located:
    """Load one YAML file safely; raise DataError with the line on any problem.

    Without `legacy`, a Windows-1252 file is refused (only answers files may be one)."""
    decoded = read_decoded(path, legacy=legacy)
    located = load_text(decoded.text, path, number_text)
    located.encoding = decoded.encoding
    return located


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
        dutch, hint = _explain(exc)
        raise DataError(
            [Problem(f"dit is geen geldige YAML ({dutch}).", file=file, line=line, hint=hint)]
        ) from None
    except yaml.reader.ReaderError as exc:
        raise DataError([_reader_problem(exc, text, file)]) from None
    except yaml.YAMLError:
        raise DataError([Problem("dit is geen geldige YAML.", file=file, hint=_CHECK_LAYOUT)]) from None
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
    # Characters as the data holds them once every alias (*name) is written out: one 1 MB text
    # aliased into 2.000 ties is 2 GB, refused here before any of it is built.
    expanded = expanded_nodes = 0
    anchored: dict[str, tuple[int, int]] = {}  # characters and values of each anchored value
    open_sizes: list[list[Any]] = []  # per open collection: [its anchor, characters, values so far]

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
                        "Een antwoorden- of regelbestand heeft er enkele honderden. Kies het juiste bestand.",
                    )
                if lengths:
                    lengths[-1] += 1
                    if lengths[-1] > limits[-1]:
                        raise fail(
                            f"deze lijst is te lang (meer dan {MAX_ITEMS:_} onderdelen).".replace("_", "."),
                            event,
                            "Een antwoordenbestand heeft hooguit enkele tientallen banden of doelen, een regel een paar voorwaarden. Kies het juiste bestand.",
                        )
            size, nodes = 0, 0
            if isinstance(event, yaml.ScalarEvent):
                size, nodes = len(event.value) + 1, 1
            elif isinstance(event, yaml.AliasEvent):
                size, nodes = anchored.get(event.anchor or "", (0, 0))
            elif isinstance(event, yaml.CollectionStartEvent):
                nodes = 1
            if size or nodes:
                expanded += size
                expanded_nodes += nodes
                if expanded_nodes > MAX_NODES:
                    raise fail(
                        "het bestand bevat te veel onderdelen (mogelijk door herhaalde verwijzingen met & en *).",
                        event,
                        "Schrijf de gegevens uit zonder ankers (&) en verwijzingen (*).",
                    )
                if expanded > MAX_EXPANDED:
                    raise fail(
                        "de verwijzingen met & en * maken de gegevens te groot "
                        f"(meer dan {MAX_EXPANDED:_} tekens als ze zijn uitgeschreven).".replace("_", "."),
                        event,
                        "Schrijf de gegevens uit zonder ankers (&) en verwijzingen (*).",
                    )
                if open_sizes:
                    open_sizes[-1][1] += size
                    open_sizes[-1][2] += nodes
                if isinstance(event, yaml.ScalarEvent) and event.anchor:
                    anchored[event.anchor] = (size, nodes)
            if isinstance(event, yaml.CollectionStartEvent):
                open_sizes.append([event.anchor, 0, 0])
            elif isinstance(event, yaml.CollectionEndEvent) and open_sizes:
                anchor, inside, inside_nodes = open_sizes.pop()
                if anchor:
                    anchored[anchor] = (inside, inside_nodes + 1)
                if open_sizes:
                    open_sizes[-1][1] += inside
                    open_sizes[-1][2] += inside_nodes
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise fail(
                        "de gegevens zijn te diep genest.",
                        event,
                        DEPTH_HINT,
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
                        hint=DEPTH_HINT,
                    )
                ]
            ) from None
        return  # composing the text reports the error, with its line
    except yaml.YAMLError:
        return  # composing the text reports the error, with its line


_CHECK_LAYOUT = "Controleer inspringing, dubbele punten en aanhalingstekens op of vlak vóór deze regel."
_QUOTES = "Zet de tekst tussen enkele aanhalingstekens ('), of typ het teken zelf."
# libyaml's and PyYAML's problem texts (a part of each), in Dutch, with what to do.
_EXPLAINED = (
    ("found character '\\t' that cannot start any token", "een tab waar dat niet mag", _CHECK_LAYOUT),
    ("found a tab character", "een tab waar dat niet mag", _CHECK_LAYOUT),
    ("could not find expected ':'", "een dubbele punt ontbreekt", _CHECK_LAYOUT),
    (
        "found unexpected end of stream",
        "het bestand houdt onverwacht op, mogelijk een open aanhalingsteken",
        _CHECK_LAYOUT,
    ),
    ("mapping values are not allowed", "een dubbele punt staat op een plek waar dat niet kan", _CHECK_LAYOUT),
    ("found undefined alias", "een verwijzing (*) naar iets dat niet bestaat", _CHECK_LAYOUT),
    ("expected <block end>, but found '-'", "een lijstregel met een verkeerde inspringing", _CHECK_LAYOUT),
    ("found duplicate anchor", "een anker (&) komt twee keer voor", "Geef elk anker (&) een eigen naam."),
    (
        "but found another document",
        "er begint een tweede document, na een regel '---' of '...'",
        "Haal de regel met '---' of '...' weg: een antwoorden- of regelbestand is één geheel.",
    ),
    (
        "did not find expected key",
        "hier staat iets waar een sleutel ('naam:') of een lijstregel ('- ') hoort",
        _CHECK_LAYOUT,
    ),
    (
        "invalid Unicode character escape code",
        "een code met \\u of \\x tussen dubbele aanhalingstekens is geen geldig teken",
        _QUOTES,
    ),
    (
        "found unknown escape character",
        "na een backslash (\\) tussen dubbele aanhalingstekens staat een onbekende code",
        "Schrijf \\\\ voor een backslash, of zet de tekst tussen enkele aanhalingstekens (').",
    ),
    (
        "cannot start any token",
        "een waarde begint met een teken waarmee dat niet mag, zoals @ of `, of er staat een tab",
        "Zet de waarde tussen aanhalingstekens, en spring in met spaties.",
    ),
    (
        "expected ',' or ']'",
        "een lijst tussen [ en ] is niet goed afgesloten",
        "Controleer of elke [ een ] heeft, met komma's tussen de waarden.",
    ),
    (
        "expected ',' or '}'",
        "een lijstje tussen { en } is niet goed afgesloten",
        "Controleer of elke { een } heeft, met komma's tussen de velden.",
    ),
    (
        "expected alphabetic or numeric character",
        "na & of * hoort een naam",
        "Zet een tekst die met & of * begint tussen aanhalingstekens.",
    ),
    (
        "unknown directive",
        "een regel die met % begint, wordt niet begrepen",
        "Haal de regel weg, of zet de tekst tussen aanhalingstekens.",
    ),
    (
        "found unknown escape",
        "na een backslash (\\) tussen dubbele aanhalingstekens staat een onbekende code",
        "Schrijf \\\\ voor een backslash, of zet de tekst tussen enkele aanhalingstekens (').",
    ),
)


def _explain(exc: yaml.MarkedYAMLError) -> tuple[str, str]:
    """The parser's problem in Dutch, with what to do; never its English."""
    problem = (exc.problem or "").strip()
    for english, dutch, hint in _EXPLAINED:
        if english in problem:
            return dutch, hint
    if problem.startswith("expected <block end>"):
        return "de inspringing klopt niet", _CHECK_LAYOUT
    return "de opbouw van het bestand klopt hier niet", _CHECK_LAYOUT


def _reader_problem(exc: yaml.YAMLError, text: str, file: Path | str) -> Problem:
    """A character YAML does not allow (a control character pasted from another program)."""
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    line = text[:position].count("\n") + 1 if isinstance(position, int) else None
    if isinstance(character, str) and len(character) == 1:
        character = ord(character)
    code = f" (U+{character:04X})" if isinstance(character, int) else ""
    return Problem(
        f"op deze regel staat een onzichtbaar stuurteken{code} dat in YAML niet mag.",
        file=file,
        line=line,
        hint="Haal het teken weg; het komt vaak mee bij kopiëren uit een ander programma.",
    )


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
                DEPTH_HINT,
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
            own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
            try:
                self.constructor.flatten_mapping(node)
            except yaml.YAMLError:
                raise self._fail(
                    "een samenvoeging met '<<' moet naar een lijst met velden verwijzen.",
                    node,
                    "Haal de regel met '<<:' weg, of schrijf de velden uit.",
                ) from None
            # flatten_mapping puts the merged pairs first: a later pair with the same key
            # overrides a merged one, as YAML's merge key says (`<<: *band` then `partner: X`).
            merged_count = len(node.value) - own
            merged: set[str] = set()
            for index, (key_node, value_node) in enumerate(node.value):
                key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str | int | bool | float) or key is None:
                    raise self._fail(
                        "een sleutel moet een eenvoudige naam zijn.",
                        key_node,
                        "Gebruik namen zoals 'gemeente_naam:'.",
                    )
                # `yes:` or `on:` is true to YAML 1.1, `1.10:` the number 1.1: a key keeps its text
                key_text = key if isinstance(key, str) else str(key_node.value)
                if key_text in result and key_text not in merged:
                    raise self._fail(
                        f"de sleutel '{key_text}' staat twee keer in dezelfde lijst.",
                        key_node,
                        "Haal één van de twee weg.",
                    )
                if index < merged_count:
                    merged.add(key_text)
                else:
                    merged.discard(key_text)
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
