"""One pass over the watched addresses: fetch each politely, store each new text as a version with its
analysis and its diff against the version before, and say what changed (``WatchEvent``).

>>> from verifier.watch import Store, WatchOptions, run_pass
>>> result = run_pass(Store("news.db"), ["https://example.org/feed.xml"], make_engine("offline"), WatchOptions())

A new version is stored only when the article's extracted text changed (the SHA-256 of the text with its
white space normalised), never for a page whose furniture alone changed.  A failed fetch or analysis is
recorded on its source, reported through ``warn`` and the pass goes on.  Versions a killed pass left
without their analysis or diff are completed first.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from verifier.analysis.pipeline import AnalyzeOptions, Pipeline
from verifier.compare.diff import diff_analyses
from verifier.engines.base import Engine
from verifier.errors import InputError, VerifierError
from verifier.ingest.article import MAX_BYTES, article_from_bytes
from verifier.models import Analysis, DiffOutput
from verifier.models.watch import WatchEvent
from verifier.watch import events, feeds
from verifier.watch.polite import Disallowed, Polite
from verifier.watch.store import Source, Store, StoredVersion


@dataclass
class WatchOptions:
    delay: float = 1.0  # seconds between two requests to one host
    use_cache: bool = True
    report_dir: Path | None = None  # an HTML report per change, and index.html
    allow_private: bool = True  # False: addresses on private networks refused (ingest/addresses.py)
    pass_seconds: float | None = None  # the most a pass may take: the addresses left wait for the next pass


@dataclass
class Change:
    """A new version as the pass saw it: its event, and what a report needs."""

    event: WatchEvent
    line: str
    old_text: str | None = None
    old: Analysis | None = None
    new_text: str = ""
    new: Analysis | None = None


@dataclass
class PassResult:
    changes: list[Change] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # one line per address that failed
    skipped: list[str] = field(default_factory=list)  # robots.txt said no

    @property
    def events(self) -> list[WatchEvent]:
        return [c.event for c in self.changes]


def text_sha256(text: str) -> str:
    """The hash that decides whether a text is new: white space runs folded to one space."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def run_pass(store: Store, urls: list[str], engine: Engine, options: WatchOptions | None = None, *,
             emit: Callable[[Change], None] = lambda c: None, warn: Callable[[str], None] = lambda m: None
             ) -> PassResult:
    """One pass over ``urls`` (articles or feeds); ``emit`` is called for each new version as it is
    stored, ``warn`` with each one-line notice (a failure, a robots.txt refusal, an item gone from its feed)."""
    return Watcher(store, engine, options or WatchOptions(), emit, warn).run(urls)


