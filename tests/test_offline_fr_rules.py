"""French who-said-what rules of the offline engine, one test per rule, each
on sentences written for it (not taken from any article)."""

from __future__ import annotations

import pytest

from verifier.engines.offline.engine import analyze_text


def rels(text: str) -> list[tuple[str, str | None, str, str, bool]]:
    """(speaker, cue, content, kind, is_denial) of each attribution."""
    draft = analyze_text(text, "fr")
    return [(a.speaker.name, a.cue, a.content, a.kind.value, a.is_denial) for a in draft.attributions]


def one(text: str, content_start: str):
    hits = [r for r in rels(text) if r[2].startswith(content_start)]
    assert hits, rels(text)
    return hits[0]


# --- incise verbs and inverted subjects -------------------------------------------------------

@pytest.mark.parametrize("text, speaker, cue", [
    # incise-only verbs: after a quote, the subject after them
    ("« Nous irons jusqu'au bout de cette réforme », poursuit la ministre Claire Dumas.",
     "Claire Dumas", "poursuit"),
    ("« Le calendrier sera tenu sans difficulté », ironise le sénateur Paul Vidal.", "Paul Vidal", "ironise"),
    ("« Je ne commente pas les rumeurs de couloir », élude-t-il devant les caméras.", None, "élude"),
    ("« Les règles valent pour tout le monde, » a-t-il réagi devant la presse.", None, "a-t-il réagi"),
])
def test_incise_verbs_after_a_quote(text, speaker, cue):
    found = rels("Le maire Julien Marchal a été interrogé sur le budget de la ville. " + text)
    direct = [r for r in found if r[3] == "direct"]
    assert direct, found
    assert cue in direct[0][1]
    assert direct[0][0] == (speaker or "Julien Marchal")


def test_incise_verb_is_not_a_cue_elsewhere():
    # "poursuivre ses efforts": no incise, no report
    assert rels("Le gouvernement poursuit ses efforts pour réduire le déficit public cette année.") == []


@pytest.mark.parametrize("text, speaker, content", [
    # ", a indiqué X": the subject after the verb, the content before the comma
    ("La réunion a été reportée à lundi, a indiqué sa porte-parole dans un communiqué.",
     "sa porte-parole", "La réunion a été reportée à lundi"),
    # the addressee "à X" skipped
    ("Une plainte sera déposée dès demain, a indiqué au Courrier un membre du syndicat.",
     "un membre du syndicat", "Une plainte sera déposée dès demain"),
    # a name in apposition after the role
    ("Le dossier sera réexaminé en mars, a précisé le directeur de l'hôpital, Marc Lenoir.",
     "Marc Lenoir", "Le dossier sera réexaminé en mars"),
    # cut before an adverb or a participle
    ("Les factures seront payées sous peu, a assuré une source ministérielle visiblement agacée.",
     "une source ministérielle", "Les factures seront payées sous peu"),
])
def test_inverted_subject_after_the_verb(text, speaker, content):
    got = one(text, content)
    assert got[0] == speaker and got[3] == "indirect"


def test_subject_before_a_parenthetical_is_not_inverted():
    # "X, interrogé par Y, a déclaré …": the subject is before the commas
    got = one("Le ministre, interrogé par la radio, a déclaré que la grève était terminée.", "la grève")
    assert got[0] == "Le ministre"


def test_light_verb_cues_faire_savoir_faire_part():
    got = one("La directrice Anne Roussel a fait savoir qu'elle quitterait son poste en juin.", "elle quitterait")
    assert got[0] == "Anne Roussel" and got[1] == "a fait savoir"
    got = one("Le syndicat a fait part de son inquiétude sur les salaires.", "de son inquiétude")
    assert got[1] == "a fait part"


def test_request_verbs_report_before_a_de_clause():
    got = one("Les éleveurs ont demandé au préfet d'interdire la chasse dans la vallée.", "au préfet")
    assert got[0] == "Les éleveurs"


@pytest.mark.parametrize("text", [
    "Le juge Alain Roux se récuse dans ce dossier sensible.",      # reflexive: another sense
    "Il faut un contrôle pour s'assurer que les fonds arrivent.",  # "s'assurer que": make sure
    "Il a été observé que les délais étaient trop longs.",        # passive, no speaker
    "Le député pensait que le résultat était écrit d'avance.",    # passive participle
    "Le maire allait demander au préfet de démissionner.",       # an infinitive: an intention
    "Il a ouvert la séance en défendant la laïcité à l'école.",   # a gerund of manner
])
def test_not_reports(text):
    found = rels(text)
    assert not [r for r in found if r[1] and any(w in r[1] for w in ("récuse", "assurer", "observé",
                                                                     "écrit", "demander", "défendant"))], found


