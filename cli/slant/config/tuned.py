"""Every number slant's components are set with, listed from its one home (`slant config
--numbers`): the module-level numeric constants (UPPER_CASE) of the packages, read from their
source without importing them, and the numbers in the shipped readers' settings files
(thresholds, calibration, offsets). Most are tuned on the dev sets; the rest are limits and
versions.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from pydantic import BaseModel

SLANT = Path(__file__).resolve().parents[1]
PACKAGES = ("framing", "reading", "readers", "tasks", "text", "verify", "index", "sources", "llm")
_READER_NUMBERS = ("threshold", "platt_scale", "platt_shift", "offsets", "max_tokens")


class TunedNumber(BaseModel):
    """One number and where it lives."""

    name: str  # "CLEAR_EVALUATION"; a reader's setting: "threshold"
    value: float | int | list[float]
    home: str  # the file, relative to the slant package


def tuned_numbers() -> list[TunedNumber]:
    """Every module-level numeric constant of the analysis packages and every reader setting."""
    found = []
    for package in PACKAGES:
        for path in sorted((SLANT / package).rglob("*.py")):
            for name, value in _constants(path):
                found.append(TunedNumber(name=name, value=value, home=str(path.relative_to(SLANT))))
    for path in sorted((SLANT / "readers" / "models").glob("*.json")):
        settings = json.loads(path.read_text(encoding="utf-8"))
        for key in _READER_NUMBERS:
            if key in settings:
                found.append(TunedNumber(name=key, value=settings[key], home=str(path.relative_to(SLANT))))
    return found


def _constants(path: Path) -> list[tuple[str, float | int]]:
    """The module's top-level `NAME = <number>` assignments (a negative number included)."""
    constants = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
        if isinstance(node, ast.AnnAssign):
            target = node.target
        value = getattr(node, "value", None)
        if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub):
            value = value.operand
            sign = -1
        else:
            sign = 1
        if (
            isinstance(target, ast.Name)
            and target.id.isupper()
            and isinstance(value, ast.Constant)
            and isinstance(value.value, int | float)
            and not isinstance(value.value, bool)
        ):
            constants.append((target.id, sign * value.value))
    return constants
