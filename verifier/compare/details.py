"""How two claims differ in their details (``text/details`` reads them).

``compare(a, b)`` types the differences between two aligned claims.  A number,
date or entity counts as changed only when *both* sides name one of that kind
and they disagree ("depuis 2022" / "depuis fin 2022"); one side merely adding
a detail the other omits is not a change.  Entities match loosely ("Musk" is
"Elon Musk").  ``term`` flags a content word swapped in an otherwise
identical wording ("galaxies" → "planets"), which the other types miss.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from verifier.text.details import STOP, Details, entity_match, words


@dataclass(frozen=True)
class Change:
    type: str
    old: str | None
    new: str | None


def _unmatched(a: frozenset[str], b: frozenset[str], match) -> tuple[list[str], list[str]]:
    only_a = sorted(x for x in a if not any(match(x, y) for y in b))
    only_b = sorted(y for y in b if not any(match(x, y) for x in a))
    return only_a, only_b


def _substitution(kind: str, a: Details, b: Details, match=None) -> list[Change]:
    field_name = {"number": "numbers", "date": "dates", "entity": "entities"}[kind]
    only_a, only_b = _unmatched(getattr(a, field_name), getattr(b, field_name), match or (lambda x, y: x == y))
    if only_a and only_b:
        return [Change(kind, a.as_written(only_a), b.as_written(only_b))]
    return []


def _term_changes(a: Details, b: Details, known: set[str]) -> list[Change]:
    """Content words swapped in an otherwise identical wording."""
    sm = difflib.SequenceMatcher(a=a.words, b=b.words, autojunk=False)
    if sm.ratio() < 0.75:
        return []
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace" or i2 - i1 > 4 or j2 - j1 > 4:
            continue
        old = [w for w in a.words[i1:i2] if w not in STOP]
        new = [w for w in b.words[j1:j2] if w not in STOP]
        if not old or not new or set(old) & known or set(new) & known:
            continue
        if _same_stem(old, new):
            continue
        names = {w for e in a.entities | b.entities for w in e.split()}
        kind = "entity" if set(old) & names or set(new) & names else "term"
        out.append(Change(kind, " ".join(a.words[i1:i2]), " ".join(b.words[j1:j2])))
    return out


def _same_stem(old: list[str], new: list[str]) -> bool:
    """Inflection only ("conversation" / "conversations")."""
    if len(old) != len(new):
        return False
    return all(x[:max(4, min(len(x), len(y)) - 2)] == y[:max(4, min(len(x), len(y)) - 2)] for x, y in zip(old, new))


def compare(a: Details, b: Details, *, modality: tuple[str, str] | None = None,
            speaker: tuple[str | None, str | None] | None = None) -> list[Change]:
    """Typed differences between two aligned claims (old ``a``, new ``b``).

    ``modality`` and ``speaker`` come from the analyses when known; otherwise
    modality is read from the words."""
    changes: list[Change] = []
    changes += _substitution("number", a, b)
    changes += _substitution("date", a, b)
    changes += _substitution("entity", a, b, entity_match)
    if (a.negation % 2) != (b.negation % 2):
        changes.append(Change("negation", "negated" if a.negation % 2 else "affirmative",
                              "negated" if b.negation % 2 else "affirmative"))
    spoke = speaker is not None and _speaker_changed(*speaker)
    if spoke:
        changes.append(Change("speaker", speaker[0], speaker[1]))
    old_mod, new_mod = modality or (a.modality, b.modality)
    if old_mod != new_mod and not (spoke and {old_mod, new_mod} <= {"asserted", "reported"}):
        changes.append(Change("modality", old_mod, new_mod))
    known = set()
    for c in changes:
        known |= set(words(c.old or "")) | set(words(c.new or ""))
    changes += _term_changes(a, b, known)
    return changes


def normalize_speaker(name: str | None) -> str:
    if not name:
        return ""
    return " ".join(w for w in words(name) if w not in STOP)


def same_speaker(a: str | None, b: str | None) -> bool:
    na, nb = normalize_speaker(a), normalize_speaker(b)
    if not na or not nb:
        return na == nb
    return entity_match(na, nb)


def _speaker_changed(a: str | None, b: str | None) -> bool:
    return not same_speaker(a, b)
