"""The one definition of a number in text: digits with their separators ("1,200", "3.5", "4:20" are
one number each) and a percent sign if one follows.
"""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d[\d,.:]*%?")


def as_written(match: re.Match[str]) -> str:
    """A number as the text writes it, without the punctuation after it ("2019." is "2019")."""
    return match.group().rstrip(".,:")


def number_values(text: str) -> list[str]:
    """The numbers of `text` as digits alone, so that "5%" and "5 percent", "1,000" and "1000"
    agree.
    """
    return [match.group().rstrip(".,:%").replace(",", "") for match in NUMBER.finditer(text)]


_SPELLED = (  # noqa: SIM905 (a list of twenty words reads better as one string)
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen twenty"
).split()
SPELLED_NUMBERS = {word: str(value) for value, word in enumerate(_SPELLED, start=1)}  # "six" is "6"


def figures(text: str) -> set[str]:
    """The numbers of `text` of two digits or more (a lone "3" is too common to tell sentences apart)."""
    return {value for value in number_values(text) if sum(c.isdigit() for c in value) >= 2}
