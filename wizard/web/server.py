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

Hardened for a shared network (WEB.md, "Pitfalls"): at most MAX_CONNECTIONS connections at
once (and with `--netwerk` MAX_PER_ADDRESS from one device), every other one closed at once;
on 127.0.0.1 alone every connection comes from this computer's one address, the browser's many
tabs included, so there the cap per address is the cap in all; a connection
that sends no complete request within HEADER_TIMEOUT seconds is closed; when the computer
runs out of file handles anyway, one Dutch line is printed (at most once a minute) instead
of a traceback per refused connection; Ctrl-C first ends the projection's streams, so
stopping takes a fraction of a second and prints no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wizard.lock import Lock

HOST = "127.0.0.1"
AUTO = "automatisch"  # `--netwerk` without an address
DEFAULT_FILE = Path("antwoorden.yaml")
MAX_CONNECTIONS = 400  # a workshop of 30 groups needs some 30 x 6 browser connections
MAX_PER_ADDRESS = 64  # one device in the network (a browser opens at most 6 per site, plus the stream)
HEADER_TIMEOUT = 10.0  # seconds for a connection to send a complete request
BACKLOG = 256
NOTE_EVERY = 60.0  # seconds between two "too many connections" lines
OUT_OF_HANDLES = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)
OUT_OF_HANDLES_NOTE = (
    "Let op: de server heeft te veel verbindingen tegelijk open en neemt even geen nieuwe aan. "
    "Bewaarde antwoorden blijven bewaard. Gebeurt dit vaker, kijk dan welk apparaat in het "
    "netwerk zo veel verbindingen maakt."
)
LOOPBACK_NOTE = (
    "Let op: {host} is een adres van deze computer zelf. Andere apparaten kunnen de werksessie "
    "zo niet bereiken; laat het adres weg na --netwerk, of geef het adres van deze computer in "
    "het lokale netwerk (bijvoorbeeld 192.168.1.20)."
)


PORT_TAKEN_NOTE = (
    "Let op: poort {port}, waarop deze werksessie de vorige keer draaide, is nu bezet. De groepen "
    "krijgen daarom nieuwe links; hun antwoorden blijven bewaard. Geef de nieuwe links of QR-codes "
    "aan de groepen (pagina Meedoen)."
)


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
    if sys.platform != "win32":  # a port left in TIME_WAIT by a killed run may be taken again at once
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
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

    from wizard import accountability
    from wizard.draft import Drafter
    from wizard.web.app import create_app
    from wizard.web.guard import KEYS_FILE, MAIN, Keys, read_keys, write_keys
    from wizard.web.walk_adapter import Walk

    drafter = Drafter(rule_dirs=tuple(args.regels), skip_rules=tuple(args.zonder_regel))
    profile = None if groups else accountability.for_path(path, tuple(args.regels), tuple(args.zonder_regel))
    if profile is not None:  # a verantwoording (`kader:`): its questions, rules and documents
        walk = Walk(profile.questionnaire, None, path, profile=profile)
    else:
        walk = Walk(drafter.questionnaire, drafter.rules, path)
    for line in walk.notices:  # an older file or encoding, as `start` and the start page say it
        print(line, flush=True)
    group_walks = {name: Walk(drafter.questionnaire, drafter.rules, file) for name, file in groups.items()}
    for each in group_walks.values():  # a group's file: named, since the advisor hears of every file
        for line in each.notices_about(each.path.name):
            print(line, flush=True)
    for each in (*group_walks.values(), walk) if getattr(args, "route", None) and group_walks else ():
        each.set_route(args.route)  # werksessie --route: every group on one route
    from wizard.errors import UserError

    host = network_address(args.netwerk) if getattr(args, "netwerk", None) else HOST
    # A werksessie started again (after Ctrl-C, a crash, a laptop that restarted) keeps its links,
    # cookies and CSRF tokens, and its port when it is free: the groups' open pages go on working.
    keys_file = path.parent / KEYS_FILE if group_walks else None
    saved_port, roles = read_keys(keys_file) if keys_file is not None else (0, {})
    sock = None
    if saved_port and not args.poort:
        with contextlib.suppress(OSError):
            sock = bind(saved_port, host)
        if sock is None:
            print(_wrap(PORT_TAKEN_NOTE.format(port=saved_port)), flush=True)
    try:
        sock = sock or bind(args.poort, host)
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
    networked = bool(getattr(args, "netwerk", None))
    known = {name: role for name, role in roles.items() if name in (MAIN, *group_walks)}
    keys = Keys(
        port=sock.getsockname()[1], groups=tuple(group_walks), roles=known, host=host, network=networked
    )
    if keys_file is not None:
        write_keys(keys, keys_file)
    stopping = threading.Event()
    app = create_app(walk, keys, drafter, group_walks, stopping)
    config = uvicorn.Config(
        app,
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=2,
        timeout_keep_alive=5,
        backlog=BACKLOG,
        h11_max_incomplete_event_size=16 * 1024,  # request line and headers: a browser sends 2-4 KB
        http=guarded_protocol(connection_limit(), networked),
        lifespan="off",
        server_header=False,
    )
    server = make_server(config, stopping)
    url = keys.start_url()
    if networked:
        print(_wrap(NETWORK_WARNING.format(host=host)), flush=True)
        if is_loopback(host):
            print(_wrap(LOOPBACK_NOTE.format(host=host)), flush=True)
    if group_walks:
        print(f"Werksessie in {path.parent.resolve()}: {len(group_walks)} groepen.", flush=True)
        for name in group_walks:
            short = f" (kort: {keys.short_url(name)})" if networked else ""
            print(f"  Link voor {name.replace('-', ' ')}: {keys.start_url(name)}{short}", flush=True)
        print(f"Projectie en gecombineerde antwoorden (voor u): {url}", flush=True)
    else:
        print(f"Uw antwoorden: {path.resolve()}", flush=True)
        print(f"De vragenlijst staat klaar op: {url}", flush=True)
    if not networked:
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
            address = ipaddress.ip_address(given.strip("[]"))
        except ValueError as exc:
            raise UserError(
                f"'{given}' is geen IPv4-adres.", "Bijvoorbeeld: --netwerk 192.168.1.20, of alleen --netwerk."
            ) from exc
        if address.is_unspecified:
            what = "betekent 'alle adressen van deze computer'"
        elif address.is_multicast:
            what = "is een groepsadres (multicast)"
        elif address.version == 6:
            what = "is een IPv6-adres"
        else:
            return str(address)
        raise UserError(
            f"'{given}' {what}; de werksessie luistert alleen op één IPv4-adres in het lokale netwerk.",
            "Laat het adres weg na --netwerk (dan kiest beleidsnotitie het zelf), "
            "of geef één adres van deze computer, bijvoorbeeld --netwerk 192.168.1.20.",
        )
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


