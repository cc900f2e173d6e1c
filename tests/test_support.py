"""Paraphrase support: an item's own words (claim text, summary sentence,
indirect content, speaker) are checked against evidence it quotes verbatim.

Every article and sentence is written for this test, in French and English,
and each case is named for the pattern it serves.  The quotes are copied from
the article, so the quote side (``analysis/fidelity``) has nothing to say and
what decides is ``analysis/support``, ``polarity`` and ``speakers``.
"""

from __future__ import annotations

import pytest

from verifier.analysis.grounding import ground
from verifier.models import AnalysisDraft

FR_TECH = (
    "Elon Musk a présenté lundi à Austin un nouveau camion électrique. "             # 0
    "Il a promis trois nouvelles usines en Europe avant fin 2022. "                   # 1
    "Jeff Bezos, le fondateur d'Amazon, n'a pas assisté à la présentation. "          # 2
    "L'entreprise a vendu 1,5 million de voitures en 2021, selon son rapport annuel. "  # 3
    "Le constructeur n'a pas caché son intérêt pour l'Italie. "                       # 4
    "Il ouvrirait un magasin à Milan en mars, selon un document interne. "            # 5
    "Un porte-parole n'a pas confirmé ce projet. "                                    # 6
    "L'action Tesla a gagné 12 % après l'événement. "                                 # 7
    "Le constructeur n'a jamais reçu d'aides publiques, a affirmé le porte-parole."   # 8
)
FR_CITY = (
    "Claire Martin, la maire de Lyon, a inauguré mardi une nouvelle ligne de tramway. "  # 0
    "La ligne a coûté 250 millions d'euros. "                                          # 1
    "Les travaux ont duré quatre ans. "                                                # 2
    "Paul Roux, le président de la métropole, a salué le projet. "                     # 3
    "Il a annoncé deux nouvelles lignes pour 2026. "                                   # 4
    "« Nous ne relèverons pas les impôts », a-t-il dit. "                              # 5
    "Selon une source proche du dossier, la région aurait promis 40 millions d'euros. "  # 6
    "Le préfet n'a pas hésité à critiquer le calendrier. "                             # 7
    "Le tramway transportera 50 000 voyageurs par jour. "                              # 8
    "La maire n'a pas répondu aux questions des journalistes. "                        # 9
    "Selon le préfet Marc Blanc, la ligne ouvrira au public en septembre. "            # 10
    "Paul Roux a nié avoir rencontré le préfet."                                       # 11
)
EN_TECH = (
    "Elon Musk unveiled a new electric truck in Austin on Monday. "                   # 0
    "He promised three new factories in Europe by the end of 2022. "                  # 1
    "Jeff Bezos, the founder of Amazon, did not attend the event. "                   # 2
    "The company sold 1.5 million cars in 2021, according to its annual report. "     # 3
    "The carmaker did not hesitate to court buyers in Italy and Germany. "            # 4
    "It would reportedly open a showroom in Milan in March. "                         # 5
    "A spokesperson did not confirm the plan. "                                       # 6
    "Tesla shares rose 12% after the event. "                                         # 7
    "The company has never received state subsidies, the spokesperson said. "        # 8
    "He plans to visit Berlin in May."                                                # 9
)
EN_CITY = (
    "Mayor Ana Ortiz presented the city budget on Tuesday. "                          # 0
    "She promised 40 new buses and 12 fire stations. "                                # 1
    "The plan does not include a new stadium. "                                       # 2
    "\"We will not raise taxes this year,\" she said. "                               # 3
    "Treasurer Mark Chen said the city had 15 million dollars in reserve. "           # 4
    "The city would reportedly borrow 80 million dollars to pay for the buses. "      # 5
    "A council spokesperson said the vote could be delayed. "                         # 6
    "Council member David Lee did not hide his anger at the plan. "                   # 7
    "The buses will cost twice as much as planned, he said. "                         # 8
    "Residents have waited for the new stations since late 2019. "                    # 9
    "The budget will be put to a vote in June."                                       # 10
)
ARTICLES = {"fr-tech": (FR_TECH, "fr"), "fr-city": (FR_CITY, "fr"),
            "en-tech": (EN_TECH, "en"), "en-city": (EN_CITY, "en")}


