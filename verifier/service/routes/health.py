"""``GET /healthz``: up, which engine, models loaded (no key needed; answered on the event loop)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from verifier import __version__
from verifier.service.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz(request: Request) -> Health:
    settings, pool = request.app.state.settings, request.app.state.pool
    spec = settings.engine
    engines = request.app.state.engines
    if spec not in engines:
        engines[spec] = spec.build()
    engine = engines[spec]
    return Health(version=__version__, engine=engine.name, model=engine.model, prompt=engine.prompt_id,
                  models_loaded=pool.warmed and not pool.broken, workers=pool.workers, busy=pool.busy, queue=settings.queue)
