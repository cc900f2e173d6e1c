"""Verification reports: claims checked against a source (terminal and Markdown)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from verifier.models import VerifiedClaim, VerifyOutput
from verifier.render import fixture_origin
from verifier.render.markdown import _cell, _spans
from verifier.render.table import _evidence

_VERDICT_STYLE = {"supported": "green", "contradicted": "bold red", "not_found": "yellow"}
_COUNT_ORDER = ("supported", "contradicted", "not_found")


def _verdict(value: str) -> str:
    return value.replace("_", " ")


def counts_line(counts: dict[str, int]) -> str:
    keys = [k for k in _COUNT_ORDER if counts.get(k)]
    keys += [k for k in counts if k not in _COUNT_ORDER and counts[k]]
    return " · ".join(f"{counts[k]} {_verdict(k)}" for k in keys) or "no claims"


def method_line(out: VerifyOutput, verbose: bool = False) -> str:
    m, s = out.method, out.source
    parts = [f"engine {m.engine}", f"model {m.model}", f"prompt {m.prompt or '-'}", f"retriever {m.retriever}",
             f"source {s.sha256[:12]} ({s.language}, {s.chars} chars)"]
    if m.fixture:
        parts.append(f"fixture {fixture_origin(m.fixture)}")
    if verbose and m.usage:
        u = m.usage
        parts.append(f"tokens {u.prompt_tokens} in / {u.completion_tokens} out ({u.requests} request(s))")
    return " · ".join(parts)


def claims_line(out: VerifyOutput) -> str | None:
    p = out.claims_provenance
    if p is None:
        return None
    line = f"claims extracted by engine {p.engine} · model {p.model} · prompt {p.prompt}"
    if p.fixture:
        line += f" · fixture {fixture_origin(p.fixture)}"
    return line


def _footer_lines(out: VerifyOutput, verbose: bool) -> list[str]:
    return [line for line in (counts_line(out.counts), method_line(out, verbose), claims_line(out)) if line]


# --------------------------------------------------------------------------
# terminal
# --------------------------------------------------------------------------


def _claim_cell(vc: VerifiedClaim, verbose: bool) -> Text:
    out = Text(vc.text)
    if verbose and vc.score is not None:
        out.append(f"\nretrieval score {vc.score:.2f}", style="dim")
    return out


def _evidence_cell(vc: VerifiedClaim) -> Text:
    return _evidence(vc.evidence) if vc.evidence else Text("—", style="dim")


def verify_table(out: VerifyOutput, console: Console, *, verbose: bool = False) -> None:
    t = Table(title=escape(f"Verify — claims from {out.claims_from} against {out.source.source}"),
              show_lines=True, expand=True)
    t.add_column("#", style="dim", no_wrap=True)
    t.add_column("Claim", ratio=3, min_width=20)
    t.add_column("Verdict", no_wrap=True)
    t.add_column("Evidence from the source", ratio=3, min_width=20)
    t.add_column("Reason", ratio=2, min_width=14)
    for vc in out.claims:
        verdict = Text(_verdict(vc.verdict.value), style=_VERDICT_STYLE.get(vc.verdict.value, ""))
        t.add_row(Text(vc.id), _claim_cell(vc, verbose), verdict, _evidence_cell(vc), Text(vc.reason))
    console.print(Group(t, Text("\n".join(_footer_lines(out, verbose)), style="dim")))


# --------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------


def _md_verdict(value: str) -> str:
    return f"**{_verdict(value)}**" if value == "contradicted" else _verdict(value)


def verify_markdown(out: VerifyOutput) -> str:
    lines = [f"# Verification: claims from {out.claims_from} against {out.source.source}", "",
             f"**{counts_line(out.counts)}**", ""]
    if out.claims:
        lines += ["| # | Claim | Verdict | Evidence (offsets) | Reason |", "|---|---|---|---|---|"]
        for vc in out.claims:
            lines.append(f"| {_cell(vc.id)} | {_cell(vc.text)} | {_md_verdict(vc.verdict.value)} "
                         f"| {_spans(vc.evidence) or '—'} | {_cell(vc.reason)} |")
    else:
        lines.append("*No claims to verify.*")
    lines += [""] + [f"*{line}*\n" for line in _footer_lines(out, False)[1:]]
    return "\n".join(lines)
