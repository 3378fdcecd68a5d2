"""Defects found by the fourth hostile round (docs/hostile-round-4.md), each with its exact outcome."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from tests.conftest import example


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A notitie the tool made from the Lindewijk example (it carries its answers)."""
    from wizard.cli import main

    folder = tmp_path_factory.mktemp("gemaakt")
    assert (
        main(["maak", str(example("lindewijk")), "-o", str(folder / "notitie.docx"), "--stukken", "notitie"])
        == 0
    )
    return (folder / "notitie.docx").read_bytes()


def _rezip(
    data: bytes, change: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None
) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
        for name, part in (extra or {}).items():
            target.writestr(name, part)
    return out.getvalue()


def _multipart(boundary: str, parts: list[tuple[str, str, bytes]]) -> bytes:
    out = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def _session(running: Any) -> tuple[dict[str, str], str]:
    """The cookie and the CSRF token of the upload page, as a browser gets them."""
    from tests import webserver

    parts = urlsplit(running.url)
    _, headers, _ = webserver.request("GET", running, f"{parts.path}?{parts.query}")
    cookie = {"Cookie": headers["set-cookie"].split(";")[0]}
    _, _, page = webserver.request("GET", running, "/bijwerken", headers=cookie)
    token = re.search(r'name="csrf" value="([^"]+)"', page.decode())
    assert token is not None
    return cookie, token.group(1)


@contextmanager
def _upload_page(tmp_path: Path) -> Iterator[tuple[Any, dict[str, str], str]]:
    """The local page on a copy of Lindewijk: the server, the headers of a multipart post with
    its cookie, and the CSRF token. Afterwards the terminal shows no traceback."""
    from tests import webserver

    answers = tmp_path / "lindewijk.yaml"
    answers.write_bytes(example("lindewijk").read_bytes())
    running = webserver.start(answers)
    try:
        cookie, token = _session(running)
        yield running, {**cookie, "Content-Type": "multipart/form-data; boundary=grens"}, token
    finally:
        running.stop()
    assert "Traceback" not in "".join(running.lines)


def test_multipart_nested_thousands_deep_is_a_dutch_400_without_a_traceback(
    made: bytes, tmp_path: Path
) -> None:
    """M2: 3,000 nested multipart levels gave an English 'Internal Server Error' and a RecursionError."""
    from tests import webserver

    answers = tmp_path / "lindewijk.yaml"
    answers.write_bytes(example("lindewijk").read_bytes())
    running = webserver.start(answers)
    try:
        cookie, token = _session(running)
        nested = b"".join(
            f"--b{i}\r\nContent-Type: multipart/mixed; boundary=b{i + 1}\r\n\r\n".encode()
            for i in range(3000)
        )
        body = (
            b'--b0\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + token.encode() + b"\r\n" + nested
        )
        status, _, page = webserver.request(
            "POST",
            running,
            "/bijwerken",
            body=body,
            headers={**cookie, "Content-Type": "multipart/form-data; boundary=b0"},
        )
        assert status == 400
        assert "Dit verzoek klopt niet" in page.decode()
        # the page still works afterwards
        kind = {**cookie, "Content-Type": "multipart/form-data; boundary=grens"}
        body = _multipart("grens", [("csrf", "", token.encode()), ("document", "x.docx", made)])
        status, headers, _ = webserver.request("POST", running, "/bijwerken", body=body, headers=kind)
        assert status == 200 and headers["content-disposition"].endswith("x-bijgewerkt.docx")
    finally:
        running.stop()
    assert "Traceback" not in "".join(running.lines)


def _many_parts(token: str, count: int) -> bytes:
    csrf = b'--grens\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + token.encode() + b"\r\n"
    part = b'--grens\r\nContent-Disposition: form-data; name="x"\r\n\r\nx\r\n'
    return csrf + part * count + b"--grens--\r\n"


