"""Renderers: rich tables for the terminal, Markdown reports, JSON."""

from __future__ import annotations

from pydantic import BaseModel


def to_json(output: BaseModel) -> str:
    return output.model_dump_json(indent=2) + "\n"


def fixture_origin(fixture) -> str:
    """Where a replayed answer came from, in words."""
    if fixture.kind == "hand-annotated":
        return fixture.kind
    return f"recorded from {fixture.model} on {fixture.date}"


def provenance_line(output, verbose: bool = False) -> str:
    p, a = output.provenance, output.article
    parts = [f"engine {p.engine}", f"model {p.model}", f"prompt {p.prompt}",
             f"article {a.sha256[:12]} ({a.language}, {a.chars} chars)"]
    if p.fixture:
        parts.append(f"fixture {fixture_origin(p.fixture)}")
    if p.cached:
        parts.append("from cache")
    if verbose and p.usage:
        u = p.usage
        parts.append(f"tokens {u.prompt_tokens} in / {u.completion_tokens} out ({u.requests} request(s))")
    if verbose and p.response_format:
        parts.append(f"format {p.response_format}")
    return " · ".join(parts)


STATUS_WORDS = {"grounded": "grounded", "not_found": "not in article", "altered": "altered quote",
                "unsupported": "not supported by its evidence"}


def grounding_lines(grounding) -> list[str]:
    """An ungrounded item's status and reasons, one line each ("altered
    quote", "the quote differs from the article in a number: « 2023 » where
    the article has « 2022 »")."""
    if grounding.status == "grounded":
        return []
    return [f"✗ {STATUS_WORDS[grounding.status]}"] + [f"  {r.message}" for r in grounding.reasons]


def ungrounded_counts(items) -> str:
    """"2 not in article, 1 altered quote" for the items that are not grounded."""
    counts: dict[str, int] = {}
    for item in items:
        if not item.grounded:
            counts[item.grounding.status] = counts.get(item.grounding.status, 0) + 1
    return ", ".join(f"{n} {STATUS_WORDS[s]}" for s, n in counts.items())


def span_label(span) -> str:
    if span.start is None:
        return "not found"
    label = f"{span.start}–{span.end}"
    if span.match == "fuzzy":
        label += f" ~{span.score:g}" if span.score is not None else " ~"
    elif span.match == "normalized":
        label += " ≈"
    return label
