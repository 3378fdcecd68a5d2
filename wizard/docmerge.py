"""Three-way merge of Word bodies: the griffier's edited document, the tool's old and new text.

`merge(base, edited, new)` takes three parsed w:document elements: the document as the
tool wrote it from the old answers (base), the same document after the griffier's work in
Word or LibreOffice (edited), and the document the tool writes from the new answers (new).
It changes `edited` in place:

- what the griffier left and the tool changed becomes a tracked change (w:del / w:ins,
  author "beleidsnotitie"), word by word where a sentence changed a little;
- what the griffier changed and the tool left stays as the griffier wrote it;
- where both changed, the griffier's text stays and gets a comment with the tool's text;
- paragraphs, table rows and tables the tool adds are inserted as tracked insertions at
  their place, those it removes are tracked deletions.

Paragraphs and table rows are matched by their text (difflib), since Word and LibreOffice
do not keep any id of ours. Only the body is merged: header, footer and the table of
contents (a field Word fills in itself) are left alone.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHOR = "beleidsnotitie"
_SIMILAR = 0.5  # two paragraphs this alike (difflib ratio) are the same paragraph, edited
_WORDWISE = 0.4  # below this, a changed paragraph is shown as wholly replaced, not word by word


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


_TOC_STYLE = re.compile(r"(?i)^(toc|contents|inhopg|inhoudsopgave)\s?\d$")
# What a run may hold for the tool to change it word by word; anything else (a field, a
# picture, a footnote reference) is left to the griffier, with a comment.
_RUN_PARTS = {
    q(t) for t in ("rPr", "t", "tab", "br", "cr", "lastRenderedPageBreak", "noBreakHyphen", "softHyphen")
}
_PARAGRAPH_PARTS = {
    q(t)
    for t in (
        "pPr",
        "r",
        "bookmarkStart",
        "bookmarkEnd",
        "proofErr",
        "permStart",
        "permEnd",
        "commentRangeStart",
        "commentRangeEnd",
    )
}


def normal(text: str) -> str:
    """Text as compared: no-break spaces as spaces, runs of white space as one space."""
    return " ".join(text.replace("\u00a0", " ").split())


def paragraph_text(p: Any) -> str:
    """The text of a paragraph as a reader sees it with all changes accepted."""
    out = []
    for node in p.iter(q("t"), q("tab"), q("br"), q("cr"), q("noBreakHyphen"), q("del"), q("moveFrom")):
        if _inside_deletion(node, p):
            continue
        if node.tag == q("t"):
            out.append(node.text or "")
        elif node.tag == q("tab"):
            if node.getparent().tag == q("r"):
                out.append("\t")
        elif node.tag in (q("br"), q("cr")):
            if node.get(q("type")) in (None, "textWrapping"):
                out.append("\n")
        elif node.tag == q("noBreakHyphen"):
            out.append("-")
    return "".join(out)


def _inside_deletion(node: Any, stop: Any) -> bool:
    parent = node.getparent() if node.tag in (q("del"), q("moveFrom")) else node
    while parent is not None and parent is not stop:
        if parent.tag in (q("del"), q("moveFrom")):
            return True
        parent = parent.getparent()
    return False


@dataclass
class Item:
    """A paragraph or a table row of the body, with its text (per cell for a row)."""

    element: Any
    texts: list[str]

    @property
    def row(self) -> bool:
        return bool(self.element.tag == q("tr"))

    @property
    def key(self) -> str:
        if self.row:
            return "r:" + " | ".join(normal(t) for t in self.texts)
        return "p:" + normal(self.texts[0])


def _style(p: Any) -> str:
    style = p.find(f"{q('pPr')}/{q('pStyle')}")
    return str(style.get(q("val"), "")) if style is not None else ""


def items(body: Any) -> list[Item]:
    """The body's paragraphs and table rows in reading order (content controls opened up)."""
    out: list[Item] = []

    def walk(parent: Any) -> None:
        for child in parent:
            if child.tag == q("p"):
                if not _TOC_STYLE.match(_style(child)):
                    out.append(Item(child, [paragraph_text(child)]))
            elif child.tag == q("tbl"):
                for row in child.iterchildren(q("tr")):
                    cells = [
                        "\n".join(paragraph_text(p) for p in cell.iterchildren(q("p")))
                        for cell in row.iterchildren(q("tc"))
                    ]
                    out.append(Item(row, cells))
            elif child.tag == q("sdt"):
                content = child.find(q("sdtContent"))
                gallery = child.find(f"{q('sdtPr')}/{q('docPartObj')}/{q('docPartGallery')}")
                if content is not None and (gallery is None or "Contents" not in gallery.get(q("val"), "")):
                    walk(content)

    walk(body)
    return out


