"""Money and the besluit hold up in the council; the short route sees every pitfall.

Each test renders a real note and raadsvoorstel from answers (the bundled examples and hard cases
written here) and checks what they CLAIM against the amounts: a coverage sentence the amounts
contradict is never written, the totals add up, the budget beslispunt has the form of a real
decision (the amount of the change, the year, the post), and alternatives are joined as the note
means them.
"""

from __future__ import annotations

from typing import Any

import pytest

from wizard import answers, blocks, facts
from wizard.display import euro
from wizard.draft import Drafter

from .conftest import EXAMPLES, example
from .test_truth import check_consistency, decisions, section

PLACEHOLDER = "[nog invullen"


def render(drafter: Drafter, data: dict[str, Any], final: bool = False) -> tuple[dict[str, Any], str, str]:
    """The derived facts, the note and the raadsvoorstel (as text outlines) of one answers set."""
    loaded = answers.from_mapping({"datum": "2026-11-23", **data}, drafter.questionnaire)
    note, proposal = drafter.drafts(loaded, ("notitie", "raadsvoorstel"), final=final)
    return (
        facts.derive(loaded, drafter.questionnaire),
        blocks.outline(note.blocks),
        blocks.outline(proposal.blocks),
    )


def money_point(proposal: str) -> list[str]:
    phrases = ("te betrekken bij", "te dekken binnen", "te wijzigen door", "hoger dan het geld dat er is")
    return [p for p in decisions(proposal) if any(phrase in p for phrase in phrases)]


def finance(proposal: str) -> str:
    return section(proposal, "## Financiën", "## Communicatie")


TIES = [
    {"partner": "Tata", "land": "Hongarije", "advies": "voortzetten", "budgetplafond": 25000},
    {"partner": "Kecskemét", "land": "Hongarije", "advies": "voortzetten", "budgetplafond": 15000},
]
BASE: dict[str, Any] = {
    "gemeente_naam": "Rekendam",
    "inwoners": 60000,
    "indiener": "college",
    "partnerschappen": TIES,
    "begrotingsjaar": 2028,
    "begrotingspost": "Programma Bestuur",
}


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_tells_the_truth_about_money(drafter: Drafter, name: str) -> None:
    """The shared check (tests/test_truth.py) over each bundled example: one money beslispunt in
    the form the facts support, coverage sentences that follow the facts, a table that adds up."""
    check_consistency(drafter, drafter.load(example(name)))


def test_a_shortfall_is_named_with_the_choice_instead_of_a_coverage_claim(drafter: Drafter) -> None:
    # Tata 25.000 + Kecskemét 15.000 + Interreg 80.000 + trips 30.000 = 150.000 against 75.000.
    data = {
        **BASE,
        "budget_jaar": 75000,
        "dekking": "bestaande_post",
        "pc_moment": "kadernota",
        "subsidies": [{"programma": "interreg", "naam": "Grens", "cofinanciering": 80000}],
        "dienstreizen": True,
        "dienstreis_kosten": 30000,
    }
    values, note, proposal = render(drafter, data)
    assert values["kosten_totaal"] == 150000 and values["kosten_boven_budget"] == 75000
    assert values["geld_besluit"] == "tekort"
    for text in (note, proposal):
        assert "past binnen het bestaande budget" not in text and "passen binnen het budget" not in text
    [point] = money_point(proposal)
    assert PLACEHOLDER in point and "€ 75.000 hoger dan het geld dat er is" in point
    assert "te betrekken bij" not in point  # no decision the council cannot take as written
    assert (
        "Het budget is € 75.000 per jaar lager dan de kosten in dit kader (€ 150.000 per jaar). De raad moet "
        "daarom kiezen: de bedragen in het kader met € 75.000 per jaar verlagen, of het budget met € 75.000 per "
        "jaar verhogen" in finance(proposal)
    )
    chapter = section(note, "# 11. Financiën", "## Kostenoverzicht")
    assert "lager dan de kosten in dit kader" in chapter
    # The existing budget does not cover the costs, so no sentence says no new money is needed.
    for text in (finance(proposal), chapter):
        assert "Het budget staat al in de begroting (Programma Bestuur)." in text
        assert "geen nieuw geld" not in text
    found = {f.rule: f.severity for f in drafter.findings(answers.from_mapping(data, drafter.questionnaire))}
    assert found["kosten-boven-budget"] == "blokkerend"
    check_consistency(drafter, answers.from_mapping({"datum": "2026-11-23", **data}, drafter.questionnaire))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (
            "los_besluit",
            "de begroting 2028 te wijzigen door voor internationale samenwerking € 20.000 per jaar extra te "
            "ramen op Programma Bestuur, naast € 40.000 per jaar dat al in de begroting staat, zoals de "
            "bijgevoegde begrotingswijziging aangeeft, en dit bedrag ook structureel op te nemen in de "
            "meerjarenraming voor de jaren na 2028;",
        ),
        (
            "kadernota",
            "€ 20.000 per jaar extra voor internationale samenwerking (Programma Bestuur), naast € 40.000 per "
            "jaar dat al in de begroting staat, structureel te betrekken bij de kadernota voor de begroting 2028 "
            "en de meerjarenraming;",
        ),
    ],
)
def test_partly_new_money_decides_the_change_not_the_whole_budget(
    drafter: Drafter, moment: str, expected: str
) -> None:
    data = {
        **BASE,
        "budget_jaar": 60000,
        "dekking": "deels_nieuw",
        "budget_nieuw": 20000,
        "geld_duur": "structureel",
        "pc_moment": moment,
    }
    values, _, proposal = render(drafter, data)
    assert (values["geld_nieuw"], values["geld_bestaand"], values["geld_besluit"]) == (20000, 40000, "nieuw")
    [point] = money_point(proposal)
    assert point.split(". ", 1)[1] == expected
    assert "€ 60.000" not in point  # the change, not the whole budget
    attachments = section(proposal, "## Bijlagen", "# Ontwerpbesluit")
    assert ("Begrotingswijziging" in attachments) == (moment == "los_besluit")
    assert (
        "Van het budget staat € 40.000 per jaar al in de begroting (Programma Bestuur). € 20.000 per jaar is nieuw geld."
        in (finance(proposal))
    )


