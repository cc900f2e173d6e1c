"""Paraphrase support: does an item say what its evidence says?

A claim's text, a summary sentence and a reported (indirect) content are the
engine's own words; once their quotes are located and faithful
(``analysis/fidelity``), they are checked against their evidence
(``analysis/evidence``: the quotes, their sentences, the window before):

* every **number**, **date** and **name** of the paraphrase is in the
  window (one value for "1,5" / "1.5" / "trois" / "3"; "fin 2022" agrees
  with "2022", months and weekdays across French and English; "Musk" is
  "Elon Musk", "Italian" is "Italy"), and is not written where the
  evidence, aligned word by word, has another one the paraphrase leaves
  out ("quatre" where the quote says "trois"; "Trump" in place of "Musk");
* a detail the window does not hold is supported when the article gives it
  elsewhere and the paraphrase adds it rather than putting it in place of
  another: the name "the company" stands for, the article's date; a name
  put in place of a pronoun must be in the window (who the pronoun stands
  for);
* a capitalised word that opens a sentence, which ``text/details`` does not
  read as a name ("Last year …"), is checked the same way when it stands
  where the evidence has a name;
* negations and hedges: ``analysis/polarity``; the speaker:
  ``analysis/speakers``.
"""

from __future__ import annotations

import difflib
import re

from verifier.analysis.evidence import (
    BACK_SPEAKER, ELIDED, ArticleText, Evidence, either_name, name_words, restated, same_date, same_name, same_stem, spots, unpossessed, words_in, words_of,
)
from verifier.analysis.polarity import denial_frame, polarity_reasons
from verifier.analysis.speakers import named_since, names_test
from verifier.models import Reason
from verifier.text.details import STOP, Details, fold, scaled_numbers
from verifier.text.lexicon import ALL_STOP_CAPS

SWAP = 4  # words on either side of a detail swapped for another ("Elon Musk" → "Jeff Bezos")
_KIND_WORDS = {"number": "the number", "date": "the date", "name": "the name"}
_PRONOUN = re.compile(r"(?:il|elle|ils|elles|lui|eux|celui-ci|celle-ci|ce dernier|cette dernière|he|she|they|him|her"
                      r"|them|his|its|their)", re.IGNORECASE)
# a capitalised run where a sentence or clause opens: at the start, after . ! ? : or an opening quote
_OPENING = re.compile(r"(?:^|[.!?:]\s+|[«“\"(]\s*)([A-ZÀ-Þ][\w’'-]+(?:\s+[A-ZÀ-Þ][\w’'-]+)*)")
_DEMONYM = re.compile(r"\w+(?:ian|ean|ese|ish|ais|aise|ien|ienne|ain|aine|ique)s?")


def paraphrase_reasons(article: ArticleText, text: str, ev: Evidence, modality: str | None = None,
                       speaker: str | None = None) -> list[Reason]:
    """Details of ``text`` (claim, summary sentence, reported content) its
    evidence does not support (``speaker``: the item's, whose name the
    evidence may hold without the paraphrase restating it)."""
    said, quoted = _folded(text), _folded(ev.spans)
    if said and said in quoted:  # the paraphrase is its quote's own words (as the offline engine's claims are)
        return denial_frame(text, quoted[:quoted.index(said)], modality)
    return _Paraphrase(article, text, ev).reasons(modality, speaker)


def _folded(text: str) -> str:
    return " ".join(words_of(text))


