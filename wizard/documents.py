"""The kinds of document the tool writes, each described by `templates/<soort>/document.yaml`.

A kind has its text in `<soort>.md.j2` and its fixed words (title, title-page labels,
header line, file-name suffix) in `document.yaml`, so an advisor can change every
word of a document without touching Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import yamlsource
from wizard.errors import Collector, DataError, Problem, suggest
from wizard.resources import templates_dir

# The kinds `maak` can write, in the order it writes them.
DRAFT_KINDS = ("notitie", "raadsvoorstel")

_REQUIRED = ("titel", "onderwerp")
_LABELS = ("gemeente", "status", "versie", "datum", "auteur", "inhoud", "pagina", "van")
_FIELDS = {
    "titel": str,
    "onderwerp": str,
    "trefwoorden": list,
    "achtervoegsel": str,
    "status": str,
    "status_definitief": str,
    "inhoud_niveaus": int,
    "titelpagina": bool,
    "kopregel": str,
    "labels": dict,
}
_HEADER_NAMES = ("gemeente", "titel", "status")


@dataclass
class Meta:
    """What goes on the title page, in the header and footer, and into the document properties."""

    title: str
    municipality: str
    date: str
    version: str
    author: str
    status: str = "Concept"
    keywords: Sequence[str] = ()
    subject: str = ""
    document_title: str = ""  # the title in the properties (and so in a PDF's window)
    header: str = ""  # the header line; empty: none
    labels: Mapping[str, str] = field(default_factory=dict)  # words on the title page and footer
    title_page: bool = True
    toc_levels: int = 2  # heading levels the table of contents lists


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: its template folder and its fixed words."""

    name: str
    title: str
    subject: str
    keywords: tuple[str, ...] = ()
    suffix: str = ""  # added to the answers file's name: oosterhaven-raadsvoorstel.docx
    status: str = "Concept"
    final_status: str = "Definitief"  # the status of a definitive version (--definitief)
    title_page: bool = True
    toc_levels: int = 2
    header: str = "Gemeente {gemeente} · {titel} · {status}"
    labels: tuple[tuple[str, str], ...] = ()

    def file_name(self, stem: str, extension: str) -> str:
        return f"{stem}{self.suffix}.{extension}"


def load(name: str, folder: Path | None = None) -> DocumentKind:
    """Load and check `templates/<name>/document.yaml` (or the one in `folder`)."""
    folder = folder or templates_dir() / name
    path = folder / "document.yaml"
    if not path.is_file():
        raise DataError(
            [
                Problem(
                    f"het document '{name}' heeft geen document.yaml.",
                    file=folder,
                    hint="Zet het bestand terug.",
                )
            ]
        )
    located = yamlsource.load_file(path)
    data = located.data
    if not isinstance(data, dict):
        raise DataError([Problem("hier hoort een lijst met velden (titel:, onderwerp:, …).", file=path)])
    problems = Collector()
    if data.get("titelpagina") in ("ja", "nee"):
        data["titelpagina"] = data["titelpagina"] == "ja"

    def problem(message: str, key: tuple[str, ...], hint: str | None = None) -> None:
        problems.add(Problem(message, file=path, line=located.line(key), field=".".join(key), hint=hint))

    for key, value in data.items():
        expected = _FIELDS.get(key)
        if expected is None:
            problem("onbekend veld.", (key,), suggest(key, _FIELDS) or f"Kies uit: {', '.join(_FIELDS)}.")
        elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            problem(f"dit veld hoort {_TYPE_WORDS[expected]} te zijn.", (key,))
    for key in _REQUIRED:
        if key not in data:
            problem("dit veld ontbreekt.", (key,), "Geef de titel en het onderwerp van het document.")
    raw_keywords = data.get("trefwoorden")
    keywords: list[Any] = raw_keywords if isinstance(raw_keywords, list) else []
    for index, word in enumerate(keywords):
        if not isinstance(word, str):
            problems.add(
                Problem(
                    "een trefwoord hoort tekst te zijn.", file=path, line=located.line(("trefwoorden", index))
                )
            )
    raw_labels = data.get("labels")
    labels: dict[str, Any] = raw_labels if isinstance(raw_labels, dict) else {}
    for key, value in labels.items():
        if key not in _LABELS:
            problem(
                "onbekend label.",
                ("labels", key),
                suggest(key, _LABELS) or f"Kies uit: {', '.join(_LABELS)}.",
            )
        elif not isinstance(value, str):
            problem("een label hoort tekst te zijn.", ("labels", key))
    missing = [key for key in _LABELS if key not in labels]
    if missing:
        problem(f"deze labels ontbreken: {', '.join(missing)}.", ("labels",))
    levels = data.get("inhoud_niveaus")
    if isinstance(levels, int) and not 1 <= levels <= 3:
        problem("kies 1, 2 of 3 (de kopniveaus in de inhoudsopgave).", ("inhoud_niveaus",))
    header = data.get("kopregel")
    if isinstance(header, str):
        _check_header(header, path, located.line(("kopregel",)), problems)
    problems.raise_if_any()
    return DocumentKind(
        name=name,
        title=data["titel"],
        subject=data["onderwerp"],
        keywords=tuple(keywords),
        suffix=data.get("achtervoegsel", ""),
        status=data.get("status", DocumentKind.status),
        final_status=data.get("status_definitief", DocumentKind.final_status),
        toc_levels=data.get("inhoud_niveaus", DocumentKind.toc_levels),
        title_page=data.get("titelpagina", True),
        header=data.get("kopregel", DocumentKind.header),
        labels=tuple((key, labels[key]) for key in _LABELS),
    )


_TYPE_WORDS: dict[type, str] = {
    str: "tekst",
    int: "een getal",
    list: "een lijst",
    bool: "ja of nee",
    dict: "een lijst met velden",
}


def _check_header(text: str, path: Path, line: int | None, problems: Collector) -> None:
    """The header line may name {gemeente}, {titel} and {status}, nothing else."""
    import string

    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        problems.add(
            Problem(
                "de kopregel heeft een losse { of }.",
                file=path,
                line=line,
                field="kopregel",
                hint="Schrijf {gemeente}, {titel} of {status}, of laat de accolades weg.",
            )
        )
        return
    for name in names:
        if name not in _HEADER_NAMES:
            problems.add(
                Problem(
                    f"onbekende plek '{{{name}}}' in de kopregel.",
                    file=path,
                    line=line,
                    field="kopregel",
                    hint=suggest(name, _HEADER_NAMES) or "Kies uit {gemeente}, {titel} en {status}.",
                )
            )


def meta(
    kind: DocumentKind, municipality: str, date: str, version: str = "", author: str = "", final: bool = False
) -> Meta:
    """The fixed words of `kind` filled in for one document; `final`: a definitive version,
    whose status (header, title page, properties) is not "Concept"."""
    labels = dict(kind.labels)
    status = kind.final_status if final else kind.status
    # A name is one line wherever it stands (header, title, properties): a new line or a run of
    # spaces typed into the answer becomes one space.
    municipality = " ".join(municipality.split())
    values = {"gemeente": municipality, "titel": kind.title, "status": status}
    return Meta(
        title=kind.title,
        municipality=municipality,
        date=date,
        version=version,
        author=author,
        status=status,
        keywords=[*kind.keywords, *([municipality] if municipality else [])],
        subject=kind.subject,
        document_title=f"{kind.title} – {labels['gemeente']} {municipality}" if municipality else kind.title,
        header=kind.header.format(**values),
        labels=labels,
        title_page=kind.title_page,
        toc_levels=kind.toc_levels,
    )
