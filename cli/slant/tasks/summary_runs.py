"""Running summaries: one, many (in parallel), combined, to the terminal or a file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slant.config.errors import InputError
from slant.config.progress import NoProgress, Progress
from slant.config.settings import Settings
from slant.config.versions import native_versions
from slant.llm.model import TextModel
from slant.sources.documents import Article
from slant.tasks.summarize import Summary, summarize_article, summarize_articles


@dataclass
class SummaryRun:
    """What a summarize command produced."""

    summaries: list[Summary] = field(default_factory=list)
    failed: int = 0
    status: str = ""


def run(
    settings: Settings,
    articles: list[Article],
    combined: bool,
    out_file: Path | None,
    progress: Progress | None = None,
    workers: int = 1,
    model: TextModel | None = None,
) -> SummaryRun:
    """Summarise with `model` (default: the settings' model, loaded only if it writes); with out_file
    write JSONL (resumable) or Markdown. Several workers give the same summaries in the same order
    as one, only sooner (see slant.tasks.parallel).
    """
    from slant.llm.loaded import LazyModel, embedder_for, model_file
    from slant.llm.prompts import load_prompt
    from slant.tasks.batch import record_key, write_jsonl
    from slant.tasks.parallel import map_with_models

    progress = progress or NoProgress()
    if combined:
        writer, embedder = model or LazyModel(settings), embedder_for(settings)
        title = f"Combined summary of {len(articles)} articles"
        summaries = [summarize_articles(articles, settings, writer, embedder, title, combined=True)]
        return _written(SummaryRun(summaries), out_file)

    def summarize_all(todo: list[Article]) -> Iterator[Summary | Exception]:
        return map_with_models(settings, summarize_one, todo, workers, model)

    if out_file is not None and out_file.suffix == ".jsonl":
        prompt = load_prompt("summarize")
        # Same input, model file, prompt text and generation settings: the record is already done.
        prompt_ref = f"{prompt.id}@{prompt.version}:{hashlib.sha256(prompt.template.encode()).hexdigest()[:12]}"
        generation = f"seed={settings.seed},t={settings.temperature},max={settings.max_tokens},ctx={settings.n_ctx}"
        generation += f",llama-cpp-python={native_versions()['llama-cpp-python']}"
        sha256 = (model.model if model is not None else model_file(settings)).sha256
        written, skipped, failed = write_jsonl(
            out_file,
            articles,
            lambda a: record_key(a.id, sha256, prompt_ref, generation),
            summarize_all,
            progress,
        )
        status = f"{out_file}: {written} written, {skipped} already done, {failed} failed"
        return SummaryRun(failed=failed, status=status)
    progress.start(len(articles), "Summarising")
    summaries = []
    for outcome in summarize_all(articles):
        if isinstance(outcome, Exception):
            raise outcome
        summaries.append(outcome)
        progress.advance()
    return _written(SummaryRun(summaries), out_file)


def summarize_one(settings: Settings, model: TextModel, embedder: Any, article: Article) -> Summary:
    """One article's summary: the task the workers run (module-level, so processes can run it)."""
    return summarize_article(article, settings, model, embedder)


def _written(run: SummaryRun, out_file: Path | None) -> SummaryRun:
    if out_file is not None:
        from slant.tasks.batch import markdown

        if out_file.suffix not in (".md", ".markdown"):
            raise InputError(f"--out {out_file}", "use a .jsonl or .md file name")
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(markdown(run.summaries), encoding="utf-8")
        run.status = f"{out_file}: {len(run.summaries)} summaries"
    return run
