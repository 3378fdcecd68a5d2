"""The documents tell the truth: what they assert follows from the answers.

A griffier puts a raadsvoorstel on the agenda only if no sentence in it is false. These tests
read what the note and the raadsvoorstel say (beslispunten, argumenten, summary, cost overview)
and compare it with the answers and the derived facts, for the bundled examples, for the answers
files in tests/antwoorden/ and for a few hundred generated answer sets. A contradiction fails.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from wizard import answers, blocks, facts
from wizard.display import euro
from wizard.draft import Drafter

from .conftest import EXAMPLES, example

CASES = Path(__file__).parent / "antwoorden"
# Files named fout-*.yaml must be refused; the others must render truthfully.
FILES = [example(name) for name in EXAMPLES] + sorted(
    p for p in CASES.glob("*.yaml") if not p.name.startswith("fout-")
)
PLACEHOLDER = "[nog invullen"


def outline(drafter: Drafter, loaded: answers.Answers, kind: str) -> str:
    return blocks.outline(drafter.draft(loaded, kind).blocks)


def section(text: str, start: str, end: str | None) -> str:
    begin = text.index(start)
    stop = text.index(end, begin + len(start)) if end else len(text)
    return text[begin:stop]


def decisions(raadsvoorstel: str) -> list[str]:
    """The numbered beslispunten of the raadsvoorstel (before the Inleiding)."""
    part = section(raadsvoorstel, "## Beslispunten", "## Inleiding")
    return [line for line in part.splitlines() if re.match(r"^\d+\. ", line)]


def amount(text: str) -> float:
    """'€ 25.000' or '€ 0,45' back to a number."""
    digits = text.replace("€", "").strip().replace(".", "").replace(",", ".")
    return float(digits)


def check_consistency(drafter: Drafter, loaded: answers.Answers) -> None:
    """Fail on any sentence of the note or raadsvoorstel that the answers do not make true."""
    values = facts.derive(loaded, drafter.questionnaire)
    note = outline(drafter, loaded, "notitie")
    proposal = outline(drafter, loaded, "raadsvoorstel")
    points = decisions(proposal)
    joined = "\n".join(points)
    ties = [t for t in values.get("partnerschappen") or []]

    # One beslispunt per tie, saying what its proposal says, never a decision that was not taken.
    for tie in ties:
        mine = [p for p in points if tie.get("partner") and tie["partner"] in p]
        assert mine, f"no beslispunt for {tie.get('partner')}"
        text = " ".join(mine)
        advice = tie.get("advies")
        if advice == "beeindigen":
            assert "af te bouwen en te beëindigen" in text and "voort te zetten" not in text
        elif advice in ("voortzetten", "aanpassen"):
            assert "de band met" in text and "voort te zetten" in text and "beëindigen" not in text
        elif (advice == "aangaan" and tie.get("voorwaarden_aangaan")) or (
            advice == "aangaan" and tie.get("voorwaarden_aangaan")
        ):
            # Steps come first: the council asks for a proposal, it does not start the tie yet.
            assert "voor te bereiden en de raad daarna een voorstel te doen" in text
        elif advice == "aangaan":
            assert "een band aan te gaan met" in text
        elif advice == "nog_bepalen":
            assert "te evalueren en de raad" in text
        else:
            assert PLACEHOLDER in text and "voort te zetten" not in text and "beëindigen" not in text
        if advice == "beeindigen":
            # A tie that ends gets an afbouw, not steering placeholders or steering findings.
            block = section(note, f"### {tie.get('partner')}", "Voorstel:")
            for missing in (
                "werkplan",
                "De band kost hoogstens",
                "De gemeente stopt met de band",
                "De band wordt geëvalueerd in",
            ):
                assert missing not in block, f"{tie.get('partner')} ends but the note asks for {missing}"

    check_money(values, note, proposal, points)

    # Disaster relief: the beslispunt and the argument follow the council's choice.
    choice = values.get("ramp_keuze")
    if values.get("rampenkader"):
        assert "voor hulp na rampen in het buitenland dit kader vast te stellen" in joined
    elif choice == "geen_giften":
        assert "geen geld geeft na rampen" in joined and "voor te stellen" not in joined
    elif choice == "per_ramp":
        assert "per ramp beslist" in joined
    elif choice == "later":
        assert "een kader voor hulp na rampen in het buitenland aan de raad voor te leggen" in joined
    else:
        assert "[nog invullen: wat de raad besluit over hulp na rampen" in joined
    arguments = section(proposal, "## Argumenten", "## Kanttekeningen")
    if "Elke ramp wordt op dezelfde manier beoordeeld" in arguments:
        assert values.get("ramp_gelijke_behandeling") is True and not values["ramp_ongelijk"]
    risks = section(proposal, "## Kanttekeningen", "## Alternatieven")
    assert ("Ongelijke behandeling." in risks) == values["ramp_ongelijk"]
    criteria = values.get("ramp_criteria") or []
    if values.get("rampenkader") and criteria:
        # The criteria joined as the note means them: 'of' when one is enough, 'en' only when all must hold.
        point = next(
            p for p in points if "voor hulp na rampen in het buitenland dit kader vast te stellen" in p
        )
        listed = point[point.rindex(": ") + 2 :]
        together = values.get("ramp_criteria_samen")
        if len(criteria) == 1:
            assert "in dit geval:" in point
        elif together == "een_van":
            assert "in één van deze gevallen:" in point and " of " in listed and " en " not in listed
        elif together == "alle":
            assert "alleen als al deze gevallen tegelijk gelden:" in point and " of " not in listed
        else:
            assert PLACEHOLDER in point and " of " not in listed and " en " not in listed

    # Old policy is withdrawn exactly when the answer says the note replaces it.
    assert ("in te trekken met ingang van" in joined) == (
        values.get("bestaand_beleid_intrekken") is True
        or (
            values.get("bestaand_beleid") in ("verouderd", "actueel")
            and "bestaand_beleid_intrekken" not in values
        )
    )

    # Arguments claim only what the answers make true.
    if "Bij elk motief staat wat de eigen gemeente eraan heeft" in arguments + note:
        assert values.get("motieven") and not values["motieven_zonder_opbrengst"]
    goals, complete = values["aantal_doelen"], values["aantal_doelen_compleet"]
    if "doelen hebben een indicator en een jaartal" in arguments:
        assert complete >= 2
    if re.search(r"Alle \w+ doelen hebben een indicator", arguments):
        assert complete == goals
    if "elk met een indicator en een jaartal" in section(note, "## Samenvatting", "## Beslispunten"):
        assert complete == goals and goals > 1
    if "De afspraken passen binnen het budget" in arguments + note:
        assert values["kosten_volledig"] and values["kosten_boven_budget"] == 0
        claim = re.search(r"komen samen op (€ [\d.,]+) per jaar; het budget is (€ [\d.,]+)", arguments)
        if claim:  # the argument's amounts fit, the reserve for disasters counted where it pays
            assert amount(claim.group(1)) <= amount(claim.group(2)) + values["dekking_reserve"]

    # The cost overview adds up and is set against the money the note names: the budget, and the
    # yearly disaster ceiling where a reserve pays it (a row of its own, never left out).
    budget = values.get("budget_jaar")
    if values["kosten_totaal"] is not None:
        table = section(note, "## Kostenoverzicht", "## Ter vergelijking")
        rows = [line.split(" | ") for line in table.splitlines() if " | " in line and "€" in line]
        covered_rows = [r for r in rows if r[0].startswith("Uit ") and r[0].endswith("(hulp na rampen)")]
        listed = [
            amount(r[1])
            for r in rows
            if r[0] not in ("Samen", "Budget", "Tekort", "Over") and r not in covered_rows
        ]
        total = next(amount(r[1]) for r in rows if r[0] == "Samen")
        assert sum(listed) == pytest.approx(total) == pytest.approx(values["kosten_totaal"])
        if isinstance(budget, int | float):
            assert next(amount(r[1]) for r in rows if r[0] == "Budget") == budget
            covered = budget + sum(amount(r[1]) for r in covered_rows)
            assert covered == pytest.approx(values["dekking_totaal"])
            over = values["kosten_boven_budget"]
            assert (over > 0) == (total > covered)
            difference = next(r for r in rows if r[0] in ("Tekort", "Over"))
            assert amount(difference[1]) == pytest.approx(abs(covered - total))
            assert difference[0] == ("Tekort" if over else "Over")
            if over:
                assert f"{euro(over)} per jaar meer dan het budget" in table

    # The summary counts ties as the answers do, the ones that end included and named apart.
    summary = section(note, "## Samenvatting", "## Beslispunten")
    if ties:
        assert "bespreekt" in summary
    stopping = sum(1 for t in ties if t.get("advies") == "beeindigen")
    if stopping:
        assert ("stopt" if stopping == 1 else "stoppen") in summary


MONEY_PHRASES = ("te betrekken bij", "te dekken binnen", "te wijzigen door", "hoger dan het geld dat er is")
# "de kosten van € X" or "de kosten in dit kader (€ X": a sentence that names an amount the costs.
COSTS_NAMED = re.compile(r"\bde kosten (?:van |in dit kader \()(€ [\d.]+(?:,\d\d)?)")


def check_money(values: dict[str, Any], note: str, proposal: str, points: list[str]) -> None:
    """One money model behind every sentence: the budget beslispunt has the form the answers
    support (the amount of the change, the year, the post), and no coverage claim is written
    that the amounts contradict."""
    decision = values["geld_besluit"]
    money = [p for p in points if any(phrase in p for phrase in MONEY_PHRASES)]
    budget, new, existing = values.get("budget_jaar"), values["geld_nieuw"], values["geld_bestaand"]
    finance = section(proposal, "## Financiën", "## Communicatie")
    chapter = section(note, "# 11. Financiën", "## Kostenoverzicht")
    for point in money:
        assert "€ 0 per jaar" not in point
    # An amount called "the costs" is the costs in the framework, never the budget: Veendrecht's
    # beslispunt called its € 30.000 budget "de kosten" while the costs were € 46.000, of which a
    # reserve paid € 40.000 (docs/lezing-raadslid-3.md, N2).
    for text in (*points, finance, chapter):
        for named in COSTS_NAMED.findall(text):
            assert values["kosten_totaal"] is not None and amount(named) == values["kosten_totaal"], text
    if decision == "geen":
        assert not money
        assert "Er is geen budget" in finance or "Dit kader vraagt geen geld van de gemeente" in finance
        assert values["kosten_totaal"] == values["dekking_reserve"] or not values["kosten_totaal"]
        return
    assert len(money) == 1, money
    [point] = money
    moment = values.get("pc_moment")
    if decision == "open_budget":
        assert PLACEHOLDER in point
    elif decision == "tekort":
        # The shortfall is named, with the choice the council must make; no claim that it fits.
        assert PLACEHOLDER in point and euro(values["kosten_boven_budget"]) in point
        assert f"{euro(values['kosten_boven_budget'])} per jaar lager dan de kosten" in finance
        for text in (note, proposal):
            assert "passen binnen het budget" not in text
            assert "er is geen nieuw geld voor nodig" not in text
    elif decision in ("open_dekking", "tegenstrijdig"):
        assert PLACEHOLDER in point and euro(budget) in point
    elif decision == "bestaand":
        assert (
            f"het budget voor internationale samenwerking vast te stellen op {euro(budget)} per jaar" in point
        )
        assert "te dekken binnen de bestaande begroting" in point
        assert "te wijzigen" not in point and "extra" not in point
    else:
        assert decision == "nieuw" and new and new <= budget
        assert euro(new) in point and ("naast " + euro(existing)) in point if existing else euro(new) in point
        if moment == "los_besluit":
            assert "te wijzigen door" in point and "kadernota" not in point
            assert "Begrotingswijziging" in section(proposal, "## Bijlagen", "# Ontwerpbesluit")
        elif moment == "kadernota":
            assert "te betrekken bij de kadernota" in point
        elif moment == "begroting":
            assert "te betrekken bij de begroting" in point and "kadernota" not in point
        else:
            assert "kadernota of de begroting van welk jaar" in point
    if decision != "nieuw":
        assert "Begrotingswijziging" not in section(proposal, "## Bijlagen", "# Ontwerpbesluit")
    # Coverage sentences follow the facts, in the note and in the raadsvoorstel alike.
    for text in (finance, chapter):
        if "er is geen nieuw geld voor nodig" in text:
            assert new == 0
        if "Het hele budget is nieuw geld" in text:
            assert new == budget
        if "al in de begroting" in text and existing and new:
            assert f"{euro(existing)} per jaar al in de begroting" in text
        if values["kosten_boven_budget"]:
            assert "lager dan de kosten in dit kader" in text
        else:
            assert "lager dan de kosten" not in text


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_documents_assert_only_what_the_answers_make_true(drafter: Drafter, path: Path) -> None:
    check_consistency(drafter, drafter.load(path))


# --- generated answer sets ------------------------------------------------------------------

ADVICE = ["aangaan", "voortzetten", "aanpassen", "beeindigen", "nog_bepalen", None]
DISASTER = ["kader", "geen_giften", "per_ramp", "later", None]


def generated(seed: int) -> dict[str, Any]:
    """A varied answers file: ties on every path, money that does and does not add up,
    goals complete or not, every disaster choice, every P&C moment."""
    rng = random.Random(seed)
    data: dict[str, Any] = {"gemeente_naam": f"Gemeente{seed}", "datum": "2026-11-23"}
    if rng.random() < 0.9:
        data["inwoners"] = rng.choice([5000, 20000, 68400, 214000])
    if rng.random() < 0.8:
        data["budget_jaar"] = rng.choice([0, 4000, 30000, 120000])
    data["pc_moment"] = rng.choice(["kadernota", "begroting", "los_besluit", "niet", None])
    data["dekking"] = rng.choice(["bestaande_post", "deels_nieuw", "nieuw_geld", "nog_niet", None])
    if data["dekking"] == "deels_nieuw" and rng.random() < 0.8:
        data["budget_nieuw"] = rng.choice([2000, 10000, 50000])
    if data["dekking"] in ("bestaande_post", "deels_nieuw", "nieuw_geld") and rng.random() < 0.7:
        data["begrotingspost"] = "Programma Bestuur"
    if rng.random() < 0.5:
        data["begrotingsjaar"] = 2027
    data["indiener"] = rng.choice(["college", "initiatief", "presidium", None])
    data["bestaand_beleid"] = rng.choice(["geen", "verouderd", "actueel", None])
    if data["bestaand_beleid"] in ("verouderd", "actueel") and rng.random() < 0.7:
        data["bestaand_beleid_intrekken"] = rng.random() < 0.5
    motives = rng.sample(["ideeel", "economisch", "bestuurlijk", "sociale_cohesie"], rng.randint(0, 3))
    if motives:
        data["motieven"] = motives
        data["motief_opbrengst"] = {m: "Iets voor ons." for m in motives if rng.random() < 0.6}
    goals = []
    for index in range(rng.randint(0, 3)):
        goal: dict[str, Any] = {"omschrijving": f"Doel {index}"}
        if rng.random() < 0.7:
            goal["indicator"] = "Iets meetbaars"
        if rng.random() < 0.7:
            goal["termijn"] = 2029
        goals.append(goal)
    if goals:
        data["doelen"] = goals
    ties = []
    for index in range(rng.randint(0, 4)):
        tie: dict[str, Any] = {"partner": f"Stad{index}", "land": rng.choice(["Marokko", "Polen", "Peru"])}
        advice = rng.choice(ADVICE)
        if advice:
            tie["advies"] = advice
        if rng.random() < 0.6:
            tie["budgetplafond"] = rng.choice([5000, 25000, 60000])
        if rng.random() < 0.5:
            tie["einddatum"] = 2030
        if advice == "beeindigen" and rng.random() < 0.5:
            tie["afbouw_jaar"] = 2027
        ties.append(tie)
    if ties:
        data["partnerschappen"] = ties
    disaster = rng.choice(DISASTER)
    if disaster:
        data["ramp_keuze"] = disaster
    if disaster == "kader" or rng.random() < 0.2:
        data["ramp_beleid"] = rng.choice(["kader", "per_ramp", "geen"])
        for key, choices in (
            ("ramp_bedrag_per_inwoner", [1, 0.5]),
            ("ramp_plafond", [20000, 100000]),
            ("ramp_plafond_jaar", [40000]),
            ("ramp_gelijke_behandeling", [True, False]),
            ("ramp_budgetbron", ["kadernota", "reserve", "nog_niet"]),
            (
                "ramp_criteria",
                [["sho_actie"], ["sho_actie", "herkomstland"], ["vng_oproep", "partnergebied"]],
            ),
            ("ramp_criteria_samen", ["een_van", "alle"]),
        ):
            if rng.random() < 0.6:
                data[key] = rng.choice(choices)
    if rng.random() < 0.5:
        data["dienstreizen"] = True
        if rng.random() < 0.6:
            data["dienstreis_kosten"] = 6000
    return data


@pytest.mark.parametrize("seed", range(150))
def test_generated_answer_sets_stay_consistent(drafter: Drafter, seed: int) -> None:
    data = {k: v for k, v in generated(seed).items() if v is not None}
    loaded = answers.from_mapping(data, drafter.questionnaire)
    check_consistency(drafter, loaded)


def test_the_generated_sets_cover_every_path(drafter: Drafter) -> None:
    """The generator is only a good test if it reaches every branch it claims to."""
    sets = [generated(seed) for seed in range(150)]
    advice = {t.get("advies") for s in sets for t in s.get("partnerschappen", [])}
    assert set(ADVICE) <= advice
    assert set(DISASTER) <= {s.get("ramp_keuze") for s in sets}
    over = 0
    for data in sets:
        clean = {k: v for k, v in data.items() if v is not None}
        totals = facts.FACTS["kosten_boven_budget"].compute(clean, drafter.questionnaire)
        over += bool(totals)
    assert over >= 5


def test_an_ended_tie_gets_no_steering_findings(drafter: Drafter) -> None:
    loaded = drafter.load(CASES / "band-stopt.yaml")
    found = {(f.rule, f.item) for f in drafter.findings(loaded)}
    ended = "León (Nicaragua)"
    assert not {rule for rule, item in found if item == ended}
    note = outline(drafter, loaded, "notitie")
    block = section(note, "### León (Nicaragua)", "Voorstel:")
    assert "De band eindigt in 2027." in block and PLACEHOLDER not in block


def test_money_that_does_not_add_up_is_found_and_shown(drafter: Drafter) -> None:
    loaded = drafter.load(CASES / "overbegroot.yaml")
    found = {f.rule: f for f in drafter.findings(loaded)}
    # Tata 25.000 + Kecskemét 15.000 + Interreg 80.000 + trips 18.000 + disasters 100.000; Matagalpa ends.
    assert found["kosten-boven-budget"].message == (
        "De bedragen in deze notitie komen samen op € 238.000 per jaar. "
        "Er staat € 120.000 per jaar tegenover: € 118.000 te weinig."
    )
    assert found["ramp-college-zonder-budget"].severity == "waarschuwing"
    note = outline(drafter, loaded, "notitie")
    assert "Band met Matagalpa" not in section(note, "## Kostenoverzicht", "## Ter vergelijking")


def test_a_deliberate_choice_not_to_give_is_respected(drafter: Drafter) -> None:
    loaded = drafter.load(CASES / "geen-giften.yaml")
    rules_found = {f.rule for f in drafter.findings(loaded)}
    assert not {r for r in rules_found if r.startswith("ramp-")}
    proposal = outline(drafter, loaded, "raadsvoorstel")
    assert "vast te leggen dat de gemeente geen geld geeft na rampen in het buitenland;" in proposal
    assert "Teleurstelling na een ramp." in proposal


def test_deciding_per_disaster_with_a_reason_is_not_blocking(drafter: Drafter) -> None:
    loaded = drafter.load(CASES / "per-ramp-bewust.yaml")
    assert not {f.rule for f in drafter.findings(loaded) if f.rule.startswith("ramp-")}
    without_reason = answers.from_mapping(
        {"ramp_beleid": "per_ramp", "ramp_keuze": "per_ramp"}, drafter.questionnaire
    )
    found = {f.rule: f.severity for f in drafter.findings(without_reason)}
    assert found.get("ramp-keuze-zonder-reden") == "waarschuwing" and "ramp-ad-hoc" not in found


def test_a_partner_in_a_country_of_origin_with_the_question_open_is_flagged(drafter: Drafter) -> None:
    loaded = drafter.load(CASES / "herkomstland-open.yaml")
    found = [f for f in drafter.findings(loaded) if f.rule == "herkomstland-onbekend"]
    assert [f.item for f in found] == ["Nador (Marokko)"]


def test_years_are_judged_against_the_date_of_the_note(drafter: Drafter) -> None:
    loaded = drafter.load(CASES / "verleden.yaml")
    found = {f.rule for f in drafter.findings(loaded)}
    assert {
        "doel-termijn-verstreken",
        "evaluatie-verstreken",
        "looptijd-verstreken",
        "band-evaluatie-verstreken",
    } <= found
    later = answers.from_mapping({**loaded.values, "datum": "2004-01-01"}, drafter.questionnaire)
    assert "evaluatie-verstreken" not in {f.rule for f in drafter.findings(later)}


def test_a_new_tie_is_described_as_new(drafter: Drafter) -> None:
    loaded = drafter.load(CASES / "nieuwe-band.yaml")
    note = outline(drafter, loaded, "notitie")
    assert "De gemeente wil een nieuwe band aangaan met Ilo in Peru." in note
    assert "Sinds" not in section(note, "### Ilo (Peru)", "Voorstel:")
    proposal = outline(drafter, loaded, "raadsvoorstel")
    assert (
        "het college op te dragen een band met Ilo (Peru) voor te bereiden en de raad daarna een voorstel te "
        "doen om de band aan te gaan tot en met 2030, met een plafond van € 10.000 per jaar;"
    ) in proposal
    assert "gelezen het voorstel van het presidium van" in proposal


def test_findings_name_exactly_what_is_missing(drafter: Drafter) -> None:
    loaded = answers.from_mapping(
        {"partnerschappen": [{"partner": "Tata", "land": "Hongarije", "werkplan": True}]},
        drafter.questionnaire,
    )
    steering = next(f for f in drafter.findings(loaded) if f.rule == "stedenband-zonder-sturing")
    assert "een werkplan" not in steering.message
    assert steering.message.endswith(
        "schriftelijke doelen, een jaarlijks verslag aan de raad, een jaar van evaluatie, afspraken over "
        "stoppen, een budgetplafond, een verantwoordelijke en een einddatum."
    )


def test_thresholds_of_the_tool_say_so_and_are_tips(drafter: Drafter) -> None:
    own = [rule for rule in drafter.rules.rules if "Eigen drempel" in rule.source.document]
    assert {rule.id for rule in own} >= {"budget-past-niet", "capaciteit-past-niet", "ramp-bedrag-hoog"}
    assert all(rule.severity == "tip" for rule in own)
    assert all("deze tool zelf" in rule.explanation for rule in own)


def test_no_rule_cites_sections_the_sources_do_not_have(drafter: Drafter) -> None:
    for rule in drafter.rules.rules:
        assert "onderdeel" not in rule.source.section.lower(), rule.id  # the Leidraad has no "onderdeel 1–9"
        assert "2005" not in rule.source.document, rule.id  # the dienstreis publication was not read
        if rule.id == "eu-zonder-cofinanciering":
            assert "Interreg" in rule.source.document


def test_an_answers_file_of_the_previous_version_keeps_working(drafter: Drafter) -> None:
    """Files written before the council's disaster decision was a question of its own load
    and are brought up to date with one line: an existing framework (ramp_beleid: kader) is
    still the note's framework."""
    loaded = drafter.load(CASES / "oud-veendrecht.yaml")
    values = facts.derive(loaded, drafter.questionnaire)
    assert loaded.values["ramp_keuze"] == "kader" and values["rampenkader"] is True
    assert len(loaded.upgraded) == 1 and loaded.upgraded[0].startswith("ramp_keuze: kader toegevoegd.")
    assert "ramp_keuze" not in (loaded.saved or {})  # saving writes the new answer to the file
    note = outline(drafter, loaded, "notitie")
    assert "De raad stelt met deze notitie een kader vast; het vervangt de afspraken die nu gelden." in note
    assert "1. Uitgangspunt: noodhulp is geen kerntaak van de gemeente." in note


