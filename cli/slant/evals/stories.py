"""Score story grouping on articles whose events are known: BASIL-format files (one article a
line, with "event" and "date") or NeuS-format files (one story a line, its articles undated).
The articles are shuffled and stored one by one in a temporary index, each placed by the code
ingest runs (`StoryStore.place`); the grouping is scored with B-cubed precision, recall and F1,
and the time to place an article (after it is embedded) is measured.
"""

from __future__ import annotations

import json
import random
import time
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from slant.config.errors import InputError
from slant.config.settings import Settings
from slant.sources.documents import Article


class EventArticle(BaseModel):
    """An article and the event it reports."""

    event: str
    title: str
    text: str
    published: str | None


class GroupingScore(BaseModel):
    """How well the articles were grouped."""

    articles: int
    events: int
    stories: int
    precision: float
    recall: float
    f1: float
    ms_per_article: float  # placing, not embedding


def read_event_articles(path: Path) -> list[EventArticle]:
    """The articles of a BASIL-format or NeuS-format file, each with its event."""
    if not path.is_file():
        raise InputError(f"{path}: no such file", "give a BASIL- or NeuS-format JSON-lines file")
    found: list[EventArticle] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if "articles" in row:
                found += [
                    EventArticle(event=str(row["id"]), title=a.get("title") or "", text=a["text"], published=None)
                    for a in row["articles"]
                ]
            else:
                published = date.fromisoformat(row["date"][:10]).isoformat() if row.get("date") else None
                title = row.get("title") or ""
                found.append(EventArticle(event=str(row["event"]), title=title, text=row["text"], published=published))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InputError(
                f"{path} line {number}: {type(exc).__name__} {exc}",
                'each line needs "event" and "text" (BASIL) or "id" and "articles" (NeuS)',
            ) from None
    if not found:
        raise InputError(f"{path}: no articles", "give a BASIL- or NeuS-format JSON-lines file")
    return found


def score_grouping(articles: list[EventArticle], settings: Settings, seed: int = 0) -> GroupingScore:
    """Shuffle (seeded), store and place one by one in a temporary index, and score."""
    import tempfile

    from slant.index.chunks import Chunk
    from slant.index.store import Store
    from slant.index.stories import StoryStore, story_text
    from slant.llm.loaded import embedder_for

    order = list(range(len(articles)))
    random.Random(seed).shuffle(order)
    embedder = embedder_for(settings)
    vectors = embedder.embed([story_text(a.title, a.text) for a in articles])
    seconds = 0.0
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(
            settings.model_copy(update={"index": Path(folder), "chroma_url": None}), embedder.embedder_id, create=True
        )
        stories = StoryStore(store)
        story_of: dict[str, str] = {}
        for index in order:
            source = articles[index]
            article = Article(
                id=f"{index:016x}", text=source.text, title=source.title or None, published=source.published, origin="-"
            )
            store.add_many(
                [(article, [Chunk(article.id, 0, 0, len(article.text), article.text)], vectors[index : index + 1])]
            )
            started = time.perf_counter()
            story_of[article.id] = stories.place(article, vectors[index])
            seconds += time.perf_counter() - started
    predicted = [story_of[f"{i:016x}"] for i in range(len(articles))]
    gold = [a.event for a in articles]
    precision, recall, f1 = bcubed(predicted, gold)
    return GroupingScore(
        articles=len(articles),
        events=len(set(gold)),
        stories=len(set(predicted)),
        precision=precision,
        recall=recall,
        f1=f1,
        ms_per_article=round(1000 * seconds / len(articles), 2),
    )


def bcubed(predicted: list[str], gold: list[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a grouping against the true one (Bagga and Baldwin 1998)."""
    by_predicted: dict[str, list[int]] = {}
    by_gold: dict[str, list[int]] = {}
    for index, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_predicted.setdefault(p, []).append(index)
        by_gold.setdefault(g, []).append(index)
    precision = recall = 0.0
    for p, g in zip(predicted, gold, strict=True):
        both = sum(1 for j in by_predicted[p] if gold[j] == g)
        precision += both / len(by_predicted[p])
        recall += both / len(by_gold[g])
    count = len(gold) or 1
    precision, recall = precision / count, recall / count
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)
