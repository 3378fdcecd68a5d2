"""The questionnaire model: sections, questions and choice lists, loaded from YAML.

The keys of a question *are* the fields of `Question` (one table, QUESTION_KEYS, says how each
plain key is read and checked); this docstring is the spec of the data files in `questions/`:

`keuzelijsten.yaml` maps a list name to its options::

    motieven:
      - waarde: ideeel            # stable id, used in answers files and conditions
        label: Ideëel motief      # what the user sees
        uitleg: Solidariteit ...  # optional, shown as help and used in the document
        exclusief: true           # optional: "geen"-like, cannot be ticked together with others
        bron: ncdo_2008           # optional: the publication the option's name comes from
                                  # (one of CHOICE_SOURCES); the note names only the sources
                                  # of what was chosen

`vragenlijst.yaml` has `delen:` (sections, in order). A section has `id`, `titel`,
`rol` (gemeente, initiëren, kaderstellen, controleren), `inleiding` and `vragen`.
A question has:

- `id`: unique, lower case with underscores; the key in the answers file.
- `type`: tekst, lange_tekst, getal, bedrag, jaar, datum, ja_nee, keuze, meerkeuze,
  per_keuze (one text per option chosen in question `van`); what each means is in
  wizard/kinds.py, groep (repeating group
  with `velden`, a list of questions, and `naam`, how one item is named: "{partner} ({land})";
  "{naam|programma}" takes the first of these fields that is filled in).
- `label` (short, B1), `hint` (one line), `uitleg` (why it matters), `bron` (source).
- `keuzes`: for keuze/meerkeuze, the name of a list in keuzelijsten.yaml or an inline list.
- `min`, `max`: bounds for getal, bedrag and jaar. A jaar is also kept within 100 years
  before and 30 after the note's year (its `datum`, else today).
- `tijd`: for jaar, `verleden` (not after the note's year) or `toekomst` (not before it).
- `wanneer`: a condition (see wizard.conditions); the question applies only when it holds.
- `standaard`: a default offered in the wizard.
- `ontbreekt`: how a finding or the document names this answer while it is missing, as a
  phrase that fits in a list ("een werkplan", "een plafond per ramp"). Required on the
  answers a derived fact lists when they are missing (wizard/facts.py names them; a missing
  text is a load error, so a typo cannot silently drop an item from such a list).
- `kort`: true puts the question on the *short route* (`beleidsnotitie start --route kort`):
  the few questions that carry the council's decisions, for a first draft in about twenty
  minutes. On a group, `kort: true` puts the group on the short route and only its fields
  marked `kort: true` are asked per item (a group on the short route needs at least one).
  A field marked `kort` needs its group marked too, and the condition (`wanneer`) of a short
  question may only read questions on the short route, so the short route never depends on an
  answer it does not ask. The full route asks everything; a file begun on the short route
  goes on there later with only what is still open (wizard/walk.py).

`geld.yaml` holds the note's cost overview and the deadlines of the budget cycle; its
header comment explains the keys (`kostenoverzicht`: `bedrag`, `post`, `ontbreekt`,
`zonder_naam`; `begrotingsmomenten`: `dag`, `maand` per choice of the budget moment).

`verantwoording.yaml` is a second questionnaire with the same keys and kinds: what a year
(or the framework's term) brought, asked after the framework is adopted (`load(name=
VERANTWOORDING)`, wizard/evaluation.py). It shares the choice lists; the cost overview and the
framework's derived facts belong to `vragenlijst.yaml` only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from wizard import conditions
from wizard.errors import Collector, DataError, Problem, suggest
from wizard.kinds import KINDS, Kind, Money
from wizard.resources import questions_dir
from wizard.yamlsource import Located, PathKey, load_file

TYPES = tuple(KINDS)
TIMES = ("verleden", "toekomst")
FRAMEWORK, VERANTWOORDING = "vragenlijst", "verantwoording"  # the questionnaires in questions/
SHORT, FULL = "kort", "volledig"
ROUTES = (SHORT, FULL)  # the routes through the questionnaire (`kort:` marks the short one)
ROLES = ("gemeente", "initiëren", "kaderstellen", "controleren")
ROLE_LABELS = {
    "gemeente": "Gemeente",
    "initiëren": "Initiëren",
    "kaderstellen": "Kaderstellen",
    "controleren": "Controleren",
}

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SECTION_KEYS = {"id", "titel", "rol", "inleiding", "vragen"}
_CHOICE_KEYS = {"waarde", "label", "uitleg", "exclusief", "bron"}
# The publications an option's name may come from (`bron:` in keuzelijsten.yaml): the NCDO research
# summary (2008) and the VNG/NCDO grouping 'Partnerschap, daar draait het om' (2014). The note names
# them in its own words (templates/notitie/hoofdstukken/04_motieven_doelen.md.j2).
CHOICE_SOURCES = ("ncdo_2008", "vng_ncdo_2014")
_MONEY_KEYS = {"kostenoverzicht", "begrotingsmomenten"}
_COST_KEYS = {"bedrag", "post", "ontbreekt", "zonder_naam"}
_DEADLINE_KEYS = {"dag", "maand"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Choice:
    """One option of a list in keuzelijsten.yaml (or inline); its fields are the keys of an
    option in the YAML (see above)."""

    waarde: str
    label: str
    uitleg: str = ""
    exclusief: bool = False  # a "geen"-like option: it cannot be ticked together with others
    bron: str = ""  # the publication the name comes from (CHOICE_SOURCES), or "" when none says


@dataclass(frozen=True)
class Question:
    """One question; its fields are the keys of a question in the YAML (see above), plus where
    it stands (`group`, `section`, `line`)."""

    id: str
    type: str
    label: str
    hint: str = ""
    uitleg: str = ""
    bron: str = ""
    keuzes: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    wanneer: conditions.Condition | None = None
    standaard: Any = None
    van: str | None = None  # per_keuze: the meerkeuze question it follows
    velden: tuple[Question, ...] = ()  # groep: the questions asked per item
    naam: str = ""  # groep: how one item is named
    tijd: str | None = None  # jaar: "verleden" (not after the note's year) or "toekomst" (not before)
    kort: bool = False  # on the short route
    ontbreekt: str = ""  # how a reader names this answer while it is missing
    group: str | None = None  # set on the fields of a groep
    section: str = ""
    line: int | None = None  # where the question starts in vragenlijst.yaml (for problems)

    @property
    def kind(self) -> Kind:
        """What the `type` means: parsing, schema, display and prompt (wizard.kinds)."""
        return KINDS[self.type]

    @property
    def key(self) -> str:
        """The field name in conditions: `id`, or `groep.id` inside a repeating group."""
        return f"{self.group}.{self.id}" if self.group else self.id

    def choice_label(self, value: str) -> str:
        for choice in self.keuzes:
            if choice.waarde == value:
                return choice.label
        return value

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.waarde for c in self.keuzes)


@dataclass(frozen=True)
class CostItem:
    """One line of the cost overview (geld.yaml, `kostenoverzicht`): a yearly amount."""

    amount: str  # the question with the amount: 'dienstreis_kosten' or 'partnerschappen.budgetplafond'
    name: str  # the line in the table: 'Band met {partner} (plafond per jaar)'
    missing: str  # how a reader names it while the amount is missing
    unnamed: str = ""  # what stands in a {…} placeholder whose fields are all empty


@dataclass(frozen=True)
class Deadline:
    """The last day of a budget moment (geld.yaml, `begrotingsmomenten`), in the year
    before the budget year."""

    day: int
    month: int
    line: int | None = None


Check = Callable[[Any, Kind, str], "tuple[str, str | None] | None"]  # (value, kind, key): what is wrong


def _text(value: Any) -> str:
    return str(value or "").strip()


def _as_is(value: Any) -> Any:
    return value


def _bound(value: Any, kind: Kind, key: str) -> tuple[str, str | None] | None:
    if kind.has_bounds and isinstance(value, int | float):
        return None
    return f"'{key}' kan alleen een getal zijn bij getal, bedrag of jaar.", None


def _time(value: Any, kind: Kind, key: str) -> tuple[str, str | None] | None:
    if kind.name == "jaar" and value in TIMES:
        return None
    return "'tijd' is 'verleden' of 'toekomst', en alleen bij een jaar.", None


def _yes_no(value: Any, kind: Kind, key: str) -> tuple[str, str | None] | None:
    return None if isinstance(value, bool) else (f"'{key}' is true of false.", None)


def _missing_text(value: Any, kind: Kind, key: str) -> tuple[str, str | None] | None:
    if isinstance(value, str) and value.strip():
        return None
    return (
        "'ontbreekt' is een korte tekst: hoe de notitie dit antwoord noemt als het ontbreekt.",
        "Bijvoorbeeld 'ontbreekt: een werkplan'.",
    )


@dataclass(frozen=True)
class Key:
    """One key of a question in vragenlijst.yaml (and the Question field of that name): how it is
    read, and what is checked when it is there."""

    name: str  # the YAML key, which is also the Question field
    read: Callable[[Any], Any] = _text
    check: Check | None = None


# The one table of a question's plain keys. `id`, `type`, `keuzes`, `velden` and `wanneer` need
# the rest of the questionnaire and are read by the loader itself (STRUCTURE_KEYS).
QUESTION_KEYS = (
    Key("label"),
    Key("hint"),
    Key("uitleg"),
    Key("bron"),
    Key("min", _as_is, _bound),
    Key("max", _as_is, _bound),
    Key("standaard", _as_is),
    Key("van", _as_is),
    Key("naam", lambda v: str(v or "")),
    Key("tijd", lambda v: v if v in TIMES else None, _time),
    Key("kort", lambda v: v is True, _yes_no),
    Key("ontbreekt", lambda v: v.strip() if isinstance(v, str) else "", _missing_text),
)
STRUCTURE_KEYS = ("id", "type", "keuzes", "velden", "wanneer")
_QUESTION_KEYS = {*STRUCTURE_KEYS, *(key.name for key in QUESTION_KEYS)}


@dataclass
class Section:
    """One part of the questionnaire; its fields are the keys of a part in the YAML (see above),
    except `questions`, the parsed `vragen`."""

    id: str
    titel: str
    rol: str
    inleiding: str
    questions: list[Question]


@dataclass
class Questionnaire:
    sections: list[Section]
    choice_lists: dict[str, tuple[Choice, ...]]
    files: tuple[Path, ...] = ()
    by_id: dict[str, Question] = field(default_factory=dict)
    costs: tuple[CostItem, ...] = ()  # geld.yaml: the lines of the cost overview, in order
    deadlines: dict[str, Deadline] = field(default_factory=dict)  # geld.yaml: per budget moment

    def __post_init__(self) -> None:
        for question in self.questions():
            self.by_id[question.id] = question

    def questions(self) -> Iterator[Question]:
        """Top-level questions in order (group fields are inside their group)."""
        for section in self.sections:
            yield from section.questions

    def field_specs(self) -> dict[str, conditions.FieldSpec]:
        """The fields conditions may use: every question and every group field."""
        specs: dict[str, conditions.FieldSpec] = {}
        for question in self.questions():
            specs[question.key] = _spec(question)
            for sub in question.velden:
                specs[sub.key] = _spec(sub)
        return specs

    def question(self, key: str) -> Question | None:
        """The question behind a field name: 'id', or 'groep.id' for a field of a group."""
        group, _, sub = key.rpartition(".")
        if not group:
            return self.by_id.get(key)
        parent = self.by_id.get(group)
        return next((f for f in parent.velden if f.id == sub), None) if parent else None

    def section_of(self, question_id: str) -> Section:
        for section in self.sections:
            if any(q.id == question_id for q in section.questions):
                return section
        raise KeyError(question_id)


def _spec(question: Question) -> conditions.FieldSpec:
    return conditions.FieldSpec(
        kind=question.kind.condition_kind,
        choices=question.choice_values,
        group=question.group,
        label=question.label,
    )


def load_cached(name: str = FRAMEWORK) -> Questionnaire:
    """A bundled questionnaire, from the cache when its files did not change (wizard/cache.py)."""
    from wizard import cache

    files = sorted(questions_dir().glob("*.yaml"))
    return cache.cached(name, [cache.files_digest(files)], lambda: load(name=name))


def load(
    directory: Path | None = None,
    extra_fields: dict[str, conditions.FieldSpec] | None = None,
    name: str = FRAMEWORK,
) -> Questionnaire:
    """Load and validate a questionnaire (`name`: vragenlijst or verantwoording); raise
    DataError listing every problem. Only the framework's questionnaire has geld.yaml."""
    directory = directory or questions_dir()
    framework = name == FRAMEWORK
    lists_file = directory / "keuzelijsten.yaml"
    questions_file = directory / f"{name}.yaml"
    money_file = directory / "geld.yaml"
    problems = Collector()
    lists_doc = load_file(lists_file)
    doc = load_file(questions_file)
    money_doc = load_file(money_file) if framework else None
    choice_lists = _parse_choice_lists(lists_doc, problems)
    raw_conditions: list[tuple[Question, Any, PathKey]] = []  # the questions as first parsed
    sections: list[Section] = []
    seen: dict[str, PathKey] = {}
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("delen"), list):
        raise DataError([Problem("het bestand moet een lijst 'delen:' bevatten.", file=questions_file)])
    for s_index, raw in enumerate(data["delen"]):
        path: PathKey = ("delen", s_index)
        if not isinstance(raw, dict):
            problems.add(_p(doc, path, "een deel moet sleutels hebben (id, titel, rol, vragen)."))
            continue
        _check_keys(doc, path, raw, _SECTION_KEYS, problems)
        role = raw.get("rol")
        if role not in ROLES:
            problems.add(
                _p(doc, (*path, "rol"), f"onbekende rol '{role}'.", f"Kies uit: {', '.join(ROLES)}.")
            )
        questions = []
        for q_index, raw_q in enumerate(raw.get("vragen") or []):
            q_path: PathKey = (*path, "vragen", q_index)
            question = _parse_question(doc, q_path, raw_q, choice_lists, problems, None, raw_conditions)
            if question is None:
                continue
            question = replace(question, section=str(raw.get("id", "")))
            if question.id in seen:
                problems.add(_p(doc, q_path, f"de vraag-id '{question.id}' komt twee keer voor."))
            seen[question.id] = q_path
            questions.append(question)
        sections.append(
            Section(
                id=str(raw.get("id", "")),
                titel=str(raw.get("titel", "")),
                rol=str(role),
                inleiding=str(raw.get("inleiding", "") or "").strip(),
                questions=questions,
            )
        )
    files = (lists_file, questions_file, *((money_file,) if framework else ()))
    questionnaire = Questionnaire(sections, choice_lists, files=files)
    if money_doc is not None:
        _parse_money(money_doc, questionnaire, problems)
        # The derived facts name some answers when they are missing, and read the budget
        # moments: checked here, with everything else, so a gap is a load error and never a
        # silent omission (a misspelt 'ontbreekt' is reported as an unknown key *and* as a
        # missing text).
        from wizard import factneeds

        problems.extend(factneeds.check(questionnaire))
    problems.raise_if_any()
    changes = _check_cross_references(questionnaire, doc, seen, problems)
    specs = questionnaire.field_specs()
    if extra_fields:
        specs.update(extra_fields)
    for question, raw_condition, c_path in raw_conditions:
        try:
            when = conditions.parse(raw_condition, specs, doc, c_path, scope=question.group)
            changes.setdefault(question.key, {})["wanneer"] = when
        except DataError as exc:
            problems.extend(exc.problems)
    problems.raise_if_any()
    questionnaire = _with_changes(questionnaire, changes)
    _check_short_route(questionnaire, doc, seen, problems)
    problems.raise_if_any()
    return questionnaire


