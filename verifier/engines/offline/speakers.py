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
from verifier.engines.offline.roles import (OF, feminine_first_name, media_role, role_before, role_key, role_kind,
                                            strip_determiner)
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
                    "General Gen Secretary Mayor Sir Lord Dame M Mme Mlle MM Mmes Me Pr".split())
_FEMININE_TITLES = frozenset("Mrs Ms Mme Mlle Mmes Dame".split())


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
    roles: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, role key, name)
    feminine: set[str] = field(default_factory=set)  # names a feminine word was seen with

    def add_entity(self, offset: int, text: str, label: str, before: str = "", after: str = "",
                   before_is_apposition: bool = False) -> None:
        """Register a named entity (``PER`` or ``ORG``) seen at ``offset``;
        ``before``/``after``: the words of its sentence just before it and,
        after a comma, its apposition, where its role may be written ("le
        ministre de la Santé Roman Prymula", "Norman Sabourin, le directeur
        général du Conseil, …"); ``before_is_apposition``: ``before`` is the
        phrase before a comma ("Le porte-parole de la préfecture, X,")."""
        if re.search(r"[a-z]{2}\.$", text):  # "… to beat Obama.": the name ends a sentence
            text = text[:-1]
            self.sentence_ends.add(offset)
        parts = text.split()
        if len(parts) > 1 and parts[0].rstrip(".") in _TITLES:
            text = " ".join(parts[1:])
        name = self.full_name(text)
        if label == "PER" and feminine_first_name(text):
            self.feminine.add(name)
        written = role_before(before, self.lang, apposition=before_is_apposition)
        kind = role_kind(written, self.lang)
        if label == "PER" and kind == "media":  # "le tabloïd Blesk", "la compagnie Airnova"
            self.media.append((offset, name))
        elif label == "PER" and not _looks_organisation(text):
            self.persons.append((offset, name))
            self.counts[_surname(name)] += 1
            for role in (written, role_before(after, self.lang, apposition=True)):
                if role and role_kind(role, self.lang) == "person":
                    self.note_role(offset, role, name)
        elif label == "ORG":
            self.media.append((offset, strip_determiner(text, self.lang)))

    def note_role(self, offset: int, role: str, name: str) -> None:
        """Remember that ``role`` ("le Premier ministre") names ``name``, so
        that a later "le Premier ministre" resolves to it; a feminine role
        ("la ministre", "directrice") marks the name feminine."""
        key = role_key(role, self.lang)
        if key and set(key.replace("’", " ").replace("'", " ").split()) & lexicon(self.lang).person_nouns:
            self.roles.append((offset, key, name))
        if re.match(r"(?:la |l['’]\w+(?:trice|euse|ière|esse|ante|ente)\b|\w+(?:trice|euse|ière|esse)\b|mme\b|madame\b)",
                    role.strip().lower()):
            self.feminine.add(name)

    def by_role(self, mention: str, offset: int) -> str | None:
        """The name last given with the role ``mention`` ("le chancelier" →
        the name seen as "le chancelier autrichien Sebastian Kurz")."""
        key = role_key(mention, self.lang)
        if not key:
            return None
        # a role given in the mention's own apposition counts ("le chef de l'opposition, Rémi Castel")
        hits = [(o, n) for o, k, n in self.roles if o < offset + len(mention) + 60
                and (k == key or k.startswith(key + " "))]
        return hits[-1][1] if hits else None

    def full_name(self, name: str) -> str:
        """The longest person name seen that ends with ``name`` ("Musk" →
        "Elon Musk")."""
        longer = {known for _, known in self.persons
                  if known.endswith(" " + name) or known.startswith(name + " ")}
        if not longer:
            return name
        names = Counter(known for _, known in self.persons if known in longer)
        return max(longer, key=lambda n: (names[n], -len(n)))

    def note_subject(self, offset: int, mention: str) -> None:
        """A person named as the subject of a sentence ("le juge en chef
        Rossiter l'a encouragée."): a pronoun opening a later sentence may
        refer to it."""
        known = frozenset(n for _, n in self.persons)
        _, name = split_role(mention, self.lang, known | frozenset(_surname(n) for n in known))
        full = self.full_name(name) if name else None
        if full in known:
            self.quoted.append((offset, full, "person"))

    def note_speaker(self, offset: int, resolved: Resolved) -> None:
        if resolved.kind != "unresolved":
            self.quoted.append((offset, resolved.name, resolved.kind))

    def resolve(self, mention: str, offset: int, window_start: int) -> Resolved:
        """Resolve ``mention`` found at ``offset``; ``window_start`` is where the
        sentences that may hold its referent begin."""
        words = mention.strip(" ,;:«»“”\"").strip()
        low = words.lower()
        inverted = re.match(r"\w+(?:-t)?-(il|elle|ils|elles|on)\b", low)  # "avait-il", "a-t-il encore"
        if inverted:
            words = low = inverted.group(1)
        lex = lexicon(self.lang)
        low = re.sub(r"^(?:et|mais|aussi|donc|or|ainsi|and|but|also)\s+", "", low)  # "et le Premier ministre"
        words = words[len(words) - len(low):] if len(low) < len(words) else words
        low = re.sub(r"\s+(?:lui|elle|eux)-mêmes?$", "", low)  # "le Premier ministre lui-même"
        words = words[:len(low)]
        if low in lex.pronouns:
            return self._pronoun(lex.pronouns[low], offset, window_start)
        if words.rstrip(".") in _TITLES:  # "a déclaré M." with the name cut off by a sentence split
            return self._pronoun("f" if words.rstrip(".") in _FEMININE_TITLES else "m", offset, window_start)
        if low in lex.last_named:  # "ce dernier": the last person named ("cette dernière": a woman)
            before = [n for o, n in self.persons if o < offset]
            feminine = low.startswith(("cette", "celle", "ces dernières"))
            before = [n for n in before if (n in self.feminine) == feminine] or before
            if before:
                return Resolved(before[-1], None, "person")
        bare = strip_determiner(words, self.lang)
        if bare in {n for _, n in self.media} and bare not in {n for _, n in self.persons} and \
                bare.split()[0].lower() not in lex.person_nouns and any(w.islower() for w in bare.split()[1:]):
            return Resolved(bare, None, "organisation")  # "La République en Marche", as the NER found it
        if low in lex.topic_person and self.persons:  # "le principal intéressé": whom the story is about
            before = [n for o, n in self.persons if o < offset]
            if before:
                return Resolved(max(before, key=lambda n: self.counts[_surname(n)]), None, "person")
        if low.startswith(lex.determiners):
            named = self.by_role(words, offset)  # "l'avocate", "le porte-parole" named earlier
            if named:
                return Resolved(named, strip_determiner(words, self.lang), "person")
        first = strip_determiner(low, self.lang).split()[:1]
        plural = low.startswith(lex.plural_determiners) and first and first[0] not in lex.person_nouns
        if first and (first[0] in lex.group_nouns or plural):
            # "l'entourage du ministre", "les habitants de la rue Paradis": as written
            return Resolved(words, None, "anonymous")
        role, name = split_role(words, self.lang, frozenset(n for _, n in self.persons))
        if name:
            full = self.full_name(name)
            if words.split()[0].rstrip(".") in _FEMININE_TITLES:
                self.feminine.add(full)  # "Mme Roy"
            kind = "organisation" if _looks_organisation(full) or media_role(role, self.lang) else "person"
            if kind == "person":
                self.counts[_surname(full)] += 1
                if role:
                    self.note_role(offset, role, full)
            return Resolved(full, role, kind)
        head = low.split()[-1] if low.split() else low
        if low.startswith(lex.indefinites) or head in lex.anon_nouns and not \
                low.startswith(("le ", "la ", "the ")):
            return Resolved(words, None, "anonymous")
        if "," in words:  # "Le ministre, interrogé par la radio,": the noun phrase before the comma
            words = words.split(",")[0].strip()
            low = words.lower()
        nouns = set(low.replace("’", " ").replace("'", " ").split())
        if nouns & lex.person_nouns and low.startswith(lex.determiners):
            named = self.by_role(words, offset)  # "le Premier ministre" named earlier
            if named:
                return Resolved(named, strip_determiner(words, self.lang), "person")
        if nouns & lex.person_nouns:
            recent = [(o, n) for o, n in self.persons if window_start <= o < offset]
            # "la ministre", "cette présidente": a woman when one is there; "le ministre": not a woman
            gender = "f" if low.startswith(("la ", "cette ")) else "m" if low.startswith(("le ", "ce ")) else ""
            if gender:
                fits = [p for p in recent if (p[1] in self.feminine) == (gender == "f")]
                if not fits and gender == "f":  # the only woman named before, further back
                    fits = [(o, n) for o, n in self.persons if o < offset and n in self.feminine]
                recent = fits or recent
            if recent:
                # a tie goes to a person given a role with the same noun ("le juge" → "le juge X")
                with_role = {n for _, k, n in self.roles if set(k.split()) & nouns & lex.person_nouns}
                best = max(recent, key=lambda p: (self.counts[_surname(p[1])], p[1] in with_role,
                                                  -self._first_seen(p[1])))[1]
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
        """The last speaker of the right kind quoted within the window ("x":
        "on", "à ses yeux": any kind; "r": a relative pronoun, the name just
        before it); "elle" skips a name not seen with a feminine word when
        one was, "il" one that was ("la directrice Christine Lagarde")."""
        if gender == "r":  # a relative pronoun ("McConnell, who said"): a name just before it
            near = [(o, n) for o, n in self.persons + self.media
                    if window_start <= o < offset and offset - o - len(n) <= 40]
            at, name = max(near) if near else (0, "")
            if not name or at in self.sentence_ends:  # "… beat Obama. The voters, who": another sentence
                return Resolved("(unresolved pronoun)", None, "unresolved")
            return Resolved(name, None, "organisation" if _looks_organisation(name) else "person")
        quoted = [(n, k) for o, n, k in self.quoted if window_start <= o < offset
                  and (gender == "x" or (k == "person") == (gender in "mf"))]
        if gender in "mf":
            named = [n for o, n in self.persons if window_start <= o < offset]
            fits = [n for n, _ in quoted if (n in self.feminine) == (gender == "f")]
            if not fits:  # "elle": a feminine name named there; "il": a name not feminine
                fits = [n for n in named if (n in self.feminine) == (gender == "f")]
            if fits:
                return Resolved(fits[-1], None, "person")
        if quoted:
            return Resolved(quoted[-1][0], None, quoted[-1][1])
        if gender == "x":  # "à ses yeux" with no one quoted yet: the last one named
            named = [(o, n) for o, n in self.persons + self.media if window_start <= o < offset]
            if named:
                return Resolved(max(named)[1], None, "person" if max(named) in self.persons else "organisation")
        if gender in "mf" and self.persons:
            before = [n for o, n in self.persons if o < offset]
            if before:
                return Resolved(max(before, key=lambda n: self.counts[_surname(n)]), None, "person")
        return Resolved("(unresolved pronoun)", None, "unresolved")


