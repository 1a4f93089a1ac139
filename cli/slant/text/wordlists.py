"""Word lists shipped as data files (each file states its source and licence on its first lines)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

TEXT_WORDLISTS = Path(__file__).parent / "wordlists"


@cache
def rows(path: Path) -> tuple[tuple[str, ...], ...]:
    """The rows of a word list: tab-separated fields, comment lines (#) and blank lines skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(tuple(line.split("\t")) for line in lines if line.strip() and not line.startswith("#"))


def words(path: Path) -> frozenset[str]:
    """The first field of every row of a word list."""
    return frozenset(row[0] for row in rows(path))


# Negators, hedges, degree and truth words that carry what a sentence claims ("former", "alleged",
# "only", "nearly"): a summary never cuts one, and a written sentence may not add one.
MEANING_MODIFIERS = words(TEXT_WORDLISTS / "meaning_modifiers.txt")
