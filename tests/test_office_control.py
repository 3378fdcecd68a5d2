"""LibreOffice under control, and batches that stop cleanly: a hanging LibreOffice is given
up once per document, and nothing the tool started survives it, not even kill -9."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wizard import office
from wizard.errors import EXIT_ENVIRONMENT

from .conftest import example

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to find processes")

HANGING_SOFFICE = """#!/bin/sh
# Stands in for LibreOffice: starts, notes its process id, and never answers.
echo $$ >> "$NEP_PIDS"
exec sleep 300
"""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_until(condition: object, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def descendants(pid: int) -> set[int]:
    found = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


@pytest.fixture
def hanging_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if office.find() is None:
        pytest.fail("LibreOffice with python3-uno is needed (python3 tasks.py test installs it)")
    script = tmp_path / "soffice"
    script.write_text(HANGING_SOFFICE, encoding="utf-8")
    script.chmod(0o755)
    pids = tmp_path / "pids"
    monkeypatch.setenv("BELEIDSNOTITIE_SOFFICE", str(script))
    monkeypatch.setenv("NEP_PIDS", str(pids))
    return pids


def started(pids: Path) -> list[int]:
    return [int(line) for line in pids.read_text().split()] if pids.exists() else []


@pytest.mark.slow
def test_a_libreoffice_that_never_starts_is_given_up_once_and_ended(
    hanging_soffice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tempfile

    from wizard.cli import main

    own_temp = tmp_path / "tmp"  # other programs on this machine make profiles in /tmp too
    own_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own_temp))
    monkeypatch.setattr(office, "START_SECONDS", 3.0)
    out = tmp_path / "uit"
    code = main(
        ["maak", str(example("lindewijk")), "-o", f"{out}/", "--formaat", "pdf", "--pdf-via", "libreoffice"]
    )
    err = capsys.readouterr().err
    assert code == EXIT_ENVIRONMENT
    assert "lindewijk.pdf niet gemaakt: LibreOffice startte niet op tijd." in err
    assert "lindewijk-raadsvoorstel.pdf niet gemaakt: LibreOffice startte niet op tijd." in err
    pids = started(hanging_soffice)
    assert len(pids) == 2  # one per core, each started once: no retry of a LibreOffice that does not start
    assert wait_until(lambda: not any(alive(pid) for pid in pids), 30)
    assert list(out.iterdir()) == []  # no temporary files left
    assert list(own_temp.iterdir()) == []  # LibreOffice's temporary profiles and scratch files removed


SLOW_CONVERTER = """
import json, os, sys, time
from pathlib import Path
request = json.loads(sys.stdin.readline())
with open(os.environ["NEP_PIDS"], "a") as pids:
    pids.write(f"{os.getpid()}\\n")
print(json.dumps({"ready": True}), flush=True)
for job in request["files"]:
    print(json.dumps({"working": job["source"]}), flush=True)
    if Path(job["source"]).stem == "hangt":
        time.sleep(300)
    for target in job["targets"]:
        Path(target["path"]).write_text("%PDF-1.7 omgezet: " + Path(job["source"]).name + " %%EOF")
    print(json.dumps({"source": job["source"], "ok": True}), flush=True)
