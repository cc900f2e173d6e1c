"""Score the offline engine's who-said-what against gold attributions.

Two gold sets:

* ``fr``: the two seed articles, hand-annotated in
  ``tests/gold/seed_attributions.json`` (guidelines inside the file);
* ``en``: the PolNeAR sample in ``../shared/eval/polnear_en/`` (25 English
  political news articles, 665 relations), read at run time and never
  copied into this repository (no licence is stated).  Use ``--polnear`` to
  point elsewhere; the English row is skipped when it is absent.

Matching (one-to-one, greedy: pairs with the right
speaker first, then by overlap): a predicted attribution matches a
gold one when their content spans overlap by at least 30 % of the gold span
and at least 30 % of the predicted span (so a whole-paragraph guess does
not match everything inside it).

* precision = matches / predicted, recall = matches / gold, F1;
* speaker accuracy, over matches whose gold relation has a source: the
  predicted speaker is right when its mention overlaps the gold source span,
  or when its resolved name shares a word with the gold source text (seed
  gold: with the gold speaker or one of its aliases);
* denial accuracy, over matches: predicted ``is_denial`` equals gold.  The
  seed gold marks denials by hand; PolNeAR has no denial attribute, so a
  gold relation counts as a denial when its cue matches
  deny|denied|denies|denying|reject*|refut*|dismiss* (a proxy; see the
  PolNeAR README).

Usage, from the project root: python -m bench.eval_attributions [--polnear DIR] [--details]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from verifier.engines.offline.attributions import Found, extract
from verifier.engines.offline.parsed import sentences_of

ROOT = Path(__file__).resolve().parents[1]

OVERLAP = 0.30
DENIAL_CUE = re.compile(r"\b(deny|denied|denies|denying|reject\w*|refut\w*|dismiss\w*)\b", re.I)
_STOP = set("le la les l un une des du de d the a an of and et selon according to".split())


@dataclass
class Gold:
    content: set[int]
    source_span: tuple[int, int] | None
    names: list[str]
    is_denial: bool
    form: str | None = None          # how the event is written (frnews sets: "quote-inverted", "selon", ...)
    speaker_form: str | None = None  # how its speaker is mentioned ("name", "pronoun", "description", ...)


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_total: int = 0
    speaker_ok: int = 0
    denial_ok: int = 0
    gold_denials: int = 0
    found_denials: int = 0
    misses: list[str] = field(default_factory=list)
    by_form: dict[str, list[int]] = field(default_factory=dict)          # form -> [gold, matched]
    by_speaker_form: dict[str, list[int]] = field(default_factory=dict)  # speaker form -> [matched, right]

    def classes(self) -> list[str]:
        """Recall by form and speaker accuracy by speaker form (sets that label them)."""
        rows = ["      recall by form: " + ", ".join(f"{k} {m}/{n}" for k, (n, m) in sorted(self.by_form.items()))]
        rows.append("      speaker right by mention: " + ", ".join(
            f"{k} {r}/{m}" for k, (m, r) in sorted(self.by_speaker_form.items())))
        return rows if self.by_form else []

    def row(self, name: str) -> str:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        spk = self.speaker_ok / self.speaker_total if self.speaker_total else 0.0
        den = self.denial_ok / self.matched if self.matched else 0.0
        return (f"{name:4} {self.gold:5} {self.predicted:5} {self.matched:5}  {p:6.3f} {r:6.3f} {f1:6.3f}"
                f"   {spk:6.3f} ({self.speaker_ok}/{self.speaker_total})"
                f"   {den:6.3f}   {self.found_denials}/{self.gold_denials}")


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if w not in _STOP and len(w) > 1}


def score_doc(text: str, lang: str, gold: list[Gold], score: Score, details: bool) -> None:
    found = extract(text, lang, sentences_of(text, lang))
    score.gold += len(gold)
    score.predicted += len(found)
    score.gold_denials += sum(g.is_denial for g in gold)
    pairs = []
    for gi, g in enumerate(gold):
        for pi, f in enumerate(found):
            pred = set(range(*f.content))
            inter = len(pred & g.content)
            if inter >= OVERLAP * len(g.content) and inter >= OVERLAP * len(pred):
                pairs.append((speaker_ok(text, g, f), inter, gi, pi))
    used_g, used_p = set(), set()
    for g in gold:
        if g.form:
            score.by_form.setdefault(g.form, [0, 0])[0] += 1
    # best pairs first: right speaker, then larger overlap (two gold relations
    # may share a content: "selon X" and the sources X cites)
    for _, _, gi, pi in sorted(pairs, reverse=True):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        g, f = gold[gi], found[pi]
        score.matched += 1
        score.denial_ok += g.is_denial == f.is_denial
        score.found_denials += g.is_denial and f.is_denial
        if g.form:
            score.by_form[g.form][1] += 1
        if g.source_span or g.names:
            score.speaker_total += 1
            ok = speaker_ok(text, g, f)
            score.speaker_ok += ok
            if g.speaker_form:
                tally = score.by_speaker_form.setdefault(g.speaker_form, [0, 0])
                tally[0] += 1
                tally[1] += ok
            if details and not ok:
                score.misses.append(f"speaker: {f.speaker.name!r} vs {g.names[:1]}")
    if details:
        for gi, g in enumerate(gold):
            if gi not in used_g:
                span = sorted(g.content)
                score.misses.append(f"missed: {text[span[0]:span[-1] + 1][:90]!r}")
        for pi, f in enumerate(found):
            if pi not in used_p:
                score.misses.append(f"extra: {f.speaker.name!r} {text[f.content[0]:f.content[1]][:80]!r}")


def speaker_ok(text: str, g: Gold, f: Found) -> bool:
    if g.source_span and f.speaker_span and f.speaker_span[0] < g.source_span[1] and g.source_span[0] < f.speaker_span[1]:
        return True
    predicted = words(f.speaker.name)
    return any(predicted & words(name) for name in g.names)


def seed_gold(path: Path) -> list[tuple[str, list[Gold]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = []
    for name, relations in data["articles"].items():
        text = (ROOT / "fixtures" / "articles" / name).read_text(encoding="utf-8")
        gold = []
        for r in relations:
            start = text.index(r["content"])
            gold.append(Gold(set(range(start, start + len(r["content"]))), None,
                             [r["speaker"], *r.get("speaker_aliases", [])], bool(r["is_denial"])))
        docs.append((text, gold))
    return docs


FORMS = ROOT / "bench" / "frnews_dev_forms.json"  # forms of ../shared/eval/frnews_dev's events, by id


def frnews_gold(directory: Path) -> list[tuple[str, list[Gold]]]:
    """A set in the frnews format: ``gold.json`` (``articles`` by id with their
    ``file``, ``attributions`` by id) beside the texts; evidence is an exact
    substring of its article (the first occurrence is taken).  An article
    whose text is not there (``local/`` texts a licence keeps out of the
    repository) is skipped with a note.  Events may carry ``form`` and
    ``speaker_form``; those of the shared set are labelled in ``FORMS``."""
    data = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    forms = json.loads(FORMS.read_text(encoding="utf-8"))["events"] if FORMS.exists() else {}
    docs = []
    for key, meta in data["articles"].items():
        path = directory / meta.get("file", f"{key}.txt")
        if not path.exists():
            print(f"{directory.name}/{key}: text not here ({path.relative_to(directory)}): skipped", file=sys.stderr)
            continue
        text = path.read_text(encoding="utf-8")
        gold = []
        for event in data["attributions"].get(key, []):
            start = text.find(event["evidence"])
            if start < 0:
                raise SystemExit(f"{directory.name}/{key}: evidence not in text: {event['evidence'][:60]!r}")
            names = event["speaker"] if isinstance(event["speaker"], list) else [event["speaker"]]
            label = {**forms.get(event.get("id", ""), {}), **event}
            gold.append(Gold(set(range(start, start + len(event["evidence"]))), None, names, bool(event["denial"]),
                             label.get("form"), label.get("speaker_form")))
        docs.append((text, gold))
    return docs


def polnear_gold(directory: Path) -> list[tuple[str, list[Gold]]]:
    docs = []
    for line in (directory / "polnear_dev_sample25.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        gold = []
        for rel in record["attributions"]:
            content = {i for segs in rel["content"] for s in segs for i in range(s["start"], s["end"])}
            if not content:
                continue
            source = rel.get("source") or []
            span = (min(s["start"] for s in source), max(s["end"] for s in source)) if source else None
            cue = " ".join(c["text"] for c in rel.get("cue") or [])
            gold.append(Gold(content, span, [s["text"] for s in source], bool(DENIAL_CUE.search(cue))))
        docs.append((record["text"], gold))
    return docs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "eval" / "polnear_en")
    parser.add_argument("--frnews", type=Path, action="append", default=None,
                        help="A French set in the frnews format (gold.json + texts); repeatable. "
                             "Default: ../shared/eval/frnews_dev and bench/frnews (when present).")
    parser.add_argument("--details", action="store_true", help="List misses and extras.")
    args = parser.parse_args()

    sets = [("fr", "seed gold (tests/gold)", seed_gold(ROOT / "tests" / "gold" / "seed_attributions.json"))]
    for directory in args.frnews or [ROOT.parent / "shared" / "eval" / "frnews_dev", ROOT / "bench" / "frnews"]:
        if (directory / "gold.json").exists():
            sets.append(("fr", f"frnews set ({directory})", frnews_gold(directory)))
        elif args.frnews:
            raise SystemExit(f"no gold.json in {directory}")
    if (args.polnear / "polnear_dev_sample25.jsonl").exists():
        sets.append(("en", f"PolNeAR dev sample ({args.polnear})", polnear_gold(args.polnear)))
    else:
        print(f"PolNeAR not found at {args.polnear}: English row skipped", file=sys.stderr)

    print(f"content overlap >= {OVERLAP:.0%} of both spans; one-to-one greedy matching\n")
    print("lang  gold  pred match  prec   rec    F1      speaker acc          denial acc  denials found")
    for lang, label, docs in sets:
        score = Score()
        started = time.perf_counter()
        for text, gold in docs:
            score_doc(text, lang, gold, score, args.details)
        print(score.row(lang) + f"   [{len(docs)} articles, {label}, {time.perf_counter() - started:.1f} s]")
        for row in score.classes():
            print(row)
        for miss in score.misses:
            print("    " + miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
