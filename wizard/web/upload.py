"""`/bijwerken` on the local page: upload an edited Word document, download it updated.

The answers of this moment are the new answers; the document brings its old ones
(wizard/update.py). The guard (wizard/web/guard.py) lets this one path post a
multipart body up to MAX_UPLOAD bytes and reads its CSRF field with `fields`.
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

PATH = "/bijwerken"
MAX_UPLOAD = 20 * 1024 * 1024  # a Word document with a few pictures
_MAX_PARTS = 10
FIELD = "document"


def fields(body: bytes, content_type: str) -> tuple[dict[str, list[str]], dict[str, tuple[str, bytes]]]:
    """The text fields and the files (name, content) of a multipart/form-data body.

    Raises ValueError for a body no browser sends (parts nested too deep)."""
    from email import message_from_bytes, policy

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
        if number >= _MAX_PARTS:
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
