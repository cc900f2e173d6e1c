"""diff aligns facts: shared rare names, numbers and dates count, a claim may
pair with several claims of the other version when each pair is sure, and
every pair says what matched."""

from __future__ import annotations

import numpy as np
import pytest

from verifier.analysis import AnalyzeOptions
from verifier.analysis.pipeline import Pipeline
from verifier.compare import align
from verifier.compare.diff import diff_analyses
from verifier.compare.overlap import detail_scores, shared_words
from verifier.engines import make_engine
from verifier.engines.base import EngineResult
from verifier.ingest.article import article_from_text
from verifier.models import AnalysisDraft
from verifier.render.diff_view import diff_markdown, match_line
from verifier.text.details import details_many


def _details(texts: list[str]):
    return details_many(texts, "fr", parse=False)


def test_a_rare_shared_figure_weighs_more_than_a_name_every_claim_gives():
    old = _details(["Le séisme de magnitude 8,8 a frappé le Chili.", "Le Chili a décrété un deuil national.",
                    "Le Chili a demandé une aide internationale."])
    new = _details(["Une secousse de magnitude 8,8 a touché le pays.", "Le Chili attend une aide étrangère."])
    scores, shared = detail_scores(old, new)
    assert shared[0, 0].numbers == ("8,8",) and scores[0, 0] == pytest.approx(1.0)  # in one claim of each side
    # "Chili" is in four of the five claims: sharing it says little
    assert len(shared[2, 1].entities) == 1 and "Chili" in shared[2, 1].entities[0] and scores[2, 1] < 0.3
    assert (1, 0) not in shared or scores[1, 0] < 0.3


def test_shared_words_are_reported_as_the_old_claim_writes_them():
    got = shared_words("Les contacts ont eu lieu en 2022.", "Le contact a eu lieu fin 2022.")
    assert {"contacts", "lieu", "2022"} <= set(got) and "les" not in got


def test_one_to_many_pairs_a_left_over_claim_with_a_sure_counterpart():
    # old claim 1 finds nothing one-to-one; its best counterpart, already paired, is sure: one-to-many
    pairs = align.assign_many(np.array([[0.9, 0.2], [0.8, 0.1]]))
    assert {(p.old, p.new, p.extra) for p in pairs} == {(0, 0, False), (1, 0, True)}
    # a sure further pair replaces the ambiguous pair the one-to-one assignment gave its claim
    pairs = align.assign_many(np.array([[0.95, 0.9], [0.1, 0.6]]))
    assert {(p.old, p.new, p.extra) for p in pairs} == {(0, 0, False), (0, 1, True)}
    # two sure one-to-one pairs stay one-to-one
    pairs = align.assign_many(np.array([[0.9, 0.8], [0.8, 0.9]]))
    assert {(p.old, p.new, p.extra) for p in pairs} == {(0, 0, False), (1, 1, False)}
    # below the one-to-many threshold nothing is added
    pairs = align.assign_many(np.array([[0.9], [align.EXTRA - 0.01]]))
    assert [(p.old, p.new) for p in pairs] == [(0, 0)]


def _analysis(text: str, claims: list[str]):
    article = article_from_text(text, "v.txt", "fr")
    draft = AnalysisDraft.model_validate({"language": "fr", "summary": [], "attributions": [], "claims": [
        {"text": c, "modality": "asserted", "speaker": None, "evidence": [c]} for c in claims]})
    return Pipeline(make_engine("offline"), AnalyzeOptions(use_cache=False)).finish(article, EngineResult(draft=draft))


OLD = ("Un séisme de magnitude 8,8 a frappé le Chili samedi à 3 h 34. "
       "Le bilan provisoire fait état de 214 morts selon les autorités de Santiago. "
       "Les écoles de la ville de Concepción resteront fermées toute la semaine prochaine.")
NEW = ("Un tremblement de terre d’une magnitude de 8,8 a secoué le pays samedi. "
       "Les pompiers de Valparaiso ont dégagé des dizaines de personnes des décombres. "
       "Au moins 214 personnes sont mortes, un bilan encore provisoire.")


