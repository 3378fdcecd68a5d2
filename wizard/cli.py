"""The command line: `beleidsnotitie maak|toets|regels|schema|voorbeeld|start|vragen|vergelijk|bijwerken`.

Thin on purpose: it parses options, calls the engines, prints Dutch text and
chooses the exit status (wizard/errors.py: 0 done, 1 findings at the threshold,
2 a problem with the input, 3 a missing program or a problem of the computer,
4 a bug, logged). Heavy modules are imported inside the commands, so `--help`
and `toets` never load python-docx.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from wizard import __version__, evaluation_cli
from wizard.errors import (
    EXIT_DATA_ERROR,
    EXIT_ENVIRONMENT,
    EXIT_INTERNAL,
    DataError,
    EnvironmentProblem,
    UserError,
    internal_message,
    print_problems,
    visible,
    visible_lines,
)
from wizard.severity import SEVERITIES, Severity

if TYPE_CHECKING:
    from wizard.draft import Drafter
    from wizard.rules import Finding

# argparse's own English, in Dutch (longest first where one contains another).
_ARGPARSE_DUTCH = (
    ("the following arguments are required", "deze argumenten ontbreken"),
    ("unrecognized arguments", "onbekende opties"),
    ("invalid choice", "ongeldige keuze"),
    ("choose from", "kies uit"),
    ("expected one argument", "hier hoort één waarde bij"),
    ("expected at least one argument", "hier hoort minstens één waarde bij"),
    ("expected at most one argument", "hier hoort hooguit één waarde bij"),
    ("ignored explicit argument", "deze optie neemt geen waarde"),
    ("not allowed with argument", "mag niet samen met optie"),
    ("ambiguous option", "optie niet eenduidig"),
    ("could match", "kan zijn"),
    ("invalid", "ongeldige"),
    ("value", "waarde"),
    ("argument ", "optie "),
)


_TYPE_DUTCH = {"int": "geheel getal", "float": "getal"}


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "Gebruik: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Dutch headings and errors (exit status 2, no traceback)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Argumenten"
        self._optionals.title = "Opties"
        self.add_argument("-h", "--help", action="help", help="Toon deze hulp en stop.")

    def error(self, message: str) -> NoReturn:
        import re

        # "argument --poort: invalid int value: 'abc'": the value first, and no Python type name
        message = re.sub(
            r"invalid (\w+) value: (.+)$",
            lambda found: f"{found.group(2)} is geen {_TYPE_DUTCH.get(found.group(1), 'geldige waarde')}",
            message,
        )
        message = message.replace("argument OPDRACHT: invalid choice:", "onbekende opdracht")
        for english, dutch in _ARGPARSE_DUTCH:
            message = message.replace(english, dutch)
        message = visible_lines(message)
        self.print_usage(sys.stderr)
        print(f"Fout: {message}", file=sys.stderr)
        print(f"    → Zie '{self.prog} --help'.", file=sys.stderr)
        raise SystemExit(EXIT_DATA_ERROR)


def build_parser() -> _Parser:
    parser = _Parser(
        prog="beleidsnotitie",
        description=(
            "Maak een beleidsnotitie over gemeentelijke internationale samenwerking.\n"
            "Beantwoord de vragen, laat de tool uw antwoorden toetsen en krijg een concept in Word."
        ),
        epilog=(
            "Voorbeelden:\n"
            "  beleidsnotitie start mijn-gemeente.yaml       vragen beantwoorden\n"
            "  beleidsnotitie maak mijn-gemeente.yaml        concept maken (mijn-gemeente.docx)\n"
            "  beleidsnotitie toets mijn-gemeente.yaml       antwoorden toetsen\n"
            "  beleidsnotitie voorbeeld oosterhaven          een voorbeeld om mee te beginnen\n"
            "  beleidsnotitie vragen                         werkblad voor een werksessie op papier\n"
            "  beleidsnotitie vergelijk groep1.yaml groep2.yaml   verschillen per vraag\n"
            "  beleidsnotitie bijwerken notitie.docx mijn-gemeente.yaml   bewerkt document bijwerken\n"
            "  beleidsnotitie verantwoord mijn-gemeente.yaml --jaar 2027   verantwoording over een jaar\n"
            "  beleidsnotitie evaluatie mijn-gemeente.verantwoording-2027.yaml   evaluatie en raadsvoorstel\n"
        ),
    )
    parser.add_argument(
        "--versie",
        "--version",
        action="version",
        version=f"beleidsnotitie {__version__}",
        help="Toon de versie en stop.",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="Toon bij een fout ook de technische details (mag overal op de regel staan).",
    )
    commands = parser.add_subparsers(
        dest="command", title="Opdrachten", metavar="OPDRACHT", parser_class=_Parser
    )

    start = commands.add_parser(
        "start",
        help="Beantwoord de vragen stap voor stap.",
        description="Beantwoord de vragen stap voor stap. Elk antwoord wordt meteen bewaard.",
    )
    start.add_argument(
        "antwoorden",
        nargs="?",
        type=Path,
        help="Antwoordenbestand om in te bewaren of verder te gaan (standaard: antwoorden.yaml).",
    )
    start.add_argument(
        "--werksessie",
        action="store_true",
        help="Werksessie: toon bij elke vraag de volledige uitleg en noteer de toelichting van de groep.",
    )
    start.add_argument(
        "--route",
        choices=("kort", "volledig"),
        help="kort: alleen de besluiten van de raad, voor een eerste concept; volledig: alle vragen. "
        "Zonder deze optie vraagt de tool het, met de geschatte tijd per route.",
    )
    _rule_options(start)

    make = commands.add_parser(
        "maak",
        help="Maak de beleidsnotitie en het raadsvoorstel van een of meer antwoordenbestanden.",
        description=(
            "Maak een concept van de beleidsnotitie en het raadsvoorstel (met ontwerpbesluit)\n"
            "van een of meer antwoordenbestanden of een map: in Word (.docx), OpenDocument (.odt) of PDF."
        ),
        epilog=(
            "Voorbeelden:\n"
            "  beleidsnotitie maak gemeente.yaml                      gemeente.docx en gemeente-raadsvoorstel.docx\n"
            "  beleidsnotitie maak gemeente.yaml --formaat docx,odt,pdf\n"
            "  beleidsnotitie maak antwoorden/ -o concepten/          alle .yaml-bestanden in een map\n"
        ),
    )
    make.add_argument(
        "antwoorden", nargs="+", type=Path, help="Antwoordenbestand(en) of een map met .yaml-bestanden."
    )
    make.add_argument(
        "-o",
        "--uit",
        metavar="UIT",
        help="Bestand (bij één antwoordenbestand) of map (bij meer, of eindigend op /); "
        "een map die nog niet bestaat, wordt gemaakt.",
    )
    make.add_argument(
        "--huisstijl",
        type=Path,
        help="Word-document of -sjabloon (.docx/.dotx) met de huisstijl van de gemeente.",
    )
    make.add_argument(
        "--sjablonen",
        type=Path,
        help="Map met eigen tekstsjablonen (vervangt hoofdstukken met dezelfde naam).",
    )
    make.add_argument(
        "--formaat",
        metavar="LIJST",
        help="docx, odt en/of pdf, gescheiden door komma's (standaard: docx, of wat -o noemt, "
        "zoals -o notitie.pdf). Voor odt is LibreOffice nodig; pdf maakt de tool zelf.",
    )
    _pdf_option(make)
    make.add_argument(
        "--stukken",
        default="notitie,raadsvoorstel",
        metavar="LIJST",
        help="notitie en/of raadsvoorstel (standaard: allebei; het raadsvoorstel heeft het ontwerpbesluit).",
    )
    make.add_argument("--overschrijven", action="store_true", help="Vervang bestaande documenten.")
    make.add_argument(
        "--definitief",
        action="store_true",
        help="Maak de definitieve versie: zonder de bijlage met aandachtspunten en zonder 'Concept'. "
        "Dat kan alleen als er geen blokkerende punten en geen open plekken meer zijn.",
    )
    make.add_argument(
        "--accepteer-open-punten",
        action="store_true",
        help="Maak de definitieve versie ook als er nog blokkerende punten of open plekken zijn.",
    )
    _rule_options(make)

    check = commands.add_parser(
        "toets",
        help="Toets antwoorden aan de regels.",
        description="Toets een of meer antwoordenbestanden aan de regels en toon de aandachtspunten.",
    )
    check.add_argument("antwoorden", nargs="+", type=Path, help="Antwoordenbestand(en) of een map.")
    check.add_argument("--json", action="store_true", help="Uitvoer als JSON (voor andere programma's).")
    check.add_argument(
        "--drempel",
        choices=SEVERITIES,
        default=Severity.WARNING.value,
        help="Vanaf welke ernst de uitkomst 1 is (standaard: waarschuwing).",
    )
    _rule_options(check)

    rules = commands.add_parser(
        "regels",
        help="Toon alle regels, of controleer eigen regels.",
        description="Toon alle regels. Met --controleer: controleer een map met eigen regels en draai hun voorbeelden.",
    )
    rules.add_argument("--json", action="store_true", help="Uitvoer als JSON.")
    rules.add_argument(
        "--controleer", type=Path, metavar="MAP", help="Controleer de regels in MAP en draai hun voorbeelden."
    )
    rules.add_argument(
        "--verantwoording",
        action="store_true",
        help="De regels voor de controle achteraf: een verantwoording naast het kader (ook met --controleer).",
    )
    _rule_options(rules)

    schema = commands.add_parser(
        "schema",
        help="Schrijf het JSON-schema van het antwoordenbestand.",
        description="Schrijf het JSON-schema van het antwoordenbestand, voor editors die YAML controleren.",
    )
    schema.add_argument("-o", "--uit", type=Path, help="Bestand om in te schrijven (standaard: scherm).")
    schema.add_argument("--overschrijven", action="store_true", help="Vervang een bestaand bestand.")

    sheet = commands.add_parser(
        "vragen",
        help="Maak een werkblad met alle vragen, om op papier in te vullen.",
        description=(
            "Maak een werkblad met alle vragen, de uitleg en ruimte om te schrijven,\n"
            "voor een werksessie op papier. Standaard in Word (.docx) en als Markdown (.md)."
        ),
    )
    _document_options(sheet, "werkblad", "docx,md")
    sheet.add_argument(
        "--antwoorden",
        type=Path,
        metavar="BESTAND",
        help="Zet bij elke vraag het huidige antwoord uit dit antwoordenbestand (om een kader te herzien).",
    )
    sheet.add_argument(
        "--route",
        choices=("kort", "volledig"),
        default="volledig",
        help="kort: alleen de vragen van de korte route (de besluiten van de raad); standaard: volledig.",
    )
    sheet.add_argument("--sjablonen", type=Path, help="Map met een eigen werkblad/werkblad.md.j2.")

    compare = commands.add_parser(
        "vergelijk",
        help="Vergelijk antwoordenbestanden per vraag.",
        description=(
            "Toon per vraag waar twee of meer antwoordenbestanden verschillen, bijvoorbeeld van twee groepen\n"
            "in een werksessie of van dit jaar en vorig jaar. Ook als kort overzicht in Word.\n"
            "Uitkomst: 0 = alles gelijk, 1 = er zijn verschillen, 2 = een probleem met de invoer."
        ),
    )
    compare.add_argument(
        "antwoorden", nargs="+", type=Path, help="Twee of meer antwoordenbestanden, of een map."
    )
    _document_options(compare, "vergelijking", "docx", "; 'geen' voor alleen het scherm")

    web = commands.add_parser(
        "web",
        help="Beantwoord de vragen in uw browser.",
        description=(
            "Beantwoord de vragen in uw browser. De pagina draait alleen op uw eigen computer\n"
            "(127.0.0.1) en bewaart elk antwoord meteen in het antwoordenbestand."
        ),
    )
    web.add_argument(
        "antwoorden",
        nargs="?",
        type=Path,
        help="Antwoordenbestand om in te bewaren of verder te gaan (standaard: antwoorden.yaml).",
    )
    web.add_argument("--geen-browser", action="store_true", help="Open de browser niet zelf.")
    web.add_argument("--poort", type=int, default=0, help="Vaste poort (standaard: een vrije poort).")
    _rule_options(web)

    workshop = commands.add_parser(
        "werksessie",
        help="Werksessie: groepen beantwoorden de vragen tegelijk in de browser.",
        description=(
            "Werksessie: elke groep beantwoordt de vragen in de browser in een eigen antwoordenbestand.\n"
            "U ziet op een projectiepagina de voortgang en waar de groepen verschillen, en neemt\n"
            "antwoorden met één klik over in gecombineerd.yaml. Zonder --netwerk blijft alles op deze\n"
            "computer (127.0.0.1)."
        ),
    )
    workshop.add_argument("map", type=Path, help="Map voor de antwoordenbestanden (wordt gemaakt).")
    workshop.add_argument("--groepen", type=int, default=3, help="Aantal groepen (standaard: 3).")
    workshop.add_argument(
        "--route",
        choices=("kort", "volledig"),
        help="Zet alle groepen op één route. kort: alleen de besluiten van de raad, past in één avond; "
        "volledig: alle vragen. Zonder deze optie houdt elke groep haar eigen route (nieuw: volledig). "
        "U kunt de route ook op de projectiepagina kiezen.",
    )
    workshop.add_argument("--geen-browser", action="store_true", help="Open de browser niet zelf.")
    workshop.add_argument("--poort", type=int, default=0, help="Vaste poort (standaard: een vrije poort).")
    workshop.add_argument(
        "--netwerk",
        nargs="?",
        const="automatisch",
        metavar="ADRES",
        help="Laat groepen meedoen vanaf andere apparaten in het lokale netwerk (korte link en QR-code). "
        "Alleen in een netwerk dat u vertrouwt. Standaard het adres van deze computer in dat netwerk.",
    )
    _rule_options(workshop)

    update = commands.add_parser(
        "bijwerken",
        help="Werk een bewerkt Word-document bij met gewijzigde antwoorden (als bijgehouden wijzigingen).",
        description=(
            "Werk een document dat u in Word of LibreOffice hebt bewerkt bij met gewijzigde antwoorden.\n"
            "Uw eigen tekst blijft staan. Wat de tool verandert, ziet u als bijgehouden wijziging;\n"
            "waar u en de tool dezelfde tekst veranderden, zet de tool een opmerking."
        ),
        epilog=(
            "Voorbeelden:\n"
            "  beleidsnotitie bijwerken notitie.docx gemeente.yaml            schrijft notitie-bijgewerkt.docx\n"
            "  beleidsnotitie bijwerken notitie.docx gemeente.yaml -o nieuw.docx\n"
        ),
    )
    update.add_argument(
        "document", type=Path, help="Het bewerkte Word-document (.docx) dat de tool eerder maakte."
    )
    update.add_argument("antwoorden", type=Path, help="Het antwoordenbestand met de nieuwe antwoorden.")
    update.add_argument(
        "-o", "--uit", type=Path, help="Het nieuwe document (standaard: <document>-bijgewerkt.docx)."
    )
    update.add_argument(
        "--oud",
        type=Path,
        metavar="BESTAND",
        help="De antwoorden waarmee het document is gemaakt, als die niet in het document staan.",
    )
    update.add_argument("--overschrijven", action="store_true", help="Vervang een bestaand bestand.")
    update.add_argument(
        "--sjablonen", type=Path, help="Map met eigen tekstsjablonen (dezelfde als bij het maken)."
    )
    update.add_argument(
        "--huisstijl",
        type=Path,
        help="De huisstijl waarmee het document is gemaakt (.docx/.dotx), als die eigen was.",
    )
    _rule_options(update)

    example = commands.add_parser(
        "voorbeeld",
        help="Kopieer een voorbeeld-antwoordenbestand.",
        description="Kopieer een van de voorbeeldgemeenten als begin voor uw eigen antwoorden.",
    )
    example.add_argument(
        "naam", nargs="?", help="lindewijk, veendrecht of oosterhaven (zonder naam: toon de lijst)."
    )
    example.add_argument("-o", "--uit", type=Path, help="Waar het bestand komt (standaard: <naam>.yaml).")
    example.add_argument("--overschrijven", action="store_true", help="Vervang een bestaand bestand.")
    # The role controleren: verantwoording, evaluation and the next framework (wizard/evaluation_cli.py).
    _COMMANDS.update(evaluation_cli.add_parsers(commands))
    return parser


def _document_options(parser: argparse.ArgumentParser, name: str, formats: str, more: str = "") -> None:
    """-o, --formaat and --overschrijven of a command that writes one document."""
    parser.add_argument(
        "-o",
        "--uit",
        default=name,  # kept as typed: 'kort/' names a folder (pathlib would drop the slash)
        help=f"Naam van het bestand, zonder extensie, of een map (eindigend op /) (standaard: {name}).",
    )
    parser.set_defaults(standaardnaam=name)
    parser.add_argument(
        "--formaat",
        default=formats,
        metavar="LIJST",
        help=f"docx, md, odt en/of pdf, gescheiden door komma's (standaard: {formats}){more}.",
    )
    parser.add_argument("--overschrijven", action="store_true", help="Vervang bestaande bestanden.")
    _pdf_option(parser)


def _pdf_option(parser: argparse.ArgumentParser) -> None:
    """--pdf-via: the tool sets the PDF itself (Typst), or LibreOffice makes it from the .docx."""
    parser.add_argument(
        "--pdf-via",
        choices=("typst", "libreoffice"),
        default="typst",
        help="Wie de PDF maakt: de tool zelf (typst, standaard, geen ander programma nodig) of "
        "LibreOffice vanuit het Word-bestand (libreoffice: precies de opmaak van het .docx).",
    )


def _rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--regels",
        type=Path,
        action="append",
        default=[],
        metavar="MAP",
        help="Map met eigen regels (een eigen regel vervangt een regel met dezelfde id).",
    )
    parser.add_argument(
        "--zonder-regel", action="append", default=[], metavar="ID", help="Zet een regel uit (mag vaker)."
    )


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_console()
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in arguments  # anywhere on the line, also after the command
    arguments = [a for a in arguments if a != "--debug"]
    try:
        return _main(arguments, debug)
    except BrokenPipeError:  # `beleidsnotitie regels | head -1`: the reader has enough
        _silence_stdout()
        return 0


def _main(arguments: list[str], debug: bool) -> int:
    parser = build_parser()
    args = parser.parse_args(arguments)
    args.debug = debug
    if not args.command:
        parser.print_help()
        return 0
    if args.command not in _OWN_SIGNALS:
        _stop_on_signals()
    try:
        return int(_COMMANDS[args.command](args))
    except DataError as exc:
        if args.debug:
            raise
        print_problems(exc.problems)
        return EXIT_DATA_ERROR
    except EnvironmentProblem as exc:
        if args.debug:
            raise
        print(f"Fout: {exc.format()}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except UserError as exc:
        if args.debug:
            raise
        print(f"Fout: {exc.format()}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except KeyboardInterrupt as exc:
        from wizard import atomic

        atomic.discard_pending()  # also a file the stop came in the middle of creating
        with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
            print("\nGestopt.", file=sys.stderr)
        return 128 + exc.signal if isinstance(exc, Stopped) else 130
    except BrokenPipeError:
        raise
    except MemoryError as exc:
        if args.debug:
            raise
        print(
            "Fout: de computer heeft niet genoeg geheugen voor deze invoer.\n"
            "    → Controleer of het juiste bestand is gekozen; een antwoordenbestand is klein.",
            file=sys.stderr,
        )
        del exc
        return EXIT_ENVIRONMENT
    except Exception as exc:  # the last line of defence: a bug, logged, never a traceback for users
        if args.debug:
            raise
        print(f"Fout: {internal_message(exc)}", file=sys.stderr)
        return EXIT_INTERNAL


# Commands that handle SIGTERM and SIGHUP themselves: the web server (uvicorn) and the
# terminal walk (every answer is saved the moment it is given).
_OWN_SIGNALS = ("start", "web", "werksessie")


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a closed terminal, a shutdown): stopped as by Ctrl-C, so every
    temporary file is removed on the way out; the exit status is 128 + the signal."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.signal = number


def _stop_on_signals() -> None:
    import signal

    def stop(number: int, frame: object) -> None:
        raise Stopped(number)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def _utf8_console() -> None:
    """UTF-8 for everything the tool prints, also into a file on Windows (not cp1252)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError, LookupError):
                reconfigure(encoding="utf-8", errors="replace")