# --- frames, mixed and broken quotes -----------------------------------------------------------

@pytest.mark.parametrize("text, speaker, content", [
    ("Pour Hélène Fabre, cette mesure va pénaliser les petites communes.", "Hélène Fabre",
     "cette mesure va pénaliser les petites communes"),
    ("Pour la ministre, le texte doit être revu avant l'été.", "la ministre", "le texte doit être revu avant l'été"),
    ("Aux yeux de Julien Morel, la décision est une erreur.", "Julien Morel", "la décision est une erreur"),
])
def test_frames_name_the_speaker(text, speaker, content):
    got = one(text, content)
    assert got[0] == speaker and got[3] == "indirect"


def test_possessive_frame_refers_to_the_last_speaker():
    text = ("L'Agence nationale de sécurité sanitaire (Anses) a publié son avis jeudi. "
            "À ses yeux, certains résidus pourraient nuire à la santé des riverains.")
    got = one(text, "certains résidus")
    assert "Anses" in got[0]


@pytest.mark.parametrize("text", [
    "Pour l'instant, rien n'a été décidé par le conseil municipal.",
    "Pour la France, cette victoire est historique face au Brésil.",
    "Pour réduire les coûts, la direction a fermé deux usines.",
])
def test_frames_that_name_no_one(text):
    assert rels(text) == []


def test_mixed_quote_with_a_quoted_verb_and_two_speakers():
    got = rels("Le Parti radical et La Gauche unie ont «condamné» les «violences» commises dimanche soir.")
    speakers = sorted(r[0] for r in got)
    assert len(got) == 2 and "Gauche unie" in " ".join(speakers) and "Parti radical" in " ".join(speakers)
    assert all(r[2].startswith("«condamné»") for r in got)


def test_quote_broken_by_an_incise():
    text = "« Les risques restent élevés, détaille le commissaire Karl Berg. Nous devons rester prudents. »"
    got = [r for r in rels(text) if r[3] == "direct"]
    assert [r[2] for r in got] == ["Les risques restent élevés", "Nous devons rester prudents"]
    assert {r[0] for r in got} == {"Karl Berg"}


def test_straight_double_quotes():
    got = one('La présidente Sophie Marin a déclaré : "Nous ne céderons pas sur ce point précis."', "Nous ne")
    assert got[0] == "Sophie Marin" and got[3] == "direct"


def test_quote_continued_in_the_next_paragraph():
    text = ("La juge Odile Perrin ajoute qu'il est important que justice soit rendue.\n\n"
            "« Je pourrais être appelée à trancher ce dossier à l'avenir, et je préfère me retirer. »")
    got = one(text, "Je pourrais")
    assert got[0] == "Odile Perrin" and got[3] == "direct"


def test_quote_after_an_unrelated_paragraph_is_not_continued():
    text = ("La juge Odile Perrin ajoute qu'il est important que justice soit rendue.\n\n"
            "La séance a ensuite été levée dans le calme.\n\n"
            "« Nous reviendrons sur ce dossier dans les prochains mois. »")
    assert not [r for r in rels(text) if r[2].startswith("Nous reviendrons")]


def test_title_of_a_work_is_not_speech():
    assert rels("L'autrice présentera son livre « Les jardins de la ville engloutie » samedi.") == []


@pytest.mark.parametrize("text", [
    "Le maire a-t-il déclaré que la ville était en faillite ?",
    "Comment le ministre a expliqué que la réforme était nécessaire",
])
def test_questions_and_headlines_do_not_report(text):
    assert rels(text) == []


# --- speakers ---------------------------------------------------------------------------------

def test_role_resolved_to_the_name_given_earlier():
    text = ("Le Premier ministre Pavel Novak a rencontré les syndicats mardi. "
            "La réunion a duré trois heures. Les discussions ont porté sur les retraites. "
            "Le lendemain, le Premier ministre a déclaré que la réforme serait retirée.")
    got = one(text, "la réforme serait retirée")
    assert got[0] == "Pavel Novak"


def test_role_noun_with_a_capitalised_complement_is_not_a_name():
    text = ("Le ministre de la Santé Tomas Kral a tenu une conférence. "
            "« Je n'ai pas l'intention de démissionner de mon poste », a déclaré le ministre de la Santé.")
    got = one(text, "Je n'ai pas")
    assert got[0] == "Tomas Kral"


