"""Choosing articles from the index: by id (or a unique prefix), by source, or all."""

from __future__ import annotations

from slant.config.errors import InputError
from slant.index.store import Store
from slant.reading.readings import remember
from slant.sources.documents import Article


def select_articles(store: Store, doc_ids: list[str], everything: bool, sources: list[str]) -> list[Article]:
    """Articles by id, by source, or all of them (in a stable order)."""
    if not (doc_ids or everything or sources):
        raise InputError("No articles selected", "give document ids, --source NAME or --all")
    chosen: dict[str, Article] = {}
    for doc_id in doc_ids:
        found = store.get(doc_id)
        if found is None:
            raise InputError(f"No document {doc_id!r} in the index", "see `slant ls` for ids")
        chosen[found.article.id] = found.article
    if everything or sources:
        where = {"source": {"$in": sources}} if sources else None
        for document in store.iter_documents(where=where):
            chosen.setdefault(document.article.id, document.article)
    if not chosen:
        raise InputError(f"No documents of source(s) {', '.join(sources)}", "see `slant ls`")
    articles = list(chosen.values())
    remember_stored_readings(store, articles)
    return articles


def remember_stored_readings(store: Store, articles: list[Article]) -> None:
    """Hand the readings stored with these articles to the analyses (slant.reading.readings), so
    nothing stored is parsed again.
    """
    stored = store.stored_readings([article.id for article in articles])
    for article in articles:
        if article.id in stored:
            remember(article.text, stored[article.id])
