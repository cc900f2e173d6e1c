"""What two claims share: names, numbers, dates and content words, weighted by rarity.

Two outlets' reports of one event name the same people and places in most
of their claims ("Musk", "Poutine"): sharing those says little.  A detail
found in few claims of the two versions ("Xi Jinping", "Taïwan", "2.750")
says much more.  Each detail ``x`` weighs

    p(x) = min(1, 2 / n(x))

where ``n(x)`` is the number of claims, both versions together, that give it
(names matched loosely: "Musk" is "Elon Musk"; dates when compatible:
"2022" and "fin 2022").  A detail in one claim of each version weighs 1.
The detail score of a pair is ``1 - Π (1 - k · p(x))`` over the details
both claims give, ``k`` the weight of the detail's kind (``KIND_WEIGHT``:
a number 1, a date 0.7, a name 0.5): one rare shared figure is enough,
several names or common details add up.

Details are read without the parse (``text.details`` with ``parse=False``:
capitalised runs for names), so comparing cached analyses loads no spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from verifier.text.details import Details, content_words, dates_compatible, entity_match


@dataclass(frozen=True)
class Shared:
    """The details a pair of claims shares, as the old claim writes them."""

    entities: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    detail: float = 0.0  # the rarity-weighted score above


# a figure shared by two claims is strong evidence of one fact; a date a little less (one day
# holds several facts); a name least: a person or a place is in many facts of one story
KIND_WEIGHT = {"numbers": 1.0, "dates": 0.7, "entities": 0.5}
_KINDS = (("entities", entity_match), ("numbers", lambda a, b: a == b), ("dates", dates_compatible))


def _items(d: Details) -> list[tuple[str, str]]:
    return [(kind, v) for kind, _ in _KINDS for v in sorted(getattr(d, kind)) if v != "%"]


def _same(kind: str, a: str, b: str) -> bool:
    return dict(_KINDS)[kind](a, b)


def _counts(ds: list[Details]) -> list[dict[tuple[str, str], int]]:
    """For each claim, how many claims (all of ``ds``) give each of its details."""
    items = [_items(d) for d in ds]
    return [{x: sum(any(k == x[0] and _same(k, x[1], v) for k, v in other) for other in items) for x in mine}
            for mine in items]


def detail_scores(old: list[Details], new: list[Details]) -> tuple[np.ndarray, dict[tuple[int, int], Shared]]:
    """The ``len(old) × len(new)`` detail scores, and what each pair with a
    score shares (names, numbers, dates)."""
    counts = _counts(old + new)
    out = np.zeros((len(old), len(new)), dtype=np.float32)
    shared: dict[tuple[int, int], Shared] = {}
    for i, a in enumerate(old):
        mine = counts[i]
        for j, b in enumerate(new):
            theirs = _items(b)
            common = [x for x in mine if any(k == x[0] and _same(k, x[1], v) for k, v in theirs)]
            if not common:
                continue
            miss = 1.0
            for x in common:
                miss *= 1.0 - KIND_WEIGHT[x[0]] * min(1.0, 2.0 / max(mine[x], 1))
            out[i, j] = 1.0 - miss
            shared[i, j] = Shared(**{kind: tuple(_shown(a, v) for k, v in common if k == kind) for kind, _ in _KINDS},
                                  detail=round(float(out[i, j]), 3))
    return out, shared


def _shown(d: Details, value: str) -> str:
    return dict(d.shown).get(value, value)


def shared_words(a: str, b: str) -> tuple[str, ...]:
    """Content words of ``a`` whose stem (first five letters, accents and case
    folded) ``b`` has too, as ``a`` writes them."""
    theirs = {w[:5] for w in content_words(b)}
    seen: list[str] = []
    for w in content_words(a):
        if w[:5] in theirs and w not in seen:
            seen.append(w)
    return tuple(seen)
