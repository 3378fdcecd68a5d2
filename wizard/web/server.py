"""`beleidsnotitie web`: start the local server on 127.0.0.1 and open the browser.

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
DEFAULT_FILE = Path("antwoorden.yaml")


def bind(port: int = 0) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((HOST, port))
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
    try:
        sock = bind(args.poort)
    except OSError as exc:
        from wizard.errors import UserError

        raise UserError(
            f"poort {args.poort} op {HOST} is niet vrij ({exc.strerror}).",
            "Kies een andere poort met --poort, of laat --poort weg.",
        ) from exc
    keys = Keys(port=sock.getsockname()[1], groups=tuple(group_walks))
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
    if group_walks:
        print(f"Werksessie in {path.parent.resolve()}: {len(group_walks)} groepen.", flush=True)
        for name in group_walks:
            print(f"  Link voor {name.replace('-', ' ')}: {keys.start_url(name)}", flush=True)
        print(f"Projectie en gecombineerde antwoorden (voor u): {url}", flush=True)
    else:
        print(f"Uw antwoorden: {path.resolve()}", flush=True)
        print(f"De vragenlijst staat klaar op: {url}", flush=True)
    print("Deze pagina is alleen op deze computer te openen. Stoppen: Ctrl-C.", flush=True)
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


def _open_when_ready(server: object, url: str) -> None:
    import time

    for _ in range(200):
        if getattr(server, "started", False):
            break
        time.sleep(0.05)
    webbrowser.open(url)
