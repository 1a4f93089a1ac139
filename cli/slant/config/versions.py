"""The versions of the native libraries whose releases can change slant's outputs."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

NATIVE_LIBRARIES = ("llama-cpp-python", "chromadb", "onnxruntime")


@cache
def native_versions() -> dict[str, str]:
    """Installed version of each native library ("missing" where it is not installed).

    Read from package metadata, so nothing heavy is imported.
    """
    found = {}
    for name in NATIVE_LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "missing"
    return found
