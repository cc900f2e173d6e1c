"""``POST /v1/diff`` (two versions, claim by claim) and ``POST /v1/verify`` (claims against a source)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from verifier.models import DiffOutput, VerifyOutput
from verifier.service import tasks
from verifier.service.routes.common import PROBLEM_RESPONSES, engine_spec, json_response
from verifier.service.schemas import DiffIn, VerifyIn

router = APIRouter(tags=["compare"], responses=PROBLEM_RESPONSES)


@router.post("/diff", response_model=DiffOutput, summary="Two versions of a story, claim by claim (verifier diff --json).")
async def diff(request: Request, body: DiffIn):
    spec = engine_spec(request, body)
    text = await request.app.state.pool.run(tasks.diff_json, body.old.model_dump(), body.new.model_dump(), spec)
    return json_response(text)


@router.post("/verify", response_model=VerifyOutput,
             summary="Each claim supported, contradicted or not found in the source (verifier verify --json).")
async def verify(request: Request, body: VerifyIn):
    spec = engine_spec(request, body)
    text = await request.app.state.pool.run(tasks.verify_json, body.claims, body.source.model_dump(), spec)
    return json_response(text)
