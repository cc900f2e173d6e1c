"""Evaluate ``verifier verify``: balanced accuracy per engine.

* DACCORD (../shared/eval/daccord_fr, 100 French pairs, 50/50): the premise
  is the source, the hypothesis the claim.  Gold ``contradiction`` should be
  ``contradicted``; gold ``compatibles`` should not be (``supported`` or
  ``not_found``: DACCORD has no "unrelated" class).
* SummEdits news (../shared/eval/summedits_news_en, 84 summaries of 3
  articles): the article is the source, the summary the claim.  Gold
  consistent (1) should be ``supported``; inconsistent (0) should not be.

Balanced accuracy = mean of the recall of each gold class (0.5 = chance).

From the project root:

    python -m bench.eval_verify [--engine offline|llm] [--shared ../shared] [--errors]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from verifier.ingest.article import article_from_text
from verifier.compare.verify import verify_claims
from verifier.engines import Engine, make_engine

ROOT = Path(__file__).resolve().parent.parent


def _balanced(pairs: list[tuple[bool, bool]]) -> tuple[float, float, float]:
    pos = [p for g, p in pairs if g]
    neg = [not p for g, p in pairs if not g]
    r_pos, r_neg = sum(pos) / len(pos), sum(neg) / len(neg)
    return (r_pos + r_neg) / 2, r_pos, r_neg


def daccord(shared: Path, engine: Engine, errors: bool):
    rows = [json.loads(line) for line in (shared / "eval/daccord_fr/daccord_sample100.jsonl").open()]
    out, verdicts = [], Counter()
    for r in rows:
        src = article_from_text(r["premise"], f"daccord:{r['id']}", "fr")
        v = verify_claims([r["hypothesis"].strip()], src, engine).claims[0]
        verdicts[(r["label_text"], v.verdict.value)] += 1
        out.append((r["label"] == 1, v.verdict.value == "contradicted"))
        if errors and out[-1][0] != out[-1][1]:
            print(f"  {r['id']} gold {r['label_text']:13} got {v.verdict.value:12} {v.reason[:70]} | {r['hypothesis'][:80]}")
    return _balanced(out), verdicts


def summedits(shared: Path, engine: Engine, errors: bool):
    base = shared / "eval/summedits_news_en"
    docs = {d["doc_id"]: d["doc"] for d in map(json.loads, (base / "summedits_news_docs3.jsonl").open())}
    items = [json.loads(line) for line in (base / "summedits_news_items.jsonl").open()]
    out, verdicts = [], Counter()
    by_doc: dict[str, list[dict]] = {}
    for it in items:
        by_doc.setdefault(it["doc_id"], []).append(it)
    for doc_id, its in by_doc.items():  # one batch per source, as a user would run it
        src = article_from_text(docs[doc_id], f"summedits:{doc_id}", "en")
        results = verify_claims([it["summary"] for it in its], src, engine).claims
        for it, v in zip(its, results):
            verdicts[(it["label"], v.verdict.value)] += 1
            out.append((it["label"] == 1, v.verdict.value == "supported"))
            if errors and out[-1][0] != out[-1][1]:
                print(f"  {it['id']} gold {it['label']} got {v.verdict.value:12} {v.reason[:70]} | {it['summary'][:80]}")
    return _balanced(out), verdicts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", default="offline")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--errors", action="store_true", help="print each misclassified item")
    ap.add_argument("--sweep", action="store_true", help="rules (offline): also the coverage threshold's trade-off")
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.engine == "replay":
        raise SystemExit("eval_verify: replay has no fixtures for these datasets; use --engine offline, "
                         "or --engine llm with OPENAI_BASE_URL / OPENAI_API_KEY and VERIFIER_MODEL")
    engine = make_engine(args.engine)
    if args.sweep and not engine.capabilities.judges:
        from verifier.compare import verify_rules as verify

        default = verify.COVERAGE
        print("offline coverage threshold sweep (a trade-off; the default keeps 'supported' strict):")
        for c in (0.4, 0.5, 0.6, 0.7, 0.8):
            verify.COVERAGE = c
            d, s = daccord(args.shared, engine, False)[0], summedits(args.shared, engine, False)[0]
            print(f"  {c:.1f}{' (default)' if c == default else '          '}  DACCORD {d[0]:.3f}  SummEdits {s[0]:.3f}")
        verify.COVERAGE = default
        print()
    for name, run, classes in (("DACCORD fr (contradiction vs compatible)", daccord, ("contradiction", "compatible")),
                               ("SummEdits news en (consistent vs inconsistent)", summedits, ("consistent", "inconsistent"))):
        (bacc, r_pos, r_neg), verdicts = run(args.shared, engine, args.errors)
        print(f"== {name}, engine {args.engine} ==")
        print(f"balanced accuracy {bacc:.3f}   recall {classes[0]} {r_pos:.2f}, {classes[1]} {r_neg:.2f}")
        print("  gold → verdict counts: " + ", ".join(f"{g}→{v} {n}" for (g, v), n in sorted(verdicts.items(), key=str)))
    print(f"\n{time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
