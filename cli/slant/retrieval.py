"""Hybrid retrieval: dense (Chroma) and keyword (BM25, see keywords.py) rankings fused by reciprocal rank,
then balanced so that no single source fills the results.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from pydantic import BaseModel

from slant.errors import InputError
from slant.keywords import open_keyword_index, tokens
from slant.store import Store, published_day

RRF_K = 60


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

    def where(self) -> dict[str, Any] | None:
        """The Chroma metadata filter for these restrictions."""
        clauses: list[dict[str, Any]] = []
        if self.sources:
            clauses.append({"source": {"$in": self.sources}})
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": self.doc_ids}})
        since, until = self.day_range()
        if since is not None:
            clauses.append({"published_day": {"$gte": since}})
        if until is not None:
            clauses.append({"published_day": {"$lte": until}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def search(store: Store, embedder: Any, query: str, k: int, filters: Filters | None = None) -> list[Passage]:
    """The k best passages for a query, fused from dense and keyword rankings, source-balanced."""
    filters = filters or Filters()
    where = filters.where()
    total = store.chunks.count()
    if total == 0:
        return []
    pool = min(total, max(4 * k, 40))
    vector = embedder.embed([query])[0]
    dense = store.chunks.query(
        query_embeddings=[vector],
        n_results=pool,
        where=where,
        include=["documents", "metadatas", "distances"],
    )
    candidates: dict[str, dict[str, Any]] = {}
    for rank, (chunk_id, text, metadata, distance) in enumerate(
        zip(
            dense["ids"][0],
            dense["documents"][0],
            dense["metadatas"][0],
            dense["distances"][0],
            strict=True,
        )
    ):
        candidates[chunk_id] = {
            "text": text,
            "meta": metadata,
            "dense": 1.0 - distance,
            "rrf": 1 / (RRF_K + rank + 1),
        }
    keyword_index = open_keyword_index(store)
    allowed = keyword_index.mask(filters.sources, filters.doc_ids, *filters.day_range())
    ranked = keyword_index.search(tokens(query), pool, allowed)
    unseen = [chunk_id for chunk_id, _ in ranked if chunk_id not in candidates]
    if unseen:
        found = store.chunks.get(ids=unseen, include=["documents", "metadatas"])
        for chunk_id, text, metadata in zip(found["ids"], found["documents"], found["metadatas"], strict=True):
            candidates[chunk_id] = {"text": text, "meta": metadata, "dense": None, "rrf": 0.0}
    for rank, (chunk_id, score) in enumerate(ranked):
        if chunk_id in candidates:  # absent only if removed since the keyword index was read
            candidates[chunk_id]["keyword"] = score
            candidates[chunk_id]["rrf"] += 1 / (RRF_K + rank + 1)
    fused = sorted(candidates.items(), key=lambda item: (-item[1]["rrf"], item[0]))
    return [_passage(chunk_id, entry) for chunk_id, entry in _balanced(fused, k)]


def _balanced(fused: list[tuple[str, dict[str, Any]]], k: int) -> list[tuple[str, dict[str, Any]]]:
    """Take the best k, but at most half of them (at least 2) from any one source."""
    cap = max(2, math.ceil(k / 2))
    taken: list[tuple[str, dict[str, Any]]] = []
    held_back: list[tuple[str, dict[str, Any]]] = []
    per_source: Counter[str] = Counter()
    for item in fused:
        source = str(item[1]["meta"].get("source") or item[1]["meta"]["doc_id"])
        if per_source[source] < cap:
            per_source[source] += 1
            taken.append(item)
        else:
            held_back.append(item)
        if len(taken) == k:
            break
    return (taken + held_back)[:k]


def _passage(chunk_id: str, entry: dict[str, Any]) -> Passage:
    meta = entry["meta"]
    return Passage(
        chunk_id=chunk_id,
        doc_id=meta["doc_id"],
        start=meta["start"],
        end=meta["end"],
        text=entry["text"],
        source=meta.get("source"),
        score=round(entry["rrf"], 6),
        dense=None if entry["dense"] is None else round(entry["dense"], 4),
        keyword=None if entry.get("keyword") is None else round(entry["keyword"], 4),
    )
