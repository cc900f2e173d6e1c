"""The article's text with highlight elements properly nested: spans that
cross are split into fragments, and every element's text is exactly the
slice of the article its ``data-start``/``data-end`` name.

>>> str(highlight("abcdef", [Mark(1, 4, "x"), Mark(2, 6, "y")]))  # doctest: +SKIP

Nothing but the article's characters goes inside (or between) the
elements: the container's text is the article's text, character for
character; badges are drawn by CSS (``::after``), never written in.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Mark:
    """One span to highlight: ``ref`` names its item (``a3``, ``c1``...),
    ``anchor`` the id its first fragment carries (a link's target),
    ``classes`` and ``attrs`` go on every fragment, ``last_attrs`` on the
    last one only (a badge drawn after the span)."""

    start: int
    end: int
    ref: str
    kind: str = "attribution"
    anchor: str | None = None
    classes: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()
    last_attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Fragment:
    """A piece of one mark that nests inside every piece opened before it."""

    start: int
    end: int
    mark: Mark
    first: bool
    last: bool


@dataclass(order=True)
class _Pending:
    start: int
    neg_end: int
    seq: int
    mark: Mark = field(compare=False)
    first: bool = field(compare=False)


def fragments(text_length: int, marks: list[Mark]) -> list[Fragment]:
    """``marks`` cut into properly nested fragments, in document order
    (outer before inner).  A mark that crosses an open one is split at that
    one's end; marks outside the text or empty are dropped."""
    queue = [_Pending(m.start, -m.end, i, m, True) for i, m in enumerate(marks)
             if 0 <= m.start < m.end <= text_length]
    heapq.heapify(queue)
    seq = len(marks)
    out: list[Fragment] = []
    open_ends: list[int] = []  # ends of the open fragments, outermost first (non-increasing)
    while queue:
        p = heapq.heappop(queue)
        end = -p.neg_end
        while open_ends and open_ends[-1] <= p.start:
            open_ends.pop()
        if open_ends and end > open_ends[-1]:  # crosses the innermost open fragment: split at its end
            cut = open_ends[-1]
            heapq.heappush(queue, _Pending(cut, -end, seq, p.mark, False))
            seq += 1
            out.append(Fragment(p.start, cut, p.mark, p.first, False))
            open_ends.append(cut)
            continue
        out.append(Fragment(p.start, end, p.mark, p.first, end == p.mark.end))
        open_ends.append(end)
    return out


def _open_tag(f: Fragment) -> str:
    m = f.mark
    attrs = [("class", " ".join(("hl", f"hl-{m.kind}") + m.classes)),
             ("data-start", str(f.start)), ("data-end", str(f.end)), (f"data-{m.kind}", m.ref)]
    if m.anchor:
        attrs.append(("data-span", m.anchor))  # every fragment: a link flashes them all
        if f.first:
            attrs.append(("id", m.anchor))
    attrs += list(m.attrs)
    if f.last:
        attrs += list(m.last_attrs)
    return "<mark " + " ".join(f'{k}="{escape(v)}"' for k, v in attrs) + ">"


def highlight(text: str, marks: list[Mark]) -> Markup:
    """The whole of ``text``, HTML-escaped, with one ``<mark>`` element per fragment."""
    parts: list[str] = []
    pos = 0
    stack: list[int] = []  # ends of the open elements
    for f in fragments(len(text), marks):
        while stack and stack[-1] <= f.start:
            end = stack.pop()
            parts.append(str(escape(text[pos:end])) + "</mark>")
            pos = end
        parts.append(str(escape(text[pos:f.start])) + _open_tag(f))
        pos = f.start
        stack.append(f.end)
    while stack:
        end = stack.pop()
        parts.append(str(escape(text[pos:end])) + "</mark>")
        pos = end
    parts.append(str(escape(text[pos:])))
    return Markup("".join(parts))
