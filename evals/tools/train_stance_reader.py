"""Train slant's stance reader (slant.readers.stance): a multinomial logistic regression over the
features of the sentences that name an actor, on PerSenT dev (author's sentiment toward the main
entity) and BASIL dev (author_feelings). Both are development sets, so every figure is
cross-validated (fixed-seed folds; BASIL folds keep an event's three articles together); the
shipped weights are then fitted on all rows. Runs in slant's own venv (numpy only):

    .venv/bin/python evals/tools/train_stance_reader.py --persent persent-dev.jsonl \
        --basil basil-dev.jsonl --out cli/slant/readers/models --seed 13
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path
from typing import Any

import numpy as np

from slant.framing.stance import sentences_naming
from slant.readers.stance import FEATURES, LABELS, MODEL, stance_features
from slant.reading.actors import Actor, find_actors
from slant.text.sentences import sentence_spans

PERSENT = {"negative": "critical", "neutral": "neutral", "positive": "favourable"}
BASIL = {"neg": "critical", "neu": "neutral", "pos": "favourable"}
FOLDS = 5
L2 = (0.01, 1.0, 10.0)
MARGINS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)  # added to the neutral score: how sure a stance must be
NEUTRAL = np.eye(len(LABELS))[LABELS.index("neutral")]


def main() -> None:
    """Featurise, cross-validate, fit and describe the stance reader."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persent", type=Path, required=True)
    parser.add_argument("--basil", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--features", type=Path, default=None, help="cache the features here (development)")
    args = parser.parse_args()
    if args.features and args.features.exists():
        rows = json.loads(args.features.read_text(encoding="utf-8"))
    else:
        rows = _persent(args.persent) + _basil(args.basil)
        if args.features:
            args.features.write_text(json.dumps(rows), encoding="utf-8")
    x = np.array([r["features"] for r in rows])
    y = np.array([LABELS.index(r["label"]) for r in rows])
    groups = [r["group"] for r in rows]
    folds = _folds(groups, args.seed)
    sets = {name: np.array([r["set"] == name for r in rows]) for name in ("persent", "basil")}
    constant = {
        name: _measures(y[m], np.full(int(m.sum()), int(np.bincount(y[m]).argmax()))) for name, m in sets.items()
    }
    results = {}
    for l2 in L2:
        for balanced in (False, True):
            scores = np.zeros((len(rows), len(LABELS)))
            for fold in range(FOLDS):
                test = folds == fold
                scores[test] = _scores(_fit(x[~test], y[~test], l2, balanced), x[test])
            for margin in MARGINS:
                predicted = np.argmax(scores + margin * NEUTRAL, axis=1)
                key = (l2, balanced, margin)
                results[key] = {name: _measures(y[m], predicted[m]) for name, m in sets.items()}
                print(f"l2 {l2} balanced {balanced} neutral margin {margin}: {json.dumps(results[key])}", flush=True)
    # The best summed macro-F1 among the settings that keep BASIL accuracy at the always-neutral
    # constant's (news about political actors is mostly neutral: a reader must not do worse).
    keeping = [k for k in results if results[k]["basil"]["accuracy"] >= constant["basil"]["accuracy"]] or list(results)
    chosen = max(keeping, key=lambda k: results[k]["persent"]["macro_f1"] + results[k]["basil"]["macro_f1"])
    model = _fit(x, y, chosen[0], chosen[1])
    model["intercepts"] = model["intercepts"] + chosen[2] * NEUTRAL
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{MODEL}.npz"
    with path.open("wb") as handle:
        np.savez(handle, **model)
    _card(args, path, chosen, results[chosen], constant, len(rows))
    print(json.dumps({"chosen": list(chosen), "cv": results[chosen], "majority_constant": constant}, indent=2))


def _persent(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        record = json.loads(line)
        rows.append(_row(record["text"], record["entity"], PERSENT[record["sentiment"]], "persent", f"p{number}"))
    return rows


def _basil(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for entity, feeling in (record.get("author_feelings") or {}).items():
            label = BASIL[str(feeling).replace("str-", "")]
            rows.append(_row(record["text"], str(entity), label, "basil", f"b{record['event']}"))
    return rows


def _row(text: str, entity: str, label: str, source: str, group: str) -> dict[str, Any]:
    index = find_actors(text)
    naming = sentences_naming(text, index, Actor(name=entity, kind="person"))
    about = [text[s:e] for s, e in naming]
    context = [text[s.start : s.end] for s in sentence_spans(text) if (s.start, s.end) not in set(naming)]
    return {"features": stance_features(about, context), "label": label, "set": source, "group": group}


def _folds(groups: list[str], seed: int) -> np.ndarray:
    names = sorted(set(groups))
    random.Random(seed).shuffle(names)
    fold_of = {name: i % FOLDS for i, name in enumerate(names)}
    return np.array([fold_of[g] for g in groups])


def _fit(x: np.ndarray, y: np.ndarray, l2: float, balanced: bool) -> dict[str, np.ndarray]:
    """Multinomial logistic regression on standardised features, by full-batch gradient descent."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    onehot = np.eye(len(LABELS))[y]
    counts = np.bincount(y, minlength=len(LABELS))
    weight = (len(y) / (len(LABELS) * np.maximum(counts, 1)))[y] if balanced else np.ones(len(y))
    coefficients = np.zeros((len(LABELS), x.shape[1]))
    intercepts = np.zeros(len(LABELS))
    for _ in range(3000):
        scores = z @ coefficients.T + intercepts
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        error = (p - onehot) * weight[:, None] / weight.sum()
        coefficients -= 0.5 * (error.T @ z + l2 * coefficients / len(y))
        intercepts -= 0.5 * error.sum(axis=0)
    return {"mean": mean, "scale": scale, "coefficients": coefficients, "intercepts": intercepts}


def _scores(model: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    result: np.ndarray = ((x - model["mean"]) / model["scale"]) @ model["coefficients"].T + model["intercepts"]
    return result


def _measures(gold: np.ndarray, said: np.ndarray) -> dict[str, float]:
    f1s = []
    for label in range(len(LABELS)):
        tp = float(((said == label) & (gold == label)).sum())
        precision = tp / max(float((said == label).sum()), 1.0)
        recall = tp / max(float((gold == label).sum()), 1.0)
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {"accuracy": round(float((gold == said).mean()), 3), "macro_f1": round(sum(f1s) / len(f1s), 3)}


def _card(
    args: argparse.Namespace,
    path: Path,
    chosen: tuple[float, bool, float],
    cv: dict[str, dict[str, float]],
    constant: dict[str, dict[str, float]],
    rows: int,
) -> None:
    data = path.read_bytes()
    card = f"""# {MODEL}.npz: the writer's stance toward an actor

- **Model**: multinomial logistic regression (numpy arrays `mean`, `scale`, `coefficients`,
  `intercepts`) over {len(FEATURES)} features of the sentences naming the actor, quotations masked
  ({", ".join(FEATURES)}); labels {", ".join(LABELS)}. L2 {chosen[0]}, class-balanced {chosen[1]},
  neutral margin {chosen[2]} (added to the neutral intercept), chosen by the cross-validated
  macro-F1 below among the settings that keep BASIL accuracy at the always-neutral constant's.
- **Data**: {rows} (article, actor) rows: PerSenT dev (Bastan et al. 2020, CC BY 4.0; the author's
  sentiment toward the main entity) and BASIL dev's author_feelings (Fan et al. 2019). Features use
  VADER (MIT) and slant's sentence reader (see sentence_reader.card.md).
- **Rebuild** (slant's venv):

      .venv/bin/python evals/tools/train_stance_reader.py --persent persent-dev.jsonl \\
          --basil basil-dev.jsonl --out cli/slant/readers/models --seed {args.seed}

- **File**: {len(data):,} bytes, sha256 `{hashlib.sha256(data).hexdigest()}`
- **Cross-validated** ({FOLDS} folds, seed {args.seed}; BASIL folds by event): PerSenT dev accuracy
  {cv["persent"]["accuracy"]}, macro-F1 {cv["persent"]["macro_f1"]} (majority constant
  {constant["persent"]["accuracy"]} / {constant["persent"]["macro_f1"]}); BASIL dev author_feelings accuracy
  {cv["basil"]["accuracy"]}, macro-F1 {cv["basil"]["macro_f1"]} (always neutral {constant["basil"]["accuracy"]} /
  {constant["basil"]["macro_f1"]}).
"""
    (args.out / f"{MODEL}.card.md").write_text(card, encoding="utf-8")


if __name__ == "__main__":
    main()
