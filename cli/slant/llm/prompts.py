"""Prompt templates as files (prompts/*.yaml): loaded strictly, rendered in Jinja's sandbox,
and identified by id@version plus the sha256 of the rendered text.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from slant.config.errors import ConfigError


class PromptParameters(BaseModel):
    """Generation parameters that belong to the prompt."""

    model_config = ConfigDict(extra="forbid")

    max_tokens: int = Field(gt=0)
    stop: list[str] = []


class PromptFile(BaseModel):
    """One prompts/*.yaml file."""

    model_config = ConfigDict(extra="forbid")

    id: str
    version: int
    description: str
    variables: list[str]
    parameters: PromptParameters
    output_schema: dict[str, Any] | None = None  # JSON schema the output is constrained to
    template: str


class RenderedPrompt(BaseModel):
    """A prompt ready to send, with what identifies it in every output."""

    id: str
    version: int
    text: str
    sha256: str
    parameters: PromptParameters
    output_schema: dict[str, Any] | None = None  # the prompt file's: the output is constrained to it

    @property
    def ref(self) -> str:
        """`id@version`."""
        return f"{self.id}@{self.version}"


def prompts_dir() -> Path:
    """$SLANT_PROMPTS_DIR if set (evals try prompt variants this way), else prompts/ inside the
    installed package, else in the source checkout (editable installs).
    """
    override = os.environ.get("SLANT_PROMPTS_DIR")
    if override:
        return Path(override).expanduser().resolve()
    packaged = Path(__file__).parents[1] / "prompts"  # slant/prompts in an installed wheel
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "prompts"


@cache
def load_prompt(name: str, folder: Path | None = None) -> PromptFile:
    """Load and validate prompts/NAME.yaml."""
    path = (folder or prompts_dir()) / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return PromptFile.model_validate(data)
    except OSError as exc:
        raise ConfigError(f"Cannot read prompt {path}: {exc.strerror}", "reinstall slant") from None
    except (yaml.YAMLError, ValidationError) as exc:
        raise ConfigError(f"Invalid prompt file {path}: {exc}", "fix the file") from None


def template_variables(template: str) -> set[str]:
    """Variables a template uses (for the test that checks declared == used)."""
    from jinja2 import meta
    from jinja2.sandbox import SandboxedEnvironment

    return set(meta.find_undeclared_variables(SandboxedEnvironment().parse(template)))


def render(name: str, **values: Any) -> RenderedPrompt:
    """Render prompts/NAME.yaml with `values` (every declared variable must be given)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    prompt = load_prompt(name, prompts_dir())
    missing = set(prompt.variables) - set(values)
    if missing:
        raise ConfigError(f"Prompt {name} needs {sorted(missing)}", "this is a bug in slant")
    environment = SandboxedEnvironment(undefined=StrictUndefined, keep_trailing_newline=True)
    text = environment.from_string(prompt.template).render(**values)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return RenderedPrompt(
        id=prompt.id,
        version=prompt.version,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        parameters=prompt.parameters,
        output_schema=prompt.output_schema,
    )
