"""Texts split into chunks that fit a budget (long articles for the LLM engine, blocks for the offline one).

``split`` cuts a text at paragraph boundaries (blank lines); a paragraph
over the budget is cut at line breaks, then after sentence ends, then at
the last white space that fits (or anywhere, for a run without any).  Each
chunk is a slice of the whole text (``text[c.start:c.end] == c.text``),
the chunks cover it from start to end, and every chunk is within the budget
as ``count`` measures it.  Consecutive chunks overlap by the previous
chunk's last paragraph (or, for a long paragraph, its last sentences) when
that fits in ``overlap`` tokens (15% of the budget by default), so that a
fact at a boundary is read whole at least once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

OVERLAP_SHARE = 0.15
MAX_TOKEN_CHARS = 16  # a hard cut looks this many characters per token ahead, at most
_PARAGRAPH_END = re.compile(r"\n[^\S\n]*\n\s*")  # a blank line, and the white space after it
_LINE_END = re.compile(r"\n")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[»”\"’)\]]*\s+")
_LEVELS = (_PARAGRAPH_END, _LINE_END, _SENTENCE_END)

Count = Callable[[str], int]


@dataclass(frozen=True)
class Chunk:
    """A slice of the whole text: ``text == whole[start:end]``."""

    index: int
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split(text: str, budget: int, count: Count, overlap: int | None = None) -> list[Chunk]:
    """``text`` in chunks of at most ``budget`` (as ``count`` measures), in
    order, covering it; consecutive chunks share at most ``overlap`` (default
    15% of the budget; 0 for none).  A budget smaller than one character's
    count cannot be met: such a character makes a chunk of its own."""
    if budget < 1:
        raise ValueError("the budget must be at least 1")
    limit = int(budget * OVERLAP_SHARE) if overlap is None else overlap
    units = list(_units(text, 0, len(text), count(text), budget, count, 0))
    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        start, used = units[i][0], units[i][2]
        if chunks and limit > 0:
            shared = _overlap(text, units[i - 1][0], units[i - 1][1], limit, count)
            if shared is not None and count(text[shared:units[i][1]]) <= budget:
                start, used = shared, count(text[shared:units[i][1]])
        j = i + 1
        while j < len(units) and used + units[j][2] <= budget:
            used += units[j][2]
            j += 1
        while j > i + 1 and count(text[start:units[j - 1][1]]) > budget:
            j -= 1  # the pieces were counted apart, the slice is counted whole: they may differ at a joint
        chunks.append(Chunk(len(chunks), start, text[start:units[j - 1][1]]))
        i = j
    return chunks


def _units(text: str, start: int, end: int, size: int, budget: int, count: Count,
           level: int) -> Iterator[tuple[int, int, int]]:
    """Consecutive spans covering ``text[start:end]`` (``size`` as counted),
    each within the budget, with their counts: paragraphs, cut finer only
    where one is too long."""
    if size <= budget:
        yield start, end, size
        return
    if level == len(_LEVELS):
        yield from _hard_cuts(text, start, end, budget, count)
        return
    cuts = [m.end() for m in _LEVELS[level].finditer(text, start, end) if m.end() < end]
    for s, e in zip([start, *cuts], [*cuts, end]):
        yield from _units(text, s, e, count(text[s:e]), budget, count, level + 1)


def _hard_cuts(text: str, start: int, end: int, budget: int, count: Count) -> Iterator[tuple[int, int, int]]:
    """A run with no usable boundary: the longest prefixes within the budget
    (looked for among the first ``budget * MAX_TOKEN_CHARS`` characters),
    each ended after white space when it has some."""
    while start < end:
        low, high = start + 1, min(end, start + budget * MAX_TOKEN_CHARS)
        while low < high:  # the longest fitting prefix, by bisection: counts grow with length
            mid = (low + high + 1) // 2
            low, high = (mid, high) if count(text[start:mid]) <= budget else (low, mid - 1)
        space = max(text.rfind(c, start, low) for c in " \n\t")
        cut = space + 1 if low < end and space > start else low
        yield start, cut, count(text[start:cut])
        start = cut


def _overlap(text: str, start: int, end: int, limit: int, count: Count) -> int | None:
    """Where the overlap taken from the unit ``text[start:end]`` starts: the
    whole unit when it fits in ``limit``, else its last sentences that do;
    None when not even its last sentence fits."""
    if count(text[start:end]) <= limit:
        return start
    cuts = [m.end() for m in _SENTENCE_END.finditer(text, start, end) if m.end() < end]
    for cut in cuts:  # the earliest cut whose tail fits: the most sentences
        if count(text[cut:end]) <= limit:
            return cut
    return None
