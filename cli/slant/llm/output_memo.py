"""What a model gave for a text, kept on disk, so each text goes through each model once per machine.

The readers and the embedder give a text the same output whatever else they read (each reader
reads a text alone; the embedder's vectors do not depend on their batch): an output kept is the
output a run would give. So a command that reads what an earlier one read (a second `slant compare`
of a story, `slant sources` after an ingest) pays for no model run and loads no model.

The outputs live in one SQLite file in the cache folder (`outputs.sqlite3`), under the model's id
(which changes with its file) and the sha256 of the text. The `Index` names the folder; with none
named nothing is kept. A file that cannot be read or written (locked, full, read-only disk) only
means the outputs are computed: the memo never fails a command. It keeps at most MAX_ROWS outputs,
dropping the oldest.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

FILE_NAME = "outputs.sqlite3"
MAX_ROWS = 200_000  # an embedding is 1.5 kB: at most about 300 MB
_BUSY_SECONDS = 5.0  # how long to wait for another process's write before going without the memo

_folder: Path | None = None


def keep_in(folder: Path | None) -> None:
    """Keep outputs in `folder` from now on (None: keep nothing on disk)."""
    global _folder
    _folder = folder


def kept(folder: Path) -> tuple[int, int]:
    """How many outputs the memo in `folder` keeps, and its size in bytes (0, 0 without one)."""
    path = folder / FILE_NAME
    if not path.is_file():
        return 0, 0
    try:
        read_only = f"{path.resolve().as_uri()}?mode=ro"  # a URI: a folder named "a?b" stays a folder
        with closing(sqlite3.connect(read_only, uri=True, timeout=_BUSY_SECONDS)) as connection:
            (count,) = connection.execute("SELECT count(*) FROM outputs").fetchone()
    except sqlite3.Error:
        return 0, path.stat().st_size
    size = sum(p.stat().st_size for p in folder.glob(f"{FILE_NAME}*"))
    return int(count), size


def outputs(model_id: str, texts: Sequence[str], compute: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """`compute(texts)`, one row per text, with each text's row taken from the memo where kept;
    the texts not kept are computed (each once) and kept.
    """
    import numpy as np

    keys = [_key(text) for text in texts]
    found = _read(model_id, sorted(set(keys)))
    missing = list(dict.fromkeys(text for text, key in zip(texts, keys, strict=True) if key not in found))
    if missing:
        computed = np.asarray(compute(missing), dtype=np.float32)
        fresh = {_key(text): row for text, row in zip(missing, computed, strict=True)}
        _write(model_id, fresh)
        found.update(fresh)
    if not texts:
        return np.zeros((0,), dtype=np.float32)
    return np.stack([found[key] for key in keys])


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _connect() -> sqlite3.Connection | None:
    if _folder is None:
        return None
    connection = None
    try:
        _folder.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(_folder / FILE_NAME, timeout=_BUSY_SECONDS)
        # A write-ahead log synced at checkpoints, not at each commit: a crash can lose the last
        # outputs kept (they are computed again), never damage the file.
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS outputs (model TEXT, text_sha256 TEXT, shape TEXT, output BLOB, "
            "PRIMARY KEY (model, text_sha256))"
        )
        return connection
    except (OSError, sqlite3.Error):
        if connection is not None:
            connection.close()
        return None


def _read(model_id: str, keys: list[str]) -> dict[str, np.ndarray]:
    connection = _connect()
    if connection is None or not keys:
        return {}
    import numpy as np

    found: dict[str, np.ndarray] = {}
    try:
        with closing(connection):
            for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
                batch = keys[start : start + 500]
                rows = connection.execute(
                    f"SELECT text_sha256, shape, output FROM outputs WHERE model = ? "
                    f"AND text_sha256 IN ({','.join('?' * len(batch))})",
                    [model_id, *batch],
                )
                for key, shape, blob in rows:
                    dims = tuple(int(n) for n in shape.split(",") if n)
                    found[key] = np.frombuffer(blob, dtype=np.float32).reshape(dims)
    except (sqlite3.Error, ValueError):
        return {}
    return found


def _write(model_id: str, rows: dict[str, np.ndarray]) -> None:
    connection = _connect()
    if connection is None or not rows:
        return
    try:
        with closing(connection), connection:
            connection.executemany(
                "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)",
                [(model_id, key, ",".join(str(n) for n in row.shape), row.tobytes()) for key, row in rows.items()],
            )
            (count,) = connection.execute("SELECT count(*) FROM outputs").fetchone()
            if count > MAX_ROWS:
                connection.execute(
                    "DELETE FROM outputs WHERE rowid IN (SELECT rowid FROM outputs ORDER BY rowid LIMIT ?)",
                    (count - MAX_ROWS,),
                )
    except sqlite3.Error:
        return