def _check_short_route(
    questionnaire: Questionnaire, doc: Located, seen: dict[str, PathKey], problems: Collector
) -> None:
    """The short route stands on its own: fields only in a short group, conditions only on it."""
    short = {q.key for q in questionnaire.questions() if q.kort}
    short |= {f.key for q in questionnaire.questions() if q.kort for f in q.velden if f.kort}
    for question in questionnaire.questions():
        path = seen.get(question.id, ())
        fields = [(f, (*path, "velden", i)) for i, f in enumerate(question.velden)]
        if question.kort and question.velden and not any(f.kort for f, _ in fields):
            problems.add(
                _p(
                    doc,
                    (*path, "kort"),
                    f"groep '{question.id}' staat op de korte route, maar geen van haar velden.",
                    "Zet 'kort: true' bij de velden die op de korte route horen.",
                )
            )
        for sub, sub_path in [(question, path), *fields]:
            if not sub.kort:
                continue
            if sub.group and not question.kort:
                problems.add(
                    _p(
                        doc,
                        (*sub_path, "kort"),
                        f"veld '{sub.id}' staat op de korte route, maar groep '{question.id}' niet.",
                        "Zet ook 'kort: true' bij de groep.",
                    )
                )
            used = conditions.fields_used(sub.wanneer) if sub.wanneer is not None else set()
            for name in sorted(used - short):
                problems.add(
                    _p(
                        doc,
                        (*sub_path, "wanneer"),
                        f"vraag '{sub.key}' staat op de korte route, maar haar voorwaarde leest "
                        f"'{name}', dat daar niet op staat.",
                        f"Zet ook 'kort: true' bij '{name}', of haal 'kort' hier weg.",
                    )
                )


