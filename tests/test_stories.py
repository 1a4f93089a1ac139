"""Story grouping (slant.index.stories) with the real embedder, on articles the team wrote: three
events on unrelated subjects, each reported by two or three outlets, arriving in any order.
`slant eval stories` on a story file written here.
"""

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from slant.cli.app import app
from slant.config.settings import Settings
from slant.evals.stories import EventArticle, bcubed, score_grouping

ARTICLES = Path(__file__).parent / "articles"
runner = CliRunner()


def _file(name: str) -> tuple[str, str]:
    title, _, text = (ARTICLES / name).read_text(encoding="utf-8").partition("\n\n")
    return title, text


# (event, title, text, day): each event reported by more than one outlet, on different days' news.
EVENTS = [
    ("bridge", *_file("harbour-bridge-council.txt"), 100),
    (
        "bridge",
        "Port Ellery bridge to shut for repairs from March",
        "Drivers in Port Ellery face six months of detours after councillors voted on Tuesday to shut the "
        "Harbour Bridge for repairs to its corroded support cables. The $48 million project starts on March 1. "
        "Mayor Dana Whitfield said the closure was a price worth paying.",
        101,
    ),
    ("cup", *_file("riverside-cup-final.txt"), 200),
    (
        "cup",
        "Mensah strikes late as Riverside lift the cup",
        "Substitute Leo Mensah scored in the 112th minute to give Riverside FC a 2-1 extra-time win over "
        "Castleford United in the national cup final on Saturday. Captain Jonas Eriksen had equalised late "
        "in normal time after Marco Diaz put Castleford ahead.",
        200,
    ),
    ("earnings", *_file("northwind-earnings.txt"), 300),
    (
        "earnings",
        "Northwind shares fall after robot maker trims outlook",
        "Shares of Northwind Robotics fell 9 percent on Thursday after the warehouse robot maker cut its "
        "revenue forecast to $2.1 billion, citing a 12 percent drop in third-quarter orders. Chief executive "
        "Priya Raman said customers were delaying purchases.",
        301,
    ),
]


def _event_articles(events: list[tuple[str, str, str, int]]) -> list[EventArticle]:
    return [
        EventArticle(event=event, title=title, text=text, published=date.fromordinal(738000 + day).isoformat())
        for event, title, text, day in events
    ]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_articles_join_the_story_they_report_in_any_order(seed: int) -> None:
    score = score_grouping(_event_articles(EVENTS), Settings.load(), seed)
    assert (score.stories, score.f1) == (3, 1.0)


def test_the_same_kind_of_event_weeks_apart_is_another_story() -> None:
    bridge, second = EVENTS[0], EVENTS[1]
    later = ("later", second[1], second[2], second[3] + 60)  # the same report two months on
    score = score_grouping(_event_articles([bridge, second, later]), Settings.load(), seed=0)
    assert (score.stories, score.f1) == (2, 1.0)


def test_bcubed_counts_each_article_against_its_group() -> None:
    # gold {a,b,c} {d}; predicted {a,b} {c,d}: precision (1+1+.5+.5)/4, recall (2/3+2/3+1/3+1)/4
    precision, recall, f1 = bcubed(["x", "x", "y", "y"], ["1", "1", "1", "2"])
    assert precision == 0.75
    assert recall == pytest.approx(0.6667, abs=1e-4)
    assert f1 == pytest.approx(2 * 0.75 * 0.66667 / (0.75 + 0.66667), abs=1e-3)


