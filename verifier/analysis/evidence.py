"""The evidence of one item: the article around its located quotes.

``ArticleText`` reads an article once for all its items: its sentences
(``text/sentences``), its words, and the details of any stretch of it
(``text/details`` without a parse: names are capitalised runs, the French
conditional is read from its endings, so no model is loaded and every
language reads the same way).  ``evidence(spans)`` gives an item's
``Evidence``: the quotes, the sentences that hold them, and the ``window``
(those and the ``BACK`` sentences before, where the name a pronoun stands
for is given).  The checks read it: ``support`` (details of a paraphrase),
``polarity`` (negations and hedges), ``speakers``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from verifier.models import Span
from verifier.text import sentences as sentence_split
from rapidfuzz import fuzz

from verifier.text.details import STOP, Details, dates_compatible, details, fold, words

BACK = 2  # sentences before the evidence that name who a pronoun stands for
BACK_SPEAKER = 5  # the same for a speaker the evidence refers back to ("a-t-il ajouté")
ALIGNED = 0.5  # share of the paraphrase's words found in its evidence for the stretch it restates to count
TITLES = frozenset("m mm mme mmes mlle dr pr me mr mrs ms sir".split())
ELIDED = re.compile(r"^(?:l|d|qu|n|s|c|j|m|t|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)  # "l'", "Qu’"
_POSSESSIVE = re.compile(r"'s?$")


@dataclass
class Evidence:
    """The article around one item's located quotes."""

    spans: str      # the located quotes themselves
    sentences: str  # the sentences that hold them
    window: str     # those sentences and the BACK sentences before
    first: int = 0  # index of the first and last of those sentences
    last: int = 0
    end: int = 0    # where the last located quote ends


class ArticleText:
    """One article's sentences and words, read once for all its items."""

    def __init__(self, text: str, lang: str):
        self.text, self.lang = text, lang
        self.bounds = sentence_split.split(text)
        self.words = frozenset(words_of(text))
        self.lowercase = frozenset(fold(w) for w in re.findall(r"\b[a-zà-ÿ][\w’'-]*", text))  # common words
        self._all: Details | None = None  # the whole article's details, read when first needed
        self._memo: dict[str, Details] = {}

    def evidence(self, spans: list[Span]) -> Evidence | None:
        """The evidence of the located ``spans`` (None: none is located).  The
        window is each quote's own, not the text between two distant quotes."""
        located = sorted((s for s in spans if s.start is not None), key=lambda s: s.start)
        if not located:
            return None
        quoted = " … ".join(s.text for s in located)
        end = max(s.end for s in located)
        held = [[i for i, (a, b) in enumerate(self.bounds) if a < s.end and b > s.start] for s in located]
        idx = sorted({i for found in held for i in found})
        if not idx:
            return Evidence(quoted, quoted, quoted, end=end)
        sentences = " ".join(self.text[self.bounds[i][0]:self.bounds[i][1]] for i in idx)
        pieces: list[tuple[int, int]] = []
        for s, found in zip(located, held):
            start = min(self.bounds[max(0, found[0] - BACK)][0], s.start) if found else s.start
            stop = max(self.bounds[found[-1]][1], s.end) if found else s.end
            if pieces and start <= pieces[-1][1]:
                pieces[-1] = (pieces[-1][0], max(stop, pieces[-1][1]))
            else:
                pieces.append((start, stop))
        window = " … ".join(self.text[a:b] for a, b in pieces)
        return Evidence(quoted, sentences, window, idx[0], idx[-1], end)

    def read(self, text: str) -> Details:
        """``details`` without a parse, each text read once (items share sentences)."""
        found = self._memo.get(text)
        if found is None:
            found = self._memo[text] = details(text, self.lang, parse=False)
        return found

    def around(self, ev: Evidence, before: int, after: int) -> str:
        """The evidence's sentences with ``before`` sentences before and ``after`` after."""
        if not self.bounds:
            return self.text
        last = min(len(self.bounds) - 1, ev.last + after)
        return self.text[self.bounds[max(0, ev.first - before)][0]:self.bounds[last][1]]

    def gives(self, kind: str, value: str) -> bool:
        """A detail given anywhere in the article (a name a pronoun or "the
        company" stands for, the date of the article)."""
        if self._all is None:
            self._all = self.read(self.text)
        if kind == "number":
            return value in self._all.numbers
        if kind == "date":
            return any(same_date(value, d) for d in self._all.dates)
        return any(same_name(value, e) for e in self._all.entities) or words_in(value, self.words)