def test_pronoun_refers_to_the_subject_of_the_previous_sentence():
    text = ("« Nous rouvrirons le dossier », a déclaré le procureur Luc Henry. "
            "Lors d'un colloque à Lyon, le juge Marc Dubreuil a défendu la pratique des réceptions. "
            "Il a dit qu'il continuerait à y assister.")
    got = one(text, "il continuerait")
    assert got[0] == "Marc Dubreuil"


def test_elle_prefers_a_name_seen_with_a_feminine_role():
    text = ("Le commissaire Jonas Berg a présenté ses prévisions mardi. "
            "De son côté, Lucie Garnier, directrice générale du Fonds, a jugé la situation préoccupante. "
            "« Les tensions représentent une menace sérieuse pour la croissance », a-t-elle estimé.")
    got = one(text, "Les tensions")
    assert got[0] == "Lucie Garnier"


def test_ce_dernier_is_the_last_person_named():
    text = ("Le président Henri Lambert a demandé la démission de Paul Girard. "
            "Plus tôt, ce dernier avait déclaré qu'il ne quitterait pas son poste.")
    got = one(text, "il ne quitterait pas")
    assert got[0] == "Paul Girard"


def test_medium_before_a_name_is_not_a_person():
    text = ("Le tabloïd Blik révèle que le ministre a dîné dans un restaurant fermé. "
            "Le ministre Jan Novy a reconnu les faits. Il a dit regretter ce dîner.")
    assert one(text, "le ministre a dîné")[0] == "Blik"


def test_source_in_the_first_person_is_not_a_speaker():
    assert rels("Selon nos informations, le directeur va quitter ses fonctions en mai.") == []


def test_place_before_the_speaker_is_not_the_speaker():
    got = one("Depuis Genève, Claire Moreau, directrice de l'agence, a estimé que la crise allait durer.",
              "la crise")
    assert got[0] == "Claire Moreau"


# --- denials ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, content", [
    ("L'entourage du ministre s'en défend.", "s'en défend"),
    ("Le gouvernement se défend de toute ressemblance avec le fichier de la police.", "de toute ressemblance"),
    ("« Je n'ai enfreint aucune règle », a affirmé le député Louis Caron.", "Je n'ai enfreint aucune règle"),
    ("« C'est faux, je n'étais pas à Paris ce soir-là », a réagi l'élu Marc Olivier.", "C'est faux"),
    ("Le sénateur Marc Viala a réfuté ces accusations lors d'une conférence de presse.", "ces accusations"),
])
def test_denials(text, content):
    got = one(text, content)
    assert got[4] is True, got


def test_denial_object_and_the_next_verb_are_two_relations():
    got = rels("Le ministre Karel Benes a rejeté toute faute et a fait savoir qu'il ne démissionnerait pas.")
    assert ("toute faute", True) in [(r[2], r[4]) for r in got]
    assert ("il ne démissionnerait pas", False) in [(r[2], r[4]) for r in got]


def test_negated_intention_is_not_a_denial():
    got = one("« Je n'ai pas l'intention de démissionner », a déclaré la ministre Eva Holub.", "Je n'ai pas")
    assert got[4] is False


def test_coordinated_subjects_deny_each():
    got = rels("L'entourage du maire comme celui de Paul Vernet s'en défend.")
    assert len(got) == 2 and all(r[4] for r in got)


def test_accusation_qualified_as_absurd_is_a_denial():
    got = one("Selon l'avocat Marc Ferry, il s'agit d'une « accusation grotesque ».", "il s'agit")
    assert got[4] is True


# --- more incises, frames and speakers ----------------------------------------------------------

@pytest.mark.parametrize("text, speaker, role", [
    # a time word and a circumstance before the inverted subject are skipped
    ("« Nous sauverons ces emplois », a déclaré jeudi le président Louis Berthier.", "Louis Berthier", "président"),
    ("« Cette décision est inacceptable », estime dans un communiqué l'association Parents Unis.",
     "Parents Unis", "association"),
])
def test_inverted_subject_after_time_and_circumstance(text, speaker, role):
    draft = analyze_text(text, "fr")
    assert [(a.speaker.name, a.speaker.role) for a in draft.attributions] == [(speaker, role)]


def test_mistagged_incise_verb_before_an_inverted_pronoun():
    # "lance" is tagged a proper noun; "-t-elle" makes it a verb
    got = rels("La syndicaliste Rose Marchand était en tête du cortège. "
               "« Nous ne lâcherons rien face au gouvernement », lance-t-elle.")
    assert [(r[0], r[1], r[3]) for r in got] == [("Rose Marchand", "lance", "direct")]


