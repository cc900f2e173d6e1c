"""Bytes to text: the encoding of an input, found as a browser would.

Text is decoded as the first of these that fits:

1. UTF-16, when it starts with a UTF-16 byte-order mark; UTF-16 or UTF-32 (little or big endian)
   without one when at least a quarter of the bytes are NUL and one of the four readings is text:
   no NUL or control character, nine characters in ten Latin (below U+0250) or typography
   (U+2000-U+20CF) - the NUL bytes of Latin text in those encodings;
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
   without control characters (UTF-16/32 need a byte-order mark, or step 1's NUL bytes);
6. line by line, when some lines with non-ASCII bytes are UTF-8 and others are not: each line as
   UTF-8 if it is valid, else as Windows-1252 (a file pasted together from two sources), with one
   warning on stderr; recorded as ``utf-8+cp1252``.

Binary data (NUL bytes, or the signature of a PDF, an image, an archive) and
anything else are refused with one line.
"""

from __future__ import annotations

import codecs
import logging
import re

from verifier.errors import InputError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ISO_8859_15_HINT = re.compile(rb"[\xbc\xbd][A-Za-z\xe0-\xff]|\d ?\xa4")
_LATIN = re.compile(r"[\x09\x0a\x0d\x20-\x7e\xa0-\u024f\u2000-\u20cf]")
_WIDE = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")
MIXED = "utf-8+cp1252"
log = logging.getLogger("verifier")
_SIGNATURES = {
    b"%PDF-": "a PDF document", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image", b"\x1f\x8b": "gzip-compressed data",
    b"PK\x03\x04": "a ZIP archive (or a .docx/.odt document)",
    b"\xd0\xcf\x11\xe0": "a Microsoft Office document",
}


def decode(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """``data`` as text, and the name of the encoding used (see the module doc)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try_decode(data, "utf-16")
        if text is not None and "\x00" not in text:
            return text, "utf-16"
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            raise InputError(f"{source}: a binary file ({kind}); expected text, Markdown or HTML")
    wide = _without_bom(data) if b"\x00" in data else None
    if wide is not None:
        return wide
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
    mixed = _line_by_line(data, source)
    if mixed is not None:
        return mixed
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


def _without_bom(data: bytes) -> tuple[str, str] | None:
    """Step 1 without a byte-order mark: UTF-16/32 whose NUL bytes (a quarter at least) fall where
    Latin text puts them, and whose reading is text (see the module doc)."""
    if data.count(0) * 4 < len(data):
        return None
    for encoding in _WIDE:
        if len(data) % (4 if "32" in encoding else 2):
            continue
        text = _try_decode(data, encoding)
        if text and "\x00" not in text and not _CONTROL.search(text) and \
                len(_LATIN.findall(text)) >= 0.9 * len(text):
            return text, encoding
    return None


def _line_by_line(data: bytes, source: str) -> tuple[str, str] | None:
    """Step 6: UTF-8 and Windows-1252 lines together, each read in its own encoding; None unless both
    kinds are there (some non-ASCII line valid UTF-8, some not) and the result has no control character."""
    lines, utf8, other = [], 0, 0
    for line in data.splitlines(keepends=True):
        text = _try_decode(line, "utf-8")
        if text is None:
            text, other = line.decode("cp1252", errors="replace"), other + 1
        elif not line.isascii():
            utf8 += 1
        lines.append(text)
    text = "".join(lines)
    if not utf8 or not other or _CONTROL.search(text) or "\ufffd" in text:
        return None
    log.warning("warning: %s: %d line(s) are not UTF-8 and were read as Windows-1252 (the rest as UTF-8)",
                source, other)
    return text, MIXED


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
