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
from dataclasses import replace
from typing import Any

from verifier.engines.offline.attributions.cues import cue_span, is_aux_only, is_denial
from verifier.engines.offline.attributions.state import Found, State, strip_span
from verifier.engines.offline.attributions.subjects import np_after, subject
from verifier.engines.offline.parsed import Sentence
from verifier.engines.offline.quotes import Quote

_LABEL = re.compile(r"[\"“«]?\s*([A-Z][A-Z.'’\- ]{1,30}[A-Z]|[A-Z][a-zà-ÿ’'\-]+(?: [A-Z][a-zà-ÿ’'\-]+){0,2}):\s+")


def direct_quotes(st: State, sent: Sentence, window: int) -> None:
    text = st.text
    _block_after_colon(st, sent, window)
    for q in st.top_quotes:
        if sent.start <= q.open < sent.end < q.close or _after_colon(st, sent, q):
            _opens_here(st, sent, q, window)  # 'Trump said: "… . … ."': the cue is here
        if not (sent.start <= q.close < sent.end) or _done(st, q):
            continue
        short = q.words(text) < 4
        after, cue_sent = _cue_after(st, sent, q.close + 1), sent
        if not after and not text[q.close + 1:sent.end].strip():
            cue_sent = _next_in_paragraph(st, sent)  # '"…?" Trump said, …': split after "?"
            after = _cue_after(st, cue_sent, cue_sent.start) if cue_sent else None
            if after and not _CUE_ENDS.match(text, cue_sent.tok_end(after[0])):
                after = None
        if after and (not short or _opens_sentence(st, sent, q)):
            cue, spk_span = after  # short quotes too: '"I love you," he said.'
            st.used_cues.add(cue_sent.tok_start(cue))
            st.add(spk_span, st.slice(spk_span), cue_sent.span(cue, cue), q.inner, "direct",
                   window, sent, denial=is_denial(st, cue, q.inner),
                   evidence=(min(q.open, sent.start), cue_sent.end))
            continue
        dash = None if short else _DASH_NAME.match(text, q.close + 1)
        if dash:  # '"…" ― Jane Doe': a quote signed with a dash and a name
            spk_span = (dash.start("name"), dash.start("name") + len(dash.group("name").rstrip(".")))
            st.add(spk_span, st.slice(spk_span), dash.span("dash"), q.inner, "direct", window, sent,
                   evidence=(q.open, dash.end("name")))
            continue
        before = None if short else _cue_before(st, sent, q.open) if q.open >= sent.start else None
        if before:
            cue, spk_span = before
            st.used_cues.add(sent.tok_start(cue))
            st.add(spk_span, st.slice(spk_span), cue_span(sent, cue), q.inner,
                   "direct", window, sent, denial=is_denial(st, cue, q.inner))
            continue
        _continued(st, sent, q)


_DASH_NAME = re.compile(r"[ \t\u00a0]*[,.]?[ \t\u00a0]*(?P<dash>[―—–])[ \t\u00a0]*"
                        r"(?P<name>[A-Z][\w’'.\-]+(?: [A-Z][\w’'.\-]+){0,3})[ \t\u00a0.,]*(?:\n|$)")


# After a cue that ends the quote's attribution: ", …", "." or a time or place.
_CUE_ENDS = re.compile(r"\s*(?:[,.;]|(?:on|in|at|to|of|after|during|before|while|as|when|then)\b|$)")


def _next_in_paragraph(st: State, sent: Sentence) -> Sentence | None:
    i = st.sents.index(sent)
    nxt = st.sents[i + 1] if i + 1 < len(st.sents) else None
    return nxt if nxt and "\n" not in st.text[sent.end:nxt.start] else None


def _opens_here(st: State, sent: Sentence, q: Quote, window: int) -> None:
    """A quote running over several sentences, opened after its cue."""
    before = _cue_before(st, sent, q.open)
    if before:
        cue, spk_span = before
        st.used_cues.add(sent.tok_start(cue))
        st.add(spk_span, st.slice(spk_span), cue_span(sent, cue), q.inner, "direct", window, sent,
               denial=is_denial(st, cue, q.inner), evidence=(sent.start, q.close + 1))


def _after_colon(st: State, sent: Sentence, q: Quote) -> bool:
    """'He said:' ending a paragraph, the quote opening the next one."""
    return q.open >= sent.end and st.text[sent.start:sent.end].rstrip().endswith(":") \
        and not st.text[sent.end:q.open].strip()


