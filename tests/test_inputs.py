"""Every kind of article input: encodings, binary data, HTML pages, addresses, bad paths, sizes.

docs/inputs.md lists each case with the test that covers it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import random
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.helpers.cli import run_cli, without_configuration
from tests.helpers.paths import SEED_000
from verifier.ingest import fetch as fetch_module
from verifier.ingest.article import MAX_BYTES, article_from_bytes, read_article
from verifier.errors import InputError
from verifier.models import ArticleInfo

PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="{charset}">
<title>Réforme des retraites : le gouvernement maintient son calendrier - Le Quotidien</title>
<script>window.dataLayer = [{{"page": "article"}}]; function track() {{ return "Abonnez-vous"; }}</script>
<style>nav {{ display: flex; }}</style>
</head>
<body>
<header><div class="logo">Le Quotidien</div>
<nav><ul><li><a href="/politique">Politique</a></li><li><a href="/economie">Économie</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/abonnement">S'abonner</a></li></ul></nav></header>
<!-- bandeau publicitaire : ne pas afficher en mode lecture -->
<main><article>
<h1>Réforme des retraites : le gouvernement maintient son calendrier</h1>
<p>Le gouvernement a confirmé mardi que le projet de loi sur les retraites serait examiné au Sénat dès la
semaine prochaine, malgré une nouvelle journée de grève qui a réuni des centaines de milliers de manifestants.</p>
<p>« Il n’y aura pas de recul sur l’âge légal de départ », a déclaré le ministre du Travail, Olivier Dussopt,
devant les députés. Selon lui, la réforme est « indispensable pour sauver le système par répartition ».</p>
<p>Les syndicats, de leur côté, dénoncent un passage en force. « Le gouvernement reste sourd à la colère du
pays », a affirmé Laurent Berger, secrétaire général de la CFDT, qui appelle à une nouvelle mobilisation jeudi.</p>
<p>D’après le ministère de l’Intérieur, 480 000 personnes ont défilé mardi, dont 37 000 à Paris.</p>
</article></main>
<aside><h2>Les plus lus</h2><ul><li>Météo : un week-end ensoleillé</li><li>Football : le PSG qualifié</li></ul></aside>
<footer><p>© 2023 Le Quotidien. Tous droits réservés. Mentions légales - Contact - Publicité</p></footer>
<script>track();</script>
</body>
</html>
"""
QUOTE = "Il n’y aura pas de recul sur l’âge légal de départ"
BOILERPLATE = ("Abonnez-vous", "dataLayer", "bandeau publicitaire", "Les plus lus", "Tous droits réservés",
               "S'abonner", "PSG")
NO_BODY = ("<!doctype html><html><head><title>Le Quotidien</title></head><body><header><nav><ul>"
           + "".join(f"<li><a href='/r{i}'>Rubrique {i}</a></li>" for i in range(30))
           + "</ul></nav></header><footer><p>© 2023 Le Quotidien. Mentions légales</p></footer></body></html>")
FRENCH = [
    "Le député a été reçu à l'Élysée mardi, où il a déclaré être « très déçu ».",
    "Grève à la SNCF : « On ne lâchera rien », préviennent les cheminots.",
    "Mme Dupré, 45 ans, a reçu la Légion d'honneur. Où ? À Besançon, près du Doubs.",
    "ÉLYSÉE : LE PRÉSIDENT S'EXPRIME À 20 H",
    "Noël",
    "Ça",
]
CP1252_ONLY = "« C’est un nœud gordien », a dit l’élu. “Jamais”, a-t-il ajouté… Coût : 3 € — Œuvre."
EURO = "L'euro (€) a vingt ans, a rappelé la Banque centrale européenne."  # ISO-8859-15: € is 0xA4


def binary_samples() -> dict[str, bytes]:
    noise = random.Random(7)
    return {
        "nul bytes": b"abc\x00def\x00",
        "png": b"\x89PNG\r\n\x1a\n" + bytes(noise.randrange(256) for _ in range(200)),
        "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(128, 256)),
        "gzip": gzip.compress("Un article compressé.".encode()),
        "random bytes": bytes(noise.randrange(1, 256) for _ in range(4096)),  # no NUL byte: detection decides
        "noise with a control character": b"\x92v,\xd4\xdf\xdf\xfa\xc8\xb5\xa0\x83\na4Y\x1a",  # else cp1252
        "noise without a byte-order mark": b"\xa2\x9e\xcc0\x19sN%\x18\x8a\xd0\xe4\xb2\xa3\x0b\x99",  # else UTF-16
    }


