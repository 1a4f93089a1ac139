"""Removing documents and rebuilding the index with the configured embedder."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from slant.config.errors import IndexUnavailableError, InputError
from slant.config.progress import NoProgress, Progress
from slant.config.settings import Settings
from slant.index.chunks import chunk_document
from slant.index.ingest import journaled, place_stored, recover, write_lock
from slant.index.store import (
    STATE,
    Store,
    collection_metadata,
    collection_names,
    current_generation,
    drop_stale_collections,
    open_client,
    readings_collection_name,
    state_dir,
    stored_document,
    story_collection_names,
    switch_generation,
)
from slant.index.stories import StoryStore, story_text
from slant.llm.files import resolve_embedder
from slant.llm.loaded import embedder_for
from slant.reading.pipeline import read
from slant.sources.documents import Article

REINDEX_BATCH = 32  # articles chunked, embedded and read together (one embedder call, one parse)


def remove(settings: Settings, doc_ids: list[str], source: str | None, lock_timeout: float) -> list[str]:
    """Delete documents by id (or unique id prefix) and/or every document of a source."""
    with write_lock(settings, lock_timeout):
        store = Store.open(settings, resolve_embedder(settings).embedder_id)  # no need to load the model
        recover(store, settings)
        targets: list[str] = []
        for doc_id in doc_ids:
            found = store.get(doc_id)
            if found is None:
                raise InputError(f"No document {doc_id!r} in the index", "see `slant ls` for ids")
            targets.append(found.article.id)
        if source:
            targets += [d.article.id for d in store.iter_documents(where={"source": source})]
        targets = list(dict.fromkeys(targets))
        with journaled(settings, [{"remove": doc_id} for doc_id in targets]):  # cut off: the next writer ends it
            StoryStore(store).forget(targets)
            for doc_id in targets:
                store.remove(doc_id)
            store.mark_changed()
        return targets


def repair(settings: Settings, lock_timeout: float) -> tuple[int, int]:
    """Mend what interrupted writes left (`slant doctor --repair`): finish or undo journaled
    writes, put every stored article that is in no story into one, and take articles that are no
    longer stored out of their stories. Returns (articles placed, articles taken out).
    """
    with write_lock(settings, lock_timeout):
        store = Store.open(settings, resolve_embedder(settings).embedder_id)
        recover(store, settings)
        stories = StoryStore(store)
        unplaced, missing = stories.out_of_step(set(store.ids()))
        stories.drop_missing(set(missing))
        for doc_id in unplaced:
            place_stored(store, settings, doc_id, [])
        if unplaced or missing:
            store.mark_changed()
        return len(unplaced), len(missing)


@contextmanager
def story_editor(settings: Settings, lock_timeout: float) -> Iterator[StoryStore]:
    """The index's stories, to merge, split or move articles, under the write lock."""
    with write_lock(settings, lock_timeout):
        store = Store.open(settings, resolve_embedder(settings).embedder_id)
        recover(store, settings)
        yield StoryStore(store)
        store.mark_changed()


def reindex(settings: Settings, progress: Progress | None = None, lock_timeout: float = 30.0) -> int:
    """Re-chunk and re-embed every stored document into the next generation of the collections,
    then switch to it with one write and drop the old one.

    Killed at any moment, the index is the old generation or the new one, complete: the old one
    stays in use until the switch, and what a killed run left is deleted by the next writer. It
    reads any index slant wrote (another embedder, an older schema), which is what it is for.
    """
    progress = progress or NoProgress()
    embedder = embedder_for(settings)
    with write_lock(settings, lock_timeout):
        client = open_client(settings)
        state = client.get_or_create_collection(STATE, embedding_function=None)
        generation = current_generation(state)
        chunks_name, documents_name = collection_names(generation)
        if documents_name not in {getattr(c, "name", c) for c in client.list_collections()}:
            raise IndexUnavailableError("No slant index to rebuild", "run `slant ingest PATH...`")
        in_use = {chunks_name, documents_name, readings_collection_name(documents_name)}
        drop_stale_collections(client, in_use | set(story_collection_names(documents_name)))
        found = client.get_collection(documents_name).get(include=["documents", "metadatas"])
        new = _create_generation(client, generation + 1, embedder.embedder_id, settings)
        progress.start(len(found["ids"]), "Reindexing")
        records = zip(found["ids"], found["documents"], found["metadatas"], strict=True)
        stored = [stored_document(*record) for record in records]
        stories = StoryStore(new)
        in_order = [d.article for d in sorted(stored, key=lambda d: d.ingested_at)]  # stories form again in it
        for start in range(0, len(in_order), REINDEX_BATCH):
            batch = in_order[start : start + REINDEX_BATCH]
            _rebuild_batch(batch, new, stories, embedder, settings)
            progress.advance(len(batch))
        switch_generation(state, generation + 1)
        new.drop_stale_collections()
        new.mark_changed()
        return len(found["ids"])


def _rebuild_batch(articles: list[Article], new: Store, stories: StoryStore, embedder: Any, settings: Settings) -> None:
    """Chunk, embed and read a batch of articles together (one embedder call, one parse of all
    their texts), store them in the new generation and place them in its stories in order.
    """
    chunked = [chunk_document(a.id, a.text, settings.chunk_chars, settings.chunk_overlap_chars) for a in articles]
    texts = [c.text for chunks in chunked for c in chunks] + [story_text(a.title, a.text) for a in articles]
    vectors = embedder.embed(texts)
    story_vectors = vectors[len(texts) - len(articles) :]
    documents, at = [], 0
    for article, chunks in zip(articles, chunked, strict=True):
        documents.append((article, chunks, vectors[at : at + len(chunks)]))
        at += len(chunks)
    new.add_many(documents, read([a.text for a in articles]))
    for article, vector in zip(articles, story_vectors, strict=True):
        stories.place(article, vector)


def _create_generation(client: Any, generation: int, embedder_id: str, settings: Settings) -> Store:
    metadata = collection_metadata(embedder_id)
    chunks_name, documents_name = collection_names(generation)
    return Store(
        client,
        client.create_collection(chunks_name, metadata=metadata, embedding_function=None),
        client.create_collection(documents_name, metadata=metadata, embedding_function=None),
        state_dir(settings),
    )
