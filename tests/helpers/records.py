"""A batch results file (JSONL) as records by id, each less its ``finished`` time: what two runs that
analysed the same articles must agree on."""

from __future__ import annotations

import json
from pathlib import Path


def by_id(out: Path) -> dict[str, dict]:
    found = {}
    for line in out.read_text("utf-8").splitlines():
        record = json.loads(line)
        record.pop("finished")
        found[record["id"]] = record
    return found