def same_name(ours: str, theirs: str) -> bool:
    """The paraphrase's name ``ours`` says no more than the article's
    ``theirs``: all of it or a part ("Musk" for "Elon Musk", "Mme Small" for
    "Janine Small"), or the same spelt a little differently; not a name it
    lengthens ("Kimbal Musk" for "Musk", "Senator Zorglub" for "the Senator")
    nor one that shares a last word ("James Gunn Space Telescope")."""
    if ours == theirs:
        return True
    ta = {unpossessed(t) for t in ours.split() if t not in TITLES}
    tb = {unpossessed(t) for t in theirs.split() if t not in TITLES}
    return bool(ta and tb) and (ta <= tb or fuzz.ratio(ours, theirs) >= 90)


def either_name(a: str, b: str) -> bool:
    """One name is all or part of the other."""
    return same_name(a, b) or same_name(b, a)


def same_date(a: str, b: str) -> bool:
    return a == b or dates_compatible(a, b)


def words_of(text: str) -> list[str]:
    """Folded words, elided articles cut off ("l'elysee" is "elysee")."""
    return [ELIDED.sub("", w) for w in words(text)]


@lru_cache(maxsize=4096)
def spots(text: str) -> list[tuple[int, int, str]]:
    """Words with their offsets, folded, elided articles cut off (read once
    per text: the items of an article share their sentences)."""
    return [(m.start(), m.end(), ELIDED.sub("", fold(m.group()))) for m in re.finditer(r"\w+(?:[-'’]\w+)*", text)]


def name_words(name: str) -> set[str]:
    """The words of a name or role that say who it is (no articles, no titles)."""
    return {w for w in words_of(name) if w not in STOP and w not in TITLES and len(w) > 1}


def unpossessed(word: str) -> str:
    """"australia's" is "australia"."""
    return _POSSESSIVE.sub("", word)


def words_in(name: str, found) -> bool:
    """Every word of ``name`` (titles aside) among the words ``found`` (a
    text's ``Details.words``, or an article's ``words``), or another form of
    it ("Italy" / "Italian")."""
    tokens = [unpossessed(t) for t in name.split() if t not in TITLES and len(t) > 1]
    there = vocabulary(found if isinstance(found, (tuple, frozenset)) else frozenset(found))
    return bool(tokens) and all(t in there or any(same_stem(t, w) for w in there if w[:2] == t[:2])
                                for t in tokens)


@lru_cache(maxsize=1024)
def vocabulary(found: tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """Words without elided articles or possessives, computed once per text (the items of
    an article ask about the same sentences)."""
    return frozenset(unpossessed(w) for w in words_of(" ".join(found)))


def same_stem(a: str, b: str) -> bool:
    """One name in two forms: "Italy" / "Italian", "Russie" / "russe"."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n >= max(4, min(len(a), len(b)) - 2)


def restated(paraphrase: str, evidence: str, before: int = 0) -> str | None:
    """The stretch of ``evidence`` that ``paraphrase`` restates: from the
    first to the last of its words found there in order, and ``before``
    words more before it; None when fewer than half of its content words
    are there."""
    found = _restated_words(paraphrase, evidence)
    if found is None:
        return None
    first, last = found
    places = spots(evidence)
    start = places[max(0, first - before)][0]
    # "n'a pas" before the first word restated: the elided "n'" is cut off the word it sits on
    if re.search(r"\bn['’]$", evidence[max(0, start - 2):start]):
        start -= 2
    return evidence[start:places[last][1]]


@lru_cache(maxsize=1024)
def _restated_words(paraphrase: str, evidence: str) -> tuple[int, int] | None:
    """The first and last words of ``evidence`` that ``paraphrase`` restates
    (one alignment, whatever ``before`` is asked for)."""
    ours = words_of(paraphrase)
    theirs = [w for _, _, w in spots(evidence)]
    content = [w for w in ours if w not in STOP]
    if not content or not theirs:
        return None
    sm = difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    matched = [ours[b.a + k] for b in blocks for k in range(b.size)]
    if sum(w not in STOP for w in matched) < ALIGNED * len(content):
        return None
    return blocks[0].b, blocks[-1].b + blocks[-1].size - 1
