"""How fast slant's readers read, on this machine: the sentence reader on N sentences (cold:
model load; warm: a second batch of new sentences), the word evidence of the loaded ones, and
slant's embedder on the same sentences for scale. Timings vary with load; quote them with the
machine they came from.

    .venv/bin/python evals/bench/reader_bench.py anno-lexical-dev.jsonl --sentences 1000
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path


def main() -> None:
    """Time the readers and print one line per measure."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="JSON lines with a text field (one sentence a line)")
    parser.add_argument("--sentences", type=int, default=1000)
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    first, second = texts[: args.sentences], texts[args.sentences : 2 * args.sentences]

    from slant.readers.loaded import is_loaded, loaded_words_of, sentence_bias

    started = time.perf_counter()
    sentence_bias(first)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    probabilities = sentence_bias(second)
    warm = time.perf_counter() - started
    loaded = [text for text, p in zip(second, probabilities, strict=True) if is_loaded(p)]
    started = time.perf_counter()
    loaded_words_of(loaded)
    words = time.perf_counter() - started

    from slant.config.settings import Settings
    from slant.llm.loaded import embedder_for

    embedder = embedder_for(Settings())
    embedder.embed(first[:16])
    started = time.perf_counter()
    embedder.embed(second)
    embedding = time.perf_counter() - started
    n = len(second)
    print(f"machine: {os.cpu_count()} cores; {n} sentences")
    print(f"sentence reader, first batch (loads the model): {cold:.2f} s")
    print(f"sentence reader: {warm:.2f} s for {n} sentences ({1000 * warm / n:.2f} s per 1,000)")
    print(
        f"word evidence for the {len(loaded)} loaded ones: {words:.2f} s "
        f"({1000 * words / max(n, 1):.2f} s per 1,000 read)"
    )
    print(
        f"slant's embedder on the same sentences, for scale: {embedding:.2f} s ({1000 * embedding / n:.2f} s per 1,000)"
    )


if __name__ == "__main__":
    main()
