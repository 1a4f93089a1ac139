"""slant inside LangChain, with real parts: the retriever over a real index, the runnables in a
real LCEL chain with the default model, and a LangChain model (an LLM over the local llama.cpp
model) behind slant's checks giving the in-process model's very answers.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.documents import Document
from langchain_core.runnables import RunnablePassthrough
from typer.testing import CliRunner

import slant
from slant.cli.app import app
from slant.integrations.langchain import SlantAsk, SlantCompare, SlantEmbeddings, SlantRetriever, SlantSummarize
from slant.tasks.ask import Answer

REPO = Path(__file__).resolve().parents[1]
HELPERS = Path(__file__).resolve().parent / "helpers"
runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture
def index(seeds: Path, articles: Path, monkeypatch: pytest.MonkeyPatch) -> slant.Index:
    monkeypatch.setenv("SLANT_ANSWER_WRITER", "model")  # the model always drafts: its drafts are compared here
    index = slant.Index()
    report = index.ingest([seeds, articles])
    assert len(report.added) == 9
    return index


def test_the_retriever_returns_spans_of_the_stored_text_with_filters(index: slant.Index) -> None:
    retriever = SlantRetriever(index=index, k=4)
    documents = retriever.invoke("pre-emptive strike Zakharova")
    assert documents
    for document in documents:
        meta = document.metadata
        stored = index.document(meta["doc_id"])
        assert stored is not None
        assert stored.article.text[meta["start"] : meta["end"]] == document.page_content
        assert meta["title"] == stored.article.title
        assert meta["source"] == stored.article.source
        assert meta["chunk_id"] == document.id
        assert meta["score"] > 0
    only = SlantRetriever(index=index, k=4, sources=["Ellery Gazette"]).invoke("what did the council vote on")
    assert {d.metadata["source"] for d in only} == {"Ellery Gazette"}
    dated = SlantRetriever(index=index, k=9, since="2025-07-01", until="2025-12-31").invoke("record temperatures")
    # published within the range: the heatwave (July), the earnings (October) and seed-002 (December)
    assert "Valley Courier" in {d.metadata["source"] for d in dated}
    assert {d.metadata["source"] for d in dated} <= {"Valley Courier", "Market Desk", "seed-002"}


class DraftCollector(BaseCallbackHandler):
    def __init__(self) -> None:
        self.pieces: list[str] = []

    def on_text(self, text: str, **kwargs: Any) -> None:
        self.pieces.append(text)


def test_an_lcel_chain_runs_a_verified_ask_on_the_retrieved_articles(index: slant.Index) -> None:
    retriever = SlantRetriever(index=index, k=3, sources=["CNewsLive"])
    chain = {"question": RunnablePassthrough(), "documents": retriever} | SlantAsk(index=index)
    drafts = DraftCollector()
    question = "What did Zakharova call the comments?"
    answer = chain.invoke(question, config={"callbacks": [drafts]})
    assert isinstance(answer, Answer)
    assert answer.answered
    cited = {c.doc_id for s in answer.sentences for c in s.citations}
    assert cited
    assert cited <= {d.metadata["doc_id"] for d in retriever.invoke(question)}
    assert "a reckless and escalatory step" in " ".join(s.text for s in answer.sentences)
    draft = re.sub(r"\s*\[\d+\]", "", answer.generated_text)
    for piece in drafts.pieces:  # the draft streamed to the callbacks, each sentence once it passed a first check
        assert piece.strip() in draft


def test_summarize_and_compare_runnables_take_documents_in_a_chain(index: slant.Index) -> None:
    retriever = SlantRetriever(index=index, k=6, sources=["seed-002", "CNewsLive"])
    compare_chain = retriever | SlantCompare(index=index, use_model=False)
    comparison = compare_chain.invoke("pre-emptive strike")
    assert sorted(comparison.sources) == ["CNewsLive", "seed-002"]
    ids = list(dict.fromkeys(d.metadata["doc_id"] for d in retriever.invoke("pre-emptive strike")))
    cli = runner.invoke(app, ["compare", *ids, "--no-llm", "--json"])  # the same articles in the same order
    assert json.loads(comparison.model_dump_json()) == json.loads(cli.stdout)
    (summary,) = SlantSummarize(index=index).invoke({"sources": ["Market Desk"]})
    assert summary.sentences
    assert all(s.evidence for s in summary.sentences)
    documents = [Document(page_content="", metadata={"doc_id": summary.doc_ids[0]})]
    assert SlantSummarize(index=index).invoke(documents)[0].doc_ids == summary.doc_ids


def test_slant_embeddings_are_the_index_embedder(index: slant.Index) -> None:
    embeddings = SlantEmbeddings(index)
    query = embeddings.embed_query("harbour bridge repairs")
    assert len(query) == 384
    assert abs(sum(x * x for x in query) - 1.0) < 1e-4
    first, second = embeddings.embed_documents(["harbour bridge repairs", "a cup final in extra time"])
    assert first == pytest.approx(query, abs=1e-6)
    assert sum(a * b for a, b in zip(first, second, strict=True)) < 0.5


def test_a_langchain_model_behind_slant_gives_the_in_process_answers(
    index: slant.Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(HELPERS))
    from llama_langchain import default_model

    question = "What did Zakharova say about a pre-emptive strike?"  # one the small model writes a draft for
    local = index.ask(question, k=3)
    through_langchain = SlantAsk(index=index, k=3, llm=default_model()).invoke(question)
    assert local.generated_text  # the model wrote something, and the LangChain model wrote the same
    assert through_langchain.generated_text == local.generated_text
    assert through_langchain.sentences == local.sentences
    assert through_langchain.provenance.model_sha256 == "langchain:LlamaCppLLM:gemma-3-270m-q4_k_m.gguf"
    assert local.provenance.model_sha256 == "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
    # The same model selected on the command line, through the backend registry.
    flags = ["--backend", "langchain", "--langchain-model", "llama_langchain:default_model"]
    cli = runner.invoke(app, [*flags, "ask", question, "-k", "3", "--json"])
    assert cli.exit_code == 0, cli.stderr
    assert json.loads(cli.stdout)["generated_text"] == local.generated_text


def test_backend_selection_errors_are_one_line(index: slant.Index) -> None:
    for flags, says in [
        (["--backend", "nosuch"], "No language-model backend 'nosuch'"),
        (["--backend", "langchain"], "needs a model"),
        (["--backend", "langchain", "--langchain-model", "no_such_module:x"], "Cannot load --langchain-model"),
        (["--backend", "langchain", "--langchain-model", "json:__name__"], "gave str"),
        (["--backend", "openai"], "needs a server"),
    ]:
        result = runner.invoke(app, [*flags, "ask", "Who voted?"])
        assert result.exit_code == 2, result.stdout
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1
        assert says in lines[0]


def test_the_command_line_imports_no_langchain(index: slant.Index) -> None:
    code = (
        "import sys\n"
        "from slant.cli.app import main\n"
        "sys.argv = ['slant', 'search', 'harbour bridge', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('langchain')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "LOADED []" in done.stdout, done.stdout[-500:]


def test_the_readme_chain_runs(tmp_path: Path) -> None:
    text = (REPO / "docs" / "python-api.md").read_text(encoding="utf-8")
    section = text.split("## LangChain", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "chain.py").write_text(match.group(1))
    done = subprocess.run([sys.executable, "chain.py"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "a reckless and escalatory step" in done.stdout