def claim(text, *evidence, modality="asserted", speaker=None):
    return "claims", {"text": text, "modality": modality, "speaker": speaker, "evidence": list(evidence)}


def said(name, content, evidence, cue=None, role=None, denial=False):
    """An indirect attribution."""
    return "attributions", {"speaker": {"name": name, "role": role}, "content": content, "kind": "indirect",
                            "cue": cue, "is_denial": denial, "is_no_comment": False, "evidence": evidence}


def summary(text, *citations):
    return "summaries", {"text": text, "citations": list(citations)}


def grounded(article: str, item):
    text, language = ARTICLES[article]
    field, body = item
    draft = AnalysisDraft(language=language, claims=[body] if field == "claims" else [],
                          attributions=[body] if field == "attributions" else [],
                          summary=[body] if field == "summaries" else [])
    for quote in body.get("evidence") or body.get("citations"):
        assert quote in text, f"not verbatim: {quote!r}"  # only the paraphrase is under test
    claims, attributions, sentences = ground(draft, text, language)
    return (claims or attributions or sentences)[0]


def case(article, item, id):
    return pytest.param(article, item, id=id)


FAITHFUL = [
    # articles (determiners) dropped
    case("fr-city", summary("Claire Martin, maire de Lyon, a inauguré mardi une nouvelle ligne de tramway.",
                            "Claire Martin, la maire de Lyon, a inauguré mardi"), "fr-articles-dropped"),
    case("fr-city", claim("Ligne a coûté 250 millions d'euros.", "La ligne a coûté 250 millions d'euros"),
         "fr-articles-dropped-headline"),
    case("en-city", summary("Mayor Ana Ortiz presented city budget on Tuesday.",
                            "Mayor Ana Ortiz presented the city budget on Tuesday"), "en-articles-dropped"),
    case("en-tech", claim("Jeff Bezos, founder of Amazon, did not attend event.",
                          "Jeff Bezos, the founder of Amazon, did not attend the event"), "en-articles-dropped-apposition"),
    # a subject pronoun replaced by the name given in the sentence before
    case("fr-tech", claim("Elon Musk a promis trois nouvelles usines en Europe avant fin 2022.",
                          "Il a promis trois nouvelles usines en Europe"), "fr-il-replaced-by-name-before"),
    case("fr-city", claim("Paul Roux a annoncé deux nouvelles lignes pour 2026.",
                          "Il a annoncé deux nouvelles lignes pour 2026"), "fr-il-replaced-by-name-before-2"),
    case("en-tech", claim("Musk promised three new factories in Europe by the end of 2022.",
                          "He promised three new factories in Europe"), "en-he-replaced-by-name-before"),
    case("en-city", claim("Ortiz promised 40 new buses and 12 fire stations.",
                          "She promised 40 new buses and 12 fire stations"), "en-she-replaced-by-name-before"),
    # "the company" / "l'entreprise" replaced by the name the article gives elsewhere
    case("fr-tech", claim("Tesla a vendu 1,5 million de voitures en 2021.",
                          "L'entreprise a vendu 1,5 million de voitures en 2021"), "fr-l-entreprise-named-elsewhere"),
    case("fr-tech", claim("Tesla n'a pas caché son intérêt pour l'Italie.",
                          "Le constructeur n'a pas caché son intérêt pour l'Italie"), "fr-le-constructeur-named-elsewhere"),
    case("en-tech", claim("Tesla sold 1.5 million cars in 2021.", "The company sold 1.5 million cars in 2021"),
         "en-the-company-named-elsewhere"),
    case("en-tech", claim("Tesla did not hesitate to court buyers in Italy and Germany.",
                          "The carmaker did not hesitate to court buyers in Italy and Germany"),
         "en-the-carmaker-named-elsewhere"),
    # a number written another way
    case("fr-tech", claim("Elon Musk a promis 3 nouvelles usines en Europe.",
                          "Il a promis trois nouvelles usines en Europe"), "fr-number-digits-for-word"),
    case("fr-tech", claim("L'entreprise a vendu 1.5 million de voitures en 2021.",
                          "L'entreprise a vendu 1,5 million de voitures en 2021"), "fr-number-decimal-point"),
    case("fr-city", claim("Les travaux ont duré 4 ans.", "Les travaux ont duré quatre ans"), "fr-number-quatre-4"),
    case("en-tech", claim("Musk promised 3 new factories in Europe.", "He promised three new factories in Europe"),
         "en-number-digits-for-word"),
    case("en-city", claim("Ortiz promised forty new buses and 12 fire stations.",
                          "She promised 40 new buses and 12 fire stations"), "en-number-word-for-digits"),
    # a date in another form
    case("fr-tech", claim("Elon Musk a promis trois nouvelles usines en Europe en 2022.",
                          "Il a promis trois nouvelles usines en Europe avant fin 2022"), "fr-date-fin-2022-as-2022"),
    case("fr-tech", claim("Elon Musk unveiled a new electric truck in Austin on Monday.",
                          "Elon Musk a présenté lundi à Austin un nouveau camion électrique"),
         "fr-date-lundi-output-as-monday"),
    case("en-tech", claim("Musk promised three new factories in Europe in 2022.",
                          "He promised three new factories in Europe by the end of 2022"), "en-date-end-of-2022-as-2022"),
    case("en-city", claim("Residents have waited for the new stations since 2019.",
                          "Residents have waited for the new stations since late 2019"), "en-date-late-2019-as-2019"),
    # a demonym for the country
    case("en-tech", claim("The carmaker did not hesitate to court Italian buyers.",
                          "The carmaker did not hesitate to court buyers in Italy"), "en-demonym-italian-for-italy"),
    case("en-tech", claim("The carmaker did not hesitate to court German buyers.",
                          "The carmaker did not hesitate to court buyers in Italy and Germany"),
         "en-demonym-german-for-germany"),
    case("fr-tech", claim("Le constructeur n'a pas caché son intérêt pour les Italiens.",
                          "Le constructeur n'a pas caché son intérêt pour l'Italie"), "fr-demonym-italiens-for-italie"),
    # a litotes restated as the affirmation it is
    case("fr-tech", claim("Le constructeur a affiché son intérêt pour l'Italie.",
                          "Le constructeur n'a pas caché son intérêt pour l'Italie"), "fr-litotes-n-a-pas-cache"),
    case("fr-city", claim("Le préfet a critiqué le calendrier.", "Le préfet n'a pas hésité à critiquer le calendrier"),
         "fr-litotes-n-a-pas-hesite"),
    case("en-tech", claim("The carmaker courted buyers in Italy and Germany.",
                          "The carmaker did not hesitate to court buyers in Italy and Germany"),
         "en-litotes-did-not-hesitate"),
    case("en-city", claim("Council member David Lee showed his anger at the plan.",
                          "Council member David Lee did not hide his anger at the plan"), "en-litotes-did-not-hide"),
    # a denial word for the evidence's negation
    case("fr-tech", claim("Un porte-parole a refusé de confirmer ce projet.", "Un porte-parole n'a pas confirmé ce projet"),
         "fr-a-refuse-de-confirmer-for-n-a-pas-confirme"),
    case("fr-city", claim("La maire a refusé de répondre aux questions des journalistes.",
                          "La maire n'a pas répondu aux questions des journalistes"),
         "fr-a-refuse-de-repondre-for-n-a-pas-repondu"),
    case("en-tech", claim("A spokesperson refused to confirm the plan.", "A spokesperson did not confirm the plan"),
         "en-refused-to-confirm-for-did-not-confirm"),
    # a denied claim states what is denied, without the negation
    case("fr-tech", claim("Le constructeur a reçu des aides publiques.",
                          "Le constructeur n'a jamais reçu d'aides publiques, a affirmé le porte-parole",
                          modality="denied", speaker="le porte-parole"), "fr-denied-claim-jamais-dropped"),
    case("fr-city", claim("Paul Roux a rencontré le préfet.", "Paul Roux a nié avoir rencontré le préfet",
                          modality="denied", speaker="Paul Roux"), "fr-denied-claim-a-nie"),
    case("en-tech", claim("The company has received state subsidies.",
                          "The company has never received state subsidies, the spokesperson said",
                          modality="denied", speaker="the spokesperson"), "en-denied-claim-never-dropped"),
    # a hedged claim for a conditional or "reportedly" sentence: the modality keeps the hedge
    case("fr-tech", claim("Le constructeur ouvrira un magasin à Milan en mars.", "Il ouvrirait un magasin à Milan en mars",
                          modality="hedged"), "fr-hedged-claim-for-conditional"),
    case("fr-city", claim("La région a promis 40 millions d'euros.", "la région aurait promis 40 millions d'euros",
                          modality="hedged", speaker="une source proche du dossier"), "fr-hedged-claim-for-aurait"),
    case("en-tech", claim("The carmaker will open a showroom in Milan in March.",
                          "It would reportedly open a showroom in Milan in March", modality="hedged"),
         "en-hedged-claim-for-reportedly"),
    case("en-city", claim("The city could borrow 80 million dollars to pay for the buses.",
                          "The city would reportedly borrow 80 million dollars to pay for the buses",
                          modality="hedged"), "en-hedged-claim-could"),
    # an indirect attribution whose speaker is named in its sentence
    case("fr-city", said("Marc Blanc", "la ligne ouvrira au public en septembre",
                         "Selon le préfet Marc Blanc, la ligne ouvrira au public en septembre", cue="Selon",
                         role="préfet"), "fr-indirect-speaker-named-in-sentence"),
    case("en-city", said("Mark Chen", "the city had 15 million dollars in reserve",
                         "Treasurer Mark Chen said the city had 15 million dollars in reserve", cue="said",
                         role="treasurer"), "en-indirect-speaker-named-in-sentence"),
    case("en-tech", said("Elon Musk", "he would build three new factories in Europe by the end of 2022",
                         "He promised three new factories in Europe by the end of 2022", cue="promised"),
         "en-indirect-speaker-pronoun-name-one-before"),
    # ... or referred to by "a-t-il dit" / "he said", the name 1 to 3 sentences before
    case("fr-city", said("Paul Roux", "la métropole ne relèvera pas les impôts",
                         "« Nous ne relèverons pas les impôts », a-t-il dit", cue="a-t-il dit"),
         "fr-indirect-a-t-il-dit-name-two-before"),
    case("en-city", said("Ana Ortiz", "the city will not raise taxes this year",
                         "\"We will not raise taxes this year,\" she said", cue="she said", role="mayor"),
         "en-indirect-she-said-name-three-before"),
    case("en-city", said("David Lee", "the buses will cost twice as much as planned",
                         "The buses will cost twice as much as planned, he said", cue="he said"),
         "en-indirect-he-said-name-one-before"),
    # a speaker that is a role or a description
    case("fr-city", said("une source proche du dossier", "la région aurait promis 40 millions d'euros",
                         "Selon une source proche du dossier, la région aurait promis 40 millions d'euros",
                         cue="Selon"), "fr-speaker-source-proche-du-dossier"),
    case("fr-tech", said("le porte-parole", "le constructeur n'a jamais reçu d'aides publiques",
                         "Le constructeur n'a jamais reçu d'aides publiques, a affirmé le porte-parole",
                         cue="a affirmé", denial=True), "fr-speaker-le-porte-parole"),
    case("en-city", said("a council spokesperson", "the vote could be delayed",
                         "A council spokesperson said the vote could be delayed", cue="said"),
         "en-speaker-a-council-spokesperson"),
    case("en-tech", claim("The company has never received state subsidies.",
                          "The company has never received state subsidies, the spokesperson said",
                          modality="reported", speaker="a spokesperson"), "en-speaker-a-spokesperson"),
]


