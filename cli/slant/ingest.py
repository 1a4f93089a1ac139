"""`slant ingest`: read articles, embed their chunks and store them, idempotently and safely.

Safety rules:
- one writer at a time (a lock file next to the index);
- chunks are stored before the document record that makes them visible;
- a journal lists the documents being written; after a crash the next writer rolls each one
  forward (its record exists: finish replacing the old version) or back (delete its chunks).
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from slant.chunks import Chunk, chunk_document
from slant.documents import Article, ReadFailure, iter_input_files, read_articles, unsupported_files
from slant.errors import IndexUnavailableError
from slant.keywords import open_keyword_index
from slant.progress import NoProgress, Progress
from slant.runtime import embedder_for
from slant.settings import Settings
from slant.store import Store, state_dir

EMBED_BATCH_CHUNKS = 64
NEAR_DUPLICATE_COSINE = 0.95
NEAR_DUPLICATE_JACCARD = 0.5


class NearDuplicate(BaseModel):
    """A document whose text nearly repeats one already stored (e.g. republished wire copy)."""

    doc_id: str
    origin: str
    duplicate_of: str
    similarity: float
    skipped: bool


class IngestReport(BaseModel):
    """What one ingest did, document by document."""

    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    near_duplicates: list[NearDuplicate] = []
    unsupported: list[str] = []
    failed: list[ReadFailure] = []
    chunks_embedded: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no input failed."""
        return not self.failed


@dataclass
class _Pending:
    article: Article
    chunks: list[Chunk]
    replaces: list[str] = field(default_factory=list)


def ingest(
    paths: list[Path],
    settings: Settings,
    overrides: dict[str, str] | None = None,
    dedupe: bool = False,
    progress: Progress | None = None,
    lock_timeout: float = 30.0,
) -> IngestReport:
    """Ingest files and folders into the index; see the module docstring for the guarantees."""
    progress = progress or NoProgress()
    started = time.perf_counter()
    report = IngestReport()
    embedder = embedder_for(settings)
    files = list(iter_input_files(paths))
    report.unsupported = [str(path) for path in unsupported_files(paths)]
    with write_lock(settings, lock_timeout):
        store = Store.open(settings, embedder.embedder_id, create=True)
        recover(store, settings)
        progress.start(len(files), "Ingesting")
        batch: list[_Pending] = []
        seen: set[str] = set()
        last_origin = None
        for item in read_articles(paths, overrides):
            origin = item.origin.split("#")[0]
            if origin != last_origin and last_origin is not None:
                progress.advance(1, _rate(report, started))
            last_origin = origin
            if isinstance(item, ReadFailure):
                report.failed.append(item)
                continue
            if item.id in seen or store.has(item.id):
                report.unchanged.append(item.id)
                continue
            seen.add(item.id)
            chunks = chunk_document(item.id, item.text, settings.chunk_chars, settings.chunk_overlap_chars)
            replaces = [i for i in store.ids_with_origin(item.origin) if i != item.id]
            batch.append(_Pending(item, chunks, replaces))
            if sum(len(p.chunks) for p in batch) >= EMBED_BATCH_CHUNKS:
                _write_batch(store, settings, embedder, batch, dedupe, report)
                batch = []
        _write_batch(store, settings, embedder, batch, dedupe, report)
        if last_origin is not None:
            progress.advance(1, _rate(report, started))
        open_keyword_index(store)
    report.seconds = time.perf_counter() - started
    return report


def _rate(report: IngestReport, started: float) -> str:
    elapsed = max(time.perf_counter() - started, 1e-9)
    return f"{report.chunks_embedded} chunks, {report.chunks_embedded / elapsed:.1f}/s"


def _write_batch(
    store: Store,
    settings: Settings,
    embedder: Any,
    batch: list[_Pending],
    dedupe: bool,
    report: IngestReport,
) -> None:
    if not batch:
        return
    vectors = embedder.embed([chunk.text for pending in batch for chunk in pending.chunks])
    report.chunks_embedded += len(vectors)
    _write_journal(settings, [{"add": p.article.id, "replaces": p.replaces} for p in batch])
    offset = 0
    for pending in batch:
        doc_vectors = vectors[offset : offset + len(pending.chunks)]
        offset += len(pending.chunks)
        duplicate = None if pending.replaces else _near_duplicate(store, pending.article, doc_vectors)
        if duplicate is not None:
            duplicate.skipped = dedupe
            report.near_duplicates.append(duplicate)
            if dedupe:
                continue
        store.add(pending.article, pending.chunks, doc_vectors)
        for old_id in pending.replaces:
            store.remove(old_id)
        (report.updated if pending.replaces else report.added).append(pending.article.id)
    store.mark_changed()
    _journal_path(settings).unlink(missing_ok=True)


def _near_duplicate(store: Store, article: Article, vectors: Any) -> NearDuplicate | None:
    if store.documents.count() == 0:
        return None
    centroid = vectors.mean(axis=0)
    centroid = centroid / max(float((centroid**2).sum() ** 0.5), 1e-12)
    found = store.documents.query(query_embeddings=[centroid], n_results=1, include=["documents", "distances"])
    if not found["ids"][0]:
        return None
    cosine = 1.0 - float(found["distances"][0][0])
    if cosine < NEAR_DUPLICATE_COSINE:
        return None
    overlap = shingle_jaccard(article.text, found["documents"][0][0])
    if overlap < NEAR_DUPLICATE_JACCARD:
        return None
    return NearDuplicate(
        doc_id=article.id,
        origin=article.origin,
        duplicate_of=found["ids"][0][0],
        similarity=round(overlap, 3),
        skipped=False,
    )


def shingle_jaccard(a: str, b: str, width: int = 5) -> float:
    """Share of word 5-grams two texts have in common (1.0: same words in the same order)."""

    def shingles(text: str) -> set[tuple[str, ...]]:
        words = text.lower().split()
        return {tuple(words[i : i + width]) for i in range(max(len(words) - width + 1, 1))}

    left, right = shingles(a), shingles(b)
    return len(left & right) / max(len(left | right), 1)


# -- lock and journal ----------------------------------------------------------------------------


@contextmanager
def write_lock(settings: Settings, timeout: float):  # type: ignore[no-untyped-def]
    """Hold the index's write lock; wait up to `timeout` seconds, then fail clearly."""
    from filelock import FileLock, Timeout

    folder = state_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / ".slant-write.lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise IndexUnavailableError(
            f"The index at {settings.chroma_url or settings.index} is being written by another "
            f"slant process (waited {timeout:.0f} s)",
            "wait for it to finish, or pass a longer --wait",
        ) from None
    try:
        yield
    finally:
        lock.release()


def _journal_path(settings: Settings) -> Path:
    return state_dir(settings) / "ingest-journal.json"


def _write_journal(settings: Settings, operations: list[dict[str, Any]]) -> None:
    path = _journal_path(settings)
    partial = path.with_suffix(".partial")
    with partial.open("w") as handle:
        json.dump(operations, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def recover(store: Store, settings: Settings) -> int:
    """Finish or undo the writes an interrupted ingest left; returns how many it repaired."""
    path = _journal_path(settings)
    if not path.exists():
        return 0
    try:
        operations = json.loads(path.read_text())
    except ValueError:
        operations = []
    for operation in operations:
        if store.has(operation["add"]):
            for old_id in operation["replaces"]:
                store.remove(old_id)
        else:
            store.chunks.delete(where={"doc_id": operation["add"]})
    store.mark_changed()
    path.unlink()
    return len(operations)
