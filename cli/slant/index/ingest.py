"""`slant ingest`: read articles, embed their chunks and store them, idempotently and safely.

Safety rules:
- one writer at a time (a lock file next to the index);
- chunks are stored before the document record that makes them visible;
- a journal lists the documents being written; after a crash the next writer rolls each one
  forward (its record exists: finish replacing the old version) or back (delete its chunks).
"""

from __future__ import annotations

import errno
import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from slant.config.errors import IndexUnavailableError
from slant.config.progress import NoProgress, Progress
from slant.config.settings import Settings
from slant.index.chunks import Chunk, chunk_document
from slant.index.file_catalog import FileCatalog, file_stamp
from slant.index.guarded import disk_full
from slant.index.store import Store, centroid, state_dir
from slant.index.stories import StoryStore, story_text
from slant.llm.files import resolve_embedder
from slant.llm.loaded import embedder_for
from slant.reading.pipeline import read
from slant.sources.documents import Article, ReadFailure, iter_input_files, origin_of, read_articles, unsupported_files

EMBED_BATCH_CHUNKS = 512  # chunks embedded together: more means less padding (the embedder sorts by length)
NEAR_DUPLICATE_COSINE = 0.95
NEAR_DUPLICATE_JACCARD = 0.5
WRITE_LOCK = ".slant-write.lock"  # in the index's state folder (store.state_dir)


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
    unread: int = 0  # files skipped unread: same size and modification time as when last read
    near_duplicates: list[NearDuplicate] = []
    unsupported: list[str] = []
    failed: list[ReadFailure] = []
    undated: list[str] = []  # where articles stored without a readable date came from
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
    vectors: Any = None  # the chunks' embeddings, once computed


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
    files = list(iter_input_files(paths))
    report.unsupported = [str(path) for path in unsupported_files(paths)]
    with write_lock(settings, lock_timeout):
        # The embedder itself is loaded only when something needs embedding.
        store = Store.open(settings, resolve_embedder(settings).embedder_id, create=True)
        recover(store, settings)
        stored_by_origin = store.ids_by_origin()
        seen = {doc_id for ids in stored_by_origin.values() for doc_id in ids}
        progress.start(len(files), "Ingesting")
        to_read, stamps, read = _skip_unchanged_files(files, FileCatalog.load(store.state_folder), seen, report)
        progress.advance(report.unread, _rate(report, started))
        batch: list[_Pending] = []
        last_origin = None
        failed_files = set()
        for item in read_articles(to_read, overrides):  # the folders, expanded once above
            origin = item.origin.split("#")[0]
            if origin != last_origin and last_origin is not None:
                progress.advance(1, _rate(report, started))
            last_origin = origin
            if isinstance(item, ReadFailure):
                report.failed.append(item)
                failed_files.add(origin)
                continue
            stamp = stamps.get(origin)
            if stamp:
                read.record(origin, stamp, [item.id])
            if item.id in seen:
                report.unchanged.append(item.id)
                continue
            seen.add(item.id)
            chunks = chunk_document(item.id, item.text, settings.chunk_chars, settings.chunk_overlap_chars)
            replaces = [i for i in stored_by_origin.get(item.origin, []) if i != item.id]
            batch.append(_Pending(item, chunks, replaces))
            if sum(len(p.chunks) for p in batch) >= EMBED_BATCH_CHUNKS:
                _write_batch(store, settings, batch, dedupe, report)
                batch = []
        _write_batch(store, settings, batch, dedupe, report)
        if last_origin is not None:
            progress.advance(1, _rate(report, started))
        for path in failed_files:  # read again next time, so that the error is reported again
            read.entries.pop(path, None)
        read.save(store.state_folder)
    # The keyword index is not touched here: the first search brings it up to date (keywords.py),
    # once for however many ingests ran before it.
    report.seconds = time.perf_counter() - started
    return report


