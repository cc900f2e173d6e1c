"""Word lists of the offline engine and of claim comparison, keyed by
language: reporting verbs, denials, refusals to comment, hedges, source
markers, speaker nouns and pronouns, negation (``Lexicon``, one per language
in ``fr.py`` and ``en.py``).

French verbs are matched on spaCy's lemma; English has no parser or
lemmatizer here (see ``text/nlp.py``), so its verbs list their inflected
forms.

``lexicon(lang)`` gives one language's words; the ``ALL_*`` unions serve
code that reads text of either language (``text/details.py``) or that
applied one list to every language.
"""

from __future__ import annotations

from verifier.text.lexicon import en, fr
from verifier.text.lexicon.base import Lexicon

__all__ = ["ALL_CONDITIONALS", "ALL_HEDGES", "ALL_STOP_CAPS", "FALLBACK", "LEXICONS", "Lexicon",
           "NEGATING_WORDS", "OTHER_NEGATORS", "PUNCT_QUOTES", "SOURCE_WORDS", "lexicon"]

LEXICONS: dict[str, Lexicon] = {"fr": fr.LEXICON, "en": en.LEXICON}
FALLBACK = "en"  # the words for a language with none of its own


def lexicon(lang: str) -> Lexicon:
    """The words of ``lang``; any other language gets ``FALLBACK``'s."""
    return LEXICONS.get(lang) or LEXICONS[FALLBACK]


def _union(name: str) -> frozenset[str]:
    return frozenset().union(*(getattr(lex, name) for lex in LEXICONS.values()))


# Unions over every language of LEXICONS.
ALL_HEDGES = _union("hedges")
ALL_CONDITIONALS = tuple(c for lex in LEXICONS.values() for c in lex.conditionals)
ALL_STOP_CAPS = _union("stop_caps")  # names in either language ("The", "Monday" start none)

# The words that negate in German, Spanish, Italian, Portuguese and Dutch (folded), so that grounding
# checks a quote or paraphrase in those languages for a negation too; not those that are also French
# or English words of another sense ("mai", "non", "nie").
OTHER_NEGATORS = frozenset("nicht kein keine keinen keiner niemals nunca nada jamas ningun ninguna nadie "
                           "nessun nessuno niente nulla nao nem nenhum nenhuma niet geen nooit".split())

# Words that give a statement a source or a distance (folded): "selon X", "according to", "reportedly".
SOURCE_WORDS = frozenset("selon according reportedly allegedly reported d'apres".split())
# Words that carry a negation by themselves (folded), every language of LEXICONS and OTHER_NEGATORS;
# French "ne" and the second words that need it ("plus", "personne") are not among them.
NEGATING_WORDS = frozenset("pas jamais rien aucun aucune sans ni nullement guere not n't never no none nobody "
                           "nothing neither nor without cannot".split()) | OTHER_NEGATORS

# Language-neutral: quotation marks, opening → closing.
PUNCT_QUOTES = {"«": "»", "“": "”", "„": "“", '"': '"'}
