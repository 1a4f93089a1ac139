"""A LangChain LLM over the local llama.cpp model, written for the tests: it generates as slant's
in-process backend does (fresh evaluation of every prompt, the same repeat penalty), so slant's
LangChain backend can be checked to give the very answers the in-process model gives.

`slant --backend langchain --langchain-model llama_langchain:default_model` loads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import LLM
from langchain_core.outputs import GenerationChunk

_LOADED: dict[tuple[str, int, int], Any] = {}


class LlamaCppLLM(LLM):
    """llama-cpp-python as a LangChain LLM (completion prompts, streamed)."""

    model_path: str
    n_ctx: int = 8192
    max_tokens: int = 256
    temperature: float = 0.0
    seed: int = 0

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-test"

    @property
    def model_name(self) -> str:
        return self.model_path.rsplit("/", 1)[-1]

    def _llama(self) -> Any:
        import llama_cpp

        key = (self.model_path, self.n_ctx, self.seed)
        if key not in _LOADED:
            _LOADED[key] = llama_cpp.Llama(model_path=self.model_path, n_ctx=self.n_ctx, seed=self.seed, verbose=False)
        return _LOADED[key]

    def get_num_tokens(self, text: str) -> int:
        return len(self._llama().tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def _call(
        self, prompt: str, stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **_: Any
    ) -> str:
        return "".join(chunk.text for chunk in self._stream(prompt, stop, run_manager))

    def _stream(
        self, prompt: str, stop: list[str] | None = None, run_manager: CallbackManagerForLLMRun | None = None, **_: Any
    ) -> Iterator[GenerationChunk]:
        llama = self._llama()
        llama.reset()  # evaluate every prompt afresh, as slant's in-process backend does
        events = llama.create_completion(
            prompt,
            max_tokens=self.max_tokens,
            stop=stop or [],
            temperature=self.temperature,
            seed=self.seed,
            stream=True,
            repeat_penalty=1.1,
        )
        for event in events:
            piece = event["choices"][0]["text"]
            if run_manager is not None and piece:
                run_manager.on_llm_new_token(piece)
            yield GenerationChunk(text=piece)


def default_model() -> LlamaCppLLM:
    """The default GGUF (from the registry package) as a LangChain LLM."""
    from slant.config.settings import Settings
    from slant.llm.files import resolve_llm

    return LlamaCppLLM(model_path=str(resolve_llm(Settings.load()).path))
