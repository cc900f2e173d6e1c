"""What the routes share: the engine a request names, and answering with the library's JSON."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from verifier.service.schemas import EngineChoice
from verifier.service.settings import EngineSpec

JSON = "application/json"
PROBLEM_RESPONSES = {status: {"description": text, "content": {"application/problem+json": {}}}
                     for status, text in ((401, "Missing or wrong API key"), (413, "Body over 10 MB"),
                                          (422, "Bad input: the CLI's one-line message in `detail`"),
                                          (429, "Busy: retry after Retry-After seconds"),
                                          (502, "The LLM endpoint failed"), (504, "The analysis took too long"))}


def engine_spec(request: Request, choice: EngineChoice) -> EngineSpec:
    """The request's engine (the server's by default), checked now: an unknown engine,
    or options it does not take, are a 422 before any work is queued."""
    default: EngineSpec = request.app.state.settings.engine
    spec = EngineSpec(choice.engine, choice.model, choice.prompt) if choice.engine else \
        EngineSpec(default.name, choice.model or default.model, choice.prompt or default.prompt)
    engines: dict = request.app.state.engines
    if spec not in engines:
        engines[spec] = spec.build()  # raises ConfigError: answered 422 with the CLI's line
    return spec


def json_response(text: str) -> Response:
    return Response(content=text, media_type=JSON)