class _Paraphrase:
    def __init__(self, article: ArticleText, text: str, ev: Evidence):
        self.article, self.text, self.ev = article, text, ev
        self._read = article.read

    def reasons(self, modality: str | None, speaker: str | None) -> list[Reason]:
        text, ev = self.text, self.ev
        said, wide, quoted = self._read(text), self._read(ev.window), self._read(ev.spans)
        stretch = restated(text, ev.sentences)
        reasons: list[Reason] = []
        for kind, field, same in (("number", "numbers", _equal), ("date", "dates", same_date),
                                  ("name", "entities", same_name)):
            ours, near = getattr(said, field), getattr(wide, field)
            for x in sorted(ours - {"%"}):
                if any(same(x, y) for y in getattr(quoted, field)):
                    continue  # the quotes themselves hold it
                if any(same(x, y) for y in near) or (kind == "name" and (words_in(x, wide.words) or (
                        any(either_name(x, y) for y in near) and self.article.gives(kind, x)))):
                    # in the window, or a name of the window written in full as the article gives it
                    reason = self._swapped(kind, field, x, said, same)
                else:
                    reason = self._unsupported(kind, field, x, said, stretch, speaker)
                if reason is not None:
                    reasons.append(reason)
        if not any(r.kind == "number" for r in reasons):
            reasons += self._scaled(text, ev)
        if not any(r.kind == "name" for r in reasons):
            reasons += self._opening_names(said)
        wider = restated(text, ev.sentences, before=2)
        reasons += polarity_reasons(text, said, ev, stretch, modality, wider)
        if stretch is not None and not any(r.kind == "negation" for r in reasons):
            head = ev.sentences[:ev.sentences.find(stretch)] if stretch in ev.sentences else ""
            reasons += denial_frame(text, " ".join(words_of(head)[-6:]), modality)
        return reasons

    def _scaled(self, text: str, ev: Evidence) -> list[Reason]:
        """A number with its scale ("400 millions") must be in the window as
        such, not pieced from "400 manifestants" and "12 millions"."""
        theirs = scaled_numbers(ev.window)
        return [Reason(kind="number", engine=shown, article=", ".join(theirs.values()) or None,
                       message=f"the number {shown} is not in its evidence")
                for value, shown in scaled_numbers(text).items() if value not in theirs]

    def _opening_names(self, said: Details) -> list[Reason]:
        """A capitalised word that opens a sentence is not read as a name
        (``text/details``: "Last year …"); it is one when it stands where the
        quotes, aligned word by word, have a name the paraphrase leaves out
        ("Carter made this statement" / "Trump made this statement"), or a
        pronoun whose name the window does not give."""
        reasons = []
        for m in _OPENING.finditer(self.text):
            name = m.group(1)
            if fold(name) in STOP or name in ALL_STOP_CAPS or not ELIDED.sub("", name)[:1].isupper():
                continue
            if " " not in name and fold(name) in self.article.lowercase:
                continue  # a common word, written in lower case elsewhere ("National air traffic …")
            if any(either_name(e, " ".join(words_of(name))) for e in said.entities) \
                    or words_in(" ".join(words_of(name)), self._read(self.ev.sentences).words):
                continue
            swapped = self._aligned("entities", name)
            if not swapped:
                continue
            if swapped[0]:
                reasons.append(Reason(kind="name", engine=name, article=swapped[0],
                                      message=f"the name {name} where its evidence has {swapped[0]}"))
            elif _PRONOUN.fullmatch(swapped[1]) and not self._stands_for(name):
                reasons.append(_unresolved(name, swapped[1]))
        return reasons

    def _swapped(self, kind: str, field: str, value: str, said: Details, same) -> Reason | None:
        """A detail the window holds, written where the quotes, aligned word
        by word, have another of its kind that the paraphrase leaves out
        ("trois" where the quote says "deux"; a name of the sentence before in
        place of the one the quote gives).  Details moved about are not
        swapped: the other one is still in the paraphrase."""
        shown = said.as_written([value])
        if kind == "name" and _DEMONYM.fullmatch(value):
            return None  # "the Australian government" for "Canberra": an adjective, not who or what
        swapped = self._aligned(field, shown)
        if not swapped or not swapped[0]:
            return None
        theirs = getattr(self._read(swapped[1]), field) or frozenset(_chunk_names(swapped[1]))
        if any(same(value, y) for y in theirs) or any(w in swapped[1].lower() for w in words_of(shown) if len(w) > 3):
            return None
        return Reason(kind=kind, engine=shown, article=swapped[0],
                      message=f"{_KIND_WORDS[kind]} {shown} where its evidence has {swapped[0]}")

    def _unsupported(self, kind: str, field: str, value: str, said: Details, stretch: str | None,
                     speaker: str | None) -> Reason | None:
        """Why a detail of the paraphrase that is not in its evidence's
        window is unsupported, or None: a detail the article gives elsewhere
        and the paraphrase adds without putting it in place of another (a
        name "the company" stands for, the article's date)."""
        shown = said.as_written([value])
        swapped = self._aligned(field, shown)
        if swapped and swapped[0]:
            return Reason(kind=kind, engine=shown, article=swapped[0],
                          message=f"{_KIND_WORDS[kind]} {shown} where its evidence has {swapped[0]}")
        if swapped is not None and kind == "name" and _PRONOUN.fullmatch(swapped[1]) and not self._stands_for(shown):
            return _unresolved(shown, swapped[1])
        if kind == "name" and stretch is not None:
            found = self._read(stretch)
            others = [e for e in found.entities if not any(either_name(e, x) for x in said.entities)
                      and not (speaker and either_name(e, " ".join(words_of(speaker))))
                      and not any(same_stem(t, w) for t in e.split() for w in said.words)]
            if others:
                instead = found.as_written(sorted(others))
                return Reason(kind=kind, engine=shown, article=instead,
                              message=f"the name {shown} where its evidence names {instead}")
        if not self.article.gives(kind, value):
            return Reason(kind=kind, engine=shown, message=f"{_KIND_WORDS[kind]} {shown} that the article does not give")
        return None

    def _stands_for(self, name: str) -> bool:
        """A pronoun of the evidence may stand for ``name``: named in the
        ``BACK_SPEAKER`` sentences before, and no other person named since."""
        named = names_test(name, name_words(name))
        return named(self.article.around(self.ev, BACK_SPEAKER, 0)) and not named_since(self.article, self.ev, named)

    def _aligned(self, field: str, shown: str) -> tuple[str, str] | None:
        """``_replaced`` against the quotes, else against their sentences
        (a detail the quote leaves out of its sentence)."""
        found = self._replaced(field, shown, self.ev.spans)
        return found if found is not None else self._replaced(field, shown, self.ev.sentences)

    def _replaced(self, field: str, shown: str, evidence: str) -> tuple[str, str] | None:
        """What the evidence has where the paraphrase, aligned word by word
        with it, wrote ``shown``: (a detail of the same kind, or "" when the
        evidence has other words there, e.g. a pronoun; those words), or None
        when the paraphrase added it."""
        a, b = spots(self.text), spots(evidence)
        target = set(words_of(shown))
        ops = difflib.SequenceMatcher(a=[w for _, _, w in a], b=[w for _, _, w in b], autojunk=False).get_opcodes()
        for k, (op, i1, i2, j1, j2) in enumerate(ops):
            if op != "replace" or i2 - i1 > SWAP or j2 - j1 > SWAP or not target & {w for _, _, w in a[i1:i2]}:
                continue  # a long replaced stretch is rewording or reordering, not one detail swapped
            if not _anchored(ops, k, a):
                continue  # one detail swapped sits between words both texts share
            chunk = evidence[b[j1][0]:b[j2 - 1][1]]
            found = self._read(chunk)
            mine = {unpossessed(w) for _, _, w in a}
            values = sorted(v for v in getattr(found, field)
                            if not {unpossessed(t) for t in v.split()} & mine  # not moved
                            and not re.search(r"-[a-z]", found.as_written([v])))  # "Melbourne-based": an adjective
            if values:
                return found.as_written(values), chunk
            if field != "entities" or set(getattr(found, field)):
                return "", chunk
            names = [n for n in _chunk_names(chunk) if not {unpossessed(t) for t in words_of(n)} & mine]
            return ", ".join(names), chunk
        return None


