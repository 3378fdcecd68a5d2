"""Findings of the third council member's reading (docs/lezing-raadslid-3.md), each held by a test:
the sentences a raadslid or griffier stumbled over in the documents of the bundled examples."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from wizard import answers, blocks, evaluation_doc, readiness
from wizard import evaluation as evaluation_mod
from wizard.draft import Drafter
from wizard.resources import examples_dir

from .conftest import EXAMPLES, example

EXAMPLE = examples_dir() / "verantwoording"
YEARS = [EXAMPLE / "oosterhaven-2027.yaml", EXAMPLE / "oosterhaven-2028.yaml"]


@pytest.fixture(scope="module")
def evaluation_texts() -> dict[str, str]:
    evaluation = evaluation_mod.load(YEARS)
    return {d.kind.name: blocks.outline(d.blocks) for d in evaluation_doc.drafts(evaluation)}


def section(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def render(drafter: Drafter, name: str, route: str | None = None) -> tuple[str, str]:
    """The note and the raadsvoorstel of an example, as text outlines (optionally on another route)."""
    loaded = drafter.load(example(name))
    if route is not None:
        loaded = answers.from_mapping({**loaded.values, "route": route}, drafter.questionnaire)
    note, proposal = drafter.drafts(loaded, ("notitie", "raadsvoorstel"))
    return blocks.outline(note.blocks), blocks.outline(proposal.blocks)


def render_data(drafter: Drafter, data: dict[str, Any]) -> tuple[str, str]:
    loaded = answers.from_mapping({"datum": "2026-11-23", **data}, drafter.questionnaire)
    note, proposal = drafter.drafts(loaded, ("notitie", "raadsvoorstel"))
    return blocks.outline(note.blocks), blocks.outline(proposal.blocks)


# --- the evaluation documents ---------------------------------------------------------------


def test_the_evaluation_note_proposes_in_the_words_of_its_raadsvoorstel(
    evaluation_texts: dict[str, str],
) -> None:
    """'Voorgesteld wordt de raad te laten besluiten' was passive and ambtelijk, and differed from
    the raadsvoorstel beside it."""
    for text in evaluation_texts.values():
        assert "Wij stellen de raad voor om:" in text
        assert "Voorgesteld wordt" not in text


def test_the_evaluation_note_says_the_idle_years_in_a_sentence(evaluation_texts: dict[str, str]) -> None:
    """'Jaren op rij zonder activiteit, tot en met 2028: 2.' read like a form, with the count in figures."""
    note = evaluation_texts["evaluatie"]
    assert "Tot en met 2028 was de band twee jaar op rij zonder activiteit." in note
    assert "Jaren op rij" not in note


def test_the_control_findings_name_their_source_without_nested_brackets(
    evaluation_texts: dict[str, str],
) -> None:
    """'(Bron: …, Kaderstellen (een stedenband zonder sturingsmechanismen).)' had a bracket inside
    a bracket; the law was spelled 'Artikel 189' where every other place says 'artikel'."""
    found = section(evaluation_texts["evaluatie"], "# 7. Wat de controle vond", "# 8.")
    items = [line for line in found.splitlines() if line.startswith("- ")]
    assert len(items) == 12  # ten, and Wanica cost money while asleep in 2027 and 2028
    for item in items:
        assert "(Bron:" not in item
        assert re.search(r" Bron: [^()]+(\([^()]*\))?[^()]*\.$", item), item
    assert "Bron: Gemeentewet, artikel 189 en verder (de raad stelt de begroting vast)." in found
    assert "Artikel 189" not in found


def test_the_instruction_to_the_college_reads_on_after_the_colon(evaluation_texts: dict[str, str]) -> None:
    note = evaluation_texts["evaluatie"]
    assert (
        "Opdracht aan het college: de verslagen van de banden voortaan bij het jaarverslag te voegen." in note
    )


def test_the_evaluation_raadsvoorstel_lists_its_ontwerpbesluit_as_an_annex(
    evaluation_texts: dict[str, str],
) -> None:
    """The kader's raadsvoorstel lists 'Ontwerpbesluit' among its annexes; the evaluation's did not."""
    annexes = section(evaluation_texts["evaluatieraadsvoorstel"], "## Bijlagen", "# Ontwerpbesluit")
    assert [line for line in annexes.splitlines() if line.strip() and line != "[[pagina]]"] == [
        "1. Evaluatie kader internationale samenwerking Oosterhaven (2027 en 2028)",
        "2. Ontwerpbesluit",
    ]


# --- the note and the raadsvoorstel of the kader ----------------------------------------------


@pytest.mark.parametrize("route", [None, "kort"])
def test_a_goals_year_is_a_target_not_a_result(drafter: Drafter, route: str | None) -> None:
    """'gehaald in 2029' and a column 'Gehaald in' read as if the goal had been reached, in a kader
    that starts in 2027; the evaluation uses 'gehaald' for its verdict."""
    note, proposal = render(drafter, "oosterhaven", route)
    assert "gehaald in" not in note.lower() + proposal.lower()
    assert (
        "- Meer handel met bedrijven in Kırşehir (indicator: Tien bedrijven uit Oosterhaven hebben een "
        "handelscontact; te halen in 2029)" in proposal
    )
    assert "Doel | Motief | Indicator | Te halen in\n" in note
    if route is None:
        assert "2027: eerste missie; 2028: ontvangst in Oosterhaven (te halen in 2029)" in note


def test_a_rule_that_fires_for_several_ties_is_explained_once(drafter: Drafter) -> None:
    """Oosterhaven's annex repeated the whole explanation, advice and source of a rule for Wanica
    and again for Tata; now one heading lists both ties, and the rest follows once."""
    note, _ = render(drafter, "oosterhaven")
    annex = note.split("# Bijlage 3. Aandachtspunten bij dit concept", 1)[1]
    assert annex.count("### Waarschuwing: Band zonder afspraken over stoppen") == 1
    assert annex.count("Regel: band-zonder-exitcriteria.") == 1
    assert (
        "### Waarschuwing: Band zonder afspraken over stoppen\n"
        "- Voor de band met Wanica (Suriname) is niet afgesproken wanneer de gemeente stopt.\n"
        "- Voor de band met Tata (Hongarije) is niet afgesproken wanneer de gemeente stopt.\n"
        "Waarom dit telt:"
    ) in annex
    assert annex.count("Regel: band-zonder-wederkerigheid.") == 1
    # a rule that fires once keeps its message as a paragraph, and no rule is lost
    assert '\nBij de Europese subsidie "Jongerenontmoeting Tata–Oosterhaven" staat niet' in annex
    loaded = drafter.load(example("oosterhaven"))
    rules = {f.rule for f in drafter.findings(loaded)}
    assert {r for r in rules if f"Regel: {r}." in annex} == rules


def test_the_kanttekeningen_state_risks_and_give_no_orders(drafter: Drafter) -> None:
    """'Controleer of de verordening …' and 'Laat de functionaris gegevensbescherming meekijken'
    told the reader (a raadslid) to do something; a kanttekening names the risk and what it needs."""
    _, proposal = render(drafter, "oosterhaven")
    risks = section(proposal, "## Kanttekeningen en risico's", "## Alternatieven")
    assert "Controleer" not in risks and "Laat de " not in risks
    assert (
        "Voordat de gemeente subsidie geeft, moet vaststaan dat de subsidieverordening van de gemeente "
        "ook internationale projecten dekt." in risks
    )
    assert (
        "Daarom is het verstandig dat de functionaris gegevensbescherming meekijkt voordat de gemeente "
        "gegevens deelt." in risks
    )
    # no kanttekening of any example opens a sentence with an order to the reader
    for name in ("lindewijk", "oosterhaven", "veendrecht"):
        _, proposal = render(drafter, name)
        risks = section(proposal, "## Kanttekeningen en risico's", "## Alternatieven")
        sentences = re.split(r"(?<=[.:]) |\*\* ", risks)
        assert not [s for s in sentences if re.match(r"(Controleer|Laat|Zorg|Vraag|Kijk|Neem) ", s)]


def test_the_sources_name_titles_plainly_and_include_the_2014_themes(drafter: Drafter) -> None:
    """'VNG, leidraad Een ramp in het buitenland, en dan?: de drie wegen' ran title and text together
    ('?:'); the 2014 publication the note quotes for its themes was missing from the list."""
    note, _ = render(drafter, "lindewijk")
    sources = section(note, "# Bronnen", "[[pagina]]")
    assert "?:" not in sources
    assert "- VNG, leidraad 'Een ramp in het buitenland, en dan?': de drie wegen" in sources
    # The 2014 publication is listed only when the note cites it (Lindewijk has no themes); see below.
    themed, _ = render(drafter, "oosterhaven")
    assert "'Partnerschap, daar draait het om' (2014)" in section(themed, "# Bronnen", "[[pagina]]")
    # every publication the note body cites by its title is in the list
    body = note.split("# Bronnen", 1)[0]
    for title in re.findall(r"\('([^']+)'\)", body):
        assert f"'{title}'" in sources, title


def test_the_hours_per_tie_are_said_only_when_there_is_more_than_one_tie(drafter: Drafter) -> None:
    """Veendrecht: 'Er is twaalf uur per week …: ongeveer 12 uur per week per band die doorgaat'
    said the same number twice (once in words, once in figures) for its one tie."""
    note, _ = render(drafter, "veendrecht")
    assert "Er is twaalf uur per week ambtelijke tijd voor internationale samenwerking. Een comité" in note
    assert "per band die doorgaat" not in section(note, "# 10. Organisatie", "# 11.")
    note, _ = render(drafter, "oosterhaven")
    assert (
        "Er is 36 uur per week ambtelijke tijd voor internationale samenwerking: ongeveer twaalf uur "
        "per week per band die doorgaat." in note
    )
    base = {
        "gemeente_naam": "Ergens",
        "partnerschappen": [{"partner": "A", "land": "B"}, {"partner": "C", "land": "D"}],
    }
    note, _ = render_data(drafter, {**base, "uren_per_week": 5})
    assert (
        "Er is vijf uur per week ambtelijke tijd voor internationale samenwerking: ongeveer 2,5 uur" in note
    )


def test_a_motive_whose_name_holds_en_is_kept_apart_by_semicolons(drafter: Drafter) -> None:
    """'… sociale cohesie, bestuurlijke organisatie en functioneren en ideëel motief': with two
    'en' a raadslid cannot tell where one motive ends; semicolons keep the names apart."""
    note, proposal = render(drafter, "veendrecht")
    listed = "sociale cohesie; bestuurlijke organisatie en functioneren; en duurzame ontwikkeling."
    assert f"vanuit deze motieven: {listed}" in note
    assert f"Het kader noemt de motieven: {listed}" in proposal
    # without such a name the list stays a plain one
    note, proposal = render_data(drafter, {"gemeente_naam": "Ergens", "motieven": ["ideeel", "economisch"]})
    assert "vanuit deze motieven: ideëel motief en economisch motief." in note
    assert "Het kader noemt de motieven: ideëel motief en economisch motief." in proposal


def test_joining_a_network_is_not_said_to_cost_little(drafter: Drafter) -> None:
    """Lindewijk: 'Aansluiten kost weinig' is a claim no answer and no source supports."""
    note, _ = render(drafter, "lindewijk")
    part = section(note, "## Samen met andere gemeenten", "## Steun van VNG International")
    assert "kost weinig" not in part
    assert "De gemeente werkt nu los van andere gemeenten." in part
    assert "Wie aansluit, leert van andere gemeenten en hoeft het wiel niet opnieuw uit te vinden." in part


@pytest.mark.parametrize("route", [None, "kort"])
def test_a_municipality_without_ties_is_not_asked_how_ties_are_evaluated(
    drafter: Drafter, route: str | None
) -> None:
    """Lindewijk has no ties, yet its note asked '[nog invullen: hoe de banden worden geëvalueerd]'
    (and on the short route promised a later version would say so); the question now waits for a tie."""
    note, _ = render(drafter, "lindewijk", route)
    assert "hoe de banden worden geëvalueerd" not in note.lower()
    question = drafter.questionnaire.question("evaluatie_banden")
    assert question.wanneer is not None
    # with a tie the place is there again, on the full route
    note, _ = render_data(
        drafter, {"gemeente_naam": "Ergens", "partnerschappen": [{"partner": "Tata", "land": "Hongarije"}]}
    )
    assert (
        "Hoe de banden worden geëvalueerd: [nog invullen: apart per band, samen met het beleid, of niet apart]."
        in note
    )


def test_the_short_route_annex_lists_the_full_routes_questions_as_questions(drafter: Drafter) -> None:
    """'… vraagt onder meer: sinds welk jaar bestaat de band; wat voor band is het; thema's van deze
    band; en …': one label in the list was no question."""
    note, _ = render(drafter, "oosterhaven", "kort")
    later = note.split("## Wat de volledige route toevoegt", 1)[1]
    assert "thema's van deze band" not in later
    # what the annex lists are questions of the questionnaire, each asking something
    asking = {q.label.rstrip("?").lower() for q in drafter.questionnaire.questions() if q.label.endswith("?")}
    asking |= {
        f.label.rstrip("?").lower()
        for q in drafter.questionnaire.questions()
        for f in q.velden
        if f.label.endswith("?")
    }
    listed = re.findall(r"vraagt onder meer: (.+?)\.\n", later)
    assert listed
    for line in listed:
        for item in re.split(r"; (?:en )?", line):
            assert item.lower() in asking, item
    # every label of a question that asks something reads as a question
    for question in drafter.questionnaire.question("partnerschappen").velden:
        if question.type not in ("tekst",):
            assert question.label.endswith("?"), question.label


