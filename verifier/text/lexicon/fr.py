"""French words: reporting verbs (lemmas, matched on spaCy's lemma),
denials, refusals to comment, source markers, hedges, conditions, nouns and
pronouns for speakers, and the negation pattern.
"""

from __future__ import annotations

import re

from verifier.text.lexicon.base import Lexicon

REPORTING = frozenset("""
accuser admettre affirmer ajouter annoncer appeler arguer assurer attester avancer avertir
avouer certifier citer clamer commenter concéder confier confirmer considérer constater
contester déclarer décrire défendre dénoncer déplorer détailler dire écrire estimer évoquer
expliquer exprimer faire_valoir glisser indiquer informer insister juger lancer marteler
mentionner noter objecter observer plaider préciser prédire prévenir proclamer promettre
qualifier raconter rappeler rapporter reconnaître réclamer regretter relater relever répéter
répondre résumer révéler rétorquer signaler souligner soutenir suggérer témoigner tweeter
prétendre jurer menacer critiquer saluer féliciter fustiger démentir nier réfuter
rejeter récuser alerter conclure dévoiler divulguer confier
faire_savoir faire_valoir faire_part faire_état condamner demander répliquer rétorquer riposter
garantir protester insurger indigner interroger inquiéter réjouir publier
poursuivre réagir ironiser éluder enchaîner renchérir nuancer tempérer soupirer lâcher
souffler trancher abonder sourire exclamer emporter agacer balayer parler
étonner exiger prôner développer argumenter justifier corriger rectifier rire plaisanter amuser
énerver tonner cingler railler tacler penser infirmer soulever excuser craindre redouter couper
""".split())

# Verbs with other senses: they report only before "que", ":" or a quote.
NEEDS_QUE = frozenset("""
soutenir conclure divulguer considérer juger noter relever observer constater appeler lancer
citer menacer alerter saluer féliciter critiquer fustiger réclamer regretter déplorer évoquer
rappeler avancer informer prévenir confier promettre glisser exprimer dévoiler témoigner mentionner
condamner publier garantir protester interroger inquiéter réjouir indigner insurger répondre
balayer répéter rapporter parler rejeter soulever craindre redouter
exiger prôner justifier railler tacler penser étonner
""".split())

