"""Stories: articles grouped into the events they report, one article at a time.

A new article joins the story it reports or starts a new one; nothing already placed moves. The
article is compared with the stories whose centre (the mean of their articles' vectors) is
nearest in meaning, and scored against each of them as

    (1 - LEXICAL_WEIGHT) * cosine(article, story centre)
        + LEXICAL_WEIGHT * mean over the story's latest articles of tf-idf cosine(article, member)

where the vectors embed the headline and the lead (who, what, when, where) and tf-idf weighs the
words of headline and text by how rare they are in news (index/wordlists/document_frequency.tsv:
lower-case words counted on NeuS training articles; a word the table lacks, as every name, place
and figure is, counts as rarest). Only a story's latest MEMBERS_COMPARED articles are read. It
joins the best story scoring JOIN_SCORE or more, unless its date and every dated article of that
story are more than MAX_DAYS_APART apart (articles weeks apart are rarely one event). The
constants were chosen on NeuS training stories (README, "Stories"); nothing here names a topic.

`StoryStore` keeps the index's stories in a Chroma collection beside the documents and places
each article ingest stores (`slant eval stories` measures the same code).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from slant.text.sentences import sentence_spans
from slant.text.tokens import stem, tokens
from slant.text.wordlists import rows

if TYPE_CHECKING:
    import numpy as np

    from slant.index.store import Store
    from slant.sources.documents import Article

JOIN_SCORE = 0.5
LEXICAL_WEIGHT = 0.5
MAX_DAYS_APART = 7
CANDIDATES = 10  # nearest story centres scored in full
MEMBERS_COMPARED = 5
LEAD_SENTENCES = 4
STORY_COLLECTION = "slant_stories"


def story_text(title: str | None, text: str) -> str:
    """What is embedded to place an article: its headline and lead."""
    lead = " ".join(text[s.start : s.end] for s in sentence_spans(text)[:LEAD_SENTENCES])
    return f"{title}. {lead}" if title else lead


def term_weights(title: str | None, text: str) -> dict[str, float]:
    """The article's tf-idf vector (unit length); the headline's words count twice."""
    frequency, articles = _document_frequency()
    bag = Counter(stem(t) for t in tokens(f"{title or ''} {title or ''} {text}"))
    weights = {
        word: (1 + math.log(count)) * math.log((articles + 1) / (frequency.get(word, 0) + 0.5))
        for word, count in bag.items()
    }
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {word: w / norm for word, w in weights.items()}


def story_score(centre_similarity: float, weights: dict[str, float], members: list[dict[str, float]]) -> float:
    """How well an article fits a story: meaning near the story's centre, rare words shared with its
    latest articles.
    """
    lexical = sum(_cosine(weights, m) for m in members) / len(members) if members else 0.0
    return (1 - LEXICAL_WEIGHT) * centre_similarity + LEXICAL_WEIGHT * lexical


_FREQUENCY: list[tuple[dict[str, int], int]] = []


def _document_frequency() -> tuple[dict[str, int], int]:
    if not _FREQUENCY:
        table = {row[0]: int(row[1]) for row in rows(Path(__file__).parent / "wordlists" / "document_frequency.tsv")}
        articles = table.pop("__articles__")
        _FREQUENCY.append((table, articles))
    return _FREQUENCY[0]


def _close_in_time(day: int | None, days: list[int | None]) -> bool:
    """False only when the article and every dated article of the story are far apart."""
    dated = [d for d in days if d is not None]
    return day is None or not dated or any(abs(d - day) <= MAX_DAYS_APART for d in dated)


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(word, 0.0) for word, weight in a.items())


class StoryInfo(BaseModel):
    """One stored story, as `slant stories` lists it."""

    id: str
    title: str
    articles: list[str]  # document ids, in the order they arrived
    sources: list[str]
    first: str | None  # earliest and latest publication date of its articles, where known
    last: str | None
    coverage: dict[str, list[str]] = {}  # group (settings.source_groups) -> its sources that covered it
    blindspot: str | None = None  # the one group that covered it, when the analyst has two or more


class StoryStore:
    """The index's stories: one record per story in a Chroma collection beside the documents (so
    a Chroma server shares them), with the mean of its articles' headline-and-lead vectors as its
    embedding and its members and their days as metadata.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.collection = store.client.get_or_create_collection(
            STORY_COLLECTION, metadata={"hnsw:space": "cosine"}, embedding_function=None
        )

    def place(self, article: Article, vector: np.ndarray) -> str:
        """Put a newly stored article into its story (see the module docstring); returns the id."""
        import numpy as np

        weights = term_weights(article.title, article.text)
        day = _ordinal_day(article.published)
        best: tuple[str, dict[str, Any], list[float]] | None = None
        best_score = JOIN_SCORE
        count = self.collection.count()
        if count:
            found = self.collection.query(
                query_embeddings=[vector.tolist()],
                n_results=min(CANDIDATES, count),
                include=["metadatas", "distances", "embeddings"],
            )
            for story_id, metadata, distance, mean in zip(
                found["ids"][0], found["metadatas"][0], found["distances"][0], found["embeddings"][0], strict=True
            ):
                members, days = json.loads(metadata["members"]), json.loads(metadata["days"])
                if not _close_in_time(day, days):
                    continue
                score = story_score(1.0 - float(distance), weights, self._member_weights(members[-MEMBERS_COMPARED:]))
                if score >= best_score:
                    best, best_score = (story_id, dict(metadata), list(mean)), score
        if best is None:
            story_id, members, days, mean = article.id, [], [], np.zeros_like(vector)
        else:
            story_id, metadata, stored_mean = best
            members, days, mean = json.loads(metadata["members"]), json.loads(metadata["days"]), np.array(stored_mean)
        new_mean = (mean * len(members) + vector) / (len(members) + 1)
        self.collection.upsert(
            ids=[story_id],
            embeddings=[new_mean.tolist()],
            metadatas=[{"members": json.dumps([*members, article.id]), "days": json.dumps([*days, day])}],
        )
        return story_id

    def stories(self, groups: dict[str, str] | None = None) -> list[StoryInfo]:
        """Every story with at least one stored article, largest first, then by id; with `groups`
        (source -> lean or group), which groups covered each story and its blindspot.
        """
        groups = groups or {}
        records = self.collection.get(include=["metadatas"])
        documents = {d.article.id: d.article for d in self.store.iter_documents()}
        found = []
        for story_id, metadata in zip(records["ids"], records["metadatas"], strict=True):
            members = [m for m in json.loads(metadata["members"]) if m in documents]
            if not members:
                continue
            articles = [documents[m] for m in members]
            dates = sorted(a.published[:10] for a in articles if a.published)
            sources = sorted({a.source or a.id for a in articles})
            coverage: dict[str, list[str]] = {}
            for source in sources:
                coverage.setdefault(groups.get(source, "ungrouped"), []).append(source)
            named = [g for g in coverage if g != "ungrouped"]
            found.append(
                StoryInfo(
                    id=story_id,
                    title=next((a.title for a in articles if a.title), articles[0].label),
                    articles=members,
                    sources=sources,
                    first=dates[0] if dates else None,
                    last=dates[-1] if dates else None,
                    coverage=coverage if groups else {},
                    blindspot=named[0] if len(named) == 1 and len(set(groups.values())) > 1 else None,
                )
            )
        return sorted(found, key=lambda s: (-len(s.articles), s.id))

    def members(self, story_id: str) -> list[str]:
        """The stored articles of one story, by its id or a unique id prefix of 6+ characters
        (reads that story's record only, not every document).
        """
        from slant.config.errors import InputError

        ids = self.collection.get(include=[])["ids"]
        found = [i for i in ids if i == story_id] or [i for i in ids if len(story_id) >= 6 and i.startswith(story_id)]
        record = self.collection.get(ids=found[:1], include=["metadatas"]) if len(found) == 1 else None
        listed = json.loads(record["metadatas"][0]["members"]) if record else []
        stored = set(self.store.documents.get(ids=listed, include=[])["ids"]) if listed else set()
        members = [m for m in listed if m in stored]
        if not members:
            problem = "more than one story has this prefix" if len(found) > 1 else "no such story"
            raise InputError(f"story {story_id!r}: {problem}", "give an id from `slant stories`")
        return members

    def _member_weights(self, members: list[str]) -> list[dict[str, float]]:
        stored = self.store.documents.get(ids=members, include=["documents", "metadatas"])
        return [
            term_weights((metadata or {}).get("title"), text or "")
            for text, metadata in zip(stored["documents"], stored["metadatas"], strict=True)
        ]


def _ordinal_day(published: str | None) -> int | None:
    """A date's day number, if the text starts with an ISO date."""
    from datetime import date

    try:
        return date.fromisoformat(published[:10]).toordinal() if published else None
    except ValueError:
        return None