def _silence_stdout() -> None:
    """After a broken pipe, send what is left to nowhere so Python's exit stays quiet."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# --- helpers ---------------------------------------------------------------------


def expand_inputs(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder becomes its .yaml/.yml files. Missing ones are errors."""
    from wizard.errors import Problem
    from wizard.yamlsource import folder_files

    files: list[Path] = []
    problems = []
    for path in paths:
        if path.is_dir():
            found = folder_files(path)
            if not found:
                problems.append(
                    Problem("in deze map staan geen antwoordenbestanden (.yaml of .yml).", file=path)
                )
            files.extend(found)
        elif not path.exists():
            problems.append(
                Problem("bestand niet gevonden.", file=path, hint="Controleer de naam en de map.")
            )
        else:
            files.append(path)
    if problems:
        raise DataError(problems)
    return files


def _drafter(args: argparse.Namespace) -> Drafter:
    from wizard.draft import Drafter

    return Drafter(
        rule_dirs=args.regels, skip_rules=args.zonder_regel, template_dir=getattr(args, "sjablonen", None)
    )


def rules_summary(findings: Sequence[Finding]) -> str:
    from wizard.rules import summary

    return summary(findings)


# --- commands ----------------------------------------------------------------------


def cmd_make(args: argparse.Namespace) -> int:
    from wizard import make, publish

    out = Path(args.uit) if args.uit else None
    options = make.Options(
        formats=make.parse_formats(args.formaat or publish.format_of(out) or "docx"),
        kinds=make.parse_kinds(args.stukken),
        overwrite=args.overschrijven,
        rule_dirs=tuple(args.regels),
        skip_rules=tuple(args.zonder_regel),
        template_dir=args.sjablonen,
        final=args.definitief,
        accept_open=args.accepteer_open_punten,
        pdf_via=args.pdf_via,
    )
    if args.accepteer_open_punten and not args.definitief:
        raise UserError(
            "--accepteer-open-punten hoort bij --definitief.",
            hint="Gebruik 'beleidsnotitie maak … --definitief --accepteer-open-punten'.",
        )
    inputs = expand_inputs(args.antwoorden)
    single = len(inputs) == 1 and not args.antwoorden[0].is_dir()
    folder_named = bool(args.uit) and publish.is_folder_name(args.uit)
    plans = make.plan(inputs, single, out, options, folder_named)
    if args.huisstijl is not None:
        from wizard.wordwriter import load_style

        options.house_style = load_style(args.huisstijl)
        for warning in options.house_style.warnings:
            print(f"Let op: {warning}", file=sys.stderr)
    return make.run(plans, options)


