"""Does a sentence report someone's words? ("X said", "according to X")."""

from __future__ import annotations

import re

from slant.text.quotes import outside_quotes, quote_spans

ATTRIBUTION = re.compile(
    r"\b(said|says|say|told|tells|stated|states|added|according to|called|calls|warned|warns|argued|argues|"
    r"wrote|writes|announced|reported|asked|replied|noted|quoted|cited)\b(?! by\b)",  # not "reported by X"
    re.IGNORECASE,
)


def attributed(sentence: str) -> bool:
    """Whether the sentence reports someone's words ("X said", "according to X")."""
    return bool(ATTRIBUTION.search(outside_quotes(sentence, quote_spans(sentence))))
