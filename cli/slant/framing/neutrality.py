"""Is a sentence a neutral report? The cues, outside quotes, that it carries the writer's stance.

A neutral summary reports what happened and who said what. Source sentences often do more: the
writer judges, interprets or speculates in their own voice. slant looks for general classes of
stance markers known from work on subjectivity and bias in news (hedges, factive and assertive
verbs, intensifiers; e.g. Recasens et al. 2013), not for the words of particular articles:

- loaded terms, loaded verbs of saying and rhetorical devices (slant's lexicon);
- in a sentence attributed to no one (no "X said", "according to"):
  - speculation: modal hedges such as may, could, likely (the writer guesses);
  - interpretation: verbs that present the writer's reading as fact (reflects, underscores,
    signals; not "suggested", which mostly reports what someone said);
  - intensification: degree and trend words (once again, increasingly, deepening, mounting).

An attributed sentence reports a stance rather than taking one, so only the lexicon counts there.
The lists are short on purpose: a cue lowers a sentence's standing, and what they miss (a
metaphor, an adjective of judgement the lexicon lacks) still gets through; the eval's annotated
loaded terms measure how much.
"""

from __future__ import annotations

import re

from slant.framing.signals import find_terms
from slant.text.attribution import ATTRIBUTION
from slant.text.quotes import outside_quotes, quote_spans
from slant.text.sentences import Span

LOADED_KINDS = ("loaded", "verb-loaded", "device")
_SPECULATION = frozenset(
    ["may", "might", "could", "likely", "perhaps", "possibly", "potentially", "probably", "seems", "seem"]
)
_INTERPRETATION = re.compile(
    r"\b(reflect|underscore|highlight|signal|reveal|demonstrate|illustrate|imply|expose|betray|"
    r"epitomize|epitomise|symbolize|symbolise)(s|d|ed|es|ing)?\b|\b(implies|implied|implying|underscoring)\b",
    re.IGNORECASE,
)
_INTENSIFIERS = re.compile(
    r"\b(once again|yet again|ever more|more and more|every day|increasingly|growing|deepening|mounting|"
    r"widening|worsening|escalating|intensifying|heightened|soaring|spiralling|spiraling|unprecedented|"
    r"sharpening|dramatically|drastically|sharply)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")


def stance_cues(sentence: str) -> list[str]:
    """The writer's-stance cues of a sentence outside its quotes, as "class: words"."""
    quotes = quote_spans(sentence)
    cues = [f"loaded: {term}" for term in loaded_outside_quotes(sentence, quotes)]
    unquoted = outside_quotes(sentence, quotes)
    if ATTRIBUTION.search(unquoted):
        return cues
    words = _WORD.findall(unquoted)
    # "May" inside a sentence is the month; as its first word it is the modal.
    speculation = [w for i, w in enumerate(words) if w.lower() in _SPECULATION and (w.islower() or i == 0)]
    cues += [f"speculation: {w}" for w in speculation]
    cues += [f"interpretation: {m.group()}" for m in _INTERPRETATION.finditer(unquoted)]
    cues += [f"intensifier: {m.group()}" for m in _INTENSIFIERS.finditer(unquoted)]
    return cues


def loaded_outside_quotes(text: str, quotes: list[Span] | None = None) -> list[str]:
    """Loaded terms, loaded verbs of saying and rhetorical devices of a text that are not quoted."""
    return [t.term for t in find_terms(text, quotes=quotes) if t.kind in LOADED_KINDS and not t.in_quote]


def neutrality(sentences: list[str]) -> float:
    """1 minus the share of sentences with a writer's-stance cue outside quotes."""
    if not sentences:
        return 1.0
    flagged = sum(1 for sentence in sentences if stance_cues(sentence))
    return round(1 - flagged / len(sentences), 3)
