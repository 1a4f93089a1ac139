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
