"""Derive slant's loaded-word table from annotated news (writes cli/slant/framing/wordlists/loaded_words.tsv).

Usage:
    python evals/tools/derive_loaded_words.py --basil ../shared/data/basil-dev.jsonl \
        --neus ../shared/data/neus-train.jsonl [--out FILE] [--folds 5] [--hold-out FILE]

With --hold-out FILE, the table is learned from half of the events only and the articles of the
other half are written to FILE, so that `slant eval basil FILE --loaded-words TABLE` measures the
detector on events it never saw.

How: every lower-case word outside quotes in the BASIL file is a training example, positive when
it lies inside a phrase the experts marked as lexical bias (word choice) outside a quote. Each
word is represented by its all-MiniLM-L6-v2 embedding (slant's embedder, no context), and a
logistic regression learns which region of that space is loaded language. The learned direction
is then applied to a broad English vocabulary (the words of the NeuS training articles that are
written lower-case, plus VADER's lexicon), so words the annotators never saw ("excoriated",
"bumbling") are scored too. Words above the threshold go into the table with their score.

The threshold is the score of the top 1% of training words. Cross-validation by event (articles
of one event never split across folds) prints what to expect on unseen news before the table is
written. Nothing here names a topic; the table is regenerated, not edited by hand.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np

from slant.config.settings import Settings
from slant.framing.lexicon import vader_valences
from slant.llm.loaded import embedder_for
from slant.text.quotes import in_quote, quote_spans
from slant.text.tokens import is_stopword

_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
TOP_SHARE = 0.01  # the top 1% of training words set the threshold
L2 = 1e-2
POSITIVE_WEIGHT = 0.25  # of the class-balancing weight: favour precision
OUT = Path(__file__).resolve().parents[2] / "cli/slant/framing/wordlists/loaded_words.tsv"


def held_out_events(basil: Path) -> set[str]:
    """Every second event, in sorted order of event id."""
    events = sorted({json.loads(line)["event"] for line in basil.read_text(encoding="utf-8").splitlines()})
    return set(events[1::2])


def training_words(basil: Path, skip: set[str]) -> tuple[list[str], np.ndarray, list[str]]:
    """(word, label, event) for every lower-case word outside quotes of every article not in `skip`."""
    words: list[str] = []
    labels: list[int] = []
    events: list[str] = []
    for line in basil.read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        if article["event"] in skip:
            continue
        text = article["text"]
        gold = []
        for phrase in article["phrases"]:
            if phrase["bias"] == "lex" and phrase["quote"] == "no":
                found = text.find(phrase["txt"].strip('“”"'))
                if found >= 0:
                    gold.append((found, found + len(phrase["txt"].strip('“”"'))))
        quotes = quote_spans(text)
        for match in _WORD.finditer(text):
            start, end = match.span()
            word = match.group().replace("’", "'")
            if not word[0].islower() or is_stopword(word) or in_quote(start, quotes):
                continue
            words.append(word)
            labels.append(int(any(start < g_end and g_start < end for g_start, g_end in gold)))
            events.append(article["event"])
    return words, np.array(labels), events


def vocabulary(neus: Path) -> list[str]:
    """Words written lower-case at least 9 times in 10 in the NeuS articles (not names), plus VADER's."""
    lower: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for line in neus.read_text(encoding="utf-8").splitlines():
        for article in json.loads(line)["articles"]:
            for word in _WORD.findall(article["text"].replace("’", "'")):
                seen[word.lower()] += 1
                lower[word] += word[0].islower()
    words = {w for w, n in seen.items() if n >= 2 and lower[w] >= 0.9 * n}
    words |= {w for w in vader_valences() if w.isalpha()}
    return sorted(w for w in words if len(w) > 2 and not is_stopword(w))