def test_parler_de_a_quote():
    got = one("La directrice Inès Roy parle d'une « erreur humaine » et promet une enquête.", "d'une")
    assert got[0] == "Inès Roy" and got[2] == "d'une « erreur humaine »"


def test_selon_after_a_quote_is_direct_speech():
    got = one("Le maire Paul Durand était à Lyon. « Le dossier est clos depuis longtemps », selon lui.", "Le dossier")
    assert got[0] == "Paul Durand" and got[3] == "direct"


def test_l_interesse_is_the_person_the_story_is_about():
    text = ("Le ministre Karel Benes a dîné dans un restaurant fermé. Karel Benes était accompagné. "
            "Les appels à la démission se multiplient. L'opposition réclame un vote. Le parti hésite. "
            "Le principal intéressé a assuré qu'il ne démissionnerait pas.")
    assert one(text, "il ne démissionnerait")[0] == "Karel Benes"


def test_entourage_of_a_person_is_not_that_person():
    text = ("Le ministre Arnaud Ferrand a évoqué une vente d'actions. "
            "L'entourage du ministre a précisé qu'aucune décision n'était prise.")
    assert one(text, "aucune décision")[0] == "L'entourage du ministre"


def test_quoted_heading_does_not_continue_the_last_speaker():
    text = ("Le chancelier Max Adler a déclaré que les règles devaient être durcies.\n\n"
            "« Nouvelles réformes propices à la croissance »\n\n"
            "Les prévisions de la Commission restent prudentes pour l'an prochain.")
    assert not [r for r in rels(text) if r[2].startswith("Nouvelles")]


@pytest.mark.parametrize("text, content", [
    ("Le député Paul Morin affirme n'avoir jamais rencontré cet homme d'affaires.", "n'avoir jamais"),
    ("« Ce n'est pas le cas, nous avons respecté la procédure », a répondu la mairie de Nantes.", "Ce n'est pas"),
    ("Le directeur Hugo Petit a balayé ces accusations d'un revers de main.", "ces accusations"),
    ("La société Agrinor dénonce des informations diffamatoires publiées par un blog.", "des informations"),
    ("« Je n'ai rien à me reprocher dans cette affaire », assure l'élu Marc Bonnet.", "Je n'ai rien"),
])
def test_denial_vocabulary(text, content):
    assert one(text, content)[4] is True


def test_opinion_is_not_a_denial():
    got = one("La ministre Léa Morel a estimé que la réforme était nécessaire pour les hôpitaux.", "la réforme")
    assert got[4] is False


def test_french_titles_before_a_surname():
    text = ("Éric Alain Dufour, responsable de la mobilité, a présenté le bilan mercredi. "
            "« Notre règlement n'a pas été respecté par les opérateurs », dit M. Dufour.")
    assert one(text, "Notre règlement")[0] == "Éric Alain Dufour"
    text = ("Le commissaire Jonas Berg et Lucie Garnier ont présenté leurs chiffres. "
            "Mme Garnier a déclaré que la croissance ralentissait. "
            "« Les tensions commerciales sont une menace », a-t-elle ajouté.")
    assert one(text, "Les tensions")[0] == "Lucie Garnier"


# --- quotes over paragraphs, colons, "on", roles in appositions -------------------------------

def test_quote_running_over_paragraphs():
    text = ("La maire de Quimper, Anne Le Goff, a lancé : « Cette fusion n'a jamais été discutée avec nous.\n\n"
            "« Nous demandons un moratoire d'un an sur ce projet. »")
    got = [r for r in rels(text) if r[3] == "direct"]
    assert [r[2] for r in got] == ["Cette fusion n'a jamais été discutée avec nous",
                                   "Nous demandons un moratoire d'un an sur ce projet"]
    assert {r[0] for r in got} == {"Anne Le Goff"}


def test_quote_after_a_colon_is_the_subject_s():
    text = "Le maire de Brest, Yves Kerleau, a pris la parole devant le conseil : « Nous ne fermerons aucune école. »"
    assert one(text, "Nous ne fermerons")[0] == "Yves Kerleau"


def test_question_after_a_colon_is_not_speech():
    text = "Une question a dominé la réunion : « Qui va payer la nouvelle piscine ? » Le débat a duré deux heures."
    assert rels(text) == []


@pytest.mark.parametrize("text, speaker", [
    ("À la mairie de Rennes, on assure que le marché aura bien lieu.", "la mairie de Rennes"),
    ("Du côté de la direction, on fait valoir que les salaires ont augmenté.", "la direction"),
])
def test_on_framed_by_an_institution(text, speaker):
    assert rels(text)[0][0] == speaker