def align(a: Sequence[Item], b: Sequence[Item]) -> dict[int, int]:
    """Index in `a` → index in `b` of the same paragraph or row (the same text, or edited a little)."""
    matcher = SequenceMatcher(None, [i.key for i in a], [i.key for i in b], autojunk=False)
    pairs: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.update(zip(range(i1, i2), range(j1, j2), strict=True))
        elif tag == "replace":
            start = j1
            for i in range(i1, i2):
                best, score = None, _SIMILAR
                for j in range(start, j2):
                    if a[i].row != b[j].row:
                        continue
                    matcher_ij = SequenceMatcher(None, a[i].key, b[j].key, autojunk=False)
                    # the cheap upper bounds first: most pairs are far apart
                    if matcher_ij.real_quick_ratio() < score or matcher_ij.quick_ratio() < score:
                        continue
                    ratio = matcher_ij.ratio()
                    if ratio >= score:
                        best, score = j, ratio
                if best is not None:
                    pairs[i] = best
                    start = best + 1
    return pairs


# --- the changes ----------------------------------------------------------------------------


@dataclass
class Conflict:
    """A place where the griffier and the tool both changed the text."""

    element: Any  # the paragraph that gets the comment
    old: str  # the tool's old text
    new: str  # the tool's new text ("" when the tool removes it)


@dataclass
class Result:
    changes: int = 0  # tracked changes made (a paragraph, row or table counts once)
    conflicts: list[Conflict] = field(default_factory=list)
    kept: int = 0  # changes of the tool to text the griffier removed: left out


class _Marks:
    """w:ins / w:del elements with unique ids, one author and one date."""

    def __init__(self, start: int, when: dt.datetime) -> None:
        self.next_id = start
        self.date = when.strftime("%Y-%m-%dT%H:%M:%SZ")

    def mark(self, tag: str) -> Any:
        from lxml import etree

        element = etree.Element(q(tag))
        element.set(q("id"), str(self.next_id))
        element.set(q("author"), AUTHOR)
        element.set(q("date"), self.date)
        self.next_id += 1
        return element


def _run(rpr: Any, text: str, deleted: bool = False) -> Any:
    """A run with `rpr`'s look holding `text` (tabs and line breaks as Word's own elements)."""
    from lxml import etree

    run = etree.Element(q("r"))
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    for index, line in enumerate(text.split("\n")):
        if index:
            etree.SubElement(run, q("br"))
        for number, piece in enumerate(line.split("\t")):
            if number:
                etree.SubElement(run, q("tab"))
            if piece:
                t = etree.SubElement(run, q("delText" if deleted else "t"))
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _run_text(run: Any) -> str:
    out = []
    for node in run:
        if node.tag == q("t"):
            out.append(node.text or "")
        elif node.tag == q("tab"):
            out.append("\t")
        elif node.tag in (q("br"), q("cr")):
            out.append("\n")
        elif node.tag == q("noBreakHyphen"):
            out.append("-")
    return "".join(out)


def simple(p: Any) -> bool:
    """Whether the tool can change this paragraph word by word (plain runs only)."""
    for child in p:
        if child.tag not in _PARAGRAPH_PARTS:
            return False
        if child.tag == q("r"):
            for node in child:
                if node.tag not in _RUN_PARTS:
                    return False
                if node.tag == q("br") and node.get(q("type")) not in (None, "textWrapping"):
                    return False
    return True


_TOKENS = re.compile(r"[ \t\n\u00a0]+|[^ \t\n\u00a0]+")


