"""Every finding of `slant compare` names what made it (rule, reader, model, source sentence), and
the page headers name only what took part: on a `--no-llm` run, on a run of the real default
model, and on a model run whose every proposal the evidence rejected (a scripted model: the real
small model cannot be made to produce that on demand).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import slant
from slant.cli.app import app
from slant.report.compare import html_page, markdown
from slant.tasks.compare import Comparison

runner = CliRunner()
PAIR = ["seed-002", "CNewsLive"]
ORIGINS = {"rule", "reader", "model", "source sentence"}


@pytest.fixture
def index(seeds: Path) -> slant.Index:
    found = slant.Index()  # SLANT_INDEX from the test workspace
    assert not found.ingest([seeds]).failed
    return found


def findings(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every finding of a comparison's JSON that carries its own origin."""
    found = [t for p in data["profiles"] for t in p["terms"]]
    found += [v for p in data["profiles"] for v in p["voices"]] + [f for p in data["profiles"] for f in p["frames"]]
    found += data["stances"] + data["shared"] + data["partial"] + data["omissions"]
    return found + data["narrative"]["sentences"]


def assert_every_finding_named(data: dict[str, Any]) -> None:
    for finding in findings(data):
        assert finding["origin"] in ORIGINS, finding
    for term in (t for p in data["profiles"] for t in p["terms"]):
        assert (term["origin"] == "reader") == (term.get("probability") is not None)
    for stance in data["stances"]:
        assert (stance["origin"] == "reader") == (stance.get("probability") is not None)
    assert {c["origin"] for c in data["shared"] + data["partial"] + data["omissions"]} <= {"source sentence"}
    assert all(p["origins"]["headline"] == "source sentence" for p in data["profiles"])


def html_header(comparison: Comparison, index: slant.Index) -> str:
    page = html_page(comparison, index.articles(sources=PAIR))
    return page.split("<header>", 1)[1].split("</header>", 1)[0]


def test_a_run_without_the_model_names_rules_and_readers_only(index: slant.Index) -> None:
    result = runner.invoke(app, ["compare", "--source", PAIR[0], "--source", PAIR[1], "--no-llm", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert_every_finding_named(data)
    # built from the signals: the reader's loaded-sentence counts and the rules' differences
    assert {s["origin"] for s in data["narrative"]["sentences"]} == {"reader", "rule"}
    assert data["contributors"]["model"] is None
    comparison = index.compare(sources=PAIR, use_model=False)
    assert comparison.contributors.summary().endswith("no language model (--no-llm)")
    header = html_header(comparison, index)
    assert "no language model (--no-llm)" in header
    assert "model-assisted" not in header
    text = markdown(comparison)
    assert "_Made by: rules" in text
    assert "*(rule)*" in text
    assert "*(reader)*" in text
    assert "(from the signals)" not in text
    table = runner.invoke(app, ["compare", "--source", PAIR[0], "--source", PAIR[1], "--no-llm"])
    assert table.stdout.startswith("Made by: rules")
    assert "(rule) ↳" in table.stdout


def narrative(text: str) -> str:
    """A model's reply to prompts/compare_narrative.yaml: the sentence, resting on the first finding."""
    return json.dumps({"sentences": [{"text": text, "finding": 1}]})


def test_a_model_whose_every_sentence_is_rejected_is_not_credited(index: slant.Index, scripted_model: Any) -> None:
    invented = scripted_model(
        narrative("Seed-002 says 99 aliens landed in Paris on Tuesday, and CNewsLive agrees."), 300_000_000
    )
    comparison = index.with_language_model(invented).compare(sources=PAIR)
    data = json.loads(comparison.model_dump_json())
    assert_every_finding_named(data)
    assert comparison.narrative.rejected, "the scripted sentence must fail verification"
    assert {s.origin for s in comparison.narrative.sentences} == {"reader", "rule"}
    made = comparison.contributors
    assert (made.model, made.model_sentences_kept) == ("scripted.gguf", 0)
    assert made.model_sentences_rejected >= 1
    summary = made.summary()
    assert "passed verification (nothing it wrote is shown)" in summary
    header = html_header(comparison, index)
    assert "nothing it wrote is shown" in header
    assert "model-assisted" not in header
    assert "verified model sentence" not in html_page(comparison, index.articles(sources=PAIR))


def test_a_verified_model_sentence_is_credited_to_the_model(index: slant.Index, scripted_model: Any) -> None:
    built = index.compare(sources=PAIR, use_model=False).narrative.sentences[0]
    faithful = scripted_model(narrative(built.text), 300_000_000)  # the model repeats a finding: it passes
    comparison = index.with_language_model(faithful).compare(sources=PAIR)
    kept = [s for s in comparison.narrative.sentences if s.origin == "model"]
    assert [s.text for s in kept] == [built.text]
    assert comparison.contributors.model_sentences_kept == 1
    assert "wrote 1 of the differences (verified against the sources)" in comparison.contributors.summary()
    assert "(model, verified, support" in markdown(comparison)


def test_the_real_default_model_run_is_labelled_as_it_ran(index: slant.Index) -> None:
    comparison = index.compare(sources=PAIR)
    data = json.loads(comparison.model_dump_json())
    assert_every_finding_named(data)
    made = comparison.contributors
    assert made.model is not None
    assert made.model.endswith(".gguf")
    kept = sum(1 for s in comparison.narrative.sentences if s.origin == "model")
    assert made.model_sentences_kept == kept
    assert made.model_sentences_rejected == len(comparison.narrative.rejected)
    expected = "wrote" if kept else "nothing it wrote is shown"
    assert expected in html_header(comparison, index)


def test_a_comparison_without_its_findings_figures_is_rejected(index: slant.Index, scripted_model: Any) -> None:
    # "4 against 4" is no "more": a model sentence that compares must keep the figures it compares
    # (the writer wrote this one on the seeds, and its meaning check let it pass).
    built = [s.text for s in index.compare(sources=PAIR, use_model=False).narrative.sentences]
    cited = next(i for i, text in enumerate(built) if "loaded terms outside quotes" in text)
    invented = "seed-002 uses more loaded terms outside quotes than CNewsLive uses."
    reply = json.dumps({"sentences": [{"text": invented, "finding": cited + 1}]})
    comparison = index.with_language_model(scripted_model(reply, 300_000_000)).compare(sources=PAIR)
    assert invented not in [s.text for s in comparison.narrative.sentences]
    (rejected,) = [r for r in comparison.narrative.rejected if r["text"] == invented]
    assert "compares without the figures of its finding" in rejected["reasons"], rejected
    kept = f"{built[cited].split(';')[0]}."  # the same figures in the model's words pass
    reply = json.dumps({"sentences": [{"text": kept, "finding": cited + 1}]})
    comparison = index.with_language_model(scripted_model(reply, 300_000_000)).compare(sources=PAIR)
    assert kept in [s.text for s in comparison.narrative.sentences]
