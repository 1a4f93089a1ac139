"""Every test gets its own workspace: no SLANT_* from outside, index and caches under tmp_path.
The model files themselves are real (the installed packages); only where slant caches them moves."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
_SHARED_CACHE = Path(os.environ.get("SLANT_TEST_CACHE", "/tmp/slant-test-cache"))


@pytest.fixture(autouse=True)
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("SLANT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    # The assembled GGUF (253 MB) is shared between tests; everything else is per test.
    monkeypatch.setenv("SLANT_CACHE_DIR", str(_SHARED_CACHE))
    monkeypatch.setenv("SLANT_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("SLANT_DEBUG", "0")
    return tmp_path


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