def _opcodes(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """Word-level edit operations from `old` to `new`, in character offsets."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < _WORDWISE:
        return [("replace", 0, len(old), 0, len(new))]
    at = [0]
    for token in a:
        at.append(at[-1] + len(token))
    bt = [0]
    for token in b:
        bt.append(bt[-1] + len(token))
    return [(tag, at[i1], at[i2], bt[j1], bt[j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def rewrite(p: Any, new: str, marks: _Marks) -> None:
    """Change a simple paragraph's text to `new` as tracked changes, keeping each run's look."""
    runs = [child for child in p if child.tag == q("r")]
    old = "".join(_run_text(r) for r in runs)
    ops = _opcodes(old, new)
    inserted: set[int] = set()
    position = 0
    for run in runs:
        text = _run_text(run)
        start, end = position, position + len(text)
        position = end
        if not text:
            continue
        rpr = run.find(q("rPr"))
        pieces: list[Any] = []
        for number, (tag, i1, i2, j1, j2) in enumerate(ops):
            lo, hi = max(i1, start), min(i2, end)
            if lo < hi:
                if tag == "equal":
                    pieces.append(_run(rpr, old[lo:hi]))
                else:
                    deletion = marks.mark("del")
                    deletion.append(_run(rpr, old[lo:hi], deleted=True))
                    pieces.append(deletion)
            here = start < i2 <= end or (i2 == 0 and start == 0)
            if tag in ("insert", "replace") and j1 < j2 and number not in inserted and here:
                insertion = marks.mark("ins")
                insertion.append(_run(rpr, new[j1:j2]))
                pieces.append(insertion)
                inserted.add(number)
        for piece in pieces:
            run.addprevious(piece)
        p.remove(run)
    rest = [(number, op) for number, op in enumerate(ops) if op[0] in ("insert", "replace") and op[3] < op[4]]
    for number, (_, _, _, j1, j2) in rest:
        if number in inserted:
            continue
        rpr = runs[-1].find(q("rPr")) if runs else None
        insertion = marks.mark("ins")
        insertion.append(_run(rpr, new[j1:j2]))
        _append_content(p, insertion)


def _append_content(p: Any, element: Any) -> None:
    """Put `element` at the end of the paragraph's content (before a comment's end mark)."""
    last = p[-1] if len(p) else None
    if last is not None and last.tag in (q("commentRangeEnd"), q("bookmarkEnd")):
        last.addprevious(element)
    else:
        p.append(element)


# Elements that come after w:rPr in w:pPr, and after w:ins/w:del in w:trPr (schema order).
_AFTER_RPR = (q("sectPr"), q("pPrChange"))


def _mark_paragraph(p: Any, tag: str, marks: _Marks) -> None:
    """Mark the paragraph's own end (its mark) as inserted or deleted."""
    from lxml import etree

    ppr = p.find(q("pPr"))
    if ppr is None:
        ppr = etree.Element(q("pPr"))
        p.insert(0, ppr)
    rpr = ppr.find(q("rPr"))
    if rpr is None:
        rpr = etree.Element(q("rPr"))
        following = [child for child in ppr if child.tag in _AFTER_RPR]
        if following:
            following[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, marks.mark(tag))


def _mark_row(row: Any, tag: str, marks: _Marks) -> None:
    from lxml import etree

    trpr = row.find(q("trPr"))
    if trpr is None:
        trpr = etree.Element(q("trPr"))
        tblpr_ex = row.find(q("tblPrEx"))
        if tblpr_ex is not None:
            tblpr_ex.addnext(trpr)
        else:
            row.insert(0, trpr)
    change = trpr.find(q("trPrChange"))
    if change is not None:
        change.addprevious(marks.mark(tag))
    else:
        trpr.append(marks.mark(tag))


def delete_runs(p: Any, marks: _Marks) -> None:
    """Wrap every run of the paragraph in a tracked deletion."""
    for run in [child for child in p if child.tag == q("r")]:
        for node in run.iter(q("t"), q("instrText")):
            node.tag = q("delText") if node.tag == q("t") else q("delInstrText")
        deletion = marks.mark("del")
        run.addprevious(deletion)
        deletion.append(run)


def insert_runs(p: Any, marks: _Marks) -> None:
    for run in [child for child in p if child.tag == q("r")]:
        insertion = marks.mark("ins")
        run.addprevious(insertion)
        insertion.append(run)


def _deletable(element: Any) -> bool:
    paragraphs = [element] if element.tag == q("p") else list(element.iter(q("p")))
    return all(simple(p) for p in paragraphs)


def delete_item(element: Any, marks: _Marks) -> None:
    if element.tag == q("tr"):
        _mark_row(element, "del", marks)
        for p in element.iter(q("p")):
            delete_runs(p, marks)
    else:
        delete_runs(element, marks)
        _mark_paragraph(element, "del", marks)


