"""`slant compare` end to end on the seeds: real default model, real embedder, real Chroma on a
temporary index, and the HTML page loaded in a real headless Chromium (Debian's package).

The model-backed comparison of 002 vs 004 runs once per module (it is the slow part); the other
tests read its output or run the deterministic `--no-llm` path.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from slant.cli.app import app
from slant.llm import loaded as runtime
from slant.tasks.compare import SCHEMA_VERSION, Comparison

runner = CliRunner()
SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CACHE = Path(os.environ.get("SLANT_TEST_CACHE", "/tmp/slant-test-cache"))


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The seeds ingested once, and 002 vs 004 compared once with the model (JSON + HTML page)."""
    root = tmp_path_factory.mktemp("compare")
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("SLANT_"):
                patch.delenv(name)
        patch.chdir(root)
        patch.setenv("SLANT_CACHE_DIR", str(CACHE))
        patch.setenv("SLANT_LLM", "fast")  # as conftest
        patch.setenv("SLANT_INDEX", str(root / "index"))
        shutil.copytree(SEEDS, root / "seeds")
        assert runner.invoke(app, ["ingest", str(root / "seeds")]).exit_code == 0
        page = root / "page.html"
        result = runner.invoke(
            app, ["compare", "--source", "seed-002", "--source", "CNewsLive", "--json", "--html", str(page)]
        )
        assert result.exit_code == 0, result.stderr
        texts = {}
        for line in json.loads(runner.invoke(app, ["ls", "--json"]).stdout):
            texts[line["id"]] = json.loads(runner.invoke(app, ["show", line["id"], "--json"]).stdout)["text"]
    return {"index": root / "index", "comparison": json.loads(result.stdout), "page": page, "texts": texts}


def run(seeded: dict[str, Any], *args: str) -> Any:
    return runner.invoke(app, ["--index", str(seeded["index"]), *args])


