"""Every onnxruntime run (the embedder, the readers) happens on one thread of its own.

An int8 model run by onnxruntime on the thread that also runs llama.cpp changes that thread's
state for llama.cpp's later work: on this machine's CPUs (with AMX), after the stance or sentence
reader had run on the main thread, the writer's greedy yes or no to the same prompt changed
(tests/test_llm_determinism.py shows it). With onnxruntime kept to its own thread, what the model
writes depends on the prompt alone, not on what the process ran before.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

_runner: tuple[int, ThreadPoolExecutor] | None = None


def run(session: Any, outputs: list[str] | None, feeds: dict[str, Any]) -> list[Any]:
    """`session.run(outputs, feeds)`, on the onnxruntime thread of this process."""
    global _runner
    if _runner is None or _runner[0] != os.getpid():  # a forked child starts its own thread
        _runner = (os.getpid(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="slant-onnxruntime"))
    result: list[Any] = _runner[1].submit(session.run, outputs, feeds).result()
    return result
