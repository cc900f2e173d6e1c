"""Fixtures: engine responses stored on disk, keyed like the cache.

A fixture lives at ``fixtures/responses/<prompt>/<model>/<sha16>[.<lang>].json``
and holds::

    {"key": {"prompt": "analyze@v1", "model": "...", "article_sha256": "...",
             "output_language": null},
     "source": {"kind": "hand-annotated" | "recorded", "model": ..., "date": ...},
     "article": "articles/<file>"            # optional, relative to fixtures/
     "content": {...}                        # hand-annotated: the AnalysisDraft
     "response": {...}}                      # recorded: the chat.completion body

``hand-annotated`` fixtures are written by the maintainers and use the model
name ``hand-annotated``; ``recorded`` ones are captured from a live endpoint
by ``verifier record`` and carry the model the endpoint reported and the date.
No request header (so no API key) is ever stored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from verifier.config import fixtures_dir
from verifier.errors import ConfigError
from verifier.models import FixtureSource
from verifier.storage import write_atomic

HAND_ANNOTATED = "hand-annotated"


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._@-]+", "_", value)


@dataclass(frozen=True)
class FixtureKey:
    prompt: str
    model: str
    article_sha256: str
    output_language: str | None = None

    def relpath(self) -> Path:
        suffix = f".{_slug(self.output_language)}" if self.output_language else ""
        return Path("responses") / _slug(self.prompt) / _slug(self.model) / f"{self.article_sha256[:16]}{suffix}.json"

    def describe(self) -> str:
        lang = f", output language {self.output_language}" if self.output_language else ""
        return f"prompt {self.prompt}, model {self.model}, article {self.article_sha256[:16]}{lang}"


class FixtureStore:
    def __init__(self, root: Path | None = None):
        self.root = root or fixtures_dir()

    def path(self, key: FixtureKey) -> Path:
        return self.root / key.relpath()

    def load(self, key: FixtureKey) -> dict | None:
        path = self.path(key)
        if not path.is_file():
            return None
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: unreadable fixture ({exc})") from None
        stored = data.get("key", {})
        if stored.get("article_sha256") != key.article_sha256 or stored.get("prompt") != key.prompt:
            raise ConfigError(f"{path}: its key does not match its file name")
        return data

    def source(self, data: dict, key: FixtureKey) -> FixtureSource:
        src = dict(data.get("source") or {})
        src["path"] = str(self.path(key).relative_to(self.root))
        return FixtureSource.model_validate(src)

    def save_recorded(self, key: FixtureKey, response: dict, *, model: str, date: str, article: str | None) -> Path:
        path = self.path(key)
        data = {
            "key": {"prompt": key.prompt, "model": key.model, "article_sha256": key.article_sha256,
                    "output_language": key.output_language},
            "source": {"kind": "recorded", "model": model, "date": date},
            "article": article,
            "response": response,
        }
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return path


def completion_body(data: dict, key: FixtureKey) -> dict:
    """The chat.completion body a fixture replays."""
    if "response" in data:
        return data["response"]
    content = json.dumps(data["content"], ensure_ascii=False)
    return {
        "id": f"replay-{key.article_sha256[:16]}",
        "object": "chat.completion",
        "created": 0,
        "model": key.model,
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                     "message": {"role": "assistant", "content": content, "refusal": None}}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }
