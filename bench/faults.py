"""Faults at a set rate through ``verifier batch``: what is retried, re-asked, failed, and completed on a re-run.

``--articles`` small numbered French articles (``tests.helpers.loopback``'s ``numbered_article``; the server
answers each with its correct analysis) go through ``run_batch`` in this process against that module's
``LoopbackServer``, also in this process, whose ``FaultPlan`` answers ``--rate`` of the live completions with
a fault of ``--kinds`` (429 and 503 with Retry-After ``--retry-after``, 500, a timeout held past
VERIFIER_TIMEOUT, a body cut short, a body that is not JSON, a schema-invalid reply, a refusal, a reply cut
off at the output limit).  Whether the n-th request of an article is a fault, and which, follows from
(``--seed``, article hash, n): the same command draws the same faults.  The client's budget is small on
purpose, so that some articles fail: VERIFIER_MAX_ATTEMPTS=``--attempts``, VERIFIER_MAX_REASKS=``--reasks``,
VERIFIER_TIMEOUT=``--timeout``, VERIFIER_RETRY_BASE=``--retry-base``.  Then the same batch again with
``--retry-failed`` against the same server with faults at ``--rerun-rate`` (default 0: the endpoint has
recovered).

Prints: faults injected per kind; requests sent, retries, re-asks; the first run's done and failed, failures
grouped by reason; wall times; the re-run's requests, done at the end, and whether anything was lost (every
article has exactly one record after the first run, and the last record per article is done at the end).
Exits 1 when something was lost, else 0.

Usage, from the project root: python -m bench.faults [--articles 200] [--rate 0.2] [--kinds all|K,K...]
       [--seed 7] [--attempts 2] [--reasks 1] [--timeout 1] [--retry-base 0.01] [--retry-after 0.05]
       [--concurrency 16] [--rerun-rate 0]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections import Counter
from pathlib import Path

from bench.sandbox import sandbox
from tests.helpers.loopback import FAULT_KINDS, FaultPlan, LoopbackServer, answer_numbered, numbered_article
from verifier.batch import BatchOptions, run_batch
from verifier.engines import make_engine
from verifier.models import BatchRecord


class Events(logging.Handler):
    """Counts the retries and re-asks ``verifier.engines.llm.retry`` logs (``extra={"event": ...}``)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts = Counter[str]()

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", None)
        if event:
            self.counts[event] += 1


def records(out: Path) -> list[BatchRecord]:
    return [BatchRecord.model_validate_json(line) for line in out.read_text("utf-8").splitlines()]


def chat_requests(server: LoopbackServer) -> int:
    return sum(1 for r in server.requests if r.path.endswith("/chat/completions"))


