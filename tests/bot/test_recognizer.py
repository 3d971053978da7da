"""The recognizer's semantics on a small rule set, then the real rules on the issue's safety cases."""
from __future__ import annotations

import pytest

from bot.triage.recognizer import Recognizer, default_recognizer

RULES = {
    "negation": {"window": 4, "cues": ["not", "never", "no", "didnt"]},
    "lexicon": {
        "CHILD": {"subject": True, "terms": ["son", "daughter", "kid*", "year old"]},
        "HIT": ["hit*", "punch*", "kick*"],
        "INJURY": ["bruise*", "black eye"],
    },
    "descriptors": [
        {"id": "l4-parent-nai", "level": 4, "domain": "parent", "descriptor": "Suspected non-accidental injury.",
         "category": "non-accidental-injury", "rules": [["CHILD", "HIT"], {"all": ["INJURY"], "none": ["football"]}]},
        {"id": "l2-family-money", "level": 2, "domain": "family", "descriptor": "Family affected by low income or unemployment.",
         "services": ["cias"], "rules": [[["redundant", "no money", "skint"]]]},
        {"id": "l3-child-suicidal", "level": 3, "domain": "child", "descriptor": "Self-harm with suicidal ideation.",
         "flags": ["suicide"], "rules": [[["cutting", "self harm*"], ["wants to die", "end her life"]]]},
    ],
    "danger": [{"id": "attack-now", "descriptor": "l4-parent-nai", "rules": [["HIT", ["now", "right now"]]]}],
    "figures_of_speech": ["killing it", "a nightmare"],
    "third_party": ["neighbour*", "next door"],
}


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer.from_dict(RULES)


def ids(assessment) -> list[str]:
    return [c.id for c in assessment.concerns]


def test_all_items_of_a_rule_must_occur(recognizer):
    assert ids(recognizer.assess("my son was punched")) == ["l4-parent-nai"]
    assert ids(recognizer.assess("i punched the wall")) == []


def test_prefixes_text_speak_and_typos(recognizer):
    assert ids(recognizer.assess("he keeps kickin my 7 yr old")) == ["l4-parent-nai"]
    assert ids(recognizer.assess("shes got brusies on her arms")) == ["l4-parent-nai"]
    assert recognizer.assess("my 7 yr old").child_age == 7


def test_negation_in_the_same_clause_cancels_a_match(recognizer):
    result = recognizer.assess("he has never hit my son")
    assert ids(result) == [] and result.negated == ["l4-parent-nai"]


def test_a_negation_does_not_reach_past_but(recognizer):
    assert ids(recognizer.assess("he says he didnt mean it but my daughter has bruises")) == ["l4-parent-nai"]


def test_a_negation_word_inside_a_term_is_part_of_the_concern(recognizer):
    assert ids(recognizer.assess("there is no money for food")) == ["l2-family-money"]


def test_figures_of_speech_are_removed_and_none_terms_veto(recognizer):
    assert ids(recognizer.assess("my kid is killing it at football, he kicks so hard")) == ["l4-parent-nai"]
    assert ids(recognizer.assess("my son is killing it")) == []
    assert ids(recognizer.assess("bruised knee at football")) == []


def test_danger_implies_its_level_4_descriptor(recognizer):
    result = recognizer.assess("hes hitting me right now")
    assert result.danger == ["attack-now"] and result.level == 4


def test_highest_level_wins_and_flags_and_services_travel(recognizer):
    result = recognizer.assess("ive been made redundant and my daughter is cutting and says she wants to die")
    assert ids(result) == ["l3-child-suicidal", "l2-family-money"]
    assert result.level == 3 and result.flags == {"suicide"}
    assert result.as_dict()["concerns"][1]["services"] == ["cias"]


def test_third_party_reports_are_noticed(recognizer):
    assert recognizer.assess("the kids next door have bruises").third_party is True
    assert recognizer.assess("my kids have bruises").third_party is False


def test_terms_are_folded_as_messages_are():
    """A term written the everyday way ("gonna", "daughters", "children") matches what the message folds to."""
    rules = {**RULES, "descriptors": [*RULES["descriptors"], {"id": "l4-family-threat", "level": 4, "domain": "family", "descriptor": "Threat.",
                                                              "rules": [[["gonna hurt", "daughters boyfriend", "against children"]]]}]}
    folded = Recognizer.from_dict(rules)
    for text in ("hes going to hurt me", "hes gonna hurt me", "my daughters boyfriend", "offences against kids"):
        assert ids(folded.assess(text)) == ["l4-family-threat"], text