class Watcher:
    def __init__(self, store: Store, engine: Engine, options: WatchOptions, emit, warn):
        self.store, self.engine, self.options = store, engine, options
        self.pipeline = Pipeline(engine, AnalyzeOptions(use_cache=options.use_cache))
        self.polite = Polite(options.delay, allow_private=options.allow_private)
        self.result = PassResult()
        self._emit, self.warn = emit, warn
        self.ends, self._said_late = float("inf"), False

    def run(self, urls: list[str]) -> PassResult:
        seconds = self.options.pass_seconds
        self.ends = time.monotonic() + seconds if seconds else float("inf")
        self.finish_unfinished(urls)
        for url in dict.fromkeys(urls):
            if self.late():
                break
            self.address(url)
        if self.options.report_dir is not None:
            from verifier.watch.reports import write_index

            write_index(self.store, self.options.report_dir)
        return self.result

    def late(self) -> bool:
        """The pass is over its time (``pass_seconds``): said once, as a failure; nothing more is fetched."""
        if time.monotonic() < self.ends:
            return False
        if not self._said_late:
            self._said_late = True
            message = f"the pass took longer than {self.options.pass_seconds:g} s; the addresses left wait for the next pass"
            self.result.failures.append(message)
            self.warn(f"warning: {message}")
        return True

    # ------------------------------------------------------------ fetching

    def address(self, url: str) -> None:
        """A watched address: a feed (then its items) or an article."""
        known = self.store.find(url)
        page = self.fetch(url, known)
        if page is None:
            if known is not None and known.kind == "feed":
                self.feed_items(known)
            return
        if page.status == 304:
            self._unchanged(known, page)
            if known.kind == "feed":
                self.feed_items(known)
            return
        if feeds.is_feed(page.media, page.data):
            feed = self.store.source(url, "feed")
            if len(page.data) > MAX_BYTES:  # cut: the items after the cut would look gone from the feed
                self.fail(feed, f"{url}: the feed is larger than the {MAX_BYTES // (1024 * 1024)} MB limit")
                return
            try:
                listed = feeds.items(page.data, url)
            except InputError as exc:
                self.fail(feed, str(exc))
                return
            for item in listed:
                self.store.source(item.url, "article", parent_id=feed.id)
            for gone in self.store.leave_feed(feed.id, [i.url for i in listed]):
                self.warn(f"{gone}: no longer in the feed {url}; its versions are kept, it is not fetched again")
            self.store.fetched(feed.id, str(page.status), etag=page.etag, last_modified=page.last_modified,
                               validators=True)
            self.feed_items(feed, {i.url: i.title for i in listed})
        else:
            self.article(self.store.source(url, "article"), page)

    def feed_items(self, feed: Source, titles: dict[str, str | None] | None = None) -> None:
        for item in self.store.items(feed.id):
            if self.late():
                return
            page = self.fetch(item.url, item)
            if page is None:
                continue
            if page.status == 304:
                self._unchanged(item, page)
            else:
                self.article(item, page, (titles or {}).get(item.url))

    def _unchanged(self, source: Source, page) -> None:
        """A 304: nothing downloaded; validators the answer renews are kept."""
        self.store.fetched(source.id, "304", etag=page.etag or source.etag,
                           last_modified=page.last_modified or source.last_modified, validators=True)

    def fetch(self, url: str, known: Source | None):
        try:
            return self.polite.fetch(url, etag=known.etag if known else None,
                                     last_modified=known.last_modified if known else None)
        except Disallowed as exc:
            source = known or self.store.source(url)
            self.store.fetched(source.id, "robots", error=str(exc))
            self.result.skipped.append(url)
            self.warn(f"{url}: skipped, {exc}")
        except InputError as exc:
            self.fail(known or self.store.source(url), str(exc))
        return None

    def fail(self, source: Source, message: str) -> None:
        self.store.fetched(source.id, "error", error=message)
        self.result.failures.append(message)
        self.warn(f"warning: {message}")

    # ------------------------------------------------------------ versions

    def article(self, source: Source, page, title: str | None = None) -> None:
        """A fetched page: a new version if its text is new, analysed and compared; validators kept after."""
        try:
            article = article_from_bytes(page.data, source.url, charset=page.charset, html=page.html,
                                         final_url=page.url)
            sha = text_sha256(article.text)
            latest = self.store.latest(source.id)
            if latest is None or latest.text_sha256 != sha:
                new = self.pipeline.analyze(article)
                old = self.analysis(latest) if latest else None
                diff = self.compare(old, new) if old else None
                text = events.summary(diff, old, new) if diff else ""
                stored = self.store.add_version(source.id, article.text, sha, etag=page.etag,
                                                last_modified=page.last_modified, final_url=page.url,
                                                title=title or _title(page), analysis=new,
                                                diff=(latest.id, diff, text) if diff else None)
                if stored is not None and stored.number > 1 and self.store.diff_row(stored.id) is None:
                    self.complete(stored)  # another watcher stored a version in between: compared with it
                elif stored is not None:
                    self.emit(stored, latest, text, old, new, diff)
        except VerifierError as exc:
            self.fail(source, str(exc))
            return
        except Exception as exc:  # a bug on one page must not stop a watcher: recorded, the pass goes on
            self.fail(source, f"{source.url}: internal error: {type(exc).__name__}: {exc}")
            return
        self.store.fetched(source.id, str(page.status), etag=page.etag, last_modified=page.last_modified,
                           validators=True)

    def analysis(self, version: StoredVersion, *, keep: bool = True) -> Analysis:
        """A stored version's analysis, if the engine that made it is this one; else analysed now (and
        stored in its place when ``keep``: a pass; ``verifier diff URL@N --db`` only reads)."""
        stored = self.store.analysis_json(version.id)
        if stored:
            analysis = Analysis.model_validate_json(stored)
            p = analysis.provenance
            if (p.engine, p.model, p.prompt) == (self.engine.name, self.engine.model, self.engine.prompt_id):
                return analysis
        # the stored text is the extracted text: read as plain text, whatever the address's suffix
        stored_text = article_from_bytes(version.text.encode("utf-8"), version.url, html=False,
                                         final_url=version.final_url)
        analysis = self.pipeline.analyze(stored_text)
        if keep:
            self.store.put_analysis(version.id, analysis)
        return analysis

    def compare(self, old: Analysis, new: Analysis) -> DiffOutput:
        return diff_analyses(old, new, judge=self.engine if self.engine.capabilities.judges else None)

    def finish_unfinished(self, urls: list[str]) -> None:
        """Versions of these addresses (a feed's items included) stored without their analysis or diff
        (a pass killed between two writes); another watcher's addresses are its own to complete."""
        watched: set[int] = set()
        for url in urls:
            source = self.store.find(url)
            if source is not None:
                watched.add(source.id)
                watched.update(item.id for item in self.store.items(source.id))
        for version in self.store.unfinished():
            if version.source_id not in watched:
                continue
            try:
                self.complete(version)
            except VerifierError as exc:
                self.warn(f"warning: {version.url} v{version.number}: not analysed: {exc}")

    def complete(self, version: StoredVersion) -> None:
        """A stored version's missing analysis and diff, then its event."""
        new = self.analysis(version)
        previous = self.store.previous(version)
        if previous is None or self.store.diff_row(version.id):
            return
        old = self.analysis(previous)
        diff = self.compare(old, new)
        text = events.summary(diff, old, new)
        self.store.put_diff(version.id, previous.id, diff, text)
        self.emit(version, previous, text, old, new, diff)

    def emit(self, version: StoredVersion, previous: StoredVersion | None, text: str, old, new, diff) -> None:
        prev_number = previous.number if previous else None
        event = WatchEvent(url=version.url, version=version.number, previous_version=prev_number,
                           fetched_at=version.fetched_at, summary=text or "first version", diff=diff)
        change = Change(event, events.line(version.url, version.number, prev_number, text),
                        previous.text if previous else None, old, version.text, new)
        if self.options.report_dir is not None and diff is not None:
            from verifier.watch.reports import write_change

            write_change(self.options.report_dir, change)
        self.result.changes.append(change)
        self._emit(change)


def _title(page) -> str | None:
    import re

    if not page.html:
        return None
    found = re.search(rb"<title[^>]*>(.*?)</title>", page.data[:65536], re.IGNORECASE | re.DOTALL)
    if not found:
        return None
    import html

    return " ".join(html.unescape(found.group(1).decode("utf-8", "replace")).split())[:300] or None
