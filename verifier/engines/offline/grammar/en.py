"""English rules: the tokenizer alone (no parser, no lemmas, see
``text/nlp.py``), so cues are word forms from the lexicon, checked against
the words around them.
"""

from __future__ import annotations

from typing import Any

from verifier.engines.offline.grammar.base import Grammar

# Before a cue, these make it a noun or a passive: "the report", "was told".
_NOT_AFTER = ("the", "a", "an", "to", "was", "were", "been", "be", "is", "are")
# Between a verb and "that": "told reporters on Monday that".
_OBJECTS = frozenset("reporters me him her them us you journalists lawmakers supporters "
                     "the a an".split())
_TIME = ("on", "in", "last", "this", "week", "earlier", "later", "also")


class English(Grammar):
    code = "en"
    joins_broken_quotes = True

    def lemma(self, tok: Any) -> str:
        """The word form, lower-cased (the lexicon lists every form)."""
        return tok.lower_

    def is_cue(self, tok: Any, lenient: bool = False) -> bool:
        low = tok.lower_
        if low not in self.lex.reporting:
            return False
        if tok.i > 0 and tok.nbor(-1).lower_ in _NOT_AFTER:
            return False
        if low in self.lex.needs_clause and not lenient:
            return self.followed_by_clause(tok) or self._named_subject_before(tok)
        return True

    def _named_subject_before(self, tok: Any) -> bool:
        """'Trump called for …', 'She questioned …': a name or pronoun right before."""
        prev = tok.nbor(-1) if tok.i > 0 else None
        return prev is not None and (prev.lower_ in ("he", "she", "they") or
                                     prev.text[:1].isupper() and prev.is_alpha and prev.i > 0)

    def is_present_participle(self, tok: Any) -> bool:
        """", saying …": "-ing" right after a comma."""
        return tok.lower_.endswith("ing") and tok.i > 0 and tok.nbor(-1).text == ","

    def objects_only(self, lead: str) -> bool:
        """Objects ("reporters", "him"), names and time words ("on Monday")."""
        words = lead.split()[:-1]
        return all(w.lower() in _OBJECTS or w[:1].isupper() or w.lower() in _TIME for w in words)

    def article_is_not_name(self, word: str) -> bool:
        """"The", "A", "An" open a description, not a name."""
        return word in ("The", "A", "An")
