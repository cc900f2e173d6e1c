"""Quote fidelity: does a located quote say what the article's words say?

The locating passes (``analysis/locate``) accept a quote that differs from
the article: folded (typography, spacing, case) or fuzzily (rapidfuzz at 90
or more).  ``differences(quote, located)`` compares the two word by word
(``difflib`` over folded tokens) and keeps only what changes a fact:

* faithful, never listed: typography, white space, case, accents, elided
  forms ("l'", "qu'"), articles and other determiners added or dropped
  ("le", "les", "un", "the"), a number written another way ("1,5" / "1.5",
  "trois" / "3", "un" / "1"), a word cut at the quote's edge, a small
  spelling variation (one or two letters in a word of five or more; in a
  name, only a close one: "Dupond" / "Dupont" are two names), a pronoun
  the engine replaced by the name it stands for when that name is in the
  text before the quote (the pronoun just before the located words too);
* ``negation``: the quote and the article do not hold the same number of
  negations ("ne … pas", "jamais", "sans", "not", "n't", "never"), or a word
  stands for its negative-prefix form ("impossible" / "possible");
* ``number``: a number differs (digits or words, French or English, %);
* ``date``: a year, month, day or weekday differs;
* ``modality``: a hedge, the French conditional ("aurait", "pourrait"),
  "selon" or "reportedly" added, dropped or swapped;
* ``name``: a capitalised word differs;
* ``wording``: any other content word added, dropped or replaced: a quote
  must be the article's words.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from verifier.models import Difference
from verifier.text.details import (
    MONTH_WORDS, NUMBER, NUMBER_WORDS, WEEKDAYS, fold, is_conditional, negative_prefixed, number_value,
)
from verifier.text.folding import typography
from verifier.text.lexicon import ALL_HEDGES, LEXICONS, NEGATING_WORDS, SOURCE_WORDS

_TOKEN = re.compile(NUMBER.pattern + r"|%|\w+(?:[-]\w+)*['’]?", re.UNICODE)
# Words whose addition or removal changes nothing: articles, determiners, elided clitics.
_FUNCTION = frozenset("""
le la les l' un une des du de d' au aux the a an s' c' j' m' t' qu' que y en er ere re eme e st nd rd th
""".split())  # and the ordinal endings the tokenizer cuts off a number ("1er", "21st")
_ONE = frozenset("un une one a an".split())
_PRONOUNS = frozenset("il elle ils elles lui celui-ci celle-ci he she they him her it".split())
_YEAR = re.compile(r"(?<!\d)(?:1[89]\d\d|20\d\d)(?!\d)")
_NEGATION_WORDS = NEGATING_WORDS | {"ne", "n'", "plus", "personne"}
_NEGATORS = _NEGATION_WORDS - {"plus", "personne"}  # "plus", "personne": also "more", "person"


@dataclass(frozen=True)
class _Token:
    key: str    # folded; numbers as their value
    shown: str  # as written

    @property
    def capitalised(self) -> bool:
        return self.shown[:1].isupper()


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(typography(text)):
        word = m.group()
        value = number_value(word)
        out.append(_Token(value if value is not None else fold(word).casefold(), word))
    return out


def negations(text: str) -> int:
    """Negations in ``text`` by every language's pattern (a quote may be in
    either); typographic apostrophes count as plain ones ("won’t")."""
    text = typography(text)
    return max(len(lex.negation.findall(text)) for lex in LEXICONS.values())


def differences(quote: str, located: str, before: str = "") -> list[Difference]:
    """The material differences between the engine's ``quote`` and the
    article's ``located`` text; ``before``: the article's text up to the
    quote (a name standing for a pronoun must be there)."""
    out: list[Difference] = []
    negation = negations(quote) != negations(located)
    a, b = _tokens(quote), _tokens(located)
    sm = difflib.SequenceMatcher(a=[t.key for t in a], b=[t.key for t in b], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        ours, theirs = a[i1:i2], b[j1:j2]
        edge = (i1 == 0 and j1 == 0) or (i2 == len(a) and j2 == len(b))
        if i1 == 0 and j1 == 0 and not theirs:  # the located text starts after the pronoun the engine resolved
            theirs = _last_word(before)
        kind = _kind(ours, theirs, edge, before, negation)
        if kind:
            out.append(Difference(kind=kind, engine=" ".join(t.shown for t in ours) or None,
                                  article=" ".join(t.shown for t in theirs) or None))
    if negation and not any(d.kind == "negation" for d in out):
        out.insert(0, Difference(kind="negation", engine=quote, article=located))
    return _merge(out)


def _kind(ours: list[_Token], theirs: list[_Token], edge: bool, before: str, negation: bool) -> str | None:
    """The kind of one changed stretch, or None when it is faithful."""
    if _one_for_one(ours, theirs) or _one_for_one(theirs, ours):
        return None
    ours = [t for t in ours if t.key not in _FUNCTION]
    theirs = [t for t in theirs if t.key not in _FUNCTION]
    if not ours and not theirs:
        return None
    if edge and len(ours) <= 1 and len(theirs) <= 1 and ours and theirs and not _is_number(ours[0]) \
            and (ours[0].key.startswith(theirs[0].key) or theirs[0].key.startswith(ours[0].key)
                 or ours[0].key.endswith(theirs[0].key) or theirs[0].key.endswith(ours[0].key)):
        return None  # a word cut at the edge of the located window
    both = ours + theirs
    keys = {t.key for t in both}
    if any(_is_date(t) for t in both):
        return "date"
    if any(_is_number(t) for t in both):
        return "number"
    if negation and keys & _NEGATION_WORDS:
        return "negation"
    if bool({t.key for t in ours} & _NEGATORS) != bool({t.key for t in theirs} & _NEGATORS):
        return "negation"  # one side negates this stretch, the other does not
    if any(negative_prefixed(x.key, y.key) or negative_prefixed(y.key, x.key) for x in ours for y in theirs):
        return "negation"  # "impossible" / "possible"
    if keys & (ALL_HEDGES | SOURCE_WORDS) or any(is_conditional(t.shown) for t in both):
        return "modality"
    if _resolved_pronoun(ours, theirs, before):
        return None
    if _spelling(ours, theirs):
        return None
    if any(t.capitalised for t in both):
        return "name"
    return "wording"


def _is_number(t: _Token) -> bool:
    return any(ch.isdigit() for ch in t.key) or t.key == "%" or fold(t.shown) in NUMBER_WORDS


def _is_date(t: _Token) -> bool:
    word = fold(t.shown)
    if word in ("may", "march") and not t.capitalised:
        return False  # the verbs
    return bool(_YEAR.search(t.shown)) or word in MONTH_WORDS or word in WEEKDAYS  # "mi-2022" too


def _spelling(ours: list[_Token], theirs: list[_Token]) -> bool:
    """Word for word, each pair a small spelling variation ("Poutine" /
    "Poutin"); not a word and its negative-prefix form ("impossible" /
    "possible"); a name only by a letter in a long one ("Dupond" / "Dupont"
    are two names)."""
    if len(ours) != len(theirs):
        return False
    for x, y in zip(ours, theirs):
        close = 90 if x.capitalised or y.capitalised else 80
        if min(len(x.key), len(y.key)) < 5 or fuzz.ratio(x.key, y.key) < close:
            return False
        if abs(len(x.key) - len(y.key)) > 2 or negative_prefixed(x.key, y.key) or negative_prefixed(y.key, x.key):
            return False
    return True


def _one_for_one(ours: list[_Token], theirs: list[_Token]) -> bool:
    """"1" for "un", "one", "a": one value."""
    return [t.key for t in ours] == ["1"] and len(theirs) == 1 and theirs[0].key in _ONE


def _last_word(text: str) -> list[_Token]:
    """The pronoun the text ends on, if it does (the name the engine wrote for it is checked)."""
    words = _tokens(text[-40:])
    return words[-1:] if words and words[-1].key in _PRONOUNS else []


def _resolved_pronoun(ours: list[_Token], theirs: list[_Token], before: str) -> bool:
    """The engine wrote the name a pronoun of the article stands for, and that
    name is in the text before the quote."""
    if not theirs or not ours or not all(t.key in _PRONOUNS for t in theirs):
        return False
    if not all(t.capitalised for t in ours):
        return False
    folded = fold(before)
    return all(re.search(rf"\b{re.escape(t.key)}\b", folded) for t in ours)


def _merge(found: list[Difference]) -> list[Difference]:
    """Each difference once; the pieces of one negation ("ne" … "pas") as one."""
    pieces = [d for d in found if d.kind == "negation"]
    if len(pieces) > 1:
        negation = Difference(kind="negation", engine=_joined(d.engine for d in pieces),
                              article=_joined(d.article for d in pieces))
        found = [negation] + [d for d in found if d.kind != "negation"]
    seen, out = set(), []
    for d in found:
        key = (d.kind, d.engine, d.article)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _joined(values) -> str | None:
    return " … ".join(v for v in values if v) or None