def test_a_bare_no_in_yaml_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="not a string"):
        Recognizer.from_dict({**RULES, "negation": {"window": 4, "cues": [False]}})


def test_an_unknown_group_name_is_an_error():
    broken = {**RULES, "descriptors": [{**RULES["descriptors"][0], "rules": [["CHILD", "PUNCHES"]]}]}
    with pytest.raises(ValueError, match="PUNCHES"):
        Recognizer.from_dict(broken)


def test_a_group_named_in_another_brings_all_its_terms():
    lexicon = {**RULES["lexicon"], "HARM": ["HIT", "INJURY", "burn*"]}
    descriptor = {**RULES["descriptors"][0], "rules": [["CHILD", "HARM"]]}
    recognizer = Recognizer.from_dict({**RULES, "lexicon": lexicon, "descriptors": [descriptor]})
    for text in ["my son was kicked", "my son has a black eye", "my son got burned"]:
        assert ids(recognizer.assess(text)) == ["l4-parent-nai"], text
    assert ids(recognizer.assess("my son is fine")) == []


def test_a_group_that_includes_itself_or_an_unknown_group_is_an_error():
    for lexicon, message in [({"HIT": ["punch*", "HARM"], "HARM": ["HIT"]}, "HIT -> HARM -> HIT"), ({"HIT": ["SLAPS"]}, "SLAPS")]:
        with pytest.raises(ValueError, match=message):
            Recognizer.from_dict({**RULES, "lexicon": {**RULES["lexicon"], **lexicon}})


# The real rules (data/content/rhrt.yml) on the acceptance cases.
@pytest.mark.parametrize("text", ["he's not hurting them", "my son is killing it at football", "my kid is being a nightmare"])
def test_negation_and_figures_of_speech_never_reach_level_4(text):
    result = default_recognizer().assess(text)
    assert (result.level or 1) < 4 and not result.danger


@pytest.mark.parametrize("text", ["what time is stay and play at Harmony", "which hub is nearest to Foleshill", "what does a family hub do"])
def test_plain_questions_match_nothing(text):
    assert default_recognizer().assess(text).concerns == []


# Everyday phrasings that the real rules used to read as level 4 or danger (figures of speech, a child's
# meltdown, a teenager who will not get up, being left out at school, parental controls).
EVERYDAY_PHRASINGS = [
    "these kids are going to kill me before the holidays, anything free on for under 5s",
    "my 3 year old screams blue murder at bath time, any tips",
    "she gave me a heart attack running off at the park but we found her straight away, do you sell reins",
    "my 15 yr old wont get up before midday at weekends, is that normal",
    "my 7 year old says nobody plays with her at school at lunchtime",
    "how do i put parental controls on his tablet",
    "my 4 yr old has massive meltdowns when we leave the park, kicking me and screaming",
]


# ...while what those rules are there for still matches.
@pytest.mark.parametrize("text", [
    "he said he will kill me if i leave",
    "my baby has gone floppy and is not breathing",
    "my dad collapsed and wont get up off the floor",
    "my partner controls me and checks my phone",
    "my 2 year old niece is left in her cot all day, nobody plays with her",
])
def test_the_narrowed_rules_still_match(text):
    result = default_recognizer().assess(text)
    assert result.level and result.level >= 3, result.as_dict()


# The subject of an enquiry is not a disclosure (rhrt.yml `topics`), nor is a joke about a threat...
ENQUIRIES_AND_JOKES = [
    "is there a course on how to spot if a child is being abused? i work in a school kitchen",
    "my daughter is doing a school project on gangs and county lines, any leaflets",
    "any courses on keeping teenagers safe from knife crime? asking as a youth worker",
    "did the suicide awareness session last year, is it running again",
    "my sister says shes going to strangle me for signing her up to baby yoga haha",
    "my lot are going to kill me, they want every holiday club going",
    "im planning a pshe unit on forced marriage and fgm for year 10, could someone come and speak",
    # A veto word is one even inside the subject of the enquiry ("awareness training" is blanked as a topic).
    "do you run fgm awareness training for school staff? we would like it done before the summer term",
    "im behind on the rent and trying to pay it off, i cant stop crying",
]