def test_new_money_larger_than_the_budget_is_blocked_not_decided(drafter: Drafter) -> None:
    data = {
        **BASE,
        "budget_jaar": 60000,
        "dekking": "deels_nieuw",
        "budget_nieuw": 90000,
        "pc_moment": "kadernota",
    }
    values, _, proposal = render(drafter, data)
    assert values["geld_besluit"] == "tegenstrijdig"
    [point] = money_point(proposal)
    assert PLACEHOLDER in point and "€ 90.000" not in point
    found = {f.rule for f in drafter.findings(answers.from_mapping(data, drafter.questionnaire))}
    assert "nieuw-geld-meer-dan-budget" in found


def test_no_budget_gives_no_money_beslispunt_and_says_why(drafter: Drafter) -> None:
    values, _, proposal = render(
        drafter, {"gemeente_naam": "Nulstad", "budget_jaar": 0, "pc_moment": "kadernota"}
    )
    assert values["geld_besluit"] == "geen"
    assert not money_point(proposal)
    assert "€ 0 per jaar" not in "\n".join(decisions(proposal))
    assert "Dit kader vraagt geen geld van de gemeente" in finance(proposal)
    # A missing budget is a visible placeholder in the beslispunt, never a guessed amount.
    _, _, open_proposal = render(drafter, {"gemeente_naam": "Openstad", "pc_moment": "kadernota"})
    [point] = money_point(open_proposal)
    assert "[nog invullen: bedrag per jaar] per jaar" in point


def test_the_yearly_disaster_cap_is_asked_counted_and_decided(drafter: Drafter) -> None:
    disaster = {
        "ramp_keuze": "kader",
        "ramp_criteria": ["sho_actie"],
        "ramp_bedrag_per_inwoner": 1,
        "ramp_plafond": 30000,
        "ramp_plafond_jaar": 50000,
        "ramp_gelijke_behandeling": True,
    }
    in_budget = {
        **BASE,
        **disaster,
        "budget_jaar": 100000,
        "dekking": "bestaande_post",
        "ramp_budgetbron": "kadernota",
    }
    values, note, proposal = render(drafter, in_budget)
    assert values["kosten_totaal"] == 25000 + 15000 + 50000 and values["dekking_totaal"] == 100000
    table = section(note, "## Kostenoverzicht", "## Ter vergelijking")
    assert "Hulp na rampen (plafond per jaar) | € 50.000" in table and "Samen | € 90.000" in table
    point = next(p for p in decisions(proposal) if "per inwoner geeft" in p)
    assert "hoogstens € 30.000 per ramp en € 50.000 per jaar voor alle rampen samen" in point
    assert "te betalen uit het budget voor internationale samenwerking" in point
    # One criterion: the note's line names it after one colon, not "komt: in dit geval: ...".
    assert (
        "Wanneer de gemeente in actie komt: Giro555 (Samenwerkende Hulporganisaties) start een landelijke actie"
        in note
    )
    assert "komt: in dit geval" not in note
    # Paid from a reserve: still counted in the costs, and covered beside the budget in its own row.
    from_reserve = {
        **in_budget,
        "budget_jaar": 45000,
        "ramp_budgetbron": "reserve",
        "ramp_reserve": "De algemene reserve",
    }
    values, note, proposal = render(drafter, from_reserve)
    assert values["dekking_reserve"] == 50000 and values["dekking_totaal"] == 95000
    assert values["kosten_boven_budget"] == 0
    table = section(note, "## Kostenoverzicht", "## Ter vergelijking")
    assert "Uit de algemene reserve (hulp na rampen) | € 50.000" in table and "Over | € 5.000" in table
    assert "te betalen uit de algemene reserve;" in "\n".join(decisions(proposal))
    assert (
        "De bedragen in het kader komen samen op € 90.000 per jaar; het budget is € 45.000 per jaar, en "
        "€ 50.000 voor hulp na rampen komt uit de algemene reserve." in proposal
    )
    # Nothing left over is said in words, not as "Er blijft € 0 per jaar over".
    _, exact_note, _ = render(drafter, {**from_reserve, "budget_jaar": 40000})
    exact = section(exact_note, "# 11. Financiën", "## Ter vergelijking")
    assert "Er blijft niets over voor andere activiteiten." in exact and "€ 0 per jaar over" not in exact
    # Financiën says once where the disaster money comes from, not twice in one paragraph.
    assert finance(proposal).count("uit de algemene reserve") == 1
    # Without a yearly cap the overview says what it misses and the toets asks for it.
    without = {k: v for k, v in in_budget.items() if k != "ramp_plafond_jaar"}
    values, note, _ = render(drafter, without)
    assert "een plafond per jaar voor hulp na rampen" in values["kosten_ontbreekt"]
    found = {f.rule for f in drafter.findings(answers.from_mapping(without, drafter.questionnaire))}
    assert "ramp-zonder-bedrag-of-plafond" in found


