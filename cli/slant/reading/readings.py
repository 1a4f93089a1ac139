"""The readings this process knows, by the text they read: every analysis asks `reading_of(text)`.

The index hands over the readings it stored at ingest (`remember`), so a command that works on
stored articles parses nothing; a text with no stored reading (an index made before readings
were stored, a file analysed without ingest) is read once, on first use, and kept for the process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from slant.reading.model import Reading
from slant.reading.pipeline import read

_KNOWN: dict[str, Reading] = {}
_MAX_KNOWN = 5000  # readings kept per process (an article's is some tens of kB)


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def remember(text: str, reading: Reading) -> None:
    """Keep a reading made elsewhere (stored with the index) for this text."""
    if len(_KNOWN) >= _MAX_KNOWN:
        _KNOWN.pop(next(iter(_KNOWN)))
    _KNOWN[_key(text)] = reading


def readings_of(texts: Sequence[str]) -> list[Reading]:
    """The reading of each text: known ones at once, the others read together in one batch."""
    missing = list(dict.fromkeys(t for t in texts if _key(t) not in _KNOWN))
    if missing:  # reading nothing must not load the pipeline (seconds)
        for text, reading in zip(missing, read(missing), strict=True):
            remember(text, reading)
    return [_KNOWN[_key(text)] for text in texts]


def reading_of(text: str) -> Reading:
    """The reading of one text (see `readings_of`)."""
    return readings_of([text])[0]
