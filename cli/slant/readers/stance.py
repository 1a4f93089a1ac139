"""The stance reader: the writer's stance toward an actor (critical / neutral / favourable), with
its probability, from the sentences of an article that name the actor.

Features of the writer's own wording (quotations masked) in those sentences: VADER sentiment (MIT)
and the sentence reader's P(loaded), alone and combined; the article's overall tone as context.
A multinomial logistic regression over them (models/stance_reader.npz, see its card) was fitted on
PerSenT dev and BASIL dev's author feelings and measured by cross-validation there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from slant.readers.loaded import sentence_bias
from slant.readers.sessions import MODELS
from slant.readers.wording import writer_wording

if TYPE_CHECKING:
    import numpy as np

MODEL = "stance_reader"
LABELS = ("critical", "neutral", "favourable")
FEATURES = (
    "tone_mean",
    "tone_min",
    "tone_max",
    "negative_share",
    "positive_share",
    "loaded_mean",
    "loaded_max",
    "loaded_tone",
    "loaded_negative_share",
    "sentences_log",
    "context_tone",
)
CLEAR_TONE = 0.3  # VADER compound beyond which a sentence counts as negative or positive


class StanceReading(NamedTuple):
    """The stance read, its probability, and the probability of each label."""

    stance: str
    probability: float
    probabilities: dict[str, float]


def read_stance(about: Sequence[str], context: Sequence[str] = ()) -> StanceReading:
    """The writer's stance toward an actor from the sentences naming it (`about`); `context`: the
    article's other sentences.
    """
    import numpy as np

    weights = _weights()
    row = (np.array(stance_features(about, context)) - weights["mean"]) / weights["scale"]
    scores = weights["coefficients"] @ row + weights["intercepts"]
    exp = np.exp(scores - scores.max())
    probabilities = exp / exp.sum()
    best = int(np.argmax(probabilities))
    return StanceReading(
        LABELS[best],
        round(float(probabilities[best]), 3),
        {label: round(float(p), 3) for label, p in zip(LABELS, probabilities, strict=True)},
    )


def stance_features(about: Sequence[str], context: Sequence[str] = ()) -> list[float]:
    """The reader's features (FEATURES, in order) of the sentences naming an actor."""
    if not about:
        return [0.0] * len(FEATURES)
    tones = [_tone(sentence) for sentence in about]
    loaded = sentence_bias(about)
    context_tones = [_tone(sentence) for sentence in context] or [0.0]
    count = len(about)
    return [
        sum(tones) / count,
        min(tones),
        max(tones),
        sum(1 for t in tones if t <= -CLEAR_TONE) / count,
        sum(1 for t in tones if t >= CLEAR_TONE) / count,
        sum(loaded) / count,
        max(loaded),
        sum(p * t for p, t in zip(loaded, tones, strict=True)) / count,
        sum(p for p, t in zip(loaded, tones, strict=True) if t <= -CLEAR_TONE) / count,
        math.log1p(count),
        sum(context_tones) / len(context_tones),
    ]


def sentence_tones(sentences: Sequence[str]) -> list[float]:
    """VADER compound sentiment (-1 to 1) of each sentence's own wording (quotations masked)."""
    return [_tone(sentence) for sentence in sentences]


def _tone(sentence: str) -> float:
    return float(_analyzer().polarity_scores(writer_wording(sentence))["compound"])


@cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def _weights() -> dict[str, np.ndarray]:
    import numpy as np

    with np.load(MODELS / f"{MODEL}.npz") as stored:
        return {name: stored[name] for name in stored.files}
