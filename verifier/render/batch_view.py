"""Plain-text reports of a batch run and of a dry run."""

from __future__ import annotations

from verifier.models import BatchEstimate, BatchExport, BatchSummary


def _money(value: float | None) -> str:
    return "n/a (no price for this model; see --prices)" if value is None else f"${value:.4f}"


def _reason(ident: str, error: str) -> str:
    """The error without a leading repeat of the id (input errors start with the path)."""
    return error[len(ident) + 2:] if error.startswith(ident + ": ") else error


def summary_text(s: BatchSummary, *, priced: bool) -> str:
    """The run in lines; ``priced``: the engine's requests are billed, so tokens and cost are shown."""
    lines = [f"batch: {s.engine} {s.model} ({s.prompt}) -> {s.out}",
             f"  articles     {s.total}",
             f"  done         {s.done} (from cache {s.from_cache}) in {s.elapsed_seconds:.1f}s"]
    if s.already_done:
        lines.append(f"  already done {s.already_done} (earlier runs; not sent again)")
    if s.failed_before:
        lines.append(f"  failed before {s.failed_before} (earlier runs; --retry-failed retries them)")
    lines.append(f"  failed       {len(s.failed)}")
    lines += [f"    {f.id}: [{f.error_type}] {_reason(f.id, f.error)}" for f in s.failed]
    if s.not_started:
        lines.append(f"  not started  {s.not_started} (run the same command again to finish)")
    if s.usage.requests or priced:
        lines.append(f"  tokens       {s.usage.prompt_tokens:,} in / {s.usage.completion_tokens:,} out "
                     f"({s.usage.requests} request(s))")
        lines.append(f"  cost         {_money(s.cost_usd)}" + (f"  [{s.prices}]" if s.prices else ""))
    if s.batch_api:
        lines.append(f"  batch API    {', '.join(s.batch_api)}")
    if s.stopped:
        lines.append(f"  stopped      {s.stopped}")
    if s.interrupted:
        lines.append("  interrupted: finished articles are saved; run the same command again to resume")
    return "\n".join(lines) + "\n"


def estimate_text(e: BatchEstimate, *, priced: bool) -> str:
    """The dry run in lines; ``priced`` as for ``summary_text``."""
    lines = [f"dry run: {e.engine} {e.model} ({e.prompt}); nothing is sent",
             f"  articles      {e.total}",
             f"  already done  {e.already_done}",
             f"  failed before {e.failed_before}" + (" (not retried without --retry-failed)" if e.failed_before else ""),
             f"  from cache    {e.from_cache}",
             f"  unreadable    {len(e.unreadable)}"]
    lines += [f"    {f.id}: {_reason(f.id, f.error)}" for f in e.unreadable]
    lines.append(f"  to send       {e.to_send}")
    if e.to_send and priced:
        lines += [f"  prompt tokens {e.prompt_tokens:,} ({'exact, ' if e.prompt_tokens_exact else ''}{e.tokenizer})",
                  f"  completion    ~{e.completion_tokens:,} ({e.completion_basis})",
                  f"  cost          ~{_money(e.cost_usd)} live, ~{_money(e.batch_cost_usd)} with --batch-api"
                  + (f"  [{e.prices}]" if e.prices else "")]
    elif not priced:
        lines.append(f"  cost          $0 ({e.tokenizer})")
    return "\n".join(lines) + "\n"


def export_text(e: BatchExport) -> str:
    """``--export-requests`` in lines."""
    lines = [f"requests: {e.engine} {e.model} ({e.prompt}) -> {e.requests_file}; nothing is sent",
             f"  articles      {e.total}",
             f"  already done  {e.already_done}",
             f"  failed before {e.failed_before}" + (" (not written without --retry-failed)" if e.failed_before else ""),
             f"  written       {e.articles} ({e.lines} request line(s))"]
    if e.duplicates:
        lines.append(f"  duplicates    {e.duplicates} (same text as another article: answered by its lines)")
    lines.append(f"  skipped       {len(e.skipped)}")
    lines += [f"    {f.id}: {_reason(f.id, f.error)}" for f in e.skipped]
    return "\n".join(lines) + "\n"
