"""A wheel built from the repository works in a fresh virtualenv, run from another folder."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_finds_its_data(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = list(dist.glob("*.whl"))
    import zipfile

    from wizard import __version__

    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(archive.read(n) for n in names if n.endswith(".dist-info/METADATA")).decode()
        licence = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
        assert archive.read(licence).startswith(b"EUROPEAN UNION PUBLIC LICENCE v. 1.2")
        # The PDF's template and its bundled fonts, each font with its licence beside it.
        assert "wizard/data/templates/pdf/document.typ" in names
        for font in ("LiberationSans", "Carlito"):
            assert {f"wizard/fonts/{font}-Regular.ttf", f"wizard/fonts/{font}-Bold.ttf"} <= set(names)
            assert b"SIL OPEN FONT LICENSE Version 1.1" in archive.read(f"wizard/fonts/{font}-OFL.txt")
    assert f"Version: {__version__}\n" in metadata  # the one version, from wizard/__init__.py
    assert "License-Expression: EUPL-1.2" in metadata and "License-File: LICENSE" in metadata
    assert "Classifier: Natural Language :: Dutch" in metadata
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    python = bindir / ("python.exe" if sys.platform == "win32" else "python")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True
    )
    elsewhere = tmp_path / "ergens"
    elsewhere.mkdir()
    tool = str(bindir / "beleidsnotitie")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*args], cwd=elsewhere, capture_output=True, text=True, check=False)

    copied = run(tool, "voorbeeld", "oosterhaven")
    assert copied.returncode == 0, copied.stderr
    made = run(tool, "maak", "oosterhaven.yaml", "-o", "notitie.docx")
    assert made.returncode == 0, made.stderr
    assert (elsewhere / "notitie.docx").stat().st_size > 10_000
    made = run(tool, "maak", "oosterhaven.yaml", "-o", "notitie.pdf", "--stukken", "notitie")
    assert made.returncode == 0, made.stderr
    assert (elsewhere / "notitie.pdf").read_bytes().startswith(b"%PDF-")
    listed = run(str(python), "-m", "wizard", "regels", "--json")
    assert listed.returncode == 0 and "ramp-ad-hoc" in listed.stdout
    checked = run(tool, "toets", "oosterhaven.yaml")
    assert checked.returncode == 1 and "herkomstland-rol-migranten" in checked.stdout
    # the role controleren: its questionnaire, rules (a subfolder) and templates are in the wheel
    started = run(tool, "verantwoord", "oosterhaven.yaml", "--jaar", "2027")
    assert started.returncode == 0, started.stderr
    evaluated = run(tool, "evaluatie", "oosterhaven.verantwoording-2027.yaml")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "Controle over 2027:" in evaluated.stdout
    assert (elsewhere / "oosterhaven.verantwoording-2027-evaluatie-raadsvoorstel.docx").is_file()