def cmd_check(args: argparse.Namespace) -> int:
    from wizard.answering import route_findings

    inputs = expand_inputs(args.antwoorden)
    drafter = _drafter(args)
    threshold = SEVERITIES.index(args.drempel)
    reports = []
    later: dict[Path, Any] = {}  # short route: the findings the full route settles, per part
    problems = []
    for path in inputs:
        try:
            answers = drafter.load(path)
            for line in answers.upgraded:
                print(f"{path}: {line}", file=sys.stderr)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        found = route_findings(drafter.questionnaire, drafter.rules, answers)  # as `start` and `web`
        reports.append((path, answers.get("gemeente_naam"), list(found.shown)))
        later[path] = found
    if problems:
        raise DataError(problems)
    if args.json:
        print(json.dumps(_check_json(reports, later), ensure_ascii=False, indent=2))
    else:
        _print_check(reports, later)
    # The findings the full route settles count too: they are deferred, not gone (a definitive
    # version is refused on a blocking one, wizard/readiness.py).
    found_all = [
        [*findings, *(f for part in later[path].later for f in part.findings)]
        for path, _, findings in reports
    ]
    hit = any(SEVERITIES.index(f.severity) <= threshold for findings in found_all for f in findings)
    return 1 if hit else 0


def _check_json(reports: list[tuple[Path, Any, list[Finding]]], later: dict[Path, Any]) -> dict[str, Any]:

    def off_route(path: Path) -> list[dict[str, Any]]:
        return [
            {
                "deel": part.section.titel,
                "aantal": len(part.findings),
                "blokkerend": sum(1 for f in part.findings if f.severity == Severity.BLOCKING),
                "regels": [f.rule for f in part.findings],
                "vragen": [q.label for q in part.questions],
            }
            for part in later[path].later
        ]

    return {
        "formaat": 1,
        "bestanden": [
            {
                "bestand": str(path),
                "gemeente": name,
                "telling": {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES},
                "bevindingen": [f.as_dict() for f in findings],
                "volledige_route": off_route(path),
            }
            for path, name, findings in reports
        ],
    }