def _block_after_colon(st: State, sent: Sentence, window: int) -> None:
    """'The governor added:' ending a paragraph, then a paragraph of his
    words without quote marks (a block quote): that paragraph."""
    text = st.text
    body = text[sent.start:sent.end].rstrip()
    toks = [t for t in sent.doc if not t.is_space]
    if not body.endswith(":") or len(toks) < 3 or not st.grammar.is_cue(toks[-2], lenient=True):
        return
    m = re.compile(r"[ \t\u00a0]*\n\s*(?P<block>[^\n\"“”«»‘']\S[^\n]{20,})").match(text, sent.end)
    if not m or _LABEL.match(m.group("block")) or sent.tok_start(toks[-2]) in st.used_cues:
        return
    cue = toks[-2]
    spk = subject(st, sent, cue)
    st.used_cues.add(sent.tok_start(cue))
    st.add(spk, st.slice(spk), cue_span(sent, cue), m.span("block"), "direct", window, sent,
           evidence=(sent.start, m.end("block")))


def _done(st: State, q: Quote) -> bool:
    return any(f.kind == "direct" and f.content == strip_span(st.text, *q.inner) for f in st.found)


def _opens_sentence(st: State, sent: Sentence, q: Quote) -> bool:
    return not st.text[sent.start:q.open].strip()


def _continued(st: State, sent: Sentence, q: Quote) -> None:
    """A quote with no cue of its own continues the last direct quote: in
    the same paragraph, broken by its cue ('"…," he said. "…"'), it extends
    that quote; at the start of the next line it is a relation of its own,
    with the same speaker."""
    text = st.text
    previous = st.found[-1] if st.found else None
    if not previous or previous.kind != "direct" or previous.content[1] > q.open:
        return
    gap = text[previous.content[1]:q.open]
    broken = re.fullmatch(r"[”\"»]?\s*,?[^.!?\n]*,\s*", gap)  # '"…," he said, "…"'
    if st.grammar.joins_broken_quotes and "\n" not in gap and (q.open <= sent.start + 1 or previous.evidence[1] >= sent.start and broken):
        end = strip_span(text, *q.inner)[1]
        st.found[-1] = replace(previous, content=(previous.content[0], end),
                               evidence=(previous.evidence[0], max(previous.evidence[1], q.close + 1, sent.end)))
    elif q.open <= sent.start + 1 and "\n\n" not in text[previous.evidence[1]:q.open] \
            and text[previous.evidence[1]:q.open].count("\n") <= 1:
        st.found.append(Found(previous.speaker, None, None, strip_span(text, *q.inner),
                              "direct", False, False, (q.open, max(q.close + 1, sent.end))))


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
            left = st.text[offset:sent.tok_start(tok)].strip(" ,.:;»”\"")
            if left and not is_aux_only(left):
                start = st.text.index(left, offset)
                return tok, (start, start + len(left))
            return tok, np_after(sent, tok)
        if tok.text in (".", "!", "?", "«", "“") or (k > 0 and tok.text == ","):
            break
    return _cue_after_name(st, sent, offset, toks)


# '," Rep. Jane Doe (R-Ohio) said', '," Jane Doe, a writer for the Post, said'
_NAME_THEN_CUE = re.compile(r"[\s,]*(?P<name>[^\s,()“”\"«»][^,()“”\"«»]{0,60}?)(?:\s*\([^()]{1,40}\))?"
                            r"(?:\s*,\s*(?P<apposition>[^,“”\"«»]{3,100}?),)?\s*")


def _cue_after_name(st: State, sent: Sentence, offset: int, toks: list[Any]) -> tuple[Any, tuple[int, int]] | None:
    """A name with a parenthetical or an apposition between a closing quote
    mark and its verb; the speaker is all of it."""
    for tok in toks[:25]:
        if tok.text in ("!", "?", "«", "“", '"'):
            return None
        if not st.grammar.is_cue(tok, lenient=True):
            continue
        left = st.text[offset:sent.tok_start(tok)]
        m = _NAME_THEN_CUE.fullmatch(left)
        if not m or not any(w[:1].isupper() for w in m.group("name").split()) \
                or re.search(r"[a-z]{4,}[.!?] ", m.group("name")):  # a sentence end, not "Rep. "
            return None
        return tok, (offset + m.start("name"), offset + m.end("apposition" if m.group("apposition") else "name"))
    return None


def _cue_before(st: State, sent: Sentence, offset: int) -> tuple[Any, tuple[int, int] | None] | None:
    """A reporting verb shortly before an opening quote mark ("X a dit : «")."""
    toks = [t for t in sent.doc if sent.tok_end(t) <= offset]
    for tok in reversed(toks[-8:]):
        if sent.tok_start(tok) in st.used_cues:
            return None  # '"…," he said, "…"': the second part continues the first
        if st.grammar.is_cue(tok, lenient=True):
            if st.grammar.lemma(tok) in st.lex.characterise and not st.grammar.characterisation_is_quote:
                return None  # "called the plan “a disaster”": the reporting verb takes it whole
            between = st.text[sent.tok_end(tok):offset]
            if re.fullmatch(r"[\s\w’'.,:;-]*", between) and len(between.split()) <= 5:
                return tok, subject(st, sent, tok)
    return None


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
