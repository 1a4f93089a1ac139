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
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel

from slant.text.sentences import sentence_spans
from slant.text.tokens import stem, tokens
from slant.text.wordlists import rows

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import numpy as np

    from slant.index.store import Store
    from slant.sources.documents import Article

JOIN_SCORE = 0.5
LEXICAL_WEIGHT = 0.5
MAX_DAYS_APART = 7
CANDIDATES = 10  # nearest story centres scored in full
MEMBERS_COMPARED = 5
LEAD_SENTENCES = 4


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


def rare_word_similarity(a: str, b: str) -> float:
    """How much two texts share their rarest words (cosine of their tf-idf vectors)."""
    return _cosine(term_weights(None, a), term_weights(None, b))


def story_score(centre_similarity: float, weights: dict[str, float], members: list[dict[str, float]]) -> float:
    """How well an article fits a story: meaning near the story's centre, rare words shared with its
    latest articles.
    """
    lexical = sum(_cosine(weights, m) for m in members) / len(members) if members else 0.0
    return (1 - LEXICAL_WEIGHT) * centre_similarity + LEXICAL_WEIGHT * lexical


@cache
def _document_frequency() -> tuple[dict[str, int], int]:
    """Words' document frequencies in news, and how many articles they were counted on."""
    table = {row[0]: int(row[1]) for row in rows(Path(__file__).parent / "wordlists" / "document_frequency.tsv")}
    return table, table.pop("__articles__")


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
    coverage: dict[str, list[str]] = {}  # group (lean) -> its sources that covered it, where groups are known
    blindspot: str | None = None  # the one group that covered it, when the index's sources have two or more
    edited: bool = False  # the analyst merged, split or moved articles of it (`slant stories merge|split|move`)


