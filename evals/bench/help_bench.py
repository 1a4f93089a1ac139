"""How long `slant --help` and `slant COMMAND --help` take, as users run them (the console script).

Run on an otherwise idle machine:  .venv/bin/python evals/bench/help_bench.py [--runs 7] [--json]
Each figure is the median (and the minimum) wall time of `--runs` runs; the runs of all the
commands are interleaved, so a busy moment of the machine spreads over all of them. Bare Python
start-up (`python -c pass`) and `import typer` are measured beside them, as the floor.
On a shared machine the minimum is the steadier figure; the goal is a median under 0.2 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

SLANT = str(Path(sys.executable).parent / "slant")
COMMANDS = [
    [],
    ["ingest"],
    ["ask"],
    ["summarize"],
    ["compare"],
    ["search"],
    ["stories"],
    ["sources"],
    ["eval"],
    ["eval", "run"],
    ["doctor"],
]


def wall_seconds(command: list[str]) -> float:
    """Run a command once, its output discarded; its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def measure(runs: int) -> dict[str, dict[str, float]]:
    """Median and minimum milliseconds of each help command and of the two floors."""
    commands = {"python -c pass": [sys.executable, "-c", "pass"]}
    commands["python -c 'import typer.main'"] = [sys.executable, "-c", "import typer.main"]
    for path in COMMANDS:
        commands[" ".join(["slant", *path, "--help"])] = [SLANT, *path, "--help"]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the file cache once
        wall_seconds(command)
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(wall_seconds(command))
    return {
        name: {"median_ms": statistics.median(values) * 1000, "min_ms": min(values) * 1000}
        for name, values in times.items()
    }


def main() -> None:
    """Measure and print a table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (default 7)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    options = parser.parse_args()
    results = measure(options.runs)
    if options.json:
        print(json.dumps(results, indent=2))
        return
    width = max(len(name) for name in results)
    print(f"{'command':<{width}}  median ms  min ms")
    for name, row in results.items():
        print(f"{name:<{width}}  {row['median_ms']:9.0f}  {row['min_ms']:6.0f}")


if __name__ == "__main__":
    main()
