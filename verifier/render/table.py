"""Terminal tables (rich).  Ungrounded items are hidden unless asked for."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from verifier.models import AttributionsOutput, ClaimsOutput, SummaryOutput
from verifier.render import grounding_lines, provenance_line, span_label


def _evidence(spans) -> Text:
    out = Text()
    for i, s in enumerate(spans):
        if i:
            out.append("\n")
        out.append(f"[{span_label(s)}] ", style="dim" if s.start is not None else "bold red")
        out.append(f"“{s.text}”")
    return out


def _flag(item) -> Text:
    """Why an item is not grounded, in words."""
    return Text("\n".join(grounding_lines(item.grounding)), style="bold red")


_MODALITY_STYLE = {"hedged": "yellow", "denied": "magenta", "conditional": "cyan", "reported": "blue"}


def claims_table(out: ClaimsOutput, show_ungrounded: bool) -> Table:
    t = Table(title=f"Claims — {out.article.source}", show_lines=True, expand=True)
    t.add_column("#", style="dim", no_wrap=True)
    t.add_column("Claim", ratio=3, min_width=20)
    t.add_column("Modality / speaker", ratio=1, min_width=12)
    t.add_column("Evidence (chars)", ratio=3, min_width=20)
    for c in out.claims:
        if c.grounded or show_ungrounded:
            who = Text(c.modality.value, style=_MODALITY_STYLE.get(c.modality.value, ""))
            who.append(f"\n{c.speaker}" if c.speaker else "\n(article)", style="" if c.speaker else "dim")
            evidence = _evidence(c.evidence)
            if not c.grounded:
                evidence.append("\n")
                evidence.append(_flag(c))
            t.add_row(c.id, c.text, who, evidence)
    return t


def attributions_table(out: AttributionsOutput, show_ungrounded: bool) -> Table:
    t = Table(title=f"Who said what — {out.article.source}", show_lines=True, expand=True)
    t.add_column("#", style="dim", no_wrap=True)
    t.add_column("Speaker", ratio=1, min_width=14)
    t.add_column("Said", ratio=3, min_width=24)
    t.add_column("How", ratio=1, min_width=12)
    t.add_column("Chars", no_wrap=True, style="dim")
    for a in out.attributions:
        if not (a.grounded or show_ungrounded):
            continue
        speaker = Text(a.speaker.name, style="bold")
        if a.speaker.role:
            speaker.append(f"\n{a.speaker.role}", style="dim")
        said = Text(f"« {a.content} »" if a.kind.value == "direct" else a.content)
        how = Text(a.kind.value)
        if a.cue:
            how.append(f"\n{a.cue}", style="italic")
        if a.is_denial:
            how.append("\nDENIAL", style="bold magenta")
        if a.is_no_comment:
            how.append("\nNO COMMENT", style="bold yellow")
        where = Text(span_label(a.evidence))
        if not a.grounded:
            said.append("\n")
            said.append(_flag(a))
            where = Text("✗", style="bold red")
        t.add_row(a.id, speaker, said, how, where)
    return t


def summary_table(out: SummaryOutput, show_ungrounded: bool) -> Table:
    t = Table(title=f"Summary — {out.article.source}", show_lines=True, expand=True)
    t.add_column("#", style="dim", no_wrap=True)
    t.add_column("Sentence", ratio=2)
    t.add_column("Cites", ratio=3)
    t.add_column("", no_wrap=True)
    for i, s in enumerate(out.summary, 1):
        if s.grounded or show_ungrounded:
            text = Text(s.text)
            if not s.grounded:
                text.append("\n")
                text.append(_flag(s))
            t.add_row(str(i), text, _evidence(s.citations), Text("✓", style="green") if s.grounded else
                      Text("✗", style="bold red"))
    return t


def render_table(out, console: Console, *, show_ungrounded: bool = False, verbose: bool = False) -> None:
    if isinstance(out, ClaimsOutput):
        table = claims_table(out, show_ungrounded)
    elif isinstance(out, AttributionsOutput):
        table = attributions_table(out, show_ungrounded)
    else:
        table = summary_table(out, show_ungrounded)
    console.print(Group(table, Text(provenance_line(out, verbose), style="dim")))
