"""Writes cut off between the documents and their stories: `ingest` and `rm` killed with SIGKILL in
their write window leave the old or the new state, stories included; `doctor` says when stories
are out of step and `doctor --repair` mends them. Real subprocesses, a real embedder, real Chroma.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from slant.cli.app import app

runner = CliRunner()

# The child runs the real command and kills itself (SIGKILL) before the Nth call of one step.
KILLED_BEFORE_CALL = """
import importlib, os, signal, sys
target, call, *argv = sys.argv[1:]
module_name, _, class_name = target.rpartition(".")[0].rpartition(".")
owner = getattr(importlib.import_module(module_name), class_name)
name = target.rpartition(".")[2]
real = getattr(owner, name)
calls = 0

def wrapper(*args, **kwargs):
    global calls
    calls += 1
    if calls == int(call):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)

setattr(owner, name, wrapper)
from slant.cli.app import main
sys.argv = ["slant", *argv]
main()
"""


def killed(target: str, call: int, *command: str) -> None:
    child = subprocess.run(
        [sys.executable, "-c", KILLED_BEFORE_CALL, target, str(call), *command], capture_output=True, text=True
    )
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]


def stored_ids() -> set[str]:
    return {row["id"] for row in json.loads(runner.invoke(app, ["ls", "--json"]).stdout)}


def ids_in_stories() -> list[str]:
    stories = json.loads(runner.invoke(app, ["stories", "--json"]).stdout)
    return sorted(doc_id for story in stories for doc_id in story["articles"])


def stories_check() -> dict:
    doctor = runner.invoke(app, ["doctor", "--json"])
    return next(check for check in json.loads(doctor.stdout) if check["name"] == "stories")


def test_ingest_killed_while_placing_stories_is_finished_by_the_next_writer(articles: Path, seeds: Path) -> None:
    killed("slant.index.stories.StoryStore.place", 4, "ingest", str(articles), str(seeds))
    stored = stored_ids()
    assert len(stored) == 9  # the documents went in, three were placed
    assert len(ids_in_stories()) == 3
    check = stories_check()
    assert not check["ok"]
    assert check["detail"].startswith("6 documents are in no story")
    assert check["fix"] == "run `slant doctor --repair`"
    again = runner.invoke(app, ["ingest", str(articles), str(seeds)])  # the next writer
    assert again.exit_code == 0, again.stderr
    assert ids_in_stories() == sorted(stored)
    assert stories_check()["ok"]


def test_rm_killed_between_stories_and_documents_is_finished_by_the_next_writer(
    articles: Path, workspace: Path
) -> None:
    assert runner.invoke(app, ["ingest", str(articles)]).exit_code == 0
    before = sorted(stored_ids())
    killed("slant.index.store.Store.remove", 2, "rm", *before[:3])  # stories forgot all three; one was deleted
    assert len(stored_ids()) == 3
    assert not stories_check()["ok"]
    other = workspace / "other.txt"
    other.write_text("The ferry to Orlin resumed service on Friday after the storm passed.")
    assert runner.invoke(app, ["ingest", str(other)]).exit_code == 0  # the next writer
    kept = stored_ids()
    assert len(kept) == 2
    assert set(before[3:]) < kept
    assert ids_in_stories() == sorted(kept)
    assert stories_check()["ok"]


def test_doctor_repair_puts_every_document_in_a_story(articles: Path, workspace: Path) -> None:
    killed("slant.index.stories.StoryStore.place", 2, "ingest", str(articles))
    (workspace / "index" / "ingest-journal.json").unlink()  # as an older slant's crash left it: no trace
    assert runner.invoke(app, ["ingest", str(articles)]).exit_code == 0
    assert len(ids_in_stories()) == 1
    assert not stories_check()["ok"]
    repaired = runner.invoke(app, ["doctor", "--repair", "--json"])
    assert "repaired: 3 documents put in a story, 0 removed documents taken out" in repaired.stderr
    assert ids_in_stories() == sorted(stored_ids())
    assert next(c for c in json.loads(repaired.stdout) if c["name"] == "stories")["ok"]


SERVER_KILLED_AT_PLACE = """
import os, sys
from slant.index.stories import StoryStore
real = StoryStore.place
server_pid, folder = int(sys.argv[1]), sys.argv[2]
calls = 0

def place(*args, **kwargs):
    global calls
    calls += 1
    if calls == 3:
        os.kill(server_pid, 9)  # the Chroma server dies while articles are being placed
    return real(*args, **kwargs)

StoryStore.place = place
from slant.cli.app import main
sys.argv = ["slant", "ingest", folder]
main()
"""


def test_chroma_server_killed_while_placing_stories_is_finished_by_the_next_writer(
    chroma_server: Any, monkeypatch: pytest.MonkeyPatch, articles: Path
) -> None:
    monkeypatch.setenv("SLANT_CHROMA_URL", chroma_server.url)
    child = subprocess.run(
        [sys.executable, "-c", SERVER_KILLED_AT_PLACE, str(chroma_server.pid), str(articles)],
        capture_output=True,
        text=True,
    )
    assert child.returncode == 5, child.stderr[-2000:]
    chroma_server.stop()
    chroma_server.start()
    assert len(stored_ids()) == 4
    assert len(ids_in_stories()) == 2
    again = runner.invoke(app, ["ingest", str(articles)])
    assert again.exit_code == 0, again.stderr
    assert ids_in_stories() == sorted(stored_ids())
