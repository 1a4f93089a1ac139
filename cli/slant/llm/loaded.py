"""Loaded models, one per process: the embedder and the language model are loaded on first use
and reused by every later call with the same files and settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slant.config.settings import Settings
from slant.llm.files import resolve_embedder

if TYPE_CHECKING:
    from slant.llm.embedder import OnnxEmbedder
    from slant.llm.files import ModelFile
    from slant.llm.model import Completion, TextModel

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

    The backend comes from the registry (`slant.llm.backends`); with --llm-url servers, `url`
    picks one of them (default: the first).
    """
    from slant.llm.backends import backend_name, create_backend

    name = backend_name(settings)
    if url is None and settings.llm_urls:
        url = settings.llm_urls[0]
    key: tuple[Any, ...] = ("llm", name, url, settings.llm, settings.model, settings.langchain_model)
    key += (settings.n_ctx, settings.threads, settings.seed)
    if key not in _LOADED:
        _LOADED[key] = create_backend(name, settings, url)
    model: TextModel = _LOADED[key]
    return model


class LazyModel:
    """The settings' language model, loaded (or connected to) on first use: a task the evidence
    decides without it (`slant ask` with a small model) pays for no load. Which model it is, is
    known at once (`model`), for provenance and the writer rule.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.model = model_file(settings)

    @property
    def context_size(self) -> int:
        """The loaded model's context (loads it)."""
        return model_for(self.settings).context_size

    def count_tokens(self, text: str) -> int:
        """Tokens in the model's own tokenizer (loads it)."""
        return model_for(self.settings).count_tokens(text)

    def complete(self, prompt: str, **options: Any) -> Completion:
        """The loaded model's completion (see TextModel.complete)."""
        return model_for(self.settings).complete(prompt, **options)


def loaded_roles() -> list[str]:
    """Which models this process has loaded so far ("embedder", "llm")."""
    return sorted({key[0] for key in _LOADED})


def model_file(settings: Settings) -> ModelFile:
    """Which model the settings name, without loading it (another backend is asked for its id)."""
    from slant.llm.backends import backend_name

    if backend_name(settings) != "llama":
        return model_for(settings).model
    from slant.llm.files import resolve_llm

    return resolve_llm(settings)


def builtin_llm(settings: Settings) -> str | None:
    """Which built-in model (writer or fast) the settings run, or None for --model, a server or
    another backend.
    """
    from slant.llm.backends import backend_name

    if settings.model is not None or backend_name(settings) != "llama":
        return None
    return settings.llm
