"""Grounding on hard text: French typography, repeats, line breaks, fuzz."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.paths import FIXTURES
from verifier.ingest.article import read_article
from verifier.analysis.grounding import ground
from verifier.analysis.locate import FUZZY_THRESHOLD, Grounder
from verifier.text.folding import fold
from verifier.models import AnalysisDraft

NBSP, NNBSP = "\u00a0", "\u202f"


def located(text: str, quote: str, **kw):
    span = Grounder(text).locate(quote, **kw)
    if span.start is not None:
        assert text[span.start:span.end] == span.text
    return span


def test_exact_match():
    text = "Le Kremlin a démenti. Musk n’a pas répondu."
    span = located(text, "Musk n’a pas répondu")
    assert (span.start, span.end, span.match) == (22, 42, "exact")
    assert span.quote is None


def test_straight_apostrophe_finds_typographic_one():
    text = "Il s’était d’ailleurs proposé."
    span = located(text, "Il s'était d'ailleurs proposé")
    assert span.match == "normalized" and span.text == "Il s’était d’ailleurs proposé"
    assert span.quote == "Il s'était d'ailleurs proposé"


@pytest.mark.parametrize("space", [" ", NBSP, NNBSP, ""])
def test_guillemets_with_any_spacing_match_straight_quotes(space):
    text = f"Il a qualifié les informations de «{space}fausses nouvelles{space}»."
    span = located(text, 'de "fausses nouvelles"')
    assert span.match == "normalized"
    assert span.text == f"de «{space}fausses nouvelles{space}»"


def test_curly_quotes_and_case():
    text = "She called it “A Great Day” on Monday."
    assert located(text, 'called it "a great day"').text == "called it “A Great Day”"


def test_quote_across_a_line_break():
    text = "Dmitri Peskov a affirmé que Musk et\nPoutine n’ont eu qu’une seule\r\nconversation."
    span = located(text, "Musk et Poutine n'ont eu qu'une seule conversation")
    assert span.match == "normalized"
    assert span.text == "Musk et\nPoutine n’ont eu qu’une seule\r\nconversation"


def test_collapsed_whitespace_in_article():
    text = "Le  Wall   Street\tJournal accuse."
    assert located(text, "Wall Street Journal accuse").text == "Wall   Street\tJournal accuse"


def test_repeated_phrase_picks_occurrence_by_context():
    text = ("Selon le Wall Street Journal, Musk a parlé à Poutine. Le Kremlin a démenti. "
            "Plus tard, selon le Wall Street Journal, SpaceX a signé un contrat avec le Pentagone.")
    first = located(text, "selon le Wall Street Journal", context="Musk a parlé à Poutine")
    second = located(text, "selon le Wall Street Journal", context="SpaceX contrat Pentagone")
    assert first.start == 0
    assert second.start == text.index("selon le Wall Street Journal, SpaceX")


def test_repeated_phrase_without_context_prefers_nearest_previous_item():
    text = "Il a dit non. " * 3
    assert located(text, "Il a dit non", near=15).start == 14
    assert located(text, "Il a dit non", near=27).start == 28


def test_fuzzy_accepts_a_small_slip_and_reports_score():
    text = "Des responsables américains, russes et européens auraient confirmé des conversations."
    span = located(text, "des responsables américains, russes et européens auraient confirmés des conversations")
    assert span.match == "fuzzy" and span.score >= FUZZY_THRESHOLD
    assert span.text.startswith("Des responsables") and span.text.endswith("conversations")


def test_fuzzy_rejects_an_invented_quote():
    text = "Le Kremlin a démenti les accusations du Wall Street Journal."
    span = located(text, "Elon Musk a reconnu avoir parlé à Vladimir Poutine chaque semaine")
    assert span.start is None and span.match is None and not span.grounded


def test_short_quotes_are_never_fuzzy():
    span = located("Le chat dort.", "Le chien")
    assert span.start is None


def test_ellipsis_quote_spans_both_parts():
    text = "Peskov a affirmé que Musk et Poutine n’ont eu qu’une seule conversation téléphonique, antérieure à 2022."
    span = located(text, "Musk et Poutine … antérieure à 2022")
    assert span.text == "Musk et Poutine n’ont eu qu’une seule conversation téléphonique, antérieure à 2022"


def test_fold_index_maps_every_folded_char_inside_the_text():
    text = "« L’œuvre » —\u00a0İstanbul…\n\n  fin"
    folded, index = fold(text)
    assert len(folded) == len(index)
    assert all(0 <= i < len(text) for i in index)
    assert index == sorted(index)


def test_empty_quote_is_ungrounded():
    assert not located("abc", "   ").grounded


def _fixtures():
    return sorted((FIXTURES / "responses").glob("analyze@*/*/*.json"))


@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: p.stem)
def test_every_fixture_grounds_exactly(path: Path):
    data = json.loads(path.read_text("utf-8"))
    article = read_article(str(FIXTURES / data["article"]))
    assert article.sha256 == data["key"]["article_sha256"]
    claims, attributions, summary = ground(AnalysisDraft.model_validate(data["content"]), article.text)
    spans = [s for c in claims for s in c.evidence] + [a.evidence for a in attributions] + \
            [s for x in summary for s in x.citations]
    assert all(c.grounded for c in claims) and all(a.grounded for a in attributions) and all(s.grounded for s in summary)
    for span in spans:
        assert article.text[span.start:span.end] == span.text


def test_ground_flags_invented_items():
    text = "Le Kremlin a démenti les accusations."
    draft = AnalysisDraft.model_validate({
        "language": "fr",
        "claims": [
            {"text": "Le Kremlin a démenti.", "modality": "denied", "speaker": "le Kremlin",
             "evidence": ["Le Kremlin a démenti"]},
            {"text": "Musk a avoué.", "modality": "asserted", "speaker": None,
             "evidence": ["Le Kremlin a démenti", "Musk a avoué tout ce qui lui était reproché"]},
            {"text": "Sans preuve.", "modality": "asserted", "speaker": None, "evidence": []},
        ],
        "attributions": [
            {"speaker": {"name": "Musk", "role": None}, "content": "je n'ai jamais parlé à Poutine",
             "kind": "direct", "cue": "a dit", "is_denial": True, "is_no_comment": False,
             "evidence": "Le Kremlin a démenti les accusations"},
        ],
        "summary": [{"text": "Le Kremlin dément.", "citations": ["Le Kremlin a démenti les accusations"]}],
    })
    claims, attributions, summary = ground(draft, text)
    assert [c.grounded for c in claims] == [True, False, False]
    assert claims[1].evidence[0].grounded and not claims[1].evidence[1].grounded
    # evidence is found, but the direct quote's words are not in the article
    assert attributions[0].evidence.grounded and not attributions[0].content_span.grounded
    assert not attributions[0].grounded
    assert summary[0].grounded
