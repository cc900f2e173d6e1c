"""A cap on request bodies: more than ``max_bytes`` is answered 413.

A declared ``Content-Length`` over the cap is refused before reading; a
chunked body is counted as it arrives and refused as soon as it passes the
cap, so no request holds more than ``max_bytes`` in memory.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException

from verifier.service.problems import problem_response


class _TooLarge(HTTPException):
    """Raised from ``receive``: the route's body parsing passes it on as is."""


class BodyLimit:
    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    def _detail(self) -> str:
        return f"the request body is larger than the {self.max_bytes / (1024 * 1024):g} MB limit"

    def _refuse(self):
        return problem_response(413, self._detail(), kind="too-large")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self._refuse()(scope, receive, send)
        seen = 0
        started = False

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(413, self._detail())
            return message

        async def tracked_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse()(scope, receive, send)