def test_a_tie_may_break_over_pages_but_a_finding_stays_together(drafter: Drafter) -> None:
    """Reading 3, N5: the whole section on Kırşehir (a heading and about 1,300 characters) was
    kept on one page, so half of the page before it stayed empty. A finding with its advice and
    source still stays together; a tie's longer section may break (its heading stays with it)."""
    from wizard import wordwriter

    loaded = drafter.load(example("oosterhaven"))
    note = drafter.draft(loaded).blocks
    kept = wordwriter._kept_together(note)
    headings = {
        blocks.plain(block.runs): index
        for index, block in enumerate(note)
        if isinstance(block, blocks.Heading) and block.level == 3
    }
    tie = headings["Kırşehir (Turkije)"]
    assert tie + 1 not in kept  # its first paragraph does not pull the rest along
    findings = [
        i for name, i in headings.items() if name.startswith(("Blokkerend:", "Waarschuwing:", "Tip:"))
    ]
    assert findings
    for index in findings:
        assert "keepNext" in kept.get(index + 1, ""), blocks.plain(note[index].runs)


# --- N4: the comparison in chapter 11 says only what the answers and the source make true --------


@pytest.mark.parametrize(
    ("name", "route", "themes", "cited"),
    [
        ("oosterhaven", None, True, True),
        ("veendrecht", None, True, False),  # its themes all come from NCDO (2008)
        ("lindewijk", None, False, False),
        ("oosterhaven", "kort", True, True),
    ],
)
def test_the_comparison_names_the_2014_themes_only_when_the_note_has_themes(
    drafter: Drafter, name: str, route: str | None, themes: bool, cited: bool
) -> None:
    """'deze notitie gebruikt daaruit alleen de indeling in thema's' stood there also when the note had
    no themes (Lindewijk: a place to fill in; the short route does not ask them). A copy of a full file
    on the short route keeps its themes in chapter 4, so the sentence is true there. It stands only when
    a theme chosen comes from the 2014 grouping (Veendrecht's themes all come from NCDO, 2008)."""
    note, _ = render(drafter, name, route)
    compare = section(note, "## Ter vergelijking", "## Subsidies")
    assert ("de indeling in thema's" in compare) is cited
    assert ("'Partnerschap, daar draait het om'" in compare) is cited
    assert "van de 22 gemeenten die in 2007 een band hadden" in compare
    assert ("De gemeente werkt samen op deze thema's:" in note or "De band gaat over" in note) is themes


