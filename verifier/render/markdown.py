"""Markdown reports a journalist can paste into a document or a ticket."""

from __future__ import annotations

from verifier.models import AttributionsOutput, ClaimsOutput, SummaryOutput
from verifier.render import STATUS_WORDS, provenance_line, span_label


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _spans(spans) -> str:
    return "<br>".join(f"“{_cell(s.text)}” ({span_label(s)})" for s in spans)


def _why(item) -> str:
    """An ungrounded item's status and reasons, for a table cell."""
    if item.grounded:
        return "yes"
    return f"**no: {STATUS_WORDS[item.grounding.status]}**" + "".join(
        f"<br>{_cell(r.message)}" for r in item.grounding.reasons)


def render_markdown(out, *, show_ungrounded: bool = False, verbose: bool = False) -> str:
    lines: list[str] = []
    if isinstance(out, ClaimsOutput):
        lines += [f"# Claims: {out.article.source}", "",
                  "| # | Claim | Modality | Speaker | Evidence (offsets) | Grounded |",
                  "|---|---|---|---|---|---|"]
        for c in out.claims:
            if c.grounded or show_ungrounded:
                lines.append(f"| {c.id} | {_cell(c.text)} | {c.modality.value} | {_cell(c.speaker) or '*(article)*'} "
                             f"| {_spans(c.evidence)} | {_why(c)} |")
    elif isinstance(out, AttributionsOutput):
        lines += [f"# Who said what: {out.article.source}", "",
                  "| # | Speaker | Role | Said | Kind | Cue | Denial | No comment | Evidence (offsets) | Grounded |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for a in out.attributions:
            if a.grounded or show_ungrounded:
                lines.append(f"| {a.id} | {_cell(a.speaker.name)} | {_cell(a.speaker.role)} | {_cell(a.content)} "
                             f"| {a.kind.value} | {_cell(a.cue)} | {'yes' if a.is_denial else ''} "
                             f"| {'yes' if a.is_no_comment else ''} | {_spans([a.evidence])} | {_why(a)} |")
    elif isinstance(out, SummaryOutput):
        lines += [f"# Summary: {out.article.source}", ""]
        for s in out.summary:
            if s.grounded or show_ungrounded:
                flag = "" if s.grounded else f" ({_why(s)})".replace("<br>", "; ")
                lines.append(f"- {s.text}{flag}")
                for c in s.citations:
                    lines.append(f"  - “{c.text}” ({span_label(c)})")
    if out.ungrounded and not show_ungrounded:
        lines += ["", f"*{out.ungrounded} item(s) not grounded in the article are not shown "
                      "(quotes not found or altered, or paraphrases their evidence does not support).*"]
    lines += ["", f"*{provenance_line(out, verbose)}*", ""]
    return "\n".join(lines)
