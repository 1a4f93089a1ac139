"""Neutral summaries. The model proposes sentences; each is verified against the article and
kept only if supported and free of the writer's stance (see neutral.py). The rest of the
summary is filled with the most central source sentences that are themselves neutral (marked
as such); attributed statements come before unattributed ones.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from slant.config.settings import Settings
from slant.framing.neutrality import neutrality, stance_cues
from slant.llm.model import TextModel, generate
from slant.llm.prompts import render
from slant.llm.provenance import Provenance, provenance
from slant.sources.documents import Article
from slant.text.attribution import attributed
from slant.text.sentences import Evidence, sentence_spans
from slant.verify.evidence import Verifier, content_sentences

if TYPE_CHECKING:
    from slant.framing.claims import Claim

SENTENCES_PER_SUMMARY = 3
# A sentence that leans on the one before it ("This is ...", "'...,' he said") is unclear alone.
_NEEDS_CONTEXT = re.compile(
    r"^(This|That|These|Those|It|Its|They|Their|He|His|She|Her|Such|Now|But|And|Yet|So)\b"
    r"|[,’”'\"] (he|she|they) (said|says|added|told)\b"
)
_DUPLICATE_COSINE = 0.8
_LIST_NUMBER = re.compile(r"^\d+\.\s*")  # the "2. " of a numbered proposal


class SummarySentence(BaseModel):
    """One sentence of a summary and the evidence for it."""

    text: str
    origin: str  # "generated" (verified model sentence) | "source" (sentence of the article)
    support: float
    evidence: list[Evidence]
    reported_by: list[str] = []  # combined summaries: the sources whose articles support it


class Summary(BaseModel):
    """A neutral summary of one article (or of a story across articles)."""

    doc_ids: list[str]
    sources: list[str]  # one label per article
    title: str
    sentences: list[SummarySentence]
    support_score: float
    neutrality_score: float
    rejected: list[dict[str, Any]]
    provenance: Provenance
    seconds: float


def summarize_article(article: Article, settings: Settings, model: TextModel, embedder: Any) -> Summary:
    """Summarise one article (see the module docstring)."""
    return summarize_articles([article], settings, model, embedder, article.label)


def summarize_articles(
    articles: list[Article],
    settings: Settings,
    model: TextModel,
    embedder: Any,
    title: str,
    size: int = SENTENCES_PER_SUMMARY,
) -> Summary:
    """Summarise one or more articles into at most `size` verified, neutral sentences."""
    from slant.llm.embedder import RememberingEmbedder

    embedder = RememberingEmbedder(embedder)
    sources = [s for article in articles for s in content_sentences(article)]
    verifier = Verifier(embedder, sources, [a.text for a in articles], {a.id: a.text for a in articles})
    seconds = 0.0
    proposals: list[str] = []
    prompt = None
    for window in _windows(articles, model, settings):
        prompt = render("summarize", article=window)
        completion = generate(model, prompt, settings)
        seconds += completion.seconds
        drafted = (_LIST_NUMBER.sub("", completion.text[s.start : s.end]) for s in sentence_spans(completion.text))
        proposals += [p.strip() for p in drafted if p.strip()]
    assert prompt is not None
    chosen: list[SummarySentence] = []
    rejected: list[dict[str, Any]] = []
    for proposal in proposals:
        support = verifier.check(proposal)
        stance = stance_cues(proposal)
        if support.supported and not stance and support.evidence is not None:
            candidate = SummarySentence(
                text=proposal,
                origin="generated",
                support=support.score,
                evidence=[support.evidence],
            )
            if not _repeats(candidate, chosen, embedder):
                chosen.append(candidate)
        else:
            reasons = support.problems + stance
            if not support.supported and not support.problems:
                reasons.append(f"support {support.score:.2f} below threshold")
            rejected.append({"text": proposal, "reasons": reasons})
    candidates = _central_neutral(sources, embedder)
    claim_of = _claims(sources, articles, embedder)
    candidates.sort(key=lambda c: -len(_reported_by(claim_of, c)))  # stable: centrality next
    told: set[int] = set()  # claims already in the summary (one sentence per claim)
    for source in candidates:
        if len(chosen) >= size:
            break
        claim = claim_of.get((source.doc_id, source.start))
        if claim is not None and id(claim) in told:
            continue
        candidate = SummarySentence(text=source.text, origin="source", support=1.0, evidence=[source])
        if not _repeats(candidate, chosen, embedder):
            chosen.append(candidate)
            if claim is not None:
                told.add(id(claim))
    chosen = chosen[:size]
    order = {(s.doc_id, s.start): i for i, s in enumerate(sources)}
    chosen.sort(key=lambda s: order.get((s.evidence[0].doc_id, s.evidence[0].start), 0))
    for sentence in chosen:
        evidence = sentence.evidence[0]
        sentence.reported_by = _reported_by(claim_of, evidence)
    chosen.sort(key=lambda s: -len(s.reported_by))  # what more sources report first, then text order
    return Summary(
        doc_ids=[a.id for a in articles],
        sources=[_source_label(a) for a in articles],
        title=title,
        sentences=chosen,
        support_score=round(sum(s.support for s in chosen) / len(chosen), 3) if chosen else 0.0,
        neutrality_score=neutrality([s.text for s in chosen]),
        rejected=rejected,
        provenance=provenance(model, prompt, settings),
        seconds=round(seconds, 3),
    )


def _claims(sources: list[Evidence], articles: list[Article], embedder: Any) -> dict[tuple[str, int], Claim]:
    """For each source sentence (doc id, start): its claim, aligned across the articles as
    `slant compare` aligns them (one article: none).
    """
    if len(articles) < 2:
        return {}
    from slant.framing.claims import align

    labels = {article.id: _source_label(article) for article in articles}
    return {(e.doc_id, e.start): claim for claim in align(sources, labels, embedder) for e in claim.evidence}


def _reported_by(claim_of: dict[tuple[str, int], Claim], sentence: Evidence) -> list[str]:
    """The sources that report this sentence's claim (empty for one article)."""
    claim = claim_of.get((sentence.doc_id, sentence.start))
    return claim.reported_by if claim is not None else []


