"""Watching stories as they change (``verifier watch``): every version of an article or of a feed's items
kept in one SQLite file, each new version analysed and compared with the one before, claim by claim.

``store`` (the database and its migrations), ``polite`` (robots.txt, per-host delay, conditional
requests), ``feeds`` (RSS/Atom), ``passes`` (one pass → its events), ``events`` (what changed, in one
line), ``reports`` (``--report-dir``), ``notify`` (``--webhook`` in the background), ``history``
(reading the database back).  See docs/watch.md.
"""

from __future__ import annotations

from verifier.watch.passes import Change, PassResult, WatchOptions, run_pass, text_sha256
from verifier.watch.store import Store

__all__ = ["Change", "PassResult", "Store", "WatchOptions", "run_pass", "text_sha256"]