# Verbs that report only in an incise, after a quote or a comma, with the subject
# after them or before them as a pronoun: "», poursuit-il", ", ironise le ministre".
INCISE_ONLY = frozenset("""
poursuivre réagir ironiser éluder enchaîner renchérir nuancer tempérer soupirer lâcher souffler
trancher abonder sourire exclamer emporter agacer développer argumenter corriger rectifier rire
plaisanter amuser énerver tonner cingler couper
""".split())  # "couper": "», a coupé court X", "», coupe-t-il"
# Requests: "ont demandé à la Confédération d'interdire ce produit".
REQUESTS = frozenset("demander exhorter enjoindre sommer".split())
# Reflexive, another sense: "le juge se récuse", "pour s'assurer que", "se demander si".
REFLEXIVE_NOT_CUE = frozenset("récuser assurer demander rappeler répondre plaindre".split())
# Reflexive, a denial: "s'en défend", "se défend de toute similarité".
REFLEXIVE_DENIAL = frozenset("défendre".split())
# Negated content that denies: "c'est faux", "je n'ai enfreint aucune règle", "il n'y a pas de
# sujet", "ne s'est pas placé en situation de conflit d'intérêts", "n'a jamais rencontré".
_NEG = r"\b(?:ne|n['’])\s*(?:\S+\s+){0,3}?(?:pas|jamais|aucun|aucune|rien|nullement)\b"
DENIAL_PATTERNS = (
    r"\bc['’]est (?:totalement |complètement |parfaitement )?faux\b",
    r"\b(?:ce n['’]est|c['’]est) pas vrai\b",
    _NEG + r"(?:\s+\S+){0,6}?\s+(?:d[e']\s*)?(?:faute|règle|règles|loi|infraction|conflit|conflits|"
    r"fondement|tort|illégal\w*|irrégularité\w*|lien|contact|contacts|preuve|coupable|"
    r"responsable)\b",
    r"\b(?:je|nous|il|elle|ils|elles) n['’](?:ai|avons|a|ont) jamais\b",
    r"\baccusations?\s+(?:\w+\s+)?(?:surréaliste|absurde|grotesque|ridicule|infondée|mensongère|"
    r"calomnieuse|délirante|fantaisiste)s?\b",
    r"\bn['’](?:avoir|être)\s*«?\s*(?:jamais|rien|pas)\b",
    r"\bil n['’]y a (?:pas|aucun) (?:de )?sujet\b",
    r"\bne (?:pas|jamais) (?:avoir|être)\b",  # "affirme ne pas avoir reçu cet argent"
    r"\b(?:totalement|complètement|absolument|parfaitement|archi)[- ]faux\b|\best faux\b",
    r"\b(?:aucune preuve|rien à voir|rien à faire avec|rien ne (?:prouve|permet de dire|permet d['’]affirmer))\b",
    r"\b(?:ne correspond|ne reflète)\w* (?:pas|en rien|nullement) à la réalité\b",
    r"\bs['’]inscri\w* en faux\b|\bdémenti formel\b|\ben bloc\b",  # "affirme n'avoir jamais rencontré"
    r"\b(?:ce n['’]est pas|ça n['’]est pas) le cas\b|\bil n['’]en est rien\b",
    r"\brien à (?:me|se|nous|vous|lui|leur) reprocher\b",
    r"\b(?:fausses? informations?|fausses? nouvelles?|fake news|infox|intox|pure invention|affabulations?|"
    r"contrevérités?|inexacte?s?|diffamatoires?|sans fondement|infondée?s?|mensonges?|innocence|innocente?s?)\b",
    r"\b(?:risible|risibles|mensonger|mensongère|mensongers|calomnie\w*|fantaisiste\w*|grotesque\w*)\b",
    # a short negative answer quoted on its own: « Non », « Absolument pas », « Pas du tout »
    r"^\W*(?:non|absolument pas|pas du tout|certainement pas|sûrement pas|en aucun cas|jamais|"
    r"bien sûr que non|évidemment (?:que )?non|évidemment pas)\W*$",
    # a denial verb in the first person inside the content: « je démens totalement ces affirmations »
    r"\b(?:je|nous)\s+(?:\w+\s+)?(?:démens|démentons|nie|nions|réfute|réfutons|conteste|contestons)\b",
    # claimed ignorance: "il ne savait rien des plans", "ignorait tout de"
    r"\b(?:ne|n['’])\s*(?:sai[st]|savai[st]|savait|savaient|savons|savions|connaissai[st])\s+rien\b",
    r"\bignor(?:e|ais|ait|aient|ons|ions) tout d",  # (not "n'était pas au courant": an account, the gold's)
    # information said to be false or inexact: "des informations fausses", "l'information n'est pas juste"
    r"\b(?:informations?|nouvelles?) fausses?\b|\bn['’](?:est|sont|était|étaient) pas (?:exacte?s?|fondée?s?)\b",
    r"\b(?:informations?|chiffres?|affirmations?|allégations?|bilans?) n['’](?:est|sont|était|étaient) pas "
    r"(?:justes?|vraie?s?)\b",
)
# Sentence-initial frames: "Pour X, …", "Aux yeux de X, …", "À ses yeux, …" (the possessive
# names the last speaker).
FRAMES = (
    r"(?:Pour\s+|Aux yeux d(?:e |e l['’]|u |es |['’])|Du point de vue d(?:e |e l['’]|u |es |['’])"
    r"|De l['’]avis d(?:e |e l['’]|u |es |['’]))\s*"
    r"(?P<spk>[^,;:«»]{2,80}?),\s",
    r"(?:À|A) (?P<spk>ses|leurs|son) (?:yeux|sens|avis),\s",
)
# "ce dernier", "l'intéressé": the last person named.
LAST_NAMED = frozenset("ce dernier|cette dernière|ces derniers|ces dernières|celui-ci|celle-ci".split("|"))
# After an inverted verb, the speaker stops before these: "a précisé l'OFAG jeudi dans un
# communiqué", "a poursuivi cette source, soulignant …".
SPEAKER_STOPS = frozenset("""
dans lors pour sur à au aux après avant en depuis devant par avec mais et qui que qu' qu’ dont où
lundi mardi mercredi jeudi vendredi samedi dimanche hier aujourd'hui aujourd’hui mardi ce cette
vers tard tôt matin soir
""".split())
AUX = frozenset("a ont avait avaient aurait auraient est sont était étaient sera serait "
                "va vont vient viennent".split())

