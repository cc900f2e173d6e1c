"""``Grammar``: what the offline engine's rules do differently in one
language, beyond its words (``text/lexicon``).

A rule that differs by language asks the current language's grammar
(``grammar(lang)``, in ``__init__.py``) instead of comparing language codes.
The base class holds what both languages share; ``fr.py`` and ``en.py``
fill in the rest.
"""

from __future__ import annotations

from typing import Any

from verifier.text.lexicon import LEXICONS, Lexicon


class Grammar:
    """One language's rules.  ``lex`` is that language's ``Lexicon``."""

    code: str  # the language code it serves: "fr", "en"
    # A quote broken by its cue ('"…," he said. "…"') is one relation (the
    # English gold's convention), not one per part.
    joins_broken_quotes = False
    # "qualifier X de « Y »", "called X “Y”": the relation is the quote Y alone
    # (direct speech); else the object with it ("X “Y”", the English gold's).
    characterisation_is_quote = True
    # A line of its own with no sentence end (a heading, "Ce qu'a dit la
    # ministre") reports nothing, unless headlines report in this language's
    # gold (PolNeAR annotates "Senator Lee Says …"; the French sets do not).
    headings_report = False

    def __init__(self) -> None:
        self.lex: Lexicon = LEXICONS[self.code]

    # ------------------------------------------------------------- cues --

    def lemma(self, tok: Any) -> str:
        """The form a reporting verb is listed under in ``lex.reporting``."""
        raise NotImplementedError

    def is_cue(self, tok: Any, lenient: bool = False) -> bool:
        """Is ``tok`` a reporting verb here?  ``lenient``: next to a quote
        mark, where a verb of ``lex.needs_clause`` needs no clause (and a
        French past participle no auxiliary)."""
        raise NotImplementedError

    def followed_by_clause(self, tok: Any) -> bool:
        """A clause follows ``tok`` ("que", "that", ":" or a quote mark
        within four words), or ``tok`` comes after a comma or closing quote
        ('», a-t-il', '," he said') with words after it."""
        words = self.lex.complementizers
        nxt = [t.lower_ for t in tok.doc[tok.i + 1:tok.i + 5]]
        return any(w in words or w in (":", "«", "“", '"') for w in nxt[:4]) or \
            (tok.i > 0 and tok.nbor(-1).text in (",", "»", "”", '"') and tok.i + 1 < len(tok.doc)
             and not self.participle_needs_clause(tok))

    def participle_needs_clause(self, tok: Any) -> bool:
        """A participle after a comma still needs its clause (French:
        ", saluant les congressistes" reports nothing)."""
        return False

    def in_incise(self, tok: Any) -> bool:
        """The verb opens an incise inside a quote ("« A, détaille X. B »");
        False unless the language's rules tell it."""
        return False

    def cue_start(self, tok: Any) -> Any:
        """The first word of a cue of several words ("a fait savoir"): ``tok``
        unless the language has such cues."""
        return tok

    # ---------------------------------------------------------- subjects --

    def is_present_participle(self, tok: Any) -> bool:
        """"…, démentant …", "…, saying …": the verb of a clause hung on the
        main one, whose subject it shares."""
        raise NotImplementedError

    def subject_after(self, sent: Any, verb: Any) -> tuple[int, int] | None:
        """The subject of an incise written after its verb (", plaide X"),
        when the language's rules find it; else None (the caller reads the
        words after the verb)."""
        return None

    def between_subject_and_verb(self, tok: Any) -> bool:
        """Auxiliaries, adverbs, negation and (French, ``fr.py``) object
        clitics: "a rapidement", "has not", "se", "l'"."""
        low = tok.lower_
        if low in self.lex.before_verb or low in ("n't", "not", "n’t"):
            return True
        return tok.is_lower and low.endswith(("ly", "ment"))

    # ----------------------------------------------------------- content --

    def objects_only(self, lead: str) -> bool:
        """Words between a verb and "que"/"that" (``lead``, ending with it)
        are indirect objects or time ("told reporters on Monday that"), not
        a clause of their own."""
        raise NotImplementedError

    def object_end(self, verb: Any, text: str, start: int, end: int, clause: bool = False) -> int:
        """Where the content of ``verb`` running from ``start`` to ``end``
        stops: before what the writer adds, or, when it is a noun phrase (not
        a ``clause`` after "that"), before its occasion ("attacked the plan
        in a speech": "the plan")."""
        return end

    def only_circumstances(self, rest: str) -> bool:
        """Nothing but time, place or channel follows a verb ("said on
        Monday."), so its content is the clause before its subject
        ("…, Warren said.")."""
        return False

    # ---------------------------------------------------------- speakers --

    def is_headline(self, doc: Any) -> bool:
        """A title-case line ("Post Hit Piece Exploits Supporter …"), where
        capitalised runs are no names."""
        return False

    def article_is_not_name(self, word: str) -> bool:
        """A mention opening with ``word`` is not a name from its first word
        on ("The White House" is not the name "The White House")."""
        return False
