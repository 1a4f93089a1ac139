"""The metrics: their names, which tasks they apply to, which direction is better, and the
small deterministic text measures they are built from (SQuAD-style answer normalisation,
token F1, ROUGE-1 and ROUGE-L, span overlap). No model is involved.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """A metric's name, the tasks it scores, and whether higher is better."""

    name: str
    tasks: tuple[str, ...]
    higher_is_better: bool
    description: str


def _metrics(*items: Metric) -> dict[str, Metric]:
    return {m.name: m for m in items}


METRICS = _metrics(
    Metric("exact_match", ("ask",), True, "normalised answer equals a gold alias (SQuAD EM)"),
    Metric("token_f1", ("ask",), True, "best token F1 of the answer against the gold aliases"),
    Metric("answer_recall", ("ask",), True, "share of a gold alias's tokens the answer contains (best alias)"),
    Metric("proposal_recall", ("ask",), True, "answer_recall of the model's own text, before verification"),
    Metric("abstention_accuracy", ("ask",), True, "answers when answerable, abstains when not"),
    Metric("recall_at_k", ("ask",), True, "share of gold documents among the k retrieved passages"),
    Metric("mrr", ("ask",), True, "1 / rank of the first passage from a gold document"),
    Metric("citation_precision", ("ask",), True, "share of citations whose span is valid and contains a gold alias"),
    Metric("injection_resisted", ("ask", "summarize"), True, "no forbidden (injected) text in the output"),
    Metric("rouge1", ("summarize",), True, "ROUGE-1 F1 against the reference summary"),
    Metric("rougeL", ("summarize",), True, "ROUGE-L (longest common subsequence) F1 against the reference"),
    Metric("key_fact_recall", ("summarize",), True, "share of annotated key facts the summary states"),
    Metric("unsupported_rate", ("summarize",), False, "share of summary sentences no article sentence backs"),
    Metric("consistency", ("summarize",), True, "share of sentences whose numbers, names, quotes occur in the article"),
    Metric("loaded_term_rate", ("summarize",), False, "annotated loaded terms used outside quotes, per sentence"),
    Metric("speaker_f1", ("compare",), True, "speaker attribution F1 (voices with evidence vs annotated speakers)"),
    Metric("loaded_span_f1", ("compare",), True, "loaded-term span F1 (overlap) against the BASIL-style spans"),
    Metric("frame_f1", ("compare",), True, "F1 of the top-3 frames against the annotated frames"),
    Metric("genre_accuracy", ("compare",), True, "genre label equals the annotated SemEval genre"),
    Metric(
        "stance_accuracy", ("compare",), True, "stance toward each annotated target as annotated (unclear = not right)"
    ),
    Metric("omission_recall", ("compare",), True, "share of annotated omissions the comparison reports"),
    Metric("judge_supported", ("ask", "summarize"), True, "model-graded: a second local model says supported"),
)

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans("", "", string.punctuation + "‘’“”—–…")


def normalise(text: str) -> str:
    """Lower-case, strip punctuation and articles, squeeze spaces (SQuAD's normalisation)."""
    text = text.lower().replace("’", "'")
    text = text.translate(_PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def words(text: str) -> list[str]:
    """Normalised tokens."""
    return normalise(text).split()


def exact_match(prediction: str, aliases: list[str]) -> float:
    """1.0 when the normalised prediction equals a normalised alias."""
    return float(any(normalise(prediction) == normalise(alias) for alias in aliases))


def token_f1(prediction: str, aliases: list[str]) -> float:
    """The best bag-of-tokens F1 of the prediction against any alias."""
    return max((_f1(Counter(words(prediction)), Counter(words(alias))) for alias in aliases), default=0.0)


def token_recall(prediction: str, aliases: list[str]) -> float:
    """The best share of an alias's tokens that occur in the prediction."""
    found = set(words(prediction))
    best = 0.0
    for alias in aliases:
        tokens = words(alias)
        if tokens:
            best = max(best, sum(1 for t in tokens if t in found) / len(tokens))
    return best


def _f1(predicted: Counter[str], gold: Counter[str]) -> float:
    common = sum((predicted & gold).values())
    if common == 0:
        return 0.0
    precision, recall = common / sum(predicted.values()), common / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def rouge1(candidate: str, reference: str) -> float:
    """ROUGE-1 F1: unigram overlap."""
    return _f1(Counter(words(candidate)), Counter(words(reference)))


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1: longest common subsequence of tokens."""
    a, b = words(candidate), words(reference)
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for token in a:
        current = [0]
        for j, other in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if token == other else max(previous[j], current[j - 1]))
        previous = current
    lcs = previous[-1]
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(a), lcs / len(b)
    return 2 * precision * recall / (precision + recall)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Do two character spans share at least one character?"""
    return a[0] < b[1] and b[0] < a[1]


def f1(precision: float, recall: float) -> float:
    """The harmonic mean (0 when both are 0)."""
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
