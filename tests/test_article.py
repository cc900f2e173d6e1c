"""Reading input: decoding, newline normalisation, clear errors."""

from __future__ import annotations

import pytest

from verifier.ingest.article import article_from_bytes, read_article
from verifier.errors import InputError


def test_crlf_and_bom_are_normalised_and_hashed_as_read():
    a = article_from_bytes("\ufeffLigne un.\r\nLigne deux.\rFin.".encode("utf-8"), "x")
    assert a.text == "Ligne un.\nLigne deux.\nFin."
    b = article_from_bytes(b"Ligne un.\nLigne deux.\nFin.", "y")
    assert a.sha256 == b.sha256 and a.input_sha256 != b.input_sha256


@pytest.mark.parametrize("data,message", [
    (b"", "empty"), (b"  \n\t ", "empty"), (b"\x00\x01\x02", "binary"),
    (bytes(range(0x80, 0x100)), "not readable as text"),
])
def test_bad_bytes(data, message):
    with pytest.raises(InputError, match=message):
        article_from_bytes(data, "f.txt")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_article(str(tmp_path))


def test_language_detection():
    assert article_from_bytes("Le Kremlin a démenti les accusations selon le journal.".encode(), "x").language == "fr"
    assert article_from_bytes(b"The Kremlin denied the report, the paper said.", "x").language == "en"


def test_credentials_in_an_address_are_not_recorded():
    # issue 18: https://user:pw@host/x was kept in the JSON's source and final_url
    article = article_from_bytes(b"Le ministre a dit que tout allait bien.", "https://alice:s3cret@example.org/a?x=1",
                                 final_url="https://bob:hunter2@example.org/b")
    info = article.info()
    assert info.source == "https://example.org/a?x=1"
    assert info.final_url == "https://example.org/b"
    assert "s3cret" not in info.model_dump_json() and "hunter2" not in info.model_dump_json()
    # a file name with an @ is not an address and is kept as given
    assert article_from_bytes(b"Some text here.", "notes@home.txt").source == "notes@home.txt"
