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
        """The model's logits for each text (one, or a row of them), in input order.

        Each text is run alone. The readers are int8 models quantized dynamically: a run scales
        all its activations together, so a text read beside others got other logits (up to 0.2
        apart on the seeds), and a sentence near the threshold was loaded in one command and not
        in another. Alone, a text always gets the same probability (at 1.7 times the time).
        """
        import numpy as np

        out = np.zeros((len(texts), *self._session.get_outputs()[0].shape[1:]), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(texts)):
            ids = np.array([encoding.ids], dtype=np.int64)
            out[row] = onnx_runs.run(self._session, None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        return out


@cache
def encoder_reader(name: str) -> EncoderReader:
    """The named encoder reader, loaded on first use and kept for the process."""
    return EncoderReader(name)
