"""What can go wrong with an endpoint's answer, and how to say it in one line.

* ``InvalidResponse``: a 2xx body that is not a chat completion (retried);
* ``UnusableReply``: a completion without a usable answer (a refusal, a
  cut-off at the output limit, a content filter; asked again once);
* ``InvalidReply``: a reply still schema-invalid after every re-ask;
* ``describe``: one short line for an endpoint fault (no body dumps, no
  secrets); ``validation_summary``: a validation error as the lines a
  re-ask sends back.
"""

from __future__ import annotations

from pydantic import ValidationError

from verifier.errors import UpstreamError


class InvalidResponse(Exception):
    """The endpoint answered 2xx with a body that is not a chat completion."""


class InvalidReply(Exception):
    """The model's reply stayed schema-invalid after every re-ask."""

    def __init__(self, error: ValidationError | ValueError, asks: int):
        self.error = error
        self.asks = asks
        super().__init__(str(error))


class UnusableReply(UpstreamError):
    """A completion without a usable answer: ``kind`` is "refusal", "length"
    (cut off at the output limit) or "content_filter".  The message is
    ``what`` + ``detail``; ``after`` adds how many replies it ended."""

    def __init__(self, kind: str, what: str, detail: str = ""):
        self.kind, self.what, self.detail = kind, what, detail
        super().__init__(what + detail)

    def after(self, unusable: int, asks: int) -> UnusableReply:
        """This fault as the end of ``asks`` replies, ``unusable`` of them without an answer."""
        if asks < 2:
            return self
        which = f"in each of {asks} replies" if unusable == asks else f"in the last of {asks} replies"
        return UnusableReply(self.kind, f"{self.what} {which}", self.detail)


def validation_summary(exc: Exception, limit: int = 10) -> str:
    if isinstance(exc, ValidationError):
        lines = [f"- {'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in exc.errors()[:limit]]
        more = exc.error_count() - limit
        return "\n".join(lines + ([f"- ... and {more} more"] if more > 0 else []))
    return f"- {exc}"


def describe(exc: BaseException | None) -> str:
    """One short line for an endpoint fault (no body dumps, no secrets)."""
    import openai

    if exc is None:
        return "unknown error"
    if isinstance(exc, openai.APITimeoutError):
        return "request timed out"
    if isinstance(exc, openai.APIConnectionError):
        import httpx2

        from verifier.engines.llm.guard import DeadlinePassed, ReplyTooLarge

        if isinstance(exc.__cause__, (DeadlinePassed, ReplyTooLarge)):
            return str(exc.__cause__)

        if isinstance(exc.__cause__, httpx2.RemoteProtocolError):
            return "the endpoint closed the connection before the whole response arrived"
        if isinstance(exc.__cause__, (httpx2.ReadError, httpx2.WriteError)):
            return "the connection to the endpoint broke"
        return "could not connect to the endpoint"
    if isinstance(exc, openai.APIStatusError):
        message = ""
        body = exc.body
        if isinstance(body, dict):
            err = body.get("error", body)
            message = err.get("message", "") if isinstance(err, dict) else str(err)
        reason = getattr(exc.response, "reason_phrase", "") or ""
        text = f"HTTP {exc.status_code} {reason}".strip()
        return f"{text}: {message[:200]}" if message else text
    if isinstance(exc, InvalidResponse):
        return f"invalid response body ({exc})"
    return f"{type(exc).__name__}: {str(exc)[:200]}"