# -- encodings --------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
@pytest.mark.parametrize("text", FRENCH)
def test_short_french_in_latin1_or_cp1252_decodes_right(text, encoding):
    data = text.encode(encoding)
    article = article_from_bytes(data, "a.txt")
    assert article.text == text and article.encoding == "cp1252"
    assert article.input_sha256 == hashlib.sha256(data).hexdigest()  # the raw bytes
    assert article.sha256 == article_from_bytes(text.encode("utf-8"), "b.txt").sha256  # the decoded text


def test_cp1252_reads_bytes_0x80_to_0x9f_as_typography():
    data = CP1252_ONLY.encode("cp1252")
    assert {0x92, 0x9C, 0x80, 0x93, 0x94, 0x85, 0x97, 0x8C} <= set(data)
    article = article_from_bytes(data, "a.txt")
    assert article.text == CP1252_ONLY and article.encoding == "cp1252"
    assert "’" in article.text and "œ" in article.text and "\x92" not in article.text


def test_iso_8859_15_when_oe_stands_in_a_word():
    data = "Le cœur du problème coûte 5 € par foyer.".encode("iso8859-15")
    article = article_from_bytes(data, "a.txt")
    assert article.text == "Le cœur du problème coûte 5 € par foyer." and article.encoding == "iso8859-15"


def test_utf8_bom_utf16_and_another_detected_encoding():
    bom = article_from_bytes("\ufeffL’Élysée a démenti.\r\n".encode("utf-8"), "a.txt")
    assert (bom.text, bom.encoding) == ("L’Élysée a démenti.\n", "utf-8-sig")
    utf16 = article_from_bytes("L’Élysée a démenti.".encode("utf-16"), "a.txt")
    assert (utf16.text, utf16.encoding) == ("L’Élysée a démenti.", "utf-16")
    russian = "Президент России заявил во вторник, что переговоры продолжатся на следующей неделе."
    other = article_from_bytes(russian.encode("cp1251"), "a.txt")
    assert (other.text, other.encoding) == (russian, "cp1251")


@pytest.mark.parametrize("name", list(binary_samples()))
def test_binary_input_is_refused_in_one_line(name):
    with pytest.raises(InputError) as caught:
        article_from_bytes(binary_samples()[name], "f.bin")
    message = str(caught.value)
    assert message.startswith("f.bin: ") and "\n" not in message
    assert "binary" in message or "not readable as text" in message


def test_article_info_records_encoding_and_old_json_still_validates():
    info = article_from_bytes("Le député a été reçu.".encode("latin-1"), "a.txt").info()
    assert (info.encoding, info.extracted, info.final_url) == ("cp1252", None, None)
    old = ArticleInfo.model_validate({"sha256": "0" * 64, "source": "a.txt", "language": "fr", "chars": 3})
    assert old.encoding is None and old.extracted is None


# -- HTML -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def offline_engine():
    from verifier.engines import make_engine

    return make_engine("offline")


def test_html_page_is_extracted_and_quotes_are_grounded_in_the_extracted_text(offline_engine):
    from verifier.analysis import AnalyzeOptions, analyze

    article = article_from_bytes(PAGE.format(charset="utf-8").encode("utf-8"), "page.html")
    assert article.extracted == "html" and QUOTE in article.text
    assert not any(junk in article.text for junk in BOILERPLATE)
    result = analyze(article, offline_engine, AnalyzeOptions(use_cache=False))
    spans = [s for c in result.claims if c.grounded for s in c.evidence]
    spans += [a.evidence for a in result.attributions if a.grounded]
    assert spans and all(article.text[s.start:s.end] == s.text for s in spans)
    assert any(QUOTE in a.evidence.text and a.kind.value == "direct" for a in result.attributions if a.grounded)
    assert result.article.extracted == "html" and result.article.chars == len(article.text)


@pytest.mark.parametrize("declared", ["windows-1252", "iso-8859-1"])
def test_html_in_cp1252_declared_by_meta_charset(declared):
    article = article_from_bytes(PAGE.format(charset=declared).encode("cp1252"), "page.htm")
    assert (article.encoding, article.extracted) == ("cp1252", "html") and QUOTE in article.text


def test_meta_charset_is_followed_over_detection():
    page = f'<!doctype html><html><head><meta charset="iso-8859-15"></head><body><p>{EURO}</p></body></html>'
    assert article_from_bytes(page.encode("iso8859-15"), "e.html").text == EURO
    undeclared = f"<!doctype html><html><body><p>{EURO}</p></body></html>".encode("iso8859-15")
    assert article_from_bytes(undeclared, "e.html").text == EURO.replace("€", "¤")  # detection: Windows-1252