DENIAL = frozenset("démentir nier réfuter rejeter récuser contester balayer infirmer".split())
# "qualifier ... de « fausses nouvelles »" and the like: a denial by wording.
DENIAL_WORDS = ("fausse information", "fausses informations", "fausses nouvelles",
                "fausse nouvelle", "fake news", "infondé", "mensonge", "diffamatoire",
                "sans fondement", "catégoriquement faux", "absurde", "démenti",
                # "a qualifié de délires médiatiques les prétentions de X": a dismissal as fantasy or lie
                "délire", "délires", "affabulation", "affabulations", "élucubration", "élucubrations",
                "calomnie", "calomnies", "mensonges", "intox", "infox", "contre-vérité", "contre-vérités")

NO_COMMENT = (
    r"n['’]a pas (?:souhaité |voulu )?(?:répondu|réagir|réagi|commenter|donné suite|fait de commentaire)",
    r"n['’]ont pas (?:souhaité |voulu )?(?:répondu|réagir|réagi|commenter|donné suite)",
    r"n['’](?:était|étaient|est|sont) pas (?:joignables?|disponibles?)|n['’](?:a|ont) pas pu être (?:joints?|jointes?)",
    r"\b(?:ne pas|n['’]avoir pas) (?:vouloir|souhaiter) (?:commenter|réagir|s['’]exprimer|répondre)",
    r"(?:a|ont) refusé de (?:commenter|s['’]exprimer|répondre|réagir)",
    r"ne s['’]est pas exprimée?",
    r"ne se sont pas exprimé(?:e)?s",
    r"sans réponse",
    r"pas (?:souhaité|voulu) (?:commenter|s['’]exprimer|réagir)",
    r"s['’]est refusée? à tout commentaire",
    # refusing to give figures or details: "a refusé de donner un premier bilan", "a refusé de fournir des détails"
    r"(?:a|ont|avait|avaient) refusé de (?:donner|donné|fournir|communiquer|livrer|avancer|dévoiler|préciser) "
    r"(?:\S+\s+){0,3}?(?:bilans?|chiffres?|détails?|précisions?|informations?|commentaires?|noms?|montants?)\b",
    # declining to say more: "n'a pas voulu épiloguer davantage", "ne souhaite pas s'étendre sur"
    r"\b(?:ne|n['’])\s*(?:(?:a|ont|avait|avaient) pas (?:souhaité|voulu)|"
    r"(?:souhaite|souhaitent|souhaitait|veut|veulent|voulait) pas) "
    r"(?:épiloguer|s['’]étendre|en dire (?:plus|davantage)|entrer dans les détails|commenter|s['’]exprimer|réagir)",
    # "il ne fait pas d'autre commentaire", "ne fait aucun commentaire"
    r"\bne (?:fait|font|faisait|faisaient|fera|feront) (?:pas|aucun) (?:d['’]autres? )?commentaires?\b",
)

# "selon X", "d'après X", "pour X" (opinion), "de source X".
SOURCE_PREP = ("selon", "d'après", "d’après", "aux dires de", "à en croire", "cité par", "citée par", "cités par", "citées par")

HEDGES = frozenset("""
présumé présumée présumés présumées prétendu prétendue prétendus prétendues supposé supposée
supposés supposées apparemment vraisemblablement probablement possiblement peut-être
éventuel éventuelle éventuels éventuelles soupçonné soupçonnée soupçonnés soupçonnées
allégué allégués alléguée alléguées
""".split())
CONDITIONAL = ("si ", "s'il ", "s’il ", "s'ils ", "s’ils ", "en cas de ", "à condition que",
               "pour peu que", "au cas où")

