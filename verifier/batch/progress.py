"""The batch progress bar on stderr: articles done, rate, ETA, tokens, cost.

Drawn only on a terminal; in logs and pipes the batch prints its summary and
nothing else.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn,
)
from rich.text import Text


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f}/s" if speed else "–/s", style="progress.data.speed")


class BatchProgress:
    def __init__(self, enabled: bool = True):
        self.console = Console(stderr=True)
        self.enabled = enabled and self.console.is_terminal
        self._progress: Progress | None = None
        self._task = None
        self.tokens = 0
        self.cost: float | None = 0.0

    def start(self, total: int, label: str, *, spending: bool = True) -> None:
        """``spending``: show tokens and cost (engines that send requests)."""
        if not self.enabled:
            return
        columns = [TextColumn("{task.description}"), BarColumn(bar_width=24), MofNCompleteColumn(), RateColumn(),
                   TextColumn("ETA"), TimeRemainingColumn()]
        if spending:
            columns += [TextColumn("{task.fields[tokens]} tok"), TextColumn("{task.fields[cost]}")]
        self._progress = Progress(*columns, console=self.console, transient=False)
        self._progress.start()
        self._task = self._progress.add_task(label, total=total, tokens=0, cost=_money(0.0))

    def advance(self, tokens: int = 0, cost: float | None = 0.0) -> None:
        self.tokens += tokens
        self.cost = None if cost is None or self.cost is None else self.cost + cost
        if self._progress is not None:
            self._progress.update(self._task, advance=1, tokens=f"{self.tokens:,}", cost=_money(self.cost))

    def note(self, message: str) -> None:
        """A line above the bar (or on stderr without one)."""
        self.console.print(f"verifier: {message}", highlight=False, markup=False)

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _money(value: float | None) -> str:
    return "$ n/a" if value is None else f"${value:.4f}"