def test_contradictory_choices_are_a_clear_error(drafter: Drafter) -> None:
    """'geen' cannot be ticked together with other options: the file is refused with every problem."""
    from wizard.errors import DataError

    with pytest.raises(DataError) as caught:
        drafter.load(CASES / "fout-tegenstrijdig.yaml")
    messages = [p.message for p in caught.value.problems]
    assert messages == [
        "'Inwoners en organisaties hebben geen rol' kan niet samen met andere keuzes.",
        "'Nog geen' kan niet samen met andere keuzes.",
    ]
    assert [p.line for p in caught.value.problems] == [4, 5]


def test_the_bundled_templates_run_unchanged_in_the_sandbox(drafter: Drafter, tmp_path: Path) -> None:
    """An advisor starts from a copy of the bundled templates; in the sandbox that copy must
    give the very same documents (no list.append or other mutation in the bundled text)."""
    import shutil

    from wizard.resources import templates_dir

    shutil.copytree(templates_dir() / "notitie", tmp_path / "eigen")
    shutil.copytree(templates_dir() / "raadsvoorstel", tmp_path / "eigen" / "raadsvoorstel")
    own = Drafter(template_dir=tmp_path / "eigen")
    loaded = drafter.load(example("oosterhaven"))
    for kind in ("notitie", "raadsvoorstel"):
        assert outline(own, loaded, kind) == outline(drafter, loaded, kind)


