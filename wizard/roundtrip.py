"""Change an answers file the person already has, keeping everything they did not change.

`rewrite` merges the changed answers into the file's round-trip form (ruamel.yaml), so a
changed answer keeps the comments inside it, and a new answer goes where the questionnaire
has it. Only the answers that changed are written by ruamel.yaml's emitter: every other
top-level answer keeps its own lines of the file, byte for byte (line breaks, indentation,
quotes, comments), and the lines above the first answer stay as they were. This keeps the
person's file, and it is fast: the emitter is pure Python, and writing the whole file for
each answer on the web page cost about 13 ms.

The file is cut at the line of each top-level key, as ruamel.yaml's parser reports it. A
file that cannot be cut safely (anchors and aliases, a flow mapping at the top, unusual
line breaks) is written whole by the emitter, as before. `tests/test_roundtrip.py` checks
over many edit sequences that a spliced file holds the same answers and comments as a
whole emit, and that untouched answers keep their text.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from wizard.errors import DataError
from wizard.yamlsource import read_text

WIDTH = 100  # the line width of answers files, as answers.dump writes them

# Unusual line breaks make the parser's line numbers disagree with ours: such a file is
# written whole, as is one with anchors and aliases (they tie answers across pieces).
_ODD_BREAKS = re.compile("[\r\x85\u2028\u2029\ufeff]")
# An anchor or alias is always `&name` or `*name` after a space, a line start or a flow
# sign; the same in a text answer ("zie *noot") only makes that file be written whole.
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}]", re.MULTILINE)


def writable(value: Any) -> Any:
    """A value as written to the file: decimals the Dutch way ("25000,5"), read back the same."""
    if isinstance(value, float) and value != int(value):
        return format(Decimal(repr(value)), "f").replace(".", ",")
    if isinstance(value, list):
        return [writable(v) for v in value]
    if isinstance(value, dict):
        return {k: writable(v) for k, v in value.items()}
    return value


@dataclass
class _Piece:
    """One answer in the file: its own lines, then the comment lines after it.

    A list of items (the ties, goals, subsidies) is cut once more: `body` is then its first
    line, `items` one piece per item, and `dash` the column of the items' dashes."""

    body: str
    tail: str  # blank lines and comment lines at the left margin before the next answer
    items: list[_Piece] | None = None
    dash: int = 0

    @property
    def text(self) -> str:
        return self.body + "".join(item.text for item in self.items or ()) + self.tail


@dataclass
class _Written:
    """A file as this process last wrote it."""

    text: str  # as it stands in the file
    doc: Any  # its round-trip form, a ruamel CommentedMap
    head: str  # the lines above the first answer
    pieces: dict[str, _Piece] | None  # per top-level key; None: write the file whole
    crlf: bool = False  # Windows line ends (Notepad): pieces are kept with \n, written with \r\n


# Per file: what this process last wrote there. A file changed by anyone else is read anew.
_WRITTEN: dict[Path, _Written] = {}


def rewrite(
    target: Path,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    order: list[str],
    titles: Mapping[str, str],
    reads_back: Callable[[str, Mapping[str, Any]], bool] | None = None,
) -> str | None:
    """The file's text with only the changed answers rewritten; None when it cannot be kept.

    `old` is what the file held when it was loaded or last saved, `new` what it must hold;
    `order` is the questionnaire's order of keys, `titles` the section title of each key (a
    new section gets a heading comment, as in a new file). `reads_back(text, expected)` says
    whether a text reads back with exactly the `expected` answers (answers.save checks with
    the tool's own loader). After a splice only what was written is checked that way (the
    answers and list items that changed; the other lines are the file's own, which read
    before); every text must also be YAML with the right keys.
    """
    written = _read(target)
    if written is None:
        return None
    doc = written.doc
    _merge_map(doc, old, new, order, titles)
    present, removed = set(new), set(old) - set(new)

    def good(text: str, emitted: str, expected: Mapping[str, Any]) -> bool:
        return _has_keys(text, present, removed) and (
            reads_back is None or not expected or reads_back(emitted, expected)
        )

    spliced = None if written.pieces is None else _splice(doc, written.head, written.pieces, old, new)
    if spliced is not None:
        head, pieces = spliced
        result = head + "".join(piece.text for piece in pieces.values())
        if good(result, *_what_was_written(pieces, old, new)):
            result = _line_ends(result, written.crlf)
            _WRITTEN[target] = _Written(result, doc, head, pieces, written.crlf)
            return result
    result = _emit(doc)
    if good(result, result, new):
        result = _line_ends(result, written.crlf)
        _WRITTEN[target] = _Written(result, doc, "", None, written.crlf)
        return result
    forget(target)
    return None  # never write what cannot be read: the caller writes the answers plainly


