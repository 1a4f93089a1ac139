"""The BM25 arrays against a plain reference implementation, and their merge/removal/persistence;
the keyword index of a real index after `slant reindex`."""

import json
import math
import random
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slant.cli.app import app
from slant.index.bm25 import K1, B, Bm25Index, ChunkTerms

WORDS = [
    "nato",
    "russia",
    "strike",
    "summit",
    "drones",
    "sabotage",
    "kremlin",
    "alliance",
    "defense",
    "spending",
    "hague",
    "warfare",
]


def corpus(n: int, seed: int) -> list[ChunkTerms]:
    rng = random.Random(seed)
    return [
        ChunkTerms(
            chunk_id=f"d{i // 3}:{i % 3:05d}",
            doc_id=f"d{i // 3}",
            source=f"s{i % 4}",
            day=20250101 + i % 20,
            terms=[rng.choice(WORDS) for _ in range(rng.randint(3, 30))],
        )
        for i in range(n)
    ]


def reference_scores(chunks: list[ChunkTerms], query: list[str]) -> dict[str, float]:
    average = sum(len(c.terms) for c in chunks) / len(chunks)
    frequency = Counter(term for c in chunks for term in set(c.terms))
    scores: dict[str, float] = {}
    for chunk in chunks:
        counts = Counter(chunk.terms)
        score = 0.0
        for term in set(query):
            if counts[term]:
                idf = math.log(1 + (len(chunks) - frequency[term] + 0.5) / (frequency[term] + 0.5))
                norm = K1 * (1 - B + B * len(chunk.terms) / average)
                score += idf * counts[term] * (K1 + 1) / (counts[term] + norm)
        if score:
            scores[chunk.chunk_id] = score
    return scores


def as_dict(hits: list) -> dict[str, float]:
    return {hit.chunk_id: hit.score for hit in hits}


def test_scores_match_a_reference_bm25() -> None:
    chunks = corpus(300, seed=1)
    query = ["nato", "drones", "hague", "unknownword"]
    expected = reference_scores(chunks, query)
    found = as_dict(Bm25Index.build(chunks).search(query, n=len(chunks)))
    assert found.keys() == expected.keys()
    assert all(math.isclose(found[c], expected[c], rel_tol=1e-5) for c in expected)
    top = Bm25Index.build(chunks).search(query, n=10)
    assert [hit.score for hit in top] == sorted((hit.score for hit in top), reverse=True)
    assert {hit.chunk_id for hit in top} <= set(sorted(expected, key=lambda c: -expected[c])[:12])


def test_combined_parts_and_removal_equal_a_fresh_build(tmp_path: Path) -> None:
    chunks = corpus(120, seed=2)
    query = ["sabotage", "kremlin", "summit"]
    parts = Bm25Index.combined([Bm25Index.build(chunks[:40]), Bm25Index.build([]), Bm25Index.build(chunks[40:])])
    assert as_dict(parts.search(query, 200)) == as_dict(Bm25Index.build(chunks).search(query, 200))
    removed = {"d3", "d7"}
    kept = [c for c in chunks if c.doc_id not in removed]
    assert as_dict(parts.without(removed).search(query, 200)) == as_dict(Bm25Index.build(kept).search(query, 200))
    parts.save(tmp_path / "saved", "rev-1")
    loaded, revision = Bm25Index.load(tmp_path / "saved")
    assert revision == "rev-1"
    assert as_dict(loaded.search(query, 200)) == as_dict(parts.search(query, 200))


def test_filters_restrict_matches_to_allowed_rows() -> None:
    chunks = corpus(200, seed=3)
    index = Bm25Index.build(chunks)
    by_id = {c.chunk_id: c for c in chunks}
    hits = index.search(["alliance"], 50, index.mask(["s1"], [], 20250105, 20250110))
    assert hits
    assert all(by_id[h.chunk_id].source == "s1" and 20250105 <= by_id[h.chunk_id].day <= 20250110 for h in hits)
    assert index.mask([], [], None, None) is None


def test_keyword_scores_follow_a_reindex_with_another_chunk_size(
    articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()

    def passages(query: str) -> list[dict]:
        result = runner.invoke(app, ["search", "--json", query])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    query = "corrosion support cables inspection"
    assert runner.invoke(app, ["ingest", str(articles)]).exit_code == 0
    assert passages(query)[0]["keyword"] is not None  # the keyword index now mirrors these chunks
    monkeypatch.setenv("SLANT_CHUNK_CHARS", "300")
    monkeypatch.setenv("SLANT_CHUNK_OVERLAP_CHARS", "50")
    assert runner.invoke(app, ["reindex"]).exit_code == 0
    top = passages(query)[0]
    assert "corrosion in 14 of the bridge's 60 support cables" in top["text"]
    assert len(top["text"]) <= 400  # a chunk of the new size
    assert top["keyword"] is not None  # scored by the words it holds, not left to the vectors alone
