"""Content: the reported clause of a reporting verb.

* after the verb: the clause after "que", "qu'", "that" or ":" when only
  objects or time stand between ("told reporters on Monday that …",
  ``grammar(lang).objects_only``), else the rest of the sentence, cut
  before a participle clause of its own (", le décrivant comme …");
* before the verb, when it follows its content ('"…," Smith said', "…,
  a-t-il dit") or ends a relative clause ("Des accusations que X a
  démenties").
"""

from __future__ import annotations

import re
from typing import Any

from verifier.engines.offline.attributions.state import State
from verifier.engines.offline.attributions.subjects import inverted_context
from verifier.engines.offline.parsed import Sentence


_COMPLEMENTS = frozenset("de du des d' d’ dans sur concernant contre of about".split())


def new_clause(st: State, start: int, end: int) -> int:
    """The reported clause stops where a main clause of its own starts after a
    comma (", il a rejeté cette éventualité"): a subject pronoun and an
    auxiliary."""
    if not st.lex.auxiliaries:
        return end
    pron = "|".join(re.escape(p) for p, g in st.lex.pronouns.items()
                    if p.isalpha() and g in "mfp" and p not in ("lui", "eux"))
    aux = "|".join(re.escape(a) for a in st.lex.auxiliaries)
    m = re.search(rf",\s+(?:{pron})\s+(?:n['’]\s*)?(?:{aux})\b", st.text[start:end], re.IGNORECASE)
    return start + m.start() if m else end


def _main_clause(st: State, sent: Sentence, verb: Any, start: int) -> int:
    """A verb in a clause before the main one ("En affirmant que A, X a ajouté …", "Alors qu'il
    avait affirmé avoir B, X a avoué …"): its content stops before the main clause's subject."""
    if not sent.parsed or verb.dep_ != "advcl" or verb.head.i <= verb.i:
        return sent.end
    subj = [c for c in verb.head.children if c.dep_.startswith("nsubj") and c.i > verb.i]
    if not subj or sent.tok_start(subj[0].left_edge) <= start:
        return sent.end
    cut = sent.tok_start(subj[0].left_edge)
    return len(st.text[:cut].rstrip(" ,"))


def content(st: State, sent: Sentence, verb: Any, inverted: bool,
            subject_before: bool = False) -> tuple[int, int] | None:
    text, before = st.text, st.text[sent.start:sent.tok_start(verb)]
    participle = st.grammar.is_present_participle(verb)
    rel = re.search(r"^(.*?)\s*\b(?:que\s+|qu['’]\s*|that\s+|which\s+)[^,]*$", before, re.S | re.I)
    if rel and st.lex.anaphoric_content and re.fullmatch(st.lex.anaphoric_content, rel.group(1).strip(), re.I):
        previous = [s for s in st.sents if s.end <= sent.start]
        if previous:  # "C'est ce qu'a annoncé X": what X announced is the sentence before (maybe the lead)
            return previous[-1].start, previous[-1].end
    if rel and not participle and rel.group(1).strip() and not re.search(r"[,;:]", rel.group(1)) \
            and text[sent.tok_end(verb):sent.end].lstrip()[:1] in (",", ".", ""):
        return sent.start, sent.start + len(rel.group(1))  # "Des accusations que X a démenties"
    after_verb = text[sent.tok_end(verb):sent.end]
    clause_follows = re.match(r"\s*(?:que\b|qu['’]|that\b)", after_verb, re.I) is not None
    if not participle and not clause_follows and (inverted or inverted_context(sent, verb, st.lex.auxiliaries)
                                                  and not subject_before):
        words = before.split()  # drop the auxiliary: "…, a indiqué X"
        while words and (words[-1].lower() in st.lex.auxiliaries or re.fullmatch(r"\w+(?:-t)?-\w+", words[-1])):
            before = before[:before.rstrip().rfind(words.pop())]
        m = re.search(r"^(.*)[,»”\"]\s*$", before, re.S)
        if m and len(m.group(1).split()) >= 3:
            return sent.start, sent.start + len(m.group(1))
        if inverted:
            return None
    start = sent.tok_end(verb)
    rest = text[start:sent.end]
    trailing = re.match(r"^(.*\S)\s*,\s*\S[^,]{0,59}$", before, re.S)
    if subject_before and trailing and not participle and len(trailing.group(1).split()) >= 3 and st.grammar.only_circumstances(rest):
        return sent.start, sent.start + len(trailing.group(1))  # "…, Warren said."
    m = re.match(r"\s*(?:\S+\s+){0,4}?(?:que\s|qu['’]|that\s|:)\s*", rest, re.IGNORECASE)
    if m and st.grammar.objects_only(m.group()):
        if re.search(r"[«“\"]", m.group()):  # "juge « inacceptable » que …": the quoted word is reported too
            return start, new_clause(st, start + m.end(), sent.end)
        clause_end = min(new_clause(st, start + m.end(), sent.end), _main_clause(st, sent, verb, start + m.end()))
        return start + m.end(), st.grammar.object_end(verb, text, start + m.end(), clause_end, clause=True)
    end = _main_clause(st, sent, verb, start)
    if sent.parsed and participle:
        end = sent.tok_end(max(verb.subtree, key=lambda t: t.i))
    if sent.parsed:
        # "a rejeté toute faute et a fait savoir que …": the second verb reports on its own
        later = [c for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and c.i > verb.i]
        if later:
            first = min([later[0]] + [c for c in later[0].children if c.i < later[0].i], key=lambda t: t.i)
            end = min(end, sent.tok_start(first))
        objs = [c for c in verb.children if c.dep_ == "obj" and c.pos_ in ("NOUN", "PRON") and c.i > verb.i]
        if objs and st.grammar.lemma(verb) in st.lex.denial_verbs:
            # "a rejeté cette éventualité en début d'après-midi": what is denied is the object
            last = max(objs[0].subtree, key=lambda t: t.i)
            k = last.i + 1  # "toute intervention dans le dossier de son frère": its complements too
            while k < len(sent.doc) and sent.doc[k].lower_ in _COMPLEMENTS:
                k += 1
                while k < len(sent.doc) and not sent.doc[k].is_punct and sent.doc[k].pos_ in ("DET", "NOUN", "PROPN",
                                                                                              "ADJ", "ADP", "NUM"):
                    if sent.doc[k].pos_ == "ADP" and sent.doc[k].lower_ not in _COMPLEMENTS:
                        break
                    last, k = sent.doc[k], k + 1
            end = min(end, sent.tok_end(last))
    skip = re.match(r"\s*(?:[,:]\s*)?(?:\w+ment\s+|\w+ly\s+)?", rest)
    own_clause = re.search(r",\s+(?:tout en\s+|en\s+)?(?:(?:le|la|les|l['’]|se|s['’])\s*)?\w+(?:ant|ing)\b", rest)
    if own_clause and start + own_clause.start() < end:
        end = start + own_clause.start()  # "…, le décrivant comme …" is its own relation
    begin = start + (skip.end() if skip else 0)
    return begin, st.grammar.object_end(verb, text, begin, end)
