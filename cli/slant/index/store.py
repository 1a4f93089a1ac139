"""The Chroma index: one collection of chunks (for retrieval) and one of whole documents
(their cleaned text, metadata and a document vector). Chunks are written before their document
record, so a document is visible only once it is complete.

The cleaned text is stored once, in the document record. A chunk holds its vector and its
character span; its text is that span of its document's text (`Store.chunk_texts`). Storing the
text twice made every write slower and the index larger, for nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slant.config.errors import BackendError, ConfigError, IndexUnavailableError, InputError
from slant.config.retry import with_retries
from slant.config.settings import CHROMA_DEFAULT_PORT, Settings
from slant.index.chunks import Chunk
from slant.sources.documents import Article

if TYPE_CHECKING:
    import numpy as np

    from slant.reading.model import Reading

SCHEMA_VERSION = 2  # 2: chunks keep a span into their document's text, not a copy of it
CHUNKS = "slant_chunks"
DOCUMENTS = "slant_documents"
STORIES = "slant_stories"  # index/stories.py: one record per story,
STORY_ARTICLES = "slant_story_articles"  # one per article (its headline-and-lead vector and story),
STORY_PINS = "slant_story_pins"  # and the analyst's edits, which outlive a reindex (not per generation)
READINGS = "slant_readings"  # each document's reading (slant.reading), JSON, made once at ingest
_PER_GENERATION = (CHUNKS, DOCUMENTS, STORIES, STORY_ARTICLES, READINGS)
# Two records: the revision, changed by every write (see keywords.py), and the generation of the
# chunks and documents collections in use (see collection_names).
STATE = "slant_state"
_WRITE_BATCH = 1000
MIN_ID_PREFIX = 6  # shortest id prefix slant accepts for a document (ids are 16 hex digits)
_ARTICLE_FIELDS = ("title", "source", "url", "published", "author", "lean", "origin")
_SERVER_HINT = "start it (`chroma run --path DIR --port N`) or fix --chroma-url / SLANT_CHROMA_URL"
_SERVER_TIMEOUT_SECONDS = 120.0
_CONNECT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class StoredDocument:
    """A document as the index holds it."""

    article: Article
    chunks: int
    ingested_at: str


def open_client(settings: Settings, create: bool = False) -> Any:
    """A Chroma client for the settings: HTTP when --chroma-url is set, else embedded on disk.
    An embedded index is made only with create=True: a command that only reads leaves no trace.
    """
    from chromadb.config import Settings as ChromaSettings

    from slant.index.guarded import DATABASE_FILE, persistent_client

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        return _http_client(settings.chroma_url, chroma_settings)
    if not create and not (settings.index / DATABASE_FILE).is_file():
        raise IndexUnavailableError(f"No slant index at {settings.index}", "run `slant ingest PATH...` first")
    try:
        settings.index.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"Cannot create the index folder {settings.index}: {exc.strerror}", "give --index a writable folder"
        ) from None
    return persistent_client(settings.index, chroma_settings)


def _http_client(url: str, chroma_settings: Any) -> RetryingChroma:
    """A client of the Chroma server at `url` whose every call is retried on connection failures."""
    from urllib.parse import urlparse

    import chromadb
    import httpx

    parsed = urlparse(url)  # already checked and normalised by Settings

    host = parsed.hostname or "localhost"

    def connect() -> Any:
        return chromadb.HttpClient(
            host=f"[{host}]" if ":" in host else host,  # an IPv6 address, as a URL writes it
            port=parsed.port or CHROMA_DEFAULT_PORT,
            ssl=parsed.scheme == "https",
            settings=chroma_settings,
        )

    try:  # chromadb reports a refused connection at this point as a ValueError
        client = with_retries(connect, (ValueError, httpx.TransportError))
    except (ValueError, httpx.TransportError) as exc:
        raise BackendError(f"Cannot reach the Chroma server at {url}: {exc}", _SERVER_HINT) from None
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):  # chromadb waits forever by default (a dead host hangs slant)
        session.timeout = httpx.Timeout(_SERVER_TIMEOUT_SECONDS, connect=_CONNECT_TIMEOUT_SECONDS)
    return RetryingChroma(client, url)


class RetryingChroma:
    """A Chroma HTTP client or collection: every method call is retried on connection failures
    (with backoff, see slant.config.retry) and, if the server stays away, becomes one BackendError.
    Collections it returns are wrapped the same way; attributes pass through.
    """

    def __init__(self, target: Any, url: str) -> None:
        self._target = target
        self._url = url

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._target, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            result = self._retried(lambda: attribute(*args, **kwargs))
            from chromadb.api.models.Collection import Collection

            return RetryingChroma(result, self._url) if isinstance(result, Collection) else result

        return call

    def _retried(self, call: Callable[[], Any]) -> Any:
        import httpx
        from chromadb.errors import RateLimitError

        transient = (httpx.TransportError, RateLimitError)
        try:
            return with_retries(call, transient)
        except transient as exc:
            raise BackendError(
                f"The Chroma server at {self._url} does not answer ({type(exc).__name__}: {exc})",
                _SERVER_HINT,
            ) from None


def collection_names(generation: int) -> tuple[str, str]:
    """The chunks and documents collections of one generation of the index.

    `slant reindex` writes the next generation beside the current one and then switches the
    generation record in the state collection (one write), so a crash leaves one complete index.
    """
    suffix = f"_{generation}" if generation else ""
    return f"{CHUNKS}{suffix}", f"{DOCUMENTS}{suffix}"


def story_collection_names(documents_name: str) -> tuple[str, str]:
    """The stories and story-articles collections of the generation whose documents collection
    is `documents_name` (their vectors come from that generation's embedder).
    """
    suffix = documents_name.removeprefix(DOCUMENTS)
    return f"{STORIES}{suffix}", f"{STORY_ARTICLES}{suffix}"


def readings_collection_name(documents_name: str) -> str:
    """The readings collection of the generation whose documents collection is `documents_name`."""
    return READINGS + documents_name.removeprefix(DOCUMENTS)


def collection_metadata(embedder_id: str) -> dict[str, Any]:
    """What every chunks and documents collection records about how it was made."""
    return {"hnsw:space": "cosine", "schema_version": SCHEMA_VERSION, "embedder": embedder_id}


class Store:
    """Read and write documents and chunks in the two Chroma collections."""

    def __init__(self, client: Any, chunks: Any, documents: Any, state_folder: Path) -> None:
        self.client = client
        self.chunks = chunks
        self.documents = documents
        self.state_folder = state_folder  # lock, journal and keyword index of this index
        self._state = client.get_or_create_collection(STATE, embedding_function=None)
        # An index made before readings were stored has none: its documents are read on first use.
        self.readings = client.get_or_create_collection(
            readings_collection_name(documents.name), embedding_function=None
        )

    @classmethod
    def open(cls, settings: Settings, embedder_id: str, create: bool = False) -> Store:
        """Open the index; with create=True make it (recording schema and embedder) if new."""
        client = open_client(settings, create)
        existing = {getattr(item, "name", item) for item in client.list_collections()}
        generation = current_generation(client.get_collection(STATE)) if STATE in existing else 0
        chunks_name, documents_name = collection_names(generation)
        where = settings.chroma_url or str(settings.index)
        if chunks_name not in existing and not create:
            raise IndexUnavailableError(f"No slant index at {where}", "run `slant ingest PATH...` first")
        metadata = collection_metadata(embedder_id)
        chunks = client.get_or_create_collection(chunks_name, metadata=metadata, embedding_function=None)
        documents = client.get_or_create_collection(documents_name, metadata=metadata, embedding_function=None)
        recorded = chunks.metadata or {}
        if recorded.get("schema_version") != SCHEMA_VERSION:
            raise IndexUnavailableError(
                f"The index at {where} has schema version {recorded.get('schema_version')}, "
                f"this slant reads version {SCHEMA_VERSION}",
                "run `slant reindex`",
            )
        if recorded.get("embedder") != embedder_id:
            raise IndexUnavailableError(
                f"The index at {where} was built with embedder {recorded.get('embedder')}, "
                f"not the configured {embedder_id}",
                "run `slant reindex` to re-embed it, or configure the original embedder",
            )
        return cls(client, chunks, documents, state_dir(settings))

    def drop_stale_collections(self) -> list[str]:
        """Delete what an interrupted `slant reindex` left (see `drop_stale_collections`)."""
        in_use = {
            self.chunks.name,
            self.documents.name,
            self.readings.name,
            *story_collection_names(self.documents.name),
        }
        return drop_stale_collections(self.client, in_use)

    # -- writing -----------------------------------------------------------------------------

    def add_many(
        self, documents: list[tuple[Article, list[Chunk], np.ndarray]], readings: list[Reading] | None = None
    ) -> None:
        """Store documents (article, chunks, chunk vectors) and their readings: all chunks and
        readings first, then the records that make the documents visible. Without readings (the
        story-grouping eval) a document is read on first use.
        """
        rows = [
            (
                chunk,
                vector,
                {**_chunk_metadata(article), "start": chunk.start, "end": chunk.end},
            )
            for article, chunks, vectors in documents
            for chunk, vector in zip(chunks, vectors, strict=True)
        ]
        for start in range(0, len(rows), _WRITE_BATCH):
            batch = rows[start : start + _WRITE_BATCH]
            self.chunks.upsert(
                ids=[chunk.id for chunk, _, _ in batch],
                embeddings=[vector for _, vector, _ in batch],
                metadatas=[metadata for _, _, metadata in batch],
            )
        if documents and readings:
            self.readings.upsert(
                ids=[article.id for article, _, _ in documents],
                embeddings=[[0.0] for _ in documents],
                documents=[reading.model_dump_json() for reading in readings],
                metadatas=[{"version": reading.version} for reading in readings],
            )
        if documents:
            self.documents.upsert(
                ids=[article.id for article, _, _ in documents],
                embeddings=[centroid(vectors) for _, _, vectors in documents],
                documents=[article.text for article, _, _ in documents],
                metadatas=[_document_metadata(article, len(chunks)) for article, chunks, _ in documents],
            )

    def mark_changed(self) -> None:
        """Record a new revision: derived data (the keyword index) sees that it must catch up."""
        import uuid

        self._state.upsert(ids=["revision"], embeddings=[[0.0]], metadatas=[{"value": uuid.uuid4().hex}])

    def remove(self, doc_id: str) -> None:
        """Delete a document: its record first (it disappears at once), then its chunks."""
        self.documents.delete(ids=[doc_id])
        self.chunks.delete(where={"doc_id": doc_id})
        self.readings.delete(ids=[doc_id])

    # -- reading -----------------------------------------------------------------------------

    def has(self, doc_id: str) -> bool:
        """Whether a complete document with this id is stored."""
        return bool(self.documents.get(ids=[doc_id], include=[])["ids"])

    def get(self, doc_id: str) -> StoredDocument | None:
        """One document by id, or by a unique id prefix of at least MIN_ID_PREFIX characters.

        An empty, too short or ambiguous prefix is refused (an InputError), never guessed at:
        `slant rm` acts on what this returns.
        """
        doc_id = doc_id.strip()
        if not doc_id:
            raise InputError("The document id is empty", "give an id from `slant ls`")
        found = self.documents.get(ids=[doc_id], include=["documents", "metadatas"])
        if not found["ids"]:
            if len(doc_id) < MIN_ID_PREFIX:
                raise InputError(
                    f"Document id {doc_id!r} is too short", f"give at least {MIN_ID_PREFIX} characters of an id"
                )
            matches = [i for i in self.ids() if i.startswith(doc_id)]
            if len(matches) > 1:
                shown = ", ".join(sorted(matches)[:5])
                raise InputError(
                    f"Document id {doc_id!r} matches {len(matches)} documents ({shown})", "give more of it"
                )
            if matches:
                found = self.documents.get(ids=matches, include=["documents", "metadatas"])
        if not found["ids"]:
            return None
        return stored_document(found["ids"][0], found["documents"][0], found["metadatas"][0])

    def chunk_texts(self, metadatas: list[Mapping[str, Any]]) -> list[str | None]:
        """The text of each chunk (given its metadata): its span of its document's stored text.
        None for a chunk whose document record is not (yet, or any longer) stored.
        """
        doc_ids = sorted({str(metadata["doc_id"]) for metadata in metadatas})
        texts: dict[str, str] = {}
        if doc_ids:
            found = self.documents.get(ids=doc_ids, include=["documents"])
            texts = dict(zip(found["ids"], found["documents"], strict=True))
        spans: list[str | None] = []
        for metadata in metadatas:
            text = texts.get(str(metadata["doc_id"]))
            spans.append(None if text is None else text[int(metadata["start"]) : int(metadata["end"])])
        return spans

    def stored_readings(self, doc_ids: list[str]) -> dict[str, Reading]:
        """The stored readings of these documents made by this slant's pipeline (READING_VERSION);
        a document without one (an older index, or another version) is left out.
        """
        from slant.reading.model import READING_VERSION, Reading

        if not doc_ids:
            return {}
        found = self.readings.get(ids=doc_ids, where={"version": READING_VERSION}, include=["documents"])
        return {
            doc_id: Reading.model_validate_json(text)
            for doc_id, text in zip(found["ids"], found["documents"], strict=True)
        }

    def revision(self) -> str:
        """The revision recorded by the last write ("" before the first)."""
        found = self._state.get(ids=["revision"], include=["metadatas"])
        return str(found["metadatas"][0]["value"]) if found["ids"] else ""

    def ids(self) -> list[str]:
        """Ids of all complete documents."""
        return list(self.documents.get(include=[])["ids"])

    def iter_documents(self, where: dict[str, Any] | None = None) -> Iterator[StoredDocument]:
        """All documents (optionally filtered by metadata), ordered by origin then id."""
        found = self.documents.get(where=where, include=["documents", "metadatas"])
        rows = sorted(
            zip(found["ids"], found["documents"], found["metadatas"], strict=True),
            key=lambda row: (str(row[2].get("origin", "")), row[0]),
        )
        for doc_id, text, metadata in rows:
            yield stored_document(doc_id, text, metadata)

    def ids_by_origin(self) -> dict[str, list[str]]:
        """Stored document ids by the path they were read from (a changed file replaces them)."""
        found = self.documents.get(include=["metadatas"])
        by_origin: dict[str, list[str]] = {}
        for doc_id, metadata in zip(found["ids"], found["metadatas"], strict=True):
            by_origin.setdefault(str(metadata.get("origin", "")), []).append(doc_id)
        return by_origin

    def chunk_doc_ids(self) -> set[str]:
        """Document ids that have chunks (to find chunks left by an interrupted ingest)."""
        found = self.chunks.get(include=["metadatas"])
        return {str(metadata["doc_id"]) for metadata in found["metadatas"]}

    def counts(self) -> tuple[int, int]:
        """(documents, chunks)."""
        return self.documents.count(), self.chunks.count()


def drop_stale_collections(client: Any, in_use: set[str]) -> list[str]:
    """Delete every collection of a generation not in use (another generation's chunks, documents
    or stories, left by an interrupted `slant reindex`). Only a writer holding the write lock may
    call this.
    """
    names = [getattr(item, "name", item) for item in client.list_collections()]
    stale = [name for name in names if name.startswith(_PER_GENERATION) and name not in in_use]
    for name in stale:
        client.delete_collection(name)
    return stale


def current_generation(state: Any) -> int:
    """The generation of the collections in use (0 until the first `slant reindex`)."""
    found = state.get(ids=["generation"], include=["metadatas"])
    return int(found["metadatas"][0]["value"]) if found["ids"] else 0


def switch_generation(state: Any, generation: int) -> None:
    """Make `generation` the collections in use: one record written, so readers see all or nothing."""
    state.upsert(ids=["generation"], embeddings=[[0.0]], metadatas=[{"value": generation}])


def centroid(vectors: np.ndarray) -> np.ndarray:
    """The unit-length mean of a document's chunk vectors (its vector for near-duplicate search)."""
    mean = vectors.mean(axis=0)
    norm: float = float((mean**2).sum() ** 0.5)
    return mean / max(norm, 1e-12)  # type: ignore[no-any-return]


def _chunk_metadata(article: Article) -> dict[str, Any]:
    metadata: dict[str, Any] = {"doc_id": article.id}
    if article.source:
        metadata["source"] = article.source
    day = published_day(article.published)
    if day is not None:
        metadata["published_day"] = day
    return metadata


def _document_metadata(article: Article, n_chunks: int) -> dict[str, Any]:
    metadata: dict[str, Any] = {key: getattr(article, key) for key in _ARTICLE_FIELDS if getattr(article, key)}
    metadata.update(_chunk_metadata(article))
    metadata["chunks"] = n_chunks
    metadata["removed"] = json.dumps(article.removed, ensure_ascii=False)
    metadata["ingested_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return metadata


def stored_document(doc_id: str, text: str, metadata: dict[str, Any]) -> StoredDocument:
    """Rebuild a StoredDocument from what Chroma returns."""
    fields = {key: metadata.get(key) for key in _ARTICLE_FIELDS}
    fields["origin"] = fields["origin"] or ""
    article = Article(id=doc_id, text=text, removed=json.loads(metadata.get("removed", "[]")), **fields)
    return StoredDocument(article, int(metadata.get("chunks", 0)), str(metadata.get("ingested_at", "")))


def published_day(published: str | None) -> int | None:
    """A date as YYYYMMDD (for --since/--until filters), if it starts with an ISO date."""
    if not published:
        return None
    try:
        day = datetime.fromisoformat(published[:10])
    except ValueError:
        return None
    return day.year * 10000 + day.month * 100 + day.day


def state_dir(settings: Settings) -> Path:
    """Where the write lock and the ingest journal live for this index: for a server, one folder
    per server whatever the spelling of its URL (index/server_identity.py).
    """
    if settings.chroma_url:
        import hashlib

        from slant.index.server_identity import server_identity

        key = hashlib.sha256(server_identity(settings.chroma_url).encode()).hexdigest()[:12]
        return settings.cache_dir / "servers" / key
    return settings.index
