"""Bearer keys: ``VERIFIER_API_KEYS`` guards every ``/v1`` route.

The key is compared with each configured key in constant time
(``hmac.compare_digest`` over all of them, whichever matches), and is never
logged: a refusal says only that a key is missing or wrong.  A job belongs
to the key that created it (``fingerprint``): another key is told it does
not exist.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from verifier.service.problems import Problem

bearer = HTTPBearer(auto_error=False, description="One of the keys in VERIFIER_API_KEYS (when set).")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="verifier"'}


def key_matches(given: str, keys: tuple[str, ...]) -> bool:
    given_b = given.encode("utf-8")
    found = False
    for key in keys:  # no early exit: the time does not tell which key, or how much of one, matched
        found |= hmac.compare_digest(given_b, key.encode("utf-8"))
    return found


def fingerprint(key: str) -> str:
    """Who owns a job: a one-way digest of the key that created it (the key itself is never stored)."""
    return hmac.new(b"verifier-job-owner", key.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


async def require_key(request: Request,
                      credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> str | None:
    """The caller's fingerprint (None when the service has no keys), or 401."""
    keys = request.app.state.settings.api_keys
    if not keys:
        return None
    if credentials is None:
        raise Problem(401, "this service needs an API key: send Authorization: Bearer <key>",
                      kind="unauthorized", headers=CHALLENGE)
    if not key_matches(credentials.credentials, keys):
        raise Problem(401, "the API key is not valid", kind="unauthorized",
                      headers={"WWW-Authenticate": 'Bearer realm="verifier", error="invalid_token"'})
    return fingerprint(credentials.credentials)
