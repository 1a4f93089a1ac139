"""The best ROUGE-1 a summary picked from the sources' sentences could reach, knowing the reference:
over every sentence of a story, and over the sentences slant's picker may use (whole, standing
alone, neutral, read as a statement: tasks/summarize.py's own checks).

    python evals/bench/summary_ceiling.py ../shared/data/neus-val.jsonl [--limit N] [--words 75]

For each story it adds, greedily, the sentence that raises ROUGE-1 F1 (unstemmed, as the goal is
stated) against the reference most, within the word budget, until none does. What the second
figure falls short of the first is what the neutral gate costs a picker; what the picker falls
short of the second is its ranking. Deterministic; no model, no embedder.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rouge_score import rouge_scorer

from slant.evals.summaries import read_stories, story_articles
from slant.tasks.summarize import _ranked
from slant.text.instructions import foreign_text
from slant.verify.evidence import content_sentences

_SCORER = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=False)


def best_pick(candidates: list[str], reference: str, words: int) -> float:
    """The ROUGE-1 F1 of the greedy best pick of `candidates` within `words`."""
    chosen: list[str] = []
    best = 0.0
    while True:
        pick = None
        for candidate in candidates:
            text = " ".join([*chosen, candidate])
            if candidate in chosen or len(text.split()) > words:
                continue
            score = _SCORER.score(reference, text)["rouge1"].fmeasure
            if score > best + 1e-9:
                best, pick = score, candidate
        if pick is None:
            return best
        chosen.append(pick)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="NeuS-format JSON lines")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--words", type=int, default=75, help="the word budget (slant's summary_words)")
    args = parser.parse_args()
    stories = read_stories(args.data, args.limit)
    every = usable = 0.0
    sentences = kept = 0
    for story in stories:
        articles = story_articles(story, str(args.data))
        texts = {a.id: a.text for a in articles}
        sources = [s for a in articles for s in content_sentences(a) if not foreign_text(texts[a.id], s.start, s.end)]
        picks = [text for _, text, _ in _ranked([(s, 0.0) for s in sources], articles)]
        every += best_pick([s.text for s in sources], story.target, args.words)
        usable += best_pick(picks, story.target, args.words)
        sentences, kept = sentences + len(sources), kept + len(picks)
    n = len(stories)
    print(f"{n} stories, {sentences} sentences, {kept} usable by the picker ({100 * kept / max(sentences, 1):.0f}%)")
    print(f"  best pick of every sentence   ROUGE-1 (unstemmed) {100 * every / n:.2f}")
    print(f"  best pick of usable sentences ROUGE-1 (unstemmed) {100 * usable / n:.2f}")


if __name__ == "__main__":
    main()
