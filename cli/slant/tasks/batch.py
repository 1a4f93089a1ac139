"""Batch summaries to a file: JSONL records that survive interruption and resume, or Markdown."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from slant.config.progress import NoProgress, Progress
from slant.sources.documents import Article
from slant.tasks.summarize import Summary


def record_key(doc_id: str, model_sha256: str, prompt: str, generation: str) -> str:
    """Same input, model, prompt and generation settings: the record is already done."""
    return f"{doc_id}|{model_sha256}|{prompt}|{generation}"


def done_keys(path: Path) -> set[str]:
    """Keys of the complete records in a JSONL file; a torn last line is cut off."""
    if not path.exists():
        return set()
    keys = set()
    good_bytes = 0
    with path.open("rb") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                break
            good_bytes += len(line)
            if "error" not in record:
                keys.add(record["key"])
    if good_bytes < path.stat().st_size:
        with path.open("r+b") as handle:
            handle.truncate(good_bytes)
    return keys


def write_jsonl(
    path: Path,
    articles: list[Article],
    key_of: Callable[[Article], str],
    summarize_all: Callable[[list[Article]], Iterable[Summary | Exception]],
    progress: Progress | None = None,
) -> tuple[int, int, int]:
    """Append one record per article not done yet, in the articles' order; returns
    (written, skipped, failed). `summarize_all` yields each article's summary (or its error) in order.
    """
    progress = progress or NoProgress()
    done = done_keys(path)
    todo = [article for article in articles if key_of(article) not in done]
    skipped = len(articles) - len(todo)
    written = failed = 0
    progress.start(len(articles), "Summarising")
    progress.advance(skipped)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        for article, outcome in zip(todo, summarize_all(todo), strict=True):
            record: dict[str, object] = {
                "key": key_of(article),
                "doc_id": article.id,
                "time": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            if isinstance(outcome, Exception):  # one failing article is recorded; the batch goes on
                record["error"] = f"{type(outcome).__name__}: {outcome}"
                failed += 1
            else:
                record["summary"] = outcome.model_dump(mode="json")
                written += 1
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
            progress.advance()
    return written, skipped, failed


def markdown(summaries: list[Summary]) -> str:
    """Summaries as Markdown, each sentence with its evidence span."""
    lines = []
    for summary in summaries:
        lines += [f"## {summary.title}", ""]
        everyone = len(summary.sources)
        heading = None
        for sentence in summary.sentences:
            where = ", ".join(f"{e.doc_id}[{e.start}:{e.end}]" for e in sentence.evidence)
            text = sentence.text
            if everyone > 1:
                agreed = len(sentence.reported_by) == everyone
                group = f"All {everyone} sources report:" if agreed else "Reported by only some sources:"
                if group != heading:
                    lines += ([""] if heading else []) + [f"**{group}**", ""]
                    heading = group
                if not agreed:
                    verb = "reports" if len(sentence.reported_by) == 1 else "report"
                    text = f"{', '.join(sentence.reported_by)} {verb}: “{text}”"
            lines.append(f"- {text} _({sentence.origin}; {where})_")
        lines += [
            "",
            f"support {summary.support_score:.2f} · neutrality {summary.neutrality_score:.2f} · {_made_by(summary)}",
            "",
        ]
    return "\n".join(lines)


def _made_by(summary: Summary) -> str:
    made = summary.provenance
    if made is None:
        return "the sources' own sentences (no model call)"
    return f"{made.prompt} · model sha256 {made.model_sha256[:12]}"
