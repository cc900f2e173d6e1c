"""Polarity: a negation added or dropped, a hedge dropped, in a paraphrase.

The paraphrase is aligned word by word with the stretch of evidence it
restates (``evidence.restated``); in each stretch that differs (up to
``CLAUSE`` words: longer is a clause left out, added or reworded):

* a **negation** the paraphrase has where the evidence has none is added,
  and the reverse dropped; a French negation counts once, by its second word
  ("pas", "jamais"; "plus" and "personne" after "ne"), an English one by
  "not", "n't", "never", "no"…; a denial word ("dément", "refused",
  "false") makes up for a negation of the other side ("n'a pas confirmé" /
  "a refusé de confirmer"); a litotes affirms ("n'a pas caché",
  "did not hesitate"); a word swapped for its negative-prefix form
  ("uncrewed" / "crewed", "légal" / "illégal") is a negation too;
* a **hedge** of the restated evidence ("aurait", "reportedly", "présumé")
  must be kept by the paraphrase's words or by the claim's modality.

A denied claim states what is denied: its dropped negation is expected.
When the paraphrase restates too little of its evidence to align (another
language), only a negation the whole window lacks is reported.
"""

from __future__ import annotations

import difflib
import re

from verifier.analysis.evidence import Evidence
from verifier.analysis.fidelity import negations
from verifier.models import Reason
from verifier.text.details import Details, fold, is_conditional, negative_prefixed, words
from verifier.text.folding import typography
from verifier.text.lexicon import ALL_HEDGES, NEGATING_WORDS, SOURCE_WORDS

CLAUSE = 4  # words: a longer stretch on one side is a clause left out, added or reworded
NEGATIVE_WORDS = re.compile(r"\b(?:d[ée]ment\w*|nie|nient|niant|refus\w*|conteste\w*|rejet\w*|deni\w*|deny\w*"
                            r"|reject\w*|refut\w*|dismiss\w*|dispute\w*|absence|faux|fausse|false|untrue"
                            r"|exclu\w*|impossible|lack\w*|manque\w*|aucune?|none)\b", re.IGNORECASE)


def polarity_reasons(text: str, said: Details, ev: Evidence, restated: str | None,
                     modality: str | None, wider: str | None = None) -> list[Reason]:
    """A negation added or dropped, a hedge dropped (``said``: the details of
    ``text``; ``wider``: the restated stretch with two words before it)."""
    if restated is None:
        if negations(text) and not negations(ev.window) and not NEGATIVE_WORDS.search(ev.window):
            return [Reason(kind="negation", engine=text, article=ev.sentences,
                           message="it is negated; its evidence is not")]
        return []
    reasons = []
    added, dropped = negation_shift(affirmed(text, restated), affirmed(restated, text))
    if added > dropped:
        reasons.append(Reason(kind="negation", engine=text, article=restated,
                              message="it is negated; the evidence it restates is not"))
    elif dropped > added and modality != "denied":  # a denied claim states what is denied
        reasons.append(Reason(kind="negation", engine=text, article=restated,
                              message="the evidence it restates is negated; it is not"))
    hedged_here = said.hedged or any(w in SOURCE_WORDS for w in said.words)
    # the hedge may sit on the verb just before the first word restated ("Il ouvrirait un magasin"
    # restated as "Le constructeur ouvrira un magasin"): two words more
    if not hedged_here and modality in (None, "asserted") and _hedged(wider or restated):
        reasons.append(Reason(kind="modality", engine=text, article=restated,
                              message="its evidence is hedged; it states it as fact"))
    return reasons


# "il est faux que X", "X? not true", "denied that X": a frame that denies what follows it
_DENIAL_FRAME = re.compile(r"\b(?:(?:est|serait|c'est)\s+faux|pas\s+vrai|(?:dement|dementi|nie|nient|conteste|refute)\w*"
                           r"|not\s+true|(?:is|was|it's)\s+false|untrue|den(?:y|ies|ied)|reject\w*\s+claims?)\s+(?:que|qu|that)?\s*$")


