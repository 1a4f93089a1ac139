"""Metadata written in YAML (a folder's metadata.yaml, a Markdown file's front matter), read with
limits: a hostile file cannot make slant use unbounded memory or time.

YAML aliases let a few hundred bytes name billions of values ("billion laughs"): PyYAML shares
the aliased objects, so loading is cheap, but anything that walks or prints the result expands
them. So the file's size is capped, and so is the number of values it holds once its aliases
are expanded; a value is never printed whole in a message (see `short_repr`).
"""

from __future__ import annotations

import reprlib
from typing import Any

import yaml

MAX_METADATA_BYTES = 1024 * 1024  # a metadata.yaml for tens of thousands of files is far smaller
MAX_METADATA_VALUES = 200_000  # values (mappings, lists, scalars) once aliases are expanded
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser where PyYAML has it (faster)
_SHOWN_CHARACTERS = 60
_repr = reprlib.Repr()
_repr.maxlevel, _repr.maxstring, _repr.maxother = 2, _SHOWN_CHARACTERS, _SHOWN_CHARACTERS


def load_metadata(text: str) -> Any:
    """Parse YAML metadata; ValueError (a message saying what is wrong) when it is malformed, too
    large, or expands into too many values.
    """
    size = len(text.encode("utf-8"))
    if size > MAX_METADATA_BYTES:
        raise ValueError(
            f"metadata too large ({size / 1e6:.1f} MB, limit {MAX_METADATA_BYTES / 1e6:.0f} MB); "
            "keep only the fields slant reads (title, source, published, author, url, lean)"
        )
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise ValueError(f"invalid YAML: {_first_line(exc)}") from None
    if _exceeds(data, MAX_METADATA_VALUES):
        raise ValueError(
            f"its aliases expand into more than {MAX_METADATA_VALUES:,} values (a YAML alias bomb?); "
            "write the fields out without anchors and aliases"
        )
    return data


def short_repr(value: Any) -> str:
    """A value as it would be written in Python, cut short: cheap for any size or nesting."""
    return _repr.repr(value)[:_SHOWN_CHARACTERS]


def _exceeds(data: Any, budget: int) -> bool:
    """Whether `data` holds more than `budget` values, counting each alias's value every time it is
    used (stops counting at the budget, so this is cheap however large the expansion).
    """
    pending = [data]
    seen = 0
    while pending:
        seen += 1
        if seen > budget:
            return True
        value = pending.pop()
        if isinstance(value, dict):
            pending += value.keys()
            pending += value.values()
        elif isinstance(value, list | tuple | set):
            pending += value
    return False


def _first_line(exc: yaml.YAMLError) -> str:
    return " ".join(str(exc).split())[:200]