def test_twenty_thousand_parts_are_refused_while_they_arrive_before_any_parsing(
    made: bytes, tmp_path: Path
) -> None:
    """#20: 20,000 multipart parts took 6.6 s to parse before the page refused them. They are
    counted as the body arrives: the count stops at the chunk that passes MAX_PARTS, and
    nothing of the body is parsed."""
    from tests import webserver
    from wizard.web import upload

    hostile = _many_parts("t", 20_000)
    parts = upload.Parts("multipart/form-data; boundary=grens")
    chunks = [hostile[i : i + 65536] for i in range(0, len(hostile), 65536)]
    fed = 0
    for chunk in chunks:
        fed += 1
        if not parts.feed(chunk):
            break
    assert len(chunks) > 10 and fed == 1 and parts.over
    assert parts.seen < 2000  # what one chunk holds, not the 20,002 delimiters of the whole body
    with pytest.raises(ValueError, match="more parts than the page sends"):
        upload.fields(hostile, "multipart/form-data; boundary=grens")
    # A delimiter split over two chunks is counted once: a good body fed byte by byte.
    good = _multipart("grens", [("csrf", "", b"t"), ("document", "x.docx", b"PK")])
    one_by_one = upload.Parts('multipart/form-data; boundary="grens"')
    assert all(one_by_one.feed(good[i : i + 1]) for i in range(len(good))) and one_by_one.seen == 3
    # Parts inside a part are found before parsing too: each would be parsed as well.
    inner = b"".join(b"--in\r\n\r\nx\r\n" for _ in range(5000))
    nested = (
        b'--grens\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nt\r\n'
        b'--grens\r\nContent-Disposition: form-data; name="y"\r\nContent-Type: multipart/mixed; boundary=in'
        b"\r\n\r\n" + inner + b"--in--\r\n--grens--\r\n"
    )
    with pytest.raises(ValueError, match="a multipart inside a part"):
        upload.fields(nested, "multipart/form-data; boundary=grens")

    with _upload_page(tmp_path) as (running, kind, token):
        for body in (
            _many_parts(token, 20_000),
            nested.replace(b"\r\n\r\nt\r\n", f"\r\n\r\n{token}\r\n".encode(), 1),
        ):
            status, _, page = webserver.request("POST", running, "/bijwerken", body=body, headers=kind)
            assert status == 400
            assert "Dit verzoek klopt niet" in page.decode()
        no_boundary = {**kind, "Content-Type": "multipart/form-data"}
        assert webserver.request("POST", running, "/bijwerken", body=b"x", headers=no_boundary)[0] == 400
        # Ten parts are still fine: the page answers with its own Dutch problem (no document).
        status, _, page = webserver.request(
            "POST", running, "/bijwerken", body=_many_parts(token, 9), headers=kind
        )
        assert status == 400 and "Kies het Word-document (.docx) dat u wilt bijwerken." in page.decode()
        body = _multipart("grens", [("csrf", "", token.encode()), ("document", "x.docx", made)])
        status, headers, _ = webserver.request("POST", running, "/bijwerken", body=body, headers=kind)
        assert status == 200 and headers["content-disposition"].endswith("x-bijgewerkt.docx")


UNREADABLE = "Fout: 'x.docx' is geen leesbaar Word-document."


def _encrypted_flag(data: bytes) -> bytes:
    """Every entry flagged as encrypted (the flag bit in the local and central headers)."""
    flagged = bytearray(data)
    for found in re.finditer(rb"PK\x01\x02", data):
        flagged[found.start() + 8] |= 1
    for found in re.finditer(rb"PK\x03\x04", data):
        flagged[found.start() + 6] |= 1
    return bytes(flagged)


