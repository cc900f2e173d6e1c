"""Direct speech: quotes, speaker labels and continued quotes.

* **Direct quotes** (marks found by ``offline/quotes.py``) of four words or
  more: the speaker is found after the closing mark ("», a affirmé X",
  '," X said', '," said X', "», a-t-il dit") or before the opening one
  ("X a déclaré : « … »"), also over several sentences or after 'He
  said:' ending the paragraph before.  Under four words only when the cue
  follows at once ('"I agree," she said.').  A quote with no cue of its
  own continues the last one; where it ends, who signs it and how it
  continues: ``quote_context.py``.
* **Block quotes**: 'The governor added:' ending a paragraph, then his
  words without quote marks.
* **Speaker labels** of transcripts and headlines ("PENCE: …", "Pence: …"
  at a line start): the content runs to the end of the line.
"""

from __future__ import annotations

import re
from typing import Any

from verifier.engines.offline.attributions.content import new_clause
from verifier.engines.offline.attributions.cues import cue_span, is_aux_only, is_denial
from verifier.engines.offline.attributions import quote_context, quote_runs
from verifier.engines.offline.attributions.quote_context import (CUE_ENDS, DASH_NAME, after_colon, cue_after_name,
                                                                 done, next_in_paragraph, opens_sentence)
from verifier.engines.offline.attributions.quote_runs import broken, colon_intro, is_title
from verifier.engines.offline.attributions.state import State
from verifier.engines.offline.attributions.subjects import np_after, subject
from verifier.engines.offline.parsed import Sentence
from verifier.engines.offline.quotes import Quote

_LABEL = re.compile(r"[\"“«]?\s*([A-Z][A-Z.'’\- ]{1,30}[A-Z]|[A-Z][a-zà-ÿ’'\-]+(?: [A-Z][a-zà-ÿ’'\-]+){0,2}):\s+")


def direct_quotes(st: State, sent: Sentence, window: int) -> None:
    text = st.text
    _block_after_colon(st, sent, window)
    for q in st.top_quotes:
        if sent.start <= q.open < sent.end < q.close or after_colon(st, sent, q):
            _opens_here(st, sent, q, window)  # 'Trump said: "… . … ."': the cue is here
        closes_here = sent.start <= q.close < sent.end or q.close == sent.end and text[q.close:q.close + 1] != "»"
        if not closes_here or done(st, q) or is_title(st, q):
            continue
        short = q.words(text) < 4
        after, cue_sent = _cue_after(st, sent, q.close + 1), sent
        if not after and not text[q.close + 1:sent.end].strip():
            cue_sent = next_in_paragraph(st, sent)  # '"…?" Trump said, …': split after "?"
            after = _cue_after(st, cue_sent, cue_sent.start) if cue_sent else None
            if after and not CUE_ENDS.match(text, cue_sent.tok_end(after[0])):
                after = None
        if after and (not short or opens_sentence(st, sent, q)):
            cue, spk_span = after  # short quotes too: '"I love you," he said.'
            st.used_cues.add(cue_sent.tok_start(cue))
            st.add(spk_span, st.slice(spk_span), cue_span(st, cue_sent, cue), q.inner, "direct",
                   window, sent, denial=is_denial(st, cue, q.inner),
                   evidence=(min(q.open, sent.start), cue_sent.end))
            continue
        dash = None if short else DASH_NAME.match(text, q.close + 1)
        if dash:  # '"…" ― Jane Doe': a quote signed with a dash and a name
            spk_span = (dash.start("name"), dash.start("name") + len(dash.group("name").rstrip(".")))
            st.add(spk_span, st.slice(spk_span), dash.span("dash"), q.inner, "direct", window, sent,
                   evidence=(q.open, dash.end("name")))
            continue
        before = None if short else _cue_before(st, sent, q.open) if q.open >= sent.start else None
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
        if short or broken(st, q, window) or colon_intro(st, sent, q, window):
            continue
        # a quote with no cue of its own continues the last speaker; where the language's gold
        # joins the parts of a broken quote ('"…," he said. "…"') it extends that relation
        (quote_context.continued if st.grammar.joins_broken_quotes else quote_runs.continued)(st, sent, q)


def _opens_here(st: State, sent: Sentence, q: Quote, window: int) -> None:
    """A quote running over several sentences, opened after its cue."""
    before = _cue_before(st, sent, q.open)
    if not before:  # 'X a voulu être clair : "… . … ."': the subject of the sentence before the colon
        colon_intro(st, sent, q, window)
    if before:
        cue, spk_span = before
        st.used_cues.add(sent.tok_start(cue))
        st.add(spk_span, st.slice(spk_span), cue_span(st, sent, cue), q.inner, "direct", window, sent,
               denial=is_denial(st, cue, q.inner), evidence=(sent.start, q.close + 1))


_BLOCK = re.compile(r"[ \t\u00a0]*\n\s*(?P<block>[^\n\"“”«»‘']\S[^\n]{20,})")  # the next paragraph, unquoted


def _block_after_colon(st: State, sent: Sentence, window: int) -> None:
    """'The governor added:' ending a paragraph, then a paragraph of his
    words without quote marks (a block quote): that paragraph."""
    text = st.text
    body = text[sent.start:sent.end].rstrip()
    toks = [t for t in sent.doc if not t.is_space]
    if not body.endswith(":") or len(toks) < 3 or not st.grammar.is_cue(toks[-2], lenient=True):
        return
    m = _BLOCK.match(text, sent.end)
    if not m or _LABEL.match(m.group("block")) or sent.tok_start(toks[-2]) in st.used_cues:
        return
    cue = toks[-2]
    spk = subject(st, sent, cue)
    st.used_cues.add(sent.tok_start(cue))
    st.add(spk, st.slice(spk), cue_span(st, sent, cue), m.span("block"), "direct", window, sent,
           evidence=(sent.start, m.end("block")))


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
    return cue_after_name(st, sent, offset, toks)


def _cue_before(st: State, sent: Sentence, offset: int) -> tuple[Any, tuple[int, int] | None] | None:
    """A reporting verb shortly before an opening quote mark ("X a dit : «")."""
    toks = [t for t in sent.doc if sent.tok_end(t) <= offset]
    for tok in reversed(toks[-8:]):
        if sent.tok_start(tok) in st.used_cues and st.grammar.joins_broken_quotes:
            return None  # '"…," he said, "…"': the second part continues the first (joined)
        if st.grammar.is_cue(tok, lenient=True):
            if st.grammar.lemma(tok) in st.lex.characterise and not st.grammar.characterisation_is_quote:
                return None  # "called the plan “a disaster”": the reporting verb takes it whole
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
