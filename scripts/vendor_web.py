"""Copy the NL Design System CSS, its fonts and axe-core from npm into the repository.

    python3 scripts/vendor_web.py

Uses `npm pack` (the npm registry, no CDN) for the exact versions below, and copies only
the files the web page needs, each with its licence. To update: change a version here,
run the script, look at the pages (tests/test_web_browser.py takes screenshots) and commit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "wizard" / "web" / "static" / "vendor"
TEST_VENDOR = ROOT / "tests" / "vendor"

# package@version → (target folder, [(file in the package, name in the target)])
PACKAGES: dict[str, tuple[Path, list[tuple[str, str]]]] = {
    "@utrecht/component-library-css@9.0.4": (
        STATIC / "utrecht-component-library-css",
        [("dist/index.css", "index.css"), ("LICENSE.md", "LICENSE.md")],
    ),
    "@nl-design-system-unstable/voorbeeld-design-tokens@7.4.1": (
        STATIC / "voorbeeld-design-tokens",
        [("dist/theme.css", "theme.css"), ("LICENSE.md", "LICENSE.md")],
    ),
    "@fontsource/noto-sans@5.3.0": (
        STATIC / "noto-sans",
        [
            ("files/noto-sans-latin-400-normal.woff2", "noto-sans-latin-400-normal.woff2"),
            ("files/noto-sans-latin-700-normal.woff2", "noto-sans-latin-700-normal.woff2"),
            ("LICENSE", "LICENSE"),
        ],
    ),
    "axe-core@4.14.1": (
        TEST_VENDOR / "axe-core",
        [("axe.min.js", "axe.min.js"), ("LICENSE", "LICENSE")],
    ),
}


def main() -> int:
    npm = shutil.which("npm")
    if npm is None:
        print("npm ontbreekt; installeer Node.js om de bestanden bij te werken.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        for spec, (target, files) in PACKAGES.items():
            result = subprocess.run(
                [npm, "pack", "--silent", spec], cwd=work, capture_output=True, text=True, check=True
            )
            archive = work / result.stdout.strip().splitlines()[-1]
            unpacked = work / archive.stem
            with tarfile.open(archive) as tar:
                tar.extractall(unpacked, filter="data")
            target.mkdir(parents=True, exist_ok=True)
            for source, name in files:
                shutil.copyfile(unpacked / "package" / source, target / name)
            (target / "VERSION").write_text(spec + "\n", encoding="utf-8")
            print(f"{spec} → {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
