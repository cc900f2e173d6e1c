"""English rules: the tokenizer alone (no parser, no lemmas, see
``text/nlp.py``), so cues are word forms from the lexicon, checked against
the words around them.
"""

from __future__ import annotations

import re
from typing import Any

from verifier.engines.offline.grammar.base import Grammar
from verifier.text.lexicon.en import INTENTIONS, OBJECT_VERBS, PREP_CUES

# Before a cue, these make it a noun or a passive: "the report", "was told".
_NOT_AFTER = ("the", "a", "an", "to", "was", "were", "been", "be", "is", "are",
              "'s", "’s", "his", "her", "their", "its", "my", "our", "your")  # "Obama's remarks", "her claims"
# ... except before "-ing", a progressive: "Trump is demanding", "she was warning".
_PROGRESSIVE = ("was", "were", "is", "are", "been", "be", "'s", "’s")  # "He’s claiming"
# Between a verb and "that": "told reporters on Monday that".
_OBJECTS = frozenset("reporters me him her them us you journalists lawmakers supporters "
                     "the a an to via email statement interview briefing out".split())  # "pointed out that"
_DAYS = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DAY_NAMES = frozenset(_DAYS.split("|"))
_TIME_NOUNS = frozenset("week month year morning afternoon evening night weekend".split())
# What may follow a sentence-final cue: "…, Warren said on Monday in a statement."
_CIRCUMSTANCES = re.compile(r"(?:\s+(?!\w+\s+\w+ing\b)(?:on|in|at|during|to(?=\s+(?:reporters|journalists|the|a|an|him|"
                            r"her|them|us|me|[A-Z]))|via|from|through|later|earlier|then|again|today|"
                            rf"yesterday|tonight|last|this|{_DAYS})\b(?:\s+(?!that\b|the\s+\w+\s+(?:is|was|would|will)\b)"
                            r"[\w’'.-]+){0,4})*\s*[.!?]?[”\"’]?\s*")
# A second verb sharing the subject: "… and also urged …", ", but pledged …".
_JOINED_ADVERBS = ("also", "then", "later", "again", "repeatedly", "has", "have", "had")
_JOINED_CUE = re.compile(rf",?\s+(?:and|but)\s+(?:(?:{'|'.join(_JOINED_ADVERBS)})\s+)*([a-z]+)\b")
# After a noun-phrase content, a second verb or a clause of the writer's.
_OBJECT_THEN = re.compile(r",\s+but\s+(\w+)|\s+and\s+([\w-]+)|,\s+([a-z]+ed)\b")
# A clause of its own after the content: ", and rights groups warned that …".
_NEXT_CLAUSE = re.compile(r",\s+(?:and|but|while)\s+((?:[\w’'-]+\s+){1,5})")
# After a noun-phrase content: a relative clause or a new clause ("Trump, who …").
_NP_ASIDE = re.compile(r",\s+(?:who|which|whose|he|she|they|it|we|the latest)\b")
# A concession the writer adds after the reported clause.
_CONCESSION = re.compile(r",\s+(?:although|though|even though|whereas)\b")
# A clause, not a noun phrase, after the verb: "that …", "to …", "whether …".
_CLAUSE_START = re.compile(r"(?:that|to|whether|why|how|if|what|who|when|where|as)\b|[“\"]", re.I)
# Where a noun-phrase content stops: before its time, occasion or venue ("… in a
# tweet", "… at a rally", "… since the debate", "… on Friday").
_OBJECT_END = re.compile(rf"\s+(?:since|during|while|earlier|last\s+(?:week|month|year|night)|(?:on\s+)?(?:{_DAYS})|"
                         r"in\s+(?:an?\s+|his\s+|her\s+|their\s+|its\s+)?(?:[\w-]+\s+)?"
                         r"(?:tweets?|speech|interview|statement|remarks|debate|rally|letter|post)\b|"
                         r"at\s+(?:an?|the|last|this|his|her|their)\s+)")
