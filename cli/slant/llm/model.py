"""What the analyses need from a language model, whichever backend provides it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

from slant.llm.files import ModelFile

if TYPE_CHECKING:
    from slant.config.settings import Settings
    from slant.llm.prompts import RenderedPrompt


class Completion(BaseModel):
    """One model call's text and cost."""

    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    first_token_seconds: float


WRITER_BYTES = 1_000_000_000  # a local model file this large writes prose worth verifying; smaller ones do not


def is_writer(file: ModelFile) -> bool:
    """Whether a model writes prose ("auto" writers): a local file of 1 GB or more. The default
    270M model was measured as a writer of answers and summaries and adds nothing; a served
    model's size is unknown (0), so it writes only when the settings say so.
    """
    return file.size >= WRITER_BYTES


class TextModel(Protocol):
    """A model that continues a prompt (base models) or answers it (chat models)."""

    model: ModelFile

    @property
    def context_size(self) -> int:
        """Tokens of prompt and completion the model takes."""
        ...

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


def generate(
    model: TextModel,
    prompt: RenderedPrompt,
    settings: Settings,
    *,
    json_schema: dict[str, Any] | None = None,
    on_text: Callable[[str], None] | None = None,
) -> Completion:
    """One model call for a rendered prompt, with the prompt's parameters capped by the settings,
    constrained to `json_schema`, else to the prompt's own output schema.
    """
    return model.complete(
        prompt.text,
        max_tokens=min(prompt.parameters.max_tokens, settings.max_tokens),
        stop=prompt.parameters.stop,
        temperature=settings.temperature,
        seed=settings.seed,
        json_schema=json_schema if json_schema is not None else prompt.output_schema,
        on_text=on_text,
    )