@pytest.mark.parametrize(
    ("together", "joined"),
    [
        (
            "een_van",
            "in één van deze gevallen: Giro555 (Samenwerkende Hulporganisaties) start een landelijke actie of een land is getroffen waar inwoners van de gemeente hun wortels hebben",
        ),
        (
            "alle",
            "alleen als al deze gevallen tegelijk gelden: Giro555 (Samenwerkende Hulporganisaties) start een landelijke actie en een land is getroffen waar inwoners van de gemeente hun wortels hebben",
        ),
        (
            None,
            "in deze gevallen ([nog invullen: is één van deze gevallen genoeg, of moeten ze alle tegelijk gelden]): Giro555 (Samenwerkende Hulporganisaties) start een landelijke actie; een land is getroffen waar inwoners van de gemeente hun wortels hebben",
        ),
    ],
)
def test_disaster_criteria_are_joined_as_the_note_means_them(
    drafter: Drafter, together: str | None, joined: str
) -> None:
    data: dict[str, Any] = {
        "gemeente_naam": "Keuzestad",
        "ramp_keuze": "kader",
        "ramp_criteria": ["sho_actie", "herkomstland"],
        "ramp_gelijke_behandeling": True,
        "ramp_kanaal": ["sho", "particulier"],
    }
    if together:
        data["ramp_criteria_samen"] = together
    values, note, proposal = render(drafter, data)
    point = next(p for p in decisions(proposal) if "dit kader vast te stellen" in p)
    assert point.endswith(f"de gemeente komt in actie {joined};")
    assert f"Wanneer de gemeente in actie komt: {joined}" in note
    # Channels are alternatives too: one of them per disaster.
    assert (
        "Weg van de hulp: één van deze wegen, per ramp gekozen: A: noodhulp via Giro555 (Samenwerkende "
        "Hulporganisaties); of B: een particulier initiatief uit de eigen gemeente" in note
    )
    # Helping where residents have roots is unequal treatment: a kanttekening and a finding, and no
    # argument that every disaster is treated alike.
    assert values["ramp_ongelijk"] is True
    risks = section(proposal, "## Kanttekeningen", "## Alternatieven")
    assert "Ongelijke behandeling. Het kader helpt na rampen in landen waar inwoners wortels hebben" in risks
    assert "Elke ramp wordt op dezelfde manier beoordeeld" not in proposal
    found = {f.rule for f in drafter.findings(answers.from_mapping(data, drafter.questionnaire))}
    assert "ramp-zonder-gelijke-behandeling" in found


def test_the_short_route_sees_a_country_of_origin_and_decides_a_framework_with_content(
    drafter: Drafter,
) -> None:
    short = {
        "route": "kort",
        "gemeente_naam": "Kortdorp",
        "inwoners": 20000,
        "partnerschappen": [
            {"partner": "Nador", "land": "Marokko", "advies": "voortzetten", "herkomstland": True}
        ],
        "ramp_keuze": "kader",
        "ramp_criteria": ["sho_actie"],
        "ramp_bedrag_per_inwoner": 1,
        "ramp_plafond": 20000,
        "ramp_plafond_jaar": 40000,
        "budget_jaar": 60000,
        "dekking": "nieuw_geld",
        "geld_duur": "structureel",
        "begrotingspost": "Programma Samenleving",
        "pc_moment": "kadernota",
        "begrotingsjaar": 2028,
        "evaluatie_beleid_jaar": 2030,
    }
    questionnaire = drafter.questionnaire
    # Every answer above is a question of the short route.
    for key in short:
        if key not in ("route",):
            assert questionnaire.by_id[key].kort, key
    ties = {f.id: f for f in questionnaire.by_id["partnerschappen"].velden}
    assert ties["herkomstland"].kort and ties["rol_migranten"].kort
    _, note, proposal = render(drafter, short)
    # The anti-pattern is shown in the short draft itself, not left for the full route.
    appendix = note[note.index("Aandachtspunten bij dit concept") :]
    assert "Band met een herkomstland zonder duidelijke rol voor migranten" in appendix
    points = decisions(proposal)
    disaster = [p for p in points if "ramp" in p]
    assert disaster and not any(PLACEHOLDER in p for p in disaster)
    assert any("€ 1 per inwoner geeft, hoogstens € 20.000 per ramp en € 40.000 per jaar" in p for p in points)
    [point] = money_point(proposal)
    assert point.endswith(
        "€ 60.000 per jaar extra voor internationale samenwerking (Programma Samenleving) structureel te "
        "betrekken bij de kadernota voor de begroting 2028 en de meerjarenraming;"
    )


