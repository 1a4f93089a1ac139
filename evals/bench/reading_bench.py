"""What reading each article once costs: the spaCy pipeline with slant's components against the
embedding ingest does anyway, on the same articles, in one process (models loaded first).

    .venv/bin/python evals/bench/reading_bench.py [FILE.jsonl] [--limit N]

FILE is any JSON-lines file with a "text" field per line (BASIL, PolNeAR, PerSenT formats), or
each article's "articles" (NeuS); without it, the seeds and the team's test articles are used.
Prints words per second for reading and for embedding, and ingest's throughput with readings
as a share of its throughput without them (embedding and reading are ingest's two costs that
grow with the text; Chroma's writes are left out, so the share is a lower bound).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from slant.config.settings import Settings
from slant.index.chunks import chunk_document
from slant.llm.loaded import embedder_for
from slant.reading.pipeline import pipeline, read

REPO = Path(__file__).resolve().parents[2]


def texts_of(path: Path | None, limit: int) -> list[str]:
    if path is None:
        folders = [REPO / "seeds", REPO / "tests" / "articles"]
        return [p.read_text(encoding="utf-8") for folder in folders for p in sorted(folder.glob("*.txt"))][:limit]
    texts: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts += [a["text"] for a in row["articles"]] if "articles" in row else [row["text"]]
    return texts[:limit]


def best_of(runs: int, work: object) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    texts = texts_of(args.data, args.limit)
    words = sum(len(t.split()) for t in texts)
    settings = Settings.load()
    embedder = embedder_for(settings)
    chunks = [
        c.text
        for i, t in enumerate(texts)
        for c in chunk_document(f"{i:016x}", t, settings.chunk_chars, settings.chunk_overlap_chars)
    ]
    started = time.perf_counter()
    pipeline()
    loading = time.perf_counter() - started
    embed_once = embedder.embed(chunks[:8])  # warm
    del embed_once
    embedding = best_of(args.runs, lambda: embedder.embed(chunks))
    reading = best_of(args.runs, lambda: read(texts))
    print(f"{len(texts)} articles, {words:,} words, {len(chunks)} chunks; best of {args.runs} runs")
    print(f"  spaCy pipeline load            {loading:6.2f} s (once per process)")
    print(f"  embedding                      {embedding:6.2f} s  {words / embedding:8,.0f} words/s")
    print(f"  reading                        {reading:6.2f} s  {words / reading:8,.0f} words/s")
    print(f"  ingest throughput kept         {embedding / (embedding + reading):6.0%} (goal: 50% or more)")
    per_article = statistics.median(len(t.split()) for t in texts) / (words / reading)
    print(f"  reading a median article       {per_article:6.3f} s")


if __name__ == "__main__":
    main()