def insert_item(element: Any, marks: _Marks) -> None:
    if element.tag == q("tr"):
        _mark_row(element, "ins", marks)
        for p in element.iter(q("p")):
            insert_runs(p, marks)
            _mark_paragraph(p, "ins", marks)
    else:
        insert_runs(element, marks)
        _mark_paragraph(element, "ins", marks)


# --- the merge -------------------------------------------------------------------------------


def merge(base: Any, edited: Any, new: Any, when: dt.datetime | None = None) -> Result:
    """Bring the change from `base` to `new` into `edited` (all w:document roots); see the module."""
    body_b, body_e, body_n = (root.find(q("body")) for root in (base, edited, new))
    base_items, edited_items, new_items = items(body_b), items(body_e), items(body_n)
    to_edited = align(base_items, edited_items)
    to_new = align(base_items, new_items)
    ids = [int(v) for v in edited.xpath("//@w:id", namespaces={"w": W}) if str(v).lstrip("-").isdigit()]
    marks = _Marks(max(ids, default=0) + 1, when or dt.datetime.now(dt.UTC))
    result = Result()

    for i, base_item in enumerate(base_items):
        e, n = to_edited.get(i), to_new.get(i)
        new_item = new_items[n] if n is not None else None
        if e is None:
            if new_item is None or new_item.key != base_item.key:
                result.kept += 1
            continue
        edited_item = edited_items[e]
        if new_item is None:
            if edited_item.key == base_item.key and _deletable(edited_item.element):
                delete_item(edited_item.element, marks)
                result.changes += 1
            elif normal(_plain(base_item)):
                result.conflicts.append(Conflict(_anchor(edited_item.element), _plain(base_item), ""))
            continue
        if new_item.key == base_item.key:
            continue
        if base_item.row:
            _merge_row(base_item, edited_item, new_item, marks, result)
        else:
            _merge_text(
                edited_item.element,
                base_item.texts[0],
                edited_item.texts[0],
                new_item.texts[0],
                marks,
                result,
            )

    _insert_new(base_items, edited_items, new_items, to_edited, to_new, marks, result)
    return result


def _plain(item: Item) -> str:
    return " | ".join(item.texts) if item.row else item.texts[0]


def _anchor(element: Any) -> Any:
    """The paragraph a comment about `element` goes into (a row's first paragraph)."""
    return element if element.tag == q("p") else next(element.iter(q("p")))


def _merge_text(p: Any, base: str, edited: str, new: str, marks: _Marks, result: Result) -> None:
    if normal(new) == normal(base) or normal(edited) == normal(new):
        return
    if normal(edited) == normal(base) and simple(p):
        rewrite(p, new, marks)
        result.changes += 1
    else:
        result.conflicts.append(Conflict(p, base, new))


def _merge_row(base: Item, edited: Item, new: Item, marks: _Marks, result: Result) -> None:
    cells = list(edited.element.iterchildren(q("tc")))
    if not (len(base.texts) == len(edited.texts) == len(new.texts) == len(cells)):
        if edited.key == base.key:
            _replace_row(edited, new, marks, result)
        else:
            result.conflicts.append(Conflict(_anchor(edited.element), _plain(base), _plain(new)))
        return
    for cell, b_text, e_text, n_text in zip(cells, base.texts, edited.texts, new.texts, strict=True):
        paragraphs = list(cell.iterchildren(q("p")))
        if normal(b_text) == normal(n_text) or normal(e_text) == normal(n_text):
            continue
        if len(paragraphs) == 1 and "\n" not in n_text:
            _merge_text(paragraphs[0], b_text, e_text, n_text, marks, result)
        elif paragraphs:
            result.conflicts.append(Conflict(paragraphs[0], b_text, n_text))


def _replace_row(edited: Item, new: Item, marks: _Marks, result: Result) -> None:
    """A row whose cells changed in number: the old row deleted, the new one inserted."""
    copied = copy.deepcopy(new.element)
    delete_item(edited.element, marks)
    insert_item(copied, marks)
    edited.element.addnext(copied)
    result.changes += 1