_TIME = ("on", "in", "last", "this", "week", "earlier", "later", "also")


class English(Grammar):
    code = "en"
    joins_broken_quotes = True
    characterisation_is_quote = False
    headings_report = True

    def __init__(self) -> None:
        super().__init__()
        lex = self.lex
        self._subject_nouns = lex.anon_nouns | lex.person_nouns | lex.media_nouns  # "officials", "the poll"
        self._verbs = lex.reporting | INTENTIONS

    def lemma(self, tok: Any) -> str:
        """The word form, lower-cased (the lexicon lists every form)."""
        return tok.lower_

    def is_cue(self, tok: Any, lenient: bool = False) -> bool:
        low = tok.lower_
        if low not in self.lex.reporting and low not in INTENTIONS and low not in PREP_CUES:
            return False
        if tok.i > 0 and tok.text[:1].isupper() and tok.nbor(-1).text not in ('"', "“", "‘", ":", "(", "-", "—") \
                and not _title_case(tok.doc):
            return False  # part of a name: "United States", "the Washington Post"
        i = tok.i - 1
        while i > 0 and tok.doc[i].is_lower and tok.doc[i].lower_.endswith("ly"):
            i -= 1  # "were mistakenly charged": the passive past an adverb
        if i >= 0 and i < tok.i and tok.doc[i].lower_ in _NOT_AFTER and not (
                low.endswith("ing") and tok.doc[i].lower_ in _PROGRESSIVE):
            return False
        if low in PREP_CUES and tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ in PREP_CUES[low] \
                and not lenient:
            return self._named_subject_before(tok)  # "Trump commented on …", "She called for …"
        if low not in self.lex.reporting and low not in INTENTIONS:
            return False
        if low in INTENTIONS:
            # "Clinton wants to …", "He refused to …": only before "to", after a subject
            return tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "to" and self._named_subject_before(tok)
        if low in self.lex.needs_clause and not lenient:
            return self.followed_by_clause(tok) or self._named_subject_before(tok)
        return True

    def _named_subject_before(self, tok: Any) -> bool:
        """'Trump called for …', 'She questioned …', 'Trump is also urging …': a
        name, pronoun or role noun before, past auxiliaries and adverbs."""
        i = tok.i - 1
        while i > 0 and self.between_subject_and_verb(tok.doc[i]):
            i -= 1
        if tok.doc[i].text == ")":  # "Sen. Jane Doe (R-Ohio) is endorsing"
            while i > 0 and tok.doc[i].text != "(":
                i -= 1
            i -= 1
        if i > 0 and tok.doc[i].text == ",":  # "Hillary Clinton, like Obama, has encouraged"
            j = i - 1
            while j > 0 and tok.doc[j].text != "," and i - j < 15:
                j -= 1
            if tok.doc[j].text == "," and j > 0:
                i = j - 1
        if i > 0 and tok.doc[i].lower_ in ("and", "but") and i - 1 == tok.i - 2:
            i = 0  # "X said … and expects …": the sentence's subject
        prev = tok.doc[i] if i >= 0 and i < tok.i else None
        if prev is None:
            return False
        low = prev.lower_
        nouns = self._subject_nouns
        return low in ("he", "she", "they", "we", "i", "who") or low in nouns or low.rstrip("s") in nouns \
            or prev.text[:1].isupper() and prev.text.rstrip(".").isalpha() \
            and (prev.i > 0 or prev.text not in self.lex.stop_caps)

    def between_subject_and_verb(self, tok: Any) -> bool:
        """Also the "be" of a progressive ("Trump is demanding") and the time
        of the act ("Trump on Tuesday dismissed", "the court this month
        rejected")."""
        if super().between_subject_and_verb(tok) or tok.lower_ in _PROGRESSIVE:
            return True
        if tok.text in _DAY_NAMES or tok.is_digit and len(tok.text) == 4 or tok.lower_ in _TIME_NOUNS and tok.i > 0 and \
                tok.nbor(-1).lower_ in ("this", "last", "that", "next", "earlier", "later"):
            return True
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        return nxt is not None and (tok.lower_ == "on" and nxt.text in _DAY_NAMES
                                    or tok.lower_ == "in" and nxt.is_digit and len(nxt.text) == 4
                                    or tok.lower_ in ("this", "last", "that") and nxt.lower_ in _TIME_NOUNS)

    def is_present_participle(self, tok: Any) -> bool:
        """", saying …": "-ing" right after a comma; also a verb joined to the
        one before by "and"/"but" ("Cruz said … and urged …", "but pledged
        to …"), which shares its subject the same way."""
        if tok.lower_.endswith("ing") and tok.i > 0 and tok.nbor(-1).text == ",":
            return True
        i = tok.i - 1
        while i > 0 and tok.doc[i].lower_ in _JOINED_ADVERBS:
            i -= 1
        return i > 0 and tok.doc[i].lower_ in ("and", "but")

    def objects_only(self, lead: str) -> bool:
        """Objects ("reporters", "him"), names and time words ("on Monday")."""
        words = lead.split()[:-1]
        return all(w.lower() in _OBJECTS or w[:1].isupper() or w.lower() in _TIME for w in words)

    def object_end(self, verb: Any, text: str, start: int, end: int, clause: bool = False) -> int:
        """A second verb with the same subject ends the content ("said … and
        urged …").  A verb whose content is a noun phrase ("attacked Machado in a
        tweet", "cited the figure at a forum"): the phrase stops before a
        preposition of time, place or manner, a comma or a conjunction."""
        joined = _JOINED_CUE.search(text, start, end)
        if joined and joined.group(1).lower() in self._verbs \
                and joined.group(1).lower().endswith(("ed", "ing", "aid", "old", "ote", "ought")):
            end = joined.start()  # "said … and urged …": the second verb has its own content
        concession = _CONCESSION.search(text, start, end)
        if concession:
            end = concession.start()  # "claimed that X, although he refused …": the writer's aside
        for other in _NEXT_CLAUSE.finditer(text, start, end):
            if any(w.lower() in self.lex.reporting and w.endswith(("ed", "s", "aid", "old", "ote"))
                   for w in other.group(1).split()):
                end = other.start()  # "X, and rights groups warned that …": another relation
                break
        if clause or verb.lower_ not in OBJECT_VERBS or _CLAUSE_START.match(text, start):
            return end
        aside = _NP_ASIDE.search(text, start, end)
        if aside:
            end = aside.start()  # "endorses Trump, who says …", "his piece, he is ready …"
        cut = _OBJECT_END.search(text, start, end)
        if cut and cut.start() > start and not re.search(r"[“\"]", text[cut.start():end]):
            end = cut.start()  # … but "called his remarks on Saturday “a wake-up call”" keeps its quote
        # "denied the charges and counter-accused her", "deny any links, but critics …"
        for then in _OBJECT_THEN.finditer(text, start, end):
            word = (then.group(1) or then.group(2) or then.group(3)).lower()
            if then.group(0).startswith(",") or word.endswith("ed") or word in self.lex.reporting:
                return then.start()
        return end

    def only_circumstances(self, rest: str) -> bool:
        """"said.", "said on Monday.", "said in a statement.", "said Tuesday on Twitter."."""
        return _CIRCUMSTANCES.fullmatch(rest) is not None

    def is_headline(self, doc: Any) -> bool:
        return _title_case(doc)

    def article_is_not_name(self, word: str) -> bool:
        """"The", "A", "An" open a description, not a name."""
        return word in ("The", "A", "An")


def _title_case(doc: Any) -> bool:
    """A headline in title case ("Trump Urges Supporters to Vote"): its verbs are capitalised too."""
    words = [t for t in doc if t.is_alpha and len(t.text) > 3]
    return len(words) >= 2 and sum(t.text[:1].isupper() for t in words) >= 0.8 * len(words)
