"""Side-by-side benchmarks: medians and ratios from one run (never a timed test).

    python3 tasks.py bench            # all measurements
    python3 tasks.py bench --snel     # fewer repetitions

Each comparison interleaves the two sides in one loop, so machine noise hits both.
The package is compiled to bytecode first (as a wheel install does), and one run fills
the user cache (wizard/cache.py); the first run with an empty cache is reported apart.
Measured:
  1. one note rendered in-process vs the same content built with docxtpl from a Word template;
  2. 342 notes (the number of municipalities on 1 January 2023) with `maak` on a folder;
     docxtpl and a pandoc process per note are extrapolated from their per-note medians;
  3. a whole `maak` process vs the bare import of python-docx, jinja2 and pyyaml;
  4. the whole rule set on one answers file; saving one changed answer and tie by pieces vs
     emitting the whole file (wizard/roundtrip.py);
  5. time until the wizard shows its first question vs the bare import of questionary;
  6. 342 notes + 342 raadsvoorstellen to .docx and .pdf: the PDF set by Typst (the default)
     side by side with the PDF made by LibreOffice from the .docx (`--pdf-via libreoffice`, two
     LibreOffice processes), and the Typst run again on the three bundled examples in turn
     (the 342 files otherwise differ only in their name); `--alleen-pdf`: only this;
  7. the same batch to .docx again with --overschrijven into the folder that holds the 684
     documents, side by side with a run into a new folder (`--alleen-overschrijven`: only this).
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wizard import answers, blocks, facts, rules  # noqa: E402
from wizard.draft import Drafter  # noqa: E402

EXAMPLE = ROOT / "voorbeelden" / "oosterhaven.yaml"
MUNICIPALITIES = 342
TOOL = Path(sys.executable).parent / "beleidsnotitie"


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def side_by_side(
    a: Callable[[], object], b: Callable[[], object], repeat: int
) -> tuple[list[float], list[float]]:
    first: list[float] = []
    second: list[float] = []
    for _ in range(repeat):
        for fn, out in ((a, first), (b, second)):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return first, second


def docxtpl_template(folder: Path) -> Path:
    """A Word template that lays out the same content as our note, docxtpl-style."""
    import docx

    document = docx.Document()
    document.add_paragraph("{{ titel }}", style="Title")
    document.add_paragraph("Gemeente {{ gemeente }}", style="Subtitle")
    document.add_paragraph("{%p for b in blokken %}")
    document.add_paragraph("{%p if b.kop == 1 %}")
    document.add_paragraph("{{ b.tekst }}", style="Heading 1")
    document.add_paragraph("{%p elif b.kop == 2 %}")
    document.add_paragraph("{{ b.tekst }}", style="Heading 2")
    document.add_paragraph("{%p elif b.kop == 3 %}")
    document.add_paragraph("{{ b.tekst }}", style="Heading 3")
    document.add_paragraph("{%p elif b.lijst %}")
    document.add_paragraph("{{ b.tekst }}", style="List Bullet")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("{{ b.tekst }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    table = document.add_table(rows=2, cols=1)
    table.rows[0].cells[0].text = "Rij"
    table.rows[1].cells[0].text = "{%tr for r in rijen %}"
    row = table.add_row()
    row.cells[0].text = "{{ r }}"
    end = table.add_row()
    end.cells[0].text = "{%tr endfor %}"
    path = folder / "docxtpl-sjabloon.docx"
    document.save(str(path))
    return path


def docxtpl_context(draft_blocks: list[blocks.Block], name: str) -> dict[str, object]:
    items: list[dict[str, object]] = []
    rows: list[str] = []
    for block in draft_blocks:
        if isinstance(block, blocks.Heading):
            items.append({"kop": block.level, "tekst": blocks.plain(block.runs)})
        elif isinstance(block, blocks.Paragraph):
            items.append({"kop": 0, "tekst": blocks.plain(block.runs)})
        elif isinstance(block, blocks.ListBlock):
            items.extend({"kop": 0, "lijst": True, "tekst": blocks.plain(i)} for i in block.items)
        elif isinstance(block, blocks.Table):
            rows.extend(" | ".join(blocks.plain(c) for c in r) for r in block.rows)
    return {
        "titel": "Beleidsnotitie internationale samenwerking",
        "gemeente": name,
        "blokken": items,
        "rijen": rows,
    }


def run_process(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def run_process_cpu(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock seconds and the CPU seconds of the process and everything it waited for
    (LibreOffice included): the CPU figure depends far less on what else the machine runs."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run_process(args, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_process_env(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--snel", action="store_true", help="fewer repetitions")
    parser.add_argument("--alleen-pdf", action="store_true", help="only the PDF batch (6)")
    parser.add_argument("--zonder-pdf", action="store_true", help="everything but the PDF batch (6)")
    parser.add_argument("--alleen-overschrijven", action="store_true", help="only the re-run (7)")
    options = parser.parse_args()
    if options.alleen_pdf or options.alleen_overschrijven:
        if options.alleen_pdf:
            rows = pdf_batch(1 if options.snel else 2)
        else:
            rows = overwrite_batch(3 if options.snel else 7)
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            print(f"{label:<{width}}  {value}")
        return 0
    repeat = 10 if options.snel else 40
    rows: list[tuple[str, str]] = []
    import compileall

    compileall.compile_dir(str(ROOT / "wizard"), quiet=1)  # what a wheel install does
    drafter = Drafter()
    loaded = drafter.load(EXAMPLE)
    drafter.docx(loaded)  # warm: compiled templates, prepared house style

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)

        # 1. one note in-process, side by side with docxtpl
        from docxtpl import DocxTemplate

        template = docxtpl_template(folder)
        context = docxtpl_context(drafter.draft(loaded).blocks, "Oosterhaven")

        def with_docxtpl() -> None:
            document = DocxTemplate(str(template))
            document.render(context)
            document.save(io.BytesIO())

        ours, theirs = side_by_side(lambda: drafter.docx(loaded), with_docxtpl, repeat)
        one, tpl = median_ms(ours), median_ms(theirs)
        rows.append(("1 notitie in het proces (answers → .docx)", f"{one:.1f} ms"))
        rows.append(("  zelfde inhoud met docxtpl", f"{tpl:.1f} ms  (docxtpl / wij = {tpl / one:.1f}x)"))

        # 2. a batch of 342 municipalities
        batch = write_batch(folder)
        out = folder / "uit"
        out.mkdir()
        note_only = ["--stukken", "notitie"]
        runs = [
            run_process(
                [str(TOOL), "maak", str(batch), "-o", str(out), "--overschrijven", *note_only], folder
            )
            for _ in range(1 if options.snel else 3)
        ]
        whole = statistics.median(runs)
        rows.append(
            (f"{MUNICIPALITIES} notities met 'maak map/ --stukken notitie' (2 kernen)", f"{whole:.2f} s")
        )
        both = run_process([str(TOOL), "maak", str(batch), "-o", str(out), "--overschrijven"], folder)
        rows.append(
            (
                f"  {MUNICIPALITIES} notities + {MUNICIPALITIES} raadsvoorstellen ('maak map/')",
                f"{both:.2f} s",
            )
        )
        rows.append(
            (
                "  docxtpl, na elkaar (geschat uit de mediaan)",
                f"{tpl * MUNICIPALITIES / 1000:.1f} s  ({tpl * MUNICIPALITIES / 1000 / whole:.1f}x)",
            )
        )
        pandoc = shutil.which("pandoc")
        if pandoc:
            source = folder / "notitie.md"
            source.write_text(blocks.outline(drafter.draft(loaded).blocks), encoding="utf-8")
            samples = [
                run_process([pandoc, str(source), "-o", str(folder / "p.docx")], folder) for _ in range(5)
            ]
            per = statistics.median(samples)
            rows.append(
                (
                    "  pandoc-proces per notitie (geschat)",
                    f"{per * MUNICIPALITIES:.1f} s  ({per * MUNICIPALITIES / whole:.1f}x)",
                )
            )
        else:
            rows.append(("  pandoc-proces per notitie", "niet gemeten (pandoc niet geïnstalleerd)"))

        # 3. a whole `maak` process vs the bare imports it cannot avoid
        target = folder / "een.docx"
        make = [str(TOOL), "maak", str(EXAMPLE), "-o", str(target), "--overschrijven", "--stukken", "notitie"]
        cold_cache = folder / "lege-cache"
        import os

        cold = statistics.median(
            [
                run_process_env(make, folder, {**os.environ, "XDG_CACHE_HOME": str(cold_cache / str(n))})
                for n in range(3)
            ]
        )
        bare = [sys.executable, "-c", "import docx, jinja2, yaml"]
        process: list[float] = []
        imports: list[float] = []
        for _ in range(5 if options.snel else 15):
            process.append(run_process(make, folder))
            imports.append(run_process(bare, folder))
        p, i = median_ms(process), median_ms(imports)
        rows.append(("1 'maak' als heel proces (notitie)", f"{p:.0f} ms"))
        rows.append(
            ("  alleen import van python-docx, jinja2, pyyaml", f"{i:.0f} ms  (maak / import = {p / i:.2f}x)")
        )
        rows.append(("  eerste keer, met een lege cache", f"{cold * 1000:.0f} ms"))

        # 4. the rule set on one answers file
        questionnaire = drafter.questionnaire
        values = facts.derive(loaded, questionnaire)
        evaluate_times: list[float] = []
        derive_times: list[float] = []
        for _ in range(2000):
            start = time.perf_counter()
            derived = facts.derive(loaded, questionnaire)
            middle = time.perf_counter()
            rules.evaluate(drafter.rules, derived, questionnaire)
            end = time.perf_counter()
            derive_times.append(middle - start)
            evaluate_times.append(end - middle)
        del values
        rows.append(
            (
                f"alle {len(drafter.rules.rules)} regels op 1 antwoordenbestand",
                f"{median_ms(evaluate_times) * 1000:.0f} µs (+ afgeleide waarden {median_ms(derive_times) * 1000:.0f} µs)",
            )
        )
        # 4b. saving one changed answer and one changed tie to a file the person has
        from wizard import roundtrip

        saving = folder / "bewaren"
        saving.mkdir()
        files = {way: saving / f"{way}.yaml" for way in ("stukken", "geheel")}
        opened = {}
        for way, path in files.items():
            shutil.copyfile(EXAMPLE, path)
            opened[way] = answers.load(path, questionnaire)
            answers.prepare_saving(path)
        written = roundtrip._WRITTEN[files["geheel"]]
        roundtrip._WRITTEN[files["geheel"]] = roundtrip._Written(written.text, written.doc, "", None)
        turns = {"stukken": 0, "geheel": 0}

        def save(way: str) -> None:  # as the web page does for each answer: change, then save
            turns[way] += 1
            values = opened[way].values
            values["budget_jaar"] = 190000 + turns[way] % 7
            values["partnerschappen"][0]["budgetplafond"] = 25000 + turns[way] % 5
            answers.save(opened[way], questionnaire, files[way])

        ours, theirs = side_by_side(lambda: save("stukken"), lambda: save("geheel"), repeat * 5)
        by_pieces, whole = median_ms(ours), median_ms(theirs)
        rows.append(("bewaren: 1 bedrag en 1 band gewijzigd (Oosterhaven)", f"{by_pieces:.1f} ms"))
        rows.append(
            ("  heel bestand opnieuw geschreven (zoals eerst)", f"{whole:.1f} ms  ({whole / by_pieces:.1f}x)")
        )

        # 5. the wizard's first question vs importing questionary
        try:
            import pexpect
        except ImportError:  # pragma: no cover - dev extra
            pexpect = None
        if pexpect is not None:
            first: list[float] = []
            bare_q: list[float] = []
            for number in range(5 if options.snel else 25):
                start = time.perf_counter()
                child = pexpect.spawn(
                    # --route: the first question itself, not the route choice that comes before it
                    str(TOOL),
                    ["start", f"w{number}.yaml", "--route", "volledig"],
                    cwd=str(folder),
                    encoding="utf-8",
                    timeout=20,
                )
                child.expect("Naam van de gemeente")
                first.append(time.perf_counter() - start)
                child.terminate(force=True)
                bare_q.append(run_process([sys.executable, "-c", "import questionary"], folder))
            f, q = median_ms(first), median_ms(bare_q)
            rows.append(("wizard: eerste vraag op het scherm", f"{f:.0f} ms"))
            rows.append(("  alleen import van questionary", f"{q:.0f} ms  (wizard / import = {f / q:.2f}x)"))

    if not options.zonder_pdf:
        rows.extend(pdf_batch(1 if options.snel else 2))
    width = max(len(label) for label, _ in rows)
    print(f"Mediaan van {repeat} herhalingen waar niet anders staat; Python {sys.version.split()[0]}.")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    return 0


def write_batch(folder: Path, mixed: bool = False) -> Path:
    """342 answers files, one per municipality, in `folder`/antwoorden: the example with
    another name; `mixed`: the three bundled examples in turn, each with another name."""
    batch = folder / ("gemengd" if mixed else "antwoorden")
    batch.mkdir()
    examples = sorted((ROOT / "voorbeelden").glob("*.yaml")) if mixed else [EXAMPLE]
    texts = [(path.read_text(encoding="utf-8"), path.stem.capitalize()) for path in examples]
    for number in range(MUNICIPALITIES):
        text, name = texts[number % len(texts)]
        (batch / f"gemeente-{number:03d}.yaml").write_text(
            text.replace(f"gemeente_naam: {name}", f"gemeente_naam: Gemeente {number}"),
            encoding="utf-8",
        )
    return batch


def overwrite_batch(rounds: int) -> list[tuple[str, str]]:
    """7. `maak map/ --overschrijven` into the folder that holds its 684 documents already,
    interleaved with the same run into a new folder; medians and their ratio."""
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        batch = write_batch(folder)
        filled = folder / "gevuld"
        run_process([str(TOOL), "maak", str(batch), "-o", str(filled)], folder)  # also fills the cache
        new: list[tuple[float, float]] = []
        again: list[tuple[float, float]] = []
        for number in range(rounds):
            fresh = folder / f"nieuw-{number}"
            new.append(run_process_cpu([str(TOOL), "maak", str(batch), "-o", str(fresh)], folder))
            again.append(
                run_process_cpu([str(TOOL), "maak", str(batch), "-o", str(filled), "--overschrijven"], folder)
            )
            shutil.rmtree(fresh)
    rows = []
    for index, what in ((0, "kloktijd"), (1, "processortijd")):
        n = statistics.median(t[index] for t in new)
        a = statistics.median(t[index] for t in again)
        rows += [
            (
                f"{MUNICIPALITIES} notities + raadsvoorstellen in een nieuwe map, {what} (mediaan van {rounds})",
                f"{n:.2f} s",
            ),
            (
                f"  opnieuw, met --overschrijven in de gevulde map, {what}",
                f"{a:.2f} s  (opnieuw / nieuw = {a / n:.2f}x)",
            ),
            (
                f"  alle metingen nieuw / opnieuw, {what}",
                " ".join(f"{x[index]:.1f}/{y[index]:.1f}" for x, y in zip(new, again, strict=True)),
            ),
        ]
    return rows


def pdf_batch(rounds: int) -> list[tuple[str, str]]:
    """6. The whole batch to .docx and .pdf: the PDF set by Typst (the default) side by side
    with the PDF made from the .docx by LibreOffice (`--pdf-via libreoffice`, two processes),
    interleaved. Every run must write all 4 x 342 files."""
    from wizard import office

    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        batch = write_batch(folder)
        mixed = write_batch(folder, mixed=True)

        def arguments(out: str, via: str, source: Path = batch) -> list[str]:
            target = str(folder / out)
            options = ("--formaat", "docx,pdf", "--overschrijven", "--pdf-via", via)
            return [str(TOOL), "maak", str(source), "-o", target, *options]

        def complete(out: str) -> None:
            made = len(list((folder / out).glob("*.pdf"))), len(list((folder / out).glob("*.docx")))
            if made != (2 * MUNICIPALITIES, 2 * MUNICIPALITIES):
                raise SystemExit(f"{out}: {made[0]} PDF- en {made[1]} Word-bestanden in plaats van 2 x 684")

        libreoffice = office.find() is not None
        typst: list[tuple[float, float]] = []
        soffice: list[tuple[float, float]] = []
        varied: list[tuple[float, float]] = []
        for _ in range(rounds):
            typst.append(run_process_cpu(arguments("typst", "typst"), folder))
            complete("typst")
            varied.append(run_process_cpu(arguments("gemengd", "typst", mixed), folder))
            complete("gemengd")
            if libreoffice:
                soffice.append(run_process_cpu(arguments("libreoffice", "libreoffice"), folder))
                complete("libreoffice")
    t = statistics.median(wall for wall, _ in typst)
    tc = statistics.median(cpu for _, cpu in typst)
    label = f"{MUNICIPALITIES} notities + {MUNICIPALITIES} raadsvoorstellen naar .docx en .pdf"
    rows = [(f"{label} (PDF door Typst, standaard)", f"{t:.1f} s (CPU {tc:.1f} s)")]
    v = statistics.median(wall for wall, _ in varied)
    vc = statistics.median(cpu for _, cpu in varied)
    # Typst lays out a paragraph two documents share only once per process; in this run
    # the files are the three examples in turn, so fewer paragraphs are shared.
    rows.append(("  hetzelfde met de drie voorbeelden om de beurt (Typst)", f"{v:.1f} s (CPU {vc:.1f} s)"))
    if soffice:
        o = statistics.median(wall for wall, _ in soffice)
        oc = statistics.median(cpu for _, cpu in soffice)
        rows.append(
            (
                "  PDF door LibreOffice (--pdf-via libreoffice)",
                f"{o:.1f} s (CPU {oc:.1f} s)  (LibreOffice / Typst = {o / t:.1f}x, CPU {oc / tc:.1f}x)",
            )
        )
    else:
        rows.append(("  PDF door LibreOffice", "niet gemeten (LibreOffice ontbreekt)"))
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
