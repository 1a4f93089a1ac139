"""Is a sentence a neutral report? The cues, outside quotes, that it carries the writer's stance.

A neutral summary reports what happened and who said what. Source sentences often do more: the
writer judges, interprets or speculates in their own voice. slant looks for general classes of
stance markers known from work on subjectivity and bias in news (Recasens et al. 2013), not for
the words of particular articles:

- loaded wording: the sentence reader (slant.readers.loaded, fine-tuned on annotated news) reads
  the sentence outside its quotes as loaded (at its decision threshold; the sentence is the cue's
  span, and where the reader reads it as clearly loaded, the words that make it so); and, as rules on
  top, attribution verbs that judge ("claimed", "insisted") and rhetorical devices (addressing the
  reader, exclamations);
- in a sentence attributed to no one (no "X said", "according to"), the stance markers of
  framing/wordlists/stance_markers.tsv: speculation (the writer guesses: may, likely),
  interpretation (the writer's reading presented as fact: reflects, underscores) and
  intensification (increasingly, mounting); and the certainty boosters of certainty.txt
  (clearly, undoubtedly).

An attributed sentence reports a stance rather than taking one, so only the first group counts
there. `slant eval basil` and `slant eval sentences` measure how well this separates biased from
neutral sentences.
"""

from __future__ import annotations

import re
from pathlib import Path

from slant.framing.lexicon import CERTAINTY
from slant.framing.signals import find_terms
from slant.readers.loaded import is_loaded, loaded_words, sentence_bias
from slant.text.attribution import ATTRIBUTION
from slant.text.quotes import outside_quotes, quote_spans
from slant.text.spans import Span
from slant.text.wordlists import rows

LOADED_KINDS = ("loaded", "verb-loaded", "device")
RULED_KINDS = ("verb-loaded", "device")  # the rules kept on top of the reader
_MARKERS = {row[0]: row[1] for row in rows(Path(__file__).parent / "wordlists" / "stance_markers.tsv")}
_MARKERS.update(dict.fromkeys(CERTAINTY, "certainty"))
_PHRASES = re.compile(r"\b(?:" + "|".join(re.escape(m) for m in _MARKERS if " " in m) + r")\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")


def stance_cues(sentence: str) -> list[str]:
    """The writer's-stance cues of a sentence outside its quotes, as "class: words"."""
    cues = []
    probability = sentence_bias([sentence])[0]
    if is_loaded(probability):  # the sentence is the span; the words that make it so where found
        words = ", ".join(flag.word for flag in loaded_words(sentence))
        cues.append(f"loaded (P {probability:.2f})" + (f": {words}" if words else ""))
    return cues + ruled_cues(sentence)


def takes_stance(sentence: str) -> bool:
    """Whether a sentence has any stance cue (the same decision as `stance_cues`)."""
    return bool(stance_cues(sentence))


def ruled_cues(sentence: str) -> list[str]:
    """The rule-based stance cues outside quotes: judging attribution verbs, rhetorical devices and,
    in an unattributed sentence, the stance markers.
    """
    quotes = quote_spans(sentence)
    ruled = find_terms(sentence, quotes=quotes, read=False)
    cues = [f"loaded: {t.term}" for t in ruled if t.kind in RULED_KINDS and not t.in_quote]
    unquoted = outside_quotes(sentence, quotes)
    if ATTRIBUTION.search(unquoted):
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
    flagged = sum(1 for sentence in sentences if takes_stance(sentence))
    return round(1 - flagged / len(sentences), 3)
