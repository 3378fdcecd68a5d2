"""Answers files: load and check against the questionnaire, save atomically.

An answers file is plain YAML keyed by question ids, with `formaat: 1` and, when the person
chose one, `route: kort` or `route: volledig` (the route through the questionnaire; the
documents and the overview follow it; absent means the full route). Partial files
are valid (the wizard resumes them). Loading reports every problem at once, each
with its line and field. Group items are lists of mappings keyed by field id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard import atomic, migrate, roundtrip, yamlsource
from wizard.errors import Collector, DataError, Problem, suggest
from wizard.kinds import MAX_TEXT, Context, Invalid, shown, text_value, what
from wizard.questionnaire import FULL, ROUTES, Question, Questionnaire
from wizard.yamlsource import Located, PathKey, load_file, load_text

FORMAT_VERSION = 1
FORMAT_KEY = "formaat"
NOTES_KEY = "werksessie"  # notes from a workshop, per section id
ROUTE_KEY = "route"  # the route chosen in the wizard: kort or volledig (wizard.questionnaire.ROUTES)
__all__ = [
    "MAX_TEXT",
    "Answers",
    "check_value",
    "dump",
    "from_mapping",
    "from_text",
    "load",
    "save",
    "snapshot",
]


@dataclass
class Answers:
    """Checked answers: question id → value (None or absent means not answered)."""

    values: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    saved: dict[str, Any] | None = None  # what the file on disk holds (checked), to change only what changed
    upgraded: list[str] = field(default_factory=list)  # what wizard.migrate changed, one Dutch line each
    route: str | None = None  # "kort" or "volledig" when chosen; None reads as the full route
    # The file's encoding as it was read (yamlsource.decode); a save keeps it, except that a
    # Windows-1252 file becomes UTF-8, which the line in `upgraded` said when it was read.
    encoding: str = yamlsource.UTF8

    @property
    def on_route(self) -> str:
        """The route the file follows: the one chosen, else the full route."""
        return self.route or FULL

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


class NotSaved(DataError):
    """The file was changed outside this program and no longer loads: it is not written over."""


def load(path: Path, questionnaire: Questionnaire) -> Answers:
    """Load and check an answers file; raise DataError listing every problem."""
    return _check(load_file(path, number_text=True), questionnaire, path)


def from_text(text: str, questionnaire: Questionnaire, name: str = "<tekst>") -> Answers:
    return _check(load_text(text, name, number_text=True), questionnaire, None)


def from_mapping(data: Mapping[str, Any], questionnaire: Questionnaire, name: str = "<gegevens>") -> Answers:
    """Check answers given as Python data (rule examples, tests)."""
    return _check(Located(data=dict(data), file=name), questionnaire, None)


_ACCOUNT_KEY = "kader_vingerafdruk"  # only a verantwoording has it (questions/verantwoording.yaml)


def _check(doc: Located, questionnaire: Questionnaire, path: Path | None) -> Answers:
    problems = Collector()
    data = doc.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataError(
            [
                Problem(
                    "een antwoordenbestand bestaat uit regels 'vraag: antwoord'.",
                    file=doc.file,
                    line=1,
                    hint="Begin bijvoorbeeld met 'gemeente_naam: Zeewolde'.",
                )
            ]
        )
    if _ACCOUNT_KEY in data and _ACCOUNT_KEY not in questionnaire.by_id:
        # one clear sentence instead of twenty "onbekende vraag" lines
        raise DataError(
            [
                Problem(
                    "dit is een verantwoording (over een jaar van een kader), geen antwoordenbestand van een kader.",
                    file=doc.file,
                    line=doc.line((_ACCOUNT_KEY,)),
                    hint="Geef hier het antwoordenbestand van het kader op. Een verantwoording hoort bij "
                    "'beleidsnotitie evaluatie' of 'beleidsnotitie volgend-kader'.",
                )
            ]
        )
    version_problem = _format_problem(data.get(FORMAT_KEY, FORMAT_VERSION))
    if version_problem is not None:
        message, hint = version_problem
        problems.add(
            Problem(message, file=doc.file, line=doc.line((FORMAT_KEY,)), field=FORMAT_KEY, hint=hint)
        )
    values: dict[str, Any] = {}
    notes: dict[str, str] = {}
    route: str | None = None
    context = _context(data, questionnaire)
    section_ids = [s.id for s in questionnaire.sections]
    for key, raw in data.items():
        if key == FORMAT_KEY:
            continue
        if key == NOTES_KEY:
            notes = _check_notes(doc, raw, section_ids, problems)
            continue
        if key == ROUTE_KEY:
            if raw is not None and raw not in ROUTES:
                problems.add(
                    _p(
                        doc,
                        (key,),
                        f"onbekende route '{shown(raw)}'."
                        if isinstance(raw, str)
                        else f"hier hoort 'kort' of 'volledig', geen {what(raw)}.",
                        "Kies 'kort' of 'volledig', of haal de regel weg.",
                    )
                )
            route = raw if raw in ROUTES else None
            continue
        question = questionnaire.by_id.get(key)
        if question is None:
            problems.add(
                Problem(
                    f"onbekende vraag '{shown(key)}'.",
                    file=doc.file,
                    line=doc.line((key,)),
                    field=key,
                    hint=suggest(key, questionnaire.by_id) or "Controleer de spelling, of haal de regel weg.",
                )
            )
            continue
        value = check_value(question, raw, doc, (key,), problems, context)
        if value is not None:
            values[key] = value
    problems.raise_if_any()
    saved = _snapshot(values, notes, route)
    values, upgraded = migrate.upgrade(values)
    if doc.encoding == yamlsource.CP1252:
        upgraded.insert(0, yamlsource.CP1252_NOTE)
    return Answers(
        values=values,
        notes=notes,
        path=path,
        saved=saved,
        upgraded=upgraded,
        route=route,
        encoding=doc.encoding,
    )


def _format_problem(version: Any) -> tuple[str, str] | None:
    """What is wrong with the `formaat:` line, as (message, hint); None when it is 1.

    `formaat: 1` and `formaat: "1"` are the same; `true` is no number (YAML reads it as 1)."""
    if isinstance(version, str) and version.strip().isdigit():
        version = int(version)
    if version == FORMAT_VERSION and isinstance(version, int) and not isinstance(version, bool):
        return None
    fix = f"Zet 'formaat: {FORMAT_VERSION}', of haal de regel weg."
    if version is None:
        return "'formaat' is leeg.", fix
    if isinstance(version, int) and not isinstance(version, bool):
        return (
            f"formaat {version} wordt niet ondersteund (deze versie leest formaat {FORMAT_VERSION}).",
            f"Gebruik een nieuwere versie van beleidsnotitie, of zet 'formaat: {FORMAT_VERSION}'.",
        )
    if isinstance(version, str):
        return f"'{shown(version)}' is geen formaat; het formaat is een heel getal.", fix
    return f"hier hoort het getal {FORMAT_VERSION}, geen {what(version)}.", fix


def _context(data: dict[str, Any], questionnaire: Questionnaire) -> Context:
    """The note's year comes from its own date answer, when that is a date."""
    question = questionnaire.by_id.get("datum")
    if question is None or data.get("datum") is None:
        return Context.today()
    try:
        date = question.kind.parse(question, data["datum"], Context.today())
    except Invalid:
        return Context.today()
    return Context.of({"datum": date})


