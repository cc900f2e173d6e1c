"""Quotation marks: pairs of « », “ ”, „ “ and straight double quotes, as
character offsets, within a paragraph (a quote never crosses a blank line).

A quote running over several paragraphs opens each of them and closes only
at the end of the last ("« A.\n\n« B. »"): a mark left open at the end of
a paragraph, when the next paragraph opens with the same mark, closes at the
end of its paragraph (``Quote.close`` is then the offset just past it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier.text.lexicon import PUNCT_QUOTES


@dataclass(frozen=True)
class Quote:
    open: int   # offset of the opening mark
    close: int  # offset of the closing mark

    @property
    def inner(self) -> tuple[int, int]:
        return self.open + 1, self.close

    def words(self, text: str) -> int:
        return len(text[self.open + 1:self.close].split())


def find_quotes(text: str) -> list[Quote]:
    found: list[Quote] = []
    paras = list(re.finditer(r"[^\n]+", text))
    for k, para in enumerate(paras):
        pairs, left_open = _pairs(text, para.start(), para.end())
        found.extend(pairs)
        following = paras[k + 1].group().lstrip()[:1] if k + 1 < len(paras) else ""
        if len(left_open) == 1 and left_open[0][0] in ("«", "“") and following == left_open[0][0]:
            end = para.start() + len(para.group().rstrip())
            found.append(Quote(left_open[0][1], end))  # "« A.\n\n« B. »": A runs to its paragraph's end
    return sorted(found, key=lambda q: q.open)


def _pairs(text: str, start: int, end: int) -> tuple[list[Quote], list[tuple[str, int]]]:
    """The pairs closed within ``text[start:end]`` and the marks left open."""
    pairs: list[Quote] = []
    stack: list[tuple[str, int]] = []
    for i in range(start, end):
        ch = text[i]
        if ch == '"':
            if stack and stack[-1][0] == '"':
                pairs.append(Quote(stack.pop()[1], i))
            else:
                stack.append((ch, i))
        elif ch in PUNCT_QUOTES and ch != "“":
            stack.append((ch, i))
        elif ch == "“":
            if stack and stack[-1][0] == "„":
                pairs.append(Quote(stack.pop()[1], i))
            else:
                stack.append((ch, i))
        elif ch == "”" and not stack and not text[start:i].strip():
            stack.append(("“", i))  # a paragraph opening with a reversed mark: ”…”
        elif ch in ("»", "”"):
            for j in range(len(stack) - 1, -1, -1):
                if PUNCT_QUOTES.get(stack[j][0]) == ch:
                    pairs.append(Quote(stack[j][1], i))
                    del stack[j:]
                    break
    return pairs, stack


def enclosing(quotes: list[Quote], start: int, end: int) -> Quote | None:
    for q in quotes:
        if q.open <= start and end <= q.close + 1:
            return q
    return None
