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
from verifier.engines.offline.attributions.markers import frames, no_comment, source_markers
from verifier.engines.offline.attributions.phrase_cues import phrase_cues
from verifier.engines.offline.attributions.state import Found, State, clean
from verifier.engines.offline.parsed import Sentence
from verifier.text.lexicon import ALL_STOP_CAPS


def extract(text: str, lang: str, sents: list[Sentence]) -> list[Found]:
    st = State(text, lang, sents)
    for i, sent in enumerate(sents):
        register_entities(st, sent)
        window = sents[max(0, i - 3)].start  # a speaker's referent: this sentence or the three before
        if not st.grammar.headings_report and _heading(text, sent):
            continue
        speaker_label(st, sent, window)
        direct_quotes(st, sent, window)
        no_comment(st, sent, window)
        source_markers(st, sent, window)
        frames(st, sent, window)
        phrase_cues(st, sent, window)
        reporting_verbs(st, sent, window)
    st.found.sort(key=lambda f: (f.evidence[0], f.content[0]))
    return st.found


def _heading(text: str, sent: Sentence) -> bool:
    """A line of its own with no sentence end ("Ce qu'a dit la ministre", a
    headline): a heading, not reported speech."""
    line_start = text.rfind("\n", 0, sent.start) + 1
    line_end = text.find("\n", sent.end)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    return line == text[sent.start:sent.end].strip() and not line.endswith((".", "!", "?", "…", "»", "”", '"', ":")) \
        and len(line.split()) <= 15 and "\n" in text


def register_entities(st: State, sent: Sentence) -> None:
    if sent.parsed:
        body = st.text[sent.start:sent.end]
        for ent in sent.doc.ents:
            if ent.label_ in ("PER", "ORG"):
                # the words before it and its apposition, where its role may be written
                parts = re.split(r"[,;:()«»]", body[:ent.start_char])
                appos = parts[-1].strip(" \t") in ("", "Me", "M.", "Mme", "Dr", "Pr") and len(parts) >= 2
                before = re.sub(r"^\s*(?:et|ou|and|or)\s+", "", parts[-2]) if appos else parts[-1]
                # "Le maire, X,", "L'avocate, Me X,", "…, et son adjointe, Y,"
                tail = body[ent.end_char:]
                after = tail[1:].split(",")[0] if tail.startswith(",") else ""
                st.resolver.add_entity(sent.start + ent.start_char, clean(ent.text), ent.label_, before, after, appos)
        # the person a sentence is about: its main verb's subject ("le juge en chef Rossiter l'a
        # encouragée. Il a dit …": "Il" is Rossiter)
        for tok in sent.doc:
            if tok.dep_ == "nsubj" and tok.head.dep_ == "ROOT" and tok.pos_ in ("NOUN", "PROPN"):
                words = [t for t in tok.subtree if t.i <= tok.i or t.dep_ in ("flat:name", "appos")]
                st.resolver.note_subject(sent.start, st.text[sent.tok_start(words[0]):sent.tok_end(words[-1])])
                break
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
