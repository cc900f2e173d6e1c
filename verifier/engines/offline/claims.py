"""Claims: facts (clauses) that state something checkable, each with its evidence.

A sentence is a claim candidate when it is not page furniture (a metadata
line, dateline, byline or caption: ``boilerplate.py``), ends like a
sentence (not a headline), is not a question, has six words or more and
names something checkable: a number, a date, a named entity (French NER)
or a capitalised name (English).  Its stretches with one voice are the
attributions' contents (with their speaker) and, beside them, a clause in
the article's own words; a sentence without attribution is one stretch.
Each stretch is split into self-contained facts (``facts.py``: coordinated
clauses, relatives, appositions, participles), each with its exact span as
evidence; a role in apposition is the article's own voice.

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
from dataclasses import dataclass

from verifier.models import ClaimDraft, Modality
from verifier.text.lexicon import ALL_STOP_CAPS, lexicon
from verifier.engines.offline.attributions import Found
from verifier.engines.offline.boilerplate import statement_span
from verifier.engines.offline.facts import MIN_WORDS, Fact, split_facts
from verifier.engines.offline.parsed import Sentence

_TERMINAL = re.compile(r"[.!»”\"')]\s*$")


def extract_claims(text: str, lang: str, sents: list[Sentence], found: list[Found]) -> list[ClaimDraft]:
    claims: list[ClaimDraft] = []
    seen: set[tuple[int, int]] = set()
    for sent in sents:
        bounds = statement_span(text, sent.start, sent.end)
        if bounds is None or not _is_statement(text[bounds[0]:bounds[1]]):
            continue
        facts = [(unit, fact) for unit in _units(text, sent, bounds, found, lang)
                 for fact in split_facts(text, sent, unit.span) if len(fact.text.split()) >= MIN_WORDS]
        for unit, fact in facts:
            if fact.span in seen or _restates(fact, unit, facts, sent):
                continue
            seen.add(fact.span)
            claims.append(_fact_claim(text, sent, lang, unit, fact))
    return claims


def _restates(fact: Fact, unit: "_Unit", facts: list, sent: Sentence) -> bool:
    """Two attributions of one sentence may give nested contents ("Selon
    l'enquête, des responsables auraient confirmé des conversations …, portant
    …" and "des conversations …, portant …"): the longer fact sharing an end
    with a shorter one of another stretch is the same fact with its frame;
    and a verbless fact inside another ("des conversations entre Musk et
    Poutine") only repeats a piece of it."""
    a, b = fact.span
    for u, f in facts:
        x, y = f.span
        if u is unit or (x, y) == (a, b):
            continue
        if a <= x and y <= b and (x == a or y == b) and _has_verb(sent, f.span):
            return True
        if x <= a and b <= y and not _has_verb(sent, fact.span):
            return True
    return False


@dataclass(frozen=True)
class _Unit:
    """A stretch of a sentence with one voice: an attribution's content (its
    speaker), or the article's own words."""

    span: tuple[int, int]
    found: Found | None = None


def _units(text: str, sent: Sentence, bounds: tuple[int, int], found: list[Found], lang: str) -> list[_Unit]:
    inside = [f for f in found if bounds[0] <= f.content[0] < bounds[1]]
    body = text[bounds[0]:bounds[1]]
    if not inside:
        return [_Unit(bounds)] if _checkable(body, sent, lang) or _event(sent, bounds) else []
    units: list[_Unit] = []
    covered: list[tuple[int, int]] = []
    for f in inside:
        covered.append(_hull(f))
        if f.is_no_comment:
            continue
        if len(text[f.content[0]:f.content[1]].split()) < 5:  # a short quote ("« fausses nouvelles »"):
            units.append(_Unit(bounds, f))                     # the sentence is the claim
            covered.append(bounds)
        elif f.speaker_span or _has_verb(sent, f.content):
            # a verbless content with no speaker found is the speaker the rules misread:
            # "…, a affirmé le ministre libanais de la Santé, Hamad Hassan."
            units.append(_Unit(f.content, f))
    # the article's own clause beside a reported one: "X a décrété un deuil national mercredi, appelant …"
    for piece in _remainder(bounds, covered):
        words = text[piece[0]:piece[1]].strip(" ,;:—–-")
        if sent.parsed and len(words.split()) >= 6 and _has_clause(sent, piece):
            units.append(_Unit(piece))
    return units


NEAR = 3  # characters between a speaker and its cue or content for the speaker to be part of the frame


def _hull(f: Found) -> tuple[int, int]:
    """The reporting frame: content, cue, and the speaker when it stands
    next to them ("a affirmé le ministre", not the subject of a main clause
    before a participle: "X a décrété un deuil national, appelant …")."""
    spans = [f.content] + ([f.cue_span] if f.cue_span else [])
    sp = f.speaker_span
    if sp and any(sp[0] - NEAR <= s[1] and s[0] - NEAR <= sp[1] for s in spans):
        spans.append(sp)
    return min(s[0] for s in spans), max(s[1] for s in spans)


def _remainder(bounds: tuple[int, int], covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces, at = [], bounds[0]
    for a, b in sorted(covered):
        if a > at:
            pieces.append((at, a))
        at = max(at, b)
    if at < bounds[1]:
        pieces.append((at, bounds[1]))
    return pieces


def _has_verb(sent: Sentence, span: tuple[int, int]) -> bool:
    if not sent.parsed:
        return True
    return any(t.pos_ in ("VERB", "AUX") for t in sent.doc if span[0] <= sent.tok_start(t) < span[1])


def _has_clause(sent: Sentence, span: tuple[int, int]) -> bool:
    """A finite verb with its subject inside ``span`` (not "et ne s'est pas exprimé …")."""
    inside = [t for t in sent.doc if span[0] <= sent.tok_start(t) < span[1]]
    ids = {t.i for t in inside}
    finite = any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in inside)
    # the subject is no relative pronoun: ", chercheuse au laboratoire X, qui l'a repéré" is no clause of its own
    return finite and any(c.dep_.startswith("nsubj") and c.i in ids and "Rel" not in c.morph.get("PronType")
                          for t in inside if t.pos_ in ("VERB", "AUX") for c in list(t.children) + list(t.head.children))


def _fact_claim(text: str, sent: Sentence, lang: str, unit: _Unit, fact: Fact) -> ClaimDraft:
    f = unit.found
    quote = text[fact.span[0]:fact.span[1]]
    if f is None or fact.kind == "apposition":  # a role in apposition is the article's own words
        return ClaimDraft(text=fact.text, modality=_modality(text, sent, fact.scope, lang, Modality.asserted),
                          speaker=None, evidence=[quote])
    # the cue counts too: "des responsables … auraient confirmé …"
    scope = (min(fact.scope[0], f.cue_span[0]) if f.cue_span else fact.scope[0], fact.scope[1])
    modality = Modality.denied if f.is_denial else _modality(text, sent, scope, lang, Modality.reported)
    return ClaimDraft(text=fact.text, modality=modality, speaker=f.speaker.name, evidence=[quote])


def _is_statement(body: str) -> bool:
    return bool(_TERMINAL.search(body)) and not body.rstrip().endswith("?") and len(body.split()) >= 6


EVENT_WORDS = 8  # a clause this long with its own subject and a finite verb reports an event


def _event(sent: Sentence, bounds: tuple[int, int]) -> bool:
    """A statement of an event with no name or figure ("La région a connu
    des répliques tout au long de la journée."): a parsed clause, with a
    finite verb and its subject, of ``EVENT_WORDS`` words or more."""
    words = sum(1 for t in sent.doc if bounds[0] <= sent.tok_start(t) < bounds[1] and not t.is_punct)
    return sent.parsed and words >= EVENT_WORDS and _has_clause(sent, bounds)


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