def _check_notes(doc: Located, raw: Any, section_ids: list[str], problems: Collector) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.add(
            _p(doc, (NOTES_KEY,), "'werksessie' bevat per deel een tekst, bijvoorbeeld 'visie: ...'.")
        )
        return {}
    notes = {}
    for key, text in raw.items():
        if key not in section_ids:
            problems.add(
                _p(doc, (NOTES_KEY, key), f"onbekend deel '{shown(key)}'.", suggest(key, section_ids))
            )
        elif text is not None:
            notes[key] = _text(text, doc, (NOTES_KEY, key), problems) or ""
    return notes


def _p(doc: Located, path: PathKey, message: str, hint: str | None = None) -> Problem:
    return Problem(message, file=doc.file, line=doc.line(path), field=".".join(map(str, path)), hint=hint)


def check_value(
    question: Question,
    raw: Any,
    doc: Located,
    path: PathKey,
    problems: Collector,
    context: Context | None = None,
) -> Any:
    """Return the checked value of one answer, or None (adding a problem per thing wrong).

    The question's kind (wizard.kinds) does the checking, exactly as for typed answers.
    """
    if raw is None:
        return None
    try:
        return question.kind.parse(question, raw, context or Context.today())
    except Invalid as exc:
        for issue in exc.issues:
            problems.add(_p(doc, (*path, *issue.at), issue.message, issue.hint))
        return None


