"""Speakers as written: the words naming who speaks, before resolution
(``speakers.py`` resolves them).

* ``subject``: the verb's subject.  With a parse (French), the dependency
  subject, following participles and conjuncts to the verb they hang on;
  else the noun phrase before the verb ("Jane Smith, a Republican from
  Ohio, said"), or after it when inverted ('," said Smith').  A present
  participle ("…, démentant …", ", saying …") takes the main clause's
  subject.
* ``np_before`` / ``np_after``: the noun phrase ending just before the verb
  (skipping auxiliaries, adverbs and, in French, object clitics:
  ``grammar(lang).between_subject_and_verb``), or starting just after it.
"""

from __future__ import annotations

import re
from typing import Any

from verifier.engines.offline.attributions.state import State
from verifier.engines.offline.parsed import Sentence
from verifier.engines.offline.quotes import enclosing
from verifier.text.lexicon import ALL_STOP_CAPS


def subject(st: State, sent: Sentence, verb: Any) -> tuple[int, int] | None:
    found = _subject(st, sent, verb)
    body = st.text[sent.start:sent.end]
    for pattern in st.lex.topic_frames:  # "Quant à M. X, responsable de …, il ne pense pas que …": X
        m = re.match(pattern, body)
        if m and found == (sent.start + m.start("pron"), sent.start + m.end("pron")):
            return sent.start + m.start("spk"), sent.start + m.end("spk")
    return found


def _subject(st: State, sent: Sentence, verb: Any) -> tuple[int, int] | None:
    verb = st.grammar.cue_start(verb)  # "a fait savoir": the subject of "fait"
    if st.grammar.is_present_participle(verb):
        # "…, démentant …", "le décrivant comme …": the main clause's subject, or
        # the speaker of the incise just before ("», a poursuivi X, soulignant que …")
        same = [f for f in st.found if f.speaker_span and sent.start <= f.speaker_span[0] < sent.tok_start(verb)]
        if same:
            return same[-1].speaker_span
        found = _first_subject(st, sent, verb)
        if not found and sent.parsed and verb.dep_ == "advcl" and verb.head.i > verb.i:
            # "En affirmant que …, X a ajouté", "Se disant victime …, X indique": the main clause's subject
            found = _parsed_subject(sent, verb.head)
        main = [t for t in sent.doc[:verb.i] if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "aux:tense")
                and not st.grammar.is_present_participle(t)] if sent.parsed else []
        found = found or (_subject(st, sent, main[-1]) if main else None) or np_before(st, sent, verb)
        if found:
            return found
        same = [f for f in st.found if f.speaker_span and sent.start <= f.speaker_span[0] < sent.end]
        return same[-1].speaker_span if same else None if sent.parsed else _leading_subject(st, sent)
    if inverted_context(sent, verb, st.lex.auxiliaries):
        after = st.grammar.subject_after(sent, verb)  # ", plaide l'entourage du ministre"
        if after:
            return after
    lead = st.text[sent.start:sent.tok_start(verb)]
    if re.search(r"\bqu['’]\s*(?:\w+\s+)?$", lead) and not any(c.dep_.startswith("nsubj") for c in verb.children):
        after = st.grammar.subject_after(sent, verb)  # "C'est ce qu'a annoncé X": inverted after "qu'"
        if after:
            return after
    if sent.parsed and verb.pos_ in ("VERB", "AUX", "ADJ"):  # ADJ: "X n'était pas joignable"
        found = _parsed_subject(sent, verb)
        if found:
            return found
    framed = _on_frame(st, sent, verb)
    if framed:
        return framed
    before = np_before(st, sent, verb)
    if before and "," in st.text[before[0]:before[1]]:
        return before  # "Jane Smith, a Republican from Ohio, said"
    if inverted_context(sent, verb):
        return np_after(sent, verb)
    return before


def _leading_subject(st: State, sent: Sentence) -> tuple[int, int] | None:
    """Without a parse, the noun phrase opening the sentence, before its
    first verb-like word ("Cruz urged … and said …": "Cruz")."""
    for tok in sent.doc:
        if tok.is_alpha and tok.is_lower and tok.lower_ not in st.lex.phrase_words and not _is_role_noun(st, tok.lower_):
            return np_before(st, sent, tok)
    return None


def _on_frame(st: State, sent: Sentence, verb: Any) -> tuple[int, int] | None:
    """"À la mairie de Toulouse, on assure que …", "Du côté de la direction,
    on fait valoir …": "on" is the institution the sentence opens with."""
    body = st.text[sent.start:sent.tok_start(verb)]
    for pattern in st.lex.on_frames:
        m = re.match(pattern, body)
        if m and re.fullmatch(r"\s*on\s+(?:\S+\s+){0,2}", body[m.end() - 2:] + " "):
            return sent.start + m.start("spk"), sent.start + m.end("spk")
    return None


def _first_subject(st: State, sent: Sentence, verb: Any) -> tuple[int, int] | None:
    for tok in sent.doc[:verb.i]:
        if enclosing(st.quotes, sent.tok_start(tok), sent.tok_end(tok)) or tok.lower_ in ("c'", "c’", "ce", "qui"):
            continue  # a subject inside a quote is the quote's own ("« Nous avons … », soulignant")
        if sent.parsed and tok.dep_ == "nsubj" and tok.pos_ in ("PROPN", "NOUN", "PRON"):
            return sent.span(tok.left_edge if tok.left_edge.i <= tok.i else tok, tok)
    return None


