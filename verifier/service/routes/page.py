"""``GET /``: a page to paste a text or an address (or two, for a diff) and see the report;
``POST /v1/report``: the report itself (the page ``verifier report`` writes)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from verifier.service import tasks
from verifier.service.routes.common import PROBLEM_RESPONSES, engine_spec
from verifier.service.schemas import ReportIn

router = APIRouter(tags=["page"])
api = APIRouter(tags=["page"], responses=PROBLEM_RESPONSES)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def home(request: Request) -> HTMLResponse:
    page = resources.files("verifier.service").joinpath("home.html").read_text("utf-8")
    needs_key = "true" if request.app.state.settings.api_keys else "false"
    return HTMLResponse(page.replace("__NEEDS_KEY__", needs_key))


@api.post("/report", response_class=HTMLResponse,
          summary="The HTML report of an article (with `against`: two versions side by side).",
          responses={200: {"content": {"text/html": {}}}})
async def report(request: Request, body: ReportIn) -> HTMLResponse:
    spec = engine_spec(request, body)
    against = body.against.model_dump() if body.against else None
    html = await request.app.state.pool.run(tasks.report_html, {"text": body.text, "url": body.url}, against, spec,
                                            body.language)
    return HTMLResponse(html)
