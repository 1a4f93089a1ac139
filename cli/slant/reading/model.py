"""A reading: what the pipeline found in one article, made once and stored with the index.

Everything downstream (voices, actors, stance, summaries, ask) asks the reading instead of
re-parsing the text. Offsets are characters into the article's stored text. Tokens are kept as
columns (one list per attribute), which keeps a stored reading small.
"""

from __future__ import annotations

from pydantic import BaseModel

from slant.reading.actors import ActorIndex
from slant.text.spans import Span

# Bump when the pipeline, the spaCy model or a component changes what a reading holds: stored
# readings of another version are made again on first use, and `slant reindex` rebuilds them all.
READING_VERSION = 8


class Tokens(BaseModel):
    """The parse, one entry per token: where it is, its lemma, part of speech, dependency and head."""

    starts: list[int] = []
    ends: list[int] = []
    lemmas: list[str] = []
    pos: list[str] = []
    deps: list[str] = []
    heads: list[int] = []  # the index of the head token (the root is its own head)


class Entity(BaseModel):
    """A named entity: its span and spaCy's label (PERSON, ORG, GPE, NORP, DATE, CARDINAL, ...)."""

    start: int
    end: int
    label: str


class Attribution(BaseModel):
    """Someone's words or views that the article reports: who (source), the reporting word (cue),
    and what (content), as in PolNeAR. `speaker` is who the source refers to: a pronoun or a
    description ("the senator") resolved to the actor it means, else the source's own words.
    """

    source: Span | None
    cue: Span
    content: Span
    speaker: str
    direct: bool  # the content is a quotation in the speaker's own words
    speech: bool = True  # reported words ("said"), not a view, wish or finding ("wants", "the poll shows")


class Reading(BaseModel):
    """One article, read once."""

    version: int = READING_VERSION
    sentences: list[Span]
    tokens: Tokens
    entities: list[Entity]
    quotes: list[Span]
    attributions: list[Attribution]
    actor_index: ActorIndex

    def entities_in(self, start: int, end: int, labels: frozenset[str] | None = None) -> list[Entity]:
        """The entities inside [start, end), of the given labels if any."""
        return [e for e in self.entities if start <= e.start and e.end <= end and (labels is None or e.label in labels)]

    def has_verb(self, start: int, end: int) -> bool:
        """Whether [start, end) holds a verb; without one it is a phrase, not a sentence ("A $1
        million check from a donor to a party.").
        """
        tokens = self.tokens
        return any(
            start <= at < end and pos in ("VERB", "AUX") for at, pos in zip(tokens.starts, tokens.pos, strict=True)
        )

    def attributes(self, start: int, end: int) -> bool:
        """Whether [start, end) credits words or a view to someone: a reporting word the reading
        read as one ("said", "according to", "the poll shows"), not a noun ("out of state").
        """
        return any(start <= a.cue.start < end for a in self.attributions)

    def sentence_at(self, position: int) -> Span:
        """The sentence holding a character position."""
        return next((s for s in self.sentences if s.start <= position < s.end), Span(position, position))
