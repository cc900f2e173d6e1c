"""Language detection on the dev material (issue 18): ``identify_language`` against the known language.

    PYTHONPATH=$PWD python bench/eval_language.py [EVAL_DIR]   (default ../shared/eval)

Texts: frnews_dev articles (fr), DACCORD premises and hypotheses (fr, one sentence each), SummEdits
documents and summaries (en), PolNeAR articles and attribution contexts (en).  Prints, per set, how
many texts were called the right language and how many were answered by the stop-word fallback.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path

from verifier.text.language import identify_language


def _jsonl(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def sets(root: Path) -> dict[str, tuple[str, list[str]]]:
    daccord = list(_jsonl(root / "daccord_fr" / "daccord_sample100.jsonl"))
    summedits = root / "summedits_news_en"
    polnear = root / "polnear_en"
    return {
        "frnews_dev articles": ("fr", [p.read_text(encoding="utf-8") for p in sorted((root / "frnews_dev").glob("*.txt"))]),
        "DACCORD premises": ("fr", [row["premise"] for row in daccord]),
        "DACCORD hypotheses": ("fr", [row["hypothesis"] for row in daccord]),
        "SummEdits documents": ("en", [row["doc"] for row in _jsonl(summedits / "summedits_news_docs3.jsonl")]),
        "SummEdits summaries": ("en", [row["summary"] for row in _jsonl(summedits / "summedits_news_items.jsonl")]),
        "PolNeAR articles": ("en", [row["text"] for row in _jsonl(polnear / "polnear_dev_sample25.jsonl")]),
        "PolNeAR contexts": ("en", [row["context"] for row in
                                    _jsonl(polnear / "polnear_denial_like_cues_train_dev.jsonl")]),
    }


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval")
    identify_language("warm up")
    total = right = 0
    for name, (expected, texts) in sets(root).items():
        start = time.perf_counter()
        answers = [identify_language(text) for text in texts]
        elapsed = time.perf_counter() - start
        good = sum(code == expected for code, _ in answers)
        fallback = sum(conf is None for _, conf in answers)
        wrong = Counter(code for code, _ in answers if code != expected)
        total, right = total + len(texts), right + good
        print(f"{name:22} {good:4}/{len(texts):<4} right ({expected}), {fallback} by the stop-word guess, "
              f"{1000 * elapsed / max(1, len(texts)):.2f} ms/text" + (f", wrong: {dict(wrong)}" if wrong else ""))
    print(f"{'all':22} {right:4}/{total:<4} right")


if __name__ == "__main__":
    main()
