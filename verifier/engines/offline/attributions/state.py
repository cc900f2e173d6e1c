"""What the stages share while reading one text (``State``): the text, its
sentences and quotes, the language's words and grammar, the speaker
resolver, the relations found so far (``Found``) and the tokens already
used as cues, so that no two stages report the same verb.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.engines.offline.grammar import grammar
from verifier.engines.offline.parsed import Sentence
from verifier.engines.offline.quotes import enclosing, find_quotes
from verifier.engines.offline.speakers import Resolved, SpeakerResolver
from verifier.text.lexicon import lexicon


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


class State:
    def __init__(self, text: str, lang: str, sents: list[Sentence]):
        self.text, self.lang, self.sents = text, lang, sents
        self.lex = lexicon(lang)
        self.grammar = grammar(lang)
        self.quotes = find_quotes(text)
        self.resolver = SpeakerResolver(lang)
        self.found: list[Found] = []
        self.used_cues: set[int] = set()  # article offsets of tokens already used as cues
        self.top_quotes = [q for q in self.quotes if not enclosing([x for x in self.quotes if x != q],
                                                                   q.open, q.close)]

    def add(self, speaker_span: tuple[int, int] | None, speaker_text: str | None,
            cue_span: tuple[int, int] | None, content: tuple[int, int], kind: str, window: int,
            sent: Sentence, *, denial: bool = False, no_comment: bool = False,
            evidence: tuple[int, int] | None = None) -> None:
        """Record one relation; its speaker is resolved among the sentences
        from ``window`` on.  Content shorter than two characters is dropped."""
        content = strip_span(self.text, *content)
        if content[1] - content[0] < 2:
            return
        if kind == "indirect":
            content, kind = self._mixed(content)
        same = [f for f in self.found if f.content == content and (
            f.speaker_span == speaker_span or f.speaker_span is None or speaker_span is None
            or f.speaker_span[0] <= speaker_span[0] < f.speaker_span[1])]
        if same:  # one relation per content: "a indiqué ne pas vouloir commenter" is the refusal itself
            same[0].is_no_comment |= no_comment
            same[0].is_denial |= denial
            if cue_span and same[0].cue_span and cue_span[0] < same[0].cue_span[0]:
                same[0].cue_span = cue_span  # "a indiqué ne pas vouloir commenter": the verb that reports it
            return
        if speaker_text:
            offset = speaker_span[0] if speaker_span else sent.start
            resolved = self.resolver.resolve(speaker_text, offset, window)
        else:
            resolved = Resolved("(unknown)", None, "unresolved")
        self.resolver.note_speaker(sent.start, resolved)
        ev = evidence or (min(sent.start, content[0]), max(sent.end, content[1]))
        self.found.append(Found(resolved, speaker_span, cue_span, content, kind, denial, no_comment, ev))

    def _mixed(self, content: tuple[int, int]) -> tuple[tuple[int, int], str]:
        """Reported words holding a quoted fragment are a mixed quote
        ("réclame « toute la transparence » sur …"), with the opening mark
        just before them included."""
        inside = [q for q in self.quotes if content[0] - 2 <= q.open and q.close < content[1] + 1]
        if not inside:
            return content, "indirect"
        whole = [q for q in inside if strip_span(self.text, q.open, q.close + 1) == (q.open, q.close + 1)
                 and self.text[content[0]:q.open].strip(" «“\"") == "" and self.text[q.close + 1:content[1]].strip(" .,") == ""]
        if whole:  # "Pour X, « … »", "« … », selon lui": the whole content is a quote, direct speech
            return strip_span(self.text, *whole[0].inner), "direct"
        start = min(content[0], min(q.open for q in inside))
        end = max(content[1], max(q.close + 1 for q in inside))
        return (start, end), "mixed"

    def slice(self, span: tuple[int, int] | None) -> str | None:
        return self.text[span[0]:span[1]] if span else None


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",:;"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    return start, end


def clean(name: str) -> str:
    return name.strip("«»“”\" ").replace("«", "").replace("»", "").strip()
