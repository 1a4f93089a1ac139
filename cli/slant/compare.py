"""`slant compare`: framing profiles side by side, and what each source reports or leaves out.
Claims are aligned across articles by meaning (sentence embeddings), not only by words.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from slant.documents import Article
from slant.evidence import content_sentences
from slant.signals import Evidence, Profile, profile

SCHEMA_VERSION = 1
SAME_CLAIM_COSINE = 0.6
_REASON = re.compile(r"\b(because|in light of|stemmed from|in response to|due to|over concerns|concerns)\b", re.I)


class Claim(BaseModel):
    """One claim, as each source that reports it words it."""

    text: str
    reported_by: list[str]
    evidence: list[Evidence]


class Omission(BaseModel):
    """Something other sources report that this one leaves out."""

    missing_from: str
    claim: Claim


class Comparison(BaseModel):
    """The whole comparison (`--json` prints exactly this, versioned)."""

    schema_version: int = SCHEMA_VERSION
    sources: list[str]
    profiles: list[Profile]
    shared: list[Claim]
    partial: list[Claim]
    omissions: list[Omission]


def compare(articles: list[Article], embedder: Any, omissions_per_source: int = 5) -> Comparison:
    """Profile each article and align their claims."""
    labels = {a.id: a.source or a.label for a in articles}
    sentences = [s for a in articles for s in content_sentences(a)]
    vectors = embedder.embed([s.text for s in sentences]) if sentences else None
    clusters: list[list[int]] = []
    for index, sentence in enumerate(sentences):
        best, best_cos = None, SAME_CLAIM_COSINE
        for number, members in enumerate(clusters):
            if any(sentences[m].doc_id == sentence.doc_id for m in members):
                continue
            assert vectors is not None
            cosine = float(max(vectors[m] @ vectors[index] for m in members))
            if cosine >= best_cos:
                best, best_cos = number, cosine
        if best is None:
            clusters.append([index])
        else:
            clusters[best].append(index)
    claims = [_claim(members, sentences, labels) for members in clusters]
    everyone = len(articles)
    shared = [c for c in claims if len(c.reported_by) == everyone and everyone > 1]
    partial = [c for c in claims if 1 < len(c.reported_by) < everyone]
    omissions = []
    for article in articles:
        label = labels[article.id]
        missing = [c for c in claims if label not in c.reported_by]
        missing.sort(key=lambda c: (-len(c.reported_by), not _REASON.search(c.text)))
        omissions += [Omission(missing_from=label, claim=c) for c in missing[:omissions_per_source]]
    return Comparison(
        sources=[labels[a.id] for a in articles],
        profiles=[profile(a) for a in articles],
        shared=shared,
        partial=partial,
        omissions=omissions,
    )


def _claim(members: list[int], sentences: list[Evidence], labels: dict[str, str]) -> Claim:
    evidence = [sentences[m] for m in members]
    return Claim(
        text=evidence[0].text,
        reported_by=[labels[e.doc_id] for e in evidence],
        evidence=evidence,
    )
