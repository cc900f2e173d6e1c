"""Token counts before sending: exact with tiktoken, else approximate.

tiktoken knows the encoding of OpenAI models; it downloads the encoding file
on first use and caches it (``TIKTOKEN_CACHE_DIR``, hash-checked).  When the
model is unknown (local servers, other providers) or the file cannot be had,
counts fall back to 4 characters per token, and ``TokenCount.method`` says
why.  Chat overheads follow OpenAI's cookbook: 3 tokens per message, the
tokens of every string field (role, content, name), 1 more for a name, and
3 for the reply priming.
"""

from __future__ import annotations

import functools
import math
import threading
from typing import TYPE_CHECKING

from verifier.engines.base import TokenCount

if TYPE_CHECKING:
    import tiktoken

CHARS_PER_TOKEN = 4
PER_MESSAGE = 3
PER_NAME = 1
REPLY_PRIMING = 3
LOAD_TIMEOUT = 20.0

_why: dict[str, str] = {}  # model -> why it has no encoding


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 100 else text[:97] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@functools.cache
def encoding_for(model: str) -> tiktoken.Encoding | None:
    """The tiktoken encoding of ``model``, or None (the reason is kept)."""
    _why.pop(model, None)
    try:
        import tiktoken
    except ImportError as exc:
        _why[model] = f"tiktoken unavailable ({_short(exc)})"
        return None
    try:
        name = tiktoken.encoding_name_for_model(model.strip().rsplit("/", 1)[-1].lower())
    except KeyError:
        _why[model] = f"no known tiktoken encoding for model {model!r}"
        return None
    try:
        return _get_encoding(tiktoken, name)
    except Exception as exc:  # network, cache, hash or plugin failure
        _why[model] = f"tiktoken encoding {name} unavailable ({_short(exc)})"
        return None


def _get_encoding(tiktoken, name: str):
    """``tiktoken.get_encoding``, given up after ``LOAD_TIMEOUT`` seconds: its
    first use downloads the file, and a network that drops packets must not
    hang a dry run."""
    box: dict = {}

    def load() -> None:
        try:
            box["encoding"] = tiktoken.get_encoding(name)
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            box["error"] = exc

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(LOAD_TIMEOUT)
    if thread.is_alive():
        raise TimeoutError(f"no download after {LOAD_TIMEOUT:.0f} s")
    if "error" in box:
        raise box["error"]
    return box["encoding"]


def _strings(message: dict) -> tuple[list[str], int]:
    """The countable strings of a chat message, and its extra overhead."""
    texts, extra = [], PER_MESSAGE
    for key, value in message.items():
        if isinstance(value, list):  # content parts: count the text ones
            texts += [p["text"] for p in value if isinstance(p, dict) and isinstance(p.get("text"), str)]
        elif isinstance(value, str):
            texts.append(value)
            extra += PER_NAME if key == "name" else 0
    return texts, extra


def _count(texts: list[str], overhead: int, model: str) -> TokenCount:
    enc = encoding_for(model)
    if enc is not None:
        tokens = sum(len(enc.encode(t, disallowed_special=())) for t in texts)
        return TokenCount(tokens + overhead, True, f"tiktoken {enc.name}")
    approx = math.ceil(sum(len(t) for t in texts) / CHARS_PER_TOKEN)
    why = _why.get(model, f"no tiktoken encoding for model {model!r}")
    return TokenCount(approx + overhead, False,
                      f"approximate ({CHARS_PER_TOKEN} characters per token): {why}")


def count_text(text: str, model: str) -> TokenCount:
    """Tokens of ``text`` alone, as ``model`` would see it."""
    return _count([text], 0, model)


def count_messages(messages: list[dict], model: str) -> TokenCount:
    """Prompt tokens of a chat request: messages, overheads, reply priming."""
    texts, overhead = [], REPLY_PRIMING
    for message in messages:
        strings, extra = _strings(message)
        texts += strings
        overhead += extra
    return _count(texts, overhead, model)