# Nouns for people: "le richissime entrepreneur" refers back to a named person.
PERSON_NOUNS = frozenset("""
entrepreneur milliardaire homme femme patron dirigeant président présidente ministre
porte-parole candidat candidate chef directeur directrice fondateur magnat businessman
responsable sénateur sénatrice député députée maire juge avocat avocate procureur
ancien collaborateur expert experte conseiller conseillère secrétaire attachée attaché
intéressé intéressée chancelier chancelière commissaire vice-président vice-présidente élu élue
maire édile préfet préfète gouverneur adjoint adjointe capitaine magistrat magistrate pdg dg
cuisinier cuisinière entraîneur entraîneuse joueur joueuse chercheur chercheuse scientifique médecin
docteur infirmier infirmière professeur professeure enseignant enseignante policier policière
militant militante syndicaliste agriculteur agricultrice éleveur éleveuse auteur autrice écrivain
écrivaine réalisateur réalisatrice acteur actrice chanteur chanteuse artiste économiste historien
historienne sociologue politologue journaliste patronne fondatrice propriétaire locataire dirigeante
procureure juge présidente ministre cheffe gérant gérante commerçant commerçante
""".split())
MEDIA_NOUNS = frozenset("média journal quotidien hebdomadaire magazine agence "
                        "rapport enquête article tabloïd chaîne radio site mensuel".split())
ANON_NOUNS = frozenset("""
source sources responsable responsables fonctionnaire fonctionnaires proche proches
témoin témoins expert experts observateur observateurs diplomate diplomates personne
personnes officiel officiels analyste analystes membre membres collaborateur collaborateurs
""".split())
# A quote right after these is a title, not speech: "son livre « … »", "intitulé « … »".
TITLE_NOUNS = frozenset("""
livre livres ouvrage ouvrages roman romans film films série séries documentaire émission émissions
chanson chansons album albums pièce spectacle essai essais tribune rubrique exposition opéra
enquête reportage biographie recueil podcast
intitulé intitulée intitulés intitulées titre titré titrée baptisé baptisée nommé nommée slogan
""".split())
# "x": any last speaker ("ajoute-t-on", "à ses yeux").
PRONOUNS = {"il": "m", "elle": "f", "ils": "p", "elles": "p", "lui": "m", "eux": "p", "on": "x", "ses": "x", "son": "x", "leurs": "x"}

# "qualifier ... de « Y »", "décrire … comme « Y »": Y is the speaker's words.
CHARACTERISE = frozenset("qualifier décrire traiter présenter".split())

# Reading a subject leftwards from its verb: "X a également déclaré".
BEFORE_VERB = AUX | frozenset("ne n' n’ pas également encore déjà aussi d'ailleurs d’ailleurs "
                              "alors lui-même elle-même toujours désormais".split())
PHRASE_STOPS = frozenset("que qu' qu’ qui et mais car dont où lorsque quand si à au aux sur dans "
                         "pour par avec en comme selon après avant".split())
PHRASE_WORDS = frozenset("le la les l' l’ un une des du de d' d’".split())

DETERMINERS = ("le ", "la ", "les ", "l'", "l’", "un ", "une ", "des ", "du ", "de ")
INDEFINITES = ("un ", "une ", "des ", "plusieurs ", "deux ", "trois ", "certains ",
               "certaines ", "d'autres ", "d’autres ", "de nombreux ", "quelques ")

NEGATION = re.compile(r"\b(?:ne|n['’])\s*(?:\w+\s+){0,3}?(?:pas|plus|jamais|rien|personne|guère|aucun|aucune|nullement)\b"
                      r"|(?<!-)\b(?:aucun|aucune|jamais|sans|ni)\b(?!-)", re.IGNORECASE)

# Phrase cues (``attributions/phrase_cues.py``): a noun of saying with its owner and a relative
# "selon laquelle": "l'information du Vif selon laquelle …", "les accusations de X selon lesquelles …",
# "la thèse publiée par Le Monde selon laquelle …" (the owner must be a name: not "de corruption").
_SAYING = (r"(?:[Ii]nformations?|prétentions?|accusations?|allégations?|affirmations?|assertions?|"
           r"révélations?|thèses?|versions?|rumeurs?|propos|déclarations?|articles?|dires)")
