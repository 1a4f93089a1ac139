"""Is a sentence biased, and is it a neutral report? The cues, outside quotes, of the writer's stance.

Two questions, two answers:

- **Biased wording** (`loaded_cue`, `is_biased`): the sentence reader (slant.readers.loaded,
  fine-tuned on annotated news) reads the sentence outside its quotes as loaded or one-sided, at
  its decision threshold; the sentence is the cue's span, with the words that make it so where
  the reader reads it as clearly loaded ("loaded (P 0.83): slammed, reckless"). This is slant's
  verdict on a sentence (compare's loaded sentences, `slant sources`, `slant eval sentences`).
- **Not a neutral report** (`stance_cues`): biased wording, and, as rules on top, what a neutral
  report does not say in its own voice, known from work on subjectivity in news (Recasens et al.
  2013): attribution verbs that judge ("claimed", "insisted"), rhetorical devices (addressing the
  reader, exclamations) and, in a sentence attributed to no one, the stance markers of
  framing/wordlists/stance_markers.tsv: speculation (may, likely), interpretation (reflects,
  underscores), intensification (increasingly, once again), verdicts (misleading) and the
  certainty boosters of certainty.txt (clearly). Summaries, omissions and the neutrality score
  use this stricter gate.

Measured, the rules do not tell biased sentences from neutral ones: with them, Anno-lexical dev
macro-F1 falls from 0.768 to 0.731 and BASIL dev's from 0.447 to 0.433 (annotators read a hedge
or "you" in service journalism as neutral), so they are not part of the verdict. In summaries
they cost NeuS val 0.5 ROUGE-1 (38.1 → 37.6) and keep out the writer's own judgements the reader
passes ("The good news is …", "… is probably the biggest open question of 2020"), so they stay
there (docs/analyses.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from slant.framing.lexicon import CERTAINTY
from slant.framing.signals import find_terms
from slant.readers.loaded import is_loaded, loaded_words, sentence_bias
from slant.text.attribution import attributed as is_attributed
from slant.text.quotes import outside_quotes, quote_spans
from slant.text.spans import Span
from slant.text.wordlists import rows

LOADED_KINDS = ("loaded", "verb-loaded", "device")
RULED_KINDS = ("verb-loaded", "device")  # the rules kept on top of the reader
_MARKERS = {row[0]: row[1] for row in rows(Path(__file__).parent / "wordlists" / "stance_markers.tsv")}
_MARKERS.update(dict.fromkeys(CERTAINTY, "certainty"))
_PHRASES = re.compile(r"\b(?:" + "|".join(re.escape(m) for m in _MARKERS if " " in m) + r")\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")


def loaded_cue(sentence: str) -> str | None:
    """The reader's cue for a sentence whose own wording it reads as loaded: "loaded (P x.xx)" and
    the words that make it so where it finds them; None for a sentence it reads as neutral.
    """
    probability = sentence_bias([sentence])[0]
    if not is_loaded(probability):
        return None
    words = ", ".join(flag.word for flag in loaded_words(sentence))
    return f"loaded (P {probability:.2f})" + (f": {words}" if words else "")


def is_biased(sentence: str) -> bool:
    """Whether the reader reads the sentence's own wording as loaded: slant's verdict (`loaded_cue`)."""
    return is_loaded(sentence_bias([sentence])[0])


def stance_cues(sentence: str) -> list[str]:
    """Why a sentence is not a neutral report, as "class: words": the reader's cue, then the rules'."""
    cue = loaded_cue(sentence)
    return ([cue] if cue else []) + ruled_cues(sentence)


def ruled_cues(sentence: str, attributed: bool | None = None) -> list[str]:
    """The rule-based stance cues outside quotes: judging attribution verbs, rhetorical devices and,
    in an unattributed sentence, the stance markers. Whether the sentence is attributed is
    `attributed` where the caller has read it (an article's reading), else text.attribution's check.
    """
    quotes = quote_spans(sentence)
    ruled = find_terms(sentence, quotes=quotes, read=False)
    cues = [f"loaded: {t.term}" for t in ruled if t.kind in RULED_KINDS and not t.in_quote]
    unquoted = outside_quotes(sentence, quotes)
    if is_attributed(sentence) if attributed is None else attributed:
        return cues
    cues += [f"{_MARKERS[m.group().lower()]}: {m.group()}" for m in _PHRASES.finditer(unquoted)]
    for position, word in enumerate(_WORD.findall(unquoted)):
        marker = _MARKERS.get(word.lower())
        # "May" inside a sentence is the month; as its first word it is the modal.
        if marker and (word.islower() or position == 0):
            cues.append(f"{marker}: {word}")
    return cues


def loaded_outside_quotes(text: str, quotes: list[Span] | None = None) -> list[str]:
    """Loaded words, attribution verbs that judge and rhetorical devices of a text that are not quoted."""
    return [t.term for t in find_terms(text, quotes=quotes) if t.kind in LOADED_KINDS and not t.in_quote]


def emotive_outside_quotes(text: str) -> list[str]:
    """Emotive words (VADER |valence| >= 2: "horror", "panic") of a text that are not quoted. Not a
    stance cue (on annotated news they are rarely bias), but a neutral summary does without them.
    """
    return [t.term for t in find_terms(text, read=False) if t.kind == "emotive" and not t.in_quote]


def neutrality(sentences: list[str]) -> float:
    """1 minus the share of sentences with a writer's-stance cue outside quotes."""
    if not sentences:
        return 1.0
    flagged = sum(1 for sentence in sentences if stance_cues(sentence))
    return round(1 - flagged / len(sentences), 3)