@pytest.mark.parametrize("seed", range(40))
def test_short_route_drafts_stay_consistent(drafter: Drafter, seed: int) -> None:
    """The generated sets cut down to the short route: a shorter draft, just as true."""
    questionnaire = drafter.questionnaire
    data = generated(seed)
    short: dict[str, Any] = {"route": "kort", "datum": data["datum"]}
    for key, value in data.items():
        question = questionnaire.by_id.get(key)
        if question is None or not question.kort:
            continue
        if question.velden:
            keep = {f.id for f in question.velden if f.kort}
            value = [{k: v for k, v in item.items() if k in keep} for item in value]
        short[key] = value
    loaded = answers.from_mapping(short, questionnaire)
    assert loaded.route == "kort"
    check_consistency(drafter, loaded)
    note = outline(drafter, loaded, "notitie")
    assert "Een volgende, volledigere versie beschrijft hier" in note
    assert "# 3. Visie en missie" in note and "[nog invullen: de visie" not in note


def short_file(tmp_path: Path, subsidies: str) -> Path:
    path = tmp_path / "kort.yaml"
    path.write_text(
        "formaat: 1\nroute: kort\ngemeente_naam: Dorp\ninwoners: 12000\nbudget_jaar: 10000\n" + subsidies,
        encoding="utf-8",
    )
    return path