@pytest.mark.parametrize("text, speaker", [
    # the role in an apposition after a comma, then the role alone
    ("Le porte-parole de la préfecture, Karim Benali, a tenu un point presse. "
     "« Le feu est fixé mais pas éteint », a indiqué le porte-parole.", "Karim Benali"),
    ("Le maire, Louis Garnier, et son adjointe à la culture, Inès Morel, ont visité le musée. "
     "L'adjointe a précisé que l'ouverture était prévue en mai.", "Inès Morel"),
    # a title between the role and the name
    ("L'avocate de la famille, Me Nora Haddad, a lu le dossier. "
     "« Des témoins n'ont jamais été entendus », souligne l'avocate.", "Nora Haddad"),
])
def test_role_given_in_an_apposition(text, speaker):
    found = rels(text)
    assert found and found[-1][0] == speaker, found


def test_feminine_first_name_guides_elle():
    text = ("Victor Hamon a été remplacé à la tête du club par Juliette Caron. "
            "Elle a promis que les comptes seraient publiés chaque année.")
    assert one(text, "les comptes")[0] == "Juliette Caron"


def test_cette_derniere_prefers_a_woman():
    text = ("L'entrepreneuse Julie Fontaine a racheté la marque à l'homme d'affaires Paul Valette. "
            "Cette dernière affirme que la société était au bord de la faillite.")
    assert one(text, "la société")[0] == "Julie Fontaine"


def test_institution_before_a_name_is_not_a_person():
    text = ("Le PDG de la compagnie Airnova, Marc Bouvier, était auditionné. "
            "Le patron a reconnu que les retards avaient exaspéré les passagers.")
    assert one(text, "les retards")[0] == "Marc Bouvier"


def test_plural_group_is_a_speaker_as_written():
    got = one("Les habitants de la rue Pasteur évoquent des nuits « impossibles » depuis l'été.", "des nuits")
    assert got[0] == "Les habitants de la rue Pasteur" and "« impossibles »" in got[2]


@pytest.mark.parametrize("text, speaker", [
    ("« Cela fait trois mois que nous attendons », s'agace Patrick Dumont, président des riverains.",
     "Patrick Dumont"),
    ("« C'est une honte pour tout le quartier ! », s'est emporté Gérard Pons à la sortie.", "Gérard Pons"),
])
def test_reflexive_incise(text, speaker):
    assert rels(text)[0][0] == speaker


@pytest.mark.parametrize("text, parts", [
    ("« Je ne suis pas candidate, a répété Laure Bastide lundi soir. Ni aujourd'hui ni demain. »",
     ["Je ne suis pas candidate", "Ni aujourd'hui ni demain"]),
    ("« Nous allons embaucher, affirme Cécile Arnaud, directrice de l'usine, au moins quarante personnes. »",
     ["Nous allons embaucher", "au moins quarante personnes"]),
])
def test_broken_quote_with_time_words_or_an_apposition(text, parts):
    assert [r[2] for r in rels(text)] == parts


def test_second_quote_of_the_same_sentence_keeps_its_speaker():
    text = "« Le vote est reporté », a annoncé le président de séance, Michel Aubert, avant d'ajouter : « Nous reprendrons mardi. »"
    assert {r[0] for r in rels(text)} == {"Michel Aubert"}


@pytest.mark.parametrize("text", [
    "La Cour de cassation a rejeté le pourvoi de l'ancien maire.",   # a decision, not a denial
    "L'Assemblée nationale a rejeté la motion de censure.",
])
def test_rejecting_a_motion_is_not_speech(text):
    assert rels(text) == []


@pytest.mark.parametrize("text, content", [
    ("Le directeur de l'abattoir, Serge Pinel, n'était pas joignable mardi soir.", "n'était pas joignable"),
    ("Contacté, le groupe Azura a indiqué ne pas vouloir commenter une procédure en cours.", "ne pas vouloir"),
])
def test_refusals_to_comment(text, content):
    got = [r for r in analyze_text(text, "fr").attributions if r.content.startswith(content)]
    assert len(got) == 1 and got[0].is_no_comment


def test_evasion_is_not_a_denial():
    got = one("« Ce n'est pas le sujet du jour », élude Marc Lefort devant la presse.", "Ce n'est pas")
    assert got[4] is False


def test_heading_line_is_not_speech():
    text = ("Ce qu'a dit la Première ministre\n\n"
            "La cheffe du gouvernement, Claire Duhamel, a déclaré que le texte serait soumis au vote.")
    assert [r[2] for r in rels(text)] == ["le texte serait soumis au vote"]


