"""The ``Lexicon`` dataclass: the word lists and patterns every language
fills in (``fr.py``, ``en.py``).

It holds data only; what a language does differently with it (French
morphology, English word forms) is the offline engine's grammar
(``verifier/engines/offline/grammar``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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

    # --- optional classes (a language without them leaves them empty) ---
    # verbs that report only in an incise, after a quote or a comma ("», poursuit-il")
    incise_only: frozenset[str] = field(default_factory=frozenset)
    # verbs that report a request before "à X de …" ("a demandé à la Ville d'interdire")
    requests: frozenset[str] = field(default_factory=frozenset)
    # verbs that do not report when reflexive ("le juge se récuse", "s'assurer que")
    reflexive_not_cue: frozenset[str] = field(default_factory=frozenset)
    # verbs that deny when reflexive ("s'en défend", "se défend de toute similarité")
    reflexive_denial: frozenset[str] = field(default_factory=frozenset)
    # what a denial verb of other senses denies: "a balayé ces accusations" (not "balayé la rue")
    allegation_nouns: frozenset[str] = field(default_factory=frozenset)
    # a denial by negated content: "c'est faux", "je n'ai enfreint aucune règle"
    denial_patterns: tuple[str, ...] = ()
    # sentence-initial frames naming a speaker: "Pour X, …", "À ses yeux, …" (group "spk")
    frames: tuple[str, ...] = ()
    # speaker mentions for the last person named: "ce dernier"
    last_named: frozenset[str] = field(default_factory=frozenset)
    # speaker mentions for the person the story is about (the most named): "l'intéressé"
    topic_person: frozenset[str] = field(default_factory=frozenset)
    # nouns for institutions, speakers as written: "le syndicat", "la compagnie aérienne Airvia"
    institution_nouns: frozenset[str] = field(default_factory=frozenset)
    # nouns for the people around someone, speakers as written: "l'entourage du ministre"
    group_nouns: frozenset[str] = field(default_factory=frozenset)
    # plural determiners: "les habitants de la rue Paradis" is a group, not "Paradis"
    plural_determiners: tuple[str, ...] = ()
    # "C'est ce qu'a annoncé X": the reported content is the sentence before (a regular expression)
    anaphoric_content: str = ""
    # possessive determiners opening a role: "son adjointe à la culture"
    possessives: tuple[str, ...] = ()
    # "À la mairie, on assure …", "Du côté de la direction, on …": the frame names who "on" is
    on_frames: tuple[str, ...] = ()
    # a source in the first person is the outlet's own reporting: "selon nos informations"
    first_person_determiners: tuple[str, ...] = ()
    # joining two speakers of one verb: "Le PS et LREM ont condamné", "X comme Y s'en défend"
    coordinators: tuple[str, ...] = ()
    # a sentence opening with these asks (a headline: "Comment X a convaincu …"), it does not report
    question_words: frozenset[str] = field(default_factory=frozenset)
    # nouns before a title of a work, not speech: "son livre « … »", "le film « … »"
    title_nouns: frozenset[str] = field(default_factory=frozenset)
    # words that end a speaker after an inverted verb: "a indiqué X jeudi dans un communiqué"
    speaker_stops: frozenset[str] = field(default_factory=frozenset)
    # --- who said what, continued: optional ---
    # a topic named before a subject pronoun: "Quant à M. X, …, il ne pense pas que …" (group "spk")
    topic_frames: tuple[str, ...] = ()
    # belief verbs that deny when negated before a clause: "il ne pense pas que X soit mêlé"
    negated_denial: frozenset[str] = field(default_factory=frozenset)
    phrase_cues: tuple[str, ...] = ()  # regular expressions: "Trump's claim that …", "it was reported that …"
