"""all-MiniLM-L6-v2 on onnxruntime: mean pooling, L2 norm, 384 dims.

LangChain users get it as an `Embeddings` through `slant.integrations.langchain.SlantEmbeddings`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from slant.llm import onnx_runs, output_memo
from slant.llm.files import EmbedderFiles

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length
DIMENSIONS = 384


class OnnxEmbedder:
    """Sentence embeddings computed locally; texts longer than 256 tokens are truncated. The model
    is loaded on first use: an analysis whose sentences are all in the output memo loads none.
    """

    def __init__(self, files: EmbedderFiles, threads: int | None = None, batch_size: int = 8):
        self._files = files
        self._threads = threads or os.cpu_count() or 1
        # 8 texts per run: as fast as 32 here, with half the peak memory (attention grows with batch x length^2).
        self.batch_size = batch_size
        self.embedder_id = files.embedder_id

    @cached_property
    def _session(self) -> onnxruntime.InferenceSession:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self._threads
        options.log_severity_level = 3
        return onnxruntime.InferenceSession(str(self._files.onnx.path), options, providers=["CPUExecutionProvider"])

    @cached_property
    def _input_names(self) -> set[str]:
        return {item.name for item in self._session.get_inputs()}

    @cached_property
    def _tokenizer(self) -> Tokenizer:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self._files.tokenizer.path))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        return tokenizer

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as an (n, 384) float32 array of unit vectors, in input order."""
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        # Batch texts of similar length together: less padding, same results.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            vectors[batch] = self._run([encodings[i] for i in batch])
        return vectors

    def count_tokens(self, text: str) -> int:
        """Tokens the embedder sees for this text (before truncation)."""
        self._tokenizer.no_truncation()
        try:
            return len(self._tokenizer.encode(text).ids)
        finally:
            self._tokenizer.enable_truncation(max_length=MAX_TOKENS)

    def _run(self, encodings: list) -> np.ndarray:  # type: ignore[type-arg]
        width = max(len(encoding.ids) for encoding in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        feeds = {name: value for name, value in feeds.items() if name in self._input_names}
        hidden = onnx_runs.run(self._session, ["last_hidden_state"], feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: np.ndarray = pooled / np.clip(norms, 1e-12, None)
        return unit


class RememberingEmbedder:
    """Wraps an embedder so that each distinct text is embedded once (for one analysis, whose
    checks compare the same sentences again and again), and once per machine where the output
    memo keeps vectors (slant.llm.output_memo).
    """

    def __init__(self, embedder: OnnxEmbedder) -> None:
        self.embedder_id = embedder.embedder_id
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Like OnnxEmbedder.embed; texts seen before are not embedded again."""
        missing = [text for text in dict.fromkeys(texts) if text not in self._vectors]
        if missing:
            vectors = output_memo.outputs(self.embedder_id, missing, self._embedder.embed)
            self._vectors.update(zip(missing, vectors, strict=True))
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.stack([self._vectors[text] for text in texts])