def test_choosing_organisations_without_an_open_procedure_asks_for_the_reason(drafter: Drafter) -> None:
    data = {"gemeente_naam": "Kiesdorp", "organisaties_kiezen": "een"}
    _, note, proposal = render(drafter, data)
    assert "legt daarom uit" not in note
    assert "Waarom de gemeente zo kiest: [nog invullen: waarom de gemeente deze organisatie" in note
    found = {f.rule for f in drafter.findings(answers.from_mapping(data, drafter.questionnaire))}
    assert "organisaties-zonder-open-procedure" in found
    _, note, proposal = render(drafter, {**data, "organisaties_reden": "Zij doet als enige al projecten."})
    assert "Waarom de gemeente zo kiest: Zij doet als enige al projecten." in note
    assert "De reden: Zij doet als enige al projecten." in proposal


def test_cofinancing_is_asked_for_every_eu_programme(drafter: Drafter) -> None:
    data = {"subsidies": [{"programma": "cerv", "naam": "Jongeren", "cofinanciering": 5000}]}
    found = [f for f in drafter.findings(answers.from_mapping(data, drafter.questionnaire))]
    [cerv] = [f for f in found if f.rule == "eu-zonder-cofinanciering"]
    assert (
        cerv.message == 'Voor het Europese project "Jongeren" staat de eigen bijdrage niet in de begroting.'
    )


def test_execution_agenda_evaluation_and_safety_come_from_answers(drafter: Drafter) -> None:
    data = {
        "gemeente_naam": "Agendastad",
        "budget_jaar": 20000,
        "doelen": [
            {
                "omschrijving": "Scholen werken samen",
                "indicator": "vier koppels",
                "termijn": 2029,
                "actie": "Elk jaar een uitwisseling",
                "trekker": "Afdeling Onderwijs",
                "planning": "Elk voorjaar",
                "budget": 25000,
            }
        ],
        "evaluatie_beleid_jaar": 2029,
        "evaluator": "rekenkamer",
        "evaluatie_criteria": "Zijn de doelen gehaald?",
        "conflictgebied": True,
        "dienstreizen": True,
        "dienstreis_afspraken": ["doel_vooraf", "reisadvies"],
    }
    _, note, proposal = render(drafter, data)
    agenda = section(note, "# Bijlage 1. Uitvoeringsagenda", "[[pagina]]")
    assert (
        "Scholen werken samen | Elk jaar een uitwisseling | Afdeling Onderwijs | Elk voorjaar (te halen in 2029) | € 25.000"
        in agenda
    )
    assert (
        "Het geld voor de doelen samen (€ 25.000 per jaar) is € 5.000 meer dan het budget van € 20.000."
        in agenda
    )
    assert "De rekenkamer of rekenkamercommissie evalueert het beleid." in note
    assert "De evaluatie toetst het beleid hieraan: Zijn de doelen gehaald?" in note
    assert decisions(proposal)[-1].endswith(
        "de rekenkamer of rekenkamercommissie te vragen het beleid in 2029 te evalueren, en het college op te "
        "dragen de raad dan zijn reactie op de uitkomsten voor te leggen."
    )
    safety = section(note, "## Veiligheid", "# 10. Organisatie")
    assert "Met dit kader reist niemand voor de gemeente als het reisadvies dat niet toelaat." in safety
    assert (
        "[nog invullen: hoe de gemeente rekening houdt met de veiligheid van reizigers en partners]" in safety
    )
    risks = section(proposal, "## Kanttekeningen", "## Alternatieven")
    assert (
        "Veiligheid. Een partner of project ligt in een land met oorlog of gewapend conflict." in risks
        and "De gemeente volgt het reisadvies van het ministerie van Buitenlandse Zaken. Wat de gemeente verder "
        "doet: [nog invullen: hoe de gemeente rekening houdt met de veiligheid"
        in risks
    )
    found = {f.rule for f in drafter.findings(answers.from_mapping(data, drafter.questionnaire))}
    assert "conflictgebied-zonder-veiligheid" in found and "dienstreis-zonder-reisadvies" not in found


