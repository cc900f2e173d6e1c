"""The offline engine's rules that differ by language, one ``Grammar`` per
language code (``GRAMMARS``): French with spaCy's parse and morphology
(``fr.py``), English with word forms only (``en.py``).

Words live in ``text/lexicon``; a grammar holds behaviour (how a cue, a
lemma or a participle is told) and the few word lists only its own rules
read.  Callers ask ``grammar(lang)``, never compare language codes.
"""

from __future__ import annotations

from verifier.engines.offline.grammar.base import Grammar
from verifier.engines.offline.grammar.en import English
from verifier.engines.offline.grammar.fr import French
from verifier.text.lexicon import FALLBACK

__all__ = ["GRAMMARS", "Grammar", "grammar"]

GRAMMARS: dict[str, Grammar] = {g.code: g for g in (French(), English())}


def grammar(lang: str) -> Grammar:
    """The rules of ``lang``; any other language gets ``FALLBACK``'s (English)."""
    return GRAMMARS.get(lang) or GRAMMARS[FALLBACK]
