"""Reading CLAIMS for ``verify``: a JSON file, a text file of one claim per line, or an article whose claims
are extracted (through the analysis pipeline)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from verifier.analysis.pipeline import Pipeline
from verifier.errors import InputError
from verifier.ingest.article import is_url, read_article
from verifier.models import Claim, Provenance


@dataclass
class ClaimInput:
    text: str
    claim: Claim | None = None


def read_claims(path: str, pipeline: Pipeline) -> tuple[list[ClaimInput], str, Provenance | None]:
    """CLAIMS as a JSON file (a list of strings, a list of objects with
    ``text``, or our ``claims`` output), a text file of one claim per line
    (no line holds more than one sentence; blank lines and "- " bullets are
    fine), or an article whose claims ``pipeline`` extracts.  Returns the
    claims, a description and the extraction's provenance (articles only)."""
    p = Path(path)
    if path != "-" and not is_url(path) and p.suffix.lower() == ".json":
        return _json_claims(p), f"{path} (JSON)", None
    article = read_article(path)
    lines = [line.strip() for line in article.text.split("\n") if line.strip()]
    if _is_list(lines):
        return [ClaimInput(line.lstrip("-*• ").strip()) for line in lines], f"{path} (one claim per line)", None
    analysis = pipeline.analyze(article)
    grounded = [c for c in analysis.claims if c.grounded]  # an ungrounded claim is no claim of the article
    if not grounded:
        found = len(analysis.claims)
        raise InputError(f"{path}: no claims were found in this article" if not found else
                         f"{path}: none of the {found} claims found is grounded in the article")
    return [ClaimInput(c.text, c) for c in grounded], f"{path} (article: claims extracted)", analysis.provenance


def _is_list(lines: list[str]) -> bool:
    """One claim per line: no line holds more than one sentence (an article's
    paragraphs usually hold several)."""
    from verifier.text.sentences import split

    return bool(lines) and all(len(split(line)) == 1 for line in lines)


def _json_claims(p: Path) -> list[ClaimInput]:
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{p}: not a readable JSON file ({type(exc).__name__})") from None
    return claims_from_data(data, str(p))


def claims_from_data(data, where: str) -> list[ClaimInput]:
    """Claims from parsed JSON: a list of strings, of objects with ``text``,
    or our ``claims`` output (an object with a ``claims`` list); ``where``
    names the input in error messages."""
    if isinstance(data, dict):
        data = data.get("claims")
    if not isinstance(data, list) or not data:
        raise InputError(f"{where}: expected a JSON list of claims, or an object with a 'claims' list")
    out = []
    for n, item in enumerate(data, 1):
        text = item if isinstance(item, str) else item.get("text") if isinstance(item, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{where}: each claim must be a string or an object with a 'text' string")
        claim = None
        if isinstance(item, dict) and "evidence" in item:  # a claim from `verifier claims --json`
            try:
                claim = Claim.model_validate(item)
            except ValidationError as exc:
                first = exc.errors()[0]
                raise InputError(f"{where}: claim {n} is not a valid claim object "
                                 f"({'.'.join(map(str, first['loc']))}: {first['msg']})") from None
        out.append(ClaimInput(text.strip(), claim))
    return out
