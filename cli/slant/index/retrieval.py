"""Hybrid retrieval: dense (Chroma) and keyword (BM25, see keywords.py) rankings fused by reciprocal rank,
then balanced so that no single source fills the results.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from slant.config.errors import InputError
from slant.index.keywords import open_keyword_index
from slant.index.store import Store, published_day
from slant.text.tokens import tokens

RRF_K = 60
_EXACT_SEARCH_MAX = 300  # allowed chunks up to which the dense search is done exactly, here


class Passage(BaseModel):
    """A retrieved chunk with its scores and its place in the document."""

    chunk_id: str
    doc_id: str
    start: int
    end: int
    text: str
    source: str | None = None
    score: float
    dense: float | None = None
    keyword: float | None = None


class Filters(BaseModel):
    """Restrict retrieval to some sources, dates (YYYY-MM-DD) or documents."""

    sources: list[str] = []
    since: str | None = None
    until: str | None = None
    doc_ids: list[str] = []

    def day_range(self) -> tuple[int | None, int | None]:
        """--since and --until as YYYYMMDD numbers (None when not set)."""
        days = []
        for option, bound in (("--since", self.since), ("--until", self.until)):
            day = published_day(bound)
            if bound and day is None:
                raise InputError(f"{option} {bound!r} is not a date", "use YYYY-MM-DD")
            days.append(day)
        return days[0], days[1]


@dataclass
class _Candidate:
    """A chunk found by either ranking; text and metadata are read only for the chunks kept."""

    chunk_id: str
    group: str  # the source, or the document when the source is unknown (for balancing)
    rrf: float = 0.0
    dense: float | None = None
    keyword: float | None = None
    meta: dict[str, Any] | None = None
    text: str | None = None


def search(store: Store, embedder: Any, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
    """The k best passages for a query, fused from dense and keyword rankings, source-balanced."""
    filters = filters or Filters()
    keyword_index = open_keyword_index(store)
    allowed = keyword_index.mask(filters.sources, filters.doc_ids, *filters.day_range())
    allowed_ids = None if allowed is None else keyword_index.chunk_ids[allowed].tolist()
    if len(keyword_index) == 0 or allowed_ids == []:
        return []
    pool = min(len(keyword_index), max(4 * k, 40))
    vector = embedder.embed([query])[0]
    candidates: dict[str, _Candidate] = {}
    for rank, (chunk_id, metadata, distance) in enumerate(_dense(store, vector, pool, allowed_ids)):
        group = str(metadata.get("source") or metadata["doc_id"])
        candidates[chunk_id] = _Candidate(chunk_id, group, 1 / (RRF_K + rank + 1), 1.0 - distance, None, metadata)
    for rank, hit in enumerate(keyword_index.search(tokens(query), pool, allowed)):
        candidate = candidates.setdefault(hit.chunk_id, _Candidate(hit.chunk_id, hit.source or hit.doc_id))
        candidate.keyword = hit.score
        candidate.rrf += 1 / (RRF_K + rank + 1)
    fused = sorted(candidates.values(), key=lambda c: (-c.rrf, c.chunk_id))
    chosen = _balanced(fused, k)
    _read_chunks(store, chosen)
    return [_passage(c) for c in chosen if c.text is not None]  # None: removed since the keyword index was read


def _dense(store: Store, vector: Any, n: int, allowed_ids: list[str] | None) -> list[tuple[str, Any, float]]:
    """The n nearest chunks as (id, metadata, cosine distance), nearest first.

    Filters arrive as the list of allowed chunk ids (from the keyword index, which mirrors the
    chunks' metadata): Chroma searches an id list several times faster than a metadata filter
    at 100k chunks. A short list is compared exactly instead (Chroma is slow on tiny id lists).
    """
    if allowed_ids is not None and len(allowed_ids) <= _EXACT_SEARCH_MAX:
        found = store.chunks.get(ids=allowed_ids, include=["embeddings", "metadatas"])
        distances = 1.0 - found["embeddings"] @ vector if found["ids"] else []
        rows = [(i, m, float(d)) for i, m, d in zip(found["ids"], found["metadatas"], distances, strict=True)]
        return sorted(rows, key=lambda row: (row[2], row[0]))[:n]
    dense = store.chunks.query(
        query_embeddings=[vector], n_results=n, ids=allowed_ids, include=["metadatas", "distances"]
    )
    return list(zip(dense["ids"][0], dense["metadatas"][0], dense["distances"][0], strict=True))


def _read_chunks(store: Store, candidates: list[_Candidate]) -> None:
    """Fill in the text of the chosen candidates, and the metadata of keyword-only ones."""
    unread = [c for c in candidates if c.meta is None]
    if unread:
        found = store.chunks.get(ids=[c.chunk_id for c in unread], include=["metadatas"])
        by_id = {c.chunk_id: c for c in unread}
        for chunk_id, metadata in zip(found["ids"], found["metadatas"], strict=True):
            by_id[chunk_id].meta = metadata
    known = [(c, c.meta) for c in candidates if c.meta is not None]
    texts = store.chunk_texts([metadata for _, metadata in known])
    for (candidate, _), text in zip(known, texts, strict=True):
        candidate.text = text


def _balanced(fused: list[_Candidate], k: int) -> list[_Candidate]:
    """Take the best k, but at most half of them (at least 2) from any one source."""
    cap = max(2, math.ceil(k / 2))
    taken: list[_Candidate] = []
    held_back: list[_Candidate] = []
    per_source: Counter[str] = Counter()
    for candidate in fused:
        if per_source[candidate.group] < cap:
            per_source[candidate.group] += 1
            taken.append(candidate)
        else:
            held_back.append(candidate)
        if len(taken) == k:
            break
    return (taken + held_back)[:k]


def _passage(candidate: _Candidate) -> Passage:
    meta = candidate.meta or {}
    return Passage(
        chunk_id=candidate.chunk_id,
        doc_id=meta["doc_id"],
        start=meta["start"],
        end=meta["end"],
        text=candidate.text or "",
        source=meta.get("source"),
        score=round(candidate.rrf, 6),
        dense=None if candidate.dense is None else round(candidate.dense, 4),
        keyword=None if candidate.keyword is None else round(candidate.keyword, 4),
    )
