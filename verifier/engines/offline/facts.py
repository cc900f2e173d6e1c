"""A sentence (or a reported clause) split into self-contained facts, with the parse.

``split_facts(text, sent, span)`` cuts the stretch ``span`` of a parsed
sentence into facts.  Each fact has an exact span of the article (its
evidence) and a text made of that span's words, sometimes fewer (the
pieces cut out), sometimes with the subject of its clause put back in
front.  The cuts, each for a pattern of news prose:

* **apposition of a role** after a name, between commas: "Elon Musk, PDG
  de SpaceX et de Tesla, …" gives the fact "Elon Musk, PDG de SpaceX et de
  Tesla" and the clause reads "… Elon Musk …";
* **subject relative** after a comma, which adds a fact about its
  antecedent: "… Xi Jinping, qui revendique le contrôle de Taiwan" gives
  "Xi Jinping revendique le contrôle de Taiwan";
* **participle** after a comma, qualifying a noun: "des conversations
  entre Musk et Poutine, portant sur des sujets personnels", "Santiago,
  située à 325 km de l'épicentre" are facts of their own;
* **subordinate clause** with its own subject after a conjunction of
  contrast, time or cause ("tandis que", "alors que", "lorsque", "car"):
  "…, tandis que SpaceX joue un rôle clé" gives "SpaceX joue un rôle clé";
* **coordinated clauses**: "Musk se rapproche de Trump et s'implique dans
  sa campagne" gives "Musk se rapproche de Trump" and "Musk s'implique dans
  sa campagne" (the subject is repeated when the second verb has none);
  "30 personnes ont été tuées et plus de 3.000 autres blessées" gives one
  fact per number.

Without a parse (English) the stretch is one fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from verifier.engines.offline.parsed import Sentence

MIN_WORDS = 4          # a shorter piece is no fact of its own: it stays in its clause
MAX_APPOSITION = 12    # tokens of a role between commas
MAX_ANTECEDENT = 8     # tokens of the noun phrase a relative or a participle is about
MAX_SUBJECT = 12       # tokens of a subject repeated before a coordinated verb
# words that may stand between "et" and a coordinated verb that shares the first one's subject
_BEFORE_VERB = frozenset("ne n' n’ pas plus jamais également aussi déjà ensuite".split())
_NAME = ("PROPN",)
# conjunctions opening a clause that states a fact of its own (contrast, time, cause)
SUBORDINATORS = (("tandis", "que"), ("alors", "que"), ("parce", "que"), ("puisque",), ("car",),
                 ("lorsque",), ("lorsqu’",), ("lorsqu'",), ("quand",), ("whereas",), ("while",), ("because",))
_VERBS = ("VERB", "AUX")


def _predicate(tok: Any) -> bool:
    """A verb, or a noun or adjective with its copula ("SpaceX est un contractant")."""
    return tok.pos_ in _VERBS or any(c.dep_ == "cop" for c in tok.children)


@dataclass(frozen=True)
class Fact:
    span: tuple[int, int]   # the evidence: exact offsets into the article
    text: str               # what the fact says: the span's words, or fewer, or its clause's subject + them
    kind: str               # clause | coordinated | apposition | relative | participle
    scope: tuple[int, int]  # where its modality is read (its own clause)


def split_facts(text: str, sent: Sentence, span: tuple[int, int]) -> list[Fact]:
    whole = Fact(span, text[span[0]:span[1]], "clause", span)
    if not sent.parsed:
        return [whole]
    toks = [t for t in sent.doc if span[0] <= sent.tok_start(t) and sent.tok_end(t) <= span[1]]
    if len(toks) < 2 * MIN_WORDS:
        return [whole]
    s = _Split(sent, toks)
    facts = s.cuts()
    facts += s.clauses()
    if len(facts) == 1 and facts[0].kind == "clause" and facts[0].text == " ".join(whole.text.split()).rstrip(" .;"):
        return [whole]  # nothing split off: the stretch as written
    return sorted(facts, key=lambda f: f.span) or [whole]


class _Split:
    def __init__(self, sent: Sentence, toks: list[Any]):
        self.sent, self.doc = sent, sent.doc
        self.lo, self.hi = toks[0].i, toks[-1].i
        while self.hi > self.lo and self.doc[self.hi].is_punct and self.doc[self.hi].text not in "»”\")":
            self.hi -= 1  # the final full stop belongs to no fact
        self.cut: set[int] = set()  # token indices cut out of the main clause
        self.cut_facts: list[Fact] = []

    # ------------------------------------------------------------------
    def _span(self, a: int, b: int) -> tuple[int, int]:
        return self.sent.tok_start(self.doc[a]), self.sent.tok_end(self.doc[b])

    def _words(self, idx: list[int]) -> str:
        # a space where tokens were cut out between two kept ones ("Elon Musk d’avoir")
        out = "".join(self.doc[i].text + (self.doc[i].whitespace_ if k + 1 == len(idx) or idx[k + 1] == i + 1
                                          else " ") for k, i in enumerate(idx))
        out = " ".join(out.split())
        for p in (",", "."):
            out = out.replace(f" {p}", p)
        return out.strip(" ,;:")

    def _inside(self, i: int) -> bool:
        return self.lo <= i <= self.hi

    def _comma(self, i: int) -> bool:
        return self._inside(i) and self.doc[i].text == ","

    def _name_start(self, end: int) -> int | None:
        """The first token of the name ending at ``end`` ("Elon Musk", "Xi Jinping")."""
        tok = self.doc[end]
        if tok.pos_ not in _NAME and tok.dep_ != "flat:name":
            return None
        i = end
        while i - 1 >= self.lo and (self.doc[i - 1].pos_ in _NAME or self.doc[i].dep_ == "flat:name"):
            i -= 1
        return i

    def _add_cut(self, a: int, b: int, fact: Fact) -> None:
        if any(i in self.cut for i in range(a, b + 1)):
            return  # overlaps a cut already made
        self.cut.update(range(a, b + 1))
        self.cut_facts.append(fact)

    def _closing(self, end: int) -> int:
        """``end`` and the comma closing the cut piece after it, if any."""
        return end + 1 if self._comma(end + 1) else end

    # ------------------------------------------------------------------
    def cuts(self) -> list[Fact]:
        for tok in self.doc[self.lo:self.hi + 1]:
            if tok.text == "," and tok.i > self.lo:
                self._apposition(tok.i)
                self._relative(tok.i)
                self._participle(tok.i)
            self._subordinate(tok.i)
        return self.cut_facts

    def _subordinate(self, i: int) -> None:
        # "…, tandis que SpaceX joue un rôle clé", "alors que Musk se rapproche de Trump", ", car SpaceX est …":
        # a clause with its own subject after a conjunction of contrast, time or cause
        words = tuple(t.lower_ for t in self.doc[i:min(i + 2, self.hi + 1)])
        size = next((len(m) for m in SUBORDINATORS if words[:len(m)] == m), 0)
        if not size or i + size > self.hi:
            return
        last = i + size - 1
        verb = next((t.head for t in self.doc[i:last + 1] if t.head.i > last), None)
        if verb is None or not _predicate(verb) or not any(c.dep_.startswith("nsubj") for c in verb.children):
            return
        end = min(max(t.i for t in verb.subtree), self.hi)
        first = i + size
        if end - first < MIN_WORDS - 1 or i - self.lo < MIN_WORDS - 1:
            return
        self._add_cut(i - 1 if self._comma(i - 1) else i, end,
                      Fact(self._span(first, end), self._words(list(range(first, end + 1))), "subordinate",
                           self._span(first, end)))

    def _apposition(self, comma: int) -> None:
        # "Elon Musk, PDG de SpaceX et de Tesla,": a role (a noun phrase, no verb) after a name
        start = self._name_start(comma - 1)
        if start is None:
            return
        end = comma + 1
        while end <= self.hi and self.doc[end].text not in ",;:" and end - comma <= MAX_APPOSITION:
            end += 1
        if end - comma > MAX_APPOSITION or (end <= self.hi and self.doc[end].text != ","):
            return
        seg = list(self.doc[comma + 1:end])
        heads = [t for t in seg if not comma < t.head.i < end]
        if self.doc[comma - 1].dep_ == "conj" or any(t.dep_ == "conj" for t in heads):
            return  # an item of an enumeration ("les bâtiments de l'ONU, le palais présidentiel, des hôtels")
        if len(seg) < 2 or seg[0].pos_ not in ("DET", "NOUN", "ADJ") or not any(t.pos_ == "NOUN" for t in seg) \
                or any(t.pos_ in _VERBS or "Rel" in t.morph.get("PronType") for t in seg):
            return
        self._add_cut(comma, self._closing(end - 1),
                      Fact(self._span(start, end - 1), self._words(list(range(start, end))), "apposition",
                           self._span(start, end - 1)))

    def _antecedent(self, comma: int, head: Any) -> int:
        start = self._name_start(comma - 1)
        if start is not None:
            noun = self.doc[start].head  # "L'hôtel Montana, qui …": the name with the noun it names (not a role: "au chef d'Etat Xi Jinping")
            if noun.pos_ == "NOUN" and noun.i < start and self.doc[start].dep_ in ("nmod", "flat:name") \
                    and start - noun.left_edge.i <= MAX_ANTECEDENT:
                start = noun.left_edge.i
        else:
            start = head.left_edge.i
        start = max(start, comma - MAX_ANTECEDENT, self.lo)
        while start < comma - 1 and self.doc[start].pos_ == "ADP":
            start += 1  # "au chef d'Etat chinois Xi Jinping": not the preposition
        return start

    def _relative(self, comma: int) -> None:
        # ", qui revendique le contrôle de Taiwan": a fact about the antecedent
        rel = self.doc[comma + 1] if comma + 1 <= self.hi else None
        if rel is None or rel.lower_ != "qui" or "Rel" not in rel.morph.get("PronType"):
            return
        verb = rel.head
        end = min(max(t.i for t in verb.subtree), self.hi)
        if end - rel.i < MIN_WORDS - 1 or verb.i < rel.i:
            return
        start = self._antecedent(comma, verb.head if verb.dep_.startswith("acl") else self.doc[comma - 1])
        ante = list(range(start, comma))
        if not ante:
            return
        words = self._words(ante) + " " + self._words(list(range(rel.i + 1, end + 1)))
        self._add_cut(comma, self._closing(end), Fact(self._span(start, end), words, "relative",
                                                      self._span(rel.i, end)))

    def _participle(self, comma: int) -> None:
        # ", portant sur des sujets personnels", "Santiago, située à 325 km de l'épicentre":
        # a participle qualifying the noun before the comma
        verb = self.doc[comma + 1] if comma + 1 <= self.hi else None
        if verb is None or verb.pos_ != "VERB" or verb.dep_ != "acl" or "Part" not in verb.morph.get("VerbForm") \
                or verb.head.i >= comma:
            return
        end = min(max(t.i for t in verb.subtree), self.hi)
        if end - verb.i < MIN_WORDS - 1:
            return
        start = self._antecedent(comma, verb.head)
        self._add_cut(comma, self._closing(end), Fact(self._span(start, end), self._words(list(range(start, end + 1))),
                                                      "participle", self._span(verb.i, end)))

    # ------------------------------------------------------------------
    def clauses(self) -> list[Fact]:
        """The main clause without the cuts, split at coordinations of clauses."""
        ccs = [c for c in self.doc[self.lo:self.hi + 1] if self._splits(c)]
        bounds = [self.lo - 1] + [c.i for c in ccs] + [self.hi + 1]
        parts = [([i for i in range(a + 1, b) if i not in self.cut], self.doc[a] if k else None)
                 for k, (a, b) in enumerate(zip(bounds, bounds[1:]))]
        parts = [(p, cc) for p, cc in parts if p]
        out: list[Fact] = []
        for k, (part, cc) in enumerate(parts):
            while part and self.doc[part[-1]].text in ",;":
                part = part[:-1]
            if not part:
                continue
            words = self._words(part)
            if len(words.split()) < MIN_WORDS and len(parts) == 1:
                continue
            if not any(self.doc[i].pos_ in _VERBS for i in part) and self._covered(part):
                continue  # "des conversations entre Musk et Poutine" is already in its participle's fact
            span = self._span(part[0], part[-1])
            subject = self._subject(cc.head) if cc is not None else []
            if subject:
                words = self._words(subject) + " " + words
            out.append(Fact(span, words, "coordinated" if len(parts) > 1 else "clause",
                            self._span(self.lo, part[-1]) if k else span))
        return out

    def _splits(self, cc: Any) -> bool:
        """A coordination of clauses: "et"/"mais" before a verb coordinated
        with a verb, or before a number's own clause ("et plus de 3.000
        autres blessées")."""
        if cc.pos_ != "CCONJ" or cc.i in self.cut or cc.i == self.lo:
            return False
        conj = cc.head
        if conj.dep_ != "conj" or conj.i <= cc.i or conj.head.i >= cc.i or not _predicate(conj.head) \
                or conj.head.i in self.cut or not self._inside(conj.head.i):
            return False
        if not _predicate(conj) and not any(t.pos_ == "NUM" for t in conj.children):
            return False
        right = [t for t in conj.subtree if t.i > cc.i and t.i not in self.cut]
        left = [i for i in range(self.lo, cc.i) if i not in self.cut]
        return len(right) >= MIN_WORDS - 1 and len(left) >= MIN_WORDS - 1

    def _subject(self, conj: Any) -> list[int]:
        """The subject a coordinated finite verb without one shares with the
        verb it is coordinated with ("Musk se rapproche … et s'implique")."""
        finite = [conj] + [c for c in conj.children if c.dep_.startswith("aux")]
        if conj.pos_ not in _VERBS or not any("Fin" in t.morph.get("VerbForm") for t in finite) \
                or any(c.dep_.startswith("nsubj") for c in conj.children):
            return []
        cc = next((c for c in conj.children if c.dep_ == "cc"), None)
        between = self.doc[cc.i + 1:conj.i] if cc is not None else []
        if any(t.pos_ not in ("AUX", "PRON") and t.lower_ not in _BEFORE_VERB for t in between) \
                or any(t.pos_ == "PRON" and not (t.dep_.startswith("expl") or t.dep_ in ("obj", "iobj")) for t in between):
            return []  # "car beaucoup ont perdu …": the clause has a subject of its own the parser missed
        for tok in conj.head.children:
            if tok.dep_.startswith("nsubj") and tok.pos_ != "PRON" and tok.i < conj.head.i:
                sub = [t.i for t in tok.subtree if t.i not in self.cut]
                return sub if len(sub) <= MAX_SUBJECT else []
        return []

    def _covered(self, part: list[int]) -> bool:
        a, b = self._span(part[0], part[-1])
        return any(f.span[0] <= a and b <= f.span[1] for f in self.cut_facts)