def _what_was_written(
    pieces: dict[str, _Piece], old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """The text the emitter wrote in a splice, as a small answers file, and what it must hold.

    For a list changed in place that is its first line and only the changed items."""
    text, expected = "", {}
    for key, piece in pieces.items():
        if key not in new or old.get(key) == new.get(key):
            continue
        if piece.items is not None and _same_length(old.get(key), new[key]):
            changed = [n for n, item in enumerate(new[key]) if item != old[key][n]]
            text += piece.body + "".join(piece.items[n].body for n in changed)
            expected[key] = [new[key][n] for n in changed]
        else:
            text += piece.body + "".join(item.body for item in piece.items or ())
            expected[key] = new[key]
    return text, expected


def remember(target: Path) -> None:
    """Read and cut the file now, so that its first save costs no more than the next one."""
    _read(target)


def known(target: Path) -> bool:
    """Whether the file still holds the text this process last read or wrote there."""
    written = _WRITTEN.get(target)
    try:
        return written is not None and written.text == read_text(target)
    except DataError:
        return False


def _read(target: Path) -> _Written | None:
    """The file as this process last wrote it, or else read and cut anew; None: not round trip."""
    from ruamel.yaml.comments import CommentedMap  # only when saving: start-up stays fast
    from ruamel.yaml.error import YAMLError

    try:
        text = read_text(target)
    except DataError:
        return None
    written = _WRITTEN.get(target)
    if written is not None and written.text == text:
        return written
    crlf = "\r\n" in text and "\r" not in text.replace("\r\n", "")
    lines = text.replace("\r\n", "\n") if crlf else text
    try:
        doc = _yaml().load(lines)
    except (YAMLError, NotImplementedError):  # ruamel.yaml gives up on some comment placements
        return None
    if not isinstance(doc, CommentedMap):
        return None
    cut = _cut(lines, doc)
    _WRITTEN[target] = _Written(text, doc, cut.head, cut.pieces, crlf)
    return _WRITTEN[target]


def _line_ends(text: str, crlf: bool) -> str:
    return text.replace("\n", "\r\n") if crlf else text


def _has_keys(text: str, present: set[str], removed: set[str]) -> bool:
    """Whether the text is YAML with these keys and without those (guards against emitter bugs)."""
    import yaml

    try:  # composing is enough (and much cheaper than building the data): the C parser reads it
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return False
    if not isinstance(node, yaml.MappingNode):
        return False
    keys = {key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
    return present <= keys and not removed & keys


def forget(target: Path) -> None:
    """Drop what this process remembers of a file (tests, or a file that was replaced)."""
    _WRITTEN.pop(target, None)


def _splice(
    doc: Any, head: str, before: dict[str, _Piece], old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[str, dict[str, _Piece]] | None:
    """The pieces after a change: the emitter writes only the answers (or items) that changed.

    The comment lines after an answer stay where they are, also when the answer is changed
    or removed (a section heading is never lost); None when the emitter's text cannot be
    fitted in (a block scalar that keeps its final blank lines).
    """
    everywhere = Counter(_comment_lines(head + "".join(piece.text for piece in before.values())))
    tails = {key: piece.tail for key, piece in before.items()}
    previous: str | None = None
    for key, piece in before.items():
        if key in doc:
            previous = key
        elif previous is None:  # a removed answer: its own lines go, the comment lines after it stay
            head += piece.tail
        else:
            tails[previous] += piece.tail
    pieces: dict[str, _Piece] = {}
    last: str | None = None  # the key before this one in the new order
    for key in doc:
        known = before.get(key)
        if known is not None and old.get(key) == new.get(key):
            pieces[key] = _Piece(known.body, tails[key], known.items, known.dash)
        elif known is not None and known.items is not None and _same_length(old.get(key), new.get(key)):
            outside = everywhere - Counter(_comment_lines(known.body))
            items = _splice_items(doc[key], known.items, known.dash, old[key], new[key], outside)
            if items is None:
                return None
            pieces[key] = _Piece(known.body, tails[key], items, known.dash)
        else:
            lines = _lines(_emit_one(doc, key, known.dash if known is not None else 0))
            own = "" if known is None else known.text[: len(known.text) - len(known.tail)]
            lines = _without_copies(lines, 0, everywhere - Counter(_comment_lines(own)))
            lead = _strip_edges(lines, 0)
            if lead is None or not lines[0].startswith(f"{key}:"):
                return None  # not the shape this splice expects: the file is written whole
            if last is None:  # the heading of a new section, or a comment the emitter moved
                head += lead
            else:
                pieces[last].tail += lead
            pieces[key] = _Piece("".join(lines), tails[key] if known is not None else "")
        last = key
    return head, pieces


def _same_length(old: Any, new: Any) -> bool:
    return isinstance(old, list) and isinstance(new, list) and len(old) == len(new)


def _splice_items(
    node: Any, before: list[_Piece], dash: int, old: list[Any], new: list[Any], outside: Counter[str]
) -> list[_Piece] | None:
    """The items of a list after a change in place: only changed items are emitted again."""
    if len(before) != len(new) or len(node) != len(new):
        return None
    items = []
    for index, piece in enumerate(before):
        if old[index] == new[index]:
            items.append(piece)
            continue
        lines = _lines(_emit_item(node, index, dash))[1:]  # without the list's own first line
        lines = _without_copies(lines, dash, outside - Counter(_comment_lines(piece.body)))
        lead = _strip_edges(lines, dash)
        if lead is None or not lines[0].startswith(" " * dash + "- "):
            return None
        if lead and not items:
            return None  # a comment above the first item: let the whole answer be written
        if lead:
            items[-1] = _Piece(items[-1].body, items[-1].tail + lead)
        items.append(_Piece("".join(lines), piece.tail))
    return items


def _strip_edges(lines: list[str], margin: int) -> str | None:
    """Take the blank and comment lines before and after emitted lines; return those before.

    Run after _without_copies: a comment line left at an edge is one the emitter moved
    (a section heading of a new answer, a comment from its key line), so it stays, after
    the piece or (returned) above it. None when the emitted text ends in blank lines that
    are part of a value."""
    if any(_KEEPS_BLANKS.search(line) for line in lines):
        return None
    trailing: list[str] = []
    while lines and _is_tail_line(lines[-1], margin):
        trailing.insert(0, lines.pop())
    leading: list[str] = []
    while lines and _is_tail_line(lines[0], margin):
        leading.append(lines.pop(0))
    if not lines:
        return None
    lines += [line for line in trailing if line.strip()]
    return "".join(leading) if any(line.strip() for line in leading) else ""


def _comment_lines(text: str) -> list[str]:
    return [line.strip() for line in _lines(text) if line.lstrip().startswith("#")]


def _without_copies(lines: list[str], margin: int, elsewhere: Counter[str]) -> list[str]:
    """Emitted lines without the comment lines the file keeps elsewhere.

    ruamel.yaml hangs the comment lines between two answers (a section heading) on the last
    value before them; written again with that value they would stand twice. Only comment
    lines at or left of `margin` are looked at (never a block text's own lines), with the
    blank lines just above them."""
    kept: list[str] = []
    for line in lines:
        if _is_tail_line(line, margin) and line.strip() and elsewhere[line.strip()] > 0:
            while kept and not kept[-1].strip():
                kept.pop()
            continue
        kept.append(line)
    return kept


def _lines(text: str) -> list[str]:
    """The lines of a text with their line breaks; only \\n breaks a line (as in YAML)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


_KEEPS_BLANKS = re.compile(r"[|>][1-9]?\+")  # a block scalar whose final blank lines are content


def _is_tail_line(line: str, margin: int = 0) -> bool:
    """A blank line, or a comment line that starts at or left of `margin` (never a value's text)."""
    stripped = line.lstrip(" ")
    return not stripped.strip() or (stripped.startswith("#") and len(line) - len(stripped) <= margin)


def _cut(text: str, doc: Any) -> _Written:
    """The file's text cut into the lines above the first answer and one piece per answer."""
    whole = _Written(text, doc, "", None)
    if not doc or _ODD_BREAKS.search(text) or getattr(doc, "merge", None):
        return whole
    if _ANCHOR_OR_ALIAS.search(text) or _KEEPS_BLANKS.search(text):
        return whole
    lines = [0] + [match.end() for match in re.finditer("\n", text)]  # where each line begins
    starts: list[int] = []
    for key in doc:
        line, column = doc.lc.key(key)
        if column != 0 or line >= len(lines) or (starts and line <= starts[-1]):
            return whole
        starts.append(line)
    bounds = [lines[line] for line in starts] + [len(text)]
    pieces: dict[str, _Piece] = {}
    for number, key in enumerate(doc):
        own = _lines(text[bounds[number] : bounds[number + 1]])
        if not own or not own[0].startswith(f"{key}:"):
            return whole  # a key written in quotes, or the parser counted lines differently
        split = len(own)
        while split > 1 and _is_tail_line(own[split - 1]):
            split -= 1
        pieces[key] = _cut_items(doc[key], starts[number], own[:split], "".join(own[split:]))
    return _Written(text, doc, text[: bounds[0]], pieces)


def _cut_items(node: Any, first: int, own: list[str], tail: str) -> _Piece:
    """An answer's piece; a block list of items (ties, goals) is cut into one piece per item.

    `first` is the file's line number of the answer's first line, `own` its lines."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(node, CommentedSeq) or not node or node.fa.flow_style():
        return _Piece("".join(own), tail)
    dash = node.lc.col  # written again, the list keeps its indentation
    whole = _Piece("".join(own), tail, None, dash)
    if not all(isinstance(item, CommentedMap) for item in node):
        return whole
    starts = [node.lc.item(index)[0] - first for index in range(len(node))]
    if starts[0] < 1 or any(b <= a for a, b in itertools.pairwise(starts)) or starts[-1] >= len(own):
        return whole
    if not all(own[start].startswith(" " * dash + "- ") for start in starts):
        return whole  # an item that does not begin on its dash's line
    items = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(own)
        split = end
        while split > start + 1 and _is_tail_line(own[split - 1], dash):
            split -= 1
        items.append(_Piece("".join(own[start:split]), "".join(own[split:end])))
    return _Piece("".join(own[: starts[0]]), tail, items, dash)


def _yaml(dash: int = 0) -> Any:
    """A round-trip YAML object; `dash` is the column of list dashes under their key."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")  # one per call: a YAML object holds the emitter's state while it dumps
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    if dash:
        yaml.indent(mapping=2, sequence=dash + 2, offset=dash)
    return yaml


def _emit(doc: Any, dash: int = 0) -> str:
    stream = io.StringIO()
    _yaml(dash).dump(doc, stream)
    return stream.getvalue()


def _emit_one(doc: Any, key: str, dash: int = 0) -> str:
    """One top-level key as the emitter writes it, with the comments ruamel.yaml keeps with it."""
    from ruamel.yaml.comments import CommentedMap

    alone = CommentedMap()
    alone[key] = doc[key]
    if key in doc.ca.items:
        alone.ca.items[key] = doc.ca.items[key]
    return _emit(alone, dash)


def _emit_item(node: Any, index: int, dash: int) -> str:
    """Item `index` of a list, emitted under a stand-in key with the list's indentation."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    alone = CommentedSeq([node[index]])
    if index in node.ca.items:
        alone.ca.items[0] = node.ca.items[index]
    return _emit(CommentedMap([("lijst", alone)]), dash)


def _merge_map(
    node: Any,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    order: list[str],
    titles: Mapping[str, str] | None = None,
) -> None:
    for key in list(node.keys()):
        if key in old and key not in new:
            del node[key]
    for key, value in new.items():
        if key in node:
            node[key] = _merge_value(node[key], old.get(key), value)
            continue
        rank = order.index(key) if key in order else len(order)
        position = len(node)
        for index, existing in enumerate(node.keys()):
            if existing in order and order.index(existing) > rank:
                position = index
                break
        node.insert(position, key, _plain(value))
        if titles and key in titles:
            same = [k for k in node if titles.get(k) == titles[key]]
            if same and same[0] == key:  # the first answer of its section: a heading, as in a new file
                node.yaml_set_comment_before_after_key(key, before=f"\n--- {titles[key]} ---")


def _merge_value(node: Any, old: Any, new: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if old == new:
        return node
    if isinstance(new, dict) and isinstance(old, dict) and isinstance(node, CommentedMap):
        _merge_map(node, old, new, list(new))
        return node
    if isinstance(new, list) and isinstance(old, list) and isinstance(node, CommentedSeq):
        for index, value in enumerate(new):
            if index < len(node):
                node[index] = _merge_value(node[index], old[index] if index < len(old) else None, value)
            else:
                node.append(_plain(value))
        del node[len(new) :]
        return node
    return _plain(new)


_TAB_AT_LINE_START = re.compile(r"(?:^|\n)\t")  # not allowed in a block text: written quoted instead


def _not_plain_text(value: str) -> bool:
    """Whether a YAML 1.1 reader (the tool's own, PyYAML) would take this text, unquoted, as no text."""
    import yaml

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag != "tag:yaml.org,2002:str")


def _plain(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

    value = writable(value)
    if isinstance(value, str) and "\n" in value and not _TAB_AT_LINE_START.search(value):
        return LiteralScalarString(value)
    if isinstance(value, str) and _not_plain_text(value):
        return SingleQuotedScalarString(value)  # "Yes" stays a text for a YAML 1.1 reader
    if isinstance(value, dict):
        result = CommentedMap()
        for key, item in value.items():
            result[key] = _plain(item)
        return result
    if isinstance(value, list):
        return CommentedSeq([_plain(v) for v in value])
    return value