def _print_check(reports: list[tuple[Path, Any, list[Finding]]], later: dict[Path, Any]) -> None:
    from wizard.questionnaire import ROLE_LABELS

    for number, (path, name, findings) in enumerate(reports):
        if number:
            print()
        title = f"{name} ({path})" if name else str(path)
        print(visible_lines(f"{title}: {rules_summary(findings)}"))
        if later[path].later_count:  # the short route: what it cannot settle, named per part
            print(f"Daarnaast: {later[path].later_text()}:")
            for part in later[path].later:
                print(visible_lines(f"  {part.section.titel}: {len(part.findings)} ({part.named()})"))
        role = None
        for finding in findings:
            if finding.role != role:
                role = finding.role
                print(f"\n{ROLE_LABELS[role]}")
            print(visible_lines(f"  [{finding.severity}] {finding.title}  ({finding.rule})"))
            print(visible_lines(f"      {finding.message}"))
            print(visible_lines(f"      Advies: {finding.advice}"))
            print(
                visible_lines(
                    f"      Bron: {finding.source.text()}"
                    + (f" – {finding.source.url}" if finding.source.url else "")
                )
            )


def cmd_rules(args: argparse.Namespace) -> int:
    from wizard import questionnaire as questionnaire_mod
    from wizard import rulereport
    from wizard import rules as rules_mod

    if args.verantwoording:
        return evaluation_cli.cmd_rules(args)
    questionnaire = questionnaire_mod.load_cached()
    if args.controleer is not None:
        own = rules_mod.load(questionnaire, [args.controleer], bundled=False)
        return rulereport.print_examples(len(own.rules), rules_mod.run_examples(own, questionnaire))
    rule_set = rules_mod.load(questionnaire, args.regels).without(args.zonder_regel)
    if args.json:
        print(json.dumps(rules_mod.as_json(rule_set.rules), ensure_ascii=False, indent=2))
        return 0
    rulereport.print_rules(rule_set.rules)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from wizard import atomic, schema
    from wizard import questionnaire as questionnaire_mod

    text = json.dumps(schema.build(questionnaire_mod.load_cached()), ensure_ascii=False, indent=2) + "\n"
    if args.uit is None:
        sys.stdout.write(text)
        return 0
    atomic.check_can_write(args.uit, args.overschrijven)
    if args.uit.exists() and not _is_schema(args.uit):
        raise UserError(
            f"'{args.uit}' is geen schema maar een ander bestand (bijvoorbeeld een antwoordenbestand) "
            "en wordt nooit door het schema vervangen.",
            "Geef het schema met -o een eigen naam, bijvoorbeeld -o antwoorden.schema.json.",
        )
    atomic.write_text(args.uit, text, args.overschrijven)
    print(f"Geschreven: {visible(str(args.uit))}")
    print("    → Zet bovenaan uw antwoordenbestand: # yaml-language-server: $schema=" + args.uit.name)
    return 0


