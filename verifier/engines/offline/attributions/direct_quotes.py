"""Direct speech: quotes, speaker labels and continued quotes.

* **Direct quotes** (marks found by ``offline/quotes.py``) of four words or
  more: the speaker is found after the closing mark ("», a affirmé X",
  '," X said', '," said X', "», a-t-il dit") or before the opening one
  ("X a déclaré : « … »").  A quote that opens a sentence right after a
  quoted sentence of the same paragraph continues that speaker.
* **Speaker labels** of transcripts and headlines ("PENCE: …", "Pence: …"
  at a line start): the content runs to the end of the line.
"""

from __future__ import annotations

import re
from typing import Any

from verifier.engines.offline.attributions.content import new_clause
from verifier.engines.offline.attributions.cues import cue_span, is_aux_only, is_denial
from verifier.engines.offline.attributions.quote_runs import broken, colon_intro, continued, is_title
from verifier.engines.offline.attributions.state import State
from verifier.engines.offline.attributions.subjects import np_after, subject
from verifier.engines.offline.parsed import Sentence
from verifier.engines.offline.quotes import Quote

_LABEL = re.compile(r"[\"“«]?\s*([A-Z][A-Z.'’\- ]{1,30}[A-Z]|[A-Z][a-zà-ÿ’'\-]+(?: [A-Z][a-zà-ÿ’'\-]+){0,2}):\s+")


def direct_quotes(st: State, sent: Sentence, window: int) -> None:
    text = st.text
    for q in st.top_quotes:
        if not (sent.start <= q.close < sent.end or q.close == sent.end and text[q.close:q.close + 1] != "»") \
                or q.words(text) < 4 or is_title(st, q):
            continue
        after = _cue_after(st, sent, q.close + 1)
        if after:
            cue, spk_span = after
            st.used_cues.add(sent.tok_start(cue))
            st.add(spk_span, st.slice(spk_span), cue_span(st, sent, cue), q.inner, "direct",
                   window, sent, denial=is_denial(st, cue, q.inner),
                   evidence=(min(q.open, sent.start), sent.end))
            continue
        before = _cue_before(st, sent, q.open) if q.open >= sent.start else None
        if before:
            cue, spk_span = before
            if spk_span is None:  # "« A », a annoncé X, avant d'ajouter : « B »"
                same = [f for f in st.found if f.speaker_span and sent.start <= f.speaker_span[0] < q.open]
                spk_span = same[-1].speaker_span if same else None
            st.used_cues.add(sent.tok_start(cue))
            said, kind = q.inner, "direct"
            if not re.search(r"[:,]", text[sent.tok_end(cue):q.open]) and \
                    st.grammar.lemma(cue) not in st.lex.characterise:  # "le décrivant comme « Y »": Y direct
                said, kind = _mixed(st, sent, cue, q), "mixed"  # "a dénoncé « … »", "a fait valoir qu'« … »"
            st.add(spk_span, st.slice(spk_span), cue_span(st, sent, cue), said,
                   kind, window, sent, denial=is_denial(st, cue, said))
            continue
        if is_title(st, q) or broken(st, q, window) or colon_intro(st, sent, q, window):
            continue
        continued(st, sent, q)


