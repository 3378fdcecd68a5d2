"""Kill the process (SIGKILL) at random moments while it saves answers and writes documents."""

from __future__ import annotations

import os
import random
import re
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


# --- hostile round 3 (D23): no hidden temporary file after SIGTERM, SIGHUP or kill -9 ---------


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text:
            found.append(int(status.parent.name))
    return found


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and ".tmp" in p.name)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc to find the workers")
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_sigterm_or_sighup_of_a_batch_stops_like_ctrl_c_and_leaves_no_temporary_file(
    tmp_path: Path, name: str
) -> None:
    from wizard.resources import examples_dir

    number = getattr(signal, name)
    inputs, out = tmp_path / "in", tmp_path / "uit"
    inputs.mkdir()
    text = (examples_dir() / "lindewijk.yaml").read_bytes()
    for index in range(120):
        (inputs / f"g{index:03}.yaml").write_bytes(text)
    with subprocess.Popen(
        [sys.executable, "-m", "wizard", "maak", str(inputs), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        written = 0
        for line in process.stdout:
            written += line.startswith("Geschreven:")
            if written >= 3:
                break
        workers = _children(process.pid)
        process.send_signal(number)
        _, errors = process.communicate(timeout=60)
    assert process.returncode == 128 + number
    assert errors.rstrip().endswith("Gestopt.") and "Traceback" not in errors
    assert _leftovers(out) == []
    assert len(list(out.glob("*.docx"))) < 240  # it stopped before the end
    time.sleep(0.5)
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists()] == []


KEEPS_WRITING = """
import sys
from pathlib import Path
from wizard import atomic
target = Path(sys.argv[1])
data = b"x" * 4_000_000
print("klaar", flush=True)
while True:
    atomic.write_bytes(target, data)
"""


def test_what_a_kill_9_leaves_behind_is_removed_by_the_next_run_in_that_folder(tmp_path: Path) -> None:
    """kill -9 cannot be caught: kill a process that keeps writing until one kill leaves a
    hidden temporary file, then one `maak` into that folder removes it (its process is gone)."""
    from wizard.resources import examples_dir

    folder = tmp_path / "uit"
    folder.mkdir()
    left: list[str] = []
    for _ in range(40):  # bounded: in practice the first few kills leave one
        with subprocess.Popen(
            [sys.executable, "-c", KEEPS_WRITING, str(folder / "groot.bin")],
            stdout=subprocess.PIPE,
            text=True,
        ) as process:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "klaar"
            time.sleep(0.05)
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        left = _leftovers(folder)
        if left:
            break
    assert left and all(re.fullmatch(r"\.groot\.bin\.[0-9a-f]{6}-\d+\.\w+\.tmp", n) for n in left)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "wizard",
            "maak",
            str(examples_dir() / "lindewijk.yaml"),
            "-o",
            str(folder) + "/",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr
    assert _leftovers(folder) == []
    assert sorted(p.name for p in folder.iterdir()) == [
        "groot.bin",
        "lindewijk-raadsvoorstel.docx",
        "lindewijk.docx",
    ]


def test_a_temporary_file_of_a_process_that_still_runs_is_left_alone(tmp_path: Path) -> None:
    """Two runs into one folder: the sweep never takes the file another live process writes."""
    from wizard import atomic

    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as other:
        try:
            alive = tmp_path / f".uit.docx.{atomic.HOST}-{other.pid}.abcd1234.tmp"
            alive.write_bytes(b"half")
            atomic.write_bytes(tmp_path / "ander.docx", b"klaar")
            assert alive.exists()
        finally:
            other.kill()


def test_a_stop_between_creating_a_temporary_file_and_noting_it_leaves_nothing(tmp_path: Path) -> None:
    """The window a SIGTERM can hit: mkstemp made the file, `pending` does not know it yet.
    discard_pending still removes it (it carries this process's id), and nobody else's."""
    import tempfile

    from wizard import atomic

    atomic.sweep(tmp_path)  # the folder this run writes to
    prefix = f".uit.docx.{atomic.HOST}-{os.getpid()}."
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=tmp_path)
    os.close(handle)
    other = tmp_path / f".uit.docx.{atomic.HOST}-{os.getpid() + 1}.abcdefgh.tmp"
    other.write_bytes(b"")
    mine = tmp_path / "uit.docx"
    mine.write_bytes(b"the document itself")
    atomic.discard_pending()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other.name, "uit.docx"])
    assert Path(name).exists() is False
