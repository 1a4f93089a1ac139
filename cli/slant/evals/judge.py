"""The optional model-graded check: a *different* local GGUF (checked by sha256) says, under a
JSON-schema grammar, whether each output sentence is supported by its evidence. It is never the
default gate; the deterministic checks are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from slant.config.errors import InputError
from slant.config.settings import Settings
from slant.llm.model import TextModel
from slant.verify.meaning import MeaningCheck


def load_judge(settings: Settings, path: Path, sha256: str | None, model_under_test: str) -> TextModel:
    """The judge model: must exist, match its sha256, and differ from the model under test."""
    from slant.llm.loaded import model_for

    if not sha256:
        raise InputError("--judge-model needs --judge-sha256", "give the judge file's sha256 (it is checked)")
    judge_settings = settings.model_copy(update={"model": path.expanduser().resolve(), "model_sha256": sha256})
    model = model_for(judge_settings)
    if model.model.sha256 == model_under_test:
        raise InputError(f"The judge {path} is the model under test", "pass a different GGUF file with --judge-model")
    return model


def judge(model: TextModel, pairs: list[tuple[str, str]], settings: Settings) -> dict[str, Any]:
    """Share of (claim, evidence) pairs the judge's meaning check (verify/meaning.py) calls
    supported; an answer that is not the JSON asked for is unmeasured.
    """
    if not pairs:
        return {"score": None, "note": "nothing to judge", "verdicts": []}
    check = MeaningCheck(model, settings.model_copy(update={"temperature": 0.0}))
    verdicts = [check.says(evidence, claim) for claim, evidence in pairs]
    judged = [v for v in verdicts if v is not None]
    if not judged:
        return {"score": None, "note": "the judge gave no valid JSON", "verdicts": verdicts}
    return {"score": sum(judged) / len(judged), "note": f"{sum(judged)}/{len(judged)}", "verdicts": verdicts}
