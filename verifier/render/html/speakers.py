"""One colour per speaker: a fixed palette of light backgrounds (dark text
on each stays above WCAG AA contrast), handed out in order of first
appearance, so the same analysis always gets the same colours."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.compare.details import same_speaker

# light tints: #1a1a1a text on each has a contrast ratio above 12:1
PALETTE = ("#ffe08a", "#b6e3ff", "#c8f0c0", "#ffc9d9", "#e2d4ff", "#ffd3a8", "#bff0ea", "#f0e0c8",
           "#d9e8a8", "#f5c6f0")
OTHER = "#e4e4e4"  # speakers beyond the palette share a neutral grey


@dataclass
class SpeakerColour:
    name: str
    colour: str
    index: int
    count: int = 0


def assign(names: list[str]) -> tuple[list[SpeakerColour], dict[str, SpeakerColour]]:
    """The legend (speakers in order of first appearance, with how many
    times each is named in ``names``) and each name's entry; names of the
    same source ("Le Kremlin", "Kremlin") share one."""
    legend: list[SpeakerColour] = []
    by_name: dict[str, SpeakerColour] = {}
    for name in names:
        entry = by_name.get(name) or next((s for s in legend if same_speaker(s.name, name)), None)
        if entry is None:
            i = len(legend)
            entry = SpeakerColour(name, PALETTE[i] if i < len(PALETTE) else OTHER, i)
            legend.append(entry)
        by_name[name] = entry
        entry.count += 1
    return legend, by_name