def test_a_short_route_without_themes_does_not_claim_to_use_the_2014_grouping(drafter: Drafter) -> None:
    note, _ = render_data(drafter, {"route": "kort", "gemeente_naam": "Kortstad", "budget_jaar": 10000})
    assert "2014" not in section(note, "## Ter vergelijking", "## Subsidies")
    with_ties, _ = render_data(
        drafter,
        {"gemeente_naam": "Bandstad", "partnerschappen": [{"partner": "Tata", "themas": ["klimaat"]}]},
    )
    assert "deze notitie gebruikt daaruit alleen de indeling in thema's" in with_ties


def test_the_ncdo_budget_figures_do_not_add_a_period_the_source_does_not_give(drafter: Drafter) -> None:
    """The NCDO summary says half of the 22 municipalities spent '20.000 tot 30.000 euro aan de
    samenwerking', not 'per jaar'; the note, the rules and the help text now say what it says."""
    note, _ = render(drafter, "oosterhaven")
    assert "€ 20.000 tot € 30.000 aan de samenwerking en een kwart € 1.000 tot € 5.000" in note
    texts = [note, *(rule.advice + " " + rule.explanation for rule in drafter.rules.rules)]
    texts += [question.uitleg for question in drafter.questionnaire.by_id.values()]
    quoted = [text for text in texts if "€ 20.000 tot € 30.000" in " ".join(text.split())]
    assert len(quoted) >= 4  # the note, two rules and the question about the budget
    for text in quoted:
        assert "€ 20.000 tot € 30.000 aan de samenwerking" in " ".join(text.split()), text


