"""English who-said-what rules of the offline engine (no parser: word forms
and punctuation).  Every sentence here was written for these tests; each
test names the pattern its rule serves."""

from __future__ import annotations

from verifier.engines.offline.attributions import extract
from verifier.engines.offline.parsed import sentences_of


def relations(text: str) -> list[tuple[str, str, str]]:
    """(resolved speaker, kind, content) of every relation found."""
    return [(f.speaker.name, f.kind, text[f.content[0]:f.content[1]])
            for f in extract(text, "en", sentences_of(text, "en"))]


def contents(text: str) -> list[str]:
    return [c for _, _, c in relations(text)]


# ------------------------------------------------------------ direct quotes --

def test_quote_broken_by_its_cue_is_one_relation():
    # '"…," X said. "…"' and '"…," X said, "…"': one quote in two parts
    text = ('"Our roads are crumbling," Mayor Ann Lee said. "We will fix every bridge by May."\n\n'
            '"Every delay costs us," Bob Stone said, "and the voters know it."')
    got = relations(text)
    assert [(s, k) for s, k, _ in got] == [("Ann Lee", "direct"), ("Bob Stone", "direct")]
    assert got[0][2].startswith("Our roads are crumbling") and got[0][2].endswith("by May")
    assert got[1][2].startswith("Every delay costs us") and got[1][2].endswith("the voters know it")


def test_quote_on_the_next_line_is_its_own_relation_with_the_same_speaker():
    text = ('"Our roads are crumbling," Ann Lee said.\n'
            '"We will fix every bridge by May."')
    got = relations(text)
    assert [(s, c) for s, _, c in got] == [("Ann Lee", "Our roads are crumbling"),
                                           ("Ann Lee", "We will fix every bridge by May")]


def test_short_quote_opening_its_sentence_before_its_cue():
    # '"I agree," she said.': under four words, but the cue follows at once
    text = 'The senator listened to Ann Lee for an hour.\n\n"I agree," Ann Lee said.'
    assert ("Ann Lee", "direct", "I agree") in relations(text)


def test_short_scare_quote_inside_a_sentence_is_not_direct_speech():
    text = 'The plan, which critics call "a giveaway," Ann Lee said, will pass.'
    assert "a giveaway" not in contents(text)


def test_speaker_with_party_parenthetical_or_apposition_after_the_quote():
    # '," Rep. Jane Doe (R-Ohio) said', '," Jane Doe, a farmer from Iowa, said'
    text = ('"Taxes are far too high," Rep. Ann Lee (R-Ohio) said.\n\n'
            '"The harvest will be late this year," Tom Hart, a farmer from Iowa, said.')
    got = relations(text)
    assert ("Ann Lee", "direct", "Taxes are far too high") in got
    assert ("Tom Hart", "direct", "The harvest will be late this year") in got


def test_quote_over_several_sentences_after_its_cue():
    # 'X declared "… . … ."': the whole quote, not its first sentence
    text = 'In a radio interview Jones declared "The port will reopen. The ships are ready."'
    assert relations(text) == [("Jones", "direct", "The port will reopen. The ships are ready")]


def test_cue_with_colon_ending_the_paragraph_before_the_quote():
    # 'He said:' then the quote as the next paragraph
    text = ('Senator Ann Lee spoke last.\n\nShe said:\n\n'
            '"We have a plan for the roads. We will fix every bridge."')
    got = relations(text)
    assert got == [("Ann Lee", "direct", "We have a plan for the roads. We will fix every bridge")]


def test_quote_signed_with_a_dash_and_a_name():
    # quote round-ups and epigraphs: '"…" ― Jane Doe'
    text = ('"The schools are failing our kids. Nobody listens." ― Maria Lopez\n'
            '"Rents keep rising every single year."—Tom Hart.\n'
            'The tax plan was a disaster — for the farmers')
    got = relations(text)
    assert got == [("Maria Lopez", "direct", "The schools are failing our kids. Nobody listens"),
                   ("Tom Hart", "direct", "Rents keep rising every single year")]


def test_name_run_does_not_swallow_the_start_of_a_verb():
    # "Jones declared": "de" of "declared" is no name particle
    text = 'Later Jones declared that the port would reopen.'
    assert [s for s, _, _ in relations(text)] == ["Jones"]


def test_cue_in_the_sentence_after_a_quote_ending_with_a_question_mark():
    # '"…?" Trump said, …': the splitter ends the sentence at '?"'
    text = ('"Who would have guessed that we would win every county?" Ann Lee said, smiling.\n\n'
            '"Is this the end of the road?" Officials said the plan would fail.')
    got = relations(text)
    assert ("Ann Lee", "direct", "Who would have guessed that we would win every county?") in got
    assert not any(c.startswith("Is this the end") for _, _, c in got)