def is_loopback(host: str) -> bool:
    """Whether `host` is an address of this computer itself (127.x.x.x)."""
    import ipaddress

    return ipaddress.ip_address(host).is_loopback


def connection_limit() -> int:
    """MAX_CONNECTIONS, or fewer when this process may open fewer files (each connection is one)."""
    if sys.platform == "win32":
        return MAX_CONNECTIONS
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(8, min(MAX_CONNECTIONS, (soft - 64) // 2))


def guarded_protocol(limit: int, networked: bool = False) -> type[asyncio.Protocol]:
    """uvicorn's HTTP/1.1 protocol, with a cap on connections and a deadline for each request.

    A connection over the cap (in all, or with `networked` from one address) is closed as soon
    as it is accepted, so idle connections can never take all the file handles. The cap per
    address keeps one device of a werksessie from taking every place; without `--netwerk`
    only this computer can connect, always from its own address, so one user's many tabs (and
    a browser that opens connections ahead) get every place there is. One that has no
    request under way HEADER_TIMEOUT seconds after it opened, or after its last answer, is
    closed (slow or missing headers). Open streams are requests under way and stay."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    per_address = MAX_PER_ADDRESS if networked else limit

    class GuardedProtocol(H11Protocol):
        deadline: asyncio.TimerHandle | None = None
        accepted = False

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            peer = transport.get_extra_info("peername")
            address = peer[0] if isinstance(peer, tuple) and peer else ""
            same = sum(1 for other in self.connections if getattr(other, "address", None) == address)
            self.address = address
            if len(self.connections) >= limit or same >= per_address:
                transport.abort()  # before uvicorn knows of it: one file handle, freed at once
                return
            self.accepted = True
            super().connection_made(transport)
            self._start_deadline()

        def _start_deadline(self) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
            self.deadline = self.loop.call_later(HEADER_TIMEOUT, self._deadline_passed)

        def _deadline_passed(self) -> None:
            self.deadline = None
            if self.cycle is None or self.cycle.response_complete:
                self.transport.close()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._start_deadline()

        def connection_lost(self, exc: Exception | None) -> None:
            if self.deadline is not None:
                self.deadline.cancel()
                self.deadline = None
            if self.accepted:
                super().connection_lost(exc)

    return GuardedProtocol


def out_of_handles_handler(
    say: Callable[[str], None], clock: Callable[[], float] = time.monotonic
) -> Callable[[asyncio.AbstractEventLoop, dict[str, Any]], None]:
    """The event loop's error handler: running out of file handles ("Too many open files")
    becomes one Dutch line at most every NOTE_EVERY seconds; anything else is asyncio's own."""
    last: list[float] = []

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, OSError) and exc.errno in OUT_OF_HANDLES:
            now = clock()
            if not last or now - last[0] >= NOTE_EVERY:
                last[:] = [now]
                say(_wrap(OUT_OF_HANDLES_NOTE))
            return
        loop.default_exception_handler(context)

    return handle


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def make_server(config: Any, stopping: threading.Event) -> Any:
    """A uvicorn server that sets `stopping` at Ctrl-C (the projection's streams end on it, so
    nothing is left to cancel) and answers "too many open files" with one Dutch line."""
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            asyncio.get_running_loop().set_exception_handler(out_of_handles_handler(_say))
            await super().startup(sockets)

        def handle_exit(self, sig: int, frame: Any) -> None:
            stopping.set()
            super().handle_exit(sig, frame)

    return Server(config)


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
