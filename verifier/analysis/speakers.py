"""Speakers: is the item's speaker named in the article, and where its evidence is?

A speaker ("Claire Martin", "le Kremlin", "une source proche du dossier")
must be named in the article (a word of its name or role), and tied to the
item's evidence: named in its sentences or cue, in the ``BACK`` sentences
before or in the one after (a quote whose speaker the next sentence gives);
when the evidence refers back (a subject pronoun, "a-t-il dit") or is a
bare quote, in the ``BACK_SPEAKER`` sentences before or the two after, with
no other person ("Prénom Nom") named since, whom the pronoun would rather
stand for (unless a role is named after them: "le Premier ministre").  A
hedged or reported claim's speaker may be the source named earlier in the
article (the journalistic conditional reports it throughout).  A proper
name counts where at least half of its capitalised words are written with
capitals ("Musk" names "Elon Musk"; "police" does not name "Over Police
Shooting Comments"); a role or description by any of its words.  An engine
that says it could not name the speaker ("(unknown)") is not checked.
"""

from __future__ import annotations

import re
from functools import lru_cache

from verifier.analysis.evidence import (
    BACK, BACK_SPEAKER, TITLES, ArticleText, Evidence, name_words, unpossessed, words_of,
)
from verifier.models import Reason
from verifier.text.details import STOP, fold
from verifier.text.lexicon import LEXICONS

_SUBJECT_PRONOUN = re.compile(r"\w-t-(?:il|elle|ils|elles|on)\b|\w-(?:il|elle|ils|elles)\b"
                              r"|\b(?:il|elle|ils|elles|he|she|they|celui-ci|celle-ci|ce dernier|cette dernière)\b",
                              re.IGNORECASE)
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
# "(unknown)", "[inconnu]": an engine saying it could not name the speaker (no capital: no name inside)
_UNNAMED = re.compile(r"\([^A-ZÀ-Þ()]*\)|\[[^A-ZÀ-Þ\[\]]*\]")
_ROLES = frozenset(fold(w) for lex in LEXICONS.values() for w in lex.person_nouns)
_CAPITALISED = re.compile(r"\b[A-ZÀ-Þ][\w’'-]*")
# a run of capitalised words, with the particles of names between them ("Wall Street Journal", "Laure de la Raudière")
_RUN = re.compile(r"[A-ZÀ-Þ][\w’'-]*(?:\s+(?:(?:de|du|des|la|le|van|von|der|of|the|d[’'])\s*)*[A-ZÀ-Þ][\w’'-]*)*")
# first words of two-word names that are places or bodies, not people ("United States", "Wall Street")
_NOT_FIRST = frozenset("United New North South East West Saint Sainte San Santa Los Las Le La Les El Al Union National "
                       "European Royal Grand Great Greater Hong Wall White Supreme Federal Central Democratic "
                       "Republican Prime President Premier Secretary General Monsieur Madame".split())
_OTHER_TITLES = frozenset("president presidente general senator sen rep gov governor minister ministre mayor "
                          "maire judge juge premier prime".split())
_PERSON = re.compile(r"\b[A-ZÀ-Þ][a-zà-ÿ’'-]+\s+[A-ZÀ-Þ][a-zà-ÿ’'-]+\b")  # "Laurent Perrin"


def speaker_reasons(article: ArticleText, name: str | None, role: str | None, ev: Evidence,
                    cue: str | None = None, *, hedged_claim: bool = False) -> list[Reason]:
    """A speaker not named in the article, or not tied to the evidence."""
    if not name or not name.strip() or _UNNAMED.fullmatch(name.strip()):
        return []  # no speaker named: nothing to check
    if not re.search(r"[^\W\d_]", name):
        return [Reason(kind="speaker", engine=name, message=f"« {name} » names no speaker")]
    tokens = name_words(name) | name_words(role or "")
    if not tokens:
        return []  # a pronoun ("on", "il"): who it stands for is the engine's reading
    named = names_test(name, tokens)
    if not named(article.text):
        return [Reason(kind="speaker", engine=name, message=f"the speaker {name} is not named in the article")]
    if named(ev.sentences) or tokens & set(words_of(cue or "")):
        return []
    outside = _QUOTED.sub(" ", ev.sentences)
    pronoun = _SUBJECT_PRONOUN.search(outside)  # "il a dit", "she said": the person named last
    if not pronoun and named(article.around(ev, BACK, 1)):
        return []
    refers_back = pronoun or len(words_of(outside)) <= 2  # or a bare quote
    if refers_back and named(article.around(ev, BACK_SPEAKER, 2)) \
            and not (pronoun and named_since(article, ev, named)):
        return []
    if hedged_claim and not refers_back and named(article.text[:ev.end]):
        return []
    return [Reason(kind="speaker", engine=name, article=ev.sentences,
                   message=f"the speaker {name} is not named where the evidence is")]


