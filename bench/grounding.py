"""Measure grounding against fabricated answers: faithful items kept, altered quotes and paraphrases caught.

A loopback OpenAI-compatible server answers each request with a draft fabricated from the request's
own article (``tests/helpers/fabricator.py``): ``faithful``, ``altered_quote`` (one fact changed inside
a quote) or ``altered_paraphrase`` (one fact changed in a claim text, summary sentence, indirect
content or speaker).  Each article goes through the library pipeline (``analyze`` with the llm engine,
no cache), and the ledger of the fabricator says which items were altered and how.  Corpora, read at
run time from ``../shared`` and never copied into the repository:

* fr: the two seeds (``fixtures/articles``) and ``../shared/eval/frnews_dev/*.txt``;
* en: the SummEdits news documents and the PolNeAR dev sample's article texts.

Extra sections: (i) SummEdits: each of the 84 summaries as one summary sentence citing the one or two
article sentences most like it; consistent ones flagged, inconsistent ones caught, per edit type.
(ii) DACCORD: article = the premise, claim text = the hypothesis, evidence = the premise;
contradictions caught, compatible pairs flagged.  (iii) the offline engine on the same texts: items
flagged by grounding (each printed with its reasons).  (iv) timing: an offline ``claims`` analysis of
one seed, and the share of it that grounding takes (and locating alone).

Usage, from the project root: python -m bench.grounding [--quick] [--shared DIR] [--seed N] [--details]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

from tests.helpers.fabricator import MODES, Fabricator, sentences
from tests.helpers.loopback import LoopbackServer, ok

ROOT = Path(__file__).resolve().parents[1]
SEEDS = [ROOT / "fixtures" / "articles" / name for name in ("000_7a43b438991ae711.txt", "001_0ae1607b2b57d138.txt")]


# -- corpora -------------------------------------------------------------------------------------------


def load_corpora(shared: Path, quick: bool) -> dict[str, list[tuple[str, str]]]:
    fr = [(p.name, p.read_text("utf-8")) for p in SEEDS]
    fr += [(f"frnews/{p.name}", p.read_text("utf-8")) for p in sorted((shared / "eval" / "frnews_dev").glob("*.txt"))]
    en = [(f"summedits/{r['doc_id'][:8]}", r["doc"]) for r in _jsonl(shared / "eval" / "summedits_news_en" /
                                                                      "summedits_news_docs3.jsonl")]
    en += [(f"polnear/{r['doc_id'][:30]}", r["text"]) for r in _jsonl(shared / "eval" / "polnear_en" /
                                                                       "polnear_dev_sample25.jsonl")]
    if quick:
        fr, en = fr[:5], en[:6]
    return {"fr": fr, "en": en}


def _jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


# -- the pipeline against the loopback server -----------------------------------------------------------


class Switch:
    """The loopback responder: whatever ``current`` answers (a Fabricator, or a fixed draft)."""

    def __init__(self):
        self.current = None

    def __call__(self, body, headers):
        return self.current(body, headers)

    def fixed(self, draft: dict) -> None:
        self.current = lambda body, headers: ok(json.dumps(draft, ensure_ascii=False))


def _status(item) -> str:
    return item.grounding.status


def _reasons(item) -> list[tuple[str, str]]:
    return [(r.kind, r.message) for r in item.grounding.reasons]


def _differences(spans) -> set[str]:
    return {d.kind for s in spans if s is not None for d in s.differences}


def _items(analysis) -> dict[str, list]:
    return {"claims": analysis.claims, "attributions": analysis.attributions, "summary": analysis.summary}


def _spans(item, list_name: str) -> list:
    if list_name == "claims":
        return item.evidence
    if list_name == "summary":
        return item.citations
    return [item.evidence, item.content_span]


class Tally:
    """Counts per (language, mode, kind): items, not grounded, reported with the right status and kind."""

    def __init__(self):
        self.n, self.flagged, self.right = Counter(), Counter(), Counter()
        self.examples: dict[tuple, list[str]] = defaultdict(list)

    def add(self, key: tuple, flagged: bool, right: bool, example: str) -> None:
        self.n[key] += 1
        self.flagged[key] += flagged
        self.right[key] += right
        if example:
            self.examples[key].append(example)


def run_modes(corpora, switch: Switch, engine, seed: int) -> Tally:
    from verifier.analysis import AnalyzeOptions, analyze
    from verifier.ingest.article import article_from_text

    tally = Tally()
    for mode in MODES:
        fabricator = Fabricator(mode, seed=seed)
        switch.current = fabricator
        for language, texts in corpora.items():
            for name, text in texts:
                article = article_from_text(text, name, language)
                analysis = analyze(article, engine, AnalyzeOptions(use_cache=False))
                items = _items(analysis)
                for entry in fabricator.entries(article.text):
                    item = items[entry["list"]][entry["index"]]
                    flagged, status = not item.grounded, _status(item)
                    what = f"{name} {entry['list']}[{entry['index']}]"
                    if not entry["altered"]:
                        key = (language, mode, "unaltered")
                        example = (f"{what}: {status} {_reasons(item)[:2]}"
                                   f" | {getattr(item, 'text', getattr(item, 'content', ''))[:100]!r}" if flagged else "")
                        tally.add(key, flagged, not flagged, example)
                        continue
                    kinds = (_differences(_spans(item, entry["list"])) if mode == "altered_quote"
                             else {k for k, _ in _reasons(item)})
                    want = "altered" if mode == "altered_quote" else "unsupported"
                    right = flagged and status == want and bool(kinds & set(entry["accept"]))
                    example = "" if flagged else (f"{what}: {entry['field']} {entry['article_value']!r} -> "
                                                  f"{entry['engine_value']!r} in {entry['engine_text'][:110]!r}")
                    tally.add((language, mode, entry["kind"]), flagged, right, example)
    return tally


def _pct(a: int, b: int) -> str:
    return f"{a:4}/{b:<4} {100 * a / b:5.1f}%" if b else f"{a:4}/{b:<4}    - "


def print_modes(tally: Tally, details: bool) -> None:
    print("1. fabricated answers (llm engine through the loopback server)")
    print(f"   {'lang':4} {'mode':19} {'change':9} {'not grounded':>16}   {'right status+kind':>17}")
    for language in ("fr", "en"):
        for mode in MODES:
            keys = sorted(k for k in tally.n if k[0] == language and k[1] == mode)
            keys.sort(key=lambda k: k[2] != "unaltered")
            for key in keys:
                label = "faithful" if key[2] == "unaltered" else key[2]
                note = "  (flagged: should be 0)" if key[2] == "unaltered" else ""
                right = "" if key[2] == "unaltered" else _pct(tally.right[key], tally.n[key])
                print(f"   {language:4} {mode:19} {label:9} {_pct(tally.flagged[key], tally.n[key]):>16}   "
                      f"{right:>17}{note}")
            altered = [k for k in keys if k[2] != "unaltered"]
            if altered:
                n = sum(tally.n[k] for k in altered)
                print(f"   {language:4} {mode:19} {'all':9} {_pct(sum(tally.flagged[k] for k in altered), n):>16}   "
                      f"{_pct(sum(tally.right[k] for k in altered), n):>17}")
    limit = None if details else 3
    for key, examples in sorted(tally.examples.items()):
        what = "flagged faithful" if key[2] == "unaltered" else "missed"
        print(f"   {what} {'/'.join(key)}: {len(examples)}")
        for example in examples[:limit]:
            print(f"      {example}")


# -- SummEdits and DACCORD ------------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w{3,}", text.lower())}


def nearest_sentences(doc: str, summary: str) -> list[str]:
    """The one or two article sentences sharing most words with ``summary`` (verbatim)."""
    words = _words(summary)
    scored = sorted(((len(words & _words(s.text)) / (len(words | _words(s.text)) or 1), s.n, s.text)
                     for s in sentences(doc) if len(s.text) >= 20), reverse=True)
    if not scored:
        return [doc[:200]]
    best = [scored[0]]
    if len(scored) > 1 and scored[1][0] >= 0.5 * scored[0][0]:
        best.append(scored[1])
    return [text for _, _, text in sorted(best, key=lambda t: t[1])]


def run_summedits(shared: Path, switch: Switch, engine, quick: bool) -> None:
    from verifier.analysis import AnalyzeOptions, analyze
    from verifier.ingest.article import article_from_text

    base = shared / "eval" / "summedits_news_en"
    docs = {r["doc_id"]: r["doc"] for r in _jsonl(base / "summedits_news_docs3.jsonl")}
    items = _jsonl(base / "summedits_news_items.jsonl")
    if quick:
        items = items[::4]
    print(f"\n2. SummEdits ({len(items)} summaries; summary sentence = the item's summary, citations = the 1-2 "
          "most similar article sentences)")
    if not items:
        print("   (not found)")
        return
    n, hit = Counter(), Counter()
    for item in items:
        doc = docs[item["doc_id"]]
        switch.fixed({"language": "en", "claims": [], "attributions": [],
                      "summary": [{"text": item["summary"], "citations": nearest_sentences(doc, item["summary"])}]})
        sentence = analyze(article_from_text(doc, item["id"], "en"), engine, AnalyzeOptions(use_cache=False)).summary[0]
        flagged = not sentence.grounded
        label = "consistent" if item["label"] == 1 else "inconsistent"
        for edit in (item["edit_types"] or ["(none)"]):
            n[(label, edit)] += 1
            hit[(label, edit)] += flagged
        n[(label, "all")] += 1
        hit[(label, "all")] += flagged
    print(f"   {'label':13} {'edit type':32} {'not grounded':>16}")
    for key in sorted(n, key=lambda k: (k[0], k[1] != "all", k[1])):
        what = "  (flagged: should be 0)" if key[0] == "consistent" and key[1] == "all" else \
            "  (caught)" if key[1] == "all" else ""
        print(f"   {key[0]:13} {key[1]:32} {_pct(hit[key], n[key]):>16}{what}")


def run_daccord(shared: Path, switch: Switch, engine, quick: bool) -> None:
    from verifier.analysis import AnalyzeOptions, analyze
    from verifier.ingest.article import article_from_text

    pairs = _jsonl(shared / "eval" / "daccord_fr" / "daccord_sample100.jsonl")
    if quick:
        pairs = pairs[::3]
    print(f"\n3. DACCORD ({len(pairs)} pairs; article = premise, claim = hypothesis, evidence = premise)")
    if not pairs:
        print("   (not found)")
        return
    n, hit, reasons = Counter(), Counter(), Counter()
    for pair in pairs:
        premise = " ".join(pair["premise"].split())
        switch.fixed({"language": "fr", "claims": [{"text": pair["hypothesis"].strip(), "modality": "asserted",
                                                    "speaker": None, "evidence": [premise]}],
                      "attributions": [], "summary": []})
        claim = analyze(article_from_text(premise, pair["id"], "fr"), engine, AnalyzeOptions(use_cache=False)).claims[0]
        label = "contradiction" if str(pair["label"]) == "1" else "compatible"
        n[label] += 1
        hit[label] += not claim.grounded
        if not claim.grounded:
            reasons.update((label, k) for k, _ in _reasons(claim))
    print(f"   contradictions caught   {_pct(hit['contradiction'], n['contradiction'])}")
    print(f"   compatible flagged      {_pct(hit['compatible'], n['compatible'])}")
    for (label, kind), count in sorted(reasons.items()):
        print(f"      {label:13} reason {kind:10} {count}")


# -- the offline engine -----------------------------------------------------------------------------------


def run_offline(corpora, details: bool) -> None:
    from verifier.analysis import AnalyzeOptions, analyze
    from verifier.engines import make_engine
    from verifier.ingest.article import article_from_text

    engine = make_engine("offline")
    print("\n4. the offline engine: items flagged by grounding (should be 0)")
    for language, texts in corpora.items():
        n = flagged = 0
        lines = []
        for name, text in texts:
            analysis = analyze(article_from_text(text, name, language), engine, AnalyzeOptions(use_cache=False))
            for list_name, items in _items(analysis).items():
                for i, item in enumerate(items):
                    n += 1
                    if not item.grounded:
                        flagged += 1
                        words = getattr(item, "text", None) or getattr(item, "content", "")
                        lines.append(f"      {name} {list_name}[{i}] {_status(item)}: {words[:90]!r}")
                        lines += [f"         {kind}: {message[:160]}" for kind, message in _reasons(item)]
        print(f"   {language}: {_pct(flagged, n)} items flagged ({len(texts)} articles)")
        print("\n".join(lines if details else lines[:60]))


def run_timing(repeat: int) -> None:
    from verifier.analysis import AnalyzeOptions, analyze, grounding
    from verifier.analysis.locate import Grounder
    from verifier.engines import make_engine
    from verifier.ingest.article import read_article

    engine = make_engine("offline")
    article = read_article(str(SEEDS[0]))
    analyze(article, engine, AnalyzeOptions(use_cache=False))  # warm-up: the spaCy pipeline
    draft = engine.analyze(article, None).draft
    args = (draft, article.text, article.language)

    def locate_only():
        g = Grounder(article.text)
        for c in draft.claims:
            g.locate_all(c.evidence, c.text, None)
        for a in draft.attributions:
            g.locate(a.evidence, a.content, None)
            if a.kind.value == "direct":
                g.locate(a.content, a.evidence, None)
        for s in draft.summary:
            g.locate_all(s.citations, s.text, None)

    def best(fn) -> float:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    total = best(lambda: analyze(article, engine, AnalyzeOptions(use_cache=False)))
    grounded = best(lambda: grounding.ground(*args))
    located = best(locate_only)
    quotes = (sum(len(c.evidence) for c in draft.claims) + sum(1 + (a.kind.value == "direct") for a in draft.attributions)
              + sum(len(s.citations) for s in draft.summary))
    print(f"\n5. timing: offline claims analysis of {SEEDS[0].name} ({len(article.text)} chars, {quotes} quotes; "
          f"median of {repeat})")
    print(f"   whole analysis          {total * 1000:8.1f} ms")
    print(f"   ground() (locate+check) {grounded * 1000:8.1f} ms   {100 * grounded / total:5.1f}% of the analysis")
    print(f"   locating only           {located * 1000:8.1f} ms   {100 * located / total:5.1f}% of the analysis")
    print(f"   grounding / locating    {grounded / located if located else float('nan'):8.1f}x")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared material folder")
    parser.add_argument("--quick", action="store_true", help="a subset of every corpus")
    parser.add_argument("--seed", type=int, default=0, help="the fabricator's seed")
    parser.add_argument("--details", action="store_true", help="print every miss and flagged item")
    parser.add_argument("--repeat", type=int, default=5, help="timing repetitions")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    corpora = load_corpora(args.shared, args.quick)
    print(f"corpora: fr {len(corpora['fr'])} articles, en {len(corpora['en'])} articles"
          f"{' (quick)' if args.quick else ''}; fabricator seed {args.seed}\n")
    switch = Switch()
    with LoopbackServer(responder=switch) as server:
        os.environ.update({"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-bench-loopback",
                           "VERIFIER_MODEL": "fabricator", "VERIFIER_MAX_REASKS": "0", "VERIFIER_MAX_ATTEMPTS": "1"})
        from verifier.config import Settings
        from verifier.engines import make_engine

        engine = make_engine("llm", settings=Settings.from_env())
        print_modes(run_modes(corpora, switch, engine, args.seed), args.details)
        run_summedits(args.shared, switch, engine, args.quick)
        run_daccord(args.shared, switch, engine, args.quick)
    run_offline(corpora, args.details)
    run_timing(args.repeat)
    print(f"\n{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
