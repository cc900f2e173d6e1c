"""Who said what, by rules over spaCy tokens.

For each sentence, in article order:

1. **Direct quotes** (``quotes.py``) of four words or more: the speaker is
   found after the closing mark ("», a affirmé X", '," X said', '," said X',
   "», a-t-il dit") or before the opening one ("X a déclaré : « … »").  A
   quote that opens a sentence right after a quoted sentence of the same
   paragraph continues that speaker.
2. **Refusals to comment** ("n'a pas répondu aux demandes de commentaires",
   "declined to comment"): ``is_no_comment``.
3. **Source markers** ("selon X", "d'après X", "according to X"): the content
   is the rest of the clause on the other side of the comma.
4. **Reporting verbs** (``text/lexicon``): the speaker is the verb's subject
   (French: the dependency parse, following participles and conjuncts to
   the verb they hang on; English: the noun phrase before the verb, or after
   it when inverted: "said Smith"); the content is the clause after the verb
   ("que …", "that …") or, when the verb follows its content, the clause
   before the comma.  "qualifier/décrire/call/describe … « Y »" gives the
   quote Y as direct speech.

Denials: a denial verb (démentir, nier, rejeter, deny, dismiss, reject …)
or a characterisation as false ("qualifié de « fausses nouvelles »").
Speakers are resolved by ``speakers.py``.  Words come from the language's
``Lexicon`` (``text/lexicon``); what differs by language beyond words is in
``grammar`` (``grammar(lang)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from verifier.engines.offline.grammar import grammar
from verifier.text.lexicon import ALL_STOP_CAPS, Lexicon, lexicon
from verifier.engines.offline.quotes import Quote, enclosing, find_quotes
from verifier.engines.offline.speakers import Resolved, SpeakerResolver
from verifier.engines.offline.parsed import Sentence

_LABEL = re.compile(r"[\"“«]?\s*([A-Z][A-Z.'’\- ]{1,30}[A-Z]|[A-Z][a-zà-ÿ’'\-]+(?: [A-Z][a-zà-ÿ’'\-]+){0,2}):\s+")


@dataclass
class Found:
    speaker: Resolved
    speaker_span: tuple[int, int] | None
    cue_span: tuple[int, int] | None
    content: tuple[int, int]
    kind: str
    is_denial: bool
    is_no_comment: bool
    evidence: tuple[int, int]


class Extractor:
    def __init__(self, text: str, lang: str, sents: list[Sentence]):
        self.text, self.lang, self.sents = text, lang, sents
        self.lex = lexicon(lang)
        self.grammar = grammar(lang)
        self.quotes = find_quotes(text)
        self.resolver = SpeakerResolver(lang)
        self.found: list[Found] = []
        self._used_cues: set[int] = set()  # article offsets of tokens already used as cues
        self._top_quotes = [q for q in self.quotes if not enclosing([x for x in self.quotes if x != q],
                                                                    q.open, q.close)]

    # -------------------------------------------------------------- driver --

    def run(self) -> list[Found]:
        for i, sent in enumerate(self.sents):
            self._register_entities(sent)
            window = self.sents[max(0, i - 3)].start
            self._speaker_label(sent, window)
            self._direct_quotes(sent, window)
            self._no_comment(sent, window)
            self._source_markers(sent, window)
            self._reporting_verbs(sent, window)
        self.found.sort(key=lambda f: (f.evidence[0], f.content[0]))
        return self.found

    def _register_entities(self, sent: Sentence) -> None:
        if sent.parsed:
            for ent in sent.doc.ents:
                if ent.label_ in ("PER", "ORG"):
                    self.resolver.add_entity(sent.start + ent.start_char, _clean(ent.text), ent.label_)
            return
        for m in re.finditer(r"(?:[A-Z][\w’'.\-]+)(?:\s+(?:[A-Z][\w’'.\-]+|de|van|von|al-))*",
                             self.text[sent.start:sent.end]):
            words = m.group().split()
            while words and words[0] in ALL_STOP_CAPS:
                words.pop(0)
            if words:
                label = "PER" if 2 <= len(words) <= 3 else "ORG"
                self.resolver.add_entity(sent.start + m.start(), " ".join(words), label)

    def _add(self, speaker_span: tuple[int, int] | None, speaker_text: str | None,
             cue_span: tuple[int, int] | None, content: tuple[int, int], kind: str, window: int,
             sent: Sentence, *, denial: bool = False, no_comment: bool = False,
             evidence: tuple[int, int] | None = None) -> None:
        content = _strip_span(self.text, *content)
        if content[1] - content[0] < 2:
            return
        if speaker_text:
            offset = speaker_span[0] if speaker_span else sent.start
            resolved = self.resolver.resolve(speaker_text, offset, window)
        else:
            resolved = Resolved("(unknown)", None, "unresolved")
        self.resolver.note_speaker(sent.start, resolved)
        ev = evidence or (min(sent.start, content[0]), max(sent.end, content[1]))
        self.found.append(Found(resolved, speaker_span, cue_span, content, kind, denial, no_comment, ev))

    # ------------------------------------------------------- direct quotes --

    def _direct_quotes(self, sent: Sentence, window: int) -> None:
        for q in self._top_quotes:
            if not (sent.start <= q.close < sent.end) or q.words(self.text) < 4:
                continue
            after = self._cue_after(sent, q.close + 1)
            if after:
                cue, spk_span = after
                self._used_cues.add(sent.tok_start(cue))
                self._add(spk_span, self._slice(spk_span), sent.span(cue, cue), q.inner, "direct",
                          window, sent, denial=self._is_denial(cue, q.inner),
                          evidence=(min(q.open, sent.start), sent.end))
                continue
            before = self._cue_before(sent, q.open) if q.open >= sent.start else None
            if before:
                cue, spk_span = before
                self._used_cues.add(sent.tok_start(cue))
                self._add(spk_span, self._slice(spk_span), self._cue_span(sent, cue), q.inner,
                          "direct", window, sent, denial=self._is_denial(cue, q.inner))
                continue
            previous = self.found[-1] if self.found else None
            if (previous and previous.kind == "direct" and q.open <= sent.start + 1
                    and "\n\n" not in self.text[previous.evidence[1]:q.open]
                    and self.text[previous.evidence[1]:q.open].count("\n") <= 1):
                self.found.append(Found(previous.speaker, None, None, _strip_span(self.text, *q.inner),
                                        "direct", False, False, (q.open, max(q.close + 1, sent.end))))

    def _cue_after(self, sent: Sentence, offset: int) -> tuple[Any, tuple[int, int] | None] | None:
        """A reporting verb within five tokens after a closing quote mark."""
        toks = [t for t in sent.doc if sent.tok_start(t) >= offset]
        for k, tok in enumerate(toks[:6]):
            if self._is_cue(tok, lenient=True):
                # inverted: "», a-t-il dit", '," said Smith'; else '," Smith said'
                tail = self.text[sent.tok_end(tok):sent.end]
                m = re.match(r"\s*-?t?-(il|elle|ils|elles|on)\b", tail)
                if m:
                    s = sent.tok_end(tok) + m.start(1)
                    return tok, (s, s + len(m.group(1)))
                left = self.text[offset:sent.tok_start(tok)].strip(" ,.:;»”\"")
                if left and not _is_aux_only(left):
                    start = self.text.index(left, offset)
                    return tok, (start, start + len(left))
                return tok, self._np_after(sent, tok)
            if tok.text in (".", "!", "?", "«", "“") or (k > 0 and tok.text == ","):
                break
        return None

    def _cue_before(self, sent: Sentence, offset: int) -> tuple[Any, tuple[int, int] | None] | None:
        """A reporting verb shortly before an opening quote mark ("X a dit : «")."""
        toks = [t for t in sent.doc if sent.tok_end(t) <= offset]
        for tok in reversed(toks[-8:]):
            if self._is_cue(tok, lenient=True):
                between = self.text[sent.tok_end(tok):offset]
                if re.fullmatch(r"[\s\w’'.,:;-]*", between) and len(between.split()) <= 5:
                    return tok, self._subject(sent, tok)
        return None

    # ------------------------------------------------------ speaker labels --

    def _speaker_label(self, sent: Sentence, window: int) -> None:
        """Transcripts and headlines: 'PENCE: …', 'Pence: …' at a line start;
        the content runs to the end of the line."""
        line_start = self.text.rfind("\n", 0, sent.start) + 1
        if self.text[line_start:sent.start].strip(' "“«') or not sent.start <= line_start + 1 + \
                len(self.text[line_start:sent.start]):
            return
        m = _LABEL.match(self.text, line_start)
        if not m or m.start(1) < sent.start - 1 or m.end(1) > sent.end:
            return
        end = self.text.find("\n", m.end())
        end = len(self.text) if end == -1 else end
        if len(self.text[m.end():end].split()) < 4:
            return
        speaker = (m.start(1), m.end(1))
        for t in sent.doc:
            if sent.tok_start(t) < m.end():
                self._used_cues.add(sent.tok_start(t))
        self._add(speaker, self._slice(speaker), (m.end(1), m.end(1) + 1), (m.end(), end), "direct",
                  window, sent, evidence=(line_start, end))

    # ------------------------------------------------- refusals to comment --

    def _no_comment(self, sent: Sentence, window: int) -> None:
        body = self.text[sent.start:sent.end]
        for pattern in self.lex.no_comment:
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
                spk = self._subject(sent, verb) if sent.parsed else self._np_before(sent, tok)
            self._add(spk, self._slice(spk), (start, sent.start + m.end()), (start, end), "indirect",
                      window, sent, no_comment=True)
            for t in sent.doc:
                if start <= sent.tok_start(t) < end:
                    self._used_cues.add(sent.tok_start(t))
            return

    # ------------------------------------------------------ source markers --

    def _source_markers(self, sent: Sentence, window: int) -> None:
        body = self.text[sent.start:sent.end]
        alternatives = "|".join(re.escape(p) for p in self.lex.source_preps)
        for m in re.finditer(rf"(?<![\w’'])(?:{alternatives})\s+", body, re.IGNORECASE):
            np_start = m.end()
            comma = body.find(",", np_start)
            np_end = comma if comma != -1 else len(body.rstrip(".!?…"))
            speaker = (sent.start + np_start, sent.start + np_end)
            if not self.text[speaker[0]:speaker[1]].strip():
                continue
            before = body[:m.start()].rstrip(" ,")
            lead_in = re.fullmatch(r"[\w’']*", before.strip()) is not None
            if comma != -1 and (lead_in or not before):
                content = (sent.start + comma + 1, sent.end)
            elif before:
                content = (sent.start, sent.start + len(before))
            else:
                continue
            self._add(speaker, self._slice(speaker), (sent.start + m.start(), sent.start + m.end() - 1),
                      content, "indirect", window, sent)

    # ---------------------------------------------------- reporting verbs --

    def _reporting_verbs(self, sent: Sentence, window: int) -> None:
        for tok in sent.doc:
            key = sent.tok_start(tok)
            if key in self._used_cues or not self._is_cue(tok):
                continue
            if enclosing(self.quotes, sent.tok_start(tok), sent.tok_end(tok)):
                continue
            spk = self._subject(sent, tok)
            inverted = spk is not None and spk[0] > sent.tok_start(tok)
            if spk is None and not sent.parsed:
                continue
            content = self._content(sent, tok, inverted, subject_before=spk is not None and not inverted)
            if content is None:
                continue
            kind = "indirect"
            if self.grammar.lemma(tok) in self.lex.characterise:
                q = _last_quote_in(self.quotes, *content)
                if q and self.text[q.close + 1:content[1]].strip(" .,") == "":
                    content, kind = q.inner, "direct"
            self._used_cues.add(key)
            self._add(spk, self._slice(spk), self._cue_span(sent, tok), content, kind, window, sent,
                      denial=self._is_denial(tok, content))

    def _is_cue(self, tok: Any, lenient: bool = False) -> bool:
        return self.grammar.is_cue(tok, lenient)

    def _is_denial(self, tok: Any, content: tuple[int, int]) -> bool:
        lemma = self.grammar.lemma(tok)
        if lemma in self.lex.denial_verbs:
            return True
        # "qualifié de « fausses nouvelles »", '"It is fake news," said Jones'
        words = self.lex.denial_words
        said = self.text[content[0]:content[1]]
        short = len(said.split()) <= 8
        return (lemma in self.lex.characterise or short) and any(re.search(rf"\b{re.escape(w)}\b", said.lower())
                                                         for w in words)

    # ------------------------------------------------------- subject / NP --

    def _subject(self, sent: Sentence, verb: Any) -> tuple[int, int] | None:
        if self.grammar.is_present_participle(verb):
            # "…, démentant …", "le décrivant comme …": the main clause's subject
            found = self._first_subject(sent, verb)
            main = [t for t in sent.doc[:verb.i] if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "aux:tense")
                    and not self.grammar.is_present_participle(t)] if sent.parsed else []
            found = found or (self._subject(sent, main[-1]) if main else None) or self._np_before(sent, verb)
            if found:
                return found
            same = [f for f in self.found if f.speaker_span and sent.start <= f.speaker_span[0] < sent.end]
            return same[-1].speaker_span if same else None
        if sent.parsed and verb.pos_ in ("VERB", "AUX"):
            found = self._parsed_subject(sent, verb)
            if found:
                return found
        before = self._np_before(sent, verb)
        if before and "," in self.text[before[0]:before[1]]:
            return before  # "Jane Smith, a Republican from Ohio, said"
        if self._inverted_context(sent, verb):
            return self._np_after(sent, verb)
        return before

    def _first_subject(self, sent: Sentence, verb: Any) -> tuple[int, int] | None:
        for tok in sent.doc[:verb.i]:
            if sent.parsed and tok.dep_ == "nsubj" and tok.pos_ in ("PROPN", "NOUN", "PRON"):
                return sent.span(tok.left_edge if tok.left_edge.i <= tok.i else tok, tok)
        return None

    def _parsed_subject(self, sent: Sentence, verb: Any) -> tuple[int, int] | None:
        seen = 0
        node = verb
        while node is not None and seen < 4:
            subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubj:pass", "expl:subj")]
            if subj and subj[0].lower_ not in ("on", "ce", "c'", "c’", "qui"):
                s = subj[0]
                toks = [t for t in s.subtree if t.i <= s.i or t.dep_ not in ("acl:relcl",)]
                first, last = toks[0], toks[-1]
                while last.text in (",", "«", "»") and last.i > first.i:
                    last = sent.doc[last.i - 1]
                return sent.span(first, last)
            if subj and subj[0].lower_ == "qui" and node.dep_ == "acl:relcl":
                head = node.head
                return sent.span(head.left_edge, head)
            if node.dep_ in ("advcl", "conj", "xcomp") and node.head is not node and node.head.pos_ in ("VERB", "AUX"):
                node = node.head
                seen += 1
                continue
            return None
        return None

    def _inverted_context(self, sent: Sentence, verb: Any) -> bool:
        prev = sent.doc[verb.i - 1] if verb.i > 0 else None
        return prev is not None and prev.text in (",", "”", '"', "»")

    def _np_before(self, sent: Sentence, verb: Any) -> tuple[int, int] | None:
        """The noun phrase ending just before ``verb`` (skipping auxiliaries
        and adverbs), with its apposition (", the spokesman,")."""
        doc, stop, ok = sent.doc, self.lex.phrase_stops, self.lex.phrase_words
        i = verb.i - 1
        while i >= 0 and self.grammar.between_subject_and_verb(doc[i]):
            i -= 1
        if i < 0:
            return None
        if doc[i].text == ")":
            while i >= 0 and doc[i].text != "(":
                i -= 1
            i -= 1
            if i < 0:
                return None
        end_tok = doc[i]
        if end_tok.text == ",":
            j = i - 1
            while j >= 0 and doc[j].text != "," and i - j < 15:
                j -= 1
            if j <= 0 or doc[j].text != ",":
                return None
            i = j - 1
        head = doc[i]
        pronouns = self.lex.pronouns
        if head.text in ALL_STOP_CAPS and head.lower_ not in pronouns:
            return None  # "on 27 February said"
        if not ((head.text[:1].isupper() and head.is_alpha) or head.lower_ in pronouns
                or _is_role_noun(head.lower_, self.lex)):
            return None
        k = i
        while k - 1 >= 0 and head.lower_ not in pronouns:
            t = doc[k - 1]
            if t.is_punct and t.text not in ("'s", "’s", "-", ".", "«", "»") or t.lower_ in stop:
                break
            if not (t.text[:1].isupper() or t.lower_ in ok or t.is_lower and i - k < 5):
                break
            k -= 1
        while k < i and (doc[k].lower_ in ("of", "for", "at", "'s", "’s", "de", "du", "d'", "d’")
                         or doc[k].is_punct):
            k += 1
        return sent.span(doc[k], end_tok if end_tok.text != "," else doc[end_tok.i - 1])

    def _np_after(self, sent: Sentence, verb: Any) -> tuple[int, int] | None:
        toks = []
        for t in sent.doc[verb.i + 1:]:
            if (t.is_punct and t.text not in ("-", "'s", "’s", "«", "»", "“", "”")
                    or t.lower_ in ("that", "que", "qu'", "qu’", "en", "in", "on", "when", "after")):
                break
            toks.append(t)
        if not toks or len(toks) > 12:
            return None
        return sent.span(toks[0], toks[-1])

    # ------------------------------------------------------------ content --

    def _content(self, sent: Sentence, verb: Any, inverted: bool,
                 subject_before: bool = False) -> tuple[int, int] | None:
        text, before = self.text, self.text[sent.start:sent.tok_start(verb)]
        participle = self.grammar.is_present_participle(verb)
        rel = re.search(r"^(.*?)\s*\b(?:que|qu['’]|that|which)\s+[^,]*$", before, re.S | re.I)
        if rel and not participle and rel.group(1).strip() and not re.search(r"[,;:]", rel.group(1)) \
                and text[sent.tok_end(verb):sent.end].lstrip()[:1] in (",", ".", ""):
            return sent.start, sent.start + len(rel.group(1))  # "Des accusations que X a démenties"
        if not participle and (inverted or self._inverted_context(sent, verb) and not subject_before):
            m = re.search(r"^(.*)[,»”\"]\s*$", before, re.S)
            if m and len(m.group(1).split()) >= 3:
                return sent.start, sent.start + len(m.group(1))
            if inverted:
                return None
        start = sent.tok_end(verb)
        rest = text[start:sent.end]
        m = re.match(r"\s*(?:\S+\s+){0,4}?(?:que\s|qu['’]|that\s|:)\s*", rest, re.IGNORECASE)
        if m and self.grammar.objects_only(m.group()):
            return start + m.end(), sent.end
        end = sent.end
        if sent.parsed and self.grammar.is_present_participle(verb):
            end = sent.tok_end(max(verb.subtree, key=lambda t: t.i))
        skip = re.match(r"\s*(?:[,:]\s*)?(?:\w+ment\s+|\w+ly\s+)?", rest)
        participle = re.search(r",\s+(?:(?:le|la|les|l['’]|se|s['’])\s*)?\w+(?:ant|ing)\b", rest)
        if participle and start + participle.start() < end:
            end = start + participle.start()  # "…, le décrivant comme …" is its own relation
        return start + (skip.end() if skip else 0), end

    def _cue_span(self, sent: Sentence, verb: Any) -> tuple[int, int]:
        first = verb
        if sent.parsed:
            aux = [c for c in verb.children if c.dep_ in ("aux", "aux:tense") and c.i < verb.i]
            if aux:
                first = aux[0]
        elif verb.i > 0 and verb.nbor(-1).lower_ in ("has", "have", "had", "will", "would"):
            first = verb.nbor(-1)
        return sent.tok_start(first), sent.tok_end(verb)

    def _slice(self, span: tuple[int, int] | None) -> str | None:
        return self.text[span[0]:span[1]] if span else None


def extract(text: str, lang: str, sents: list[Sentence]) -> list[Found]:
    return Extractor(text, lang, sents).run()


def _is_role_noun(word: str, lex: Lexicon) -> bool:
    nouns = lex.person_nouns | lex.anon_nouns | lex.media_nouns
    return word in nouns or word.rstrip("s") in nouns


def _is_aux_only(words: str) -> bool:
    return words.lower() in ("a", "ont", "avait", "has", "had", "have")


def _last_quote_in(quotes: list[Quote], start: int, end: int) -> Quote | None:
    inside = [q for q in quotes if start <= q.open and q.close < end + 1]
    return inside[-1] if inside else None


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",:;"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    return start, end


def _clean(name: str) -> str:
    return name.strip("«»“”\" ").replace("«", "").replace("»", "").strip()
