"""The one error type the CLI turns into a one-line message and an exit code."""

from __future__ import annotations


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


def redact(message: str, secrets: list[str | None]) -> str:
    """Remove secrets from a message and fold it to one line."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            message = message.replace(secret, "[redacted]")
    return " ".join(message.split())


class Interrupted(VerifierError):
    """The user stopped the run (Ctrl-C); finished work is kept."""

    exit_code = 130
