"""Watches: addresses fetched again and again, each new version kept and compared with the one before
(``verifier watch``, run by the server): create, status, versions, pass now, delete."""

from __future__ import annotations

import time
from datetime import datetime, timezone

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from verifier.errors import ConfigError
from verifier.service.auth import require_key
from verifier.service.problems import Problem
from verifier.service.routes.common import PROBLEM_RESPONSES, engine_spec
from verifier.service.schemas import WatchIn, WatchOut, WatchVersions
from verifier.service.watch_registry import Watch

router = APIRouter(tags=["watches"], responses=PROBLEM_RESPONSES)
LEAST_EVERY = 60.0  # seconds: a shared server polls no site more often than this per watch


def _watch(request: Request, watch_id: str, owner: str | None) -> Watch:
    """The watch, if it exists and belongs to the caller's key (another key's watch is "no watch")."""
    try:
        watch = request.app.state.watches.load(watch_id)
    except KeyError:
        watch = None
    if watch is None or watch.owner != owner:
        raise Problem(404, f"no watch {watch_id!r}", kind="no-such-watch")
    return watch


def watch_out(watch: Watch, runner) -> WatchOut:
    status = "deleted" if watch.deleted else "running" if runner.running == watch.id else "waiting"
    due = None if watch.deleted else datetime.fromtimestamp(min(max(watch.next_at, time.time()), 2 ** 33),
                                                              timezone.utc)
    return WatchOut(id=watch.id, urls=watch.urls, every_seconds=watch.every, engine=watch.spec.name,
                    created_at=watch.created_at, webhook=watch.webhook, status=status, passes=watch.passes,
                    events=watch.events, last_pass_at=watch.last_pass_at,
                    next_pass_at=due.isoformat(timespec="seconds") if due else None,
                    last_failures=watch.last_failures, versions_url=f"/v1/watches/{watch.id}/versions")


@router.post("/watches", status_code=201, response_model=WatchOut,
             summary="Watch articles or feeds: a first pass now, then one every `every`.")
async def create_watch(request: Request, body: WatchIn, owner: str | None = Depends(require_key)) -> WatchOut:
    from verifier.ingest.addresses import check
    from verifier.watch.every import parse_every

    try:
        every = parse_every(body.every, name="every", least=LEAST_EVERY)
    except ConfigError as exc:
        raise Problem(422, str(exc), kind="bad-input") from None
    spec = engine_spec(request, body)
    spec = type(spec)(request.app.state.engines[spec].name, spec.model, spec.prompt)  # a restart runs the same
    allow = request.app.state.settings.allow_private_urls
    for url in [*body.urls, *([body.webhook] if body.webhook else [])]:  # refused now, not at the first pass
        await run_in_threadpool(check, url, allow_private=allow)
    watch = request.app.state.watches.create(body.urls, every, spec, owner=owner, webhook=body.webhook)
    request.app.state.watch_runner.wake()
    return watch_out(watch, request.app.state.watch_runner)


@router.get("/watches/{watch_id}", response_model=WatchOut, summary="A watch's status.")
async def get_watch(request: Request, watch_id: str, owner: str | None = Depends(require_key)) -> WatchOut:
    return watch_out(_watch(request, watch_id, owner), request.app.state.watch_runner)


@router.get("/watches/{watch_id}/versions", response_model=WatchVersions,
            summary="Every stored version of the watched articles, with what changed (`verifier history`).")
async def watch_versions(request: Request, watch_id: str, owner: str | None = Depends(require_key)) -> WatchVersions:
    watch = _watch(request, watch_id, owner)
    sources = await run_in_threadpool(_histories, request.app.state.watches.db(watch), watch.urls)
    return WatchVersions(id=watch.id, sources=[s.model_dump(mode="json") for s in sources])


def _histories(db, urls: list[str]) -> list:
    """``verifier history --json`` of each address, a feed's items in its place."""
    from verifier.watch.history import history
    from verifier.watch.store import Store

    if not db.is_file():
        return []
    store = Store(db)
    try:
        articles = []
        for url in urls:
            source = store.find(url)
            if source is None:
                continue
            articles += [item.url for item in store.items(source.id)] if source.kind == "feed" else [url]
    finally:
        store.close()
    return [history(db, url) for url in dict.fromkeys(articles)]


@router.post("/watches/{watch_id}/passes", status_code=202, response_model=WatchOut,
             summary="Run a pass as soon as the worker is free, without waiting for `every`.")
async def pass_now(request: Request, watch_id: str, owner: str | None = Depends(require_key)) -> WatchOut:
    watch = _watch(request, watch_id, owner)
    if watch.deleted:
        raise Problem(409, f"watch {watch_id!r} is deleted", kind="deleted-watch")
    watch.next_at = 0.0
    request.app.state.watches.save(watch)
    request.app.state.watch_runner.wake()
    return watch_out(watch, request.app.state.watch_runner)


@router.delete("/watches/{watch_id}", response_model=WatchOut,
               summary="Stop watching; the stored versions are kept.")
async def delete_watch(request: Request, watch_id: str, owner: str | None = Depends(require_key)) -> WatchOut:
    watch = _watch(request, watch_id, owner)
    watch.deleted = True
    request.app.state.watches.save(watch)
    return watch_out(watch, request.app.state.watch_runner)
