"""Keyword search: a BM25 index derived from the chunks in Chroma, kept in the index's state folder.

Chroma is the truth. Every write to the index records a new revision there (`Store.mark_changed`);
the keyword index remembers the revision it mirrors. When the two differ (after an ingest, or
when another client wrote to a shared Chroma server), `open_keyword_index` brings it up to date
document by document: chunks of new documents are read from Chroma, tokenized and merged in;
chunks of removed documents are dropped. Unchanged documents are never tokenized again.

A `slant reindex` keeps every document id but makes new chunks (another chunk size, another
embedder) in a new chunks collection; the mirrored revision names that collection, so the keyword
index of other chunks is built again from the start, not merged into.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from slant.index.store import Store
from slant.text.tokens import tokens

if TYPE_CHECKING:
    from collections.abc import Iterator

    from slant.index.bm25 import Bm25Index, ChunkTerms

_FETCH_DOCUMENTS = 200
_POINTER = "keywords.current"
_OPENED: dict[Path, tuple[Bm25Index, str]] = {}


def open_keyword_index(store: Store) -> Bm25Index:
    """The keyword index for this store, brought up to date with Chroma if it is behind."""
    from filelock import FileLock

    from slant.index.bm25 import Bm25Index

    folder = store.state_folder
    folder.mkdir(parents=True, exist_ok=True)
    revision = f"{store.chunks.name}@{store.revision()}"
    with FileLock(str(folder / ".slant-keywords.lock")):
        index, mirrored = _load(folder)
        if mirrored == revision:
            return index
        if mirrored is None or mirrored.partition("@")[0] != store.chunks.name:  # other chunks: start again
            index = Bm25Index.empty()
        index = _synced(index, store)
        _save(index, folder, revision)
        return index


def _synced(index: Bm25Index, store: Store) -> Bm25Index:
    from slant.index.bm25 import Bm25Index

    stored = set(store.ids())
    indexed = index.documents()
    missing = sorted(stored - indexed)
    parts = [index.without(indexed - stored)]
    for start in range(0, len(missing), _FETCH_DOCUMENTS):
        parts.append(Bm25Index.build(_chunk_terms(store, missing[start : start + _FETCH_DOCUMENTS])))
    return Bm25Index.combined(parts)


def _chunk_terms(store: Store, doc_ids: list[str]) -> Iterator[ChunkTerms]:
    from slant.index.bm25 import ChunkTerms

    found = store.chunks.get(where={"doc_id": {"$in": doc_ids}}, include=["metadatas"])
    rows = sorted(zip(found["ids"], store.chunk_texts(found["metadatas"]), found["metadatas"], strict=True))
    for chunk_id, text, metadata in rows:
        if text is None:  # its document was removed meanwhile
            continue
        yield ChunkTerms(
            chunk_id=chunk_id,
            doc_id=str(metadata["doc_id"]),
            source=str(metadata.get("source") or ""),
            day=int(metadata.get("published_day") or 0),
            terms=tokens(text),
        )


def _load(folder: Path) -> tuple[Bm25Index, str | None]:
    from slant.index.bm25 import Bm25Index

    pointer = folder / _POINTER
    if not pointer.exists():
        return Bm25Index.empty(), None
    version = folder / pointer.read_text().strip()
    if version not in _OPENED:  # each saved version is immutable: load it once per process
        try:
            _OPENED[version] = Bm25Index.load(version)
        except (OSError, ValueError, KeyError):
            return Bm25Index.empty(), None  # damaged or partly deleted: rebuilt from Chroma
    return _OPENED[version]


def _save(index: Bm25Index, folder: Path, revision: str) -> None:
    """Write a new version beside the old, switch the pointer atomically, remove the old."""
    name = f"keywords-{uuid.uuid4().hex[:12]}"
    index.save(folder / name, revision)
    partial = folder / f"{_POINTER}.partial"
    partial.write_text(name)
    partial.replace(folder / _POINTER)
    for old in folder.glob("keywords-*"):
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)