# --- N1: the year of the current policy is not said twice ------------------------------------


@pytest.mark.parametrize(
    ("title", "said"),
    [
        ("Oosterhaven Wereldwijd 2021-2025", "Oosterhaven Wereldwijd 2021-2025"),
        ("Wereldwijd", "Wereldwijd (2021)"),
    ],
)
def test_the_withdrawn_policy_names_its_year_only_when_its_name_does_not(
    drafter: Drafter, title: str, said: str
) -> None:
    """'het beleid Oosterhaven Wereldwijd 2021-2025 (2021) in te trekken': the year stood in the name
    and again behind it (beslispunt 2), and 'Oosterhaven Wereldwijd 2021-2025, uit 2021' in the text."""
    data = {
        "gemeente_naam": "Jaarstad",
        "bestaand_beleid": "verouderd",
        "bestaand_beleid_titel": title,
        "bestaand_beleid_jaar": 2021,
        "bestaand_beleid_intrekken": True,
    }
    note, proposal = render_data(drafter, data)
    assert f"het beleid {said} in te trekken met ingang van" in proposal
    for text in (note, proposal):
        assert "2021-2025 (2021)" not in text and "2021-2025, uit 2021" not in text
    if "2021" not in title:
        assert f"{title}, uit 2021." in note


# --- N3: no two open places directly after each other in Financiën ----------------------------

BACK_TO_BACK = re.compile(r"\]\s*\[nog invullen")


@pytest.mark.parametrize("seed", range(0, 150, 5))
def test_open_money_answers_each_stand_in_a_sentence(drafter: Drafter, seed: int) -> None:
    """Lindewijk's Financiën read '[nog invullen: waar het geld vandaan komt …] [nog invullen: waar de
    raad het geld vastlegt …]': two places with no sentence between them. Each now stands in its own
    sentence; the generated answer sets (tests/test_truth.py) hold it for every money situation."""
    from .test_truth import generated

    data = {k: v for k, v in generated(seed).items() if v is not None}
    note, proposal = render_data(drafter, data)
    for text, start, end in (
        (note, "# 11. Financiën", "## Kostenoverzicht"),
        (proposal, "## Financiën", "## Communicatie"),
        # The same in the evaluation part of chapter 13 (Lindewijk: '[jaar]. [wie het beleid evalueert]').
        (note, "## Evaluatie", "## Stoppen"),
    ):
        assert not BACK_TO_BACK.search(section(text, start, end))
        assert "]. [nog invullen" not in section(text, start, end)


def test_lindewijk_says_where_the_money_comes_from_and_where_it_is_fixed_in_sentences(
    drafter: Drafter,
) -> None:
    note, proposal = render(drafter, "lindewijk")
    expected = (
        "Het geld komt [nog invullen: uit het bestaande budget, uit nieuw geld, of deels uit nieuw geld (en "
        "hoeveel)]. De raad legt het geld vast bij [nog invullen: de kadernota, de begroting of een "
        "begrotingswijziging, en voor welk jaar]."
    )
    assert expected in note and expected in proposal


# --- N12 and N11: an answer inside a sentence, and the list of the disaster framework ------------


def test_the_exit_criteria_read_on_after_the_colon(drafter: Drafter) -> None:
    """'De gemeente stopt met de band in deze gevallen: Als er twee jaar …': the answer's capital
    stood in the middle of a sentence (the same cause as G3)."""
    note, _ = render(drafter, "oosterhaven")
    assert (
        "- De gemeente stopt met de band in deze gevallen: als er twee jaar geen activiteiten zijn, of bij "
        "schending van mensenrechten.\n" in note
    )
    assert "in deze gevallen: Als" not in note


@pytest.mark.parametrize("name", ["oosterhaven", "veendrecht"])
def test_the_disaster_framework_list_is_punctuated_alike(drafter: Drafter, name: str) -> None:
    """Chapter 8 ended items 1, 8 and 9 with a full stop and 2-7 without, and had 'Wie beslist: Het
    college' beside 'Gelijke behandeling: elke ramp'. Now every item ends with a full stop, and a free
    answer after its label reads on in lower case when that is safe."""
    note, _ = render(drafter, name)
    part = section(note, "## Wat de raad besluit", "# 9.")
    items = [line for line in part.splitlines() if re.match(r"^\d+\. ", line)]
    assert len(items) == 9
    for item in items:
        assert item.endswith("."), item
        _label, rest = item.split(": ", 1)
        assert not re.match(r"(Het|De|Een|Noodhulp|Na) ", rest), item
    assert "7. Wie beslist: het college beslist binnen het kader; boven het plafond beslist de raad." in items


# --- N6: a rule message fits how many things it names ------------------------------------------


def findings_of(drafter: Drafter, data: dict[str, Any]) -> dict[str, str]:
    loaded = answers.from_mapping(data, drafter.questionnaire)
    return {f.rule: f.message for f in drafter.findings(loaded)}


def test_a_rule_message_says_this_motive_or_these_motives_with_labels_in_lower_case(drafter: Drafter) -> None:
    """'Voor deze motieven is nog geen doel: Ideëel motief.': plural for one motive, and the label's
    capital in the middle of a sentence. A message now chooses the word by the count
    ({veld?enkelvoud|meervoud}), and a choice's label inside a sentence starts in lower case."""
    goal = [{"omschrijving": "Handel", "motief": "economisch"}]
    one = findings_of(drafter, {"motieven": ["ideeel", "economisch"], "doelen": goal})
    assert one["motief-zonder-doel"] == "Voor dit motief is nog geen doel: ideëel motief."
    assert one["geen-eigen-opbrengst"] == (
        "Bij deze motieven staat niet wat de eigen gemeente eraan heeft: ideëel motief en economisch motief."
    )
    two = findings_of(drafter, {"motieven": ["ideeel", "sociale_cohesie", "economisch"], "doelen": goal})
    assert (
        two["motief-zonder-doel"] == "Voor deze motieven is nog geen doel: ideëel motief en sociale cohesie."
    )


