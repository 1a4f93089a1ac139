"""Combined summaries of three-article stories with the model and embedder loaded once (warm), as
a batch or a long-running process sees them.

    python evals/bench/summary_bench.py ../shared/data/neus-val.jsonl [--stories 30]

Times `summarize_articles(..., combined=True)` per story, twice: with the default settings
(`summary_writer = sources`: the sources' own sentences, no model call) and with
`summary_writer = model` (the model, the writer by default, proposes sentences from the picker's
best candidates and each is verified). Prints the median and 90th percentile seconds per story,
and the share of stories with exactly three articles. Run on an otherwise idle machine; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a NeuS-format JSON-lines file")
    parser.add_argument("--stories", type=int, default=30, help="the first N stories (default 30)")
    options = parser.parse_args()

    from slant.config.settings import Settings
    from slant.evals.summaries import read_stories, story_articles
    from slant.llm.loaded import embedder_for, model_for
    from slant.tasks.summarize import summarize_articles

    stories = read_stories(options.file, options.stories)
    three = sum(len(s.articles) == 3 for s in stories)
    print(f"{len(stories)} stories, {three} of them with three articles")
    for writer in ("sources", "model"):
        settings = Settings.load(summary_writer=writer)
        model, embedder = model_for(settings), embedder_for(settings)
        summarize_articles(story_articles(stories[0], "warm-up"), settings, model, embedder, "warm-up", combined=True)
        seconds = []
        for story in stories:
            articles = story_articles(story, str(options.file))
            started = time.perf_counter()
            summarize_articles(articles, settings, model, embedder, story.id, combined=True)
            seconds.append(time.perf_counter() - started)
        ninetieth = statistics.quantiles(seconds, n=10)[-1]
        print(f"summary_writer={writer}: median {statistics.median(seconds):.2f} s, 90th percentile {ninetieth:.2f} s")


if __name__ == "__main__":
    main()
