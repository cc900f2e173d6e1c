"""diff: claims aligned one-to-one between two versions, typed changes,
sources and stances present in one version only."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run_cli, without_configuration
from tests.helpers.paths import SEED_000, SEED_001
from verifier.analysis import AnalyzeOptions, analyze
from verifier.ingest.article import article_from_text, read_article
from verifier.compare.details import compare
from verifier.text.details import details
from verifier.compare.diff import diff_analyses
from verifier.engines import make_engine

NO_CACHE = AnalyzeOptions(use_cache=False)


@pytest.fixture(scope="module")
def offline():
    return make_engine("offline")


def _types(old: str, new: str, lang: str = "fr") -> dict[str, tuple[str | None, str | None]]:
    return {c.type: (c.old, c.new) for c in compare(details(old, lang), details(new, lang))}


def test_typed_changes_between_two_claims():
    assert _types("Musk parle à Poutine depuis 2022.", "Musk parle à Poutine depuis fin 2022.")["date"] == \
        ("2022", "fin 2022")
    assert _types("Le rapport compte 30 pages, selon Le Monde.", "Le rapport compte 40 pages, selon Le Monde.") \
        ["number"] == ("30", "40")
    assert "negation" in _types("Le Kremlin a confirmé ces échanges.", "Le Kremlin n'a pas confirmé ces échanges.")
    assert _types("Musk a parlé à Poutine.", "Musk aurait parlé à Poutine.")["modality"] == ("asserted", "hedged")
    assert _types("The clinic opened in Italy in 2018.", "The clinic opened in France in 2018.", "en")["entity"] == \
        ("Italy", "France")
    assert _types("Astronomers saw distant galaxies.", "Astronomers saw distant planets.", "en")["term"] == \
        ("galaxies", "planets")


def test_more_detail_on_one_side_is_not_a_change():
    # one version adds a date and a name the other does not give: nothing conflicts
    assert _types("Musk a parlé à Poutine.", "Elon Musk a parlé à Vladimir Poutine en octobre 2024.") == {}
    assert _types("Il a qualifié l'article de « fausses nouvelles ».",
                  "Il a qualifié l'article de « fausses nouvelles »." ) == {}


def test_an_article_against_itself_is_all_unchanged(offline):
    a = analyze(read_article(str(SEED_000)), offline, NO_CACHE)
    report = diff_analyses(a, a)
    assert report.pairs and {p.status.value for p in report.pairs} == {"unchanged"}
    assert {s.status.value for s in report.speakers} == {"kept"}
    assert {s.status.value for s in report.stances} == {"kept"}


def test_a_revision_shows_the_changed_date_the_removed_and_the_added_claim(offline):
    text = SEED_001.read_text("utf-8")
    removed = "Entre-temps, le ministère américain de la Défense a conclu un contrat avec SpaceX destiné à cet effet."
    assert "fin 2022" in text and removed in text
    revised = text.replace("fin 2022", "début 2023").replace(removed, "") + \
        "\nSelon le Pentagone, 12 satellites espions de SpaceX ont été lancés en mars 2024.\n"
    old = analyze(read_article(str(SEED_001)), offline, NO_CACHE)
    new = analyze(article_from_text(revised, "revised", "fr"), offline, NO_CACHE)
    report = diff_analyses(old, new)
    by_status = {}
    for p in report.pairs:
        by_status.setdefault(p.status.value, []).append(p)
    changed = [p for p in by_status["changed"] if any(c.type == "date" for c in p.changes)]
    assert len(changed) == 1
    date = next(c for c in changed[0].changes if c.type == "date")
    assert (date.old, date.new) == ("fin 2022", "début 2023")
    assert [p.old.text for p in by_status["removed"]] == [removed]
    assert any("12 satellites" in p.new.text for p in by_status["added"])
    assert len(by_status["unchanged"]) >= len(old.claims) - 3
    assert any(s.speaker == "Pentagone" and s.status.value == "added" for s in report.speakers)


def test_seed_pair_report_offsets_point_into_each_article(offline):
    old_a, new_a = read_article(str(SEED_000)), read_article(str(SEED_001))
    report = diff_analyses(analyze(old_a, offline, NO_CACHE), analyze(new_a, offline, NO_CACHE))
    for p in report.pairs:
        for claim, text in ((p.old, old_a.text), (p.new, new_a.text)):
            for span in (claim.evidence if claim else []):
                assert text[span.start:span.end] == span.text
    lead = next(p for p in report.pairs if p.old and "depuis 2022" in p.old.text)
    assert lead.new is not None and "depuis fin 2022" in lead.new.text
    assert [(c.type, c.old, c.new) for c in lead.changes if c.type == "date"] == [("date", "2022", "fin 2022")]
    # the Kremlin's and Peskov's denials are in the first version only; Musk's in the second only
    removed = {s.speaker for s in report.stances if s.kind == "denial" and s.status.value == "removed"}
    added = {s.speaker for s in report.stances if s.kind == "denial" and s.status.value == "added"}
    assert {"Dmitri Peskov"} <= removed and any("Kremlin" in s for s in removed)
    assert added == {"Elon Musk"}
    assert any(s.kind == "no_comment" and s.status.value == "added" for s in report.stances)
    assert {s.speaker for s in report.speakers if s.status.value == "removed"} >= {"Dmitri Peskov", "Karoline Leavitt"}
    assert any("Wall Street Journal" in s.speaker and s.status.value == "kept" for s in report.speakers)


def test_cli_diff_json_only_changes_and_markdown():
    proc = run_cli("diff", str(SEED_000), str(SEED_001), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {"old", "new", "method", "counts", "pairs", "speakers", "stances"} <= set(data)
    assert data["old"]["provenance"]["engine"] == "offline"
    assert "e5" in data["method"]["aligner"]
    assert sum(data["counts"].values()) == len(data["pairs"])
    only = json.loads(run_cli("diff", str(SEED_000), str(SEED_001), "--json", "--only-changes").stdout)
    assert only["pairs"] and all(p["status"] in ("changed", "added", "removed") for p in only["pairs"])
    assert all(s["status"] != "kept" for s in only["speakers"] + only["stances"])
    md = run_cli("diff", str(SEED_000), str(SEED_001), "--format", "markdown")
    assert md.returncode == 0
    assert md.stdout.decode().startswith("# Diff") and "date: 2022 → fin 2022" in md.stdout.decode()


def test_cli_diff_missing_file_is_one_line():
    proc = run_cli("diff", str(SEED_000), "nope.txt")
    assert proc.returncode == 3
    assert proc.stderr.decode().strip().endswith("nope.txt: no such file")
    assert without_configuration(proc.stderr.decode()).count("\n") == 1


def test_without_embeddings_the_diff_still_runs_and_says_so(offline, monkeypatch):
    from verifier.compare import embeddings

    monkeypatch.setenv("VERIFIER_EMBEDDINGS", "none")
    embeddings._model.cache_clear()
    try:
        a = analyze(read_article(str(SEED_000)), offline, NO_CACHE)
        report = diff_analyses(a, a)
        assert report.method.aligner.startswith("none")
        assert {p.status.value for p in report.pairs} == {"unchanged"}
    finally:
        embeddings._model.cache_clear()


def test_replay_diff_settles_ambiguous_pairs_in_one_batched_call():
    from verifier.compare.diff import diff

    report = diff(str(SEED_000), str(SEED_001), make_engine("replay"))
    adj = report.method.adjudication
    assert adj is not None and adj.prompt == "adjudicate@v1" and adj.usage.requests == 1
    assert adj.fixture.kind == "hand-annotated" and adj.pairs == adj.split > 0
    assert not any(p.ambiguous for p in report.pairs)
    settled = [p for p in report.pairs if p.adjudication]
    assert len(settled) == 2 * adj.split and {p.status.value for p in settled} == {"removed", "added"}
    # the sure pairs stay: the lead claim with its date change
    lead = next(p for p in report.pairs if p.old and p.new and "depuis 2022" in p.old.text)
    assert [c.type for c in lead.changes if c.type == "date"] == ["date"]


def _claim(cid: str, text: str):
    from verifier.models import Claim, Modality, Span

    return Claim(id=cid, text=text, modality=Modality.asserted, grounded=True,
                 evidence=[Span(start=0, end=len(text), text=text, match="exact")])


def test_llm_adjudication_keeps_confirmed_pairs_and_splits_rejected_ones(endpoint):
    from tests.helpers.loopback import LoopbackServer, ok
    from verifier.compare.adjudicate import adjudicate
    from verifier.models import DiffPair, DiffStatus

    pairs = [
        DiffPair(status=DiffStatus.changed, old=_claim("c1", "Musk a parlé à Poutine en 2022."),
                 new=_claim("c1", "Musk a parlé à Poutine fin 2022."), similarity=0.6, ambiguous=True),
        DiffPair(status=DiffStatus.unchanged, old=_claim("c2", "Le Kremlin dément."),
                 new=_claim("c2", "Le Kremlin dément."), similarity=1.0),
        DiffPair(status=DiffStatus.reworded, old=_claim("c3", "Musk soutient Trump."),
                 new=_claim("c3", "Trump pourrait nommer Musk."), similarity=0.5, ambiguous=True),
    ]
    reply = json.dumps({"pairs": [{"pair": 1, "same_claim": True, "reason": "same call, date refined"},
                                  {"pair": 2, "same_claim": False, "reason": "different facts"}]})
    server = endpoint(LoopbackServer([ok(reply)]))
    with server:
        out, record = adjudicate(pairs, make_engine("llm"))
    assert len(server.requests) == 1
    sent = server.requests[0].body["messages"][-1]["content"]
    assert "[P1]\nOLD: Musk a parlé à Poutine en 2022." in sent and "[P2]" in sent and "[P3]" not in sent
    assert [p.status.value for p in out] == ["changed", "unchanged", "removed", "added"]
    assert out[0].ambiguous is False and out[0].adjudication == "same call, date refined"
    assert record.pairs == 2 and record.split == 1 and record.usage.requests == 1


def test_claims_not_grounded_in_their_article_are_left_out_of_the_diff():
    from verifier.analysis.pipeline import Pipeline
    from verifier.engines.base import EngineResult
    from verifier.models import AnalysisDraft

    text = ("Le conseil municipal a voté lundi un budget de 3 millions d'euros pour les écoles. "
            "La maire, Claire Martin, a promis que les travaux commenceraient en juin.")
    article = article_from_text(text, "v.txt", "fr")
    budget = "Le conseil municipal a voté lundi un budget de 3 millions d'euros pour les écoles"

    def analysed(claims: list[tuple[str, str]]):
        draft = AnalysisDraft.model_validate({"language": "fr", "summary": [], "attributions": [], "claims": [
            {"text": t, "modality": "asserted", "speaker": None, "evidence": [q]} for t, q in claims]})
        return Pipeline(make_engine("offline"), NO_CACHE).finish(article, EngineResult(draft=draft))

    old = analysed([(budget + ".", budget)])
    # the new version's engine changed the figure inside the quote: altered, not a fact of the article
    new = analysed([(budget + ".", budget), (budget.replace("3", "5") + ".", budget.replace("3", "5"))])
    assert [c.grounding.status for c in new.claims] == ["grounded", "altered"]
    report = diff_analyses(old, new)
    assert report.ungrounded == {"old": 0, "new": 1}
    assert [p.status.value for p in report.pairs] == ["unchanged"]  # the altered claim is not "added"


def test_diff_and_verify_of_cached_analyses_do_not_load_spacy():
    """Comparing reads details without the parse, so `diff` and `verify` of
    articles already analysed (in the cache) never load the French pipeline;
    the first, cold run does, for the analyses only."""
    import subprocess
    import sys

    probe = ("import sys; from verifier.cli import app\n"
             "try:\n    app(sys.argv[1:])\nexcept SystemExit as e:\n    code = e.code\n"
             "print('SPACY', 'spacy' in sys.modules, code, file=sys.stderr)")

    def run(*args):
        proc = subprocess.run([sys.executable, "-c", probe, *args, "--json"], capture_output=True, text=True)
        assert proc.stderr.strip().endswith(" 0"), proc.stderr
        return proc.stdout, "SPACY True" in proc.stderr

    cold, loaded = run("diff", str(SEED_000), str(SEED_001))
    assert loaded  # the analyses were computed: the parser was needed
    warm, loaded = run("diff", str(SEED_000), str(SEED_001))
    assert not loaded
    cold, warm = json.loads(cold), json.loads(warm)
    for side in ("old", "new"):
        assert (cold[side]["provenance"]["cached"], warm[side]["provenance"]["cached"]) == (False, True)
        cold[side]["provenance"]["cached"] = True
    assert warm == cold  # the same report, cached or not
    _, loaded = run("verify", str(SEED_000), "--against", str(SEED_001))
    assert not loaded
