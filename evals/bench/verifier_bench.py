"""How often the verifier rejects a perturbed source sentence, and how often it wrongly rejects a
true one, on BASIL-format articles (one article a line with "text" and "event").

    python evals/bench/verifier_bench.py ../shared/data/basil-dev.jsonl [--articles 40]

For each sentence of an article (8+ words) the verifier checks, citing that article: the sentence
itself, shortened as a summary shortens it (asides and loaded modifiers cut), and with a person's
full name cut to the surname ("Ana Ruiz" -> "Ruiz"), quotations left whole (all should pass); and each perturbation it
admits (should fail): a negation added or removed,
its first number changed, a name replaced by a person of another event whom the article never names, two of its
names traded in place ("A beat B" -> "B beat A"), and, in a
sentence with a quotation, the speaker named outside it replaced by another person of the same
article. Deterministic; the real embedder.

With --meaning the verifier judges by meaning (verify/meaning.py) with the writer model
(SLANT_LLM / --model as for slant), and each sentence also gets a paraphrase the writer writes
(should pass): that run asks the model several times a sentence, so take fewer articles and
--sentences per article.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from slant.config.settings import Settings
from slant.llm.embedder import RememberingEmbedder
from slant.llm.loaded import embedder_for
from slant.reading.actors import find_actors
from slant.sources.documents import Article
from slant.tasks.summarize import _trimmed
from slant.text.quotes import outside_quotes, quote_spans
from slant.verify.evidence import Verifier, content_sentences
from slant.verify.meaning import MeaningCheck

TRUE_KINDS = ("true", "paraphrase", "shortened", "surname")  # the rest are planted errors
# The bench's own request to the writer (not a prompt of slant's: it makes test material).
PARAPHRASE = (
    "Rewrite this news sentence in different words, keeping every fact, name, number and who said it. "
    "Reply with the rewritten sentence only.\n\nSentence: {sentence}"
)

_AUXILIARY = re.compile(r"\b(is|was|are|were|will|would|can|could|has|have|had|does|did|should|may)\b")
_NEGATED = re.compile(r"\s(?:not|never)\b|n['’]t\b")  # "n’t" with either apostrophe
_NUMBER = re.compile(r"\b\d[\d,.]*\b")


def negated(sentence: str) -> str | None:
    if _NEGATED.search(sentence):
        return _NEGATED.sub("", sentence, count=1)
    found = _AUXILIARY.search(sentence)
    return f"{sentence[: found.end()]} not{sentence[found.end() :]}" if found else None


def renumbered(sentence: str) -> str | None:
    found = _NUMBER.search(sentence)
    if not found:
        return None
    digits = found.group().replace(",", "")
    try:
        changed = str(int(float(digits)) + 7)
    except ValueError:
        return None
    return sentence[: found.start()] + changed + sentence[found.end() :]


def renamed(sentence: str, names: list[str], others: list[str], article: str) -> str | None:
    """A name of the sentence replaced by a person of another event whose surname the article
    never gives (not "Donald Trump" for "Trump": the same man, and no error)."""
    present = [n for n in names if n in sentence]
    stranger = next((o for o in others if o.split()[-1] not in article), None)
    return sentence.replace(present[0], stranger, 1) if present and stranger else None


def surnamed(sentence: str, people: list[str]) -> str | None:
    """A person's full name outside quotations cut to the surname, as on second mention."""
    outside = outside_quotes(sentence, quote_spans(sentence))
    full = next((p for p in people if " " in p and p in outside), None)
    if full is None:
        return None
    at = outside.find(full)
    return sentence[:at] + full.split()[-1] + sentence[at + len(full) :]


def shortened(sentence: str) -> str | None:
    """The sentence as a summary shortens it (asides and loaded modifiers cut), quotations whole."""
    short = _trimmed(sentence)
    quoted = [sentence[q.start : q.end] for q in quote_spans(sentence)]
    return short if [short[q.start : q.end] for q in quote_spans(short)] == quoted else None


def swapped(sentence: str, names: list[str]) -> str | None:
    """Two names of the sentence trade places ("A beat B" -> "B beat A")."""
    present = sorted({n for n in names if n in sentence}, key=sentence.find)
    if len(present) < 2 or present[0] in present[1] or present[1] in present[0]:
        return None
    first, second = present[0], present[1]
    return sentence.replace(first, "\0", 1).replace(second, first, 1).replace("\0", second, 1)