@pytest.mark.parametrize("article,item", FAITHFUL)
def test_a_faithful_paraphrase_is_grounded(article, item):
    got = grounded(article, item)
    assert got.grounding.status == "grounded" and got.grounded, got.grounding.reasons


UNSUPPORTED = [
    # a number swapped for another
    case("fr-tech", claim("Elon Musk a promis quatre nouvelles usines en Europe.",
                          "Il a promis trois nouvelles usines en Europe"), "fr-number-trois-to-quatre"),
    case("fr-tech", claim("L'action Tesla a gagné 15 % après l'événement.", "L'action Tesla a gagné 12 %"),
         "fr-number-12-to-15-percent"),
    case("en-city", claim("Ortiz promised 40 new buses and 15 fire stations.",
                          "She promised 40 new buses and 12 fire stations"), "en-number-12-to-15"),
    case("en-tech", claim("Musk promised four new factories in Europe.", "He promised three new factories in Europe"),
         "en-number-three-to-four"),
    case("fr-tech", claim("L'entreprise a vendu 15 millions de voitures en 2021.",
                          "L'entreprise a vendu 1,5 million de voitures en 2021"), "fr-number-1,5-to-15"),
    case("en-tech", claim("The company sold 15 million cars in 2021.", "The company sold 1.5 million cars in 2021"),
         "en-number-1.5-to-15"),
    # a number the evidence does not give
    case("fr-tech", claim("Elon Musk a promis trois nouvelles usines et 500 emplois en Europe.",
                          "Il a promis trois nouvelles usines en Europe"), "fr-number-invented"),
    case("fr-city", claim("La ligne a coûté 250 millions d'euros en 3 ans.", "La ligne a coûté 250 millions d'euros"),
         "fr-number-invented-duration"),
    case("en-city", claim("The plan does not include a new stadium for 60,000 fans.",
                          "The plan does not include a new stadium"), "en-number-invented"),
    # a date swapped: year, month, weekday
    case("fr-tech", claim("Elon Musk a promis trois nouvelles usines en Europe avant fin 2023.",
                          "Il a promis trois nouvelles usines en Europe avant fin 2022"), "fr-date-year-swapped"),
    case("fr-tech", claim("Le constructeur ouvrirait un magasin à Milan en avril.", "Il ouvrirait un magasin à Milan en mars",
                          modality="hedged"), "fr-date-month-swapped"),
    case("fr-city", claim("Claire Martin a inauguré jeudi une nouvelle ligne de tramway.",
                          "Claire Martin, la maire de Lyon, a inauguré mardi une nouvelle ligne de tramway"),
         "fr-date-weekday-swapped"),
    case("en-city", claim("The budget will be put to a vote in July.", "The budget will be put to a vote in June"),
         "en-date-month-swapped"),
    case("en-city", claim("Residents have waited for the new stations since 2018.",
                          "Residents have waited for the new stations since late 2019"), "en-date-year-swapped"),
    case("en-tech", claim("Elon Musk unveiled a new electric truck in Austin on Friday.",
                          "Elon Musk unveiled a new electric truck in Austin on Monday"), "en-date-weekday-swapped"),
]
UNSUPPORTED = [(p, "number" if "number" in p.id else "date") for p in UNSUPPORTED] + [
    (p, "name") for p in [
        # a name put in place of another: one the article gives elsewhere, one it never gives
        case("fr-tech", claim("Jeff Bezos a présenté lundi à Austin un nouveau camion électrique.",
                              "Elon Musk a présenté lundi à Austin un nouveau camion électrique"),
             "fr-name-swapped-for-one-elsewhere"),
        case("en-tech", claim("Bezos unveiled a new electric truck in Austin on Monday.",
                              "Elon Musk unveiled a new electric truck in Austin on Monday"),
             "en-name-musk-to-bezos-elsewhere"),
        case("en-city", claim("Council member Mark Chen did not hide his anger at the plan.",
                              "Council member David Lee did not hide his anger at the plan"),
             "en-name-swapped-for-one-elsewhere"),
        case("fr-tech", claim("Mark Zuckerberg a présenté lundi à Austin un nouveau camion électrique.",
                              "Elon Musk a présenté lundi à Austin un nouveau camion électrique"), "fr-name-invented"),
        case("fr-city", claim("Sophie Durand, la maire de Lyon, a inauguré mardi une nouvelle ligne de tramway.",
                              "Claire Martin, la maire de Lyon, a inauguré mardi une nouvelle ligne de tramway"),
             "fr-name-invented-2"),
        case("en-tech", claim("Tim Cook unveiled a new electric truck in Austin on Monday.",
                              "Elon Musk unveiled a new electric truck in Austin on Monday"), "en-name-invented"),
        # a pronoun resolved to a person named more than 2 sentences before
        case("fr-city", claim("Claire Martin a annoncé deux nouvelles lignes pour 2026.",
                              "Il a annoncé deux nouvelles lignes pour 2026"), "fr-pronoun-to-person-four-before"),
        case("fr-tech", claim("Elon Musk ouvrirait un magasin à Milan en mars.", "Il ouvrirait un magasin à Milan en mars",
                              modality="hedged"), "fr-pronoun-to-person-five-before"),
        case("en-tech", claim("Jeff Bezos plans to visit Berlin in May.", "He plans to visit Berlin in May"),
             "en-pronoun-to-person-seven-before"),
    ]] + [(p, "negation") for p in [
        # a negation added
        case("fr-city", claim("Les travaux n'ont pas duré quatre ans.", "Les travaux ont duré quatre ans"),
             "fr-negation-added"),
        case("en-tech", claim("The company did not sell 1.5 million cars in 2021.",
                              "The company sold 1.5 million cars in 2021"), "en-negation-added"),
        case("en-city", claim("The buses will never cost twice as much as planned.",
                              "The buses will cost twice as much as planned"), "en-negation-never-added"),
        # a negation dropped
        case("fr-city", claim("La maire a répondu aux questions des journalistes.",
                              "La maire n'a pas répondu aux questions des journalistes"), "fr-negation-dropped"),
        case("fr-tech", claim("Jeff Bezos a assisté à la présentation.",
                              "Jeff Bezos, le fondateur d'Amazon, n'a pas assisté à la présentation"),
             "fr-negation-dropped-2"),
        case("en-tech", claim("Jeff Bezos, the founder of Amazon, attended the event.",
                              "Jeff Bezos, the founder of Amazon, did not attend the event"), "en-negation-dropped"),
        case("en-city", claim("The plan includes a new stadium.", "The plan does not include a new stadium"),
             "en-negation-dropped-2"),
    ]] + [(p, "modality") for p in [
        # a hedge dropped: conditional or "reportedly" evidence, a claim asserted as fact
        case("fr-tech", claim("Le constructeur ouvrira un magasin à Milan en mars.",
                              "Il ouvrirait un magasin à Milan en mars"), "fr-hedge-conditional-dropped"),
        case("fr-city", claim("La région a promis 40 millions d'euros.", "la région aurait promis 40 millions d'euros"),
             "fr-hedge-aurait-dropped"),
        case("en-tech", claim("The carmaker will open a showroom in Milan in March.",
                              "It would reportedly open a showroom in Milan in March"), "en-hedge-reportedly-dropped"),
        case("en-city", claim("The city will borrow 80 million dollars to pay for the buses.",
                              "The city would reportedly borrow 80 million dollars to pay for the buses"),
             "en-hedge-would-reportedly-dropped"),
    ]] + [(p, "speaker") for p in [
        # a speaker the article does not name
        case("fr-city", said("Jean Dupuis", "les travaux ont duré quatre ans", "Les travaux ont duré quatre ans"),
             "fr-speaker-not-in-article"),
        case("fr-tech", said("le ministre des Transports", "le projet n'est pas confirmé",
                             "Un porte-parole n'a pas confirmé ce projet"), "fr-speaker-role-not-in-article"),
        case("en-city", said("Karen Holt", "the vote could be delayed",
                             "A council spokesperson said the vote could be delayed", cue="said"),
             "en-speaker-not-in-article"),
        # a speaker named only far (more than 5 sentences) before the evidence, which has no pronoun
        case("fr-city", said("Claire Martin", "le tramway transportera 50 000 voyageurs par jour",
                             "Le tramway transportera 50 000 voyageurs par jour"), "fr-speaker-named-eight-before"),
        case("en-city", claim("The budget will be put to a vote in June.", "The budget will be put to a vote in June",
                              speaker="Ana Ortiz"), "en-speaker-named-ten-before"),
        case("en-city", said("Mark Chen", "the budget will be put to a vote in June",
                             "The budget will be put to a vote in June"), "en-speaker-named-six-before"),
    ]] + [(p, "number") for p in [
        # an indirect content with a changed number
        case("fr-city", said("une source proche du dossier", "la région aurait promis 60 millions d'euros",
                             "Selon une source proche du dossier, la région aurait promis 40 millions d'euros",
                             cue="Selon"), "fr-indirect-number-40-to-60"),
        case("fr-city", said("Paul Roux", "il y aura trois nouvelles lignes pour 2026",
                             "Il a annoncé deux nouvelles lignes pour 2026", cue="a annoncé"),
             "fr-indirect-number-deux-to-trois"),
        case("en-city", said("Mark Chen", "the city had 50 million dollars in reserve",
                             "Treasurer Mark Chen said the city had 15 million dollars in reserve", cue="said"),
             "en-indirect-number-15-to-50"),
    ]]


