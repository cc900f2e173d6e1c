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

from verifier.analysis.evidence import BACK, BACK_SPEAKER, TITLES, ArticleText, Evidence, name_words, words_of
from verifier.models import Reason
from verifier.text.details import STOP, fold
from verifier.text.lexicon import LEXICONS

_SUBJECT_PRONOUN = re.compile(r"\w-t-(?:il|elle|ils|elles|on)\b|\w-(?:il|elle|ils|elles)\b"
                              r"|\b(?:il|elle|ils|elles|he|she|they|celui-ci|celle-ci|ce dernier|cette dernière)\b",
                              re.IGNORECASE)
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
_UNNAMED = re.compile(r"\(.*\)|\[.*\]")  # "(unknown)": an engine saying it could not name the speaker
_ROLES = frozenset(fold(w) for lex in LEXICONS.values() for w in lex.person_nouns)
_CAPITALISED = re.compile(r"\b[A-ZÀ-Þ][\w’'-]*")
_PERSON = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-ZÀ-Þ][a-zà-ÿ’'-]+\s+[A-ZÀ-Þ][a-zà-ÿ’'-]+\b")  # "Laurent Perrin"


def speaker_reasons(article: ArticleText, name: str | None, role: str | None, ev: Evidence,
                    cue: str | None = None, *, hedged_claim: bool = False) -> list[Reason]:
    """A speaker not named in the article, or not tied to the evidence."""
    if not name or not name.strip() or _UNNAMED.fullmatch(name.strip()):
        return []  # no speaker named: nothing to check
    tokens = name_words(name) | name_words(role or "")
    if not tokens:
        return []
    if not tokens & article.words:
        return [Reason(kind="speaker", engine=name, message=f"the speaker {name} is not named in the article")]
    named = _speaker_test(name, tokens)
    if named(ev.sentences) or tokens & set(words_of(cue or "")):
        return []
    if named(article.around(ev, BACK, 1)):
        return []
    outside = _QUOTED.sub(" ", ev.sentences)
    refers_back = _SUBJECT_PRONOUN.search(outside) or len(words_of(outside)) <= 2  # "il a dit", a bare quote
    if refers_back and named(article.around(ev, BACK_SPEAKER, 2)) and not _named_since(article, ev, named):
        return []
    if hedged_claim and named(article.text[:ev.end]):
        return []
    return [Reason(kind="speaker", engine=name, article=ev.sentences,
                   message=f"the speaker {name} is not named where the evidence is")]


def _named_since(article: ArticleText, ev: Evidence, named) -> str | None:
    """Another person named after the speaker's last mention before the
    evidence ("Prénom Nom", two capitalised words), whom a pronoun would
    rather stand for; None if there is none."""
    before = article.around(ev, BACK_SPEAKER, 0)[:-len(ev.sentences) or None]
    starts = [m.start() for m in _CAPITALISED.finditer(before) if named(m.group())] + \
        [m.start() for m in re.finditer(r"\b\w+", before) if named(m.group())]
    if not starts:
        return None
    later = before[max(starts):]
    people = [m for m in _PERSON.finditer(later) if not named(m.group())]
    if not people:
        return None
    # a role named after them ("le Premier ministre", "the senator") may be whom the pronoun stands for
    after = set(words_of(later[people[-1].end():]))
    return None if after & _ROLES else people[-1].group()


def _speaker_test(name: str, tokens: set[str]):
    """Whether a text names the speaker: by a word of its role or of a
    description ("une source proche du dossier", "l'enquête du Wall Street
    Journal": "enquête"), or by at least half of the capitalised words of
    its name, written with capitals there too."""
    caps = {w for w in words_of(" ".join(_CAPITALISED.findall(name))) if w not in STOP and w not in TITLES}
    common = tokens - caps
    need = max(1, len(caps) // 2)

    def named(text: str) -> bool:
        if common & set(words_of(text)):
            return True
        return bool(caps) and len(caps & set(words_of(" ".join(_CAPITALISED.findall(text))))) >= need
    return named
