"""Phrase cues: relations marked by a fixed wording rather than a reporting
verb with its subject, such as a noun of saying with its owner ("Trump's
claim that …", "her warning that …") or a passive ("it was reported that
…", "Smith was quoted as saying …").  The wordings are the language's
(``lex.phrase_cues``: regular expressions with the groups ``cue`` and
``content`` and, where the wording names one, ``speaker``); the content
runs from the ``content`` group to the end of the sentence.  A language
with none skips this stage.
"""

from __future__ import annotations

import re

from verifier.engines.offline.attributions.state import State
from verifier.engines.offline.parsed import Sentence


def phrase_cues(st: State, sent: Sentence, window: int) -> None:
    body = st.text[sent.start:sent.end]
    for pattern in st.lex.phrase_cues:
        for m in re.finditer(pattern, body):
            cue = (sent.start + m.start("cue"), sent.start + m.end("cue"))
            tok = sent.token_at(cue[0])
            if tok is None or sent.tok_start(tok) in st.used_cues:
                continue
            st.used_cues.add(sent.tok_start(tok))
            named = "speaker" in m.re.groupindex and m.group("speaker")
            speaker = (sent.start + m.start("speaker"), sent.start + m.end("speaker")) if named else None
            st.add(speaker, st.slice(speaker), cue, (sent.start + m.start("content"), sent.end),
                   "indirect", window, sent)
