"""Folding text for matching: typography, white space and case, with a map back to the original.

``fold`` turns typographic apostrophes (’ ‘ ʼ) into ', quotation marks
(« » “ ” „ ") into ", dashes (– —) into -, … into ..., every run of white
space (no-break and narrow no-break spaces and line breaks too) into one
space, drops the spaces next to a quotation mark, and folds case; it also
returns, for each folded character, the index of the original character it
came from, so that a match in the folded text maps back to exact offsets.
"""

from __future__ import annotations

import re
from itertools import compress

_CHAR_FOLD = {
    "’": "'", "‘": "'", "ʼ": "'", "′": "'", "`": "'",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "‹": '"', "›": '"',
    "–": "-", "—": "-", "‑": "-", "‐": "-", "−": "-",
    "…": "...",
}
_TYPOGRAPHY = str.maketrans(_CHAR_FOLD)
_ONE_TO_ONE = re.compile("[" + "".join(k for k, v in _CHAR_FOLD.items() if len(v) == 1) + "]")
_SLOW = re.compile("[" + "".join(k for k, v in _CHAR_FOLD.items() if len(v) != 1) + "Σ]")
# the white space that folding changes: runs, other spaces than " ", a space beside a quotation mark
_SPACES = re.compile(r'\s{2,}|[^\S ]|(?<=") | (?=")')


def typography(text: str) -> str:
    """``text`` with its apostrophes, quotation marks, dashes and ellipses
    made plain, case kept (no offsets)."""
    return text.translate(_TYPOGRAPHY)


def fold(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` for matching; return the folded text and, for each folded
    character, the index of the original character it came from."""
    folded = _ONE_TO_ONE.sub(lambda m: _CHAR_FOLD[m.group()], text).lower()
    if len(folded) != len(text) or _SLOW.search(text):
        return _fold_by_char(text)  # a character folds to several (…, İ) or depends on context (Σ)
    chars = list(folded)
    keep = bytearray(b"\x01") * len(chars)
    for run in _SPACES.finditer(folded):
        start, end = run.span()
        chars[start] = " "
        keep[start + 1:end] = bytes(end - start - 1)
        if (start > 0 and chars[start - 1] == '"') or (end < len(chars) and chars[end] == '"'):
            keep[start] = 0  # no space next to a quotation mark
    return "".join(compress(chars, keep)), list(compress(range(len(chars)), keep))


def _fold_by_char(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            chars.append(" ")
            index.append(i)
            continue
        for out in _CHAR_FOLD.get(ch, ch).lower():
            chars.append(out)
            index.append(i)
    # drop spaces that touch a quotation mark: « mot » == "mot" == « mot»
    keep = [
        k for k, ch in enumerate(chars)
        if not (ch == " " and ((k > 0 and chars[k - 1] == '"') or (k + 1 < len(chars) and chars[k + 1] == '"')))
    ]
    return "".join(chars[k] for k in keep), [index[k] for k in keep]
