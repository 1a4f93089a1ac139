"""A language model behind an OpenAI-compatible server: llama-cpp-python's `python -m
llama_cpp.server`, llama.cpp's `llama-server`, vLLM. slant sends requests to that URL only
(no proxy from the environment, no redirects followed).

- Base models are prompted through the completions endpoint. The chat endpoint is used when the
  server reports a chat template (llama.cpp's `/props`), as the in-process backend does for a
  GGUF that carries one.
- Tokens are counted by the server's own tokenizer (`/extras/tokenize` of llama-cpp-python,
  `/tokenize` of llama.cpp). A server with neither gets an estimate: one token per 3 characters,
  rounded up (English averages about 4, so context windows err on the safe side).
- Determinism: the in-process backend evaluates every prompt afresh, because evaluating it in
  other pieces (reusing a cached prefix of the previous prompt) changes the arithmetic enough to
  change greedy text at times. llama.cpp's server is asked to do the same (`cache_prompt: false`).
  llama-cpp-python's server has no such switch: it always reuses the prefix its previous request
  shares with this one, so its text can depend on which request came before. Its first request
  after start-up is evaluated afresh and matches the in-process model.
- Connection failures and busy answers (429, 502, 503, 504) are retried with backoff; a
  completion is deterministic for a seed, so a retried request gives the same text.
- Only OpenAI's own request fields go to a server slant does not know as llama.cpp. A server
  that answers llama.cpp's `/props` or llama-cpp-python's `/extras/tokenize` also gets
  `repeat_penalty`, `cache_prompt` and a `grammar` for JSON output; any other server gets the
  JSON schema as OpenAI's `response_format`. Tested against llama-cpp-python's server (the
  tests start one); llama.cpp's `llama-server` and vLLM are supported by these rules, untested here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from slant.config.errors import BackendError, ConfigError
from slant.config.retry import with_retries
from slant.config.settings import Settings
from slant.llm.files import ModelFile
from slant.llm.model import Completion

REPEAT_PENALTY = 1.1  # the in-process backend's value, so both give the same text
CHARS_PER_TOKEN_ESTIMATE = 3
_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
_BUSY = {429, 502, 503, 504}
_HINT = "start it (e.g. `python -m llama_cpp.server --model FILE.gguf`) or fix --llm-url / SLANT_LLM_URL"


class _Busy(Exception):
    """The server answered, but asked to come back later."""


class OpenAIServerBackend:
    """The TextModel protocol over HTTP: completions (or chat), seeded, with token counting."""

    def __init__(self, url: str, n_ctx: int) -> None:
        self.url = url.rstrip("/")
        self._root = self.url.removesuffix("/v1")
        self._http = httpx.Client(timeout=_TIMEOUT, trust_env=False, follow_redirects=False)
        self._model_id = str(self._request("GET", f"{self.url}/models")["data"][0]["id"])
        # A server cannot prove which file it runs: the model is named by the server's id for it.
        self.model = ModelFile("llm", Path(self._model_id), 0, f"server:{self._model_id}", f"server {self.url}")
        self.context_size = n_ctx
        props = self._optional(f"{self._root}/props", None)
        self.chat = bool(props and props.get("chat_template"))
        self._tokenize, self._added_tokens = self._find_tokenizer()
        self.llama_cpp = props is not None or self._tokenize is not None  # sends llama.cpp's own fields

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` in the server's tokenizer (or the documented estimate)."""
        if self._tokenize is None:
            return math.ceil(len(text) / CHARS_PER_TOKEN_ESTIMATE)
        return len(self._tokenize(text)) - self._added_tokens

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
        """Generate on the server; `on_text` gets the whole text at once (no streaming)."""
        started = time.perf_counter()
        body = self.request_body(max_tokens=max_tokens, stop=stop, temperature=temperature, seed=seed)
        if json_schema is not None:
            body.update(self._json_output(json_schema))
        if self.chat:
            answer = self._request("POST", f"{self.url}/chat/completions", {**body, "messages": _user(prompt)})
            text = str(answer["choices"][0]["message"]["content"] or "")
        else:
            answer = self._request("POST", f"{self.url}/completions", {**body, "prompt": prompt})
            text = str(answer["choices"][0]["text"] or "")
        seconds = time.perf_counter() - started
        if on_text and text:
            on_text(text)
        return Completion(
            text=text,
            prompt_tokens=self.count_tokens(prompt),
            completion_tokens=self.count_tokens(text),
            seconds=seconds,
            first_token_seconds=seconds,
        )

    def request_body(self, *, max_tokens: int, stop: list[str], temperature: float, seed: int) -> dict[str, Any]:
        """The generation fields of a request: OpenAI's, plus llama.cpp's own for a llama.cpp server."""
        body: dict[str, Any] = {
            "model": self._model_id,
            "max_tokens": max_tokens,
            "stop": stop,
            "temperature": temperature,
            "seed": seed,
        }
        if self.llama_cpp:
            body["repeat_penalty"] = REPEAT_PENALTY
            body["cache_prompt"] = False  # llama.cpp's server: evaluate afresh (see the module docstring)
        return body

    def _json_output(self, json_schema: dict[str, Any]) -> dict[str, Any]:
        if not self.llama_cpp:
            schema = {"name": "slant_output", "schema": json_schema, "strict": True}
            return {"response_format": {"type": "json_schema", "json_schema": schema}}
        import json

        from llama_cpp.llama_grammar import json_schema_to_gbnf

        return {"grammar": json_schema_to_gbnf(json.dumps(json_schema))}

    # -- HTTP ----------------------------------------------------------------------------------

    def _find_tokenizer(self) -> tuple[Callable[[str], list[int]] | None, int]:
        """The server's tokenize endpoint, and how many tokens it adds to any text (BOS)."""
        candidates: list[tuple[str, str]] = [
            (f"{self._root}/extras/tokenize", "input"),  # llama-cpp-python
            (f"{self._root}/tokenize", "content"),  # llama.cpp's llama-server
        ]
        for endpoint, field in candidates:
            found = self._optional(endpoint, {field: ""})
            if found is not None and isinstance(found.get("tokens"), list):

                def tokenize(text: str, endpoint: str = endpoint, field: str = field) -> list[int]:
                    return list(self._request("POST", endpoint, {field: text})["tokens"])

                return tokenize, len(found["tokens"])
        return None, 0

    def _optional(self, endpoint: str, body: dict[str, Any] | None) -> dict[str, Any] | None:
        """An endpoint some servers lack: None when it answers 400, 404, 405 or 422."""
        found: dict[str, Any] | None = self._request("POST" if body else "GET", endpoint, body, optional=True)
        return found

    def _request(self, method: str, endpoint: str, body: dict[str, Any] | None = None, optional: bool = False) -> Any:
        def send() -> httpx.Response:
            response = self._http.request(method, endpoint, json=body)
            if response.status_code in _BUSY:
                raise _Busy(f"HTTP {response.status_code}")
            return response

        transient = (httpx.TransportError, _Busy)
        try:
            response = with_retries(send, transient)
        except transient as exc:
            raise BackendError(f"Cannot reach the model server at {self.url}: {exc}", _HINT) from None
        if optional and response.status_code in (400, 404, 405, 422):
            return None
        if response.status_code != 200:
            raise BackendError(
                f"The model server at {self.url} answered {response.status_code} to {method} {endpoint}: "
                f"{response.text[:200]}",
                "check the server's log",
            )
        try:
            return response.json()
        except ValueError:
            raise BackendError(f"The model server at {self.url} sent non-JSON from {endpoint}", _HINT) from None


def _user(prompt: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": prompt}]


def create(settings: Settings, url: str | None = None) -> OpenAIServerBackend:
    """The `openai` backend: the OpenAI-compatible server at `url` (default: the first --llm-url)."""
    url = url or (settings.llm_urls[0] if settings.llm_urls else None)
    if url is None:
        raise ConfigError("The openai backend needs a server", "pass --llm-url http://host:port/v1")
    return OpenAIServerBackend(url, settings.n_ctx)