@pytest.mark.parametrize("article,item,kind", [
    pytest.param(*p.values, kind, id=p.id, marks=p.marks) for p, kind in UNSUPPORTED])
def test_an_unsupported_paraphrase_is_flagged(article, item, kind):
    got = grounded(article, item)
    kinds = [r.kind for r in got.grounding.reasons]
    assert got.grounding.status == "unsupported" and not got.grounded, got.grounding.reasons
    assert kind in kinds, got.grounding.reasons


def test_reasons_give_the_engines_and_the_articles_values():
    got = grounded("fr-tech", claim("Elon Musk a promis quatre nouvelles usines en Europe.",
                                    "Il a promis trois nouvelles usines en Europe"))
    [reason] = [r for r in got.grounding.reasons if r.kind == "number"]
    assert (reason.engine, reason.article) == ("quatre", "trois")
    assert "quatre" in reason.message and "trois" in reason.message
    got = grounded("en-city", claim("Ortiz promised 40 new buses and 15 fire stations.",
                                    "She promised 40 new buses and 12 fire stations"))
    [reason] = [r for r in got.grounding.reasons if r.kind == "number"]
    assert (reason.engine, reason.article) == ("15", "12")


# --------------------------------------------------------------------------
# names, speakers and negations that only look supported
# --------------------------------------------------------------------------

