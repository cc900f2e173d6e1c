"""Cues: reporting verbs, denials, and the characters a cue covers.

Whether a token is a reporting verb, and its lemma, depend on the language
(``grammar(lang).is_cue`` / ``.lemma``: French lemma and morphology, with a
lemma guessed from the form when the tagger got it wrong; English word
forms).  Here:

* ``reporting_verbs``, the last stage: reporting verbs (``lex.reporting``)
  not yet used by an earlier stage nor inside a quote.  The speaker is the
  verb's subject (``subjects.py``), the content the clause it reports
  (``content.py``); "qualifier/décrire/call/describe … « Y »"
  (``lex.characterise``) gives the quote Y as direct speech;
* ``is_denial``: a denial verb (démentir, nier, rejeter, deny, dismiss,
  reject …) or a characterisation as false ("qualifié de « fausses
  nouvelles »", '"It is fake news," said Jones');
* ``cue_span``: the verb with its auxiliary ("a affirmé", "has said");
* ``is_aux_only``: what stands between a quote and its verb is an
  auxiliary alone ("», a affirmé").
"""

from __future__ import annotations

import re
from typing import Any

from verifier.engines.offline.attributions.content import content
from verifier.engines.offline.attributions.quote_runs import is_title
from verifier.engines.offline.attributions.state import State
from verifier.engines.offline.attributions.subjects import coordinated, subject
from verifier.engines.offline.parsed import Sentence
from verifier.engines.offline.quotes import Quote, enclosing


def reporting_verbs(st: State, sent: Sentence, window: int) -> None:
    for tok in sent.doc:
        key = sent.tok_start(tok)
        if key in st.used_cues or not st.grammar.is_cue(tok):
            continue
        q = enclosing(st.quotes, sent.tok_start(tok), sent.tok_end(tok))
        if q and q.words(st.text) > 1:
            continue  # inside a quote: the quote's own words (but "ont «condamné» les …" is a cue)
        if _question(st, sent, tok):
            continue
        nxt = [x for x in st.top_quotes if sent.tok_end(tok) <= x.open <= sent.tok_end(tok) + 3]
        if nxt and is_title(st, nxt[0]):
            continue  # "publie « On ne nous dit pas tout », une enquête": a title
        spk = subject(st, sent, tok)
        # after the verb, or an inverted pronoun before its participle: "…, a-t-il indiqué."
        inverted = spk is not None and (spk[0] > sent.tok_start(tok) or st.text[spk[0] - 1:spk[0]] == "-"
                                        and st.text[spk[0]:spk[1]].lower() in st.lex.pronouns)
        if spk is None and not sent.parsed:
            continue
        said = content(st, sent, tok, inverted, subject_before=spk is not None and not inverted)
        if q and said:
            said = (q.open, said[1])  # "ont «condamné» les «actes de violence»": from the quoted verb
        denies = st.grammar.lemma(tok) in st.lex.denial_verbs or _reflexive_denial(st, tok)
        if denies and (said is None or not st.text[said[0]:said[1]].strip(" .,;:!?»")):
            said = _with_clitics(st, sent, tok)  # "L'entourage du ministre s'en défend."
        if said is None:
            continue
        kind = "indirect"
        if st.grammar.lemma(tok) in st.lex.characterise and st.grammar.characterisation_is_quote:
            q = _last_quote_in(st.quotes, *said)
            if q and st.text[q.close + 1:said[1]].strip(" .,") == "":
                said, kind = q.inner, "direct"
        st.used_cues.add(key)
        for part in coordinated(st, spk):  # "Le PS et LREM ont condamné": one relation each
            st.add(part, st.slice(part), cue_span(st, sent, tok), said, kind, window, sent,
                   denial=is_denial(st, tok, said))


def is_denial(st: State, tok: Any, content: tuple[int, int]) -> bool:
    lex = st.lex
    lemma = st.grammar.lemma(tok)
    if lemma in lex.denial_verbs and not (lemma in lex.reflexive_not_cue and st.grammar.reflexive(tok)):
        return True
    if _reflexive_denial(st, tok):
        return True  # "s'en défend", "se défend de toute similarité"
    if lemma in lex.negated_denial and tok.i > 0 and \
            lex.negation.search(" ".join(t.text for t in tok.doc[max(0, tok.i - 2):tok.i + 2])):
        return True  # "il ne pense pas que son patron soit mêlé à ce coup": the claim contested
    if denies_by_content(st, content):
        return True  # negated content: "c'est faux", "Je n'ai enfreint aucune règle"
    # "qualifié de « fausses nouvelles »", '"It is fake news," said Jones'
    said = st.text[content[0]:content[1]]
    short = len(said.split()) <= 8
    return (lemma in lex.characterise or short) and any(re.search(rf"\b{re.escape(w)}\b", said.lower())
                                                        for w in lex.denial_words)


def cue_span(st: State, sent: Sentence, verb: Any) -> tuple[int, int]:
    first = st.grammar.cue_start(verb)  # "a fait savoir": from "fait"
    if sent.parsed:
        aux = [c for c in first.children if c.dep_ in ("aux", "aux:tense") and c.i < first.i]
        if aux:
            first = aux[0]
    elif first.i > 0 and first.nbor(-1).lower_ in ("has", "have", "had", "will", "would"):
        first = first.nbor(-1)
    return sent.tok_start(first), sent.tok_end(verb)


def is_aux_only(words: str) -> bool:
    return words.lower() in ("a", "ont", "avait", "has", "had", "have")


def denies_by_content(st: State, content: tuple[int, int]) -> bool:
    """Content that denies by its words (``lex.denial_patterns``): "c'est
    faux", "je n'ai enfreint aucune règle", "une accusation surréaliste"."""
    said = st.text[content[0]:content[1]]
    return any(re.search(p, said, re.IGNORECASE) for p in st.lex.denial_patterns)


def _reflexive_denial(st: State, tok: Any) -> bool:
    return st.grammar.lemma(tok) in st.lex.reflexive_denial and st.grammar.reflexive(tok)


def _with_clitics(st: State, sent: Sentence, verb: Any) -> tuple[int, int]:
    """A denial with nothing after it is its own content: "s'en défend"."""
    first = verb
    while first.i > 0 and first.nbor(-1).lower_ in st.lex.before_verb | {"en", "s'", "s’", "se", "y"}:
        first = first.nbor(-1)
    return sent.tok_start(first), sent.tok_end(verb)


def _question(st: State, sent: Sentence, tok: Any) -> bool:
    """A question asks, it does not report: "Le ministre a-t-il déclaré que … ?",
    "Comment X a expliqué …" (a headline); a "?" inside a quote does not count."""
    body = st.text[sent.start:sent.end].rstrip()
    if body.endswith("?") and not enclosing(st.quotes, sent.end - 1, sent.end) and \
            ":" not in st.text[sent.tok_end(tok):sent.end]:  # "asking yourself this: Would …?" reports one
        return True
    return bool(sent.doc) and sent.doc[0].lower_ in st.lex.question_words and tok.i > 0


def _last_quote_in(quotes: list[Quote], start: int, end: int) -> Quote | None:
    inside = [q for q in quotes if start <= q.open and q.close < end + 1]
    return inside[-1] if inside else None
