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
""".split())

# Verbs with other senses: they report only before "que", ":" or a quote.
NEEDS_QUE = frozenset("""
soutenir conclure divulguer considérer juger noter relever observer constater appeler lancer
citer menacer alerter saluer féliciter critiquer fustiger réclamer regretter déplorer évoquer
rappeler avancer informer prévenir confier promettre glisser exprimer dévoiler témoigner
""".split())
AUX = frozenset("a ont avait avaient aurait auraient est sont était étaient sera serait "
                "va vont vient viennent".split())

DENIAL = frozenset("démentir nier réfuter rejeter récuser contester".split())
# "qualifier ... de « fausses nouvelles »" and the like: a denial by wording.
DENIAL_WORDS = ("fausse information", "fausses informations", "fausses nouvelles",
                "fausse nouvelle", "fake news", "infondé", "mensonge", "diffamatoire",
                "sans fondement", "catégoriquement faux", "absurde", "démenti")

NO_COMMENT = (
    r"n['’]a pas (?:souhaité |voulu )?(?:répondu|réagi|commenter|donné suite|fait de commentaire)",
    r"n['’]ont pas (?:souhaité |voulu )?(?:répondu|réagi|commenter|donné suite)",
    r"(?:a|ont) refusé de (?:commenter|s['’]exprimer|répondre|réagir)",
    r"ne s['’]est pas exprimée?",
    r"ne se sont pas exprimé(?:e)?s",
    r"sans réponse",
    r"pas (?:souhaité|voulu) (?:commenter|s['’]exprimer|réagir)",
    r"s['’]est refusée? à tout commentaire",
)

# "selon X", "d'après X", "pour X" (opinion), "de source X".
SOURCE_PREP = ("selon", "d'après", "d’après", "aux dires de", "de l'avis de", "de l’avis de",
               "à en croire", "cité par", "citée par", "cités par", "citées par")

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
""".split())
MEDIA_NOUNS = frozenset("média journal quotidien hebdomadaire magazine agence "
                        "rapport enquête article".split())
ANON_NOUNS = frozenset("""
source sources responsable responsables fonctionnaire fonctionnaires proche proches
témoin témoins expert experts observateur observateurs diplomate diplomates personne
personnes officiel officiels analyste analystes membre membres collaborateur collaborateurs
""".split())
PRONOUNS = {"il": "m", "elle": "f", "ils": "p", "elles": "p", "celui-ci": "m", "celle-ci": "f"}

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

LEXICON = Lexicon(
    reporting=REPORTING, needs_clause=NEEDS_QUE, complementizers=("que", "qu'", "qu’"),
    auxiliaries=AUX, characterise=CHARACTERISE, denial_verbs=DENIAL, denial_words=DENIAL_WORDS,
    no_comment=NO_COMMENT, source_preps=SOURCE_PREP,
    before_verb=BEFORE_VERB, phrase_stops=PHRASE_STOPS, phrase_words=PHRASE_WORDS,
    person_nouns=PERSON_NOUNS, media_nouns=MEDIA_NOUNS, anon_nouns=ANON_NOUNS, pronouns=PRONOUNS,
    determiners=DETERMINERS, indefinites=INDEFINITES,
    stop_caps=frozenset(),  # none: French names come from the parser's NER (see ``ALL_STOP_CAPS``)
    hedges=HEDGES, conditionals=CONDITIONAL, negation=NEGATION,
)