def _cue_after(st: State, sent: Sentence, offset: int) -> tuple[Any, tuple[int, int] | None] | None:
    """A reporting verb within five tokens after a closing quote mark."""
    toks = [t for t in sent.doc if sent.tok_start(t) >= offset]
    for k, tok in enumerate(toks[:6]):
        if st.grammar.is_cue(tok, lenient=True):
            # inverted: "», a-t-il dit", '," said Smith'; else '," Smith said'
            tail = st.text[sent.tok_end(tok):sent.end]
            m = re.match(r"\s*-?t?-(il|elle|ils|elles|on)\b", tail)
            if m:
                s = sent.tok_end(tok) + m.start(1)
                return tok, (s, s + len(m.group(1)))
            left = st.text[offset:sent.tok_start(st.grammar.cue_start(tok))].strip(" ,.:;»”\"")
            m = re.fullmatch(r"\w+-t?-(il|elle|ils|elles|on)", left)
            if m:  # "», a-t-il affirmé", "», a-t-elle fait savoir"
                s = offset + st.text[offset:].index(left) + m.start(1)
                return tok, (s, s + len(m.group(1)))
            if re.fullmatch(r"(?:s['’]|se|me|m['’]|nous|vous)\s*(?:est|sont|était|étaient|a|ont|avait)?", left):
                left = ""  # "», s'agace X", "», s'est emporté X": the subject comes after
            words = left.split()
            while len(words) > 1 and is_aux_only(words[-1]):  # "», il a rejeté"
                left = left[:left.rfind(words.pop())].rstrip()
            if left.split() and left.split()[0].lower() in st.lex.phrase_stops:
                return None  # "« … ? » Pour répondre à cette question": a new sentence, not an incise
            if left and not is_aux_only(left):
                if sent.parsed and any(c.dep_ in ("obj", "ccomp") and c.i > tok.i for c in tok.children):
                    return None  # "« … », il a rejeté cette éventualité": a clause of its own, not an incise
                start = st.text.index(left, offset)
                return tok, (start, start + len(left))
            return tok, st.grammar.subject_after(sent, tok) or np_after(sent, tok)
        if tok.text in (".", "!", "?", "«", "“") or (k > 0 and tok.text == ","):
            break
    return None


def _cue_before(st: State, sent: Sentence, offset: int) -> tuple[Any, tuple[int, int] | None] | None:
    """A reporting verb shortly before an opening quote mark ("X a dit : «")."""
    toks = [t for t in sent.doc if sent.tok_end(t) <= offset]
    for tok in reversed(toks[-8:]):
        if st.grammar.is_cue(tok, lenient=True):
            between = st.text[sent.tok_end(tok):offset]
            if re.fullmatch(r"[\s\w’'.,:;-]*", between) and len(between.split()) <= 5:
                return tok, subject(st, sent, tok)
    return None


def _mixed(st: State, sent: Sentence, cue: Any, q: Quote) -> tuple[int, int]:
    """A quote the verb's own clause goes on into (no colon): the narrator's
    words with the quoted ones, marks included, from after the verb ("que",
    "de" dropped) to the end of the sentence, or of the verb's object when
    the quote is in it ("a dénoncé « une décision brutale » après …")."""
    text = st.text
    start = sent.tok_end(cue)
    lead = re.match(r"\s*(?:(?:que|qu['’]|de|d['’])\s*)?", text[start:q.open])
    start = q.open if lead and start + lead.end() == q.open else start
    clause = re.match(r"\s*(?:que\s|qu['’])\s*", text[start:q.open])
    start = start + clause.end() if clause else start  # "a affirmé qu'il était prêt « si … »"
    end = new_clause(st, start, sent.end)
    if sent.parsed:
        for obj in (c for c in cue.children if c.dep_ == "obj"):
            last = max(obj.subtree, key=lambda t: t.i)
            first = min(obj.subtree, key=lambda t: t.i)
            if sent.tok_start(first) <= q.open + 2 and sent.tok_end(last) >= q.close - 1:
                end = max(sent.tok_end(last), q.close + 1)
    return start, end


def speaker_label(st: State, sent: Sentence, window: int) -> None:
    """Transcripts and headlines: 'PENCE: …', 'Pence: …' at a line start;
    the content runs to the end of the line."""
    text = st.text
    line_start = text.rfind("\n", 0, sent.start) + 1
    if text[line_start:sent.start].strip(' "“«') or not sent.start <= line_start + 1 + \
            len(text[line_start:sent.start]):
        return
    m = _LABEL.match(text, line_start)
    if not m or m.start(1) < sent.start - 1 or m.end(1) > sent.end:
        return
    end = text.find("\n", m.end())
    end = len(text) if end == -1 else end
    if len(text[m.end():end].split()) < 4:
        return
    speaker = (m.start(1), m.end(1))
    for t in sent.doc:
        if sent.tok_start(t) < m.end():
            st.used_cues.add(sent.tok_start(t))
    st.add(speaker, st.slice(speaker), (m.end(1), m.end(1) + 1), (m.end(), end), "direct",
           window, sent, evidence=(line_start, end))
