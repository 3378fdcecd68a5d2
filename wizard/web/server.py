"""`beleidsnotitie web`: start the local server on 127.0.0.1 and open the browser.

`werksessie --netwerk` listens on one local-network address of this computer instead (found
as the address the system would use to reach the outside, without sending anything, or
given as `--netwerk ADRES`), prints a warning, and shows each group a short link and a
QR code; without it nothing but this computer can reach the server.

The socket is bound first (port 0 lets the system pick a free port) and handed to
uvicorn, so no other program can take the port in between. The address with the
access token is printed and opened in the default browser; the server logs no
requests (the token and cookie never land in a log). Ctrl-C stops it; every answer
was already saved.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.lock import Lock

HOST = "127.0.0.1"
AUTO = "automatisch"  # `--netwerk` without an address
DEFAULT_FILE = Path("antwoorden.yaml")


NETWORK_WARNING = (
    "Let op: met --netwerk is de werksessie te openen vanaf andere apparaten in het lokale "
    "netwerk, op {host}. Wie in dit netwerk een link of code van een groep kent, kan meedoen; "
    "het verkeer is niet versleuteld. Gebruik dit alleen in een netwerk dat u vertrouwt, "
    "bijvoorbeeld een eigen wifi-hotspot, en niet op openbare of gasten-wifi (daar kunnen "
    "apparaten elkaar vaak ook niet bereiken). Windows kan vragen of beleidsnotitie "
    "verbindingen mag ontvangen: sta dat alleen toe voor particuliere netwerken."
)


def bind(port: int = 0, host: str = HOST) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def run(args: argparse.Namespace) -> int:
    """`beleidsnotitie web [ANTWOORDEN.yaml]`."""
    return serve(args.antwoorden or DEFAULT_FILE, args)


def serve(path: Path, args: argparse.Namespace, groups: dict[str, Path] | None = None) -> int:
    """Serve `path` (and in a werksessie one file per group) until Ctrl-C, holding their locks."""
    locks = take_locks([path, *(groups or {}).values()])
    try:
        return _serve(path, args, groups or {})
    finally:
        for lock in locks:
            lock.release()


def take_locks(paths: list[Path]) -> list[Lock]:
    """The same lock per answers file as `start`: one session per file, web or terminal."""
    from wizard.errors import UserError
    from wizard.lock import Lock, LockedError

    locks: list[Lock] = []
    try:
        for file in paths:
            locks.append(Lock.take(file))
    except LockedError as exc:
        for lock in locks:
            lock.release()
        raise UserError(exc.message, exc.hint) from exc
    return locks


def _serve(path: Path, args: argparse.Namespace, groups: dict[str, Path]) -> int:
    import uvicorn

    from wizard.draft import Drafter
    from wizard.web.app import create_app
    from wizard.web.guard import Keys
    from wizard.web.walk_adapter import Walk

    drafter = Drafter(rule_dirs=tuple(args.regels), skip_rules=tuple(args.zonder_regel))
    walk = Walk(drafter.questionnaire, drafter.rules, path)
    group_walks = {name: Walk(drafter.questionnaire, drafter.rules, file) for name, file in groups.items()}
    for each in (*group_walks.values(), walk) if getattr(args, "route", None) and group_walks else ():
        each.set_route(args.route)  # werksessie --route: every group on one route
    from wizard.errors import UserError

    host = network_address(args.netwerk) if getattr(args, "netwerk", None) else HOST
    try:
        sock = bind(args.poort, host)
    except OSError as exc:
        if host != HOST and args.poort == 0:
            raise UserError(
                f"het adres {host} hoort niet bij deze computer ({exc.strerror}).",
                "Geef het adres van deze computer in het lokale netwerk, of laat het weg na --netwerk.",
            ) from exc
        raise UserError(
            f"poort {args.poort} op {host} is niet vrij ({exc.strerror}).",
            "Kies een andere poort met --poort, of laat --poort weg.",
        ) from exc
    keys = Keys(port=sock.getsockname()[1], groups=tuple(group_walks), host=host)
    app = create_app(walk, keys, drafter, group_walks)
    config = uvicorn.Config(
        app,
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=2,
        lifespan="off",
        server_header=False,
    )
    server = uvicorn.Server(config)
    url = keys.start_url()
    if host != HOST:
        print(_wrap(NETWORK_WARNING.format(host=host)), flush=True)
    if group_walks:
        print(f"Werksessie in {path.parent.resolve()}: {len(group_walks)} groepen.", flush=True)
        for name in group_walks:
            short = f" (kort: {keys.short_url(name)})" if host != HOST else ""
            print(f"  Link voor {name.replace('-', ' ')}: {keys.start_url(name)}{short}", flush=True)
        print(f"Projectie en gecombineerde antwoorden (voor u): {url}", flush=True)
    else:
        print(f"Uw antwoorden: {path.resolve()}", flush=True)
        print(f"De vragenlijst staat klaar op: {url}", flush=True)
    if host == HOST:
        print("Deze pagina is alleen op deze computer te openen. Stoppen: Ctrl-C.", flush=True)
    else:
        print("De projectiepagina toont de korte links met een QR-code. Stoppen: Ctrl-C.", flush=True)
    if not args.geen_browser:
        threading.Thread(target=_open_when_ready, args=(server, url), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # Ctrl-C is how this command is meant to stop: uvicorn has shut down cleanly
    finally:
        sock.close()
    again = f"werksessie {path.parent}" if group_walks else f"web {path}"
    print(
        f"Gestopt. De antwoorden zijn bewaard in {path.parent if group_walks else path}. "
        f"Verder: beleidsnotitie {again}",
        file=sys.stderr,
    )
    return 0


def network_address(given: str) -> str:
    """The local-network address to listen on: `given`, or the one this computer uses outward.

    Connecting a UDP socket sends no packet; it only asks the system which of its addresses
    it would use (192.0.2.1 is a documentation address, never reached)."""
    import ipaddress

    from wizard.errors import UserError

    if given != AUTO:
        try:
            return str(ipaddress.IPv4Address(given))
        except ValueError as exc:
            raise UserError(
                f"'{given}' is geen IPv4-adres.", "Bijvoorbeeld: --netwerk 192.168.1.20, of alleen --netwerk."
            ) from exc
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found = str(probe.getsockname()[0])
    except OSError:
        found = ""
    if not found or ipaddress.IPv4Address(found).is_loopback or ipaddress.IPv4Address(found).is_unspecified:
        raise UserError(
            "deze computer is niet met een lokaal netwerk verbonden.",
            "Verbind hem met een (wifi-)netwerk of hotspot, of geef het adres: --netwerk 192.168.1.20.",
        )
    return found


def _wrap(text: str) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, 88))


def _open_when_ready(server: object, url: str) -> None:
    import time

    for _ in range(200):
        if getattr(server, "started", False):
            break
        time.sleep(0.05)
    webbrowser.open(url)
