"""The sentence reader: how likely a sentence's own wording (outside its quotations) is loaded or
one-sided, and the words that make it so.

The model (models/sentence_reader.onnx, see its card) is MiniLM fine-tuned on Anno-lexical; its
logit is calibrated on Anno-lexical dev, and the decision threshold chosen there lives in
models/sentence_reader.json, nowhere else. A word is evidence when deleting it lowers the
sentence's probability most: the reader itself says which words it read as loaded. In a sentence
with several loaded words each one alone moves the probability little (the others keep it high),
so words are ranked against the strongest: each within RELATIVE_DROP of it counts. Words are cited
only in sentences read as clearly loaded (WORD_EVIDENCE, above the decision threshold), chosen with
MAX_WORDS on BASIL dev's lexical-bias phrases (evals/tools/tune_loaded_words.py). These words show
why a sentence reads as loaded (the neutrality check); compare's loaded terms come from the word
table (framing/signals.loaded_terms), which finds the experts' words better.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import NamedTuple

from slant.readers.sessions import encoder_reader, settings
from slant.readers.wording import writer_wording
from slant.text.quotes import in_quote, quote_spans
from slant.text.sentences import starts_sentence
from slant.text.tokens import is_stopword

MODEL = "sentence_reader"
LOADED_THRESHOLD: float = float(settings(MODEL)["threshold"])
# Word evidence, chosen on BASIL dev's lexical-bias phrases (evals/tools/tune_loaded_words.py).
WORD_EVIDENCE = 0.7  # words are looked for in sentences at least this likely loaded (P)
RELATIVE_DROP = 0.5  # a word counts when deleting it lowers P(loaded) by this share of the strongest drop
MAX_WORDS = 2  # the strongest words of one sentence
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*[A-Za-z]")
_CACHE_LIMIT = 100_000
_remembered: dict[str, float] = {}


class WordFlag(NamedTuple):
    """A word of the writer's own wording that the reader reads as loaded: character offsets into the
    sentence, and how much P(loaded) drops without it.
    """

    start: int
    end: int
    word: str
    drop: float


def sentence_bias(sentences: Sequence[str]) -> list[float]:
    """Calibrated P(loaded) of each sentence's own wording (its quotations masked)."""
    return _probabilities([writer_wording(sentence) for sentence in sentences])


def is_loaded(probability: float) -> bool:
    """Whether a sentence probability is above the reader's decision threshold."""
    return probability >= LOADED_THRESHOLD


def loaded_words(sentence: str) -> list[WordFlag]:
    """The words outside quotations that make a loaded sentence loaded (none below WORD_EVIDENCE)."""
    return loaded_words_of([sentence])[0]


def loaded_words_of(sentences: Sequence[str]) -> list[list[WordFlag]]:
    """loaded_words for many sentences, read in one batch."""
    probabilities = sentence_bias(sentences)
    candidates = {
        index: _candidates(sentence)
        for index, (sentence, probability) in enumerate(zip(sentences, probabilities, strict=True))
        if probability >= WORD_EVIDENCE
    }
    variants = [
        writer_wording(_without(sentences[index], start, end))
        for index, words in candidates.items()
        for start, end in words
    ]
    without = iter(_probabilities(variants))
    flags: list[list[WordFlag]] = [[] for _ in sentences]
    for index, words in candidates.items():
        sentence = sentences[index]
        scored = [WordFlag(s, e, sentence[s:e], round(probabilities[index] - next(without), 3)) for s, e in words]
        ranked = sorted(scored, key=lambda f: -f.drop)
        top = ranked[0].drop if ranked else 0.0
        flags[index] = sorted(f for f in ranked[:MAX_WORDS] if f.drop > 0 and f.drop >= RELATIVE_DROP * top)
    return flags


def _candidates(sentence: str) -> list[tuple[int, int]]:
    """Content words of the writer's wording: not quoted, not a stopword, not a name."""
    quotes = quote_spans(sentence)
    found = []
    for match in _WORD.finditer(sentence):
        word = match.group()
        named = word[0].isupper() and not starts_sentence(sentence, match.start())
        if named or is_stopword(word.lower()) or in_quote(match.start(), quotes):
            continue
        found.append((match.start(), match.end()))
    return found


def _without(sentence: str, start: int, end: int) -> str:
    return (sentence[:start].rstrip() + " " + sentence[end:].lstrip()).strip()


def _probabilities(texts: list[str]) -> list[float]:
    missing = list(dict.fromkeys(text for text in texts if text not in _remembered))
    if missing:
        if len(_remembered) > _CACHE_LIMIT:
            _remembered.clear()
        config = settings(MODEL)
        scale, shift = float(config["platt_scale"]), float(config["platt_shift"])
        logits = encoder_reader(MODEL).logits(missing)
        for text, logit in zip(missing, logits, strict=True):
            _remembered[text] = round(1 / (1 + math.exp(-(scale * float(logit) + shift))), 4)
    return [_remembered[text] for text in texts]