def denial_frame(text: str, head: str, modality: str | None) -> list[Reason]:
    """A paraphrase that restates what its evidence denies: the words just
    before it frame it as false ("il est faux que …", "denied that …")."""
    if modality == "denied" or negations(text) or not _DENIAL_FRAME.search(head):
        return []
    return [Reason(kind="negation", engine=text, article=head,
                   message="its evidence denies what it states")]


def _hedged(text: str) -> bool:
    return any(w in ALL_HEDGES for w in words(text)) or any(is_conditional(w) for w in re.findall(r"\w+", text))


# litotes: a negated verb that affirms ("ne cache pas que", "did not hesitate to")
_LITOTES = re.compile(r"\bn(?:e|['’])\s*(?:\w+\s+){0,2}?(?:pas|jamais)\s+(?:\w+\s+)?(?:cach\w*|dissimul\w*|hésit\w*"
                      r"|manqu\w*\s+de|fait\s+mystère|privé\w*\s+de)"
                      r"|\b(?:not|never|n't)\s+(?:\w+\s+)?(?:hid\w*|hide\w*|conceal\w*|hesitat\w*|fail\w*\s+to)"
                      r"|\bmade?\s+no\s+secret|\bmakes\s+no\s+secret", re.IGNORECASE)
_LITOTE_VERB = re.compile(r"(?:cach|dissimul|hésit|manqu|mystère|privé|hid|hide|conceal|hesitat|fail|secret)\w*",
                          re.IGNORECASE)
_NEG_WORD = re.compile(r"\b(?:ne|n['’]|pas|jamais|not|never|no)\b|n't\b", re.IGNORECASE)
# What carries a negation, word by word (NEGATING_WORDS): French by its second word ("pas",
# "jamais"; "plus" and "personne" only after "ne"), so that "ne … pas" counts once
_AFTER_NE = frozenset("plus personne".split())
_POLARITY_TOKEN = re.compile(r"\w+(?=n't)|n't|\w+")


def affirmed(text: str, other: str) -> str:
    """``text`` with the negation of its litotes taken out, unless ``other``
    has the litotes' verb without it ("n'a pas hésité" / "a hésité" is the
    opposite; "n'a pas caché" / "a dit ouvertement" is the same)."""
    def plain(m: re.Match) -> str:
        verb = _LITOTE_VERB.search(m.group())
        if verb and re.search(rf"\b{re.escape(verb.group()[:5])}", other, re.IGNORECASE):
            return m.group()  # the other side uses the verb: the negation is compared as it is
        return _NEG_WORD.sub(" ", m.group())
    return _LITOTES.sub(plain, text)


def _negation_marks(tokens: list[str]) -> list[int]:
    """1 for each word that carries a negation, 2 for a denial word
    ("dément", "refused": it makes up for the other side's negation), else 0."""
    marks = []
    for k, w in enumerate(tokens):
        negates = w in NEGATING_WORDS or (w in _AFTER_NE and {"ne", "n"} & set(tokens[max(0, k - 3):k]))
        marks.append(1 if negates else 2 if NEGATIVE_WORDS.fullmatch(w) else 0)
    return marks


def negation_shift(paraphrase: str, evidence: str) -> tuple[int, int]:
    """Negation words the paraphrase has where the evidence, aligned word by
    word, has none (added), and the reverse (dropped); a denial word
    ("dément", "refused") makes up for a negation of the other side."""
    a = [fold(w) for w in _POLARITY_TOKEN.findall(typography(paraphrase))]
    b = [fold(w) for w in _POLARITY_TOKEN.findall(typography(evidence))]
    ma, mb = _negation_marks(a), _negation_marks(b)
    added = dropped = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal" or max(i2 - i1, j2 - j1) > CLAUSE:
            continue  # a clause left out, added or reworded is not the other's words negated
        ours, theirs = ma[i1:i2], mb[j1:j2]
        added += max(0, ours.count(1) - len([m for m in theirs if m]))
        dropped += max(0, theirs.count(1) - len([m for m in ours if m]))
        for x in a[i1:i2]:  # a word and its negative-prefix form: "uncrewed" / "crewed", "légal" / "illégal"
            for y in b[j1:j2]:
                added += negative_prefixed(x, y)
                dropped += negative_prefixed(y, x)
    return added, dropped

