"""An adversarial responder for the loopback server: analysis drafts fabricated from the request's own article.

``Fabricator(mode)`` is a ``responder`` for ``LoopbackServer(responder=...)``.  For each chat completion
it takes the article between the ``<<<ARTICLE id>>>`` and ``<<<END ARTICLE id>>>`` markers of the user
message and answers an ``AnalysisDraft`` JSON (claims, attributions, summary) built from that text with
regular expressions only, in French or English:

* ``faithful``: items on verbatim fragments, with the variations a real model makes (typography:
  « » and “ ” to ", ’ to ', no-break spaces to spaces; the case of the first letter; collapsed white
  space; claim texts that drop an article and replace a leading il/elle/he/she by the nearest
  preceding person name of the two previous sentences).  Claims: one per chosen sentence (text = the
  sentence, evidence = one fragment of it of 40 characters or more).  Attributions: direct quotes
  (content = the quoted words, evidence = the sentence, speaker = the name in the sentence) and
  indirect speech ("selon X, ...", "X a affirmé que ...", "according to X", "X said (that) ...").
  Summary: two or three article sentences shortened (a leading adverbial or a relative clause dropped),
  citing the sentence verbatim.
* ``altered_quote``: as faithful, but one fact inside a quote (claim evidence, summary citation,
  direct-quote content or attribution evidence) is changed: a number, a date (year, month, weekday),
  a name or a negation.  The quote stays 40 characters or more and close enough (``MIN_SIMILARITY``)
  for a fuzzy matcher to find it.
* ``altered_paraphrase``: quotes verbatim, one fact changed in the claim text, the summary sentence,
  the content of an indirect attribution, or an attribution's speaker (a name far from the evidence,
  or an invented one).

``rate`` is the seeded share of items altered (1.0: every item that has something to change);
``kinds`` restricts the kinds of change, ``max_altered`` caps the altered items per list.  Everything
is deterministic for a given ``seed``.  The ledger (``Fabricator.ledger``, thread-safe) records, per
article (keyed by the SHA-256 of its UTF-8 text) and in item order per list, what was done:
``{"list", "index", "mode", "altered", "kind", "accept", "field", "position", "engine_value",
"article_value", "engine_text", "article_text"}`` (``accept``: the kinds a checker may rightly name
for that change, e.g. a changed year is a date or a number).

It imports nothing from the project (it is the adversary).  Standalone, from the project root:
``python -m tests.helpers.fabricator --mode M [--port P] [--seed N] [--rate X] [--ledger FILE]``
serves until SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import itertools
import json
import random
import re
import signal
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.loopback import LoopbackServer, Step, error, ok

MODES = ("faithful", "altered_quote", "altered_paraphrase")
KINDS = ("number", "date", "name", "negation", "speaker")
MIN_QUOTE = 40  # characters of every altered quote
MIN_SIMILARITY = 0.92  # difflib ratio of an altered quote to the article's words, folded
MAX_CLAIMS, MAX_ATTRIBUTIONS, MAX_SUMMARY = 10, 10, 3

_MARKERS = re.compile(r"<<<ARTICLE ([^\s>]+)>>>\n(.*)\n<<<END ARTICLE \1>>>", re.DOTALL)

# ---------------------------------------------------------------------------------------------------
# word lists (French and English)

UP = "A-ZÀ-ÖØ-Þ"
LOW = "a-zß-öø-ÿ"
_CAPWORD = rf"[{UP}][{LOW}{UP}'’\-]*[{LOW}{UP}]"
_PARTICLE = r"(?:de la|de|van|von|der|di|da|al|bin|ben)"
_TITLEWORD = rf"[{UP}][{LOW}'’\-]*[{LOW}]"
_NAME_RUN = re.compile(rf"(?<![\w’'])(?:{_CAPWORD})(?:(?:\s+{_PARTICLE}(?=\s+{_TITLEWORD}\b))?\s+(?:{_CAPWORD}))*(?![\w’'])")

STOP_CAPS = {"aucun", "aucune", "rien", "personne", "jamais", "nul", "nulle", "none", "nobody", "nothing", "never",
             "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "au", "aux", "ce", "cet", "cette", "ces", "il", "elle", "ils", "elles", "on", "nous", "vous", "je", "j", "selon", "mais", "et", "ou", "donc", "or", "ni", "car", "en", "dans", "pour", "par", "sur", "sous", "avec", "sans", "lors", "depuis", "après", "avant", "pendant", "quand", "si", "alors", "ainsi", "cependant", "pourtant", "toutefois", "enfin", "puis", "dont", "où", "qui", "que", "qu", "quoi", "son", "sa", "ses", "leur", "leurs", "mon", "ma", "mes", "notre", "nos", "votre", "vos", "tout", "tous", "toute", "toutes", "parmi", "jusqu", "face", "outre", "comme", "aussi", "déjà", "là", "ici", "oui", "non", "plus", "moins", "très", "entre", "vers", "chez", "contre", "malgré", "grâce", "afin", "côté", "a", "à", "ont", "est", "sont", "était", "c", "s", "n", "y", "dès", "ceux", "celle", "celui", "cela", "ça", "voici", "voilà", "hier", "aujourd", "demain", "mardi", "lundi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "d’après", "d'après", "lire", "certains", "certaines", "plusieurs", "the", "an", "this", "that", "these", "those", "he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "our", "my", "your", "but", "and", "so", "yet", "for", "in", "at", "by", "of", "to", "from", "with", "without", "after", "before", "during", "when", "while", "if", "then", "thus", "however", "although", "though", "because", "since", "as", "also", "according", "mr", "mrs", "ms", "dr", "meanwhile", "still", "even", "now", "there", "here", "what", "who", "which", "where", "why", "how", "some", "many", "most", "all", "no", "not", "one", "two", "three", "last", "next", "earlier", "later", "sign", "yes", "wednesday", "monday", "tuesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "photo", "read", "see", "watch", "mayor", "president", "senator", "sen", "rep", "gov", "governor", "minister", "council", "member", "chairman", "judge", "secretary", "spokesman", "spokeswoman", "spokesperson", "officer", "chief", "general", "ministre", "président", "présidente", "maire", "député", "députée", "sénateur", "juge", "général", "directeur", "directrice", "porte-parole", "premier", "secrétaire"}

NUMBER_WORDS = {
    "fr": ["deux", "trois", "quatre", "cinq", "six", "sept", "huit", "dix", "onze", "douze", "quinze",
           "vingt", "trente", "quarante", "cinquante"],
    "en": ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
           "fifteen", "twenty", "thirty", "forty", "fifty"],
}
MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "June", "July", "August", "September", "October",
           "November", "December"],  # no "May": the modal verb
}
WEEKDAYS = {
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
INVENTED = {
    "fr": ["Bernard Lemoine", "Claire Fontaine", "Jacques Morvan", "Sophie Garnier"],
    "en": ["Robert Hale", "Susan Carter", "Michael Dunning", "Karen Whitlock"],
}
ARTICLES_DROPPED = {"fr": ("le", "la", "les", "un", "une"), "en": ("the", "a")}
PRONOUNS = {"fr": ("Il", "Elle"), "en": ("He", "She")}
IMPERSONAL = re.compile(r"^(?:Il (?:y a|faut|s['’]agit|reste|semble|existe|suffit|importe|convient|"
                        r"est (?:temps|possible|probable|nécessaire|important|clair|vrai|difficile|question)))\b")
TITLES = re.compile(r"\b(?:M\.|Mme|Mlle|Me|Dr|Mr\.?|Mrs\.?|Ms\.?|Dr\.)\s+(" + _CAPWORD + ")")

_FR_WORDS = {"le", "la", "les", "des", "est", "une", "que", "qui", "dans", "pour", "pas", "avec", "sur", "selon", "du", "au", "aux", "a", "été", "ont", "sont", "cette", "ces"}
_EN_WORDS = {"the", "of", "and", "to", "is", "was", "that", "said", "with", "for", "on", "by", "not", "are", "were", "has", "have", "it", "from", "this", "an"}

_FR_CUE = (r"(?:a|ont|avait|avaient|aurait)\s+(?:également\s+|aussi\s+|encore\s+|notamment\s+|pourtant\s+)?"
           r"(?:affirmé|déclaré|dit|expliqué|assuré|ajouté|indiqué|souligné|estimé|précisé|annoncé|démenti|nié|"
           r"qualifié|répondu|martelé|lancé|confié|reconnu|averti|défendu|jugé|rappelé|insisté|dénoncé|"
           r"regretté|commenté|prévenu|raconté|écrit|admis|promis|fait savoir)")
_FR_CUE_PRESENT = (r"(?:affirme|déclare|dit|explique|assure|ajoute|indique|souligne|estime|précise|annonce|"
                   r"dément|nie|répond|martèle|lance|confie|reconnaît|avertit|juge|rappelle|insiste|dénonce|"
                   r"regrette|écrit|admet|raconte)")
_EN_CUE = (r"(?:said|says|told|added|stated|explained|wrote|noted|argued|insisted|denied|claimed|warned|"
           r"acknowledged|asserted|announced|replied|responded|declared|maintained|contended|suggested|"
           r"testified|tweeted|predicted|admitted|conceded)")
CUES = {
    "fr": re.compile(rf"\b(?:{_FR_CUE}|{_FR_CUE_PRESENT}|selon|d['’]après|a-t-(?:il|elle) (?:\w+))\b"
                     r"|\b(?:qualifiant|décrivant|affirmant|déclarant|estimant|assurant|ajoutant|dénonçant)\b"),
    "en": re.compile(rf"\b(?:{_EN_CUE}|according to|told reporters|calling|describing|saying)\b"),
}
DENIAL = re.compile(r"\b(?:démen\w*|dément\w*|ni(?:é|ée|ent|e)|rejet\w*|rejeté\w*|réfut\w*|fausses? (?:nouvelles?|"
                    r"informations?)|deni\w*|deny\w*|reject\w*|dismiss\w*|refut\w*|false)\b", re.IGNORECASE)
NO_COMMENT = re.compile(r"\b(?:n['’]a pas (?:souhaité|voulu|répondu)|n['’]ont pas (?:souhaité|voulu|répondu)|"
                        r"(?:declined|refused) to comment|did not (?:respond|return|reply)|"
                        r"could not be reached)", re.IGNORECASE)
HEDGE = re.compile(r"\b(?:aurai(?:t|ent)|pourrai(?:t|ent)|présumée?s?|supposée?s?|prétendue?s?|allegedly|"
                   r"reportedly|may|might|could)\b", re.IGNORECASE)
REPORTED = re.compile(r"\b(?:selon|d['’]après|according to|said|says|a (?:affirmé|déclaré|indiqué|dit))\b", re.IGNORECASE)

# indirect speech: (speaker, cue, content) by pattern; the speaker part is checked for a name afterwards
_SUBJ = r"(?P<subj>[^,;:«»“”\"]{2,90}?(?:,[^,«»“”\"]{2,90},)?)"
INDIRECT = {
    "fr": [
        re.compile(r"(?:^|,\s+)(?P<cue>[Ss]elon|[Dd]['’]après)\s+(?P<subj>[^,]{3,80}),\s+(?P<content>.{20,})$"),
        re.compile(rf"^{_SUBJ}\s+(?P<cue>{_FR_CUE})\s+(?:qu['’]|que\s+)(?P<content>.{{20,}})$"),
        re.compile(rf"^{_SUBJ}\s+(?P<cue>{_FR_CUE_PRESENT})\s+(?:qu['’]|que\s+)(?P<content>.{{20,}})$"),
        re.compile(rf"^{_SUBJ}\s+(?P<cue>(?:a|ont|avait|avaient)\s+(?:catégoriquement\s+|fermement\s+)?"
                   r"(?:démenti|nié|rejeté|contesté))\s+(?P<content>.{10,})$"),
    ],
    "en": [
        re.compile(r"^(?P<cue>According to)\s+(?P<subj>[^,]{3,80}),\s+(?P<content>.{20,})$"),
        re.compile(r"^(?P<content>.{20,}?),\s+(?P<cue>according to)\s+(?P<subj>[^,]{3,80})$"),
        re.compile(rf"^{_SUBJ}\s+(?P<cue>{_EN_CUE})(?:\s+(?:reporters|the \w+|\w+))?(?:\s+that|,)\s+"
                   r"(?P<content>.{20,})$"),
        re.compile(rf"^{_SUBJ}\s+(?P<cue>{_EN_CUE})\s+(?P<content>(?:the|a|an|he|she|they|it|his|her|their|"
                   r"there|[A-Z]).{20,})$"),
        re.compile(rf"^{_SUBJ}\s+(?P<cue>denied|dismissed|rejected|disputed)\s+(?P<content>.{{10,}})$"),
        re.compile(rf"^(?P<content>.{{20,}}?),\s+(?P<subj>[^,]{{3,60}}?)\s+(?P<cue>{_EN_CUE})$"),
        re.compile(rf"^(?P<content>.{{20,}}?),\s+(?P<cue>{_EN_CUE})\s+(?P<subj>[^,]{{3,60}})$"),
    ],
}
QUOTES = re.compile(r"«\s*(?P<a>[^«»]{3,}?)\s*»|“(?P<b>[^“”]{3,}?)”|\"(?P<c>[^\"\n]{3,}?)\"")

# negations: (pattern, replacement) to remove one; auxiliaries to insert one after
NEG_REMOVE = {
    "fr": [(re.compile(r"\bn['’]\s*(\w+)\s+(?:pas|jamais|plus)\b"), lambda m: m.group(1)),
           (re.compile(r"\bne\s+(\w+)\s+(?:pas|jamais|plus)\b"), lambda m: m.group(1)),
           (re.compile(r"\bne pas\s+"), lambda m: "")],
    "en": [(re.compile(r"\b(\w+) (?:not|never)\b(?!-)"), lambda m: m.group(1)),
           (re.compile(r"\bcannot\b"), lambda m: "can"),
           (re.compile(r"\b(?:won['’]t)\b", re.IGNORECASE), lambda m: _cap_like("will", m.group())),
           (re.compile(r"\b(?:can['’]t)\b", re.IGNORECASE), lambda m: _cap_like("can", m.group())),
           (re.compile(r"\b(\w+)n['’]t\b(?<!won't)(?<!won’t)(?<!can't)(?<!can’t)", re.IGNORECASE), lambda m: m.group(1)),
           ],
}
NEG_AUX = {
    "fr": re.compile(r"(?<![yY] )(?<![’'])\b(a|ont|est|sont|était|étaient|avait|avaient|sera|seront|peut|peuvent|"
                     r"doit|doivent|va|vont)\b(?! pas| jamais| plus|-t-)"),
    "en": re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|does|did|must|might)\b"
                     r"(?! not| never|n['’]t)"),
}


def fold(text: str) -> str:
    """Typography, white space and case folded, as any grounding does before comparing."""
    text = re.sub(r"[«»“”„\"]", '"', re.sub(r"[’‘ʼ`]", "'", text))
    text = re.sub(r'\s*"\s*', '"', text)
    return re.sub(r"\s+", " ", text).strip().lower()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, fold(a), fold(b), autojunk=False).ratio()


def language_of(text: str) -> str:
    words = re.findall(r"[a-zéèàùâêîôûç]+", text.lower()[:5000])
    fr = sum(w in _FR_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "fr" if fr >= en else "en"


def article_of(body: dict | None) -> str | None:
    """The article between the markers of the last user message holding them."""
    for message in reversed((body or {}).get("messages") or []):
        content = message.get("content")
        if isinstance(content, list):  # content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        if message.get("role") == "user" and isinstance(content, str):
            found = _MARKERS.search(content)
            if found:
                return found.group(2)
    return None


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------------
# the article: sentences and names


@dataclass
class Sentence:
    n: int
    start: int
    end: int
    text: str
    final: bool  # ends with . ! ? (or a closing quote after one): not a headline


_ABBREV = {"m", "mme", "mmes", "mm", "mlle", "me", "dr", "mr", "mrs", "ms", "st", "jr", "sr", "gen", "sen", "rep", "gov", "inc", "corp", "co", "no", "vs", "p", "av", "apr", "lt", "col", "capt", "sgt", "prof"}
_END = re.compile(r"[.!?…]+[»”\"’)]*(?=\s+(?:[«“\"(]\s*)?[" + UP + r"0-9])")


def sentences(text: str) -> list[Sentence]:
    """Paragraphs split into sentences; quotations are never split."""
    out: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        p0, ptext = para.start(), para.group()
        quoted = [(m.start(), m.end()) for m in QUOTES.finditer(ptext) if m.end() - m.start() < 600]
        cuts = [0]
        for m in _END.finditer(ptext):
            word = re.search(r"([\w.]+)[.!?…]*[»”\"’)]*$", ptext[:m.end()])
            token = (word.group(1) if word else "").rstrip(".").lower()
            if token in _ABBREV or (len(token) == 1 and token.isalpha()) or re.fullmatch(r"(?:\w\.)+\w", token):
                continue
            if any(a < m.end() < b - 1 for a, b in quoted):
                continue
            cuts.append(m.end())
        cuts.append(len(ptext))
        for a, b in itertools.pairwise(cuts):
            chunk = ptext[a:b]
            lead = len(chunk) - len(chunk.lstrip())
            chunk = chunk.strip()
            if not chunk:
                continue
            start = p0 + a + lead
            out.append(Sentence(len(out), start, start + len(chunk), chunk,
                                bool(re.search(r"[.!?…][»”\"’)]*$", chunk))))
    return out


@dataclass
class Name:
    text: str
    start: int  # in the article
    sentence: int
    person: bool  # two capitalised words or more, or after a title
    after_preposition: bool


def _strip_stop(run: str) -> tuple[str, int]:
    """A capitalised run without leading stop words (and their elisions); the characters dropped."""
    dropped = 0
    while True:
        m = re.match(rf"([{UP}][{LOW}]*)(?:['’]\s*|\s+)", run)
        if not m or m.group(1).lower() not in STOP_CAPS:
            m2 = re.match(r"([LDlds])['’]", run)
            if m2:
                dropped += 2
                run = run[2:]
                continue
            break
        dropped += m.end()
        run = run[m.end():]
    return run, dropped


def names_in(text: str, sents: list[Sentence]) -> list[Name]:
    out: list[Name] = []
    inside: set[str] = set()
    for s in sents:
        for m in _NAME_RUN.finditer(s.text):
            run, dropped = _strip_stop(m.group())
            while run and not run[0].isupper():
                head = re.match(r"\S+\s*", run)
                dropped += head.end()
                run = run[head.end():]
            words = run.split()
            words = [w for w in words if w.lower() not in STOP_CAPS or w.islower()]
            if not run or not words:
                continue
            while run.split()[-1].lower() in STOP_CAPS or run.split()[-1] in _PARTICLE_WORDS:
                run = run.rsplit(None, 1)[0] if len(run.split()) > 1 else ""
                if not run:
                    break
            if not run or run.lower() in STOP_CAPS or len(run) < 3:
                continue
            start = s.start + m.start() + dropped
            initial = m.start() + dropped == 0
            titled = bool(re.search(r"(?:M\.|Mme|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+$", s.text[:m.start() + dropped]))
            person = len(run.split()) >= 2 or titled
            before = text[max(0, start - 6):start].lower()
            prep = bool(re.search(r"(?:\bd['’]|\bde |\bdu |\bof |\bto |\bwith |\bfor |\bpar |\bby |\bà |\bavec )$",
                                  before))
            run = re.sub(r"['’]s$", "", run)
            if initial and not person and run.lower() in STOP_CAPS:
                continue
            out.append(Name(run, start, s.n, person, prep))
            if not (initial and not person):
                inside.add(run)
    # a single capitalised word opening a sentence is a name only if it is capitalised elsewhere too
    return [n for n in out if n.person or n.text in inside or any(n.text in i.split() for i in inside)]


_PARTICLE_WORDS = {"de", "du", "des", "van", "von", "der", "di", "da", "al", "bin", "ben", "le", "la"}


class Doc:
    """One article: its sentences, names and language."""

    def __init__(self, text: str):
        self.text = text
        self.language = language_of(text)
        self.sents = sentences(text)
        self.names = names_in(text, self.sents)
        surnames = {n.text.split()[-1] for n in self.names if n.person}
        for n in self.names:
            n.person = n.person or n.text in surnames
        self.persons = [n for n in self.names if n.person]

    def sentence_at(self, pos: int) -> Sentence:
        for s in self.sents:
            if s.start <= pos < s.end:
                return s
        return self.sents[-1]

    def nearest_person(self, n: int, before: int | None = None) -> str | None:
        """The nearest person named in sentence ``n`` (before ``before``) or the two sentences before it:
        a subject (not after a preposition) first."""
        for k in range(n, n - 3, -1):
            found = [p for p in self.persons if p.sentence == k and (before is None or k < n or p.start < before)]
            if k == n and before is None:
                continue
            subjects = [p for p in found if not p.after_preposition]
            if subjects:
                return subjects[0].text
            if found:
                return found[-1].text
        return None

    def far_names(self, near: set[int], exclude: str, min_gap: int = 3) -> list[str]:
        """Person names never within ``min_gap`` sentences of the sentences ``near``, sharing no word
        with ``exclude``."""
        words = {w.lower() for w in re.findall(r"\w+", exclude)}
        out: list[str] = []
        for name in self.persons:
            if name.text in out or any(w.lower() in words for w in re.findall(r"\w+", name.text)):
                continue
            occurs = [m for m in self.names if m.text == name.text or name.text in m.text or m.text in name.text]
            if all(min(abs(m.sentence - k) for k in near) >= min_gap for m in occurs):
                out.append(name.text)
        return out


# ---------------------------------------------------------------------------------------------------
# changes


@dataclass
class Change:
    kind: str
    start: int
    end: int
    article_value: str
    engine_value: str
    accept: tuple[str, ...]

    def apply(self, s: str) -> str:
        return s[:self.start] + self.engine_value + s[self.end:]


def _cap_like(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def candidate_changes(s: str, doc: Doc, avoid: str, kinds: tuple[str, ...], far_from: set[int]) -> list[Change]:
    """Every one-fact change of ``s`` of one of ``kinds``; the new value never occurs in ``avoid`` (the
    evidence sentences)."""
    return [c for c in _changes(s, doc, avoid, kinds, far_from) if c.kind in kinds]


def _changes(s: str, doc: Doc, avoid: str, kinds: tuple[str, ...], far_from: set[int]) -> list[Change]:
    lang, out = doc.language, []
    low_avoid = avoid.lower()
    if "date" in kinds or "number" in kinds:
        for m in re.finditer(r"(?<![\w,.’'-])(\d+)(?:([.,])(\d+))?(?![\w’']|-\d)|(?<![\w’'])(\d{1,3}(?: \d{3})+)(?!\w)", s):
            raw = m.group()
            if m.group(4):  # "6 000"
                head, rest = raw.split(" ", 1)
                new = f"{int(head) + 1} {rest}"
                out.append(Change("number", m.start(), m.end(), raw, new, ("number",)))
                continue
            whole = int(m.group(1))
            if m.group(3) is not None:
                new = f"{whole + 1}{m.group(2)}{m.group(3)}"
                kind, accept = "number", ("number",)
            elif 1950 <= whole <= 2049 and len(m.group(1)) == 4:
                new, kind, accept = str(whole + 1), "date", ("date", "number")
            else:
                new = str(whole + 3) if whole < 100 else str(whole + 10 ** (len(m.group(1)) - 1))
                next_word = s[m.end():m.end() + 12].lower().strip()
                dated = any(next_word.startswith(mo.lower()) for mo in MONTHS[lang] + ["may", "mai"])
                previous = s[max(0, m.start() - 10):m.start()].lower()
                dated = dated or any(previous.rstrip().endswith(mo.lower()) for mo in MONTHS[lang])
                if dated and whole + 3 > 28:
                    new = str(whole - 3)
                kind, accept = ("date", ("date", "number")) if dated else ("number", ("number",))
            if re.search(rf"(?<![\d,.]){re.escape(new)}(?![\d])", avoid):
                continue
            out.append(Change(kind, m.start(), m.end(), raw, new, accept))
        words = NUMBER_WORDS[lang]
        for m in re.finditer(r"\b(" + "|".join(words) + r")\b", s, re.IGNORECASE):
            i = words.index(m.group().lower())
            new = _cap_like(words[(i + 1) % len(words)], m.group())
            if re.search(rf"\b{new}\b", low_avoid, re.IGNORECASE):
                continue
            out.append(Change("number", m.start(), m.end(), m.group(), new, ("number",)))
    if "date" in kinds:
        for table in (MONTHS[lang], WEEKDAYS[lang]):
            flags = 0 if lang == "en" else re.IGNORECASE
            for m in re.finditer(r"\b(" + "|".join(table) + r")\b", s, flags):
                if lang == "en" and m.start() == 0:
                    continue
                i = [t.lower() for t in table].index(m.group().lower())
                for step in (1, 2, 3):
                    new = _cap_like(table[(i + step) % len(table)], m.group())
                    if new.lower() not in low_avoid:
                        out.append(Change("date", m.start(), m.end(), m.group(), new, ("date",)))
                        break
    if "name" in kinds:
        local = _names_of_string(s, doc)
        persons = {n.text for n in doc.names if n.person}
        local = [t for t in local if t[2] in persons] or local
        for start, end, name in local:
            pool = doc.far_names(far_from, name) + INVENTED[lang]
            pool = [p for p in pool if p.lower() not in low_avoid and not _shares_word(p, name)]
            if not pool:
                continue
            new = pool[0]
            if len(name.split()) == 1:  # a surname alone: another surname used alone, else an invented one
                alone = {n.text for n in doc.names if len(n.text.split()) == 1}
                new = next((p.split()[-1] for p in pool if p.split()[-1] in alone),
                           INVENTED[lang][len(name) % len(INVENTED[lang])].split()[-1])
                if new.lower() in low_avoid:
                    continue
            out.append(Change("name", start, end, name, new, ("name",)))
    if "negation" in kinds:
        for pattern, repl in NEG_REMOVE[lang]:
            for m in pattern.finditer(s):
                new = repl(m)
                out.append(Change("negation", m.start(), m.end(), m.group(), new, ("negation",)))
        if not any(c.kind == "negation" for c in out):
            m = NEG_AUX[lang].search(s)
            if m:
                verb = m.group(1)
                if lang == "fr":
                    apo = "’" if "’" in s else "'"
                    new = (f"n{apo}{verb} pas" if verb[0] in "aeéiouy" else f"ne {verb} pas")
                else:
                    new = f"{verb} not"
                out.append(Change("negation", m.start(), m.end(), verb, new, ("negation",)))
    return out


def _shares_word(a: str, b: str) -> bool:
    return bool({w.lower() for w in re.findall(r"\w{3,}", a)} & {w.lower() for w in re.findall(r"\w{3,}", b)})


def _names_of_string(s: str, doc: Doc) -> list[tuple[int, int, str]]:
    """Names of the article that occur in ``s``, longest first, not overlapping."""
    known = sorted({n.text for n in doc.names if n.person or len(n.text) >= 4}, key=lambda n: (-len(n), n))
    taken: list[tuple[int, int, str]] = []
    for name in known:
        for m in re.finditer(rf"(?<![\w’']){re.escape(name)}(?![\w’'])", s):
            if not any(a < m.end() and m.start() < b for a, b, _ in taken):
                taken.append((m.start(), m.end(), name))
    taken.sort()
    return [t for t in taken if t[2].lower() not in STOP_CAPS]


# ---------------------------------------------------------------------------------------------------
# faithful variations


def vary_typography(s: str, rng: random.Random) -> str:
    if rng.random() < 0.6:
        s = re.sub(r"«\s*", '"', s)
        s = re.sub(r"\s*»", '"', s)
        s = s.replace("“", '"').replace("”", '"')
    if rng.random() < 0.6:
        s = s.replace("’", "'")
    s = s.replace("\u00a0", " ").replace("\u202f", " ")
    s = re.sub(r"\s+", " ", s).strip()
    return s


def vary_case(s: str, rng: random.Random, mid_sentence: bool) -> str:
    if mid_sentence and s[:1].islower() and rng.random() < 0.5:
        return s[:1].upper() + s[1:]
    return s


def drop_an_article(s: str, lang: str, rng: random.Random) -> str:
    found = [m for m in re.finditer(r"(?<=\s)(" + "|".join(ARTICLES_DROPPED[lang]) + r") (?=\w)", s)]
    if not found or rng.random() < 0.4:
        return s
    m = rng.choice(found)
    return s[:m.start()] + s[m.end():]


def resolve_pronoun(s: Sentence, doc: Doc) -> str:
    """The sentence with a leading il/elle/he/she replaced by the nearest preceding person name."""
    m = re.match(r"(" + "|".join(PRONOUNS[doc.language]) + r")\s", s.text)
    if not m or IMPERSONAL.match(s.text):
        return s.text
    name = doc.nearest_person(s.n)
    return s.text if name is None else name + s.text[m.end(1):]


def fragment(s: Sentence, rng: random.Random, doc: Doc) -> tuple[str, int]:
    """A verbatim fragment of ``s`` of 40 characters or more (the whole sentence when short);
    its offset in the sentence."""
    text = s.text
    if len(text) <= 180:
        if text.endswith(".") and rng.random() < 0.5:
            return text[:-1], 0
        return text, 0
    starts = [0] + [m.end() for m in re.finditer(r"[,;:]\s+", text) if m.end() < len(text) - 80]
    a = rng.choice(starts)
    length = rng.randint(80, 170)
    b = min(len(text), a + length)
    while b < len(text) and text[b - 1].isalnum() and text[b].isalnum():
        b += 1
    return text[a:b].rstrip(" ,;:"), a


def modality_of(text: str) -> str:
    if DENIAL.search(text):
        return "denied"
    if HEDGE.search(text):
        return "hedged"
    if REPORTED.search(text):
        return "reported"
    return "asserted"


# ---------------------------------------------------------------------------------------------------
# items


@dataclass
class Item:
    """A faithful item and what may be changed in it: ``quotes`` (field, position, article text, sentence)
    for altered_quote, ``paraphrase`` (field, text, evidence sentence numbers) for altered_paraphrase."""

    list: str
    data: dict
    sentence_ns: set[int]
    quotes: list[tuple[str, int | None, Sentence]] = field(default_factory=list)
    paraphrase: list[str] = field(default_factory=list)


def claims_of(doc: Doc, seed: int) -> list[Item]:
    eligible = [s for s in doc.sents if s.final and len(s.text) >= 50 and not NO_COMMENT.search(s.text)]
    if len(eligible) > MAX_CLAIMS:
        step = len(eligible) / MAX_CLAIMS
        eligible = [eligible[int(i * step)] for i in range(MAX_CLAIMS)]
    items = []
    for i, s in enumerate(eligible):
        rng = random.Random(f"{seed}:{sha256(doc.text)}:claims:{i}")
        text = resolve_pronoun(s, doc)
        text = drop_an_article(text, doc.language, rng)
        text = vary_typography(text, rng)
        quote, offset = fragment(s, rng, doc)
        quote = vary_case(vary_typography(quote, rng), rng, offset > 0)
        modality = modality_of(s.text)
        speaker = None
        if modality in ("reported", "denied"):
            persons = [p.text for p in doc.names if p.sentence == s.n]
            speaker = persons[0] if persons else None
        items.append(Item("claims", {"text": text, "modality": modality, "speaker": speaker, "evidence": [quote]},
                          {s.n}, quotes=[("evidence", 0, s)], paraphrase=["text"]))
    return items


def _speaker_in(doc: Doc, s: Sentence, outside: list[tuple[int, int]], cue_at: int) -> str | None:
    """The person named in ``s`` outside the quotations, nearest the cue; a pronoun subject resolved."""
    found = [n for n in doc.names if n.sentence == s.n
             and not any(a <= n.start - s.start < b for a, b in outside)]
    bare = "".join(" " if any(a <= i < b for a, b in outside) else ch for i, ch in enumerate(s.text))
    pronoun = re.search(r"(?:^|\s|-t-)(?:il|elle|he|she)\b", bare, re.IGNORECASE)
    if pronoun and (not found or re.match(r"\s*(?:Il|Elle|He|She)\s", bare)):
        name = doc.nearest_person(s.n)
        if name:
            return name
    if not found:
        return None
    persons = [n for n in found if n.person and not n.after_preposition] or [n for n in found if n.person] or found
    before = [n for n in persons if n.start - s.start < cue_at]
    return (before[-1] if before else min(persons, key=lambda n: abs(n.start - s.start - cue_at))).text


def _subject_speaker(doc: Doc, s: Sentence, start: int, end: int, subj: str) -> str | None:
    """The speaker named by the subject ``subj`` (at [start, end) of the sentence)."""
    if re.fullmatch(r"(?:" + "|".join(PRONOUNS[doc.language]) + r")(?:\s+\w+ment|\s+also)?", subj, re.IGNORECASE):
        return doc.nearest_person(s.n)
    names = [n for n in doc.names if n.sentence == s.n and start <= n.start - s.start < end]
    persons = [n for n in names if n.person]
    if persons:
        return persons[0].text
    if re.match(r"(?:l['’]|la |le |les |une? |the |a |an |two |three |des |deux |trois )", subj, re.IGNORECASE) \
            and len(subj.split()) <= 8:
        return subj.split(",")[0].strip()
    return names[0].text if names else None


def attributions_of(doc: Doc, seed: int) -> list[Item]:
    items: list[Item] = []
    cues = CUES[doc.language]
    for s in doc.sents:
        if not s.final or len(items) >= MAX_ATTRIBUTIONS:
            continue
        rng = random.Random(f"{seed}:{sha256(doc.text)}:attributions:{s.n}")
        quoted = [m for m in QUOTES.finditer(s.text)]
        spans = [(m.start(), m.end()) for m in quoted]
        outside = re.sub(QUOTES, lambda m: " " * len(m.group()), s.text)
        cue = cues.search(outside)
        evidence = vary_typography(s.text, rng)
        if quoted and cue:
            speaker = _speaker_in(doc, s, spans, cue.start())
            if speaker is None:
                continue
            for m in quoted:
                if len(items) >= MAX_ATTRIBUTIONS:
                    break
                content = next(g for g in m.groups() if g is not None).strip().rstrip(",;:")
                if len(content) < 3:
                    continue
                items.append(Item("attributions", {
                    "speaker": {"name": speaker, "role": None}, "content": vary_typography(content, rng),
                    "kind": "direct", "cue": s.text[cue.start():cue.end()],
                    "is_denial": bool(DENIAL.search(s.text)), "is_no_comment": False, "evidence": evidence},
                    {s.n}, quotes=[("content", None, s), ("evidence", None, s)], paraphrase=["speaker"]))
            continue
        if quoted:
            continue
        silent = NO_COMMENT.search(s.text)
        if silent:
            speaker = _subject_speaker(doc, s, 0, silent.start(), s.text[:silent.start()].strip(" ,"))
            if speaker and len(speaker) <= 60:
                items.append(Item("attributions", {
                    "speaker": {"name": speaker, "role": None},
                    "content": vary_typography(s.text[silent.start():].rstrip(".!? "), rng),
                    "kind": "indirect", "cue": silent.group(), "is_denial": False, "is_no_comment": True,
                    "evidence": evidence}, {s.n}, quotes=[("evidence", None, s)], paraphrase=["speaker"]))
            continue
        body = s.text.rstrip(".!?… ")
        for pattern in INDIRECT[doc.language]:
            m = pattern.search(body)
            if not m:
                continue
            subj = m.group("subj").strip()
            speaker = _subject_speaker(doc, s, m.start("subj"), m.end("subj"), subj)
            if not speaker or len(speaker) > 60:
                continue
            content = m.group("content").strip()
            content = content[:1].upper() + content[1:] if rng.random() < 0.3 else content
            items.append(Item("attributions", {
                "speaker": {"name": speaker, "role": None}, "content": vary_typography(content, rng),
                "kind": "indirect", "cue": m.group("cue"),
                "is_denial": bool(DENIAL.search(m.group("cue") + " " + content)),
                "is_no_comment": False, "evidence": evidence},
                {s.n}, quotes=[("evidence", None, s)], paraphrase=["content", "speaker"]))
            break
    return items


_LEAD = re.compile(r"^(?!En \w+ant\b)((?:En|Dans|Depuis|Après|Avant|Lors|Pendant|Jusqu['’]à|Hier|Par ailleurs|D['’]ailleurs|Lundi|Mardi|"
                   r"Mercredi|Jeudi|Vendredi|Samedi|Dimanche|In|On|At|After|Before|During|Since|Last|Earlier|Later|"
                   r"Meanwhile|Yesterday|On \w+day)\b[^,]{0,60}),\s+(?=\w)")
_RELATIVE = re.compile(r",\s+(?:qui|que|qu['’]|dont|où|lequel|laquelle|which|who|whose|where)\b[^,]{5,}?,\s+")


def shorten(text: str) -> tuple[str, bool]:
    """The sentence without a relative clause or a leading adverbial, if it has one."""
    m = _RELATIVE.search(text)
    if m and len(text) - len(m.group()) >= 40:
        return text[:m.start()] + " " + text[m.end():], True
    m = _LEAD.match(text)
    if m and len(m.group(1).split()) <= 7 and len(text) - m.end() >= 40:
        rest = text[m.end():]
        return rest[:1].upper() + rest[1:], True
    return text, False


def summary_of(doc: Doc, seed: int) -> list[Item]:
    pool = [s for s in doc.sents if s.final and 60 <= len(s.text) <= 400 and not QUOTES.search(s.text)
            and not re.match(r"(?:" + "|".join(PRONOUNS[doc.language]) + r"|It|They|Ils|Elles|Ce|Cette|This)\b",
                             s.text)]
    if not pool:
        return []
    chosen = [pool[0]]
    rest = sorted(pool[1:], key=lambda s: (-(bool(re.search(r"\d", s.text)) + bool(shorten(s.text)[1])), s.n))
    for s in rest:
        if len(chosen) >= MAX_SUMMARY:
            break
        if all(abs(s.n - c.n) >= 2 for c in chosen):
            chosen.append(s)
    chosen.sort(key=lambda s: s.n)
    items = []
    for i, s in enumerate(chosen):
        rng = random.Random(f"{seed}:{sha256(doc.text)}:summary:{i}")
        text, _ = shorten(s.text)
        citation = vary_typography(s.text if len(s.text) <= 250 or rng.random() < 0.5 else fragment(s, rng, doc)[0],
                                   rng)
        items.append(Item("summary", {"text": vary_typography(text, rng), "citations": [citation]}, {s.n},
                          quotes=[("citations", 0, s)], paraphrase=["text"]))
    return items


# ---------------------------------------------------------------------------------------------------
# the fabricator


def _window(text: str, at: int, end: int) -> str:
    """The whole sentence when short, else about 200 characters around [at, end), on word boundaries."""
    if len(text) <= 220:
        return text
    a, b = max(0, at - 100), min(len(text), end + 100)
    while a > 0 and text[a - 1].isalnum():
        a -= 1
    while b < len(text) and text[b].isalnum():
        b += 1
    return text[a:b].strip()


class Fabricator:
    """A loopback responder answering drafts fabricated from the request's article (see the module doc)."""

    def __init__(self, mode: str = "faithful", *, seed: int = 0, rate: float = 1.0,
                 kinds: tuple[str, ...] | None = None, max_altered: int | None = None):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self.mode, self.seed, self.rate = mode, seed, rate
        self.kinds = tuple(kinds or KINDS)
        self.max_altered = max_altered
        self.ledger: dict[str, list[dict]] = {}
        self.drafts: dict[str, dict] = {}
        self._lock = threading.Lock()

    # the responder
    def __call__(self, body: dict | None, headers: dict[str, str]) -> Step:
        text = article_of(body)
        if text is None:
            return error(400, "fabricator: no <<<ARTICLE>>> markers in the user message")
        draft, entries = self.fabricate(text)
        key = sha256(text)
        with self._lock:
            self.ledger[key] = entries
            self.drafts[key] = draft
        return ok(json.dumps(draft, ensure_ascii=False))

    def entries(self, text: str) -> list[dict]:
        with self._lock:
            return list(self.ledger.get(sha256(text), []))

    def altered(self, text: str) -> list[dict]:
        return [e for e in self.entries(text) if e["altered"]]

    # the draft
    def fabricate(self, text: str) -> tuple[dict, list[dict]]:
        """The draft for ``text`` and its ledger entries (a pure function of the text, mode and seed)."""
        doc = Doc(text)
        key = sha256(text)
        lists = {"claims": claims_of(doc, self.seed), "attributions": attributions_of(doc, self.seed),
                 "summary": summary_of(doc, self.seed)}
        rng = random.Random(f"{self.seed}:{self.mode}:{key}:alter")
        entries: list[dict] = []
        for name, items in lists.items():
            used: Counter[str] = Counter()
            count = 0
            for i, item in enumerate(items):
                entry = {"list": name, "index": i, "mode": self.mode, "altered": False, "kind": None,
                         "accept": [], "field": None, "position": None, "engine_value": None,
                         "article_value": None, "engine_text": None, "article_text": None}
                wanted = (self.mode != "faithful" and rng.random() < self.rate
                          and (self.max_altered is None or count < self.max_altered))
                if wanted and self._alter(item, doc, rng, used, entry):
                    count += 1
                entries.append(entry)
        draft = {"language": doc.language,
                 "claims": [it.data for it in lists["claims"]],
                 "attributions": [it.data for it in lists["attributions"]],
                 "summary": [it.data for it in lists["summary"]]}
        return draft, entries

    def _choose(self, changes: list[Change], used: Counter, rng: random.Random) -> Change | None:
        if not changes:
            return None
        kinds = sorted(sorted({c.kind for c in changes}), key=lambda k: (used[k], rng.random()))  # set order varies
        pick = rng.choice([c for c in changes if c.kind == kinds[0]])
        used[pick.kind] += 1
        return pick

    def _alter(self, item: Item, doc: Doc, rng: random.Random, used: Counter, entry: dict) -> bool:
        evidence = " ".join(doc.sents[n].text for n in sorted(item.sentence_ns))
        if self.mode == "altered_quote":
            return self._alter_quote(item, doc, rng, used, entry, evidence)
        return self._alter_paraphrase(item, doc, rng, used, entry, evidence)

    def _alter_quote(self, item, doc, rng, used, entry, evidence) -> bool:
        options = []
        for fld, pos, s in item.quotes:
            if fld == "content":
                original = next((m.group() for m in QUOTES.finditer(s.text)
                                 if fold(next(g for g in m.groups() if g)) == fold(item.data["content"])), None)
                if original is None:
                    continue
                inner = next(g for g in QUOTES.match(original).groups() if g).strip()
                if len(inner) < MIN_QUOTE + 10:
                    continue
                base, _offset = inner, s.text.find(inner)
            else:
                base, _offset = s.text, 0
            kinds = tuple(k for k in self.kinds if k != "speaker")
            for c in candidate_changes(base, doc, evidence, kinds, item.sentence_ns):
                options.append((fld, pos, base, c))
        rng.shuffle(options)
        order = sorted(sorted({o[3].kind for o in options}), key=lambda k: (used[k], rng.random()))  # set order varies
        for kind in order:
            for fld, pos, base, c in [o for o in options if o[3].kind == kind]:
                article_text = base if fld == "content" else _window(base, c.start, c.end)
                shift = base.find(article_text)
                local = Change(c.kind, c.start - shift, c.end - shift, c.article_value, c.engine_value, c.accept)
                engine_text = local.apply(article_text)
                engine_text = vary_typography(engine_text, random.Random(f"{self.seed}:{entry['index']}"))
                if (len(fold(engine_text)) < MIN_QUOTE or similarity(engine_text, article_text) < MIN_SIMILARITY
                        or fold(engine_text) in fold(doc.text)):
                    continue
                if fld == "evidence" and pos is not None:
                    item.data["evidence"][pos] = engine_text
                elif fld == "citations":
                    item.data["citations"][pos] = engine_text
                elif fld == "content":
                    item.data["content"] = engine_text
                else:
                    item.data["evidence"] = engine_text
                used[kind] += 1
                entry.update(altered=True, kind=c.kind, accept=list(c.accept), field=fld, position=pos,
                             engine_value=c.engine_value, article_value=c.article_value,
                             engine_text=engine_text, article_text=article_text)
                return True
        return False

    def _alter_paraphrase(self, item, doc, rng, used, entry, evidence) -> bool:
        options: list[tuple[str, Change]] = []
        for fld in item.paraphrase:
            if fld == "speaker":
                if "speaker" not in self.kinds:
                    continue
                name = item.data["speaker"]["name"]
                pool = [p for p in doc.far_names(item.sentence_ns, name) + INVENTED[doc.language]
                        if p.lower() not in evidence.lower() and not _shares_word(p, name)]
                if pool:
                    options.append((fld, Change("speaker", 0, len(name), name, pool[0], ("speaker",))))
                continue
            text = item.data[fld]
            kinds = tuple(k for k in self.kinds if k != "speaker")
            options += [(fld, c) for c in candidate_changes(text, doc, evidence, kinds, item.sentence_ns)]
        if not options:
            return False
        pick = self._choose([c for _, c in options], used, rng)
        fld = next(f for f, c in options if c is pick)
        if fld == "speaker":
            item.data["speaker"] = {**item.data["speaker"], "name": pick.engine_value}
            before, after = pick.article_value, pick.engine_value
        else:
            before = item.data[fld]
            after = pick.apply(before)
            item.data[fld] = after
        entry.update(altered=True, kind=pick.kind, accept=list(pick.accept), field=fld, position=None,
                     engine_value=pick.engine_value, article_value=pick.article_value,
                     engine_text=after, article_text=before)
        return True


def main(argv: list[str] | None = None) -> None:
    """Serve fabricated drafts until SIGTERM/SIGINT; print the base URL, then what was altered."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=MODES, default="faithful")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rate", type=float, default=1.0, help="share of items altered (altered modes)")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, among {','.join(KINDS)}")
    parser.add_argument("--ledger", type=Path, help="write the ledger here (JSON) on exit")
    args = parser.parse_args(argv)
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    if set(kinds) - set(KINDS):
        parser.error(f"--kinds must be among {', '.join(KINDS)}")
    fabricator = Fabricator(args.mode, seed=args.seed, rate=args.rate, kinds=kinds)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with LoopbackServer(responder=fabricator, port=args.port) as server:
        print(server.base_url, flush=True)
        while not stop.wait(0.2):
            pass
    with fabricator._lock:
        ledger = dict(fabricator.ledger)
    if args.ledger:
        args.ledger.write_text(json.dumps(ledger, ensure_ascii=False, indent=1), "utf-8")
    altered = Counter(e["kind"] for entries in ledger.values() for e in entries if e["altered"])
    print(json.dumps({"articles": len(ledger), "items": sum(len(e) for e in ledger.values()),
                      "altered": dict(altered)}), flush=True)


if __name__ == "__main__":
    main()
