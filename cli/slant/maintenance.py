"""Removing documents and rebuilding the index with the configured embedder."""

from __future__ import annotations

from slant.chunks import chunk_document
from slant.ingest import recover, write_lock
from slant.progress import NoProgress, Progress
from slant.runtime import embedder_for
from slant.settings import Settings
from slant.store import CHUNKS, DOCUMENTS, SCHEMA_VERSION, Store, state_dir


def remove(settings: Settings, doc_ids: list[str], source: str | None, lock_timeout: float) -> list[str]:
    """Delete documents by id (or unique id prefix) and/or every document of a source."""
    embedder = embedder_for(settings)
    with write_lock(settings, lock_timeout):
        store = Store.open(settings, embedder.embedder_id)
        recover(store, settings)
        targets: list[str] = []
        for doc_id in doc_ids:
            found = store.get(doc_id)
            if found is None:
                from slant.errors import InputError

                raise InputError(f"No document {doc_id!r} in the index", "see `slant ls` for ids")
            targets.append(found.article.id)
        if source:
            targets += [d.article.id for d in store.iter_documents(where={"source": source})]
        for doc_id in dict.fromkeys(targets):
            store.remove(doc_id)
        store.mark_changed()
        return list(dict.fromkeys(targets))


def reindex(settings: Settings, progress: Progress | None = None, lock_timeout: float = 30.0) -> int:
    """Re-chunk and re-embed every stored document; new collections replace the old at the end."""
    progress = progress or NoProgress()
    embedder = embedder_for(settings)
    with write_lock(settings, lock_timeout):
        from slant.store import open_client

        client = open_client(settings)
        names = {getattr(c, "name", c) for c in client.list_collections()}
        if DOCUMENTS not in names:
            from slant.errors import IndexUnavailableError

            raise IndexUnavailableError("No slant index to rebuild", "run `slant ingest PATH...`")
        old_documents = client.get_collection(DOCUMENTS)
        found = old_documents.get(include=["documents", "metadatas"])
        for name in (f"{CHUNKS}_new", f"{DOCUMENTS}_new"):
            if name in names:
                client.delete_collection(name)
        metadata = {
            "hnsw:space": "cosine",
            "schema_version": SCHEMA_VERSION,
            "embedder": embedder.embedder_id,
        }
        new = Store(
            client,
            client.create_collection(f"{CHUNKS}_new", metadata=metadata, embedding_function=None),
            client.create_collection(f"{DOCUMENTS}_new", metadata=metadata, embedding_function=None),
            state_dir(settings),
        )
        from slant.store import stored_document

        progress.start(len(found["ids"]), "Reindexing")
        for doc_id, text, meta in zip(found["ids"], found["documents"], found["metadatas"], strict=True):
            article = stored_document(doc_id, text, meta).article
            chunks = chunk_document(article.id, article.text, settings.chunk_chars, settings.chunk_overlap_chars)
            new.add_many([(article, chunks, embedder.embed([c.text for c in chunks]))])
            progress.advance()
        for name in (CHUNKS, DOCUMENTS):
            if name in names:
                client.delete_collection(name)
        new.chunks.modify(name=CHUNKS)
        new.documents.modify(name=DOCUMENTS)
        new.mark_changed()
        return len(found["ids"])