def test_inverted_auxiliary_in_a_mention_is_the_pronoun():
    text = ("Le juge Paul Roux a quitté la salle. « Nous reprendrons demain », avait-il annoncé la veille.")
    assert rels(text)[0][0] == "Paul Roux"


def test_frame_needs_a_speaker_as_its_head():
    # "Pour les réformes de société": the head "réformes" names no one ("société" is a complement)
    got = rels("Pour les réformes de société, le chef du gouvernement rappelle son engagement.")
    assert not [r for r in got if r[1] == "Pour"]
    assert rels("Pour le syndicat, la réforme signe la fin du service public.")[0][0] == "le syndicat"


def test_reported_clause_stops_at_a_new_main_clause():
    text = ("Si le ministre Jan Kral avait affirmé qu'il était prêt à partir, "
            "il a rejeté cette éventualité en fin de journée.")
    got = one(text, "il était prêt")
    assert got[2] == "il était prêt à partir"


def test_mixed_quote_in_a_que_clause_stops_at_a_new_main_clause():
    text = ("Si le ministre Jan Kral avait affirmé qu'il était prêt à partir « si le public le veut », "
            "il a rejeté cette éventualité en fin de journée.")
    got = one(text, "il était prêt")
    assert got[2] == "il était prêt à partir « si le public le veut »"


@pytest.mark.parametrize("text, content", [
    ("Le trésorier Paul Henry affirme ne pas avoir reçu cet argent.", "ne pas avoir"),
    ("« C'est totalement faux », a réagi la directrice Anne Vidal.", "C'est totalement faux"),
    ("La mairie assure que ces chiffres ne correspondent pas à la réalité.", "ces chiffres"),
    ("Le club répond qu'il n'y a aucune preuve de ces versements.", "il n'y a aucune preuve"),
])
def test_more_denial_wording(text, content):
    assert one(text, content)[4] is True


def test_title_after_a_verb_of_publishing():
    assert rels("Le journaliste Marc Obadia publie « On ne nous dit pas tout », une enquête sur le sucre.") == []


def test_short_stem_verb_mistagged_before_a_quote():
    got = one("Dans un communiqué, la fédération juge « inacceptable » que les arbitres soient menacés.", "«")
    assert got[0] == "la fédération" and got[1] == "juge"


def test_refusal_reported_by_a_verb_keeps_the_verb_as_cue():
    got = analyze_text("Contacté, le groupe Azura a indiqué ne pas vouloir commenter la procédure.", "fr").attributions
    assert len(got) == 1 and got[0].is_no_comment and got[0].cue == "a indiqué"


@pytest.mark.parametrize("text, speaker, content", [
    # an infinitive complement reports: "a confié avoir …", "en affirmant avoir …"
    ("Le ministre Paul Henry a confié avoir mobilisé tous ses inspecteurs.", "Paul Henry", "avoir mobilisé"),
    # a stance verb in an incise past its auxiliary
    ("Huit trottinettes sur dix étaient mal garées, a constaté la Ville de Lyon.", "Ville de Lyon",
     "Huit trottinettes sur dix étaient mal garées"),
    # "faire part de" with words between
    ("La CNIL a fait part à plusieurs reprises de sa volonté de contrôler ces fichiers.", "La CNIL", "à plusieurs"),
    ("La Commission soulève notamment que l'anonymat de ces données est relatif.", "La Commission", "l'anonymat"),
    ("Le député Marc Olivier s'est excusé publiquement devant l'Assemblée.", "Marc Olivier", "devant"),
    # a frame naming someone the NER does not tag
    ("Pour M’hamed El Ouali, cette élection était une « mascarade ».", "M’hamed El Ouali", "cette élection"),
])
def test_more_cues(text, speaker, content):
    assert one(text, content)[0] == speaker


def test_gerund_with_an_infinitive_reports_and_cuts_the_clause_before():
    got = rels("Le député Karim Said a reconnu un geste violent, tout en affirmant avoir été insulté.")
    assert [(r[1], r[2]) for r in got] == [("a reconnu", "un geste violent"), ("affirmant", "avoir été insulté")]


def test_c_est_ce_qu_a_annonce_reports_the_sentence_before():
    text = ("La Ville n'autorisera plus les trottinettes en 2020. "
            "C'est ce qu'a annoncé Éric Alain Dufour, responsable de la mobilité, mercredi matin.")
    got = one(text, "La Ville")
    assert got[0] == "Éric Alain Dufour" and got[2] == "La Ville n'autorisera plus les trottinettes en 2020"


def test_fear_is_reported():
    got = one("Les opposants au texte craignent qu'il permette de surveiller des manifestants.", "il permette")
    assert got[0] == "Les opposants au texte"


