"""Model prices for cost estimates, in USD per 1M tokens.

The built-in table (``verifier/batch/prices.json``) holds list prices at a stated
date; they are not checked against any account.  A user file in the same
format, given as ``path`` or by ``VERIFIER_PRICES``, overrides or adds models:
only ``"models"`` is required, and each model needs ``"input"`` and
``"output"`` (``"batch_input"``/``"batch_output"`` default to the standard
price).  A local server can be priced at 0.

Model names match case-insensitively: exactly, else the longest known name
followed by ``-`` (``gpt-4o-mini-2024-07-18`` is ``gpt-4o-mini``); a provider
prefix such as ``openai/`` is ignored.  So a variant with its own price (e.g.
``o3-mini``, ``gpt-5-pro``) needs its own entry, or it is priced as its base.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from verifier.errors import ConfigError

BUILTIN = Path(__file__).with_name("prices.json")
FIELDS = ("input", "output", "batch_input", "batch_output")


@dataclass(frozen=True)
class Price:
    """USD per 1M tokens; a batch price of None means the standard price."""

    input: float
    output: float
    batch_input: float | None = None
    batch_output: float | None = None


class PriceTable:
    """Known prices by lower-case model name, and where they came from."""

    def __init__(self, models: Mapping[str, Price], source: str) -> None:
        self.models: dict[str, Price] = {name.lower(): p for name, p in models.items()}
        self.source = source

    def price(self, model: str) -> Price | None:
        """The price for ``model``, or None when no known name matches it."""
        full = model.strip().lower()
        names = dict.fromkeys([full, full.rsplit("/", 1)[-1]])
        for name in names:
            if name in self.models:
                return self.models[name]
        for name in names:
            known = [k for k in self.models if name.startswith(k + "-")]
            if known:
                return self.models[max(known, key=len)]
        return None

    def cost(self, model: str, prompt_tokens: int, completion_tokens: int,
             *, batch: bool = False) -> float | None:
        """Cost in USD, or None when the model has no price."""
        p = self.price(model)
        if p is None:
            return None
        rate_in = p.batch_input if batch and p.batch_input is not None else p.input
        rate_out = p.batch_output if batch and p.batch_output is not None else p.output
        return (prompt_tokens * rate_in + completion_tokens * rate_out) / 1_000_000


def _rate(entry: dict, key: str, required: bool) -> float | None:
    value = entry.get(key)
    if value is None:
        if required:
            raise ValueError(f"missing {key!r}")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{key!r} is not a number: {value!r}")
    if value < 0:
        raise ValueError(f"{key!r} is negative: {value!r}")
    return float(value)


def _read(path: Path) -> tuple[dict, dict[str, Price]]:
    """(document, prices by lower-case name); ConfigError on any problem."""
    def fail(problem: str) -> ConfigError:
        return ConfigError(" ".join(f"price file {path}: {problem}".split()))
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise fail("not found") from None
    except UnicodeDecodeError:
        raise fail("not UTF-8 text") from None
    except OSError as exc:
        raise fail(f"cannot read it ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise fail(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    models = doc.get("models") if isinstance(doc, dict) else None
    if not isinstance(models, dict):
        raise fail('expected a JSON object with a "models" object')
    prices = {}
    for name, entry in models.items():
        if not name.strip():
            raise fail("a model name is empty")
        if not isinstance(entry, dict):
            raise fail(f"model {name!r}: expected an object with \"input\" and \"output\"")
        try:
            rates = [_rate(entry, k, not k.startswith("batch")) for k in FIELDS]
        except ValueError as exc:
            raise fail(f"model {name!r}: {exc}") from None
        prices[name.strip().lower()] = Price(*rates)
    return doc, prices


def load_prices(path: Path | None = None) -> PriceTable:
    """The built-in prices merged with ``path`` or the ``VERIFIER_PRICES`` file."""
    doc, models = _read(BUILTIN)
    source = f"built-in list prices as of {doc.get('as_of', 'an unknown date')}"
    if path is None:
        env = os.environ.get("VERIFIER_PRICES", "").strip()
        path = Path(env).expanduser() if env else None
    if path is not None:
        models.update(_read(Path(path))[1])
        source = f"built-in + {path}"
    return PriceTable(models, source)
