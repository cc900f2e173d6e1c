"""A small stop-word language guesser for French and English articles."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zà-ÿœæ]+", re.IGNORECASE)

STOPWORDS = {
    "fr": set("le la les des du de un une et est sont a ont que qui dans pour sur par pas "
              "avec ce cette ces il elle ils au aux se sa son ses leur mais ou plus été "
              "selon être aurait n ne d l qu s".split()),
    "en": set("the a an and is are was were has have that which who in for on by not with "
              "this these it he she they to of at his her their but or more been be said "
              "would from as".split()),
}


def detect_language(text: str, default: str = "en") -> str:
    """Return ``fr`` or ``en`` (the language whose stop words are most frequent)."""
    counts = dict.fromkeys(STOPWORDS, 0)
    for word in _WORD.findall(text[:20000].lower()):
        for lang, words in STOPWORDS.items():
            if word in words:
                counts[lang] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else default