def test_inverted_subject_after_qu():
    text = ("Les bus seront gratuits le dimanche dès janvier.\n\n"
            "C’est ce qu’a annoncé Éric Alan Caldwell, responsable de la mobilité au comité exécutif, mercredi matin.")
    got = one(text, "Les bus")
    assert got[0] == "Éric Alan Caldwell"


def test_infinitive_reporting_after_a_verb_of_the_speaker():
    # "s'accorde à dire", "tient à préciser": the speaker reports; "allait demander": an intention
    got = one("À Bercy, chacun s'accorde à dire qu'il n'y a « aucun tabou » sur les cessions.", "il n'y a")
    assert got[1] == "dire"
    got = one("Le ministre Paul Henry a tenu à préciser que rien n'était décidé.", "rien n'était")
    assert got[0] == "Paul Henry"


# --- round 2: refusals, denial wordings, "selon laquelle" ------------------------------------------

@pytest.mark.parametrize("text, content", [
    # refusing to give figures or details
    ("Le préfet Marc Aubert a refusé de donner un bilan provisoire des dégâts.", "a refusé de donner"),
    # declining to say more
    ("Interrogée, la ministre Anne Roux n'a pas voulu épiloguer sur son départ.", "n'a pas voulu"),
    ("Le président du club ne souhaite pas s'exprimer avant la décision.", "ne souhaite pas"),
    # "ne fait pas d'autre commentaire"
    ("Pour le moment, l'avocat Paul Girard ne fait aucun commentaire.", "ne fait aucun"),
])
def test_more_refusals_to_comment(text, content):
    got = [r for r in analyze_text(text, "fr").attributions if r.content.startswith(content)]
    assert len(got) == 1 and got[0].is_no_comment, analyze_text(text, "fr").attributions


@pytest.mark.parametrize("text, content", [
    # a short negative answer quoted on its own
    ("Le maire Luc Perrin a-t-il signé ce contrat ? « Pas du tout », a répondu Luc Perrin.", "Pas du tout"),
    # a denial verb in the first person inside a quote
    ("La directrice Inès Roy a été claire : « Je démens formellement ces rumeurs sur la fermeture du site ».",
     "Je démens"),
    # claimed ignorance
    ("L'ancien trésorier Marc Blanc affirme qu'il ne savait rien de ces virements.", "il ne savait rien"),
    # the information said to be inexact or false
    ("« Cette information n'est pas juste, le site restera ouvert », a déclaré le directeur Jean Roche.",
     "Cette information"),
    # a dismissal as fantasy by "qualifier de"
    ("Le ministre Paul Henry a qualifié de délires les accusations de l'opposition.", "de délires"),
])
def test_denial_wordings_round_two(text, content):
    assert one(text, content)[4] is True


def test_unfair_is_not_false():
    # "ce n'est pas juste" (unfair) says nothing is false
    got = one("« Ce n'est pas juste pour les salariés du site », a déclaré le syndicaliste Jean Roche.", "Ce n'est")
    assert got[4] is False


def test_selon_laquelle_names_the_owner_of_the_claim():
    # "l'information du Monde selon laquelle …": the newspaper said it, "laquelle" is not a source
    text = ("Le ministre Paul Henry a démenti l'information du Monde selon laquelle "
            "la base navale serait fermée en 2026.")
    got = one(text, "la base navale")
    assert got[0] == "Monde" or "Monde" in got[0]
    assert not [r for r in rels(text) if r[0].startswith("laquelle")]


def test_couper_court_in_an_incise():
    got = one("« Cette rumeur n'a aucun sens pour nous », a coupé court le maire Jean Roche.", "Cette rumeur")
    assert got[0] == "Jean Roche" and got[3] == "direct"


def test_quote_after_a_colon_running_over_two_sentences():
    text = ("Le porte-parole Marc Aubert a voulu être très clair : « Nous ne fermerons pas cette usine. "
            "Les emplois du site seront tous maintenus ».")
    got = one(text, "Nous ne fermerons")
    assert got[0] == "Marc Aubert" and got[3] == "direct"


def test_feminine_description_refers_to_a_woman():
    # "la ministre" after a man was named last: the woman named before him
    text = ("La ministre Claire Dumas a visité l'usine lundi. Elle a rencontré les salariés. "
            "Le directeur Paul Henry lui a présenté les comptes. Les syndicats attendent des annonces. "
            "Le site emploie trois cents personnes. "
            "La ministre a assuré que l'État soutiendrait le projet de reprise.")
    assert one(text, "l'État soutiendrait")[0] == "Claire Dumas"
    text = ("Claire Dumas a critiqué le projet. L'ancien ministre Paul Henry a répondu par écrit. "
            "La présidente a affirmé que le vote aurait lieu en juin.")
    assert one(text, "le vote aurait")[0] == "Claire Dumas"


