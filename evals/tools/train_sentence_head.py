"""The cheap alternative to the fine-tuned sentence reader, measured for comparison (not shipped):
a logistic regression and a one-hidden-layer MLP on slant's own MiniLM sentence vectors, trained on
Anno-lexical train and scored on Anno-lexical dev (threshold chosen on dev, as for the reader).

Two steps, because the vectors come from slant's embedder and the fit from scikit-learn:

    .venv/bin/python evals/tools/train_sentence_head.py embed anno-lexical-train.jsonl train.npz --limit 12000
    .venv/bin/python evals/tools/train_sentence_head.py embed anno-lexical-dev.jsonl dev.npz
    train-venv/bin/python evals/tools/train_sentence_head.py fit train.npz dev.npz --seed 13
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np


def main() -> None:
    """Embed a labelled file, or fit and score the heads."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    embed = commands.add_parser("embed")
    embed.add_argument("data", type=Path)
    embed.add_argument("out", type=Path)
    embed.add_argument("--limit", type=int, default=None)
    fit = commands.add_parser("fit")
    fit.add_argument("train", type=Path)
    fit.add_argument("dev", type=Path)
    fit.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if args.command == "embed":
        _embed(args.data, args.out, args.limit)
    else:
        _fit(args.train, args.dev, args.seed)


def _embed(data: Path, out: Path, limit: int | None) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "cli"))
    from slant.config.settings import Settings
    from slant.llm.loaded import embedder_for
    from slant.readers.wording import writer_wording

    rows = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()][:limit]
    vectors = embedder_for(Settings()).embed([writer_wording(str(r["text"])) for r in rows])
    labels = np.array([int(r["label"] == "biased") for r in rows])
    np.savez(out, vectors=vectors, labels=labels)


def _fit(train: Path, dev: Path, seed: int) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, precision_recall_fscore_support
    from sklearn.neural_network import MLPClassifier

    a, b = np.load(train), np.load(dev)
    heads = {
        "logistic regression": LogisticRegression(C=1.0, max_iter=2000),
        "MLP (256 hidden)": MLPClassifier(
            hidden_layer_sizes=(256,), alpha=1e-3, early_stopping=True, random_state=seed
        ),
    }
    for name, head in heads.items():
        head.fit(a["vectors"], a["labels"])
        probability = head.predict_proba(b["vectors"])[:, 1]
        grid = np.arange(0.2, 0.81, 0.01)
        best = max(grid, key=lambda t: f1_score(b["labels"], probability >= t, average="macro"))
        said = probability >= best
        p, r, _, _ = precision_recall_fscore_support(b["labels"], said, labels=[1, 0])
        f1 = f1_score(b["labels"], said, average="macro")
        print(
            f"{name}: train {len(a['labels'])}, dev {len(b['labels'])}, threshold {best:.2f}: macro-F1 {f1:.4f}; "
            f"biased P {p[0]:.3f} R {r[0]:.3f}; neutral P {p[1]:.3f} R {r[1]:.3f}"
        )


if __name__ == "__main__":
    main()
