"""Kill the process (SIGKILL) at random moments while it saves answers and writes documents."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest

from wizard import answers
from wizard.questionnaire import Questionnaire

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX-only")

WRITER = """
import sys
from pathlib import Path
from wizard import answers, questionnaire
from wizard.draft import Drafter
from wizard import atomic
q = questionnaire.load()
target, document = Path(sys.argv[1]), Path(sys.argv[2])
drafter = Drafter()
versions = [answers.Answers({"gemeente_naam": "Oud", "visie": "a" * 5000}),
            answers.Answers({"gemeente_naam": "Nieuw", "visie": "b" * 9000, "inwoners": 12000})]
docs = [drafter.docx(v) for v in versions]
print("klaar", flush=True)
i = 0
while True:
    answers.save(versions[i % 2], q, target)
    atomic.write_bytes(document, docs[i % 2])
    i += 1
"""


def test_sigkill_never_leaves_a_broken_file(tmp_path: Path, questionnaire: Questionnaire) -> None:
    target, document = tmp_path / "a.yaml", tmp_path / "a.docx"
    rng = random.Random(20261123)
    seen: set[str] = set()
    for _ in range(25):
        with subprocess.Popen(
            [sys.executable, "-c", WRITER, str(target), str(document)], stdout=subprocess.PIPE, text=True
        ) as process:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "klaar"
            time.sleep(rng.uniform(0.0, 0.15))
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        if target.exists():
            values = answers.load(target, questionnaire).values
            assert values["gemeente_naam"] in ("Oud", "Nieuw")
            assert values["visie"] in ("a" * 5000, "b" * 9000)
            seen.add(values["gemeente_naam"])
        if document.exists():
            text = "\n".join(p.text for p in docx.Document(str(document)).paragraphs)
            assert "Gemeente Oud" in text or "Gemeente Nieuw" in text
    assert seen  # the writer got far enough to save at least once
