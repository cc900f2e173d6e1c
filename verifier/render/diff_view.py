"""Diff reports: two versions of a story compared claim by claim (terminal and Markdown)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from verifier.models import QUIET, Attribution, Claim, DiffOutput, DiffPair
from verifier.render import fixture_origin, provenance_line, span_label
from verifier.render.markdown import _cell

_STATUS_STYLE = {"unchanged": "dim", "reworded": "blue", "changed": "bold yellow",
                 "added": "green", "removed": "red", "kept": "dim"}
_COUNT_ORDER = ("changed", "reworded", "removed", "added", "unchanged")
_STANCE_KIND = {"denial": "denial", "no_comment": "no comment"}


# --------------------------------------------------------------------------
# shared wording
# --------------------------------------------------------------------------


def counts_line(counts: dict[str, int]) -> str:
    keys = [k for k in _COUNT_ORDER if counts.get(k)]
    keys += [k for k in counts if k not in _COUNT_ORDER and counts[k]]
    return " · ".join(f"{counts[k]} {k}" for k in keys) or "no claims"


def method_line(out: DiffOutput) -> str:
    m = out.method
    line = f"aligner {m.aligner} · match threshold {m.match_threshold:g} · sure threshold {m.sure_threshold:g}"
    if m.one_to_many_threshold is not None:
        line += f" · one-to-many from {m.one_to_many_threshold:g}"
    a = m.adjudication
    if a:
        origin = f" (fixture {fixture_origin(a.fixture)})" if a.fixture else ""
        line += (f" · {a.pairs} ambiguous pair(s) settled by engine {a.engine}, model {a.model}, "
                 f"prompt {a.prompt}{origin}: {a.split} split")
    return line


def _offsets(spans) -> str:
    return ", ".join(span_label(s) for s in spans) or "no evidence"


def _who(claim: Claim) -> str:
    return f"{claim.modality.value} · {claim.speaker or '(article)'}"


def _value(v: str | None) -> str:
    return "—" if v is None else v


def _change_lines(pair: DiffPair) -> list[str]:
    return [f"{c.type}: {_value(c.old)} → {_value(c.new)}" for c in pair.changes]


def match_line(pair: DiffPair) -> str | None:
    """What the alignment matched, in one line ("names Musk, Poutine · dates
    2022 · 7 words · semantic 0.83"), and a one-to-many note."""
    m = pair.match
    parts = []
    if m is not None:
        for label, values in (("names", m.entities), ("numbers", m.numbers), ("dates", m.dates)):
            if values:
                parts.append(f"{label} {', '.join(values)}")
        if m.words:
            parts.append(f"{len(m.words)} word(s) in common")
        if m.semantic is not None:
            parts.append(f"semantic {m.semantic:.2f}")
    if pair.one_to_many:
        parts.append(f"the {pair.one_to_many} claim is in several pairs")
    return ("matched: " + " · ".join(parts)) if parts else None


def _ambiguity(pair: DiffPair) -> str | None:
    if pair.adjudication:
        verdict = "paired by the model" if pair.old and pair.new else "not the same claim, says the model"
        return f"{verdict}: {pair.adjudication}"
    if not pair.ambiguous:
        return None
    return "ambiguous pairing" + (f" (score {pair.similarity:.2f})" if pair.similarity is not None else "")


def _shown_pairs(out: DiffOutput, only_changes: bool) -> list[DiffPair]:
    return [p for p in out.pairs if not (only_changes and p.status.value in QUIET)]


def _shown(items, only_changes: bool) -> list:
    return [x for x in items if not (only_changes and x.status.value == "kept")]


def _hidden_note(out: DiffOutput, only_changes: bool) -> str | None:
    hidden = len(out.pairs) - len(_shown_pairs(out, only_changes))
    return f"{hidden} unchanged or reworded claim(s) not shown" if hidden else None


# --------------------------------------------------------------------------
# terminal
# --------------------------------------------------------------------------


def _claim_cell(claim: Claim | None) -> Text:
    if claim is None:
        return Text("—", style="dim")
    out = Text(claim.text)
    out.append(f"\n[{_offsets(claim.evidence)}] {_who(claim)}", style="dim")
    return out


def _status_cell(pair: DiffPair, verbose: bool) -> Text:
    out = Text(pair.status.value, style=_STATUS_STYLE[pair.status.value])
    if verbose and pair.similarity is not None:
        out.append(f"\n{pair.similarity:.2f}", style="dim")
    return out


def _changes_cell(pair: DiffPair, verbose: bool = False) -> Text:
    out = Text("\n".join(_change_lines(pair)))
    for note in (_ambiguity(pair), match_line(pair) if verbose else None):
        if note:
            out.append(("\n" if out else "") + note, style="dim")
    return out


def _attribution_cell(a: Attribution | None) -> Text:
    if a is None:
        return Text("—", style="dim")
    out = Text(a.content)
    out.append(f"\n[{span_label(a.evidence)}]", style="dim" if a.evidence.grounded else "bold red")
    return out


def claims_diff_table(out: DiffOutput, only_changes: bool, verbose: bool) -> Table:
    t = Table(title=escape(f"Diff — {out.old.article.source} → {out.new.article.source}"),
              show_lines=True, expand=True)
    t.add_column("Status", no_wrap=True)
    t.add_column("Old", ratio=3, min_width=20)
    t.add_column("New", ratio=3, min_width=20)
    t.add_column("Changes", ratio=2, min_width=16)
    for p in _shown_pairs(out, only_changes):
        t.add_row(_status_cell(p, verbose), _claim_cell(p.old), _claim_cell(p.new), _changes_cell(p, verbose))
    return t


def sources_table(out: DiffOutput, only_changes: bool) -> Table | None:
    rows = _shown(out.speakers, only_changes)
    if not rows:
        return None
    t = Table(title="Sources", show_lines=False, expand=True)
    t.add_column("Speaker", ratio=2)
    t.add_column("Status", no_wrap=True)
    t.add_column("Old", ratio=1, style="dim")
    t.add_column("New", ratio=1, style="dim")
    for s in rows:
        t.add_row(Text(s.speaker, style="bold"), Text(s.status.value, style=_STATUS_STYLE[s.status.value]),
                  Text(", ".join(s.old) or "—"), Text(", ".join(s.new) or "—"))
    return t


def stances_table(out: DiffOutput, only_changes: bool) -> Table | None:
    rows = _shown(out.stances, only_changes)
    if not rows:
        return None
    t = Table(title="Denials and refusals to comment", show_lines=True, expand=True)
    t.add_column("Kind", no_wrap=True)
    t.add_column("Status", no_wrap=True)
    t.add_column("Speaker", ratio=1, min_width=12)
    t.add_column("Old", ratio=3, min_width=20)
    t.add_column("New", ratio=3, min_width=20)
    for s in rows:
        t.add_row(Text(_STANCE_KIND[s.kind], style="bold magenta" if s.kind == "denial" else "bold yellow"),
                  Text(s.status.value, style=_STATUS_STYLE[s.status.value]), Text(s.speaker, style="bold"),
                  _attribution_cell(s.old), _attribution_cell(s.new))
    return t


def _footer(out: DiffOutput, only_changes: bool, verbose: bool) -> Text:
    lines = [counts_line(out.counts)]
    note = _hidden_note(out, only_changes)
    if note:
        lines[0] += f" ({note})"
    lines += [method_line(out), f"old: {provenance_line(out.old, verbose)}",
              f"new: {provenance_line(out.new, verbose)}"]
    return Text("\n".join(lines), style="dim")


def diff_table(out: DiffOutput, console: Console, *, only_changes: bool = False, verbose: bool = False) -> None:
    parts = [claims_diff_table(out, only_changes, verbose),
             sources_table(out, only_changes), stances_table(out, only_changes),
             _footer(out, only_changes, verbose)]
    console.print(Group(*(p for p in parts if p is not None)))


# --------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------


def _md_claim(claim: Claim | None) -> str:
    if claim is None:
        return "—"
    return f"{_cell(claim.text)} ({_offsets(claim.evidence)})<br>*{_cell(_who(claim))}*"


def _md_changes(pair: DiffPair, verbose: bool = False) -> str:
    lines = [_cell(line) for line in _change_lines(pair)]
    for note in (_ambiguity(pair), match_line(pair) if verbose else None):
        if note:
            lines.append(f"*{_cell(note)}*")
    return "<br>".join(lines)


def _md_claims(out: DiffOutput, only_changes: bool, verbose: bool = False) -> list[str]:
    pairs = _shown_pairs(out, only_changes)
    lines = ["## Claims", ""]
    if pairs:
        lines += ["| Status | Old (offsets) | New (offsets) | Changes |", "|---|---|---|---|"]
        for p in pairs:
            status = f"**{p.status.value}**" if p.status.value == "changed" else p.status.value
            lines.append(f"| {status} | {_md_claim(p.old)} | {_md_claim(p.new)} | {_md_changes(p, verbose)} |")
    else:
        lines.append("*No claims to show.*")
    note = _hidden_note(out, only_changes)
    if note:
        lines += ["", f"*{note}.*"]
    return lines


def _md_ids(s) -> str:
    parts = [f"{label}: {', '.join(ids)}" for label, ids in (("old", s.old), ("new", s.new)) if ids]
    return f" ({'; '.join(parts)})" if parts else ""


def _md_sources(out: DiffOutput, only_changes: bool) -> list[str]:
    one = [s for s in out.speakers if s.status.value != "kept"]
    lines = ["## Sources cited in one version only", ""]
    lines += [f"- **{_cell(s.speaker)}**: {s.status.value}{_md_ids(s)}" for s in one] or ["*None.*"]
    kept = [] if only_changes else [s for s in out.speakers if s.status.value == "kept"]
    if kept:
        lines += ["", "## Sources cited in both versions", ""]
        lines += [f"- **{_cell(s.speaker)}**{_md_ids(s)}" for s in kept]
    return lines


def _md_attribution(label: str, a: Attribution | None) -> str:
    if a is None:
        return f"  - {label}: *absent*"
    return f"  - {label}: “{_cell(a.content)}” ({span_label(a.evidence)})"


def _md_stances(out: DiffOutput, only_changes: bool) -> list[str]:
    rows = _shown(out.stances, only_changes)
    lines = ["## Denials and refusals to comment", ""]
    if not rows:
        return lines + ["*None.*"]
    for s in rows:
        lines.append(f"- **{_STANCE_KIND[s.kind].capitalize()}** by **{_cell(s.speaker)}**: {s.status.value}")
        lines += [_md_attribution("old", s.old), _md_attribution("new", s.new)]
    return lines


def diff_markdown(out: DiffOutput, *, only_changes: bool = False, verbose: bool = False) -> str:
    lines = [f"# Diff: {out.old.article.source} → {out.new.article.source}", "",
             f"**{counts_line(out.counts)}**", ""]
    lines += _md_claims(out, only_changes, verbose) + [""]
    lines += _md_sources(out, only_changes) + [""]
    lines += _md_stances(out, only_changes) + [""]
    lines += [f"*{method_line(out)}*", "",
              f"*old: {provenance_line(out.old)}*", "",
              f"*new: {provenance_line(out.new)}*", ""]
    return "\n".join(lines)