def split_role(words: str, lang: str, known: frozenset[str] = frozenset()) -> tuple[str | None, str | None]:
    """("l'attachée de presse Karoline Leavitt") → ("attachée de presse",
    "Karoline Leavitt"); apposition ("Dmitri Peskov, porte-parole de …") →
    ("porte-parole de …", "Dmitri Peskov"); no capitalised name → (None, None)."""
    words = re.sub(r"\s*«[^»]*»|[«»“”\"]|\s*\([^)]*\)", "", words).strip()  # "Jan Hamáček (ČSSD)", « titles »
    if "," in words:
        first, _, rest = words.partition(",")
        role, name = split_role(first.strip(), lang, known)
        if name:
            appos = rest.strip(" ,")
            of = "|".join(re.escape(w) for w in OF)
            if appos and re.search(rf"\b(?:{of})\s+(?:\S+\s+){{0,3}}{re.escape(name)}$", first.strip(), re.I):
                # "Le conseiller du président Joe Biden, Anthony Fauci": the name before the comma
                # completes the role ("du président …"); the one in apposition is the speaker
                role2, name2 = split_role(appos, lang, known)
                if name2 and not role2:
                    return strip_determiner(first.strip(), lang) or role, name2
            return (strip_determiner(appos, lang) or role) if appos else role, name
        # "le directeur général du Conseil, Norman Sabourin", "Membre de la coalition, le
        # vice-Premier ministre Jan Hamáček": the name after the comma, the role before it
        role, name = split_role(rest.strip(" ,"), lang, known)
        return (role or strip_determiner(first.strip(), lang) or None, name) if name else (None, None)
    tokens = words.split()
    if len(tokens) >= 2 and tokens[0].rstrip(".") in _TITLES and tokens[1][:1].isupper() or len(tokens) > 2 \
            and tokens[0].rstrip(".") in _TITLES:
        role, name = split_role(" ".join(tokens[1:]), lang, known)  # "M. Caldwell", "Senator Jane Smith"
        title = tokens[0] if len(tokens[0].rstrip(".")) > 3 else None
        return (role or title), name
    for i in range(len(tokens)):
        tail = " ".join(tokens[i:])
        if i and (tokens[i - 1].lower() in OF or i > 1 and tokens[i - 1].lower() in ("la", "le", "les", "the")
                  and tokens[i - 2].lower() in OF):
            continue  # "le ministre de la Santé", "interviewé par le Wall Street Journal": not a name
        if i and tokens[i - 1][:1].isupper() and tokens[i - 1] not in ALL_STOP_CAPS and tail not in known \
                and tokens[i - 1].lower() + " " not in lexicon(lang).determiners:
            continue  # inside a capitalised run ("Street Journal"), unless a person so named was seen
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
