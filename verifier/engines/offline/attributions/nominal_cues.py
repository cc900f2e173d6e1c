"""Nominal cues: a noun of saying with its owner and its clause ("Trump's
claim that …", "her warning that …").  The words are the language's
(``lex.nominal_cues``: regular expressions with the groups ``speaker``,
``cue`` and ``content``); the content runs from the clause to the end of the
sentence.  A language with none skips this stage.
"""

from __future__ import annotations

import re

from verifier.engines.offline.attributions.state import State
from verifier.engines.offline.parsed import Sentence


def nominal_cues(st: State, sent: Sentence, window: int) -> None:
    body = st.text[sent.start:sent.end]
    for pattern in st.lex.nominal_cues:
        for m in re.finditer(pattern, body):
            cue = (sent.start + m.start("cue"), sent.start + m.end("cue"))
            tok = sent.token_at(cue[0])
            if tok is None or sent.tok_start(tok) in st.used_cues:
                continue
            st.used_cues.add(sent.tok_start(tok))
            speaker = (sent.start + m.start("speaker"), sent.start + m.end("speaker"))
            st.add(speaker, st.slice(speaker), cue, (sent.start + m.start("content"), sent.end),
                   "indirect", window, sent)