def _p(doc: Located, path: PathKey, message: str, hint: str | None = None) -> Problem:
    return Problem(message, file=doc.file, line=doc.line(path), field=_dotted(path), hint=hint)


def _dotted(path: PathKey) -> str:
    return ".".join(str(p) for p in path)


def _check_keys(
    doc: Located, path: PathKey, raw: dict[str, Any], allowed: set[str], problems: Collector
) -> None:
    for key in raw:
        if key not in allowed:
            problems.add(_p(doc, (*path, key), f"onbekende sleutel '{key}'.", suggest(key, allowed)))


def _parse_choice_lists(doc: Located, problems: Collector) -> dict[str, tuple[Choice, ...]]:
    lists: dict[str, tuple[Choice, ...]] = {}
    if not isinstance(doc.data, dict):
        problems.add(Problem("het bestand moet keuzelijsten met een naam bevatten.", file=doc.file))
        return lists
    for name, items in doc.data.items():
        lists[name] = _parse_choices(doc, (name,), items, problems)
    return lists


def _parse_choices(doc: Located, path: PathKey, items: Any, problems: Collector) -> tuple[Choice, ...]:
    if not isinstance(items, list) or not items:
        problems.add(_p(doc, path, "een keuzelijst moet minstens één keuze bevatten."))
        return ()
    result = []
    values: set[str] = set()
    for index, item in enumerate(items):
        i_path: PathKey = (*path, index)
        if not isinstance(item, dict) or "waarde" not in item or "label" not in item:
            problems.add(_p(doc, i_path, "elke keuze heeft een 'waarde' en een 'label'."))
            continue
        _check_keys(doc, i_path, item, _CHOICE_KEYS, problems)
        value = str(item["waarde"])
        if not _ID.match(value):
            problems.add(
                _p(
                    doc,
                    (*i_path, "waarde"),
                    f"'{value}' is geen geldige waarde.",
                    "Gebruik kleine letters, cijfers en _.",
                )
            )
        if value in values:
            problems.add(_p(doc, (*i_path, "waarde"), f"de waarde '{value}' komt twee keer voor."))
        values.add(value)
        exclusive = item.get("exclusief", False)
        if not isinstance(exclusive, bool):
            problems.add(_p(doc, (*i_path, "exclusief"), "'exclusief' is true of false."))
        source = item.get("bron", "")
        if source != "" and source not in CHOICE_SOURCES:
            problems.add(
                _p(
                    doc,
                    (*i_path, "bron"),
                    f"onbekende bron '{source}'.",
                    f"Kies uit: {', '.join(CHOICE_SOURCES)}, of laat 'bron' weg als geen bron deze keuze noemt.",
                )
            )
        result.append(
            Choice(
                value,
                str(item["label"]),
                str(item.get("uitleg", "") or "").strip(),
                exclusief=exclusive is True,
                bron=source if source in CHOICE_SOURCES else "",
            )
        )
    return tuple(result)


