"""``verifier batch INPUT... --out results.jsonl``: many articles, resumable."""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import List, Optional

import typer
from typing_extensions import Annotated

from verifier.cli.common import (
    EngineOpt, JsonOpt, LangOpt, ModelOpt, NoCacheOpt, PromptOpt, VerboseOpt, TimeoutOpt, announce, engine_settings, setup_logging,
)


def batch(inputs: Annotated[List[str], typer.Argument(
              help="Article files, directories (every .txt, .md, .html below them) or .jsonl lists of "
                   "{\"id\", \"text\" | \"path\"}.", show_default=False)],
          out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Results, one JSON record per article "
                                                      "(appended; re-running resumes).", show_default=False)] = None,
          engine: EngineOpt = None, model: ModelOpt = None, prompt: PromptOpt = None, lang: LangOpt = None,
          concurrency: Annotated[int, typer.Option("--concurrency", "-j", min=1, max=512,
                                                   help="llm: requests in flight at once.")] = 8,
          workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="offline: processes "
                                                         "(default: every core).", show_default=False)] = None,
          backend: Annotated[str, typer.Option("--backend", help="offline: where the analyses run: "
                                               "local (worker processes) or ray (actors on Ray; "
                                               "pip install 'verifier[ray]').")] = "local",
          ray_address: Annotated[Optional[str], typer.Option("--ray-address", help="--backend ray: the "
                                                             "cluster to join (auto, ray://host:10001); "
                                                             "default: start a local Ray.",
                                                             show_default=False)] = None,
          retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Also retry the articles that "
                                                     "failed in earlier runs.")] = False,
          dry_run: Annotated[bool, typer.Option("--dry-run", help="Estimate tokens and cost; send nothing.")] = False,
          batch_api: Annotated[bool, typer.Option("--batch-api", help="Submit through the provider's Batch "
                                                  "API (llm engine; results within 24 h, at the batch price).")] = False,
          poll_interval: Annotated[float, typer.Option("--poll-interval", min=0.0, help="--batch-api: seconds "
                                                       "between status checks.")] = 30.0,
          export_requests: Annotated[Optional[Path], typer.Option(
              "--export-requests", help="Write the requests in the OpenAI Batch input format (for vllm run-batch "
              "or a Batch API) and send nothing; articles done in --out (if given) are left out.",
              show_default=False)] = None,
          import_results: Annotated[Optional[Path], typer.Option(
              "--import-results", help="Record the answers of a Batch output file (to --export-requests' "
              "lines) into --out; the same INPUTs are needed to ground them.", show_default=False)] = None,
          prices: Annotated[Optional[Path], typer.Option("--prices", help="Price table (JSON) for cost "
                                                         "estimates; default: VERIFIER_PRICES, then the "
                                                         "built-in list prices.", show_default=False)] = None,
          wait: Annotated[bool, typer.Option("--wait", help="If another batch is writing --out, wait for it "
                                             "to finish (default: refuse, exit 4).")] = False,
          wait_timeout: Annotated[float, typer.Option("--wait-timeout", min=0.0, help="--wait: the longest "
                                                      "wait, in seconds.")] = 3600.0,
          no_cache: NoCacheOpt = False,
          no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bar.")] = False,
          as_json: JsonOpt = False, verbose: VerboseOpt = False, timeout: TimeoutOpt = None) -> None:
    """Analyse many articles into a JSONL file: concurrent, cached, resumable, with tokens and cost.
    Finished articles are never sent again; Ctrl-C (or SIGTERM) keeps everything finished."""
    setup_logging(verbose)
    from verifier.errors import Terminated

    with sigterm_as_ctrl_c() as terminated:
        try:
            _batch(inputs, out, engine, model, prompt, lang, concurrency, workers, retry_failed, dry_run, batch_api,
                   poll_interval, prices, no_cache, no_progress, as_json, terminated, wait_timeout if wait else None,
                   timeout, export_requests, import_results, backend, ray_address)
        except KeyboardInterrupt:
            if terminated:
                raise Terminated("terminated") from None
            raise


@contextmanager
def sigterm_as_ctrl_c():
    """SIGTERM is handled as Ctrl-C (finished records kept); the list it yields is non-empty once one came."""
    terminated: list[bool] = []

    def handler(signum, frame) -> None:
        terminated.append(True)
        signal.raise_signal(signal.SIGINT)

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: left as it is
        yield terminated
        return
    try:
        yield terminated
    finally:
        signal.signal(signal.SIGTERM, previous)


def _batch(inputs, out, engine, model, prompt, lang, concurrency, workers, retry_failed, dry_run, batch_api,
           poll_interval, prices, no_cache, no_progress, as_json, terminated, wait, timeout=None, export_requests=None,
           import_results=None, backend="local", ray_address=None) -> None:
    from verifier.batch.run import BatchOptions
    from verifier.engines import make_engine
    from verifier.errors import ConfigError, Interrupted, Terminated, VerifierError

    options = BatchOptions(output_language=lang, concurrency=concurrency, workers=workers, retry_failed=retry_failed,
                           use_cache=not no_cache, prices=prices, progress=not no_progress and not as_json,
                           batch_api=batch_api, poll_interval=poll_interval, wait=wait, import_results=import_results,
                           backend=backend, ray_address=ray_address)
    if export_requests is not None and (batch_api or dry_run or import_results is not None):
        raise ConfigError("--export-requests sends nothing: it cannot go with --batch-api, --dry-run or "
                          "--import-results")
    built = make_engine(engine, model=model, prompt=prompt, settings=engine_settings(timeout))
    announce(engine, model, built)
    if export_requests is not None:
        from verifier.batch.export import export_requests as export
        from verifier.render.batch_view import export_text

        written = export(inputs, export_requests, built, out, options)
        sys.stdout.write(written.model_dump_json(indent=2) + "\n" if as_json else export_text(written))
        return
    if out is None:
        raise ConfigError("give --out FILE: the results file (only --export-requests goes without it)")
    priced = built.capabilities.priced
    if dry_run:
        from verifier.batch.estimate import estimate_batch
        from verifier.render.batch_view import estimate_text

        est = estimate_batch(inputs, out, built, options)
        sys.stdout.write(est.model_dump_json(indent=2) + "\n" if as_json else estimate_text(est, priced=priced))
        return
    from verifier.batch.run import run_batch
    from verifier.render.batch_view import summary_text

    summary = run_batch(inputs, out, built, options)
    sys.stdout.write(summary.model_dump_json(indent=2) + "\n" if as_json else summary_text(summary, priced=priced))
    sys.stdout.flush()
    if summary.interrupted:
        stopped = Terminated if terminated else Interrupted
        raise stopped(("terminated" if terminated else "interrupted") + f"; {summary.done} article(s) finished and saved in {out}")
    if summary.stopped:
        raise ConfigError(f"stopped: {summary.stopped}")
    if summary.failed:
        raise VerifierError(f"{len(summary.failed)} of {summary.total} article(s) failed; "
                            "re-run with --retry-failed to retry them")


def register(app: typer.Typer) -> None:
    app.command(name="batch")(batch)
