"""The text markup that content templates produce, parsed into document blocks.

Templates write plain Dutch text with a few line-start markers (see
templates/README.md): `#`, `##`, `###` headings, `- ` bullets, `- [ ] ` boxes to tick, `1. ` numbered
items, `| a | b |` table rows (the first row is the header; after `[[ondertekening]]` the
rows are a signature block: no frame, no header), `> ` a framed note,
`[[pagina]]` a page break, `[[inhoud]]` the table of contents, and `**vet**` inline.

Answers never count as markup: the renderer wraps every inserted value between
DATA_START and DATA_END, and the parser treats what lies between them as literal
text, whatever it contains (`#`, `|`, `**`, `{{ }}`, new lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DATA_START = "\x0e"
DATA_END = "\x0f"
OPEN_START = "\x01"  # a placeholder for an answer still to give: highlighted
OPEN_END = "\x02"
KEY_MARK = "\x03"  # inside a placeholder: the question that fills it, between two marks (not shown)
SOFT_BREAK = "\x0b"  # a new line inside an answer: a line break in the paragraph

_LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEEDS_CLEANING = re.compile("[\r\x85\u2028\u2029\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Remove characters an XML document cannot hold (control characters, lone surrogates)."""
    if not _NEEDS_CLEANING.search(text):
        return text  # the common case: one scan, no copies
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _LINE_SEPARATORS.search(text):
        text = _LINE_SEPARATORS.sub("\n", text)  # YAML reads these as line breaks too
    return _XML_ILLEGAL.sub("", text)


def data(text: str) -> str:
    """Wrap an answer so the parser keeps it literal; new lines become soft breaks."""
    return DATA_START + clean(text).replace("\n", SOFT_BREAK) + DATA_END


def placeholder(text: str, key: str = "") -> str:
    """A highlighted place to fill in; `key` names the question that fills it ('gemeente_naam',
    'banden/0/partner'), carried unseen to the run."""
    mark = f"{KEY_MARK}{clean(key)}{KEY_MARK}" if key else ""
    return OPEN_START + mark + clean(text).replace("\n", " ") + OPEN_END


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    open: bool = False  # a "[nog invullen: …]" placeholder
    key: str = ""  # of a placeholder: the question that fills it, when the template said so


@dataclass
class Heading:
    level: int
    runs: list[Run]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Paragraph:
    runs: list[Run]
    style: str = "body"  # body, note


@dataclass
class ListBlock:
    ordered: bool
    items: list[list[Run]] = field(default_factory=list)
    checks: bool = False  # "- [ ] " items: a box to tick on paper


@dataclass
class Table:
    header: list[list[Run]]
    rows: list[list[list[Run]]] = field(default_factory=list)
    signature: bool = False  # a signature block: no borders, no header row, room to sign


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Contents:
    pass


@dataclass(frozen=True)
class WritingSpace:
    """Empty ruled lines to write on by hand (the printed workshop sheet)."""

    lines: int


Block = Heading | Paragraph | ListBlock | Table | PageBreak | Contents | WritingSpace

MAX_WRITING_LINES = 30
_WRITING_SPACE = re.compile(r"^\[\[ruimte (\d{1,2})\]\]$")

_NUMBERED = re.compile(r"^\d+[.)] ")


