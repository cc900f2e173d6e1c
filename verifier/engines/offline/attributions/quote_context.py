"""Where a direct quote ends and who signs it, beyond a reporting verb next
to it (``direct_quotes.py`` asks these):

* the sentence after a quote that ends its own ('"…?" Trump said'),
  ``next_in_paragraph`` and ``CUE_ENDS``;
* a name with a parenthetical or an apposition before the verb ('," Rep.
  Jane Doe (R-Ohio) said', '," Jane Doe, a farmer, said'),
  ``cue_after_name``;
* a quote signed with a dash and a name ('"…" ― Jane Doe'), ``DASH_NAME``;
* 'He said:' ending the paragraph before the quote, ``after_colon``;
* a quote with no cue of its own, which continues the last one
  (``continued``): broken by its cue ('"…," he said. "…"'), it extends that
  relation where the language's gold joins the parts
  (``grammar.joins_broken_quotes``); on the next line it is a relation of
  its own with the same speaker.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from verifier.engines.offline.attributions.state import Found, State, strip_span
from verifier.engines.offline.parsed import Sentence
from verifier.engines.offline.quotes import Quote

DASH_NAME = re.compile(r"[ \t\u00a0]*[,.]?[ \t\u00a0]*(?P<dash>[―—–])[ \t\u00a0]*"
                       r"(?P<name>[A-Z][\w’'.\-]+(?: [A-Z][\w’'.\-]+){0,3})[ \t\u00a0.,]*(?:\n|$)")

# After a cue that ends the quote's attribution: ", …", "." or a time or place.
CUE_ENDS = re.compile(r"\s*(?:[,.;]|(?:on|in|at|to|of|after|during|before|while|as|when|then)\b|$)")


def next_in_paragraph(st: State, sent: Sentence) -> Sentence | None:
    i = st.sents.index(sent)
    nxt = st.sents[i + 1] if i + 1 < len(st.sents) else None
    return nxt if nxt and "\n" not in st.text[sent.end:nxt.start] else None


def after_colon(st: State, sent: Sentence, q: Quote) -> bool:
    """'He said:' ending a paragraph, the quote opening the next one."""
    return q.open >= sent.end and st.text[sent.start:sent.end].rstrip().endswith(":") \
        and not st.text[sent.end:q.open].strip()


def done(st: State, q: Quote) -> bool:
    return any(f.kind == "direct" and f.content == strip_span(st.text, *q.inner) for f in st.found)


def opens_sentence(st: State, sent: Sentence, q: Quote) -> bool:
    return not st.text[sent.start:q.open].strip()


def continued(st: State, sent: Sentence, q: Quote) -> None:
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


# '," Rep. Jane Doe (R-Ohio) said', '," Jane Doe, a writer for the Post, said'
_NAME_THEN_CUE = re.compile(r"[\s,]*(?P<name>[^\s,()“”\"«»][^,()“”\"«»]{0,60}?)(?:\s*\([^()]{1,40}\))?"
                            r"(?:\s*,\s*(?P<apposition>[^,“”\"«»]{3,100}?),)?\s*")


def cue_after_name(st: State, sent: Sentence, offset: int, toks: list[Any]) -> tuple[Any, tuple[int, int]] | None:
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
