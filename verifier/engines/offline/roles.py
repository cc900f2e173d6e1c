"""Roles written around a name, as the speaker resolver reads them
(``speakers.py``): the role before a name ("le ministre de la Santé Roman
Prymula", "la compagnie Airnova") or in an apposition ("Norman Sabourin,
le directeur général du Conseil"), what kind it is (a person's role, or a
medium or an institution), the key a later mention ("le ministre") is
matched on, and the feminine hints "elle" is resolved with.
"""

from __future__ import annotations

import re

from verifier.text.lexicon import lexicon


def strip_determiner(text: str, lang: str) -> str:
    low = text.lower()
    for det in lexicon(lang).determiners:
        if low.startswith(det) or low == det.strip():
            return text[len(det):].strip()
    return text


OF = frozenset("de du des d' d’ par à au aux of by".split())


def role_key(role: str, lang: str) -> str:
    """"le Premier ministre" → "premier ministre" (lower case, no determiner,
    no parenthesis)."""
    role = re.sub(r"\([^)]*\)|[«»“”\"]", "", role).strip(" ,;:").lower()
    for det in lexicon(lang).possessives:
        if role.startswith(det):
            role = role[len(det):]
    return strip_determiner(role, lang).strip()


def role_before(words: str, lang: str, apposition: bool = False, media: bool = False) -> str | None:
    """The role written just before a name ("…, le ministre de la Santé", "à
    l'homme d'affaires") or in its apposition ("le directeur général du
    Conseil", not "et son adjointe"): the shortest phrase from a determiner
    to the name that holds a person noun (``media``: a medium or institution
    noun)."""
    lex = lexicon(lang)
    wanted = (lex.media_nouns | lex.institution_nouns) if media else lex.person_nouns
    wanted = wanted | lex.media_nouns | lex.institution_nouns if not media else wanted
    dets = "|".join(re.escape(d.strip()) for d in lex.determiners + lex.possessives
                    if d.strip() not in ("de", "du", "des", "un", "une"))
    if apposition:
        m = re.match(rf"(?!(?:et|ou|mais|and|or)\b)((?:(?:{dets})\s*)?[^,;:()«»]*)", words.lstrip(), re.IGNORECASE)
        candidates = [m.group(1).strip()] if m else []
    else:
        last = words.split()[-1].lower() if words.split() else ""
        if last in lex.phrase_stops or last in OF or last in ("par", "avec", "contre", "chez"):
            return None  # "remplacé à la tête du club par Juliette Caron": no role, a complement
        starts = [m.start(1) for m in re.finditer(rf"(?:^|\s)((?:{dets})(?:\s+|(?<=['’])))", words, re.IGNORECASE)]
        candidates = [words[p:].strip() for p in reversed(starts)]
    for role in candidates:
        if len(role.split()) > 8:
            return None
        nouns = set(role.lower().replace("’", " ").replace("'", " ").split())
        if nouns & wanted:
            return role
    return None


_NOT_FEMININE = frozenset("Antoine Luca Nicola Andrea Joshua Elie Élie Noa Sacha Mustapha Jérémie Zacharie "
                          "Elia Ilia Ilya Issa Moussa Maxime Jérôme Baptiste Jean-Baptiste Battista".split())


def feminine_first_name(name: str) -> bool:
    """A first name with a feminine ending ("Christine", "Valérie", "Juliette",
    "Anna"), a hint for "elle"/"il"; the usual masculine exceptions excepted."""
    first = name.split()[0].split("-")[0] if name.split() else ""
    return len(name.split()) > 1 and first not in _NOT_FEMININE and \
        first.endswith(("ette", "ine", "ie", "elle", "enne", "anne", "ise", "a", "ée", "ence", "ude", "ève"))


def role_kind(role: str | None, lang: str) -> str | None:
    """"person" or "media" (a medium or an institution) by the first noun of
    ``role`` found in the lists: "le porte-parole de la préfecture" is a
    person, "la compagnie" an institution."""
    if not role:
        return None
    lex = lexicon(lang)
    for word in role.lower().replace("’", " ").replace("'", " ").split():
        if word in lex.person_nouns:
            return "person"
        if word in lex.media_nouns or word in lex.institution_nouns:
            return "media"
    return None


def media_role(role: str | None, lang: str) -> bool:
    """"le tabloïd Blesk", "la compagnie Airvia": a medium or an institution, not a person."""
    lex = lexicon(lang)
    return bool(role) and bool(set(role.lower().split()) & (lex.media_nouns | lex.institution_nouns))