def test_the_execution_agenda_sets_goal_money_against_what_the_cost_overview_leaves(drafter: Drafter) -> None:
    # Ties 25.000 + 15.000 against a budget of 50.000 leave 10.000; goals of 18.000 may sit inside the
    # tie ceilings or come on top. The note says both, with the amount short, instead of only
    # "een deel van het budget".
    goals = [
        {"omschrijving": "Scholen", "indicator": "vier koppels", "termijn": 2029, "budget": 10000},
        {"omschrijving": "Bedrijven", "indicator": "vijf contacten", "termijn": 2029, "budget": 8000},
    ]
    data = {**BASE, "budget_jaar": 50000, "dekking": "bestaande_post", "doelen": goals}
    values, note, _ = render(drafter, data)
    assert values["kosten_totaal"] == 40000 and values["doelen_budget"] == 18000
    agenda = section(note, "# Bijlage 1. Uitvoeringsagenda", "## Banden")
    assert (
        "Het kostenoverzicht in hoofdstuk 11 telt dit geld niet apart; daar blijft € 10.000 per jaar over. "
        "Betaalt de gemeente de doelen uit de plafonds van de banden, dan past het. Zo niet, dan is er "
        "€ 8.000 per jaar te weinig." in agenda
    )
    _, roomy, _ = render(drafter, {**data, "budget_jaar": 60000})
    assert (
        "Het past in wat er volgens het kostenoverzicht (hoofdstuk 11) overblijft: € 20.000 per jaar."
        in section(roomy, "# Bijlage 1. Uitvoeringsagenda", "## Banden")
    )


@pytest.mark.parametrize(
    ("evaluator", "expected"),
    [
        ("college", "het college op te dragen het beleid in 2029 te evalueren en de uitkomsten"),
        (
            "extern",
            "het college op te dragen het beleid in 2029 te laten evalueren door een onafhankelijk bureau",
        ),
    ],
)
def test_the_evaluation_beslispunt_says_who_evaluates(
    drafter: Drafter, evaluator: str, expected: str
) -> None:
    # The college that evaluates itself is not told to have the policy evaluated ("te laten evalueren").
    _, _, proposal = render(drafter, {**BASE, "evaluatie_beleid_jaar": 2029, "evaluator": evaluator})
    [point] = [p for p in decisions(proposal) if "evalue" in p and "beleid in 2029" in p]
    assert point.split(". ", 1)[1].startswith(expected), point


def test_wording_defects_are_gone(drafter: Drafter) -> None:
    data = {
        "route": "kort",
        "gemeente_naam": "Woorddorp",
        "portefeuillehouder": "burgemeester",
        "partnerschappen": [
            {"partner": "Curaçao", "land": "Curaçao (Koninkrijk der Nederlanden)", "advies": "voortzetten"}
        ],
        "doelen": [
            {"omschrijving": "Eén", "indicator": "x", "termijn": 2029},
            {"omschrijving": "Twee", "indicator": "y", "termijn": 2029},
        ],
    }
    _, note, proposal = render(drafter, data)
    assert "Curaçao (Curaçao" not in note + proposal and "Curaçao (Koninkrijk der Nederlanden)" in proposal
    assert "Beide doelen hebben een indicator en een jaartal." in proposal and "Alle twee" not in proposal
    assert "De notitie noemt twee doelen, elk met een indicator en een jaartal." in note
    _, one_goal_note, _ = render(drafter, {**data, "doelen": data["doelen"][:1]})
    assert "De notitie noemt één doel, met een indicator en een jaartal." in one_goal_note
    assert "verantwoordelijk is de burgemeester." in proposal
    assert "Dit is een eerste concept" in note
    _, final_note, _ = render(drafter, data, final=True)
    assert "eerste concept" not in final_note
    # Figures from a source say their year and group; the 2014 publication is named when the note
    # uses its themes, and never denied.
    _, full_note, _ = render(drafter, {"gemeente_naam": "Cijferstad"})
    compare = section(full_note, "## Ter vergelijking", "## Subsidies")
    assert "Recente cijfers" not in compare and "2014" not in compare
    _, themed_note, _ = render(drafter, {"gemeente_naam": "Cijferstad", "themas": ["klimaat"]})
    assert "2014" in section(themed_note, "## Ter vergelijking", "## Subsidies")
    assert "van de 22 gemeenten die in 2007 een band hadden" in compare


# The two hard cases of the council member's read (docs/lezing-raadslid.md), through the shared truth check.
READER_CASES: dict[str, dict[str, Any]] = {
    "kortzand": {
        "route": "kort",
        "gemeente_naam": "Kortzand",
        "inwoners": 41000,
        "indiener": "college",
        "motieven": ["sociale_cohesie"],
        "doelen": [{"omschrijving": "Inwoners doen mee", "indicator": "twintig", "termijn": 2028}],
        "partnerschappen": [
            {
                "partner": "Nador",
                "land": "Marokko",
                "herkomstland": True,
                "rol_migranten": "onduidelijk",
                "budgetplafond": 30000,
                "advies": "voortzetten",
                "einddatum": 2029,
            }
        ],
        "ramp_keuze": "kader",
        "ramp_criteria": ["partnergebied", "herkomstland"],
        "ramp_criteria_samen": "een_van",
        "ramp_gelijke_behandeling": False,
        "ramp_bedrag_per_inwoner": 1,
        "ramp_plafond": 30000,
        "ramp_plafond_jaar": 30000,
        "ramp_budgetbron": "kadernota",
        "budget_jaar": 40000,
        "dekking": "bestaande_post",
        "begrotingspost": "Programma Bestuur",
        "begrotingsjaar": 2027,
        "pc_moment": "begroting",
        "evaluatie_beleid_jaar": 2029,
        "evaluator": "college",
    },
    "deelrijk": {
        "gemeente_naam": "Deelrijk",
        "inwoners": 95000,
        "indiener": "college",
        "partnerschappen": [
            {"partner": "Boetsja", "land": "Oekraïne", "budgetplafond": 20000, "advies": "voortzetten"}
        ],
        "ramp_keuze": "kader",
        "ramp_criteria": ["sho_actie", "vng_oproep"],
        "ramp_criteria_samen": "alle",
        "ramp_gelijke_behandeling": True,
        "ramp_bedrag_per_inwoner": 0.5,
        "ramp_plafond": 40000,
        "ramp_plafond_jaar": 60000,
        "ramp_budgetbron": "reserve",
        "ramp_reserve": "de post onvoorzien",
        "dienstreizen": True,
        "dienstreis_kosten": 5000,
        "conflictgebied": True,
        "budget_jaar": 25000,
        "dekking": "deels_nieuw",
        "budget_nieuw": 10000,
        "geld_duur": "incidenteel",
        "begrotingspost": "Programma Dienstverlening",
        "begrotingsjaar": 2027,
        "pc_moment": "los_besluit",
        "evaluatie_beleid_jaar": 2030,
        "evaluator": "extern",
    },
}


