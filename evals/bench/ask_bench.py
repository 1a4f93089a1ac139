"""`slant ask` end to end on the seeds, as a user runs it: the command line, a new process per
question (cold: Python, the embedder and, when it drafts, the model loaded each time).

    python evals/bench/ask_bench.py [--runs 3]

The questions are the seed suite's (evals/suites/seed.yaml), asked of the five seed articles.
Prints, per question, the median wall time, peak memory and whether the model drafted
(`answer_writer = auto`: a small model drafts only where its draft can change the answer), then
the median over all questions. Run on an otherwise idle machine; nothing here is asserted.

    python evals/bench/ask_bench.py --terminal [--runs 1]

runs each question on a terminal (a pseudo-terminal, through `script`), as an analyst sees it:
the seconds until the evidence's answer shows on the live line and until the command ends with
the written answer. Goals (issue 32, the default writer, two cores): first evidence within 2 s,
the written answer within 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SLANT = [str(Path(sys.executable).parent / "slant")]


def timed_ask(question: str, env: dict[str, str]) -> tuple[float, float, bool]:
    """(wall seconds, peak resident MB, whether the model drafted) of one `slant ask --json`."""
    started = time.perf_counter()
    process = subprocess.Popen([*SLANT, "ask", question, "--json"], env=env, stdout=subprocess.PIPE)
    out = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"slant ask {question!r} failed")
    return seconds, usage.ru_maxrss / 1024, json.loads(out)["provenance"] is not None


_LIVE_EVIDENCE = re.compile(r"while the model writes: \S")
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def timed_on_terminal(question: str, env: dict[str, str]) -> tuple[float | None, float]:
    """(seconds until the live line shows evidence, or None if it never does; seconds in all)."""
    command = " ".join(shlex.quote(part) for part in [*SLANT, "ask", question])
    started = time.perf_counter()
    process = subprocess.Popen(["script", "-qec", command, "/dev/null"], env=env, stdout=subprocess.PIPE)
    assert process.stdout is not None
    shown, first = "", None
    while chunk := os.read(process.stdout.fileno(), 4096):
        shown += _ESCAPES.sub("", chunk.decode("utf-8", "replace"))
        if first is None and _LIVE_EVIDENCE.search(shown):
            first = time.perf_counter() - started
    process.wait()
    return first, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per question (the median is reported)")
    parser.add_argument("--terminal", action="store_true", help="time first evidence and the answer on a terminal")
    options = parser.parse_args()
    suite = yaml.safe_load((REPO / "evals" / "suites" / "seed.yaml").read_text(encoding="utf-8"))
    questions = [case["input"]["question"] for case in suite["cases"] if case["task"] == "ask"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLANT_")}
        env["SLANT_INDEX"] = str(Path(tmp) / "index")
        subprocess.run([*SLANT, "ingest", str(REPO / "seeds")], env=env, check=True, capture_output=True)
        if options.terminal:
            print("| question | first evidence s | written answer s |")
            print("|---|---|---|")
            for question in questions:
                first, total = timed_on_terminal(question, env)
                print(f"| {question} | {'-' if first is None else f'{first:.2f}'} | {total:.1f} |")
            return
        medians = []
        print("| question | median s | peak MB | drafted |")
        print("|---|---|---|---|")
        for question in questions:
            runs = [timed_ask(question, env) for _ in range(options.runs)]
            seconds = statistics.median(r[0] for r in runs)
            medians.append(seconds)
            print(f"| {question} | {seconds:.2f} | {max(r[1] for r in runs):.0f} | {'yes' if runs[0][2] else 'no'} |")
    print(f"\nmedian over {len(questions)} questions: {statistics.median(medians):.2f} s")


if __name__ == "__main__":
    main()
