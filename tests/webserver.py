"""A real `beleidsnotitie web` process for the web tests, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str  # the first address, with the access token
    lines: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    def links(self) -> dict[str, str]:
        """In a werksessie: group name ('groep 1') → that group's first address."""
        pattern = re.compile(r"Link voor (.+?): (http://\S+)")
        return {m.group(1): m.group(2) for line in self.lines if (m := pattern.search(line))}

    @property
    def base(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def port(self) -> int:
        return int(urlsplit(self.url).port or 0)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._close()

    def kill(self) -> None:
        """As a crash or a closed laptop lid would: no chance to clean up."""
        self.process.kill()
        self.process.wait()
        self._close()

    def _close(self) -> None:
        if self.reader is not None:
            self.reader.join(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start(answers: Path, *extra: str, command: str = "web", files: int | None = None) -> Server:
    """Start the server on a free port and wait for the line with its (first) address.

    With command="werksessie", `answers` is the folder and the address is the advisor's;
    the groups' addresses are in `Server.links()`. `files` limits how many files the server
    may have open at once (POSIX only), as a small `ulimit -n` would."""

    def limit_files() -> None:
        import resource

        if files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

    process = subprocess.Popen(
        [sys.executable, "-m", "wizard", command, str(answers), "--geen-browser", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=answers.parent,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=limit_files if files is not None else None,
    )
    assert process.stdout is not None
    lines: list[str] = []
    found: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            match = re.search(r"http://127\.\d+\.\d+\.\d+:\d+/start\?token=\S+", line)  # loopback only
            if match and not found and "Link voor" not in line:
                found.append(match.group(0))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    for _ in range(600):
        if found or process.poll() is not None:
            break
        threading.Event().wait(0.05)
    if not found:
        Server(process, "", lines, reader).kill()
        raise AssertionError("the server printed no address:\n" + "".join(lines))
    server = Server(process, found[0], lines, reader)
    _wait_listening(server)
    return server


def _wait_listening(server: Server) -> None:
    for _ in range(200):
        try:
            request("GET", server, "/static/app.css")
            return
        except OSError:
            threading.Event().wait(0.05)
    raise AssertionError("the server does not answer")


def request(
    method: str,
    server: Server,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request over loopback; returns status, headers (lower case) and body."""
    # Always a loopback address (127.x.x.x): tests never reach a real network.
    connection = http.client.HTTPConnection(
        urlsplit(server.url).hostname or "127.0.0.1", server.port, timeout=30
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()


def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        raise AssertionError(
            "Chromium ontbreekt: `python3 tasks.py test` installeert het (Debian-pakket chromium)."
        )
    return path


@contextmanager
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright (never Playwright's own browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            yield instance
        finally:
            instance.close()


def axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A and AA) on the page as it is now; return the violations."""
    page.evaluate("() => document.fonts.ready")
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def form_data(page: bytes) -> list[tuple[str, str]]:
    """What a browser sends for the page's first POST form, as it stands (no button pressed)."""
    reader = _FormReader()
    reader.feed(page.decode("utf-8"))
    return reader.pairs


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []
        self._inside = self._done = False
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._done:
            return
        if tag == "form" and a.get("method", "").lower() == "post":
            self._inside = True
        if not self._inside or ("name" not in a and tag != "option"):
            return
        if tag == "input" and a.get("type", "text") not in {"submit", "button", "reset", "file", "image"}:
            if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                self.pairs.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.pairs += [(self._select, value) for value in chosen]  # none selected: the first one
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.pairs.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self._inside:
            self._inside, self._done = False, True
