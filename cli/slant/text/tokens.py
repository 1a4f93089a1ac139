"""The one tokenizer for keyword matching: lower-cased content words."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[\w’']+")
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
        "not",
        "no",
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
    """Lower-cased content words (for keyword matching)."""
    return [t for t in _TOKEN.findall(text.lower().replace("’", "'")) if t not in _STOPWORDS]