def _skip_unchanged_files(
    files: list[Path], catalog: FileCatalog, stored: set[str], report: IngestReport
) -> tuple[list[Path], dict[str, str | None], FileCatalog]:
    """Count the files unchanged since they were last read as unchanged, without reading them.

    Returns the files to read, each file's stamp (taken now, before reading) and the new catalog,
    which so far holds the unchanged files.
    """
    resolved = {file: origin_of(file) for file in files if str(file) != "-"}
    stamps = {path: file_stamp(file) for file, path in resolved.items()}
    unchanged = {path: catalog.unchanged(path, stamps[path], stored) for path in resolved.values()}
    kept = FileCatalog()
    for path, ids in unchanged.items():
        if ids is not None:
            kept.record(path, stamps[path] or "", ids)
            report.unchanged += ids
            report.unread += 1
    to_read = [file for file in files if file not in resolved or unchanged[resolved[file]] is None]
    return to_read, stamps, kept


def _rate(report: IngestReport, started: float) -> str:
    elapsed = max(time.perf_counter() - started, 1e-9)
    return f"{report.chunks_embedded} chunks, {report.chunks_embedded / elapsed:.1f}/s"


def _write_batch(
    store: Store,
    settings: Settings,
    batch: list[_Pending],
    dedupe: bool,
    report: IngestReport,
) -> None:
    """Embed and read a batch, journal it, then write it: chunks and readings first, then the
    document records.
    """
    if not batch:
        return
    vectors = embedder_for(settings).embed([chunk.text for pending in batch for chunk in pending.chunks])
    report.chunks_embedded += len(vectors)
    offset = 0
    for pending in batch:
        pending.vectors = vectors[offset : offset + len(pending.chunks)]
        offset += len(pending.chunks)
    accepted = []
    for pending, duplicate in zip(batch, _near_duplicates(store, batch), strict=True):
        if duplicate is not None:
            duplicate.skipped = dedupe
            report.near_duplicates.append(duplicate)
            if dedupe:
                continue
        accepted.append(pending)
    readings = read([p.article.text for p in accepted])  # before the journal: the write window stays short
    _write_journal(settings, [{"add": p.article.id, "replaces": p.replaces} for p in accepted])
    store.add_many([(p.article, p.chunks, p.vectors) for p in accepted], readings)
    _place_in_stories(store, settings, accepted)
    for pending in accepted:
        for old_id in pending.replaces:
            store.remove(old_id)
        (report.updated if pending.replaces else report.added).append(pending.article.id)
        if pending.article.published is None:
            report.undated.append(pending.article.origin)
    store.mark_changed()
    _journal_path(settings).unlink(missing_ok=True)


def _place_in_stories(store: Store, settings: Settings, accepted: list[_Pending]) -> None:
    """Each new article joins the story it reports or starts one; a new version of an article
    takes the old one's place (index/stories.py).
    """
    if not accepted:
        return
    vectors = embedder_for(settings).embed([story_text(p.article.title, p.article.text) for p in accepted])
    stories = StoryStore(store)
    for pending, vector in zip(accepted, vectors, strict=True):
        stories.place(pending.article, vector, pending.replaces)


def _near_duplicates(store: Store, batch: list[_Pending]) -> list[NearDuplicate | None]:
    """For each new document: the stored (or earlier in this batch) document it nearly repeats."""
    centroids = [centroid(p.vectors) for p in batch]
    nearest: list[list[tuple[str, float, str]]] = [[] for _ in batch]  # (id, cosine, text)
    if store.documents.count():
        found = store.documents.query(query_embeddings=centroids, n_results=1, include=["documents", "distances"])
        rows = zip(found["ids"], found["distances"], found["documents"], strict=True)
        for candidates, (ids, distances, texts) in zip(nearest, rows, strict=True):
            candidates += [(ids[0], 1.0 - float(distances[0]), texts[0])] if ids else []
    results: list[NearDuplicate | None] = []
    for i, pending in enumerate(batch):
        earlier = [(batch[j].article.id, float(centroids[i] @ centroids[j]), batch[j].article.text) for j in range(i)]
        results.append(None if pending.replaces else _first_near_duplicate(pending.article, nearest[i] + earlier))
    return results


