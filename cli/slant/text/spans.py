"""Character spans: every finding points into the stored text by one."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """A half-open character range [start, end) into a document's text."""

    start: int
    end: int