def test_a_rule_message_about_one_tie_says_band_not_banden(drafter: Drafter) -> None:
    """The same cause: 'voor één banden die doorgaan' when only one tie goes on."""
    tie = [{"partner": "Tata", "advies": "voortzetten"}]
    one = findings_of(drafter, {"budget_jaar": 3000, "uren_per_week": 2, "partnerschappen": tie})
    assert "(één band, jaarbudget € 3.000)" in one["budget-past-niet"]
    assert "voor één band die doorgaat: minder dan 4 uur per band" in one["capaciteit-past-niet"]
    both = findings_of(drafter, {"budget_jaar": 6000, "uren_per_week": 4, "partnerschappen": tie * 2})
    assert "(twee banden, jaarbudget € 6.000)" in both["budget-past-niet"]
    assert "voor twee banden die doorgaan" in both["capaciteit-past-niet"]


def test_a_count_placeholder_without_two_words_is_refused_at_load(drafter: Drafter, tmp_path: Path) -> None:
    from wizard import rules
    from wizard.errors import DataError

    from .test_rules import RULE, own_rules

    text = RULE.format(id="eigen-regel", field="visie", message="'Voor {motieven?dit motief} geldt dit.'")
    with pytest.raises(DataError) as exc:
        rules.load(drafter.questionnaire, [own_rules(tmp_path, text)])
    [problem] = exc.value.problems
    assert "na het vraagteken staan twee woorden, gescheiden door |" in problem.message


# --- N7: a rule's role is the role its source names -------------------------------------------


def test_a_rule_that_cites_a_role_of_the_council_has_that_role(drafter: Drafter) -> None:
    """'band-zonder-exitcriteria' stood under 'Controleren' while its source is the Raadgever's
    'Rol van de gemeenteraad, Kaderstellen (een stedenband zonder sturingsmechanismen)': agreeing
    beforehand when a tie stops is setting the frame. Every rule citing a role now has that role
    (also 'dienstreis-zonder-doel': the Raadgever names trips only under Controleren)."""
    cited = 0
    for rule in drafter.rules.rules:
        match = re.match(
            r"Rol van de gemeenteraad, (Initiëren|Kaderstellen|Controleren)", rule.source.section
        )
        if match:
            cited += 1
            assert rule.role == match.group(1).lower(), rule.id
    assert cited >= 10
    assert drafter.rules.by_id()["band-zonder-exitcriteria"].role == "kaderstellen"


# --- N8: no advice to explain a choice the note already explains -------------------------------


def test_a_reasoned_choice_of_organisations_is_not_advised_to_be_explained(drafter: Drafter) -> None:
    """Veendrecht's annex advised 'Leg uit waarom een organisatie is gekozen' while the note (and the
    raadsvoorstel) already gave the reason (organisaties_reden). With the reason, the choice is
    deliberate and explained; without it, both rules still ask for it."""
    note, proposal = render(drafter, "veendrecht")
    assert "Waarom de gemeente zo kiest: Stichting Brug Berkane is de enige organisatie" in note
    assert "Leg uit waarom een organisatie is gekozen" not in note
    assert "De reden: Stichting Brug Berkane is de enige organisatie" in proposal
    tie = {"partner": "Berkane", "land": "Marokko", "herkomstland": True, "keuze_organisaties": "een"}
    base = {"gemeente_naam": "Kiesdorp", "organisaties_kiezen": "een", "partnerschappen": [tie]}
    assert "een-migrantenorganisatie" in findings_of(drafter, base)
    assert "organisaties-zonder-open-procedure" in findings_of(drafter, {**base, "partnerschappen": []})
    reasoned = {**base, "organisaties_reden": "De enige organisatie die al uitwisselingen doet."}
    for data in (reasoned, {**reasoned, "partnerschappen": []}):
        found = findings_of(drafter, data)
        assert not {"een-migrantenorganisatie", "organisaties-zonder-open-procedure"} & set(found)


# --- N9: the evaluation's kanttekeningen say each year once -------------------------------------


def test_the_evaluation_kanttekeningen_group_the_points_per_year(evaluation_texts: dict[str, str]) -> None:
    """'2027: De band met Tata (Hongarije) kostte in 2027 € 17.500.': the year stood before and in
    almost every point. Now the points stand under 'Over 2027:' and 'Over 2028:', without a prefix."""
    part = section(evaluation_texts["evaluatieraadsvoorstel"], "## Kanttekeningen", "## Financiën")
    lines = [line for line in part.splitlines() if line.strip()]
    assert lines.index("Over 2027:") < lines.index("Over 2028:")
    items = [line for line in lines if line.startswith("- ")]
    assert len(items) == 12  # every point that is not a tip, as in the evaluation note
    assert not [item for item in items if re.match(r"- \d{4}: ", item)]
    first_2028 = lines.index("Over 2028:")
    assert "- De band met Tata (Hongarije) kostte in 2027 € 17.500." in " ".join(lines[:first_2028])
    assert lines[first_2028 + 1].startswith("- De gift na 'Aardbeving in Oost-Turkije, februari 2028'")


# --- After lezing2: open places in chapter 10 and in a tie's steering list ----------------------


