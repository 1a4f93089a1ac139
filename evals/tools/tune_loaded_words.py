"""Choose the sentence reader's word-evidence settings (slant.readers.loaded: WORD_EVIDENCE, RELATIVE_DROP, MAX_WORDS)
on BASIL dev. These settings pick the words a loaded sentence is shown with (the neutrality
check's "loaded (P 0.71): words"); the loaded terms of compare and `slant eval basil` come from
the word table instead (framing/signals.loaded_terms). For each setting of a small grid: the
words' precision / recall / F1 against the experts' lexical-bias phrases outside quotes, and
density rho. The probabilities are cached, so the grid costs one reading of the file. Prints a
table; the chosen values are then written into slant/readers/loaded.py by hand (their one home).

    .venv/bin/python evals/tools/tune_loaded_words.py basil-dev.jsonl
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from slant.evals import basil
from slant.readers import loaded
from slant.text.quotes import in_quote, quote_spans
from slant.text.sentences import sentence_spans
from slant.text.spans import Span

EVIDENCE = (0.52, 0.7, 0.8, 0.9)
DROPS = (1.0, 0.5)
WORDS = (1, 2, 3)


def main() -> None:
    """Print lexical P/R/F1 and rho per (WORD_EVIDENCE, RELATIVE_DROP, MAX_WORDS)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="BASIL-format JSON lines")
    args = parser.parse_args()
    articles = [basil._basil_article(a, str(args.data)) for a in basil.read_jsonl(args.data)]
    for evidence, drop, most in itertools.product(EVIDENCE, DROPS, WORDS):
        loaded.WORD_EVIDENCE, loaded.RELATIVE_DROP, loaded.MAX_WORDS = evidence, drop, most
        flags = hits = phrases = found = 0
        gold_density, slant_density = [], []
        for text, gold in articles:
            spans = _word_evidence(text)
            flags += len(spans)
            hits += sum(1 for s in spans if any(basil._overlap(s, g) for g in gold))
            phrases += len(gold)
            found += sum(1 for g in gold if any(basil._overlap(s, g) for s in spans))
            words = max(len(text.split()), 1)
            gold_density.append(100 * len(gold) / words)
            slant_density.append(100 * len(spans) / words)
        precision, recall = hits / max(flags, 1), found / max(phrases, 1)
        rho = basil.spearman(gold_density, slant_density)
        print(
            f"evidence {evidence:.2f} drop {drop:.2f} words {most}: flags {flags} P {precision:.3f} R {recall:.3f} "
            f"F1 {basil._f1(precision, recall):.3f} rho {rho:.3f}",
            flush=True,
        )


def _word_evidence(text: str) -> list[Span]:
    """The words the reader cites in the text's sentences, outside quotations, as text offsets."""
    sentences = sentence_spans(text)
    quotes = quote_spans(text)
    flagged = loaded.loaded_words_of([text[s.start : s.end] for s in sentences])
    return [
        Span(s.start + f.start, s.start + f.end)
        for s, flags in zip(sentences, flagged, strict=True)
        for f in flags
        if not in_quote(s.start + f.start, quotes)
    ]


if __name__ == "__main__":
    main()
