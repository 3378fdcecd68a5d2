"""Bijwerken: changed answers brought into a griffier's edited document as tracked changes.

Every example, both documents: the griffier edits the generated document (two paragraphs
rewritten, one added, one deleted, a table cell changed, and one paragraph changed that the
tool changes too), saved the way Word saves (split runs, rsids, proofing marks, bookmarks)
or through a real LibreOffice round trip; the answers change (the budget, a tie's
proposal, a goal's year, a new tie, an ended tie). The tests assert relations, not
sentences: accepting every change gives the new rendering with the griffier's edits,
rejecting every change gives the griffier's document back, the new budget is inside a
w:ins and the old one inside a w:del, the conflict carries a comment with the tool's text.
"""

from __future__ import annotations

import copy
import difflib
import io
import itertools
import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import docx
import pytest
from docx.text.paragraph import Paragraph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import example
from wizard import answers as answers_mod
from wizard import office, provenance, update
from wizard.draft import Drafter

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
EXAMPLES = ("lindewijk", "veendrecht", "oosterhaven")
KINDS = ("notitie", "raadsvoorstel")
REWRITTEN = "Deze alinea schreef de griffier helemaal opnieuw, in eigen woorden."
PREFIX = "Volgens de griffier: "
ADDED = "Een eigen alinea van de griffier, die nergens uit de antwoorden komt."
CELL = " (aangepast door de griffier)"
BOTH = " De griffier voegde hier een zin toe."
FOREIGN = b'<?xml version="1.0"?><zaak xmlns="urn:voorbeeld:zaaksysteem"><nummer>Z-2026-0042</nummer></zaak>'


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


# --- reading a document's text, independently of the code under test -------------------------