def _first_near_duplicate(article: Article, candidates: list[tuple[str, float, str]]) -> NearDuplicate | None:
    for doc_id, cosine, text in candidates:
        if cosine < NEAR_DUPLICATE_COSINE:
            continue
        overlap = shingle_jaccard(article.text, text)
        if overlap >= NEAR_DUPLICATE_JACCARD:
            return NearDuplicate(
                doc_id=article.id,
                origin=article.origin,
                duplicate_of=doc_id,
                similarity=round(overlap, 3),
                skipped=False,
            )
    return None


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
    path = folder / WRITE_LOCK
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise IndexUnavailableError(
            f"The index at {settings.chroma_url or settings.index} is being written by another "
            f"slant process (waited {timeout:.0f} s)",
            "wait for it to finish, or pass a longer --wait",
        ) from None
    except OSError as exc:  # e.g. a folder where the lock file belongs
        raise IndexUnavailableError(
            f"Cannot take the write lock {path}: {exc.strerror}",
            "it must be a file slant can create: remove or rename what is there",
        ) from None
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.ENOSPC:  # the journal, the file catalog: the index itself is guarded.py's
            raise disk_full(folder) from None
        raise
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
    """Finish or undo the writes an interrupted ingest left, and delete what an interrupted
    reindex left; returns how many documents it repaired.
    """
    store.drop_stale_collections()
    path = _journal_path(settings)
    if not path.exists():
        return 0
    operations = _read_journal(path)
    if operations is None:  # torn or not slant's: undo every document write that did not finish
        operations = [{"add": doc_id, "replaces": []} for doc_id in store.chunk_doc_ids() - set(store.ids())]
    for operation in operations:
        if "remove" in operation:  # slant rm: finish it
            StoryStore(store).forget([operation["remove"]])
            store.remove(operation["remove"])
        elif store.has(operation["add"]):  # stored: finish placing it and replacing its old versions
            place_stored(store, settings, operation["add"], operation["replaces"])
            for old_id in operation["replaces"]:
                store.remove(old_id)
        else:
            store.chunks.delete(where={"doc_id": operation["add"]})
    store.mark_changed()
    path.unlink()
    return len(operations)


@contextmanager
def journaled(settings: Settings, operations: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
    """Run a multi-step write with its operations journaled: cut off, the next writer finishes it
    (`recover`). Operations: {"add": id, "replaces": [ids]} or {"remove": id}.
    """
    _write_journal(settings, operations)
    yield
    _journal_path(settings).unlink(missing_ok=True)


def place_stored(store: Store, settings: Settings, doc_id: str, replaces: list[str]) -> None:
    """Put a stored article in its story if a cut-off write left it in none, and take the versions
    it replaces out of theirs.
    """
    stories = StoryStore(store)
    found = None if stories.placed(doc_id) else store.get(doc_id)
    if found is not None:
        article = found.article
        vector = embedder_for(settings).embed([story_text(article.title, article.text)])[0]
        stories.place(article, vector, replaces)
    stories.forget(replaces)


def _read_journal(path: Path) -> list[dict[str, Any]] | None:
    """The operations a journal lists; None when it is not a list of them (torn, or not slant's)."""
    try:
        operations = json.loads(path.read_text())
    except (ValueError, OSError, RecursionError):
        return None
    if not isinstance(operations, list):
        return None
    return operations if all(map(_is_operation, operations)) else None


def _is_operation(operation: Any) -> bool:
    if not isinstance(operation, dict):
        return False
    if "remove" in operation:
        return isinstance(operation["remove"], str)
    replaces = operation.get("replaces")
    return (
        isinstance(operation.get("add"), str)
        and isinstance(replaces, list)
        and all(isinstance(old_id, str) for old_id in replaces)
    )
