"""``verifier prompts``: list, show and release prompt versions."""

from __future__ import annotations

import sys

import typer
from typing_extensions import Annotated

from verifier.errors import ConfigError

app = typer.Typer(help="List, show and release the versioned prompts.", no_args_is_help=True)


@app.command("list")
def list_prompts() -> None:
    """Every prompt version, its release state and description."""
    from rich.console import Console
    from rich.table import Table

    from verifier.engines.llm.prompts import all_prompts, read_lock

    lock = read_lock()
    table = Table(title="Prompts")
    for col in ("prompt", "released", "sha256", "description"):
        table.add_column(col)
    for p in all_prompts():
        state = "yes" if lock.get(p.id) == p.sha256 else ("CHANGED" if p.id in lock else "no")
        table.add_row(p.id, state, p.sha256[:12], p.description)
    Console().print(table)


@app.command("show")
def show(prompt: Annotated[str, typer.Argument(help="name@version, or a name for its latest version")]) -> None:
    """Print a prompt version's file."""
    from verifier.engines.llm.prompts import get_prompt

    sys.stdout.write(get_prompt(prompt).path.read_text("utf-8"))


@app.command("lock")
def lock() -> None:
    """Release new prompt versions into prompts.lock.json (refuses if a released one changed)."""
    from verifier.engines.llm.prompts import update_lock

    added = update_lock()
    sys.stdout.write("".join(f"released {p}\n" for p in added) or "nothing new to release\n")


@app.command("check")
def check() -> None:
    """Fail if a released prompt was edited or a version is not released."""
    from verifier.engines.llm.prompts import check_lock

    problems = check_lock()
    if problems:
        raise ConfigError("; ".join(problems))
    sys.stdout.write("all prompt versions match prompts.lock.json\n")
