"""Blocks → PDF with the Typst typesetter: no other program needed.

The PDF is made from the same blocks as the Word file (wizard/wordwriter.py), so it says
exactly what the .docx says, in the same order, with the same column widths and the
same parts kept on one page. It is a tagged PDF/A-2b and PDF/UA-1 in Dutch, with the
fonts embedded. The look comes from the house style (`HouseStyle.look`, read by
wizard/housestyle.py): page size, margins, fonts, colours, the logo and the texts of
the first-page header and of the footer.

Safety: no text of a document ever becomes Typst code. The blocks go to the fixed
template templates/pdf/document.typ as one JSON file (`data.json` beside it in the
process's own folder), and the template
shows every string with text functions only; "#read(...)", "$", "*" or "<x>" in an
answer, a rule or an own template is printed as written.

Speed: one `typst.Compiler` per process (loading the fonts is most of the work), reused
for every document of a batch; `maak` runs it in its two worker processes. The data goes
in as a file, not as `sys.inputs`: new inputs make a new standard library, which throws
away everything Typst remembered from the documents before (a note takes about a fifth
longer that way); a changed file only redoes what reads it. For the same reason the
template keeps what differs per document (title, header line) out of the page and document
styles: a paragraph that two documents share is then laid out once per process, not once
per document (a note took half as long after that change).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import re
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard import blocks as b
from wizard.errors import UserError
from wizard.resources import templates_dir
from wizard.wordpackage import Band, TextLook

if TYPE_CHECKING:
    from wizard.documents import Meta
    from wizard.wordpackage import HouseStyle

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
_DATA = "data.json"  # what the template reads (templates/pdf/document.typ)
STANDARDS = ["a-2b", "ua-1"]

# A font a house style names → the bundled open font with the same widths (README, "Lettertypen").
_TWINS = {"arial": "Liberation Sans", "helvetica": "Liberation Sans", "arimo": "Liberation Sans"}
_TWINS |= {"calibri": "Carlito"}
_FALLBACK = "Liberation Sans"


def twin(font: str) -> str:
    """The bundled font that stands in for `font` when it is not installed."""
    return _TWINS.get(font.strip().lower(), _FALLBACK)


@dataclass
class _Engine:
    """One Typst compiler per process, and the folder it reads the logos from."""

    compiler: Any
    root: Path
    families: frozenset[str]
    logos: set[str]


_ENGINE: _Engine | None = None
_LOCK = threading.RLock()


def _engine() -> _Engine:
    with _LOCK:
        return _ENGINE or _start()


def _start() -> _Engine:
    global _ENGINE
    if _ENGINE is None:
        import typst

        root = Path(tempfile.mkdtemp(prefix="beleidsnotitie-pdf-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        fonts = typst.Fonts(
            include_system_fonts=True, include_embedded_fonts=True, font_paths=[str(FONTS_DIR)]
        )
        main = root / "document.typ"
        main.write_bytes((templates_dir() / "pdf" / "document.typ").read_bytes())
        compiler = typst.Compiler(str(main), root=str(root), font_paths=fonts)
        families = frozenset(name.lower() for name in fonts.families())
        _ENGINE = _Engine(compiler, root, families, set())
    return _ENGINE


def missing_fonts(style: HouseStyle | None = None) -> list[str]:
    """The house style's fonts that are not on this computer (the PDF uses their twins)."""
    from wizard import wordwriter

    style = style or wordwriter.default_style()
    families = _engine().families
    wanted = [style.font, *(look.font for look in (*style.look.headings, style.look.title))]
    out: list[str] = []
    for font in wanted:
        if font and font.lower() not in families and font not in out:
            out.append(font)
    return out


_FONT_SHOWN = 40  # a font name longer than this (Word allows 31) is shortened in the note