def _is_schema(path: Path) -> bool:
    """Whether `path` holds a JSON Schema (what `schema -o` wrote before), so that replacing
    it with --overschrijven can never cost an answers file."""
    if not path.is_file():  # a pipe would block the read; a folder is refused elsewhere
        return False
    try:
        with path.open("rb") as stream:
            found = json.loads(stream.read(5 * 1024 * 1024))
    except (OSError, ValueError):
        return False
    return isinstance(found, dict) and "$schema" in found


def cmd_example(args: argparse.Namespace) -> int:
    from wizard import atomic
    from wizard.resources import examples_dir

    available = sorted(p.stem for p in examples_dir().glob("*.yaml"))
    if not args.naam:
        print("Voorbeelden: " + ", ".join(available))
        print("    → Kopieer er een met: beleidsnotitie voorbeeld <naam>")
        return 0
    if args.naam not in available:
        from wizard.errors import suggest

        raise UserError(
            f"er is geen voorbeeld '{args.naam}'.",
            suggest(args.naam, available) or f"Kies uit: {', '.join(available)}.",
        )
    target = args.uit or Path(f"{args.naam}.yaml")
    atomic.check_can_write(target, args.overschrijven)
    atomic.write_bytes(target, (examples_dir() / f"{args.naam}.yaml").read_bytes(), args.overschrijven)
    print(f"Geschreven: {visible(str(target))}")
    print(f"    → Maak er een concept van met: beleidsnotitie maak {target}")
    return 0


