"""Word lists of the offline engine: reporting verbs, denials, refusals to
comment, hedges and source markers, for French and English.

French verbs are matched on spaCy's lemma; English has no parser or
lemmatizer here (see ``nlp.py``), so its verbs list their inflected forms.
"""

from __future__ import annotations


def _en(*stems: str) -> frozenset[str]:
    """English verb forms written ``say/says/said/saying``."""
    return frozenset(form for stem in stems for form in stem.split("/"))


# ---------------------------------------------------------------- French ---

FR_REPORTING = frozenset("""
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
FR_NEEDS_QUE = frozenset("""
soutenir conclure divulguer considérer juger noter relever observer constater appeler lancer
citer menacer alerter saluer féliciter critiquer fustiger réclamer regretter déplorer évoquer
rappeler avancer informer prévenir confier promettre glisser exprimer dévoiler témoigner
""".split())
FR_AUX = frozenset("a ont avait avaient aurait auraient est sont était étaient sera serait "
                   "va vont vient viennent".split())

FR_DENIAL = frozenset("démentir nier réfuter rejeter récuser contester".split())
# "qualifier ... de « fausses nouvelles »" and the like: a denial by wording.
FR_DENIAL_WORDS = ("fausse information", "fausses informations", "fausses nouvelles",
                   "fausse nouvelle", "fake news", "infondé", "mensonge", "diffamatoire",
                   "sans fondement", "catégoriquement faux", "absurde", "démenti")

FR_NO_COMMENT = (
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
FR_SOURCE_PREP = ("selon", "d'après", "d’après", "aux dires de", "de l'avis de", "de l’avis de",
                  "à en croire", "cité par", "citée par", "cités par", "citées par")

FR_HEDGES = frozenset("""
présumé présumée présumés présumées prétendu prétendue prétendus prétendues supposé supposée
supposés supposées apparemment vraisemblablement probablement possiblement peut-être
éventuel éventuelle éventuels éventuelles soupçonné soupçonnée soupçonnés soupçonnées
allégué allégués alléguée alléguées
""".split())
FR_CONDITIONAL = ("si ", "s'il ", "s’il ", "s'ils ", "s’ils ", "en cas de ", "à condition que",
                  "pour peu que", "au cas où")

# Nouns for people: "le richissime entrepreneur" refers back to a named person.
FR_PERSON_NOUNS = frozenset("""
entrepreneur milliardaire homme femme patron dirigeant président présidente ministre
porte-parole candidat candidate chef directeur directrice fondateur magnat businessman
responsable sénateur sénatrice député députée maire juge avocat avocate procureur
ancien collaborateur expert experte conseiller conseillère secrétaire attachée attaché
""".split())
FR_MEDIA_NOUNS = frozenset("média journal quotidien hebdomadaire magazine agence "
                           "rapport enquête article".split())
FR_ANON_NOUNS = frozenset("""
source sources responsable responsables fonctionnaire fonctionnaires proche proches
témoin témoins expert experts observateur observateurs diplomate diplomates personne
personnes officiel officiels analyste analystes membre membres collaborateur collaborateurs
""".split())
FR_PRONOUNS = {"il": "m", "elle": "f", "ils": "p", "elles": "p", "celui-ci": "m", "celle-ci": "f"}

# ---------------------------------------------------------------- English --

EN_REPORTING = _en(
    "say/says/said/saying", "tell/tells/told/telling", "add/adds/added/adding",
    "claim/claims/claimed/claiming", "state/states/stated/stating", "note/notes/noted/noting",
    "explain/explains/explained/explaining", "argue/argues/argued/arguing",
    "insist/insists/insisted/insisting", "announce/announces/announced/announcing",
    "declare/declares/declared/declaring", "confirm/confirms/confirmed/confirming",
    "acknowledge/acknowledges/acknowledged/acknowledging", "admit/admits/admitted/admitting",
    "warn/warns/warned/warning", "write/writes/wrote/writing/written",
    "report/reports/reported/reporting", "reveal/reveals/revealed/revealing",
    "suggest/suggests/suggested/suggesting", "predict/predicts/predicted/predicting",
    "promise/promises/promised/promising", "vow/vows/vowed/vowing",
    "allege/alleges/alleged/alleging", "accuse/accuses/accused/accusing",
    "assert/asserts/asserted/asserting", "contend/contends/contended/contending",
    "maintain/maintains/maintained/maintaining", "recall/recalls/recalled/recalling",
    "describe/describes/described/describing", "call/calls/called/calling",
    "tweet/tweets/tweeted/tweeting", "post/posts/posted/posting",
    "testify/testifies/testified/testifying", "concede/concedes/conceded/conceding",
    "emphasize/emphasizes/emphasized/emphasizing", "stress/stresses/stressed/stressing",
    "believe/believes/believed/believing", "think/thinks/thought/thinking",
    "indicate/indicates/indicated/indicating", "estimate/estimates/estimated/estimating",
    "ask/asks/asked/asking", "reply/replies/replied/replying",
    "respond/responds/responded/responding", "answer/answers/answered/answering",
    "deny/denies/denied/denying", "reject/rejects/rejected/rejecting",
    "dismiss/dismisses/dismissed/dismissing", "refute/refutes/refuted/refuting",
    "dispute/disputes/disputed/disputing", "criticize/criticizes/criticized/criticizing",
    "praise/praises/praised/praising", "complain/complains/complained/complaining",
    "charge/charges/charged/charging", "blame/blames/blamed/blaming",
    "urge/urges/urged/urging", "propose/proposes/proposed/proposing",
    "remark/remarks/remarked/remarking", "observe/observes/observed/observing",
    "point/points/pointed/pointing", "mention/mentions/mentioned/mentioning",
    "quip/quips/quipped/quipping", "joke/jokes/joked/joking",
    "agree/agrees/agreed/agreeing", "conclude/concludes/concluded/concluding",
    "shout/shouts/shouted/shouting", "continue/continues/continued/continuing",
    "inform/informs/informed/informing", "show/shows/showed/showing/shown",
    "find/finds/found/finding", "expect/expects/expected/expecting",
    "hope/hopes/hoped/hoping", "fear/fears/feared/fearing",
    "worry/worries/worried/worrying",
    "caution/cautions/cautioned/cautioning", "signal/signals/signaled/signaling",
    "demand/demands/demanded/demanding", "pledge/pledges/pledged/pledging",
    "threaten/threatens/threatened/threatening", "boast/boasts/boasted/boasting",
    "question/questions/questioned/questioning", "counter/counters/countered/countering",
    "acknowledge/acknowledges/acknowledged", "brief/briefs/briefed/briefing",
    "learn/learns/learned/learning", "recount/recounts/recounted/recounting",
    "reiterate/reiterates/reiterated/reiterating", "repeat/repeats/repeated/repeating",
    "explain/explains/explained", "insist/insists/insisted", "cite/cites/cited/citing",
    "attack/attacks/attacked/attacking", "blast/blasts/blasted/blasting",
    "defend/defends/defended/defending", "endorse/endorses/endorsed/endorsing",
    "encourage/encourages/encouraged/encouraging", "slam/slams/slammed/slamming",
    "accuse/accuses/accused", "rule/rules/ruled/ruling",
)
EN_DENIAL = _en("deny/denies/denied/denying", "reject/rejects/rejected/rejecting",
                "dismiss/dismisses/dismissed/dismissing", "refute/refutes/refuted/refuting",
                "dispute/disputes/disputed/disputing", "rebut/rebuts/rebutted/rebutting")
EN_DENIAL_WORDS = ("fake news", "false", "untrue", "baseless", "unfounded", "a lie", "lies",
                   "nonsense", "hoax", "no truth", "not true", "categorically")
# Verbs that only report when followed by "that" or a quote (they have other senses).
EN_NEEDS_THAT = _en("show/shows/showed/showing/shown", "find/finds/found/finding",
                    "know/knows/knew/knowing/known", "learn/learns/learned/learning",
                    "expect/expects/expected/expecting", "hope/hopes/hoped/hoping",
                    "fear/fears/feared/fearing", "worry/worries/worried/worrying",
                    "call/calls/called/calling", "post/posts/posted/posting",
                    "point/points/pointed/pointing", "continue/continues/continued/continuing",
                    "charge/charges/charged/charging", "question/questions/questioned/questioning",
                    "ask/asks/asked/asking", "agree/agrees/agreed/agreeing",
                    "think/thinks/thought/thinking", "believe/believes/believed/believing",
                    "inform/informs/informed/informing", "brief/briefs/briefed/briefing",
                    "signal/signals/signaled/signaling", "demand/demands/demanded/demanding",
                    "answer/answers/answered/answering", "report/reports/reported/reporting",
                    "counter/counters/countered/countering", "indicate/indicates/indicated",
                    "cite/cites/cited/citing", "attack/attacks/attacked/attacking",
                    "blast/blasts/blasted/blasting", "defend/defends/defended/defending",
                    "endorse/endorses/endorsed/endorsing", "encourage/encourages/encouraged/encouraging",
                    "slam/slams/slammed/slamming", "rule/rules/ruled/ruling")

EN_NO_COMMENT = (
    r"(?:declined|refused|did not want|didn['’]t want) to (?:comment|respond|elaborate|say)",
    r"(?:did not|didn['’]t|has not|hasn['’]t|have not|haven['’]t|had not) (?:immediately )?"
    r"(?:respond|return|reply|answer)(?:ed)? to (?:a |an |several |multiple |repeated )?"
    r"(?:request|requests|message|messages|call|calls|email|emails|inquiry|inquiries)",
    r"could not be reached for comment",
    r"no comment",
    r"did not comment",
)
EN_SOURCE_PREP = ("according to", "as reported by", "as told to", "in the words of")
EN_HEDGES = frozenset("""
reportedly allegedly alleged purported purportedly supposedly apparently possibly probably
likely may might could presumably suspected rumored rumoured
""".split())
EN_CONDITIONAL = ("if ", "unless ", "in case ", "provided that ", "as long as ")
EN_PERSON_NOUNS = frozenset("""
billionaire entrepreneur businessman businesswoman president senator governor candidate
minister spokesman spokeswoman spokesperson secretary chairman executive founder mogul
leader official man woman congressman congresswoman lawmaker mayor judge attorney lawyer
director chief adviser advisor aide ceo republican democrat nominee
""".split())
EN_MEDIA_NOUNS = frozenset("newspaper paper journal report outlet magazine network "
                           "agency investigation article".split())
EN_ANON_NOUNS = frozenset("""
source sources official officials person people aide aides expert experts analyst analysts
observer observers diplomat diplomats member members witness witnesses staffer staffers
insider insiders critic critics supporter supporters
""".split())
EN_PRONOUNS = {"he": "m", "she": "f", "they": "p", "it": "n"}
EN_STOP_CAPS = frozenset("""
The A An In On At But And Or So If When While After Before As For With By From This That These
Those It He She They We I You His Her Their Our My Its There Here What Who Why How Mr Mrs Ms Dr
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
July August September October November December Yet Still Also Then However Meanwhile
""".split())

PUNCT_QUOTES = {"«": "»", "“": "”", "„": "“", '"': '"'}