def test_the_short_route_catches_an_eu_subsidy_without_a_goal(
    drafter: Drafter, tmp_path: Path, cli: Any
) -> None:
    """The fourth pitfall of the Raadgever on the short route: the finding is in `toets`, in the
    short draft's own findings (not moved to 'later'), and the note says what the answers say."""
    from wizard.walk import Walk

    path = short_file(tmp_path, "subsidies_gebruik: true\nsubsidies:\n  - {programma: cerv}\n")
    result = cli("toets", "--json", path)
    found = {f["regel"] for f in json.loads(result.out)["bestanden"][0]["bevindingen"]}
    assert "eu-subsidie-zonder-doel" in found
    rule = next(r for r in drafter.rules.rules if r.id == "eu-subsidie-zonder-doel")
    assert Walk(drafter.questionnaire, "kort").off_route(rule) == []
    loaded = drafter.load(path)
    note = outline(drafter, loaded, "notitie")
    part = section(note, "## Subsidies", "# 12.")
    assert "EU: CERV (stedenbanden en netwerken van steden) | [nog invullen: doel]" in part
    assert "gebruikt geen subsidies" not in part
    findings = section(
        note, "Blokkerend: Europese subsidie zonder helder doel", "Regel: eu-subsidie-zonder-doel"
    )
    assert 'Bij de Europese subsidie "EU: CERV (stedenbanden en netwerken van steden)"' in findings
    check_consistency(drafter, loaded)
    # with the goal named, the finding is gone and the note names that goal
    path = short_file(
        tmp_path,
        "subsidies_gebruik: true\nsubsidies:\n"
        "  - {programma: cerv, doel: Jongeren uit beide steden leren van elkaar (doel 2)}\n",
    )
    loaded = drafter.load(path)
    note = outline(drafter, loaded, "notitie")
    assert "Jongeren uit beide steden leren van elkaar (doel 2)" in section(note, "## Subsidies", "# 12.")
    assert "eu-subsidie-zonder-doel" not in note


def test_a_short_file_without_subsidies_says_so_and_finds_nothing_about_them(
    drafter: Drafter, tmp_path: Path
) -> None:
    loaded = drafter.load(short_file(tmp_path, "subsidies_gebruik: false\n"))
    note = outline(drafter, loaded, "notitie")
    part = section(note, "## Subsidies", "# 12.")
    assert (
        "De gemeente gebruikt geen subsidies voor internationale samenwerking en wil die nu ook niet aanvragen."
        in part
    )
    assert "Regel: eu-" not in note
    # not answered: a visible placeholder, never "no subsidies"
    loaded = drafter.load(short_file(tmp_path, ""))
    part = section(outline(drafter, loaded, "notitie"), "## Subsidies", "# 12.")
    assert "[nog invullen: of de gemeente subsidies gebruikt of wil aanvragen]" in part
    assert "gebruikt geen subsidies" not in part