def run(args, tmp: Path) -> bool:
    folder = tmp / "in"
    folder.mkdir()
    for i in range(args.articles):
        (folder / f"{i:04d}.txt").write_text(numbered_article(i), "utf-8")
    ids = {str(p) for p in folder.iterdir()}
    out = tmp / "out.jsonl"
    os.environ.update(VERIFIER_MAX_ATTEMPTS=str(args.attempts), VERIFIER_MAX_REASKS=str(args.reasks),
                      VERIFIER_TIMEOUT=str(args.timeout), VERIFIER_RETRY_BASE=str(args.retry_base))
    kinds = FAULT_KINDS if args.kinds == "all" else tuple(k.strip() for k in args.kinds.split(","))
    plan = FaultPlan(rate=args.rate, kinds=kinds, seed=args.seed, retry_after=args.retry_after,
                     hold=max(30.0, 10 * args.timeout))
    events = Events()
    logging.getLogger("verifier").addHandler(events)
    logging.getLogger("verifier").setLevel(logging.INFO)
    options = BatchOptions(concurrency=args.concurrency, progress=False)
    with LoopbackServer(responder=answer_numbered, faults=plan) as server:
        os.environ["OPENAI_BASE_URL"] = server.base_url
        t0 = time.perf_counter()
        first = run_batch([str(folder)], out, make_engine("llm"), options)
        wall = time.perf_counter() - t0
        sent, first_events, injected = chat_requests(server), Counter(events.counts), Counter(server.injected)
        written = records(out)
        server.faults = FaultPlan(rate=args.rerun_rate, kinds=kinds, seed=args.seed + 1,
                                  retry_after=args.retry_after, hold=plan.hold) if args.rerun_rate else None
        t0 = time.perf_counter()
        rerun = run_batch([str(folder)], out, make_engine("llm"), BatchOptions(concurrency=args.concurrency,
                                                           retry_failed=True, progress=False))
        rerun_wall = time.perf_counter() - t0
        rerun_sent = chat_requests(server) - sent
    rerun_injected = server.injected - injected
    final = {r.id: r for r in records(out)}

    print(f"== {args.articles} articles, faults at {args.rate:.0%} of live completions, kinds {','.join(kinds)}, "
          f"seed {args.seed}; concurrency {args.concurrency}; VERIFIER_MAX_ATTEMPTS={args.attempts} "
          f"VERIFIER_MAX_REASKS={args.reasks} VERIFIER_TIMEOUT={args.timeout:g} "
          f"VERIFIER_RETRY_BASE={args.retry_base:g}; Retry-After {args.retry_after:g} s")
    print("faults injected:    " + ", ".join(f"{k} {injected[k]}" for k in kinds)
          + f" (total {injected.total()})")
    print(f"requests sent:      {sent} for {args.articles} articles")
    print(f"retries:            {first_events['retry']} (same request again after 429/5xx/timeout/"
          "broken or non-JSON body)")
    print(f"re-asks:            {first_events['reask']} with the validation errors (schema-invalid), "
          f"{first_events['reask_unusable']} after a refusal or a cut-off reply")
    print(f"first run:          done {first.done}, failed {len(first.failed)}, wall {wall:.2f} s, "
          f"records {len(written)}, distinct ids {len({r.id for r in written})}")
    for reason, n in Counter(f.error for f in first.failed).most_common():
        print(f"  {n:>4} x {reason}")
    print(f"re-run (--retry-failed, faults {f'at {args.rerun_rate:.0%}' if args.rerun_rate else 'off'}): "
          f"requests sent {rerun_sent} for {len(first.failed)} failed articles, faults injected "
          f"{rerun_injected.total()}, done {rerun.done}, failed {len(rerun.failed)}, already done "
          f"{rerun.already_done}, wall {rerun_wall:.2f} s")
    done_at_end = sum(1 for r in final.values() if r.status == "done")
    kept = (len(written) == len({r.id for r in written}) == args.articles and {r.id for r in written} == ids
            and first.done + len(first.failed) == args.articles and set(final) == ids)
    print(f"done at the end:    {done_at_end} of {args.articles}")
    print(f"nothing lost:       {'yes' if kept else 'NO'} (first run: {first.done} done + {len(first.failed)} "
          f"failed = {first.done + len(first.failed)} records of {args.articles}; at the end {len(final)} "
          f"articles with a record, {done_at_end} done)")
    return kept


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200, help="articles in the batch (default 200)")
    ap.add_argument("--rate", type=float, default=0.2, help="share of completions answered by a fault (0.2)")
    ap.add_argument("--kinds", default="all", help=f"comma-separated, among {','.join(FAULT_KINDS)} (default all)")
    ap.add_argument("--seed", type=int, default=7, help="the same seed draws the same faults (default 7)")
    ap.add_argument("--attempts", type=int, default=2, help="VERIFIER_MAX_ATTEMPTS (default 2)")
    ap.add_argument("--reasks", type=int, default=1, help="VERIFIER_MAX_REASKS (default 1)")
    ap.add_argument("--timeout", type=float, default=1.0, help="VERIFIER_TIMEOUT in seconds (default 1)")
    ap.add_argument("--retry-base", type=float, default=0.01, help="VERIFIER_RETRY_BASE in seconds (default 0.01)")
    ap.add_argument("--retry-after", type=float, default=0.05, help="Retry-After of 429 and 503 (default 0.05 s)")
    ap.add_argument("--concurrency", type=int, default=16, help="requests in flight (default 16)")
    ap.add_argument("--rerun-rate", type=float, default=0.0, help="fault rate during the re-run (default 0)")
    args = ap.parse_args()
    with sandbox("verifier-faults-", VERIFIER_RETRY_MAX_WAIT="2") as tmp:
        kept = run(args, tmp)
    sys.exit(0 if kept else 1)


if __name__ == "__main__":
    main()
