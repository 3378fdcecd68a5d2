"""Controleren: the verantwoording beside the framework, its facts, rules, documents and the loop."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from wizard import answers as answers_mod
from wizard import blocks, cycle, evaluation_doc
from wizard import evaluation as evaluation_mod
from wizard import questionnaire as questionnaire_mod
from wizard.display import euro
from wizard.errors import DataError
from wizard.resources import examples_dir

EXAMPLE = examples_dir() / "verantwoording"
FRAMEWORK = EXAMPLE / "oosterhaven-kader.yaml"
YEARS = (EXAMPLE / "oosterhaven-2027.yaml", EXAMPLE / "oosterhaven-2028.yaml")


@pytest.fixture(scope="module")
def evaluation() -> evaluation_mod.Evaluation:
    return evaluation_mod.load(list(reversed(YEARS)))  # any order: periods sort by year


def copy_example(tmp_path: Path) -> Path:
    folder = tmp_path / "voorbeeld"
    shutil.copytree(EXAMPLE, folder)
    return folder


# --- 1. verantwoording as data ------------------------------------------------------------


def test_the_verantwoording_is_a_second_questionnaire_of_the_same_machinery() -> None:
    accountability = questionnaire_mod.load(name=questionnaire_mod.VERANTWOORDING)
    assert [s.id for s in accountability.sections] == [
        "periode",
        "doelen",
        "banden",
        "dienstreizen",
        "noodhulp",
        "geld",
        "conclusies",
    ]
    assert {s.rol for s in accountability.sections} == {"controleren"}
    ties = accountability.by_id["banden"]
    assert [f.id for f in ties.velden][:2] == ["partner", "land"]
    # a condition inside the group, parsed by the shared condition language
    assert accountability.question("banden.stopgrens_jaren").wanneer is not None
    # the framework's questionnaire is unchanged by the second one
    assert "banden" not in questionnaire_mod.load().by_id


def test_periods_sort_by_year_and_read_targets_from_the_framework(
    evaluation: evaluation_mod.Evaluation,
) -> None:
    assert [p.year for p in evaluation.periods] == [2027, 2028]
    last = evaluation.last.values
    schools = next(g for g in last["doelen"] if g["omschrijving"].startswith("Scholen"))
    # indicator and year are not in the verantwoording file: they come from the framework
    assert "indicator" not in evaluation.last.answers.values["doelen"][1]
    assert schools["indicator"] == "Zes scholen hebben een partnerschool"
    assert schools["termijn"] == 2028 and schools["termijn_verstreken"] is True
    kirsehir = next(t for t in last["banden"] if t["partner"] == "Kırşehir")
    assert kirsehir["plafond"] == 25000 and kirsehir["boven_plafond"] is None
    first = evaluation.periods[0].values
    tata_2027 = next(t for t in first["banden"] if t["partner"] == "Tata")
    assert tata_2027["boven_plafond"] == 2500  # 17.500 against a ceiling of 15.000
    wanica = next(t for t in last["banden"] if t["partner"] == "Wanica")
    assert wanica["jaren_zonder_activiteit"] == 2 and wanica["slaapt_te_lang"] is True
    assert last["boven_budget"] == 8500  # 198.500 against 190.000
    # Matagalpa ended in 2027: accounted for in 2027, not expected in 2028
    assert [t["partner"] for t in first["banden"]][-1] == "Matagalpa"
    assert last["banden_niet_verantwoord"] == ""


def test_start_lists_goals_and_ties_by_identity_with_the_fingerprint(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    target = folder / "nieuw-2029.yaml"
    started = cycle.start_accountability(folder / "oosterhaven-kader.yaml", target, 2029)
    values = started.values
    assert values["kader"] == "oosterhaven-kader.yaml"
    framework = answers_mod.load(folder / "oosterhaven-kader.yaml", questionnaire_mod.load()).values
    assert values["kader_vingerafdruk"] == evaluation_mod.fingerprint(framework)
    assert values["doelen"] == [{"omschrijving": g["omschrijving"]} for g in framework["doelen"]]
    # Matagalpa ended in 2027, so a verantwoording over 2029 does not list it
    assert [(t["partner"], t["land"]) for t in values["banden"]] == [
        ("Kırşehir", "Turkije"),
        ("Wanica", "Suriname"),
        ("Tata", "Hongarije"),
    ]
    target.write_text(cycle.dump_accountability(started), encoding="utf-8")
    loaded = evaluation_mod.load([target])
    assert loaded.last.year == 2029


def test_a_changed_framework_or_an_unknown_tie_is_refused_with_what_to_do(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    framework = folder / "oosterhaven-kader.yaml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace("budgetplafond: 25000", "budgetplafond: 40000"),
        encoding="utf-8",
    )
    year = folder / "oosterhaven-2027.yaml"
    year.write_text(
        year.read_text(encoding="utf-8").replace("partner: Wanica", "partner: Paramaribo"), encoding="utf-8"
    )
    with pytest.raises(DataError) as caught:
        evaluation_mod.load([year])
    messages = [p.message for p in caught.value.problems]
    assert any(m.startswith("het kader is veranderd nadat deze verantwoording begon") for m in messages)
    assert "de band met Paramaribo (Suriname) staat niet in het kader." in messages
    fields = {p.field for p in caught.value.problems}
    assert {"kader_vingerafdruk", "banden.1.partner"} <= fields
    lines = {p.field: p.line for p in caught.value.problems}
    assert (
        lines["banden.1.partner"]
        == year.read_text(encoding="utf-8").splitlines().index("  - partner: Paramaribo") + 1
    )


def test_two_periods_over_one_year_are_refused(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    twin = folder / "kopie.yaml"
    shutil.copy(folder / "oosterhaven-2027.yaml", twin)
    with pytest.raises(DataError) as caught:
        evaluation_mod.load([folder / "oosterhaven-2027.yaml", twin])
    assert any(p.message.startswith("twee verantwoordingen gaan over 2027") for p in caught.value.problems)


# --- 2. rules for controleren ---------------------------------------------------------------

ISSUE_RULES = {
    "doel-zonder-meting",  # a goal whose year has passed without a measurement
    "doel-niet-gehaald",  # a goal missed
    "band-boven-plafond",  # a tie over its ceiling
    "band-slaapt-te-lang",  # a tie without activity for as long as its exit criterion allows
    "band-zonder-werkplan",  # a missing werkplan
    "band-zonder-verslag",  # a missing report
    "reis-zonder-verslag",  # trips without a report
    "gift-buiten-kader",  # a gift outside the framework
    "gift-zonder-rampenkader",  # a gift where there is no framework
    "evaluatie-beleid-gemist",  # an evaluation year passed without an evaluation
    "evaluatie-band-gemist",
}


def test_the_control_rules_cover_the_issue_with_sources_and_examples_both_ways() -> None:
    _, accountability = evaluation_mod.questionnaires()
    rule_set = evaluation_mod.load_rules(accountability)
    assert set(rule_set.by_id()) >= ISSUE_RULES
    for rule in rule_set.rules:
        assert rule.role == "controleren", rule.id
        assert rule.examples_hit and rule.examples_miss, rule.id
        assert rule.source.document, rule.id
    results = evaluation_mod.run_examples(rule_set, accountability)
    failures = [f"{r.rule} {r.kind}[{r.index}]: {r.detail}" for r in results if not r.ok]
    assert not failures
    ran = {(r.rule, r.kind) for r in results}
    assert ran == {(rule.id, kind) for rule in rule_set.rules for kind in ("wel", "niet")}


def test_a_rule_example_that_does_not_hold_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "regels"
    folder.mkdir()
    text = (evaluation_mod.rules_dir() / "verantwoording" / "controleren.yaml").read_text(encoding="utf-8")
    # the 'niet' example of the ceiling rule now spends more than the ceiling
    folder.joinpath("regels.yaml").write_text(
        text.replace(
            "banden: [{partner: Tata, land: Hongarije, uitgegeven: 15000}]",
            "banden: [{partner: Tata, land: Hongarije, uitgegeven: 15001}]",
        ),
        encoding="utf-8",
    )
    _, accountability = evaluation_mod.questionnaires()
    own = evaluation_mod.load_rules(accountability, [folder], bundled=False)
    results = evaluation_mod.run_examples(own, accountability)
    wrong = [(r.rule, r.kind, r.index, r.detail) for r in results if not r.ok]
    assert wrong == [("band-boven-plafond", "niet", 0, "de regel gaat af, maar zou dat niet moeten.")]


def test_the_example_findings_say_what_the_data_says(evaluation: evaluation_mod.Evaluation) -> None:
    first, last = ({(f.rule, f.item): f.message for f in period.findings} for period in evaluation.periods)
    assert first[("band-boven-plafond", "Tata (Hongarije)")] == (
        "De band met Tata (Hongarije) kostte in 2027 € 17.500. Het plafond in het kader is € 15.000 per jaar: "
        "€ 2.500 te veel."
    )
    # the destination carries its month, so it is quoted to read as one name
    assert first[("reis-zonder-verslag", "Tata, oktober 2027")] == (
        "Van de dienstreis naar 'Tata, oktober 2027' is geen verslag."
    )
    assert ("band-slaapt-te-lang", "Wanica (Suriname)") not in first  # one year is not yet too long
    assert last[("band-slaapt-te-lang", "Wanica (Suriname)")] == (
        "In de band met Wanica (Suriname) gebeurde twee jaar op rij niets. Volgens de afspraken over "
        "stoppen eindigt de band na twee jaar zonder activiteit."
    )
    # the 2028 gift broke the framework twice: not via Giro555, and above the ceiling per disaster
    gift = "Aardbeving in Oost-Turkije, februari 2028"
    assert last[("gift-buiten-kader", gift)] == (
        f"De gift na '{gift}' (€ 30.000) ging niet volgens het kader voor hulp na rampen."
    )
    assert last[("gift-boven-plafond", gift)] == (
        f"De gift na '{gift}' (€ 30.000) was hoger dan het plafond per ramp in het kader (€ 25.000): "
        "€ 5.000 te veel."
    )
    assert not any(rule.startswith("gift-") for rule, _ in first)  # 2027: € 0,10 per inwoner via Giro555
    assert last[("uitgaven-boven-budget", None)].endswith(
        "Het budget in het kader is € 190.000 per jaar: € 8.500 meer."
    )
    # Tata's end year in the framework is 2027; it still ran in 2028 (a finding), not in 2027
    assert last[("band-na-einddatum", "Tata (Hongarije)")] == (
        "De band met Tata (Hongarije) liep in 2028 nog door. Volgens het kader eindigde de band in 2027."
    )
    assert ("band-na-einddatum", "Tata (Hongarije)") not in first
    # Kırşehir was evaluated in its year (2028) and Tata in 2027 before its own year passed
    assert not any(rule == "evaluatie-band-gemist" for rule, _ in last)
    assert not any(rule == "evaluatie-beleid-gemist" for rule, _ in last)  # 2029 is still to come
    # A missing report counts only where the framework agreed a yearly report for the tie: Tata
    # (jaarverslag_raad: true), not Wanica, for which the framework left it open (#26, point 4).
    assert first[("band-zonder-verslag", "Tata (Hongarije)")] == (
        "Over de band met Tata (Hongarije) kreeg de raad geen verslag over 2027, terwijl het kader een "
        "jaarlijks verslag afspreekt."
    )
    assert not any(rule == "band-zonder-verslag" and item == "Wanica (Suriname)" for rule, item in first)
    assert not any(rule == "band-zonder-verslag" for rule, _ in last)  # Wanica again; Tata did report


# --- 3. documents: claims the data makes true ------------------------------------------------


def _text(runs: list[blocks.Run]) -> str:
    return "".join(r.text for r in runs)


def _sections(content: list[blocks.Block]) -> dict[str, list[blocks.Block]]:
    """The blocks under each heading (until the next heading of any level)."""
    result: dict[str, list[blocks.Block]] = {}
    current = ""
    for block in content:
        if isinstance(block, blocks.Heading):
            current = block.text
            result.setdefault(current, [])
        else:
            result.setdefault(current, []).append(block)
    return result


def _rows(section: list[blocks.Block]) -> list[list[str]]:
    return [[_text(cell) for cell in row] for b in section if isinstance(b, blocks.Table) for row in b.rows]


def _items(section: list[blocks.Block]) -> list[str]:
    return [_text(item) for b in section if isinstance(b, blocks.ListBlock) for item in b.items]


@pytest.fixture(scope="module")
def documents(evaluation: evaluation_mod.Evaluation) -> dict[str, dict[str, list[blocks.Block]]]:
    return {d.kind.name: _sections(d.blocks) for d in evaluation_doc.drafts(evaluation)}


def _framework() -> dict[str, Any]:
    return answers_mod.load(FRAMEWORK, questionnaire_mod.load()).values


def test_the_note_states_target_measurement_and_verdict_of_every_goal(
    evaluation: evaluation_mod.Evaluation, documents: dict[str, dict[str, list[blocks.Block]]]
) -> None:
    note = documents["evaluatie"]
    overview = {row[0]: row[1:] for row in _rows(note["2. Doelen"])}
    verdicts = dict((c.waarde, c.label) for c in evaluation.accountability.question("doelen.oordeel").keuzes)
    last = {g["omschrijving"]: g for g in evaluation.last.answers.values["doelen"]}
    for goal in _framework()["doelen"]:
        indicator, year, measured, verdict = overview[goal["omschrijving"]]
        assert indicator == goal["indicator"]
        assert year == (str(goal["termijn"]) if "termijn" in goal else "geen")
        assert measured == last[goal["omschrijving"]]["gemeten"]
        assert verdict == verdicts[last[goal["omschrijving"]]["oordeel"]]
        # one row per year, each with its own measurement and source
        per_year = _rows(note[goal["omschrijving"]])
        expected = [
            [str(p.year), g["gemeten"], g["meetbron"], verdicts[g["oordeel"]]]
            for p in evaluation.periods
            for g in p.answers.values["doelen"]
            if g["omschrijving"] == goal["omschrijving"]
        ]
        assert per_year == expected


def _tie_advice(evaluation: evaluation_mod.Evaluation, tie: dict[str, Any]) -> str:
    label = evaluation.accountability.question("banden.advies").choice_label(tie["advies"])
    return label[0].lower() + label[1:]


def test_the_raadsvoorstel_accounts_for_every_tie_of_the_framework(
    evaluation: evaluation_mod.Evaluation, documents: dict[str, dict[str, list[blocks.Block]]]
) -> None:
    items = _items(documents["evaluatieraadsvoorstel"]["Wat de banden deden"])
    for tie in _framework()["partnerschappen"]:
        name = f"{tie['partner']} ({tie['land']})"
        (line,) = [i for i in items if i.startswith(name + ":")]
        year, last = next(
            (p.year, t)
            for p in reversed(evaluation.periods)
            for t in p.values["banden"]
            if (t["partner"], t["land"]) == (tie["partner"], tie["land"])
        )
        assert f"uitgegeven {euro(last['uitgegeven'])}" in line
        assert _tie_advice(evaluation, last) in line
        if year != evaluation.last.year:  # Matagalpa: ended in 2027, still accounted for
            assert f"niet meer; in {year} uitgegeven" in line
            assert last["exit_toelichting"] in line


def test_the_note_states_money_ceiling_and_advice_of_every_tie(
    evaluation: evaluation_mod.Evaluation, documents: dict[str, dict[str, list[blocks.Block]]]
) -> None:
    note = documents["evaluatie"]
    for tie in _framework()["partnerschappen"]:
        name = f"{tie['partner']} ({tie['land']})"
        rows = _rows(note[name])
        accounted = [
            (p.year, t)
            for p in evaluation.periods
            for t in p.values["banden"]
            if (t["partner"], t["land"]) == (tie["partner"], tie["land"])
        ]
        assert [row[0] for row in rows] == [str(year) for year, _ in accounted]
        for row, (_, t) in zip(rows, accounted, strict=True):
            assert row[2].startswith(euro(t["uitgegeven"]))
            assert ("boven het plafond" in row[2]) is bool(t["boven_plafond"])
            assert row[3] == (euro(tie["budgetplafond"]) if "budgetplafond" in tie else "geen")
            assert row[4] == ("ja" if t["werkplan_ontvangen"] else "nee")
            assert row[5] == ("ja" if t["verslag_ontvangen"] else "nee")
        text = " ".join(_text(b.runs) for b in note[name] if isinstance(b, blocks.Paragraph))
        last = accounted[-1][1]
        if accounted[-1][0] == evaluation.last.year:
            label = evaluation.accountability.question("banden.advies").choice_label(last["advies"])
            assert f"Advies: {label[0].lower() + label[1:]}." in text
        else:  # Matagalpa ended in 2027: its last account (state, advice) still shows
            year, label = accounted[-1][0], _tie_advice(evaluation, last)
            assert f"Advies in {year}: {label}." in text
            assert last["exit_toelichting"] in text
            assert "noemt deze band niet meer" in text
        if "exitcriteria" in tie:
            assert tie["exitcriteria"] in text


def test_the_beslispunten_follow_from_the_advice_per_tie_and_the_conclusions(
    evaluation: evaluation_mod.Evaluation, documents: dict[str, dict[str, list[blocks.Block]]]
) -> None:
    verbs = {
        "voortzetten": "voort te zetten",
        "aanpassen": "voort te zetten met andere afspraken",
        "beeindigen": "af te bouwen en te beëindigen",
    }
    last = evaluation.last.answers.values
    for kind, heading in (("evaluatie", "Beslispunten"), ("evaluatieraadsvoorstel", "Beslispunten")):
        points = _items(documents[kind][heading])
        assert points[0].startswith("kennis te nemen van de verantwoording over 2027 en 2028")
        for tie in last["banden"]:
            name = f"{tie['partner']} ({tie['land']})"
            point = next(p for p in points if name in p)
            assert point.startswith("in te stemmen met het voornemen van het college om de band met")
            assert verbs[tie["advies"]] in point
        assert not any("Matagalpa" in p for p in points)  # ended in 2027, no decision left
        assert any(p.startswith("het college op te dragen in 2029 een herzien kader") for p in points)
        # the instruction reads as one Dutch sentence after "het college op te dragen" (no colon)
        assert (
            points[-1]
            == "het college op te dragen de verslagen van de banden voortaan bij het jaarverslag te voegen."
        )
        assert all(p.endswith(";") for p in points[:-1])
    # the legal basis is the college's accountability (art. 169) and carrying out decisions on
    # ties (art. 160); no beslispunt touches the budget, so artikel 189 is no basis here
    besluit_text = [
        _text(b.runs)
        for b in documents["evaluatieraadsvoorstel"]["Ontwerpbesluit"]
        if isinstance(b, blocks.Paragraph)
    ]
    assert "gelet op artikel 160 en artikel 169 van de Gemeentewet;" in besluit_text
    assert not any("189" in p for p in points)
    # the ontwerpbesluit repeats the same points
    besluit = _items(documents["evaluatieraadsvoorstel"]["Ontwerpbesluit"])
    assert besluit == _items(documents["evaluatieraadsvoorstel"]["Beslispunten"])


def test_the_raadsvoorstel_counts_and_money_are_the_data(
    evaluation: evaluation_mod.Evaluation, documents: dict[str, dict[str, list[blocks.Block]]]
) -> None:
    proposal = documents["evaluatieraadsvoorstel"]
    goals = " ".join(
        _text(b.runs) for b in proposal["Wat de doelen opleverden"] if isinstance(b, blocks.Paragraph)
    )
    assert (
        "Van de drie doelen in het kader is er volgens de verantwoording over 2028 één gehaald, één deels"
        in goals
    )
    assert _rows(proposal["Financiën"]) == [
        [str(p.year), euro(p.answers.values["uitgegeven_totaal"]), euro(_framework()["budget_jaar"])]
        for p in evaluation.periods
    ]
    ties = _items(proposal["Wat de banden deden"])
    assert ties[0].startswith(
        "Kırşehir (Turkije): activiteit in 2028; uitgegeven € 24.000 bij een plafond van € 25.000"
    )
    assert ties[1].startswith(
        "Wanica (Suriname): geen activiteit in 2028; uitgegeven € 1.500; advies: afbouwen"
    )
    risks = _items(proposal["Kanttekeningen en risico's"])
    assert len(risks) == sum(len(p.findings) for p in evaluation.periods)


def test_a_missing_answer_is_a_visible_place_and_blocks_a_final_version(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    year = folder / "oosterhaven-2028.yaml"
    text = year.read_text(encoding="utf-8")
    year.write_text(text.replace("    advies: voortzetten\n", "", 1), encoding="utf-8")
    loaded = evaluation_mod.load([folder / "oosterhaven-2027.yaml", year])
    drafts = evaluation_doc.drafts(loaded, final=True)
    points = _items(_sections(drafts[1].blocks)["Beslispunten"])
    assert "[nog invullen: wat de raad besluit over de band met Kırşehir (Turkije)]" in points[1]
    ready = evaluation_doc.readiness_of(drafts)
    assert not ready.ready
    assert any("Kırşehir" in place.text for place in ready.open_places)
    # the complete example is ready: only the griffie's own places are left
    assert evaluation_doc.readiness_of(
        evaluation_doc.drafts(evaluation_mod.load(list(YEARS)), final=True)
    ).ready


# --- 4. the loop closes -----------------------------------------------------------------------


def test_the_next_framework_is_valid_and_carries_the_conclusions(
    evaluation: evaluation_mod.Evaluation,
) -> None:
    import datetime as dt

    questionnaire = questionnaire_mod.load()
    answers = cycle.next_framework(evaluation, today=dt.date(2029, 4, 1))
    text = cycle.dump_framework(answers, evaluation)
    values = answers_mod.from_text(text, questionnaire, "volgend kader").values  # valid as a file
    assert str(values["datum"]) == "2029-04-01"
    assert values["bestaand_beleid"] == "actueel" and values["bestaand_beleid_intrekken"] is True
    assert values["bestaand_beleid_titel"] == "Kader internationale samenwerking Oosterhaven 2027-2030"
    assert "bestaande_banden" in values["aanleiding"]
    for key in ("ingangsdatum", "looptijd_tot", "evaluatie_beleid_jaar", "begrotingsjaar"):
        assert key not in values  # the council chooses these again
    # the terugblik is written from the evaluation: every goal's verdict and every tie's advice
    look_back = values["terugblik"]
    assert look_back.startswith("Uit de verantwoording over 2027 en 2028:")
    assert "Doel 'Scholen werken samen met scholen in de partnersteden': deels gehaald" in look_back
    assert "Band met Wanica (Suriname): advies afbouwen en beëindigen" in look_back
    assert "Giften na rampen buiten het kader in het laatste jaar: één." in look_back
    assert "De uitgaven waren € 8.500 hoger dan het budget." in look_back
    # goals: the reached one is done; a passed year is left open; a later year stays
    goals = {g["omschrijving"]: g for g in values["doelen"]}
    assert "Digitale dienstverlening verbeteren met kennis uit Tata" not in goals
    assert "termijn" not in goals["Scholen werken samen met scholen in de partnersteden"]
    assert goals["Meer handel met bedrijven in Kırşehir"]["termijn"] == 2029
    # ties: the evaluation's advice is the proposal; Matagalpa ended in 2027 and is gone
    ties = {t["partner"]: t for t in values["partnerschappen"]}
    assert set(ties) == {"Kırşehir", "Wanica", "Tata"}
    assert ties["Kırşehir"]["advies"] == "voortzetten" and ties["Kırşehir"]["werkplan"] is True
    assert ties["Wanica"]["advies"] == "beeindigen"
    assert ties["Wanica"]["afbouw_reden"] == "Twee jaar zonder activiteit en zonder trekker bij de stichting."
    assert ties["Tata"]["advies"] == "beeindigen" and "einddatum" not in ties["Tata"]
    # the ceiling of a tie that goes on is the framework's, not retyped
    assert ties["Kırşehir"]["budgetplafond"] == 25000


def test_an_adjusted_tie_gets_the_reason_as_what_changes(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    loaded = evaluation_mod.load([folder / "oosterhaven-2027.yaml"])  # 2027 alone: Tata is 'aanpassen'
    values = cycle.next_framework(loaded).values
    tata = next(t for t in values["partnerschappen"] if t["partner"] == "Tata")
    assert tata["advies"] == "aanpassen"
    assert (
        tata["wijzigingen"]
        == "Nog twee jaar, alleen voor digitale dienstverlening, met een plafond van € 12.000."
    )
    wanica = next(t for t in values["partnerschappen"] if t["partner"] == "Wanica")
    assert wanica["werkplan"] is False  # 2027 found no werkplan
    assert values["terugblik"].startswith("Uit de verantwoording over 2027:")


# --- the commands ---------------------------------------------------------------------------


def test_verantwoord_writes_a_file_to_fill_in_that_evaluatie_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wizard.cli import main

    folder = copy_example(tmp_path)
    assert main(["verantwoord", str(folder / "oosterhaven-kader.yaml"), "--jaar", "2029"]) == 0
    target = folder / "oosterhaven-kader.verantwoording-2029.yaml"
    out = capsys.readouterr().out
    assert f"Geschreven: {target}  (over 2029; 3 doelen en 3 banden uit het kader)" in out
    text = target.read_text(encoding="utf-8")
    assert (
        "    # Hoeveel is er uitgegeven aan deze band?\n    #   Bij een verantwoording over de hele looptijd het bedrag per jaar gemiddeld.\n    uitgegeven:\n"
        in text
    )
    assert "#   kies: voortzetten, aanpassen, beeindigen" in text
    # never over an existing file
    assert main(["verantwoord", str(folder / "oosterhaven-kader.yaml"), "--jaar", "2029"]) == 2
    assert "bestaat al" in capsys.readouterr().err
    # filled in by hand, it makes the documents
    filled = text.replace("uitgegeven_totaal:", "uitgegeven_totaal: 150.000")
    target.write_text(filled, encoding="utf-8")
    assert main(["evaluatie", str(target), "-o", str(tmp_path / "uit") + "/"]) == 0
    out = capsys.readouterr().out
    assert "Controle over 2029: 1 blokkerend" in out  # the policy evaluation of 2029 is missing
    assert (tmp_path / "uit" / "oosterhaven-kader.verantwoording-2029-evaluatie.docx").is_file()
    assert (tmp_path / "uit" / "oosterhaven-kader.verantwoording-2029-evaluatie-raadsvoorstel.docx").is_file()


def test_evaluatie_definitief_is_refused_while_places_are_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wizard.cli import main

    folder = copy_example(tmp_path)
    year = folder / "oosterhaven-2028.yaml"
    year.write_text(
        year.read_text(encoding="utf-8").replace("    advies: voortzetten\n", "", 1), encoding="utf-8"
    )
    status = main(["evaluatie", str(folder / "oosterhaven-2027.yaml"), str(year), "--definitief"])
    out = capsys.readouterr().out
    assert status == 1
    assert "De definitieve versie is niet gemaakt." in out
    assert "[nog invullen: wat de raad besluit over de band met Kırşehir (Turkije)]" in out
    assert not list(folder.glob("*.docx"))


def test_volgend_kader_writes_a_valid_answers_file_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wizard.cli import main

    folder = copy_example(tmp_path)
    target = tmp_path / "nieuw.yaml"
    args = [
        "volgend-kader",
        str(folder / "oosterhaven-2027.yaml"),
        str(folder / "oosterhaven-2028.yaml"),
        "-o",
        str(target),
    ]
    assert main(args) == 0
    assert "met de terugblik, 3 banden met een voorstel uit de evaluatie" in capsys.readouterr().out
    values = answers_mod.load(target, questionnaire_mod.load()).values
    assert {t["partner"]: t["advies"] for t in values["partnerschappen"]} == {
        "Kırşehir": "voortzetten",
        "Wanica": "beeindigen",
        "Tata": "beeindigen",
    }
    assert main(args) == 2  # never over an existing file without --overschrijven
    assert main(["toets", str(target)]) in (0, 1)  # the framework's own rules read it


def test_the_evaluation_raadsvoorstel_as_pdf_says_what_the_data_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through LibreOffice, as the council reads it (needs LibreOffice, as tests/test_convert.py)."""
    import pypdf

    from wizard.cli import main

    folder = copy_example(tmp_path)
    args = ["evaluatie", *(str(folder / p.name) for p in YEARS), "--formaat", "pdf", "--definitief"]
    assert main([*args, "--stukken", "raadsvoorstel"]) == 0
    reader = pypdf.PdfReader(folder / "oosterhaven-2028-evaluatie-raadsvoorstel.pdf")
    assert reader.metadata is not None
    assert (
        reader.metadata.title == "Raadsvoorstel evaluatie internationale samenwerking – Gemeente Oosterhaven"
    )
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Concept" not in text  # definitief
    assert "Ontwerpbesluit" in text and "besluit:" in text
    assert (
        "in te stemmen met het voornemen van het college om de band met Kırşehir (Turkije) voort te zetten;"
        in text
    )
    assert "de band met Tata (Hongarije) af te bouwen en te beëindigen;" in text
    assert "2028 € 198.500 € 190.000" in text  # Financiën: spent against the framework's budget
    assert "nog invullen" not in text