EN_BANK = (
    "Senator Jane Doe questioned the bank's chief on Tuesday. "                     # 0
    "On Monday, Musk said the platform would survive. "                             # 1
    "The measure was approved by the Senator after a long debate. "                 # 2
    "Bill Clinton spoke at the rally in Ohio. "                                     # 3
    "The Fed would not hesitate to raise rates again, officials said. "             # 4
    "The U.S. central bank raised rates by 2.5 percent on January 1, 2023. "        # 5
    "Critics in Washington called the plan a gift to banks. "                       # 6
    "Mark Smith opened the hearing. Jane Doe took the floor. "                      # 7, 8
    "\u201cWe will not wait any longer,\u201d she said."                            # 9
)
FR_PREFET = (
    "Le préfet n'a pas hésité à fermer la route nationale. "                         # 0
    "« Nous ne reculerons pas », a déclaré le ministre de l'Intérieur. "              # 1
    "La région a prévu un budget de 12 millions d'euros, selon le conseil. "          # 2
    "Quelque 400 manifestants se sont rassemblés devant la préfecture."               # 3
)


def _only(article: str, lang: str, item: dict):
    item = dict(item)
    kind = item.pop("as_", "claim")
    base = {"language": lang, "claims": [], "attributions": [], "summary": []}
    if kind == "claim":
        base["claims"] = [{"text": item.get("text", ""), "modality": item.get("modality", "asserted"),
                           "speaker": item.get("speaker"), "evidence": item["quotes"]}]
    elif kind == "summary":
        base["summary"] = [{"text": item["text"], "citations": item["quotes"]}]
    else:
        base["attributions"] = [{"speaker": {"name": item["speaker"], "role": item.get("role")},
                                 "content": item["content"], "kind": "direct", "cue": item.get("cue"),
                                 "is_denial": False, "is_no_comment": False, "evidence": item["quotes"][0]}]
    claims, attributions, summary = ground(AnalysisDraft.model_validate(base), article, lang)
    return (claims + attributions + summary)[0]


