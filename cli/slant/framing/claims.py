"""Aligning claims across articles: which sentences of different sources state the same thing.

Two sentences are one claim when they are close in meaning (embedding cosine) *and* share
distinctive words (IDF-weighted overlap of word stems, "re-election" = "reelection"), or when
they are near-paraphrases. Meaning alone was too loose: opinion lines ("It reflects deeper
shifts inside the council.") sat at cosine 0.69 from unrelated news sentences.
Pairs are matched best-first, one sentence per article in each claim, and every sentence of a
claim must match every other (no chains A~B~C where A and C differ).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from pydantic import BaseModel

from slant.framing.neutrality import stance_cues
from slant.readers.loaded import sentence_bias
from slant.text.instructions import addresses_model
from slant.text.quotes import quote_spans
from slant.text.sentences import Evidence
from slant.text.tokens import tokens

MIN_COSINE = 0.6  # below this, never the same claim
MIN_OVERLAP = 0.15  # IDF-weighted share of the shorter sentence's distinctive stems
MIN_SHARED_STEMS = 2
MIN_ABSENT_SHARE = 0.5  # of a claim's distinctive words missing from an article, for it to be left out
MAX_QUOTED_SHARE = 0.3  # a sentence more quoted than this reports what someone said, not a fact
MIN_COMBINED = 0.88  # cosine + overlap
PARAPHRASE_COSINE = 0.8  # this close, the words may differ entirely
_REASON = re.compile(
    r"\b(because|in light of|stemmed from|in response to|due to|over concerns|concerns (?:over|about))\b", re.I
)


class Claim(BaseModel):
    """One claim, as each source that reports it words it."""

    text: str
    reported_by: list[str]
    evidence: list[Evidence]
    is_reason: bool = False  # gives a cause or motive ("stemmed from", "in response to", ...)
    closest: dict[str, float] = {}  # per source that does not report it: its most similar sentence's cosine


class Omission(BaseModel):
    """Something other sources report that this one leaves out."""

    missing_from: str
    claim: Claim
    absent_terms: list[str]  # distinctive words of the claim that occur nowhere in the omitting article


def stems(text: str) -> set[str]:
    """Content-word stems of a text (hyphens joined, possessives and endings cut)."""
    joined = re.sub(r"(?<=\w)-(?=\w)", "", text)
    return {word[:6] for word in tokens(joined) if len(word) > 2}


def align(sentences: list[Evidence], labels: dict[str, str], embedder: Any) -> list[Claim]:
    """Group the sentences of several articles into claims (each sentence in exactly one)."""
    if not sentences:
        return []
    vectors = embedder.embed([s.text for s in sentences])
    bags = [stems(s.text) for s in sentences]
    frequency = Counter(stem for bag in bags for stem in bag)
    idf = {stem: math.log(len(sentences) / count) + 0.1 for stem, count in frequency.items()}
    pairs: list[tuple[float, int, int]] = []
    accepted: set[tuple[int, int]] = set()
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            if sentences[i].doc_id == sentences[j].doc_id:
                continue
            cosine = float(vectors[i] @ vectors[j])
            if cosine < MIN_COSINE:
                continue
            shared = bags[i] & bags[j]
            weight = min(sum(idf[s] for s in bags[i]), sum(idf[s] for s in bags[j]))
            overlap = sum(idf[s] for s in shared) / max(weight, 1e-9)
            lexical = overlap >= MIN_OVERLAP and len(shared) >= MIN_SHARED_STEMS and cosine + overlap >= MIN_COMBINED
            if lexical or cosine >= PARAPHRASE_COSINE:
                pairs.append((cosine + overlap, i, j))
                accepted |= {(i, j), (j, i)}
    cluster_of = {i: i for i in range(len(sentences))}
    members: dict[int, list[int]] = {i: [i] for i in range(len(sentences))}
    for _, i, j in sorted(pairs, reverse=True):
        a, b = cluster_of[i], cluster_of[j]
        if a == b or {sentences[m].doc_id for m in members[a]} & {sentences[m].doc_id for m in members[b]}:
            continue
        if any((m, n) not in accepted for m in members[a] for n in members[b]):
            continue  # complete linkage: every sentence of a claim matches every other
        for m in members[b]:
            cluster_of[m] = a
        members[a] = sorted(members[a] + members.pop(b))
    claims = []
    for group in sorted(members.values()):
        claim = _claim([sentences[m] for m in group], labels)
        for doc_id, label in labels.items():
            if label not in claim.reported_by:
                others = [k for k, s in enumerate(sentences) if s.doc_id == doc_id]
                best = max((float(vectors[m] @ vectors[k]) for m in group for k in others), default=0.0)
                claim.closest[label] = round(best, 3)
        claims.append(claim)
    return claims


def _claim(evidence: list[Evidence], labels: dict[str, str]) -> Claim:
    # of several wordings, a report of fact where one is, else the one the sentence reader reads as least loaded
    wordings = evidence
    if len(evidence) > 1:
        wordings = [e for e in evidence if factual(e.text)]
        wordings = wordings or sorted(evidence, key=lambda e: sentence_bias([e.text])[0])
    reason = next((e for e in wordings if _REASON.search(e.text)), None)
    return Claim(
        text=(reason or wordings[0]).text,  # the wording that gives the reason, where one does
        reported_by=[labels[e.doc_id] for e in evidence],
        evidence=evidence,
        is_reason=reason is not None,
    )


def factual(text: str) -> bool:
    """A report of fact in the writer's own voice: no stance cue (loaded word, judging verb,
    speculation ...), not mostly a quotation, not a question, not text addressing a model.
    """
    quoted = sum(q.end - q.start for q in quote_spans(text))
    return (
        quoted <= MAX_QUOTED_SHARE * len(text)
        and not text.rstrip("”’\"' ").endswith("?")
        and not addresses_model(text)
        and not stance_cues(text)
    )


def omissions(
    claims: list[Claim],
    label: str,
    article_text: str,
    limit: int | None = None,
    opinion: frozenset[str] = frozenset(),
) -> list[Omission]:
    """What the article labelled `label` leaves out: factual claims others report that nothing in
    it comes close to, neither in meaning (cosine below MIN_COSINE) nor in words (at least
    MIN_ABSENT_SHARE of the claim's distinctive words missing: else the article words it otherwise).
    Most important first: reported by more sources, then reasons, then nearer the top of its article.
    A claim only the `opinion` sources (labels of opinion pieces) make is their view, not a fact.
    """
    present = stems(article_text)
    found = []
    for claim in claims:
        if label in claim.reported_by or claim.closest.get(label, 0.0) >= MIN_COSINE or not factual(claim.text):
            continue
        if set(claim.reported_by) <= opinion:
            continue
        words = list(dict.fromkeys(w for w in tokens(re.sub(r"(?<=\w)-(?=\w)", "", claim.text)) if len(w) > 2))
        absent = [w for w in words if w[:6] not in present]
        if len(absent) < MIN_ABSENT_SHARE * len(words):
            continue
        found.append(Omission(missing_from=label, claim=claim, absent_terms=absent))
    found.sort(key=lambda o: (-len(o.claim.reported_by), not o.claim.is_reason, min(e.start for e in o.claim.evidence)))
    return found if limit is None else found[:limit]
