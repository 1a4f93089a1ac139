"""The one list of attribution verbs ("said", "claimed" ...) and the check that a sentence reports
someone's words ("X said", "according to X"). The verbs live in wordlists/attribution_verbs.txt.
"""

from __future__ import annotations

import re

from slant.text.quotes import outside_quotes, quote_spans
from slant.text.wordlists import TEXT_WORDLISTS, rows

_VERB_ROWS = rows(TEXT_WORDLISTS / "attribution_verbs.txt")
NEUTRAL_VERBS = frozenset(row[0] for row in _VERB_ROWS if row[1] == "neutral")
EVALUATIVE_VERBS = frozenset(row[0] for row in _VERB_ROWS if row[1] == "evaluative")
SPEECH_VERBS = NEUTRAL_VERBS | EVALUATIVE_VERBS
VIEW_VERBS = frozenset(row[0] for row in _VERB_ROWS if row[1] == "view")  # lemmas; the reading's parse only
UNAMBIGUOUS_VERBS = frozenset(
    row[0] for row in _VERB_ROWS if row[0] in SPEECH_VERBS and row[2:] != ("noun",)
)  # never a noun
VERB_PATTERN = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))  # longest first, for regex alternation
ATTRIBUTION = re.compile(rf"\b(?:{VERB_PATTERN}|according to)\b(?! by\b)", re.IGNORECASE)  # not "reported by X"


def attributed(sentence: str) -> bool:
    """Whether the sentence reports someone's words ("X said", "according to X")."""
    return bool(ATTRIBUTION.search(outside_quotes(sentence, quote_spans(sentence))))