def _parse_question(
    doc: Located,
    path: PathKey,
    raw: Any,
    choice_lists: dict[str, tuple[Choice, ...]],
    problems: Collector,
    group: str | None,
    raw_conditions: list[tuple[Question, Any, PathKey]],
) -> Question | None:
    if not isinstance(raw, dict):
        problems.add(_p(doc, path, "een vraag moet sleutels hebben (id, type, label, uitleg)."))
        return None
    _check_keys(doc, path, raw, _QUESTION_KEYS, problems)
    qid = raw.get("id")
    if not isinstance(qid, str) or not _ID.match(qid):
        problems.add(
            _p(doc, (*path, "id"), f"ongeldige vraag-id '{qid}'.", "Gebruik kleine letters, cijfers en _.")
        )
        return None
    where = (*path,)
    qtype = raw.get("type")
    if qtype not in TYPES:
        problems.add(_p(doc, (*where, "type"), f"onbekend vraagtype '{qtype}'.", suggest(str(qtype), TYPES)))
        return None
    for required in ("label", "uitleg"):
        if not str(raw.get(required) or "").strip():
            problems.add(
                _p(
                    doc,
                    where,
                    f"vraag '{qid}' heeft geen '{required}'.",
                    "Elke vraag heeft een label en een uitleg.",
                )
            )
    kind = KINDS[qtype]
    choices = _parse_question_choices(doc, where, raw, qtype, kind, choice_lists, problems)
    for key in QUESTION_KEYS:
        wrong = key.check(raw[key.name], kind, key.name) if key.check and key.name in raw else None
        if wrong is not None:
            problems.add(_p(doc, (*where, key.name), *wrong))
    fields = _parse_fields(doc, where, raw, qid, kind, group, choice_lists, problems, raw_conditions)
    question = Question(
        id=qid,
        type=qtype,
        keuzes=choices,
        velden=tuple(fields),
        group=group,
        line=doc.line(path),
        **{key.name: key.read(raw.get(key.name)) for key in QUESTION_KEYS},
    )
    if "wanneer" in raw:
        raw_conditions.append((question, raw["wanneer"], (*where, "wanneer")))
    return question


