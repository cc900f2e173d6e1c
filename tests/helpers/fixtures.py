"""The hand-annotated analyses stored under ``fixtures/responses``."""

from __future__ import annotations

import json

from tests.helpers.paths import FIXTURES


def fixture_content(sha16: str) -> dict:
    path = FIXTURES / "responses" / "analyze@v1" / "hand-annotated" / f"{sha16}.json"
    return json.loads(path.read_text("utf-8"))["content"]