def font_note(style: HouseStyle | None = None) -> str:
    """One Dutch line when a font of the house style is not installed; '' when all are."""
    missing = missing_fonts(style)
    if not missing:
        return ""
    shown = [font if len(font) <= _FONT_SHOWN else font[: _FONT_SHOWN - 1] + "…" for font in missing]
    pairs = " en ".join(f"{twin(font)} voor {name}" for font, name in zip(missing, shown, strict=True))
    names = " en ".join(shown)
    if all(font.strip().lower() in _TWINS for font in missing):
        why = "een vrij lettertype dat even breed is, dus de regels lopen hetzelfde."
    else:
        why = "een vrij lettertype dat niet even breed is, dus de regels kunnen anders lopen dan in Word."
    fonts = f"lettertype {names} staat" if len(missing) == 1 else f"lettertypen {names} staan"
    return f"Let op: {fonts} niet op deze computer. De PDF gebruikt daarom {pairs}: {why}"


def write(
    document_blocks: Sequence[b.Block], meta: Meta, style: HouseStyle | None = None, name: str = ""
) -> bytes:
    """Return the PDF bytes for the blocks in the given house style.

    `name` names the document in an error message. Raises UserError (in Dutch) when
    Typst cannot set the document, naming the text that caused it."""
    from wizard import wordwriter

    style = style or wordwriter.default_style()
    with _LOCK:  # one compiler per process; the web pages run in worker threads
        return _write(document_blocks, meta, style, name)


def _write(document_blocks: Sequence[b.Block], meta: Meta, style: HouseStyle, name: str) -> bytes:
    import typst

    engine = _engine()
    data = _document(document_blocks, meta, style, engine)
    replaced.clear()
    for _ in range(_MAX_RETRIES):
        try:
            # Typst reads the file again on every compile and compares its content.
            (engine.root / _DATA).write_text(data, encoding="utf-8")
            pdf, _warnings = engine.compiler.compile_with_warnings(format="pdf", pdf_standards=STANDARDS)
            break
        except typst.TypstError as exc:
            # A sign no font on this computer has (an emoji, a script the fonts lack): PDF/A
            # forbids an empty box, so the sign becomes "?" and the rest of the PDF is made.
            missing = _NO_GLYPH.search(str(getattr(exc, "message", "") or exc))
            text = missing.group(1) if missing else ""
            signs = {char for char in text if not char.isascii()}
            if not signs and text and re.search(_MARKS, data):
                # a plain sign joined to an emoji mark ("1" + keycap, "?" + skin tone or joiner):
                # the marks alone show nothing, so they go
                data = re.sub(_MARKS, "", data)
                continue
            if not signs:
                raise _problem(exc, name or meta.document_title or meta.title, document_blocks) from None
            replaced.update(signs)
            for sign in signs:
                # with the marks around it: "?" + ZWJ + "?" (a family emoji) is a cluster no font has
                data = re.sub(f"{_MARKS}*{re.escape(sign)}{_MARKS}*", "?", data)
    else:
        raise UserError(
            f"de PDF van '{name or meta.title}' kan niet worden gemaakt: er staan te veel tekens in die "
            "geen lettertype op deze computer heeft.",
            "Maak het document als .docx, of kies --pdf-via libreoffice.",
        )
    if not isinstance(pdf, bytes):  # pragma: no cover - one document, no output path: always bytes
        raise TypeError("Typst returned no PDF")
    return pdf


_NO_GLYPH = re.compile(r'the text `"(.+?)"` could not be displayed', re.DOTALL)
_MAX_RETRIES = 12
# Marks that join or change the sign before them: zero-width joiner, text/emoji variation
# selectors, the keycap, skin tones, tag letters (flags of regions)
_MARKS = "[\u200d\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]"
replaced: set[str] = set()  # signs the last PDF shows as "?" (no font on this computer has them)


def replaced_note(name: str) -> str:
    """One Dutch line when the last PDF had to show signs as "?"; '' when none."""
    if not replaced:
        return ""
    signs = " ".join(sorted(replaced))
    return f"Let op: in {name} staan deze tekens als ? omdat geen lettertype ze heeft: {signs}"