def _parse_question_choices(
    doc: Located,
    where: PathKey,
    raw: dict[str, Any],
    qtype: str,
    kind: Kind,
    choice_lists: dict[str, tuple[Choice, ...]],
    problems: Collector,
) -> tuple[Choice, ...]:
    """A question's `keuzes`: the name of a list in keuzelijsten.yaml, or the options themselves."""
    choices: tuple[Choice, ...] = ()
    if kind.has_choices:
        raw_choices = raw.get("keuzes")
        if isinstance(raw_choices, str):
            if raw_choices not in choice_lists:
                problems.add(
                    _p(
                        doc,
                        (*where, "keuzes"),
                        f"onbekende keuzelijst '{raw_choices}'.",
                        suggest(raw_choices, choice_lists),
                    )
                )
            choices = choice_lists.get(raw_choices, ())
        else:
            choices = _parse_choices(doc, (*where, "keuzes"), raw_choices, problems)
    elif "keuzes" in raw:
        problems.add(_p(doc, (*where, "keuzes"), f"een vraag van type '{qtype}' heeft geen keuzes."))
    return choices


def _parse_fields(
    doc: Located,
    where: PathKey,
    raw: dict[str, Any],
    qid: str,
    kind: Kind,
    group: str | None,
    choice_lists: dict[str, tuple[Choice, ...]],
    problems: Collector,
    raw_conditions: list[tuple[Question, Any, PathKey]],
) -> list[Question]:
    """A group's `velden` (each a question of its own) and its `naam`."""
    fields: list[Question] = []
    if kind.has_fields:
        if group is not None:
            problems.add(_p(doc, where, "een herhaalde groep kan niet in een andere groep staan."))
        raw_fields = raw.get("velden")
        if not isinstance(raw_fields, list) or not raw_fields:
            problems.add(_p(doc, where, f"groep '{qid}' heeft geen 'velden'."))
        else:
            sub_ids: set[str] = set()
            for index, raw_field in enumerate(raw_fields):
                sub = _parse_question(
                    doc, (*where, "velden", index), raw_field, choice_lists, problems, qid, raw_conditions
                )
                if sub is not None:
                    if sub.id in sub_ids:
                        problems.add(
                            _p(doc, (*where, "velden", index), f"veld '{sub.id}' komt twee keer voor.")
                        )
                    sub_ids.add(sub.id)
                    fields.append(sub)
        if not str(raw.get("naam") or "").strip():
            problems.add(_p(doc, where, f"groep '{qid}' heeft geen 'naam' (hoe één item heet)."))
    return fields


