"""Claims: sentences (or reported clauses) that state something checkable.

A sentence is a claim candidate when it ends like a sentence (not a
headline or caption), is not a question, has six words or more and names
something checkable: a number, a date, a named entity (French NER) or a
capitalised name (English).  When the sentence carries an attribution, the
claim is the attributed content, with its speaker; otherwise the sentence.

Modality, from the words of the claim (``text/lexicon``):

* ``denied``: the attribution is a denial;
* ``hedged``: French conditional mood (spaCy ``Mood=Cnd``: "aurait",
  "auraient"), or a hedge ("présumés", "prétendus", "reportedly",
  "allegedly", "may"…);
* ``conditional``: a condition ("si", "en cas de", "if", "unless");
* ``reported``: attributed ("selon X", "X a affirmé que", "X said");
* ``asserted``: the article's own voice, none of the above.
"""

from __future__ import annotations

import re

from verifier.models import ClaimDraft, Modality
from verifier.text.lexicon import ALL_STOP_CAPS, lexicon
from verifier.engines.offline.attributions import Found
from verifier.engines.offline.parsed import Sentence

_TERMINAL = re.compile(r"[.!»”\"')]\s*$")


def extract_claims(text: str, lang: str, sents: list[Sentence], found: list[Found]) -> list[ClaimDraft]:
    claims: list[ClaimDraft] = []
    seen: set[tuple[int, int]] = set()
    for sent in sents:
        body = text[sent.start:sent.end]
        if not _is_statement(body):
            continue
        inside = [f for f in found if sent.start <= f.content[0] < sent.end and not f.is_no_comment]
        if inside:
            for f in inside:
                span = f.content if len(text[f.content[0]:f.content[1]].split()) >= 5 else (sent.start, sent.end)
                if span in seen:
                    continue
                seen.add(span)
                # the cue counts too: "des responsables … auraient confirmé …"
                scope = (min(span[0], f.cue_span[0]) if f.cue_span else span[0], span[1])
                modality = Modality.denied if f.is_denial else _modality(text, sent, scope, lang, Modality.reported)
                claims.append(_claim(text, span, modality, f.speaker.name))
            continue
        if not _checkable(body, sent, lang):
            continue
        span = (sent.start, sent.end)
        seen.add(span)
        claims.append(_claim(text, span, _modality(text, sent, span, lang, Modality.asserted), None))
    return claims


def _claim(text: str, span: tuple[int, int], modality: Modality, speaker: str | None) -> ClaimDraft:
    quote = text[span[0]:span[1]]
    return ClaimDraft(text=quote, modality=modality, speaker=speaker, evidence=[quote])


def _is_statement(body: str) -> bool:
    return bool(_TERMINAL.search(body)) and not body.rstrip().endswith("?") and len(body.split()) >= 6


def _checkable(body: str, sent: Sentence, lang: str) -> bool:
    if re.search(r"\d", body):
        return True
    if sent.parsed:
        return bool(sent.doc.ents)
    words = body.split()
    return any(w[:1].isupper() and w.strip("“\"'(") not in ALL_STOP_CAPS for w in words[1:])


def _modality(text: str, sent: Sentence, span: tuple[int, int], lang: str, default: Modality) -> Modality:
    words = text[span[0]:span[1]]
    low = f" {words.lower()} "
    lex = lexicon(lang)
    if any(w.strip(".,;:«»“”\"()") in lex.hedges for w in low.split()):
        return Modality.hedged
    if sent.parsed and any("Cnd" in t.morph.get("Mood") for t in sent.doc
                           if span[0] <= sent.tok_start(t) < span[1]):
        return Modality.hedged
    if any(f" {c}" in low for c in lex.conditionals):
        return Modality.conditional
    return default
