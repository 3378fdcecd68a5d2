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
import re
from collections.abc import Mapping
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
_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}]", re.MULTILINE)  # also in text: harmless


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
    """One top-level answer in the file: its own lines, then the comment lines after it."""

    body: str
    tail: str  # blank lines and comment lines at the left margin before the next answer


@dataclass
class _Written:
    """A file as this process last wrote it."""

    text: str
    doc: Any  # its round-trip form, a ruamel CommentedMap
    head: str  # the lines above the first answer
    pieces: dict[str, _Piece] | None  # per top-level key; None: write the file whole


# Per file: what this process last wrote there. A file changed by anyone else is read anew.
_WRITTEN: dict[Path, _Written] = {}


def rewrite(
    target: Path,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    order: list[str],
    titles: Mapping[str, str],
) -> str | None:
    """The file's text with only the changed answers rewritten; None when it cannot be kept.

    `old` is what the file held when it was loaded or last saved, `new` what it must hold;
    `order` is the questionnaire's order of keys, `titles` the section title of each key (a
    new section gets a heading comment, as in a new file).
    """
    written = _read(target)
    if written is None:
        return None
    doc = written.doc
    changed = {key for key in set(old) | set(new) if old.get(key) != new.get(key)}
    _merge_map(doc, old, new, order, titles)
    spliced = None if written.pieces is None else _splice(doc, written.head, written.pieces, changed)
    if spliced is None:
        result = _emit(doc)
        kept = _Written(result, doc, "", None)
    else:
        head, pieces = spliced
        result = head + "".join(piece.body + piece.tail for piece in pieces.values())
        kept = _Written(result, doc, head, pieces)
    if not _reads_back(result, set(new), set(old) - set(new)):
        forget(target)
        return None  # never write what cannot be read: the caller writes the answers plainly
    _WRITTEN[target] = kept
    return result


def remember(target: Path) -> None:
    """Read and cut the file now, so that its first save costs no more than the next one."""
    _read(target)


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
    try:
        doc = _yaml().load(text)
    except YAMLError:
        return None
    if not isinstance(doc, CommentedMap):
        return None
    _WRITTEN[target] = _cut(text, doc)
    return _WRITTEN[target]


def _reads_back(text: str, present: set[str], removed: set[str]) -> bool:
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
    doc: Any, head: str, before: dict[str, _Piece], changed: set[str]
) -> tuple[str, dict[str, _Piece]] | None:
    """The pieces after a change: the emitter writes only the answers that changed.

    The comment lines after an answer stay where they are, also when the answer is changed
    or removed (a section heading is never lost); None when the emitter's text cannot be
    fitted in (a block scalar that keeps its final blank lines).
    """
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
        if known is not None and key not in changed:
            pieces[key] = _Piece(known.body, tails[key])
            last = key
            continue
        body = _emit_one(doc, key)
        if _KEEPS_BLANKS.search(body):
            return None
        lines = body.splitlines(keepends=True)
        while lines and _is_tail_line(lines[-1]):
            lines.pop()  # the comment lines after it are the file's own, kept in the tail
        lead = ""
        while lines and _is_tail_line(lines[0]):
            lead += lines.pop(0)  # comment lines above an answer belong to the piece before it
        if not lines or not lines[0].startswith(f"{key}:"):
            return None  # not the shape this splice expects: the file is written whole
        if known is None and lead:  # the heading of a new section
            if last is None:
                head += lead
            else:
                pieces[last].tail += lead
        pieces[key] = _Piece("".join(lines), tails[key] if known is not None else "")
        last = key
    return head, pieces


_KEEPS_BLANKS = re.compile(r"[|>][1-9]?\+")  # a block scalar whose final blank lines are content


def _is_tail_line(line: str) -> bool:
    return not line.strip() or line.startswith("#")


def _cut(text: str, doc: Any) -> _Written:
    """The file's text cut into the lines above the first answer and one piece per answer."""
    whole = _Written(text, doc, "", None)
    if not doc or _ODD_BREAKS.search(text) or getattr(doc, "merge", None):
        return whole
    if _ANCHOR_OR_ALIAS.search(text) or _KEEPS_BLANKS.search(text) or _anchored(doc):
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
        own = text[bounds[number] : bounds[number + 1]].splitlines(keepends=True)
        if not own or not own[0].startswith(f"{key}:"):
            return whole  # a key written in quotes, or the parser counted lines differently
        split = len(own)
        while split > 1 and _is_tail_line(own[split - 1]):
            split -= 1
        pieces[key] = _Piece("".join(own[:split]), "".join(own[split:]))
    return _Written(text, doc, text[: bounds[0]], pieces)


def _anchored(node: Any, seen: set[int] | None = None) -> bool:
    """Whether anything in the document has an anchor or is used twice (an alias)."""
    seen = set() if seen is None else seen
    anchor = getattr(node, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None):
        return True
    if isinstance(node, dict | list):
        if id(node) in seen:
            return True
        seen.add(id(node))
        children = node.values() if isinstance(node, dict) else node
        return any(_anchored(child, seen) for child in children)
    return False


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")  # one per call: a YAML object holds the emitter's state while it dumps
    yaml.preserve_quotes = True
    yaml.width = WIDTH
    return yaml


def _emit(doc: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(doc, stream)
    return stream.getvalue()


def _emit_one(doc: Any, key: str) -> str:
    """One top-level key as the emitter writes it, with the comments ruamel.yaml keeps with it."""
    from ruamel.yaml.comments import CommentedMap

    alone = CommentedMap()
    alone[key] = doc[key]
    if key in doc.ca.items:
        alone.ca.items[key] = doc.ca.items[key]
    return _emit(alone)


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


def _plain(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    value = writable(value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, dict):
        result = CommentedMap()
        for key, item in value.items():
            result[key] = _plain(item)
        return result
    if isinstance(value, list):
        return CommentedSeq([_plain(v) for v in value])
    return value
