"""What produced an output: model file, prompt and generation parameters."""

from __future__ import annotations

from pydantic import BaseModel

from slant.config.settings import Settings
from slant.config.versions import native_versions
from slant.llm.model import TextModel
from slant.llm.prompts import RenderedPrompt


class Provenance(BaseModel):
    """Enough to reproduce an output: same model file, prompt, parameters and seed."""

    model: str
    model_sha256: str
    prompt: str
    prompt_sha256: str
    seed: int
    temperature: float
    max_tokens: int
    runtime: dict[str, str] = {}  # versions of llama-cpp-python, chromadb and onnxruntime


def provenance(model: TextModel, prompt: RenderedPrompt, settings: Settings) -> Provenance:
    """The provenance of one model call."""
    return Provenance(
        model=model.model.path.name,
        model_sha256=model.model.sha256,
        prompt=prompt.ref,
        prompt_sha256=prompt.sha256,
        seed=settings.seed,
        temperature=settings.temperature,
        max_tokens=min(prompt.parameters.max_tokens, settings.max_tokens),
        runtime=native_versions(),
    )
