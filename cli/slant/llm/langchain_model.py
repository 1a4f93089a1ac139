"""The `langchain` backend: any LangChain chat model (`BaseChatModel`) or LLM (`BaseLLM`) as
slant's language model, behind the same verification as the others.

- The model comes from `--langchain-model module:attribute` (or `langchain_model` in slant.toml):
  a model object, or a function that returns one. Code that builds a model itself passes it to
  `LangChainBackend` directly (see `slant.integrations.langchain`).
- Generation settings reach the model through its own fields where it has them (`max_tokens`,
  `temperature`, `seed`; a model without a field is used as configured); `stop` goes with every
  call. Where slant needs JSON, a chat model is asked for structured output with slant's JSON
  schema; an LLM is prompted as usual, and slant's parsing and checks decide what stands.
- Tokens are counted with the model's own `get_num_tokens`. Provenance names the model by its
  LangChain id (`langchain:<class>:<model name>`), not by a file hash.
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel, BaseLanguageModel, BaseLLM

from slant.config.errors import ConfigError
from slant.config.settings import Settings
from slant.llm.files import ModelFile
from slant.llm.model import Completion

_GENERATION_FIELDS = ("max_tokens", "temperature", "seed")


class LangChainBackend:
    """The TextModel protocol over a LangChain language model."""

    def __init__(self, model: BaseLanguageModel[Any], n_ctx: int) -> None:
        if not isinstance(model, BaseChatModel | BaseLLM):
            raise ConfigError(
                f"{type(model).__name__} is not a LangChain chat model or LLM",
                "give --langchain-model a BaseChatModel or BaseLLM (or a function returning one)",
            )
        self.language_model = model
        self.context_size = n_ctx
        model_id = model_identity(model)
        self.model = ModelFile("llm", Path(model_id), 0, model_id, f"langchain {type(model).__name__}")

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` as the model counts them."""
        return int(self.language_model.get_num_tokens(text))

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
        """Generate through the LangChain model; `on_text` gets the text as it streams."""
        started = time.perf_counter()
        model = self._configured(max_tokens=max_tokens, temperature=temperature, seed=seed)
        first_token: float | None = None
        if json_schema is not None and isinstance(model, BaseChatModel):
            structured = model.with_structured_output(json_schema)
            text = json.dumps(structured.invoke(prompt, stop=stop), ensure_ascii=False)
            if on_text:
                on_text(text)
        else:
            pieces: list[str] = []
            for chunk in model.stream(prompt, stop=stop):
                piece = chunk if isinstance(chunk, str) else str(getattr(chunk, "content", "") or "")
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
            completion_tokens=self.count_tokens(text) if text else 0,
            seconds=seconds,
            first_token_seconds=first_token if first_token is not None else seconds,
        )

    def _configured(self, **generation: Any) -> BaseLanguageModel[Any]:
        """The model with slant's generation settings on the fields it has."""
        fields = type(self.language_model).model_fields
        update = {name: value for name, value in generation.items() if name in fields and name in _GENERATION_FIELDS}
        return self.language_model.model_copy(update=update) if update else self.language_model


def model_identity(model: BaseLanguageModel[Any]) -> str:
    """`langchain:<class>:<model name>` (the name from the model's usual fields, where it has one)."""
    name = next(
        (str(getattr(model, field)) for field in ("model_name", "model", "model_id") if getattr(model, field, None)),
        "",
    )
    return f"langchain:{type(model).__name__}" + (f":{name}" if name else "")


def load_model(target: str) -> BaseLanguageModel[Any]:
    """The model at `module:attribute`: the attribute itself, or what calling it returns."""
    module_name, sep, attribute = target.partition(":")
    if not sep or not module_name or not attribute:
        raise ConfigError(f"--langchain-model {target!r}", "write it as module:attribute, e.g. mypackage.models:chat")
    try:
        found = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"Cannot load --langchain-model {target!r}: {exc}", "check the module and its name") from None
    model = found() if callable(found) and not isinstance(found, BaseLanguageModel) else found
    if not isinstance(model, BaseLanguageModel):
        raise ConfigError(f"--langchain-model {target!r} gave {type(model).__name__}", "point it at a LangChain model")
    return model


def create(settings: Settings, url: str | None = None) -> LangChainBackend:
    """The `langchain` backend for the settings' --langchain-model."""
    if not settings.langchain_model:
        raise ConfigError("The langchain backend needs a model", "pass --langchain-model module:attribute")
    return LangChainBackend(load_model(settings.langchain_model), settings.n_ctx)
