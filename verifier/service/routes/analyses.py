"""``POST /v1/summarize``, ``/v1/claims``, ``/v1/who-said-what`` and ``/v1/analyze``: one article, as the CLI."""

from __future__ import annotations

from fastapi import APIRouter, Request

from verifier.models import Analysis, AttributionsOutput, ClaimsOutput, SummaryOutput
from verifier.service import tasks
from verifier.service.routes.common import PROBLEM_RESPONSES, engine_spec, json_response
from verifier.service.schemas import AnalyzeIn

router = APIRouter(tags=["analyses"], responses=PROBLEM_RESPONSES)


async def _view(request: Request, name: str, body: AnalyzeIn):
    spec = engine_spec(request, body)
    source = {"text": body.text, "url": body.url}
    text = await request.app.state.pool.run(tasks.view_json, name, source, spec, body.language, body.sentences)
    return json_response(text)


@router.post("/summarize", response_model=SummaryOutput,
             summary="A short summary; every sentence cites the passages it rests on (verifier summarize --json).")
async def summarize(request: Request, body: AnalyzeIn):
    return await _view(request, "summarize", body)


@router.post("/claims", response_model=ClaimsOutput,
             summary="The factual claims with modality, speaker and evidence offsets (verifier claims --json).")
async def claims(request: Request, body: AnalyzeIn):
    return await _view(request, "claims", body)


@router.post("/who-said-what", response_model=AttributionsOutput,
             summary="Every speaker, what they said, the reporting verb, denials and refusals to comment "
                     "(verifier who-said-what --json).")
async def who_said_what(request: Request, body: AnalyzeIn):
    return await _view(request, "who-said-what", body)


@router.post("/analyze", response_model=Analysis,
             summary="Claims, attributions and summary in one analysis.")
async def analyze(request: Request, body: AnalyzeIn):
    return await _view(request, "analyze", body)
