"""The writer's own wording of a sentence: its quotations replaced by a placeholder, so that a
loaded word inside a quotation stays the speaker's. The sentence reader is trained and run on the
same view of a sentence (evals/tools/train_sentence_reader.py imports this module).
"""

from __future__ import annotations

from slant.text.quotes import quote_spans
from slant.text.spans import Span

QUOTE_PLACEHOLDER = '"..."'


def writer_wording(sentence: str, quotes: list[Span] | None = None) -> str:
    """The sentence with each quotation replaced by QUOTE_PLACEHOLDER."""
    quotes = quote_spans(sentence) if quotes is None else quotes
    parts = []
    position = 0
    for span in sorted(quotes):
        if span.start < position:
            continue
        parts += [sentence[position : span.start], QUOTE_PLACEHOLDER]
        position = span.end
    parts.append(sentence[position:])
    return "".join(parts)


def writer_wording_within(text: str, start: int, end: int, quotes: list[Span]) -> str:
    """writer_wording of text[start:end], with the quotations of the whole text (`quotes`): a
    sentence inside a quotation of several sentences is masked too ("It will take years.”").
    """
    inside = [
        Span(max(q.start, start) - start, min(q.end, end) - start) for q in quotes if q.start < end and start < q.end
    ]
    return writer_wording(text[start:end], inside)