def cmd_questions(args: argparse.Namespace) -> int:
    from wizard import documents, publish, worksheet
    from wizard import questionnaire as questionnaire_mod
    from wizard.context import dutch_date

    formats = publish.parse_list(args.formaat, publish.FORMATS, "formaat")
    pairs = publish.targets(args.uit, formats, args.standaardnaam)
    sources = [args.antwoorden] if args.antwoorden is not None else []
    publish.check((path for _, path in pairs), args.overschrijven, sources)
    questionnaire = questionnaire_mod.load_cached()
    current = None
    if args.antwoorden is not None:
        from wizard import answers as answers_mod

        current = answers_mod.load(args.antwoorden, questionnaire)
        for line in current.upgraded:
            print(f"{args.antwoorden}: {line}", file=sys.stderr)
    kind, sheet_blocks = worksheet.blocks_for(questionnaire, args.sjablonen, current, args.route)
    meta = documents.meta(kind, municipality="", date=dutch_date(None))
    return publish.document(sheet_blocks, meta, pairs, args.overschrijven, sources, pdf_via=args.pdf_via)


def cmd_compare(args: argparse.Namespace) -> int:
    from wizard import answers as answers_mod
    from wizard import compare, documents, publish
    from wizard import questionnaire as questionnaire_mod
    from wizard.context import dutch_date
    from wizard.render import Renderer

    inputs = expand_inputs(args.antwoorden)
    if len(inputs) < 2:
        raise UserError("vergelijken kan pas met minstens twee antwoordenbestanden.", "Geef er nog een op.")
    pairs = []
    if args.formaat.strip().lower() != "geen":
        formats = publish.parse_list(args.formaat, publish.FORMATS, "formaat")
        pairs = publish.targets(args.uit, formats, args.standaardnaam)
        publish.check((path for _, path in pairs), args.overschrijven, inputs)
    questionnaire = questionnaire_mod.load_cached()
    loaded, problems = [], []
    for path in inputs:
        try:
            loaded.append(answers_mod.load(path, questionnaire))
            for line in loaded[-1].upgraded:
                print(f"{path}: {line}", file=sys.stderr)
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    names = _short_names(inputs)
    found, compared = compare.differences(questionnaire, loaded)
    _print_differences(names, found, compared)
    status = 1 if found else 0
    if pairs:
        kind = documents.load("vergelijking")
        result_blocks = Renderer(None, "vergelijking").blocks(compare.context(names, found, compared))
        meta = documents.meta(kind, municipality="", date=dutch_date(None))
        written = publish.document(
            result_blocks, meta, pairs, args.overschrijven, inputs, pdf_via=args.pdf_via
        )
        status = written or status
    return status


