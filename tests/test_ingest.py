import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from slant.cli.app import app

REPO = Path(__file__).resolve().parents[1]

runner = CliRunner()


def ingest(*args: str) -> tuple[int, dict]:
    result = runner.invoke(app, ["ingest", "--json", *args])
    return result.exit_code, json.loads(result.stdout)


def test_seeds_ingest_once_then_nothing_to_do(seeds: Path, index_kind: str) -> None:
    code, first = ingest(str(seeds))
    assert code == 0
    assert len(first["added"]) == 5
    assert first["chunks_embedded"] > 0
    code, second = ingest(str(seeds))
    assert code == 0
    assert second["added"] == []
    assert len(second["unchanged"]) == 5
    assert second["chunks_embedded"] == 0
    listing = json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    by_source = {row["source"]: row for row in listing}
    assert by_source["seed-002"]["published"] == "2025-12-01"
    assert by_source["CNewsLive"]["title"].startswith("Russia Slams NATO")


def test_boilerplate_is_removed_and_spans_point_into_stored_text(seeds: Path, index_kind: str) -> None:
    ingest(str(seeds))
    listing = json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    doc = next(r for r in listing if r["source"] == "CNewsLive")
    shown = json.loads(runner.invoke(app, ["show", doc["id"], "--json"]).stdout)
    assert "WhatsApp" not in shown["text"]
    assert "comments posted here" not in shown["text"]
    assert any("WhatsApp" in line for line in shown["removed"])
    hits = json.loads(runner.invoke(app, ["search", "pre-emptive strike Zakharova", "--json"]).stdout)
    assert hits
    for hit in hits:
        stored = json.loads(runner.invoke(app, ["show", hit["doc_id"], "--json"]).stdout)["text"]
        assert stored[hit["start"] : hit["end"]] == hit["text"]


