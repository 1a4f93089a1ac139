"""Loaded models, one per process: the embedder and the language model are loaded on first use
and reused by every later call with the same files and settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slant.models import resolve_embedder
from slant.settings import Settings

if TYPE_CHECKING:
    from slant.backends.embedder import OnnxEmbedder

_LOADED: dict[tuple[Any, ...], Any] = {}


def embedder_for(settings: Settings) -> OnnxEmbedder:
    """The embedder the settings name, loaded once per process."""
    files = resolve_embedder(settings)
    key = ("embedder", files.embedder_id, settings.threads)
    if key not in _LOADED:
        from slant.backends.embedder import OnnxEmbedder

        _LOADED[key] = OnnxEmbedder(files, threads=settings.threads)
    embedder: OnnxEmbedder = _LOADED[key]
    return embedder
