"""The input side of the third hostile round (issue 20): encodings, files that are no files,
alias amplification, merge keys, own rule folders, escapes in messages, and the messages
that were Dutch but wrong. Each case asserts the exact Dutch message or the exact outcome."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wizard import answers as answers_mod
from wizard import roundtrip
from wizard.errors import EXIT_DATA_ERROR, DataError
from wizard.questionnaire import Questionnaire
from wizard.yamlsource import CP1252_NOTE, load_file

from .conftest import Result, example

Cli = Callable[..., Result]

LINDEWIJK = example("lindewijk").read_text(encoding="utf-8").replace("Lindewijk", "Liëndewijk")


# --- encodings (issue 20, point 2; hostile A10, A11, W65) ------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("utf8", "naam: Zoë €\n".encode()),
        ("utf8-bom", "\ufeffnaam: Zoë €\n".encode()),
        ("utf16-le", "\ufeffnaam: Zoë €\n".encode("utf-16-le")),
        ("utf16-be", "\ufeffnaam: Zoë €\n".encode("utf-16-be")),
        ("utf32-le", "\ufeffnaam: Zoë €\n".encode("utf-32-le")),
        ("utf32-be", "\ufeffnaam: Zoë €\n".encode("utf-32-be")),
    ],
)
def test_unicode_files_are_read_as_written(name: str, content: bytes, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    doc = load_file(path)
    assert doc.data == {"naam": "Zoë €"}
    assert doc.encoding == {"utf8": "utf-8", "utf8-bom": "utf-8-sig"}.get(name, name.replace("utf", "utf-"))


def test_a_wholly_windows_1252_answers_file_is_read_with_one_line_saying_so(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "ansi.yaml"
    path.write_bytes(LINDEWIJK.encode("cp1252"))
    result = cli("maak", path, "-o", tmp_path / "uit.docx", "--stukken", "notitie")
    assert result.code == 0, result.err
    assert (result.out + result.err).count("Windows-1252") == 1
    assert f"{path}: {CP1252_NOTE}" in result.out
    assert CP1252_NOTE == (
        "dit bestand is niet als UTF-8 maar als Windows-1252 (ANSI) opgeslagen; de tool leest het zo. "
        "Controleer ë, é en € in het concept; bewaart de tool hier antwoorden, dan wordt het bestand UTF-8."
    )
    import zipfile

    with zipfile.ZipFile(tmp_path / "uit.docx") as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert "Liëndewijk" in document and "Ã«" not in document


def test_toets_says_the_encoding_once(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "ansi.yaml"
    path.write_bytes(LINDEWIJK.encode("cp1252"))
    result = cli("toets", path)
    assert result.err.count(CP1252_NOTE) == 1


def test_a_stray_byte_in_a_comment_of_a_utf8_file_is_refused_with_line_and_byte(
    tmp_path: Path, cli: Cli
) -> None:
    path = tmp_path / "in.yaml"
    path.write_bytes(LINDEWIJK.encode("utf-8").replace(b"# Voorbeeld", b"# Voorb\xffeeld", 1))
    result = cli("maak", path, "-o", tmp_path / "uit.docx")
    assert result.code == EXIT_DATA_ERROR
    assert (
        f"- {path}, regel 1: het bestand is niet helemaal als UTF-8 opgeslagen: op deze regel staat "
        "byte 0xFF, die in UTF-8 niet kan.\n  "
        "    → Controleer de letters en tekens op deze regel (zoals ë, é of €). Sla het bestand op als "
        "UTF-8 (in Kladblok: Opslaan als → Codering: UTF-8)."
    ) in result.err
    assert not (tmp_path / "uit.docx").exists()


def test_an_overlong_utf8_sequence_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    path.write_bytes(
        "gemeente_naam: Liëndewijk\nauteur: a\xc0\xafb\n".encode("latin-1").replace(b"\xeb", b"\xc3\xab")
    )
    with pytest.raises(DataError) as exc:
        load_file(path)
    problem = exc.value.problems[0]
    assert (problem.line, problem.message) == (
        2,
        "het bestand is niet helemaal als UTF-8 opgeslagen: op deze regel staat byte 0xC0, die in UTF-8 niet kan.",
    )


def test_a_rules_file_in_windows_1252_is_refused_not_guessed(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "regels"
    folder.mkdir()
    (folder / "eigen.yaml").write_bytes(
        "# Regels van de griffie\nregels:\n  - id: x # één\n".encode("cp1252")
    )
    result = cli("toets", example("lindewijk"), "--regels", folder)
    assert result.code == EXIT_DATA_ERROR
    assert (
        f"- {folder / 'eigen.yaml'}, regel 3: het bestand is niet als UTF-8 opgeslagen: op deze regel "
        "staat byte 0xE9, die in UTF-8 niet kan."
    ) in result.err


def test_a_broken_utf16_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    path.write_bytes(b"\xff\xfe" + "a: 1\nb: 2\n".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    with pytest.raises(DataError) as exc:
        load_file(path)
    problem = exc.value.problems[0]
    assert (problem.line, problem.message) == (
        3,
        "het bestand is als UTF-16 opgeslagen, maar op deze regel staat iets dat in UTF-16 niet kan (byte 0x00).",
    )


@pytest.mark.parametrize(
    ("codec", "bom"),
    [("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-32-be", b"\x00\x00\xfe\xff")],
)
def test_a_save_keeps_the_encoding_the_file_was_read_in(
    codec: str, bom: bytes, tmp_path: Path, questionnaire: Questionnaire
) -> None:
    path = tmp_path / "in.yaml"
    path.write_bytes(bom + LINDEWIJK.encode(codec.removesuffix("-sig")))
    answers = answers_mod.load(path, questionnaire)
    answers.values["auteur"] = "R. Doğan, griffier"
    answers_mod.save(answers, questionnaire, path)
    raw = path.read_bytes()
    assert raw.startswith(bom)
    text = raw[len(bom) :].decode(codec.removesuffix("-sig"))
    assert not text.startswith("\ufeff")  # one byte order mark, not two
    assert "auteur: R. Doğan, griffier" in text and "Liëndewijk" in text
    assert "# Voorbeeld" in text  # round trip: the file's own lines stay
    roundtrip.forget(path)


def test_a_windows_1252_file_is_saved_as_utf8_without_mojibake(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    """W65: one save from `web` or `start` used to write every ë back as Ã«."""
    path = tmp_path / "in.yaml"
    path.write_bytes(LINDEWIJK.encode("cp1252"))
    answers = answers_mod.load(path, questionnaire)
    assert answers.upgraded[0] == CP1252_NOTE
    answers.values["auteur"] = "R. Doğan, griffier"  # not in Windows-1252
    answers_mod.save(answers, questionnaire, path)
    text = path.read_bytes().decode("utf-8")
    assert text.count("Liëndewijk") == LINDEWIJK.count("Liëndewijk") and "Ã" not in text
    assert "auteur: R. Doğan, griffier" in text
    again = answers_mod.load(path, questionnaire)
    assert again.encoding == "utf-8" and CP1252_NOTE not in again.upgraded
    roundtrip.forget(path)


def test_the_web_page_saves_a_windows_1252_file_as_utf8_too(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    """The web page and the terminal save through the same answers.save, with the same Answers."""
    from wizard.draft import Drafter
    from wizard.web.walk_adapter import Walk

    path = tmp_path / "in.yaml"
    path.write_bytes(LINDEWIJK.encode("cp1252"))
    walk = Walk(questionnaire, Drafter().rules, path)
    walk.answers.values["auteur"] = "Zoë"
    answers_mod.save(walk.answers, questionnaire, path)
    text = path.read_bytes().decode("utf-8")
    assert "Liëndewijk" in text and "auteur: Zoë" in text
    roundtrip.forget(path)


def test_the_web_start_page_says_the_windows_1252_line_once_while_it_is_true(tmp_path: Path) -> None:
    """#20: the terminal of `web` said it, the page did not. Both now say the same line (one home,
    Answering.notices); after the first save the file is UTF-8 and the line is gone from the page."""
    from tests import webserver
    from tests.test_web import login

    path = tmp_path / "ansi.yaml"
    path.write_bytes(LINDEWIJK.encode("cp1252"))
    running = webserver.start(path)
    try:
        cookie = login(running)
        status, _, body = webserver.request("GET", running, "/", headers=cookie)
        page = body.decode()
        assert status == 200
        assert page.count("Windows-1252") == 1
        assert f'<p class="utrecht-paragraph">Let op: {CP1252_NOTE}</p>' in page
        assert 'class="utrecht-alert utrecht-alert--warning melding" id="bij-het-openen"' in page
        assert (
            "Windows-1252" not in webserver.request("GET", running, "/overzicht", headers=cookie)[2].decode()
        )
        _first_save_ends_the_line(running, cookie, "Liëndewijk", "/", cookie)
        assert "Liëndewijk" in path.read_bytes().decode("utf-8")
    finally:
        running.stop()
    _said_once(running, f"Let op: {CP1252_NOTE}")
    roundtrip.forget(path)


def test_a_werksessie_group_file_in_windows_1252_is_read_said_once_and_saved_as_utf8(tmp_path: Path) -> None:
    """#20: a group's file gave no line at all. The advisor's terminal names the file once, the
    projection says it in the group's row until the group's first save made the file UTF-8."""
    from tests import webserver
    from tests.test_web import login, login_as

    folder = tmp_path / "sessie"
    folder.mkdir()
    group = folder / "groep-2.yaml"
    group.write_bytes("# Groep 2\ngemeente_naam: Liëndewijk\n".encode("cp1252"))
    running = webserver.start(folder, "--groepen", "3", command="werksessie")
    try:
        advisor = login(running)
        projection = webserver.request("GET", running, "/sessie", headers=advisor)[2].decode()
        assert projection.count("Windows-1252") == 1
        assert f'<span class="voortgang__probleem">Let op: {CP1252_NOTE}</span>' in projection
        cookie = login_as(running, running.links()["groep 2"])
        assert (
            'value="Liëndewijk"'
            in webserver.request("GET", running, "/deel/gemeente", headers=cookie)[2].decode()
        )
        _first_save_ends_the_line(running, cookie, "Liëndewijk-Zuid", "/sessie", advisor)
        assert group.read_bytes().decode("utf-8") == "# Groep 2\ngemeente_naam: Liëndewijk-Zuid\n"
    finally:
        running.stop()
    _said_once(running, f"Let op: groep-2.yaml: {CP1252_NOTE}")
    roundtrip.forget(group)


def _first_save_ends_the_line(
    running: Any, cookie: dict[str, str], name: str, shown_on: str, viewer: dict[str, str]
) -> None:
    """One answer saved through the page writes the file as UTF-8: `shown_on` no longer says
    it is Windows-1252 (the line would not be true any more)."""
    from tests import webserver
    from tests.test_web import csrf_of, post

    fields = {"csrf": csrf_of(running, cookie), "gemeente_naam": name, "actie": "blijf"}
    assert post(running, "/deel/gemeente", fields, cookie)[0] == 303
    assert "Windows-1252" not in webserver.request("GET", running, shown_on, headers=viewer)[2].decode()


def _said_once(running: Any, line: str) -> None:
    terminal = "".join(running.lines)
    assert terminal.count(line) == 1 and terminal.count("Windows-1252") == 1


# --- own templates (N3, N9, N14; hostile P06, P07, T15, T39, T40, T41) -----------------------


def own_template(tmp_path: Path, content: bytes) -> Path:
    folder = tmp_path / "sjablonen"
    (folder / "notitie").mkdir(parents=True, exist_ok=True)
    (folder / "notitie" / "notitie.md.j2").write_bytes(content)
    return folder


def make_with(cli: Cli, tmp_path: Path, folder: Path) -> Result:
    return cli(
        "maak", example("lindewijk"), "--sjablonen", folder, "-o", tmp_path / "x.docx", "--stukken", "notitie"
    )


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("{{ '{0:😀>900000000}'.format(1) }}", "900000000"),
        ("{{ '{0:>999999999}'.format(1) }}", "999999999"),
        ("{{ '{:.900000000f}'.format(1.5) }}", "900000000"),
        ("{{ '{x:0>900000000}'.format_map({'x': 1}) }}", "900000000"),
        ("{{ '{0:>{1}}'.format(1, '900000000') }}", "900000000"),  # a width from an argument
    ],
)
def test_a_format_width_is_refused_before_it_is_allocated(
    text: str, digits: str, cli: Cli, tmp_path: Path
) -> None:
    folder = own_template(tmp_path, (text + "\n").encode())
    result = make_with(cli, tmp_path, folder)
    assert result.code == EXIT_DATA_ERROR
    assert (
        f"- {folder / 'notitie' / 'notitie.md.j2'}, regel 1: fout in een sjabloon: een breedte of precisie "
        f"in de {{}}-opmaak is te groot ({digits}; hooguit 100000).\n"
        "      → Een sjabloon zet tekst neer; rekenwerk hoort niet in een sjabloon."
    ) in result.err
    assert not (tmp_path / "x.docx").exists()


def test_a_format_width_is_refused_under_a_memory_limit(tmp_path: Path) -> None:
    """P06: under `ulimit -v` the refusal used to blame recursive macros."""
    resource = pytest.importorskip("resource")
    folder = own_template(tmp_path, "{{ '{0:😀>900000000}'.format(1) }}\n".encode())

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    result = subprocess.run(
        [sys.executable, "-m", "wizard", "maak", example("lindewijk"), "--sjablonen", folder,
         "-o", tmp_path / "x.docx", "--stukken", "notitie"],
        capture_output=True, text=True, encoding="utf-8", check=False, timeout=120, preexec_fn=limit,
    )  # fmt: skip
    assert result.returncode == EXIT_DATA_ERROR, result.stderr
    assert "een breedte of precisie in de {}-opmaak is te groot (900000000; hooguit 100000)." in result.stderr


def test_an_ordinary_format_still_works(cli: Cli, tmp_path: Path) -> None:
    folder = own_template(tmp_path, b"# Kop\n\n{{ '{0:>8}|{1:.2f}'.format('ab', 2.5) }}\n")
    result = make_with(cli, tmp_path, folder)
    assert result.code == 0, result.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"# Kop \xff\n",
            "regel 1: het bestand is niet als UTF-8 opgeslagen: op deze regel staat byte 0xFF, die in UTF-8 "
            "niet kan.",
        ),
        (
            "# Kop ë\nTekst \xff\n".encode().replace(b"\xc3\xbf", b"\xff"),
            "regel 2: het bestand is niet helemaal als UTF-8 opgeslagen: op deze regel staat byte 0xFF, die in "
            "UTF-8 niet kan.",
        ),
    ],
)
def test_a_template_that_is_not_utf8_gets_a_dutch_message(
    content: bytes, message: str, cli: Cli, tmp_path: Path
) -> None:
    folder = own_template(tmp_path, content)
    result = make_with(cli, tmp_path, folder)
    assert result.code == EXIT_DATA_ERROR, result.err
    assert f"- {folder / 'notitie' / 'notitie.md.j2'}, {message}" in result.err
    assert "onverwachts" not in result.err


def test_a_utf16_template_saved_by_notepad_is_read(cli: Cli, tmp_path: Path) -> None:
    folder = own_template(tmp_path, "\ufeff# Kop voor Zoë\n\nTekst.\n".encode("utf-16-le"))
    result = make_with(cli, tmp_path, folder)
    assert result.code == 0, result.err
    import zipfile

    with zipfile.ZipFile(tmp_path / "x.docx") as package:
        assert "Kop voor Zoë" in package.read("word/document.xml").decode("utf-8")


def test_a_template_that_links_outside_its_folder_is_refused(cli: Cli, tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("wachtwoord: hunter2\n", encoding="utf-8")
    folder = tmp_path / "sjablonen"
    (folder / "notitie").mkdir(parents=True)
    link = folder / "notitie" / "notitie.md.j2"
    try:
        link.symlink_to(secret)
    except OSError:
        pytest.skip("no symbolic links here")
    result = make_with(cli, tmp_path, folder)
    assert result.code == EXIT_DATA_ERROR
    assert (
        f"- {link}: dit sjabloon is een snelkoppeling naar een bestand buiten de map '{folder / 'notitie'}'.\n"
        "      → Zet het sjabloon zelf in de map, niet een snelkoppeling ernaar."
    ) in result.err
    assert "hunter2" not in result.err and not (tmp_path / "x.docx").exists()


def test_a_link_to_a_template_in_the_same_folder_is_fine(cli: Cli, tmp_path: Path) -> None:
    folder = own_template(tmp_path, b"# Kop\n")
    (folder / "notitie" / "echt.md.j2").write_text("# Eigen kop\n\nTekst.\n", encoding="utf-8")
    (folder / "notitie" / "notitie.md.j2").unlink()
    try:
        (folder / "notitie" / "notitie.md.j2").symlink_to("echt.md.j2")
    except OSError:
        pytest.skip("no symbolic links here")
    assert make_with(cli, tmp_path, folder).code == 0


# --- files that are no files, in every folder the tool lists (N2, R25) -----------------------


def run_tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """A separate process with a time limit: a hang fails the test instead of the suite."""
    return subprocess.run(
        [sys.executable, "-m", "wizard", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_in_a_rules_folder_is_refused_not_a_hang(tmp_path: Path) -> None:
    folder = tmp_path / "regels"
    folder.mkdir()
    os.mkfifo(folder / "x.yaml")  # nobody writes to it: reading it would wait forever
    result = run_tool("toets", example("lindewijk"), "--regels", folder)
    assert result.returncode == EXIT_DATA_ERROR
    assert (
        f"- {folder / 'x.yaml'}: dit is geen gewoon bestand (maar bijvoorbeeld een pijp of een apparaat).\n"
        "      → Geef een YAML-bestand op dat op schijf staat."
    ) in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_in_a_batch_folder_costs_only_itself(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.yaml").write_bytes(example("lindewijk").read_bytes())
    os.mkfifo(folder / "z.yaml")
    result = run_tool("maak", folder, "-o", tmp_path / "uit")
    assert result.returncode == EXIT_DATA_ERROR
    assert f"- {folder / 'z.yaml'}: dit is geen gewoon bestand" in result.stderr
    assert (tmp_path / "uit" / "a.docx").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_an_included_own_template_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "sjablonen"
    (folder / "notitie").mkdir(parents=True)
    (folder / "notitie" / "notitie.md.j2").write_text("{% include 'deel.md.j2' %}\n", encoding="utf-8")
    os.mkfifo(folder / "notitie" / "deel.md.j2")
    result = run_tool("maak", example("lindewijk"), "--sjablonen", folder, "-o", tmp_path / "x.docx")
    assert result.returncode == EXIT_DATA_ERROR
    assert f"- {folder / 'notitie' / 'deel.md.j2'}: dit is geen gewoon bestand" in result.stderr


def test_a_file_given_as_rules_folder_is_named_as_such(tmp_path: Path, cli: Cli) -> None:
    answers = tmp_path / "in.yaml"
    answers.write_bytes(example("lindewijk").read_bytes())
    result = cli("toets", answers, "--regels", answers)
    assert result.code == EXIT_DATA_ERROR
    assert (
        f"- {answers} – --regels: dit is een bestand, geen map met regels.\n"
        "      → Geef na --regels de map op waarin uw regelbestanden (.yaml) staan."
    ) in result.err


@pytest.mark.parametrize("given", ["file", "missing"])
def test_a_templates_folder_that_is_no_folder_is_refused(given: str, tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "sjablonen"
    if given == "file":
        folder.write_text("x", encoding="utf-8")
    result = cli("maak", example("lindewijk"), "--sjablonen", folder, "-o", tmp_path / "x.docx")
    assert result.code == EXIT_DATA_ERROR
    message = (
        "dit is een bestand, geen map met sjablonen."
        if given == "file"
        else "deze map met sjablonen bestaat niet."
    )
    assert (
        f"- {folder} – --sjablonen: {message}\n"
        "      → Geef na --sjablonen de map op waarin uw sjablonen (.md.j2) staan."
    ) in result.err
    assert not (tmp_path / "x.docx").exists()


# --- own rule folders (D22) -------------------------------------------------------------------

RULE = """\
regels:
  - id: {id}
    titel: {title}
    ernst: waarschuwing
    rol: kaderstellen
    als:
      veld: visie
      ingevuld: false
    melding: Geen visie.
    uitleg: Waarom.
    advies: Wat te doen.
    bron:
      document: Eigen bron
    voorbeelden:
      wel:
        - {{gemeente_naam: X}}
      niet:
        - {{visie: Y}}
