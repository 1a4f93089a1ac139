"""Progress reporting from the core to whoever shows it (the CLI draws a bar on stderr)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What the core calls; the core never knows how (or whether) progress is drawn."""

    def start(self, total: int | None, description: str) -> None:
        """A phase begins with `total` steps (None if unknown)."""

    def advance(self, steps: int = 1, detail: str = "") -> None:
        """`steps` more are done; `detail` is a short status such as a rate."""


class NoProgress:
    """Progress that shows nothing (the default, and for pipes and tests)."""

    def start(self, total: int | None, description: str) -> None:
        """Ignore."""

    def advance(self, steps: int = 1, detail: str = "") -> None:
        """Ignore."""
