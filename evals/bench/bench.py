"""Benchmark: `slant --help` start-up, raw embedder vs end-to-end ingest, re-ingest speed-up.

Run: .venv/bin/python evals/bench/bench.py  (prints a table; medians of several runs)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def median_seconds(command: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def corpus(folder: Path, copies: int) -> None:
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    for i in range(copies):
        for seed in seeds:
            text = seed.read_text(encoding="utf-8")
            (folder / f"{i:04d}_{seed.name}").write_text(f"Copy {i} of a report.\n{text}\n(Edition {i}.)\n")


def main() -> None:
    from slant.chunks import chunk_document
    from slant.documents import read_articles
    from slant.ingest import ingest
    from slant.runtime import embedder_for
    from slant.settings import Settings

    help_time = median_seconds([str(REPO / ".venv/bin/slant"), "--help"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        corpus(folder, 20)
        settings = Settings.load(index=Path(tmp) / "index")
        embedder = embedder_for(settings)
        texts = [
            c.text
            for a in read_articles([folder])
            if not hasattr(a, "message")
            for c in chunk_document(a.id, a.text, settings.chunk_chars, settings.chunk_overlap_chars)  # type: ignore[union-attr]
        ]
        started = time.perf_counter()
        embedder.embed(texts)
        raw = len(texts) / (time.perf_counter() - started)
        report = ingest([folder], settings)
        end_to_end = report.chunks_embedded / report.seconds
        again = ingest([folder], settings)
    print(f"| slant --help (median of 7) | {help_time * 1000:.0f} ms |")
    print(f"| raw embedder | {raw:.1f} chunks/s ({len(texts)} chunks) |")
    print(f"| ingest end to end | {end_to_end:.1f} chunks/s ({end_to_end / raw:.0%} of raw) |")
    speedup = report.seconds / again.seconds
    print(f"| re-ingest unchanged | {again.seconds:.2f} s vs {report.seconds:.2f} s ({speedup:.0f}x faster) |")


if __name__ == "__main__":
    sys.exit(main())
