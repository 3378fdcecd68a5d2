"""Convert .docx files to ODT and PDF in one LibreOffice process, tables of contents filled in.

This script runs under LibreOffice's own Python (the one that can `import uno`:
Debian's python3 with python3-uno, or program/python.exe on Windows), not under
the tool's interpreter, so it uses nothing but the standard library and uno.
wizard/office.py starts it and talks to it in JSON:

    stdin:  one line {"soffice": path, "profile": folder,
             "files": [{"source": docx, "targets": [{"format": "odt"|"pdf", "path": p}]}]};
            then nothing, but the pipe stays open: when it closes (the tool ended, or
            gave up on a document), this script ends LibreOffice and removes the profile.
    stdout: {"started": pid} when LibreOffice is started, {"ready": true} once it runs,
            then per file {"working": docx} and {"source": docx, "ok": true}
            or {..., "ok": false, "error": text}

Why UNO and not `soffice --convert-to`: --convert-to keeps the table of contents
as the .docx carries it (entries without page numbers). Here every index is
updated after loading, so the ODT and the PDF show real page numbers.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

START_TIMEOUT = 60.0

# PDF: tagged (structure for screen readers), PDF/A-2b for archiving, PDF/UA marks,
# the title (not the file name) in the window, bookmarks from the headings.
PDF_OPTIONS = {
    "UseTaggedPDF": True,
    "SelectPdfVersion": 2,
    "PDFUACompliance": True,
    "DisplayPDFDocumentTitle": True,
    "ExportBookmarks": True,
    "ExportNotes": False,
    "UseLosslessCompression": True,
}
FILTERS = {"odt": "writer8", "pdf": "writer_pdf_Export"}
_PROCESS: list[subprocess.Popen[bytes]] = []  # LibreOffice, once started


def _props(**values: Any) -> tuple[Any, ...]:
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        out.append(prop)
    return tuple(out)


def _connect(soffice: str, profile: str) -> tuple[Any, subprocess.Popen[bytes]]:
    pipe = f"beleidsnotitie-{os.getpid()}"
    process = subprocess.Popen(  # noqa: S603 - a program we located, no shell
        [
            soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **_own_group(),
    )
    _PROCESS.append(process)
    print(json.dumps({"started": process.pid}), flush=True)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if process.poll() is not None or time.monotonic() > deadline:
                _end(process)
                raise RuntimeError("LibreOffice startte niet.") from None
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    return desktop, process


def _convert(desktop: Any, job: dict[str, Any]) -> None:
    source = Path(job["source"]).resolve().as_uri()
    document = desktop.loadComponentFromURL(source, "_blank", 0, _props(Hidden=True))
    if document is None:
        raise RuntimeError("LibreOffice kon het document niet openen.")
    try:
        indexes = document.getDocumentIndexes()
        for _ in range(2):  # the second pass settles page numbers the first one moved
            for number in range(indexes.getCount()):
                indexes.getByIndex(number).update()
            document.getTextFields().refresh()
        for target in job["targets"]:
            kind = target["format"]
            options: dict[str, Any] = {"FilterName": FILTERS[kind], "Overwrite": True}
            if kind == "pdf":
                options["FilterData"] = uno.Any("[]com.sun.star.beans.PropertyValue", _props(**PDF_OPTIONS))
            document.storeToURL(Path(target["path"]).resolve().as_uri(), _props(**options))
    finally:
        document.close(True)


def _own_group() -> dict[str, Any]:
    """LibreOffice in a process group of its own, so it ends with all its helpers."""
    if os.name == "nt":
        return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200)}
    return {"start_new_session": True}


def _end(process: subprocess.Popen[bytes]) -> None:
    """End LibreOffice and every process it started."""
    if os.name == "nt":
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(  # noqa: S603 - Windows' own tool, no shell
                ["taskkill", "/F", "/T", "/PID", str(process.pid)],  # noqa: S607
                capture_output=True,
                timeout=30,
                check=False,
            )
    else:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()


def _watch_parent(profile: str) -> None:
    """When the pipe from the tool closes, end LibreOffice, remove its profile and stop."""
    with contextlib.suppress(OSError, ValueError):
        while sys.stdin.buffer.read(65536):
            pass
    for process in _PROCESS:
        _end(process)
    shutil.rmtree(profile, ignore_errors=True)
    os._exit(1)


def main() -> int:
    request = json.loads(sys.stdin.buffer.readline())
    threading.Thread(target=_watch_parent, args=(request["profile"],), daemon=True).start()
    desktop, process = _connect(request["soffice"], request["profile"])
    print(json.dumps({"ready": True}), flush=True)
    try:
        for job in request["files"]:
            print(json.dumps({"working": job["source"]}), flush=True)
            try:
                _convert(desktop, job)
                result = {"source": job["source"], "ok": True}
            except Exception as exc:  # one bad file must not stop the batch
                result = {"source": job["source"], "ok": False, "error": f"{type(exc).__name__}: {exc}"}
            print(json.dumps(result), flush=True)
    finally:
        with contextlib.suppress(Exception):  # the process may already be gone; it is ended below
            desktop.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _end(process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
