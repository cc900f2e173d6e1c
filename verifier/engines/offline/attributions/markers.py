"""Markers: relations found by a fixed wording rather than a reporting verb.

* **Refusals to comment** ("n'a pas répondu aux demandes de commentaires",
  "declined to comment"; ``lex.no_comment``): the speaker is the subject of
  the refusal, the content the refusal itself up to the next comma,
  semicolon, full stop or "et"/"and"/"mais"/"but".  One per sentence.
* **Source markers** ("selon X", "d'après X", "according to X";
  ``lex.source_preps``): the speaker runs to the next comma; the content is
  the rest of the clause on the other side of the comma.
"""

from __future__ import annotations

import re

from verifier.engines.offline.attributions.state import State
from verifier.engines.offline.attributions.subjects import np_before, subject
from verifier.engines.offline.parsed import Sentence


def no_comment(st: State, sent: Sentence, window: int) -> None:
    body = st.text[sent.start:sent.end]
    for pattern in st.lex.no_comment:
        m = re.search(pattern, body, re.IGNORECASE)
        if not m:
            continue
        start = sent.start + m.start()
        tail = re.search(r",|;|\.|\bet\b|\band\b|\bmais\b|\bbut\b", body[m.end():])
        end = sent.start + m.end() + (tail.start() if tail else len(body) - m.end())
        tok = sent.token_at(start)
        spk = None
        if tok is not None:
            verb = tok.head if sent.parsed else tok
            spk = subject(st, sent, verb) if sent.parsed else np_before(st, sent, tok)
        st.add(spk, st.slice(spk), (start, sent.start + m.end()), (start, end), "indirect",
               window, sent, no_comment=True)
        for t in sent.doc:
            if start <= sent.tok_start(t) < end:
                st.used_cues.add(sent.tok_start(t))
        return


def source_markers(st: State, sent: Sentence, window: int) -> None:
    body = st.text[sent.start:sent.end]
    alternatives = "|".join(re.escape(p) for p in st.lex.source_preps)
    for m in re.finditer(rf"(?<![\w’'])(?:{alternatives})\s+", body, re.IGNORECASE):
        np_start = m.end()
        comma = body.find(",", np_start)
        np_end = comma if comma != -1 else len(body.rstrip(".!?…"))
        speaker = (sent.start + np_start, sent.start + np_end)
        if not st.text[speaker[0]:speaker[1]].strip():
            continue
        before = body[:m.start()].rstrip(" ,")
        lead_in = re.fullmatch(r"[\w’']*", before.strip()) is not None
        if comma != -1 and (lead_in or not before):
            content = (sent.start + comma + 1, sent.end)
        elif before:
            content = (sent.start, sent.start + len(before))
        else:
            continue
        st.add(speaker, st.slice(speaker), (sent.start + m.start(), sent.start + m.end() - 1),
               content, "indirect", window, sent)