def respoken(sentence: str, people: list[str]) -> str | None:
    quotes = quote_spans(sentence)
    if not quotes:
        return None
    outside = sentence[: quotes[0].start] + sentence[quotes[-1].end :]
    speaker = next((p for p in people if p.split()[-1] in outside), None)
    other = next((p for p in people if speaker and p.split()[-1] != speaker.split()[-1]), None)
    if not speaker or not other:
        return None
    surname, replacement = speaker.split()[-1], other.split()[-1]
    cut = quotes[0].start if sentence.find(surname) < quotes[0].start else quotes[-1].end
    head, tail = sentence[:cut], sentence[cut:]
    return (
        head.replace(surname, replacement, 1) + tail
        if surname in head
        else head + tail.replace(surname, replacement, 1)
    )


def paraphrased(sentence: str, writer: Any) -> str | None:
    """The writer's rewording of the sentence (greedy, so the same each run)."""
    reply = writer.complete(PARAPHRASE.format(sentence=sentence), max_tokens=160, stop=[], temperature=0.0, seed=0)
    lines = [line.strip() for line in reply.text.splitlines() if line.strip()]  # past any "Sure! Here it is:"
    return lines[-1] if lines and lines[-1] != sentence else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--sentences", type=int, default=1000, help="most sentences checked per article")
    parser.add_argument("--show", action="store_true", help="print each sentence the verifier misjudges")
    parser.add_argument("--meaning", action="store_true", help="judge by meaning, with the writer; add paraphrases")
    args = parser.parse_args()
    records = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    settings = Settings.load()
    embedder = RememberingEmbedder(embedder_for(settings))
    meaning, writer = None, None
    if args.meaning:
        from slant.llm.loaded import model_for

        writer = model_for(settings)
        meaning = MeaningCheck(writer, settings)
    actors_of = [find_actors(r["text"]).actors.values() for r in records]
    people_of = [[a.name for a in actors if a.kind == "person"] for actors in actors_of]
    names_of = [[a.name for a in actors] for actors in actors_of]
    tried: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    for number, record in enumerate(records[: args.articles]):
        article = Article(id=f"{number:016x}", text=record["text"], origin="-")
        sources = content_sentences(article, min_words=5)
        verifier = Verifier(embedder, sources, [article.text], {article.id: article.text}, meaning)
        others = [p for i, r in enumerate(records) if r["event"] != record["event"] for p in people_of[i]][:50]
        for source in [s for s in sources if len(s.text.split()) >= 8][: args.sentences]:
            variants = {
                "true": source.text,
                "paraphrase": paraphrased(source.text, writer) if writer is not None else None,
                "shortened": shortened(source.text),
                "surname": surnamed(source.text, people_of[number]),
                "negation": negated(source.text),
                "number": renumbered(source.text),
                "name": renamed(source.text, people_of[number], others, article.text),
                "roles": swapped(source.text, names_of[number]),
                "speaker": respoken(source.text, people_of[number]),
            }
            for kind, text in variants.items():
                if text is None or (text == source.text and kind != "true"):
                    continue
                tried[kind] += 1
                support = verifier.check(text, {article.id})
                rejected[kind] += not support.supported
                if args.show and support.supported == (kind in TRUE_KINDS):
                    continue
                if args.show:
                    print(f"{kind}: {text}\n  evidence: {source.text}\n  problems: {support.problems}")
    for kind in ("true", "paraphrase", "shortened", "surname", "negation", "number", "name", "roles", "speaker"):
        share = rejected[kind] / max(tried[kind], 1)
        print(f"{kind:<10} {tried[kind]:>5} sentences, rejected {share:.1%}")
    if meaning is not None:
        print(f"meaning check: {len(meaning.verdicts)} questions, {meaning.seconds:.0f} s")
    kept = sum(tried[k] for k in TRUE_KINDS)
    print(f"true      {kept:>5} sentences, rejected {sum(rejected[k] for k in TRUE_KINDS) / max(kept, 1):.1%}")
    perturbed = sum(tried[k] for k in tried if k not in TRUE_KINDS)
    caught = sum(rejected[k] for k in rejected if k not in TRUE_KINDS)
    print(f"perturbed {perturbed:>5} sentences, rejected {caught / max(perturbed, 1):.1%}")


if __name__ == "__main__":
    main()
