"""Reading input into an ``Article``: a file, standard input or an address, decoded, HTML extracted, hashed.

An article is a file, standard input (``-``) or an ``http://``/``https://``
address (fetched by ``fetch.py``), of at most ``MAX_BYTES``.  Its bytes are
decoded (``decode.py``: UTF-8, the declared charset, Windows-1252... or one
line saying why not), ``\\r\\n`` and ``\\r`` are normalised to ``\\n``, and
HTML (a ``.html``/``.htm`` file, text that starts like an HTML page, or a
page served as ``text/html``) is reduced to its article body (``html.py``).
Markdown is kept as written.  All offsets the tool prints are indices into
that final text; ``input_sha256`` hashes the bytes as read, ``encoding`` and
``extracted`` record how the text was obtained.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

from verifier.errors import InputError
from verifier.ingest.addresses import safe_url
from verifier.ingest.decode import decode
from verifier.ingest.html import html_to_text, looks_like_html
from verifier.models import ArticleInfo
from verifier.text.language import identify_language

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Article:
    text: str
    source: str
    input_sha256: str
    language: str
    encoding: str = "utf-8"
    extracted: str | None = None  # "html" when the text is an HTML page's extracted body
    final_url: str | None = None  # a fetched article: the address after redirects

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def info(self) -> ArticleInfo:
        """The article's description in the JSON outputs."""
        return ArticleInfo(sha256=self.sha256, source=self.source, language=self.language, chars=len(self.text),
                           encoding=self.encoding, extracted=self.extracted, final_url=self.final_url)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def article_from_bytes(data: bytes, source: str, language: str | None = None, *, charset: str | None = None,
                       html: bool | None = None, final_url: str | None = None) -> Article:
    """An article from raw bytes.  ``charset``: the one declared by the transport (HTTP); ``html``: whether
    the bytes are an HTML page (None: guessed from ``source``'s suffix and the text).  An address's
    ``user:password@`` is never recorded (``source``, ``final_url``, messages)."""
    source = safe_url(source) if is_url(source) else source
    final_url = safe_url(final_url) if final_url else final_url
    if len(data) > MAX_BYTES:
        raise InputError(f"{source}: input is larger than the {MAX_BYTES // (1024 * 1024)} MB limit")
    text, encoding = decode(data, source, charset)
    text = normalize_newlines(text)
    extracted = None
    if text.strip() and (looks_like_html(text, source) if html is None else html):
        text, extracted = normalize_newlines(html_to_text(text, source)), "html"
    if not text.strip():
        raise InputError(f"{source}: the article is empty")
    return Article(
        text=text,
        source=source,
        input_sha256=hashlib.sha256(data).hexdigest(),
        language=language or identify_language(text)[0],
        encoding=encoding,
        extracted=extracted,
        final_url=final_url,
    )


def article_from_text(text: str, source: str = "<text>", language: str | None = None) -> Article:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate (JSON allows "\ud800"): not text
        raise InputError(f"{source}: not valid Unicode text (an unpaired surrogate at character {exc.start})") from None
    return article_from_bytes(data, source, language)


def printable_name(name: str) -> str:
    """A path as the OS gave it (bytes that are not UTF-8 as surrogate escapes) made valid Unicode
    (U+FFFD for those bytes): what records and messages name it by."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def read_article(source: str, language: str | None = None, *, allow_private: bool = True) -> Article:
    """Read a file path, ``-`` for standard input, or an http(s) address.  At most
    ``MAX_BYTES`` + 1 bytes are read, so a larger input is refused without reading it all.
    ``allow_private=False`` (the service): an address must be public (``addresses.py``)."""
    if is_url(source):
        from verifier.ingest.fetch import fetch

        page = fetch(source, MAX_BYTES + 1, allow_private=allow_private)
        return article_from_bytes(page.data, source, language, charset=page.charset, html=page.html,
                                  final_url=page.url)
    if source == "-":
        return article_from_bytes(sys.stdin.buffer.read(MAX_BYTES + 1), "-", language)
    return article_from_bytes(read_file_bytes(source), printable_name(source), language)


def read_file_bytes(source: str) -> bytes:
    """A file's bytes, at most ``MAX_BYTES`` + 1 of them (``article_from_bytes`` refuses more)."""
    path, source = Path(source), printable_name(source)  # the name messages give
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a directory, expected a file")
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None
