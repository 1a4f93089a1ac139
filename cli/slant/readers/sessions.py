"""The shipped reader models (models/), each loaded once per process: an onnxruntime session, the
tokenizer it reads with, and the settings json beside it (calibration, threshold).
"""

from __future__ import annotations

import json
import os
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slant.config.errors import SlantError
from slant.llm import onnx_runs, output_memo

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
    """A fine-tuned encoder in ONNX that gives logits for each text. The model is loaded on first
    use: texts whose logits the output memo keeps (slant.llm.output_memo) load none.
    """

    def __init__(self, name: str) -> None:
        self._config = settings(name)
        model = (MODELS / self._config["model"]).stat()
        # Changes with the model file (a rebuilt reader) and with how texts are cut to its length.
        self.model_id = f"{name}:{model.st_size}:{model.st_mtime_ns}:{self._config['max_tokens']}"

    def logits(self, texts: list[str]) -> np.ndarray:
        """The model's logits for each text (one, or a row of them), in input order.

        Each text is run alone. The readers are int8 models quantized dynamically: a run scales
        all its activations together, so a text read beside others got other logits (up to 0.2
        apart on the seeds), and a sentence near the threshold was loaded in one command and not
        in another. Alone, a text always gets the same probability (at 1.7 times the time), and
        so the output memo may keep it.
        """
        return output_memo.outputs(self.model_id, texts, self._run_each)

    def _run_each(self, texts: list[str]) -> np.ndarray:
        import numpy as np

        out = np.zeros((len(texts), *self._session.get_outputs()[0].shape[1:]), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(texts)):
            ids = np.array([encoding.ids], dtype=np.int64)
            out[row] = onnx_runs.run(self._session, None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        return out

    @cached_property
    def _session(self) -> onnxruntime.InferenceSession:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.log_severity_level = 3
        model = str(MODELS / self._config["model"])
        return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])

    @cached_property
    def _tokenizer(self) -> Tokenizer:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(MODELS / self._config["tokenizer"]))
        tokenizer.enable_truncation(max_length=int(self._config["max_tokens"]))
        tokenizer.no_padding()
        return tokenizer


@cache
def encoder_reader(name: str) -> EncoderReader:
    """The named encoder reader, loaded on first use and kept for the process."""
    return EncoderReader(name)
