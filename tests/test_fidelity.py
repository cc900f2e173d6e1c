"""Quote fidelity: a located quote that differs from the article in a fact is
altered, one that differs in typography, case, articles or spelling is not.

Every case is a sentence written for this test, named for the pattern it
serves; each quote is long enough for the fuzzy pass to locate it, so what
decides is the comparison (``analysis/fidelity``), not the search.
"""

from __future__ import annotations

import pytest

from verifier.analysis.fidelity import differences, negations
from verifier.analysis.locate import Grounder

FR = ("Le ministre de l’Intérieur a annoncé mardi 14 mars 2023 que 1,5 million de personnes "
      "ne seraient pas concernées par la réforme des retraites, selon un communiqué publié à Paris.")
FR2 = "Claire Martin, la maire de Lyon, aurait promis trois nouvelles écoles avant la fin de l’année 2024."
EN = ("The senator said on Tuesday that 40% of the 12,000 workers at the Detroit plant would not "
      "keep their jobs after the merger, according to Janet Cole.")
EN2 = "Mayor Ortiz may approve two new stadiums in March, officials said, but he hasn't signed anything yet."


def located(text: str, quote: str):
    span = Grounder(text).locate(quote)
    assert span.start is not None, f"not located: {quote!r}"
    return span


FAITHFUL = [
    # typography: guillemets, apostrophes, spaces, case
    (FR, "le ministre de l'Intérieur a annoncé mardi 14 mars 2023 que 1,5 million de personnes ne seraient"),
    (FR2, "claire martin, la maire de Lyon, aurait promis trois nouvelles écoles avant la fin de l'année"),
    # an article dropped or added, an elision undone
    (FR, "ministre de l’Intérieur a annoncé mardi 14 mars 2023 que 1,5 million personnes ne seraient pas"),
    (EN, "senator said on Tuesday that 40% of 12,000 workers at the Detroit plant would not keep their jobs"),
    # a number written another way: decimal comma, digits for words, grouping
    (FR, "Le ministre de l’Intérieur a annoncé mardi 14 mars 2023 que 1.5 million de personnes ne seraient pas"),
    (FR2, "Claire Martin, la maire de Lyon, aurait promis 3 nouvelles écoles avant la fin de l’année 2024"),
    (EN, "The senator said on Tuesday that 40% of the 12 000 workers at the Detroit plant would not keep"),
    # a small spelling variation in a long word
    (EN, "The senator said on Tuesday that 40% of the 12,000 workrs at the Detroit plant would not keep"),
    # "hasn't" written with a typographic apostrophe
    (EN2, "Mayor Ortiz may approve two new stadiums in March, officials said, but he hasn’t signed anything"),
]


@pytest.mark.parametrize("text,quote", FAITHFUL)
def test_a_faithful_copy_differs_in_nothing(text, quote):
    span = located(text, quote)
    assert span.differences == [] and span.grounded, span.differences


