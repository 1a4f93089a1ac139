"""The one tokenizer for keyword matching: lower-cased content words."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[\w’']+")
_POSSESSIVE = re.compile(r"'s?$")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "did",
        "do",
        "does",
        "has",
        "have",
        "had",
        "than",
        "then",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "i",
        "you",
        "we",
        "our",
        "your",
    ]
)


def tokens(text: str) -> list[str]:
    """Lower-cased content words, possessive 's dropped ("Council's" is "council"); negations kept."""
    words = (_POSSESSIVE.sub("", t) for t in _TOKEN.findall(text.lower().replace("’", "'")))
    return [t for t in words if t and t not in _STOPWORDS]


def is_stopword(word: str) -> bool:
    """Whether a word carries no content of its own ("the", "of", "she")."""
    return word.lower().replace("’", "'") in _STOPWORDS


_BRITISH = re.compile(r"\b(\w{3,}?)(?:is(e|es|ed|ing|ation|ations)|our(s?))\b")


def us_spelling(text: str) -> str:
    """British spellings in American form, so either matches the other: "organisations" ->
    "organizations", "labour" -> "labor" (a rough rule, applied alike to both sides of a match).
    """
    return _BRITISH.sub(_american, text)


def _american(match: re.Match[str]) -> str:
    stem, ise, our = match.groups()
    return f"{stem}iz{ise}" if ise is not None else f"{stem}or{our}"


def stem(word: str) -> str:
    """A crude stem for matching word forms: "orders", "ordered", "ordering" -> "order";
    "organisation" and "organization" alike.
    """
    word = us_spelling(word.lower())
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)][:7]
    return word[:7]