"""


@pytest.mark.slow
def test_a_document_that_hangs_is_given_up_once_and_the_rest_is_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    helper = tmp_path / "nep_omzetter.py"
    helper.write_text(SLOW_CONVERTER, encoding="utf-8")
    pids = tmp_path / "pids"
    monkeypatch.setenv("NEP_PIDS", str(pids))
    monkeypatch.setattr(office, "_HELPER", helper)
    monkeypatch.setattr(office, "DOCUMENT_SECONDS", 2.0)
    monkeypatch.setattr(office, "MAX_PROCESSES", 1)
    out = tmp_path / "uit"
    out.mkdir()
    jobs = []
    for name in ("a", "hangt", "b"):
        source = tmp_path / f"{name}.docx"
        source.write_bytes(b"docx")
        jobs.append(office.Job(source, (("pdf", out / f"{name}.pdf"),)))
    failures = office.convert(office.Office(Path("/usr/bin/soffice"), Path(sys.executable)), jobs)
    assert failures == {tmp_path / "hangt.docx": "LibreOffice reageerde niet op tijd bij dit document."}
    assert sorted(p.name for p in out.iterdir()) == ["a.pdf", "b.pdf"]
    helpers = started(pids)
    assert len(helpers) == 2  # the hanging one, then a fresh one for the rest
    assert wait_until(lambda: not any(alive(pid) for pid in helpers), 30)


def test_budget_grows_with_the_document() -> None:
    assert office.budget(2_000_000) > office.budget(20_000) >= office.DOCUMENT_SECONDS


def test_libreoffice_is_found_in_program_files_on_windows() -> None:
    env = {"PROGRAMFILES": r"C:\Program Files", "PROGRAMFILES(X86)": r"C:\Program Files (x86)"}
    places = [str(p) for p in office.install_places("Windows", env)]
    assert places[0].replace("\\", "/") == "C:/Program Files/LibreOffice/program/soffice.exe"
    assert any("Program Files (x86)" in p for p in places)


def test_beleidsnotitie_soffice_may_name_the_libreoffice_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "LibreOffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice.exe").write_bytes(b"")
    monkeypatch.setenv("BELEIDSNOTITIE_SOFFICE", f'"{tmp_path / "LibreOffice"}"')
    assert office._soffice() == program / "soffice.exe"


@pytest.mark.slow
def test_kill_9_of_a_batch_leaves_no_process_behind(hanging_soffice: Path, tmp_path: Path) -> None:
    """Kill the tool while its workers draft and while LibreOffice converts: nothing survives."""
    folder = tmp_path / "antwoorden"
    folder.mkdir()
    for number in range(300):
        shutil.copy(example("oosterhaven"), folder / f"gemeente-{number}.yaml")
    own_temp = tmp_path / "tmp"  # other programs on this machine make profiles in /tmp too
    own_temp.mkdir()
    env = {**os.environ, "BELEIDSNOTITIE_GEEN_CACHE": "1", "TMPDIR": str(own_temp)}
    for moment in ("drafting", "converting"):
        out = tmp_path / f"uit-{moment}"
        tool = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wizard",
                "maak",
                str(folder),
                "-o",
                str(out),
                "--formaat",
                "docx,pdf",
                "--pdf-via",
                "libreoffice",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        if moment == "drafting":
            assert wait_until(
                lambda t=tool, o=out: len(descendants(t.pid)) >= 2 and o.exists() and any(o.iterdir())
            )
        else:
            assert wait_until(lambda: len(started(hanging_soffice)) >= 2, 120)
        children = descendants(tool.pid)
        assert children
        os.kill(tool.pid, signal.SIGKILL)
        tool.wait()
        assert wait_until(lambda c=children: not any(alive(pid) for pid in c), 30), [
            Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children if alive(pid)
        ]
    assert not any(alive(pid) for pid in started(hanging_soffice))
    # The converters removed LibreOffice's temporary profiles when the pipe from the tool closed.
    assert wait_until(lambda: not list(own_temp.glob("beleidsnotitie-lo-*")), 30)


BROKEN_OUTPUT_CONVERTER = """
import json, sys
request = json.loads(sys.stdin.readline())
print(json.dumps({"ready": True}), flush=True)
sys.stdout.buffer.write(b"\\xff\\xfe geen JSON\\n")
sys.stdout.flush()
sys.stderr.buffer.write(b"LibreOffice zegt: \\xe9\\xff kapot\\n")
sys.exit(1)
"""


def test_output_of_libreoffice_that_is_not_utf8_is_read_with_replacements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    helper = tmp_path / "nep_omzetter.py"
    helper.write_text(BROKEN_OUTPUT_CONVERTER, encoding="utf-8")
    monkeypatch.setattr(office, "_HELPER", helper)
    source = tmp_path / "a.docx"
    source.write_bytes(b"docx")
    jobs = [office.Job(source, (("pdf", tmp_path / "a.pdf"),))]
    failures = office.convert(office.Office(Path("/usr/bin/soffice"), Path(sys.executable)), jobs)
    assert failures == {source: "LibreOffice stopte met een fout (LibreOffice zegt: \ufffd\ufffd kapot)."}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "nep_omzetter.py"]
