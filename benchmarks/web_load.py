"""A bounded load test of `beleidsnotitie web` over loopback (never a timed test).

    .venv/bin/python benchmarks/web_load.py [--klanten 30] [--rondes 20]

Starts the real server on 127.0.0.1 with a copy of an example, then:
  1. the time from starting the command until the first page is served (plain HTTP), and,
     when Debian's Chromium is there, until that page is loaded in the browser;
  2. a werksessie with N groups, one client per group, each R rounds of: post one answer (checked and saved atomically)
     and fetch the page it redirects to (the part with its findings). Median and p95 of a round.
Traffic goes only to 127.0.0.1 and stops after N × R rounds.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import webserver  # noqa: E402
from tests.webserver import Server, request  # noqa: E402

EXAMPLE = ROOT / "voorbeelden" / "oosterhaven.yaml"


def login(server: Server, url: str = "") -> tuple[dict[str, str], str]:
    parts = urlsplit(url or server.url)
    _, headers, _ = request("GET", server, f"{parts.path}?{parts.query}")
    cookie = {"Cookie": headers["set-cookie"].split(";")[0]}
    _, _, body = request("GET", server, "/deel/geld", headers=cookie)
    token = body.decode().split('name="csrf" value="', 1)[1].split('"', 1)[0]
    return cookie, token


def first_page(folder: Path) -> tuple[float, float | None]:
    """Seconds from starting the command to the first page over HTTP, and in Chromium."""
    answers = folder / "eerste.yaml"
    shutil.copyfile(EXAMPLE, answers)
    began = time.perf_counter()
    server = webserver.start(answers)
    try:
        login(server)
        http = time.perf_counter() - began
    finally:
        server.stop()
    if shutil.which("chromium") is None:
        return http, None
    with webserver.browser() as browser:
        page = browser.new_context().new_page()
        began = time.perf_counter()
        server = webserver.start(answers)
        try:
            page.goto(server.url)
            page.wait_for_load_state("load")
            shown = time.perf_counter() - began
        finally:
            server.stop()
    return http, shown


def load(folder: Path, clients: int, rounds: int, pause: float) -> list[float]:
    """A werksessie with one group per client (each its own file, cookie and CSRF token)."""
    session = folder / f"sessie-{pause:g}"
    session.mkdir()
    for number in range(1, clients + 1):
        shutil.copyfile(EXAMPLE, session / f"groep-{number}.yaml")
    server = webserver.start(session, "--groepen", str(clients), command="werksessie")
    timings: list[float] = []
    failures: list[str] = []
    try:
        links = server.links()
        logins = [login(server, links[f"groep {number}"]) for number in range(1, clients + 1)]
        tie = "/deel/partnerschappen/partnerschappen/0"
        tie_forms = [
            webserver.form_data(request("GET", server, tie, headers=cookie)[2]) for cookie, _ in logins
        ]
        start = threading.Barrier(clients)

        def client(number: int) -> None:
            cookie, token = logins[number - 1]
            headers = {**cookie, "Content-Type": "application/x-www-form-urlencoded"}
            start.wait()
            # Each group answers on its own clock (one answer per `pause`, spread over the second):
            # people do not wait for each other, so one slow moment does not line them all up.
            begin = time.perf_counter() + pause * number / clients
            for round_ in range(rounds):
                time.sleep(max(0.0, begin + round_ * pause - time.perf_counter()))
                # Even rounds: an amount in the money part; odd rounds: the ceiling of a tie
                # (only that tie is written again).
                if round_ % 2:  # the whole item form, as the browser sends it, with a new ceiling
                    target = tie
                    form = [
                        (name, f"€ 25.{round_:03d}" if name == "veld.budgetplafond" else value)
                        for name, value in tie_forms[number - 1]
                    ]
                else:
                    target = "/deel/geld"
                    form = [("csrf", token), ("budget_jaar", f"€ {number}.{round_:03d}"), ("actie", "blijf")]
                began = time.perf_counter()
                status, reply, _ = request("POST", server, target, urlencode(form).encode(), headers)
                status2, _, page = request("GET", server, reply.get("location", "/"), headers=cookie)
                timings.append(time.perf_counter() - began)
                if status != 303 or status2 != 200 or not (b"Geld" in page or "Kırşehir".encode() in page):
                    failures.append(f"{status} {status2} {reply.get('location')}")

        threads = [threading.Thread(target=client, args=(n + 1,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        server.stop()
    if failures:
        raise SystemExit(f"{len(failures)} rounds failed, for example {failures[0]}")
    # Every group's file still reads, with its last amounts and the tie intact.
    from wizard import answers, questionnaire

    questions = questionnaire.load_cached()
    last = rounds - 1 - (rounds - 1) % 2, rounds - 1 if (rounds - 1) % 2 else rounds - 2
    for number in range(1, clients + 1):
        saved = answers.load(session / f"groep-{number}.yaml", questions).values
        tie = saved["partnerschappen"][0]
        if saved["budget_jaar"] != int(f"{number}{last[0]:03d}") or tie["budgetplafond"] != int(
            f"25{last[1]:03d}"
        ):
            raise SystemExit(f"groep {number}: not what was sent last ({saved['budget_jaar']}, {tie})")
        if tie["partner"] != "Kırşehir":
            raise SystemExit(f"groep {number}: the tie changed: {tie}")
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--klanten", type=int, default=30)
    parser.add_argument("--rondes", type=int, default=20)
    parser.add_argument("--pauze", type=float, default=1.0, help="seconds between two rounds of a client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        http, shown = first_page(folder)
        runs = [
            (pause, sorted(load(folder, args.klanten, args.rondes, pause))) for pause in (args.pauze, 0.0)
        ]
    print(f"first page over HTTP after the command: {http * 1000:.0f} ms")
    if shown is not None:
        print(f"first page loaded in Chromium after the command: {shown * 1000:.0f} ms")
    for pause, timings in runs:
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(
            f"werksessie, {args.klanten} groups × {args.rondes} rounds, pause {pause:g} s "
            f"(save one answer + the part with its findings): median {statistics.median(timings) * 1000:.1f} ms, "
            f"p95 {p95 * 1000:.1f} ms, max {timings[-1] * 1000:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
