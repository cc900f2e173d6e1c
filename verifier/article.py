"""Reading input into an ``Article``: decoding, newline normalisation, hashing.

The article text is the input decoded as UTF-8 (a leading BOM is dropped) with
``\\r\\n`` and ``\\r`` normalised to ``\\n``.  All offsets the tool prints are
indices into that text.  Markdown is kept as written, so offsets point into
the Markdown source.  HTML (a ``.html``/``.htm`` file, or text that starts
like an HTML page) is reduced to its article body by trafilatura; offsets
then point into that extracted text, and ``input_sha256`` still hashes the
bytes as read.
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from verifier.errors import InputError
from verifier.language import detect_language

MAX_BYTES = 10 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm")
_HTML_START = re.compile(r"\s*(<!doctype\s+html|<html[\s>])", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    text: str
    source: str
    input_sha256: str
    language: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def looks_like_html(text: str, source: str = "") -> bool:
    return source.lower().endswith(HTML_SUFFIXES) or bool(_HTML_START.match(text[:1024]))


def html_to_text(html: str, source: str) -> str:
    """The article body of an HTML page (trafilatura), as plain text."""
    import trafilatura

    text = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=False)
    if not text or not text.strip():
        raise InputError(f"{source}: no article text found in this HTML page")
    return text


def article_from_bytes(data: bytes, source: str, language: str | None = None) -> Article:
    if len(data) > MAX_BYTES:
        raise InputError(f"{source}: input is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if b"\x00" in data:
        raise InputError(f"{source}: looks like a binary file, expected UTF-8 text, Markdown or HTML")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not valid UTF-8 (byte {exc.start}); convert it to UTF-8 first") from None
    text = normalize_newlines(text)
    if text.strip() and looks_like_html(text, source):
        text = normalize_newlines(html_to_text(text, source))
    if not text.strip():
        raise InputError(f"{source}: the article is empty")
    return Article(
        text=text,
        source=source,
        input_sha256=hashlib.sha256(data).hexdigest(),
        language=language or detect_language(text),
    )


def article_from_text(text: str, source: str = "<text>", language: str | None = None) -> Article:
    return article_from_bytes(text.encode("utf-8"), source, language)


def read_article(source: str, language: str | None = None) -> Article:
    """Read a file path, or ``-`` for standard input."""
    if source == "-":
        data = sys.stdin.buffer.read()
        return article_from_bytes(data, "-", language)
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a directory, expected a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None
    return article_from_bytes(data, source, language)
