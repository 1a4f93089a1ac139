"""An Okapi BM25 index held in numpy arrays: milliseconds per query at 100,000 chunks.

Postings are stored by term (compressed sparse rows): for term t, the chunk rows containing it
are `rows[indptr[t]:indptr[t+1]]` with their term frequencies in `tf`. The vocabulary is a
sorted array, so a term's number is found by binary search. Saved as .npy files that are
memory-mapped on load, so opening a large index reads only what a query touches.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

K1 = 1.5
B = 0.75
_ARRAYS = ("chunk_ids", "doc_ids", "sources", "days", "lengths", "vocab", "indptr", "rows", "tf")


@dataclass(frozen=True)
class ChunkTerms:
    """One chunk, tokenized, with the fields keyword search can filter on."""

    chunk_id: str
    doc_id: str
    source: str
    day: int  # YYYYMMDD, 0 when unknown
    terms: list[str]


class KeywordHit(NamedTuple):
    """A chunk that matched, with what retrieval needs before it reads the chunk itself."""

    chunk_id: str
    doc_id: str
    source: str
    score: float


@dataclass
class Bm25Index:
    """Chunk fields (one entry per chunk row) and the postings by term."""

    chunk_ids: np.ndarray
    doc_ids: np.ndarray
    sources: np.ndarray
    days: np.ndarray
    lengths: np.ndarray
    vocab: np.ndarray
    indptr: np.ndarray
    rows: np.ndarray
    tf: np.ndarray

    @classmethod
    def empty(cls) -> Bm25Index:
        """An index of no chunks."""
        return cls.build([])

    @classmethod
    def build(cls, chunks: Iterable[ChunkTerms]) -> Bm25Index:
        """Index tokenized chunks."""
        chunk_ids, doc_ids, sources, days, lengths = [], [], [], [], []
        term_numbers: dict[str, int] = {}
        postings_term, postings_row, postings_tf = [], [], []
        for row, chunk in enumerate(chunks):
            chunk_ids.append(chunk.chunk_id)
            doc_ids.append(chunk.doc_id)
            sources.append(chunk.source)
            days.append(chunk.day)
            lengths.append(len(chunk.terms))
            for term, count in Counter(chunk.terms).items():
                postings_term.append(term_numbers.setdefault(term, len(term_numbers)))
                postings_row.append(row)
                postings_tf.append(count)
        words = np.array(list(term_numbers), dtype=str)
        return cls._from_postings(
            fields=(
                np.array(chunk_ids, dtype=str),
                np.array(doc_ids, dtype=str),
                np.array(sources, dtype=str),
                np.array(days, dtype=np.int32),
                np.array(lengths, dtype=np.int32),
            ),
            words=words,
            terms=np.array(postings_term, dtype=np.int64),
            rows=np.array(postings_row, dtype=np.int32),
            tf=np.array(postings_tf, dtype=np.float32),
        )

    @classmethod
    def _from_postings(
        cls,
        fields: tuple[np.ndarray, ...],
        words: np.ndarray,
        terms: np.ndarray,
        rows: np.ndarray,
        tf: np.ndarray,
    ) -> Bm25Index:
        """Sort postings (term number into `words`, row, tf) into a vocabulary-ordered index."""
        vocab, term_order = np.unique(words, return_inverse=True) if len(words) else (words, terms[:0])
        sorted_terms = term_order[terms] if len(terms) else terms
        order = np.lexsort((rows, sorted_terms))
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(sorted_terms, minlength=len(vocab)), out=indptr[1:])
        chunk_ids, doc_ids, sources, days, lengths = fields
        return cls(chunk_ids, doc_ids, sources, days, lengths, vocab, indptr, rows[order], tf[order])

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def documents(self) -> set[str]:
        """Ids of the documents whose chunks are indexed."""
        return {str(doc_id) for doc_id in np.unique(self.doc_ids)}

    def without(self, doc_ids: set[str]) -> Bm25Index:
        """A copy without the chunks of these documents."""
        keep = ~np.isin(self.doc_ids, list(doc_ids)) if doc_ids else np.ones(len(self), dtype=bool)
        new_row = np.cumsum(keep) - 1
        terms = np.repeat(np.arange(len(self.vocab)), np.diff(self.indptr))
        kept = keep[self.rows]
        fields = tuple(np.asarray(array[keep]) for array in self._fields())
        return Bm25Index._from_postings(fields, self.vocab, terms[kept], new_row[self.rows[kept]], self.tf[kept])

    @classmethod
    def combined(cls, parts: list[Bm25Index]) -> Bm25Index:
        """One index holding the chunks of all parts, in order (one sort, however many parts)."""
        parts = [part for part in parts if len(part)] or [cls.build([])]
        vocab_offsets = np.cumsum([0] + [len(part.vocab) for part in parts])
        row_offsets = np.cumsum([0] + [len(part) for part in parts])
        words = np.concatenate([part.vocab for part in parts])
        terms = np.concatenate(
            [
                np.repeat(np.arange(len(part.vocab)), np.diff(part.indptr)) + offset
                for part, offset in zip(parts, vocab_offsets, strict=False)
            ]
        )
        rows = np.concatenate([part.rows + offset for part, offset in zip(parts, row_offsets, strict=False)])
        fields = tuple(np.concatenate(arrays) for arrays in zip(*(part._fields() for part in parts), strict=True))
        tf = np.concatenate([part.tf for part in parts])
        return cls._from_postings(fields, words, terms, rows.astype(np.int32), tf)

    def _fields(self) -> tuple[np.ndarray, ...]:
        return (self.chunk_ids, self.doc_ids, self.sources, self.days, self.lengths)

    def search(self, terms: list[str], n: int, allowed: np.ndarray | None = None) -> list[KeywordHit]:
        """The n best chunks for the query terms, best first.

        `allowed` is a boolean mask over chunk rows (from `mask`); rows outside it never match.
        """
        total = len(self)
        if total == 0 or not terms:
            return []
        scores = np.zeros(total, dtype=np.float32)
        average_length = float(self.lengths.mean()) or 1.0
        norm = K1 * (1 - B + B * self.lengths / average_length)
        for term in set(terms):
            number = int(np.searchsorted(self.vocab, term))
            if number >= len(self.vocab) or self.vocab[number] != term:
                continue
            start, end = self.indptr[number], self.indptr[number + 1]
            rows, tf = self.rows[start:end], self.tf[start:end]
            idf = np.log1p((total - (end - start) + 0.5) / ((end - start) + 0.5))
            scores[rows] += idf * tf * (K1 + 1) / (tf + norm[rows])
        if allowed is not None:
            scores[~allowed] = 0.0
        matched = np.flatnonzero(scores)
        if len(matched) > n:
            matched = matched[np.argpartition(-scores[matched], n)[:n]]
        best = matched[np.lexsort((matched, -scores[matched]))]
        return [
            KeywordHit(str(self.chunk_ids[row]), str(self.doc_ids[row]), str(self.sources[row]), float(scores[row]))
            for row in best
        ]

    def mask(
        self,
        sources: list[str],
        doc_ids: list[str],
        since: int | None,
        until: int | None,
    ) -> np.ndarray | None:
        """Rows allowed by these filters (None: every row)."""
        if not (sources or doc_ids or since or until):
            return None
        allowed = np.ones(len(self), dtype=bool)
        if sources:
            allowed &= np.isin(self.sources, sources)
        if doc_ids:
            allowed &= np.isin(self.doc_ids, doc_ids)
        if since:
            allowed &= self.days >= since
        if until:
            allowed &= (self.days <= until) & (self.days > 0)
        return allowed

    def save(self, folder: Path, revision: str) -> None:
        """Write the arrays and the revision of the Chroma index they mirror."""
        folder.mkdir(parents=True)
        for name in _ARRAYS:
            np.save(folder / f"{name}.npy", getattr(self, name), allow_pickle=False)
        (folder / "revision.json").write_text(json.dumps({"revision": revision, "chunks": len(self)}))

    @classmethod
    def load(cls, folder: Path) -> tuple[Bm25Index, str]:
        """Memory-map a saved index; returns it with the revision it mirrors."""
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False) for name in _ARRAYS}
        revision = json.loads((folder / "revision.json").read_text())["revision"]
        return cls(**arrays), str(revision)
