"""Hybrid retrieval: dense (Chroma) and keyword (BM25) rankings fused by reciprocal rank,
then balanced so that no single source fills the results.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Any

from pydantic import BaseModel

from slant.store import Store

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

    def where(self) -> dict[str, Any] | None:
        """The Chroma metadata filter for these restrictions."""
        from slant.store import published_day

        clauses: list[dict[str, Any]] = []
        if self.sources:
            clauses.append({"source": {"$in": self.sources}})
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": self.doc_ids}})
        for bound, operator in ((self.since, "$gte"), (self.until, "$lte")):
            day = published_day(bound)
            if bound and day is None:
                from slant.errors import InputError

                raise InputError(f"Invalid date {bound!r}", "use YYYY-MM-DD")
            if day is not None:
                clauses.append({"published_day": {operator: day}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def tokens(text: str) -> list[str]:
    """Lower-cased content words (for keyword matching)."""
    return [t for t in _TOKEN.findall(text.lower().replace("’", "'")) if t not in _STOPWORDS]


class Bm25:
    """Okapi BM25 over a fixed list of texts."""

    def __init__(self, texts: list[str], k1: float = 1.5, b: float = 0.75) -> None:
        self.docs = [Counter(tokens(text)) for text in texts]
        self.lengths = [sum(doc.values()) for doc in self.docs]
        self.average = sum(self.lengths) / max(len(self.docs), 1)
        frequency: Counter[str] = Counter()
        for doc in self.docs:
            frequency.update(doc.keys())
        n = len(self.docs)
        self.idf = {term: math.log(1 + (n - f + 0.5) / (f + 0.5)) for term, f in frequency.items()}
        self.postings: dict[str, list[int]] = defaultdict(list)
        for index, doc in enumerate(self.docs):
            for term in doc:
                self.postings[term].append(index)
        self.k1, self.b = k1, b

    def scores(self, query: str) -> dict[int, float]:
        """Score of every text that shares a term with the query."""
        result: dict[int, float] = defaultdict(float)
        for term in set(tokens(query)):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for index in self.postings[term]:
                tf = self.docs[index][term]
                norm = self.k1 * (1 - self.b + self.b * self.lengths[index] / self.average)
                result[index] += idf * tf * (self.k1 + 1) / (tf + norm)
        return result


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
    everything = store.chunks.get(where=where, include=["documents", "metadatas"])
    bm25 = Bm25(everything["documents"])
    ranked = sorted(bm25.scores(query).items(), key=lambda item: -item[1])[:pool]
    for rank, (index, score) in enumerate(ranked):
        chunk_id = everything["ids"][index]
        entry = candidates.setdefault(
            chunk_id,
            {
                "text": everything["documents"][index],
                "meta": everything["metadatas"][index],
                "dense": None,
                "rrf": 0.0,
            },
        )
        entry["keyword"] = score
        entry["rrf"] += 1 / (RRF_K + rank + 1)
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
