"""The gate in front of every request: host, access token, CSRF, size, and the security headers.

A plain ASGI middleware, so nothing reaches a page without passing it:

- Host must be 127.0.0.1, localhost or [::1] on our own port (DNS rebinding); with
  `werksessie --netwerk` also the one local-network address the server listens on.
- `/start?token=…` with a launch token sets an HttpOnly, SameSite=Strict cookie (its name
  holds the port, because cookies do not separate ports) and redirects to `/`, so the
  token leaves the address bar. A group of a werksessie may instead open its short link,
  `/doe-mee/XXXX-XXXX` (a code of 8 letters and digits, easy to type on a phone or read from
  a QR code), which does the same. Every other request needs that cookie, except the public
  CSS and fonts under /static/. In a werksessie every group has its own launch token and
  cookie value; the role they stand for is put in the request's state for the pages. Both are compared
  in constant time. After CODE_TRIES wrong short codes from one address within CODE_WINDOW
  seconds, that address gets a Dutch 429 page for every code until the window has passed.
- Only GET, HEAD and POST. A POST needs the form's CSRF token and, when the browser sends
  an Origin, our own origin; its body is at most MAX_BODY bytes (413 otherwise) and
  MAX_FIELDS form fields (400 otherwise). Only /bijwerken takes a multipart body (a Word
  document, up to upload.MAX_UPLOAD bytes, at most upload.MAX_PARTS parts, counted while the
  body arrives, so a body of thousands of parts is refused before any of it is parsed).
- Every response gets a strict Content-Security-Policy (no inline script or style, nothing
  from elsewhere), frame-ancestors 'none', no referrer for other sites and no caching.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from wizard.web import upload

MAIN = "hoofd"  # the role of `web`, and of the advisor in a werksessie
MAX_BODY = 512 * 1024  # the answers of one part, or one item, are a few kilobytes
MAX_FIELDS = 2000  # the longest part has a few hundred fields
CODE_TRIES = 10  # wrong short codes from one address …
CODE_WINDOW = 60.0  # … within this many seconds, then a 429 until the window has passed
CSRF_FIELD = "csrf"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    # Not no-referrer: with it Chromium sends "Origin: null" on our own forms. Other sites
    # still get no referrer; the token never is in a page address anyway (see /start).
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]

Scope = dict[str, Any]
Receive = Callable[[], Any]
Send = Callable[[dict[str, Any]], Any]
ErrorPage = Callable[[int], str]


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed without doubt
CODE_LENGTH = 8  # 32**8 ≈ 10**12 codes: not guessable over a local network in a workshop's time
KEYS_FILE = ".werksessie-sleutels.json"  # in a werksessie's folder: the links and cookies outlive a restart


def _token() -> str:
    return secrets.token_urlsafe(32)


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """A typed code as stored: capitals, without the dash or spaces."""
    return "".join(text.split()).replace("-", "").upper()


@dataclass(frozen=True)
class Role:
    """Who is at the keyboard: the one person of `web`, or in a werksessie the advisor or a group.

    Each role has its own launch token (in its first address), cookie value and CSRF token."""

    name: str
    launch: str = field(default_factory=_token)
    session: str = field(default_factory=_token)
    csrf: str = field(default_factory=_token)
    code: str = field(default_factory=_code)  # the short link of a werksessie group

    @property
    def short_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"


@dataclass
class Keys:
    """The secrets of one server run. `web` makes them fresh at every start and never writes
    them; a werksessie keeps them in its folder (KEYS_FILE, read_keys/write_keys), so that after
    a crash or a restart of the advisor's laptop every group's page, cookie and link still work."""

    port: int
    groups: tuple[str, ...] = ()
    roles: dict[str, Role] = field(default_factory=dict)
    host: str = "127.0.0.1"  # where the server listens: a local-network address with --netwerk
    network: bool = False  # werksessie --netwerk: groups may join by short link from other devices

    def __post_init__(self) -> None:
        for name in (MAIN, *self.groups):
            self.roles.setdefault(name, Role(name))

    @property
    def main(self) -> Role:
        return self.roles[MAIN]

    @property
    def launch(self) -> str:
        return self.main.launch

    @property
    def session(self) -> str:
        return self.main.session

    @property
    def csrf(self) -> str:
        return self.main.csrf

    @property
    def cookie(self) -> str:
        return f"beleidsnotitie-{self.port}"

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(f"{host}:{self.port}" for host in ("127.0.0.1", "localhost", "[::1]", self.host))

    def start_url(self, role: str = "") -> str:
        return f"http://{self.host}:{self.port}/start?token={self.roles[role or MAIN].launch}"

    def short_url(self, role: str) -> str:
        """A group's short link: /doe-mee/ and its code (the advisor has none)."""
        return f"http://{self.host}:{self.port}/doe-mee/{self.roles[role].short_code}"

    def by_code(self, text: str) -> Role | None:
        """The group whose short code this is; every group is compared, in constant time."""
        code = normal_code(text)
        found = [r for r in self.roles.values() if r.name != MAIN and same(code, r.code)]
        return found[0] if found else None

    def by_launch(self, token: str | None) -> Role | None:
        """The role whose launch token this is; every role is compared, in constant time."""
        found = [role for role in self.roles.values() if same(token, role.launch)]
        return found[0] if found else None

    def by_session(self, value: str | None) -> Role | None:
        found = [role for role in self.roles.values() if same(value, role.session)]
        return found[0] if found else None