def test_name_in_apposition_after_a_role_naming_another_person():
    # "Le conseiller du président X, Y, a …": Y speaks, X completes the role
    text = "Le conseiller du président Marc Aubert, Paul Henry, a affirmé que le budget serait tenu."
    assert one(text, "le budget")[0] == "Paul Henry"


def test_relative_subject_keeps_the_surname_after_a_title():
    # "M. Roche, qui a dit …": the antecedent is "M. Roche", not the title alone
    text = ("Le maire Jean Roche et le préfet Louis Berthier ont visité le chantier. "
            "Louis Berthier est reparti le soir. "
            "Devant les élus, M. Roche, qui a dit représenter aussi les habitants, a salué les ouvriers.")
    assert one(text, "représenter")[0] == "Jean Roche"


def test_inverted_pronoun_without_t_in_a_mention():
    # "», avait-il expliqué" after a quote of several sentences: "avait-il" is "il"
    text = ("Le politologue Paul Vidal a qualifié la sortie de «maladroite».\n\n"
            "«La Suisse est un pays neutre, c'est ce que pense aussi le parti. Le gouvernement doit faire "
            "preuve de retenue. C'est très maladroit, de plus à la veille du vote», avait-il expliqué.")
    assert one(text, "La Suisse")[0] == "Paul Vidal"


def test_gerund_opening_the_sentence_takes_the_main_subject():
    # "En affirmant que …, X a ajouté que …": X says both
    text = ("En affirmant que la réforme était injuste, le syndicaliste Jean Roche a ajouté "
            "que la grève continuerait.")
    assert one(text, "la réforme")[0] == "Jean Roche"
    assert one(text, "la réforme")[2] == "la réforme était injuste"


def test_subordinate_report_stops_before_the_main_clause():
    # "Alors qu'il avait affirmé avoir A, X a avoué B": A alone
    text = ("Le trésorier Paul Henry a été entendu. Alors qu'il avait affirmé avoir payé seul sa campagne, "
            "le député Paul Henry a reconnu mardi avoir reçu un don.")
    assert one(text, "avoir payé")[2] == "avoir payé seul sa campagne"


def test_a_text_mentioning_a_word_is_not_speech():
    # "mentionner" reports only before "que", ":" or a quote: "un article qui mentionne le virus" is not speech
    assert rels("Plusieurs agences locales comme Orient.tm mentionnent régulièrement le virus depuis janvier.") == []
    assert one("Le préfet Marc Aubert a mentionné que deux routes restaient fermées.", "deux routes")[0] == "Marc Aubert"


def test_negated_belief_against_a_claim():
    # "Quant à X, …, il ne pense pas que …": X, and the claim is contested
    text = ("Le journal accuse deux élus d'avoir financé le complot. Quant à M. Konan, conseiller du maire, "
            "il ne pense pas que son patron soit mêlé à cette affaire.")
    got = one(text, "son patron")
    assert got[0] == "Konan" and got[4] is True


def test_rien_a_faire_avec_denies():
    got = one("« Notre parti n'a rien à faire avec ces violences », a déclaré le député Jean Roche.", "Notre parti")
    assert got[4] is True


def test_quote_broken_by_a_light_verb_incise():
    # "« A, a fait valoir X en ondes. B »": two direct quotes of X
    text = ("Le chroniqueur Marc Dumont a réagi. «Tu es l'arbitre de la situation, a fait valoir M. Dumont en ondes. "
            "Tu vas devoir mettre des règles en place. Il y a plein d'enjeux.»")
    got = [r for r in rels(text) if r[3] == "direct"]
    assert [(r[0], r[2][:12]) for r in got] == [("Marc Dumont", "Tu es l'arbi"), ("Marc Dumont", "Tu vas devoi")]


@pytest.mark.parametrize("text, content", [
    # unquoted content then an incise with the pronoun inverted before the participle
    ("Le préfet Paul Henry a visité la digue. La situation reste très difficile pour tous, a-t-il indiqué.",
     "La situation reste très difficile pour tous"),
    # a stance verb in such an incise reports too
    ("Le préfet Paul Henry a visité la digue. Les dégâts sont considérables dans le port, a-t-il estimé.",
     "Les dégâts sont considérables dans le port"),
])
def test_unquoted_content_before_an_inverted_incise(text, content):
    got = one(text, content)
    assert got[0] == "Paul Henry" and got[2] == content