# ---------------------------------------------------------- reporting verbs --

def test_intentions_before_to_after_a_subject():
    # "X wants/plans/refuses to …": the "to" clause is the content
    text = ('Clinton wants to triple the size of the program.\n'
            'The campaign plans to spend more on ads.\n'
            'She wanted a new car.\n'
            'The vote was planned to take place in May.')
    got = relations(text)
    assert got == [("Clinton", "indirect", "to triple the size of the program"),
                   ("The campaign", "indirect", "to spend more on ads")]


def test_progressive_reporting_verb_is_active_not_passive():
    # "X is demanding …", "X is also encouraging …"; "was told" stays a passive
    text = ('Mayor Ann Lee is demanding that the council resign.\n'
            'The mayor was told that the council would resign.')
    got = relations(text)
    assert got == [("Ann Lee", "indirect", "the council resign")]


def test_capitalised_cue_word_inside_a_name_is_no_cue():
    # "United States", "the Washington Post"; a title-case headline keeps its verbs
    text = ('The United States spends more on defence than its allies.\n\n'
            'The Washington Post interview with the candidate ran on Sunday.\n\n'
            'Senator Lee Says The Budget Will Pass This Year')
    got = relations(text)
    # the title is not part of the name (it is dropped as for every registered name, so "Senator Lee"
    # and "Lee" are one speaker)
    assert [(s, c) for s, _, c in got] == [("Lee", "The Budget Will Pass This Year")]


def test_sentence_final_cue_takes_the_clause_before_the_comma():
    # "…, Warren said." and "…, the senator said on Monday."
    text = ('Every cashier who steals a few bills is held to account, Ann Lee said. Bankers are not.\n'
            'The plan will fail, the senator said on Monday in a statement.')
    got = relations(text)
    assert [(s, c) for s, _, c in got] == [("Ann Lee", "Every cashier who steals a few bills is held to account"),
                                           ("Ann Lee", "The plan will fail")]  # "the senator": the person named just before


def test_paragraph_opening_with_a_reversed_quote_mark():
    # ”…” ― Name: the first mark typed the wrong way round
    text = '”The schools are failing our kids. Nobody listens.” ― Maria Lopez\n'
    assert relations(text) == [("Maria Lopez", "direct", "The schools are failing our kids. Nobody listens")]


# -------------------------------------------------------------- phrase cues --

def test_nominal_cue_with_its_owner_and_clause():
    # "X's claim that …", "his warning that …"
    text = 'Reporters checked Ann Lee’s claim that crime had doubled in the city.\n'
    assert relations(text) == [("Ann Lee", "indirect", "that crime had doubled in the city")]
    text = 'Tom Hart spoke next. Critics mocked his warning that the bridge would close.'
    assert ("Tom Hart", "indirect", "that the bridge would close") in relations(text)


def test_possessive_is_not_part_of_a_registered_name():
    # "Ann Lee’s campaign": the person is "Ann Lee"
    text = 'Ann Lee’s campaign staff met on Monday. Later she said that the race was close.'
    assert relations(text) == [("Ann Lee", "indirect", "the race was close")]


def test_noun_phrase_content_stops_before_its_occasion():
    # "X attacked Y in a tweet", "X cited Y at a forum": the content is Y
    text = ('Ann Lee attacked the mayor in early-morning tweets.\n'
            'Tom Hart cited the figure at a forum on Friday.\n'
            'Ann Lee questioned whether the plan would work in the winter.')
    got = relations(text)
    assert [(s, c) for s, _, c in got] == [("Ann Lee", "the mayor"), ("Tom Hart", "the figure"),
                                           ("Ann Lee", "whether the plan would work in the winter")]


def test_stance_verbs_after_a_subject_only():
    # "X mocked/condemned/backs Y"; "a mocked proposal" is no cue
    text = ('Senator Ann Lee condemned the attack on the consulate.\n'
            'The widely mocked proposal died in committee.')
    assert relations(text) == [("Ann Lee", "indirect", "the attack on the consulate")]


def test_adverbs_between_subject_and_cue():
    # "X now says …", "X has long said that …"
    text = 'Ann Lee now says she opposes the deal. Tom Hart has long said that he qualifies.'
    assert [(s, c) for s, _, c in relations(text)] == [("Ann Lee", "she opposes the deal"),
                                                       ("Tom Hart", "he qualifies")]