def _normal(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _text(p: Any, deleted: bool = False) -> str:
    """A paragraph's text; `deleted`: the text of w:delText too (for the rejected view)."""
    wanted = {q("t"), q("delText")} if deleted else {q("t")}
    return "".join(node.text or "" for node in p.iter() if node.tag in wanted)


def texts(root: Any, deleted: bool = False) -> list[str]:
    """The body's non-empty paragraphs and table rows (cells joined by ' | '), TOC lines left out."""
    out = []
    body = root.find(q("body"))
    for child in body.iter(q("p"), q("tr")):
        if child.tag == q("p"):
            if any(a.tag == q("tc") for a in child.iterancestors()):
                continue
            style = child.find(f"{q('pPr')}/{q('pStyle')}")
            if style is not None and re.match(r"(?i)(toc|contents)\s?\d", style.get(q("val"), "")):
                continue
            text = _normal(_text(child, deleted))
        else:
            cells = [
                _normal(" ".join(_text(p, deleted) for p in cell.iter(q("p"))))
                for cell in child.iter(q("tc"))
            ]
            text = " | ".join(cells) if any(cells) else ""
        if text:
            out.append(text)
    return out


def document_xml(data: bytes) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def accept_all(root: Any) -> Any:
    """Word's "accept all changes": deletions go, insertions stay, deleted rows and marks go."""
    root = copy.deepcopy(root)
    for mark in list(root.iter(q("del"))):
        parent = mark.getparent()
        if parent.tag == q("rPr"):
            parent.getparent().getparent().set("weg", "1")
            parent.remove(mark)
        elif parent.tag == q("trPr"):
            row = parent.getparent()
            row.getparent().remove(row)
        else:
            parent.remove(mark)
    _unwrap(root, "ins")
    for p in list(root.iter(q("p"))):
        if p.get("weg") and not _normal(_text(p)):
            p.getparent().remove(p)
    return root


def reject_all(root: Any) -> Any:
    """Word's "reject all changes": insertions go (also inserted rows), deletions come back."""
    root = copy.deepcopy(root)
    for mark in list(root.iter(q("ins"))):
        parent = mark.getparent()
        if parent.tag == q("rPr"):
            parent.getparent().getparent().set("weg", "1")
            parent.remove(mark)
        elif parent.tag == q("trPr"):
            row = parent.getparent()
            row.getparent().remove(row)
        else:
            parent.remove(mark)
    _unwrap(root, "del")
    for p in list(root.iter(q("p"))):
        if p.get("weg") and not _normal(_text(p, deleted=True)):
            p.getparent().remove(p)
    return root


def _unwrap(root: Any, tag: str) -> None:
    for mark in list(root.iter(q(tag))):
        parent = mark.getparent()
        if parent.tag in (q("rPr"), q("trPr")):
            parent.remove(mark)
            continue
        at = parent.index(mark)
        for child in list(mark):
            parent.insert(at, child)
            at += 1
        parent.remove(mark)


def marked_text(root: Any, tag: str) -> str:
    """All text inside w:ins (tag 'ins') or w:del ('del') elements, normalised."""
    inner = "delText" if tag == "del" else "t"
    return _normal(" ".join(node.text or "" for mark in root.iter(q(tag)) for node in mark.iter(q(inner))))


# --- the griffier's work ------------------------------------------------------------------------


def changed_answers(values: dict[str, Any]) -> dict[str, Any]:
    """The budget, a tie's proposal, a goal's year, a new tie and an ended tie (where the example has them)."""
    new = copy.deepcopy(values)
    new["budget_jaar"] = int(values.get("budget_jaar") or 0) + 2500
    ties = new.setdefault("partnerschappen", [])
    if ties:
        first = ties[0]
        first["advies"] = "voortzetten" if first.get("advies") != "voortzetten" else "aanpassen"
        if first["advies"] == "aanpassen":
            first["wijzigingen"] = "Minder reizen, meer contact via scholen."
    if len(ties) >= 2:
        last = ties[-2]
        last["advies"] = "beeindigen"
        last["afbouw_reden"] = "De band past niet meer bij de doelen."
        last["afbouw_jaar"] = 2028
    ties.append(
        {"partner": "Gdańsk", "land": "Polen", "sinds": 2026, "soort": "stedenband", "advies": "voortzetten"}
    )
    goals = new.setdefault("doelen", [])
    if goals and goals[0].get("termijn"):
        goals[0]["termijn"] = int(goals[0]["termijn"]) + 1
    else:
        goals.insert(
            0, {"omschrijving": "Inwoners kennen de partnerstad", "motief": "ideeel", "termijn": 2030}
        )
    return new


@dataclass
class Scenario:
    name: str
    kind: str
    base: bytes
    edited: bytes
    new_answers: answers_mod.Answers
    new: bytes
    expected: list[str]  # the new rendering with the griffier's edits
    conflict: str  # the griffier's text where the tool changed the text too
    conflict_new: str  # the tool's new text there
    kept: list[str] = field(default_factory=list)  # texts only the griffier wrote
    removed: str = ""  # the paragraph the griffier deleted


def _pick(base: list[str], new: list[str]) -> tuple[list[str], list[str], str, str]:
    """Paragraphs the tool leaves (unique in both), rows the tool leaves, and a paragraph the
    tool changes with its new text."""
    same = [t for t in base if base.count(t) == 1 and new.count(t) == 1 and len(t) > 60 and " | " not in t]
    rows = [t for t in base if base.count(t) == 1 and new.count(t) == 1 and " | " in t and len(t) > 20]
    changed = ""
    counterpart = ""
    for text in base:
        if text in new or " | " in text or len(text) < 40 or base.count(text) > 1:
            continue
        close = difflib.get_close_matches(text, [t for t in new if t not in base], n=1, cutoff=0.75)
        if close:
            changed, counterpart = text, close[0]
            break
    return same, rows, changed, counterpart


def _paragraph(document: Any, text: str) -> Any:
    return next(p for p in document.paragraphs if _normal(p.text) == text)


def _set_text(paragraph: Any, text: str) -> None:
    runs = paragraph.runs
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def word_like(root: Any) -> None:
    """Make a python-docx file look like Word saved it: rsids, runs split in pieces with
    proofing marks between them, bookmarks, last-rendered page breaks."""
    bookmark = 900
    for number, p in enumerate(root.iter(q("p"))):
        p.set(q("rsidR"), f"00{number % 256:02X}3A1F")
        p.set(q("rsidRDefault"), "00B12C3D")
        for run in [r for r in p if r.tag == q("r")]:
            t = run.find(q("t"))
            if t is None or len(t.text or "") < 12 or len(run) > 2:
                continue
            text = t.text or ""
            cut = [0, len(text) // 3, 2 * len(text) // 3, len(text)]
            pieces = []
            for start, end in itertools.pairwise(cut):
                piece = copy.deepcopy(run)
                piece.set(q("rsidR"), "00C4D5E6")
                piece.find(q("t")).text = text[start:end]
                piece.find(q("t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                pieces.append(piece)
            run.addprevious(pieces[0])
            run.addprevious(etree.Element(q("proofErr"), {q("type"): "spellStart"}))
            run.addprevious(pieces[1])
            run.addprevious(etree.Element(q("proofErr"), {q("type"): "spellEnd"}))
            run.addprevious(pieces[2])
            if number % 7 == 0:
                pieces[2].insert(
                    1 if pieces[2].find(q("rPr")) is not None else 0,
                    etree.Element(q("lastRenderedPageBreak")),
                )
            p.remove(run)
        if number % 5 == 0 and len(p):
            start = etree.Element(q("bookmarkStart"), {q("id"): str(bookmark), q("name"): f"_Ref{bookmark}"})
            end = etree.Element(q("bookmarkEnd"), {q("id"): str(bookmark)})
            ppr = p.find(q("pPr"))
            (ppr.addnext(start) if ppr is not None else p.insert(0, start))
            p.append(end)
            bookmark += 1


def scenario(drafter: Drafter, name: str, kind: str) -> Scenario:
    old = drafter.load(example(name))
    new_answers = answers_mod.from_mapping(changed_answers(old.values), drafter.questionnaire)
    base = drafter.docx(old, kind)
    new = drafter.docx(new_answers, kind)
    base_texts, new_texts = texts(document_xml(base)), texts(document_xml(new))
    same, rows, changed, counterpart = _pick(base_texts, new_texts)
    assert len(same) >= 6 and rows and changed, (name, kind, len(same), len(rows), changed)

    # the griffier's edits, as python-docx makes them
    document = docx.Document(io.BytesIO(base))
    prefixed, rewritten, removed = same[0], same[len(same) // 2], same[-1]
    anchor = next(
        t
        for t in same[1:-1]
        if t != rewritten
        and base_texts.index(t) + 1 < len(base_texts)
        and new_texts.index(t) + 1 < len(new_texts)
        and base_texts[base_texts.index(t) + 1] == new_texts[new_texts.index(t) + 1]
        and base_texts[base_texts.index(t) + 1] not in (prefixed, rewritten, removed)
    )
    first = _paragraph(document, prefixed)
    first.runs[0].text = PREFIX + first.runs[0].text
    _set_text(_paragraph(document, rewritten), REWRITTEN)
    after = _paragraph(document, anchor)
    added = copy.deepcopy(after._p)
    after._p.addnext(added)
    _set_text(Paragraph(added, after._parent), ADDED)
    gone = _paragraph(document, removed)
    gone._p.getparent().remove(gone._p)
    row_text = rows[0]
    cell_row = next(
        row
        for table in document.tables
        for row in table.rows
        if " | ".join(_normal(c.text) for c in row.cells) == row_text
    )
    cell_row.cells[0].paragraphs[0].add_run(CELL)
    both = _paragraph(document, changed)
    both.add_run(BOTH)
    word_like(document.element)
    buffer = io.BytesIO()
    document.save(buffer)

    # what accepting every change must give: the new rendering with the same edits
    expected = list(new_texts)
    expected[expected.index(prefixed)] = _normal(PREFIX + prefixed)
    expected[expected.index(rewritten)] = REWRITTEN
    expected.insert(expected.index(anchor) + 1, ADDED)
    expected.remove(removed)
    cells = row_text.split(" | ")
    expected[expected.index(row_text)] = " | ".join([_normal(cells[0] + CELL), *cells[1:]])
    expected[expected.index(counterpart)] = _normal(changed + BOTH)
    return Scenario(
        name,
        kind,
        base,
        buffer.getvalue(),
        new_answers,
        new,
        expected,
        _normal(changed + BOTH),
        counterpart,
        kept=[
            _normal(PREFIX + prefixed),
            REWRITTEN,
            ADDED,
            _normal(cells[0] + CELL),
            _normal(changed + BOTH),
        ],
        removed=removed,
    )


@pytest.fixture(scope="module")
def scenarios(drafter: Drafter) -> dict[tuple[str, str], Scenario]:
    return {(name, kind): scenario(drafter, name, kind) for name in EXAMPLES for kind in KINDS}


def _amount(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def check_update(
    item: Scenario, edited: bytes, drafter: Drafter, tmp_path: Path
) -> tuple[update.Outcome, Any]:
    """Run bijwerken on `edited` and assert what must hold for any saved form of it."""
    outcome = update.update(edited, f"{item.name}.docx", item.new_answers, drafter)
    result = document_xml(outcome.data)
    edited_texts = texts(document_xml(edited))
    # every edit of the griffier is still there, the deleted paragraph stays away
    current = texts(result)
    for text in item.kept:
        assert any(text == line or f"{text} | " in line for line in current), text
    assert item.removed not in texts(accept_all(result))
    # every change of the answers is a tracked change: accepting all gives the new rendering
    # with the griffier's edits, rejecting all gives the griffier's document back
    assert texts(accept_all(result)) == item.expected
    assert texts(reject_all(result), deleted=True) == edited_texts
    # the new budget is inserted and the old one deleted, as words, by the tool
    old_budget = int(drafter.load(example(item.name)).values["budget_jaar"])
    assert _amount(old_budget + 2500) in marked_text(result, "ins")
    assert _amount(old_budget) in marked_text(result, "del")
    marks = list(result.iter(q("ins"), q("del")))
    assert marks and all(m.get(q("author")) == "beleidsnotitie" and m.get(q("date")) for m in marks)
    # the conflict: the griffier's text stays, with a comment giving the tool's text and the answer
    assert outcome.conflicts == 1 and outcome.changes >= 5
    anchored = [
        p
        for p in result.iter(q("p"))
        if p.find(q("commentRangeStart")) is not None and _normal(_text(p)) == item.conflict
    ]
    assert len(anchored) == 1
    with zipfile.ZipFile(io.BytesIO(outcome.data)) as package:
        comments = etree.fromstring(package.read("word/comments.xml"))
        stored = provenance.read(package)
    comment_texts = [_normal(_text(c)) for c in comments.iter(q("comment"))]
    assert any(item.conflict_new in text and "Door deze antwoorden" in text for text in comment_texts)
    # the result carries the new answers, for the next update
    assert stored is not None and stored.kind == item.kind
    assert answers_mod.from_text(stored.answers, drafter.questionnaire).values == item.new_answers.values
    return outcome, result


def _validate(data: bytes, path: Path) -> list[str]:
    from openxml_audit import OpenXmlValidator

    path.write_bytes(data)
    return [str(e) for e in OpenXmlValidator().validate(str(path)).errors]


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_a_document_saved_by_word_gets_the_changed_answers_as_tracked_changes(
    scenarios: dict[tuple[str, str], Scenario], drafter: Drafter, tmp_path: Path, name: str, kind: str
) -> None:
    item = scenarios[(name, kind)]
    outcome, _ = check_update(item, item.edited, drafter, tmp_path)
    assert _validate(outcome.data, tmp_path / "uit.docx") == []
    lines = update.summary(outcome, tmp_path / "uit.docx")
    assert f"  {outcome.changes} wijzigingen van de tool" in lines[1]
    budget = int(drafter.load(example(name)).values["budget_jaar"])
    assert any(f"€ {_amount(budget)} → € {_amount(budget + 2500)}" in line for line in lines), lines


def test_a_changed_sentence_is_changed_word_by_word(
    scenarios: dict[tuple[str, str], Scenario], drafter: Drafter
) -> None:
    item = scenarios[("oosterhaven", "notitie")]
    outcome = update.update(item.edited, "oosterhaven.docx", item.new_answers, drafter)
    result = document_xml(outcome.data)
    # a paragraph with the budget: the amount is deleted and inserted, the words around it are not
    for p in result.iter(q("p")):
        deleted = "".join(t.text or "" for t in p.iter(q("delText")))
        if "190.000" in deleted and "€" not in _normal(deleted).replace("190.000", ""):
            inserted = "".join(t.text or "" for m in p.iter(q("ins")) for t in m.iter(q("t")))
            assert "192.500" in inserted
            assert len(_normal(_text(p))) > 3 * len(_normal(inserted))
            break
    else:
        pytest.fail("no paragraph with the old budget deleted as a word")


def test_every_document_the_tool_writes_carries_its_answers(drafter: Drafter, tmp_path: Path) -> None:
    answers = drafter.load(example("veendrecht"))
    data = drafter.docx(answers, "raadsvoorstel")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        stored = provenance.read(package)
        rels = package.read("word/_rels/document.xml.rels").decode()
        types = package.read("[Content_Types].xml").decode()
        props = package.read("customXml/itemProps1.xml").decode()
    assert stored is not None
    assert stored.kind == "raadsvoorstel" and stored.final is False
    assert answers_mod.from_text(stored.answers, drafter.questionnaire).values == answers.values
    assert stored.templates == drafter.templates_fingerprint() and len(stored.house_style) == 64
    assert 'Target="../customXml/item1.xml"' in rels and "/customXml/itemProps1.xml" in types
    assert provenance.NAMESPACE in props
    assert _validate(data, tmp_path / "vs.docx") == []
    final = drafter.write(drafter.drafts(answers, ("notitie",), final=True)[0])
    with zipfile.ZipFile(io.BytesIO(final)) as package:
        stored_final = provenance.read(package)
    assert stored_final is not None and stored_final.final is True and stored_final.kind == "notitie"
    # a definitive version is updated to the definitive version of the new answers
    new_answers = answers_mod.from_mapping(changed_answers(answers.values), drafter.questionnaire)
    outcome = update.update(final, "definitief.docx", new_answers, drafter)
    fresh = drafter.write(drafter.drafts(new_answers, ("notitie",), final=True)[0])
    assert outcome.changes > 0 and texts(accept_all(document_xml(outcome.data))) == texts(document_xml(fresh))


def test_reading_back_is_safe_against_hostile_parts(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE h [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c SYSTEM "file:///etc/passwd">]>'
        f'<herkomst xmlns="{provenance.NAMESPACE}"><stuk>notitie</stuk><antwoorden>&b;&c;</antwoorden></herkomst>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("customXml/item1.xml", bomb)
        package.writestr("customXml/item2.xml", "<niet-af")
    with zipfile.ZipFile(buffer) as package:
        stored = provenance.read(package)
    assert stored is not None and "aaaa" not in stored.answers and "root:" not in stored.answers


def test_a_document_without_stored_answers_gets_a_dutch_message_and_works_with_old_answers(
    scenarios: dict[tuple[str, str], Scenario], drafter: Drafter, cli: Any, tmp_path: Path
) -> None:
    item = scenarios[("veendrecht", "notitie")]
    stripped = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(item.edited)) as source, zipfile.ZipFile(stripped, "w") as target:
        for info in source.infolist():
            if not info.filename.startswith("customXml/"):
                target.writestr(info, source.read(info))
        target.writestr("customXml/item1.xml", FOREIGN)  # a document system's own data, say
    (tmp_path / "notitie.docx").write_bytes(stripped.getvalue())
    new_file = tmp_path / "nieuw.yaml"
    new_file.write_text(answers_mod.dump(item.new_answers, drafter.questionnaire), encoding="utf-8")
    result = cli("bijwerken", tmp_path / "notitie.docx", new_file)
    assert result.code == 2
    assert "in 'notitie.docx' staan geen antwoorden" in result.err and "--oud" in result.err
    result = cli("bijwerken", tmp_path / "notitie.docx", new_file, "--oud", example("veendrecht"))
    assert result.code == 0, result.err
    assert (
        "In 'notitie.docx' staan geen antwoorden. De tool gebruikt de oude antwoorden die u opgaf (--oud)."
        in result.out
    )
    out = (tmp_path / "notitie-bijgewerkt.docx").read_bytes()
    assert texts(accept_all(document_xml(out))) == item.expected
    with zipfile.ZipFile(io.BytesIO(out)) as package:
        assert package.read("customXml/item1.xml") == FOREIGN  # left as it was
        stored = provenance.read(package)
        assert "customXml/item2.xml" in package.namelist()
    assert stored is not None and stored.kind == "notitie"
    # written once, never overwritten without asking
    again = cli("bijwerken", tmp_path / "notitie.docx", new_file, "--oud", example("veendrecht"))
    assert again.code == 2 and "bestaat al" in again.err


def test_other_templates_are_named_and_the_update_still_works(
    scenarios: dict[tuple[str, str], Scenario], drafter: Drafter
) -> None:
    item = scenarios[("lindewijk", "notitie")]
    changed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(item.edited)) as source, zipfile.ZipFile(changed, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "customXml/item1.xml":
                data = re.sub(rb"<sjablonen>[0-9a-f]+</sjablonen>", b"<sjablonen>0123</sjablonen>", data)
            target.writestr(info, data)
    outcome = update.update(changed.getvalue(), "lindewijk.docx", item.new_answers, drafter)
    assert any(
        notice.startswith("Dit document is gemaakt met andere sjablonen") for notice in outcome.notices
    )
    assert texts(accept_all(document_xml(outcome.data))) == item.expected


def test_the_command_line_writes_the_update_and_says_what_changed(
    scenarios: dict[tuple[str, str], Scenario], drafter: Drafter, cli: Any, tmp_path: Path
) -> None:
    item = scenarios[("oosterhaven", "raadsvoorstel")]
    (tmp_path / "voorstel.docx").write_bytes(item.edited)
    new_file = tmp_path / "oosterhaven.yaml"
    new_file.write_text(answers_mod.dump(item.new_answers, drafter.questionnaire), encoding="utf-8")
    result = cli("bijwerken", tmp_path / "voorstel.docx", new_file, "-o", tmp_path / "uit.docx")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"Bijgewerkt: {tmp_path / 'uit.docx'}"
    assert re.fullmatch(r"  \d+ wijzigingen van de tool, als bijgehouden wijziging\..*", lines[1])
    assert re.fullmatch(r"  1 plek met een opmerking: .*", lines[2])
    assert "  Veranderde antwoorden:" in lines
    assert any("Gdańsk" in line for line in lines)
    assert texts(accept_all(document_xml((tmp_path / "uit.docx").read_bytes()))) == item.expected


def _soffice(tmp_path: Path, target: str, files: list[Path], out: Path) -> None:
    found = office.find()
    if found is None:
        pytest.skip("LibreOffice is niet geïnstalleerd")
    subprocess.run(
        [
            str(found.soffice),
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profiel').as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )


def test_a_document_saved_by_libreoffice_is_updated_and_libreoffice_shows_the_changes(
    scenarios: dict[tuple[str, str], Scenario], drafter: Drafter, tmp_path: Path
) -> None:
    source = tmp_path / "bewerkt"
    source.mkdir()
    for (name, kind), item in scenarios.items():
        (source / f"{name}-{kind}.docx").write_bytes(item.edited)
    saved = tmp_path / "opgeslagen"
    _soffice(tmp_path, 'docx:"MS Word 2007 XML"'.replace('"', ""), sorted(source.glob("*.docx")), saved)
    results = tmp_path / "bijgewerkt"
    results.mkdir()
    counts = {}
    for (name, kind), item in scenarios.items():
        edited = (saved / f"{name}-{kind}.docx").read_bytes()
        outcome, result = check_update(item, edited, drafter, tmp_path)
        # LibreOffice writes a few values the strict validator does not accept ("true" for "on");
        # the update adds no problem of its own
        # (compared without the positions, which move with every inserted row)
        found = {re.sub(r"\[\d+\]", "", e) for e in _validate(outcome.data, tmp_path / "uit.docx")}
        assert found <= {re.sub(r"\[\d+\]", "", e) for e in _validate(edited, tmp_path / "in.docx")}
        (results / f"{name}-{kind}.docx").write_bytes(outcome.data)
        counts[f"{name}-{kind}"] = (len(list(result.iter(q("ins"), q("del")))), outcome.conflicts)
    # LibreOffice opens the results with their tracked changes and comments
    odt = tmp_path / "odt"
    _soffice(tmp_path, "odt", sorted(results.glob("*.docx")), odt)
    for stem, (marks, conflicts) in counts.items():
        with zipfile.ZipFile(odt / f"{stem}.odt") as package:
            content = package.read("content.xml").decode()
        regions = content.count("<text:changed-region")
        # LibreOffice joins adjacent marks into one region; each update has five changes or more
        assert marks >= regions >= 5 and "<dc:creator>beleidsnotitie</dc:creator>" in content, stem
        assert content.count("<office:annotation ") + content.count("<office:annotation>") >= conflicts, stem


def test_comments_of_the_griffier_stay_next_to_the_tools(
    scenarios: dict[tuple[str, str], Scenario], drafter: Drafter, tmp_path: Path
) -> None:
    item = scenarios[("veendrecht", "raadsvoorstel")]
    document = docx.Document(io.BytesIO(item.edited))
    own = next(p for p in document.paragraphs if len(p.text) > 40 and p.runs)
    document.add_comment(own.runs, text="Eigen opmerking van de griffier.", author="Griffie", initials="GR")
    buffer = io.BytesIO()
    document.save(buffer)
    outcome = update.update(buffer.getvalue(), "voorstel.docx", item.new_answers, drafter)
    with zipfile.ZipFile(io.BytesIO(outcome.data)) as package:
        comments = etree.fromstring(package.read("word/comments.xml"))
    found = {c.get(q("author")): _normal(_text(c)) for c in comments.iter(q("comment"))}
    assert found["Griffie"] == "Eigen opmerking van de griffier."
    assert item.conflict_new in found["beleidsnotitie"]
    ids = [c.get(q("id")) for c in comments.iter(q("comment"))]
    assert len(set(ids)) == len(ids) == 2
    # python-docx's comment refers to a style our house style lacks; the update adds no problem
    assert _validate(outcome.data, tmp_path / "uit.docx") == _validate(
        buffer.getvalue(), tmp_path / "in.docx"
    )


def test_a_document_in_an_own_house_style_asks_for_that_style(drafter: Drafter, tmp_path: Path) -> None:
    from wizard.wordwriter import load_style

    style_file = tmp_path / "huisstijl-gemeente.docx"
    docx.Document().save(str(style_file))
    own = Drafter(house_style=load_style(style_file))
    old = own.load(example("veendrecht"))
    made = own.docx(old, "notitie")
    new_answers = answers_mod.from_mapping(changed_answers(old.values), own.questionnaire)
    without = update.update(made, "notitie.docx", new_answers, drafter)
    assert (
        "Dit document is gemaakt met de huisstijl 'huisstijl-gemeente.docx', niet met 'huisstijl.docx'. "
        "Geef die huisstijl op met --huisstijl; anders kan de tool tekst in lijsten en tabellen "
        "voor uw eigen tekst aanzien."
    ) in without.notices
    with_style = update.update(made, "notitie.docx", new_answers, own)
    assert with_style.notices == []
    # with the right style, accepting everything gives exactly the new rendering in that style
    assert texts(accept_all(document_xml(with_style.data))) == texts(
        document_xml(own.docx(new_answers, "notitie"))
    )
    assert with_style.conflicts == 0


def test_what_is_not_a_word_document_is_refused_in_dutch(cli: Any, tmp_path: Path) -> None:
    broken = tmp_path / "kapot.docx"
    broken.write_bytes(b"dit is geen zip")
    result = cli("bijwerken", broken, example("lindewijk"))
    assert result.code == 2
    assert "Fout: 'kapot.docx' is geen leesbaar Word-document." in result.err
    result = cli("bijwerken", tmp_path / "weg.docx", example("lindewijk"))
    assert result.code == 2 and "Fout: het document" in result.err and "bestaat niet" in result.err
    result = cli("bijwerken", broken, example("lindewijk"), "-o", tmp_path / "uit.pdf")
    assert result.code == 2 and "Fout: 'uit.pdf' is geen .docx-naam." in result.err
    assert not (tmp_path / "kapot-bijgewerkt.docx").exists()


def test_unchanged_answers_change_nothing(
    scenarios: dict[tuple[str, str], Scenario], drafter: Drafter
) -> None:
    item = scenarios[("lindewijk", "raadsvoorstel")]
    old = drafter.load(example("lindewijk"))
    outcome = update.update(item.edited, "voorstel.docx", old, drafter)
    result = document_xml(outcome.data)
    assert outcome.changes == 0 and outcome.conflicts == 0 and outcome.differences == []
    assert next(result.iter(q("ins")), None) is None and next(result.iter(q("del")), None) is None
    assert texts(result) == texts(document_xml(item.edited))
    assert update.summary(outcome, Path("uit.docx"))[1:] == [
        "  De tool hoefde niets in de tekst te veranderen.",
        "  De antwoorden zijn niet veranderd.",
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["herschrijf", "aanvul", "nieuw", "weg", "splits"]), st.integers(0, 10_000)
        ),
        min_size=1,
        max_size=8,
    )
)
def test_any_edits_of_the_griffier_come_back_when_every_change_is_rejected(
    scenarios: dict[tuple[str, str], Scenario], drafter: Drafter, edits: list[tuple[str, int]]
) -> None:
    """Whatever the griffier did, rejecting every change gives the griffier's document back,
    and every sentence the griffier wrote is still there after accepting every change."""
    item = scenarios[("oosterhaven", "notitie")]
    document = docx.Document(io.BytesIO(item.base))
    written: list[str] = []
    for number, (action, at) in enumerate(edits):
        paragraphs = [p for p in document.paragraphs if p.runs and _normal(p.text)]
        paragraph = paragraphs[at % len(paragraphs)]
        own = f"Tekst {number} van de griffier."
        if action == "herschrijf":
            _set_text(paragraph, own)
        elif action == "aanvul":
            paragraph.add_run(" " + own)
        elif action == "nieuw":
            copy_ = copy.deepcopy(paragraph._p)
            paragraph._p.addnext(copy_)
            _set_text(Paragraph(copy_, paragraph._parent), own)
        elif action == "weg":
            paragraph._p.getparent().remove(paragraph._p)
            continue
        else:  # a paragraph split in two
            text = paragraph.text
            half = len(text) // 2
            copy_ = copy.deepcopy(paragraph._p)
            paragraph._p.addnext(copy_)
            _set_text(paragraph, text[:half])
            _set_text(Paragraph(copy_, paragraph._parent), text[half:])
            continue
        written.append(own)
    word_like(document.element)
    buffer = io.BytesIO()
    document.save(buffer)
    edited = buffer.getvalue()
    outcome = update.update(edited, "notitie.docx", item.new_answers, drafter)
    result = document_xml(outcome.data)
    assert texts(reject_all(result), deleted=True) == texts(document_xml(edited))
    accepted = " ".join(texts(accept_all(result)))
    for own in written:
        if own in " ".join(texts(document_xml(edited))):  # not removed again by a later edit
            assert own in accepted


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "----beleidsnotitie-test-grens"
    out = b""
    for name, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, (filename, data) in files.items():
        out += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\r\n"
            ).encode()
            + data
            + b"\r\n"
        )
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_the_web_page_takes_an_edited_document_and_gives_it_back_updated(
    scenarios: dict[tuple[str, str], Scenario], drafter: Drafter, tmp_path: Path
) -> None:
    from tests import webserver

    item = scenarios[("oosterhaven", "notitie")]
    answers_file = tmp_path / "oosterhaven.yaml"
    answers_file.write_text(answers_mod.dump(item.new_answers, drafter.questionnaire), encoding="utf-8")
    running = webserver.start(answers_file)
    try:
        parts = urlsplit(running.url)
        status, headers, _ = webserver.request("GET", running, f"{parts.path}?{parts.query}")
        cookie = {"Cookie": headers["set-cookie"].split(";")[0]}
        status, _, page = webserver.request("GET", running, "/bijwerken", headers=cookie)
        assert status == 200 and 'enctype="multipart/form-data"' in page.decode()
        token = re.search(r'name="csrf" value="([^"]+)"', page.decode())
        assert token is not None
        status, _, documents = webserver.request("GET", running, "/documenten", headers=cookie)
        assert 'href="/bijwerken"' in documents.decode()

        def send(
            fields: dict[str, str], files: dict[str, tuple[str, bytes]]
        ) -> tuple[int, dict[str, str], bytes]:
            body, kind = _multipart(fields, files)
            return webserver.request(
                "POST", running, "/bijwerken", body=body, headers={**cookie, "Content-Type": kind}
            )

        status, headers, data = send({"csrf": token.group(1)}, {"document": ("notitie.docx", item.edited)})
        assert status == 200, data[:300]
        assert headers["content-disposition"] == "attachment; filename*=UTF-8''notitie-bijgewerkt.docx"
        assert texts(accept_all(document_xml(data))) == item.expected
        # without the form's token: refused, as every other form
        status, _, _ = send({"csrf": "fout"}, {"document": ("notitie.docx", item.edited)})
        assert status == 403
        # not a Word document: the page again, with the reason in Dutch
        status, _, page = send({"csrf": token.group(1)}, {"document": ("notitie.pdf", b"%PDF-1.7")})
        assert status == 400
        assert "&#39;notitie.pdf&#39; is geen Word-document (.docx)." in page.decode()
        status, _, page = send({"csrf": token.group(1)}, {"document": ("kapot.docx", b"geen zip")})
        assert status == 400 and "is geen leesbaar Word-document" in page.decode()
    finally:
        running.stop()


def test_a_griffier_uploads_and_downloads_in_the_browser(
    scenarios: dict[tuple[str, str], Scenario], drafter: Drafter, tmp_path: Path
) -> None:
    """With the keyboard and a real browser: choose the file, press the button, get the download;
    a wrong file gives the error summary, as a wrong answer does."""
    from tests import webserver

    item = scenarios[("veendrecht", "raadsvoorstel")]
    answers_file = tmp_path / "veendrecht.yaml"
    answers_file.write_text(answers_mod.dump(item.new_answers, drafter.questionnaire), encoding="utf-8")
    (tmp_path / "voorstel.docx").write_bytes(item.edited)
    (tmp_path / "voorstel.pdf").write_bytes(b"%PDF-1.7")
    running = webserver.start(answers_file)
    try:
        with webserver.browser() as chromium:
            context = chromium.new_context(accept_downloads=True)
            tab = context.new_page()
            tab.goto(running.url)
            tab.goto(running.base + "/documenten")
            with tab.expect_navigation():
                tab.click("text=Werk uw eigen document bij met deze antwoorden")
            assert tab.title().startswith("Document bijwerken")
            tab.set_input_files("#document-invoer", str(tmp_path / "voorstel.pdf"))
            with tab.expect_navigation():
                tab.click("text=Bijwerken en downloaden")
            assert "is geen Word-document (.docx)" in tab.inner_text(".foutoverzicht")
            tab.set_input_files("#document-invoer", str(tmp_path / "voorstel.docx"))
            with tab.expect_download() as waiting:
                tab.click("text=Bijwerken en downloaden")
            download = waiting.value
            assert download.suggested_filename == "voorstel-bijgewerkt.docx"
            target = tmp_path / "uit.docx"
            download.save_as(str(target))
            assert texts(accept_all(document_xml(target.read_bytes()))) == item.expected
            tab.goto(running.base + "/bijwerken")
            tab.screenshot(path=str(tmp_path / "bijwerken.png"), full_page=True)
            context.close()
    finally:
        running.stop()
