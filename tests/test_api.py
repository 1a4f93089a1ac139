"""The Python API example (docs/python-api.md) runs as written, against the seeds, with the real model,
embedder and Chroma; and the library returns what the command line prints as JSON.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def readme_example() -> str:
    text = (REPO / "docs" / "python-api.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_the_readme_example_runs(tmp_path: Path) -> None:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "example.py").write_text(readme_example())
    done = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0] == "added 5, failed 0"
    assert "5% of GDP by 2035" in done.stdout
    assert (tmp_path / "example-index").is_dir()


def test_the_library_returns_what_the_command_line_prints(articles: Path) -> None:
    import slant
    from slant.cli.app import app

    index = slant.Index()  # SLANT_INDEX from the test workspace
    report = index.ingest([articles])
    assert len(report.added) == 4
    passages = index.search("ferry every 15 minutes", k=2)
    printed = json.loads(runner.invoke(app, ["search", "ferry every 15 minutes", "-k", "2", "--json"]).stdout)
    assert [p.model_dump(mode="json") for p in passages] == printed
    comparison = index.compare(sources=["Ellery Gazette", "Market Desk"], use_model=False)
    cli = runner.invoke(app, ["compare", "--source", "Ellery Gazette", "--source", "Market Desk", "--no-llm", "--json"])
    assert json.loads(comparison.model_dump_json()) == json.loads(cli.stdout)
    assert [d.article.id for d in index.documents()] == [
        row["id"] for row in json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    ]


class _Recording:
    """The real default model behind a wrapper that keeps every prompt it is given."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.model = inner.model
        self.prompts: list[str] = []

    @property
    def context_size(self) -> int:
        return int(self.inner.context_size)

    def count_tokens(self, text: str) -> int:
        return int(self.inner.count_tokens(text))

    def complete(self, prompt: str, **options: Any) -> Any:
        self.prompts.append(prompt)
        return self.inner.complete(prompt, **options)


def test_summaries_use_the_index_s_own_language_model(articles: Path) -> None:
    import slant
    from slant.llm.loaded import LazyModel

    index = slant.Index(summary_writer="model")
    index.ingest([articles])
    recording = _Recording(LazyModel(index.settings))
    with_model = index.with_language_model(recording)

    (one,) = with_model.summarize(sources=["Ellery Gazette"])
    assert one.sentences
    assert len(recording.prompts) == 1
    assert "harbour" in recording.prompts[0].lower()

    with_model.summarize(everything=True, combined=True)
    assert len(recording.prompts) > 1  # the story summary asked the same model
