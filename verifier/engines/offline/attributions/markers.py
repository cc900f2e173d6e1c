"""Markers: relations found by a fixed wording rather than a reporting verb.

* **Refusals to comment** ("n'a pas répondu aux demandes de commentaires",
  "declined to comment"; ``lex.no_comment``): the speaker is the subject of
  the refusal, the content the refusal itself up to the next comma,
  semicolon, full stop or "et"/"and"/"mais"/"but".  One per sentence.
* **Source markers** ("selon X", "d'après X", "according to X";
  ``lex.source_preps``): the speaker runs to the next comma; the content is
  the rest of the clause on the other side of the comma.  "selon nos
  informations" (the outlet itself) is not a speaker.
* **Frames** opening a sentence ("Pour X, …", "Aux yeux de X, …", "À ses
  yeux, …"; ``lex.frames``): X is the speaker when it names someone (a
  person or organisation, a person noun, a pronoun; not a place nor "Pour
  l'instant"), the rest of the sentence the content.
"""

from __future__ import annotations

import re

from verifier.engines.offline.attributions.cues import denies_by_content
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
        if re.match(r"(?:le|la|les)quel(?:le)?s?\b", body[np_start:], re.IGNORECASE):
            continue  # "l'information selon laquelle …": a relative (``allegations``), not a source
        comma = body.find(",", np_start)
        np_end = comma if comma != -1 else len(body.rstrip(".!?…"))
        if comma != -1:  # "selon le procureur, Jean-Luc Aubry, …": the name in apposition
            comma = _apposition_end(st, sent, comma)
            np_end = comma
        qui = re.search(r"\s(?:qui|que|qu['’]|who|which)\s", body[np_start:np_end])
        np_end = np_start + qui.start() if qui else np_end  # "selon Marianne qui a révélé les faits"
        speaker = (sent.start + np_start, sent.start + np_end)
        if not st.text[speaker[0]:speaker[1]].strip() or \
                st.text[speaker[0]:speaker[1]].lower().startswith(st.lex.first_person_determiners):
            continue  # "selon nos informations": the outlet's own reporting
        before = body[:m.start()].rstrip(" ,")
        lead_in = re.fullmatch(r"[\w’']*", before.strip()) is not None
        if comma != -1 and (lead_in or not before):
            content = (sent.start + comma + 1, sent.end)
        elif before:
            content = (sent.start, sent.start + len(before))
        else:
            continue
        kind = "indirect"
        st.add(speaker, st.slice(speaker), (sent.start + m.start(), sent.start + m.end() - 1),
               content, kind, window, sent, denial=denies_by_content(st, content))


def frames(st: State, sent: Sentence, window: int) -> None:
    body = st.text[sent.start:sent.end]
    for pattern in st.lex.frames:
        m = re.match(pattern, body)
        if not m:
            continue
        spk = (sent.start + m.start("spk"), sent.start + m.end("spk"))
        if not _names_someone(st, sent, spk):
            return
        comma = _apposition_end(st, sent, m.end() - 2 - (len(m.group()) - len(m.group().rstrip())) + 1)
        content = (sent.start + comma + 1, sent.end)
        if comma + 1 > m.end():  # "Pour l'avocate, Me Claire Hamon, « … »": the name after the comma
            spk = (spk[0], sent.start + comma)
        tail = body[m.end("spk"):m.end()].strip(" ,")
        cue = (sent.start, sent.start + m.end() - 2) if tail else (sent.start, spk[0] - 1)
        st.add(spk, st.slice(spk), cue, content, "indirect", window, sent, denial=denies_by_content(st, content))
        return


def _apposition_end(st: State, sent: Sentence, comma: int) -> int:
    """The comma (offset in the sentence) that ends a speaker noun phrase, past
    an apposition naming it (", Jean-Luc Aubry,", ", Me Claire Hamon,") or a
    relative clause (", qui dirige la banque alimentaire,")."""
    body = st.text[sent.start:sent.end]
    rest = body[comma + 1:]
    rel = re.match(r"\s*(?:qui|que|qu['’]|dont|who|which)\b[^,«»“”]*,", rest)
    if rel:
        return comma + 1 + rel.end() - 1
    if sent.parsed:
        lead = len(rest) - len(rest.lstrip())
        for ent in sent.doc.ents:
            if ent.label_ == "PER" and comma + 1 + lead <= ent.start_char <= comma + 1 + lead + 4:
                after = body[ent.end_char:].lstrip()
                if after[:1] == ",":
                    return ent.end_char + body[ent.end_char:].index(",")
    return comma


def _names_someone(st: State, sent: Sentence, span: tuple[int, int]) -> bool:
    """"Pour la ministre", "Pour Jan Hamáček", "Pour lui", "à ses yeux": a
    speaker; "Pour l'instant", "Pour 2019", "Pour la France": not."""
    words = st.text[span[0]:span[1]]
    low = words.lower()
    first = sent.token_at(span[0])
    if first is not None and sent.parsed and first.pos_ in ("VERB", "AUX"):
        return False  # "Pour repérer ces personnes, …": a purpose
    if low in st.lex.pronouns:
        return True
    head = low.replace("’", " ").replace("'", " ").split()
    head = [w for w in head if w not in {d.strip().strip("'’") for d in st.lex.determiners + st.lex.possessives}][:1]
    if set(head) & (st.lex.person_nouns | st.lex.anon_nouns | st.lex.media_nouns | st.lex.institution_nouns
                    | st.lex.group_nouns):  # its head: "Pour le syndicat", not "Pour les réformes de société"
        return True
    if sent.parsed:
        ents = [e for e in sent.doc.ents if span[0] <= sent.start + e.start_char < span[1]]
        if any(e.label_ == "LOC" for e in ents):
            return False
        # a person or organisation, or a name of two capitalised words the NER missed ("M’jid El Guerrab")
        return any(e.label_ in ("PER", "ORG") for e in ents) or \
            re.fullmatch(r"[A-ZÀ-Ý][\w’'\-]+(?:\s+(?:[A-ZÀ-Ý][\w’'\-]+|de|d['’]\S+|el|al|ben|van|von))+", words) is not None
    return False
