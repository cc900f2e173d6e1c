"""Which language an article is in: a real detector (py3langid), with a stop-word guess for short texts.

``identify_language(text)`` asks py3langid (a naive Bayes model over byte n-grams, 97 languages, its
model shipped inside the wheel, ~1 ms per article once loaded, ~1.4 s to load once per process) and
answers an ISO 639-1 code and the detector's confidence.  When the detector is unsure or the text is
short (a headline, a test snippet), a language other than French or English is not trusted: the
stop-word guess between ``fr`` and ``en`` answers, as before the detector, so a short French or
English text is never called Galician or Breton.  ``detect_language`` is that stop-word guess alone
(used on claim texts, which are short and whose language must be one the rules know).
"""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[a-zà-ÿœæ]+", re.IGNORECASE)
_LETTER = re.compile(r"\w", re.UNICODE)

STOPWORDS = {
    "fr": set("le la les des du de un une et est sont a ont que qui dans pour sur par pas "
              "avec ce cette ces il elle ils au aux se sa son ses leur mais ou plus été "
              "selon être aurait n ne d l qu s".split()),
    "en": set("the a an and is are was were has have that which who in for on by not with "
              "this these it he she they to of at his her their but or more been be said "
              "would from as".split()),
}

# A language other than fr/en is trusted only at this confidence and over this many word characters
# (letters, digits, ideographs) - below, the stop-word guess answers (tests/test_language.py).
MIN_CONFIDENCE = 0.8
MIN_LETTERS = 40
_SAMPLE = 20000

NAMES = {"fr": "French", "en": "English", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
         "nl": "Dutch", "zh": "Chinese", "ja": "Japanese", "ru": "Russian", "ar": "Arabic", "pl": "Polish",
         "ko": "Korean", "tr": "Turkish", "sv": "Swedish", "da": "Danish", "no": "Norwegian", "ca": "Catalan",
         "el": "Greek", "uk": "Ukrainian", "cs": "Czech", "ro": "Romanian", "hu": "Hungarian", "fi": "Finnish"}


def language_name(code: str) -> str:
    """``German`` for ``de``; the code itself for a language not in ``NAMES``."""
    return NAMES.get(code, code)


def detect_language(text: str, default: str = "en") -> str:
    """Return ``fr`` or ``en`` (the language whose stop words are most frequent)."""
    counts = dict.fromkeys(STOPWORDS, 0)
    for word in _WORD.findall(text[:_SAMPLE].lower()):
        for lang, words in STOPWORDS.items():
            if word in words:
                counts[lang] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else default


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> tuple[str, float | None]:
    """The article's language (ISO 639-1) and the detector's confidence (None: the stop-word guess)."""
    sample = text[:_SAMPLE]
    code, confidence = _identifier().classify(sample)
    confidence = round(float(confidence), 3)
    if code in STOPWORDS:
        return code, confidence
    if confidence >= MIN_CONFIDENCE and len(_LETTER.findall(sample[:2000])) >= MIN_LETTERS:
        return code, confidence
    return detect_language(text), None