@pytest.mark.parametrize("text", EVERYDAY_PHRASINGS + ENQUIRIES_AND_JOKES)
def test_everyday_phrasings_enquiries_and_jokes_stay_below_level_4(text):
    result = default_recognizer().assess(text)
    assert (result.level or 1) < 4 and not result.danger, [c.id for c in result.concerns]


# ...but a disclosure beside an enquiry still counts, and so do the new danger and level-4 wordings.
@pytest.mark.parametrize("text, danger", [
    ("do you have leaflets, my husband strangled me in front of the kids", False),
    ("hes been smoking crack all night and is about to drive the kids to school", True),
    ("my 15 year old has moved in with her friends family since easter, i dont know them", False),
    ("my son owes them money and they just rang him, hes crying", True),
    ("he only really grabs my neck when hes stressed with work, the kids are usually asleep", False),
    ("me and my partner use most days, gear mostly, sometimes we both nod off and miss her feeds", False),
])
def test_disclosures_beside_an_enquiry_and_new_wordings_reach_level_4(text, danger):
    result = default_recognizer().assess(text)
    assert result.level == 4 and bool(result.danger) == danger, result.as_dict()


def test_thinking_it_would_be_easier_not_to_be_here_is_suicidal_ideation():
    result = default_recognizer().assess("ive been thinking it would be easier if i just wasnt here")
    assert result.level and result.level >= 3 and "suicide" in result.flags


# Words that sit one letter from a concern, or a concern word in another sense, are not that concern: "hands" is
# not "handsy", a landlord who will "send someone" is no plea, missing school is not a missing child, and a family
# that came as refugees together is not an unaccompanied child.
@pytest.mark.parametrize("text", [
    "my 2 year old flaps his hands when hes excited and lines up his toys, could it be autism",
    "she washes her hands over and over until theyre sore, could it be ocd",
    "the landlord says he will send someone round to look at the damp",
    "my 10 year old is missing school a lot because of her asthma",
    "my son is missing his speech therapy because the letters never come",
    "we came to the uk as refugees last year and have no family here, is there a group for mums",
    # A child who found porn, a parent years clean, a teenager's bottle in a school bag, a school's safety plan.
    "my 12 yr old found porn on his tablet, how do i talk to him about it",
    "been clean off heroin 3 years, on a low methadone script, my daughter is 5 and thriving",
    "our 15yo was caught at school with a bottle of vodka in his bag, first time",
    "shes cutting and says she thinks about dying sometimes, school have done a safety plan",
    "im a teacher can i get fgm leaflets for a pshe lesson",
])
def test_another_sense_of_a_concern_word_stays_below_level_4(text):
    result = default_recognizer().assess(text)
    assert (result.level or 1) < 4 and not result.danger, [c.id for c in result.concerns]


# ...and what those words were wrongly standing in for now has a rule of its own.
@pytest.mark.parametrize("text, descriptor", [
    ("he had his hands round my neck last night, hes gone out now", "l4-parent-domestic-abuse-significant-harm"),
    ("my stepdad held my hand on the hob because i was late home", "l4-parent-non-accidental-injury"),
    ("hes 14 and owes some lads money for weed and they keep ringing him", "l4-child-offending-significant-harm"),
    ("my daughter keeps going off to birmingham for days and wont say where", "l4-child-frequently-missing"),
    ("her stepdad has been showing her porn on his phone", "l4-family-sexual-abuse"),
    ("my sister is psychotic and wont let her kids out of the flat, says people are watching them", "l4-family-emotional-abuse"),
    ("my husband has paranoid schizophrenia and keeps the kids off school, he thinks the teachers are spying", "l4-family-emotional-abuse"),
    ("my uncle gets handsy with my little sister shes 9", "l4-family-sexual-abuse"),
])
def test_the_grave_senses_have_their_own_rules(text, descriptor):
    result = default_recognizer().assess(text)
    assert descriptor in [c.id for c in result.concerns], result.as_dict()


def test_strangling_is_read_as_domestic_abuse_not_sexual_abuse():
    ids = [c.id for c in default_recognizer().assess("he put his hands round my throat in front of the kids").concerns]
    assert "l4-parent-domestic-abuse-significant-harm" in ids and "l4-family-sexual-abuse" not in ids


