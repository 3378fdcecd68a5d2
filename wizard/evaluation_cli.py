"""The commands of the role controleren: `verantwoord`, `evaluatie` and `volgend-kader`.

`verantwoord KADER.yaml` begins a verantwoording beside the framework (its goals and ties
listed by identity, the framework's name and fingerprint on top); `evaluatie` turns one or more
verantwoordingen of one framework into the evaluation note and its raadsvoorstel through the
one publish path (wizard/publish.py); `volgend-kader` begins the next framework's answers from
them. Only the parser is built at import; each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wizard.errors import EXIT_FINDINGS, DataError, Problem, UserError

# `--stukken` names → document kinds (templates/<kind>/).
PIECES = {"evaluatie": "evaluatie", "raadsvoorstel": "evaluatieraadsvoorstel"}


def add_parsers(commands: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the three commands to the main parser; return their handlers by name."""
    start = commands.add_parser(
        "verantwoord",
        help="Begin een verantwoording naast een vastgesteld kader (rol: controleren).",
        description=(
            "Begin een verantwoording over een jaar naast het antwoordenbestand van een vastgesteld kader.\n"
            "De doelen en banden komen uit het kader; u vult per doel de meting in, per band wat er\n"
            "gebeurde en wat het kostte, en de dienstreizen, giften na rampen en uitgaven.\n"
            "In een terminal stelt de tool daarna meteen de vragen."
        ),
        epilog=(
            "Voorbeeld:\n"
            "  beleidsnotitie verantwoord mijn-gemeente.yaml --jaar 2027\n"
            "      schrijft mijn-gemeente.verantwoording-2027.yaml naast het kader\n"
        ),
    )
    start.add_argument("kader", type=Path, help="Het antwoordenbestand van het vastgestelde kader.")
    start.add_argument(
        "--jaar", type=int, help="Het jaar waarover de verantwoording gaat (standaard: vorig jaar)."
    )
    start.add_argument("-o", "--uit", type=Path, help="Waar het bestand komt (standaard: naast het kader).")
    start.add_argument("--overschrijven", action="store_true", help="Vervang een bestaand bestand.")
    start.add_argument(
        "--alleen-bestand",
        action="store_true",
        help="Schrijf alleen het bestand; stel de vragen niet (dat doet 'start' of 'web' later).",
    )

    report = commands.add_parser(
        "evaluatie",
        help="Maak de evaluatie en het raadsvoorstel van een of meer verantwoordingen.",
        description=(
            "Leg een of meer verantwoordingen (van één kader, elk over een jaar) naast het kader,\n"
            "controleer ze met de regels voor de rol controleren, en maak de evaluatie en het\n"
            "raadsvoorstel met ontwerpbesluit: in Word (.docx), OpenDocument (.odt) of PDF."
        ),
        epilog=(
            "Voorbeeld:\n"
            "  beleidsnotitie evaluatie gemeente.verantwoording-2027.yaml gemeente.verantwoording-2028.yaml\n"
            "      --formaat docx,pdf\n"
        ),
    )
    report.add_argument("verantwoording", nargs="+", type=Path, help="Verantwoording(en) van één kader.")
    report.add_argument(
        "-o",
        "--uit",
        metavar="UIT",
        help="Map (eindigend op /) of naam zonder extensie (standaard: naast de laatste verantwoording).",
    )
    report.add_argument(
        "--formaat",
        metavar="LIJST",
        help="docx, odt en/of pdf, gescheiden door komma's (standaard: docx). Voor odt is LibreOffice "
        "nodig; pdf maakt de tool zelf.",
    )
    report.add_argument(
        "--stukken",
        default="evaluatie,raadsvoorstel",
        metavar="LIJST",
        help="evaluatie en/of raadsvoorstel (standaard: allebei).",
    )
    report.add_argument("--overschrijven", action="store_true", help="Vervang bestaande documenten.")
    report.add_argument(
        "--regels",
        type=Path,
        action="append",
        default=[],
        metavar="MAP",
        help="Map met eigen regels voor de controle (een eigen regel vervangt een regel met dezelfde id).",
    )
    report.add_argument(
        "--zonder-regel", action="append", default=[], metavar="ID", help="Zet een regel uit (mag vaker)."
    )
    report.add_argument(
        "--definitief",
        action="store_true",
        help="Maak de definitieve versie (zonder 'Concept'). Dat kan alleen als er geen open plekken meer zijn.",
    )
    report.add_argument(
        "--accepteer-open-punten",
        action="store_true",
        help="Maak de definitieve versie ook als er nog open plekken zijn.",
    )

    loop = commands.add_parser(
        "volgend-kader",
        help="Begin het volgende kader met de uitkomsten van de evaluatie.",
        description=(
            "Begin het antwoordenbestand van het volgende kader: de antwoorden van het huidige kader,\n"
            "met de terugblik, het voorstel per band (voortzetten, aanpassen of beëindigen) en de\n"
            "doelen die nog niet zijn gehaald uit de evaluatie. Ga daarna verder met 'start' of 'web'."
        ),
    )
    loop.add_argument("verantwoording", nargs="+", type=Path, help="Verantwoording(en) van één kader.")
    loop.add_argument("-o", "--uit", type=Path, required=True, help="Het nieuwe antwoordenbestand.")
    loop.add_argument("--overschrijven", action="store_true", help="Vervang een bestaand bestand.")
    return {"verantwoord": cmd_start, "evaluatie": cmd_evaluation, "volgend-kader": cmd_next}


def _inputs(paths: list[Path]) -> list[Path]:
    missing = [
        Problem("bestand niet gevonden.", file=p, hint="Controleer de naam en de map.")
        for p in paths
        if not p.is_file()
    ]
    if missing:
        raise DataError(missing)
    return paths


