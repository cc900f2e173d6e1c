"""``verifier watch URL... --db PATH``: keep every version of articles and feeds, say what changed;
``verifier history URL --db PATH``: the versions stored."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import List, Optional

import typer
from typing_extensions import Annotated

from verifier.cli.common import (
    EngineOpt, JsonOpt, ModelOpt, NoCacheOpt, PromptOpt, TimeoutOpt, VerboseOpt, announce, engine_settings,
    setup_logging,
)

DbOpt = Annotated[Path, typer.Option("--db", help="The watch database (SQLite; created if missing).",
                                     show_default=False)]


def parse_every(value: str) -> float:
    from verifier.watch.every import parse_every as parse

    return parse(value)


def watch(urls: Annotated[List[str], typer.Argument(help="Article pages or RSS/Atom feeds (whose items are "
                                                    "followed).", show_default=False)],
          db: DbOpt,
          every: Annotated[str, typer.Option("--every", help="Time between two passes (s, m or h).")] = "15m",
          once: Annotated[bool, typer.Option("--once", help="One pass, then exit (1 if a fetch failed).")] = False,
          delay: Annotated[float, typer.Option("--delay", min=0.0, help="Seconds between two requests to "
                                               "one host.")] = 1.0,
          webhook: Annotated[Optional[str], typer.Option("--webhook", help="POST each event (JSON) to this "
                                                         "URL, signed with VERIFIER_WEBHOOK_SECRET if set.",
                                                         show_default=False)] = None,
          report_dir: Annotated[Optional[Path], typer.Option("--report-dir", help="Write an HTML side-by-side "
                                                             "report per change and an index.html here.",
                                                             show_default=False)] = None,
          engine: EngineOpt = None, model: ModelOpt = None, prompt: PromptOpt = None, as_json: JsonOpt = False,
          no_cache: NoCacheOpt = False, verbose: VerboseOpt = False, timeout: TimeoutOpt = None) -> None:
    """Watch stories as they change: fetch each article (or each item of a feed) politely, keep every
    version of its text, and report what changed, claim by claim (one line, or one JSON event per line)."""
    setup_logging(verbose)
    from verifier.cli.batch_cmd import sigterm_as_ctrl_c
    from verifier.errors import Interrupted, Terminated

    period = parse_every(every)
    with sigterm_as_ctrl_c() as terminated:
        try:
            _watch(urls, db, period, once, delay, webhook, report_dir, engine, model, prompt, as_json, no_cache,
                   timeout)
        except KeyboardInterrupt:
            raise (Terminated("terminated") if terminated else Interrupted("interrupted")) from None


def _watch(urls, db, period, once, delay, webhook, report_dir, engine, model, prompt, as_json, no_cache,
           timeout) -> None:
    from verifier.engines import make_engine
    from verifier.errors import InputError, VerifierError
    from verifier.watch import Store, WatchOptions, run_pass

    from verifier.errors import ConfigError

    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        raise InputError(f"{bad[0]}: watch takes http(s):// addresses of articles or feeds")
    if webhook is not None and not webhook.startswith(("http://", "https://")):
        raise ConfigError(f"--webhook {webhook}: give an http(s):// address")
    if report_dir is not None and report_dir.exists() and not report_dir.is_dir():
        raise ConfigError(f"--report-dir {report_dir}: not a directory")
    built = make_engine(engine, model=model, prompt=prompt, settings=engine_settings(timeout))
    announce(engine, model, built)
    store = Store(db)
    notifier = _notifier(webhook)
    options = WatchOptions(delay=delay, use_cache=not no_cache, report_dir=report_dir)

    def emit(change) -> None:
        sys.stdout.write(change.event.model_dump_json() + "\n" if as_json else change.line + "\n")
        sys.stdout.flush()
        if notifier is not None:
            notifier.post(change.event.model_dump(mode="json"))

    def warn(message: str) -> None:
        sys.stderr.write(f"verifier: {message}\n")
        sys.stderr.flush()

    try:
        while True:
            result = run_pass(store, urls, built, options, emit=emit, warn=warn)
            if once:
                break
            ends = time.monotonic() + period
            while time.monotonic() < ends:
                time.sleep(min(1.0, max(0.0, ends - time.monotonic())))
    finally:
        store.close()
        if notifier is not None and not notifier.close(wait=5.0):
            sys.stderr.write("verifier: warning: webhook events still unsent after 5 s were dropped\n")
    if result.failures:
        raise VerifierError(f"{len(result.failures)} address(es) failed in this pass (see above); "
                            "everything else was stored")


def _notifier(webhook: str | None):
    if webhook is None:
        return None
    import os

    from verifier.service.webhooks import deliver
    from verifier.watch.notify import Notifier

    secret = os.environ.get("VERIFIER_WEBHOOK_SECRET") or None
    return Notifier(lambda payload: deliver(webhook, payload, allow_private=True, deadline=30.0, secret=secret))


def history(url: Annotated[str, typer.Argument(help="A watched address.", show_default=False)], db: DbOpt,
            as_json: JsonOpt = False) -> None:
    """The stored versions of a watched address, with what changed in each."""
    from verifier.watch.history import history as read

    found = read(db, url)
    if as_json:
        sys.stdout.write(found.model_dump_json(indent=2) + "\n")
        return
    gone = "" if found.in_feed else ", no longer in its feed"
    lines = [f"{found.url} ({found.kind}{gone}): {len(found.versions)} version(s)"]
    if found.last_error:
        lines.append(f"  last fetch failed: {found.last_error}")
    for v in found.versions:
        what = "first version" if v.version == 1 else v.summary or "not compared yet"
        lines.append(f"  v{v.version}  {v.fetched_at}  {v.chars} chars  {what}")
    for item in found.items:
        left = "" if item.in_feed else " (no longer in the feed)"
        lines.append(f"  item {item.url}: {item.versions} version(s){left}")
    sys.stdout.write("\n".join(lines) + "\n")


def register(app: typer.Typer) -> None:
    app.command(name="watch")(watch)
    app.command(name="history")(history)
