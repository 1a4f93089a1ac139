"""`slant doctor`: check what an analyst would otherwise debug by hand, and say what to fix."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Callable

from pydantic import BaseModel

from slant.errors import SlantError
from slant.models import resolve_embedder, resolve_llm
from slant.settings import Settings

MIN_SQLITE = (3, 35, 0)  # Chroma refuses older SQLite
MIN_FREE_BYTES = 1 << 30


class Check(BaseModel):
    """One check: what was looked at, whether it is fine, and what to do if not."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(settings: Settings) -> list[Check]:
    """Every check, in the order an analyst would fix them."""
    checks = [
        _check("python", lambda: _python()),
        _check("sqlite", lambda: _sqlite()),
        _check("language model", lambda: _llm(settings)),
        _check("embedder", lambda: _embedder(settings)),
        _check("llama.cpp", lambda: _llama_cpp()),
        _check("index", lambda: _index(settings)),
        _check("disk", lambda: _disk(settings)),
    ]
    return checks


def _check(name: str, probe: Callable[[], str]) -> Check:
    try:
        return Check(name=name, ok=True, detail=probe())
    except SlantError as exc:
        return Check(name=name, ok=False, detail=exc.message, fix=exc.hint)


def _python() -> str:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info[:2] != (3, 11):
        raise SlantError(f"Python {version}", "slant is built and tested on Python 3.11")
    return f"Python {version}"


def _sqlite() -> str:
    version = sqlite3.sqlite_version_info
    text = sqlite3.sqlite_version
    if version < MIN_SQLITE:
        raise SlantError(
            f"SQLite {text} is older than the 3.35 Chroma needs",
            "use a Python built against a newer SQLite (e.g. Python 3.11 from python.org or pyenv)",
        )
    return f"SQLite {text}"


def _llm(settings: Settings) -> str:
    if settings.llm_urls:
        from slant.runtime import model_for

        return "; ".join(f"{model_for(settings, url).model.path} on {url}" for url in settings.llm_urls)
    model = resolve_llm(settings)
    return f"{model.path} ({model.size / 1e6:.0f} MB, sha256 {model.sha256[:12]}…, {model.origin})"


def _embedder(settings: Settings) -> str:
    files = resolve_embedder(settings)
    return f"{files.embedder_id} ({files.onnx.origin})"


def _llama_cpp() -> str:
    try:
        import llama_cpp
    except ImportError as exc:
        raise SlantError(f"llama-cpp-python cannot be imported: {exc}", "run `make install`") from None
    return f"llama-cpp-python {llama_cpp.__version__}"


def _index(settings: Settings) -> str:
    from slant.store import Store

    files = resolve_embedder(settings)
    try:
        store = Store.open(settings, files.embedder_id)
    except SlantError as exc:
        if "No slant index" in exc.message:
            return f"no index yet at {settings.index} (`slant ingest` creates it)"
        raise
    documents, chunks = store.counts()
    return f"{settings.chroma_url or settings.index}: {documents} documents, {chunks} chunks"


def _disk(settings: Settings) -> str:
    folder = settings.index if settings.index.exists() else settings.index.parent
    while not folder.exists():
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if free < MIN_FREE_BYTES:
        raise SlantError(f"only {free / 1e9:.2f} GB free at {folder}", "free some disk space")
    return f"{free / 1e9:.1f} GB free at {folder}"
