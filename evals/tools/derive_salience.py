"""Fit slant's sentence-salience weights on story clusters with neutral reference summaries
(writes cli/slant/framing/wordlists/salience.tsv).

Usage:
    python evals/tools/derive_salience.py ../shared/data/neus-train.jsonl [--out FILE] [--limit N]

Every content sentence of every article is an example. Its target is the ROUGE-1 precision of
the sentence against the story's reference (the share of its words, stemmed, that the editors'
neutral summary uses); its features are those of slant.framing.salience (agreement, position,
form, tone: no words). A ridge regression fits the weights. Five-fold cross-validation by story
prints how well the score ranks sentences on stories it did not see before the table is written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

from slant.config.settings import Settings
from slant.evals.summaries import read_stories, story_articles
from slant.framing.salience import FEATURES, features
from slant.llm.loaded import embedder_for
from slant.verify.evidence import content_sentences

OUT = Path(__file__).resolve().parents[2] / "cli/slant/framing/wordlists/salience.tsv"
RIDGE = 1.0
FOLDS = 5


def examples(data: Path, limit: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, targets and story numbers of every content sentence."""
    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    embedder = embedder_for(Settings.load())
    rows, targets, groups = [], [], []
    for number, story in enumerate(read_stories(data, limit)):
        articles = story_articles(story, str(data))
        sentences = [s for a in articles for s in content_sentences(a)]
        if not sentences:
            continue
        titles = {a.id: a.title or "" for a in articles}
        rows.append(features(sentences, titles, embedder.embed([s.text for s in sentences])))
        targets += [scorer.score(story.target, s.text)["rouge1"].precision for s in sentences]
        groups += [number] * len(sentences)
    return np.vstack(rows), np.array(targets), np.array(groups)


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Ridge regression (the bias column is not penalised)."""
    penalty = RIDGE * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    return np.linalg.solve(x.T @ x + penalty, x.T @ y)


def cross_validate(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> float:
    """Mean Pearson correlation of predicted and true targets on held-out stories."""
    scores = []
    for fold in range(FOLDS):
        held = groups % FOLDS == fold
        weights = fit(x[~held], y[~held])
        scores.append(float(np.corrcoef(x[held] @ weights, y[held])[0, 1]))
    return float(np.mean(scores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="NeuS-format training stories")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--limit", type=int, default=None, help="only the first N stories")
    args = parser.parse_args()
    x, y, groups = examples(args.data, args.limit)
    print(f"{len(y)} sentences from {len(set(groups.tolist()))} stories")
    print(f"cross-validated correlation with the reference share: {cross_validate(x, y, groups):.3f}")
    weights = fit(x, y)
    lines = [
        "# Sentence-salience weights: feature<TAB>weight (slant.framing.salience.FEATURES).",
        f"# Fitted by evals/tools/derive_salience.py (ridge {RIDGE}) on {args.data.name}: {len(y)} sentences.",
        "# Source: NeuS (Lee et al., NAACL 2022) training stories with AllSides reference summaries.",
        "# Licence: MIT, as slant.",
        *(f"{name}\t{weight:.4f}" for name, weight in zip(FEATURES, weights, strict=True)),
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, weight in zip(FEATURES, weights, strict=True):
        print(f"  {name:<24} {weight:+.4f}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
