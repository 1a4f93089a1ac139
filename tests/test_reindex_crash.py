"""`slant reindex` killed at each of its steps: afterwards the index is the old one or the new one,
complete, never neither. Real subprocesses killed with SIGKILL, a real embedder and real Chroma
(embedded and `chroma run`).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slant.cli.app import app

runner = CliRunner()

# Where the child kills itself (SIGKILL, so nothing of slant's runs after it). The child runs the
# real `slant reindex`; a wrapper around one of its steps decides the moment.
KILL_POINTS = {
    "after the new collections exist, before any document": ("slant.index.store.Store.add_many", "before", 1),
    "halfway through writing the new documents": ("slant.index.store.Store.add_many", "before", 3),
    "just before the switch": ("slant.index.maintenance.switch_generation", "before", 1),
    "just after the switch": ("slant.index.maintenance.switch_generation", "after", 1),
    "before dropping the old collections": ("slant.index.store.drop_stale_collections", "before", 2),
    "between dropping the old chunks and the old documents": (
        "chromadb.api.client.Client.delete_collection",
        "before",
        2,
    ),
}

CHILD = """
import importlib, os, signal, sys
target, when, call = sys.argv[1], sys.argv[2], int(sys.argv[3])
module_name, _, name = target.rpartition(".")
try:
    owner = importlib.import_module(module_name)
except ModuleNotFoundError:  # a method: module.Class.method
    module_name, _, class_name = module_name.rpartition(".")
    owner = getattr(importlib.import_module(module_name), class_name)
real = getattr(owner, name)
calls = 0

def wrapper(*args, **kwargs):
    global calls
    calls += 1
    if calls == call and when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = real(*args, **kwargs)
    if calls == call and when == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    return result

setattr(owner, name, wrapper)
import slant.index.maintenance
slant.index.maintenance.REINDEX_BATCH = 2  # the 9 documents in 5 batches, so a kill can fall between them
if module_name == "slant.index.store" and name == "drop_stale_collections":
    slant.index.maintenance.drop_stale_collections = wrapper
from slant.cli.app import main
sys.argv = ["slant", "reindex"]
main()
"""


def documents() -> list[dict]:
    result = runner.invoke(app, ["ls", "--json"])
    assert result.exit_code == 0, result.stderr
    return sorted(json.loads(result.stdout), key=lambda row: row["id"])


def search_finds_every_article(expected: list[dict]) -> None:
    for row in expected:
        title = row["title"]
        hits = json.loads(runner.invoke(app, ["search", title, "-k", "3", "--json"]).stdout)
        assert row["id"] in {hit["doc_id"] for hit in hits}, title


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_reindex_killed_at_any_step_leaves_a_whole_index(
    point: str, articles: Path, seeds: Path, index_kind: str
) -> None:
    assert runner.invoke(app, ["ingest", str(articles), str(seeds)]).exit_code == 0
    before = documents()
    assert len(before) == 9
    target, when, call = KILL_POINTS[point]
    child = subprocess.run(
        [sys.executable, "-c", CHILD, target, when, str(call)], capture_output=True, text=True, check=False
    )
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    assert documents() == before  # old or new, the same documents, complete
    search_finds_every_article(before)
    doctor = runner.invoke(app, ["doctor", "--json"])
    index_check = next(check for check in json.loads(doctor.stdout) if check["name"] == "index")
    assert "9 documents" in index_check["detail"]
    # The next writer clears what the killed run left, and reindex works again.
    again = runner.invoke(app, ["reindex"])
    assert again.exit_code == 0, again.stderr
    assert documents() == before
    search_finds_every_article(before)
    from slant.config.settings import Settings
    from slant.index.store import open_client

    names = sorted(c.name for c in open_client(Settings.load()).list_collections())
    assert len([n for n in names if n.startswith("slant_chunks")]) == 1
    assert len([n for n in names if n.startswith("slant_documents")]) == 1