def _with_changes(questionnaire: Questionnaire, changes: dict[str, dict[str, Any]]) -> Questionnaire:
    """The questionnaire with some questions' fields set (Question is frozen: new questions)."""

    def changed(question: Question) -> Question:
        fields = tuple(changed(f) for f in question.velden)
        return replace(question, velden=fields, **changes.get(question.key, {}))

    sections = [
        Section(s.id, s.titel, s.rol, s.inleiding, [changed(q) for q in s.questions])
        for s in questionnaire.sections
    ]
    rebuilt = Questionnaire(sections, questionnaire.choice_lists, files=questionnaire.files)
    rebuilt.costs, rebuilt.deadlines = questionnaire.costs, questionnaire.deadlines
    return rebuilt


def _check_cross_references(
    questionnaire: Questionnaire, doc: Located, seen: dict[str, PathKey], problems: Collector
) -> dict[str, dict[str, Any]]:
    """Check what questions say about each other; return the changes it implies per key
    (a text per choice takes the choices of the question it follows)."""
    changes: dict[str, dict[str, Any]] = {}
    for question in questionnaire.questions():
        path = seen.get(question.id, ())
        if question.kind.follows_choices:
            target = questionnaire.by_id.get(question.van or "")
            if target is None or target.kind.prompt != "checkbox":
                problems.add(
                    _p(
                        doc,
                        (*path, "van"),
                        f"'van: {question.van}' moet een meerkeuzevraag noemen.",
                        suggest(str(question.van), questionnaire.by_id),
                    )
                )
            else:
                changes[question.key] = {"keuzes": target.keuzes}
        if question.kind.has_fields:
            names = {f.id for f in question.velden}
            placeholders = re.findall(r"\{([^}]*)\}", question.naam)
            for placeholder in (p for alternatives in placeholders for p in alternatives.split("|")):
                if placeholder not in names:
                    problems.add(
                        _p(
                            doc,
                            (*path, "naam"),
                            f"'{{{placeholder}}}' is geen veld van deze groep.",
                            suggest(placeholder, names),
                        )
                    )
    return changes


