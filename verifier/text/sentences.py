"""Sentence boundaries as character offsets, the same rules for French and
English: split after . ! ? … (and a closing quote or bracket) when the next
word starts a sentence, and always at a line break; never after a known
abbreviation or an initial ("M.", "Dr.", "J. K.")."""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset("""
m mm mme mmes mlle dr pr me st ste av apr env etc cf p ex vol no nos art al
mr mrs ms jr sr prof gen gov sen rep rev lt col sgt capt cmdr adm u.s u.k e.g i.e vs inc corp co ltd
jan feb mar apr jun jul aug sep sept oct nov dec
""".split())

_END = re.compile(r"[.!?…]+[»”\"’)\]]*(?=\s+)")
_NEXT = re.compile(r"\s+([«“\"(\[]?\s*[A-ZÀ-ÖØ-Þ0-9¿¡—–-])")


def split(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in _END.finditer(line.group()):
            end = line.start() + m.end()
            nxt = _NEXT.match(text, end)
            if not nxt or nxt.start() >= line.end():
                continue
            word = re.search(r"([\w.]+)[.!?…]+[»”\"’)\]]*$", text[start:end])
            if word and text[end - 1] == "." and _is_abbreviation(word.group(1)):
                continue
            spans.append((start, end))
            start = nxt.start(1)
        spans.append((start, line.end()))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def _is_abbreviation(word: str) -> bool:
    low = word.lower()
    return low in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
