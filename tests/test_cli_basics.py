import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from slant.app import app

runner = CliRunner()


def test_help_lists_commands_and_imports_no_heavy_library() -> None:
    code = (
        "import sys; from slant.app import app; "
        "heavy = [m for m in ('chromadb','llama_cpp','langchain_core','onnxruntime','numpy') if m in sys.modules]; "
        "print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    help_text = runner.invoke(app, ["--help"]).stdout
    for command in ("ingest", "ask", "summarize", "compare", "models", "doctor", "config"):
        assert command in help_text


def test_python_dash_m_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "slant", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("slant ")


def test_models_reports_verified_hashes() -> None:
    result = runner.invoke(app, ["models", "--json"])
    assert result.exit_code == 0, result.stderr
    rows = {row["role"]: row for row in json.loads(result.stdout)}
    assert rows["llm"]["sha256"] == "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
    assert rows["embedder"]["sha256"].startswith("8199be6f")
    assert Path(rows["tokenizer"]["path"]).name == "tokenizer.json"


def test_truncated_model_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 100)
    result = runner.invoke(app, ["--model", str(bad), "models"], env={"SLANT_MODEL_SHA256": "0" * 64})
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: ")
    assert str(bad) in result.stderr
    assert "0" * 64 in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_model_file_names_the_fix(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--model", str(tmp_path / "nope.gguf"), "models"])
    assert result.exit_code == 3
    assert "does not exist" in result.stderr
    assert "--model" in result.stderr


def test_config_shows_sources_in_precedence_order(workspace: Path) -> None:
    (workspace / "slant.toml").write_text("k = 5\nseed = 7\nmax_tokens = 99\n")
    result = runner.invoke(app, ["config", "--json"], env={"SLANT_SEED": "11"})
    assert result.exit_code == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["k"] == {"value": 5, "source": "slant.toml"}
    assert values["seed"] == {"value": 11, "source": "env SLANT_SEED"}
    assert values["n_ctx"]["source"] == "default"


def test_bad_setting_is_a_usage_error(workspace: Path) -> None:
    (workspace / "slant.toml").write_text("no_such_setting = 1\n")
    result = runner.invoke(app, ["config"])
    assert result.exit_code == 2
    assert "no_such_setting" in result.stderr


def test_doctor_passes_on_this_machine() -> None:
    result = runner.invoke(app, ["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert result.exit_code == 0, checks
    assert checks["index"]["ok"]
    assert "no index yet" in checks["index"]["detail"]
