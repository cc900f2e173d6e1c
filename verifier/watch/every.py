"""How often to watch: ``90``, ``30s``, ``15m``, ``2h`` as seconds (``verifier watch --every`` and the
service's ``POST /v1/watches``)."""

from __future__ import annotations

import re

from verifier.errors import ConfigError

_UNITS = {"s": 1, "m": 60, "h": 3600, "": 1}


MOST = 366 * 24 * 3600.0  # a year: beyond it a date cannot be made of it everywhere


def parse_every(value: str | float, *, name: str = "--every", least: float = 1.0, most: float = MOST) -> float:
    """``value`` in seconds, between ``least`` and ``most``; a ``ConfigError`` naming ``name`` otherwise."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", str(value or ""), re.IGNORECASE)
    seconds = float(found[1]) * _UNITS[found[2].lower()] if found else 0.0
    if not least <= seconds <= most:
        raise ConfigError(f"{name} {value!r}: give a duration from {least:g} s to {most / 3600:g} h, as 90s, 15m "
                          "or 2h")
    return seconds
