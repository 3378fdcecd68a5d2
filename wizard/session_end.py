"""The end of the terminal walk: concept or definitief, the documents, ODT and PDF.

The documents come from the answering session (wizard/answering.py), which writes them
through the one publish path (wizard/publish.py) like `maak`.
"""

from __future__ import annotations

from pathlib import Path

from wizard.session_view import BLOCKING, TerminalView


class Finishing(TerminalView):
    def finish(self) -> int:
        """Choose concept or definitief, write both documents beside the answers file (through the
        session and the one publish path), say what the check found and offer ODT and PDF."""
        from wizard.rules import summary

        self.look()  # the documents say what the file holds now, hand edits too
        final = self.choose_version()  # first: the file names say concept or definitief
        targets = self.state.targets(final=final)
        existing = [t for t in targets if t.exists()]
        if existing:
            names = " en ".join(t.name for t in existing)
            if not self.prompter.confirm(
                f"{names} {'bestaat' if len(existing) == 1 else 'bestaan'} al. Vervangen?", default=False
            ):
                targets = self._free_names(final)
        self.say("De definitieve versie wordt gemaakt ..." if final else "De concepten worden gemaakt ...")
        self.look()
        targets, findings = self.state.write(targets, final)
        self.say("\nKlaar:")
        for target in targets:
            self.say(f"  {target.resolve()}")
        route_findings = self.state.findings()
        if self.state.profile is not None:  # a verantwoording: the findings are results
            self.say(f"Uit de controle: {summary(findings)}. Ze staan in de evaluatie.")
        elif final:
            self.say(
                f"Aandachtspunten: {summary(findings)}. De definitieve versie heeft geen bijlage daarmee."
            )
        else:
            self.say(f"Aandachtspunten: {summary(findings)}. Ze staan in de laatste bijlage van de notitie.")
        if route_findings.later_count and not final:
            self.say(f"Daarnaast: {route_findings.later_text()}; de bijlage vat ze per deel samen.")
        blocking = any(f.severity == BLOCKING for f in findings) or route_findings.later_blocking
        if blocking and self.state.profile is None:
            self.say("Los de blokkerende punten op voordat de notitie naar de raad gaat.")
        self.offer_open_formats(targets, final)
        return 0

    def choose_version(self) -> bool:
        """Ask for a concept or a definitive version; a definitive one only when nothing is
        open, or when the person accepts what is open after seeing every point."""
        versions = (
            [
                ("Concept", "concept"),
                ("Definitief (zonder 'Concept'; de uitkomsten van de controle blijven erin)", "definitief"),
            ]
            if self.state.profile is not None
            else [
                ("Concept (met de aandachtspunten als bijlage)", "concept"),
                ("Definitief (zonder aandachtspunten en zonder 'Concept')", "definitief"),
            ]
        )
        choice = self.prompter.menu(
            "Welke versie wilt u maken?",
            versions,
            default="concept",
        )
        if choice != "definitief":
            return False
        ready = self.state.readiness()
        if ready.ready:
            return True
        self.say("Er is nog iets open:")
        for line in ready.lines(self.state.question_of):
            self.say(f"  {line}")
        return bool(
            self.prompter.confirm(
                "Toch definitief maken? De open plekken blijven geel in het document.", default=False
            )
        )

    def _free_names(self, final: bool) -> list[Path]:
        """The first 'naam-2-…', 'naam-3-…' under which none of the documents exists yet."""
        number = 2
        while True:
            candidates = self.state.targets(final=final, stem=f"{self.path.stem}-{number}")
            if not any(c.exists() for c in candidates):
                return candidates
            number += 1

    def offer_open_formats(self, documents: list[Path], final: bool = False) -> None:
        """Offer PDF (set by the tool itself from the same text, no other program needed) and
        ODT (by LibreOffice, when it is there): the open standards municipalities exchange."""
        from wizard import office
        from wizard.errors import UserError

        found = office.find()
        question = "Ook een PDF en een OpenDocument-bestand (.odt) maken?" if found else "Ook een PDF maken?"
        if not documents or not self.prompter.confirm(question, default=False):
            later = "odt,pdf" if found else "pdf"
            command = f"maak {self.path}"
            if self.state.profile is not None:  # the evaluation reads the earlier years too
                files = [*(p.path for p in self.state.profile.earlier), self.path]
                command = "evaluatie " + " ".join(str(f) for f in files)
            self.say(f"Later kan dat ook: beleidsnotitie {command} --formaat {later}")
            return
        formats = ("pdf", "odt") if found else ("pdf",)
        existing = [
            d.with_suffix(f".{f}").name for d in documents for f in formats if d.with_suffix(f".{f}").exists()
        ]
        if existing and not self.prompter.confirm(
            f"{', '.join(existing)} bestaan al. Vervangen?", default=False
        ):
            self.say("De bestaande bestanden blijven zoals ze zijn.")
            return
        from wizard import atomic

        for document, kind in zip(documents, self.state.kinds, strict=False):
            target = document.with_suffix(".pdf")
            try:
                atomic.write_bytes(target, self.state.download(kind, "pdf", final), True)
            except UserError as exc:
                self.say(f"  Niet gelukt voor {target.name}: {exc.message}")
                continue
            self.say(f"  {target.resolve()}")
        if found is None:
            self.say(
                f"Een OpenDocument-bestand (.odt) maken kan alleen met LibreOffice. {office.install_hint()}"
            )
            return
        jobs = [office.Job(d, (("odt", d.with_suffix(".odt")),)) for d in documents]
        self.say("LibreOffice maakt de OpenDocument-bestanden ...")
        failures = office.convert(found, jobs)
        for job in jobs:
            if job.source in failures:
                self.say(f"  Niet gelukt voor {job.source.name}: {failures[job.source]}")
            else:
                for _, path in job.targets:
                    self.say(f"  {path.resolve()}")