def by_source(comparison: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return dict(zip(comparison["sources"], comparison["profiles"], strict=True))


def voice(profile: dict[str, Any], name: str) -> dict[str, Any]:
    found = [v for v in profile["voices"] if name in v["speaker"]]
    assert len(found) == 1, [v["speaker"] for v in profile["voices"]]
    return found[0]


def all_evidence(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    spans = [e for p in comparison["profiles"] for v in p["voices"] for e in v["evidence"]]
    spans += [e for c in comparison["shared"] + comparison["partial"] for e in c["evidence"]]
    spans += [e for o in comparison["omissions"] for e in o["claim"]["evidence"]]
    spans += [e for s in comparison["narrative"]["sentences"] for e in s["evidence"]]
    spans += [e for s in comparison["stances"] for e in s["evidence"]]
    return spans


def test_same_event_speakers_loaded_language_and_the_omission(seeded: dict[str, Any]) -> None:
    comparison = seeded["comparison"]
    assert comparison["schema_version"] == SCHEMA_VERSION
    assert set(comparison) == set(Comparison.model_fields)
    assert comparison["used_model"]
    profiles = by_source(comparison)
    blog, news = profiles["seed-002"], profiles["CNewsLive"]
    # speakers, with the role and affiliation each article states (no camps given: grouped by affiliation)
    dragone = voice(blog, "Dragone")
    assert dragone["role"] == "Chair of the NATO Military Committee"
    assert dragone["camp"] == dragone["affiliation"] == "NATO Military Committee"
    assert voice(blog, "Zakharova")["affiliation"] == "Foreign Ministry"
    zakharova = voice(news, "Zakharova")
    assert zakharova["role"] == "Russian Foreign Ministry spokesperson"
    assert zakharova["camp"] == "Russian Foreign Ministry"
    assert zakharova["direct"] >= 1
    assert voice(news, "Dragone")["affiliation"] == "NATO"
    # 002's own voice stands out: loaded words and rhetorical devices outside quotes
    voiced = {
        name: sum(1 for t in p["terms"] if t["kind"] in ("loaded", "device") and not t["in_quote"])
        for name, p in profiles.items()
    }
    assert voiced["seed-002"] / blog["words"] > 2 * voiced["CNewsLive"] / news["words"]
    assert blog["genre"] == "opinion"
    assert news["genre"] == "news report"
    # the reason NATO gave (hybrid warfare) is what seed-002 leaves out, first of its omissions
    first = next(o for o in comparison["omissions"] if o["missing_from"] == "seed-002")
    assert "hybrid warfare" in first["claim"]["text"]
    assert first["claim"]["is_reason"]
    assert {"hybrid", "warfare"} <= set(first["absent_terms"])
    assert first["claim"]["closest"]["seed-002"] < 0.6
    # opinion lines of 002 are not aligned with 004's reporting
    shared = " ".join(c["text"] for c in comparison["shared"])
    assert "deeper shifts inside NATO" not in shared
    assert "shatters the narrative" not in shared
    # every span points at the stored text
    for span in all_evidence(comparison):
        assert seeded["texts"][span["doc_id"]][span["start"] : span["end"]] == span["text"]


def test_stances_are_decided_by_their_evidence(seeded: dict[str, Any]) -> None:
    comparison = seeded["comparison"]
    actors = [a["name"] for a in comparison["actors"]]
    assert 2 <= len(actors) <= 5
    assert {"NATO", "Russia"} <= set(actors)  # the most named, found in the articles themselves
    stances = comparison["stances"]
    assert {(s["source"], s["actor"]) for s in stances} == {
        (source, actor) for source in ("seed-002", "CNewsLive") for actor in actors
    }
    for stance in stances:
        assert stance["stance"] in ("favourable", "critical", "neutral", "unclear")
        if stance["stance"] == "unclear":
            assert stance["evidence"] == []
            continue
        surname = stance["actor"].split()[-1]
        assert all(surname in e["text"] for e in stance["evidence"])  # sentences that name the actor
        if stance["proposed"] is not None:  # the model's proposal is kept beside, never over, the evidence
            assert stance["provenance"]["prompt"] == "stance@1"
            assert stance["proposed"] in (stance["stance"], "unclear") or stance["note"]
        if stance["probability"] is not None:  # the stance reader's, else the rule on top decided
            assert 1 / 3 <= stance["probability"] <= 1
        else:
            assert "decide it" in stance["note"]
    # Whether seed-002 reads as critical of NATO is a measured goal (issue 31), not asserted here;
    # the reader's critical and favourable readings are tested on team-written articles
    # (test_readers.py, test_actors.py).


def test_narrative_sentences_are_verified_or_built_from_the_signals(seeded: dict[str, Any]) -> None:
    comparison = seeded["comparison"]
    narrative = comparison["narrative"]
    assert narrative["provenance"]["prompt"] == "compare_narrative@2"
    assert 1 <= len(narrative["sentences"]) <= 5
    loaded_spans = {
        (p["doc_id"], t["start"]) for p in comparison["profiles"] for t in p["terms"] if t["kind"] == "loaded"
    }
    for sentence in narrative["sentences"]:
        assert sentence["evidence"]
        assert sentence["origin"] in ("model", "rule", "reader")
        if sentence["origin"] == "model":
            assert sentence["support"] >= 0.7
    # the loaded-language finding is there, tied to the loaded terms it counts
    assert any(all((e["doc_id"], e["start"]) in loaded_spans for e in s["evidence"]) for s in narrative["sentences"])
    texts = [s["text"] for s in narrative["sentences"] if s["origin"] == "rule"]
    blog = by_source(comparison)["seed-002"]
    count = sum(1 for t in blog["terms"] if t["kind"] == "loaded" and not t["in_quote"])
    assert any(f"seed-002 uses {count} loaded terms outside quotes" in t for t in texts) or any(
        s["origin"] == "model" for s in narrative["sentences"]
    )


def test_same_briefing_without_the_model(seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "_LOADED", {})
    camps = ["--camp", "Russia=Russian,Kremlin,Moscow", "--camp", "West=NATO,Western,U.S.,European"]
    result = run(seeded, "compare", "--source", "seed-000", "--source", "seed-001", "--no-llm", "--json", *camps)
    assert result.exit_code == 0, result.stderr
    assert "llm" not in runtime.loaded_roles()
    comparison = json.loads(result.stdout)
    assert not comparison["used_model"]
    assert comparison["stances"]  # decided by the wording alone
    assert all(s["proposed"] is None and s["provenance"] is None for s in comparison["stances"])
    assert comparison["narrative"]["provenance"] is None
    assert {s["origin"] for s in comparison["narrative"]["sentences"]} == {"reader", "rule"}
    briefing, rare = by_source(comparison)["seed-000"], by_source(comparison)["seed-001"]
    # role-only speakers, merged with their later mentions ("the colonel", "The official")
    assert voice(briefing, "attaché")["speaker"] == "a senior U.S. military attaché"
    assert voice(briefing, "attaché")["camp"] == "West"
    official = voice(briefing, "European Union defense official")
    assert official["direct"] == 2
    assert official["indirect"] == 1
    colonel = voice(briefing, "colonel")
    assert colonel["speaker"] == "a retired colonel"
    assert colonel["camp"] == "unstated"  # the article states no affiliation for him
    assert colonel["direct"] >= 1
    assert voice(briefing, "NATO analyst")["camp"] == "West"
    gerasimov = voice(briefing, "Gerasimov")
    assert gerasimov["speaker"] == "Valery Gerasimov"
    assert "Chief of the General Staff" in gerasimov["role"]
    assert gerasimov["direct"] >= 3
    assert gerasimov["camp"] == "Russia"
    for name in ("Vladimir Putin", "Sergei Lavrov", "a senior Russian defense official", "one European diplomat"):
        assert voice(rare, name)
    assert voice(rare, "Gerasimov")["indirect"] >= 1  # "Gerasimov emphasized that ..."
    assert {"West", "Russia"} <= set(briefing["camp_shares"])
    assert abs(sum(briefing["camp_shares"].values()) - 1) < 0.01
    # the analyst names the actors
    named = run(
        seeded, "compare", "--source", "seed-000", "--source", "seed-001", "--no-llm", "--json", "--actor", "Gerasimov"
    )
    assert named.exit_code == 0, named.stderr
    assert {s["actor"] for s in json.loads(named.stdout)["stances"]} == {"Valery Gerasimov"}
    bad = run(seeded, "compare", "--source", "seed-000", "--source", "seed-001", "--no-llm", "--camp", "Russia")
    assert bad.exit_code == 2
    assert "--camp 'Russia'" in bad.stderr
    # the same briefing: both leads are one claim
    assert any(
        "Gerasimov" in c["evidence"][0]["text"] and "Gerasimov" in c["evidence"][1]["text"]
        for c in comparison["shared"]
    )


def test_markdown_and_table_formats(seeded: dict[str, Any]) -> None:
    result = run(seeded, "compare", "--source", "seed-002", "--source", "CNewsLive", "--no-llm", "--format", "md")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Comparison: seed-002 vs CNewsLive")
    assert re.search(r"\| loaded terms \(unquoted\) \| [a-z +]+ \| \d+ \(\d+\.\d/1000 words\) \| \d+ \(", text)
    assert "## Omissions" in text
    assert "hybrid warfare" in text
    table = run(seeded, "compare", "--source", "seed-002", "--source", "CNewsLive", "--no-llm")
    assert table.exit_code == 0
    assert "Framing profile" in table.stdout
    assert "seed-002 omits" in table.stdout


def test_bad_compare_options_are_clear_errors(seeded: dict[str, Any], tmp_path: Path) -> None:
    result = run(seeded, "compare", "--source", "seed-002", "--source", "CNewsLive", "--no-llm", "--format", "xml")
    assert result.exit_code == 2
    assert "--format 'xml'" in result.stderr
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = run(
        seeded,
        "compare",
        "--source",
        "seed-002",
        "--source",
        "CNewsLive",
        "--no-llm",
        "--html",
        str(blocked / "page.html"),
    )
    assert result.exit_code == 2
    assert "Cannot write --html" in result.stderr
    result = run(seeded, "compare", "--source", "seed-002", "--no-llm")
    assert result.exit_code == 2
    assert "at least two articles" in result.stderr


def png_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG (enough to tell blank from drawn)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    position, idat = 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        if kind == b"IDAT":
            idat += data[position + 8 : position + 8 + length]
        position += 12 + length
    return width, height, zlib.decompress(idat)


def test_html_page_renders_in_a_real_headless_chromium(seeded: dict[str, Any], tmp_path: Path, chromium: Any) -> None:
    page: Path = seeded["page"]
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<(link|img|iframe)\b|\b(src|href)\s*=", html)  # self-contained: nothing to fetch
    shot = tmp_path / "shot.png"
    done = chromium(f"--screenshot={shot}", "--window-size=1400,1000", page.as_uri(), profile=tmp_path / "p1")
    assert done.returncode == 0, done.stderr[-2000:]
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (1400, 1000)
    assert len(set(pixels)) > 50  # many colours, not a blank page
    assert sum(1 for b in pixels[::7] if b < 200) > len(pixels[::7]) / 20  # and a good share of it is drawn
    dom = chromium("--dump-dom", page.as_uri(), profile=tmp_path / "p2")
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout
    assert 'data-ready="yes"' in rendered  # the inline script ran
    assert rendered.count('<article class="source"') == 2
    for needle in ('<mark class="loaded"', '<mark class="hedge"', '<q class="quote"', '<svg id="signal-chart"'):
        assert needle in rendered, needle
    assert rendered.count('class="bar"') == 2 * 5  # five signals, two sources
    assert re.search(r'<mark class="loaded" data-reason="loaded term outside quotes[^"]*"[^>]*>\w+<', rendered)
    assert re.search(r'<span class="loaded-sentence" title="sentence read as loaded \[reader, P 0\.\d\d\]">', rendered)
    assert re.search(
        r'<q class="quote" data-reason="quotation — Maria Zakharova \(Russian Foreign Ministry\)"', rendered
    )
    assert "hybrid warfare" in rendered.split('class="claims omissions"')[1]


def test_highlights_nest_and_keep_the_text_whole() -> None:
    from html.parser import HTMLParser

    from slant.framing.signals import profile
    from slant.report.compare import highlighted
    from slant.sources.documents import Article

    text = (
        "The county's shiny new water plant is a monument to waste, and its reckless backers know it.\n"
        'One resident said: "It will take years to pay for. The commissioners rammed it through."\n'
        "The plant opened on Monday.\n"
    )
    article = profile(Article(id="0123456789abcdef", text=text, origin="-"))
    assert article.loaded_sentences
    html = highlighted(text, article)
    assert html.count('<span class="loaded-sentence"') >= 1

    class Walk(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.open: list[str] = []
            self.text: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.open.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.open.pop() == tag  # every tag closes inside the one around it

        def handle_data(self, data: str) -> None:
            self.text.append(data)

    walk = Walk()
    walk.feed(html)
    assert walk.open == []
    assert "".join(walk.text) == text


def test_role_only_speakers_roles_camps_and_quote_continuations() -> None:
    from slant.framing.signals import profile
    from slant.sources.documents import make_article

    text = (
        "Officials met in Brussels on Monday to discuss the proposal for new air defences.\n"
        "‘We will respond to every provocation,’ a NATO official said. "
        "The spokesperson added that talks would continue next week.\n"
        "‘It is not over,’ said the spokesperson. ‘Nothing has been decided yet.’\n"
        "Russian Foreign Ministry spokeswoman Maria Zakharova called the plan reckless. "
        "She warned that Moscow would answer.\n"
        "According to a Kremlin source, the talks had been expected."
    )
    article = make_article(text, "x.txt", {})
    voices = {v.speaker: v for v in profile(article).voices}
    assert set(voices) == {"a NATO official", "the spokesperson", "Maria Zakharova", "a Kremlin source"}
    assert (voices["a NATO official"].direct, voices["a NATO official"].affiliation) == (1, "NATO")
    spokesperson = voices["the spokesperson"]
    assert (spokesperson.direct, spokesperson.indirect) == (2, 1)  # the second quotation continues the first
    zakharova = voices["Maria Zakharova"]
    assert zakharova.role == "Russian Foreign Ministry spokeswoman"
    assert (zakharova.camp, zakharova.indirect, zakharova.verbs) == (
        "Russian Foreign Ministry",
        2,
        ["called", "warned"],
    )
    camps = {"Moscow": ["Russian", "Kremlin"], "Alliance": ["NATO"]}
    grouped = {v.speaker: v.camp for v in profile(article, camps=camps).voices}
    assert grouped["Maria Zakharova"] == grouped["a Kremlin source"] == "Moscow"
    assert grouped["a NATO official"] == "Alliance"
    assert grouped["the spokesperson"] == "unstated"
    for voice in voices.values():
        assert all(text[e.start : e.end] == e.text for e in voice.evidence)


def test_article_markup_is_escaped_in_the_page() -> None:
    from slant.framing.signals import profile
    from slant.report.compare import highlighted
    from slant.sources.documents import make_article

    text = (
        "Officials met. <script>alert('x')</script> Yes, you read that correctly: a disgraceful “reckless” plan "
        "<b>now</b>."
    )
    article = make_article(text, "x.txt", {})
    html = highlighted(article.text, profile(article))
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html
    assert '<mark class="loaded"' in html
    assert '<q class="quote"' in html