def parse(text: str) -> list[Block]:
    """Parse rendered template text into blocks."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    note = False
    signature = False  # the next table is a signature block

    def flush() -> None:
        nonlocal note
        if paragraph:
            runs = inline(" ".join(paragraph))
            if any(r.text.strip() for r in runs):
                blocks.append(Paragraph(runs, "note" if note else "body"))
            paragraph.clear()
        note = False

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith((DATA_START, OPEN_START)):
            paragraph.append(line)
            continue
        if line == "[[pagina]]":
            flush()
            blocks.append(PageBreak())
        elif line == "[[inhoud]]":
            flush()
            blocks.append(Contents())
        elif line == "[[ondertekening]]":
            flush()
            signature = True
        elif space := _WRITING_SPACE.match(line):
            flush()
            blocks.append(WritingSpace(min(int(space.group(1)), MAX_WRITING_LINES)))
        elif line.startswith("#"):
            flush()
            marks = len(line) - len(line.lstrip("#"))
            if 1 <= marks <= 3 and line[marks : marks + 1] == " ":
                blocks.append(Heading(marks, inline(line[marks + 1 :].strip())))
            else:
                paragraph.append(line)
        elif line.startswith("- ") or _NUMBERED.match(line):
            flush()
            ordered = not line.startswith("- ")
            checks = line.startswith("- [ ] ")
            content = line[6:] if checks else line[2:] if not ordered else line.split(" ", 1)[1]
            last = blocks[-1] if blocks else None
            if isinstance(last, ListBlock) and last.ordered == ordered and last.checks == checks:
                last.items.append(inline(content))
            else:
                blocks.append(ListBlock(ordered, [inline(content)], checks))
        elif line.startswith("|"):
            flush()
            cells = [inline(c.strip()) for c in _split_cells(line)]
            last = blocks[-1] if blocks else None
            if isinstance(last, Table) and not signature:
                width = len(last.header)
                last.rows.append((cells + [[] for _ in range(width)])[:width])
            else:
                blocks.append(Table(cells, signature=signature))
                signature = False
        elif line.startswith("> "):
            if paragraph and not note:
                flush()
            note = True
            paragraph.append(line[2:])
        else:
            paragraph.append(line)
    flush()
    return blocks


def _split_cells(line: str) -> list[str]:
    """Split a table row on '|' outside inserted answers."""
    body = line.strip()[1:]
    if body.endswith("|"):
        body = body[:-1]
    if DATA_START not in body:
        return body.split("|")
    cells: list[str] = []
    current: list[str] = []
    depth = 0
    for char in body:
        if char == DATA_START:
            depth += 1
        elif char == DATA_END:
            depth = max(0, depth - 1)
        if char == "|" and depth == 0:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
    cells.append("".join(current))
    return cells


_TOKENS = re.compile(
    f"({re.escape(DATA_START)}[^{DATA_END}]*{re.escape(DATA_END)}?"
    f"|{re.escape(OPEN_START)}[^{OPEN_END}]*{re.escape(OPEN_END)}?"
    r"|\*\*)"
)


def inline(text: str) -> list[Run]:
    """Split a line into runs: literal answers, placeholders, and **bold** template text."""
    if "**" not in text and OPEN_START not in text:
        # The common case: template text and answers, all plain.
        plain_text = text.replace(DATA_START, "").replace(DATA_END, "")
        return [Run(plain_text)] if plain_text else []
    runs: list[Run] = []
    bold = False
    for piece in _TOKENS.split(text):
        if not piece:
            continue
        if piece == "**":
            bold = not bold
        elif piece[0] == DATA_START:
            runs.append(Run(piece[1:].rstrip(DATA_END), bold))
        elif piece[0] == OPEN_START:
            body, key = piece[1:].rstrip(OPEN_END), ""
            if body.startswith(KEY_MARK):
                key, _, body = body[1:].partition(KEY_MARK)
            runs.append(Run(body, bold, open=True, key=key))
        else:
            runs.append(Run(piece, bold))
    return _merge([r for r in runs if r.text])


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        last = merged[-1] if merged else None
        if last and last.bold == run.bold and last.open == run.open and last.key == run.key:
            merged[-1] = Run(last.text + run.text, run.bold, run.open, run.key)
        else:
            merged.append(run)
    return merged


def plain(runs: list[Run]) -> str:
    return "".join(r.text for r in runs).replace(SOFT_BREAK, "\n")


def outline(blocks: list[Block]) -> str:
    """Return a normalised text outline of the blocks (used for golden tests)."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines.append("#" * block.level + " " + plain(block.runs))
        elif isinstance(block, Paragraph):
            prefix = "> " if block.style == "note" else ""
            lines.append(prefix + plain(block.runs))
        elif isinstance(block, ListBlock):
            for number, item in enumerate(block.items, start=1):
                marker = f"{number}. " if block.ordered else "- [ ] " if block.checks else "- "
                lines.append(marker + plain(item))
        elif isinstance(block, Table):
            if block.signature:
                lines.append("[[ondertekening]]")
            lines.append(" | ".join(plain(c) for c in block.header))
            for row in block.rows:
                lines.append(" | ".join(plain(c) for c in row))
        elif isinstance(block, PageBreak):
            lines.append("[[pagina]]")
        elif isinstance(block, WritingSpace):
            lines.append(f"[[ruimte {block.lines}]]")
        else:
            lines.append("[[inhoud]]")
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md_runs(runs: list[Run]) -> str:
    out = []
    for run in runs:
        text = _MARKDOWN_SPECIAL.sub(r"\\\1", run.text).replace(SOFT_BREAK, "<br>")
        if run.open:
            text = f"<mark>{text}</mark>"
        if run.bold and text.strip():
            text = f"**{text}**"
        out.append(text)
    return "".join(out)


def markdown(blocks: list[Block], title: str = "") -> str:
    """The blocks as Markdown (CommonMark with GitHub tables), for screens and wikis."""
    parts: list[str] = [f"# {_md_runs([Run(title)])}"] if title else []
    shift = 1 if title else 0
    for block in blocks:
        if isinstance(block, Heading):
            parts.append("#" * min(6, block.level + shift) + " " + _md_runs(block.runs))
        elif isinstance(block, Paragraph):
            text = _md_runs(block.runs)
            parts.append("> " + text if block.style == "note" else text)
        elif isinstance(block, ListBlock):
            parts.append(
                "\n".join(
                    (f"{number}. " if block.ordered else "- [ ] " if block.checks else "- ") + _md_runs(item)
                    for number, item in enumerate(block.items, start=1)
                )
            )
        elif isinstance(block, Table):
            rows = [block.header, *block.rows]
            lines = ["| " + " | ".join(_md_runs(cell) for cell in row) + " |" for row in rows]
            lines.insert(1, "|" + "---|" * len(block.header))
            parts.append("\n".join(lines))
        elif isinstance(block, WritingSpace):
            parts.append("\n\n".join(["\\_" * 60] * block.lines))
        elif isinstance(block, PageBreak):
            parts.append("---")
    return "\n\n".join(parts) + "\n"