def _text(raw: Any, doc: Located, path: PathKey, problems: Collector) -> str | None:
    try:
        return text_value(raw)
    except Invalid as exc:
        problems.add(_p(doc, path, exc.issues[0].message, exc.issues[0].hint))
        return None


# --- saving --------------------------------------------------------------------


def dump(answers: Answers, questionnaire: Questionnaire, readable: bool = True) -> str:
    """Return the answers as YAML, in questionnaire order, a comment per section.

    `readable=False` is for a copy only the tool reads back (the answers kept inside a
    document): libyaml's emitter writes the same data about ten times faster, but shows
    signs outside the basic plane (an emoji) as escapes such as "\\U0001F600". It is one
    YAML mapping without the comments, in one call of the emitter."""
    if not readable:
        data: dict[str, Any] = {FORMAT_KEY: FORMAT_VERSION}
        if answers.route:
            data[ROUTE_KEY] = answers.route
        for section in questionnaire.sections:
            for question in section.questions:
                if question.id in answers.values:
                    data[question.id] = roundtrip.writable(answers.values[question.id])
        if answers.notes:
            data[NOTES_KEY] = answers.notes
        return _yaml(data, readable=False)
    lines = [
        "# Antwoorden voor de beleidsnotitie internationale samenwerking.",
        "# U mag dit bestand met de hand aanpassen. Maak daarna een nieuw concept met:",
        "#   beleidsnotitie maak <dit bestand>",
        f"{FORMAT_KEY}: {FORMAT_VERSION}",
    ]
    if answers.route:
        lines.append(f"{ROUTE_KEY}: {answers.route}")
    for section in questionnaire.sections:
        present = [q for q in section.questions if q.id in answers.values]
        if not present:
            continue
        lines.append("")
        lines.append(f"# --- {section.titel} ---")
        for question in present:
            chunk = {question.id: roundtrip.writable(answers.values[question.id])}
            lines.append(_yaml(chunk, readable).rstrip("\n"))
    if answers.notes:
        lines.append("")
        lines.append(f"# --- {_NOTES_TITLE} ---")
        lines.append(_yaml({NOTES_KEY: answers.notes}, readable).rstrip("\n"))
    return "\n".join(lines) + "\n"


_NOTES_TITLE = "Toelichting uit de werksessie"


def _yaml(data: Any, readable: bool = True) -> str:
    import yaml  # only when saving: the wizard's first question comes before it

    dumper = yaml.SafeDumper if readable else getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(
        data,
        Dumper=dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=roundtrip.WIDTH,
    )


def _snapshot(values: dict[str, Any], notes: dict[str, str], route: str | None = None) -> dict[str, Any]:
    import copy

    snapshot = copy.deepcopy(values)
    if route:
        snapshot[ROUTE_KEY] = route
    if notes:
        snapshot[NOTES_KEY] = dict(notes)
    return snapshot


def snapshot(answers: Answers) -> dict[str, Any]:
    """What an answers file holds of `answers`, in the form `Answers.saved` keeps (the route and
    the notes under their own keys)."""
    return _snapshot(answers.values, answers.notes, answers.route)


