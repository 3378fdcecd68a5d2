"""Bijwerken: bring changed answers into the griffier's own edited Word document.

The document carries the answers it was made from (wizard/provenance.py). Those answers
give the base (the document as the tool wrote it), the new answers file gives the new
version, and wizard/docmerge.py merges the change from base to new into the edited
document as tracked changes and comments. The result carries the new answers, so the
next update starts from there.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import docmerge, provenance
from wizard.errors import DataError, UserError
from wizard.wordpackage import MAX_TEMPLATE_BYTES, MAX_UNPACKED_BYTES

if TYPE_CHECKING:
    from wizard.answers import Answers
    from wizard.compare import Difference
    from wizard.draft import Drafter

_COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_MAX_PARTS = 2000
_RELS = "word/_rels/document.xml.rels"
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
KINDS = ("notitie", "raadsvoorstel")  # the documents made from answers that bijwerken updates


@dataclass
class Outcome:
    """The updated document and what the griffier needs to know about it."""

    data: bytes
    changes: int
    conflicts: int
    differences: list[Difference]
    notices: list[str] = field(default_factory=list)  # Dutch sentences: what the tool could not do as usual
    left_out: int = 0  # changes to text the griffier had removed


def read_document(path: Path) -> bytes:
    """The bytes of the edited .docx, with Dutch errors for what is not one."""
    if not path.exists():
        raise UserError(f"het document '{path}' bestaat niet.", "Controleer de naam en de map.")
    if not stat.S_ISREG(path.stat().st_mode):
        raise UserError(f"'{path}' is geen gewoon bestand.", "Geef het Word-document (.docx) op.")
    if path.suffix.lower() != ".docx":
        raise UserError(
            f"'{path.name}' is geen Word-document (.docx).",
            "Sla het document in Word of LibreOffice op als Word-document (.docx) en probeer het opnieuw.",
        )
    with path.open("rb") as stream:
        data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UserError(
            f"het document '{path.name}' is te groot (meer dan 50 MB).", "Gebruik een kleiner document."
        )
    return data


def _unreadable(name: str) -> UserError:
    return UserError(
        f"'{name}' is geen leesbaar Word-document.",
        "Open het in Word of LibreOffice, sla het op als Word-document (.docx) en probeer het opnieuw.",
    )


def _open(data: bytes, name: str) -> zipfile.ZipFile:
    problem = _unreadable(name)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise problem from exc
    infos = package.infolist()
    names = [info.filename for info in infos]
    if (
        len(infos) > _MAX_PARTS
        or sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES
        or "word/document.xml" not in names
        or "[Content_Types].xml" not in names
        or len(set(names)) != len(names)  # two parts with one name: which one Word reads is anyone's guess
    ):
        raise problem
    try:  # every part whole: a damaged, encrypted or unknown compression is found here, not halfway
        for info in infos:
            with package.open(info) as stream:
                while stream.read(1 << 20):
                    pass
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError, zlib.error) as exc:
        raise problem from exc
    return package


def _xml(package: zipfile.ZipFile, name: str, document: str = "") -> Any:
    """A part as XML; for the griffier's `document` a part that is not XML is an unreadable document."""
    from lxml import etree

    with package.open(name) as stream:
        data = stream.read(MAX_UNPACKED_BYTES + 1)
    try:
        return provenance.parse_xml(data)
    except etree.XMLSyntaxError as exc:
        if not document:
            raise
        raise _unreadable(document) from exc