@lru_cache(maxsize=2048)
def _plain_words(text: str) -> frozenset[str]:
    return frozenset(words_of(text))


@lru_cache(maxsize=2048)
def _run_words(text: str) -> tuple[frozenset[str], ...]:
    """The words of each run of capitalised words of a text, read once per text."""
    return tuple(frozenset(unpossessed(w) for w in words_of(run) if w not in STOP and w not in TITLES)
                 for run in _RUN.findall(text))


def named_since(article: ArticleText, ev: Evidence, named) -> str | None:
    """Another person named after the sentence of the speaker's last
    mention before the evidence ("Prénom Nom": two capitalised words, neither of which the
    article writes in lower case elsewhere, as it does "war" in "Cold War"),
    whom a pronoun would rather stand for; None if there is none."""
    before = article.around(ev, BACK_SPEAKER, 0)[:-len(ev.sentences) or None]
    starts = [m.start() for m in _CAPITALISED.finditer(before) if named(m.group())] + \
        [m.start() for m in re.finditer(r"\b\w+", before) if named(m.group())]
    if not starts:
        return None
    # from the end of the sentence that names the speaker: the rest of that sentence is about them
    at = article.bounds[max(0, ev.first - BACK_SPEAKER)][0] + max(starts)
    end = next((b for a, b in article.bounds if a <= at < b), at)
    later = article.text[end:article.bounds[ev.first][0]]
    people = [m for m in _PERSON.finditer(later) if not named(m.group()) and m.group().split()[0] not in _NOT_FIRST
              and fold(m.group().split()[0]) not in STOP  # "Le Monde", "The Times" at a sentence's start
              and not {fold(w) for w in m.group().split()} & article.lowercase]  # "Cold War": "war" elsewhere
    if not people:
        return None
    # a role named after them ("le Premier ministre", "the senator") may be whom the pronoun stands for,
    # unless it is theirs, in apposition ("Paul Roux, le président de la métropole, a salué…")
    rest = later[people[-1].end():]
    if rest.lstrip().startswith(","):
        rest = rest.split(",", 2)[-1]
    after = set(words_of(rest))
    return None if after & _ROLES else people[-1].group()


def names_test(name: str, tokens: set[str]):
    """Whether a text names the speaker.  A proper name ("Elon Musk",
    "le Wall Street Journal") by its capitalised words, written with capitals
    there too, at least half of them in one run that names nobody else
    ("Musk" names "Elon Musk"; "Bill Clinton" does not name "Hillary
    Clinton", nor "police" "Over Police Shooting Comments"); its role does
    not stand for it (a made-up "Jean Zorglub, ministre" is not named by
    "le ministre").  A speaker without a proper name ("une source proche du
    dossier", "a spokesperson"), or a description that starts in lower case
    ("l'enquête du Wall Street Journal"), by any word of its name or role
    too."""
    caps = {unpossessed(w) for w in words_of(" ".join(_CAPITALISED.findall(name))) if w not in STOP and w not in TITLES}
    common = tokens - caps if name.strip()[:1].islower() else set()  # a description: "l'enquête du Wall Street Journal"
    if not caps:
        return lambda text: bool(tokens & _plain_words(text))
    need = max(1, len(caps) // 2)

    def named(text: str) -> bool:
        if common and common & _plain_words(text):
            return True
        for words in _run_words(text):
            if len(words & caps) < need:
                continue
            # part of the name, and another word where the rest would be: someone else ("Bill Clinton")
            if caps <= words or not {w for w in words - caps if w not in _ROLES and w not in _OTHER_TITLES}:
                return True
        return False
    return named