def read_keys(path: Path) -> tuple[int, dict[str, Role]]:
    """The port and roles a werksessie wrote at its last start; (0, {}) when there is no usable file
    (then the session starts with new links, as the first time)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        roles = {
            name: Role(name, str(r["launch"]), str(r["session"]), str(r["csrf"]), str(r["code"]))
            for name, r in data["rollen"].items()
        }
        port = int(data["poort"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return 0, {}
    usable = all(r.launch and r.session and r.csrf and len(r.code) == CODE_LENGTH for r in roles.values())
    return (port, roles) if usable and 0 < port < 65536 else (0, {})


def write_keys(keys: Keys, path: Path) -> None:
    """Keep the werksessie's port and roles for its next start (atomic; a new file is readable by
    its owner only). The folder holds the groups' answers already; the keys are worth no more."""
    from wizard import atomic

    roles = {
        name: {"launch": r.launch, "session": r.session, "csrf": r.csrf, "code": r.code}
        for name, r in keys.roles.items()
    }
    text = json.dumps({"poort": keys.port, "rollen": roles}, indent=1)
    atomic.write_bytes(path, text.encode("utf-8"))


def same(given: str | None, expected: str) -> bool:
    """Constant-time comparison that is False for a missing value."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class Guard:
    def __init__(
        self, app: Any, keys: Keys, error_page: ErrorPage, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.app = app
        self.keys = keys
        self.error_page = error_page
        self.clock = clock
        self.wrong_codes: dict[str, deque[float]] = {}  # client address → times of wrong codes

    def _too_many_wrong_codes(self, address: str) -> bool:
        now = self.clock()
        for known in list(self.wrong_codes):  # forget what is older than the window
            tries = self.wrong_codes[known]
            while tries and now - tries[0] >= CODE_WINDOW:
                tries.popleft()
            if not tries:
                del self.wrong_codes[known]
        return len(self.wrong_codes.get(address, ())) >= CODE_TRIES

    def _wrong_code(self, address: str) -> None:
        self.wrong_codes.setdefault(address, deque()).append(self.clock())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_headers(send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "") not in self.keys.hosts:
            await self._error(send, 403)
            return
        if scope["method"] not in ("GET", "HEAD", "POST"):
            await self._error(send, 405)
            return
        if scope["path"] == "/start" or (self.keys.groups and scope["path"].startswith("/doe-mee/")):
            if scope["path"] == "/start":
                query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
                role = self.keys.by_launch(next(iter(query.get("token", [])), None))
            else:
                address = str((scope.get("client") or ("",))[0])
                if self._too_many_wrong_codes(address):
                    await self._error(send, 429, [(b"retry-after", str(int(CODE_WINDOW)).encode())])
                    return
                role = self.keys.by_code(scope["path"].removeprefix("/doe-mee/"))
                if role is None:
                    self._wrong_code(address)
            if role is None:
                await self._error(send, 403)
                return
            cookie = f"{self.keys.cookie}={role.session}; HttpOnly; SameSite=Strict; Path=/"
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [(b"location", b"/"), (b"set-cookie", cookie.encode())],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        if scope["path"].startswith("/static/") and scope["method"] != "POST":
            await self.app(scope, receive, send)  # public CSS and fonts: error pages need them too
            return
        jar = SimpleCookie()
        try:
            jar.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is simply no cookie
            jar = SimpleCookie()
        morsel = jar.get(self.keys.cookie)
        role = self.keys.by_session(morsel.value if morsel else None)
        if role is None:
            await self._error(send, 403)
            return
        scope.setdefault("state", {})["role"] = role.name
        if scope["method"] == "POST":
            origin = headers.get("origin")
            fetch_site = headers.get("sec-fetch-site", "same-origin")
            if fetch_site not in ("same-origin", "none") or (
                origin is not None and origin not in {f"http://{host}" for host in self.keys.hosts}
            ):
                await self._error(send, 403)
                return
            # One path takes a Word document (multipart, larger); every other form is urlencoded.
            uploading = scope["path"] == upload.PATH
            limit = upload.MAX_UPLOAD if uploading else MAX_BODY
            length = headers.get("content-length", "0")
            if not length.isdigit() or int(length) > limit:
                await self._error(send, 413)
                return
            content_type = headers.get("content-type", "")
            multipart = uploading and content_type.startswith("multipart/form-data")
            try:  # the parts are counted as the body arrives: too many is refused before parsing
                parts = upload.Parts(content_type) if multipart else None
            except ValueError:
                await self._error(send, 400)
                return
            body = await _read_body(receive, limit, parts)
            if body is None:
                await self._error(send, 413)
                return
            if parts is not None and parts.over:
                await self._error(send, 400)
                return
            try:
                if multipart:
                    form = upload.fields(body, content_type)[0]
                else:
                    form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=MAX_FIELDS)
            except ValueError:  # more than MAX_FIELDS fields, or parts in a part: no page of ours sends that
                await self._error(send, 400)
                return
            if not same(next(iter(form.get(CSRF_FIELD, [])), None), role.csrf):
                await self._error(send, 403)
                return
            receive = _replay(body)
        await self.app(scope, receive, send)

    async def _error(self, send: Send, status: int, extra: list[tuple[bytes, bytes]] | None = None) -> None:
        body = self.error_page(status).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    *(extra or []),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


async def _read_body(
    receive: Receive, limit: int = MAX_BODY, parts: upload.Parts | None = None
) -> bytes | None:
    """The whole request body, or None when it grows past `limit`. With `parts`, each chunk is
    counted as it comes; once there are too many, the rest is read but neither kept nor counted
    (`parts.over` says so, and the caller refuses the request)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        if parts is None or (not parts.over and parts.feed(chunk)):
            chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _with_headers(send: Send) -> Send:
    async def wrapped(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            names = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(k, v) for k, v in HEADERS if k not in names]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped
