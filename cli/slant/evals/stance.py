"""Score slant's stance toward an article's main entity on PerSenT-format files (Bastan et al.
2020: one article a line with `text`, `entity` and the author's `sentiment` toward it: positive,
neutral or negative). slant's stance comes from the same path as `slant compare`
(framing.stance.stance_toward); "unclear" (the entity never named outside quotes) counts as a miss.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from slant.config.errors import InputError
from slant.evals.basil import read_jsonl
from slant.framing.stance import stance_toward
from slant.reading.actors import Actor, find_actors
from slant.sources.documents import Article

GOLD = {"negative": "critical", "neutral": "neutral", "positive": "favourable"}
SAID = ("critical", "neutral", "favourable", "unclear")


class StanceScores(BaseModel):
    """Accuracy, macro-F1 over the three labels, and the confusion counts gold -> said."""

    measures: dict[str, float]
    counts: dict[str, int]
    confusion: dict[str, dict[str, int]]


def score_stance(path: Path) -> StanceScores:
    """Stance accuracy, macro-F1 and confusion on a PerSenT-format file."""
    pairs = []
    for number, record in enumerate(read_jsonl(path), 1):
        try:
            text, entity, gold = str(record["text"]), str(record["entity"]), GOLD[str(record["sentiment"]).lower()]
        except KeyError as error:
            hint = "each line needs text, entity and sentiment (positive / neutral / negative)"
            raise InputError(f"{path}:{number}: missing or unknown field {error}", hint) from error
        article = Article(id=f"{number:016x}", text=text, origin="-")
        said = stance_toward(article, "-", find_actors(text), Actor(name=entity, kind="person")).stance
        pairs.append((gold, said))
    if not pairs:
        raise InputError(f"{path}: no articles", "give one PerSenT-format article a line")
    confusion = {
        gold: {said: sum(1 for g, s in pairs if (g, s) == (gold, said)) for said in SAID} for gold in GOLD.values()
    }
    f1s = []
    for label in GOLD.values():
        tp = confusion[label][label]
        precision = tp / max(sum(row[label] for row in confusion.values()), 1)
        recall = tp / max(sum(confusion[label].values()), 1)
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return StanceScores(
        measures={
            "stance_accuracy": round(sum(1 for g, s in pairs if g == s) / len(pairs), 3),
            "stance_macro_f1": round(sum(f1s) / len(f1s), 3),
            "stance_coverage": round(sum(1 for _, s in pairs if s != "unclear") / len(pairs), 3),
        },
        counts={"articles": len(pairs)},
        confusion=confusion,
    )