def _damaged_stream(data: bytes) -> bytes:
    """One byte of document.xml's compressed data flipped (a damaged download)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    damaged = bytearray(data)
    damaged[info.header_offset + 30 + len(info.filename) + len(info.extra) + 100] ^= 0xFF
    return bytes(damaged)


def _hostile_documents(made: bytes) -> dict[str, bytes]:
    with pytest.warns(UserWarning, match="Duplicate name"):
        twice = _rezip(made, lambda _name, part: part, {"word/document.xml": b"<x/>"})
    return {
        "two document.xml parts": twice,
        "entries flagged as encrypted": _encrypted_flag(made),
        "a damaged deflate stream": _damaged_stream(made),
        "document.xml not well-formed": _rezip(
            made, lambda name, part: part[:-50] if name == "word/document.xml" else part
        ),
        "no [Content_Types].xml": _rezip(made, lambda _name, part: part).replace(
            b"[Content_Types].xml", b"[Content_Typez].xml"
        ),
    }


def test_a_damaged_document_is_refused_in_dutch_by_bijwerken(made: bytes, cli: Any, tmp_path: Path) -> None:
    """M1: each of these ended in 'er ging iets onverwachts mis' (exit 4)."""
    for what, data in _hostile_documents(made).items():
        (tmp_path / "x.docx").write_bytes(data)
        result = cli("bijwerken", tmp_path / "x.docx", example("lindewijk"), "-o", tmp_path / "y.docx")
        assert result.code == 2, what
        assert result.err.splitlines()[0] == UNREADABLE, (what, result.err)
        assert "onverwachts" not in result.err
        assert not (tmp_path / "y.docx").exists()


def test_the_upload_page_refuses_a_damaged_document_in_dutch_without_a_traceback(
    made: bytes, tmp_path: Path
) -> None:
    """M1 on /bijwerken: a 500 page and a traceback in the terminal before."""
    from tests import webserver

    with _upload_page(tmp_path) as (running, kind, token):
        for what, data in _hostile_documents(made).items():
            body = _multipart("grens", [("csrf", "", token.encode()), ("document", "x.docx", data)])
            status, _, page = webserver.request("POST", running, "/bijwerken", body=body, headers=kind)
            assert status == 400, what
            assert "&#39;x.docx&#39; is geen leesbaar Word-document." in page.decode(), what


def test_a_document_kind_that_is_not_ours_is_refused_before_any_template_is_looked_up(
    made: bytes, cli: Any, tmp_path: Path
) -> None:
    """M4: '<stuk>../evil</stuk>' made the tool look for templates in templates/../evil."""
    for kind in ("../evil", "werkblad", "evaluatie"):
        data = _rezip(
            made,
            lambda name, part, kind=kind: (
                part.replace(b"<stuk>notitie</stuk>", f"<stuk>{kind}</stuk>".encode())
                if name.startswith("customXml/item")
                else part
            ),
        )
        (tmp_path / "x.docx").write_bytes(data)
        result = cli("bijwerken", tmp_path / "x.docx", example("lindewijk"), "-o", tmp_path / "y.docx")
        assert result.code == 2, kind
        assert result.err.splitlines() == [
            f"Fout: in 'x.docx' staat een onbekend soort stuk ('{kind}'); de tool werkt alleen een "
            "beleidsnotitie of een raadsvoorstel bij.",
            "    → Geef het document op dat de tool met 'maak' schreef.",
        ], result.err
        assert not (tmp_path / "y.docx").exists()


def test_a_macro_document_renamed_to_docx_is_refused(made: bytes, cli: Any, tmp_path: Path) -> None:
    """M5: a .docm renamed .docx was 'Bijgewerkt' into a .docx with the macro content type (Word opens none)."""
    data = _rezip(
        made,
        lambda name, part: (
            part.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
            if name == "[Content_Types].xml"
            else part
        ),
    )
    (tmp_path / "x.docx").write_bytes(data)
    result = cli("bijwerken", tmp_path / "x.docx", example("lindewijk"), "-o", tmp_path / "y.docx")
    assert result.code == 2
    assert result.err.splitlines() == [
        "Fout: 'x.docx' is een Word-document met macro's (.docm); de tool werkt alleen een .docx zonder macro's bij.",
        "    → Sla het in Word op als Word-document (.docx) en probeer het opnieuw.",
    ]
    assert not (tmp_path / "y.docx").exists()


def test_joined_emoji_become_question_marks_and_the_pdf_is_made(cli: Any, tmp_path: Path) -> None:
    """M3: a family emoji (a ZWJ sequence), a skin tone or a keycap stopped the PDF with
    "PDF/A-2b, PDF/UA-1 error: the text `"?"` could not be displayed"."""
    import pypdf

    answers = example("lindewijk").read_text(encoding="utf-8")
    answers = answers.replace("auteur: M. Jansen, griffier", "auteur: M. Jansen 👩‍👩‍👧 👍🏽 1️⃣ griffier")
    source = tmp_path / "gezin.yaml"
    source.write_text(answers, encoding="utf-8")
    result = cli("maak", source, "-o", tmp_path / "g.pdf", "--stukken", "notitie")
    assert result.code in (0, 1), result.err
    assert "Let op: in g.pdf staan deze tekens als ? omdat geen lettertype ze heeft: 👍 👧 👩" in result.err
    assert "M. Jansen ??? ? 1 griffier" in pypdf.PdfReader(tmp_path / "g.pdf").pages[0].extract_text()


def test_adopting_an_item_without_letters_adds_it_and_keeps_the_other_one(tmp_path: Path) -> None:
    """M6: '😀 (🇳🇱)' and '!!! (???)' had the same (empty) identity, so adopting the first
    replaced the second in gecombineerd.yaml."""
    import yaml

    from tests import webserver

    source = yaml.safe_load(example("oosterhaven").read_text(encoding="utf-8"))
    tie = dict(source["partnerschappen"][0])

    def with_tie(partner: str, land: str) -> str:
        return yaml.safe_dump({**source, "partnerschappen": [{**tie, "partner": partner, "land": land}]})

    folder = tmp_path / "sessie"
    folder.mkdir()
    (folder / "gecombineerd.yaml").write_text(with_tie("!!!", "???"), encoding="utf-8")
    (folder / "groep-1.yaml").write_text(with_tie("!!!", "???"), encoding="utf-8")
    (folder / "groep-2.yaml").write_text(with_tie("😀", "🇳🇱"), encoding="utf-8")
    running = webserver.start(folder, "--groepen", "2", command="werksessie")
    try:
        parts = urlsplit(running.url)
        _, headers, _ = webserver.request("GET", running, f"{parts.path}?{parts.query}")
        cookie = {"Cookie": headers["set-cookie"].split(";")[0]}
        _, _, page = webserver.request("GET", running, "/sessie", headers=cookie)
        token = re.search(r'name="csrf" value="([^"]+)"', page.decode())
        assert token is not None
        assert 'name="item" value="😀 (🇳🇱)"' in page.decode()
        body = urlencode(
            {"csrf": token.group(1), "vraag": "partnerschappen", "groep": "groep-2", "item": "😀 (🇳🇱)"}
        )
        status, _, _ = webserver.request(
            "POST",
            running,
            "/sessie/overnemen",
            body=body.encode(),
            headers={**cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 303
    finally:
        running.stop()
    combined = yaml.safe_load((folder / "gecombineerd.yaml").read_text(encoding="utf-8"))
    assert [(t["partner"], t["land"]) for t in combined["partnerschappen"]] == [("!!!", "???"), ("😀", "🇳🇱")]


def test_a_tie_or_goal_listed_twice_in_a_verantwoording_is_named(cli: Any, tmp_path: Path) -> None:
    """M7: a tie listed twice was accepted without a word; with two amounts the evaluation
    showed both (€ 2.000 three times, € 9.999 once)."""
    folder = example("lindewijk").parent / "verantwoording"
    for name in ("oosterhaven-kader.yaml", "oosterhaven-2027.yaml"):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    path = tmp_path / "oosterhaven-2027.yaml"
    text = path.read_text(encoding="utf-8")
    tie = text[text.index("  - partner: Wanica") : text.index("  - partner: Tata")]
    goal = text[text.index("  - omschrijving: Scholen") : text.index("  - omschrijving: Digitale")]
    text = text.replace(tie, tie + tie.replace("uitgegeven: 2000", "uitgegeven: 9999"))
    path.write_text(text.replace(goal, goal + goal), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    goal_line = [i for i, line in enumerate(lines, 1) if "omschrijving: Scholen" in line][1]
    tie_line = [i for i, line in enumerate(lines, 1) if "partner: Wanica" in line][1]
    result = cli("evaluatie", path, "-o", tmp_path / "e/")
    assert result.code == 2
    assert (
        f"- {path}, regel {goal_line} – doelen.2.omschrijving: het doel 'Scholen werken samen "
        "met scholen in de partnersteden' staat twee keer in deze verantwoording.\n"
        "      → Haal één van de twee weg: zet de meting en het oordeel bij één doel." in result.err
    ), result.err
    assert (
        f"- {path}, regel {tie_line} – banden.2.partner: de band met Wanica (Suriname) staat "
        "twee keer in deze verantwoording.\n"
        "      → Haal één van de twee weg: zet wat er gebeurde en wat het kostte bij één band." in result.err
    ), result.err
    assert not (tmp_path / "e").exists() or not any((tmp_path / "e").iterdir())


def test_a_year_that_is_not_a_number_is_said_in_dutch(cli: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """M8: 'verantwoord --jaar twintig' said "ongeldige int waarde"."""
    kader = example("lindewijk").parent / "verantwoording" / "oosterhaven-kader.yaml"
    with pytest.raises(SystemExit) as stopped:
        cli("verantwoord", kader, "--jaar", "twintig")
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "Fout: optie --jaar: 'twintig' is geen geheel getal\n" in err
    assert "int waarde" not in err


def test_a_kader_that_is_a_folder_is_not_called_missing(cli: Any, tmp_path: Path) -> None:
    """M8: 'kader:' naming a folder (or a pipe) said "het kader 'sub' is niet gevonden"."""
    source = example("lindewijk").parent / "verantwoording" / "oosterhaven-2027.yaml"
    path = tmp_path / "v.yaml"
    path.write_text(
        re.sub(r"(?m)^kader: .*$", "kader: sub", source.read_text(encoding="utf-8")), encoding="utf-8"
    )
    (tmp_path / "sub").mkdir()
    result = cli("evaluatie", path, "-o", tmp_path / "e/")
    assert result.code == 2
    assert (
        f"het kader 'sub' is geen gewoon bestand maar een map, pijp of apparaat ({tmp_path / 'sub'})."
        in result.err
    ), result.err
    (tmp_path / "sub").rmdir()
    result = cli("evaluatie", path, "-o", tmp_path / "e/")
    assert f"het kader 'sub' is niet gevonden ({tmp_path / 'sub'})." in result.err, result.err


def test_a_verantwoording_where_a_kader_belongs_is_named_in_one_sentence(cli: Any, tmp_path: Path) -> None:
    """M8: 'verantwoord', 'maak' or 'bijwerken' given a verantwoording listed 20+ lines of
    "onbekende vraag 'banden' / 'reizen' / 'giften'"."""
    account = example("lindewijk").parent / "verantwoording" / "oosterhaven-2027.yaml"
    line = next(
        i
        for i, text in enumerate(account.read_text(encoding="utf-8").splitlines(), 1)
        if "vingerafdruk" in text
    )
    expected = [
        "Er is 1 probleem gevonden:",
        f"- {account}, regel {line}: dit is een verantwoording (over een jaar van een kader), geen "
        "antwoordenbestand van een kader.",
        "      → Geef hier het antwoordenbestand van het kader op. Een verantwoording hoort bij "
        "'beleidsnotitie evaluatie' of 'beleidsnotitie volgend-kader'.",
    ]
    result = cli("verantwoord", account, "--jaar", "2028", "-o", tmp_path / "v.yaml")
    assert result.code == 2
    assert result.err.splitlines() == expected, result.err
    result = cli("toets", account)
    assert result.code == 2
    assert result.err.splitlines() == expected, result.err


def test_a_very_long_font_name_is_shortened_in_the_note(cli: Any, tmp_path: Path) -> None:
    """M8: a 5,000-character font name in the house style was printed twice in full."""

    style = tmp_path / "huisstijl.docx"
    with zipfile.ZipFile(example("lindewijk").parents[1] / "templates" / "huisstijl.docx") as source:
        styles = source.read("word/styles.xml")
    font = "F" * 5000
    styles = re.sub(rb'w:ascii="[^"]*"', f'w:ascii="{font}"'.encode(), styles)
    styles = re.sub(rb'w:hAnsi="[^"]*"', f'w:hAnsi="{font}"'.encode(), styles)
    style.write_bytes(
        _rezip(
            (example("lindewijk").parents[1] / "templates" / "huisstijl.docx").read_bytes(),
            lambda name, part: styles if name == "word/styles.xml" else part,
        )
    )
    result = cli(
        "maak", example("lindewijk"), "-o", tmp_path / "x.pdf", "--stukken", "notitie", "--huisstijl", style
    )
    assert result.code in (0, 1), result.err
    note = next(line for line in result.err.splitlines() if line.startswith("Let op: lettertype"))
    shown = "F" * 39 + "…"
    assert note == (
        f"Let op: lettertype {shown} staat niet op deze computer. De PDF gebruikt daarom Liberation Sans voor "
        f"{shown}: een vrij lettertype dat niet even breed is, dus de regels kunnen anders lopen dan in Word."
    ), note


def _form_fields(page: str) -> list[tuple[str, str]]:
    """What a browser posts for a part's form as shown: text fields, ticked boxes, the hidden fields."""
    fields = []
    for tag in re.findall(r"<input[^>]*>", page):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name is None or (re.search(r'type="(radio|checkbox)"', tag) and "checked" not in tag):
            continue
        fields.append((name.group(1), value.group(1) if value else ""))
    fields += re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page)
    return [(name, value.replace("&#39;", "'").replace("&amp;", "&")) for name, value in fields]