def test_rm_by_id_and_by_source_removes_documents_and_their_chunks(seeds: Path, index_kind: str) -> None:
    ingest(str(seeds))
    listing = json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    cnews = next(row for row in listing if row["source"] == "CNewsLive")
    result = runner.invoke(app, ["rm", cnews["id"][:8], "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"removed": [cnews["id"]]}
    result = runner.invoke(app, ["rm", "--source", "seed-002", "--json"])
    assert len(json.loads(result.stdout)["removed"]) == 1
    remaining = json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    assert {row["source"] for row in remaining}.isdisjoint({"CNewsLive", "seed-002"})
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert stats["documents"] == 3
    assert stats["chunks"] == sum(row["chunks"] for row in remaining)
    hits = json.loads(runner.invoke(app, ["search", "pre-emptive strike Zakharova", "--json"]).stdout)
    assert cnews["id"] not in {hit["doc_id"] for hit in hits}


def test_reindex_rebuilds_the_same_documents_and_chunks(seeds: Path, index_kind: str) -> None:
    ingest(str(seeds))
    before = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 0, result.stderr
    assert "Reindexed 5 documents" in result.stderr
    after = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert (after["documents"], after["chunks"], after["sources"]) == (5, before["chunks"], before["sources"])
    hits = json.loads(runner.invoke(app, ["search", "pre-emptive strike Zakharova", "--json"]).stdout)
    assert any(hit["source"] == "CNewsLive" for hit in hits)


def test_unchanged_files_are_not_read_again_but_changes_and_removals_are_seen(workspace: Path) -> None:
    folder = workspace / "articles"
    folder.mkdir()
    for number in range(3):
        (folder / f"{number}.txt").write_text(f"Report {number} on the harbour strike in Valen. " * 6)
    (folder / "broken.jsonl").write_text('{"text": "A whole record about the Valen strike, long enough."}\n{oops\n')
    code, first = ingest(str(folder))
    assert code == 1  # the malformed line
    assert (len(first["added"]), first["unread"]) == (4, 0)
    code, second = ingest(str(folder))
    assert second["unread"] == 3  # the file with an error is read again and its error reported again
    assert len(second["unchanged"]) == 4
    assert len(second["failed"]) == 1
    (folder / "1.txt").write_text("A corrected report on the harbour strike in Valen. " * 6)
    _, third = ingest(str(folder))
    assert (third["unread"], len(third["updated"])) == (2, 1)
    listing = json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    removed = next(row["id"] for row in listing if row["origin"].endswith("2.txt"))
    assert runner.invoke(app, ["rm", removed]).exit_code == 0
    _, fourth = ingest(str(folder))
    assert fourth["added"] == [removed]  # 2.txt is unchanged on disk, but its document was removed
    assert fourth["unread"] == 2


def test_an_index_of_an_older_schema_is_refused_until_reindexed(seeds: Path, workspace: Path) -> None:
    ingest(str(seeds))
    import chromadb

    from slant.config.settings import Settings
    from slant.index.store import CHUNKS

    chunks = chromadb.PersistentClient(path=str(Settings.load().index)).get_collection(CHUNKS)
    recorded = {key: value for key, value in (chunks.metadata or {}).items() if not key.startswith("hnsw:")}
    chunks.modify(metadata={**recorded, "schema_version": 1})  # as slant 0.1 wrote it
    result = runner.invoke(app, ["search", "Zakharova"])
    assert result.exit_code != 0
    assert "schema version 1" in result.stderr
    assert "slant reindex" in result.stderr
    result = runner.invoke(app, ["reindex"])
    assert result.exit_code == 0, result.stderr
    hits = json.loads(runner.invoke(app, ["search", "pre-emptive strike Zakharova", "--json"]).stdout)
    assert any(hit["source"] == "CNewsLive" for hit in hits)
    assert len(json.loads(runner.invoke(app, ["ls", "--json"]).stdout)) == 5


def test_changed_file_replaces_its_old_version(workspace: Path, index_kind: str) -> None:
    article = workspace / "a.txt"
    article.write_text("First version of a story about a harbour strike in Valen. " * 5)
    ingest(str(article))
    article.write_text("Second version of a story about a harbour strike in Valen. " * 5)
    code, report = ingest(str(article))
    assert code == 0
    assert len(report["updated"]) == 1
    listing = json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    assert len(listing) == 1
    assert listing[0]["id"] == report["updated"][0]


def test_bad_inputs_fail_per_file_and_the_rest_is_ingested(workspace: Path, seeds: Path) -> None:
    bad = workspace / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (bad / "latin1.txt").write_bytes("caf\xe9 au lait ".encode("latin-1") * 10)
    (bad / "lines.jsonl").write_text('{"text": "A fine article about ports and ships in Valen."}\n{oops\n')
    (bad / "scripts.html").write_text("<html><body><script>var a=1;</script></body></html>")
    code, report = ingest(str(seeds), str(bad))
    assert code == 1
    messages = {Path(f["origin"].split("#")[0]).name: f["message"] for f in report["failed"]}
    assert messages["empty.txt"] == "empty file"
    assert "binary" in messages["binary.txt"]
    assert "UTF-8" in messages["latin1.txt"]
    assert "line 2" in messages["lines.jsonl"]
    assert "no readable text" in messages["scripts.html"]
    assert len(report["added"]) == 6  # five seeds and the good JSONL line


def test_killed_ingest_recovers_without_duplicates(seeds: Path, workspace: Path, index_kind: str) -> None:
    # Kill a real ingest process mid-way, then ingest again: complete, no duplicate chunks.
    code = (
        "import os, sys; from pathlib import Path; import slant.index.store as store\n"
        "real = store.Store.add_many\n"
        "def add_many(self, documents, *rest):\n"
        "    # die after the chunks are written, before the records that make documents visible\n"
        "    self.documents.upsert = lambda **_: os.kill(os.getpid(), 9)\n"
        "    real(self, documents, *rest)\n"
        "store.Store.add_many = add_many\n"
        "from slant.cli.app import main; sys.argv = ['slant', 'ingest', sys.argv[1]]; main()\n"
    )
    killed = subprocess.run([sys.executable, "-c", code, str(seeds)], capture_output=True)
    assert killed.returncode == -9
    orphans = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert (orphans["documents"], orphans["chunks"] > 0) == (0, True)
    code_, report = ingest(str(seeds))
    assert code_ == 0
    assert len(report["added"]) == 5
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    listing = json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    assert stats["documents"] == 5
    assert stats["chunks"] == sum(row["chunks"] for row in listing)


@contextmanager
def write_lock_held(**env: str) -> Iterator[None]:
    """Another process holds the index's write lock (until the block ends)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from slant.config.settings import Settings; from slant.index.ingest import write_lock\n"
            "with write_lock(Settings.load(), 5):\n    print('locked', flush=True); sys.stdin.readline()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_second_writer_fails_clearly_while_the_first_holds_the_lock(
    seeds: Path, workspace: Path, index_kind: str
) -> None:
    with write_lock_held():
        result = runner.invoke(app, ["ingest", str(seeds), "--wait", "1"])
        assert result.exit_code == 4
        assert "being written by another slant process" in result.stderr
    assert ingest(str(seeds))[0] == 0


@pytest.mark.parametrize(
    "spelling",
    [
        "HTTP://127.0.0.1:{port}",
        "http://localhost:{port}",
        "http://127.1:{port}",
        "http://127.0.0.1:{port}/some/path",
        "http://0.0.0.0:{port}",
    ],
)
def test_every_spelling_of_one_server_url_shares_one_write_lock(seeds: Path, chroma_server: Any, spelling: str) -> None:
    port = chroma_server.port
    with write_lock_held(SLANT_CHROMA_URL=f"http://127.0.0.1:{port}/"):
        url = spelling.format(port=port)
        result = runner.invoke(app, ["--chroma-url", url, "ingest", str(seeds), "--wait", "1"])
        assert result.exit_code == 4
        assert "being written by another slant process" in result.stderr
        assert result.stdout == ""
    reached = runner.invoke(app, ["--chroma-url", url, "ls"])  # the spelling reaches the (empty) server
    assert (reached.exit_code, reached.stderr.startswith("Error: No slant index at")) == (4, True), reached.stderr


def test_a_chroma_server_on_ipv6_is_reached_through_its_url(seeds: Path, chroma_server_on_ipv6: Any) -> None:
    url = chroma_server_on_ipv6.url
    assert url.startswith("http://[::1]:")
    ingested = runner.invoke(app, ["--chroma-url", url, "ingest", "--json", str(seeds)])
    assert ingested.exit_code == 0, ingested.stderr
    assert len(json.loads(ingested.stdout)["added"]) == 5
    listing = json.loads(runner.invoke(app, ["--chroma-url", url, "ls", "--json"]).stdout)
    assert len(listing) == 5
    with write_lock_held(SLANT_CHROMA_URL=url):  # and [::1] is this machine, as localhost is
        port = chroma_server_on_ipv6.port
        result = runner.invoke(app, ["--chroma-url", f"http://localhost:{port}", "rm", listing[0]["id"], "--wait", "1"])
        assert result.exit_code == 4
        assert "being written by another slant process" in result.stderr


def load_corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "evals/bench/corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def search(*args: str) -> list[dict]:
    result = runner.invoke(app, ["search", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_thousand_generated_articles_ingest_filter_remove(workspace: Path) -> None:
    corpus = workspace / "corpus"
    load_corpus_module().write_corpus(corpus, 1000, sentences_per_article=(3, 5))
    code, first = ingest(str(corpus))
    assert code == 0
    assert len(first["added"]) == 1000
    assert first["failed"] == []
    code, again = ingest(str(corpus))
    assert (code, again["chunks_embedded"], len(again["unchanged"])) == (0, 0, 1000)
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    listing = json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    assert stats["documents"] == 1000
    assert stats["chunks"] == sum(row["chunks"] for row in listing) == first["chunks_embedded"]
    hits = search("Zakharova pre-emptive strike", "--source", "outlet-03", "-k", "6")
    assert hits
    assert {hit["source"] for hit in hits} == {"outlet-03"}
    published = {row["id"]: row["published"] for row in listing}
    dated = search("NATO summit", "--since", "2025-11-01", "-k", "6")
    assert dated
    assert all(published[hit["doc_id"]] >= "2025-11-01" for hit in dated)
    removed = runner.invoke(app, ["rm", "--source", "outlet-03"])
    assert removed.exit_code == 0
    after = search("Zakharova pre-emptive strike", "-k", "20")
    assert after
    assert "outlet-03" not in {hit["source"] for hit in after}
    assert json.loads(runner.invoke(app, ["stats", "--json"]).stdout)["documents"] == 950


def test_keyword_search_follows_a_changed_file(workspace: Path) -> None:
    article = workspace / "harbour.txt"
    article.write_text("Dockworkers in Valen began a strike over pay on Monday. " * 3)
    ingest(str(article))
    assert search("dockworkers Valen")
    article.write_text("Farmers in Orlin blocked a motorway with tractors on Tuesday. " * 3)
    ingest(str(article))
    hits = search("tractors Orlin motorway")
    assert hits
    assert all("Valen" not in hit["text"] for hit in search("dockworkers Valen"))


def test_stdin_metadata_overrides_and_dedupe(seeds: Path, workspace: Path) -> None:
    ingest(str(seeds))
    story = "The harbour authority of Valen reopened the northern pier after a week of repairs. " * 4
    args = ["ingest", "--json", "-", "--source", "Valen Post", "--meta", "published=2025-03-04", "--meta", "title=Pier"]
    result = runner.invoke(app, args, input=story)
    assert result.exit_code == 0, result.output
    added = json.loads(result.stdout)["added"]
    shown = json.loads(runner.invoke(app, ["show", added[0], "--json"]).stdout)
    assert (shown["source"], shown["published"], shown["title"], shown["origin"]) == (
        "Valen Post",
        "2025-03-04",
        "Pier",
        "-",
    )
    # Wire copy republished with small edits: reported as a near-duplicate, skipped with --dedupe.
    original = next(seeds.glob("004_*.txt")).read_text(encoding="utf-8")
    copy = workspace / "republished.txt"
    copy.write_text(original.replace("on Monday", "on Monday evening").replace("Russia", "Moscow", 1))
    code, report = ingest(str(copy), "--dedupe")
    assert code == 0
    listing = json.loads(runner.invoke(app, ["ls", "--json"]).stdout)
    cnews = next(row["id"] for row in listing if row["source"] == "CNewsLive")
    assert [(d["duplicate_of"], d["skipped"]) for d in report["near_duplicates"]] == [(cnews, True)]
    assert report["added"] == []
    assert len(listing) == 6


def test_oversized_and_unreadable_files_fail_alone_and_keep_the_index(seeds: Path, workspace: Path) -> None:
    ingest(str(seeds))
    before = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    bad = workspace / "bad"
    bad.mkdir()
    with (bad / "dump.txt").open("w") as handle:
        line = "A sentence that repeats in a very large file of text. " * 20 + "\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    (bad / "gone.txt").symlink_to(workspace / "nowhere.txt")
    (bad / "fine.txt").write_text("The ferry to Orlin resumed service on Friday after the storm passed. " * 3)
    (bad / "scan.pdf").write_bytes(b"%PDF-1.7")
    code, report = ingest(str(bad))
    assert code == 1
    messages = {Path(f["origin"]).name: f["message"] for f in report["failed"]}
    assert "too large for one article" in messages["dump.txt"]
    assert ".jsonl" in messages["dump.txt"]
    assert "cannot read it (a broken link)" in messages["gone.txt"]
    assert [Path(p).name for p in report["unsupported"]] == ["scan.pdf"]
    assert len(report["added"]) == 1
    after = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert after["documents"] == before["documents"] + 1


def test_bad_meta_option_is_a_usage_error(seeds: Path) -> None:
    result = runner.invoke(app, ["ingest", str(seeds), "--meta", "colour=red"])
    assert result.exit_code == 2
    assert "--meta" in result.stderr
    assert "key=value" in result.stderr


NEWS_PAGE = """<!doctype html><html><head><title>Ferry strike | Coastline Daily</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Coastline Daily site"},
  {"@type": "NewsArticle", "headline": "Ferry crews strike over rosters", "datePublished": "2025-03-05T14:30:00Z",
   "author": [{"@type": "Person", "name": "Ines Okafor"}],
   "publisher": {"@type": "Organization", "name": "Coastline Daily"}}
]}</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
  <h1>Ferry crews strike over rosters</h1>
  <div class="article-byline">By <a rel="author" href="/people/ines">Ines Okafor</a></div>
  <p>Ferry crews on the island routes walked out on Wednesday over new rosters, stranding about 4,000 travellers.</p>
  <div class="share-tools"><p>Share this on social media</p></div>
  <p>The union said talks with the operator would resume on Friday.</p>
  <section class="related-stories"><h2>Related stories</h2><ul><li>Port fees rise again</li></ul></section>
  <p>© 2025 Coastline Daily. All rights reserved.</p>
