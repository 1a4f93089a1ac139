"""Language-model backends by name, found as entry points of the group `slant.backends`.

slant registers its own the way any package can add one (pyproject.toml):

    [project.entry-points."slant.backends"]
    mybackend = "mypackage.slant_backend:create"

`create(settings: Settings, url: str | None) -> TextModel` builds the model; `slant --backend
mybackend ...` (or `backend = "mybackend"` in slant.toml) selects it. Whatever the backend, its
output goes through the same verification.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from slant.config.errors import ConfigError
from slant.config.settings import Settings

if TYPE_CHECKING:
    from slant.llm.model import TextModel

GROUP = "slant.backends"


def backend_name(settings: Settings) -> str:
    """The backend the settings select: --backend, else `openai` with --llm-url, else `llama`."""
    return settings.backend or ("openai" if settings.llm_urls else "llama")


def backend_names() -> list[str]:
    """Every installed backend."""
    return sorted(point.name for point in entry_points(group=GROUP))


def create_backend(name: str, settings: Settings, url: str | None = None) -> TextModel:
    """Build the named backend's model for these settings."""
    found = {point.name: point for point in entry_points(group=GROUP)}
    if name not in found:
        raise ConfigError(
            f"No language-model backend {name!r}",
            f"use one of {', '.join(sorted(found))}, or install the package that provides it",
        )
    try:
        create = found[name].load()
    except ImportError as exc:  # e.g. the langchain backend without slant's [langchain] extra
        raise ConfigError(
            f"The {name!r} backend cannot be loaded ({exc})",
            "install what it needs (the langchain backend: pip install 'slant[langchain]')",
        ) from None
    model: TextModel = create(settings, url)
    return model
