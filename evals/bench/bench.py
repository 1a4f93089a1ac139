"""slant's benchmark report: the speed and memory figures its issues set goals for, in one table.

Run on an otherwise idle machine:  .venv/bin/python evals/bench/bench.py [--quick]
Each figure is a median of several runs; ratios are measured side by side in the same run.
Sections: start-up, ingest vs the raw embedder and the LangChain recipe, 1,000-article ingest
(peak memory, re-ingest), retrieval at 1k/10k/100k chunks (embedded and Chroma server),
generation vs bare llama-cpp-python, and summaries per minute.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corpus import REPO, write_corpus

SLANT = [sys.executable, "-m", "slant"]


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command; (wall seconds, peak resident memory of that process in MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024


def startup(runs: int) -> dict[str, float]:
    """`slant --help` wall time (the console script, as users run it)."""
    script = str(Path(sys.executable).parent / "slant")
    times = [timed([script, "--help"])[0] for _ in range(runs)]
    return {"help_ms": statistics.median(times) * 1000}


def ingest_side_by_side(folder: Path, articles: int, repeats: int) -> dict[str, float]:
    """slant ingest, the LangChain recipe and the raw embedder on the same articles, interleaved."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from slant.api import Index
    from slant.config.settings import Settings
    from slant.index.chunks import chunk_document
    from slant.index.ingest import ingest
    from slant.integrations.langchain import SlantEmbeddings
    from slant.llm.loaded import embedder_for
    from slant.sources.documents import Article, read_articles

    corpus = folder / "side-by-side"
    write_corpus(corpus, articles)
    settings = Settings.load(index=folder / "unused")
    embedder = embedder_for(settings)
    lc_embeddings = SlantEmbeddings(Index.from_settings(settings))  # the same embedder, as LangChain's Embeddings
    texts = [a.text for a in read_articles([corpus]) if isinstance(a, Article)]
    slant_chunks = [
        c.text for t in texts for c in chunk_document("x", t, settings.chunk_chars, settings.chunk_overlap_chars)
    ]
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=settings.chunk_chars, chunk_overlap=settings.chunk_overlap_chars
    )

    def langchain_recipe_documents() -> list[Document]:
        """The plain recipe's reading and splitting (timed with its store, as slant's reading is)."""
        files = sorted(corpus.glob("*.md"))
        return splitter.split_documents([Document(page_content=path.read_text(encoding="utf-8")) for path in files])

    langchain_chunks = [d.page_content for d in langchain_recipe_documents()]
    embedder.embed(slant_chunks[:64])  # warm-up
    ratios: dict[str, list[float]] = {
        "slant": [],
        "langchain": [],
        "slant_rate": [],
        "raw_rate": [],
        "lc_rate": [],
        "embedding_share": [],
        "lc_embedding_share": [],
    }
    with embed_timer(embedder) as embedding_seconds:
        for repeat in range(repeats):
            started = time.perf_counter()
            embedder.embed(slant_chunks)
            raw_rate = len(slant_chunks) / (time.perf_counter() - started)
            embedding_seconds.clear()
            report = ingest([corpus], Settings.load(index=folder / f"slant-{repeat}"))
            slant_rate = report.chunks_embedded / report.seconds
            ratios["embedding_share"].append(sum(embedding_seconds) / report.seconds)
            started = time.perf_counter()
            embedder.embed(langchain_chunks)
            raw_lc_rate = len(langchain_chunks) / (time.perf_counter() - started)
            embedding_seconds.clear()
            started = time.perf_counter()
            Chroma.from_documents(
                langchain_recipe_documents(), lc_embeddings, persist_directory=str(folder / f"langchain-{repeat}")
            )
            lc_seconds = time.perf_counter() - started
            lc_rate = len(langchain_chunks) / lc_seconds
            ratios["lc_embedding_share"].append(sum(embedding_seconds) / lc_seconds)
            ratios["slant"].append(slant_rate / raw_rate)
            ratios["langchain"].append(lc_rate / raw_lc_rate)
            ratios["slant_rate"].append(slant_rate)
            ratios["raw_rate"].append(raw_rate)
            ratios["lc_rate"].append(lc_rate)
    medians = {name: statistics.median(values) for name, values in ratios.items()}
    medians.update(articles=articles, slant_chunks=len(slant_chunks), langchain_chunks=len(langchain_chunks))
    return medians


@contextmanager
def embed_timer(embedder: Any) -> Iterator[list[float]]:
    """Within the block, record how long each `embedder.embed` call takes.

    The share of ingest time spent inside the embedder is its throughput relative to the raw
    embedder on the same chunks, measured within one run, free of run-to-run variation.
    """
    seconds: list[float] = []
    embed = embedder.embed

    def timed_embed(texts: Any) -> Any:
        started = time.perf_counter()
        try:
            return embed(texts)
        finally:
            seconds.append(time.perf_counter() - started)

    embedder.embed = timed_embed
    try:
        yield seconds
    finally:
        del embedder.embed


