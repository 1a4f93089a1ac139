"""Sentence-aware chunks: consecutive whole sentences up to a size, overlapping by sentences."""

from __future__ import annotations

from dataclasses import dataclass

from slant.text.sentences import sentence_spans
from slant.text.spans import Span


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: its ordinal and its character span in the cleaned text."""

    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str

    @property
    def id(self) -> str:
        """Stable id: the same document always yields the same chunk ids."""
        return f"{self.doc_id}:{self.ordinal:05d}"


def chunk_document(doc_id: str, text: str, size: int, overlap: int) -> list[Chunk]:
    """Group sentences into chunks of at most `size` characters (a longer sentence is split).

    Each chunk after the first repeats the last sentences of the previous one, up to `overlap`
    characters, so a fact that straddles a boundary is still found whole in one chunk.
    """
    units = [piece for span in sentence_spans(text) for piece in _split_long(text, span, size)]
    chunks: list[Chunk] = []
    first = 0
    while first < len(units):
        last = first
        while last + 1 < len(units) and units[last + 1].end - units[first].start <= size:
            last += 1
        start, end = units[first].start, units[last].end
        chunks.append(Chunk(doc_id, len(chunks), start, end, text[start:end]))
        if last + 1 >= len(units):
            break
        next_first = last + 1
        while next_first - 1 > first and end - units[next_first - 1].start <= overlap:
            next_first -= 1
        first = next_first
    return chunks


def _split_long(text: str, span: Span, size: int) -> list[Span]:
    """Cut a sentence longer than `size` at whitespace (or hard, if it has none)."""
    pieces: list[Span] = []
    start = span.start
    while span.end - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        cut = cut if cut > start else start + size
        pieces.append(Span(start, cut))
        start = cut + 1 if text[cut : cut + 1] == " " else cut
    pieces.append(Span(start, span.end))
    return pieces