def _problem(exc: Any, name: str, document_blocks: Sequence[b.Block]) -> UserError:
    """A Typst error in Dutch: which document, and the text (or the logo) that caused it."""
    message = str(getattr(exc, "message", "") or exc).strip()
    if "image" in message:
        return UserError(
            f"de PDF van '{name}' kan niet worden gemaakt: het logo in de kop- of voettekst van de "
            f"huisstijl kan niet worden gelezen (melding van Typst: {message}).",
            "Zet het logo opnieuw in de huisstijl, als PNG of JPG, of kies --pdf-via libreoffice.",
        )
    culprit = ""
    for block in document_blocks:
        if any(len(piece) >= 3 and piece in message for piece in _texts(block)):
            culprit = _block_text(block)[:120]
            break
    where = f" bij de tekst '{culprit}'" if culprit else ""
    return UserError(
        f"de PDF van '{name}' kan niet worden gemaakt{where} (melding van Typst: {message}).",
        "Maak het document als .docx, of kies --pdf-via libreoffice. Meld dit ook aan de beheerder van de tool.",
    )


def _texts(block: b.Block) -> list[str]:
    """The texts of a block's runs, each as a whole (an answer, a template line)."""
    if isinstance(block, b.Heading | b.Paragraph):
        cells = [block.runs]
    elif isinstance(block, b.ListBlock):
        cells = block.items
    elif isinstance(block, b.Table):
        cells = [cell for row in [block.header, *block.rows] for cell in row]
    else:
        cells = []
    return [run.text.strip() for cell in cells for run in cell]


def _block_text(block: b.Block) -> str:
    if isinstance(block, b.Heading | b.Paragraph):
        return b.plain(block.runs)
    if isinstance(block, b.ListBlock):
        return " ".join(b.plain(item) for item in block.items)
    if isinstance(block, b.Table):
        return " ".join(b.plain(cell) for row in [block.header, *block.rows] for cell in row)
    return ""


# --- the data the template reads ------------------------------------------------------------


def _document(document_blocks: Sequence[b.Block], meta: Meta, style: HouseStyle, engine: _Engine) -> str:
    from wizard import wordwriter

    meta = wordwriter._clean_meta(meta)
    label = meta.labels.get
    look = style.look
    page = label("pagina", "")
    content = {
        "meta": {
            "title": meta.title,
            "document_title": meta.document_title or meta.title,
            "author": meta.author,
            "keywords": list(meta.keywords),
            # The PDF's Subject is the .docx's subject (its description there says the status).
            "description": meta.subject or f"{meta.status}, gemaakt met beleidsnotitie.",
            "header": meta.header,
            "title_page": meta.title_page,
            "subtitle": f"{label('gemeente', '')} {meta.municipality}".strip(),
            "facts": [
                [f"{label(key, key)}", value]
                for key, value in (
                    ("status", meta.status),
                    ("versie", meta.version),
                    ("datum", meta.date),
                    ("auteur", meta.author),
                )
            ],
            "contents_label": label("inhoud", "") or "Inhoud",
            "toc_levels": max(1, min(3, meta.toc_levels)),
            "page_label": f"{page} " if page else "",
            "of_label": f" {label('van', '/')} ",
        },
        "look": {
            "page_width": look.page_width,
            "page_height": look.page_height,
            "margin_top": look.margin_top,
            "margin_bottom": look.margin_bottom,
            "margin_left": look.margin_left,
            "margin_right": look.margin_right,
            "fonts": _fonts(style.font),
            "size": style.font_size / 2,
            "after": look.after,
            "headings": [_text_look(h) for h in look.headings],
            "title": _text_look(look.title),
            "subtitle": _text_look(look.subtitle),
            "rule": look.title.colour or "4F81BD",
            "own_first_page": style.own_first_page,
            "first": _band(look.first, engine),
            "header": _band(look.header, engine),
            "footer": _band(look.footer, engine),
        },
        "groups": _groups(document_blocks, style),
    }
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"))


def _fonts(font: str) -> list[str]:
    return [font, twin(font)] if font else [_FALLBACK]


def _text_look(look: TextLook) -> dict[str, Any]:
    return {
        "fonts": _fonts(look.font),
        "size": look.size,
        "colour": look.colour,
        "bold": look.bold,
        "above": look.above,
        "below": look.below,
    }


def _band(band: Band | None, engine: _Engine) -> dict[str, Any] | None:
    if band is None:
        return None
    return {
        "texts": [b.clean(text) for text in band.texts],
        "logo": _logo(band.logo, band.logo_type, engine),
        "logo_width": band.logo_width,
    }


