"""Errors as RFC 9457 problem documents (``application/problem+json``).

Every error the service answers has ``type``, ``title``, ``status`` and a
one-line ``detail``: for bad input, the same line the CLI prints after
``verifier: error:``.  ``VerifierError``s map to statuses by kind (input and
configuration: 422; the LLM endpoint failing: 502); anything else is a 500
whose detail names no internals.
"""

from __future__ import annotations

import logging
import os

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from verifier.errors import ConfigError, FixtureMissing, InputError, UpstreamError, VerifierError, redact

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("verifier")

TITLES = {400: "Bad request", 401: "Unauthorized", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 413: "Content too large", 415: "Unsupported media type", 422: "Unprocessable content",
          429: "Too many requests", 500: "Internal server error", 502: "Bad gateway",
          503: "Service unavailable", 504: "Gateway timeout"}
_KINDS = ((InputError, 422, "input"), (ConfigError, 422, "config"), (FixtureMissing, 422, "fixture"),
          (UpstreamError, 502, "upstream"))


class Problem(Exception):
    """An error answered as a problem document."""

    def __init__(self, status: int, detail: str, *, kind: str | None = None, headers: dict | None = None,
                 **extra):
        super().__init__(detail)
        self.status, self.detail, self.kind, self.headers, self.extra = status, detail, kind, headers or {}, extra


def problem_response(status: int, detail: str, *, kind: str | None = None, headers: dict | None = None,
                     instance: str | None = None, **extra) -> JSONResponse:
    body = {"type": f"urn:verifier:problem:{kind}" if kind else "about:blank",
            "title": TITLES.get(status, "Error"), "status": status, "detail": _clean(detail)}
    if instance:
        body["instance"] = instance
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=MEDIA_TYPE)


def from_verifier_error(exc: VerifierError) -> Problem:
    status, kind = next(((s, k) for t, s, k in _KINDS if isinstance(exc, t)), (500, "internal"))
    return Problem(status, str(exc), kind=kind)


def _clean(detail: str) -> str:
    """One line, without the endpoint's key or a service key."""
    keys = [os.environ.get("OPENAI_API_KEY")] + os.environ.get("VERIFIER_API_KEYS", "").split(",")
    return redact(detail, [k.strip() for k in keys if k and k.strip()])


def validation_detail(exc: RequestValidationError) -> str:
    """Pydantic's errors as one line: ``body.text: Field required; ...``."""
    parts = []
    for error in exc.errors()[:5]:
        loc = ".".join(str(x) for x in error.get("loc", ()) if x != "body") or "body"
        message = error.get("msg", "invalid")
        if message.startswith("Value error, "):  # our own validators: their message is the CLI's line
            parts.append(message[len("Value error, "):])
        else:
            parts.append(f"{loc}: {message}")
    return "; ".join(parts)


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return problem_response(exc.status, exc.detail, kind=exc.kind, headers=exc.headers,
                                instance=request.url.path, **exc.extra)

    @app.exception_handler(VerifierError)
    async def _verifier(request: Request, exc: VerifierError):
        p = from_verifier_error(exc)
        if p.status == 500:  # a bug: its details go to the log, not to the caller
            log.error("internal error on %s: %s", request.url.path, _clean(str(exc)))
            p.detail = f"internal error ({str(exc).split(':', 1)[0]})"
        return problem_response(p.status, p.detail, kind=p.kind, instance=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return problem_response(422, validation_detail(exc), kind="validation", instance=request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
        return problem_response(exc.status_code, detail, headers=getattr(exc, "headers", None),
                                kind="too-large" if exc.status_code == 413 else None, instance=request.url.path)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception):
        log.error("internal error on %s: %s: %s", request.url.path, type(exc).__name__, _clean(str(exc)))
        return problem_response(500, f"internal error ({type(exc).__name__})", kind="internal",
                                instance=request.url.path)
