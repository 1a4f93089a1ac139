"""Retrieval latency on synthetic indexes of 1k-100k chunks built from the seed sentences.

Embedding 100,000 chunks would take hours here, so the synthetic index is written directly:
each chunk is a random run of seed sentences and its vector is the normalised mean of those
sentences' real embeddings (plus a little noise). Queries go through slant's full `search`:
query embedding, dense (Chroma), keyword (BM25), fusion and source balancing.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np
from corpus import OUTLETS, seed_sentences

from slant.config.settings import Settings
from slant.index.keywords import open_keyword_index
from slant.index.retrieval import Filters, search
from slant.index.store import Store
from slant.llm.loaded import embedder_for

QUERIES = [
    "What defense spending target did NATO members reaffirm?",
    "What did Zakharova say about a pre-emptive strike?",
    "Why did NATO discuss hybrid warfare?",
    "Who is Giuseppe Cavo Dragone?",
    "What did Gerasimov tell the foreign military attaches?",
    "How did Russia respond to NATO expansion?",
    "sabotage drones Europe",
    "Kremlin reaction escalation",
    "Financial Times interview deterrence",
    "NATO summit The Hague 2035",
]
CHUNKS_PER_DOCUMENT = 5
_WRITE = 4000


def build_index(settings: Settings, chunks: int, seed: int = 0) -> dict[str, float]:
    """Write a synthetic index of `chunks` chunks; returns build timings in seconds."""
    embedder = embedder_for(settings)
    sentences = seed_sentences()
    vectors = embedder.embed(sentences)
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    store = Store.open(settings, embedder.embedder_id, create=True)
    started = time.perf_counter()
    for first in range(0, chunks, _WRITE):  # _WRITE is a multiple of CHUNKS_PER_DOCUMENT
        ids, metadatas, embeddings = [], [], []
        documents: dict[str, dict[str, Any]] = {}
        for number in range(first, min(first + _WRITE, chunks)):
            doc, ordinal = divmod(number, CHUNKS_PER_DOCUMENT)
            document = documents.setdefault(
                f"doc{doc:07d}",
                {"source": OUTLETS[doc % len(OUTLETS)], "published_day": 20250101 + doc % 28, "text": ""},
            )
            picked = [rng.randrange(len(sentences)) for _ in range(rng.randint(3, 7))]
            vector = vectors[picked].mean(axis=0) + noise.normal(0, 0.01, vectors.shape[1])
            text = " ".join(sentences[i] for i in picked)
            start = len(document["text"]) + (1 if document["text"] else 0)
            document["text"] = f"{document['text']} {text}" if document["text"] else text
            ids.append(f"doc{doc:07d}:{ordinal:05d}")
            metadatas.append(
                {
                    "doc_id": f"doc{doc:07d}",
                    "source": document["source"],
                    "published_day": document["published_day"],
                    "start": start,
                    "end": start + len(text),
                }
            )
            embeddings.append(vector / np.linalg.norm(vector))
        store.chunks.upsert(ids=ids, metadatas=metadatas, embeddings=np.array(embeddings))
        store.documents.upsert(
            ids=list(documents),
            documents=[d.pop("text") for d in documents.values()],
            embeddings=np.array([embeddings[i] for i in range(0, len(embeddings), CHUNKS_PER_DOCUMENT)]),
            metadatas=[{**d, "doc_id": doc_id, "chunks": CHUNKS_PER_DOCUMENT} for doc_id, d in documents.items()],
        )
    written = time.perf_counter()
    store.mark_changed()
    open_keyword_index(store)
    return {"write": written - started, "keyword_index": time.perf_counter() - written}


def latencies(settings: Settings, filters: Filters | None, repeats: int = 3) -> tuple[float, float]:
    """p50 and p95 of search() over the query set (after one warm-up pass), in milliseconds."""
    embedder = embedder_for(settings)
    store = Store.open(settings, embedder.embedder_id)
    for query in QUERIES:
        search(store, embedder, query, settings.k, filters)
    times = []
    for _ in range(repeats):
        for query in QUERIES:
            started = time.perf_counter()
            search(store, embedder, query, settings.k, filters)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


FILTERS = {
    "unfiltered": None,
    "--source": Filters(sources=["outlet-03"]),
    "--since": Filters(since="2025-01-20"),
}


def run(folder: Path, sizes: list[int], chroma_url: str | None = None) -> list[dict[str, Any]]:
    """Build each index size and measure every filter; one row per (size, filter)."""
    rows = []
    for size in sizes:
        index = folder / f"index-{size}"
        settings = Settings.load(index=index, chroma_url=chroma_url)
        if chroma_url:
            _reset_server(settings)
        build = build_index(settings, size)
        for name, filters in FILTERS.items():
            p50, p95 = latencies(settings, filters)
            rows.append({"chunks": size, "filter": name, "p50_ms": p50, "p95_ms": p95, **build})
    return rows


def _reset_server(settings: Settings) -> None:
    from slant.index.store import open_client

    client = open_client(settings)
    for collection in client.list_collections():
        client.delete_collection(getattr(collection, "name", collection))
