"""Inputs that were refused and are now read (issue 18): HTML nested past lxml's depth limit, UTF-16/32
without a byte-order mark, a file mixing UTF-8 and Windows-1252 lines."""

from __future__ import annotations

import logging

import pytest

from tests.helpers.cli import run_cli
from verifier.errors import InputError
from verifier.ingest.article import article_from_bytes
MIXED = "utf-8+cp1252"  # verifier.ingest.decode.MIXED

TEXT = ("L’Élysée a démenti lundi soir les informations du Monde. « Rien n’est décidé », a dit le "
        "porte-parole du gouvernement, Olivier Véran, devant la presse.")
BODY = ("<p>Le ministre a déclaré lundi que le budget serait présenté en octobre, selon un communiqué "
        "publié par ses services.</p><p>Les syndicats ont aussitôt dénoncé « une méthode brutale ».</p>")


def _nested(inner: str, depth: int) -> bytes:
    return ("<!doctype html><html><head><title>Budget</title><style>p{color:red}</style></head><body>"
            "<nav>Accueil Politique</nav>" + "<div>" * depth + inner + "</div>" * depth +
            "<script>var tracker = 1;</script></body></html>").encode("utf-8")


def test_html_nested_300_divs_deep_is_read_by_a_plain_tag_strip(caplog):
    with caplog.at_level(logging.WARNING, logger="verifier"):
        article = article_from_bytes(_nested(BODY, 300), "deep.html")
    assert article.extracted == "html"
    assert article.text == ("Le ministre a déclaré lundi que le budget serait présenté en octobre, selon un "
                            "communiqué publié par ses services.\n\nLes syndicats ont aussitôt dénoncé « une "
                            "méthode brutale ».")
    assert "Accueil" not in article.text and "tracker" not in article.text
    assert [r.getMessage() for r in caplog.records if "nests elements" in r.getMessage()]


def test_a_shallow_page_still_goes_through_trafilatura_without_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="verifier"):
        article = article_from_bytes(_nested(BODY, 20), "shallow.html")
    assert "Le ministre a déclaré lundi" in article.text
    assert not [r for r in caplog.records if "nests elements" in r.getMessage()]


def test_a_deep_page_without_text_is_still_refused():
    with pytest.raises(InputError, match="no article text found"):
        article_from_bytes(_nested("", 300), "empty.html")


def test_deep_html_on_the_command_line_is_analysed(tmp_path):
    path = tmp_path / "deep.html"
    path.write_bytes(_nested(BODY, 300))
    result = run_cli("claims", str(path), "--engine", "offline", "--json")
    assert result.returncode == 0, result.stderr
    assert b"nests elements 303 deep" in result.stderr


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_byte_order_mark(encoding):
    article = article_from_bytes(TEXT.encode(encoding), "a.txt")
    assert (article.text, article.encoding) == (TEXT, encoding)


@pytest.mark.parametrize("data", [
    b"abc\x00def\x00",                       # NULs at odd places, but reads as CJK: still binary
    b"\x00\x01\x02\x03" * 50,                # control characters in every reading
    bytes(range(256)) * 4,
])
def test_nul_bytes_that_read_as_no_text_stay_binary(data):
    with pytest.raises(InputError, match="binary"):
        article_from_bytes(data, "b.bin")


def test_a_file_mixing_utf8_and_cp1252_lines_is_read_line_by_line(caplog):
    data = ("Première ligne, en UTF-8 : « l’été sera chaud ».\n".encode("utf-8")
            + "Deuxième ligne, en Windows-1252 : œuvre, coût 3 €, déjà.\n".encode("cp1252")
            + "Troisième ligne, de nouveau en UTF-8 : à bientôt.\n".encode("utf-8"))
    with caplog.at_level(logging.WARNING, logger="verifier"):
        article = article_from_bytes(data, "mixed.txt")
    assert article.encoding == MIXED
    assert article.text == ("Première ligne, en UTF-8 : « l’été sera chaud ».\n"
                            "Deuxième ligne, en Windows-1252 : œuvre, coût 3 €, déjà.\n"
                            "Troisième ligne, de nouveau en UTF-8 : à bientôt.\n")
    warnings = [r.getMessage() for r in caplog.records if "Windows-1252" in r.getMessage()]
    assert warnings == ["warning: mixed.txt: 1 line(s) are not UTF-8 and were read as Windows-1252 "
                        "(the rest as UTF-8)"]


def test_a_plain_cp1252_file_is_not_called_mixed():
    article = article_from_bytes("Un été à Noël, coût : 3 €.\nDeux œufs.\n".encode("cp1252"), "a.txt")
    assert article.encoding == "cp1252"
