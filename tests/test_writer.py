"""The writer (Qwen2.5-Coder-1.5B-Instruct, slant's default model), on the articles the team wrote
(a council vote, a company's forecast, a cup final, a heatwave):

- the meaning check passes a faithful paraphrase in new words, which word overlap rejects, and
  fails each planted error: a changed number, name, date, speaker, negation or quotation, and a
  reversed outcome in the sources' own words;
- `slant ask` gives a short answer the checked, cited sentence holds, and declines what the
  articles do not say;
- a written summary keeps only sentences its cited sentences say.

These run the real writer, so each asks it a few times only (the rest of the suite runs on the
fast model: conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slant.cli.app import app
from slant.config.settings import Settings
from slant.llm.loaded import embedder_for, model_for
from slant.sources.documents import Article
from slant.verify.evidence import Verifier, content_sentences
from slant.verify.meaning import MeaningCheck

pytestmark = pytest.mark.slow
runner = CliRunner()
ARTICLES = Path(__file__).parent / "articles"


@pytest.fixture
def bridge() -> Article:
    text = (ARTICLES / "harbour-bridge-council.txt").read_text(encoding="utf-8")
    return Article(id="bridge", text=text, origin="harbour-bridge-council.txt")


def verifier(article: Article, meaning: bool) -> Verifier:
    settings = Settings.load()
    check = MeaningCheck(model_for(settings), settings) if meaning else None
    sources = content_sentences(article)
    return Verifier(embedder_for(settings), sources, [article.text], {article.id: article.text}, check)


PARAPHRASES = [
    "The state will cover $30 million of the $48 million bill for the work, the council's budget office said.",
    "Last autumn's inspection showed rust on 14 of the 60 cables holding up the bridge.",
]

PLANTED = {
    "number": "The Port Ellery city council voted 6-3 on Tuesday to close the Harbour Bridge to cars from March 1.",
    "name": "Councillor Ray Okafor proposed closing the Harbour Bridge, the council's budget office said.",
    "date": "The Port Ellery city council voted 7-2 on Wednesday to close the Harbour Bridge to cars from March 1.",
    "speaker": '"Nobody asked the traders on Dock Street what six months without customers will do to them," '
    "Mayor Dana Whitfield said.",
    "negation": "Buses and bicycles will not be allowed on one lane, a spokeswoman for the transport department said.",
    "quotation": '"We cannot keep asking people to drive over a bridge that is safe," said Mayor Dana Whitfield.',
    "outcome": "The Port Ellery city council voted 7-2 on Tuesday to keep the Harbour Bridge open to cars.",
}


def test_a_faithful_paraphrase_passes_the_meaning_check_where_word_overlap_rejects_it(
    writer: None, bridge: Article
) -> None:
    by_meaning, by_words = verifier(bridge, meaning=True), verifier(bridge, meaning=False)
    for sentence in PARAPHRASES:
        judged = by_meaning.check(sentence, {bridge.id})
        assert judged.supported, (sentence, judged.problems)
        assert judged.judged is True
        assert not by_words.check(sentence, {bridge.id}).supported, sentence  # new words: overlap says no


@pytest.mark.parametrize("kind", sorted(PLANTED))
def test_each_planted_error_fails_the_meaning_check(writer: None, bridge: Article, kind: str) -> None:
    support = verifier(bridge, meaning=True).check(PLANTED[kind], {bridge.id})
    assert not support.supported, (kind, support)
    assert support.problems


@pytest.fixture
def indexed(writer: None, articles: Path) -> Path:
    result = runner.invoke(app, ["--llm", "fast", "ingest", str(articles)])  # ingest uses no language model
    assert result.exit_code == 0, result.stderr
    return articles


def ask(question: str) -> dict:
    result = runner.invoke(app, ["ask", question, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_ask_gives_a_short_answer_that_its_checked_cited_sentence_holds(indexed: Path) -> None:
    found = ask("How much of the bridge repair cost will the state pay?")
    assert found["answered"], found
    assert found["provenance"]["model_sha256"] == model_for(Settings.load()).model.sha256  # the writer wrote it
    assert found["short"]
    assert "30 million" in found["short"]
    sentence = found["sentences"][0]
    assert "30 million" in sentence["text"]
    (citation,) = sentence["citations"]
    text = (indexed / "harbour-bridge-council.txt").read_text(encoding="utf-8")
    assert "$30 million" in text[citation["start"] : citation["end"]]


def test_ask_declines_what_the_articles_do_not_say(indexed: Path) -> None:
    found = ask("How many passengers does the ferry between the two banks carry each day?")
    assert not found["answered"], found
    assert found["sentences"] == []
    assert found["closest"]


def test_a_written_summary_keeps_only_sentences_its_sources_say(writer: None, bridge: Article) -> None:
    from slant.tasks.summarize import summarize_article

    settings = Settings.load(summary_writer="model")  # the default is the sources' sentences (docs/analyses.md)
    model, embedder = model_for(settings), embedder_for(settings)
    summary = summarize_article(bridge, settings, model, embedder)
    assert summary.provenance is not None
    assert summary.provenance.prompt.startswith("summarize@")
    assert summary.sentences
    check = verifier(bridge, meaning=True)
    for sentence in summary.sentences:
        assert sentence.evidence[0].doc_id == bridge.id
        if sentence.origin == "generated":
            assert check.check(sentence.text, {bridge.id}).supported, sentence.text
        else:
            assert sentence.text in bridge.text or sentence.evidence[0].text in bridge.text
