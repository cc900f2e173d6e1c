"""Jobs for bulk work, in the Batch API's shape: create (202), status, results (JSONL), cancel."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from verifier.service.auth import require_key
from verifier.service.job_store import job_out
from verifier.service.problems import Problem
from verifier.service.routes.common import PROBLEM_RESPONSES, engine_spec
from verifier.service.schemas import JobIn, JobOut

router = APIRouter(tags=["jobs"], responses=PROBLEM_RESPONSES)


def _job(request: Request, job_id: str, owner: str | None):
    """The job, if it exists and belongs to the caller's key (another key's job is "no job")."""
    try:
        job = request.app.state.store.load(job_id)
    except KeyError:
        job = None
    if job is None or job.owner != owner:  # a job made without keys is nobody's once keys are set
        raise Problem(404, f"no job {job_id!r}", kind="no-such-job")
    return job


@router.post("/jobs", status_code=202, response_model=JobOut,
             summary="Queue many articles; poll the job or give a webhook.")
async def create_job(request: Request, body: JobIn, owner: str | None = Depends(require_key)) -> JobOut:
    spec = engine_spec(request, body)
    engine = request.app.state.engines[spec]
    spec = type(spec)(engine.name, spec.model, spec.prompt)  # kept by name: a restart runs the same engine
    if body.webhook:  # refused now, not when the job ends (the name is resolved off the event loop)
        from starlette.concurrency import run_in_threadpool

        from verifier.ingest.addresses import check

        await run_in_threadpool(check, body.webhook, allow_private=request.app.state.settings.allow_private_urls)
    store, runner = request.app.state.store, request.app.state.runner
    items = [i.model_dump(exclude_none=True) for i in body.items]
    job = store.create(body.task, spec, items, language=body.language, webhook=body.webhook, owner=owner)
    runner.enqueue(job)
    return job_out(job, store)


@router.get("/jobs/{job_id}", response_model=JobOut, summary="A job's status and counts.")
async def get_job(request: Request, job_id: str, owner: str | None = Depends(require_key)) -> JobOut:
    return job_out(_job(request, job_id, owner), request.app.state.store)


@router.get("/jobs/{job_id}/results", summary="The finished items, one JSON line each (Batch API output shape).",
            response_class=StreamingResponse,
            responses={200: {"content": {"application/jsonl": {}}}})
async def job_results(request: Request, job_id: str, owner: str | None = Depends(require_key)):
    job = _job(request, job_id, owner)
    return StreamingResponse(request.app.state.store.result_lines(job), media_type="application/jsonl")


@router.delete("/jobs/{job_id}", response_model=JobOut,
               summary="Cancel: items not started are dropped; finished results are kept.")
async def cancel_job(request: Request, job_id: str, owner: str | None = Depends(require_key)) -> JobOut:
    store = request.app.state.store
    job = request.app.state.runner.cancel(_job(request, job_id, owner))
    return job_out(job, store)