def test_role_nouns_as_speakers():
    # "the announcer said", "the moderator asked"
    text = 'As the music rose, the announcer said, "Your children are safe and asleep tonight."'
    assert [(s, k) for s, k, _ in relations(text)] == [("the announcer", "direct")]


def test_verbs_joined_by_and_or_but_share_the_subject():
    # "X said … but pledged to …", "X urged … and said …"
    text = ('Demonstrators said they want justice for the victim, but pledged to remain civil.\n'
            'Ann Lee exhorted the delegates to vote and said she was standing on principle.')
    got = relations(text)
    assert [(s, c) for s, _, c in got] == [("Demonstrators", "they want justice for the victim"),
                                           ("Demonstrators", "to remain civil"),
                                           ("Ann Lee", "she was standing on principle")]


def test_objects_and_channel_between_cue_and_that():
    # "said to reporters that", "said in a statement that"
    text = 'The mayor said to reporters that the plan was ready. She said in a statement that it was late.'
    assert [c for c in contents(text)] == ["the plan was ready", "it was late"]


def test_passive_past_an_adverb_is_no_cue():
    # "were mistakenly charged", "was widely reported"
    text = 'Customers were mistakenly charged fees by the bank.'
    assert relations(text) == []


def test_sentence_final_cue_needs_circumstances_not_a_gerund():
    # "X will insist on being X" reports no clause before its subject
    text = 'No matter the stakes, Ann Lee will insist on being Ann Lee.'
    assert "No matter the stakes" not in contents(text)


def test_concession_after_the_reported_clause_is_the_writers():
    # "claimed that X, although he …": the content is X
    text = 'Tom Hart claimed that paying no taxes was smart, although he refused to release his returns.'
    assert ("Tom Hart", "indirect", "paying no taxes was smart") in relations(text)


def test_institution_subjects_and_party_parenthetical_before_the_cue():
    # "The bank said that …", "Sen. Jane Doe (R-Ohio) is endorsing …"
    text = 'The bank said that it had fired the employees.\nSen. Ann Lee (R-Ohio) is endorsing Tom Hart.'
    assert [(s, c) for s, _, c in relations(text)] == [("The bank", "it had fired the employees"),
                                                       ("Ann Lee", "Tom Hart")]


def test_block_quote_paragraph_after_a_cue_and_colon():
    # 'The governor added:' then a paragraph of his words without quote marks
    text = ('The governor added:\n\nIt is typical of the senator. She knows nothing about the state.\n\n'
            'The talks went on until late.')
    assert relations(text) == [("The governor", "direct",
                                "It is typical of the senator. She knows nothing about the state")]


def test_second_cue_joined_by_and_ends_the_first_content_but_a_noun_does_not():
    # "said X and added that Y"; "federal and state law" is no second cue
    text = ('The mayor said the roads were safe and added that the bridges would reopen.\n'
            'The city says the campaign broke federal and state law by using the photos.')
    got = [(s, c) for s, _, c in relations(text)]
    assert got == [("The mayor", "the roads were safe"), ("The mayor", "the bridges would reopen"),
                   ("The city", "the campaign broke federal and state law by using the photos")]


def test_time_of_the_act_between_subject_and_cue():
    # "X on Tuesday dismissed …", "the court this month rejected …"
    text = ('Ann Lee on Tuesday dismissed the report as a smear.\n'
            'The Supreme Court this month rejected a request from the state.')
    assert [(s, c) for s, _, c in relations(text)] == [("Ann Lee", "the report as a smear"),
                                                       ("Supreme Court", "a request from the state")]


def test_noun_phrase_content_stops_before_a_second_verb_or_but():
    # "denied the charges and counter-accused her", "deny any links, but critics …"
    text = ('Tom Hart denied the charges and counter-accused his wife of lying.\n'
            'Saudi officials deny any links to the group, but critics point to its charities.\n'
            'The campaign denies any wrongdoing and points out that the rival signed too.')
    got = [(s, c) for s, _, c in relations(text)]
    assert ("Tom Hart", "the charges") in got and ("Saudi officials", "any links to the group") in got
    assert ("The campaign", "any wrongdoing") in got and ("The campaign", "the rival signed too") in got


def test_verbs_reporting_with_a_preposition_after_a_subject():
    # "X commented on …", "X spoke about …", "X called for …"; "The river runs for miles" is none
    text = ('Ann Lee has also commented on the death of the driver.\n'
            'She spoke about her ties to the church while at the convention.\n'
            'Tom Hart has called for the complete repeal of the law.\n'
            'The river runs for miles, and the road calls for care.')
    got = [(s, c) for s, _, c in relations(text)]
    assert got == [("Ann Lee", "on the death of the driver"), ("Ann Lee", "about her ties to the church"),
                   ("Tom Hart", "for the complete repeal of the law")]


