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


# A word that is also a noun is one after a determiner or a preposition: "out of state", "the reports".
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|this|that|these|those|its|his|her|their|our|of|in|on|at|to|from)\s+$", re.I)


def attributed(sentence: str) -> bool:
    """Whether the sentence reports someone's words ("X said", "according to X"); a verb of the
    list that is also a noun ("state", "reports") counts only where no determiner or preposition
    makes it one ("out of state").
    """
    outside = outside_quotes(sentence, quote_spans(sentence))
    verbs = ATTRIBUTION.finditer(outside)
    return any(not _NOUN_BEFORE.search(outside[: v.start()]) or v.group().lower() in UNAMBIGUOUS_VERBS for v in verbs)
