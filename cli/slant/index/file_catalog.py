"""The files an ingest read, with their size and modification time, so that the next ingest
skips an unchanged file without reading it again (as make and rsync do).

The catalog lives in the index's state folder (it describes this machine's files) and is
replaced atomically at the end of a successful ingest. A file is skipped only when its size and
modification time are unchanged *and* every document it gave is still in the index, so a
`slant rm`, or another client writing to a shared server, is noticed. A file that had a read
error is not recorded (its error is reported again). A missing or damaged catalog only means
that every file is read.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

CATALOG_FILE = "files.json"


def file_stamp(path: Path) -> str | None:
    """Size and modification time of a file ("size:mtime_ns"), or None if it cannot be stat'ed."""
    try:
        status = path.stat()
    except OSError:
        return None
    return f"{status.st_size}:{status.st_mtime_ns}"


@dataclass
class FileCatalog:
    """For each file read (by resolved path): its stamp when read and the documents it gave."""

    entries: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> FileCatalog:
        """The catalog saved in `folder` (empty if there is none or it is damaged)."""
        try:
            data = json.loads((folder / CATALOG_FILE).read_text(encoding="utf-8"))
            return cls({path: (str(entry["stamp"]), list(entry["ids"])) for path, entry in data.items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def unchanged(self, path: str, stamp: str | None, stored: set[str]) -> list[str] | None:
        """The document ids of `path` if it is unchanged since it was read and they are all
        still stored; else None (the file must be read).
        """
        entry = self.entries.get(path)
        if stamp is None or entry is None or entry[0] != stamp or not entry[1]:
            return None
        return entry[1] if all(doc_id in stored for doc_id in entry[1]) else None

    def record(self, path: str, stamp: str, doc_ids: list[str]) -> None:
        """Note that `path`, with this stamp, gave these documents (added to those it gave before)."""
        self.entries.setdefault(path, (stamp, []))[1].extend(doc_ids)  # in place: a JSONL may give 100k

    def save(self, folder: Path) -> None:
        """Write the catalog beside the index, replacing the old one atomically."""
        data = {path: {"stamp": stamp, "ids": ids} for path, (stamp, ids) in sorted(self.entries.items())}
        partial = folder / f"{CATALOG_FILE}.partial"
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, folder / CATALOG_FILE)