def fit(x: np.ndarray, y: np.ndarray, steps: int = 300) -> tuple[np.ndarray, float]:
    """Weighted, L2-regularised logistic regression by Adam (numpy only)."""
    weight = np.where(y == 1, POSITIVE_WEIGHT * (len(y) - y.sum()) / max(y.sum(), 1), 1.0)
    w, b = np.zeros(x.shape[1]), 0.0
    m, v, mb, vb = np.zeros_like(w), np.zeros_like(w), 0.0, 0.0
    for step in range(1, steps + 1):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = weight * (p - y)
        gw, gb = x.T @ g / len(y) + L2 * w, g.mean()
        m, v = 0.9 * m + 0.1 * gw, 0.999 * v + 0.001 * gw**2
        mb, vb = 0.9 * mb + 0.1 * gb, 0.999 * vb + 0.001 * gb**2
        w -= 0.05 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        b -= 0.05 * (mb / (1 - 0.9**step)) / (np.sqrt(vb / (1 - 0.999**step)) + 1e-8)
    return w, float(b)


def scorer(x: np.ndarray, y: np.ndarray) -> tuple[object, float]:
    """Train on (x, y); return a scoring function and the top-share threshold."""
    mean, scale = x.mean(0), x.std(0) + 1e-6
    w, b = fit((x - mean) / scale, y)

    def score(z: np.ndarray) -> np.ndarray:
        result: np.ndarray = ((z - mean) / scale) @ w + b
        return result

    return score, float(np.quantile(score(x), 1 - TOP_SHARE))


def cross_validate(x: np.ndarray, y: np.ndarray, events: list[str], folds: int) -> str:
    """Token precision, recall and F1 with whole events held out."""
    order = sorted(set(events))
    np.random.default_rng(0).shuffle(order)
    flagged = np.zeros(len(y), dtype=bool)
    for fold in range(folds):
        held = set(order[fold::folds])
        test = np.array([e in held for e in events])
        score, threshold = scorer(x[~test], y[~test])
        flagged[test] = score(x[test]) > threshold  # type: ignore[operator]
    hits = int((flagged & (y == 1)).sum())
    precision, recall = hits / max(flagged.sum(), 1), hits / max(y.sum(), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    measured = f"precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f}"
    return f"{folds}-fold by event: {measured} ({y.sum()} loaded words)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--basil", type=Path, required=True)
    parser.add_argument("--neus", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--hold-out", type=Path, help="learn from half the events; write the rest here")
    args = parser.parse_args()
    embedder = embedder_for(Settings.load())
    skip = held_out_events(args.basil) if args.hold_out else set()
    if args.hold_out:
        lines = args.basil.read_text(encoding="utf-8").splitlines()
        args.hold_out.write_text("".join(f"{x}\n" for x in lines if json.loads(x)["event"] in skip), encoding="utf-8")
    words, labels, events = training_words(args.basil, skip)
    distinct = sorted(set(words))
    vectors = dict(zip(distinct, embedder.embed([w.lower() for w in distinct]), strict=True))
    x = np.stack([vectors[w] for w in words])
    print(cross_validate(x, labels, events, args.folds))
    score, threshold = scorer(x, labels)
    vocab = sorted(set(vocabulary(args.neus)) | {w.lower() for w in distinct})
    scores = score(embedder.embed(vocab))  # type: ignore[operator]
    kept = sorted(((s, w) for w, s in zip(vocab, scores, strict=True) if s > threshold), reverse=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# slant's loaded-word table: word<TAB>score (higher: more loaded). Generated, do not edit:\n"
        "#   python evals/tools/derive_loaded_words.py --basil basil-dev.jsonl --neus neus-train.jsonl\n"
        "# Source: a logistic regression over all-MiniLM-L6-v2 word embeddings (Apache-2.0), trained on\n"
        "#   the lexical-bias labels of BASIL's dev split (Fan et al. 2019), applied to the lower-case\n"
        "#   vocabulary of NeuS train (Lee et al. 2022) and VADER (MIT). No article text is included.\n"
        f"# Licence: MIT, as slant. {len(kept)} of {len(vocab)} words scored above {threshold:.3f}.\n"
    )
    body = "".join(f"{w}\t{s:.3f}\n" for s, w in kept)
    args.out.write_text(header + body, encoding="utf-8")
    print(f"wrote {len(kept)} words to {args.out}")


if __name__ == "__main__":
    main()