def cmd_start(args: argparse.Namespace) -> int:
    from wizard import atomic, cycle

    _inputs([args.kader])
    first = cycle.start_year(args.kader)
    year = args.jaar if args.jaar is not None else max(dt.date.today().year - 1, first or 0)
    if not 2000 <= year <= 2100:
        raise UserError(f"'{year}' is geen jaar voor een verantwoording.", "Geef een jaar als --jaar 2027.")
    if first is not None and year < first:
        raise UserError(
            f"het kader geldt pas vanaf {first}; een verantwoording over {year} hoort er niet bij.",
            f"Kies een jaar vanaf {first}, bijvoorbeeld --jaar {first}.",
        )
    target = args.uit or args.kader.with_name(f"{args.kader.stem}.verantwoording-{year}.yaml")
    atomic.check_can_write(target, args.overschrijven, [args.kader])
    started = cycle.start_accountability(args.kader, target, year)
    atomic.write_text(target, cycle.dump_accountability(started), args.overschrijven)
    goals = len(started.values.get("doelen") or [])
    ties = len(started.values.get("banden") or [])
    print(f"Geschreven: {target}  (over {year}; {goals} doelen en {ties} banden uit het kader)")
    if not args.alleen_bestand and sys.stdin.isatty() and sys.stdout.isatty():
        from wizard import session

        return session.run(
            argparse.Namespace(antwoorden=target, werksessie=False, regels=[], zonder_regel=[], route=None)
        )
    print(f"    → Vragen beantwoorden: beleidsnotitie start {target}   (of: beleidsnotitie web {target})")
    print(
        "    → Of vul het bestand in met een teksteditor: per doel de meting, per band wat er gebeurde en wat"
    )
    print(
        "      het kostte, de dienstreizen, giften na rampen en uitgaven. Elke vraag staat erin als opmerking."
    )
    print(f"    → Maak daarna de evaluatie met: beleidsnotitie evaluatie {target}")
    return 0


def cmd_evaluation(args: argparse.Namespace) -> int:
    from wizard import evaluation, evaluation_doc, publish
    from wizard.documents import load as load_kind

    inputs = _inputs(list(args.verantwoording))
    formats = publish.parse_list(
        args.formaat or publish.format_of(Path(args.uit) if args.uit else None) or "docx",
        publish.DOCUMENT_FORMATS,
        "formaat",
    )
    pieces = publish.parse_list(args.stukken, tuple(PIECES), "stuk")
    kinds = [PIECES[piece] for piece in pieces]
    last = inputs[-1]
    if args.uit and (publish.is_folder_name(args.uit) or Path(args.uit).is_dir()):
        folder, stem = Path(args.uit), last.stem
    elif args.uit:
        out = Path(args.uit)
        folder, stem = out.parent, (out.stem if publish.format_of(out) else out.name)
    else:
        folder, stem = last.parent, last.stem
    plan = {kind: [(fmt, folder / load_kind(kind).file_name(stem, fmt)) for fmt in formats] for kind in kinds}
    loaded = evaluation.load(inputs, args.regels, args.zonder_regel)
    sources = [*inputs, *([loaded.framework_path] if loaded.framework_path else [])]
    publish.check((path for pairs in plan.values() for _, path in pairs), args.overschrijven, sources)
    for period in loaded.periods:
        from wizard.rules import summary

        print(f"Controle over {period.year}: {summary(period.findings)}")
    drafts = evaluation_doc.drafts(loaded, kinds, final=args.definitief)
    if args.definitief and not args.accepteer_open_punten:
        ready = evaluation_doc.readiness_of(drafts)
        if not ready.ready:
            print("De definitieve versie is niet gemaakt. Eerst moet dit nog:")
            for line in ready.lines():
                print(f"  {line}")
            print("    → Vul de open plekken in de verantwoording in, of gebruik --accepteer-open-punten.")
            return EXIT_FINDINGS
    status = 0
    for draft in drafts:
        status = max(
            status,
            publish.document(draft.blocks, draft.meta, plan[draft.kind.name], args.overschrijven, sources),
        )
    return status


def cmd_next(args: argparse.Namespace) -> int:
    from wizard import atomic, cycle, evaluation

    inputs = _inputs(list(args.verantwoording))
    loaded = evaluation.load(inputs)
    sources = [*inputs, *([loaded.framework_path] if loaded.framework_path else [])]
    atomic.check_can_write(args.uit, args.overschrijven, sources)
    answers = cycle.next_framework(loaded)
    atomic.write_text(args.uit, cycle.dump_framework(answers, loaded), args.overschrijven)
    ties = answers.values.get("partnerschappen") or []
    print(f"Geschreven: {args.uit}  (met de terugblik, {len(ties)} banden met een voorstel uit de evaluatie)")
    print(f"    → Ga verder met: beleidsnotitie start {args.uit}   (of: beleidsnotitie web {args.uit})")
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    """`regels --verantwoording`: list the control rules, or check an own folder of them."""

    from wizard import evaluation, rulereport
    from wizard import rules as rules_mod

    _, accountability = evaluation.questionnaires()
    if args.controleer is not None:
        own = evaluation.load_rules(accountability, [args.controleer], bundled=False)
        return rulereport.print_examples(len(own.rules), evaluation.run_examples(own, accountability))
    rule_set = evaluation.load_rules(accountability, args.regels).without(args.zonder_regel)
    if args.json:
        import json

        print(json.dumps(rules_mod.as_json(rulereport.ordered(rule_set.rules)), ensure_ascii=False, indent=2))
        return 0
    rulereport.print_rules(rule_set.rules, " voor de controle achteraf (de verantwoording naast het kader)")
    return 0