def test_a_verantwoording_whose_framework_is_missing_says_where_to_look(tmp_path: Path) -> None:
    folder = copy_example(tmp_path)
    year = folder / "oosterhaven-2027.yaml"
    year.write_text(
        year.read_text(encoding="utf-8").replace("kader: oosterhaven-kader.yaml", "kader: weg.yaml"),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        evaluation_mod.load([year])
    [problem] = caught.value.problems
    assert problem.message == f"het kader 'weg.yaml' is niet gevonden ({folder / 'weg.yaml'})."
    assert (problem.file, problem.field, problem.line) == (year, "kader", 8)


def test_regels_verantwoording_lists_and_checks_the_control_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from wizard.cli import main

    assert main(["regels", "--verantwoording", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["regels"]
    assert {r["id"] for r in listed} >= ISSUE_RULES
    assert {r["rol"] for r in listed} == {"controleren"}
    folder = tmp_path / "eigen"
    folder.mkdir()
    shutil.copy(evaluation_mod.rules_dir() / "verantwoording" / "controleren.yaml", folder / "regels.yaml")
    assert main(["regels", "--verantwoording", "--controleer", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{len(listed)} regel(s) geladen,")
    # an own rule switched off is not found any more
    without = evaluation_mod.load(list(YEARS), skip_rules=["gift-buiten-kader"])
    assert not any(f.rule == "gift-buiten-kader" for f in without.last.findings)


def test_every_fact_says_which_answers_it_reads() -> None:
    _, accountability = evaluation_mod.questionnaires()
    assert set(evaluation_mod.SOURCES) == set(evaluation_mod.specs())
    known = set(accountability.field_specs())
    for fact, sources in evaluation_mod.SOURCES.items():
        assert set(sources) <= known, fact


@pytest.mark.parametrize("name", sorted(p.stem for p in examples_dir().glob("*.yaml")))
def test_every_example_framework_gets_an_empty_verantwoording_with_visible_places(
    tmp_path: Path, name: str
) -> None:
    framework = tmp_path / f"{name}.yaml"
    shutil.copy(examples_dir() / f"{name}.yaml", framework)
    target = tmp_path / f"{name}.verantwoording-2027.yaml"
    target.write_text(
        cycle.dump_accountability(cycle.start_accountability(framework, target, 2027)), encoding="utf-8"
    )
    loaded = evaluation_mod.load([target])
    drafts = evaluation_doc.drafts(loaded)
    ready = evaluation_doc.readiness_of(drafts)
    assert not ready.ready  # nothing measured yet: the places show, nothing is made up
    places = {place.text for place in ready.open_places}
    assert "[nog invullen: totaal uitgegeven]" in places
    headings = {block.text for block in drafts[0].blocks if isinstance(block, blocks.Heading)}
    for goal in answers_mod.load(framework, questionnaire_mod.load()).values.get("doelen") or []:
        assert goal["omschrijving"] in headings
    next_values = cycle.next_framework(loaded).values
    assert "terugblik" in next_values


def test_verantwoord_refuses_a_year_before_the_framework_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wizard.cli import main

    folder = copy_example(tmp_path)
    assert main(["verantwoord", str(folder / "oosterhaven-kader.yaml"), "--jaar", "2025"]) == 2
    err = capsys.readouterr().err
    assert "het kader geldt pas vanaf 2027; een verantwoording over 2025 hoort er niet bij." in err
    assert "Kies een jaar vanaf 2027, bijvoorbeeld --jaar 2027." in err
    assert not list(folder.glob("*.verantwoording-*.yaml"))


def test_the_evaluation_documents_pass_the_ooxml_schema_check(
    evaluation: evaluation_mod.Evaluation, tmp_path: Path
) -> None:
    from openxml_audit import OpenXmlValidator

    from wizard import wordwriter

    validator = OpenXmlValidator()
    for draft in evaluation_doc.drafts(evaluation):
        path = tmp_path / f"{draft.kind.name}.docx"
        path.write_bytes(wordwriter.write(draft.blocks, draft.meta))
        result = validator.validate(str(path))
        assert result.is_valid, [str(e) for e in result.errors[:5]]


def test_both_rule_checks_report_a_failing_example_from_one_printer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`regels --controleer` and `regels --verantwoording --controleer` print through
    wizard/rulereport.py: the same failure line on stderr, the same count, exit status 2."""
    from wizard.cli import main

    folder = tmp_path / "eigen"
    folder.mkdir()
    (folder / "regels.yaml").write_text(
        "regels:\n"
        "  - id: over-een-jaar\n"
        "    titel: Over één jaar\n"
        "    ernst: tip\n"
        "    rol: controleren\n"
        "    als: {veld: periode, is: jaar}\n"
        "    melding: De verantwoording gaat over één jaar.\n"
        "    uitleg: Een jaar is kort.\n"
        "    advies: Kijk ook naar de looptijd.\n"
        "    bron: {document: VNG 2024}\n"
        "    voorbeelden:\n"
        "      wel: [{periode: jaar}]\n"
        "      niet: [{periode: jaar}]\n",
        encoding="utf-8",
    )
    assert main(["regels", "--verantwoording", "--controleer", str(folder)]) == 2
    said = capsys.readouterr()
    assert said.err == "- over-een-jaar voorbeelden.niet[0]: de regel gaat af, maar zou dat niet moeten.\n"
    assert said.out == "1 regel(s) geladen, 1 van 2 voorbeelden kloppen.\n"
    import json

    assert main(["regels", "--verantwoording", "--json"]) == 0
    count = len(json.loads(capsys.readouterr().out)["regels"])
    assert main(["regels", "--verantwoording"]) == 0
    listing = capsys.readouterr().out
    assert listing.startswith(
        f"{count} regels voor de controle achteraf (de verantwoording naast het kader)\n\n"
    )


@pytest.mark.parametrize("name", sorted(p.stem for p in examples_dir().glob("*.yaml")))
def test_every_open_place_of_a_sparse_verantwoording_names_its_question(tmp_path: Path, name: str) -> None:
    """An empty verantwoording leaves many places open in the evaluation and its raadsvoorstel:
    each is keyed to the question that fills it (of the verantwoording, or of the framework), so
    a page can link to it and readiness can say which question is still open."""
    framework = tmp_path / f"{name}.yaml"
    shutil.copy(examples_dir() / f"{name}.yaml", framework)
    target = tmp_path / f"{name}.verantwoording-2027.yaml"
    target.write_text(
        cycle.dump_accountability(cycle.start_accountability(framework, target, 2027)), encoding="utf-8"
    )
    loaded = evaluation_mod.load([target])
    places = evaluation_doc.readiness_of(evaluation_doc.drafts(loaded)).open_places
    assert len(places) > 5
    assert [(p.heading, p.text) for p in places if not p.key] == []
    known = set(loaded.accountability.by_id) | set(loaded.questionnaire.by_id)
    for place in places:
        assert place.key.split("/")[0] in known, place
    keys = {p.key for p in places}
    assert {"uitgegeven_totaal", "evaluatie_gedaan", "kader_aanpassen"} <= keys
    if loaded.last.values.get(evaluation_mod.TIES):
        assert "banden/0/advies" in keys and "banden/0/actief" in keys
    # a field of a goal or tie is keyed with its place in the file, never by its bare name
    assert not keys & {"gemeten", "oordeel", "advies", "actief", "uitgegeven", "exit_stand"}


def test_a_verantwoording_that_contradicts_itself_is_reported(tmp_path: Path) -> None:
    """A total lower than its parts, money for a tie without activity, and a tie that goes on
    although a reason to stop is reached: each is a finding, so no 'binnen het budget' stands alone."""
    folder = copy_example(tmp_path)
    year = folder / "oosterhaven-2028.yaml"
    text = year.read_text(encoding="utf-8")
    text = text.replace("uitgegeven_totaal: 198500", "uitgegeven_totaal: 20000")
    text = text.replace(
        "    exit_stand: niet_bereikt\n    geevalueerd: true\n    advies: voortzetten\n",
        "    exit_stand: bereikt\n    exit_toelichting: Twee jaar geen activiteit.\n"
        "    geevalueerd: true\n    advies: voortzetten\n",
    )
    year.write_text(text, encoding="utf-8")
    loaded = evaluation_mod.load([folder / "oosterhaven-2027.yaml", year])
    found = {f.rule: f for f in loaded.last.findings}
    total = found["uitgaven-totaal-lager-dan-delen"]
    # the ties (24.000 + 1.500 + 11.000) and the gift (30.000) cost 66.500 together
    assert f"{euro(20000)} uitgegeven" in total.message
    assert f"{euro(66500)}: {euro(46500)} meer" in total.message
    assert total.severity == "blokkerend"
    assert "Kırşehir" in found["band-stopt-niet-bij-reden"].message
    assert f"Wanica (Suriname) is in 2028 {euro(1500)}" in found["band-geld-zonder-activiteit"].message
    # the complete example's total is higher than its parts: no such finding there
    complete = evaluation_mod.load(list(YEARS))
    assert "uitgaven-totaal-lager-dan-delen" not in {f.rule for f in complete.last.findings}


def _empty_verantwoording(tmp_path: Path, name: str) -> evaluation_mod.Evaluation:
    framework = tmp_path / f"{name}.yaml"
    shutil.copy(examples_dir() / f"{name}.yaml", framework)
    target = tmp_path / f"{name}.verantwoording-2027.yaml"
    target.write_text(
        cycle.dump_accountability(cycle.start_accountability(framework, target, 2027)), encoding="utf-8"
    )
    return evaluation_mod.load([target])


def test_the_goal_count_says_a_missing_verdict_is_missing_not_too_early(
    tmp_path: Path, documents: dict[str, dict[str, list[blocks.Block]]]
) -> None:
    """'nog niet te zeggen' is an answer; a goal without an answer is counted apart, and none
    reached is 'geen', not 'nul'. The note's summary counts as the raadsvoorstel does."""
    counted = "Van de drie doelen in het kader is er volgens de verantwoording over 2028 één gehaald, één deels; bij één is het nog niet te zeggen."
    assert counted in blocks.markdown(documents["evaluatie"]["Samenvatting"])
    assert counted in blocks.markdown(documents["evaluatieraadsvoorstel"]["Wat de doelen opleverden"])
    empty = evaluation_doc.drafts(_empty_verantwoording(tmp_path, "oosterhaven"))
    for draft in empty:
        text = blocks.markdown(draft.blocks)
        assert (
            "zijn er volgens de verantwoording over 2027 geen gehaald; bij drie staat nog geen oordeel in de verantwoording."
            in text
        )
        assert "nog niet te zeggen" not in text and " nul " not in text


def test_a_tie_shows_the_end_year_the_control_compares_with(
    documents: dict[str, dict[str, list[blocks.Block]]],
) -> None:
    """The control says Tata ran past its end year (2027): the tie's section shows that year."""
    tata = blocks.markdown(documents["evaluatie"]["Tata (Hongarije)"])
    assert "Volgens het kader loopt de band tot en met 2027." in tata


def test_a_framework_without_goals_is_said_not_left_to_fill_in(tmp_path: Path) -> None:
    """Lindewijk's framework has no goals: the verantwoording cannot add them, so the raadsvoorstel
    says what that means instead of an open place that would block a final version for ever."""
    draft = evaluation_doc.drafts(_empty_verantwoording(tmp_path, "lindewijk"))[1]
    section = blocks.markdown(_sections(draft.blocks)["Wat de doelen opleverden"])
    assert "Het kader noemt geen doelen. De raad kan daarom niet nagaan" in section
    assert "[nog invullen" not in section


def test_a_difference_that_cannot_be_computed_is_not_a_place_to_fill_in(tmp_path: Path) -> None:
    """'Verschil: [nog invullen: verschil]' asked for a figure the tool computes: the total is the
    open place (keyed to uitgegeven_totaal); the difference says it cannot be computed yet."""
    draft = evaluation_doc.drafts(_empty_verantwoording(tmp_path, "oosterhaven"))[0]
    (row,) = [row for row in _rows(_sections(draft.blocks)["6. Geld"]) if row[0] == "2027"]
    assert row[3] == "nog niet te berekenen"
    assert "[nog invullen: totaal uitgegeven]" in row[1]
