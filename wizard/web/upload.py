"""`/bijwerken` on the local page: upload an edited Word document, download it updated.

The answers of this moment are the new answers; the document brings its old ones
(wizard/update.py). The guard (wizard/web/guard.py) lets this one path post a
multipart body up to MAX_UPLOAD bytes and reads its CSRF field with `fields`.
"""

from __future__ import annotations

import copy
import re
from typing import Any
from urllib.parse import quote

PATH = "/bijwerken"
MAX_UPLOAD = 20 * 1024 * 1024  # a Word document with a few pictures
MAX_PARTS = 10  # the page sends two (csrf and document); more is no browser on this page
FIELD = "document"
_NESTED = re.compile(rb"^content-type:[ \t]*multipart/", re.IGNORECASE | re.MULTILINE)


class Parts:
    """Counts the parts of a multipart body while its bytes arrive, before anything is parsed:
    a body with more than MAX_PARTS parts is refused at the chunk that shows it (parsing 20,000
    parts took seconds). ValueError for a content type without a boundary."""

    def __init__(self, content_type: str) -> None:
        from email.message import Message

        header = Message()
        header["content-type"] = content_type
        boundary = header.get_param("boundary")
        if not isinstance(boundary, str) or not boundary:
            raise ValueError("multipart without a boundary")
        self.delimiter = b"--" + boundary.encode("latin-1", "replace")
        self.seen = 0  # delimiters so far: a body of n parts has n + 1 (the closing one)
        self._tail = b""  # the end of the last chunk, where a delimiter may have begun

    @property
    def over(self) -> bool:
        return self.seen > MAX_PARTS + 1

    def feed(self, chunk: bytes) -> bool:
        """Count the delimiters in one more chunk; False once there are too many parts."""
        data = self._tail + chunk
        self.seen += data.count(self.delimiter)
        last = data.rfind(self.delimiter)
        keep = max(len(data) - len(self.delimiter) + 1, last + len(self.delimiter) if last >= 0 else 0)
        self._tail = data[keep:]
        return not self.over


def fields(body: bytes, content_type: str) -> tuple[dict[str, list[str]], dict[str, tuple[str, bytes]]]:
    """The text fields and the files (name, content) of a multipart/form-data body.

    Raises ValueError for a body no browser sends: more than MAX_PARTS parts, or parts inside a
    part (RFC 7578 forbids them; each would be parsed too). Both are found before parsing."""
    from email import message_from_bytes, policy

    parts = Parts(content_type)
    if not parts.feed(body):
        raise ValueError("more parts than the page sends")
    for piece in body.split(parts.delimiter)[1:]:
        if _NESTED.search(piece.split(b"\r\n\r\n", 1)[0]):
            raise ValueError("a multipart inside a part")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    try:
        message = message_from_bytes(head + body, policy=policy.HTTP)
    except RecursionError as exc:  # parts nested thousands deep: no browser sends that (the guard: 400)
        raise ValueError("multipart nested too deep") from exc
    texts: dict[str, list[str]] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if not message.is_multipart():
        return texts, files
    for number, part in enumerate(message.iter_parts()):
        if number >= MAX_PARTS:
            break
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = (filename, data)
        else:
            texts.setdefault(name, []).append(data.decode("utf-8", "replace"))
    return texts, files


def respond(owner: Any, method: str, content_type: str, body: bytes) -> Any:
    """The page (GET, or a POST with a problem) or the updated document (a good POST).

    `owner` is the answers file's wizard.web.app.Pages."""
    from starlette.responses import Response

    from wizard import update
    from wizard.errors import DataError, UserError

    if method != "POST":
        return owner.render("bijwerken.html.j2", errors=[])
    _, files = fields(body, content_type) if content_type.startswith("multipart/form-data") else ({}, {})
    name, data = files.get(FIELD, ("", b""))
    problem = None
    if not data:
        problem = "Kies het Word-document (.docx) dat u wilt bijwerken."
    elif not name.lower().endswith(".docx"):
        problem = f"'{name}' is geen Word-document (.docx). Sla het in Word of LibreOffice op als .docx."
    if problem is None:
        with owner.walk.lock:
            answers = copy.deepcopy(owner.walk.answers)
        try:
            outcome = update.update(data, name, answers, owner.drafter)
        except UserError as exc:
            problem = exc.format().replace("\n    → ", " ")
            problem = problem[:1].upper() + problem[1:]
        except DataError as exc:
            problem = " ".join(p.message for p in exc.problems[:3])
    if problem is not None:
        return owner.render("bijwerken.html.j2", status=400, errors=[(FIELD, problem)])
    stem = name[: -len(".docx")] or "document"
    target = f"{stem}-bijgewerkt.docx"
    return Response(
        outcome.data,
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(target)}"},
    )
