"""The one error type the CLI turns into a one-line message and an exit code."""

from __future__ import annotations

import re


class VerifierError(Exception):
    """Base error: its message is shown to the user as one line."""

    exit_code = 1


class InputError(VerifierError):
    """The input could not be read (missing file, directory, not UTF-8, empty...)."""

    exit_code = 3


class ConfigError(VerifierError):
    """Configuration is missing or invalid (no endpoint, bad option value...)."""

    exit_code = 4


class UpstreamError(VerifierError):
    """The LLM endpoint failed, refused or kept answering unusable output."""

    exit_code = 5


class FixtureMissing(VerifierError):
    """Replay found no fixture for the request's key."""

    exit_code = 6


_WORD = re.compile(r"[^\s\"'`()<>\[\]{},;]+")
_PIECE = 8  # this many consecutive characters of a key are a piece of it


def redact(message: str, secrets: list[str | None]) -> str:
    """Remove secrets from a message and fold it to one line: each secret,
    and every word that holds a piece of one (a key cut short, or masked the
    way providers echo it, ``sk-proj-****1e7b``)."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            message = message.replace(secret, "[redacted]")
            message = _WORD.sub(lambda m: "[redacted]" if _holds_piece(m.group(), secret) else m.group(), message)
    return " ".join(message.split())


_BEARER = re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}|\bBearer\s+(?:[A-Za-z0-9._~+/\-]{8,}=*|\[redacted\])",
                     re.IGNORECASE)


def scrub(text: str, secrets: list[str | None]) -> str:
    """``text`` with each secret, every word holding a piece of one, and
    anything that looks like a bearer token (``sk-...``, ``Bearer ...``)
    replaced by ``[redacted]``; unlike ``redact``, its lines and spaces stay."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
            text = _WORD.sub(lambda m: "[redacted]" if _holds_piece(m.group(), secret) else m.group(), text)
    return _BEARER.sub("[redacted]", text)


def leaks(text: str, secrets: list[str | None]) -> bool:
    """Whether ``text`` holds a secret or a piece of one (what ``redact`` removes)."""
    return any(secret and len(secret) >= 4 and any(_holds_piece(w, secret) for w in _WORD.findall(text))
               for secret in secrets)


def _holds_piece(word: str, secret: str) -> bool:
    size = min(_PIECE, len(secret))
    if any(secret[i:i + size] in word for i in range(len(secret) - size + 1)):
        return True
    masked, _, tail = word.rstrip(".:!?").rpartition("*")
    return bool(masked) and len(tail) >= 2 and secret.endswith(tail)


class Interrupted(VerifierError):
    """The user stopped the run (Ctrl-C); finished work is kept."""

    exit_code = 130


class Terminated(Interrupted):
    """The run was stopped by SIGTERM, handled like Ctrl-C; finished work is kept."""

    exit_code = 143