def _parse_money(doc: Located, questionnaire: Questionnaire, problems: Collector) -> None:
    """geld.yaml: the lines of the cost overview and the deadlines of the budget moments."""
    data = doc.data
    if not isinstance(data, dict):
        problems.add(
            Problem("het bestand moet 'kostenoverzicht:' en 'begrotingsmomenten:' bevatten.", file=doc.file)
        )
        return
    _check_keys(doc, (), data, _MONEY_KEYS, problems)
    for key in sorted(_MONEY_KEYS - set(data)):
        problems.add(
            Problem(f"'{key}:' ontbreekt.", file=doc.file, hint="Zie de uitleg bovenin het bestand.")
        )
    raw_costs = data.get("kostenoverzicht")
    if "kostenoverzicht" in data and (not isinstance(raw_costs, list) or not raw_costs):
        problems.add(_p(doc, ("kostenoverzicht",), "het kostenoverzicht is een lijst met minstens één post."))
    costs = []
    for index, raw in enumerate(raw_costs if isinstance(raw_costs, list) else []):
        cost = _parse_cost(doc, ("kostenoverzicht", index), raw, questionnaire, problems)
        if cost is not None:
            costs.append(cost)
    questionnaire.costs = tuple(costs)
    raw_moments = data.get("begrotingsmomenten")
    if "begrotingsmomenten" in data and not isinstance(raw_moments, dict):
        problems.add(_p(doc, ("begrotingsmomenten",), "noem per moment de 'dag' en de 'maand'."))
    for moment, raw in (raw_moments if isinstance(raw_moments, dict) else {}).items():
        path: PathKey = ("begrotingsmomenten", moment)
        if not isinstance(raw, dict):
            problems.add(_p(doc, path, "noem de 'dag' en de 'maand', bijvoorbeeld 'dag: 15' en 'maand: 11'."))
            continue
        _check_keys(doc, path, raw, _DEADLINE_KEYS, problems)
        day, month = raw.get("dag"), raw.get("maand")
        date = _day_of_every_year(day, month)
        if date is None:
            problems.add(
                _p(
                    doc,
                    path,
                    f"dag {day} en maand {month} vormen geen datum die elk jaar bestaat.",
                    "Schrijf de dag en de maand als getallen, bijvoorbeeld 'dag: 15' en 'maand: 11'.",
                )
            )
            continue
        questionnaire.deadlines[str(moment)] = Deadline(date.day, date.month, doc.line(path))


