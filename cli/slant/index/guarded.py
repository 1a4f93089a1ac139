"""The embedded Chroma index's own failures as one-line errors: a full disk, a damaged database.

Chroma reports both as an `InternalError` whose text names neither clearly ("Failed to apply logs
to the metadata segment" when the disk is full). `GuardedChroma` wraps the client and every
collection it returns, and turns such an error into an `IndexUnavailableError` that says which
one it is (from the free space left and SQLite's error code) and what to do. Nothing stored is
lost: a write cut off this way is finished or undone by the next writer (see index/ingest.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slant.config.errors import IndexUnavailableError

DISK_FULL_BYTES = 16 * 1024 * 1024  # less free than this where a write failed: the disk is full
_DAMAGED = ("(code: 11)", "(code: 26)", "malformed", "not a database")  # SQLITE_CORRUPT, SQLITE_NOTADB
DATABASE_FILE = "chroma.sqlite3"


class GuardedChroma:
    """An embedded Chroma client or collection whose internal errors become IndexUnavailableError;
    collections it returns are wrapped the same way, attributes pass through.
    """

    def __init__(self, target: Any, folder: Path) -> None:
        self._target = target
        self._folder = folder

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._target, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            result = guarded_call(lambda: attribute(*args, **kwargs), self._folder)
            from chromadb.api.models.Collection import Collection

            return GuardedChroma(result, self._folder) if isinstance(result, Collection) else result

        return call


def persistent_client(folder: Path, chroma_settings: Any) -> GuardedChroma:
    """An embedded client of the index in `folder`. A damaged database fails here; opened a second
    time in one process, Chroma then fails in other ways (a ValueError about its tenant, an
    AttributeError from its half-built bindings), which mean the same.
    """
    import chromadb
    from chromadb.errors import InternalError

    try:
        client = chromadb.PersistentClient(path=str(folder), settings=chroma_settings)
    except (InternalError, ValueError, AttributeError) as exc:
        raise index_failure(folder, str(exc)) from None
    return GuardedChroma(client, folder)


def guarded_call(call: Callable[[], Any], folder: Path) -> Any:
    """Run a call on the embedded index in `folder`; its internal errors become one clear error."""
    from chromadb.errors import InternalError

    try:
        return call()
    except InternalError as exc:
        raise index_failure(folder, str(exc)) from None


def index_failure(folder: Path, detail: str) -> IndexUnavailableError:
    """What a failed read or write of the index in `folder` means, as an error to show."""
    detail = " ".join(detail.split())[:200]
    free = _free_bytes(folder)
    if free is not None and free < DISK_FULL_BYTES:
        return disk_full(folder)
    if any(sign in detail for sign in _DAMAGED):
        return IndexUnavailableError(
            f"The index database {folder / DATABASE_FILE} is damaged ({detail})",
            "restore the index folder from a backup, or move it away and ingest the articles again",
        )
    return IndexUnavailableError(
        f"Chroma cannot use the index at {folder} ({detail})", "run `slant doctor`, then the command again"
    )


def disk_full(folder: Path) -> IndexUnavailableError:
    """The error for a write to the index in `folder` that found the disk full."""
    free = _free_bytes(folder) or 0
    return IndexUnavailableError(
        f"The disk holding the index at {folder} is full ({free / 1e6:.1f} MB free)",
        "free some space and run the command again; nothing stored was lost",
    )


def _free_bytes(folder: Path) -> int | None:
    """Free space on the file system holding `folder` (None if it cannot be told)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None
