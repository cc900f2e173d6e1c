"""Reading input into an ``Article``: decoding, HTML extraction, newline normalisation, hashing.

An article is a file, standard input (``-``) or an ``http://``/``https://``
address (fetched by ``fetch.py``), of at most ``MAX_BYTES``.  Binary data (NUL
bytes, or the signature of a PDF, an image, an archive) is refused.  Text is
decoded as the first of these that fits:

1. UTF-16, when it starts with a UTF-16 byte-order mark;
2. UTF-8 (a leading BOM is dropped);
3. the charset the input declares: the HTTP ``Content-Type``, else an HTML
   page's ``<meta charset>``; ISO-8859-1 and ASCII labels are read as
   Windows-1252, as browsers do;
4. Windows-1252, when that reading is clean text (charset-normalizer's mess
   measure, no control characters).  It is the usual encoding of French and
   English text that is not UTF-8: ISO-8859-1 plus ’ “ ” œ € … in bytes
   0x80-0x9F, where ISO-8859-1 has control characters.  ISO-8859-15 instead
   when 0x80-0x9F is unused and œ/Œ (0xBD/0xBC) stand before a letter or €
   (0xA4) after a digit;
5. charset-normalizer's best guess among all encodings, when it reads as text
   without control characters (UTF-16/32 need a byte-order mark).

Anything else is refused with one line.  The article text is the decoded text
with ``\\r\\n`` and ``\\r`` normalised to ``\\n``.  Markdown is kept as
written.  HTML (a ``.html``/``.htm`` file, text that starts like an HTML page,
or a page served as ``text/html``) is reduced to its article body by
trafilatura.  All offsets the tool prints are indices into that final text;
``input_sha256`` hashes the bytes as read, ``encoding`` and ``extracted``
record how the text was obtained.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from verifier.errors import InputError
from verifier.text.language import detect_language
from verifier.models import ArticleInfo

MAX_BYTES = 10 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm")
_HTML_START = re.compile(r"\s*(<!doctype\s+html|<html[\s>])", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ISO_8859_15_HINT = re.compile(rb"[\xbc\xbd][A-Za-z\xe0-\xff]|\d ?\xa4")
_SIGNATURES = {
    b"%PDF-": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image", b"\x1f\x8b": "gzip-compressed data",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.odt document)",
    b"\xd0\xcf\x11\xe0": "a Microsoft Office document",
}


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


def looks_like_html(text: str, source: str = "") -> bool:
    return source.lower().endswith(HTML_SUFFIXES) or bool(_HTML_START.match(text[:1024]))


def html_to_text(html: str, source: str) -> str:
    """The article body of an HTML page (trafilatura), as plain text.  A page has none when trafilatura's
    precise mode without fallback extractors finds nothing: only navigation, links and boilerplate."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its complaints end as the one error below
    options = {"output_format": "txt", "include_comments": False, "include_tables": False}
    text = trafilatura.extract(html, **options)
    if not text or not text.strip() or not trafilatura.extract(html, fast=True, favor_precision=True, **options):
        raise InputError(f"{source}: no article text found in this HTML page")
    return text


def decode(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """``data`` as text, and the name of the encoding used (see the module doc)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try_decode(data, "utf-16")
        if text is not None and "\x00" not in text:
            return text, "utf-16"
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"{source}: a binary file ({kind}); expected text, Markdown or HTML")
    if b"\x00" in data:
        raise InputError(f"{source}: looks like a binary file (it holds NUL bytes); expected text, Markdown or HTML")
    text = _try_decode(data, "utf-8-sig")
    if text is not None:
        return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    declared = _codec(declared) or _codec(_meta_charset(data))
    text = _try_decode(data, declared) if declared else None
    if text is not None:
        return text, declared
    detected = _detect(data)
    if detected is not None:
        return detected
    tried = "UTF-8, " + (f"the declared {declared}, " if declared else "") + "Windows-1252 and charset detection"
    raise InputError(f"{source}: not readable as text (tried {tried}); if it is text, convert it to UTF-8")


def _detect(data: bytes) -> tuple[str, str] | None:
    """Steps 4 and 5 of the module doc: Windows-1252 (or ISO-8859-15), else charset-normalizer's guess."""
    from charset_normalizer import from_bytes

    if from_bytes(data, cp_isolation=["cp1252"]).best() is not None and not _CONTROL.search(data.decode("cp1252")):
        encoding = "iso8859-15" if not _C1_BYTES.search(data) and _ISO_8859_15_HINT.search(data) else "cp1252"
        return data.decode(encoding), encoding
    best = from_bytes(data).best()
    guess = codecs.lookup(best.encoding).name if best is not None else ""
    if guess and not guess.startswith(("utf-16", "utf-32")) and not _CONTROL.search(str(best)):
        return str(best), guess
    return None


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:16384])
    return match.group(1).decode("ascii", "replace") if match else None


def _codec(label: str | None) -> str | None:
    """Python's name for a declared charset; ISO-8859-1 and ASCII mean Windows-1252 (as in browsers);
    None when unknown or when it needs a byte-order mark (UTF-16/32)."""
    try:
        name = codecs.lookup(label).name if label else None
    except LookupError:
        return None
    if name in ("iso8859-1", "ascii"):
        return "cp1252"
    return None if name is None or name.startswith(("utf-16", "utf-32")) else name


def article_from_bytes(data: bytes, source: str, language: str | None = None, *, charset: str | None = None,
                       html: bool | None = None, final_url: str | None = None) -> Article:
    """An article from raw bytes.  ``charset``: the one declared by the transport (HTTP); ``html``: whether
    the bytes are an HTML page (None: guessed from ``source``'s suffix and the text)."""
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
        language=language or detect_language(text),
        encoding=encoding,
        extracted=extracted,
        final_url=final_url,
    )


def article_from_text(text: str, source: str = "<text>", language: str | None = None) -> Article:
    return article_from_bytes(text.encode("utf-8"), source, language)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def read_article(source: str, language: str | None = None) -> Article:
    """Read a file path, ``-`` for standard input, or an http(s) address.  At most
    ``MAX_BYTES`` + 1 bytes are read, so a larger input is refused without reading it all."""
    if is_url(source):
        from verifier.ingest.fetch import fetch

        page = fetch(source, MAX_BYTES + 1)
        return article_from_bytes(page.data, source, language, charset=page.charset, html=page.html,
                                  final_url=page.url)
    if source == "-":
        return article_from_bytes(sys.stdin.buffer.read(MAX_BYTES + 1), "-", language)
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a directory, expected a file")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None
    return article_from_bytes(data, source, language)
