"""Synthetic article corpora built from the seed articles' sentences, for tests and benchmarks.

Each generated article is a deterministic (seeded) mix of seed sentences, with a source, a
date and a title in Markdown front matter, so corpora of any size exercise the whole ingest path:
front matter, cleaning, sentence-aware chunking, embedding and both indexes.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUTLETS = [f"outlet-{n:02d}" for n in range(20)]


def seed_sentences() -> list[str]:
    """The sentences of the seed articles (longer than 40 characters)."""
    sentences: list[str] = []
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 40]
    return sentences


def write_corpus(folder: Path, articles: int, sentences_per_article: tuple[int, int] = (12, 24), seed: int = 0) -> int:
    """Write `articles` Markdown articles into folder; returns the number of characters written."""
    pool = seed_sentences()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for number in range(articles):
        count = rng.randint(*sentences_per_article)
        body = " ".join(rng.choice(pool) for _ in range(count))
        day = date(2025, 1, 1) + timedelta(days=number % 330)
        text = (
            f"---\ntitle: Report {number}\nsource: {OUTLETS[number % len(OUTLETS)]}\npublished: '{day}'\n---\n"
            f"Report {number} from {OUTLETS[number % len(OUTLETS)]}.\n\n{body}\n"
        )
        (folder / f"article-{number:05d}.md").write_text(text, encoding="utf-8")
        written += len(text)
    return written
