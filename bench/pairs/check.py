"""Check the cross-outlet diff pairs: every gold snippet must occur exactly once in its text.

From the project root:  python bench/pairs/check.py
Texts under <pair>/local/ are not committed (all-rights-reserved articles); a pair whose texts are
missing is reported as skipped, not as a failure of its snippets.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def snippets(gold: dict):
    """(side, snippet, where) for every snippet of a gold."""
    for i, s in enumerate(gold["shared"]):
        yield "old", s["old"], f"shared[{i}]"
        yield "new", s["new"], f"shared[{i}]"
    for side in ("old", "new"):
        for i, s in enumerate(gold[f"only_{side}"]):
            yield side, s["text"], f"only_{side}[{i}]"
        for i, d in enumerate(gold["denials"].get(f"only_{side}", [])):
            yield side, d["text"], f"denials.only_{side}[{i}]"
    for i, d in enumerate(gold["denials"].get("both", [])):
        yield "old", d["old"], f"denials.both[{i}]"
        yield "new", d["new"], f"denials.both[{i}]"


def counts(gold: dict) -> dict:
    return {
        "shared": len(gold["shared"]),
        "changed": sum(bool(s["changes"]) for s in gold["shared"]),
        "only_old": len(gold["only_old"]),
        "only_new": len(gold["only_new"]),
        "speakers": {k: len(v) for k, v in gold["speakers"].items()},
        "denials": {k: len(v) for k, v in gold["denials"].items()},
    }


def check(gold: dict) -> list[str]:
    """Problems of one pair whose texts are on disk."""
    errors, texts = [], {}
    for side in ("old", "new"):
        t = (ROOT / gold[side]).read_text(encoding="utf-8")
        if "\r" in t or "\u00a0" in t or "\u202f" in t:
            errors.append(f"{gold[side]}: CR or non-breaking space")
        if not t.endswith("\n") or "\n\n\n" in t:
            errors.append(f"{gold[side]}: paragraphs must be separated by one blank line, file ending with a newline")
        texts[side] = t
    for side, snippet, where in snippets(gold):
        found = texts[side].count(snippet)
        if found != 1:
            what = "not found" if not found else f"found {found} times (scorers use the first)"
            errors.append(f"{where} [{side}] {what}: {snippet[:70]!r}")
    return errors


def main() -> int:
    bad = 0
    for gold_path in sorted(HERE.glob("*/gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        name = gold_path.parent.name
        missing = [gold[side] for side in ("old", "new") if not (ROOT / gold[side]).exists()]
        if missing:
            print(f"{name}: skipped, {', '.join(missing)} not present (all-rights-reserved text kept out of "
                  "git: prepare it from the URL in gold.json 'sources')")
            continue
        errors = check(gold)
        n = sum(1 for _ in snippets(gold))
        print(f"{name}: {n} snippets {'FAIL' if errors else 'ok'}  {json.dumps(counts(gold), ensure_ascii=False)}")
        for e in errors:
            print("   ", e)
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
