"""Offline claims are facts: page furniture is no claim, and a sentence that
packs several facts (coordinated clauses, a relative, a role in apposition,
a participle, a subordinate clause) gives one claim per fact, each with an
exact span of the article as evidence, grounded."""

from __future__ import annotations

import pytest

from verifier.analysis import AnalyzeOptions, analyze
from verifier.engines.offline.boilerplate import statement_span
from verifier.engines.offline.engine import OfflineEngine
from verifier.ingest.article import Article


def claims(text: str):
    article = Article(text=text, source="-", input_sha256="0" * 64, language="fr")
    result = analyze(article, OfflineEngine(), AnalyzeOptions(output_language="fr", use_cache=False))
    for c in result.claims:  # every fact keeps a verbatim span of the article and is grounded
        assert c.grounded, (c.text, c.grounding)
        assert all(text[s.start:s.end] == s.text for s in c.evidence)
    return result.claims


def texts(text: str) -> list[str]:
    return [c.text for c in claims(text)]


@pytest.mark.parametrize("line", [
    "Par Jean Dupont, envoyé spécial à Kiev.",
    "Mis à jour le 12 mars 2024 à 10h00.",
    "Publié le 27 février 2010.",
    "1/5",
])
def test_bylines_stamps_and_counters_are_not_statements(line):
    assert statement_span(line, 0, len(line)) is None


def test_page_metadata_datelines_and_captions_are_not_claims():
    text = ("date 2024-10 Le maire de Lyon a inauguré un pont de 300 mètres mardi.\n\n"
            "Par Jean Dupont, envoyé spécial à Kiev.\n"
            "Le nouveau stade de Lille a coûté 120 millions d'euros. Photo: AFP 1/5\n\n"
            "PARIS (AFP) - Le gouvernement a présenté mardi un budget de 450 milliards d'euros pour 2025.\n")
    got = texts(text)
    # the metadata field and the dateline are cut off; the byline and the captioned line give nothing
    assert got == ["Le maire de Lyon a inauguré un pont de 300 mètres mardi.",
                   "Le gouvernement a présenté mardi un budget de 450 milliards d'euros pour 2025."]


def test_a_long_paragraph_with_a_credit_loses_only_that_sentence():
    text = ("Le nouveau stade de Lille a coûté 120 millions d'euros, selon la mairie du Nord. " * 6
            + "Photo : Reuters montre le stade de Lille en 2024.")
    assert len(texts(text)) >= 1 and not any("Reuters" in t for t in texts(text))


def test_apposition_of_a_role_is_its_own_fact():
    got = texts("Marie Curie, directrice du laboratoire de Varsovie, a reçu trois prix scientifiques en 1911.")
    assert got == ["Marie Curie, directrice du laboratoire de Varsovie",
                   "Marie Curie a reçu trois prix scientifiques en 1911"]


def test_relative_clause_after_a_comma_is_a_fact_about_its_antecedent():
    got = claims("Le maire a longuement rencontré Paul Martin, qui dirige la société Alpha depuis 2019.")
    assert [c.text for c in got] == ["Le maire a longuement rencontré Paul Martin",
                                     "Paul Martin dirige la société Alpha depuis 2019"]
    assert got[1].evidence[0].text == "Paul Martin, qui dirige la société Alpha depuis 2019"


def test_coordinated_clauses_give_one_fact_each():
    assert texts("La police a arrêté 12 personnes à Nantes et le parquet a ouvert une enquête mardi.") == \
        ["La police a arrêté 12 personnes à Nantes", "le parquet a ouvert une enquête mardi"]
    # one number per claim: the toll of the dead and of the injured
    assert texts("Au moins 30 personnes ont été tuées et plus de 2.000 autres blessées dans l'incendie de Marseille.") \
        == ["Au moins 30 personnes ont été tuées", "plus de 2.000 autres blessées dans l'incendie de Marseille"]


def test_a_coordinated_verb_without_subject_gets_its_clause_subject():
    got = claims("Ces révélations interviennent alors que Musk se rapproche de Donald Trump. "
                 "Les contacts ont eu lieu en 2022 et se sont poursuivis jusqu'en 2024.")
    assert "Les contacts se sont poursuivis jusqu'en 2024" in [c.text for c in got]
    second = next(c for c in got if c.text.endswith("jusqu'en 2024"))
    assert second.evidence[0].text == "se sont poursuivis jusqu'en 2024"  # the evidence stays verbatim


def test_subordinate_clauses_of_contrast_and_time_are_facts():
    assert texts("Les ventes de Renault ont baissé de 5 % en 2023, tandis que Peugeot a progressé de 3 % "
                 "sur la même période.") == ["Les ventes de Renault ont baissé de 5 % en 2023",
                                             "Peugeot a progressé de 3 % sur la même période"]
    got = texts("Il était 3h34 du matin, le samedi 27 février au Chili lorsqu’un tremblement de terre d’une "
                "magnitude de 8,8 a frappé la région de Maule.")
    assert got == ["Il était 3h34 du matin, le samedi 27 février au Chili",
                   "un tremblement de terre d’une magnitude de 8,8 a frappé la région de Maule"]


def test_participle_after_a_comma_is_a_fact():
    assert texts("Le séisme a été ressenti jusqu'à la capitale, Santiago, située à 325 km de l'épicentre.") == \
        ["Le séisme a été ressenti jusqu'à la capitale, Santiago", "Santiago, située à 325 km de l'épicentre"]


def test_an_event_without_name_or_figure_is_a_claim_but_a_short_remark_is_not():
    assert texts("La région a connu de nombreuses répliques tout au long de la journée de samedi.") == \
        ["La région a connu de nombreuses répliques tout au long de la journée de samedi."]
    assert texts("Les habitants ont eu très peur.") == []


def test_reported_facts_keep_their_speaker_and_the_article_keeps_its_own_clause():
    got = claims("Pour sa part, le Premier ministre Hassan Diab a décrété une journée de deuil national mercredi, "
                 "appelant les pays amis à aider le Liban.")
    own = [c for c in got if "deuil national" in c.text]
    assert own and own[0].speaker is None and own[0].modality.value == "asserted"
    hedged = claims("Selon l'enquête, des responsables américains auraient confirmé des conversations entre "
                    "Musk et Poutine.")
    assert hedged and all(c.modality.value == "hedged" and c.speaker for c in hedged)


def test_an_enumeration_is_no_apposition():
    got = texts("Les bâtiments de l'ONU, le palais présidentiel, des hôtels, des écoles et la cathédrale de "
                "Port-au-Prince se sont effondrés mardi.")
    assert not any(t.startswith("ONU") or t.endswith("palais présidentiel") for t in got)


def test_the_subject_is_repeated_only_where_the_second_verb_has_none():
    got = texts("Les employés de la mairie de Lille restent injoignables et n'ont pas donné signe de vie depuis mardi.")
    assert "Les employés de la mairie de Lille n'ont pas donné signe de vie depuis mardi" in got
    # "car beaucoup ont perdu …": the clause has its own subject, which the parser may miss
    got = texts("Les survivants de Jacmel ont besoin d'eau et de nourriture, car beaucoup ont perdu leur maison.")
    assert not any(t.startswith("Les survivants de Jacmel beaucoup") for t in got)


def test_a_relative_about_a_named_place_keeps_its_noun():
    got = texts("L'hôtel Montana, qui abrite les missions de l'ONU depuis 2004, s'est effondré mardi.")
    assert "L'hôtel Montana abrite les missions de l'ONU depuis 2004" in got
