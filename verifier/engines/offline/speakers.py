"""Who a speaker mention refers to.

A mention is the words naming a speaker ("Dmitri Peskov, porte-parole de la
présidence russe", "Il", "Le richissime entrepreneur", "une source citée
dans l'enquête").  ``SpeakerResolver.resolve`` turns it into a name and a
role:

* a name ("Karoline Leavitt") keeps its words; a role before it ("l'attachée
  de presse") or in an apposition (", porte-parole de …,") becomes ``role``;
  a short form ("Musk") becomes the longest full name seen ("Elon Musk");
* a personal pronoun refers to the last person quoted within three
  sentences, else to the most mentioned person so far;
* a definite description of a person ("le milliardaire", "the president")
  refers to the most mentioned person among those named in the last three
  sentences; of a medium ("le média") to the last medium or organisation;
* indefinite and anonymous sources ("une source", "des responsables",
  "officials") and institutions ("le Kremlin") are speakers as written.

Pronouns, determiners and nouns come from the language's ``Lexicon``
(``text/lexicon``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from verifier.engines.offline.grammar import grammar
from verifier.text.lexicon import ALL_STOP_CAPS, lexicon

_ORG_WORDS = frozenset("""
Journal Times Post News Press Agency Kremlin Maison House Department Ministry Ministère
ministère Party Parti Committee Comité Commission Court Cour Council Conseil Office Bureau
Senate Sénat Congress Congrès Campaign Reuters AFP AP CNN BBC Fox NBC ABC CBS Tribune Herald
Gazette Monde Figaro Libération Inc Corp Company University Université Institute Institut
Bank Banque Union Nations Pentagon Pentagone Élysée Elysée Matignon Administration FBI CIA NASA
Tesla SpaceX Twitter Facebook Google Microsoft Apple Amazon
""".split())
_NAME = re.compile(r"(?:[A-ZÀ-ÖØ-Þ][\w’'.\-]*)(?:\s+(?:de |d[’']|van |von |del |da |bin |al-)?"
                   r"[A-ZÀ-ÖØ-Þ][\w’'.\-]*)*$")


_TITLES = frozenset("Senator Sen Gov Governor Rep Representative President Mr Mrs Ms Dr Prof Judge "
                    "General Gen Secretary Mayor Sir Lord Dame".split())


@dataclass
class Resolved:
    name: str
    role: str | None
    kind: str  # person | organisation | anonymous | unresolved


@dataclass
class SpeakerResolver:
    lang: str
    persons: list[tuple[int, str]] = field(default_factory=list)  # (offset, name)
    media: list[tuple[int, str]] = field(default_factory=list)
    quoted: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, name, kind)
    counts: Counter = field(default_factory=Counter)
    sentence_ends: set[int] = field(default_factory=set)  # offsets of names that end a sentence

    def add_entity(self, offset: int, text: str, label: str) -> None:
        """Register a named entity (``PER`` or ``ORG``) seen at ``offset``."""
        if re.search(r"[a-z]{2}\.$", text):  # "… to beat Obama.": the name ends a sentence
            text = text[:-1]
            self.sentence_ends.add(offset)
        parts = text.split()
        if len(parts) > 1 and parts[0].rstrip(".") in _TITLES:
            text = " ".join(parts[1:])
        name = self.full_name(text)
        if label == "PER" and not _looks_organisation(text):
            self.persons.append((offset, name))
            self.counts[_surname(name)] += 1
        elif label == "ORG":
            self.media.append((offset, strip_determiner(text, self.lang)))

    def full_name(self, name: str) -> str:
        """The longest person name seen that ends with ``name`` ("Musk" →
        "Elon Musk")."""
        longer = {known for _, known in self.persons
                  if known.endswith(" " + name) or known.startswith(name + " ")}
        if not longer:
            return name
        names = Counter(known for _, known in self.persons if known in longer)
        return max(longer, key=lambda n: (names[n], -len(n)))

    def note_speaker(self, offset: int, resolved: Resolved) -> None:
        if resolved.kind != "unresolved":
            self.quoted.append((offset, resolved.name, resolved.kind))

    def resolve(self, mention: str, offset: int, window_start: int) -> Resolved:
        """Resolve ``mention`` found at ``offset``; ``window_start`` is where the
        sentences that may hold its referent begin."""
        words = mention.strip(" ,;:").strip()
        low = words.lower()
        lex = lexicon(self.lang)
        if low in lex.pronouns:
            return self._pronoun(lex.pronouns[low], offset, window_start)
        role, name = split_role(words, self.lang)
        if name:
            full = self.full_name(name)
            kind = "organisation" if _looks_organisation(full) else "person"
            if kind == "person":
                self.counts[_surname(full)] += 1
            return Resolved(full, role, kind)
        head = low.split()[-1] if low.split() else low
        if low.startswith(lex.indefinites) or head in lex.anon_nouns and not \
                low.startswith(("le ", "la ", "the ")):
            return Resolved(words, None, "anonymous")
        nouns = set(low.replace("’", " ").replace("'", " ").split())
        if nouns & lex.person_nouns:
            recent = [(o, n) for o, n in self.persons if window_start <= o < offset]
            if recent:
                best = max(recent, key=lambda p: (self.counts[_surname(p[1])], -self._first_seen(p[1])))[1]
                return Resolved(best, strip_determiner(words, self.lang), "person")
        if nouns & lex.media_nouns:
            quoted = [n for o, n, k in self.quoted if o < offset and k == "organisation"]
            media = [n for o, n in self.media if o < offset and _looks_media(n)]
            pick = [n for n in quoted if _looks_media(n)] or media or quoted
            if pick:
                return Resolved(pick[-1], None, "organisation")
        return Resolved(words, None, "organisation" if _looks_organisation(words) else "unresolved")

    def _first_seen(self, name: str) -> int:
        return min((o for o, n in self.persons if n == name), default=0)

    def _pronoun(self, gender: str, offset: int, window_start: int) -> Resolved:
        if gender == "r":  # a relative pronoun ("McConnell, who said"): a name just before it
            near = [(o, n) for o, n in self.persons + self.media
                    if window_start <= o < offset and offset - o - len(n) <= 40]
            at, name = max(near) if near else (0, "")
            if not name or at in self.sentence_ends:  # "… beat Obama. The voters, who": another sentence
                return Resolved("(unresolved pronoun)", None, "unresolved")
            return Resolved(name, None, "organisation" if _looks_organisation(name) else "person")
        for o, name, kind in reversed(self.quoted):
            if window_start <= o < offset and (kind == "person") == (gender in "mf"):
                return Resolved(name, None, kind)
        if gender in "mf" and self.persons:
            before = [n for o, n in self.persons if o < offset]
            if before:
                return Resolved(max(before, key=lambda n: self.counts[_surname(n)]), None, "person")
        return Resolved("(unresolved pronoun)", None, "unresolved")


def strip_determiner(text: str, lang: str) -> str:
    low = text.lower()
    for det in lexicon(lang).determiners:
        if low.startswith(det) or low == det.strip():
            return text[len(det):].strip()
    return text


def split_role(words: str, lang: str) -> tuple[str | None, str | None]:
    """("l'attachée de presse Karoline Leavitt") → ("attachée de presse",
    "Karoline Leavitt"); apposition ("Dmitri Peskov, porte-parole de …") →
    ("porte-parole de …", "Dmitri Peskov"); no capitalised name → (None, None)."""
    words = re.sub(r"[«»“”\"]", "", words).strip()
    if "," in words:
        first, _, rest = words.partition(",")
        role, name = split_role(first.strip(), lang)
        if name:
            appos = rest.strip(" ,")
            return (strip_determiner(appos, lang) or role) if appos else role, name
        return None, None
    tokens = words.split()
    if len(tokens) > 2 and tokens[0].rstrip(".") in _TITLES:
        role, name = split_role(" ".join(tokens[1:]), lang)
        return (role or tokens[0]), name
    for i in range(len(tokens)):
        tail = " ".join(tokens[i:])
        if _NAME.fullmatch(tail) and not (i == 0 and tokens[0] in ALL_STOP_CAPS and len(tokens) > 1
                                          and grammar(lang).article_is_not_name(tokens[0])):
            if tail.split()[0] in ALL_STOP_CAPS:
                continue
            role = strip_determiner(" ".join(tokens[:i]), lang).strip() or None
            return role, tail
    return None, None


def _surname(name: str) -> str:
    return name.split()[-1] if name.split() else name


def _looks_media(name: str) -> bool:
    return any(w in name for w in ("Journal", "Times", "Post", "News", "Monde", "Figaro", "Reuters",
                                   "AFP", "Press", "Agence", "Tribune", "Herald", "Gazette", "CNN"))


def _looks_organisation(name: str) -> bool:
    return any(w.strip("«»“”\"'’") in _ORG_WORDS for w in name.split())