def save(answers: Answers, questionnaire: Questionnaire, path: Path) -> bytes:
    """Write the answers atomically: a crash leaves the previous file intact.

    A file the person already has is changed in place, round trip: comments (also the
    `# yaml-language-server: $schema=` line), key order, the way untouched values are
    written and a symbolic link all stay as they were; only changed answers are rewritten.
    The file keeps the encoding it was read in (UTF-8, with or without BOM, UTF-16 or UTF-32),
    whatever the locale; a Windows-1252 file becomes UTF-8 (its loading said so), as does a new file.
    Returns the bytes written (the file's content now).
    """
    target = _through_link(path)
    if atomic.read_only(target):  # marked read-only by someone: never replaced, on any platform
        raise NotSaved([atomic.read_only_problem(target)])
    current = _snapshot(answers.values, answers.notes, answers.route)
    if answers.saved is None or not target.exists():
        text = dump(answers, questionnaire)
    else:
        old = answers.saved
        if not roundtrip.known(target):
            old, current = _take_in_outside_changes(target, answers, old, current, questionnaire)
        text = _round_trip(target, old, current, questionnaire) or dump(answers, questionnaire)
    data = yamlsource.encode(text, answers.encoding)
    atomic.write_bytes(target, data)
    answers.saved = current
    if answers.encoding == yamlsource.CP1252:
        answers.encoding = yamlsource.UTF8
    return data


