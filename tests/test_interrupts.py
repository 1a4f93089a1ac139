"""Ctrl-C stops a command with exit code 130 whenever it comes: a real process, a real SIGINT, the
real default model and a real Chroma index.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from slant.cli.app import app

runner = CliRunner()

# The child runs the real command; the SIGINT comes from inside llama.cpp's first log call back into
# Python while it loads the model, which is where a Ctrl-C in the first second of a run lands.
INTERRUPTED_WHILE_THE_MODEL_LOADS = """
import os, signal, sys
import llama_cpp

signal.signal(signal.SIGINT, signal.default_int_handler)  # as a terminal's, even if started with it ignored

set_log_callback = llama_cpp.llama_log_set
calls = 0

@llama_cpp.llama_log_callback
def interrupt_on_first_line(level, text, user_data):
    global calls
    calls += 1
    if calls == 1:
        os.kill(os.getpid(), signal.SIGINT)

llama_cpp.llama_log_set = lambda _callback, user_data: set_log_callback(interrupt_on_first_line, user_data)
from slant.cli.app import main
sys.argv = ["slant", *sys.argv[1:]]
main()
"""


def test_ctrl_c_while_the_model_loads_stops_summarize_out_with_130(seeds: Path, workspace: Path) -> None:
    assert runner.invoke(app, ["ingest", str(seeds)]).exit_code == 0
    out = workspace / "summaries.jsonl"
    child = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_WHILE_THE_MODEL_LOADS, "summarize", "--all", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SLANT_SUMMARY_WRITER": "model"},  # a summary the model writes: it is loaded
    )
    assert child.returncode == 130, child.stderr[-2000:]
    assert child.stderr.strip() == "Interrupted."
    assert child.stdout == ""
    assert not out.exists() or [json.loads(line) for line in out.read_text().splitlines()] == []


def test_summarize_out_with_a_model_that_will_not_write_never_loads_it(seeds: Path, workspace: Path) -> None:
    # The same hook: had llama.cpp begun to load the model, the run would stop with 130.
    assert runner.invoke(app, ["ingest", str(seeds)]).exit_code == 0
    out = workspace / "summaries.jsonl"
    child = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_WHILE_THE_MODEL_LOADS, "summarize", "--all", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout == ""
    assert child.stderr.strip() == f"{out}: 5 written, 0 already done, 0 failed"
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [record["summary"]["provenance"] for record in records] == [None] * 5  # no model call made
