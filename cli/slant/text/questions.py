"""What a question asks for: its kind (who, where, when, how many, why, which …) and its focus
(the content words it is about), and whether a sentence holds an answer of that kind.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from slant.text.tokens import tokens

_KINDS = (
    ("amount", re.compile(r"^\s*how\s+(many|much|long|old|often|far)\b", re.I)),
    ("when", re.compile(r"^\s*(when|(in|on)?\s*what\s+(year|day|date|month|time))\b", re.I)),
    ("where", re.compile(r"^\s*(where|in\s+which\s+(city|country|state|town|place))\b", re.I)),
    ("who", re.compile(r"^\s*(who|whom|whose)\b", re.I)),
    ("why", re.compile(r"^\s*(why|for\s+what\s+reason)\b", re.I)),
    ("which", re.compile(r"^\s*(which|what)\s+(organi[sz]ation|company|group|party|agency|newspaper|team)\b", re.I)),
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
    ]
)
_AMOUNT = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|dozens?|hundreds?|thousands?|millions?|billions?|half|several)\b",
    re.I,
)
_TIME = re.compile(
    r"\b(1[89]\d\d|20\d\d|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|"
    r"morning|evening|night|week|month|year)\b",
    re.I,
)
_REASON = re.compile(
    r"\b(because|due to|since|after|in response to|as a result|in order to|so that|to protest|citing|amid|"
    r"following|over concerns?|over (?:the|its|his|her|their)|for (?:violating|failing|allegedly))\b",
    re.I,
)
_PLACE = re.compile(r"\b(?:in|at|from|near|outside|across)\s+(?:the\s+)?[A-Z][\w’'-]+")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w’'-]+")


class Question(NamedTuple):
    """A question's kind and the content words it is about."""

    kind: str  # amount | when | where | who | why | which | other
    focus: list[str]


def analyse(question: str) -> Question:
    """The kind of answer a question asks for and its focus words."""
    kind = next((name for name, pattern in _KINDS if pattern.search(question)), "other")
    focus = [t for t in tokens(question) if t not in _QUESTION_WORDS and len(t) > 2]
    return Question(kind, focus)


def holds_kind(question: Question, sentence: str, asked: str) -> bool:
    """Whether `sentence` holds an answer of the kind asked: a number for "how many", a date for
    "when", a place for "where", a reason for "why", and for "who"/"which" a name the question
    does not already give.
    """
    if question.kind == "amount":
        return bool(_AMOUNT.search(sentence))
    if question.kind == "when":
        return bool(_TIME.search(sentence))
    if question.kind == "why":
        return bool(_REASON.search(sentence))
    if question.kind == "where":
        return any(m.group().split()[-1] not in asked for m in _PLACE.finditer(sentence))
    if question.kind in ("who", "which"):  # a name: not a month or a day, not one the question gives
        return any(name not in asked and not _TIME.fullmatch(name) for name in _CAPITALISED.findall(sentence))
    return True


def focus_overlap(question: Question, sentence: str) -> float:
    """Share of the question's focus words the sentence contains (stems of six letters)."""
    if not question.focus:
        return 1.0
    present = {t[:6] for t in tokens(sentence)}
    return sum(1 for f in question.focus if f[:6] in present) / len(question.focus)