@pytest.mark.parametrize("text, fgm", [
    ("where can i get my baby boy circumcised", False),
    ("my husbands family want our daughter circumcised when we visit", True),
    ("his mum says our little one needs circumcising before she starts school", True),
    ("my aunt says the girls will have gudniin done in the summer", True),
    # FGM by the signs the government's guidance lists, without its name; and the other things a girl has "done" or "cut".
    ("since she got back from her nans in sudan my 8 year old walks stiffly and cries when she wees", True),
    ("my 6 yr old niece is going to grandmas in the summer to become a woman like her sisters", True),
    ("mother in law says our girl must be done like the other girls before she starts school", True),
    ("my son came back from the trip abroad and it hurts when he pees", False),
    ("my daughter is getting her ears done by her aunty before the holiday", False),
    ("my 14 yr old has started cutting and my mum keeps saying its a phase", False),
    ("my 11 year old is becoming a woman, her periods have started, any puberty groups", False),
    # A girl "cut" by her family abroad, beside a question about her jabs; and a girl cutting herself since a holiday.
    ("wat jabs does my girl need for sudan nan wants her cut there", True),
    ("my mother in law keeps talking about cutting my daughter when we go to somalia", True),
    ("my daughter has been cutting again since we came back from holiday", False),
    ("we are having a khitan party for our son next week, can we book the hub hall", False),
    ("my mum wants me to wear hijab now im 12 and keeps saying im becoming a woman, we argue about it every day", False),
])
def test_fgm_is_a_girls_circumcision_or_its_signs_not_a_boys_or_her_ears(text, fgm):
    ids = [c.id for c in default_recognizer().assess(text).concerns]
    assert ("l4-family-fgm" in ids) == fgm, ids


@pytest.mark.parametrize("text", [
    "theres a woman coming to the house tonight to cut my 7 year old niece, the family say its tradition",
    "Im 13 and my mum says tonight the lady is coming to make me a woman. please what do i do",
    "they are taking my little sister to sudan for tahur, boarding in 2 hours",
    "is the hub open tmrw? my husbands mother has booked a woman to come at 6am to do my daughters khitan",
])
def test_a_girl_to_be_cut_within_hours_is_danger(text):
    result = default_recognizer().assess(text)
    assert "danger-fgm-imminent" in result.danger, result.as_dict()


# What the labelled cases put below level 4 though a rule read level 4 (on data/triage/: an eating disorder named
# 18 times, 14 of them level 3; a teenager's daily weed 17 times, 16 of them level 3), and what is level 4 still.
# None: below level 4, where the rules' level is not the point (the statistical safety net may raise it).
@pytest.mark.parametrize("text, level", [
    ("my 15 year old has an eating disorder and we are on the camhs waiting list", None),
    ("my 13 yr old has anorexia and has fainted twice this week", 4),
    ("ive got bulimia and im struggling to cook for my two", 3),
    ("my husband has psychosis and is in hospital, the kids miss him", 3),
    ("my 16 year old has psychosis and thinks the tv talks to him", 4),
    ("my wife hears voices telling her the baby is bad", 4),
    ("my 15 yr old smokes weed every day and wont go to college", 3),
    ("my 4 yr old wandered out the front door and a neighbour brought him back", None),
    ("police brought her back from birmingham at 4am, third time this month, shes 14", 4),
    ("my 14 yr old keeps running off overnight", 4),
    ("my 6 year old keeps running out of school and climbing the fence", 3),
    ("i smacked my daughter on the hand when she touched the iron, what else can i do", None),
    ("my son is 5 and keeps hitting his little sister, any advice", None),
    ("i can hear next door hitting her little boy through the wall", 4),
    ("the health visitor says my baby dropped a centile, we are weighing weekly", None),
    ("my baby keeps dropping centiles and my partner forgets to feed her", 4),
    ("my 14 yr old sent a nude to a lad in her year and its gone round the school", 3),
    ("a grown man has been asking my 13 year old for nudes", 4),
    ("the kids dad hit me last year but hes gone now, my son has nightmares", 3),
    ("i have epilepsy and had two seizures last month, my son is worried", None),
])
def test_levels_the_labelled_cases_set(text, level):
    result = default_recognizer().assess(text)
    assert ((result.level or 1) < 4 if level is None else result.level == level) and not result.danger, result.as_dict()


def test_a_seizure_happening_now_is_danger():
    assert "danger-medical-emergency" in default_recognizer().assess("my son is having a seizure and wont stop shaking").danger
