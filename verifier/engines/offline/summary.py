"""Extractive summary: a few of the article's own sentences, each citing
itself.

Eligible sentences end like sentences, are not questions and have eight
words or more.  Each gets

    score = 0.6 × centrality + 0.4 × position

* centrality: the mean cosine similarity of the sentence's content words
  (lower-cased lemmas in French, words in English; stop words and words of
  two letters or fewer left out) with every other eligible sentence,
  divided by the highest such mean (so the most central sentence scores 1);
  computed as the dot product of the sentence's unit vector with the sum of
  the others', so its cost grows with the article's length, not its square;
* position: 1 / (1 + 0.2 × rank), rank 0 for the first eligible sentence
  (news puts the essentials first).

The N best are returned in article order.  A long article is read in blocks
(``engine.py``): ``candidates`` takes each block's sentences and
``pick`` chooses among all of them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from verifier.text.language import STOPWORDS
from verifier.models import SummarySentenceDraft
from verifier.engines.offline.parsed import Sentence

DEFAULT_SENTENCES = 3


@dataclass(frozen=True)
class Candidate:
    """A sentence that may be picked: its words, and whether it is eligible."""

    quote: str
    bag: Counter
    eligible: bool


def candidates(text: str, sents: list[Sentence], lang: str) -> list[Candidate]:
    """The sentences of ``sents`` that ``pick`` may choose from."""
    return [Candidate(text[s.start:s.end], _bag(s, lang), _eligible(text[s.start:s.end]))
            for s in sents if text[s.start:s.end].strip()]


def pick(cands: list[Candidate], n: int = DEFAULT_SENTENCES) -> list[SummarySentenceDraft]:
    """The ``n`` best candidates, in article order (see the module doc)."""
    eligible = [c for c in cands if c.eligible] or cands[:n]
    units = [_unit(c.bag) for c in eligible]
    total: dict[str, float] = {}
    for unit in units:
        for word, value in unit.items():
            total[word] = total.get(word, 0.0) + value
    # the sentence's own term (its unit vector times itself) is 1; rounding drops float noise around 0
    central = [round((sum(v * total[w] for w, v in u.items()) - 1.0 if u else 0.0) / max(1, len(units) - 1), 12)
               for u in units]
    top = max(central, default=0) or 1.0
    scores = [0.6 * c / top + 0.4 / (1 + 0.2 * rank) for rank, c in enumerate(central)]
    best = sorted(range(len(eligible)), key=lambda i: -scores[i])[:max(1, n)]
    return [SummarySentenceDraft(text=eligible[i].quote, citations=[eligible[i].quote]) for i in sorted(best)]


def _eligible(body: str) -> bool:
    return bool(re.search(r"[.!»”\"]\s*$", body)) and not body.endswith("?") and len(body.split()) >= 8


def _bag(sent: Sentence, lang: str) -> Counter:
    stop = STOPWORDS.get(lang, set())
    words = (t.lemma_.lower() if sent.parsed else t.lower_ for t in sent.doc if t.is_alpha)
    return Counter(w for w in words if len(w) > 2 and w not in stop)


def _unit(bag: Counter) -> dict[str, float]:
    """``bag`` scaled to length 1 (empty stays empty)."""
    norm = math.sqrt(sum(v * v for v in bag.values()))
    return {w: v / norm for w, v in bag.items()} if norm else {}
