"""Normalising what parents type (SMS spelling, slang, no punctuation) into matchable tokens."""
from __future__ import annotations

import re
import unicodedata

# Text-speak and common misspellings -> the word the lexicon uses. Keys are whole tokens.
SMS_WORDS = {
    "u": "you", "ur": "your", "urs": "yours", "r": "are", "y": "why", "n": "and", "wiv": "with", "wid": "with",
    "bf": "boyfriend", "gf": "girlfriend", "hubby": "husband", "ex": "ex", "fella": "boyfriend",
    "mam": "mum", "mom": "mum", "mommy": "mum", "mummy": "mum", "ma": "mum", "dad": "dad", "daddy": "dad",
    "lil": "little", "bby": "baby", "babi": "baby", "kidz": "kids", "childs": "childs",
    "dont": "dont", "dnt": "dont", "didnt": "didnt", "dint": "didnt", "cant": "cant", "cnt": "cant", "wont": "wont",
    "isnt": "isnt", "aint": "isnt", "wasnt": "wasnt", "hasnt": "hasnt", "havent": "havent", "doesnt": "doesnt",
    "im": "im", "ive": "ive", "hes": "hes", "shes": "shes", "theyre": "theyre", "thats": "thats",
    "coz": "because", "cuz": "because", "cos": "because", "bc": "because", "b4": "before", "2day": "today",
    "2nite": "tonight", "2night": "tonight", "tonite": "tonight", "2moro": "tomorrow", "tmrw": "tomorrow",
    "rn": "now", "atm": "now", "pls": "please", "plz": "please", "sum": "some", "sumthing": "something",
    "sumone": "someone", "some1": "someone", "any1": "anyone", "no1": "noone", "ppl": "people", "gonna": "going to",
    "wanna": "want to", "gotta": "got to", "kno": "know", "dunno": "dont know", "wat": "what", "wot": "what",
    "skool": "school", "yr": "year", "yrs": "years", "yo": "year old", "y/o": "year old", "mnths": "months",
    "hosp": "hospital", "drunk": "drunk", "pissed": "drunk", "wasted": "drunk", "stoned": "high",
    "bruised": "bruised", "neighbor": "neighbour", "neighbors": "neighbours",
    # more text-speak and misspellings seen in parents' messages
    "cannot": "cant", "idk": "dont know", "dosnt": "doesnt", "dosent": "doesnt", "doesent": "doesnt", "doesn": "doesnt",
    "didn": "didnt", "havnt": "havent", "hasent": "hasnt", "isent": "isnt", "wasent": "wasnt", "wouldent": "wouldnt",
    "nite": "night", "2moz": "tomorrow", "tmoz": "tomorrow", "2mrw": "tomorrow", "wen": "when", "nd": "and",
    "fone": "phone", "thru": "through", "bcoz": "because", "hubbys": "husbands", "bfs": "boyfriends", "mams": "mums",
    "nife": "knife", "knif": "knife", "kil": "kill", "killd": "killed", "alkie": "alcoholic", "alky": "alcoholic",
    "smackhead": "on the gear", "smackheads": "on the gear", "paracetemol": "paracetamol", "parecetamol": "paracetamol",
    "selfharm": "self harm", "selfharms": "self harms", "selfharming": "self harming", "skint": "skint",
    # Ages written as one token: 13yo, 4yr, 15yrs -> "13 year old", "4 year", "15 years".
    **{f"{n}yo": f"{n} year old" for n in range(1, 20)},
    **{f"{n}yr": f"{n} year" for n in range(1, 20)},
    **{f"{n}yrs": f"{n} years" for n in range(1, 20)},
    **{f"{n}yos": f"{n} year olds" for n in range(1, 20)},
    # Word families folded to the one word the lexicon uses (data/content/rhrt.yml is written in these words):
    # every way of hitting -> "hit" ("he punched me", "he battered me" -> "he hit me"), and "hitting" for the -ing
    # forms, which say it may be happening now ("he's punching me" -> "hes hitting me"). Target words are
    # chosen with no common word one letter away (the matcher forgives one typo in words of 6+ letters).
    **dict.fromkeys(["hits", "hitted", "punch", "punched", "punches", "punchd", "slap", "slapped", "slaps", "slapt", "smack",
                     "smacked", "smacks", "beat", "beats", "beaten", "batter", "battered", "batters", "leather", "leathered",
                     "leathers", "thump", "thumped", "thumps", "whack", "whacked", "whacks", "belted", "lamped", "clouted",
                     "twatted", "decked", "walloped", "bashed", "bashes"], "hit"),
    **dict.fromkeys(["hittin", "beatin"], "hitting"),
    **dict.fromkeys(["punching", "slapping", "smacking", "beating", "battering", "leathering", "thumping", "whacking", "bashing",
                     "throwing"], "hitting"),
    **dict.fromkeys(["strangle", "strangles", "strangeled", "strangld", "throttle", "throttled", "throttles"], "strangled"),
    **dict.fromkeys(["throttling"], "strangling"),
    **dict.fromkeys(["choked", "chokes", "chocking", "choaked"], "choke"),
    **dict.fromkeys(["throws", "throw"], "threw"),
    **dict.fromkeys(["pushed", "pushes", "pushing", "shove", "shoved", "shoves", "shoving"], "push"),
    **dict.fromkeys(["grabbed", "grabs", "grabbing", "grip", "grips", "gripped", "gripping", "squeeze", "squeezed", "squeezes",
                     "squeezing"], "grab"),
    **dict.fromkeys(["dragged", "drags", "dragging"], "drag"),
    **dict.fromkeys(["attacked", "attacks", "attacking"], "attack"),
    **dict.fromkeys(["assaulted", "assaults", "assaulting"], "assault"),
    **dict.fromkeys(["stabbed", "stabs", "stabbing", "knifed"], "stab"),
    **dict.fromkeys(["raped", "rapes", "raping"], "rape"),
    **dict.fromkeys(["threatened", "threatens", "threatening", "threatend", "thretened", "threats", "threat"], "threaten"),
    **dict.fromkeys(["touched", "touches", "touching", "touchin"], "touch"),
    **dict.fromkeys(["bruises", "bruising", "bruse", "bruses", "brusies", "bruize", "bruizes", "bruized", "brused"], "bruise"),
    **dict.fromkeys(["burns", "burnt", "burned"], "burn"),
    **dict.fromkeys(["fractured", "fractures"], "fracture"),
    **dict.fromkeys(["swallowed", "swallows", "swallowing"], "swallow"),
    **dict.fromkeys(["overdosed", "overdoses", "overdosing", "od", "ods", "oded"], "overdose"),
    **dict.fromkeys(["pill"], "pills"), **dict.fromkeys(["tablet", "tabs"], "tablets"),
    **dict.fromkeys(["took"], "taken"),
    **dict.fromkeys(["groomed", "grooming", "grooms"], "groom"),
    **dict.fromkeys(["debts"], "debt"),
    **dict.fromkeys(["starving", "starved", "starve", "starvin"], "hungry"),
    **dict.fromkeys(["smell", "smells", "smelling", "stink", "stinks", "stinky", "stinking", "reeks", "reek"], "smelly"),
    **dict.fromkeys(["chucked"], "thrown"),
    **dict.fromkeys(["medication", "medications"], "meds"),
    # Everyday words one letter away from a concern word (the matcher forgives one typo in words of 6+ letters),
    # respelt so that "i feel hopeless" is not read as "homeless" nor "our policy" as "police".
    "shotting": "selling drugs", "shottin": "selling drugs", "olders": "older lads",
    "hopeless": "hope less", "policy": "policies", "polite": "well mannered", "overdone": "over done",
    **dict.fromkeys(["kid", "kiddie", "kiddies", "kiddo", "kiddos", "child", "children", "childrens", "childern", "chidren"], "kids"),
    **dict.fromkeys(["babies", "babys", "newborn", "newborns", "infant", "infants"], "baby"),
    **dict.fromkeys(["sons"], "son"), **dict.fromkeys(["daughters"], "daughter"), **dict.fromkeys(["boys"], "boy"),
    **dict.fromkeys(["girls"], "girl"), **dict.fromkeys(["toddlers"], "toddler"),
    **dict.fromkeys(["teens", "teenager", "teenagers", "teenage", "teenaged"], "teen"),
    **dict.fromkeys(["grandson", "grandsons", "granddaughter", "granddaughters", "grandchildren", "grandkids", "grandkid"], "grandchild"),
}
_APOSTROPHES = re.compile(r"[\u2019\u2018'`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"([a-z])\1{2,}")
_CLAUSE_BREAK = re.compile(r"[.!?;\n]+|\bbut\b|\bhowever\b|\balthough\b|\bthough\b")


def fold(text: str) -> str:
    """Lower-case ASCII, apostrophes dropped (don't -> dont), letters repeated 3+ times cut to 2."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _REPEATS.sub(r"\1\1", _APOSTROPHES.sub("", ascii_text))


def tokens(text: str) -> list[str]:
    words: list[str] = []
    for raw in _NON_WORD.sub(" ", text).split():
        words.extend(SMS_WORDS.get(raw, raw).split())
    return words


def clause_tokens(text: str) -> list[tuple[str, int]]:
    """Every token with the number of its clause. Sentence ends and "but"/"although" end a clause,
    and so the scope of a negation ("he didnt mean to but she has bruises")."""
    return [(word, index) for index, part in enumerate(_CLAUSE_BREAK.split(fold(text))) for word in tokens(part)]
