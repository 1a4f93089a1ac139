"""Support checks: is a generated sentence backed by a source sentence, and do its numbers,
names and quotations occur in the sources (quotations verbatim)?
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from slant.sources.documents import Article
from slant.text.attribution import attributed
from slant.text.quotes import quote_spans
from slant.text.sentences import Evidence, sentence_spans
from slant.text.tokens import tokens

MIN_SUPPORT = 0.7  # combined score a sentence needs to count as supported
MAX_NEW_WORDS = 0.2  # share of a sentence's content words its evidence sentence may lack
_NUMBER = re.compile(r"\d[\d,.]*%?")
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w’'-]+")


class Support(BaseModel):
    """How well a sentence is backed, by which source span, and what failed."""

    score: float
    evidence: Evidence | None
    problems: list[str]

    @property
    def supported(self) -> bool:
        """True when the best source sentence backs it and every fact check passed."""
        return self.score >= MIN_SUPPORT and not self.problems


def content_sentences(article: Article, min_words: int = 6) -> list[Evidence]:
    """Sentences that state something (not headings, list labels or fragments)."""
    found = []
    for span in sentence_spans(article.text):
        text = article.text[span.start : span.end]
        if len(text.split()) >= min_words and is_statement(text):
            found.append(Evidence(doc_id=article.id, start=span.start, end=span.end, text=text))
    return found


def _drift(sentence: str, evidence: str) -> list[str]:
    """What a sentence adds to its evidence: new words, or a quoted claim left unattributed."""
    words = set(tokens(sentence))
    new = sorted(words - set(tokens(evidence)))
    problems = []
    if len(new) > max(1, MAX_NEW_WORDS * len(words)):
        problems.append(f"adds words its evidence lacks: {', '.join(new[:6])}")
    quoted = sum(q.end - q.start for q in quote_spans(evidence))
    if quoted > 0.5 * len(evidence) and not attributed(sentence) and not quote_spans(sentence):
        problems.append("states as fact what the source only quotes someone as saying")
    return problems


def is_statement(text: str) -> bool:
    """Starts like a sentence and ends with a full stop (or a quote closing one)."""
    return bool(re.match(r"[A-Z0-9“\"‘]", text)) and bool(re.search(r"[.!?…][’”\"')]*$", text))


def _normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


class Verifier:
    """Checks sentences against a fixed set of source sentences (embedded once)."""

    def __init__(self, embedder: Any, sources: list[Evidence], source_texts: list[str]) -> None:
        self.embedder = embedder
        self.sources = sources
        self.vectors = embedder.embed([s.text for s in sources]) if sources else None
        self.corpus = _normalise("\n".join(source_texts))

    def check(self, sentence: str, allowed_docs: set[str] | None = None) -> Support:
        """The best-supporting source sentence and the fact checks for `sentence`."""
        problems = self.fact_problems(sentence)
        if self.vectors is None:
            return Support(score=0.0, evidence=None, problems=[*problems, "no sources"])
        vector = self.embedder.embed([sentence])[0]
        cosines = self.vectors @ vector
        words = set(tokens(sentence))
        best, best_score = None, 0.0
        for index, source in enumerate(self.sources):
            if allowed_docs is not None and source.doc_id not in allowed_docs:
                continue
            recall = len(words & set(tokens(source.text))) / max(len(words), 1)
            score = 0.6 * float(cosines[index]) + 0.4 * recall
            if score > best_score:
                best, best_score = source, score
        if best is not None:
            problems += _drift(sentence, best.text)
        return Support(score=round(best_score, 3), evidence=best, problems=problems)

    def fact_problems(self, sentence: str) -> list[str]:
        """Numbers, names and quotations of `sentence` that the sources do not contain."""
        text = _normalise(sentence)
        problems = []
        for number in _NUMBER.findall(text):
            if number.rstrip(".,") not in self.corpus:
                problems.append(f"number {number.rstrip('.,')!r} not in the sources")
        for span in quote_spans(text):
            quote = text[span.start + 1 : span.end - 1]
            if len(quote.strip()) >= 3 and quote.strip() not in self.corpus:
                problems.append(f"quotation {quote.strip()!r} not verbatim in the sources")
        for name in _NAME.findall(text):
            if name not in self.corpus:
                problems.append(f"name {name!r} not in the sources")
        return problems
