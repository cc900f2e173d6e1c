"""Schema round-trips and the public JSON contract."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run_cli
from tests.helpers.fixtures import fixture_content
from tests.helpers.paths import SEED_000
from verifier.models import OUTPUT_SCHEMAS, Analysis, AnalysisDraft, ClaimsOutput, Modality


def test_draft_round_trip():
    draft = AnalysisDraft.model_validate(fixture_content("49e59250b2ff3938"))
    again = AnalysisDraft.model_validate_json(draft.model_dump_json())
    assert again == draft


def test_draft_rejects_unknown_fields_and_modalities():
    content = fixture_content("49e59250b2ff3938")
    content["claims"][0]["confidence"] = 0.9
    with pytest.raises(ValueError):
        AnalysisDraft.model_validate(content)
    content = fixture_content("49e59250b2ff3938")
    content["claims"][0]["modality"] = "likely"
    with pytest.raises(ValueError):
        AnalysisDraft.model_validate(content)


def test_strict_schema_sent_to_the_llm_requires_every_field():
    from openai.lib._pydantic import to_strict_json_schema

    schema = to_strict_json_schema(AnalysisDraft)
    claim = schema["$defs"]["ClaimDraft"]
    assert set(claim["required"]) == set(claim["properties"]) and claim["additionalProperties"] is False
    assert set(schema["$defs"]["Modality"]["enum"]) == {m.value for m in Modality}


def test_public_contract_fields():
    claim = OUTPUT_SCHEMAS["claims"].model_json_schema()
    assert {"provenance", "article", "claims"} <= set(claim["properties"])
    defs = claim["$defs"]
    assert {"engine", "model", "prompt", "input_sha256", "verifier_version"} <= set(defs["Provenance"]["properties"])
    assert {"sha256", "source", "language", "chars"} <= set(defs["ArticleInfo"]["properties"])
    assert {"id", "text", "modality", "speaker", "evidence", "grounded"} <= set(defs["Claim"]["properties"])
    assert {"start", "end", "text"} <= set(defs["Span"]["properties"])
    attr = OUTPUT_SCHEMAS["who-said-what"].model_json_schema()["$defs"]["Attribution"]["properties"]
    assert {"speaker", "content", "kind", "cue", "is_denial", "is_no_comment", "evidence", "grounded"} <= set(attr)
    summ = OUTPUT_SCHEMAS["summarize"].model_json_schema()["$defs"]["SummarySentence"]["properties"]
    assert {"text", "citations", "grounded"} <= set(summ)


def test_the_schema_documents_why_an_item_is_not_grounded():
    schema = json.loads(run_cli("schema", "claims").stdout)
    defs = schema["$defs"]
    assert {"grounded", "grounding"} <= set(defs["Claim"]["properties"])
    assert set(defs["Grounding"]["properties"]["status"]["enum"]) == {"grounded", "altered", "unsupported",
                                                                      "not_found"}
    assert {"kind", "message", "engine", "article"} <= set(defs["Reason"]["properties"])
    assert {"differences", "quote"} <= set(defs["Span"]["properties"])
    assert set(defs["Difference"]["properties"]["kind"]["enum"]) == {"number", "date", "name", "negation",
                                                                     "modality", "wording"}
    for name in ("who-said-what", "summarize", "analysis"):
        assert "Grounding" in json.loads(run_cli("schema", name).stdout)["$defs"]
    assert "ungrounded" in json.loads(run_cli("schema", "diff").stdout)["properties"]


def test_claims_json_of_seed_validates_against_cli_schema_and_spans_are_exact():
    import jsonschema

    schema = json.loads(run_cli("schema", "claims").stdout)
    proc = run_cli("claims", str(SEED_000), "--engine", "replay", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    jsonschema.validate(out, schema)
    text = SEED_000.read_text("utf-8")
    spans = [s for c in out["claims"] if c["grounded"] for s in c["evidence"]]
    assert spans and all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    assert out["provenance"]["prompt"] == "analyze@v1"
    assert out["provenance"]["fixture"]["kind"] == "hand-annotated"
    assert out["article"]["chars"] == len(text)
    # and the whole output round-trips through the model
    assert ClaimsOutput.model_validate(out).model_dump(mode="json") == out


def test_schema_command_lists_all_outputs():
    proc = run_cli("schema")
    assert proc.returncode == 0
    assert set(json.loads(proc.stdout)) == {"claims", "who-said-what", "summarize", "analysis", "draft", "diff", "verify",
                                            "batch-record", "batch-summary", "batch-estimate", "batch-export",
                                            "watch-event", "history"}
    bad = run_cli("schema", "nope")
    assert bad.returncode == 4 and bad.stderr.decode().count("\n") == 1


def test_analysis_round_trip_from_replay():
    from verifier.analysis import AnalyzeOptions, analyze
    from verifier.ingest.article import read_article
    from verifier.engines import make_engine

    a = analyze(read_article(str(SEED_000)), make_engine("replay"), AnalyzeOptions(use_cache=False))
    assert Analysis.model_validate_json(a.model_dump_json()) == a
