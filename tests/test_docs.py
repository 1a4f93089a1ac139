"""The README's and docs' runnable examples run as shown.

Convention: a fenced code block is *runnable* when the line just before its opening fence is an
HTML comment that starts with `<!-- runnable` (GitHub does not render it), for example

    <!-- runnable: tests/test_docs.py runs this block and checks the lines shown -->
    ```console
    $ slant ingest seeds/
    …
    added 5, updated 0, unchanged 0, skipped 0, failed 0 (26 chunks embedded in … s)
    ```

- Lines starting with `$ ` are commands; they run one after another with bash, in one fresh
  folder holding a copy of `seeds/`, with the virtualenv's `slant` first on PATH, COLUMNS=100 and
  the test workspace's `SLANT_*` settings (tests/conftest.py points the index and caches at
  tmp_path). Each must exit 0.
- The other lines after a command are what it printed (stdout and stderr together), abridged: a
  line that is only `…` stands for lines left out, and `…` inside a line for any text. Each shown
  line must occur in the output, compared with runs of whitespace collapsed (so rich's wrapping
  does not matter).
- A runnable block with no `$ ` line is one bash script that must exit 0.

Mark only blocks that run on a clean clone in seconds to a minute: no data from outside the
repository, no servers. The Python API and LangChain examples in docs/python-api.md are run by
tests/test_api.py and tests/test_langchain.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
MARKER = "<!-- runnable"
ELLIPSIS = "…"


@dataclass
class Step:
    """One command of a runnable block and the output lines the document shows for it."""

    command: str
    shown: list[str] = field(default_factory=list)


@dataclass
class Block:
    """A runnable block: where it is and its steps."""

    where: str
    steps: list[Step]


def runnable_blocks(path: Path) -> list[Block]:
    """Every block of `path` whose opening fence follows a `<!-- runnable` comment."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    for number, line in enumerate(lines):
        if not (line.strip().startswith(MARKER) and number + 1 < len(lines) and lines[number + 1].startswith("```")):
            continue
        body = []
        for inner in lines[number + 2 :]:
            if inner.startswith("```"):
                break
            body.append(inner)
        else:
            raise AssertionError(f"{path.name}:{number + 2}: runnable block never closed")
        where = f"{path.relative_to(REPO)}:{number + 2}"
        blocks.append(Block(where, _steps(body)))
    return blocks


def _steps(body: list[str]) -> list[Step]:
    if not any(line.startswith("$ ") for line in body):
        return [Step("\n".join(body))]
    steps: list[Step] = []
    for line in body:
        if line.startswith("$ "):
            steps.append(Step(line[2:]))
        elif steps:
            steps[-1].shown.append(line)
    return steps


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def shown_in(line: str, output: str) -> bool:
    """Whether a shown line occurs in the output (`…` matches any text; whitespace collapsed)."""
    parts = [re.escape(_collapsed(part)) for part in line.split(ELLIPSIS)]
    return re.search(".*?".join(parts), _collapsed(output)) is not None


BLOCKS = [block for path in DOCS for block in runnable_blocks(path)]


def test_the_docs_mark_some_blocks_runnable() -> None:
    assert any(block.where.startswith("README.md") for block in BLOCKS)
    assert all(block.steps for block in BLOCKS)


def test_shown_lines_match_with_ellipses() -> None:
    output = "added 5, updated 0\n(26 chunks embedded in 11.5\ns)\n"
    assert shown_in("added 5, updated 0", output)
    assert shown_in("(26 chunks embedded in … s)", output)
    assert not shown_in("added 6, updated 0", output)
    assert not shown_in("(27 chunks … s)", output)


@pytest.mark.parametrize("block", BLOCKS, ids=[block.where for block in BLOCKS])
def test_runnable_block(block: Block, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    shutil.copytree(REPO / "seeds", folder / "seeds")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["COLUMNS"] = "100"
    for step in block.steps:
        done = subprocess.run(
            ["bash", "-c", step.command], cwd=folder, env=env, capture_output=True, text=True, check=False
        )
        output = done.stdout + "\n" + done.stderr
        assert done.returncode == 0, f"{block.where}: `{step.command}` exited {done.returncode}:\n{output[-3000:]}"
        for line in step.shown:
            if line.strip() and line.strip() != ELLIPSIS:
                assert shown_in(line, output), f"{block.where}: `{step.command}` did not print:\n{line}\n---\n{output}"