def _short_names(paths: Sequence[Path]) -> list[str]:
    """File names where they are unique, else the paths as given."""
    names = [p.name for p in paths]
    return names if len(set(names)) == len(names) else [str(p) for p in paths]


def _print_differences(names: Sequence[str], found: Sequence[Any], compared: int) -> None:
    import shutil
    import textwrap

    from wizard.compare import present_in

    letters = [chr(ord("A") + i) if i < 26 else str(i + 1) for i in range(len(names))]
    print(
        "Vergelijking: "
        + ", ".join(f"{letter} = {visible(name)}" for letter, name in zip(letters, names, strict=True))
    )
    if not found:
        print(f"Alle {compared} vergeleken antwoorden zijn in elk bestand hetzelfde.")
        return
    differ = "verschilt er één" if len(found) == 1 else f"verschillen er {len(found)}"
    print(f"Van de {compared} vergeleken antwoorden {differ}.")
    width = max(40, min(shutil.get_terminal_size((100, 24)).columns, 120) - 10)
    section = None
    for difference in found:
        if difference.deel != section:
            section = difference.deel
            print(f"\n{section}")
        only = present_in(difference, letters)  # 'alleen bij C': an item only some files list
        print(
            visible(
                f"  {(difference.nummer + ' ') if difference.nummer else ''}{difference.vraag}"
                f"{f' ({only})' if only else ''}"
            )
        )
        for letter, value in zip(letters, difference.waarden, strict=True):
            text = "(niet ingevuld)" if value is None else visible(" ".join(str(value).split()))
            lines = textwrap.wrap(text, width, max_lines=3, placeholder=" …") or [""]
            print(f"    {letter}  " + "\n       ".join(lines))