ALTERED = [
    # number: digits, decimals, percentages, written-out numbers
    (FR, "Le ministre de l’Intérieur a annoncé mardi 14 mars 2023 que 2,5 million de personnes ne seraient pas",
     "number", "2,5", "1,5"),
    (FR2, "Claire Martin, la maire de Lyon, aurait promis quatre nouvelles écoles avant la fin de l’année 2024",
     "number", "quatre", "trois"),
    (EN, "The senator said on Tuesday that 45% of the 12,000 workers at the Detroit plant would not keep",
     "number", "45", "40"),
    (EN2, "Mayor Ortiz may approve three new stadiums in March, officials said, but he hasn't signed anything",
     "number", "three", "two"),
    # date: weekday, month, year
    (FR, "Le ministre de l’Intérieur a annoncé jeudi 14 mars 2023 que 1,5 million de personnes ne seraient pas",
     "date", "jeudi", "mardi"),
    (FR, "Le ministre de l’Intérieur a annoncé mardi 14 avril 2023 que 1,5 million de personnes ne seraient pas",
     "date", "avril", "mars"),
    (FR2, "Claire Martin, la maire de Lyon, aurait promis trois nouvelles écoles avant la fin de l’année 2025",
     "date", "2025", "2024"),
    (EN, "The senator said on Friday that 40% of the 12,000 workers at the Detroit plant would not keep",
     "date", "Friday", "Tuesday"),
    # proper name
    (FR2, "Claire Dupont, la maire de Lyon, aurait promis trois nouvelles écoles avant la fin de l’année 2024",
     "name", "Dupont", "Martin"),
    (EN, "The senator said on Tuesday that 40% of the 12,000 workers at the Chicago plant would not keep",
     "name", "Chicago", "Detroit"),
    # modality: the conditional, a hedge
    (FR2, "Claire Martin, la maire de Lyon, a promis trois nouvelles écoles avant la fin de l’année 2024",
     "modality", None, "aurait"),
    (EN2, "Mayor Ortiz will approve two new stadiums in March, officials said, but he hasn't signed anything",
     "modality", "will", "may"),
    # wording: any other word replaced
    (FR, "Le ministre de l’Intérieur a démenti mardi 14 mars 2023 que 1,5 million de personnes ne seraient pas",
     "wording", "démenti", "annoncé"),
]


@pytest.mark.parametrize("text,quote,kind,engine,article", ALTERED)
def test_a_changed_fact_makes_the_quote_altered(text, quote, kind, engine, article):
    span = located(text, quote)
    assert not span.grounded and span.quote == quote
    assert text[span.start:span.end] == span.text  # the article's words, beside the engine's
    found = [d for d in span.differences if d.kind == kind]
    assert found, span.differences
    assert engine is None or engine in (found[0].engine or "")
    assert article is None or article in (found[0].article or "")


NEGATIONS = [
    # "ne … pas" dropped, in one piece or two
    (FR, "Le ministre de l’Intérieur a annoncé mardi 14 mars 2023 que 1,5 million de personnes seraient concernées"),
    # "not" dropped, "n't" dropped, "never" added
    (EN, "The senator said on Tuesday that 40% of the 12,000 workers at the Detroit plant would keep their jobs"),
    (EN2, "Mayor Ortiz may approve two new stadiums in March, officials said, but he has signed anything yet"),
    (EN2, "Mayor Ortiz may never approve two new stadiums in March, officials said, but he hasn't signed anything"),
]


@pytest.mark.parametrize("text,quote", NEGATIONS)
def test_a_negation_added_or_dropped_makes_the_quote_altered(text, quote):
    span = located(text, quote)
    assert [d.kind for d in span.differences if d.kind == "negation"] == ["negation"], span.differences


def test_a_pronoun_the_engine_replaced_by_the_name_before_it_is_faithful():
    text = "Claire Martin était à Lyon lundi. Elle a promis trois nouvelles écoles avant la fin de l’année."
    span = located(text, "Claire Martin a promis trois nouvelles écoles avant la fin de l’année")
    assert span.differences == []
    text = "Paul Roux était à Lyon lundi. Elle a promis trois nouvelles écoles avant la fin de l’année."
    span = located(text, "Claire Martin a promis trois nouvelles écoles avant la fin de l’année")
    assert [d.kind for d in span.differences] == ["name"]  # nobody of that name before the pronoun


def test_negations_are_counted_in_either_language():
    assert negations("Il ne viendra pas, il n’a jamais dit oui.") == 2
    assert negations("He won’t come and never said yes.") == 2
    assert negations("Il viendra. He will come.") == 0


def test_differences_name_each_stretch_once():
    found = differences("Claire Dupont a promis quatre écoles", "Claire Martin a promis trois écoles")
    assert [(d.kind, d.engine, d.article) for d in found] == [("name", "Dupont", "Martin"),
                                                              ("number", "quatre", "trois")]


DE = "Die Regierung hat den Plan am 5. März 2023 nicht gebilligt, sagte der Sprecher in Berlin."
ES = "El gobierno aprobó el plan el 3 de mayo de 2021 en Madrid, dijo el portavoz del ministerio."