def keys_of_open_places(drafter: Drafter, data: dict[str, Any], heading: str) -> list[str]:
    """The question keys of the open places under one heading of the note."""
    loaded = answers.from_mapping({"datum": "2026-11-23", **data}, drafter.questionnaire)
    (note,) = drafter.drafts(loaded, ("notitie",))
    return [p.key for p in readiness.open_places("notitie", note.blocks) if p.heading.startswith(heading)]


@pytest.mark.parametrize("seed", range(0, 150, 5))
def test_open_organisation_answers_each_stand_in_a_sentence(drafter: Drafter, seed: int) -> None:
    """Chapter 10 showed up to four places in a row ('[…] […] […] […]') when none of its questions
    was answered. Each place now stands in its own sentence."""
    from .test_truth import generated

    data = {k: v for k, v in generated(seed).items() if v is not None}
    note, _ = render_data(drafter, data)
    organisation = section(note, "# 10. Organisatie", "# 11.")
    assert not BACK_TO_BACK.search(organisation)
    assert "]. [nog invullen" not in organisation


def test_an_empty_organisation_chapter_has_one_sentence_per_question(drafter: Drafter) -> None:
    note, _ = render_data(drafter, {"gemeente_naam": "Leegstad"})
    assert (
        "Bestuurlijk verantwoordelijk is [nog invullen: welke wethouder, of de burgemeester]. "
        "De gemeente heeft [nog invullen: een of geen] ambtelijk coördinator voor internationale "
        "samenwerking. Er is [nog invullen: hoeveel uur] per week ambtelijke tijd voor internationale "
        "samenwerking. Er is [nog invullen: een of geen] comité of platform met inwoners en organisaties "
        "dat de gemeente adviseert." in note
    )
    keys = keys_of_open_places(drafter, {"gemeente_naam": "Leegstad"}, "10. Organisatie")
    assert keys == ["portefeuillehouder", "coordinator", "uren_per_week", "comite"]


def test_a_ties_open_steering_places_are_sentences_keyed_to_the_tie(drafter: Drafter) -> None:
    """'De gemeente stopt met de band als: […].' had a colon after 'als', and the other open steering
    places stood as bare places, one under the other, keyed to no question."""
    data = {"gemeente_naam": "Bandstad", "partnerschappen": [{"partner": "Tata", "advies": "voortzetten"}]}
    note, _ = render_data(drafter, data)
    steering = section(note, "Afspraken om te sturen:", "- Verantwoordelijk")
    assert "als: [" not in note
    assert "- De gemeente stopt met de band [nog invullen: in welke gevallen].\n" in steering
    for line in steering.strip().splitlines():
        assert not line.startswith("- [nog invullen"), line
        assert line.endswith("."), line
    keys = keys_of_open_places(drafter, data, "Tata")
    for field in (
        "werkplan",
        "jaarverslag_raad",
        "evaluatie_jaar",
        "einddatum",
        "exitcriteria",
        "budgetplafond",
    ):
        assert f"partnerschappen/0/{field}" in keys, field


# --- After lezing2: the 2014 publication is listed only when the note cites it ----------------------


@pytest.mark.parametrize(
    ("data", "cited"),
    [
        ({"gemeente_naam": "Leegstad"}, False),
        ({"route": "kort", "gemeente_naam": "Kortstad"}, False),
        ({"gemeente_naam": "Themastad", "themas": ["onderwijs", "klimaat"]}, True),
        ({"gemeente_naam": "Oudstad", "themas": ["onderwijs", "afval"]}, False),  # both from NCDO (2008)
        ({"gemeente_naam": "Eigenstad", "themas": ["ander_thema"], "thema_anders": "Sport"}, False),
        (
            {"gemeente_naam": "Bandstad", "partnerschappen": [{"partner": "Tata", "themas": ["onderwijs"]}]},
            False,
        ),
        (
            {"gemeente_naam": "Bandstad", "partnerschappen": [{"partner": "Tata", "themas": ["klimaat"]}]},
            True,
        ),
    ],
)
def test_the_sources_list_the_2014_publication_only_when_the_note_cites_it(
    drafter: Drafter, data: dict[str, Any], cited: bool
) -> None:
    """The list of sources named 'Partnerschap, daar draait het om' (2014) also when chapter 11 no longer
    quoted it (a note without themes). It now follows the same condition as the text: a theme chosen,
    for the municipality or for a tie, that comes from the 2014 grouping ('bron' in keuzelijsten.yaml)."""
    note, _ = render_data(drafter, data)
    body, sources = note.split("# Bronnen", 1)
    sources = sources.split("[[pagina]]", 1)[0]
    assert ("'Partnerschap, daar draait het om'" in body) is cited
    assert ("'Partnerschap, daar draait het om' (2014)" in sources) is cited


@pytest.mark.parametrize("name", ["lindewijk", "oosterhaven", "veendrecht"])
@pytest.mark.parametrize("route", [None, "kort"])
def test_the_examples_list_the_2014_publication_exactly_when_they_cite_it(
    drafter: Drafter, name: str, route: str | None
) -> None:
    note, _ = render(drafter, name, route)
    body, sources = note.split("# Bronnen", 1)
    cited = "'Partnerschap, daar draait het om'" in body
    assert cited is (name == "oosterhaven")  # Lindewijk names no themes, Veendrecht only NCDO (2008) ones
    assert ("'Partnerschap, daar draait het om' (2014)" in sources.split("[[pagina]]", 1)[0]) is cited


def test_the_themes_say_where_their_names_come_from(drafter: Drafter) -> None:
    """The choice list of themes comes partly from the 2014 publication: the note says so where it shows
    the themes, so the source stays in the list."""
    note, _ = render(drafter, "oosterhaven")
    themes = section(note, "## Thema's", "## ")
    assert (
        "De namen van de thema's komen uit het onderzoek van NCDO (2008) en uit de indeling van de VNG en "
        "NCDO in 'Partnerschap, daar draait het om' (2014)." in themes
    )
    own, _ = render_data(
        drafter, {"gemeente_naam": "Eigenstad", "themas": ["ander_thema"], "thema_anders": "Sport"}
    )
    assert "De namen van de thema's komen uit" not in own


