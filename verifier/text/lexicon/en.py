"""English words: reporting verbs (every inflected form: English has no
lemmatizer here, see ``text/nlp.py``), denials, refusals to comment, source
markers, hedges, conditions, nouns and pronouns for speakers, capitalised
words that start no name, and the negation pattern.
"""

from __future__ import annotations

import re

from verifier.text.lexicon.base import Lexicon


def _en(*stems: str) -> frozenset[str]:
    """English verb forms written ``say/says/said/saying``."""
    return frozenset(form for stem in stems for form in stem.split("/"))


REPORTING = _en(
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
DENIAL = _en("deny/denies/denied/denying", "reject/rejects/rejected/rejecting",
             "dismiss/dismisses/dismissed/dismissing", "refute/refutes/refuted/refuting",
             "dispute/disputes/disputed/disputing", "rebut/rebuts/rebutted/rebutting")
DENIAL_WORDS = ("fake news", "false", "untrue", "baseless", "unfounded", "a lie", "lies",
                "nonsense", "hoax", "no truth", "not true", "categorically")
# Verbs that only report when followed by "that" or a quote (they have other senses).
NEEDS_THAT = _en("show/shows/showed/showing/shown", "find/finds/found/finding",
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
                 "slam/slams/slammed/slamming", "rule/rules/ruled/ruling",
                 "state/states")  # "state law", "the United States"

# Verbs that report with a preposition after a subject: "Trump commented on
# the shooting", "She spoke about her faith", "He called for a repeal".
PREP_CUES = {form: preps for stems, preps in (
    (("comment/comments/commented/commenting", "remark/remarks/remarked/remarking"), ("on", "about")),
    (("speak/speaks/spoke/speaking", "talk/talks/talked/talking", "write/writes/wrote/writing",
      "complain/complains/complained/complaining", "boast/boasts/boasted/boasting",
      "joke/jokes/joked/joking"), ("about", "of")),
    (("argue/argues/argued/arguing", "push/pushes/pushed/pushing", "call/calls/called/calling",
      "advocate/advocates/advocated/advocating", "campaign/campaigns/campaigned/campaigning",
      "lobby/lobbies/lobbied/lobbying"), ("for", "against")),
    (("lash/lashes/lashed/lashing",), ("out",)),
    (("weigh/weighs/weighed/weighing",), ("in",)),
) for form in _en(*stems)}

# Verbs of stance whose content is a noun phrase ("Trump attacked Machado in a
# tweet"): reported after a subject (``NEEDS_THAT``); the phrase ends before
# "in a tweet" (``grammar/en.py``, ``object_end``).
STANCE = _en("mock/mocks/mocked/mocking", "condemn/condemns/condemned/condemning",
             "applaud/applauds/applauded/applauding", "welcome/welcomes/welcomed/welcoming",
             "backs/backed", "promote/promotes/promoted/promoting", "decry/decries/decried/decrying",
             "denounce/denounces/denounced/denouncing", "tout/touts/touted/touting")
OBJECT_VERBS = STANCE | frozenset(PREP_CUES) | _en(
    "attack/attacks/attacked/attacking", "cite/cites/cited/citing",
    "criticize/criticizes/criticized/criticizing", "praise/praises/praised/praising",
    "blame/blames/blamed/blaming", "defend/defends/defended/defending",
    "endorse/endorses/endorsed/endorsing", "question/questions/questioned/questioning",
    "slam/slams/slammed/slamming", "blast/blasts/blasted/blasting",
    "mention/mentions/mentioned/mentioning", "deny/denies/denied/denying",
    "reject/rejects/rejected/rejecting", "dismiss/dismisses/dismissed/dismissing",
    "dispute/disputes/disputed/disputing", "refute/refutes/refuted/refuting")

# An intention or stance, reported only before "to" after a subject ("Clinton
# wants to …", "He refused to …"); the content is the "to" clause.
INTENTIONS = _en("want/wants/wanted/wanting", "plan/plans/planned/planning",
                 "refuse/refuses/refused/refusing", "seek/seeks/sought/seeking",
                 "intend/intends/intended/intending", "aim/aims/aimed/aiming",
                 "try/tries/tried/trying", "decide/decides/decided/deciding",
                 "offer/offers/offered/offering", "hope/hopes/hoped/hoping")

# Cues that are phrases (``attributions/phrase_cues.py``).  A noun of saying, its
# owner and its clause: "Trump's claim that …", "her warning that …".
_OWNER = r"(?P<speaker>(?:[A-Z][\w.\-]*\s+){0,3}[A-Z][\w.\-]*)(?:['’]s)"
_SAYING_NOUNS = (r"(?P<cue>claims?|assertions?|allegations?|arguments?|insistence|contention|suggestions?|"
                 r"warnings?|promises?|pledges?|beliefs?|accusations?|charges?|complaints?|predictions?)")
# "it was reported that …" (no speaker), "Smith was quoted as saying …".
_PASSIVE = (r"(?P<cue>(?:is|was|has been|had been) (?:widely |previously |first |also )?(?:reported|announced|"
            r"alleged|claimed|revealed|confirmed|disclosed|rumored|rumoured))")
PHRASE_CUES = (
    rf"{_OWNER}\s+(?:\w+\s+)?{_SAYING_NOUNS}\s+(?P<content>that\b)",
    rf"\b(?P<speaker>his|her|their)\s+(?:\w+\s+)?{_SAYING_NOUNS}\s+(?P<content>that\b)",
    rf"\b[Ii]t\s+{_PASSIVE}\s+(?:\w+\s+){{0,3}}?that\s+(?P<content>\S)",
    r"(?P<speaker>(?:[A-Z][\w.\-]*\s+){0,3}[A-Z][\w.\-]*|\b[Hh]e|\b[Ss]he)\s+(?P<cue>(?:is|was) quoted as saying)"
    r"\s+(?:that\s+)?(?P<content>\S)",
)

NO_COMMENT = (
    r"(?:declined|refused|did not want|didn['’]t want) to (?:comment|respond|elaborate|say)",
    r"(?:did not|didn['’]t|has not|hasn['’]t|have not|haven['’]t|had not) (?:immediately )?"
    r"(?:respond|return|reply|answer)(?:ed)? to (?:a |an |several |multiple |repeated )?"
    r"(?:request|requests|message|messages|call|calls|email|emails|inquiry|inquiries)",
    r"could not be reached for comment",
    r"no comment",
    r"did not comment",
)
SOURCE_PREP = ("according to", "as reported by", "as told to", "in the words of")
HEDGES = frozenset("""
reportedly allegedly alleged purported purportedly supposedly apparently possibly probably
likely may might could presumably suspected rumored rumoured
""".split())
CONDITIONAL = ("if ", "unless ", "in case ", "provided that ", "as long as ")
PERSON_NOUNS = frozenset("""
billionaire entrepreneur businessman businesswoman president senator governor candidate
minister spokesman spokeswoman spokesperson secretary chairman executive founder mogul
leader official man woman congressman congresswoman lawmaker mayor judge attorney lawyer
director chief adviser advisor aide ceo republican democrat nominee
announcer host narrator anchor reporter moderator professor researcher scientist economist
doctor physician surrogate strategist pollster consultant activist protester general
""".split())
MEDIA_NOUNS = frozenset("newspaper paper journal report outlet magazine network "
                        "agency investigation article analysis study poll survey ad".split())
ANON_NOUNS = frozenset("""
source sources official officials person people aide aides expert experts analyst analysts
observer observers diplomat diplomats member members witness witnesses staffer staffers
insider insiders critic critics supporter supporters
campaign administration committee commission department agency government company group
union police prosecutors investigators democrats republicans lawmakers voters
residents protesters demonstrators activists economists researchers scientists doctors
bank firm city county court school university hospital council board panel ministry embassy
countries nations allies
""".split())
PRONOUNS = {"he": "m", "she": "f", "they": "p", "it": "n",
            "his": "m", "her": "f", "their": "p",  # owners of a nominal cue: "her warning that"
            "who": "r"}  # r: relative, the nearest name before ("McConnell, who said …")
STOP_CAPS = frozenset("""
The A An In On At But And Or So If When While After Before As For With By From This That These
Those It He She They We I You His Her Their Our My Its There Here What Who Why How Mr Mrs Ms Dr
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
July August September October November December Yet Still Also Then However Meanwhile
Later Earlier Now Today Yesterday Tomorrow Last Next Previously Instead Even Only Since Although Though
Rival One Two Three Four Five Six Seven Eight Nine Ten
""".split())

# '"…," X called it', "described as « Y »": Y is the speaker's words.
CHARACTERISE = frozenset("call calls called calling describe describes described describing "
                         "label labels labeled labelled dub dubbed".split())

# Reading a subject leftwards from its verb: "Smith has also said".
BEFORE_VERB = frozenset("has have had also later then previously repeatedly again publicly "
                        "privately recently once would will could did does do has had "
                        "initially first last ultimately finally reportedly now long still even "
                        "already never often all both since further just".split())
PHRASE_STOPS = frozenset("that which who whom whose and but or because when if as while after "
                         "before than so is was are were be been being to in on at by with "
                         "from into about over under not what where how".split())
PHRASE_WORDS = frozenset("the a an of 's ’s for at".split())

DETERMINERS = ("the ", "a ", "an ")
INDEFINITES = ("a ", "an ", "two ", "three ", "several ", "some ", "many ", "other ",
               "one ", "multiple ", "four ", "five ")

NEGATION = re.compile(r"(?<!-)\b(?:not|never|no|none|nobody|nothing|neither|nor|without|cannot)\b(?!-)|n't\b",
                      re.IGNORECASE)

LEXICON = Lexicon(
    reporting=REPORTING | STANCE, needs_clause=NEEDS_THAT | STANCE, complementizers=("that",),
    auxiliaries=frozenset(),  # none: the English cue test reads word forms (``grammar/en.py``)
    characterise=CHARACTERISE, denial_verbs=DENIAL, denial_words=DENIAL_WORDS,
    no_comment=NO_COMMENT, source_preps=SOURCE_PREP,
    before_verb=BEFORE_VERB, phrase_stops=PHRASE_STOPS, phrase_words=PHRASE_WORDS,
    person_nouns=PERSON_NOUNS, media_nouns=MEDIA_NOUNS, anon_nouns=ANON_NOUNS, pronouns=PRONOUNS,
    determiners=DETERMINERS, indefinites=INDEFINITES, stop_caps=STOP_CAPS,
    hedges=HEDGES, conditionals=CONDITIONAL, negation=NEGATION, phrase_cues=PHRASE_CUES,
)
