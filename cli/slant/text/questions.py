"""What a question asks for: its kind (who, where, when, how many, why, which …) and its focus
(the content words it is about), and whether a sentence holds an answer of that kind.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from typing import NamedTuple

from slant.text.names import NAME_WORD
from slant.text.numbers import SPELLED_NUMBERS
from slant.text.sentences import is_abbreviation
from slant.text.tokens import is_stopword, stem, tokens, us_spelling
from slant.text.wordlists import TEXT_WORDLISTS, rows, words

_KINDS = (
    # "how many …", and "what did … cost", "what was the price of …": a sum of money
    ("amount", re.compile(r"^\s*(how\s+(many|much|long|old|often|far)\b|what\b.*\b(cost|price)s?\b)", re.I)),
    ("when", re.compile(r"^\s*(when|(in|on)?\s*(what|which)\s+(years?|days?|dates?|months?|time))\b", re.I)),
    # "where", or "in which city", "at what hotel": a place ("in which case" is not one)
    (
        "where",
        re.compile(
            r"^\s*(where|(in|at)\s+(which|what)\s+(?!(?:case|way|order|sense|capacity)\b)[\w-]+"
            r"|(which|what)\s+([\w-]+\s+)?(city|town|village|county|country|hometown)\b)",
            re.I,
        ),
    ),
    ("who", re.compile(r"^\s*(who|whom|whose|what\s+(is|was|were|are)\s+(the\s+)?names?\s+of)\b", re.I)),
    ("why", re.compile(r"^\s*(why|for\s+what\s+reason)\b", re.I)),
    (
        "which",
        re.compile(r"^\s*(which\b|what\s+(?:[\w-]+\s+){0,2}(organi[sz]ation|company|group|party|agency|team))", re.I),
    ),
)
_QUESTION_WORDS = frozenset(
    [
        "who",
        "whom",
        "whose",
        "what",
        "which",
        "when",
        "where",
        "why",
        "how",
        "many",
        "much",
        "long",
        "old",
        "often",
        "far",
        "did",
        "does",
        "do",
        "is",
        "was",
        "were",
        "are",
        "the",
        "a",
        "an",
        "in",
        "on",
        "of",
        "to",
        "for",
        "and",
        "city",
        "country",
        "state",
        "year",
        "day",
        "date",
        "reason",
        "according",
    ]
)
_NUMBER_WORDS = "|".join(SPELLED_NUMBERS)  # "one" … "twenty"
_AMOUNT = re.compile(
    rf"\d|\b({_NUMBER_WORDS}|thirty|forty|fifty|hundred|dozens?|hundreds?|thousands?|millions?|billions?|half)\b",
    re.I,
)
_MONTH_NAMES = "january|february|march|april|may|june|july|august|september|october|november|december"
_DAY_NAMES = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow"
CALENDAR_WORDS = frozenset(f"{_MONTH_NAMES}|{_DAY_NAMES}".split("|"))  # a date's words, never an agent's name
_TIME = re.compile(rf"\b(1[89]\d\d|20\d\d|{_MONTH_NAMES}|{_DAY_NAMES}|morning|evening|night|week|month|year)\b", re.I)
# "how many" and the words after it, up to an auxiliary: "how many import permits had …"
_AMOUNT_OF = re.compile(
    r"\bhow\s+(many|much|long|old|often|far)\b"
    r"((?:\s+(?!(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could|should)\b)[\w.’'-]+){0,4})",
    re.I,
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_MONEY_WORDS = frozenset(
    ["money", "revenue", "damages", "cost", "costs", "funding", "profit", "did", "does", "do", "is", "was", "will"]
)
_MONEY = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s*(?:dollars|euros|pounds|million|billion|trillion)\b(?!-)", re.I)
_AGE = re.compile(r"\b\d{1,3}(?:-year-old|\s+years?\s+old)\b|\baged?\s+\d{1,3}\b|,\s\d{1,3},", re.I)
_COUNT = rf"(?:\d[\d,.]*|{_NUMBER_WORDS}|dozens?|hundreds?|thousands?|millions?)"
# A rate the question asks for ("how much per mile", "cost each year"): the answer gives it too.
_RATE = re.compile(r"\b(?:per|each|every)\s+([a-z]+)\b", re.I)
_AT_RATE = r"(?:\b(?:per|a|an|each|every)\s+(?:[\w-]+\s+)?|/){unit}"  # "$3 million per (paved) mile", "a year"
_DURATION = re.compile(
    rf"\b{_COUNT}[\s-]+(?:years?|months?|weeks?|days?|hours?|minutes?)\b|\b(?:year|month|week|day|hour|minute)-long\b",
    re.I,
)
_TALLY = re.compile(r"\b\d{1,3}\s*(?:-|–|to)\s*\d{1,3}\b")  # a vote: "396-9", "212 to 40"
_DAY = re.compile(rf"\b({_DAY_NAMES})\b|\b({_MONTH_NAMES})\s+\d{{1,2}}\b", re.I)
_MONTHS = rf"(?:{_MONTH_NAMES}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?(?![a-z])"
_DATE = re.compile(rf"\b{_MONTHS}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTHS}(?=\s|$)|\b\d{{1,2}}/\d{{1,2}}\b", re.I)
_REASON = re.compile(
    r"\b(because|due to|since|after|given that|in response to|as a result|in order to|so that|to protest|citing|amid|"
    r"following|over concerns?|to (?:avoid|prevent|ensure|protect)|over (?:the|its|his|her|their)|"
    r"for (?:violating|failing|allegedly))\b",
    re.I,
)
# "in Kestrel Bay", "at the Rose Garden", "in the state capital of Little Rock"
_PLACE = re.compile(rf"\b(?:in|at|from|near|outside|across)\s+(?:the\s+)?(?:(?:[a-z’'-]+\s+){{1,3}}of\s+)?{NAME_WORD}")
_CAPITALISED = re.compile(rf"(?<![.!?]\s)(?<!^)\b{NAME_WORD}")  # not a sentence's first word


FOCUS_SHARE = 0.5
FOCUS_WORDS = 3
SLOT_WORDS = 4
# The question word that asks; ", who …" after a name only describes it ("Terry Lund, who chairs …,
# leads which union?").
_QUESTION_START = re.compile(
    r"(?<!, )\b(?:who|whom|whose)\b|\b(?:which|what|when|where|why|how|in\s+which|on\s+what|in\s+what|at\s+which)\b",
    re.I,
)
# A phrase set off by commas that describes a name ("Joe Lund, the harbour master who …, said what?"):
# context, not what is asked.
_APPOSITIVE = re.compile(r",\s+(?:the|a|an|who|whom|whose)\b[^,?]*(?:,|(?=\?))")
_WH = re.compile(r"\b(?:who|whom|whose|which|what|when|where|why|how\s+(?:many|much|long|old|often|far))\b", re.I)
_AUXILIARY = re.compile(r"(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could|should|might|may)", re.I)
# Never in an answer slot: question words, and words naming only the kind of answer or light verbs.
_NOT_SLOT = _QUESTION_WORDS | words(TEXT_WORDLISTS / "answer_kind_words.txt")


# The named-entity labels (spaCy's, read once per article by slant.reading) that an answer of each
# kind holds; ages and durations ("17-year-old", "three weeks") are DATEs.
ANSWER_ENTITIES = {
    "who": frozenset(["PERSON", "ORG", "NORP"]),
    "where": frozenset(["GPE", "LOC", "FAC"]),
    "when": frozenset(["DATE", "TIME"]),
    "amount": frozenset(["CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"]),
}


# "which"/"what" and the words of its phrase, up to an auxiliary: "which Apple executive called …"
_WHICH_PHRASE = re.compile(
    r"\b(?:which|what)\b((?:\s+(?!(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could)\b)"
    r"[\w’'-]+){1,4})",
    re.I,
)
_NOUN_ENTITIES = {row[0]: row[1] for row in rows(TEXT_WORDLISTS / "answer_entity_nouns.txt")}
_ENTITY_LABELS = {"PERSON": frozenset(["PERSON"]), "ORG": frozenset(["ORG", "NORP"])}


class Question(NamedTuple):
    """A question's kind, the content words it is about, the words of its answer slot, and the
    named-entity labels an answer holds (empty: any sentence of the kind will do).
    """

    kind: str  # amount | when | where | who | why | which | other
    focus: list[str]
    slot: tuple[str, ...] = ()  # what the answer is ("which union treasurer", "how many fans"), lower case
    entities: frozenset[str] = frozenset()
    qualifier: tuple[str, ...] = ()  # names before the noun of "which …": "Apple" in "which Apple executive"


@functools.lru_cache(maxsize=256)
def analyse(question: str) -> Question:
    """The kind of answer a question asks for, its focus words and its answer slot (read once per
    question: every step of an answer asks this).
    """
    # The first question word decides ("According to his attorney, which official …" asks which).
    at = _QUESTION_START.search(question)
    asked = question[at.start() :] if at else question
    kind = next((name for name, pattern in _KINDS if pattern.search(asked)), "other")
    focus = [t for t in tokens(question) if t not in _QUESTION_WORDS and len(t) > 2]
    entities = _answer_entities(kind, asked)
    return Question(kind, focus, tuple(answer_slot(question)), entities, _qualifier(kind, asked))


def _qualifier(kind: str, asked: str) -> tuple[str, ...]:
    """The names that open the phrase of "which …" before its noun ("Apple" in "Which Apple
    executive called …"): whom the answer belongs to.
    """
    phrase = _WHICH_PHRASE.search(asked) if kind == "which" else None
    words = phrase.group(1).split() if phrase else []
    names = list(itertools.takewhile(lambda word: word[:1].isupper(), words))
    return tuple(names) if len(names) < len(words) else ()


def _answer_entities(kind: str, asked: str) -> frozenset[str]:
    """The entity labels an answer holds: by the kind of question, and for "which …" by the noun
    of its phrase (the last one the word list knows: "which rights group's president" asks for a
    person, "which union" for an organisation).
    """
    if kind != "which":
        return ANSWER_ENTITIES.get(kind, frozenset())
    phrase = _WHICH_PHRASE.search(asked)
    nouns = [_NOUN_ENTITIES[word] for word in tokens(phrase.group(1) if phrase else "") if word in _NOUN_ENTITIES]
    return _ENTITY_LABELS[nouns[-1]] if nouns else frozenset()


def answer_slot(question: str) -> list[str]:
    """The common words that say what the answer is: the question phrase after its question word
    ("which harbour union official signed the letter …" -> harbour, union, signed, letter),
    or, when that phrase names only the kind of answer ("on what date does the closure …
    take effect"), the words after the verb. Names are context, not the slot, and are left out,
    as is a phrase between commas that describes a name.
    """
    question = _APPOSITIVE.sub(" ", question)
    found = _WH.search(question)
    if found is None:
        return []
    slot: list[str] = []
    for word in re.findall(r"[\w’'-]+", question[found.end() :]):
        word = word.strip("’'")  # a quoted title's words: "'Queen of Rage'"
        if not word:
            continue
        if _AUXILIARY.fullmatch(word):
            if slot:
                break
            continue
        if word[0].isupper() or len(word) < 3 or is_stopword(word) or word.lower() in _NOT_SLOT:
            continue
        slot.append(word.lower())
        if len(slot) == SLOT_WORDS:
            break
    return slot


def slot_missing(question: Question, text: str) -> list[str]:
    """The words of the answer slot that `text` does not hold (a word counts inside a longer one:
    "town" in "hometown").
    """
    present = [stem(t) for t in tokens(text)]
    return [word for word in question.slot if not any(stem(word) in p for p in present)]


def holds_kind(question: Question, sentence: str, asked: str) -> bool:
    """Whether `sentence` holds an answer of the kind asked: a number for "how many", a date for
    "when", a place for "where", a reason for "why", and for "who"/"which" a name the question
    does not already give.
    """
    if question.kind == "amount":
        return _holds_amount(asked, sentence)
    if question.kind == "when":
        if re.search(r"\byear\b", asked, re.I):  # "in what year": a year the question does not give
            return any(year not in asked for year in _YEAR.findall(sentence))
        if re.search(r"\bdate\b", asked, re.I):  # a calendar date: "March 3", not "on Tuesday"
            return bool(_DATE.search(sentence))
        return bool((_DAY if re.search(r"\bday\b", asked, re.I) else _TIME).search(sentence))
    if question.kind == "why":
        return bool(_REASON.search(sentence))
    if question.kind == "where":
        return any(m.group().split()[-1] not in asked for m in _PLACE.finditer(sentence))
    if question.kind in ("who", "which"):  # a name: not a month or a day, not one the question gives
        return any(
            name not in asked and not _TIME.fullmatch(name) and not is_abbreviation(name)  # "Mr." is no name
            for name in _CAPITALISED.findall(sentence)
        )
    return True


def enough_focus(question: Question, sentence: str) -> bool:
    """Whether a sentence is about what the question asks: half its focus words, or three of a
    long question's (a question may give much context the answer sentence need not repeat).
    """
    needed = min(FOCUS_WORDS, math.ceil(FOCUS_SHARE * len(question.focus)))
    return round(focus_overlap(question, sentence) * len(question.focus)) >= needed


def _holds_amount(asked: str, sentence: str) -> bool:
    """An amount of what is asked, at the rate asked ("per mile"): money for "how much money", an
    age for "how old", a duration for "how long", a number next to the thing counted for "how many
    miles" ("55 miles"; the thing counted is the first plural after "how many", so "how many import
    permits" counts permits).
    """
    rate = _RATE.search(asked)
    if rate and not re.search(_AT_RATE.format(unit=re.escape(stem(rate.group(1)))), sentence, re.I):
        return False  # "$1.4 million for 55 miles" does not say how much per mile
    what = _AMOUNT_OF.search(asked)
    if what is None:  # "what would the new ferry cost?"
        return bool(_MONEY.search(sentence))
    measure, phrase = what.group(1).lower(), what.group(2).lower().split()
    if measure == "old":
        return bool(_AGE.search(sentence))
    if measure == "long":  # "for three weeks", "an hour-long speech"
        return bool(_DURATION.search(sentence))
    if not _AMOUNT.search(_YEAR.sub("", sentence)):  # "a 2016 candidate" counts nothing
        return False
    noun = phrase[0] if phrase else ""
    if measure == "many":  # the thing counted: the first plural ("how many import permits had")
        noun = _counted(phrase) or noun
    if measure == "much" and (not noun or any(word in _MONEY_WORDS for word in phrase)):  # "border security money"
        return bool(_MONEY.search(sentence))
    if measure == "many" and re.search(r"\bvot(?:e|ed|es|ing)\b", asked, re.I) and _TALLY.search(sentence):
        return True  # "how many members voted against" -> "voted 396-9"
    if measure == "many" and noun and noun not in ("of", "people"):
        counted = re.escape(stem(noun))  # "55 miles of barrier", "members voted 212 to 40", "shared 900 times"
        near = rf"\b{_COUNT}[\s-]+(?:\w+[\s-]+){{0,3}}{counted}|\b{counted}\w*\s+(?:[\w-]+\s+){{0,2}}{_COUNT}\b"
        return bool(re.search(near, us_spelling(sentence), re.I))
    return True


def _counted(phrase: list[str]) -> str | None:
    """The first plural of a "how many" phrase, before a verb or a possessive ends the noun
    ("how many import permits had" -> permits; "how many people attended the men's" -> none).
    """
    for word in phrase:
        if word.endswith(("ed", "'s", "’s")):
            return None
        if word.endswith("s") and not word.endswith("ss"):
            return word
    return None


def focus_overlap(question: Question, sentence: str) -> float:
    """Share of the question's focus words the sentence contains (stems of six letters)."""
    if not question.focus:
        return 1.0
    present = {stem(t) for t in tokens(sentence)}
    return sum(1 for f in question.focus if stem(f) in present) / len(question.focus)
