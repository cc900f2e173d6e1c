"""Evaluate ``verifier diff`` (offline engine by default).

1. Seed pair (tests/gold/seed_diff.json, hand-annotated claims of the two
   French seed articles): are the shared claims aligned, are the typed
   changes found, are the claims, speakers and denials of one version only
   reported as such?  Matching is by character overlap between our claims'
   evidence and the gold snippets.  The two headline measures:
   *reference relations right*: every gold item in its right relation (a
   shared item paired with its counterpart, both sides overlapping, with a
   paired status: unchanged, reworded or changed; an item of one version
   only reported ``removed`` / ``added``), over all gold items; *aligned
   pairs right*: of our pairs, those overlapping one gold shared item on
   both sides.
2. Cross-outlet pairs in the same gold format (``--pair DIR``, repeatable;
   default: every ``bench/pairs/*/gold.json`` of this checkout and of the
   main checkout).  Paths in a gold are relative to the repository root;
   a pair whose texts are missing (uncommitted ``local/`` texts) is skipped
   with a note.
3. SummEdits news (../shared/eval/summedits_news_en): each edited summary is
   diffed against its original summary.  An edit labelled 0 (inconsistent
   with the article) must show as a ``changed`` claim; for edits labelled 1
   the rate of ``changed`` is reported too (a consistent edit may still
   change a detail, so that rate is not an error rate).

With ``--engine replay`` the seed pair runs on the hand-annotated analyses
and the hand-annotated adjudication fixture: that measures the alignment
and typing code on LLM-style claims, not any model.

From the project root:

    python -m bench.eval_diff [--engine offline] [--shared ../shared] [--pair DIR ...] [--sweep]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from collections import Counter, defaultdict
from pathlib import Path

from verifier.analysis import AnalyzeOptions, analyze
from verifier.ingest.article import article_from_text, read_article
from verifier.compare.details import same_speaker
from verifier.compare.diff import diff_analyses
from verifier.engines import make_engine

ROOT = Path(__file__).resolve().parent.parent
NO_CACHE = AnalyzeOptions(use_cache=False)


def _span(text: str, snippet: str) -> tuple[int, int]:
    start = text.find(snippet)
    if start < 0:
        raise SystemExit(f"gold snippet not in article: {snippet[:60]!r}")
    return start, start + len(snippet)


def _claim_span(claim) -> tuple[int, int] | None:
    spans = [(e.start, e.end) for e in claim.evidence if e.start is not None]
    return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else None


def _overlaps(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def seed(engine) -> dict:
    return evaluate(ROOT / "tests/gold/seed_diff.json", ROOT, engine)


def _texts_root(gold: dict, roots: list[Path]) -> Path | None:
    """The first root under which both texts of ``gold`` exist (pair texts
    may sit in uncommitted ``local/`` folders of the main checkout)."""
    return next((r for r in roots if (r / gold["old"]).exists() and (r / gold["new"]).exists()), None)


def evaluate(gold_path: Path, root: Path, engine) -> dict:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    old_art, new_art = read_article(str(root / gold["old"])), read_article(str(root / gold["new"]))
    judge = engine if engine.capabilities.judges else None  # as `verifier diff` does
    report = diff_analyses(analyze(old_art, engine, NO_CACHE), analyze(new_art, engine, NO_CACHE), judge=judge)
    aligned = [p for p in report.pairs if p.old and p.new]
    spans = [(_claim_span(p.old), _claim_span(p.new), p) for p in aligned]

    found, type_tp, type_fn, type_fp = 0, 0, 0, 0
    for g in gold["shared"]:
        go, gn = _span(old_art.text, g["old"]), _span(new_art.text, g["new"])
        hit = next((p for so, sn, p in spans if _overlaps(so, go) and _overlaps(sn, gn)), None)
        if hit is None:
            continue
        found += 1
        ours = {c.type for c in hit.changes}
        type_tp += len(ours & set(g["changes"]))
        type_fn += len(set(g["changes"]) - ours)
        type_fp += len(ours - set(g["changes"]))
    correct_pairs = sum(
        any(_overlaps(so, _span(old_art.text, g["old"])) and _overlaps(sn, _span(new_art.text, g["new"]))
            for g in gold["shared"]) for so, sn, _ in spans)

    def one_side(items, text, side):
        status = "removed" if side == "old" else "added"
        claims = [(p, _claim_span(getattr(p, side))) for p in report.pairs if getattr(p, side)]
        reported = covered = 0
        for g in items:
            gs = _span(text, g["text"])
            hits = [p for p, s in claims if _overlaps(s, gs)]
            covered += bool(hits)
            reported += any(p.status.value == status for p in hits)
        return reported, covered, len(items)

    def speakers(side):
        status = {"old": "removed", "new": "added"}[side]
        ours = [s.speaker for s in report.speakers if s.status.value == status]
        gold_names = gold["speakers"].get(f"only_{side}", [])
        tp = sum(any(same_speaker(g, o) for o in ours) for g in gold_names)
        return tp, len(gold_names), len(ours)

    def denials(side):
        status = {"old": "removed", "new": "added"}[side]
        text = old_art.text if side == "old" else new_art.text
        ours = [getattr(s, side).evidence for s in report.stances if s.kind == "denial" and s.status.value == status]
        items = gold["denials"].get(f"only_{side}", [])
        hits = sum(any(_overlaps((e.start, e.end), _span(text, g["text"])) for e in ours) for g in items)
        return hits, len(items), len(ours)

    only_old, only_new = one_side(gold["only_old"], old_art.text, "old"), one_side(gold["only_new"], new_art.text, "new")
    # the two measures: every gold item in the right relation (shared: paired with its
    # counterpart, any paired status; one side only: reported removed / added), and our pairs right
    relations = (found + only_old[0] + only_new[0], len(gold["shared"]) + only_old[2] + only_new[2])
    return {
        "relations": relations,
        "shared_found": (found, len(gold["shared"])),
        "pair_precision": (correct_pairs, len(aligned)),
        "types": (type_tp, type_fn, type_fp),
        "only_old": only_old, "only_new": only_new,
        "speakers_old": speakers("old"), "speakers_new": speakers("new"),
        "denials_old": denials("old"), "denials_new": denials("new"),
        "report": report,
    }


def summedits(engine, shared: Path) -> dict:
    items = [json.loads(line) for line in (shared / "eval/summedits_news_en/summedits_news_items.jsonl").open()]
    rows = defaultdict(Counter)
    for it in items:
        if it["summary"] == it["original_summary"]:
            continue
        old = analyze(article_from_text(it["original_summary"], "original", "en"), engine, NO_CACHE)
        new = analyze(article_from_text(it["summary"], "edited", "en"), engine, NO_CACHE)
        report = diff_analyses(old, new)
        changed = any(p.status.value == "changed" for p in report.pairs)
        split = any(p.status.value in ("added", "removed") for p in report.pairs)
        kinds = it["edit_types"] or ["(consistent edit)"]
        for k in kinds + ["ALL"]:
            key = (it["label"], k)
            rows[key]["n"] += 1
            rows[key]["changed"] += changed
            rows[key]["added/removed"] += split and not changed
    return rows


def _default_pairs() -> list[Path]:
    """Every ``bench/pairs/*/gold.json`` of this checkout and of the main
    checkout (a git worktree shares its ``.git`` with it)."""
    roots = _roots()
    found: dict[str, Path] = {}
    for r in roots:
        for g in sorted((r / "bench/pairs").glob("*/gold.json")):
            found.setdefault(g.parent.name, g.parent)
    return list(found.values())


