"""slant as a Python library: what the command line does, returning the pydantic models it prints
as JSON. The command line is one client of this module.

    import slant

    index = slant.Index("news-index")            # an embedded Chroma index in that folder
    index.ingest(["articles/"])                  # -> IngestReport
    index.search("harbour bridge repairs")       # -> list[Passage]
    index.ask("Who voted against the plan?")     # -> Answer (verified, cited, or abstaining)
    index.summarize(sources=["Gazette"])         # -> list[Summary]
    index.compare(sources=["Gazette", "Courier"], use_model=False)  # -> Comparison

Settings come as keyword arguments (any field of `slant.config.settings.Settings`: `chroma_url`,
`model`, `llm_url`, `k`, `seed`, ...), then SLANT_* variables, then ./slant.toml, as on the command line.
Models are loaded on first use and kept for the process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slant.config.progress import NoProgress, Progress
from slant.config.settings import Settings

if TYPE_CHECKING:
    from slant.index.ingest import IngestReport
    from slant.index.retrieval import Passage
    from slant.index.store import Store, StoredDocument
    from slant.index.stories import StoryInfo
    from slant.llm.model import TextModel
    from slant.sources.documents import Article
    from slant.tasks.ask import Answer
    from slant.tasks.compare import Comparison
    from slant.tasks.sources import SourcesReport
    from slant.tasks.summarize import Summary
    from slant.tasks.summary_runs import SummaryRun


class Index:
    """One slant index (a folder, or a Chroma server with `chroma_url=`) and the models to use."""

    def __init__(self, path: str | Path | None = None, **settings: Any) -> None:
        self.settings = Settings.load(index=Path(path) if path is not None else None, **settings)
        _keep_outputs(self.settings)

    language_model: TextModel | None = None  # set by with_language_model; else the settings' backend

    @classmethod
    def from_settings(cls, settings: Settings) -> Index:
        """An index for settings already built (the command line builds them from its flags)."""
        index = cls.__new__(cls)
        index.settings = settings
        _keep_outputs(settings)
        return index

    def with_language_model(self, model: TextModel) -> Index:
        """The same index with another language model behind the same checks (any `TextModel`,
        e.g. `slant.llm.langchain_model.LangChainBackend` around a LangChain chat model).
        """
        index = Index.from_settings(self.settings)
        index.language_model = model
        return index

    # -- the index -------------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        metadata: dict[str, str] | None = None,
        dedupe: bool = False,
        progress: Progress | None = None,
        wait: float = 30.0,
    ) -> IngestReport:
        """Add article files or folders; `metadata` sets fields (source, published, ...) on every article."""
        from slant.index.ingest import ingest

        return ingest([Path(p) for p in paths], self.settings, metadata or {}, dedupe, progress or NoProgress(), wait)

    def documents(self, doc_ids: Sequence[str] | None = None) -> list[StoredDocument]:
        """Every stored document (or those with these full ids), ordered by where it was read from."""
        if doc_ids is None:
            return list(self._store().iter_documents())
        if not doc_ids:
            return []
        return list(self._store().iter_documents(where={"doc_id": {"$in": list(doc_ids)}}))

    def document(self, doc_id: str) -> StoredDocument | None:
        """One document by id or a unique id prefix of at least six characters (None if absent)."""
        return self._store().get(doc_id)

    def stats(self) -> dict[str, Any]:
        """Counts of documents, chunks, sources and characters, and what the index was built with."""
        from collections import Counter

        store = self._store()
        documents = list(store.iter_documents())
        n_documents, n_chunks = store.counts()
        recorded = store.chunks.metadata or {}
        return {
            "location": self.settings.chroma_url or str(self.settings.index),
            "documents": n_documents,
            "chunks": n_chunks,
            "sources": dict(Counter(d.article.source or "(none)" for d in documents).most_common()),
            "characters": sum(len(d.article.text) for d in documents),
            "schema_version": recorded.get("schema_version"),
            "embedder": recorded.get("embedder"),
        }

    def articles(
        self,
        doc_ids: Sequence[str] = (),
        *,
        sources: Sequence[str] = (),
        everything: bool = False,
        story: str | None = None,
    ) -> list[Article]:
        """Articles by id, by source, of one story (`story=ID`), or all of them (`everything=True`)."""
        from slant.index.selection import select_articles

        store = self._store()
        if story is not None:
            doc_ids = [*doc_ids, *self._story_articles(story, store)]
        return select_articles(store, list(doc_ids), everything, list(sources))

    def stories(self) -> list[StoryInfo]:
        """The stories ingest grouped the articles into, largest first."""
        from slant.index.stories import StoryStore

        return StoryStore(self._store()).stories(self.settings.source_groups)

    def story(self, story_id: str) -> StoryInfo:
        """One story by id or unique prefix: title, dates, sources, coverage."""
        from slant.index.stories import StoryStore

        return StoryStore(self._store()).story(story_id, self.settings.source_groups)

    def sources(self) -> SourcesReport:
        """Each source across all its articles (`slant sources`)."""
        from slant.index.selection import select_articles
        from slant.tasks.sources import profile_sources

        articles = select_articles(self._store(), [], True, [])
        return profile_sources(articles, self.stories(), self.settings)

    def merge_stories(self, story_id: str, others: Sequence[str], *, wait: float = 30.0) -> str:
        """Move every article of `others` into story `story_id`; kept across re-ingests and reindex."""
        from slant.index.maintenance import story_editor

        with story_editor(self.settings, wait) as stories:
            return stories.merge(story_id, others)

    def split_story(self, story_id: str, doc_ids: Sequence[str], *, wait: float = 30.0) -> str:
        """Move these articles of a story into a new story; returns its id."""
        from slant.index.maintenance import story_editor

        with story_editor(self.settings, wait) as stories:
            return stories.split(story_id, doc_ids)

    def move_to_story(self, doc_ids: Sequence[str], story_id: str, *, wait: float = 30.0) -> str:
        """Move articles into another story; returns its full id."""
        from slant.index.maintenance import story_editor

        with story_editor(self.settings, wait) as stories:
            return stories.move(doc_ids, story_id)

    def _story_articles(self, story_id: str, store: Store | None = None) -> list[str]:
        from slant.index.stories import StoryStore

        return StoryStore(store or self._store()).members(story_id)

    def remove(self, doc_ids: Sequence[str] = (), *, source: str | None = None, wait: float = 30.0) -> list[str]:
        """Remove documents by id and/or every document of a source; returns the ids removed."""
        from slant.index.maintenance import remove

        return remove(self.settings, list(doc_ids), source, wait)

    def reindex(self, progress: Progress | None = None, wait: float = 30.0) -> int:
        """Re-chunk and re-embed every document (crash-safe); returns how many."""
        from slant.index.maintenance import reindex

        return reindex(self.settings, progress, wait)

    def search(
        self,
        query: str,
        *,
        k: int | None = None,
        sources: Sequence[str] = (),
        since: str | None = None,
        until: str | None = None,
    ) -> list[Passage]:
        """The best passages for `query`: dense and keyword search fused, with spans and scores."""
        from slant.config.errors import InputError
        from slant.index.retrieval import Filters, search

        if not query.strip():
            raise InputError("The query is empty", "give some words to search for")
        filters = Filters(sources=list(sources), since=since, until=until)
        return search(self._store(), self._embedder(), query, k or self.settings.k, filters)

    # -- analyses --------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        sources: Sequence[str] = (),
        since: str | None = None,
        until: str | None = None,
        doc_ids: Sequence[str] = (),
        on_text: Callable[[str], None] | None = None,
        story: str | None = None,
    ) -> Answer:
        """A verified, cited answer, or an abstention with the closest passages; `story=ID`
        asks only that story's articles.

        `on_text` receives the model's draft as it is written, sentence by sentence, each once
        it passes a first evidence check (a sentence its evidence does not back is never passed).
        """
        from slant.index.retrieval import Filters
        from slant.tasks.ask import ask

        if story is not None:
            doc_ids = [*doc_ids, *self._story_articles(story)]

        settings = self.settings if k is None else self.settings.model_copy(update={"k": k})
        filters = Filters(sources=list(sources), since=since, until=until, doc_ids=list(doc_ids))
        return ask(question, settings, self._model(), self._embedder(), filters, on_text)

    def summarize(
        self,
        doc_ids: Sequence[str] = (),
        *,
        sources: Sequence[str] = (),
        everything: bool = False,
        combined: bool = False,
        progress: Progress | None = None,
        workers: int = 1,
        story: str | None = None,
    ) -> list[Summary]:
        """Neutral summaries, one per article, or one across them (`combined=True`)."""
        chosen = self.articles(doc_ids, sources=sources, everything=everything, story=story)
        return self._summaries(chosen, combined, None, progress, workers).summaries

    def summarize_to(
        self,
        out_file: Path | None,
        doc_ids: Sequence[str] = (),
        *,
        sources: Sequence[str] = (),
        everything: bool = False,
        combined: bool = False,
        progress: Progress | None = None,
        workers: int = 1,
        story: str | None = None,
    ) -> SummaryRun:
        """Summaries written to `out_file` (.jsonl, resumable, or .md) or kept (None), with a status."""
        chosen = self.articles(doc_ids, sources=sources, everything=everything, story=story)
        return self._summaries(chosen, combined, out_file, progress, workers)

    def _summaries(
        self, articles: list[Article], combined: bool, out_file: Path | None, progress: Progress | None, workers: int
    ) -> SummaryRun:
        from slant.tasks.summary_runs import run

        return run(self.settings, articles, combined, out_file, progress or NoProgress(), workers, self.language_model)

    def compare(
        self,
        doc_ids: Sequence[str] = (),
        *,
        sources: Sequence[str] = (),
        use_model: bool = True,
        articles: list[Article] | None = None,
        actors: Sequence[str] = (),
    ) -> Comparison:
        """How the articles (two or more) frame the same events, with evidence for every finding.

        Without ids or sources, every article in the index is compared. `actors` names the actors
        to give stances toward (default: the most named); camps come from the settings.
        """
        from slant.config.errors import InputError
        from slant.tasks.compare import compare

        if articles is None:
            articles = self.articles(doc_ids, sources=sources, everything=not doc_ids and not sources)
        if len(articles) < 2:
            raise InputError("compare needs at least two articles", "give two ids or --source twice")
        model = self._model() if use_model else None
        return compare(articles, self.settings, self._embedder(), model, actors=list(actors) or None)

    # -- models ----------------------------------------------------------------------------

    def _store(self) -> Store:
        from slant.index.store import Store
        from slant.llm.files import resolve_embedder

        return Store.open(self.settings, resolve_embedder(self.settings).embedder_id)

    def _embedder(self) -> Any:
        from slant.llm.loaded import embedder_for

        return embedder_for(self.settings)

    def _model(self) -> TextModel:
        """The language model, loaded when a task first calls it (an ask the evidence decides, or a
        summary the small model does not write, loads none).
        """
        if self.language_model is not None:
            return self.language_model
        from slant.llm.loaded import LazyModel

        return LazyModel(self.settings)


def _keep_outputs(settings: Settings) -> None:
    """Keep what the readers and the embedder give each text in the settings' cache folder, so a
    later command reads it instead of running the model again (slant.llm.output_memo).
    """
    from slant.llm import output_memo

    output_memo.keep_in(settings.cache_dir)
