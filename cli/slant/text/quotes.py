"""The one quote finder: spans of text inside quotation marks."""

from __future__ import annotations

import re

from slant.text.spans import Span

# A curly opening quote may be closed by a straight one ('“I find it disturbing," Inslee said'), as
# in text edited by several hands; without that, the quotation ran on to the next ” in the article.
# A straight quotation stays in its paragraph, except as news style runs one over paragraphs: the
# quote opened (before a word) is left unclosed at the paragraph's end and the next paragraph opens
# with a quote mark; that paragraph's part is a quotation of its own. (A curly one already runs on
# to its closing mark.)
_QUOTES = re.compile(
    r"“[^”\"]{2,}?[”\"]"
    r"|\"[^\"\n]{2,}?\""
    r"|\"(?=\S)[^\"\n]{2,}(?=\n\s*\")"
    r"|‘[^‘]{2,}?’(?![a-z])"
)


def quote_spans(text: str) -> list[Span]:
    """Spans of text inside quotation marks."""
    return [Span(m.start(), m.end()) for m in _QUOTES.finditer(text)]


def outside_quotes(sentence: str, quotes: list[Span]) -> str:
    """The sentence with its quoted passages blanked out (positions kept)."""
    characters = list(sentence)
    for span in quotes:
        characters[span.start : span.end] = " " * (span.end - span.start)
    return "".join(characters)


def in_quote(position: int, quotes: list[Span]) -> bool:
    """Whether a character position lies inside one of the quotations."""
    return any(q.start <= position < q.end for q in quotes)
