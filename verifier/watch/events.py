"""What changed between two versions, in one line: derived from the ``DiffOutput`` (pair statuses and
typed changes, speakers, denials and refusals to comment) and the two analyses (direct quotes)."""

from __future__ import annotations

from verifier.models import Analysis, DiffOutput, DiffStatus, PresenceStatus, QuoteKind

_KIND = {"number": "number", "date": "date", "entity": "name", "modality": "hedge", "speaker": "speaker",
         "negation": "negation", "term": "term"}
MAX_SHOWN = 60  # characters of a value or quote in the line


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def _quotes(analysis: Analysis | None) -> set[str]:
    if analysis is None:
        return set()
    return {" ".join(a.content.split()) for a in analysis.attributions if a.grounded and a.kind is QuoteKind.direct}


def change_parts(diff: DiffOutput, old: Analysis | None = None, new: Analysis | None = None) -> list[str]:
    """Each change as a short phrase: ``number 12 millions → 15 millions``, ``denial added (Le ministère)``..."""
    parts: list[str] = []
    for pair in diff.pairs:
        if pair.status is DiffStatus.changed:
            parts += [f"{_KIND.get(c.type, c.type)} {_short(c.old)} → {_short(c.new)}" for c in pair.changes]
    added = sum(p.status is DiffStatus.added for p in diff.pairs)
    removed = sum(p.status is DiffStatus.removed for p in diff.pairs)
    reworded = sum(p.status is DiffStatus.reworded for p in diff.pairs)
    for stance in diff.stances:
        if stance.status is not PresenceStatus.kept:
            kind = "denial" if stance.kind == "denial" else "no comment"
            parts.append(f"{kind} {'appeared' if stance.status is PresenceStatus.added else 'vanished'} "
                         f"({_short(stance.speaker)})")
    for speaker in diff.speakers:
        if speaker.status is not PresenceStatus.kept:
            parts.append(f"speaker {speaker.status.value} ({_short(speaker.speaker)})")
    if old is not None and new is not None:
        before, after = _quotes(old), _quotes(new)
        parts += [f"quote added «{_short(q)}»" for q in sorted(after - before)]
        parts += [f"quote removed «{_short(q)}»" for q in sorted(before - after)]
    for count, what in ((added, "added"), (removed, "removed"), (reworded, "reworded")):
        if count:
            parts.append(f"{count} claim{'s' if count > 1 else ''} {what}")
    return list(dict.fromkeys(parts))


def summary(diff: DiffOutput, old: Analysis | None = None, new: Analysis | None = None) -> str:
    parts = change_parts(diff, old, new)
    return "; ".join(parts) if parts else "text changed, no claim changed"


def line(url: str, version: int, previous: int | None, text: str) -> str:
    """The terminal's line for one new version."""
    if previous is None:
        return f"{url}: v{version}: first version"
    return f"{url}: v{previous} → v{version}: {text}"
