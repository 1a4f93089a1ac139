"""A model wrapper that remembers completions by (model sha256, rendered prompt hash, parameters,
seed), so an unchanged re-run of a suite costs seconds. It has the TextModel interface, so the
analyses use it without knowing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slant.config.versions import native_versions
from slant.llm.files import ModelFile
from slant.llm.model import Completion, TextModel

# Part of every key; bump it when a change outside the key (e.g. the backend) changes outputs.
CACHE_FORMAT = 2


class CachedModel:
    """`TextModel` in front of another one; `hits` and `misses` count the calls."""

    def __init__(self, inner: TextModel, folder: Path, enabled: bool = True) -> None:
        self.inner = inner
        self.model: ModelFile = inner.model
        self.context_size: int = inner.context_size
        self.folder = folder
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    def count_tokens(self, text: str) -> int:
        """Tokens in the model's own tokenizer."""
        return self.inner.count_tokens(text)

    def key(self, prompt: str, parameters: dict[str, Any]) -> str:
        """The cache key of one call."""
        material = {
            "format": CACHE_FORMAT,
            "model_sha256": self.model.sha256,
            "runtime": native_versions(),  # a new llama.cpp may write other text for the same prompt
            "prompt_sha256": hashlib.sha256(prompt.encode("utf-8")).hexdigest(),
            "parameters": parameters,
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode("utf-8")).hexdigest()

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
        """The cached completion, or the inner model's (then remembered)."""
        parameters = {
            "max_tokens": max_tokens,
            "stop": stop,
            "temperature": temperature,
            "seed": seed,
            "json_schema": json_schema,
        }
        path = self.folder / f"{self.key(prompt, parameters)}.json"
        if self.enabled and path.is_file():
            self.hits += 1
            return Completion.model_validate_json(path.read_text(encoding="utf-8"))
        self.misses += 1
        completion = self.inner.complete(
            prompt,
            max_tokens=max_tokens,
            stop=stop,
            temperature=temperature,
            seed=seed,
            json_schema=json_schema,
            on_text=on_text,
        )
        if self.enabled:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".tmp")
            partial.write_text(completion.model_dump_json(), encoding="utf-8")
            partial.replace(path)
        return completion