def cmd_update(args: argparse.Namespace) -> int:
    from wizard import atomic, update

    target = args.uit or args.document.with_name(f"{args.document.stem}-bijgewerkt.docx")
    if target.suffix.lower() != ".docx":
        raise UserError(f"'{target.name}' is geen .docx-naam.", "Geef met -o een naam die eindigt op .docx.")
    atomic.check_can_write(target, args.overschrijven, [args.document, args.antwoorden])
    edited = update.read_document(args.document)
    drafter = _drafter(args)
    if args.huisstijl is not None:
        from wizard.wordwriter import load_style

        drafter.house_style = load_style(args.huisstijl)
    new = drafter.load(args.antwoorden)
    old = drafter.load(args.oud) if args.oud else None
    outcome = update.update(edited, args.document.name, new, drafter, old)
    atomic.write_bytes(target, outcome.data, args.overschrijven)
    print("\n".join(update.summary(outcome, target)))
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    from wizard import session

    return session.run(args)


def cmd_web(args: argparse.Namespace) -> int:
    from wizard.web import server  # starlette and uvicorn only for this command

    return server.run(args)


def cmd_workshop(args: argparse.Namespace) -> int:
    """Prepare the folder, print the links and serve until Ctrl-C (here, not in web/workshop.py:
    the server imports the pages, which import the werksessie, so it may not import the server)."""
    from wizard.web import server, workshop  # starlette and uvicorn only for this command

    if not 2 <= args.groepen <= workshop.MAX_GROUPS:
        raise UserError(
            f"--groepen {args.groepen} kan niet.",
            f"Kies een aantal groepen van 2 tot en met {workshop.MAX_GROUPS}.",
        )
    folder: Path = args.map
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder} is een bestand, geen map.", "Geef de naam van een (nieuwe) map.")
    folder.mkdir(parents=True, exist_ok=True)
    return server.serve(
        folder / f"{workshop.COMBINED}.yaml",
        args,
        groups={name: folder / f"{name}.yaml" for name in workshop.group_names(args.groepen)},
    )


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "maak": cmd_make,
    "toets": cmd_check,
    "regels": cmd_rules,
    "schema": cmd_schema,
    "voorbeeld": cmd_example,
    "vragen": cmd_questions,
    "vergelijk": cmd_compare,
    "bijwerken": cmd_update,
    "start": cmd_start,
    "web": cmd_web,
    "werksessie": cmd_workshop,
}