def _take_in_outside_changes(
    target: Path, answers: Answers, old: dict[str, Any], current: dict[str, Any], questionnaire: Questionnaire
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The file changed since this session read or wrote it (by hand, in an editor).

    Each answer this session changed is written as the session has it, whole (never merged
    item by item into a list someone else reordered); every other answer keeps the file's
    version, and the session takes those over. Returns what the file holds and what to write."""
    import copy

    if old and emptied(target):
        raise NotSaved([_emptied_problem(target)])
    on_disk = _load_kept(target, questionnaire)
    theirs = _snapshot(on_disk.values, on_disk.notes, on_disk.route)
    if theirs != old:  # changed since the session last looked: read it only once it is written whole
        if not settled(target):
            raise NotSaved([_writing_problem(target)])
        on_disk = _load_kept(target, questionnaire)
        theirs = _snapshot(on_disk.values, on_disk.notes, on_disk.route)
    answers.encoding = on_disk.encoding  # saved again in an editor: keep what it chose
    if theirs == old:
        return old, current
    mine = {key for key in set(old) | set(current) if old.get(key) != current.get(key)}
    # The same answer changed there too, in the moment since the session last looked (refresh):
    # neither may win unseen, so nothing is written (the session looks again and shows theirs).
    clash = [k for k in sorted(mine) if theirs.get(k) != old.get(k) and theirs.get(k) != current.get(k)]
    if clash:
        raise NotSaved([_clash_problem(target, key, on_disk, questionnaire) for key in clash])
    merged = {key: value for key, value in theirs.items() if key not in mine}
    merged.update({key: current[key] for key in mine if key in current})
    answers.values.clear()
    answers.values.update(copy.deepcopy({k: v for k, v in merged.items() if k not in (ROUTE_KEY, NOTES_KEY)}))
    answers.notes.clear()
    answers.notes.update(merged.get(NOTES_KEY, {}))
    answers.route = merged.get(ROUTE_KEY)
    return theirs, merged


def _through_link(path: Path) -> Path:
    """The file a symbolic link points to: saving replaces that file and keeps the link."""
    return path.resolve() if path.is_symlink() else path


def emptied(path: Path) -> bool:
    """Whether the file is there but holds nothing (or only blanks): an editor that saves by
    emptying the file and then writing into it (Notepad does) is caught in between. Such a file
    is never taken for 'every answer removed' nor written over: the editor's text would go into
    the file this program had just replaced, and every answer would be lost."""
    try:
        return not yamlsource.read_limited(path).strip(b" \t\r\n\x00")
    except DataError:
        return False


def _load_kept(target: Path, questionnaire: Questionnaire) -> Answers:
    """The file as it is now; NotSaved when it does not load (it is kept, not written over)."""
    try:
        return load(target, questionnaire)
    except DataError as exc:
        # Writing over it would lose that edit (a half-typed list, a stray quote): keep the
        # file as it is and say why.
        raise NotSaved(
            [
                Problem(
                    "het bestand is buiten dit programma veranderd en is nu geen geldig antwoordenbestand. "
                    "Het nieuwe antwoord is daarom niet bewaard; het bestand blijft zoals het is.",
                    file=target.name,
                    hint="Herstel het bestand (de fout staat hieronder) en sla daarna opnieuw op.",
                ),
                *exc.problems,
            ]
        ) from exc


SETTLE = 0.25  # seconds a file changed elsewhere must stay the same before it is read


def settled(path: Path, looks: int = 4) -> bool:
    """Whether the file stays the same for SETTLE seconds (within `looks` tries): an editor that
    writes it in pieces (empties it, writes half, then the rest) must not be read in between, nor
    written over (its rest would go into the file this program had just replaced)."""
    import time

    try:
        before = yamlsource.read_limited(path)
    except DataError:
        return True  # loading it says what is wrong
    for _ in range(looks):
        time.sleep(SETTLE)
        try:
            now = yamlsource.read_limited(path)
        except DataError:
            return True
        if now == before:
            return True
        before = now
    return False


def _writing_problem(target: Path) -> Problem:
    return Problem(
        "het bestand wordt op dit moment in een ander programma opgeslagen. Het nieuwe antwoord is daarom "
        "niet bewaard; het bestand blijft zoals het is.",
        file=target.name,
        hint="Wacht even en bewaar dan opnieuw.",
    )


def _clash_problem(target: Path, key: str, on_disk: Answers, questionnaire: Questionnaire) -> Problem:
    from wizard.display import answer_text

    question = questionnaire.by_id.get(key)
    if key == NOTES_KEY:
        what, now = "een toelichting uit de werksessie", ""
    elif key == ROUTE_KEY or question is None:
        what, now = f"'{key}'", ""
    else:
        what, now = (
            f"het antwoord op '{question.label}'",
            answer_text(on_disk.values.get(key), question) or "",
        )
    told = f", in: {now}" if now and len(now) <= 200 else ""
    return Problem(
        f"{what} is op hetzelfde moment ook buiten dit programma veranderd{told}. Het nieuwe antwoord is "
        "daarom niet bewaard; het bestand blijft zoals het is.",
        file=target.name,
        hint="Laad de pagina opnieuw om te zien wat er nu staat, en bewaar dan opnieuw wat u wilt houden.",
    )


def _emptied_problem(target: Path) -> Problem:
    return Problem(
        "het bestand is leeg. Misschien slaat een ander programma het net op. Het nieuwe antwoord is "
        "daarom niet bewaard; het bestand blijft zoals het is.",
        file=target.name,
        hint="Wacht even en bewaar dan opnieuw. Heeft u het bestand met opzet leeggemaakt? Zet dan een "
        "antwoord terug, bijvoorbeeld 'formaat: 1', en bewaar opnieuw.",
    )


def prepare_saving(path: Path) -> None:
    """Read the file's round-trip form now (the web page): its first answer saves as fast as the next."""
    if path.exists():
        roundtrip.remember(_through_link(path))


def _round_trip(
    target: Path, old: dict[str, Any], new: dict[str, Any], questionnaire: Questionnaire
) -> str | None:
    """The file's text with only the changed answers rewritten; None when it cannot be kept.

    A text is only used when the tool's own loader reads the written answers back as they are
    (a text answer "Yes" must not come back as true, a pasted tab must not make the file
    unreadable); a partial text is a valid answers file, so only the written pieces are read."""
    order = [FORMAT_KEY, ROUTE_KEY] + [q.id for q in questionnaire.questions()] + [NOTES_KEY]
    titles = {q.id: s.titel for s in questionnaire.sections for q in s.questions}
    titles[NOTES_KEY] = _NOTES_TITLE

    def reads_back(text: str, expected: Mapping[str, Any]) -> bool:
        try:
            again = from_text(text, questionnaire, str(target))
        except DataError:
            return False
        read = _snapshot(again.values, again.notes, again.route)
        return all(read.get(key) == value for key, value in expected.items())

    return roundtrip.rewrite(target, old, new, order, titles, reads_back)