"""


def test_the_same_rule_id_in_two_own_files_names_both(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "regels"
    folder.mkdir()
    (folder / "a.yaml").write_text(RULE.format(id="eigen-regel", title="Een"), encoding="utf-8")
    (folder / "b.yaml").write_text(RULE.format(id="eigen-regel", title="Twee"), encoding="utf-8")
    result = cli("regels", "--controleer", folder)
    assert result.code == EXIT_DATA_ERROR
    assert (
        f"- {folder / 'b.yaml'}, regel 2 – id: de regel-id 'eigen-regel' komt twee keer voor "
        f"(ook in {folder / 'a.yaml'}, regel 2).\n"
        "      → Geef elke regel een eigen id; een eigen regel met de id van een ingebouwde regel vervangt die."
    ) in result.err


def test_an_own_rule_still_replaces_a_bundled_one(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "regels"
    folder.mkdir()
    (folder / "a.yaml").write_text(RULE.format(id="geen-visie", title="Eigen"), encoding="utf-8")
    assert cli("regels", "--controleer", folder).code == 0


@pytest.mark.parametrize(
    ("title", "what"),
    [("{nl: Titel, en: Title}", "lijstje met sleutels"), ("[a, b]", "lijst"), ("yes", "ja of nee")],
)
def test_a_title_that_is_no_text_is_refused_with_file_line_and_field(
    title: str, what: str, tmp_path: Path, cli: Cli
) -> None:
    folder = tmp_path / "regels"
    folder.mkdir()
    (folder / "a.yaml").write_text(RULE.format(id="eigen-regel", title=title), encoding="utf-8")
    result = cli("regels", "--controleer", folder)
    assert result.code == EXIT_DATA_ERROR
    assert (
        f"- {folder / 'a.yaml'}, regel 3 – regels.0.titel: hier hoort een tekst, geen {what}.\n"
        "      → Schrijf de tekst op dezelfde regel, of zet hem tussen aanhalingstekens."
    ) in result.err


def test_an_id_that_is_a_list_is_said_without_python(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "regels"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        RULE.format(id="[a]", title="T").replace("ernst: waarschuwing", "ernst: [x]"), encoding="utf-8"
    )
    result = cli("regels", "--controleer", folder)
    assert result.code == EXIT_DATA_ERROR
    assert f"- {folder / 'a.yaml'}, regel 2 – regels.0.id: hier hoort een tekst, geen lijst." in result.err
    assert f"- {folder / 'a.yaml'}, regel 4 – regels.0.ernst: hier hoort één woord, geen lijst." in result.err
    assert "['" not in result.err


def test_yml_rule_files_are_read_like_yaml_ones(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "regels"
    folder.mkdir()
    (folder / "eigen.yml").write_text(RULE.format(id="eigen-regel", title="Eigen"), encoding="utf-8")
    result = cli("regels", "--controleer", folder)
    assert result.code == 0, result.err
    listed = cli("regels", "--regels", folder)
    assert "eigen-regel" in listed.out


def test_an_empty_rules_folder_says_which_files_count(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "regels"
    folder.mkdir()
    (folder / "leesmij.txt").write_text("x", encoding="utf-8")
    result = cli("toets", example("lindewijk"), "--regels", folder)
    assert result.code == EXIT_DATA_ERROR
    assert (
        f"- {folder} – --regels: in deze map staan geen regelbestanden (.yaml of .yml).\n"
        "      → Zet uw regels in een bestand dat eindigt op .yaml, in deze map."
    ) in result.err


# --- aliases and merge keys (N8, A12; D9) -----------------------------------------------------


def test_alias_amplification_is_refused_before_it_costs(tmp_path: Path, cli: Cli) -> None:
    """A12: one 1 MB text aliased into 2.000 ties (2 GB written out) took 108 s of CPU."""
    path = tmp_path / "in.yaml"
    lines = ["formaat: 1", f'visie: &v "{"x" * 1_000_000}"', "partnerschappen:"]
    lines += [f"  - {{partner: P{n}, land: Marokko, doelen: *v}}" for n in range(2_000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("toets", path)
    assert result.code == EXIT_DATA_ERROR
    assert result.err == (
        "Er is 1 probleem gevonden:\n"
        f"- {path}, regel 13: de verwijzingen met & en * maken de gegevens te groot (meer dan 10.485.760 "
        "tekens als ze zijn uitgeschreven).\n"
        "      → Schrijf de gegevens uit zonder ankers (&) en verwijzingen (*).\n"
    )


def test_a_few_small_aliases_are_still_fine() -> None:
    from wizard.yamlsource import load_text

    doc = load_text("a: &x [1, 2]\nb: *x\nc: &y {p: 1}\nd: {<<: *y, q: 2}\n")
    assert doc.data == {"a": [1, 2], "b": [1, 2], "c": {"p": 1}, "d": {"p": 1, "q": 2}}


def test_a_merge_key_override_is_read_as_yaml_says(tmp_path: Path, questionnaire: Questionnaire) -> None:
    """D9: `<<: *band` then `partner: X` was refused as a duplicate key."""
    path = tmp_path / "in.yaml"
    path.write_text(
        "partnerschappen:\n  - &band {partner: Nador, land: Marokko}\n  - <<: *band\n    partner: Berkane\n",
        encoding="utf-8",
    )
    loaded = answers_mod.load(path, questionnaire)
    ties = loaded.values["partnerschappen"]
    assert [(t["partner"], t["land"]) for t in ties] == [("Nador", "Marokko"), ("Berkane", "Marokko")]


def test_a_key_twice_beside_a_merge_is_still_refused() -> None:
    from wizard.yamlsource import load_text

    with pytest.raises(DataError) as exc:
        load_text("a: &b {x: 1}\nc:\n  <<: *b\n  y: 1\n  y: 2\n", "in.yaml")
    assert (
        str(exc.value)
        == "in.yaml, regel 5: de sleutel 'y' staat twee keer in dezelfde lijst.\n    → Haal één van de twee weg."
    )


def test_in_a_merge_list_the_first_mapping_wins() -> None:
    from wizard.yamlsource import load_text

    data = load_text("a: &b {x: 1, y: 2}\nd: &e {y: 5, z: 6}\nc:\n  <<: [*b, *e]\n").data
    assert data["c"] == {"x": 1, "y": 2, "z": 6}


# --- control characters never reach the terminal raw (D17, A99, F06) --------------------------


def test_escape_bell_and_nul_in_a_key_are_shown_not_sent(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "in.yaml"
    path.write_text('formaat: 1\n"ge\\e[2Jmeente\\a": x\n"ab\\0cd": y\n', encoding="utf-8")
    result = cli("toets", path)
    assert result.code == EXIT_DATA_ERROR
    assert not any(char in result.err for char in "\x1b\x07\x00")
    assert (
        f"- {path}, regel 2 – ge\\x1b[2Jmeente\\x07: onbekende vraag 'ge\\x1b[2Jmeente\\x07'.\n"
        "      → Bedoelt u 'gemeente_naam'?\n"
        f"- {path}, regel 3 – ab\\x00cd: onbekende vraag 'ab\\x00cd'."
    ) in result.err


def test_a_line_break_and_escape_in_an_output_name_stay_on_one_line(tmp_path: Path, cli: Cli) -> None:
    """F06: the name could print a fake 'Geschreven:' line and clear the screen."""
    name = tmp_path / "a\nGeschreven nep.docx\x1b[2J.docx"
    result = cli("maak", example("lindewijk"), "-o", name, "--stukken", "notitie")
    assert result.code == EXIT_DATA_ERROR
    assert result.err == (
        "Fout: de naam 'a\\nGeschreven nep.docx\\x1b[2J.docx' bevat een stuurteken (zoals een nieuwe regel of Esc).\n"
        "    → Kies met -o een andere naam, bijvoorbeeld notitie.docx.\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_written_name_is_shown_visibly() -> None:
    from wizard.publish import Report

    report = Report(echo=False)
    report.wrote(Path("uit\u202egpj.docx"))
    assert report.lines == [("Geschreven: uit\\u202egpj.docx", False)]


def test_visible_writes_out_every_control_and_direction_character() -> None:
    from wizard.errors import visible, visible_lines

    assert visible("a\x1b[2J\nb\x00\x07\x9b\u202ec\td") == "a\\x1b[2J\\nb\\x00\\x07\\x9b\\u202ec\\td"
    assert visible_lines("regel 1\nregel\x1b 2") == "regel 1\nregel\\x1b 2"
    assert visible("Zoë € 😀") == "Zoë € 😀"


def test_findings_of_an_own_rule_print_no_escape_sequence(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "regels"
    folder.mkdir()
    text = RULE.format(id="eigen-regel", title='"Titel\\e[31m rood"').replace(
        "melding: Geen visie.", 'melding: "Geen\\a visie."'
    )
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    result = cli("toets", example("lindewijk"), "--regels", folder)
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "  [waarschuwing] Titel\\x1b[31m rood  (eigen-regel)\n      Geen\\x07 visie.\n" in result.out


# --- messages that were Dutch but wrong, or half English (D21, N19) ---------------------------


def problem_of(answers_text: str, tmp_path: Path, cli: Cli) -> str:
    """The one problem `toets` reports for an answers file, as printed."""
    path = tmp_path / "in.yaml"
    path.write_text(answers_text, encoding="utf-8")
    result = cli("toets", path)
    assert result.code == EXIT_DATA_ERROR, result.err
    head = "Er is 1 probleem gevonden:\n- "
    assert result.err.startswith(head), result.err
    return result.err[len(head) :].replace(str(path), "in.yaml")


@pytest.mark.parametrize(
    ("answers_text", "printed"),
    [
        (
            "begrotingsjaar: 2026.0\n",  # A30: asked "2026,0 of 2.026.000?"
            "in.yaml, regel 1 – begrotingsjaar: '2026.0' is geen jaartal.\n"
            "      → Schrijf het jaar als vier cijfers, zoals 2026.\n",
        ),
        (
            "inwoners: 68,400\n",  # A82: got advice about cents
            "in.yaml, regel 1 – inwoners: '68,400' is niet duidelijk: bedoelt u 68.400 of 68,4?\n"
            "      → Schrijf 68400 of 68.400: in het Nederlands staat de punt tussen duizendtallen en de komma "
            "voor de decimalen.\n",
        ),
        (
            "inwoners: 68400.7\n",  # A83: asked "68400,7 of 68.400.700?"
            "in.yaml, regel 1 – inwoners: '68400.7' heeft een punt waar in het Nederlands een komma staat.\n"
            "      → Schrijf 68400,7 (de komma staat voor de decimalen).\n",
        ),
        (
            'budget_jaar: "€ 0,001"\n',  # A65: "een punt tussen duizendtallen (0.001)"
            "in.yaml, regel 1 – budget_jaar: '€ 0,001' heeft meer dan twee cijfers na de komma.\n"
            "      → Een bedrag heeft hooguit centen: schrijf bijvoorbeeld 0,01 of 25.000,50.\n",
        ),
        (
            "inwoners: [1, 2]\n",  # A21: "'['1', '2']' is geen getal"
            "in.yaml, regel 1 – inwoners: hier hoort een getal, geen lijst.\n"
            "      → Schrijf alleen cijfers, bijvoorbeeld 25000.\n",
        ),
        (
            "inwoners: {a: 1}\n",  # A22
            "in.yaml, regel 1 – inwoners: hier hoort een getal, geen lijstje met sleutels.\n"
            "      → Schrijf alleen cijfers, bijvoorbeeld 25000.\n",
        ),
        (
            "dienstreizen: [ja]\n",
            "in.yaml, regel 1 – dienstreizen: hier hoort ja of nee, geen lijst.\n      → Schrijf ja of nee.\n",
        ),
        (
            "formaat: true\n",  # A39: was read as formaat 1
            "in.yaml, regel 1 – formaat: hier hoort het getal 1, geen ja of nee.\n"
            "      → Zet 'formaat: 1', of haal de regel weg.\n",
        ),
        (
            "formaat:\n",  # D21b: "formaat None"
            "in.yaml, regel 1 – formaat: 'formaat' is leeg.\n      → Zet 'formaat: 1', of haal de regel weg.\n",
        ),
        (
            "formaat: 1.0\n",  # A38: "formaat 1.0 … leest formaat 1"
            "in.yaml, regel 1 – formaat: '1.0' is geen formaat; het formaat is een heel getal.\n"
            "      → Zet 'formaat: 1', of haal de regel weg.\n",
        ),
        (
            "formaat: 2\n",
            "in.yaml, regel 1 – formaat: formaat 2 wordt niet ondersteund (deze versie leest formaat 1).\n"
            "      → Gebruik een nieuwere versie van beleidsnotitie, of zet 'formaat: 1'.\n",
        ),
        (
            "route: [kort]\n",
            "in.yaml, regel 1 – route: hier hoort 'kort' of 'volledig', geen lijst.\n"
            "      → Kies 'kort' of 'volledig', of haal de regel weg.\n",
        ),
        (
            "formaat: 1\nyes: x\n",  # D21c: "onbekende vraag 'True'"
            "in.yaml, regel 2 – yes: onbekende vraag 'yes'.\n      → Controleer de spelling, of haal de regel weg.\n",
        ),
        (
            "gemeente_naam: A\n---\nauteur: B\n",  # D21i: "(but found another document)"
            "in.yaml, regel 2: dit is geen geldige YAML (er begint een tweede document, na een regel '---' of "
            "'...').\n      → Haal de regel met '---' of '...' weg: een antwoorden- of regelbestand is één geheel.\n",
        ),
        (
            'gemeente_naam: "\\ud800"\n',  # A07: "(found invalid Unicode character escape code)"
            "in.yaml, regel 1: dit is geen geldige YAML (een code met \\u of \\x tussen dubbele aanhalingstekens "
            "is geen geldig teken).\n      → Zet de tekst tussen enkele aanhalingstekens ('), of typ het teken zelf.\n",
        ),
        (
            'gemeente_naam: "\\ud83d\\ude00"\n',  # A08: an escaped surrogate pair
            "in.yaml, regel 1: dit is geen geldige YAML (een code met \\u of \\x tussen dubbele aanhalingstekens "
            "is geen geldig teken).\n      → Zet de tekst tussen enkele aanhalingstekens ('), of typ het teken zelf.\n",
        ),
        (
            "gemeente_naam: A\n\ufeffauteur: B\nvisie: C\n",  # A05: "(did not find expected key)"
            "in.yaml, regel 2: dit is geen geldige YAML (hier staat iets waar een sleutel ('naam:') of een "
            "lijstregel ('- ') hoort).\n"
            "      → Controleer inspringing, dubbele punten en aanhalingstekens op of vlak vóór deze regel.\n",
        ),
        (
            "gemeente_naam: A\nauteur: B\x01C\n",  # a pasted control character: was English with a position
            "in.yaml, regel 2: op deze regel staat een onzichtbaar stuurteken (U+0001) dat in YAML niet mag.\n"
            "      → Haal het teken weg; het komt vaak mee bij kopiëren uit een ander programma.\n",
        ),
    ],
)
def test_each_message_says_what_is_meant(answers_text: str, printed: str, tmp_path: Path, cli: Cli) -> None:
    assert problem_of(answers_text, tmp_path, cli) == printed


def test_formaat_as_quoted_text_is_the_same_as_the_number(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "in.yaml"
    path.write_text('formaat: "1"\ngemeente_naam: Dorp\n', encoding="utf-8")
    assert cli("toets", path).code in (0, 1)  # D21a: was "formaat 1 … leest formaat 1"


def test_utf32_with_a_bom_is_read_not_an_english_parser_error(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "in.yaml"
    path.write_bytes(LINDEWIJK.encode("utf-32"))  # with its byte order mark
    result = cli("maak", path, "-o", tmp_path / "uit.docx", "--stukken", "notitie")
    assert result.code == 0, result.err


def test_a_wrong_soffice_setting_is_named_instead_of_apt_install(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """D21f: a wrong BELEIDSNOTITIE_SOFFICE said 'LibreOffice ontbreekt … sudo apt install'."""
    wrong = tmp_path / "nergens" / "soffice"
    monkeypatch.setenv("BELEIDSNOTITIE_SOFFICE", str(wrong))
    result = cli("maak", example("lindewijk"), "-o", tmp_path / "x.odt", "--stukken", "notitie")
    assert (
        "Let op: er komen geen ODT- of PDF-bestanden; wel .docx. "
        f"BELEIDSNOTITIE_SOFFICE wijst naar '{wrong}', maar daar staat geen LibreOffice. "
        "Verbeter die instelling (het programma soffice of de map van LibreOffice), of haal haar weg."
    ) in result.err
    assert "apt install" not in result.err
    assert (tmp_path / "x.docx").exists()


def test_without_any_libreoffice_the_hint_says_how_to_install_it(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platform

    from wizard import office

    monkeypatch.delenv("BELEIDSNOTITIE_SOFFICE", raising=False)
    monkeypatch.setattr(office, "_soffice", lambda: None)
    monkeypatch.setattr(platform, "system", lambda: "Linux")
    assert office.missing_note() == (
        "Let op: LibreOffice ontbreekt, dus er komen geen ODT- of PDF-bestanden; wel .docx. "
        "Installeer LibreOffice: sudo apt install libreoffice-writer-nogui python3-uno"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ bestaat_niet.x }}", "'bestaat_niet' bestaat niet in dit sjabloon"),
        ("{% for x in y %}open", "het sjabloon houdt op terwijl {% for %} nog open is"),
        ("{% debug %}", "onbekende opdracht {% debug %}"),
        ("{{ ''.__class__ }}", "dit mag niet in een eigen sjabloon ('__class__' van een str is afgeschermd)"),
        ("{{ 1|geen_filter }}", "onbekend filter 'geen_filter'"),
        ("{{ 1 + }}", "'}}' staat op een plek waar het niet kan"),
    ],
)
def test_jinja_messages_are_said_in_dutch(text: str, message: str, cli: Cli, tmp_path: Path) -> None:
    folder = own_template(tmp_path, (text + "\n").encode())
    result = make_with(cli, tmp_path, folder)
    assert result.code == EXIT_DATA_ERROR
    assert f"- {folder / 'notitie' / 'notitie.md.j2'}, regel 1: fout in een sjabloon: {message}" in result.err


def test_argument_errors_are_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    from wizard.cli import main

    for args, printed in (
        (["web", "in.yaml", "--poort", "abc"], "Fout: optie --poort: 'abc' is geen geheel getal\n"),
        (
            ["bestaatniet"],
            "Fout: onbekende opdracht 'bestaatniet' (kies uit 'start', 'maak', 'toets', ",
        ),
    ):
        with pytest.raises(SystemExit) as stop:
            main(args)
        assert stop.value.code == EXIT_DATA_ERROR
        assert printed in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ '%0999999999d'|format(1) }}", "een breedte of precisie in de %-opmaak is te groot."),
        ("{{ '%s %s'|format(1) }}", "de %-opmaak krijgt minder waarden dan zij plaatsen heeft"),
    ],
)
def test_the_format_filter_is_bounded_too(text: str, message: str, cli: Cli, tmp_path: Path) -> None:
    folder = own_template(tmp_path, (text + "\n").encode())
    result = make_with(cli, tmp_path, folder)
    assert result.code == EXIT_DATA_ERROR
    assert f"- {folder / 'notitie' / 'notitie.md.j2'}, regel 1: fout in een sjabloon: {message}" in result.err


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(codec: str, tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    path.write_bytes("gemeente_naam: Zoë\n".encode(codec))
    with pytest.raises(DataError) as exc:
        load_file(path)
    assert str(exc.value) == (
        f"{path}: het bestand is als UTF-16 opgeslagen, maar zonder het kenmerk (BOM) dat zegt in welke "
        "volgorde; de tool leest het daarom niet.\n"
        "    → Sla het bestand op als UTF-8 (in Kladblok: Opslaan als → Codering: UTF-8)."
    )


def test_an_own_control_rule_replaces_a_bundled_one_and_two_own_ones_clash(tmp_path: Path) -> None:
    """The verantwoording's own rule folders are listed and checked as the framework's are."""
    from wizard import evaluation
    from wizard import questionnaire as questionnaire_mod
    from wizard.resources import rules_dir

    accountability = questionnaire_mod.load_cached(questionnaire_mod.VERANTWOORDING)
    bundled = (rules_dir() / "verantwoording" / "controleren.yaml").read_text(encoding="utf-8")
    first = bundled[
        bundled.index("regels:") : bundled.index("\n  - id:", bundled.index("- id: doel-zonder-meting") + 5)
    ]
    own = first.replace(
        "titel: Het jaar van een doel is voorbij, maar er is niet gemeten", "titel: Eigen titel"
    )
    folder = tmp_path / "regels"
    folder.mkdir()
    (folder / "eigen.yml").write_text(own, encoding="utf-8")
    rule_set = evaluation.load_rules(accountability, [folder])
    assert rule_set.by_id()["doel-zonder-meting"].title == "Eigen titel"
    (folder / "nog-een.yaml").write_text(own, encoding="utf-8")
    with pytest.raises(DataError) as exc:
        evaluation.load_rules(accountability, [folder])
    assert [p.format() for p in exc.value.problems] == [
        f"{folder / 'nog-een.yaml'}, regel 2 – id: de regel-id 'doel-zonder-meting' komt twee keer voor "
        f"(ook in {folder / 'eigen.yml'}, regel 2).\n"
        "    → Geef elke regel een eigen id; een eigen regel met de id van een ingebouwde regel vervangt die."
    ]


def test_a_windows_1252_verantwoording_is_said_once(tmp_path: Path, cli: Cli) -> None:
    """The evaluation reads answers files too: a Windows-1252 one is never read silently."""
    from wizard.resources import examples_dir

    for source in (examples_dir() / "verantwoording").glob("*.yaml"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    period = tmp_path / "oosterhaven-2027.yaml"
    text = period.read_text(encoding="utf-8")
    period.write_bytes(text.encode("cp1252", errors="replace"))  # 'ı' has no place in Windows-1252
    result = cli("evaluatie", period, "-o", tmp_path / "e.docx")
    assert result.err.startswith(f"{period}: {CP1252_NOTE}\n"), result.err
    assert result.err.count(CP1252_NOTE) == 1


def test_a_huge_file_in_an_own_templates_folder_is_not_read_whole(tmp_path: Path) -> None:
    """The fingerprint of the templates (bijwerken) read every file in the folder whole."""
    from wizard.draft import Drafter
    from wizard.render import MAX_TEMPLATE_BYTES

    folder = own_template(tmp_path, b"# Kop\n")
    huge = folder / "film.mp4"
    with huge.open("wb") as stream:
        stream.truncate(50 * MAX_TEMPLATE_BYTES)  # sparse: no disk, but 50 MB if read
    reads: list[Path] = []
    original = Path.read_bytes

    def counting(path: Path) -> bytes:
        reads.append(path)
        return original(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "read_bytes", counting)
        first = Drafter(template_dir=folder).templates_fingerprint()
    assert huge not in reads
    huge.write_bytes(b"x")
    assert Drafter(template_dir=folder).templates_fingerprint() != first


def test_a_too_long_list_in_a_rules_file_gets_a_hint_that_fits(tmp_path: Path, cli: Cli) -> None:
    """R15: the hint spoke of ties and goals in an answers file."""
    folder = tmp_path / "regels"
    folder.mkdir()
    alternatives = ", ".join(f"w{n}" for n in range(2_001))
    (folder / "a.yaml").write_text(
        RULE.format(id="eigen-regel", title="T").replace("ingevuld: false", f"is: [{alternatives}]"),
        encoding="utf-8",
    )
    result = cli("toets", example("lindewijk"), "--regels", folder)
    assert result.code == EXIT_DATA_ERROR
    assert (
        f"- {folder / 'a.yaml'}, regel 8: deze lijst is te lang (meer dan 2.000 onderdelen).\n"
        "      → Een antwoordenbestand heeft hooguit enkele tientallen banden of doelen, een regel een paar "
        "voorwaarden. Kies het juiste bestand."
    ) in result.err


def test_vergelijk_prints_answers_without_control_sequences(tmp_path: Path, cli: Cli) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(
        'gemeente_naam: "Dorp\\u009b2J"\n', encoding="utf-8"
    )  # C1 CSI: XML may hold it, a terminal acts on it
    b.write_text("gemeente_naam: Stad\n", encoding="utf-8")
    result = cli("vergelijk", a, b, "--formaat", "geen")
    assert "\x9b" not in result.out
    assert "    A  Dorp\\x9b2J\n" in result.out


def test_the_rules_list_shows_an_own_title_without_escape_sequences(tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "regels"
    folder.mkdir()
    (folder / "a.yaml").write_text(RULE.format(id="eigen-regel", title='"Titel\\e[2J"'), encoding="utf-8")
    result = cli("regels", "--regels", folder)
    assert "\x1b" not in result.out
    assert "kaderstellen Titel\\x1b[2J\n" in result.out
