"""Every test gets its own workspace: no SLANT_* from outside, index and caches under tmp_path.
The model files themselves are real (the installed packages); only where slant caches them moves.
Server-mode tests start real servers on loopback: `chroma run` and llama-cpp-python's server."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
ARTICLES = REPO / "tests" / "articles"
_SHARED_CACHE = Path(os.environ.get("SLANT_TEST_CACHE", "/tmp/slant-test-cache"))
_BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("SLANT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    # The assembled GGUFs (Gemma 253 MB, the writer 1.1 GB) are shared between tests and built
    # once; everything else is per test.
    monkeypatch.setenv("SLANT_CACHE_DIR", str(_SHARED_CACHE))
    # The suite runs on the fast model (Gemma 3 270M): the writer loads and reads ~6x slower and
    # CI has 90 minutes. The writer's own tests opt in with the `writer` fixture.
    monkeypatch.setenv("SLANT_LLM", "fast")
    monkeypatch.setenv("SLANT_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("SLANT_DEBUG", "0")
    return tmp_path


@pytest.fixture
def writer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run this test on the writer, slant's default model (Qwen2.5-Coder-1.5B-Instruct)."""
    monkeypatch.setenv("SLANT_LLM", "writer")


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """Articles the team wrote on unrelated made-up events (council, company, sport, weather)."""
    target = tmp_path / "articles"
    shutil.copytree(ARTICLES, target)
    return target


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _run_chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(binary).exists():
        pytest.fail("chromium is not installed: `make test` installs it (apt-get install -y chromium)")
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture
def chromium() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run Debian's headless Chromium: chromium(*args, profile=DIR) -> the finished process."""
    return _run_chromium


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServerProcess:
    """A real server subprocess on 127.0.0.1 (or another loopback `host`), started and stopped by the test."""

    def __init__(
        self, command: list[str], health_path: str, log: Path, port: int | None = None, host: str = "127.0.0.1"
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"
        self._command = [part.replace("{port}", str(self.port)) for part in command]
        self._health = self.url + health_path
        self._log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait until it answers or exits. No deadline: a loaded machine only
        makes this slower (a server that neither answers nor exits is a hang for pytest to show).
        """
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(self._command, stdout=log, stderr=log, env=env)
        with httpx.Client(trust_env=False, timeout=2.0) as client:
            while True:
                if self._process.poll() is not None:
                    raise RuntimeError(f"{self._command[0]} exited: {self._log.read_text()[-2000:]}")
                try:
                    if client.get(self._health).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.1)

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def chroma_server_at(path: Path, log: Path, host: str = "127.0.0.1") -> ServerProcess:
    command = [str(_BIN / "chroma"), "run", "--path", str(path), "--host", host, "--port", "{port}"]
    return ServerProcess(command, "/api/v2/heartbeat", log, host=host)


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A fresh `chroma run` on an empty folder; its local state dir (lock, journal) starts empty too."""
    from slant.config.settings import Settings
    from slant.index.store import state_dir

    server = chroma_server_at(tmp_path / "chroma-data", tmp_path / "chroma.log")
    shutil.rmtree(state_dir(Settings(chroma_url=server.url, cache_dir=_SHARED_CACHE)), ignore_errors=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def chroma_server_on_ipv6(tmp_path: Path) -> Iterator[ServerProcess]:
    """A fresh `chroma run` listening on the IPv6 loopback address only (::1)."""
    from slant.config.settings import Settings
    from slant.index.store import state_dir

    server = chroma_server_at(tmp_path / "chroma-data", tmp_path / "chroma.log", host="::1")
    shutil.rmtree(state_dir(Settings(chroma_url=server.url, cache_dir=_SHARED_CACHE)), ignore_errors=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["embedded", "server"])
def index_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test against the embedded index and again against a real Chroma server."""
    if request.param == "server":
        server: ServerProcess = request.getfixturevalue("chroma_server")
        monkeypatch.setenv("SLANT_CHROMA_URL", server.url)
    return str(request.param)


def llama_server_process(log: Path) -> ServerProcess:
    """llama-cpp-python's OpenAI-compatible server with the default model and slant's n_ctx and seed."""
    from slant.config.settings import Settings
    from slant.llm.files import resolve_llm

    model = resolve_llm(Settings(cache_dir=_SHARED_CACHE)).path
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model)]
    command += ["--host", "127.0.0.1", "--port", "{port}", "--seed", "0", "--n_ctx", "8192"]
    return ServerProcess(command, "/v1/models", log)


def _fresh(server: ServerProcess) -> Iterator[ServerProcess]:
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def llama_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A fresh model server: it evaluates its first prompt afresh, as slant does in-process."""
    yield from _fresh(llama_server_process(tmp_path / "llama.log"))


@pytest.fixture
def second_llama_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """Another fresh model server, for work spread over two."""
    yield from _fresh(llama_server_process(tmp_path / "llama-2.log"))


class ScriptedModel:
    """A model that always proposes the same text, and counts its calls: for the edge cases the
    real models cannot be made to produce on demand (a verified draft, a swapped name). Asked the
    meaning check's question (prompts/judge.yaml), it answers `judge(prompt)`: yes by default."""

    context_size = 4096

    def __init__(self, text: str, size: int, judge: Callable[[str], bool] = lambda _prompt: True) -> None:
        from slant.llm.files import ModelFile

        self.text = text
        self.judge = judge
        self.calls = 0
        self.model = ModelFile("llm", Path("scripted.gguf"), size, "0" * 64, "test")

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def complete(self, prompt: str, **options: Any) -> Any:
        from slant.llm.model import Completion
        from slant.llm.prompts import load_prompt

        if options.get("json_schema") == load_prompt("judge").output_schema:
            verdict = json.dumps({"answer": "yes" if self.judge(prompt) else "no"})
            return Completion(text=verdict, prompt_tokens=1, completion_tokens=1, seconds=0.0, first_token_seconds=0.0)
        self.calls += 1
        return Completion(text=self.text, prompt_tokens=1, completion_tokens=1, seconds=0.0, first_token_seconds=0.0)


@pytest.fixture
def scripted_model() -> type[ScriptedModel]:
    """ScriptedModel(text, size): a model file of `size` bytes that always proposes `text`."""
    return ScriptedModel
