"""The council's cycle as files: framework → verantwoording → evaluation → next framework.

`start_accountability` begins a verantwoording beside an adopted framework: it names the
framework and its fingerprint and lists the framework's goals and ties by identity (a goal's
description, a tie's partner and country), so nothing is retyped. `next_framework` begins the
next framework's answers from an evaluation: the old framework's answers, the terugblik written
from the evaluation, each tie's proposal taken from the evaluation's advice, and the years the
council must choose again left open. Both return answers that are checked against their
questionnaire before anything is written.

The sentences of the terugblik are data: `templates/evaluatie/terugblik.yaml`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wizard import answers as answers_mod
from wizard import evaluation as evaluation_mod
from wizard import yamlsource
from wizard.display import display, dutch_list, euro, in_words
from wizard.errors import DataError, Problem
from wizard.questionnaire import Question
from wizard.resources import templates_dir

# The evaluation's advice for a tie → the proposal (`advies`) in the next framework.
ADVICE_TO_PROPOSAL = {"voortzetten": "voortzetten", "aanpassen": "aanpassen", "beeindigen": "beeindigen"}
# Answers of the old framework that belong to its own moment: the next one asks them again.
ASKED_AGAIN = (
    "datum",
    "versie",
    "ingangsdatum",
    "looptijd_tot",
    "evaluatie_beleid_jaar",
    "begrotingsjaar",
    "terugblik",
)
# Fields of a tie that belong to the old proposal or the old term.
TIE_ASKED_AGAIN = (
    "einddatum",
    "evaluatie_jaar",
    "voorwaarden_aangaan",
    "wijzigingen",
    "afbouw_reden",
    "afbouw_jaar",
    "afbouw_informeren",
    "afbouw_wat_blijft",
)
HEADER = (
    "# Verantwoording bij het kader internationale samenwerking.\n"
    "# De doelen en banden komen uit het kader; verander hun omschrijving, partner en land niet.\n"
    "# Vul na elke vraag het antwoord in; een lege regel is nog niet beantwoord.\n"
    "# Maak er de evaluatie van met:\n"
    "#   beleidsnotitie evaluatie <dit bestand> [de bestanden van eerdere jaren]\n"
)


def start_year(framework_path: Path) -> int | None:
    """The first year of a framework: the year of its date of entry into force."""
    questionnaire, _ = evaluation_mod.questionnaires()
    return _year_of(answers_mod.load(framework_path, questionnaire).values.get("ingangsdatum"))


def start_accountability(framework_path: Path, target: Path, year: int) -> answers_mod.Answers:
    """A new verantwoording over `year` for the framework in `framework_path`, to be saved at
    `target` (the framework is named relative to the target's folder)."""
    questionnaire, accountability = evaluation_mod.questionnaires()
    framework = answers_mod.load(framework_path, questionnaire).values
    relative = _relative(framework_path, target.parent)
    data: dict[str, Any] = {
        evaluation_mod.FRAMEWORK_KEY: relative,
        evaluation_mod.FINGERPRINT_KEY: evaluation_mod.fingerprint(framework),
        "jaar": year,
        "periode": "jaar",
        "versie": "0.1",
    }
    if framework.get("indiener") == "college":
        data["indiener"] = "college"
    goals = [
        {"omschrijving": g["omschrijving"]} for g in framework.get("doelen") or [] if g.get("omschrijving")
    ]
    ties = [
        {"partner": t["partner"], "land": t["land"]}
        for t in evaluation_mod.accounted_ties(framework, year)
        if t.get("partner") and t.get("land")
    ]
    if goals:
        data[evaluation_mod.GOALS] = goals
    if ties:
        data[evaluation_mod.TIES] = ties
    return answers_mod.from_mapping(data, accountability, str(target))


def dump_accountability(answers: answers_mod.Answers) -> str:
    """A new verantwoording as YAML to fill in by hand: every question of the questionnaire
    as a line `vraag:` (empty means not answered yet) under its label and hint as a comment,
    also inside each goal and tie. Until the answering session can walk this questionnaire,
    the file itself says what to fill in."""
    _, accountability = evaluation_mod.questionnaires()
    lines = [HEADER.rstrip("\n"), f"{answers_mod.FORMAT_KEY}: {answers_mod.FORMAT_VERSION}"]
    for section in accountability.sections:
        lines += ["", f"# --- {section.titel} ---"]
        for question in section.questions:
            value = answers.values.get(question.id)
            lines += _comment(question, "")
            if not question.velden:
                lines.append(f"{question.id}:{_scalar(value)}")
                continue
            if not value:
                lines.append(f"{question.id}: []  # voeg toe: - {question.velden[0].id}: ...")
                continue
            lines.append(f"{question.id}:")
            for item in value:
                for index, sub in enumerate(question.velden):
                    lead = "  - " if index == 0 else "    "
                    if index > 0 and sub.id not in item:
                        lines += _comment(sub, "    ")
                    lines.append(f"{lead}{sub.id}:{_scalar(item.get(sub.id))}")
    text = "\n".join(lines) + "\n"
    answers_mod.from_text(text, accountability, "nieuwe verantwoording")  # reads back as the same answers
    return text


def _comment(question: Question, indent: str) -> list[str]:
    lines = [f"{indent}# {question.label}"]
    if question.hint:
        lines.append(f"{indent}#   {question.hint}")
    if question.keuzes:
        lines.append(f"{indent}#   kies: {', '.join(question.choice_values)}")
    elif question.kind.condition_kind == "bool":
        lines.append(f"{indent}#   ja of nee")
    return lines


def _scalar(value: Any) -> str:
    """' waarde' as YAML after a key, or '' for an empty answer."""
    if value is None:
        return ""
    import yaml  # only when writing

    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return " " + text.removesuffix("\n").removesuffix("\n...").strip()


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        import os

        try:
            return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
        except ValueError:  # another drive on Windows
            return str(path.resolve())


# --- the next framework -------------------------------------------------------------------


def _sentences() -> Mapping[str, str]:
    doc = yamlsource.load_file(templates_dir() / "evaluatie" / "terugblik.yaml")
    data = doc.data
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise DataError(
            [Problem("elke regel is 'naam: zin'.", file=doc.file, hint="Zie de uitleg bovenin het bestand.")]
        )
    return data


def _fill(sentences: Mapping[str, str], key: str, **values: Any) -> str:
    try:
        return sentences[key].format(**values).strip()
    except (KeyError, IndexError, ValueError) as exc:
        raise DataError(
            [
                Problem(
                    f"de zin '{key}' kan niet worden ingevuld ({exc}).",
                    file=templates_dir() / "evaluatie" / "terugblik.yaml",
                    field=key,
                    hint=f"Gebruik alleen deze namen tussen {{…}}: {', '.join(sorted(values))}.",
                )
            ]
        ) from None


def terugblik(evaluation: evaluation_mod.Evaluation) -> str:
    """The look back for the next framework, from the evaluation's data only."""
    sentences = _sentences()
    accountability = evaluation.accountability
    years = [str(p.year) for p in evaluation.periods if p.year is not None]
    last = evaluation.last.values
    goal_q = accountability.question("doelen.oordeel")
    tie_q = accountability.question("banden.advies")
    lines = [_fill(sentences, "kop", jaren=dutch_list(years))]
    for goal in last.get(evaluation_mod.GOALS) or []:
        verdict = goal.get("oordeel")
        lines.append(
            _fill(
                sentences,
                "doel" if goal.get("gemeten") else "doel_zonder_meting",
                doel=goal.get("omschrijving", ""),
                oordeel=display(verdict, goal_q).lower() if verdict else sentences["onbekend"],
                gemeten=goal.get("gemeten", ""),
            )
        )
    for tie in last.get(evaluation_mod.TIES) or []:
        name = f"{tie.get('partner')} ({tie.get('land')})"
        advice = tie.get("advies")
        lines.append(
            _fill(
                sentences,
                "band",
                band=name,
                advies=display(advice, tie_q).lower() if advice else sentences["onbekend"],
                uitgegeven=euro(tie["uitgegeven"])
                if tie.get("uitgegeven") is not None
                else sentences["onbekend"],
            )
        )
    outside = [g for g in last.get(evaluation_mod.GIFTS) or [] if g.get("buiten_kader")]
    if outside:
        lines.append(_fill(sentences, "giften_buiten_kader", aantal=in_words(len(outside))))
    if last.get("boven_budget"):
        lines.append(_fill(sentences, "boven_budget", bedrag=euro(last["boven_budget"])))
    return " ".join(line for line in lines if line)


def next_framework(
    evaluation: evaluation_mod.Evaluation, today: dt.date | None = None
) -> answers_mod.Answers:
    """The next framework's answers: the old ones, with what the evaluation concluded. Its
    date is today, or later when the evaluation is: a new concept never predates the last
    verantwoording's date, nor the end of the year it accounts for."""
    today = today or dt.date.today()
    evaluated = evaluation.last.answers.values.get("datum")
    if _year_of(evaluated) is not None:
        today = max(today, dt.date.fromisoformat(str(evaluated)))
    if evaluation.last.year is not None:
        today = max(today, dt.date(evaluation.last.year + 1, 1, 1))
    old = evaluation.framework.values
    data: dict[str, Any] = {k: v for k, v in old.items() if k not in ASKED_AGAIN}
    start_year = _year_of(old.get("ingangsdatum")) or _year_of(old.get("datum"))
    end = old.get("looptijd_tot")
    data["bestaand_beleid"] = "actueel"
    if start_year is not None:
        data["bestaand_beleid_jaar"] = start_year
    name = old.get("gemeente_naam") or ""
    span = f" {start_year}-{end}" if start_year and end else ""
    data["bestaand_beleid_titel"] = f"Kader internationale samenwerking {name}{span}".replace(
        "  ", " "
    ).strip()
    data["bestaand_beleid_intrekken"] = True
    reasons = list(old.get("aanleiding") or [])
    if "bestaande_banden" not in reasons:
        reasons.append("bestaande_banden")
    data["aanleiding"] = reasons
    data["terugblik"] = terugblik(evaluation)
    data["doelen"] = _next_goals(evaluation)
    data["partnerschappen"] = _next_ties(evaluation)
    data["datum"] = today
    data["versie"] = "0.1"
    questionnaire = evaluation.questionnaire
    return answers_mod.from_mapping(_plain(data), questionnaire, "volgend kader")


def _year_of(value: Any) -> int | None:
    """The year of a date answer (a date, or its text 'JJJJ-MM-DD')."""
    if isinstance(value, dt.date):
        return value.year
    try:
        return dt.date.fromisoformat(str(value)).year if value else None
    except ValueError:
        return None


def _plain(data: Mapping[str, Any]) -> dict[str, Any]:
    """Dates as text, as an answers file holds them (the loader parses them again)."""

    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return {k: plain(v) for k, v in data.items()}


def _next_goals(evaluation: evaluation_mod.Evaluation) -> list[dict[str, Any]]:
    """Goals that were reached are done; the others stay, and a year that has passed is
    left open for the council to choose again."""
    last = evaluation.last.values
    year = evaluation.last.year or 0
    verdicts = {evaluation_mod.goal_key(g): g.get("oordeel") for g in last.get(evaluation_mod.GOALS) or []}
    goals = []
    for goal in evaluation.framework.values.get("doelen") or []:
        if verdicts.get(evaluation_mod.goal_key(goal)) == "gehaald":
            continue
        kept = dict(goal)
        if isinstance(kept.get("termijn"), int) and kept["termijn"] <= year:
            kept.pop("termijn")
        goals.append(kept)
    return goals


def _next_ties(evaluation: evaluation_mod.Evaluation) -> list[dict[str, Any]]:
    """Every tie of the old framework that still runs, with the evaluation's advice as its
    proposal and the reason as what changes (aanpassen) or why it ends (beëindigen)."""
    last = evaluation.last.values
    year = evaluation.last.year
    ties = []
    for tie in evaluation.framework.values.get("partnerschappen") or []:
        if tie not in evaluation_mod.accounted_ties(evaluation.framework.values, year):
            continue  # ended before this period
        ending = tie.get("advies") == "beeindigen" and isinstance(tie.get("afbouw_jaar"), int)
        if ending and year is not None and tie["afbouw_jaar"] <= year:
            continue  # ended in the period itself
        accounted = next(
            (
                t
                for t in last.get(evaluation_mod.TIES) or []
                if evaluation_mod.tie_key(t) == evaluation_mod.tie_key(tie)
            ),
            None,
        )
        kept = {k: v for k, v in tie.items() if k not in TIE_ASKED_AGAIN}
        advice = (accounted or {}).get("advies")
        reason = (accounted or {}).get("advies_toelichting")
        if advice in ADVICE_TO_PROPOSAL:
            kept["advies"] = ADVICE_TO_PROPOSAL[advice]
        else:
            kept.pop("advies", None)  # no advice: the council chooses in the walk
        if advice == "aanpassen" and reason:
            kept["wijzigingen"] = reason
        plan = (accounted or {}).get("werkplan_ontvangen")
        if advice in ("voortzetten", "aanpassen") and isinstance(plan, bool):
            kept["werkplan"] = plan  # "Is er een werkplan?": as the last period found it
        if advice == "beeindigen" and reason:
            kept["afbouw_reden"] = reason
        ties.append(kept)
    return ties


def dump_framework(answers: answers_mod.Answers, evaluation: evaluation_mod.Evaluation) -> str:
    return answers_mod.dump(answers, evaluation.questionnaire)
