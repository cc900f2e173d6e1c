"""The ``Lexicon`` dataclass: the word lists and patterns every language
fills in (``fr.py``, ``en.py``).

It holds data only; what a language does differently with it (French
morphology, English word forms) is the offline engine's grammar
(``verifier/engines/offline/grammar``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True, eq=False)
class Lexicon:
    """One language's words.  French verbs are lemmas (matched on spaCy's
    lemma); English verbs list their inflected forms (no lemmatizer)."""

    # --- who said what (``engines/offline/attributions``) ---
    reporting: frozenset[str]        # reporting verbs: "affirmer", "said"
    needs_clause: frozenset[str]     # reporting verbs with other senses: report only before a clause
    complementizers: tuple[str, ...]  # what opens that clause: "que", "that"
    auxiliaries: frozenset[str]      # before a participle: "a", "ont", "aurait"
    characterise: frozenset[str]     # "qualifier/call … « Y »": Y is direct speech
    denial_verbs: frozenset[str]     # "démentir", "deny"
    denial_words: tuple[str, ...]    # a denial by wording: "fausses nouvelles", "fake news"
    no_comment: tuple[str, ...]      # regular expressions: refusals to comment
    source_preps: tuple[str, ...]    # "selon X", "according to X"
    # reading a subject leftwards from its verb (``attributions/subjects.py``)
    before_verb: frozenset[str]      # skipped between subject and verb: auxiliaries, adverbs
    phrase_stops: frozenset[str]     # a noun phrase does not reach past these
    phrase_words: frozenset[str]     # lower-case words a name phrase may hold: "the", "de"

    # --- speakers (``engines/offline/speakers.py``) ---
    person_nouns: frozenset[str]     # "le milliardaire", "the president": a named person
    media_nouns: frozenset[str]      # "le média", "the newspaper": a medium
    anon_nouns: frozenset[str]       # "une source", "officials": anonymous speakers
    pronouns: Mapping[str, str]      # pronoun → gender: m, f, p (plural), n
    determiners: tuple[str, ...]     # dropped before a role: "le ", "the "
    indefinites: tuple[str, ...]     # an indefinite speaker: "une ", "several "
    stop_caps: frozenset[str]        # capitalised words that start no name: "The", "Monday"

    # --- claims and their details (``engines/offline/claims.py``, ``text/details.py``) ---
    hedges: frozenset[str]           # "présumés", "reportedly"
    conditionals: tuple[str, ...]    # "si ", "if "
    negation: re.Pattern[str]        # one match per negation: "ne … pas", "not"

    # --- who said what, continued: optional ---
    phrase_cues: tuple[str, ...] = ()  # regular expressions: "Trump's claim that …", "it was reported that …"
