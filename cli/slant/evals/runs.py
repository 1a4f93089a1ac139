"""Run folders: evals/runs/<id>/ holds manifest.json (what produced the run), results.jsonl
(one case per line: output, timings, error, every check), summary.json and report.md.
A blessed baseline is the same files under evals/baseline/<suite>/.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from slant import __version__
from slant.config.errors import InputError
from slant.config.versions import native_versions
from slant.evals.loading import LoadedSuite
from slant.evals.report import markdown_report
from slant.evals.runner import CaseResult, SuiteRun
from slant.evals.summary import Summary, summarise
from slant.llm.prompts import load_prompt, prompts_dir

RUN_FILES = ("manifest.json", "results.jsonl", "summary.json", "report.md")


def manifest(loaded: LoadedSuite, run: SuiteRun, use_cache: bool, judge: dict[str, Any] | None) -> dict[str, Any]:
    """Everything that produced the run: model, embedder, prompts, settings, code, machine."""
    folder = prompts_dir()
    prompts = []
    for path in sorted(folder.glob("*.yaml")):
        prompt = load_prompt(path.stem, folder)
        prompts.append({"id": prompt.id, "version": prompt.version, "sha256": _sha256(path)})
    settings = run.settings.model_dump(mode="json", exclude={"index", "cache_dir"})
    return {
        "suite": suite_identity(loaded),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "slant_version": __version__,
        "model": {"file": run.model.model.path.name, "sha256": run.model.model.sha256},
        "embedder": run.embedder_id,
        "runtime": native_versions(),
        "prompts_dir": str(folder),
        "prompts": prompts,
        "settings": settings,
        "seed": run.settings.seed,
        "cache": {"enabled": use_cache, "hits": run.cache_hits, "misses": run.cache_misses},
        "judge": judge,
        "git": git_revision(),
        "machine": {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
    }


def suite_identity(loaded: LoadedSuite) -> dict[str, Any]:
    """Which suite and annotations (by hash) a run or a rescore used."""
    return {
        "id": loaded.suite.suite,
        "version": loaded.suite.version,
        "path": str(loaded.path),
        "sha256": _sha256(loaded.path),
        "annotations_sha256": _sha256(loaded.annotations_path),
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def git_revision() -> dict[str, Any]:
    """The checkout's commit and whether it has uncommitted changes (None outside git)."""
    repo = Path(__file__).resolve().parents[3]
    try:
        revision = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True, check=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {"revision": None, "dirty": None}
    return {"revision": revision, "dirty": bool(status.strip())}


def new_run_id(suite: str) -> str:
    """A sortable, unique run id: UTC time, suite, process id."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{suite}-{os.getpid()}"


def write_run(folder: Path, manifest_data: dict[str, Any], results: list[CaseResult]) -> Summary:
    """Write (or rewrite) a run folder and return its summary."""
    folder.mkdir(parents=True, exist_ok=True)
    summary = summarise(results)
    (folder / "manifest.json").write_text(json.dumps(manifest_data, indent=2) + "\n", encoding="utf-8")
    lines = [r.model_dump_json() for r in results]
    (folder / "results.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "summary.json").write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    (folder / "report.md").write_text(markdown_report(manifest_data, summary, results), encoding="utf-8")
    return summary


class StoredRun(BaseModel):
    """A run folder read back."""

    folder: Path
    manifest: dict[str, Any]
    results: list[CaseResult]


def read_run(folder: Path) -> StoredRun:
    """Read a run folder; a missing or damaged one is one clear line."""
    if not (folder / "manifest.json").is_file() or not (folder / "results.jsonl").is_file():
        raise InputError(f"{folder} is not a run folder (no manifest.json/results.jsonl)", "give evals/runs/<id>")
    try:
        manifest_data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        lines = (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()
        results = [CaseResult.model_validate_json(line) for line in lines if line.strip()]
    except (ValueError, ValidationError) as exc:
        raise InputError(f"{folder}: damaged run files ({str(exc).splitlines()[0]})", "run the suite again") from None
    return StoredRun(folder=folder, manifest=manifest_data, results=results)


def bless(run: StoredRun, baseline_root: Path) -> Path:
    """Copy a run's files to baseline_root/<suite>/ (replacing the previous baseline)."""
    target = baseline_root / str(run.manifest["suite"]["id"])
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in RUN_FILES:
        if (run.folder / name).is_file():
            shutil.copy2(run.folder / name, target / name)
    return target
