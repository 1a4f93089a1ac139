"""`slant doctor`: check what an analyst would otherwise debug by hand, and say what to fix."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable

from pydantic import BaseModel

from slant.config.errors import SlantError
from slant.config.settings import Settings
from slant.llm.files import resolve_embedder, resolve_llm

MIN_SQLITE = (3, 35, 0)  # Chroma refuses older SQLite
SUPPORTED_PYTHON = ((3, 11), (3, 13))  # the oldest and newest minor version CI runs
MIN_FREE_BYTES = 1 << 30


class Check(BaseModel):
    """One check: what was looked at, whether it is fine, and what to do if not."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(settings: Settings) -> list[Check]:
    """Every check, in the order an analyst would fix them."""
    index = _check("index", lambda: _index(settings))
    stories = _check("stories", lambda: _stories(settings)) if index.ok else _not_checked("stories", "index")
    return [
        _check("python", lambda: _python()),
        _check("sqlite", lambda: _sqlite()),
        _check("language model", lambda: _llm(settings)),
        _check("embedder", lambda: _embedder(settings)),
        _check("llama.cpp", lambda: _llama_cpp(settings)),
        index,
        stories,
        _check("disk", lambda: _disk(settings)),
        _check("kept outputs", lambda: _kept_outputs(settings)),
    ]


def _not_checked(name: str, needed: str) -> Check:
    return Check(name=name, ok=False, detail=f"not checked: the {needed} check failed", fix=f"see the {needed} check")


def _check(name: str, probe: Callable[[], str]) -> Check:
    try:
        return Check(name=name, ok=True, detail=probe())
    except SlantError as exc:
        return Check(name=name, ok=False, detail=exc.message, fix=exc.hint)


def _python() -> str:
    version = ".".join(map(str, sys.version_info[:3]))
    oldest, newest = SUPPORTED_PYTHON
    if not oldest <= sys.version_info[:2] <= newest:
        raise SlantError(f"Python {version}", "slant is built and tested on Python 3.11 to 3.13")
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
    from slant.llm.backends import backend_name
    from slant.llm.loaded import model_for

    if settings.llm_urls:
        return "; ".join(f"{model_for(settings, url).model.path} on {url}" for url in settings.llm_urls)
    if backend_name(settings) != "llama":
        return f"{model_for(settings).model.sha256} ({backend_name(settings)} backend)"
    model = resolve_llm(settings)
    return f"{model.path} ({model.size / 1e6:.0f} MB, sha256 {model.sha256[:12]}…, {model.origin})"


def _embedder(settings: Settings) -> str:
    files = resolve_embedder(settings)
    return f"{files.embedder_id} ({files.onnx.origin})"


def _llama_cpp(settings: Settings) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("llama-cpp-python")
    except PackageNotFoundError:
        raise SlantError("llama-cpp-python is not installed", "run `make install`") from None
    from slant.llm.backends import backend_name

    if backend_name(settings) != "llama":
        return f"llama-cpp-python {installed} (not used: the {backend_name(settings)} backend serves the model)"
    model = resolve_llm(settings)
    # A llama.cpp build that does not work on this CPU crashes the process (a segfault, not an
    # exception), so one token is generated in a child process that may die.
    probe = subprocess.run(
        [sys.executable, "-c", _GENERATE_ONE_TOKEN, str(model.path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        fix = f"install the version slant is tested with ({_tested_llama_cpp()}): run `make install`"
        if probe.returncode < 0:
            crash = signal.Signals(-probe.returncode).name
            raise SlantError(f"llama-cpp-python {installed} crashes ({crash}) generating one token", fix)
        last_line = (probe.stderr.strip().splitlines() or ["no message"])[-1]
        raise SlantError(f"llama-cpp-python {installed} cannot generate with {model.path.name}: {last_line}", fix)
    read, written = (float(rate) for rate in probe.stdout.split()[-2:])
    from slant.tasks.ask import expected_seconds

    return (
        f"llama-cpp-python {installed}: {model.path.name} reads {read:.0f} prompt tokens/s and writes "
        f"{written:.0f} tokens/s here; expect about {expected_seconds(read, written, settings):.0f} s "
        "for a written answer"
    )


# Reads a prompt and writes a few tokens; prints both rates (tokens per second).
_GENERATE_ONE_TOKEN = """
import sys, time
import llama_cpp
llama = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=512, verbose=False)
prompt = "The council met on Tuesday to discuss the budget for the next year. " * 8
started = time.perf_counter()
read = llama.create_completion(prompt, max_tokens=1, temperature=0.0)
reading = time.perf_counter() - started
llama.reset()
started = time.perf_counter()
written = llama.create_completion("Once upon a time", max_tokens=24, temperature=0.0)
writing = time.perf_counter() - started
llama.close()
print(read["usage"]["prompt_tokens"] / reading, written["usage"]["completion_tokens"] / writing)
"""


def _tested_llama_cpp() -> str:
    """The llama-cpp-python versions this slant declares (its tested range)."""
    from importlib.metadata import PackageNotFoundError, requires

    try:
        wanted = [r for r in requires("slant") or [] if r.startswith("llama-cpp-python") and "extra" not in r]
    except PackageNotFoundError:
        wanted = []
    return wanted[0] if wanted else "see requirements.lock"


def _index(settings: Settings) -> str:
    from slant.index.store import Store

    files = resolve_embedder(settings)
    try:
        store = Store.open(settings, files.embedder_id)
    except SlantError as exc:
        if "No slant index" in exc.message:
            return f"no index yet at {settings.index} (`slant ingest` creates it)"
        raise
    documents, chunks = store.counts()
    return f"{settings.chroma_url or settings.index}: {documents} documents, {chunks} chunks"


def _stories(settings: Settings) -> str:
    """Whether every stored article is in a story and every story's articles are stored."""
    from slant.index.store import Store
    from slant.index.stories import StoryStore

    try:
        store = Store.open(settings, resolve_embedder(settings).embedder_id)
    except SlantError:
        return "no index to check (see the index check)"
    stored = set(store.ids())
    unplaced, missing = StoryStore(store).out_of_step(stored)
    if unplaced or missing:
        raise SlantError(
            f"{len(unplaced)} documents are in no story and {len(missing)} removed documents are still in "
            "stories (a write was cut off)",
            "run `slant doctor --repair`",
        )
    return f"each of the {len(stored)} documents is in a story"


def _disk(settings: Settings) -> str:
    folder = settings.index if settings.index.exists() else settings.index.parent
    while not folder.exists():
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if free < MIN_FREE_BYTES:
        raise SlantError(f"only {free / 1e9:.2f} GB free at {folder}", "free some disk space")
    return f"{free / 1e9:.1f} GB free at {folder}"


def _kept_outputs(settings: Settings) -> str:
    """What the output memo keeps (slant.llm.output_memo): never a failure, deleting it is safe."""
    from slant.llm.output_memo import FILE_NAME, kept

    count, size = kept(settings.cache_dir)
    where = settings.cache_dir / FILE_NAME
    return f"{count} reader and embedder outputs ({size / 1e6:.1f} MB) in {where}" if count else f"none yet in {where}"