NCDO_2008 = "uit het onderzoek van NCDO (2008)"
VNG_2014 = "uit de indeling van de VNG en NCDO in 'Partnerschap, daar draait het om' (2014)"


@pytest.mark.parametrize(
    ("themes", "sentence"),
    [
        (["onderwijs", "afval"], f"De namen van de thema's komen {NCDO_2008}."),
        (["klimaat"], f"De namen van de thema's komen {VNG_2014}."),
        (["klimaat", "onderwijs"], f"De namen van de thema's komen {NCDO_2008} en {VNG_2014}."),
        (["ander_thema", "economie"], f"Op het eigen thema na komen de namen van de thema's {VNG_2014}."),
        (["ander_thema"], None),
    ],
)
def test_the_themes_name_only_the_sources_of_the_themes_chosen(
    drafter: Drafter, themes: list[str], sentence: str | None
) -> None:
    """Chapter 4 named both sources whenever a theme was chosen; now each theme in the choice list has
    its source ('bron' in keuzelijsten.yaml) and the sentence names only those of the themes chosen. An
    own theme has no source: the sentence leaves it out, and says so."""
    note, _ = render_data(drafter, {"gemeente_naam": "Themastad", "themas": themes, "thema_anders": "Sport"})
    part = section(note, "## Thema's", "## ")
    found = [line for line in part.splitlines() if "de namen van de thema's" in line.lower()]
    assert found == ([sentence] if sentence else [])


# --- The sweep after lezing2: open places elsewhere -----------------------------------------------


def test_an_open_budget_is_a_sentence_and_does_not_run_into_the_next(drafter: Drafter) -> None:
    """'Budget per jaar: [nog invullen: …] De raad legt het geld vast bij […].' had no full stop: the form
    line ran into the next sentence (Financiën, note and raadsvoorstel)."""
    note, proposal = render_data(drafter, {"gemeente_naam": "Leegstad"})
    assert "Budget per jaar:" not in note + proposal
    assert "Voor internationale samenwerking is [nog invullen: hoeveel geld] per jaar beschikbaar." in note
    assert "Het budget voor internationale samenwerking is [nog invullen: hoeveel geld] per jaar." in proposal
    keys = keys_of_open_places(drafter, {"gemeente_naam": "Leegstad"}, "11. Financiën")
    assert keys[0] == "budget_jaar"
    # Without a sentence about the cover, the sentence about the P&C moment has no space before it.
    money = section(note, "# 11. Financiën", "## Kostenoverzicht") + section(proposal, "## Financiën", "## ")
    assert "\n De raad" not in money and ".  De raad" not in money
    assert "Subsidies: [nog invullen: of de gemeente subsidies gebruikt of wil aanvragen]." in note


def test_a_goal_without_a_report_has_one_place_in_the_evaluation_raadsvoorstel(tmp_path: Path) -> None:
    """A goal the last verantwoording says nothing about read 'gemeten in 2028: [nog invullen: meting];
    oordeel: [nog invullen: oordeel].': two places, each after a colon in the middle of a sentence."""
    for path in EXAMPLE.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    last = tmp_path / YEARS[1].name
    text = last.read_text(encoding="utf-8")
    goal = re.search(r"  - omschrijving: Digitale dienstverlening.*?(?=\n  - |\n\S)", text, flags=re.S)
    assert goal is not None
    last.write_text(text.replace(goal.group(0), ""), encoding="utf-8")
    evaluation = evaluation_mod.load([tmp_path / YEARS[0].name, last])
    texts = {d.kind.name: blocks.outline(d.blocks) for d in evaluation_doc.drafts(evaluation)}
    proposal = texts["evaluatieraadsvoorstel"]
    assert (
        "- Digitale dienstverlening verbeteren met kennis uit Tata: indicator in het kader 'Twee werkbezoeken "
        "met een verslag en een verbeterplan', zonder jaar; de verantwoording over 2028 zegt niets over dit "
        "doel: [nog invullen: meting en oordeel over 2028].\n" in proposal
    )
    assert ": [nog invullen: meting]" not in proposal
    # A goal the report does cover still has its own line and its measurement.
    assert "- Meer handel met bedrijven in Kırşehir: indicator in het kader" in proposal
    assert "; gemeten in 2028: zes bedrijven hebben een handelscontact; oordeel:" in proposal


def test_every_goal_of_an_empty_report_has_its_own_line(tmp_path: Path) -> None:
    for path in EXAMPLE.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    first = YEARS[0].read_text(encoding="utf-8")
    fingerprint = re.search(r"kader_vingerafdruk: .*\n", first)
    assert fingerprint is not None
    empty = tmp_path / "leeg-2027.yaml"
    head = (
        "formaat: 1\nkader: oosterhaven-kader.yaml\n" + fingerprint.group(0) + "jaar: 2027\nperiode: jaar\n"
    )
    empty.write_text(head, encoding="utf-8")
    texts = {
        d.kind.name: blocks.outline(d.blocks) for d in evaluation_doc.drafts(evaluation_mod.load([empty]))
    }
    proposal = texts["evaluatieraadsvoorstel"]
    items = [line for line in proposal.splitlines() if "zegt niets over dit doel" in line]
    assert len(items) == 3
    for item in items:
        assert item.startswith("- ") and item.endswith("[nog invullen: meting en oordeel over 2027]."), item