def _insert_new(
    base_items: Sequence[Item],
    edited_items: Sequence[Item],
    new_items: Sequence[Item],
    to_edited: dict[int, int],
    to_new: dict[int, int],
    marks: _Marks,
    result: Result,
) -> None:
    """Insert what only the new document has, each after the place of what comes before it."""
    from_new = {n: i for i, n in to_new.items()}
    tables: dict[Any, Any] = {}  # table in the new document → the same table in the edited one
    for i, n in to_new.items():
        at = to_edited.get(i)
        if at is not None and base_items[i].row:
            tables[new_items[n].element.getparent()] = edited_items[at].element.getparent()
    body = edited_items[0].element.getparent() if edited_items else None
    cursor: Any = None
    for n, new_item in enumerate(new_items):
        base_index = from_new.get(n)
        if base_index is not None:
            at = to_edited.get(base_index)
            if at is not None:
                cursor = edited_items[at].element
            continue
        copied = copy.deepcopy(new_item.element)
        if not new_item.row:
            _fit_list(copied, cursor)
            insert_item(copied, marks)
            _place(copied, cursor, body, table_end=True)
        else:
            new_table = new_item.element.getparent()
            table = tables.get(new_table)
            insert_item(copied, marks)
            if cursor is not None and cursor.tag == q("tr") and cursor.getparent() is table:
                cursor.addnext(copied)
            elif table is not None and table.find(q("tr")) is not None and cursor is None:
                table.insert(list(table).index(table.find(q("tr"))), copied)
            else:
                shell = copy.deepcopy(new_table)
                for row in shell.findall(q("tr")):
                    shell.remove(row)
                _place(shell, cursor, body, table_end=True)
                shell.append(copied)
                tables[new_table] = shell
        cursor = copied
        if normal(_plain(new_item)):
            result.changes += 1


def _place(element: Any, cursor: Any, body: Any, table_end: bool) -> None:
    if cursor is None:
        if body is not None:
            body.insert(0, element)
        return
    if cursor.tag == q("tr") and table_end:
        cursor = cursor.getparent()
    cursor.addnext(element)


def _fit_list(p: Any, cursor: Any) -> None:
    """An inserted list item takes the numbering of the list item it follows, if any; the new
    document's own numbering ids mean nothing in the edited one."""
    num = p.find(f"{q('pPr')}/{q('numPr')}")
    if num is None:
        return
    theirs = cursor.find(f"{q('pPr')}/{q('numPr')}") if cursor is not None and cursor.tag == q("p") else None
    if theirs is not None:
        num.getparent().replace(num, copy.deepcopy(theirs))
    else:
        num.getparent().remove(num)


# --- comments --------------------------------------------------------------------------------


def comment(p: Any, comment_id: int) -> None:
    """Anchor comment `comment_id` on the whole paragraph."""
    from lxml import etree

    start = etree.Element(q("commentRangeStart"))
    start.set(q("id"), str(comment_id))
    ppr = p.find(q("pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    end = etree.SubElement(p, q("commentRangeEnd"))
    end.set(q("id"), str(comment_id))
    run = etree.SubElement(p, q("r"))
    reference = etree.SubElement(run, q("commentReference"))
    reference.set(q("id"), str(comment_id))


def comment_element(comment_id: int, lines: Sequence[str], date: str) -> Any:
    """A w:comment with one paragraph per line."""
    from lxml import etree

    element = etree.Element(q("comment"), nsmap={"w": W})
    element.set(q("id"), str(comment_id))
    element.set(q("author"), AUTHOR)
    element.set(q("date"), date)
    element.set(q("initials"), "BN")
    for index, line in enumerate(lines):
        p = etree.SubElement(element, q("p"))
        if index == 0:
            ref = etree.SubElement(p, q("r"))
            etree.SubElement(ref, q("annotationRef"))
        p.append(_run(None, line))
    return element


def add_comments(
    edited: Any,
    comments: Any,
    conflicts: Sequence[Conflict],
    text: Callable[[Conflict], list[str]],
    date: str,
) -> None:
    """Anchor a comment per conflict in `edited` and add its text to the w:comments root."""
    ids = [int(c.get(q("id"))) for c in comments.iterchildren(q("comment")) if c.get(q("id"), "").isdigit()]
    ids += [int(v) for v in edited.xpath("//w:commentRangeStart/@w:id", namespaces={"w": W}) if v.isdigit()]
    next_id = max(ids, default=-1) + 1
    for conflict in conflicts:
        comment(conflict.element, next_id)
        comments.append(comment_element(next_id, text(conflict), date))
        next_id += 1
