"""slant's framing word lists, read from the data files in framing/wordlists/ (each states its
source and licence), plus VADER's MIT-licensed lexicon. Entries are lower-case single words.

- loaded_words.tsv: words whose choice carries a judgement, with a score; generated from
  annotated news by evals/tools/derive_loaded_words.py, never edited by hand;
- hedges.txt, certainty.txt: markers of uncertainty and of asserted certainty;
- frames.tsv: cue words of the Media Frames Corpus dimensions.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from slant.text.wordlists import rows, words

_WORDLISTS = Path(__file__).parent / "wordlists"
LOADED_WORDS = {row[0]: float(row[1]) for row in rows(_WORDLISTS / "loaded_words.tsv")}
HEDGES = words(_WORDLISTS / "hedges.txt")
CERTAINTY = words(_WORDLISTS / "certainty.txt")
FRAMES: dict[str, frozenset[str]] = {}
for _word, _frame in rows(_WORDLISTS / "frames.tsv"):
    FRAMES[_frame] = FRAMES.get(_frame, frozenset()) | {_word}
OTHER_FRAME = "Other"

# The sides of the seed stories, recognised in a speaker's name, role or affiliation as the
# article states it (institutions, adjectives, and office holders the team lists by name).
ACTOR_SIDES = {
    "Russia": r"\b(Russian?|Moscow|Kremlin|Duma|TASS|Gerasimov|Putin|Lavrov|Zakharova|Peskov|Slutsky)\b",
    "NATO/West": r"\b(NATO|Western|West|American|European|EU|Brussels|British|alliance|Rutte|Dragone)\b|\bU\.S\.",
}


@cache
def vader_valences() -> dict[str, float]:
    """VADER's lexicon (MIT): word -> mean valence from -4 to 4; empty without the package."""
    import importlib.util

    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "vader_lexicon.txt"
    valences = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split("\t")
        try:
            valences[parts[0].lower()] = float(parts[1])
        except (IndexError, ValueError):
            continue
    return valences


@cache
def vader_emotive(threshold: float = 2.0) -> frozenset[str]:
    """Words VADER rates at least `threshold` in absolute valence (strongly emotive)."""
    return frozenset(w for w, v in vader_valences().items() if w.isalpha() and abs(v) >= threshold)