def test_eval_stories_scores_a_story_file(tmp_path: Path) -> None:
    stories: dict[str, list[dict[str, str]]] = {}
    for event, title, text, _ in EVENTS:
        stories.setdefault(event, []).append({"title": title, "text": text})
    data = tmp_path / "stories.jsonl"
    data.write_text("\n".join(json.dumps({"id": k, "articles": v, "target": ""}) for k, v in stories.items()))
    result = runner.invoke(app, ["eval", "stories", str(data), "--json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["articles"], report["events"], report["stories"]) == (6, 3, 3)
    assert report["f1"] == 1.0


def test_eval_stories_names_the_bad_line(tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"event": "e1", "text": "A report."}\n{"title": "no event"}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", "stories", str(data)])
    assert result.exit_code != 0
    assert f"{data} line 2" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _second_reports(folder: Path) -> Path:
    """The team's articles plus a second outlet's report of three of their events, as files."""
    import shutil

    shutil.copytree(ARTICLES, folder)
    metadata = (ARTICLES / "metadata.yaml").read_text(encoding="utf-8")
    dates = {"bridge": "2025-02-12", "cup": "2025-05-17", "earnings": "2025-10-23"}
    for event, title, text, _ in EVENTS[1::2]:  # the reports written here, not the files
        (folder / f"second-{event}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
        metadata += f"second-{event}.txt:\n  source: Second Outlet\n  published: {dates[event]}\n"
    (folder / "metadata.yaml").write_text(metadata, encoding="utf-8")
    return folder


def _stories() -> list[dict[str, Any]]:
    result = runner.invoke(app, ["stories", "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_ingest_groups_articles_into_stories_and_commands_take_a_story(
    tmp_path: Path, index_kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _second_reports(tmp_path / "news")
    assert runner.invoke(app, ["ingest", str(folder)]).exit_code == 0
    stories = _stories()
    by_sources = {tuple(s["sources"]): s for s in stories}
    assert ("Ellery Gazette", "Second Outlet") in by_sources  # the bridge, reported twice
    assert ("Second Outlet", "Sports Wire") in by_sources
    assert ("Market Desk", "Second Outlet") in by_sources
    assert sum(len(s["articles"]) for s in stories) == 7  # the heatwave report stands alone
    assert len(stories) == 4
    cup = by_sources[("Second Outlet", "Sports Wire")]
    assert cup["first"] == cup["last"] == "2025-05-17"

    # A third report of the cup final arrives later: it joins, and no story id changes.
    (folder / "third-cup.txt").write_text(
        "Riverside celebrate cup win\n\nThousands of Riverside FC fans lined the streets on Sunday to greet the "
        "team a day after Leo Mensah's extra-time goal beat Castleford United 2-1 in the national cup final.\n",
        encoding="utf-8",
    )
    assert runner.invoke(app, ["ingest", str(folder)]).exit_code == 0
    after = {s["id"]: s for s in _stories()}
    assert set(after) == {s["id"] for s in stories}
    assert len(after[cup["id"]]["articles"]) == 3

    compared = runner.invoke(app, ["compare", "--story", cup["id"], "--no-llm", "--json"])
    assert compared.exit_code == 0, compared.stderr
    assert len(json.loads(compared.stdout)["profiles"]) == 3
    summarized = runner.invoke(app, ["summarize", "--story", cup["id"][:8], "--json"])
    assert summarized.exit_code == 0, summarized.stderr
    (summary,) = json.loads(summarized.stdout)
    assert set(summary["doc_ids"]) == set(after[cup["id"]]["articles"])
    asked = runner.invoke(app, ["ask", "Who won the national cup?", "--story", cup["id"], "--json"])
    assert asked.exit_code == 0, asked.stderr
    answer = json.loads(asked.stdout)
    cited = {c["doc_id"] for s in answer["sentences"] for c in s["citations"]}
    assert cited
    assert all("Castleford United won" not in s["text"] for s in answer["sentences"])  # no swapped roles
    assert cited <= set(after[cup["id"]]["articles"])  # only the story's articles
    unknown = runner.invoke(app, ["compare", "--story", "no-such-story", "--no-llm"])
    assert unknown.exit_code != 0
    assert "no such story" in unknown.stderr

    # Coverage by the analyst's groups of sources: a story only one group covered is its blindspot.
    groups = {"Ellery Gazette": "left", "Sports Wire": "left", "Market Desk": "right", "Second Outlet": "right"}
    monkeypatch.setenv("SLANT_SOURCE_GROUPS", json.dumps(groups))
    covered = {s["id"]: s for s in _stories()}
    coverage = covered[cup["id"]]["coverage"]
    assert (coverage["left"], coverage["right"]) == (["Sports Wire"], ["Second Outlet"])  # and the unnamed third
    assert covered[cup["id"]]["blindspot"] is None
    earnings = next(s for s in covered.values() if "Market Desk" in s["sources"])
    assert earnings["blindspot"] == "right"  # Market Desk and Second Outlet, both "right"
    result = runner.invoke(app, ["stories", "--blindspots", "--json"])
    assert result.exit_code == 0, result.stderr
    assert earnings["id"] in {s["id"] for s in json.loads(result.stdout)}
    assert cup["id"] not in {s["id"] for s in json.loads(result.stdout)}


def _story_with(stories: list[dict[str, Any]], source: str) -> dict[str, Any]:
    return next(s for s in stories if source in s["sources"])


def _doc_of(source: str) -> str:
    listed = runner.invoke(app, ["ls", "--json"])
    return next(d["id"] for d in json.loads(listed.stdout) if d["source"] == source)


def test_the_analysts_edits_outlive_removal_reingest_and_reindex(tmp_path: Path, index_kind: str) -> None:
    folder = _second_reports(tmp_path / "news")
    assert runner.invoke(app, ["ingest", str(folder)]).exit_code == 0
    before = _stories()
    bridge, cup = _story_with(before, "Ellery Gazette"), _story_with(before, "Sports Wire")

    merged = runner.invoke(app, ["stories", "merge", bridge["id"][:8], cup["id"]])
    assert merged.exit_code == 0, merged.stderr
    after = {s["id"]: s for s in _stories()}
    assert cup["id"] not in after
    assert set(after[bridge["id"]]["articles"]) == set(bridge["articles"]) | set(cup["articles"])
    assert after[bridge["id"]]["edited"]

    split = runner.invoke(app, ["stories", "split", bridge["id"], *cup["articles"]])
    assert split.exit_code == 0, split.stderr
    new_id = split.stderr.split()[-1]
    heatwave = _doc_of("Valley Courier")
    moved = runner.invoke(app, ["stories", "move", heatwave[:8], "--to", new_id])
    assert moved.exit_code == 0, moved.stderr
    edited = {s["id"]: s["articles"] for s in _stories()}
    assert set(edited[new_id]) == {*cup["articles"], heatwave}
    assert set(edited[bridge["id"]]) == set(bridge["articles"])

    # Removed, the article leaves its story; ingested again, it returns to where the analyst put it.
    assert runner.invoke(app, ["rm", heatwave]).exit_code == 0
    assert set(_story_with(_stories(), "Sports Wire")["articles"]) == set(cup["articles"])
    assert runner.invoke(app, ["ingest", str(folder)]).exit_code == 0
    assert {s["id"]: s["articles"] for s in _stories()}[new_id][-1] == heatwave

    # Reindexing forms the stories again in arrival order: the same ids, the same articles.
    assert runner.invoke(app, ["reindex"]).exit_code == 0
    rebuilt = {s["id"]: set(s["articles"]) for s in _stories()}
    assert rebuilt == {story: set(articles) for story, articles in edited.items()}


def test_story_edits_refuse_what_they_cannot_do(tmp_path: Path) -> None:
    folder = _second_reports(tmp_path / "news")
    assert runner.invoke(app, ["ingest", str(folder)]).exit_code == 0
    stories = _stories()
    cup, earnings = _story_with(stories, "Sports Wire"), _story_with(stories, "Market Desk")
    cases = [
        (["stories", "split", cup["id"], earnings["articles"][0]], "is not in story"),
        (["stories", "split", cup["id"], *cup["articles"]], "leave at least one article"),
        (["stories", "merge", cup["id"], "no-such-story"], "no such story"),
        (["stories", "move", "0000000000", "--to", cup["id"]], "no document"),
        (["stories", "--since", "last Tuesday"], "--since"),
    ]
    for command, message in cases:
        result = runner.invoke(app, command)
        assert result.exit_code != 0, command
        assert message in result.stderr, (command, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    assert _stories() == stories  # nothing changed


def test_lean_given_at_ingest_shows_coverage_and_blindspots(tmp_path: Path) -> None:
    folder = _second_reports(tmp_path / "news")
    seconds = sorted(folder.glob("second-*.txt"))
    for path in seconds:  # the second outlet's reports go in with their lean; the rest with another
        path.rename(tmp_path / path.name)
    assert runner.invoke(app, ["ingest", str(folder), "--meta", "lean=left"]).exit_code == 0
    sidecar = "".join(f"{p.name}:\n  source: Second Outlet\n" for p in seconds)
    (tmp_path / "metadata.yaml").write_text(sidecar, encoding="utf-8")
    moved = [str(tmp_path / p.name) for p in seconds]
    assert runner.invoke(app, ["ingest", *moved, "--meta", "lean=right"]).exit_code == 0
    stories = _stories()
    cup = _story_with(stories, "Sports Wire")
    assert cup["coverage"] == {"left": ["Sports Wire"], "right": ["Second Outlet"]}
    assert cup["blindspot"] is None
    heat = _story_with(stories, "Valley Courier")
    assert heat["blindspot"] == "left"
    listed = runner.invoke(app, ["stories", "--blindspots", "--since", "2025-07-01", "--json"])
    assert [s["id"] for s in json.loads(listed.stdout)] == [heat["id"]]
    table = runner.invoke(app, ["stories"], env={"COLUMNS": "200"})
    assert "(only left)" in next(line for line in table.stdout.splitlines() if "Valley Courier" in line)


def test_sources_profile_each_outlet_and_the_pages_render_in_chromium(
    tmp_path: Path, chromium: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _second_reports(tmp_path / "news")
    (folder / "opinion-bridge.txt").write_text(
        "Harbour Bridge closure is a fiasco\n\nThe reckless Port Ellery council rammed through its disastrous vote "
        "on Tuesday to shut the Harbour Bridge for six months of repairs to its support cables, a shameful betrayal "
        "of every driver who will sit in detours from March.\n",
        encoding="utf-8",
    )
    with (folder / "metadata.yaml").open("a", encoding="utf-8") as sidecar:
        sidecar.write("opinion-bridge.txt:\n  source: Opinion Daily\n  published: 2025-02-12\n")
    assert runner.invoke(app, ["ingest", str(folder)]).exit_code == 0
    groups = {"Ellery Gazette": "left", "Sports Wire": "left", "Market Desk": "right", "Second Outlet": "right"}
    monkeypatch.setenv("SLANT_SOURCE_GROUPS", json.dumps(groups))
    page = tmp_path / "sources.html"
    result = runner.invoke(app, ["sources", "--json", "--html", str(page)])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    by_source = {s["source"]: s for s in report["sources"]}
    assert report["stories"] == 4
    second = by_source["Second Outlet"]
    assert (second["articles"], second["stories"], second["story_share"], second["lean"]) == (3, 3, 0.75, "right")
    loaded = sorted((s["loaded_per_100"], s["source"]) for s in report["sources"])
    assert loaded[-1][1] == "Opinion Daily"
    assert loaded[-1][0] > 2 * loaded[-2][0]
    # the sentence reader reads the opinion piece's own sentences as loaded more than any report's
    read = sorted((s["loaded_sentences"], s["source"]) for s in report["sources"])
    assert read[-1][1] == "Opinion Daily"
    assert all(0 <= s["loaded_sentences"] <= 1 for s in report["sources"])
    assert sum(by_source["Sports Wire"]["voices"].values()) >= 1  # the final's report quotes its players

    dom = chromium("--dump-dom", page.as_uri(), profile=tmp_path / "p1").stdout
    assert 'data-ready="yes"' in dom
    assert dom.count('<tr class="source"') == len(report["sources"]) == 6
    assert dom.count('class="bar"') == 3 * 6  # loaded sentences, loaded terms and coverage, per source
    assert '<svg id="sources-chart"' in dom

    # The compare page of one story opens on the story: its title, coverage by group and blindspot.
    stories = _stories()
    earnings = _story_with(stories, "Market Desk")
    story_page = tmp_path / "story.html"
    compared = runner.invoke(app, ["compare", "--story", earnings["id"], "--no-llm", "--html", str(story_page)])
    assert compared.exit_code == 0, compared.stderr
    shot = tmp_path / "story.png"
    assert chromium(f"--screenshot={shot}", story_page.as_uri(), profile=tmp_path / "p2").returncode == 0
    assert shot.stat().st_size > 10_000
    rendered = chromium("--dump-dom", story_page.as_uri(), profile=tmp_path / "p3").stdout
    story_section = rendered.split('<section id="story"')[1].split("</section>")[0]
    assert earnings["title"] in story_section
    assert '<li data-group="right"><b>right</b>: Market Desk, Second Outlet</li>' in story_section
    assert "Blindspot: only right sources covered this story." in story_section
    assert rendered.index('id="story"') < rendered.index('id="chart"')  # the page opens on the story