class StoryStore:
    """The index's stories, kept in Chroma beside the documents (so a Chroma server shares them).

    - stories: one record per story, the mean of its articles' headline-and-lead vectors as its
      embedding, its members and their days as metadata;
    - story articles: one record per article, its vector and its story (to re-centre a story
      when an article leaves it, without a model);
    - pins: the analyst's edits, article -> story. Placing a pinned article puts it back in its
      story, so edits outlive removing and re-ingesting an article, and `slant reindex`.
    """

    def __init__(self, store: Store) -> None:
        from slant.index.store import STORY_PINS, story_collection_names

        self.store = store
        stories_name, articles_name = story_collection_names(store.documents.name)
        collection = store.client.get_or_create_collection
        self.collection = collection(stories_name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        self.vectors = collection(articles_name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        self.pins = collection(STORY_PINS, embedding_function=None)

    # -- placing -----------------------------------------------------------------------------

    def place(self, article: Article, vector: np.ndarray, replaces: Sequence[str] = ()) -> str:
        """Put a newly stored article into its story and return the story's id: the story it is
        pinned to, else the story of the version it replaces, else the best-scoring story (see the
        module docstring), else a new story with the article's id.
        """
        day = _ordinal_day(article.published)
        story_id = self._pinned(article.id) or self._story_of(replaces) or self._best_story(article, vector, day)
        self._join(story_id or article.id, article.id, vector, day)
        self.forget(replaces)
        return story_id or article.id

    def _best_story(self, article: Article, vector: np.ndarray, day: int | None) -> str | None:
        best, best_score = None, JOIN_SCORE
        count = self.collection.count()
        if not count:
            return None
        found = self.collection.query(
            query_embeddings=[vector.tolist()], n_results=min(CANDIDATES, count), include=["metadatas", "distances"]
        )
        weights = term_weights(article.title, article.text)
        for story_id, metadata, distance in zip(
            found["ids"][0], found["metadatas"][0], found["distances"][0], strict=True
        ):
            members, days = json.loads(metadata["members"]), json.loads(metadata["days"])
            if not _close_in_time(day, days):
                continue
            score = story_score(1.0 - float(distance), weights, self._member_weights(members[-MEMBERS_COMPARED:]))
            if score >= best_score:
                best, best_score = story_id, score
        return best

    def _join(self, story_id: str, doc_id: str, vector: np.ndarray, day: int | None) -> None:
        """Add one article to a story (made if new), moving the story's centre by one step."""
        import numpy as np

        record = self.collection.get(ids=[story_id], include=["metadatas", "embeddings"])
        if record["ids"]:
            members, days = json.loads(record["metadatas"][0]["members"]), json.loads(record["metadatas"][0]["days"])
            mean = np.array(record["embeddings"][0])
        else:
            members, days, mean = [], [], np.zeros_like(vector)
        if doc_id in members:
            return
        self.vectors.upsert(ids=[doc_id], embeddings=[vector.tolist()], metadatas=[{"story": story_id}])
        new_mean = (mean * len(members) + vector) / (len(members) + 1)
        self._write(story_id, [*members, doc_id], [*days, day], new_mean)

    # -- the analyst's edits -----------------------------------------------------------------

    def move(self, doc_ids: Sequence[str], story_id: str | None = None) -> str:
        """Move articles into a story (`story_id`, or a new one when None) and pin every article
        of the stories touched, so that re-ingesting or reindexing keeps the edit. Returns the
        story's id.
        """
        from slant.config.errors import InputError

        doc_ids = [self._document_id(d) for d in doc_ids]
        target = self.resolve(story_id) if story_id is not None else _new_story_id(doc_ids)
        touched = {target}
        for doc_id in doc_ids:
            source = self._story_of([doc_id])
            if source is None:
                raise InputError(f"article {doc_id!r} is in no story", "run `slant reindex` to group the index again")
            touched.add(source)
            if source != target:
                self._leave(source, doc_id)
                self._enter(target, doc_id)
        for story in touched:
            members = self._record(story)[0]
            if members:
                self.pins.upsert(
                    ids=members, embeddings=[[0.0]] * len(members), metadatas=[{"story": story}] * len(members)
                )
        return target

    def merge(self, story_id: str, others: Sequence[str]) -> str:
        """Move every article of `others` into `story_id` (see `move`)."""
        target = self.resolve(story_id)
        moving = [m for other in others for m in self._record(self.resolve(other))[0]]
        return self.move(moving, target) if moving else target

    def split(self, story_id: str, doc_ids: Sequence[str]) -> str:
        """Move these articles of one story into a new story of their own (see `move`)."""
        from slant.config.errors import InputError

        members = self._record(self.resolve(story_id))[0]
        doc_ids = [self._document_id(d) for d in doc_ids]
        strangers = [d for d in doc_ids if d not in members]
        if strangers:
            raise InputError(f"article {strangers[0]!r} is not in story {story_id!r}", "see `slant stories --json`")
        if len(doc_ids) == len(members):
            raise InputError(f"splitting every article off story {story_id!r}", "leave at least one article in it")
        return self.move(doc_ids, None)

    def forget(self, doc_ids: Sequence[str]) -> None:
        """Take removed articles out of their stories (a story left empty is deleted). Their pins
        stay, so an article ingested again returns to the story the analyst put it in.
        """
        for doc_id in doc_ids:
            story = self._story_of([doc_id])
            if story is not None:
                self._leave(story, doc_id)
            self.vectors.delete(ids=[doc_id])

    def _leave(self, story_id: str, doc_id: str) -> None:
        members, days = self._record(story_id)
        kept = [(m, d) for m, d in zip(members, days, strict=True) if m != doc_id]
        if not kept:
            self.collection.delete(ids=[story_id])
            return
        self._recentre(story_id, [m for m, _ in kept], [d for _, d in kept])

    def _enter(self, story_id: str, doc_id: str) -> None:
        members, days = self._record(story_id)
        stored = self.store.documents.get(ids=[doc_id], include=["metadatas"])
        day = _ordinal_day((stored["metadatas"][0] or {}).get("published")) if stored["ids"] else None
        self.vectors.update(ids=[doc_id], metadatas=[{"story": story_id}])
        self._recentre(story_id, [*members, doc_id], [*days, day])

    def _recentre(self, story_id: str, members: list[str], days: list[int | None]) -> None:
        """Write a story whose members changed, its centre the mean of their vectors."""
        import numpy as np

        found = self.vectors.get(ids=members, include=["embeddings"])
        if found["ids"]:  # an index grouped before story articles were recorded keeps its old centre
            mean = np.mean(np.array(found["embeddings"]), axis=0)
        else:
            mean = np.array(self.collection.get(ids=[story_id], include=["embeddings"])["embeddings"][0])
        self._write(story_id, members, days, mean)

    def _write(self, story_id: str, members: list[str], days: list[int | None], mean: np.ndarray) -> None:
        metadata = {"members": json.dumps(members), "days": json.dumps(days)}
        self.collection.upsert(ids=[story_id], embeddings=[mean.tolist()], metadatas=[metadata])

    # -- keeping in step with the documents ---------------------------------------------------

    def placed(self, doc_id: str) -> bool:
        """Whether an article is a member of the story its vector record names."""
        story = self._story_of([doc_id])
        return story is not None and doc_id in self._record(story)[0]

    def out_of_step(self, stored: set[str]) -> tuple[list[str], list[str]]:
        """(stored articles no story lists, articles stories list that are not stored): what a
        write cut off between the documents and their stories leaves.
        """
        records = self.collection.get(include=["metadatas"])
        listed = {member for metadata in records["metadatas"] for member in json.loads(metadata["members"])}
        return sorted(stored - listed), sorted(listed - stored)

    def drop_missing(self, missing: set[str]) -> None:
        """Take articles that are not stored out of every story that lists them."""
        records = self.collection.get(include=["metadatas"])
        for story_id, metadata in zip(records["ids"], records["metadatas"], strict=True):
            for member in set(json.loads(metadata["members"])) & missing:
                self._leave(story_id, member)
        if missing:
            self.vectors.delete(ids=sorted(missing))

    # -- reading -----------------------------------------------------------------------------

    def stories(self, groups: dict[str, str] | None = None) -> list[StoryInfo]:
        """Every story with at least one stored article, largest first, then by id; which groups
        covered each (an article's `lean`, else `groups`: source -> lean) and its blindspot.
        """
        records = self.collection.get(include=["metadatas"])
        documents = {d.article.id: d.article for d in self.store.iter_documents()}
        group_of = _group_of(((a.source, a.lean) for a in documents.values()), groups or {})
        pinned = set(self.pins.get(include=[])["ids"])
        found = []
        for story_id, metadata in zip(records["ids"], records["metadatas"], strict=True):
            articles = [documents[m] for m in json.loads(metadata["members"]) if m in documents]
            if articles:
                found.append(_info(story_id, articles, group_of, pinned))
        return sorted(found, key=lambda s: (-len(s.articles), s.id))

    def story(self, story_id: str, groups: dict[str, str] | None = None) -> StoryInfo:
        """One story (by id or unique prefix), reading only its own articles' text."""
        from slant.index.store import stored_document

        members = self.members(story_id)
        found = self.store.documents.get(ids=members, include=["documents", "metadatas"])
        by_id = {
            i: stored_document(i, text, meta).article
            for i, text, meta in zip(found["ids"], found["documents"], found["metadatas"], strict=True)
        }
        pinned = set(self.pins.get(ids=members, include=[])["ids"])
        stored = (m or {} for m in self.store.documents.get(include=["metadatas"])["metadatas"])
        group_of = _group_of(((m.get("source"), m.get("lean")) for m in stored), groups or {})
        return _info(self.resolve(story_id), [by_id[m] for m in members], group_of, pinned)

    def resolve(self, story_id: str) -> str:
        """A story's full id from its id or a unique prefix of 6+ characters."""
        from slant.config.errors import InputError

        if story_id and self.collection.get(ids=[story_id], include=[])["ids"]:
            return story_id
        ids = self.collection.get(include=[])["ids"] if len(story_id) >= 6 else []
        found = [i for i in ids if i.startswith(story_id)]
        if len(found) != 1:
            problem = "more than one story has this prefix" if len(found) > 1 else "no such story"
            raise InputError(f"story {story_id!r}: {problem}", "give an id from `slant stories`")
        return str(found[0])

    def members(self, story_id: str) -> list[str]:
        """The stored articles of one story, by its id or a unique id prefix of 6+ characters
        (reads that story's record only, not every document).
        """
        from slant.config.errors import InputError

        listed = self._record(self.resolve(story_id))[0]
        stored = set(self.store.documents.get(ids=listed, include=[])["ids"]) if listed else set()
        members = [m for m in listed if m in stored]
        if not members:
            raise InputError(f"story {story_id!r}: no stored article", "give an id from `slant stories`")
        return members

    def _record(self, story_id: str) -> tuple[list[str], list[int | None]]:
        found = self.collection.get(ids=[story_id], include=["metadatas"])
        if not found["ids"]:
            return [], []
        return json.loads(found["metadatas"][0]["members"]), json.loads(found["metadatas"][0]["days"])

    def _document_id(self, doc_id: str) -> str:
        """A stored article's full id from its id or a unique prefix."""
        from slant.config.errors import InputError

        found = self.store.get(doc_id)
        if found is None:
            raise InputError(f"no document {doc_id!r} in the index", "see `slant ls` for ids")
        return found.article.id

    def _pinned(self, doc_id: str) -> str | None:
        found = self.pins.get(ids=[doc_id], include=["metadatas"])
        return str(found["metadatas"][0]["story"]) if found["ids"] else None

    def _story_of(self, doc_ids: Sequence[str]) -> str | None:
        """The story the first of these articles is in, if any."""
        if not doc_ids:
            return None
        found = self.vectors.get(ids=list(doc_ids), include=["metadatas"])
        return str(found["metadatas"][0]["story"]) if found["ids"] else None

    def _member_weights(self, members: list[str]) -> list[dict[str, float]]:
        stored = self.store.documents.get(ids=members, include=["documents", "metadatas"])
        return [
            term_weights((metadata or {}).get("title"), text or "")
            for text, metadata in zip(stored["documents"], stored["metadatas"], strict=True)
        ]


def _group_of(articles: Iterable[tuple[str | None, str | None]], groups: dict[str, str]) -> dict[str, str | None]:
    """Each source's group, from its articles' (source, lean): their lean (--meta lean=), else `groups`."""
    found: dict[str, str | None] = {}
    for source, lean in articles:
        if source:
            found[source] = found.get(source) or lean or groups.get(source)
    return found


def _info(story_id: str, articles: list[Article], group_of: dict[str, str | None], pinned: set[str]) -> StoryInfo:
    """A story as listed: its sources by group and its blindspot (the one group that covered it,
    when the index's sources fall in two groups or more).
    """
    dates = sorted(a.published[:10] for a in articles if a.published)
    sources = sorted({a.source or a.id for a in articles})
    coverage: dict[str, list[str]] = {}
    for source in sources:
        coverage.setdefault(group_of.get(source) or "ungrouped", []).append(source)
    named = [g for g in coverage if g != "ungrouped"]
    groups = {g for g in group_of.values() if g}
    return StoryInfo(
        id=story_id,
        title=next((a.title for a in articles if a.title), articles[0].label),
        articles=[a.id for a in articles],
        sources=sources,
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
        coverage=coverage if groups else {},
        blindspot=named[0] if len(named) == 1 and len(groups) > 1 else None,
        edited=bool(pinned & {a.id for a in articles}),
    )


def _new_story_id(doc_ids: Sequence[str]) -> str:
    """The id of a story the analyst makes: derived from its first articles, like a document id."""
    import hashlib

    return hashlib.sha256(("story:" + ",".join(sorted(doc_ids))).encode()).hexdigest()[:16]


def _ordinal_day(published: str | None) -> int | None:
    """A date's day number, if the text starts with an ISO date."""
    from datetime import date

    try:
        return date.fromisoformat(published[:10]).toordinal() if published else None
    except ValueError:
        return None