def update(
    edited: bytes,
    name: str,
    new_answers: Answers,
    drafter: Drafter,
    old_answers: Answers | None = None,
    when: dt.datetime | None = None,
) -> Outcome:
    """Merge the change from the stored (or given) old answers to `new_answers` into `edited`."""
    from wizard import answers as answers_mod
    from wizard import compare

    package = _open(edited, name)
    if b"macroEnabled" in package.read("[Content_Types].xml"):  # a .docm renamed: Word opens no such .docx
        raise UserError(
            f"'{name}' is een Word-document met macro's (.docm); de tool werkt alleen een .docx zonder macro's bij.",
            "Sla het in Word op als Word-document (.docx) en probeer het opnieuw.",
        )
    origin = provenance.read(package)
    if origin is not None and origin.kind and origin.kind not in KINDS:  # a hand-made part, not ours
        raise UserError(
            f"in '{name}' staat een onbekend soort stuk ('{origin.kind[:40]}'); de tool werkt alleen een "
            "beleidsnotitie of een raadsvoorstel bij.",
            "Geef het document op dat de tool met 'maak' schreef.",
        )
    notices: list[str] = []
    if old_answers is None:
        if origin is None:
            raise UserError(
                f"in '{name}' staan geen antwoorden: het is niet met deze tool gemaakt, of met een oudere versie.",
                "Geef met --oud het antwoordenbestand op waarmee u het document maakte; "
                "dan werkt de tool de tekst bij die daaruit kwam.",
            )
        try:
            old_answers = answers_mod.from_text(
                origin.answers, drafter.questionnaire, f"{name} (opgeslagen antwoorden)"
            )
        except DataError as exc:
            raise UserError(
                f"de antwoorden die in '{name}' zijn opgeslagen, passen niet meer bij de vragenlijst.",
                "Geef met --oud het antwoordenbestand op waarmee u het document maakte.",
            ) from exc
    elif origin is None:
        notices.append(
            f"In '{name}' staan geen antwoorden. De tool gebruikt de oude antwoorden die u opgaf (--oud)."
        )
    if origin is not None and origin.templates and origin.templates != drafter.templates_fingerprint():
        notices.append(
            "Dit document is gemaakt met andere sjablonen (een andere versie van de tool). "
            "De tool vergelijkt met de tekst die de huidige sjablonen van de opgeslagen antwoorden maken. "
            "Tekst die alleen door de nieuwe sjablonen anders is, ziet de tool als uw eigen tekst: die blijft staan."
        )
    if origin is not None and origin.house_style:
        style = drafter.origin_style()
        if origin.house_style != style[0]:
            notices.append(
                f"Dit document is gemaakt met de huisstijl '{origin.house_style_name}', niet met '{style[1]}'. "
                "Geef die huisstijl op met --huisstijl; anders kan de tool tekst in lijsten en tabellen "
                "voor uw eigen tekst aanzien."
            )
    document = _xml(package, "word/document.xml", name)
    final = origin.final if origin is not None else False
    kind = (
        origin.kind
        if origin is not None and origin.kind
        else _likely_kind(drafter, old_answers, document, final)
    )
    base = _render(drafter, old_answers, kind, final)
    new_draft = drafter.drafts(new_answers, (kind,), final=final)[0]
    new_data = drafter.write(new_draft)
    new = _xml(_open(new_data, "nieuw"), "word/document.xml")

    result = docmerge.merge(base, document, new, when)
    differences, _ = compare.differences(drafter.questionnaire, [old_answers, new_answers])
    date = (when or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    comments_name, comments = _comments_part(package, name)
    docmerge.add_comments(document, comments, result.conflicts, lambda c: comment_lines(c, differences), date)

    changed: dict[str, bytes] = {"word/document.xml": _serialise(document)}
    if result.conflicts:
        changed[comments_name] = _serialise(comments)
    changed.update(
        _with_origin(package, drafter.origin(new_draft), comments_name if result.conflicts else None)
    )
    return Outcome(
        _repack(package, changed),
        result.changes,
        len(result.conflicts),
        differences,
        notices,
        result.kept,
    )


def _render(drafter: Drafter, answers: Answers, kind: str, final: bool) -> Any:
    data = drafter.write(drafter.drafts(answers, (kind,), final=final)[0])
    return _xml(_open(data, "basis"), "word/document.xml")


def _likely_kind(drafter: Drafter, answers: Answers, document: Any, final: bool) -> str:
    """The document kind whose rendering of `answers` is most like the edited document."""
    from difflib import SequenceMatcher

    edited = [item.key for item in docmerge.items(document.find(docmerge.q("body")))]
    best, score = "notitie", -1.0
    for kind in KINDS:
        rendered = _render(drafter, answers, kind, final)
        keys = [item.key for item in docmerge.items(rendered.find(docmerge.q("body")))]
        ratio = SequenceMatcher(None, keys, edited, autojunk=False).ratio()
        if ratio > score:
            best, score = kind, ratio
    return best


def comment_lines(conflict: docmerge.Conflict, differences: list[Difference]) -> list[str]:
    """The comment at a conflict: what the tool would write now, and the answers behind it."""
    lines = [
        "U hebt deze tekst zelf veranderd. Door gewijzigde antwoorden zou de tool nu iets anders schrijven."
    ]
    if conflict.new:
        lines.append(f"Nieuwe tekst van de tool: {conflict.new}")
    else:
        lines.append("De tool zou deze tekst nu weghalen.")
    lines.append(f"Oude tekst van de tool: {conflict.old}")
    causes = causes_of(conflict.old, conflict.new, differences)
    if causes:
        lines.append("Door deze antwoorden:")
        lines += [f"- {line}" for line in causes]
    return lines


def causes_of(old: str, new: str, differences: list[Difference], limit: int = 5) -> list[str]:
    """The changed answers that likely made this text change (their old or new value is in it)."""
    found = []
    for difference in differences:
        values = [value for value in difference.waarden if value]
        hits = [value for value in values if _in_text(value, old) or _in_text(value, new)]
        if hits:
            found.append(describe(difference))
    if not found:
        found = [describe(d) for d in differences]
    return found[:limit] + ([f"en {len(found) - limit} andere antwoorden"] if len(found) > limit else [])


def _in_text(value: str, text: str) -> bool:
    value = docmerge.normal(value)
    if len(value) < 2 or not text:
        return False
    text = docmerge.normal(text)
    if value in text:
        return True
    digits = re.sub(r"\D", "", value)
    return len(digits) >= 3 and digits in re.sub(r"\D", "", text)


def describe(difference: Difference) -> str:
    old, new = (value or "(leeg)" for value in difference.waarden[:2])
    number = f"{difference.nummer} " if difference.nummer else ""
    return f"{number}{difference.vraag}: {_short(old)} → {_short(new)}"


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summary(outcome: Outcome, target: Path) -> list[str]:
    """The Dutch lines printed after an update."""
    lines = [*outcome.notices, f"Bijgewerkt: {target}"]
    if outcome.changes:
        lines.append(
            f"  {outcome.changes} {'wijziging' if outcome.changes == 1 else 'wijzigingen'} van de tool, "
            "als bijgehouden wijziging. Neem ze in Word over met Controleren → Accepteren."
        )
    else:
        lines.append("  De tool hoefde niets in de tekst te veranderen.")
    if outcome.conflicts:
        lines.append(
            f"  {outcome.conflicts} {'plek' if outcome.conflicts == 1 else 'plekken'} met een opmerking: "
            "daar had u de tekst zelf al veranderd. Kijk of de nieuwe tekst van de tool erbij moet."
        )
    if outcome.left_out:
        lines.append(
            f"  {outcome.left_out} {'wijziging' if outcome.left_out == 1 else 'wijzigingen'} niet gedaan: "
            "u had die tekst weggehaald of sterk herschreven."
        )
    if outcome.differences:
        lines.append("  Veranderde antwoorden:")
        lines += [f"    - {describe(d)}" for d in outcome.differences]
    else:
        lines.append("  De antwoorden zijn niet veranderd.")
    return lines


# --- the package ---------------------------------------------------------------------------


def _serialise(root: Any) -> bytes:
    from lxml import etree

    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _read_text(package: zipfile.ZipFile, name: str) -> str:
    with package.open(name) as stream:
        return stream.read(MAX_TEMPLATE_BYTES).decode("utf-8")


def _comments_part(package: zipfile.ZipFile, document: str) -> tuple[str, Any]:
    """The comments part of the document (its name and root), a new empty one if it has none."""
    from lxml import etree

    rels = _read_text(package, _RELS) if _RELS in package.namelist() else ""
    found = re.search(r'<Relationship [^>]*Type="' + re.escape(_COMMENTS_REL) + r'"[^>]*/>', rels)
    if found:
        target = re.search(r'Target="([^"]+)"', found.group(0))
        if target:
            name = "word/" + target.group(1).lstrip("/").removeprefix("word/")
            if name in package.namelist():
                return name, _xml(package, name, document)
    return "word/comments.xml", etree.Element(docmerge.q("comments"), nsmap={"w": docmerge.W})


def _with_origin(
    package: zipfile.ZipFile, origin: provenance.Provenance, comments: str | None
) -> dict[str, bytes]:
    """The parts that change so the package carries the new answers (and the comments part)."""
    names = package.namelist()
    changed: dict[str, bytes] = {}
    content_types = _read_text(package, "[Content_Types].xml")
    rels_name = _RELS
    rels = (
        _read_text(package, rels_name)
        if rels_name in names
        else '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
    )
    ours = None
    for name in names:
        if re.fullmatch(r"customXml/item\d+\.xml", name):
            with package.open(name) as stream:
                if provenance.NAMESPACE.encode() in stream.read(provenance.MAX_PART_BYTES):
                    ours = name
                    break
    if ours is not None:
        changed[ours] = provenance.to_xml(origin)
    else:
        scratch: dict[str, bytes] = {"[Content_Types].xml": content_types.encode(), rels_name: rels.encode()}
        provenance.attach(
            [("[Content_Types].xml", None), (rels_name, None)], scratch, origin, "word/document.xml", names
        )
        content_types = scratch.pop("[Content_Types].xml").decode()
        rels = scratch.pop(rels_name).decode()
        changed.update(scratch)
    if comments is not None:
        content_types = provenance.add_override(content_types, comments, _COMMENTS_TYPE)
        if _COMMENTS_REL not in rels:
            rels = provenance.add_relationship(
                rels, "rIdBeleidsnotitieOpmerkingen", _COMMENTS_REL, comments.removeprefix("word/")
            )
    changed["[Content_Types].xml"] = content_types.encode("utf-8")
    changed[rels_name] = rels.encode("utf-8")
    return changed


def _repack(package: zipfile.ZipFile, changed: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in package.infolist():
            if info.filename in changed:
                target.writestr(info.filename, changed.pop(info.filename))
            else:
                with package.open(info) as stream:
                    target.writestr(info.filename, stream.read(MAX_UNPACKED_BYTES))
        for name, data in changed.items():
            target.writestr(name, data)
    return out.getvalue()
