"""Loaded models, one per process: the embedder and the language model are loaded on first use
and reused by every later call with the same files and settings.
"""

from __future__ import annotations

import atexit
from typing import TYPE_CHECKING, Any

from slant.config.settings import Settings
from slant.llm.files import resolve_embedder

if TYPE_CHECKING:
    from slant.llm.embedder import OnnxEmbedder
    from slant.llm.files import ModelFile
    from slant.llm.model import TextModel

_LOADED: dict[tuple[Any, ...], Any] = {}


def embedder_for(settings: Settings) -> OnnxEmbedder:
    """The embedder the settings name, loaded once per process."""
    files = resolve_embedder(settings)
    key = ("embedder", files.embedder_id, settings.threads)
    if key not in _LOADED:
        from slant.llm.embedder import OnnxEmbedder

        _LOADED[key] = OnnxEmbedder(files, threads=settings.threads)
    embedder: OnnxEmbedder = _LOADED[key]
    return embedder


def model_for(settings: Settings, url: str | None = None) -> TextModel:
    """The language model the settings name, loaded (or connected to) once per process.

    With --llm-url the model is a server; `url` picks one of several (default: the first).
    """
    if settings.llm_urls:
        url = url or settings.llm_urls[0]
        key: tuple[Any, ...] = ("server", url, settings.n_ctx)
        if key not in _LOADED:
            from slant.llm.openai_server import OpenAIServerBackend

            _LOADED[key] = OpenAIServerBackend(url, settings.n_ctx)
        server: TextModel = _LOADED[key]
        return server
    from slant.llm.files import resolve_llm

    file = resolve_llm(settings)
    key = ("llm", file.sha256, settings.n_ctx, settings.threads, settings.seed)
    if key not in _LOADED:
        from slant.config.errors import ModelError
        from slant.llm.llama import LlamaCppBackend

        try:
            _LOADED[key] = backend = LlamaCppBackend(file, settings.n_ctx, settings.threads, settings.seed)
            atexit.register(backend.close)
        except ValueError as exc:  # llama.cpp's "Failed to load model from file"
            raise ModelError(
                f"llama.cpp cannot load {file.path}: {exc}", "pass --model with a valid GGUF file"
            ) from None
    model: TextModel = _LOADED[key]
    return model


def loaded_roles() -> list[str]:
    """Which models this process has loaded so far ("embedder", "llm")."""
    return sorted({key[0] for key in _LOADED})


def model_file(settings: Settings) -> ModelFile:
    """Which model the settings name, without loading it (a server is asked for its model id)."""
    if settings.llm_urls:
        return model_for(settings).model
    from slant.llm.files import resolve_llm

    return resolve_llm(settings)