def test_diff_pairs_facts_and_explains_each_pair():
    old = _analysis(OLD, ["Un séisme de magnitude 8,8 a frappé le Chili samedi à 3 h 34.",
                          "Le bilan provisoire fait état de 214 morts selon les autorités de Santiago.",
                          "Les écoles de la ville de Concepción resteront fermées toute la semaine prochaine."])
    new = _analysis(NEW, ["Un tremblement de terre d’une magnitude de 8,8 a secoué le pays samedi.",
                          "Les pompiers de Valparaiso ont dégagé des dizaines de personnes des décombres.",
                          "Au moins 214 personnes sont mortes, un bilan encore provisoire."])
    report = diff_analyses(old, new)
    paired = {(p.old.text[:12], p.new.text[:12]): p for p in report.pairs if p.old and p.new}
    quake = paired[("Un séisme de", "Un trembleme")]
    assert quake.match.numbers == ["8,8"] and "samedi" in quake.match.words
    assert quake.match.semantic is not None and 0 <= quake.match.lexical <= 1 and quake.match.detail > 0.5
    toll = paired[("Le bilan pro", "Au moins 214")]
    assert toll.match.numbers == ["214"]
    assert {p.status.value for p in report.pairs if not (p.old and p.new)} == {"removed", "added"}
    assert "numbers 8,8" in match_line(quake)
    assert "matched: numbers 8,8" in diff_markdown(report, verbose=True)
    assert "matched:" not in diff_markdown(report)


def test_one_outlet_sentence_carrying_two_facts_pairs_with_both():
    old_text = "Le séisme a fait au moins 214 morts et 400 000 sinistrés dans la région de Maule, au Chili."
    new_text = ("Au moins 214 personnes sont mortes dans la région de Maule. "
                "Les autorités du Chili comptent 400 000 sinistrés dans la région de Maule.")
    old = _analysis(old_text, [old_text])
    new = _analysis(new_text, ["Au moins 214 personnes sont mortes dans la région de Maule.",
                               "Les autorités du Chili comptent 400 000 sinistrés dans la région de Maule."])
    report = diff_analyses(old, new)
    pairs = [p for p in report.pairs if p.old and p.new]
    assert len(pairs) == 2 and all(p.one_to_many == "old" for p in pairs)
    assert sorted(n for p in pairs for n in p.match.numbers) == ["214", "400 000"]
    assert not any(p.status.value in ("added", "removed") for p in report.pairs)


def test_the_json_contract_stays_backward_compatible():
    from verifier.models import DiffPair

    old_style = {"status": "removed", "old": None, "new": None}
    pair = DiffPair.model_validate(old_style)
    assert pair.match is None and pair.one_to_many is None


def test_a_short_fact_whose_few_words_a_long_claim_holds_is_not_a_sure_match():
    short = "On a trouvé ces numéros de téléphone"
    long = "L'analyse technique d'un téléphone dont le numéro apparaît dans la liste a permis de trouver une trace."
    assert align.lexical([short], [long])[0, 0] == pytest.approx(1.0)  # every word of the short one is there
    assert align.lexical([short], [long], align.LEX_FLOOR)[0, 0] == pytest.approx(3 / align.LEX_FLOOR)
    scored = align.claim_scores([short], [long], _details([short]), _details([long]), use_embeddings=False)
    assert scored.total[0, 0] == pytest.approx(3 / align.LEX_FLOOR)  # the floor holds in the claims' score


def test_a_nationality_adjective_matches_its_country_name():
    # Our sentences: a demonym ("américains", "russes") restates a country.
    a = ["Des diplomates américains et russes ont quitté la réunion."]
    b = ["Les diplomates des Etats-Unis et de Russie ont quitté la réunion."]
    assert align._stems(a[0]) >= {"etats", "russi", "diplo"}
    assert align.lexical(a, b)[0, 0] == 1.0