@pytest.mark.parametrize("text,quote,kind", [
    # other languages than the offline engine's: negations and months are read there too
    (DE, "Die Regierung hat den Plan am 5. März 2023 gebilligt, sagte der Sprecher in Berlin", "negation"),
    (DE, "Die Regierung hat den Plan am 5. Mai 2023 nicht gebilligt, sagte der Sprecher in Berlin", "date"),
    (ES, "El gobierno aprobó el plan el 3 de junio de 2021 en Madrid, dijo el portavoz del ministerio", "date"),
    (ES, "El gobierno no aprobó el plan el 3 de mayo de 2021 en Madrid, dijo el portavoz del ministerio", "negation"),
])
def test_other_languages_negations_and_months(text, quote, kind):
    assert kind in {d.kind for d in located(text, quote).differences}


@pytest.mark.parametrize("text,quote,kind", [
    # a word for its negative-prefix form is a negation, not a spelling variation
    ("Le ministre a jugé qu’il était impossible de tenir le calendrier prévu pour la réforme.",
     "Le ministre a jugé qu’il était possible de tenir le calendrier prévu pour la réforme", "negation"),
    ("The judge ruled that the merger was illegal under the competition rules of the state.",
     "The judge ruled that the merger was legal under the competition rules of the state", "negation"),
    # a name changed by a letter or two is another name
    ("Selon Marc Dupont, le chantier de la gare durera encore deux ans au moins.",
     "Selon Marc Dupond, le chantier de la gare durera encore deux ans au moins", "name"),
    ("The minister flew to Austria on Sunday to sign the new gas agreement with Vienna.",
     "The minister flew to Australia on Sunday to sign the new gas agreement with Vienna", "name"),
    # a year inside a hyphenated date
    ("La mise en service est prévue pour mi-2023 selon le calendrier de la direction.",
     "La mise en service est prévue pour mi-2024 selon le calendrier de la direction", "date"),
])
def test_changes_that_look_like_spelling_are_caught(text, quote, kind):
    assert kind in {d.kind for d in located(text, quote).differences}


@pytest.mark.parametrize("text,quote", [
    ("L’usine emploie désormais 1 million de personnes dans toute la région du nord.",
     "L’usine emploie désormais un million de personnes dans toute la région du nord"),
    ("La cérémonie aura lieu le 1er mars à Lyon, devant la mairie du premier arrondissement.",
     "La cérémonie aura lieu le 1 mars à Lyon, devant la mairie du premier arrondissement"),
    # the pronoun the engine resolved sits just before the located words
    ("Jean Dupont était à Lyon lundi. Il a ajouté que le projet de tramway serait prêt en septembre.",
     "Jean Dupont a ajouté que le projet de tramway serait prêt en septembre"),
    # an editorial insertion in brackets
    ("« Nous ne reculerons pas sur le calendrier des travaux », a déclaré la ministre mardi.",
     "« Nous ne reculerons pas sur le calendrier [des travaux du tramway] », a déclaré la ministre"),
])
def test_what_journalists_and_models_legitimately_change_is_faithful(text, quote):
    span = located(text, quote)
    assert span.grounded, span.differences


def test_a_quote_too_short_to_prove_anything_is_not_evidence():
    from verifier.analysis.grounding import ground
    from verifier.models import AnalysisDraft

    text = "Le gouvernement a présenté son budget. Le président est en voyage."
    draft = AnalysisDraft.model_validate({"language": "fr", "attributions": [], "claims": [
        {"text": "Le gouvernement a démissionné.", "modality": "asserted", "speaker": None, "evidence": ["."]},
        {"text": "Le président est mort.", "modality": "asserted", "speaker": None, "evidence": ["le"]}],
        "summary": [{"text": "La guerre est déclarée.", "citations": [". … ."]}]})
    claims, _, summary = ground(draft, text, "fr")
    assert [c.grounding.status for c in claims + summary] == ["not_found"] * 3
    assert "too short" in claims[0].grounding.reasons[0].message
