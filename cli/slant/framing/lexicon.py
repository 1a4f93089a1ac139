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

from slant.config.errors import InputError
from slant.text.wordlists import rows, words

_WORDLISTS = Path(__file__).parent / "wordlists"
LOADED_WORDS: dict[str, float] = {}


def use_loaded_words(path: Path) -> None:
    """Score loaded language with the table at `path` (word<TAB>score lines) instead of slant's own:
    for evaluators who derive a table from their own data (evals/tools/derive_loaded_words.py).
    """
    try:
        table = {row[0]: float(row[1]) for row in rows(path)}
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})", "give a word<TAB>score file") from error
    except (IndexError, ValueError) as error:
        raise InputError(f"{path}: not a word<TAB>score table ({error})", "one word and its score a line") from error
    LOADED_WORDS.clear()
    LOADED_WORDS.update(table)


use_loaded_words(_WORDLISTS / "loaded_words.tsv")
HEDGES = words(_WORDLISTS / "hedges.txt")
CERTAINTY = words(_WORDLISTS / "certainty.txt")
FRAMES: dict[str, frozenset[str]] = {}
for _word, _frame in rows(_WORDLISTS / "frames.tsv"):
    FRAMES[_frame] = FRAMES.get(_frame, frozenset()) | {_word}
OTHER_FRAME = "Other"


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