def big_ingest(folder: Path, articles: int) -> dict[str, float]:
    """A generated corpus through the CLI: wall time, peak memory, then an unchanged re-ingest."""
    corpus = folder / "big"
    write_corpus(corpus, articles)
    env = {**os.environ, "SLANT_INDEX": str(folder / "big-index")}
    first, memory = timed([*SLANT, "ingest", str(corpus)], env)
    search = [*SLANT, "search", "NATO summit defense spending"]
    first_search = timed(search, env)[0]  # brings the keyword index up to date with the ingest
    next_search = statistics.median(timed(search, env)[0] for _ in range(3))
    again = statistics.median(timed([*SLANT, "ingest", str(corpus)], env)[0] for _ in range(3))
    return {
        "articles": articles,
        "first_s": first,
        "again_s": again,
        "peak_mb": memory,
        "first_search_s": first_search,
        "next_search_s": next_search,
    }


def retrieval(folder: Path, sizes: list[int]) -> list[dict[str, Any]]:
    """Search latency on the embedded index and on a real `chroma run` server."""
    import retrieval_bench

    rows = [{"index": "embedded", **row} for row in retrieval_bench.run(folder / "embedded", sizes)]
    server = start_chroma_server(folder / "server-data")
    try:
        rows += [{"index": "server", **row} for row in retrieval_bench.run(folder / "server", sizes, server.url)]
    finally:
        server.stop()
    return rows


