"""How often to watch: ``90``, ``30s``, ``15m``, ``2h`` as seconds (``verifier watch --every`` and the
service's ``POST /v1/watches``)."""

from __future__ import annotations

import re

from verifier.errors import ConfigError

_UNITS = {"s": 1, "m": 60, "h": 3600, "": 1}


def parse_every(value: str | float, *, name: str = "--every", least: float = 1.0) -> float:
    """``value`` in seconds, at least ``least``; a ``ConfigError`` naming ``name`` otherwise."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", str(value or ""), re.IGNORECASE)
    seconds = float(found[1]) * _UNITS[found[2].lower()] if found else 0.0
    if seconds < least:
        raise ConfigError(f"{name} {value!r}: give a duration of at least {least:g} s, as 90s, 15m or 2h")
    return seconds