</article>
<footer>About us · Contact</footer></body></html>"""


def test_news_pages_give_their_story_and_metadata_and_undated_articles_are_reported(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "ferry.html").write_text(NEWS_PAGE, encoding="utf-8")
    rss_dated = NEWS_PAGE.replace('"datePublished": "2025-03-05T14:30:00Z",', "").replace(
        "<title>", '<meta property="article:published_time" content="Tue, 04 Mar 2025 09:15:00 GMT"><title>'
    )
    (pages / "ferry-rss-date.html").write_text(rss_dated.replace("4,000", "3,900"), encoding="utf-8")
    written = NEWS_PAGE.replace('"datePublished": "2025-03-05T14:30:00Z",', "").replace(
        "<h1>", '<time datetime="March 6, 2025">March 6</time><h1>'
    )
    (pages / "ferry-written-date.html").write_text(written.replace("4,000", "4,100"), encoding="utf-8")
    undated = NEWS_PAGE.replace('"datePublished": "2025-03-05T14:30:00Z",', "")
    (pages / "ferry-undated.html").write_text(undated.replace("4,000", "4,200"), encoding="utf-8")

    result = runner.invoke(app, ["ingest", str(pages)])
    assert result.exit_code == 0, result.stderr
    assert "undated 1 article(s)" in result.stderr
    assert "ferry-undated.html" in result.stderr
    listed = {Path(d["origin"]).name: d for d in json.loads(runner.invoke(app, ["ls", "--json"]).stdout)}
    assert {name: d["published"] for name, d in listed.items()} == {
        "ferry.html": "2025-03-05T14:30:00+00:00",
        "ferry-rss-date.html": "2025-03-04T09:15:00+00:00",
        "ferry-written-date.html": "2025-03-06",
        "ferry-undated.html": "",  # `ls --json` writes a missing date as ""
    }
    shown = json.loads(runner.invoke(app, ["show", listed["ferry.html"]["id"], "--json"]).stdout)
    assert (shown["title"], shown["source"], shown["author"]) == (
        "Ferry crews strike over rosters",
        "Coastline Daily",
        "Ines Okafor",
    )
    text = shown["text"]
    assert "walked out on Wednesday" in text
    assert "talks with the operator would resume" in text
    for site_part in ("Ines Okafor", "Share this", "Related stories", "Port fees", "All rights reserved", "Home"):
        assert site_part not in text, site_part