def _source_label(article: Article) -> str:
    return article.source or article.id


def _windows(articles: list[Article], model: TextModel, settings: Settings) -> list[str]:
    """Article text in pieces that fit the context (map step); never silently truncated."""
    budget = model.context_size - settings.max_tokens - 400  # room for instructions and example
    windows: list[str] = []
    for article in articles:
        current: list[str] = []
        used = 0
        for line in article.text.split("\n"):
            cost = model.count_tokens(line) + 1
            if current and used + cost > budget:
                windows.append("\n".join(current))
                current, used = [], 0
            if cost > budget:  # one enormous paragraph: cut it by characters
                step = max(budget * 3, 500)
                windows += [line[i : i + step] for i in range(0, len(line), step)]
                continue
            current.append(line)
            used += cost
        if current:
            windows.append("\n".join(current))
    return windows


def _central_neutral(sources: list[Evidence], embedder: Any) -> list[Evidence]:
    """Neutral source sentences, most central first; attributed ones and the lead get a bonus,
    sentences that need the one before them to make sense come last.
    """
    neutral = [
        s
        for s in sources
        if not stance_cues(s.text)
        and 10 <= len(s.text.split()) <= 60
        and (attributed(s.text) or not s.text.startswith(("‘", "“", '"')))
    ]
    if not neutral:
        return []
    vectors = embedder.embed([s.text for s in neutral])
    centre = vectors.mean(axis=0)
    scores = vectors @ centre
    for index, source in enumerate(neutral):  # attributed statements read as reports, not opinion
        if attributed(source.text):
            scores[index] += 0.1
        if _NEEDS_CONTEXT.search(source.text):
            scores[index] -= 0.3
    first_of_doc: dict[str, int] = {}
    for index, source in enumerate(neutral):
        first_of_doc.setdefault(source.doc_id, index)
        if index - first_of_doc[source.doc_id] < 2:
            scores[index] += 0.1
    return [neutral[i] for i in sorted(range(len(neutral)), key=lambda i: -float(scores[i]))]


def _repeats(candidate: SummarySentence, chosen: list[SummarySentence], embedder: Any) -> bool:
    if not chosen:
        return False
    vectors = embedder.embed([candidate.text] + [c.text for c in chosen])
    return bool((vectors[1:] @ vectors[0]).max() >= _DUPLICATE_COSINE)
