"""Time to place one new article into the stories of a large index (beyond embedding it).

Usage:
    python evals/bench/stories_bench.py [--sizes 10000 100000] [--new 50]

Embedding 100,000 articles would take hours here, so each synthetic index is written directly:
N stored documents (texts of random words from a 5,000-word vocabulary, random unit vectors)
grouped three to a story in slant's story collection. Then `--new` articles are placed through
`StoryStore.place`, the code ingest runs (nearest story centres from Chroma, the latest members'
texts, tf-idf, the update), and the median and 95th percentile are printed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from slant.config.settings import Settings
from slant.index.store import Store
from slant.index.stories import StoryStore
from slant.llm.loaded import embedder_for
from slant.sources.documents import Article

DIMENSIONS = 384
_WRITE = 4000


def _text(rng: random.Random, vocabulary: list[str]) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(200)) + "."


def build(folder: Path, size: int) -> StoryStore:
    """An index of `size` synthetic documents in stories of three."""
    settings = Settings.load(index=folder)
    store = Store.open(settings, embedder_for(settings).embedder_id, create=True)
    rng = random.Random(size)
    vocabulary = [f"w{i}" for i in range(5000)]
    vectors = np.random.default_rng(size).normal(size=(size, DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [f"{i:016x}" for i in range(size)]
    for start in range(0, size, _WRITE):
        part = range(start, min(start + _WRITE, size))
        store.documents.upsert(
            ids=[ids[i] for i in part],
            embeddings=[vectors[i].tolist() for i in part],
            documents=[_text(rng, vocabulary) for _ in part],
            metadatas=[{"title": f"story {i // 3}", "origin": "-"} for i in part],
        )
    stories = StoryStore(store)
    for start in range(0, size, _WRITE):
        part = range(start, min(start + _WRITE, size))
        stories.vectors.upsert(
            ids=[ids[i] for i in part],
            embeddings=[vectors[i].tolist() for i in part],
            metadatas=[{"story": ids[i - i % 3]} for i in part],
        )
    for start in range(0, size, 3 * _WRITE):
        heads = range(start, min(start + 3 * _WRITE, size), 3)
        stories.collection.upsert(
            ids=[ids[i] for i in heads],
            embeddings=[vectors[i : i + 3].mean(axis=0).tolist() for i in heads],
            metadatas=[
                {"members": json.dumps(ids[i : i + 3]), "days": json.dumps([None] * len(ids[i : i + 3]))} for i in heads
            ],
        )
    return stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--new", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(0)
    vocabulary = [f"w{i}" for i in range(5000)]
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            stories = build(Path(folder), size)
            built = time.perf_counter() - started
            times = []
            for number in range(args.new):
                vector = np.random.default_rng(number).normal(size=DIMENSIONS).astype(np.float32)
                vector /= np.linalg.norm(vector)
                text = _text(rng, vocabulary)
                article = Article(id=f"new{number:013x}", text=text, title="new", origin="-")
                started = time.perf_counter()
                stories.place(article, vector)
                times.append(1000 * (time.perf_counter() - started))
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            print(
                f"{size} articles ({built:.0f} s to build): place one article median "
                f"{statistics.median(times):.1f} ms, p95 {p95:.1f} ms",
                flush=True,
            )


if __name__ == "__main__":
    main()
