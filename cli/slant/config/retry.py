"""Retrying calls to servers (Chroma, model servers): a few attempts with exponential backoff,
for transient failures only. What still fails after the last attempt is raised to the caller,
which turns it into one clear error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

ATTEMPTS = 4
FIRST_DELAY_SECONDS = 0.25  # then 0.5 s and 1 s: under 2 s of waiting in all


def with_retries(
    call: Callable[[], T],
    transient: tuple[type[BaseException], ...],
    attempts: int = ATTEMPTS,
    first_delay: float = FIRST_DELAY_SECONDS,
) -> T:
    """Run `call`; after a `transient` error wait, double the wait, try again (`attempts` tries in all)."""
    delay = first_delay
    for _ in range(attempts - 1):
        try:
            return call()
        except transient:
            time.sleep(delay)
            delay *= 2
    return call()