def _day_of_every_year(day: Any, month: Any) -> dt.date | None:
    """The day and month as a date that exists in every year (2001 has no 29 February)."""
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (day, month)):
        return None
    try:
        return dt.date(2001, month, day)
    except ValueError:
        return None


def _parse_cost(
    doc: Located, path: PathKey, raw: Any, questionnaire: Questionnaire, problems: Collector
) -> CostItem | None:
    if not isinstance(raw, dict):
        problems.add(_p(doc, path, "een post heeft 'bedrag', 'post' en 'ontbreekt'."))
        return None
    _check_keys(doc, path, raw, _COST_KEYS, problems)
    ok = True
    for key in ("bedrag", "post", "ontbreekt"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problems.add(
                _p(doc, (*path, key) if key in raw else path, f"de post heeft geen '{key}' (een tekst).")
            )
            ok = False
    if not ok:
        return None
    amount = raw["bedrag"].strip()
    question = questionnaire.question(amount)
    if question is None or not isinstance(question.kind, Money):
        every = [sub for top in questionnaire.questions() for sub in (top, *top.velden)]
        known = [q.key for q in every if isinstance(q.kind, Money)]
        problems.add(
            _p(
                doc,
                (*path, "bedrag"),
                f"'{amount}' is geen vraag naar een bedrag.",
                suggest(amount, known) or "Noem een vraag van type bedrag; in een groep 'groep.veld'.",
            )
        )
        return None
    names = {f.id for f in questionnaire.by_id[question.group].velden} if question.group else set()
    for key in ("post", "ontbreekt"):
        for alternatives in _PLACEHOLDER.findall(raw[key]):
            for name in alternatives.split("|"):
                if not question.group:
                    message = f"'{{{name}}}': alleen een post in een groep kan een veld tussen {{…}} noemen."
                    problems.add(_p(doc, (*path, key), message))
                elif name not in names:
                    message = f"'{{{name}}}' is geen veld van de groep '{question.group}'."
                    problems.add(_p(doc, (*path, key), message, suggest(name, names)))
    placeholders = bool(_PLACEHOLDER.search(raw["post"] + raw["ontbreekt"]))
    unnamed = raw.get("zonder_naam")
    if placeholders and (not isinstance(unnamed, str) or not unnamed.strip()):
        problems.add(
            _p(
                doc,
                (*path, "zonder_naam") if "zonder_naam" in raw else path,
                "de post noemt een veld tussen {…}, maar zegt niet wat er staat als dat leeg is.",
                "Voeg 'zonder_naam:' toe, bijvoorbeeld 'zonder_naam: een partner'.",
            )
        )
    elif not placeholders and "zonder_naam" in raw:
        problems.add(_p(doc, (*path, "zonder_naam"), "'zonder_naam' hoort alleen bij een post met {…}."))
    return CostItem(
        amount=amount,
        name=raw["post"].strip(),
        missing=raw["ontbreekt"].strip(),
        unnamed=unnamed.strip() if isinstance(unnamed, str) else "",
    )
