"""Score combined summaries on story clusters with a neutral reference (NeuS format: one story a
line, `{"id", "articles": [{"title", "text"}, ...], "target"}`, the target written by AllSides
editors to be neutral).

Measures, each a mean over the stories:
- ROUGE-1, ROUGE-2 and ROUGE-L F1 (the `rouge-score` package, Porter stemming on), x100 as the
  summarisation literature reports them, and ROUGE-1 without stemming (`rouge1_unstemmed`, the
  measure slant's goals are set in);
- length in words, and the share of summaries inside the 45-75 word band around the references;
- neutrality: the share of summary sentences with no writer's-stance cue (framing/neutrality.py),
  loaded words and emotive words (VADER |valence| >= 2, slant's stand-in for the NeuS arousal
  score, whose lexicon is not installable here) per 100 words, beside the same numbers for the
  source articles;
- readability faults found by rule: an empty summary, a sentence that leans on one before it
  ("He said", "This is"), a fragment (no capital start or no closing stop), a repeated fact
  (two sentences close in meaning or sharing a number).

Lead-2 (the first two sentences of the story's first article) is scored in the same run as a
reference point.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from slant.config.errors import InputError
from slant.framing.neutrality import emotive_outside_quotes, loaded_outside_quotes, stance_cues
from slant.sources.documents import Article, document_id
from slant.text.numbers import figures
from slant.text.sentences import is_fragment, leans_on_previous, sentence_spans

LENGTH_BAND = (45, 75)  # words: the references' middle (~65) give or take a sentence


class StoryArticle(BaseModel):
    """One article of a story."""

    title: str = ""
    text: str


class Story(BaseModel):
    """One story: its articles and the neutral reference summary."""

    id: str
    articles: list[StoryArticle]
    target: str


class StoryScore(BaseModel):
    """One story's summary and its measures."""

    id: str
    summary: list[str]
    rouge1: float
    rouge1_unstemmed: float
    rouge2: float
    rougeL: float
    words: int
    neutral_sentences: float
    loaded_per_100_words: float
    emotive_per_100_words: float
    faults: list[str]
    lead2_rouge1: float


def read_stories(path: Path, limit: int | None = None) -> list[Story]:
    """The stories of a NeuS-format file (the first `limit` of them)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file", "give a NeuS-format JSON-lines file")
    stories: list[Story] = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                story = Story.model_validate(json.loads(line))
            except (json.JSONDecodeError, ValidationError) as exc:
                reason = str(exc).splitlines()[0]
                raise InputError(f"{path} line {number}: {reason}", "each line needs id, articles and target") from None
            stories.append(story)
            if limit is not None and len(stories) >= limit:
                break
    if not stories:
        raise InputError(f"{path}: no stories", "give a NeuS-format JSON-lines file")
    return stories


def story_articles(story: Story, origin: str) -> list[Article]:
    """The story's articles as slant reads them (source labels "article 1" ...: NeuS gives none)."""
    return [
        Article(
            id=document_id(a.text),
            text=a.text,
            title=a.title or None,
            source=f"article {number}",
            origin=f"{origin}#{story.id}",
        )
        for number, a in enumerate(story.articles, 1)
    ]


def score_stories(
    stories: list[Story],
    origin: str,
    summarize: Callable[[list[Article]], list[str]],
    embed: Callable[[list[str]], Any],
) -> Iterator[StoryScore]:
    """Summarise each story with `summarize` and score it against its reference."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    unstemmed = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=False)
    for story in stories:
        articles = story_articles(story, origin)
        sentences = summarize(articles)
        text = " ".join(sentences)
        rouge = scorer.score(story.target, text)
        lead2 = " ".join(_sentences(articles[0].text)[:2])
        words = len(text.split())
        yield StoryScore(
            id=story.id,
            summary=sentences,
            rouge1=round(100 * rouge["rouge1"].fmeasure, 2),
            rouge1_unstemmed=round(100 * unstemmed.score(story.target, text)["rouge1"].fmeasure, 2),
            rouge2=round(100 * rouge["rouge2"].fmeasure, 2),
            rougeL=round(100 * rouge["rougeL"].fmeasure, 2),
            words=words,
            neutral_sentences=_neutral_share(sentences),
            loaded_per_100_words=_rate(sentences, loaded_outside_quotes),
            emotive_per_100_words=_rate(sentences, emotive_outside_quotes),
            faults=faults(sentences, embed),
            lead2_rouge1=round(100 * scorer.score(story.target, lead2)["rouge1"].fmeasure, 2),
        )


def sources_neutrality(stories: list[Story]) -> dict[str, float]:
    """The neutrality measures of the source articles themselves, for comparison."""
    sentences = [s for story in stories for a in story.articles for s in _sentences(a.text)]
    return {
        "neutral_sentences": _neutral_share(sentences),
        "loaded_per_100_words": _rate(sentences, loaded_outside_quotes),
        "emotive_per_100_words": _rate(sentences, emotive_outside_quotes),
    }


def totals(scores: list[StoryScore]) -> dict[str, float]:
    """Means over the stories, and the shares in the length band and with a fault."""
    if not scores:
        return {}
    count = len(scores)

    def mean(values: list[float]) -> float:
        return round(sum(values) / count, 2)

    low, high = LENGTH_BAND
    return {
        "stories": count,
        "rouge1": mean([s.rouge1 for s in scores]),
        "rouge1_unstemmed": mean([s.rouge1_unstemmed for s in scores]),
        "rouge2": mean([s.rouge2 for s in scores]),
        "rougeL": mean([s.rougeL for s in scores]),
        "words": mean([s.words for s in scores]),
        "in_length_band": round(sum(1 for s in scores if low <= s.words <= high) / count, 3),
        "neutral_sentences": round(sum(s.neutral_sentences for s in scores) / count, 3),
        "loaded_per_100_words": mean([s.loaded_per_100_words for s in scores]),
        "emotive_per_100_words": mean([s.emotive_per_100_words for s in scores]),
        "with_a_fault": round(sum(1 for s in scores if s.faults) / count, 3),
        "lead2_rouge1": mean([s.lead2_rouge1 for s in scores]),
    }


_REPEAT_COSINE = 0.55  # stricter than the summariser (0.6 across articles), so near-repeats are still counted


def faults(sentences: list[str], embed: Callable[[list[str]], Any]) -> list[str]:
    """What a reader would stumble on: empty, dangling openers, fragments, repeated facts."""
    if not sentences:
        return ["empty"]
    found = []
    for sentence in sentences:
        if leans_on_previous(sentence):
            found.append(f"dangling: {sentence[:40]}")
        if is_fragment(sentence):
            found.append(f"fragment: {sentence[:40]}")
    vectors = embed(sentences)
    for i in range(len(sentences)):
        for j in range(i):
            shared = {n for n in figures(sentences[i]) & figures(sentences[j]) if len(n) > 2}
            if float(vectors[i] @ vectors[j]) >= _REPEAT_COSINE or shared:
                found.append(f"repeat: {sentences[i][:40]}")
    return found


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text)]


def _neutral_share(sentences: list[str]) -> float:
    if not sentences:
        return 1.0
    return round(sum(1 for s in sentences if not stance_cues(s)) / len(sentences), 3)


def _rate(sentences: list[str], find: Callable[[str], list[str]]) -> float:
    """Words that `find` flags, per 100 words."""
    words = sum(len(s.split()) for s in sentences)
    return round(100 * sum(len(find(s)) for s in sentences) / words, 2) if words else 0.0