@pytest.mark.parametrize("name", sorted(READER_CASES))
def test_the_readers_hard_cases_tell_the_truth(drafter: Drafter, name: str) -> None:
    data = READER_CASES[name]
    check_consistency(drafter, answers.from_mapping({"datum": "2026-11-30", **data}, drafter.questionnaire))
    values, _, proposal = render(drafter, data)
    money = finance(proposal)
    if name == "kortzand":
        # A shortfall against the existing post: the choice is named, no "geen nieuw geld" claim.
        assert values["kosten_boven_budget"] == 20000 and "geen nieuw geld" not in money
        assert (
            "in één van deze gevallen: een partnergemeente is getroffen of een land is getroffen" in proposal
        )
        assert "Ongelijke behandeling." in proposal
    else:
        # Partly new money with the disaster cap from a reserve: the change, said once where it is paid.
        [point] = money_point(proposal)
        assert point.split(". ", 1)[1].startswith(
            "de begroting 2027 te wijzigen door voor internationale samenwerking eenmalig € 10.000 extra"
        )
        assert money.count("uit de post onvoorzien") == 1
        assert "alleen als al deze gevallen tegelijk gelden" in proposal


def test_the_short_route_lists_the_blockers_its_own_answers_cause(drafter: Drafter) -> None:
    # Only short-route questions: a yearly disaster cap of 30.000 paid from a budget of 10.000, and no
    # goals. Both blockers come from answers the short route asks, so the annex names them; before,
    # they hid under "Wat de volledige route toevoegt" (the shortfall filed under Partnerschappen).
    data = {
        "route": "kort",
        "gemeente_naam": "Puurdorp",
        "inwoners": 20000,
        "ramp_keuze": "kader",
        "ramp_criteria": ["sho_actie"],
        "ramp_bedrag_per_inwoner": 1,
        "ramp_plafond": 20000,
        "ramp_plafond_jaar": 30000,
        "ramp_budgetbron": "kadernota",
        "budget_jaar": 10000,
        "dekking": "bestaande_post",
    }
    values, note, _ = render(drafter, data)
    assert values["kosten_boven_budget"] == 20000
    annex = section(
        note, "# Bijlage 2. Aandachtspunten bij dit concept", "## Wat de volledige route toevoegt"
    )
    assert "Er zijn twee blokkerende punten." in annex
    assert "### Blokkerend: De afspraken kosten meer dan het budget" in annex
    assert "### Blokkerend: Geen concrete doelen" in annex
    later = section(note, "## Wat de volledige route toevoegt", None)
    assert "blokkerend" not in later


