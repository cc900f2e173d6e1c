"""With an engine that judges (the LLM engine), a diff's ambiguous pairs (aligned with a score
between ``align.MATCH`` and ``align.SURE``) are settled by the model in one
batched call (prompt ``adjudicate``): a pair it judges to be two different
facts becomes a removed and an added claim; a confirmed pair keeps its typed
changes, which stay computed from the words (``details.py``), not by the model.
"""

from __future__ import annotations

from verifier.compare.judging import ask_in_batches, payload_key
from verifier.engines.base import JudgingEngine
from verifier.models import AdjudicateDraft, Adjudication, DiffPair, DiffStatus

PROMPT = "adjudicate@v1"
BATCH = 40


def request_key(pairs: list[DiffPair]) -> str:
    return payload_key({"pairs": [[p.old.text, p.new.text] for p in pairs]})


def _check(n: int):
    def check(draft: AdjudicateDraft) -> None:
        numbers = [j.pair for j in draft.pairs]
        if sorted(numbers) != list(range(1, n + 1)):
            raise ValueError(f"give exactly one entry for each pair P1..P{n} (got {numbers})")
    return check


def _numbered(batch: list[DiffPair]) -> str:
    return "\n\n".join(f"[P{k}]\nOLD: {p.old.text}\nNEW: {p.new.text}" for k, p in enumerate(batch, 1))


def adjudicate(pairs: list[DiffPair], judge: JudgingEngine, *,
               prompt: str = PROMPT) -> tuple[list[DiffPair], Adjudication | None]:
    """The pairs with the ambiguous ones settled (order kept, split pairs in
    place of the pair), and a record of the call; no call when nothing is
    ambiguous."""
    ambiguous = [p for p in pairs if p.ambiguous and p.old and p.new]
    if not ambiguous:
        return pairs, None
    result = ask_in_batches(ambiguous, judge, prompt=prompt,
                            schema=AdjudicateDraft, size=BATCH, values=lambda b: {"pairs": _numbered(b)},
                            key=request_key, check=lambda b: _check(len(b)))
    verdicts = {}
    for b, draft in enumerate(result.replies):
        batch = ambiguous[b * BATCH:(b + 1) * BATCH]
        for j in draft.pairs:
            verdicts[id(batch[j.pair - 1])] = j
    out: list[DiffPair] = []
    split = 0
    for p in pairs:
        j = verdicts.get(id(p))
        if j is None:
            out.append(p)
        elif j.same_claim:
            out.append(p.model_copy(update={"ambiguous": False, "adjudication": j.reason}))
        else:
            split += 1
            out += [DiffPair(status=DiffStatus.removed, old=p.old, new=None, adjudication=j.reason),
                    DiffPair(status=DiffStatus.added, old=None, new=p.new, adjudication=j.reason)]
    return out, Adjudication(engine=result.engine, model=result.model, prompt=result.prompt,
                             pairs=len(ambiguous), split=split, usage=result.usage, fixture=result.fixture)