def _equal(a: str, b: str) -> bool:
    return a == b


def _unresolved(name: str, pronoun: str) -> Reason:
    return Reason(kind="name", engine=name, article=pronoun,
                  message=f"the name {name} where its evidence has « {pronoun} », which stands for someone "
                          "else (or nobody named just before)")


def _anchored(ops: list, k: int, a: list[tuple[int, int, str]]) -> bool:
    """The ``k``-th stretch of an alignment sits between equal stretches (or
    an end), one of them holding a content word: a swap in place, not words
    paired by chance across a rewording."""
    before = ops[k - 1] if k else None
    after = ops[k + 1] if k + 1 < len(ops) else None
    if (before and before[0] != "equal") or (after and after[0] != "equal"):
        return False
    shared = [w for op in (before, after) if op for _, _, w in a[op[1]:op[2]]]
    return any(w not in STOP for w in shared)


def _chunk_names(chunk: str) -> list[str]:
    """Capitalised words of a stretch cut out of a sentence (``capitalised``
    drops a lone one that opens a text: here it need not open a sentence);
    not an elided common noun that opens a sentence ("L'entreprise")."""
    found = []
    for w in re.findall(r"\b[A-ZÀ-Þ][\w’'-]+", chunk):
        bare = ELIDED.sub("", w)
        if not bare[:1].isupper() or w in ALL_STOP_CAPS or fold(w) in STOP:
            continue
        if not re.search(r"-[a-z]", w):  # "Melbourne-based", "Kremlin-backed": adjectives
            found.append(w)
    return found