class ChromaServer:
    """A `chroma run` process on loopback."""

    def __init__(self, process: subprocess.Popen[bytes], url: str) -> None:
        self.process, self.url = process, url

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def start_chroma_server(path: Path, port: int = 8765) -> ChromaServer:
    import urllib.request

    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    process = subprocess.Popen(
        [chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            return ChromaServer(process, url)
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("chroma run did not start")


def generation(folder: Path, repeats: int) -> dict[str, float]:
    """slant ask and summarize vs bare llama-cpp-python on the same prompt."""
    import llama_cpp

    from slant import ask as ask_module
    from slant.config.settings import Settings
    from slant.index.ingest import ingest
    from slant.index.retrieval import search
    from slant.index.store import Store
    from slant.llm.files import resolve_llm
    from slant.llm.loaded import embedder_for, model_for
    from slant.llm.prompts import render

    settings = Settings.load(index=folder / "seeds-index", answer_writer="model")  # always a draft to time
    ingest([REPO / "seeds"], settings)
    model, embedder = model_for(settings), embedder_for(settings)
    question = "What defense spending target did NATO members reaffirm?"
    store = Store.open(settings, embedder.embedder_id)
    passages = ask_module._pack(question, search(store, embedder, question, settings.k), model, settings)
    prompt = render("ask", passages=[p.text.replace("\n", " ") for p in passages], question=question)
    bare = llama_cpp.Llama(model_path=str(resolve_llm(settings).path), n_ctx=settings.n_ctx, seed=0, verbose=False)
    options = {"max_tokens": 64, "temperature": 0.0, "seed": 0, "repeat_penalty": 1.1}
    bare_times, slant_times, overheads = [], [], []
    for _ in range(repeats):
        bare.reset()  # no reuse of the previous call's cache, as for a first question
        started = time.perf_counter()
        bare.create_completion(prompt.text, stop=prompt.parameters.stop, **options)
        bare_times.append(time.perf_counter() - started)
        answer = ask_module.ask(question, settings, model, embedder)
        timings = answer.timings
        slant_times.append(timings["generation"])
        overheads.append(timings["total"] - timings["retrieval"] - timings["generation"])
    tokens_text = "Summarise the news: " + passages[0].text
    started = time.perf_counter()
    bare_completion = bare.create_completion(tokens_text, **options)
    bare_rate = bare_completion["usage"]["completion_tokens"] / (time.perf_counter() - started)
    completion = model.complete(tokens_text, max_tokens=64, stop=[], temperature=0.0, seed=0)
    return {
        "prompt_tokens": model.count_tokens(prompt.text),
        "bare_s": statistics.median(bare_times),
        "slant_generation_s": statistics.median(slant_times),
        "overhead_s": statistics.median(overheads),
        "bare_tokens_per_s": bare_rate,
        "slant_tokens_per_s": completion.completion_tokens / completion.seconds,
    }


def summaries(folder: Path) -> dict[str, float]:
    """Per-article summaries with the model loaded once: articles per minute, and the time
    beyond the model's own generation (verification, fallback selection) as a share of it."""
    from slant.config.settings import Settings
    from slant.index.store import Store
    from slant.llm.loaded import embedder_for, model_for
    from slant.tasks.summarize import summarize_article

    settings = Settings.load(index=folder / "seeds-index")  # ingested by generation()
    model, embedder = model_for(settings), embedder_for(settings)
    articles = [d.article for d in Store.open(settings, embedder.embedder_id).iter_documents()]
    wall = generation_seconds = 0.0
    for article in articles:
        started = time.perf_counter()
        summary = summarize_article(article, settings, model, embedder)
        wall += time.perf_counter() - started
        generation_seconds += summary.seconds
    return {
        "articles": len(articles),
        "per_minute": len(articles) / wall * 60,
        "overhead": (wall - generation_seconds) / generation_seconds,
    }


def batch(folder: Path, runs: int) -> dict[str, float]:
    """`slant summarize --all --out` on the seeds, serial vs --workers 2, alternating runs."""
    env = {**os.environ, "SLANT_INDEX": str(folder / "seeds-index")}  # ingested by generation()
    times: dict[int, list[float]] = {1: [], 2: []}
    for run in range(runs):
        for workers in (1, 2):
            out = folder / f"batch-{workers}-{run}.jsonl"
            command = [*SLANT, "summarize", "--all", "--out", str(out), "--workers", str(workers)]
            times[workers].append(timed(command, env)[0])
    return {"serial_s": statistics.median(times[1]), "workers2_s": statistics.median(times[2])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for checking the script itself")
    options = parser.parse_args()
    quick = options.quick
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        results: dict[str, Any] = {"startup": startup(3 if quick else 9)}
        results["side"] = ingest_side_by_side(folder, 20 if quick else 150, 1 if quick else 5)
        results["big"] = big_ingest(folder, 50 if quick else 1000)
        results["retrieval"] = retrieval(folder, [1000] if quick else [1000, 10000, 100000])
        results["generation"] = generation(folder, 1 if quick else 3)
        results["summaries"] = summaries(folder)
        results["batch"] = batch(folder, 1 if quick else 3)
    print_report(results)


def print_report(r: dict[str, Any]) -> None:
    side, big, gen, summ, par = r["side"], r["big"], r["generation"], r["summaries"], r["batch"]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("| Figure | Result |")
    print("|---|---|")
    print(f"| `slant --help` | {r['startup']['help_ms']:.0f} ms |")
    print(
        f"| Ingest vs raw embedder ({side['articles']} articles, {side['slant_chunks']} chunks) | "
        f"{side['slant']:.1%} ({side['slant_rate']:.1f} vs {side['raw_rate']:.1f} chunks/s) |"
        f"\n| Share of ingest time spent in the embedder, slant · LangChain (same runs) | "
        f"{side['embedding_share']:.1%} · {side['lc_embedding_share']:.1%} |"
    )
    print(
        f"| LangChain recipe vs raw embedder ({side['langchain_chunks']} chunks) | "
        f"{side['langchain']:.1%} ({side['lc_rate']:.1f} chunks/s) |"
    )
    print(
        f"| Ingest {big['articles']} articles (CLI, end to end) | {big['first_s']:.0f} s, "
        f"peak memory {big['peak_mb']:.0f} MB |"
    )
    print(f"| Re-ingest unchanged | {big['again_s']:.2f} s ({big['first_s'] / big['again_s']:.0f}x faster) |")
    print(
        f"| `slant search` after it: first (catches up the keyword index) · next (CLI, with start-up) | "
        f"{big['first_search_s']:.2f} s · {big['next_search_s']:.2f} s |"
    )
    for row in r["retrieval"]:
        print(
            f"| Retrieval, {row['index']}, {row['chunks']:,} chunks, {row['filter']} | "
            f"p50 {row['p50_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms |"
        )
    print(
        f"| ask: generation, slant vs bare llama-cpp-python ({gen['prompt_tokens']} prompt tokens) | "
        f"{gen['slant_generation_s']:.2f} s vs {gen['bare_s']:.2f} s |"
    )
    print(
        f"| ask: overhead (prompt building, verification) | {gen['overhead_s']:.2f} s "
        f"({gen['overhead_s'] / gen['bare_s']:.0%} of bare generation) |"
    )
    print(
        f"| Tokens/s, slant vs bare llama-cpp-python | {gen['slant_tokens_per_s']:.1f} vs "
        f"{gen['bare_tokens_per_s']:.1f} |"
    )
    print(
        f"| Summaries ({summ['articles']} seed articles, model loaded once) | {summ['per_minute']:.1f} articles/min; "
        f"overhead beyond generation {summ['overhead']:.1%} |"
    )
    print(
        f"| Batch `summarize --all --out` (5 seeds, CLI), serial vs `--workers 2` | {par['serial_s']:.1f} s vs "
        f"{par['workers2_s']:.1f} s ({par['serial_s'] / par['workers2_s']:.2f}x) |"
    )


if __name__ == "__main__":
    main()