@pytest.mark.parametrize("article,lang,item,kind", [
    # a name lengthened with a first name or a name the article does not give
    (EN_BANK, "en", dict(text="On Monday, Kimbal Musk said the platform would survive.",
                         quotes=["On Monday, Musk said the platform would survive"]), "name"),
    (EN_BANK, "en", dict(as_="summary", text="The measure was approved by Senator Zorglub after a long debate.",
                         quotes=["The measure was approved by the Senator after a long debate"]), "name"),
    (EN_BANK, "en", dict(text="George Washington critics called the plan a gift to banks.",
                         quotes=["Critics in Washington called the plan a gift to banks"]), "name"),
    # a made-up speaker whose role the evidence gives, another Clinton, a pronoun that is someone else
    (FR_PREFET, "fr", dict(as_="attribution", speaker="Jean Zorglub", role="ministre",
                           content="Nous ne reculerons pas", quotes=["« Nous ne reculerons pas », a déclaré le ministre"],
                           cue="a déclaré"), "speaker"),
    (EN_BANK, "en", dict(as_="attribution", speaker="Hillary Clinton", content="spoke at the rally",
                         quotes=["Bill Clinton spoke at the rally in Ohio"]), "speaker"),
    (EN_BANK, "en", dict(as_="attribution", speaker="Mark Smith", content="We will not wait any longer",
                         quotes=["\u201cWe will not wait any longer,\u201d she said"], cue="said"), "speaker"),
    # a litotes whose negation is dropped says the opposite
    (FR_PREFET, "fr", dict(text="Le préfet a hésité à fermer la route nationale.",
                           quotes=["Le préfet n'a pas hésité à fermer la route nationale"]), "negation"),
    (EN_BANK, "en", dict(text="The Fed would hesitate to raise rates again.",
                         quotes=["The Fed would not hesitate to raise rates again"]), "negation"),
    # a number pieced together from two quotes far apart
    (FR_PREFET, "fr", dict(text="La région a prévu un budget de 400 millions d'euros.",
                           quotes=["La région a prévu un budget de 12 millions d'euros",
                                   "Quelque 400 manifestants se sont rassemblés"]), "number"),
])
def test_what_only_looks_supported_is_flagged(article, lang, item, kind):
    got = _only(article, lang, item)
    assert got.grounding.status == "unsupported", got.grounding
    assert kind in {r.kind for r in got.grounding.reasons}, got.grounding.reasons