def test_a_stale_second_tab_overwrites_nothing_saved_in_the_first(tmp_path: Path) -> None:
    """N17 (round 3, still open in round 4): tab B, opened before tab A saved a new name, posted the
    part with another change and put the old name back, without a word to anyone."""
    import yaml

    from tests import webserver

    answers = tmp_path / "lindewijk.yaml"
    answers.write_bytes(example("lindewijk").read_bytes())
    running = webserver.start(answers)
    try:
        parts = urlsplit(running.url)
        _, headers, _ = webserver.request("GET", running, f"{parts.path}?{parts.query}")
        cookie = {"Cookie": headers["set-cookie"].split(";")[0]}
        kind = {**cookie, "Content-Type": "application/x-www-form-urlencoded"}
        tab_a = _form_fields(webserver.request("GET", running, "/deel/gemeente", headers=cookie)[2].decode())
        tab_b = _form_fields(webserver.request("GET", running, "/deel/gemeente", headers=cookie)[2].decode())

        def post(fields: list[tuple[str, str]], name: str, value: str) -> tuple[int, str]:
            body = urlencode([(n, value if n == name else v) for n, v in fields] + [("actie", "blijf")])
            status, _, page = webserver.request(
                "POST", running, "/deel/gemeente", body=body.encode(), headers=kind
            )
            return status, page.decode()

        assert post(tab_a, "gemeente_naam", "Tab A naam")[0] == 303
        # B was made before A saved: nothing of B is saved, the page says why and keeps B's text
        status, page = post(tab_b, "auteur", "Tab B auteur")
        assert status == 409
        text = " ".join(page.split())
        assert (
            "Er is niets bewaard: een antwoord op deze pagina is intussen in een ander venster of tabblad veranderd"
            in text
        )
        assert "Dit antwoord is intussen in een ander venster veranderd in: Tab A naam." in text
        assert 'value="Tab B auteur"' in page
        saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
        assert saved["gemeente_naam"] == "Tab A naam" and saved.get("auteur") != "Tab B auteur"
        # saving again from that page is a choice made knowingly
        again = [(n, "Tab A naam" if n == "gemeente_naam" else v) for n, v in _form_fields(page)]
        assert post(again, "auteur", "Tab B auteur")[0] == 303
        saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
        assert (saved["gemeente_naam"], saved["auteur"]) == ("Tab A naam", "Tab B auteur")
    finally:
        running.stop()