def test_the_reserve_that_pays_for_disasters_is_named_or_left_open_and_blocks(drafter: Drafter) -> None:
    """G1: 'te betalen uit een reserve' is no decision a council can take. The besluit names the
    reserve from the answer; without it there is a place keyed to the question, and a blocker."""
    from wizard import readiness
    from wizard.walk import Walk

    data: dict[str, Any] = {
        **BASE,
        "route": "kort",
        "budget_jaar": 100000,
        "dekking": "bestaande_post",
        "ramp_keuze": "kader",
        "ramp_criteria": ["sho_actie"],
        "ramp_bedrag_per_inwoner": 1,
        "ramp_plafond": 30000,
        "ramp_plafond_jaar": 40000,
        "ramp_budgetbron": "reserve",
    }
    question = drafter.questionnaire.by_id["ramp_reserve"]
    walk = Walk(drafter.questionnaire, "kort")
    for source, asked in (("reserve", True), ("kadernota", False), ("nog_niet", False)):
        loaded = answers.from_mapping({**data, "ramp_budgetbron": source}, drafter.questionnaire)
        assert walk.applies(loaded, question) is asked  # asked on the short route, only for a reserve

    loaded = answers.from_mapping({"datum": "2026-11-23", **data}, drafter.questionnaire)
    note, proposal = drafter.drafts(loaded, ("notitie", "raadsvoorstel"))
    point = next(p for p in decisions(blocks.outline(proposal.blocks)) if "per inwoner geeft" in p)
    assert point.endswith("te betalen uit [nog invullen: welke reserve, of de post onvoorzien];")
    keys = {place.key for d in (note, proposal) for place in readiness.open_places("", d.blocks)}
    assert "ramp_reserve" in keys
    blocking = [f for f in drafter.findings(loaded) if f.rule == "ramp-reserve-zonder-naam"]
    assert [f.severity for f in blocking] == ["blokkerend"]
    # Its questions are all on the short route: the annex shows it, it is not deferred to "later".
    annex = section(blocks.outline(note.blocks), "# Bijlage", "## Wat de volledige route toevoegt")
    assert "### Blokkerend: Niet gezegd uit welke reserve hulp na rampen komt" in annex

    for answer, named in (
        ("De algemene reserve", "de algemene reserve"),
        ("de post onvoorzien", "de post onvoorzien"),
        ("Reserve Noodhulp Wereldwijd", "Reserve Noodhulp Wereldwijd"),  # a name keeps its capitals
    ):
        _, note_text, proposal_text = render(drafter, {**data, "ramp_reserve": answer})
        assert f"te betalen uit {named};" in "\n".join(decisions(proposal_text))
        assert f"Uit {named} (hulp na rampen) | € 40.000" in note_text
        assert f"5. Geld: uit {named}" in note_text
        assert "een reserve of de post onvoorzien" not in note_text + proposal_text
        found = drafter.findings(
            answers.from_mapping({**data, "ramp_reserve": answer}, drafter.questionnaire)
        )
        assert "ramp-reserve-zonder-naam" not in {f.rule for f in found}


@pytest.mark.parametrize(
    ("moment", "duration", "expected"),
    [
        (
            "los_besluit",
            "structureel",
            "de begroting 2028 te wijzigen door voor internationale samenwerking € 20.000 per jaar extra te ramen "
            "op Programma Bestuur, naast € 40.000 per jaar dat al in de begroting staat, zoals de bijgevoegde "
            "begrotingswijziging aangeeft, en dit bedrag ook structureel op te nemen in de meerjarenraming voor de "
            "jaren na 2028;",
        ),
        (
            "los_besluit",
            "incidenteel",
            "de begroting 2028 te wijzigen door voor internationale samenwerking eenmalig € 20.000 extra te ramen "
            "op Programma Bestuur, naast € 40.000 per jaar dat al in de begroting staat, alleen voor 2028 en niet "
            "in de meerjarenraming, zoals de bijgevoegde begrotingswijziging aangeeft;",
        ),
        (
            "los_besluit",
            None,
            "de begroting 2028 te wijzigen door voor internationale samenwerking € 20.000 extra te ramen op "
            "Programma Bestuur, naast € 40.000 per jaar dat al in de begroting staat, zoals de bijgevoegde "
            "begrotingswijziging aangeeft, [nog invullen: structureel (elk jaar, ook in de meerjarenraming) of "
            "eenmalig (alleen voor 2028)];",
        ),
        (
            "begroting",
            "incidenteel",
            "eenmalig € 20.000 extra voor internationale samenwerking (Programma Bestuur), naast € 40.000 per jaar "
            "dat al in de begroting staat, te betrekken bij de begroting 2028, alleen voor 2028 en niet in de "
            "meerjarenraming;",
        ),
        (
            "kadernota",
            None,
            "€ 20.000 extra voor internationale samenwerking (Programma Bestuur), naast € 40.000 per jaar dat al "
            "in de begroting staat, te betrekken bij de kadernota voor de begroting 2028, [nog invullen: "
            "structureel (elk jaar, ook in de meerjarenraming) of eenmalig (alleen voor 2028)];",
        ),
    ],
)
def test_new_money_says_whether_it_is_structural_or_for_one_year(
    drafter: Drafter, moment: str, duration: str | None, expected: str
) -> None:
    """G2: a begrotingswijziging (or a kadernota decision) with new money says whether the change is
    structural, and so also in the meerjarenraming, or only for the budget year; open when unanswered."""
    from wizard import readiness
    from wizard.walk import Walk

    data: dict[str, Any] = {
        **BASE,
        "budget_jaar": 60000,
        "dekking": "deels_nieuw",
        "budget_nieuw": 20000,
        "pc_moment": moment,
        "looptijd_tot": 2030,
        **({"geld_duur": duration} if duration else {}),
    }
    _, _, proposal = render(drafter, data)
    [point] = money_point(proposal)
    assert point.split(". ", 1)[1] == expected
    money = finance(proposal)
    if duration == "structureel":
        assert (
            "Het nieuwe geld is structureel: het komt ook in de meerjarenraming voor de jaren na 2028."
            in money
        )
    elif duration == "incidenteel":
        # One-off money in a framework that runs on: the years after are said to be uncovered.
        assert (
            "€ 20.000 is nieuw geld. Het nieuwe geld is eenmalig: alleen voor 2028, niet in de meerjarenraming."
            in money
        )
        assert (
            "Het kader loopt tot en met 2030; voor de jaren na 2028 is dat deel van het budget nog niet gedekt."
            in money
        )
        assert "€ 20.000 per jaar is nieuw geld" not in money
        found = drafter.findings(answers.from_mapping(data, drafter.questionnaire))
        [warning] = [f for f in found if f.rule == "eenmalig-geld-voor-meer-jaren"]
        assert warning.message == (
            "Het nieuwe geld (€ 20.000) is er alleen in 2028, maar het kader loopt tot en met 2030."
        )
    else:
        loaded = answers.from_mapping({"datum": "2026-11-23", **data}, drafter.questionnaire)
        drafts = drafter.drafts(loaded, ("raadsvoorstel",))
        assert "geld_duur" in {place.key for place in readiness.open_places("", drafts[0].blocks)}
        assert "structureel" not in money and "eenmalig" not in money

    # Asked (on the short route too) only when there is new money.
    question = drafter.questionnaire.by_id["geld_duur"]
    walk = Walk(drafter.questionnaire, "kort")
    for coverage, asked in (
        ("deels_nieuw", True),
        ("nieuw_geld", True),
        ("bestaande_post", False),
        ("nog_niet", False),
    ):
        loaded = answers.from_mapping({**data, "dekking": coverage}, drafter.questionnaire)
        assert walk.applies(loaded, question) is asked, coverage


