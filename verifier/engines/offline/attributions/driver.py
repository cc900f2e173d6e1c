"""The driver: each sentence, in article order, has its names registered
with the speaker resolver, then goes through the stages in turn; a token
one stage used as a cue is not used again by a later one.  The relations
come back sorted by where their evidence starts.

Names are registered before the sentence's relations are read, so that
"Musk" can become "Elon Musk" and "il" the last person named: where the
pipeline parses (French), spaCy's ``PER`` and ``ORG`` entities; else runs
of capitalised words (leading sentence furniture such as "The", "Monday"
dropped), two or three words a person, others an organisation.
"""

from __future__ import annotations

import re

from verifier.engines.offline.attributions.cues import reporting_verbs
from verifier.engines.offline.attributions.direct_quotes import direct_quotes, speaker_label
from verifier.engines.offline.attributions.markers import no_comment, source_markers
from verifier.engines.offline.attributions.phrase_cues import phrase_cues
from verifier.engines.offline.attributions.state import Found, State, clean
from verifier.engines.offline.parsed import Sentence
from verifier.text.lexicon import ALL_STOP_CAPS


def extract(text: str, lang: str, sents: list[Sentence]) -> list[Found]:
    st = State(text, lang, sents)
    for i, sent in enumerate(sents):
        register_entities(st, sent)
        window = sents[max(0, i - 3)].start  # a speaker's referent: this sentence or the three before
        speaker_label(st, sent, window)
        direct_quotes(st, sent, window)
        no_comment(st, sent, window)
        source_markers(st, sent, window)
        phrase_cues(st, sent, window)
        reporting_verbs(st, sent, window)
    st.found.sort(key=lambda f: (f.evidence[0], f.content[0]))
    return st.found


def register_entities(st: State, sent: Sentence) -> None:
    if sent.parsed:
        for ent in sent.doc.ents:
            if ent.label_ in ("PER", "ORG"):
                st.resolver.add_entity(sent.start + ent.start_char, clean(ent.text), ent.label_)
        return
    if st.grammar.is_headline(sent.doc):
        return  # "… Exploits Trump Supporter Who Was in a Hospital for Mental Issues": no names to trust
    for m in re.finditer(r"(?:[A-Z][\w’'.\-]+)(?:\s+(?:[A-Z][\w’'.\-]+|(?:de|van|von)\b|al-))*",
                         st.text[sent.start:sent.end]):
        words = re.sub(r"['’]s$", "", m.group()).split()  # "Donald Trump’s campaign": the name
        while words and words[0] in ALL_STOP_CAPS:
            words.pop(0)
        if words:
            label = "PER" if 2 <= len(words) <= 3 else "ORG"
            st.resolver.add_entity(sent.start + m.start(), " ".join(words), label)
