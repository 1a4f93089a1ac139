"""Run a suite: ingest its articles into a run-local index, run every case through the real
analyses (ask, summarize, compare), and score the outputs. A case that fails is recorded with
its error and all its checks unmeasured; the run goes on.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from slant.config.errors import ConfigError, IndexUnavailableError
from slant.config.progress import NoProgress, Progress
from slant.config.settings import Settings
from slant.evals.cache import CachedModel
from slant.evals.loading import LoadedSuite
from slant.evals.schema import Case, field_path
from slant.evals.scoring import CheckResult, score_case
from slant.llm.model import TextModel

VOLATILE_KEYS = ("timings", "seconds")  # wall-clock fields: kept apart, never compared


class CaseResult(BaseModel):
    """One case: its output (deterministic part), timings, error, and every check."""

    id: str
    task: str
    input: dict[str, Any]
    output: dict[str, Any] | None
    timings: dict[str, Any]
    error: str | None
    checks: list[CheckResult]


@dataclass
class RunOptions:
    """How to run: output cache, and the optional judge model."""

    cache_dir: Path
    use_cache: bool = True
    judge_model: Path | None = None
    judge_sha256: str | None = None
    progress: Progress = field(default_factory=NoProgress)


@dataclass
class SuiteRun:
    """What running a suite produced."""

    settings: Settings
    model: TextModel
    embedder_id: str
    results: list[CaseResult]
    cache_hits: int
    cache_misses: int


def run_settings(loaded: LoadedSuite, settings: Settings) -> Settings:
    """The settings with the suite's overrides (checked against the settings model)."""
    unknown = sorted(set(loaded.suite.settings) - set(Settings.model_fields))
    if unknown:
        raise ConfigError(f"{loaded.path}: settings.{unknown[0]}: not a slant setting", "see `slant config`")
    try:
        return Settings.model_validate({**settings.model_dump(), **loaded.suite.settings}).resolved()
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(
            f"{loaded.path}: {field_path(('settings', *first['loc']))}: {first['msg']}", "fix it"
        ) from None


def run_suite(loaded: LoadedSuite, settings: Settings, options: RunOptions) -> SuiteRun:
    """Ingest, run and score every case (see the module docstring)."""
    from slant.index.ingest import ingest
    from slant.llm.loaded import embedder_for, model_for

    settings = run_settings(loaded, settings)
    model = CachedModel(model_for(settings), options.cache_dir, options.use_cache)
    judge_model = None
    if options.judge_model is not None:
        from slant.evals.judge import load_judge

        judge_model = load_judge(settings, options.judge_model, options.judge_sha256, model.model.sha256)
    embedder = embedder_for(settings)
    results = []
    with tempfile.TemporaryDirectory(prefix="slant-eval-index-") as folder:
        settings = settings.model_copy(update={"index": Path(folder), "chroma_url": None})
        report = ingest(loaded.article_files(), settings)
        if not report.ok:
            failure = report.failed[0]
            raise IndexUnavailableError(f"Cannot ingest {failure.origin}: {failure.message}", "fix the article")
        options.progress.start(len(loaded.suite.cases), "Evaluating")
        for case in loaded.suite.cases:
            results.append(_run_case(case, loaded, settings, model, embedder, judge_model))
            options.progress.advance(1, case.id)
    return SuiteRun(settings, model, embedder.embedder_id, results, model.hits, model.misses)


def rescore(loaded: LoadedSuite, results: list[CaseResult]) -> list[CaseResult]:
    """Score stored outputs again with the current suite and metrics (no model needed)."""
    cases = {case.id: case for case in loaded.suite.cases}
    rescored = []
    for result in results:
        case = cases.get(result.id)
        if case is None:
            continue
        checks = score_case(case, loaded, result.output, result.error)
        rescored.append(result.model_copy(update={"checks": checks}))
    return rescored


def _run_case(
    case: Case, loaded: LoadedSuite, settings: Settings, model: TextModel, embedder: Any, judge: TextModel | None
) -> CaseResult:
    output: dict[str, Any] | None = None
    timings: dict[str, Any] = {}
    error = None
    try:
        raw, pairs = _execute(case, loaded, settings, model, embedder)
        if judge is not None:
            from slant.evals.judge import judge as run_judge

            raw["judge"] = run_judge(judge, pairs, settings)
        output, timings = split_volatile(raw)
    except Exception as exc:  # any failure makes the case unmeasured, never a score
        error = f"{type(exc).__name__}: {exc}"
    checks = score_case(case, loaded, output, error)
    return CaseResult(
        id=case.id,
        task=case.task,
        input=case.input.model_dump(exclude_defaults=True),
        output=output,
        timings=timings,
        error=error,
        checks=checks,
    )


def _execute(
    case: Case, loaded: LoadedSuite, settings: Settings, model: TextModel, embedder: Any
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Run the case's task through slant's own API; return the output and (claim, evidence) pairs."""
    if case.task == "ask":
        from slant.index.retrieval import search
        from slant.index.store import Store
        from slant.tasks.ask import ask

        question = case.input.question or ""
        answer = ask(question, settings, model, embedder)
        store = Store.open(settings, embedder.embedder_id)
        retrieved = [
            {"doc_id": p.doc_id, "start": p.start, "end": p.end} for p in search(store, embedder, question, settings.k)
        ]
        pairs = [(s.text, c.quote) for s in answer.sentences for c in s.citations]
        return {"answer": answer.model_dump(mode="json"), "retrieved": retrieved}, pairs
    articles = [loaded.articles[key] for key in case.input.articles]
    if case.task == "summarize":
        from slant.tasks.summarize import summarize_article, summarize_articles

        summary = (
            summarize_article(articles[0], settings, model, embedder)
            if len(articles) == 1
            else summarize_articles(articles, settings, model, embedder, "combined", combined=True)
        )
        pairs = [(s.text, s.evidence[0].text) for s in summary.sentences if s.evidence]
        return {"summary": summary.model_dump(mode="json")}, pairs
    from slant.tasks.compare import compare

    return {"comparison": compare(articles, settings, embedder, model).model_dump(mode="json")}, []


def split_volatile(data: Any) -> tuple[Any, dict[str, Any]]:
    """Separate wall-clock fields (timings, seconds) from the deterministic output."""
    timings: dict[str, Any] = {}

    def strip(value: Any, path: str) -> Any:
        if isinstance(value, dict):
            kept = {}
            for key, item in value.items():
                if key in VOLATILE_KEYS:
                    timings[f"{path}{key}"] = item
                else:
                    kept[key] = strip(item, f"{path}{key}.")
            return kept
        if isinstance(value, list):
            return [strip(item, f"{path}{index}.") for index, item in enumerate(value)]
        return value

    return strip(data, ""), timings
