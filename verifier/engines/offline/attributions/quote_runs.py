"""Direct quotes with no cue of their own next to them: a quote broken by an
incise, and a quote that continues the last speaker.

* **Broken by an incise** ("« A, détaille le ministre. B »", "« A,
  poursuit-il, B »"): a reporting verb inside the quote marks, after a comma
  (``grammar.in_incise``), followed by its subject and a comma or full
  stop: the words before and after the incise are two direct quotes of
  that speaker.
* **Continued**: a quote that opens a sentence with no cue continues the
  speaker of the relation read just before it, of any kind ("Le juge
  ajoute que … . « Bien que je … »"): in the same paragraph, the sentence
  right after; across one paragraph break, when the quote opens its
  paragraph (a quote running over several paragraphs, or the next
  paragraph quoting the last speaker).
"""

from __future__ import annotations

import re

from verifier.engines.offline.attributions.state import Found, State, strip_span
from verifier.engines.offline.attributions.subjects import np_after
from verifier.engines.offline.parsed import Sentence
from verifier.engines.offline.quotes import Quote


def is_title(st: State, q: Quote) -> bool:
    """A title of a work, not speech: "son livre « … »", "intitulé « … »"."""
    words = st.text[max(0, q.open - 40):q.open].split()
    after = st.text[q.close + 1:q.close + 40].split()[:3]
    return any(w.lower().strip(",:") in st.lex.title_nouns for w in words[-2:]) or \
        st.text[q.close + 1:q.close + 3].startswith(",") and any(w.lower().strip(",") in st.lex.title_nouns
                                                               for w in after[1:3])


def broken(st: State, q: Quote, window: int) -> bool:
    """Record the two parts of a quote broken by an incise; True if it was."""
    text = st.text
    for sent in st.sents:
        if sent.end <= q.open or sent.start >= q.close:
            continue
        for tok in sent.doc:
            start = sent.tok_start(tok)
            if not (q.open < start < q.close) or not st.grammar.is_cue(tok, lenient=True) \
                    or not st.grammar.in_incise(tok):
                continue
            comma = text.rfind(",", q.open, start)
            head = sent.tok_start(st.grammar.cue_start(tok))  # "a fait valoir": from "fait"
            if comma < 0 or text[comma + 1:head].strip(" ") and not all(
                    w.lower() in st.lex.auxiliaries for w in text[comma + 1:head].split()):
                continue  # the verb must follow the comma (past its auxiliary): ", détaille", ", a-t-il"
            spk = st.grammar.subject_after(sent, tok) or np_after(sent, tok)
            if spk is None:
                continue
            stop = re.search(r"[,.]", text[spk[1]:q.close])
            if not stop or "«" in text[spk[1]:spk[1] + stop.start()] or len(text[q.open + 1:comma].split()) < 3 \
                    or len(text[spk[1]:spk[1] + stop.start()].split()) > 4:
                continue  # "…, a répété X lundi soir. B": the incise ends at the next comma or full stop
            resume = spk[1] + stop.end()
            appos = re.match(r"\s*[^,.«»]{2,60},", text[resume:q.close])
            if stop.group() == "," and appos and not re.search(r"\b(?:je|nous|on|il|elle|ils|elles|j['’])\b",
                                                               appos.group(), re.I):
                resume += appos.end()  # ", directrice de l'usine de Vierzon,": the speaker's apposition
            cue = (sent.tok_start(st.grammar.cue_start(tok)), sent.tok_end(tok))
            st.used_cues.add(start)
            for part in ((q.open + 1, comma), (resume, q.close)):
                if len(text[part[0]:part[1]].split()) >= 2:
                    st.add(spk, st.slice(spk), cue, part, "direct", window, sent,
                           evidence=(q.open, q.close + 1))
            return True
    return False


def colon_intro(st: State, sent: Sentence, q: Quote, window: int) -> bool:
    """"Le maire a pris la parole devant le conseil : « … »", "La ministre a été
    claire : « … »": a quote after a colon, in a sentence whose main verb has a
    person or organisation as subject, is that subject's (the verb is not a
    reporting one).  True if recorded."""
    if not sent.parsed or q.open < sent.start or not st.text[sent.start:q.open].rstrip().endswith(":"):
        return False
    root = next((t for t in sent.doc if t.dep_ == "ROOT"), None)
    subj = [c for c in root.children if c.dep_ in ("nsubj", "nsubj:pass")] if root is not None else []
    if not subj or subj[0].pos_ not in ("NOUN", "PROPN") or sent.tok_start(subj[0]) > q.open or \
            st.text[q.open + 1:q.close].rstrip().endswith("?"):
        return False  # "une question a dominé : « Qui va payer ? »": a question asked, not said
    nouns = st.lex.person_nouns | st.lex.anon_nouns | st.lex.group_nouns | st.lex.institution_nouns
    if subj[0].pos_ == "NOUN" and subj[0].lower_ not in nouns:
        return False
    s = subj[0]
    words = [t for t in s.subtree if t.i <= s.i or t.dep_ in ("flat:name", "appos", "amod", "nmod", "punct")]
    span = sent.span(words[0], words[-1])
    st.add(span, st.slice(span), None, q.inner, "direct", window, sent, denial=denies(st, q.inner))
    return True


def denies(st: State, span: tuple[int, int]) -> bool:
    """Content that denies by its words (``lex.denial_patterns``), for quotes with no verb."""
    return any(re.search(p, st.text[span[0]:span[1]], re.IGNORECASE) for p in st.lex.denial_patterns)


def continued(st: State, sent: Sentence, q: Quote) -> None:
    """The quote continues the speaker of the relation just before it."""
    text = st.text
    previous = st.found[-1] if st.found else None
    if previous is None or previous.speaker.kind == "unresolved" or q.open > sent.start + 1 or \
            text[q.open + 1:q.close].rstrip().endswith("?") and previous.kind != "direct":
        return
    if previous.cue_span and text[previous.cue_span[0]:previous.cue_span[1]] == ":":
        return  # a transcript's speaker label ("PENCE: …") covers its own line only
    gap = text[previous.evidence[1]:q.open]
    if gap.strip(" \n.»”\"") or gap.count("\n") > 2:
        return  # not right after it, or more than one paragraph away
    inner = text[q.open + 1:q.close].rstrip()
    line_end = text.find("\n", q.close)
    if not inner.endswith((".", "!", "?", "…")) and not text[q.close + 1:line_end if line_end >= 0 else None].strip():
        return  # a quote standing alone on its line with no full stop: a heading ("« Nouvelles réformes »")
    if "\n" in gap and (text.rfind("\n", 0, q.open) + 1 != q.open or previous.kind != "direct"
                        and previous.speaker_span is None):
        return  # across a paragraph break, the quote opens its paragraph, after a speaker named
    st.found.append(Found(previous.speaker, None, None, strip_span(text, *q.inner),
                          "direct", denies(st, q.inner), False, (q.open, max(q.close + 1, sent.end))))