def test_open_reporting_answers_are_sentences(drafter: Drafter) -> None:
    """Chapter 13 showed two bare places under each other ('[wanneer de raad over de resultaten hoort …]'
    and '[wie rapporteert aan de raad]'); the raadsvoorstel asked for the moments even when the answer
    was that there is none yet."""
    note, proposal = render_data(drafter, {"gemeente_naam": "Leegstad"})
    report = section(note, "## Verslag aan de raad", "## Evaluatie")
    assert "De raad hoort over de resultaten [nog invullen: wanneer, bijvoorbeeld in de begroting" in report
    assert "Aan de raad rapporteert [nog invullen: de portefeuillehouder, het college" in report
    assert not re.search(r"^\[nog invullen", report, flags=re.M)
    assert "De raad hoort over de resultaten [nog invullen: wanneer" in proposal
    keys = keys_of_open_places(drafter, {"gemeente_naam": "Leegstad"}, "Verslag aan de raad")
    assert keys == ["rapportage", "rapporteur"]
    _, none_yet = render_data(drafter, {"gemeente_naam": "Geenstad", "rapportage": ["geen"]})
    assert "Er is nog geen vast moment waarop de raad over de resultaten hoort." in none_yet


def test_an_open_indicator_does_not_follow_a_colon_mid_sentence(drafter: Drafter) -> None:
    """'Doel 0 (indicator: [nog invullen: indicator]; te halen in 2029)' put the place after a colon in
    the middle of a sentence (Beoogd effect in the raadsvoorstel)."""
    data = {
        "gemeente_naam": "Doelstad",
        "doelen": [{"omschrijving": "Scholen werken samen", "termijn": 2029}],
    }
    _, proposal = render_data(drafter, data)
    assert (
        "- Scholen werken samen (met als indicator [nog invullen: welke indicator]; te halen in 2029)"
        in proposal
    )
    assert ": [nog invullen: indicator]" not in proposal
    _, answered = render(drafter, "oosterhaven")
    assert re.search(r"\(indicator: [^\[;]+; te halen in 20\d\d\)", answered)


def test_every_open_place_of_a_sparse_file_names_its_question(drafter: Drafter) -> None:
    """A file with little more than a name, a tie and a few choices leaves many places open: each
    one is keyed to the question (or the tie's field) that fills it, so a page can link to it."""
    from wizard import readiness

    sparse = {
        "gemeente_naam": "Ergens",
        "motieven": ["economisch"],
        "bestaand_beleid": "verouderd",
        "subsidies_gebruik": True,
        "ramp_keuze": "kader",
        "partnerschappen": [{"partner": "Tata", "land": "Hongarije", "herkomstland": True}],
    }
    loaded = answers.from_mapping({"datum": "2026-11-23", **sparse}, drafter.questionnaire)
    places = [
        place
        for draft in drafter.drafts(loaded, ("notitie", "raadsvoorstel"))
        for place in readiness.open_places(draft.meta.title, draft.blocks)
    ]
    assert len(places) > 20
    unkeyed = [(p.heading, p.text) for p in places if not p.key]
    assert unkeyed == []
    for place in places:
        assert place.key.split("/")[0] in drafter.questionnaire.by_id, place
    keys = {p.key for p in places}
    assert {"aanleiding", "motief_opbrengst", "ramp_criteria", "partnerschappen/0/advies"} <= keys
    assert "partnerschappen/0/rol_migranten" in keys


def unkeyed_places(drafter: Drafter, data: dict[str, Any]) -> list[tuple[str, str]]:
    """The open places of the note and the raadsvoorstel that name no question."""
    from wizard import readiness

    loaded = answers.from_mapping({"datum": "2026-11-23", **data}, drafter.questionnaire)
    return [
        (place.heading, place.text)
        for draft in drafter.drafts(loaded, ("notitie", "raadsvoorstel"))
        for place in readiness.open_places(draft.meta.title, draft.blocks)
        if not place.key
    ]


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_open_place_names_its_question_whichever_answer_is_missing(drafter: Drafter, name: str) -> None:
    """An example with one answer taken away (each answer in turn, an item's field too, on both
    routes) opens places in every sentence that answer fills: none of them is left without its
    question (the budget line, `post(leeg)` in _geld.md.j2, once was)."""
    base = dict(drafter.load(example(name)).values)
    sets: list[dict[str, Any]] = [{**base, "route": route} for route in ("kort", "volledig")]
    for key, value in base.items():
        sets.append({k: v for k, v in base.items() if k != key})
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value):
                for field in item:
                    items = [dict(other) for other in value]
                    del items[index][field]
                    sets.append({**base, key: items})
    unkeyed = {place for data in sets for place in unkeyed_places(drafter, data)}
    assert unkeyed == set()


def test_the_budget_line_left_open_names_its_question(drafter: Drafter) -> None:
    data = dict(drafter.load(example("oosterhaven")).values)
    del data["begrotingspost"]
    assert unkeyed_places(drafter, data) == []
    keys = keys_of_open_places(drafter, data, "")
    assert "begrotingspost" in keys


@pytest.mark.parametrize(
    "changes",
    [
        "Elk jaar een werkplan; de raad krijgt een verslag.",
        "Elk jaar een werkplan;de raad krijgt een verslag;",
    ],
)
def test_a_ties_changes_with_a_semicolon_stay_one_beslispunt(drafter: Drafter, changes: str) -> None:
    """';' ends each beslispunt: a free answer with its own ';' would read as two points. Inside
    the point it becomes a ','; the point ends with one ';'."""
    data = dict(drafter.load(example("veendrecht")).values)
    ties = [dict(tie) for tie in data["partnerschappen"]]
    index = next(i for i, tie in enumerate(ties) if tie.get("advies") == "aanpassen")
    ties[index]["wijzigingen"] = changes
    note, proposal = render_data(drafter, {**data, "partnerschappen": ties})
    for text in (note, proposal):
        (point,) = {line for line in text.splitlines() if "met deze nieuwe afspraken:" in line}
        assert point.count(";") == 1 and point.endswith(";"), point
        assert point.endswith(": elk jaar een werkplan, de raad krijgt een verslag;"), point
