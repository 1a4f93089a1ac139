"""The output memo: what the readers and the embedder gave a text is kept on disk, so a later
command gives the same result without running (or loading) a model; a memo that cannot be used
never fails a command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from slant.llm import output_memo

# One process: compare two of the team's articles by id and say which models it had to load.
COMPARE = """
import json, sys
import slant
from slant.llm.loaded import embedder_for
from slant.readers.sessions import encoder_reader

index = slant.Index(sys.argv[1], cache_dir=sys.argv[2])
comparison = index.compare(sys.argv[3:], use_model=False)
loaded = [name for name in ("sentence_reader", "stance_reader") if "_session" in vars(encoder_reader(name))]
if "_session" in vars(embedder_for(index.settings)):
    loaded.append("embedder")
print(json.dumps({"comparison": comparison.model_dump(mode="json"), "loaded": loaded}))
"""


def _compare_in_a_new_process(index: Path, cache: Path, ids: list[str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", COMPARE, str(index), str(cache), *ids], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict = json.loads(done.stdout)
    return result


def test_a_second_compare_reads_the_memo_and_loads_no_model(articles: Path, tmp_path: Path) -> None:
    import slant

    index = slant.Index(tmp_path / "memo-index")
    index.ingest([articles / "harbour-bridge-council.txt", articles / "valley-heatwave.txt"])
    ids = [document.article.id for document in index.documents()]
    cache = tmp_path / "cache"

    first = _compare_in_a_new_process(tmp_path / "memo-index", cache, ids)
    second = _compare_in_a_new_process(tmp_path / "memo-index", cache, ids)

    assert {"sentence_reader", "stance_reader", "embedder"} <= set(first["loaded"])
    assert second["loaded"] == []
    assert second["comparison"] == first["comparison"]
    count, size = output_memo.kept(cache)
    assert count > 0
    assert size > 0
    doctor = subprocess.run(
        [sys.executable, "-m", "slant", "doctor", "--json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SLANT_CACHE_DIR": str(cache), "SLANT_INDEX": str(tmp_path / "memo-index")},
    )
    kept = next(check for check in json.loads(doctor.stdout) if check["name"] == "kept outputs")
    assert kept["ok"]
    assert kept["detail"].startswith(f"{count} reader and embedder outputs")


def test_outputs_are_kept_per_model_and_computed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "a cache ?#folder"  # kept in a folder whose name a URI would misread
    monkeypatch.setattr(output_memo, "_folder", folder)
    computed: list[str] = []

    def lengths(texts: list[str]) -> np.ndarray:
        computed.extend(texts)
        return np.array([[len(text), text.count(" ")] for text in texts], dtype=np.float32)

    first = output_memo.outputs("model-a", ["one two", "three", "one two"], lengths)
    again = output_memo.outputs("model-a", ["three", "four five six"], lengths)
    other_model = output_memo.outputs("model-b", ["three"], lengths)

    assert first.tolist() == [[7, 1], [5, 0], [7, 1]]
    assert again.tolist() == [[5, 0], [13, 2]]
    assert other_model.tolist() == [[5, 0]]
    assert computed == ["one two", "three", "four five six", "three"]
    assert output_memo.kept(folder)[0] == 4


@pytest.mark.parametrize("damage", ["a file where the folder should be", "a damaged memo file"])
def test_a_memo_that_cannot_be_used_only_means_computing(
    damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if damage == "a file where the folder should be":
        folder = tmp_path / "not-a-folder"
        folder.write_text("x", encoding="utf-8")
    else:
        folder = tmp_path / "memo"
        folder.mkdir()
        (folder / output_memo.FILE_NAME).write_bytes(b"this is not a database" * 100)
    monkeypatch.setattr(output_memo, "_folder", folder)

    def double(texts: list[str]) -> np.ndarray:
        return np.array([[2.0 * len(text)] for text in texts], dtype=np.float32)

    assert output_memo.outputs("model", ["ab", "abc"], double).tolist() == [[4.0], [6.0]]
    assert output_memo.outputs("model", ["ab"], double).tolist() == [[4.0]]
