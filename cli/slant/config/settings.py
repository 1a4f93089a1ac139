"""One settings model for every command: flag > SLANT_* environment > ./slant.toml > default."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from slant.config.errors import ConfigError

WORKSPACE_FILE = "slant.toml"
CHROMA_DEFAULT_PORT = 8000  # `chroma run`'s default


def default_cache_dir() -> Path:
    """Where slant keeps extracted tokenizers and model-verification records."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "slant"


class Settings(BaseSettings):
    """Every setting slant reads. `slant config` prints the effective values and their source."""

    model_config = SettingsConfigDict(
        env_prefix="SLANT_", extra="forbid", toml_file=WORKSPACE_FILE, validate_default=True
    )

    index: Path = Field(Path("index"), description="Folder of the embedded Chroma index.")
    chroma_url: str | None = Field(
        None, description="URL of a Chroma server (http://host:port); replaces the local index."
    )
    llm_url: str | None = Field(
        None,
        description="OpenAI-compatible model server(s), http://host:port/v1, comma-separated; replaces --model.",
    )
    backend: str | None = Field(
        None,
        description="Language-model backend: llama (in-process GGUF), openai (--llm-url), langchain "
        "(--langchain-model) or one a plugin registers; default llama, or openai with --llm-url.",
    )
    langchain_model: str | None = Field(
        None,
        description="For the langchain backend: module:attribute of a LangChain chat or LLM model, "
        "or of a function that returns one.",
    )
    llm: Literal["writer", "fast"] = Field(
        "writer",
        description="The built-in language model: writer = Qwen2.5-Coder-1.5B-Instruct Q4_K_M, the default; "
        "fast = Gemma 3 270M Q4_K_M, which adds nothing as a writer but loads and reads ~6x faster. "
        "--model overrides both.",
    )
    model: Path | None = Field(
        None, description="GGUF model file, instead of the built-in one --llm names (writer or fast)."
    )
    model_sha256: str | None = Field(None, description="Expected sha256 of --model; checked once, then remembered.")
    embedder: Path | None = Field(
        None,
        description="Folder holding model.onnx and tokenizer.json; default: all-MiniLM-L6-v2 int8.",
    )
    cache_dir: Path = Field(
        default_factory=default_cache_dir,
        description="Cache for the assembled models, model-verification records and kept reader outputs.",
    )
    n_ctx: int = Field(8192, ge=512, description="Context window (tokens) of the language model.")
    threads: int | None = Field(None, ge=1, description="CPU threads for the language model; default: all cores.")
    seed: int = Field(0, description="Sampling seed: same inputs, model, prompt and seed, same output.")
    temperature: float = Field(0.0, ge=0.0, le=2.0, description="Sampling temperature; 0 is greedy.")
    max_tokens: int = Field(256, ge=1, description="Most tokens one model call may generate.")
    chunk_chars: int = Field(1000, ge=200, description="Target size of an index chunk (characters).")
    chunk_overlap_chars: int = Field(
        200, ge=0, description="Overlap between neighbouring chunks (whole sentences, characters)."
    )
    k: int = Field(8, ge=1, le=100, description="Passages retrieved per question or search.")
    source_groups: dict[str, str] = Field(
        default_factory=dict,
        description="Each source's lean or group, for story coverage and blindspots: "
        '[source_groups] "Daily Planet" = "left" in slant.toml.',
    )
    summary_words: int = Field(75, ge=10, description="Most words in a summary of a story (--combined).")
    summary_sentences: int = Field(3, ge=1, description="Most sentences in a summary of one article.")
    summary_writer: Literal["auto", "model", "sources"] = Field(
        "sources",
        description="Who writes summaries: the sources' own sentences (the default: on NeuS val the writer added "
        "nothing and let one false sentence through its checks, see docs/analyses.md), the model (its sentences "
        "verified), or auto (the model when its local file is 1 GB or more).",
    )
    answer_writer: Literal["auto", "model", "sources"] = Field(
        "auto",
        description="When the model drafts answers: always (model), never (sources), or auto (always with a local "
        "model file of 1 GB or more; with a smaller one only when its draft can change which source sentence "
        "answers).",
    )
    camps: dict[str, list[str]] = Field(
        default_factory=dict,
        description="The analyst's camps for compare: name -> words naming its members (people, parties, "
        'organisations), e.g. [camps] Democrats = ["Pelosi", "Schumer", "Democratic"] in slant.toml.',
    )

    @field_validator("chroma_url")
    @classmethod
    def _normalise_chroma_url(cls, value: str | None) -> str | None:
        """One spelling per server (`HTTP://Host:8000/` is `http://host:8000`): the write lock and
        the local state of a server are keyed on it, so two spellings must not make two writers.
        """
        if value is None:
            return None
        from urllib.parse import urlsplit

        parts = urlsplit(value.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http://host:port URL")
        port = parts.port or CHROMA_DEFAULT_PORT
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        return f"{parts.scheme.lower()}://{host}:{port}{parts.path.rstrip('/')}"

    @field_validator("llm_url")
    @classmethod
    def _check_llm_urls(cls, value: str | None) -> str | None:
        for url in (value or "").split(","):
            if url.strip() and not url.strip().startswith(("http://", "https://")):
                raise ValueError(f"{url.strip()!r} is not an http:// or https:// URL")
        return value

    @property
    def llm_urls(self) -> list[str]:
        """The model servers to use, in order (empty: the in-process model)."""
        return [url.strip().rstrip("/") for url in (self.llm_url or "").split(",") if url.strip()]

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Flags (init) beat the environment, which beats slant.toml."""
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @classmethod
    def load(cls, **flags: Any) -> Settings:
        """Build settings from command-line flags (None means 'not given') and the rest."""
        given = {name: value for name, value in flags.items() if value is not None}
        try:
            settings = cls(**given)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(part) for part in first["loc"]) or "settings"
            raise ConfigError(
                f"Invalid setting {field!r}: {first['msg']}",
                f"fix the flag, SLANT_{field.upper()} or {WORKSPACE_FILE}",
            ) from None
        except (OSError, ValueError) as exc:  # an unreadable or malformed slant.toml
            raise ConfigError(f"Cannot read {WORKSPACE_FILE}: {exc}", "fix or remove it") from None
        settings = settings.resolved()
        if not settings.chroma_url and settings.index.exists() and not settings.index.is_dir():
            raise ConfigError(f"The index path {settings.index} is a file, not a folder", "give --index a folder")
        return settings

    def resolved(self) -> Settings:
        """Anchor relative paths at the workspace (the current directory)."""
        updates: dict[str, Path] = {}
        for name in ("index", "model", "embedder", "cache_dir"):
            value = getattr(self, name)
            if isinstance(value, Path):
                updates[name] = value.expanduser().resolve()
        return self.model_copy(update=updates)


def setting_sources(flags: dict[str, Any]) -> dict[str, str]:
    """Say where each effective value came from: flag, environment, slant.toml or default."""
    toml_keys: set[str] = set()
    if Path(WORKSPACE_FILE).is_file():
        import tomllib

        with open(WORKSPACE_FILE, "rb") as handle:
            toml_keys = set(tomllib.load(handle))
    sources = {}
    for name in Settings.model_fields:
        env_name = f"SLANT_{name.upper()}"
        if flags.get(name) is not None:
            sources[name] = "flag"
        elif env_name in os.environ:
            sources[name] = f"env {env_name}"
        elif name in toml_keys:
            sources[name] = f"{WORKSPACE_FILE}"
        else:
            sources[name] = "default"
    return sources
