"""verify: claims checked against a source, offline and through the LLM
engine's HTTP path (replayed fixtures and a loopback server)."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run_cli, without_configuration
from tests.helpers.loopback import LoopbackServer, ok
from tests.helpers.paths import FIXTURES, SEED_000, SEED_001
from verifier.ingest.article import read_article
from verifier.errors import InputError, UpstreamError
from verifier.analysis import Pipeline
from verifier.compare.claims_input import read_claims
from verifier.compare.verify import verify, verify_claims
from verifier.engines import make_engine

STARBUCKS = FIXTURES / "articles" / "summedits_63f9455b8d931ba6e664fb9e.txt"
CLAIMS_FR = FIXTURES / "claims" / "starbucks_fr.txt"


def _verdicts(out) -> list[str]:
    return [c.verdict.value for c in out.claims]


def test_offline_supported_contradicted_and_not_found():
    source = read_article(str(STARBUCKS))
    out = verify_claims([
        "Protesters set fire to palm trees planted by Starbucks in Milan.",
        "Starbucks opened its first branch in Italy in 2016, causing outcry.",
        "Starbucks did not open its first branch in Italy in 2018.",
        "The company will sell the drinks in Australia from next summer.",
    ], source, make_engine("offline"))
    assert _verdicts(out) == ["supported", "contradicted", "contradicted", "not_found"]
    assert "2018" in out.claims[1].reason and "2016" in out.claims[1].reason
    for c in out.claims:
        for span in c.evidence:
            assert source.text[span.start:span.end] == span.text
    assert out.claims[0].evidence[0].text.startswith("Protesters even set fire")
    assert out.counts == {"supported": 1, "contradicted": 2, "not_found": 1}


def test_offline_does_not_pass_a_hedged_report_as_fact():
    source = read_article(str(SEED_001))
    out = verify_claims(["Vladimir Poutine a voulu rendre service au chef d'Etat chinois Xi Jinping."],
                       source, make_engine("offline"))
    assert _verdicts(out) == ["not_found"]
    assert "hedged" in out.claims[0].reason


def test_replay_is_one_batched_request_across_languages():
    out = verify(str(CLAIMS_FR), str(STARBUCKS), make_engine("replay"))
    assert _verdicts(out) == ["supported", "contradicted", "supported", "contradicted", "not_found"]
    assert out.method.prompt == "verify@v1" and out.method.usage.requests == 1
    assert out.method.fixture.kind == "hand-annotated"
    source = read_article(str(STARBUCKS))
    assert out.claims[1].evidence[0].text.startswith("Starbucks opened its first branch in Italy in 2018")
    for c in out.claims:
        for span in c.evidence:
            assert source.text[span.start:span.end] == span.text


def _reply(n: int, *, skip: int | None = None, bad_sentence: bool = False) -> str:
    verdicts = [{"claim": k, "verdict": "supported", "evidence": [999 if bad_sentence else 1], "reason": "r"}
                for k in range(1, n + 1) if k != skip]
    return json.dumps({"verdicts": verdicts})


def test_llm_batches_claims_and_reasks_an_incomplete_reply(endpoint, monkeypatch):
    monkeypatch.setattr("verifier.compare.verify_judged.BATCH", 4)
    claims = [f"Claim number {k} about Starbucks." for k in range(1, 7)]  # batches of 4 and 2
    server = endpoint(LoopbackServer([ok(_reply(4, skip=2)), ok(_reply(4)), ok(_reply(2))]))
    with server:
        out = verify_claims(claims, read_article(str(STARBUCKS)), make_engine("llm"))
    assert [c.id for c in out.claims] == [f"k{k}" for k in range(1, 7)]
    assert len(server.requests) == 3  # 2 batches, one re-ask for the claim missing from the first reply
    first = server.requests[0].body
    assert first["response_format"]["type"] == "json_schema"
    user = first["messages"][-1]["content"]
    assert "[S1] Frappuccinos" in user and "[C4] Claim number 4" in user and "[C5]" not in user
    reask = server.requests[1].body["messages"][-1]["content"]
    assert "exactly one verdict" in reask
    assert out.method.usage.requests == 3


def test_llm_evidence_outside_the_source_fails_cleanly(endpoint, monkeypatch):
    monkeypatch.setenv("VERIFIER_MAX_REASKS", "1")
    server = endpoint(LoopbackServer([ok(_reply(1, bad_sentence=True))]))
    with server, pytest.raises(UpstreamError, match="did not match the schema"):
        verify_claims(["One claim."], read_article(str(STARBUCKS)), make_engine("llm"))


def test_claims_files_json_lines_and_articles(tmp_path):
    lines = tmp_path / "claims.txt"
    lines.write_text("- First claim here.\n\n• Second claim here.\n", "utf-8")
    items, kind, prov = read_claims(str(lines), Pipeline(make_engine()))
    assert [c.text for c in items] == ["First claim here.", "Second claim here."] and prov is None
    assert "one claim per line" in kind
    as_json = tmp_path / "claims.json"
    as_json.write_text(json.dumps(["Un.", {"text": "Deux."}]), "utf-8")
    assert [c.text for c in read_claims(str(as_json), Pipeline(make_engine()))[0]] == ["Un.", "Deux."]
    items, kind, prov = read_claims(str(SEED_000), Pipeline(make_engine("offline")))
    assert "claims extracted" in kind and prov.engine == "offline" and len(items) > 5
    assert all(c.claim is not None and c.claim.grounded for c in items)
    bad = tmp_path / "bad.json"
    bad.write_text('{"claims": 3}', "utf-8")
    with pytest.raises(InputError, match="expected a JSON list"):
        read_claims(str(bad), Pipeline(make_engine()))
    bad.write_text('{"claims": [{"text": "x", "evidence": "not a list"}]}', "utf-8")
    with pytest.raises(InputError, match="claim 1 is not a valid claim object"):
        read_claims(str(bad), Pipeline(make_engine()))


def test_claims_output_json_round_trips_into_verify(tmp_path):
    proc = run_cli("claims", str(SEED_000), "--json")
    assert proc.returncode == 0
    path = tmp_path / "claims.json"
    path.write_bytes(proc.stdout)
    out = verify(str(path), str(SEED_001), make_engine("offline"))
    assert len(out.claims) == len(json.loads(proc.stdout)["claims"])
    lead = next(c for c in out.claims if "depuis 2022" in c.text)
    # the claim keeps its id from the claims output (the lead's fact is no longer c1: the role in
    # apposition, "Elon Musk, PDG de SpaceX et de Tesla", is a fact of its own before it)
    expected = next(c["id"] for c in json.loads(proc.stdout)["claims"] if "depuis 2022" in c["text"])
    assert lead.claim is not None and lead.claim.id == expected


def test_cli_verify_json_markdown_and_errors(tmp_path):
    proc = run_cli("verify", str(CLAIMS_FR), "--against", str(STARBUCKS), "--engine", "replay", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["counts"] == {"supported": 2, "contradicted": 2, "not_found": 1}
    assert data["claims"][1]["evidence"][0]["start"] == 1416
    md = run_cli("verify", str(CLAIMS_FR), "--against", str(STARBUCKS), "--engine", "replay", "-f", "markdown")
    assert md.stdout.decode().startswith("# Verification")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    err = run_cli("verify", str(bad), "--against", str(STARBUCKS))
    assert err.returncode == 3 and without_configuration(err.stderr.decode()).count("\n") == 1 and "JSON" in err.stderr.decode()
    missing = run_cli("verify", str(CLAIMS_FR), "--against", str(tmp_path / "none.txt"))
    assert missing.returncode == 3 and "no such file" in missing.stderr.decode()
    nofix = run_cli("verify", str(SEED_000), "--against", str(STARBUCKS), "--engine", "replay")
    assert nofix.returncode == 6 and without_configuration(nofix.stderr.decode()).count("\n") == 1
