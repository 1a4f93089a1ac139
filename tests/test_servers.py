"""Server mode: a Chroma server that is down or goes away mid-ingest, and retries with backoff."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slant.cli.app import app
from slant.config.retry import with_retries

runner = CliRunner()


def test_stopped_chroma_server_is_a_one_line_backend_error(chroma_server, monkeypatch, seeds: Path) -> None:
    monkeypatch.setenv("SLANT_CHROMA_URL", chroma_server.url)
    assert runner.invoke(app, ["ingest", str(seeds)]).exit_code == 0
    chroma_server.stop()
    for command in (["ls"], ["search", "NATO"], ["ingest", str(seeds)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 5, (command, result.stderr)
        assert result.stderr.startswith(f"Error: Cannot reach the Chroma server at {chroma_server.url}")
        assert "chroma run" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


def test_server_lost_mid_ingest_leaves_no_half_written_document(chroma_server, monkeypatch, seeds: Path) -> None:
    # A real ingest process kills the real server once a batch's chunks are written, before the
    # records that make its documents visible; the ingest retries, gives up with exit code 5, and
    # the next ingest (server back on its data) rolls the orphan chunks back and completes.
    monkeypatch.setenv("SLANT_CHROMA_URL", chroma_server.url)
    code = (
        "import os, sys; import slant.index.store as store\n"
        "real = store.Store.add_many\n"
        "def add_many(self, documents, *rest):\n"
        "    upsert = self.documents.upsert\n"
        f"    def die_then_upsert(**k): os.kill({chroma_server.pid}, 9); upsert(**k)\n"
        "    self.documents.upsert = die_then_upsert\n"
        "    real(self, documents, *rest)\n"
        "store.Store.add_many = add_many\n"
        "from slant.cli.app import main; sys.argv = ['slant', 'ingest', sys.argv[1]]; main()\n"
    )
    lost = subprocess.run([sys.executable, "-c", code, str(seeds)], capture_output=True, text=True)
    assert lost.returncode == 5, lost.stderr
    assert f"The Chroma server at {chroma_server.url} does not answer" in lost.stderr
    chroma_server.stop()
    chroma_server.start()
    result = runner.invoke(app, ["ingest", "--json", str(seeds)])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["added"]) == 5  # nothing of the cut-off batch became visible
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    listing = json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    assert stats["documents"] == 5
    assert stats["chunks"] == sum(row["chunks"] for row in listing)


def test_with_retries_backs_off_then_succeeds_and_gives_up_after_the_last_attempt(monkeypatch) -> None:
    # Transient failures cannot be produced on demand by a real server, so a flaky callable stands in.
    waits: list[float] = []
    monkeypatch.setattr("slant.config.retry.time.sleep", waits.append)
    calls = iter([ConnectionError("1"), ConnectionError("2"), "done"])

    def flaky() -> str:
        outcome = next(calls)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert with_retries(flaky, (ConnectionError,)) == "done"
    assert waits == [0.25, 0.5]
    waits.clear()

    def always_down() -> str:
        raise ConnectionError("refused")

    with pytest.raises(ConnectionError, match="refused"):
        with_retries(always_down, (ConnectionError,), attempts=4)
    assert waits == [0.25, 0.5, 1.0]

    def bad_request() -> str:
        raise ValueError("not transient")

    waits.clear()
    with pytest.raises(ValueError, match="not transient"):
        with_retries(bad_request, (ConnectionError,))
    assert waits == []
