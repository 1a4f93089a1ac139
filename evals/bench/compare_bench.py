"""`slant compare --no-llm --story ID` end to end, as an analyst runs it: the first compare of a
story, and the compares after it.

    python evals/bench/compare_bench.py [--runs 5]

Ingests the seeds into a fresh index, picks the story with the most articles, and times the
console command (a new process each run). "first" runs with an empty cache folder each time, so it
runs the readers and the embedder on every sentence and passage; "again" runs after one compare
has kept those outputs in the cache's output memo (slant.llm.output_memo). Prints the median and
the spread of the wall-clock seconds. Run on an otherwise idle machine; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SLANT = Path(sys.executable).parent / "slant"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each kind (default 5)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        environment = {**os.environ, "SLANT_INDEX": str(work / "index")}
        subprocess.run([str(SLANT), "ingest", str(REPO / "seeds")], env=environment, check=True, capture_output=True)
        stories = json.loads(_slant(environment, "stories", "--json"))
        story = max(stories, key=lambda s: len(s["articles"]))
        print(f"story {story['id']}: {len(story['articles'])} articles ({', '.join(story['sources'])})")
        command = ("compare", "--no-llm", "--story", story["id"])
        first, again = [], []
        for run in range(options.runs):
            fresh = {**environment, "SLANT_CACHE_DIR": str(work / f"cache-{run}")}
            _link_models(work / f"cache-{run}")
            first.append(_timed(fresh, *command))
            again.append(_timed(fresh, *command))
        for name, seconds in (("first", first), ("again", again)):
            median = statistics.median(seconds)
            print(f"{name:>6}: median {median:.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f})")


def _link_models(target: Path) -> None:
    """Let a fresh cache folder use the model files already assembled in the default one."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "slant"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("models", "verified.json"):
        if (base / name).exists() and not (target / name).exists():
            (target / name).symlink_to(base / name)


def _slant(environment: dict[str, str], *arguments: str) -> str:
    done = subprocess.run([str(SLANT), *arguments], env=environment, check=True, capture_output=True, text=True)
    return done.stdout


def _timed(environment: dict[str, str], *arguments: str) -> float:
    start = time.perf_counter()
    _slant(environment, *arguments)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
