"""Count in how many articles of a news collection each word appears (writes
cli/slant/index/wordlists/document_frequency.tsv), for the tf-idf weights of story grouping.

Usage:
    python evals/tools/derive_document_frequency.py ../shared/data/neus-train.jsonl [--out FILE]

Only words written in lower case in the article text are counted: the table is of common
language, and names (people, places, organisations), figures and headline words are never in it,
so they always count as the rarest, which for one event they usually are. Words are slant's
tokens (stop words out), stemmed; words found in fewer than MIN_ARTICLES articles are left out.
The first data line records the number of articles.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from slant.evals.summaries import read_stories
from slant.text.tokens import stem, tokens

OUT = Path(__file__).resolve().parents[2] / "cli/slant/index/wordlists/document_frequency.tsv"
MIN_ARTICLES = 3
_LOWER_CASE = re.compile(r"(?<![\w’'-])[a-z][a-z’'-]*")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="NeuS-format stories")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    articles = 0
    for story in read_stories(args.data):
        for article in story.articles:
            common = " ".join(_LOWER_CASE.findall(article.text))  # names and headlines left out
            counts.update({stem(t) for t in tokens(common)})
            articles += 1
    kept = sorted((word, n) for word, n in counts.items() if n >= MIN_ARTICLES)
    lines = [
        "# Document frequency of lower-case words (stemmed) in news articles: word<TAB>articles containing it.",
        f"# Counted by evals/tools/derive_document_frequency.py on {args.data.name}.",
        "# Source: NeuS (Lee et al., NAACL 2022) training articles. Licence: MIT, as slant.",
        f"__articles__\t{articles}",
        *(f"{word}\t{n}" for word, n in kept),
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} words from {articles} articles -> {args.out}")


if __name__ == "__main__":
    main()
