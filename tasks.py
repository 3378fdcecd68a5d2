"""Set-up and everyday tasks, with nothing but Python itself (Windows and Linux).

    python3 tasks.py voorbeeld   make a virtualenv, install, draft a note and raadsvoorstel from an example
    python3 tasks.py test        make a virtualenv with the dev tools, install LibreOffice
                                 and Chromium where needed, run ruff, mypy and the whole test suite
    python3 tasks.py bench       run the side-by-side benchmarks (benchmarks/run.py)

Each task creates what it needs by itself and is quick when nothing changed.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
EXAMPLE = "oosterhaven"
# LibreOffice converts to ODT and PDF; python3-uno lets the tool drive it (tables of contents).
DEBIAN_PACKAGES = ["libreoffice-writer-nogui", "python3-uno", "fonts-liberation2", "fonts-dejavu-core"]
# The browser tests of `beleidsnotitie web` drive Debian's Chromium with Playwright.
DEBIAN_PACKAGES += ["chromium"]


def _python() -> Path:
    if platform.system() == "Windows":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _bin(name: str) -> str:
    folder = VENV / ("Scripts" if platform.system() == "Windows" else "bin")
    return str(folder / (name + (".exe" if platform.system() == "Windows" else "")))


def _run(*command: str, **kwargs: object) -> None:
    print("$ " + " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT, **kwargs)  # type: ignore[call-overload]


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project (editable) with `extras`, once per change."""
    if not _python().exists():
        print(f"Virtuele omgeving maken in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    _run(str(_python()), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    _run(str(_python()), "-m", "pip", "install", "--quiet", "-e", target)
    stamp.write_text(digest)


def _missing_debian_packages() -> list[str]:
    """The packages of DEBIAN_PACKAGES that dpkg does not know as installed."""
    missing = []
    for package in DEBIAN_PACKAGES:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True, check=False
        )
        if "install ok installed" not in status.stdout:
            missing.append(package)
    return missing


def ensure_libreoffice() -> None:
    """Install LibreOffice Writer, its Python bridge and the fonts from Debian's packages when
    missing: the tests convert documents for real, and Arial needs its metric twin."""
    if platform.system() != "Linux" or not shutil.which("apt-get"):
        if not (shutil.which("soffice") or shutil.which("libreoffice")):
            print(
                "LibreOffice ontbreekt; installeer het om alle tests te draaien (https://www.libreoffice.org)."
            )
        return
    missing = _missing_debian_packages()
    if missing:
        _apt_install(*missing)


def _apt_install(*packages: str) -> None:
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _run(*prefix, "apt-get", "update", "-qq", env=env)
    _run(*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages, env=env)


def task_example() -> int:
    ensure_venv("")
    out = ROOT / "uitvoer"
    out.mkdir(exist_ok=True)
    target = out / f"{EXAMPLE}.docx"
    _run(
        _bin("beleidsnotitie"),
        "maak",
        str(ROOT / "voorbeelden" / f"{EXAMPLE}.yaml"),
        "-o",
        str(target),
        "--overschrijven",
    )
    proposal = out / f"{EXAMPLE}-raadsvoorstel.docx"
    print(f"\nKlaar. Open {target} (de notitie) en {proposal} in Word of LibreOffice.")
    return 0


def task_test(args: list[str]) -> int:
    ensure_venv("dev")
    ensure_libreoffice()
    _run(_bin("ruff"), "check", ".")
    _run(_bin("ruff"), "format", "--check", ".")
    _run(_bin("mypy"))
    _run(_bin("pytest"), "-q", *args)
    return 0


def task_bench(args: list[str]) -> int:
    ensure_venv("dev,bench")
    ensure_libreoffice()  # the PDF batch (benchmarks/run.py, part 6)
    if not shutil.which("pandoc") and platform.system() == "Linux" and shutil.which("apt-get"):
        _apt_install("pandoc")  # the benchmark compares with a pandoc process per note
    _run(str(_python()), "benchmarks/run.py", *args)
    return 0


def main(argv: list[str]) -> int:
    task = argv[0] if argv else ""
    try:
        if task == "voorbeeld":
            return task_example()
        if task == "test":
            return task_test(argv[1:])
        if task == "bench":
            return task_bench(argv[1:])
    except subprocess.CalledProcessError as exc:
        print(f"\nMislukt: {' '.join(map(str, exc.cmd))} (status {exc.returncode})", file=sys.stderr)
        return exc.returncode or 1
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