@pytest.mark.parametrize("article,lang,item", [
    (EN_BANK, "en", dict(text="The US central bank raised rates by 2.5% on January 1, 2023.",
                         quotes=["The U.S. central bank raised rates by 2.5 percent on January 1, 2023"])),
    (EN_BANK, "en", dict(as_="attribution", speaker="Jane Doe", content="We will not wait any longer",
                         quotes=["\u201cWe will not wait any longer,\u201d she said"], cue="said")),
    (EN_BANK, "en", dict(as_="attribution", speaker="Bill Clinton", content="spoke at the rally",
                         quotes=["Bill Clinton spoke at the rally in Ohio"])),
    (FR_PREFET, "fr", dict(text="La région a prévu un budget de 12 millions d'euros, soit douze millions.",
                           quotes=["La région a prévu un budget de 12 millions d'euros"])),
])
def test_what_is_supported_stays_grounded(article, lang, item):
    got = _only(article, lang, item)
    assert got.grounded, got.grounding


FR_GREVE = "Le syndicat a annoncé mardi 14 mars 2023 une grève de trois jours sur les lignes régionales."


@pytest.mark.parametrize("text,expected", [
    # a date written in figures is the same date, or another one
    ("Le syndicat a annoncé le 14/03/2023 une grève de trois jours.", "grounded"),
    ("Le syndicat a annoncé le 2023-03-14 une grève de trois jours.", "grounded"),
    ("Le syndicat a annoncé le 15/03/2023 une grève de trois jours.", "unsupported"),
])
def test_a_date_in_figures(text, expected):
    got = _only(FR_GREVE, "fr", dict(text=text, quotes=["une grève de trois jours sur les lignes régionales"]))
    assert got.grounding.status == expected, got.grounding