def test_possessive_or_number_before_a_cue_word_makes_it_a_noun():
    # "Mr. Lee’s remarks", "her claims", "Two questions:"; "He’s claiming" stays a verb
    text = ('Mr. Lee’s remarks on Saturday were a wake-up call.\n'
            'Her claims drew a rebuke.\n'
            'Two questions: why now, and why here?\n'
            'He’s claiming that the vote was rigged.')
    assert contents(text) == ["the vote was rigged"]


def test_passive_reports_with_and_without_a_speaker():
    # "it was reported that …" (no speaker), "X was quoted as saying …"
    text = ('It was reported last week that the mayor would resign.\n'
            'Ann Lee was quoted as saying that the deal was dead.\n'
            'The car was reported stolen on Monday.')
    assert relations(text) == [("(unknown)", "indirect", "the mayor would resign"),
                               ("Ann Lee", "indirect", "the deal was dead")]


def test_relative_who_as_subject_resolves_to_the_name_just_before():
    # "Mitch Lee, now the majority leader, who in 2010 said …"; no name just before: unresolved
    text = ('Obama clashed with Mitch Lee, now the majority leader, who in 2010 said the goal was to beat Obama.\n'
            'The black voters, who overwhelmingly rejected the senator, handed Clinton a win.')
    got = relations(text)
    assert got == [("Mitch Lee", "indirect", "the goal was to beat Obama"),
                   ("(unresolved pronoun)", "indirect", "the senator")]


def test_characterisation_keeps_its_object_with_the_quoted_words():
    # "X called Y “Z”": the relation is "Y “Z”" (the object and the words put on it)
    text = ('Ann Lee called the senator a "nasty guy," an "anchor baby" and "unstable."\n'
            'Tom Hart, an adviser to the campaign, called the remarks on Saturday "a true wake-up call" to voters.')
    assert [(s, c) for s, _, c in relations(text)] == [
        ("Ann Lee", 'the senator a "nasty guy," an "anchor baby" and "unstable."'),
        ("Tom Hart", 'the remarks on Saturday "a true wake-up call" to voters')]


def test_subject_noun_phrases_before_verbs_with_other_senses():
    # "Polls showed …", "Many countries agreed to …", "X, like Y, has encouraged …",
    # "X is … and expects …"; "The river continued … and found …" reports nothing
    text = ('Instant polls showed Clinton was the winner.\n'
            'Many European countries agreed to share a single currency.\n'
            'Ann Lee, like Obama, has encouraged European nations to spend more but has said she will hold firm.\n'
            'Mr. Hart is bearish on loans and expects them to become scarce.\n'
            'The river continued to rise and found its way into town.')
    got = [(s, c) for s, _, c in relations(text)]
    assert got == [("Instant polls", "Clinton was the winner"),
                   ("Many European countries", "to share a single currency"),
                   ("Ann Lee", "European nations to spend more"), ("Ann Lee", "she will hold firm"),
                   ("Hart", "them to become scarce")]  # "Mr." is a title, not part of the name


def test_content_stops_before_another_reported_clause_or_a_relative():
    # "X emphasized that A, and groups warned that B"; "X endorses Y, who says …"
    text = ('Obama emphasized that the reforms were not complete, and rights groups warned that the leverage was gone.\n'
            'Ann Lee endorses Tom Hart, who says he is honored.\n'
            'The mayor said the roads were safe, and the bridges were open.')
    got = [(s, c) for s, _, c in relations(text)]
    assert got == [("Obama", "the reforms were not complete"), ("rights groups", "the leverage was gone"),
                   ("Ann Lee", "Tom Hart"), ("Tom Hart", "he is honored"),
                   ("Ann Lee", "the roads were safe, and the bridges were open")]  # "the mayor": the person most named


def test_names_ending_a_sentence_or_in_a_headline():
    # "… for Ann Lee." is "Ann Lee"; a title-case headline registers no names
    text = 'The crowd cheered for Ann Lee. Later she said that the race was close.'
    assert relations(text) == [("Ann Lee", "indirect", "the race was close")]
    text = ('Post Story Exploits Voter Who Was in a Hospital for Mental Issues\n\n'
            'Later she said that the race was close.')
    assert relations(text) == [("(unresolved pronoun)", "indirect", "the race was close")]
