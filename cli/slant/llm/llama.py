"""The in-process llama.cpp backend (llama-cpp-python), loaded once per process."""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import llama_cpp

from slant.config.settings import Settings
from slant.llm.files import ModelFile
from slant.llm.model import Completion


@llama_cpp.llama_log_callback
def _quiet_log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
    """Drop llama.cpp's own log lines (they would clutter stderr)."""


llama_cpp.llama_log_set(_quiet_log, ctypes.c_void_p(0))


def _drop_half_built(exc: BaseException) -> None:
    """Free what a failed load left behind, now and quietly.

    llama-cpp-python's half-built objects stay alive in the traceback's frames; freed later, their
    `__del__` fails and Python prints "Exception ignored in ... has no attribute 'sampler'" after
    slant's own one-line error.
    """
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


@contextmanager
def _interrupt_held() -> Iterator[None]:
    """Hold a Ctrl-C (SIGINT) that arrives inside the block and deliver it when the block ends.

    While llama.cpp loads a model it calls back into Python (its log lines), and a KeyboardInterrupt
    raised inside a ctypes callback is printed and dropped: a Ctrl-C then was lost and the command
    went on to finish with exit code 0. Only the main thread receives signals, so only it holds them.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            signal.raise_signal(signal.SIGINT)  # to the handler held back: KeyboardInterrupt by default


class LlamaCppBackend:
    """Completion through llama.cpp; uses the GGUF's chat template when it carries one."""

    def __init__(self, model: ModelFile, n_ctx: int, threads: int | None, seed: int) -> None:
        self.model = model
        try:
            with _interrupt_held():
                self._llama = llama_cpp.Llama(
                    model_path=str(model.path),
                    n_ctx=n_ctx,
                    n_threads=threads or os.cpu_count(),  # llama-cpp-python's own default is half the cores
                    n_threads_batch=threads or os.cpu_count(),
                    seed=seed,
                    verbose=False,
                )
        except ValueError as exc:  # "Failed to load model from file" (a truncated or foreign file)
            _drop_half_built(exc)
            raise
        self.context_size = n_ctx
        self.chat_template: str | None = self._llama.metadata.get("tokenizer.chat_template")

    def close(self) -> None:
        """Free the model now (at interpreter exit llama.cpp's bindings may already be gone)."""
        self._llama.close()

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` in the model's own tokenizer."""
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def complete(
        self,
        prompt: str,
        *,
        max_tokens: int,
        stop: list[str],
        temperature: float,
        seed: int,
        json_schema: dict[str, Any] | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> Completion:
        """Generate a continuation (or a chat reply) for `prompt`; deterministic for a seed, whatever ran before."""
        started = time.perf_counter()
        grammar = None
        if json_schema is not None:
            import json

            grammar = llama_cpp.LlamaGrammar.from_json_schema(json.dumps(json_schema), verbose=False)
        options: dict[str, Any] = {
            "max_tokens": max_tokens,
            "stop": stop,
            "temperature": temperature,
            "seed": seed,
            "grammar": grammar,
            "stream": True,
            "repeat_penalty": 1.1,
        }
        # Evaluate every prompt afresh. llama-cpp-python otherwise reuses the cached prefix shared
        # with the previous prompt, and evaluating in different pieces changes llama.cpp's arithmetic
        # slightly -- enough to change greedy text at times. Fresh evaluation makes the text depend on
        # this prompt alone, not on what this process ran before (so batch workers match a serial run).
        self._llama.reset()
        if self.chat_template:
            stream = self._llama.create_chat_completion(messages=[{"role": "user", "content": prompt}], **options)
        else:
            stream = self._llama.create_completion(prompt, **options)
        pieces: list[str] = []
        first_token = None
        for event in stream:
            choice = event["choices"][0]
            piece = choice.get("text") or choice.get("delta", {}).get("content") or ""
            if piece and first_token is None:
                first_token = time.perf_counter() - started
            pieces.append(piece)
            if on_text and piece:
                on_text(piece)
        text = "".join(pieces)
        seconds = time.perf_counter() - started
        return Completion(
            text=text,
            prompt_tokens=self.count_tokens(prompt),
            completion_tokens=self.count_tokens(text),
            seconds=seconds,
            first_token_seconds=first_token if first_token is not None else seconds,
        )


def create(settings: Settings, url: str | None = None) -> LlamaCppBackend:
    """The `llama` backend (slant's default): the GGUF the settings name, in this process."""
    import atexit

    from slant.config.errors import ModelError
    from slant.llm.files import resolve_llm

    file = resolve_llm(settings)
    try:
        backend = LlamaCppBackend(file, settings.n_ctx, settings.threads, settings.seed)
    except ValueError as exc:  # llama.cpp's "Failed to load model from file"
        raise ModelError(f"llama.cpp cannot load {file.path}: {exc}", "pass --model with a valid GGUF file") from None
    atexit.register(backend.close)
    return backend
