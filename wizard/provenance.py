"""What a written .docx was made from, kept inside the package as a custom XML part.

Every document the tool writes from answers carries the answers as they were (YAML
text), the route, the document kind, whether it was the definitive version, the tool
version and the fingerprints of the templates and the house style. It lives in
customXml/itemN.xml with its itemProps part and a relationship from the document part:
Word and LibreOffice keep such a part when they save the file, and nobody sees it.
`beleidsnotitie bijwerken` reads it back (wizard/update.py) to rebuild the document the
griffier started from.

Writing is plain text (no XML library at render time); reading uses lxml with
entities, DTDs and the network switched off, and every size capped.
"""

from __future__ import annotations

import re
import uuid
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wizard import __version__
from wizard import blocks as b
from wizard.wordpackage import Entry

NAMESPACE = "urn:beleidsnotitie:herkomst:1"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CUSTOM_XML_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_PROPS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
REL_ID = "rIdBeleidsnotitieHerkomst"

MAX_PART_BYTES = 2 * 1024 * 1024  # an answers file is a few kB; a part larger than this is not ours
MAX_PARTS = 200  # customXml parts looked at, at most


@dataclass(frozen=True)
class Provenance:
    """What one document was made from."""

    answers: str  # the answers file as YAML text (wizard.answers.dump)
    kind: str  # notitie, raadsvoorstel
    route: str = ""
    final: bool = False
    tool_version: str = __version__
    templates: str = ""  # fingerprint of the templates (hex)
    house_style: str = ""  # fingerprint of the house style (hex)
    house_style_name: str = ""


def _esc(text: str) -> str:
    return (
        b.clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def to_xml(item: Provenance) -> bytes:
    """The custom XML part's content."""
    fields = (
        ("hulpmiddel", "beleidsnotitie"),
        ("versie", item.tool_version),
        ("stuk", item.kind),
        ("definitief", "ja" if item.final else "nee"),
        ("route", item.route),
        ("sjablonen", item.templates),
    )
    body = "".join(f"<{tag}>{_esc(value)}</{tag}>" for tag, value in fields)
    body += f'<huisstijl naam="{_esc(item.house_style_name)}">{_esc(item.house_style)}</huisstijl>'
    body += f"<antwoorden>{_esc(item.answers)}</antwoorden>"
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<herkomst xmlns="{NAMESPACE}">{body}</herkomst>'
    ).encode()


def _props_xml(kind: str) -> bytes:
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{NAMESPACE}/{kind}")).upper() + "}"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{item_id}" xmlns:ds="{_DS}">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()


# --- writing into a package --------------------------------------------------------------


def add_override(content_types: str, part: str, content_type: str) -> str:
    """[Content_Types].xml with an Override for `part` (a name without the leading slash)."""
    if f'PartName="/{part}"' in content_types:
        return content_types
    return content_types.replace(
        "</Types>", f'<Override PartName="/{part}" ContentType="{content_type}"/></Types>', 1
    )


def add_relationship(rels: str, rel_id: str, rel_type: str, target: str) -> str:
    """A relationships part with one more relationship (none twice with the same id)."""
    if f'Id="{rel_id}"' in rels:
        return rels
    return rels.replace(
        "</Relationships>",
        f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/></Relationships>',
        1,
    )


def free_number(names: Sequence[str]) -> int:
    """The first N for which customXml/itemN.xml is not taken (a house style may bring its own)."""
    taken = {int(m.group(1)) for name in names if (m := re.fullmatch(r"customXml/item(\d+)\.xml", name))}
    number = 1
    while number in taken:
        number += 1
    return number


def _inflate(entry: Entry) -> str:
    return zlib.decompress(entry.data, -15).decode("utf-8")


def attach(
    parts: list[tuple[str, Entry | None]],
    changed: dict[str, bytes],
    item: Provenance,
    document: str,
    taken: Sequence[str] = (),
) -> list[tuple[str, Entry | None]]:
    """Add the provenance part to a package being written (wizard/wordwriter.py).

    `parts` is the package in order (None: the content is in `changed`); returns the new
    order and fills `changed` with the new parts and the changed content types and
    document relationships. `taken`: more part names of the package, not in `parts`."""
    names = [name for name, _ in parts]
    number = free_number([*names, *taken])
    folder, _, base = document.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels"
    texts: dict[str, str] = {}
    for name, entry in parts:
        if name in ("[Content_Types].xml", rels_name):
            texts[name] = changed[name].decode("utf-8") if entry is None else _inflate(entry)
    content_types = add_override(
        texts.get("[Content_Types].xml", ""), f"customXml/itemProps{number}.xml", _PROPS_TYPE
    )
    depth = "../" * folder.count("/") + "../" if folder else ""
    rels = (
        texts.get(rels_name)
        or f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS_NS}"></Relationships>'
    )
    rels = add_relationship(rels, REL_ID, CUSTOM_XML_REL, f"{depth}customXml/item{number}.xml")
    changed["[Content_Types].xml"] = content_types.encode("utf-8")
    changed[rels_name] = rels.encode("utf-8")
    changed[f"customXml/item{number}.xml"] = to_xml(item)
    changed[f"customXml/itemProps{number}.xml"] = _props_xml(item.kind)
    changed[f"customXml/_rels/item{number}.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS_NS}">'
        f'<Relationship Id="rId1" Type="{_PROPS_REL}" Target="itemProps{number}.xml"/></Relationships>'
    ).encode()
    out: list[tuple[str, Entry | None]] = [
        (name, None if name in changed else entry) for name, entry in parts
    ]
    if rels_name not in names:
        out.append((rels_name, None))
    out += [
        (f"customXml/item{number}.xml", None),
        (f"customXml/itemProps{number}.xml", None),
        (f"customXml/_rels/item{number}.xml.rels", None),
    ]
    return out


# --- reading back ---------------------------------------------------------------------------


def parse_xml(data: bytes) -> Any:
    """Parse untrusted XML: no entities, no DTD loading, no network, no huge trees."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_pis=True
    )
    return etree.fromstring(data, parser)


def read(package: zipfile.ZipFile) -> Provenance | None:
    """The provenance in an opened .docx, or None when it has none (or one that cannot be read)."""
    candidates = [
        info
        for info in package.infolist()
        if re.fullmatch(r"customXml/item\d+\.xml", info.filename) and info.file_size <= MAX_PART_BYTES
    ][:MAX_PARTS]
    for info in candidates:
        with package.open(info) as stream:
            data = stream.read(MAX_PART_BYTES + 1)
        if len(data) > MAX_PART_BYTES or NAMESPACE.encode() not in data:
            continue
        from lxml import etree

        try:
            root: Any = parse_xml(data)
        except etree.XMLSyntaxError:  # a damaged part is no provenance
            continue
        if root.tag != f"{{{NAMESPACE}}}herkomst":
            continue

        def field(tag: str, element: Any = root) -> str:
            found = element.find(f"{{{NAMESPACE}}}{tag}")
            return (found.text or "") if found is not None else ""

        style = root.find(f"{{{NAMESPACE}}}huisstijl")
        return Provenance(
            answers=field("antwoorden"),
            kind=field("stuk"),
            route=field("route"),
            final=field("definitief") == "ja",
            tool_version=field("versie"),
            templates=field("sjablonen"),
            house_style=(style.text or "") if style is not None else "",
            house_style_name=style.get("naam", "") if style is not None else "",
        )
    return None