def _parsed_subject(sent: Sentence, verb: Any) -> tuple[int, int] | None:
    seen = 0
    node = verb
    while node is not None and seen < 4:
        subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubj:pass", "expl:subj") and c.lower_ != "-t"]
        if subj and subj[0].text.startswith("-"):  # "a-t-elle poursuivi": the inverted pronoun
            return sent.tok_start(subj[0]) + 1, sent.tok_end(subj[0])
        if subj and subj[0].lower_ not in ("on", "ce", "c'", "c’", "qui"):
            s = subj[0]
            toks = [t for t in s.subtree if t.i <= s.i or t.dep_ not in ("acl:relcl",)]
            first, last = toks[0], toks[-1]
            while last.text in (",", "«", "»") and last.i > first.i:
                last = sent.doc[last.i - 1]
            return sent.span(first, last)
        if subj and subj[0].lower_ == "qui" and node.dep_ == "acl:relcl":
            head = node.head
            names = [c for c in head.children if c.dep_ in ("flat:name", "flat") and c.i > head.i]
            return sent.span(head.left_edge, names[-1] if names else head)  # "M. Fauci, qui a dit": "M. Fauci"
        if node.dep_ in ("advcl", "conj", "xcomp", "dep") and node.head is not node and node.head.pos_ in ("VERB", "AUX"):
            node = node.head
            seen += 1
            continue
        return None
    return None


def inverted_context(sent: Sentence, verb: Any, auxiliaries: frozenset[str] = frozenset()) -> bool:
    """The verb follows a comma or a closing quote, past its
    ``auxiliaries``: '," said Smith', "», a indiqué X"."""
    i = verb.i - 1
    while i > 0 and sent.doc[i].lower_ in auxiliaries:
        i -= 1
    return i >= 0 and sent.doc[i].text in (",", "”", '"', "»")


def np_before(st: State, sent: Sentence, verb: Any) -> tuple[int, int] | None:
    """The noun phrase ending just before ``verb`` (skipping auxiliaries
    and adverbs), with its apposition (", the spokesman,")."""
    doc, stop, ok = sent.doc, st.lex.phrase_stops, st.lex.phrase_words
    i = verb.i - 1
    while i >= 0 and st.grammar.between_subject_and_verb(doc[i]):
        i -= 1
    if i < 0:
        return None
    if doc[i].text == ")":
        while i >= 0 and doc[i].text != "(":
            i -= 1
        i -= 1
        if i < 0:
            return None
    end_tok = doc[i]
    if end_tok.text == ",":
        j = i - 1
        while j >= 0 and doc[j].text != "," and i - j < 15:
            j -= 1
        if j <= 0 or doc[j].text != ",":
            return None
        i = j - 1
    head = doc[i]
    pronouns = st.lex.pronouns
    if head.text in ALL_STOP_CAPS and head.lower_ not in pronouns:
        return None  # "on 27 February said"
    if not ((head.text[:1].isupper() and head.is_alpha) or head.lower_ in pronouns
            or _is_role_noun(st, head.lower_)):
        return None
    k = i
    while k - 1 >= 0 and head.lower_ not in pronouns:
        t = doc[k - 1]
        if t.is_punct and t.text not in ("'s", "’s", "-", ".", "«", "»") or t.lower_ in stop:
            break
        if not (t.text[:1].isupper() or t.lower_ in ok or t.is_lower and i - k < 5):
            break
        k -= 1
    while k < i and (doc[k].lower_ in ("of", "for", "at", "'s", "’s", "de", "du", "d'", "d’")
                     or doc[k].is_punct):
        k += 1
    return sent.span(doc[k], end_tok if end_tok.text != "," else doc[end_tok.i - 1])


def np_after(sent: Sentence, verb: Any) -> tuple[int, int] | None:
    """The words after an inverted verb, up to punctuation or a
    conjunction: '," said Smith on Monday' → "Smith"."""
    toks = []
    for t in sent.doc[verb.i + 1:]:
        if (t.is_punct and t.text not in ("-", "'s", "’s", "«", "»", "“", "”")
                or t.lower_ in ("that", "que", "qu'", "qu’", "en", "in", "on", "when", "after")):
            break
        toks.append(t)
    if not toks or len(toks) > 12:
        return None
    return sent.span(toks[0], toks[-1])


def _is_role_noun(st: State, word: str) -> bool:
    lex = st.lex
    nouns = lex.person_nouns | lex.anon_nouns | lex.media_nouns | lex.institution_nouns
    last_named = {w.split()[-1] for w in lex.last_named}  # "ce dernier"
    return word in nouns or word.rstrip("s") in nouns or word in last_named


def coordinated(st: State, span: tuple[int, int] | None) -> list[tuple[int, int] | None]:
    """Two speakers joined by ``lex.coordinators`` ("Le Parti socialiste et
    La République en Marche", "L'entourage du ministre comme celui de
    Pierre Moscovici"), the second opening with a capital or "celui/celle"
    (not "l'industrie du gaz et des eaux"): one span each; else
    ``[span]``."""
    if span is None or not st.lex.coordinators:
        return [span]
    words = st.text[span[0]:span[1]]
    alternatives = "|".join(re.escape(c) for c in st.lex.coordinators)
    m = re.search(rf"\s+(?:{alternatives})\s+", words)
    if not m:
        return [span]
    left, right = words[:m.start()], words[m.end():]
    if not (len(left.split()) >= 2 or left[:1].isupper()) or not (right[:1].isupper() or right.lower().startswith(
            ("celui ", "celle ", "ceux ", "celles "))) or \
            left.lower() in st.lex.pronouns or right.lower() in st.lex.pronouns:
        return [span]
    return [(span[0], span[0] + m.start()), (span[0] + m.end(), span[1])]
