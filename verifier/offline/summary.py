"""Extractive summary: a few of the article's own sentences, each citing
itself.

Eligible sentences end like sentences, are not questions and have eight
words or more.  Each gets

    score = 0.6 × centrality + 0.4 × position

* centrality: the mean cosine similarity of the sentence's content words
  (lower-cased lemmas in French, words in English; stop words and words of
  two letters or fewer left out) with every other eligible sentence,
  divided by the highest such mean (so the most central sentence scores 1);
* position: 1 / (1 + 0.2 × rank), rank 0 for the first eligible sentence
  (news puts the essentials first).

The N best are returned in article order.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from verifier.language import STOPWORDS
from verifier.models import SummarySentenceDraft
from verifier.offline.tokens import Sentence

DEFAULT_SENTENCES = 3


def extract_summary(text: str, sents: list[Sentence], n: int = DEFAULT_SENTENCES,
                    lang: str = "en") -> list[SummarySentenceDraft]:
    eligible = [s for s in sents if _eligible(text[s.start:s.end])]
    if not eligible:
        eligible = [s for s in sents if text[s.start:s.end].strip()][:n]
    bags = [_bag(s, lang) for s in eligible]
    central = [sum(_cosine(b, o) for j, o in enumerate(bags) if j != i) / max(1, len(bags) - 1)
               for i, b in enumerate(bags)]
    top = max(central, default=0) or 1.0
    scores = [0.6 * c / top + 0.4 / (1 + 0.2 * rank) for rank, c in enumerate(central)]
    best = sorted(range(len(eligible)), key=lambda i: -scores[i])[:max(1, n)]
    out = []
    for i in sorted(best):
        quote = text[eligible[i].start:eligible[i].end]
        out.append(SummarySentenceDraft(text=quote, citations=[quote]))
    return out


def _eligible(body: str) -> bool:
    return bool(re.search(r"[.!»”\"]\s*$", body)) and not body.endswith("?") and len(body.split()) >= 8


def _bag(sent: Sentence, lang: str) -> Counter:
    stop = STOPWORDS.get(lang, set())
    words = (t.lemma_.lower() if sent.parsed else t.lower_ for t in sent.doc if t.is_alpha)
    return Counter(w for w in words if len(w) > 2 and w not in stop)


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))
