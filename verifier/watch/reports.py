"""``--report-dir``: the HTML side-by-side report of each change (the renderer of ``verifier report
--against``) and an ``index.html`` listing every stored change, newest first; every file written atomically."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

from verifier.storage import write_atomic


def report_name(url: str, previous: int, version: int) -> str:
    """A file name for one change: readable, and unique per address (a hash of the address)."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", url.split("://", 1)[-1]).strip("-")[:60]
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}-v{previous}-v{version}.html"


def write_change(directory: Path, change) -> Path | None:
    """The report of one change (``passes.Change``); None when an analysis is missing."""
    from verifier.render.html import diff_report_html

    e = change.event
    if change.old is None or change.new is None or e.diff is None or e.previous_version is None:
        return None
    page = diff_report_html(change.old_text, change.old, change.new_text, change.new, e.diff,
                            title=f"{e.url}: v{e.previous_version} → v{e.version}")
    path = Path(directory) / report_name(e.url, e.previous_version, e.version)
    write_atomic(path, page)
    return path


def write_index(store, directory: Path) -> Path:
    """``index.html``: every change in the database, newest first, linked to its report when written."""
    directory = Path(directory)
    rows = []
    for url, number, previous, fetched_at, summary in store.changes():
        name = report_name(url, previous, number)
        link = (f'<a href="{html.escape(name)}">v{previous} → v{number}</a>' if (directory / name).is_file()
                else f"v{previous} → v{number}")
        rows.append(f"<tr><td>{html.escape(fetched_at)}</td><td>{html.escape(url)}</td><td>{link}</td>"
                    f"<td>{html.escape(summary)}</td></tr>")
    page = ("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>verifier watch: changes</title>"
            "<style>body{font-family:sans-serif;margin:2em}td{padding:.3em .6em;vertical-align:top;"
            "border-bottom:1px solid #ddd}</style></head><body><h1>Changes</h1>\n"
            "<table><tr><th>fetched</th><th>address</th><th>versions</th><th>what changed</th></tr>\n"
            + "\n".join(rows) + "\n</table></body></html>\n")
    path = directory / "index.html"
    write_atomic(path, page)
    return path
