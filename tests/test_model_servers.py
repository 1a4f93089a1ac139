"""Models on servers: llama-cpp-python's server on loopback gives what the in-process model gives,
and batch summaries on several workers give what one worker gives."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from slant.cli.app import app

runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture
def two_ids(seeds: Path) -> list[str]:
    assert runner.invoke(app, ["ingest", str(seeds)]).exit_code == 0
    listing = json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    by_source = {row["source"]: row["id"] for row in listing}
    return [by_source["CNewsLive"], by_source["seed-002"]]


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def records(path: Path) -> list[dict]:
    """JSONL records without what may differ between equal runs: time, duration, model naming."""
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    for row in rows:
        row.pop("time"), row.pop("key"), row["summary"].pop("seconds"), row["summary"].pop("provenance")
    return rows


def test_model_server_answers_as_the_in_process_model(
    llama_server, two_ids: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLANT_ANSWER_WRITER", "model")  # the model always drafts: its drafts are compared
    question = "What did Zakharova say about a pre-emptive strike?"
    local = run_json("ask", question, "-k", "3")
    remote = run_json("--llm-url", f"{llama_server.url}/v1", "ask", question, "-k", "3")
    assert remote["generated_text"]  # the model generated something, and the server generated the same
    assert remote["generated_text"] == local["generated_text"]
    assert remote["sentences"] == local["sentences"]
    assert remote["rejected"] == local["rejected"]
    assert remote["provenance"]["model"] == local["provenance"]["model"] == "gemma-3-270m-q4_k_m.gguf"
    assert remote["provenance"]["model_sha256"].startswith("server:")


def test_workers_over_two_model_servers_write_the_serial_records_and_resume(
    llama_server, second_llama_server, two_ids: list[str], workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLANT_SUMMARY_WRITER", "model")  # the model's proposals, compared too
    serial, spread = workspace / "serial.jsonl", workspace / "spread.jsonl"
    assert runner.invoke(app, ["summarize", *two_ids, "--out", str(serial)]).exit_code == 0
    # Two servers, two threads: article i goes to server i mod 2.
    urls = ["--llm-url", f"{llama_server.url}/v1", "--llm-url", f"{second_llama_server.url}/v1"]
    command = [*urls, "summarize", *two_ids, "--workers", "2", "--out", str(spread)]
    result = runner.invoke(app, command)
    assert result.exit_code == 0, result.stderr
    assert [row["doc_id"] for row in records(spread)] == two_ids
    written = [json.loads(line)["summary"] for line in spread.read_text().splitlines()]
    assert all(summary["provenance"] for summary in written)  # the model was asked: its output compared too
    assert records(spread) == records(serial)
    first_line = spread.read_text().splitlines()[0]
    spread.write_text(first_line + "\n" + '{"key": "torn')  # interrupted while writing record 2
    result = runner.invoke(app, command)
    assert "1 written, 1 already done, 0 failed" in result.stderr
    assert [row["doc_id"] for row in records(spread)] == two_ids
    assert records(spread)[1]["summary"]["sentences"]


def test_workers_with_the_in_process_model_write_the_serial_file_byte_for_byte(
    two_ids: list[str], workspace: Path
) -> None:
    serial, parallel = workspace / "serial.md", workspace / "parallel.md"
    assert runner.invoke(app, ["summarize", *two_ids, "--out", str(serial)]).exit_code == 0
    result = runner.invoke(app, ["summarize", *two_ids, "--out", str(parallel), "--workers", "2"])
    assert result.exit_code == 0, result.stderr
    assert serial.read_text().count("## ") == 2
    assert parallel.read_bytes() == serial.read_bytes()


def test_unreachable_model_server_is_a_one_line_backend_error(two_ids: list[str]) -> None:
    from tests.conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/v1"
    result = runner.invoke(app, ["--llm-url", url, "summarize", two_ids[0]])
    assert result.exit_code == 5
    assert result.stderr.startswith(f"Error: Cannot reach the model server at {url}")
    assert "llama_cpp.server" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_doctor_names_the_model_server_that_does_not_answer() -> None:
    from tests.conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/v1"
    result = runner.invoke(app, ["--llm-url", url, "doctor", "--json"])
    assert result.exit_code == 1
    checks = {check["name"]: check for check in json.loads(result.stdout)}
    assert not checks["language model"]["ok"]
    assert url in checks["language model"]["detail"]
    assert "llama_cpp.server" in checks["language model"]["fix"]


def test_llm_url_must_be_http() -> None:
    result = runner.invoke(app, ["--llm-url", "localhost:8080", "config"])
    assert result.exit_code == 2
    assert "llm_url" in result.stderr


class _OpenAIOnly(BaseHTTPRequestHandler):
    """An OpenAI-compatible server that knows no llama.cpp extension (as OpenAI's own API and
    vLLM do): slant cannot start one of those here, so this stand-in records what it is sent.
    """

    received: ClassVar[list[dict]] = []

    def do_GET(self) -> None:
        if self.path == "/v1/models":
            self._answer(200, {"data": [{"id": "stand-in"}]})
        else:
            self._answer(404, {"error": "not found"})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/v1/completions":
            self._answer(404, {"error": "not found"})
            return
        type(self).received.append(body)
        self._answer(200, {"choices": [{"text": '{"label": "neutral"}'}]})

    def _answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_a_server_not_known_as_llama_cpp_gets_only_openai_fields() -> None:
    from slant.llm.openai_server import OpenAIServerBackend

    server = ThreadingHTTPServer(("127.0.0.1", 0), _OpenAIOnly)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        backend = OpenAIServerBackend(f"http://127.0.0.1:{server.server_port}/v1", 2048)
        assert not backend.llama_cpp
        schema = {"type": "object", "properties": {"label": {"type": "string"}}, "required": ["label"]}
        done = backend.complete("Label it:", max_tokens=8, stop=["\n"], temperature=0.0, seed=3, json_schema=schema)
    finally:
        server.shutdown()
    assert done.text == '{"label": "neutral"}'
    (body,) = _OpenAIOnly.received
    assert set(body) == {"model", "max_tokens", "stop", "temperature", "seed", "prompt", "response_format"}
    assert body["response_format"]["json_schema"]["schema"] == schema


def test_llama_cpp_python_server_is_recognised_and_gets_its_own_fields(llama_server) -> None:
    from slant.llm.openai_server import OpenAIServerBackend

    backend = OpenAIServerBackend(f"{llama_server.url}/v1", 2048)
    assert backend.llama_cpp
    body = backend.request_body(max_tokens=8, stop=[], temperature=0.0, seed=0)
    assert body["repeat_penalty"] == 1.1
    assert body["cache_prompt"] is False
