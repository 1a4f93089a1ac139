"""References that point back: a sentence lifted out of an article may name a thing as already
known ("the subpoena", "the posts") that only the article's earlier sentences introduced.
"""

from __future__ import annotations

import re

from slant.text.attribution import SPEECH_VERBS
from slant.text.quotes import outside_quotes, quote_spans
from slant.text.sentences import ends_with_stop
from slant.text.tokens import is_stopword, stem
from slant.text.wordlists import TEXT_WORDLISTS, words

# "the X" and the two words after it: X is the thing referred to, unless it only describes the next word.
_DEFINITE = re.compile(r"\b[Tt]he ([a-z][a-z’'-]+)(?=(?: ([a-z][a-z’'-]+))?(?: ([a-z][a-z’'-]+))?)")
_DESCRIBING = words(TEXT_WORDLISTS / "describing_words.txt")
_DESCRIBING_ENDINGS = ("al", "ic", "ive", "ous", "ful", "less", "able", "ible", "ary", "ing", "ed", "ern")
_UNIQUE = words(TEXT_WORDLISTS / "unique_words.txt")  # "the first vote", "the latest warning": one of its kind
_OFFICE_PREFIXES = frozenset(["vice", "deputy", "assistant", "associate", "prime"])  # "the vice president"
# "the head of …", "the plan that …", "the rules on …": the words after the noun say which one.
_SAYS_WHICH = frozenset(["of", "that", "who", "which", "whose", "in", "at", "on", "for", "to", "from", "with", "by"])


def _told(text: str) -> str:
    """The text without its headings: a line with no closing stop ("Lindmark Cooperative Reports
    Larger Grain Harvest") names things in capitals without telling them.
    """
    return "\n".join(line for line in text.split("\n") if ends_with_stop(line))


def _stems(text: str) -> set[str]:
    """The stems of the text's words, capitalised ones too: "President Trump" and "the Justice
    Department" introduce "the president" and "the department".
    """
    return {stem(word.lower()) for word in re.findall(r"\b[A-Za-z]+", text)}


def unintroduced_reference(
    sentence: str, earlier_in_article: str, said_before: str, offices: frozenset[str] = frozenset()
) -> str | None:
    """The first "the X" in the sentence (outside quotes) whose X the article named before the
    sentence, while neither `said_before` (what a reader has already been told) nor the sentence
    itself names it earlier: "the subpoena" in "The department called the subpoena premature."
    when only the article's previous paragraph told of a subpoena. A person's office among
    `offices` ("the president said") needs someone given it before, wherever the article named
    them (its headline may be the only place). None when there is none.
    """
    outside = outside_quotes(sentence, quote_spans(sentence))
    named_in_article = _stems(_told(earlier_in_article))
    known = _stems(said_before)
    for match in _DEFINITE.finditer(outside):
        noun, following, third = match.groups()
        possessive = noun.endswith(("’s", "'s"))  # "the department’s Bureau of …" still needs its department
        if not possessive and re.match(r",? [A-Z]", outside[match.end(1) :]):  # "the late Jeffrey Epstein"
            continue
        after_name = re.search(r"[A-Z][\w’'-]*,\s$", outside[: match.start()])
        apposition = after_name and not {following, third} & SPEECH_VERBS  # not "…, the source said"
        if apposition:  # "Cuccinelli, the deputy secretary of …" describes the name before it
            continue
        if noun in _UNIQUE or (noun.endswith("est") and following):  # "the largest ferry": a superlative
            continue
        phrase = f"{match.group()[:3]} {noun}"
        describes = noun in _DESCRIBING or noun.endswith(_DESCRIBING_ENDINGS)
        # "the official said": a describing word the sentence's verb follows is the noun itself
        if following and following not in _SAYS_WHICH and following not in SPEECH_VERBS and describes:
            phrase = f"{phrase} {following}"
            noun, following = following, third
        if following in _SAYS_WHICH or is_stopword(noun):
            continue
        key = stem(noun)
        office = following if noun in _OFFICE_PREFIXES and following else noun  # "the former vice president’s"
        points_back = key in named_in_article or re.sub(r"[’']s$", "", office) in offices
        if points_back and key not in known and key not in _stems(outside[: match.start()]):
            return phrase
    return None