def test_one_off_money_in_a_framework_that_ends_that_year_leaves_nothing_uncovered(drafter: Drafter) -> None:
    data = {
        **BASE,
        "budget_jaar": 60000,
        "dekking": "nieuw_geld",
        "geld_duur": "incidenteel",
        "pc_moment": "los_besluit",
        "looptijd_tot": 2028,
    }
    _, _, proposal = render(drafter, data)
    money = finance(proposal)
    assert (
        "Het hele budget is nieuw geld (Programma Bestuur). Het nieuwe geld is eenmalig: alleen voor 2028"
        in money
    )
    assert "nog niet gedekt" not in money
    found = drafter.findings(answers.from_mapping(data, drafter.questionnaire))
    assert "eenmalig-geld-voor-meer-jaren" not in {f.rule for f in found}


DISASTER_FRAME: dict[str, Any] = {
    "ramp_keuze": "kader",
    "ramp_criteria": ["sho_actie"],
    "ramp_bedrag_per_inwoner": 1,
    "ramp_plafond": 25000,
    "ramp_plafond_jaar": 40000,
    "ramp_reserve": "de reserve Incidentele middelen",
}


@pytest.mark.parametrize("budget", [5000, 30000, 120000])
@pytest.mark.parametrize("coverage", ["bestaande_post", "deels_nieuw", "nieuw_geld", None])
@pytest.mark.parametrize("disaster_money", ["reserve", "kadernota", None])
def test_the_money_beslispunt_calls_the_budget_the_budget_in_every_money_situation(
    drafter: Drafter, budget: int, coverage: str | None, disaster_money: str | None
) -> None:
    """N2: Veendrecht's beslispunt said "de kosten van € 30.000 per jaar … te dekken binnen het
    bestaande budget", while the costs in the framework were € 46.000, of which a reserve pays
    € 40.000. Over budgets below, near and above the costs, every coverage and every source of
    disaster money, an amount the besluit calls "the costs" is the costs, and the budget is the budget."""
    data: dict[str, Any] = {**BASE, "budget_jaar": budget, "pc_moment": "kadernota"}
    data["partnerschappen"] = [{**TIES[0], "budgetplafond": 6000}]
    if coverage:
        data["dekking"] = coverage
        if coverage == "deels_nieuw":
            data["budget_nieuw"] = 2000
    if disaster_money:
        data.update(DISASTER_FRAME, ramp_budgetbron=disaster_money)
    values, _, proposal = render(drafter, data)
    check_consistency(drafter, answers.from_mapping({"datum": "2026-11-23", **data}, drafter.questionnaire))
    [point] = money_point(proposal)
    if values["geld_besluit"] == "bestaand":
        assert point.split(". ", 1)[1] == (
            f"het budget voor internationale samenwerking vast te stellen op {euro(budget)} per jaar, te dekken "
            "binnen de bestaande begroting (Programma Bestuur);"
        )
    assert "de kosten van" not in point


def test_veendrecht_decides_its_budget_and_lets_the_reserve_pay_for_disasters(drafter: Drafter) -> None:
    """N2 in the example itself: € 30.000 budget within the begroting; € 46.000 costs, of which the
    reserve pays at most € 40.000 for disasters."""
    loaded = drafter.load(example("veendrecht"))
    values = facts.derive(loaded, drafter.questionnaire)
    assert (values["budget_jaar"], values["kosten_totaal"], values["dekking_reserve"]) == (
        30000,
        46000,
        40000,
    )
    proposal = blocks.outline(drafter.draft(loaded, "raadsvoorstel").blocks)
    points = decisions(proposal)
    assert (
        "3. het budget voor internationale samenwerking vast te stellen op € 30.000 per jaar, te dekken binnen de "
        "bestaande begroting (Programma Samenleving);" in points
    )
    assert any(
        "€ 40.000 per jaar voor alle rampen samen, te betalen uit de reserve Incidentele middelen" in p
        for p in points
    )
    assert "de kosten van € 30.000" not in proposal
