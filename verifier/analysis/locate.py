"""Locating engine quotes in the article text (the first step of grounding).

An engine returns verbatim quotes, never offsets.  Each quote is searched for
in three passes, and the first that succeeds gives its span:

1. **exact**: the quote occurs as written.
2. **normalized**: both texts are folded the same way before searching
   (``text.folding.fold``: typography, white space and case; every exact
   occurrence is found this way too).
3. **fuzzy**: rapidfuzz's best partial alignment of the folded quote in the
   folded article, accepted when the aligned window, folded, scores at least
   ``FUZZY_THRESHOLD`` (90/100) against the whole folded quote and the quote
   has at least ``FUZZY_MIN_CHARS`` folded characters.  The span is that
   window widened to whole words (a window that cuts "pas" to "pa" or stops
   before the quote's last word would hide a fact), and by one word either
   side when that scores better; ``score`` is the span's (at least
   ``FUZZY_FLOOR``).
   A quote with an ellipsis ("A … B") is also located part by part; an
   editorial insertion in brackets ("[the minister] said") is searched around.

Every located span is mapped back to the original text, so
``text[span.start:span.end] == span.text`` always holds.  When a quote occurs
more than once (as written or once folded), the occurrence whose sentence
shares most words with the item (its claim text, speaker or content) wins;
then an exact occurrence over a folded one; then the occurrence nearest the
previous item of the same list, since engines list items in article order.
What cannot be located keeps ``start``/``end`` null and makes its item
``grounded: false``.  A quote located by the normalized or fuzzy pass is then
compared with the article's words (``analysis/fidelity``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from verifier.analysis.fidelity import differences
from verifier.models import Span
from verifier.text.folding import fold

FUZZY_THRESHOLD = 90.0
FUZZY_FLOOR = 75.0  # the aligned window scores FUZZY_THRESHOLD; widened to whole words, at least this
FUZZY_MIN_CHARS = 12
_EDGE = frozenset(" .,;:!?")
_SUBSTANTIAL = re.compile(r"\w{3,}|\d")
_BOUNDARIES = (". ", "! ", "? ", "\n")
SENTENCE_WINDOW = 2000  # characters searched either side of a span for its sentence

_BRACKETED = re.compile(r"\[[^\]]{1,80}\]")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\(\s*(?:\.\.\.|…)\s*\)|\.\.\.|…)\s*")


def substantial(quote: str) -> bool:
    """A quote that can stand as evidence: a word of three letters or more, or
    a number ("." or "le" is found in any article and proves nothing)."""
    return bool(_SUBSTANTIAL.search(quote))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold(text)[0]) if len(w) > 2}


@dataclass
class _Candidate:
    start: int
    end: int
    match: str
    score: float | None = None
    elided: bool = False  # located part by part around an ellipsis: each part as written


class Grounder:
    """Locates quotes in one article; the folded article is built once."""

    def __init__(self, text: str):
        self.text = text
        self.folded, self.index = fold(text)
        self._sentences: dict[tuple[int, int], set[str]] = {}

    # -- public -----------------------------------------------------------

    def locate(self, quote: str, context: str = "", near: int | None = None) -> Span:
        quote = quote.strip()
        if not quote:
            return Span(text=quote)
        search = quote
        candidates = self._normalized(search)
        if not candidates and _BRACKETED.search(quote):
            # an editorial insertion in brackets ("[the minister] said") is not the article's words
            # (unless the article has it so): the rest of the quote is searched for, around it
            search = _BRACKETED.sub(" … ", quote).strip(" …")
            if not search:
                return Span(text=quote, quote=quote)
            candidates = self._normalized(search)
        candidates = candidates or self._fuzzy(search) or self._elided(search)
        if not candidates:
            return Span(text=quote, quote=quote)
        best = self._choose(candidates, context, near)
        located = self.text[best.start:best.end]
        return Span(
            start=best.start,
            end=best.end,
            text=located,
            match=best.match,  # type: ignore[arg-type]
            score=best.score,
            quote=None if located == quote else quote,
            # folded matches differ in typography, spacing and case only: faithful by construction
            differences=differences(search, located, self._before(best)) if best.match == "fuzzy" and not best.elided
            else [],
        )

    def locate_all(self, quotes: list[str], context: str, near: int | None) -> tuple[list[Span], int | None]:
        """Locate the evidence quotes of one item; also return the new ``near``.
        A quote too short to stand as evidence (``substantial``) is left
        unlocated."""
        spans = []
        for quote in quotes:
            if substantial(quote):
                span = self.locate(quote, context, near)
            else:
                span = Span(text=quote.strip(), quote=quote.strip() or None)
            if span.start is not None:
                near = span.start
            spans.append(span)
        return spans, near

    # -- passes -----------------------------------------------------------

    def _normalized(self, quote: str) -> list[_Candidate]:
        needle, _ = fold(quote)
        needle = needle.strip()
        if not needle:
            return []
        found, pos = [], self.folded.find(needle)
        while pos != -1:
            cand = self._from_folded(pos, pos + len(needle), "normalized")
            if self.text[cand.start:cand.end] == quote:
                cand.match = "exact"
            found.append(cand)
            pos = self.folded.find(needle, pos + 1)
        return found

    def _fuzzy(self, quote: str) -> list[_Candidate]:
        needle, _ = fold(quote)
        needle = needle.strip()
        if len(needle) < FUZZY_MIN_CHARS or not self.folded:
            return []
        al = fuzz.partial_ratio_alignment(needle, self.folded, score_cutoff=FUZZY_THRESHOLD)
        if al is None or al.dest_end <= al.dest_start:
            return []
        start, end = self._trim(al.dest_start, al.dest_end)
        if end <= start:
            return []
        # score the located text against the whole quote: an article shorter than the quote
        # is aligned inside the quote by rapidfuzz, which would accept a quote that only contains it
        if self._score(needle, start, end) < FUZZY_THRESHOLD:
            return []
        # the window may cut a word at either end ("nistre … ne seraient pa") or stop short of the
        # quote's last word: the span is the best of it widened to whole words, and by one word more
        start, end = self._whole_words(start, end)
        best = max(self._widened(start, end), key=lambda se: (round(self._score(needle, *se)), -(se[1] - se[0])))
        score = self._score(needle, *best)
        if score < FUZZY_FLOOR:
            return []
        cand = self._from_folded(best[0], best[1], "fuzzy")
        cand.score = round(score, 1)
        return [cand]

    def _score(self, needle: str, start: int, end: int) -> float:
        return fuzz.ratio(needle, self.folded[start:end])

    def _widened(self, start: int, end: int) -> list[tuple[int, int]]:
        """The window, and with one more word on either side or both."""
        left = self.folded.rfind(" ", 0, max(0, start - 1)) + 1 if start > 0 else start
        right = self.folded.find(" ", min(len(self.folded), end + 1))
        right = len(self.folded) if right == -1 else right
        return [(start, end), (left, end), (start, right), (left, right)]

    def _whole_words(self, start: int, end: int) -> tuple[int, int]:
        while start > 0 and self.folded[start - 1].isalnum() and self.folded[start].isalnum():
            start -= 1
        while end < len(self.folded) and self.folded[end].isalnum() and self.folded[end - 1].isalnum():
            end += 1
        return start, end

    def _elided(self, quote: str) -> list[_Candidate]:
        parts = [p for p in _ELLIPSIS.split(quote) if p.strip()]
        if len(parts) < 2:
            return []
        spans: list[_Candidate] = []
        for part in parts:
            found = self._normalized(part)
            after = [c for c in found if not spans or c.start >= spans[-1].end]
            if not after:
                return []
            spans.append(min(after, key=lambda c: c.start))
        if spans[-1].end - spans[0].start > len(quote) * 4 + 200:
            return []
        return [_Candidate(spans[0].start, spans[-1].end, "fuzzy", 100.0, elided=True)]

    # -- helpers ----------------------------------------------------------

    def _from_folded(self, fstart: int, fend: int, match: str) -> _Candidate:
        start = self.index[fstart]
        end = self.index[fend - 1] + 1
        return _Candidate(start, end, match)

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        """Without the spaces and the sentence punctuation at either end (". Dmitri …")."""
        while start < end and self.folded[start] in _EDGE:
            start += 1
        while end > start and self.folded[end - 1] in _EDGE:
            end -= 1
        return start, end

    def _before(self, c: _Candidate) -> str:
        """The text before a located quote, where a pronoun's name would be."""
        return self.text[max(0, c.start - SENTENCE_WINDOW):c.start]

    def _sentence_words(self, start: int, end: int) -> set[str]:
        """The words of the sentence around a span, read once per span (a phrase that occurs
        hundreds of times is looked up by every item that quotes it)."""
        found = self._sentences.get((start, end))
        if found is None:
            found = self._sentences[(start, end)] = _words(self._sentence(start, end))
        return found

    def _sentence(self, start: int, end: int) -> str:
        """The sentence(s) around a span: its surroundings for disambiguation."""
        low, high = max(0, start - SENTENCE_WINDOW), min(len(self.text), end + SENTENCE_WINDOW)
        left = max(self.text.rfind(b, low, start) for b in _BOUNDARIES)
        rights = [i for i in (self.text.find(b, end, high) for b in _BOUNDARIES) if i != -1]
        return self.text[left + 1 if left >= 0 else low: min(rights) if rights else high]

    def _choose(self, candidates: list[_Candidate], context: str, near: int | None) -> _Candidate:
        """Best context match, then exact before folded, then nearest to ``near``."""
        if len(candidates) == 1:
            return candidates[0]

        words = _words(context)

        def key(c: _Candidate) -> tuple[float, bool, float]:
            overlap = len(words & self._sentence_words(c.start, c.end)) / len(words) if words else 0.0
            distance = abs(c.start - near) if near is not None else c.start
            return (-overlap, c.match != "exact", distance)

        return min(candidates, key=key)
