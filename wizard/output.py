"""Write one rendered document in the formats asked for: .docx, .md, and .odt/.pdf via LibreOffice.

Used by the commands that make a single document (`vragen`, `vergelijk`); `maak`
has its own batch engine (wizard/make.py) because it writes many at once.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from wizard import atomic, blocks, office
from wizard.documents import Meta
from wizard.errors import EXIT_DATA_ERROR, UserError, suggest

FORMATS = ("docx", "md", "odt", "pdf")


def parse_list(text: str, allowed: Sequence[str], what: str) -> tuple[str, ...]:
    """'docx,pdf' → ('docx', 'pdf') in the order of `allowed`; an unknown name is a UserError."""
    names = [part.strip().lower().lstrip(".") for part in text.split(",") if part.strip()]
    for name in names:
        if name not in allowed:
            raise UserError(
                f"onbekend {what} '{name}'.",
                suggest(name, allowed) or f"Kies uit: {', '.join(allowed)} (gescheiden door komma's).",
            )
    if not names:
        raise UserError(f"geef minstens één {what}.", f"Kies uit: {', '.join(allowed)}.")
    return tuple(name for name in allowed if name in names)  # fixed order, no doubles


def targets(out: Path, formats: Sequence[str]) -> list[tuple[str, Path]]:
    """`-o werkblad` or `-o werkblad.docx` → werkblad.docx, werkblad.md, …"""
    base = out.with_suffix("") if out.suffix.lstrip(".").lower() in FORMATS else out
    return [(fmt, base.with_name(f"{base.name}.{fmt}")) for fmt in formats]


def write(document_blocks: list[blocks.Block], meta: Meta, pairs: Sequence[tuple[str, Path]]) -> int:
    """Write every format; print each file written. Returns 0, or 2 when ODT/PDF could not be made."""
    wanted = dict(pairs)
    if "md" in wanted:
        atomic.write_text(wanted["md"], blocks.markdown(document_blocks))
        print(f"Geschreven: {wanted['md']}")
    converted = [(fmt, path) for fmt, path in pairs if fmt in office.FORMATS]
    if "docx" not in wanted and not converted:
        return 0
    from wizard import wordwriter

    data = wordwriter.write(document_blocks, meta)
    if "docx" in wanted:
        atomic.write_bytes(wanted["docx"], data)
        print(f"Geschreven: {wanted['docx']}")
    if not converted:
        return 0
    found = office.find()
    if found is None:
        print(office.missing_note("docx" in wanted), file=sys.stderr)
        return EXIT_DATA_ERROR
    with tempfile.TemporaryDirectory(prefix="beleidsnotitie-") as scratch:
        source = wanted.get("docx") or Path(scratch) / "document.docx"
        if "docx" not in wanted:
            source.write_bytes(data)
        failures = office.convert(found, [office.Job(source, tuple(converted))])
    names = ", ".join(str(path) for _, path in converted)
    if failures:
        print(f"Fout: {names} niet gemaakt: {next(iter(failures.values()))}", file=sys.stderr)
        print(
            "    → Probeer het opnieuw, of maak een .docx en kies in LibreOffice Bestand > Exporteren.",
            file=sys.stderr,
        )
        return EXIT_DATA_ERROR
    print(f"Geschreven: {names}")
    return 0