def _logo(data: bytes | None, kind: str, engine: _Engine) -> str | None:
    """Put the logo in the compiler's folder once; return its file name for the template."""
    if not data or kind not in ("png", "jpg", "gif", "svg"):
        return None
    name = f"logo-{hashlib.sha256(data).hexdigest()[:16]}.{kind}"
    if name not in engine.logos:
        (engine.root / name).write_bytes(data)
        engine.logos.add(name)
    return name


def _runs(runs: Sequence[b.Run]) -> str | list[list[Any]]:
    """[text, bold, open] per run; a euro sign never ends a line without its amount. Plain
    text without a line break (most paragraphs) is one string: less work for Typst."""
    texts = [b.clean(r.text.replace("€ ", "€\u00a0")).replace("\n", b.SOFT_BREAK) for r in runs]
    if not any(r.bold or r.open for r in runs) and not any(b.SOFT_BREAK in text for text in texts):
        return "".join(texts)
    return [[text, r.bold, r.open] for text, r in zip(texts, runs, strict=True)]


def _block(block: b.Block, style: HouseStyle) -> dict[str, Any]:
    from wizard import wordwriter

    if isinstance(block, b.Heading):
        return {"t": "h", "level": max(1, min(3, block.level)), "runs": _runs(block.runs)}
    if isinstance(block, b.Paragraph):
        return {"t": "p", "note": block.style == "note", "runs": _runs(block.runs)}
    if isinstance(block, b.ListBlock):
        return {
            "t": "list",
            "ordered": block.ordered,
            "checks": block.checks,
            "items": [_runs(item) for item in block.items],
            "start": 1,
        }
    if isinstance(block, b.Table):
        columns = max(1, len(block.header))
        rows = [[_runs(cell) for cell in (row + [[]] * columns)[:columns]] for row in block.rows]
        if block.signature:
            widths, size = [1] * columns, None
        else:
            widths, half_points = wordwriter._column_widths(block, style)
            size = half_points / 2 if half_points else None
        return {
            "t": "table",
            "signature": block.signature,
            "header": [_runs(cell) for cell in block.header],
            "rows": rows,
            "widths": [max(1, w) for w in widths] or [1],
            "size": size,
        }
    if isinstance(block, b.PageBreak):
        return {"t": "page"}
    if isinstance(block, b.WritingSpace):
        return {"t": "space", "lines": block.lines}
    return {"t": "toc"}


def _groups(document_blocks: Sequence[b.Block], style: HouseStyle) -> list[dict[str, Any]]:
    """The blocks in groups that stay on one page, by the rules the Word writer uses for
    keepNext (wordwriter._kept_together): a finding with its advice and source, a short
    table with the sentence before it, the signatures with the lines before them. A short
    table is itself one group; a long one may break, and its header row repeats."""
    from wizard import wordwriter

    kept = wordwriter._kept_together(document_blocks)
    groups: list[dict[str, Any]] = []
    current: list[dict[str, Any]] = []
    joined = False  # the previous block keeps with this one
    for index, block in enumerate(document_blocks):
        data = _block(block, style)
        short_table = (isinstance(block, b.Table) and len(block.rows) <= wordwriter._SHORT_TABLE_ROWS) or (
            isinstance(block, b.Table) and block.signature
        )
        keep = kept.get(index, "")
        if keep.startswith("last:") and isinstance(block, b.ListBlock) and len(block.items) > 1:
            # Only the last item goes with what follows (never sign a page without a decision point).
            last = dict(data, items=data["items"][-1:], start=len(block.items))
            data = dict(data, items=data["items"][:-1])
            if not joined and current:
                groups.append({"keep": len(current) > 1, "blocks": current})
                current = []
            current.append(data)
            joined, data = False, last
        if not joined and current:
            groups.append({"keep": len(current) > 1, "blocks": current})
            current = []
        current.append(data)
        joined = "keepNext" in keep
        if short_table and not joined:
            groups.append({"keep": True, "blocks": current})
            current = []
    if current:
        groups.append({"keep": len(current) > 1, "blocks": current})
    return groups
