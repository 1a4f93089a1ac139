"""slant inside LangChain (`pip install "slant[langchain]"`): its index as a retriever, its
verified pipelines as runnables, its embedder as `Embeddings`, and any LangChain model as the
model behind slant's checks.

    import slant
    from langchain_core.runnables import RunnablePassthrough
    from slant.integrations.langchain import SlantAsk, SlantRetriever

    index = slant.Index("news-index")
    retriever = SlantRetriever(index=index, k=4, sources=["Gazette"])
    chain = {"question": RunnablePassthrough(), "documents": retriever} | SlantAsk(index=index)
    answer = chain.invoke("Who voted against the plan?")  # slant's Answer: verified, cited

- `SlantRetriever` runs slant's hybrid search (dense + BM25, fused, balanced across sources);
  every `Document` carries `doc_id`, `chunk_id`, `start`, `end` (its span of the stored text),
  `source`, `title`, `score`, `dense` and `keyword` in its metadata.
- `SlantAsk`, `SlantSummarize` and `SlantCompare` return slant's pydantic models. Given
  documents (from any retriever of slant's index), they work on those articles only. The model's
  draft streams to LangChain callbacks as `on_text`, each sentence once it passes a first check.
- `llm=` on a runnable puts any LangChain chat model or LLM behind slant's verification instead
  of the index's model (`slant --backend langchain --langchain-model module:attribute` does the
  same on the command line).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForChainRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableConfig, RunnableSerializable
from pydantic import ConfigDict, Field

from slant.api import Index
from slant.config.errors import InputError
from slant.llm.langchain_model import LangChainBackend
from slant.tasks.ask import Answer
from slant.tasks.compare import Comparison
from slant.tasks.summarize import Summary

__all__ = ["LangChainBackend", "SlantAsk", "SlantCompare", "SlantEmbeddings", "SlantRetriever", "SlantSummarize"]


class SlantEmbeddings(Embeddings):
    """slant's embedder (all-MiniLM-L6-v2 on onnxruntime, or the index's `--embedder`)."""

    def __init__(self, index: Index | None = None) -> None:
        from slant.llm.loaded import embedder_for

        self._embedder = embedder_for((index or Index()).settings)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed documents: unit vectors of 384 floats."""
        return [list(map(float, vector)) for vector in self._embedder.embed(texts)]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.embed_documents([text])[0]


class SlantRetriever(BaseRetriever):
    """slant's hybrid search over its index, with filters, as a LangChain retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Index
    k: int = 8
    sources: list[str] = Field(default_factory=list)
    since: str | None = None
    until: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        passages = self.index.search(query, k=self.k, sources=self.sources, since=self.since, until=self.until)
        found = self.index.documents(list({p.doc_id for p in passages}))
        titles = {stored.article.id: stored.article.title for stored in found}
        return [
            Document(
                page_content=passage.text,
                id=passage.chunk_id,
                metadata={**passage.model_dump(exclude={"text"}), "title": titles.get(passage.doc_id)},
            )
            for passage in passages
        ]


class _SlantRunnable(RunnableSerializable[Any, Any]):
    """What the three runnables share: the index, an optional LangChain model, the input forms."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Index
    llm: Any = None  # a LangChain BaseChatModel or BaseLLM (checked when used)

    def _index(self) -> Index:
        if self.llm is None:
            return self.index
        return self.index.with_language_model(LangChainBackend(self.llm, self.index.settings.n_ctx))


class SlantAsk(_SlantRunnable):
    """Input: a question, or {"question": ..., "documents" or "doc_ids": ...}. Output: `Answer`."""

    k: int | None = None  # passages to retrieve (default: the index's setting)
    sources: list[str] = Field(default_factory=list)

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        """Answer with verified citations, or abstain."""
        answer: Answer = self._call_with_config(self._ask, input, config, **kwargs)
        return answer

    def _ask(self, given: Any, run_manager: CallbackManagerForChainRun) -> Answer:
        question = given if isinstance(given, str) else given.get("question") if isinstance(given, dict) else None
        if not isinstance(question, str):
            raise InputError("SlantAsk needs a question", 'give a string or {"question": ...}')
        doc_ids = _doc_ids(given) if isinstance(given, dict) else []
        index = self._index()
        return index.ask(question, k=self.k, sources=self.sources, doc_ids=doc_ids, on_text=run_manager.on_text)


class SlantSummarize(_SlantRunnable):
    """Input: documents, doc ids, or {"documents"/"doc_ids"/"sources": ...}. Output: `list[Summary]`."""

    combined: bool = False

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> list[Summary]:
        """Neutral summaries of the articles (one across them with `combined=True`)."""
        summaries: list[Summary] = self._call_with_config(self._summarize, input, config, **kwargs)
        return summaries

    def _summarize(self, given: Any) -> list[Summary]:
        doc_ids, sources = _selection(given)
        return self._index().summarize(doc_ids, sources=sources, combined=self.combined)


class SlantCompare(_SlantRunnable):
    """Input: documents, doc ids, or {"documents"/"doc_ids"/"sources": ...}. Output: `Comparison`."""

    use_model: bool = True

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Comparison:
        """How the articles frame the same events."""
        comparison: Comparison = self._call_with_config(self._compare, input, config, **kwargs)
        return comparison

    def _compare(self, given: Any) -> Comparison:
        doc_ids, sources = _selection(given)
        return self._index().compare(doc_ids, sources=sources, use_model=self.use_model)


def _doc_ids(given: dict[str, Any]) -> list[str]:
    documents: Sequence[Document] = given.get("documents") or []
    ids = [str(document.metadata["doc_id"]) for document in documents if "doc_id" in document.metadata]
    return list(dict.fromkeys([*ids, *(given.get("doc_ids") or [])]))


def _selection(given: Any) -> tuple[list[str], list[str]]:
    """(doc ids, sources) from documents, a list of ids, or a dict of either and/or sources."""
    if isinstance(given, dict):
        return _doc_ids(given), list(given.get("sources") or [])
    if isinstance(given, list | tuple):
        return _doc_ids({"documents": [g for g in given if isinstance(g, Document)]}) or [
            str(g) for g in given if isinstance(g, str)
        ], []
    raise InputError("slant needs articles", "give documents, document ids or {'sources': [...]}")