PHRASE_CUES = (
    rf"\b{_SAYING}\s+(?:[^,;:«»\"]{{0,60}}?\s)?(?:du|des|de la|de l['’]|de|d['’]|par)\s*"
    r"(?P<speaker>(?:l['’]|[Ll]e |[Ll]a |[Ll]es )?[A-ZÉÈÀ][^,;:«»\"]{0,80}?)\s+"
    r"(?P<cue>selon (?:le|la|les)quel(?:le)?s?)\s+(?P<content>\S)",
)

LEXICON = Lexicon(
    reporting=REPORTING, needs_clause=NEEDS_QUE, complementizers=("que", "qu'", "qu’"),
    auxiliaries=AUX, characterise=CHARACTERISE, denial_verbs=DENIAL, denial_words=DENIAL_WORDS,
    no_comment=NO_COMMENT, source_preps=SOURCE_PREP,
    before_verb=BEFORE_VERB, phrase_stops=PHRASE_STOPS, phrase_words=PHRASE_WORDS,
    person_nouns=PERSON_NOUNS, media_nouns=MEDIA_NOUNS, anon_nouns=ANON_NOUNS, pronouns=PRONOUNS,
    determiners=DETERMINERS, indefinites=INDEFINITES,
    stop_caps=frozenset(),  # none: French names come from the parser's NER (see ``ALL_STOP_CAPS``)
    hedges=HEDGES, conditionals=CONDITIONAL, negation=NEGATION, phrase_cues=PHRASE_CUES,
    allegation_nouns=frozenset("accusation accusations allégation allégations critique critiques rumeur "
                               "rumeurs soupçon soupçons reproche reproches information informations "
                               "hypothèse éventualité idée affirmations affirmation faute fautes responsabilité "
                               "thèse version propos".split()),
    incise_only=INCISE_ONLY, requests=REQUESTS, reflexive_not_cue=REFLEXIVE_NOT_CUE,
    reflexive_denial=REFLEXIVE_DENIAL, denial_patterns=DENIAL_PATTERNS, frames=FRAMES,
    last_named=LAST_NAMED, speaker_stops=SPEAKER_STOPS,
    topic_person=frozenset("l'intéressé|l’intéressé|l'intéressée|l’intéressée|le principal intéressé|"
                           "la principale intéressée".split("|")),
    institution_nouns=frozenset("""
syndicat association parti gouvernement ministère mairie ville préfecture entreprise société groupe
direction fédération collectif opposition majorité police gendarmerie parquet tribunal commission
agence ong institut office comité club hôpital université compagnie banque fondation organisation
conseil assemblée sénat cour chambre région département municipalité rectorat académie ordre
""".split()),
    group_nouns=frozenset("entourage proche proches avocat avocats avocate conseil conseils cabinet "
                          "équipe famille services camp partisans soutiens".split()),
    first_person_determiners=("nos ", "notre ", "mes ", "ma ", "mon "),
    possessives=("son ", "sa ", "ses ", "leur ", "leurs "),
    anaphoric_content=r"(?:c['’]est|voilà|tel est|telle est)(?: du moins| en tout cas| en substance)? ce",
    plural_determiners=("les ", "des ", "ces ", "leurs ", "plusieurs ", "de nombreux ", "certains ", "certaines "),
    on_frames=(r"^(?:À|A|Au|Aux|Chez|Du côté d(?:e|u|es|e l['’])|Dans l['’]entourage d(?:e|u|es|e l['’])|"
               r"Dans le camp d(?:e|u|es|e l['’]))\s*(?P<spk>[^,]{2,60}),\s*on\b",),
    coordinators=("et", "comme", "ainsi que"), title_nouns=TITLE_NOUNS,
    negated_denial=frozenset({"penser"}),
    topic_frames=(r"^Quant (?:à|au|aux)\s+(?P<spk>[^,]{2,60})(?:,[^,]{2,120}){0,3}?,\s*(?P<pron>il|elle|ils|elles)\b",),
    question_words=frozenset("comment pourquoi quand combien qui que quel quelle quels quelles où".split()),
)
