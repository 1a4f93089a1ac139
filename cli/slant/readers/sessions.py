"""The shipped reader models (models/), each loaded once per process: an onnxruntime session, the
tokenizer it reads with, and the settings json beside it (calibration, threshold).
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slant.config.errors import SlantError
from slant.llm import onnx_runs

if TYPE_CHECKING:
    import numpy as np
    import onnxruntime
    from tokenizers import Tokenizer

MODELS = Path(__file__).parent / "models"
BATCH = 32  # sentences per run: on two cores as fast as 64, with less padding


@cache
def settings(name: str) -> dict[str, Any]:
    """The settings json of a shipped model (`models/<name>.json`)."""
    path = MODELS / f"{name}.json"
    try:
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SlantError(
            f"reader model settings missing: {path}", "reinstall slant; the readers ship with it"
        ) from error
    return loaded


class EncoderReader:
    """A fine-tuned encoder in ONNX that gives logits for each text."""

    def __init__(self, name: str) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        config = settings(name)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.log_severity_level = 3
        self._session: onnxruntime.InferenceSession = onnxruntime.InferenceSession(
            str(MODELS / config["model"]), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer: Tokenizer = Tokenizer.from_file(str(MODELS / config["tokenizer"]))
        self._tokenizer.enable_truncation(max_length=int(config["max_tokens"]))
        self._tokenizer.no_padding()

    def logits(self, texts: list[str]) -> np.ndarray:
        """The model's logits for each text (one, or a row of them), in input order (texts of similar
        length are run together).
        """
        import numpy as np

        ids = [encoding.ids for encoding in self._tokenizer.encode_batch(texts)]
        out = np.zeros((len(ids), *self._session.get_outputs()[0].shape[1:]), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            width = max(len(ids[i]) for i in batch)
            matrix = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros_like(matrix)
            for row, i in enumerate(batch):
                matrix[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1
            out[batch] = onnx_runs.run(self._session, None, {"input_ids": matrix, "attention_mask": mask})[0]
        return out


@cache
def encoder_reader(name: str) -> EncoderReader:
    """The named encoder reader, loaded on first use and kept for the process."""
    return EncoderReader(name)