def _roots() -> list[Path]:
    roots = [ROOT]
    try:
        common = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        common = ""
    if common and Path(common).name == ".git" and Path(common).parent != ROOT:
        roots.append(Path(common).parent)
    return roots


def _ratio(k: int, n: int) -> str:
    return f"{k}/{n} = {k / n:.2f}" if n else f"{k}/0"


def print_pair(title: str, s: dict) -> None:
    print(f"== {title} ==")
    print(f"reference relations right    {_ratio(*s['relations'])}")
    print(f"aligned pairs right          {_ratio(*s['pair_precision'])}  (our pairs overlapping a gold shared item on both sides)")
    f, n = s["shared_found"]
    print(f"shared claims aligned        {_ratio(f, n)}")
    tp, fn, fp = s["types"]
    print(f"change types on found pairs  tp {tp} fn {fn} fp {fp}")
    for side in ("old", "new"):
        rep, cov, tot = s[f"only_{side}"]
        print(f"only in {side}: reported {rep}/{tot}, covered by some claim {cov}/{tot}")
    for side in ("old", "new"):
        tp, gold_n, ours = s[f"speakers_{side}"]
        print(f"speakers only in {side}: found {tp}/{gold_n} (we list {ours})")
        hits, gold_n, ours = s[f"denials_{side}"]
        print(f"denials only in {side}: found {hits}/{gold_n} (we list {ours})")
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", default="offline")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--pair", type=Path, action="append", default=None, metavar="DIR",
                    help="a pair directory holding gold.json (repeatable; default: every bench/pairs/* found)")
    ap.add_argument("--no-pairs", action="store_true", help="the seed pair and SummEdits only")
    ap.add_argument("--sweep", action="store_true", help="seed pair at several match thresholds")
    args = ap.parse_args()
    engine = make_engine(args.engine)
    if args.sweep:
        from verifier.compare import align

        default = align.MATCH
        print("match threshold sweep on the seed pair (the default was set before this gold existed):")
        for t in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
            align.MATCH = t
            s = seed(engine)
            (f, n), (c, a), (r, m) = s["shared_found"], s["pair_precision"], s["relations"]
            print(f"  {t:.2f}{' (default)' if t == default else '          '}  relations right {r}/{m}  "
                  f"shared aligned {f}/{n}  pair precision {c}/{a}")
        align.MATCH = default
        print()
    t0 = time.perf_counter()
    summary = [("seed pair", seed(engine))]
    print_pair(f"seed pair (tests/gold/seed_diff.json, engine {args.engine})", summary[0][1])
    pairs = [] if args.no_pairs else (args.pair or _default_pairs())
    for d in pairs:
        gold_path = d / "gold.json" if d.is_dir() else d
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        here = gold_path.resolve().parents
        root = _texts_root(gold, ([here[3]] if len(here) > 3 else []) + _roots())
        if root is None:
            print(f"== {gold_path.parent.name}: skipped, texts missing ({gold['old']}, {gold['new']}) ==\n")
            continue
        if args.engine == "replay":
            print(f"== {gold_path.parent.name}: skipped, replay has fixtures for the seeds only ==\n")
            continue
        s = evaluate(gold_path, root, engine)
        summary.append((gold_path.parent.name, s))
        print_pair(f"{gold_path.parent.name} (engine {args.engine})", s)
    if len(summary) > 1:
        print(f"{'pair':28} {'relations right':>18} {'aligned pairs right':>22}")
        for name, s in summary:
            print(f"{name:28} {_ratio(*s['relations']):>18} {_ratio(*s['pair_precision']):>22}")
        print()
    if args.engine == "replay":
        print("(SummEdits skipped: replay has fixtures for the seeds, not for the summaries)")
    elif (args.shared / "eval/summedits_news_en").exists():
        rows = summedits(engine, args.shared)
        print(f"== SummEdits news: edited vs original summary (engine {args.engine}) ==")
        print(f"{'label':>5}  {'edit type':32} {'n':>3}  {'changed':>7}  {'add/rem only':>12}")
        for (label, kind), c in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1] != "ALL", kv[0][1])):
            print(f"{label:>5}  {kind:32} {c['n']:>3}  {c['changed'] / c['n']:>7.2f}  {c['added/removed'] / c['n']:>12.2f}")
    else:
        print(f"(SummEdits skipped: {args.shared}/eval/summedits_news_en not found)")
    print(f"\n{time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
