"""What the analyses need from a language model, whichever backend provides it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from pydantic import BaseModel

from slant.models import ModelFile


class Completion(BaseModel):
    """One model call's text and cost."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    first_token_seconds: float


class TextModel(Protocol):
    """A model that continues a prompt (base models) or answers it (chat models)."""

    model: ModelFile
    context_size: int

    def count_tokens(self, text: str) -> int:
        """Tokens in the model's own tokenizer."""
        ...

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
        """Generate; the same prompt, model, parameters and seed give the same text."""
        ...
