"""Reading a watch database: a source's versions (``verifier history``) and two stored versions compared
(``verifier diff URL@2 URL@5 --db PATH``)."""

from __future__ import annotations

import re
from pathlib import Path

from verifier.errors import InputError
from verifier.models import Analysis, DiffOutput
from verifier.models.watch import FeedItem, History, HistoryEntry
from verifier.watch.store import Store, StoredVersion

_AT = re.compile(r"^(?P<url>.+)@(?P<number>\d+)$")


def history(db: Path, url: str) -> History:
    store = Store(db, must_exist=True)
    try:
        source = store.find(url)
        if source is None:
            raise InputError(f"{url}: not watched in {db}")
        row = store.db.execute("SELECT last_status, last_error FROM sources WHERE id = ?", (source.id,)).fetchone()
        entries = []
        for v in store.versions(url):
            stored = store.diff_row(v.id)
            previous = store.version_by_id(stored[0]).number if stored else None
            entries.append(HistoryEntry(version=v.number, fetched_at=v.fetched_at, text_sha256=v.text_sha256,
                                        chars=len(v.text), title=v.title, final_url=v.final_url,
                                        previous_version=previous, summary=stored[2] if stored else None))
        items = [FeedItem(url=u, versions=n, in_feed=bool(f)) for u, n, f in store.db.execute(
            "SELECT s.url, (SELECT count(*) FROM versions v WHERE v.source_id = s.id), s.in_feed FROM sources s "
            "WHERE s.parent_id = ? ORDER BY s.id", (source.id,))]
        return History(url=url, kind=source.kind, in_feed=source.in_feed, last_status=row[0], last_error=row[1],
                       versions=entries, items=items)
    finally:
        store.close()


def parse_ref(ref: str) -> tuple[str, int] | None:
    """``URL@N`` → ``(URL, N)``; None for anything else (a file, a plain address)."""
    found = _AT.match(ref)
    return (found["url"], int(found["number"])) if found else None


def stored_diff(db: Path, old_ref: str, new_ref: str, engine, use_cache: bool = True
                ) -> tuple[str, Analysis, str, Analysis, DiffOutput]:
    """Two stored versions compared: ``(old text, old analysis, new text, new analysis, diff)``; their
    stored analyses are used when this engine made them, else they are analysed (through the cache)."""
    from verifier.watch.passes import WatchOptions, Watcher

    refs = [parse_ref(r) for r in (old_ref, new_ref)]
    bad = [r for r, parsed in zip((old_ref, new_ref), refs) if parsed is None]
    if bad:
        raise InputError(f"{bad[0]}: with --db, give stored versions as URL@N (e.g. https://example.org/a@2)")
    store = Store(db, must_exist=True)
    try:
        versions: list[StoredVersion] = []
        for (url, number), ref in zip(refs, (old_ref, new_ref)):
            found = store.version(url, number)
            if found is None:
                known = store.versions(url)
                have = f"it has versions 1 to {len(known)}" if known else "it is not watched there"
                raise InputError(f"{ref}: no such version in {db} ({have})")
            versions.append(found)
        one = Watcher(store, engine, WatchOptions(use_cache=use_cache), lambda c: None, lambda m: None)
        old, new = one.analysis(versions[0], keep=False), one.analysis(versions[1], keep=False)  # read only
        return versions[0].text, old, versions[1].text, new, one.compare(old, new)
    finally:
        store.close()