def test_html_page_without_article_body_is_refused():
    with pytest.raises(InputError, match=r"^nav\.html: no article text found in this HTML page$"):
        article_from_bytes(NO_BODY.encode(), "nav.html")


# -- files, standard input, sizes, batch ------------------------------------------------------------


def test_empty_missing_directory_and_too_large_files(tmp_path):
    (tmp_path / "blank.txt").write_bytes(b" \r\n\t\n")
    with pytest.raises(InputError, match="the article is empty"):
        read_article(str(tmp_path / "blank.txt"))
    with pytest.raises(InputError, match="no such file"):
        read_article(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_article(str(tmp_path))
    (tmp_path / "big.txt").write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(InputError, match=r"big\.txt: input is larger than the 10 MB limit"):
        read_article(str(tmp_path / "big.txt"))


def test_standard_input_is_read_like_a_file(monkeypatch):
    data = "Le député a été reçu.\r\n".encode("cp1252")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    article = read_article("-")
    assert (article.text, article.source, article.encoding) == ("Le député a été reçu.\n", "-", "cp1252")


def test_batch_reads_latin1_and_records_a_binary_file_as_failed(tmp_path):
    from verifier.batch import BatchOptions, run_batch
    from verifier.engines import make_engine
    from verifier.batch.inputs import collect

    folder = tmp_path / "in"
    folder.mkdir()
    text = "« Nous ne reculerons pas », a déclaré lundi le ministre de l’Économie devant les députés."
    (folder / "latin.txt").write_bytes(text.encode("cp1252"))
    (folder / "scan.txt").write_bytes(binary_samples()["png"])
    items = {item.id.rsplit("/", 1)[-1]: item for item in collect([str(folder)])}
    assert items["latin.txt"].read().text == text
    summary = run_batch([str(folder)], tmp_path / "out.jsonl", make_engine("offline"), BatchOptions(workers=1,
                                                                          progress=False))
    assert (summary.done, len(summary.failed)) == (1, 1)
    assert summary.failed[0].error_type == "input" and "a PNG image" in summary.failed[0].error


# -- addresses --------------------------------------------------------------------------------------


class _Site(BaseHTTPRequestHandler):
    """Pages for the fetch tests; ``sent`` counts the bytes of /big actually written."""

    protocol_version = "HTTP/1.0"
    pages = {
        "/article.html": ("text/html; charset=utf-8", PAGE.format(charset="utf-8").encode("utf-8")),
        "/nobody.html": ("text/html", NO_BODY.encode()),
        "/story": ("text/html", f"<div><p>{EURO}</p><p>{CP1252_ONLY}</p></div>".encode()),  # no doctype, no suffix
        "/raw": ("text/plain", PAGE.format(charset="utf-8").encode()),  # an HTML file served as plain text
        "/plain.txt": ("text/plain; charset=utf-8", CP1252_ONLY.encode("utf-8")),
        "/euro.txt": ("text/plain; charset=iso-8859-15", EURO.encode("iso8859-15")),
        "/untyped": (None, CP1252_ONLY.encode("cp1252")),
        "/doc.pdf": ("application/pdf", binary_samples()["pdf"]),
        "/claims.txt": ("text/plain", "Le ministre a démissionné.\nLa réforme est adoptée.\n".encode()),
    }
    seen: list[tuple[str, dict]] = []
    sent = 0

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _Site.seen.append((self.path, dict(self.headers)))
        if self.path in self.pages:
            kind, body = self.pages[self.path]
            self.send_response(200)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path in ("/moved", "/loop"):
            self.send_response(302)
            self.send_header("Location", "/article.html" if self.path == "/moved" else "/loop")
            self.end_headers()
        elif self.path == "/big":  # no Content-Length: only the reader's cap stops it
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                while _Site.sent < 8 * MAX_BYTES:
                    self.wfile.write(b"a" * 65536)
                    _Site.sent += 65536
            except OSError:
                pass
        elif self.path == "/slow":
            time.sleep(2)
            try:
                self.send_error(503)
            except OSError:
                pass
        else:
            self.send_error(404)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_fetched_html_page_is_extracted_with_an_honest_user_agent(site):
    article = read_article(f"{site}/article.html")
    assert article.source == f"{site}/article.html" and article.extracted == "html" and article.encoding == "utf-8"
    assert QUOTE in article.text and not any(junk in article.text for junk in BOILERPLATE)
    assert _Site.seen[-1][1]["User-Agent"].startswith("Mozilla/5.0 (compatible; verifier/")
    story = read_article(f"{site}/story")  # served as text/html: extracted though it does not look like a page
    assert story.extracted == "html" and "<p>" not in story.text and EURO in story.text
    raw = read_article(f"{site}/raw")  # served as text/plain but an HTML page: extracted like a local file
    assert raw.extracted == "html" and QUOTE in raw.text


def test_fetched_plain_text_and_charsets(site):
    plain = read_article(f"{site}/plain.txt")
    assert (plain.text, plain.extracted) == (CP1252_ONLY, None)
    euro = read_article(f"{site}/euro.txt")  # the Content-Type charset, not detection
    assert (euro.text, euro.encoding) == (EURO, "iso8859-15")
    untyped = read_article(f"{site}/untyped")
    assert (untyped.text, untyped.encoding) == (CP1252_ONLY, "cp1252")


def test_redirect_is_followed_and_recorded(site):
    article = read_article(f"{site}/moved")
    assert article.source == f"{site}/moved" and article.final_url == f"{site}/article.html"
    assert article.info().final_url == f"{site}/article.html" and QUOTE in article.text


@pytest.mark.parametrize("path,message", [
    ("/missing", r"^{url}: HTTP 404 Not Found$"),
    ("/doc.pdf", r"^{url}: the server sent application/pdf, not an HTML page or plain text"),
    ("/loop", r"^{url}: more than 5 redirects$"),
    ("/nobody.html", r"^{url}: no article text found in this HTML page$"),
    ("/big", r"^{url}: input is larger than the 10 MB limit$"),
])
def test_fetch_failures_are_one_line(site, path, message):
    url = f"{site}{path}"
    with pytest.raises(InputError, match=message.format(url=re.escape(url))):
        read_article(url)
    if path == "/big":
        assert _Site.sent < 3 * MAX_BYTES  # the body was cut, not read to its end
    if path == "/loop":
        assert [p for p, _ in _Site.seen].count("/loop") == fetch_module.MAX_REDIRECTS + 1


def test_unreachable_and_silent_servers(site, monkeypatch):
    url = closed_port_url()
    with pytest.raises(InputError, match=rf"^cannot fetch {url}: .*; check the address or your network connection$"):
        read_article(url)
    monkeypatch.setattr(fetch_module, "TIMEOUT", 0.3)
    with pytest.raises(InputError, match=r"^cannot fetch .*/slow: no answer within 0\.3 s; check the address"):
        read_article(f"{site}/slow")


def test_verify_claims_can_be_an_address(site):
    from verifier.analysis import Pipeline
    from verifier.compare.claims_input import read_claims
    from verifier.engines import make_engine

    claims, described, _ = read_claims(f"{site}/claims.txt", Pipeline(make_engine()))
    assert [c.text for c in claims] == ["Le ministre a démissionné.", "La réforme est adoptée."]
    assert "one claim per line" in described


# -- the command line -------------------------------------------------------------------------------


def test_bad_inputs_on_the_command_line_are_one_line_exit_3(tmp_path, site):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\t\n")
    (tmp_path / "scan.png").write_bytes(binary_samples()["png"])
    cases = [
        (["claims", str(tmp_path / "empty.txt")], None, "empty.txt: the article is empty"),
        (["summarize", str(tmp_path / "blank.txt")], None, "blank.txt: the article is empty"),
        (["who-said-what", str(tmp_path / "scan.png")], None, "a binary file (a PNG image)"),
        (["record", str(tmp_path / "scan.png")], None, "a binary file (a PNG image)"),
        (["claims", str(tmp_path)], None, "is a directory, expected a file"),
        (["claims", str(tmp_path / "nope.txt")], None, "nope.txt: no such file"),
        (["claims", "-"], b"", "-: the article is empty"),
        (["claims", f"{site}/nobody.html"], None, "/nobody.html: no article text found in this HTML page"),
        (["claims", "-"], b"a" * (MAX_BYTES + 1), "-: input is larger than the 10 MB limit"),
        (["diff", f"{site}/missing", str(SEED_000)], None, "/missing: HTTP 404 Not Found"),
        (["verify", str(SEED_000), "--against", closed_port_url()], None, "check the address or your network"),
    ]
    for args, stdin, expected in cases:
        proc = run_cli(*args, stdin=stdin)
        err = without_configuration(proc.stderr.decode())
        assert proc.returncode == 3, (args, err)
        assert err.count("\n") == 1 and err.startswith("verifier: error: ") and expected in err, (args, err)
        assert "Traceback" not in err and proc.stdout == b"", args


def test_article_help_mentions_addresses():
    from typer.testing import CliRunner

    from verifier.cli import app

    assert "http(s)://" in CliRunner().invoke(app, ["claims", "--help"]).output

