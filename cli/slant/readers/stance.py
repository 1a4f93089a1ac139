"""The stance reader: the writer's stance toward an actor (critical / neutral / favourable), with its
probability, from the passages of an article about the actor.

The model (models/stance_reader.onnx, see its card) is MiniLM fine-tuned on PerSenT's paragraphs,
each labelled with the author's sentiment toward the article's main entity; it reads a passage as
"<actor> [SEP] <passage>". An article's stance is the mean of its passages' probabilities plus the
per-label offsets in models/stance_reader.json, chosen on held-out PerSenT and BASIL dev. It reads
the writer's own wording: quotations are masked as for the sentence reader (slant.readers.wording),
so a speaker's own boast is not the writer's praise, though it trained on whole paragraphs (its
card says why).

A passage runs from the first sentence naming the actor in a paragraph to the paragraph's end (the
model truncates it at its token limit); in a paragraph longer than PASSAGE_CHARS, a later sentence
naming the actor starts a passage of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple

from slant.readers.sessions import encoder_reader, settings
from slant.readers.wording import writer_wording, writer_wording_within
from slant.text.quotes import quote_spans

MODEL = "stance_reader"
LABELS = ("critical", "neutral", "favourable")
PASSAGE_CHARS = 600  # about the model's 128 tokens


class StanceReading(NamedTuple):
    """The stance read, its probability, and the probability of each label."""

    stance: str
    probability: float
    probabilities: dict[str, float]


def read_stance(actor: str, passages: Sequence[str]) -> StanceReading:
    """The writer's stance toward `actor` from the article's passages about it (stance_passages)."""
    return read_stances([(actor, passages)])[0]


def read_stances(requests: Sequence[tuple[str, Sequence[str]]]) -> list[StanceReading]:
    """read_stance for each (actor, passages), all read in one run of the model."""
    import numpy as np

    texts = [f"{actor} [SEP] {passage}" for actor, passages in requests for passage in passages]
    if texts:
        logits = encoder_reader(MODEL).logits(texts)
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        probabilities = exp / exp.sum(axis=1, keepdims=True)
    offsets = np.array(settings(MODEL)["offsets"])
    readings, at = [], 0
    for _, passages in requests:
        if not passages:
            readings.append(StanceReading("neutral", 1.0, dict.fromkeys(LABELS, 0.0) | {"neutral": 1.0}))
            continue
        mean = probabilities[at : at + len(passages)].mean(axis=0)
        at += len(passages)
        best = int(np.argmax(mean + offsets))
        by_label = {label: round(float(p), 3) for label, p in zip(LABELS, mean, strict=True)}
        readings.append(StanceReading(LABELS[best], by_label[LABELS[best]], by_label))
    return readings


def stance_passages(text: str, naming: Sequence[tuple[int, int]]) -> list[str]:
    """The passages of `text` about an actor, given the (start, end) of the sentences naming it, in
    the writer's own wording (the text's quotations masked).
    """
    quotes = quote_spans(text)
    starts: list[int] = []
    paragraph_of: list[tuple[int, int]] = []
    for start, _ in sorted(naming):
        first = text.rfind("\n", 0, start) + 1
        last = text.find("\n", start)
        paragraph = (first, len(text) if last < 0 else last)
        if paragraph_of and paragraph_of[-1] == paragraph and start - starts[-1] < PASSAGE_CHARS:
            continue
        starts.append(start)
        paragraph_of.append(paragraph)
    return [
        writer_wording_within(text, start, end, quotes).strip()
        for start, (_, end) in zip(starts, paragraph_of, strict=True)
    ]


def sentence_tones(sentences: Sequence[str]) -> list[float]:
    """VADER compound sentiment (-1 to 1) of each sentence's own wording (quotations masked)."""
    return [float(_analyzer().polarity_scores(writer_wording(sentence))["compound"]) for sentence in sentences]


@cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()
