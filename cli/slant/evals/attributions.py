"""Score attribution on PolNeAR-format files: articles with every attribution annotated as source,
cue and content character spans (`{"key", "text", "attributions": [{"source", "cue", "content"}]}`,
each part `{"start", "end", "text"}` or missing).

- content credited: the share of gold attributions whose content one of slant's attributions
  overlaps (by at least half of the shorter of the two spans);
- credit precision: the share of slant's attributions whose content overlaps a gold one so;
- named source right: of the gold attributions credited whose source is a name ("Paul Ryan",
  "The New York Post", not "he" or "a campaign aide"), the share whose credit names that source
  (a capitalised word of the gold source is in slant's speaker, "Ryan" in "Paul Ryan").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from slant.config.errors import InputError
from slant.evals.basil import Scores, read_jsonl
from slant.reading.model import Attribution
from slant.reading.pipeline import read
from slant.text.spans import Span

MIN_OVERLAP = 0.5  # of the shorter span: two contents are the same attribution
_NOT_NAME_WORDS = frozenset(["The", "A", "An", "He", "She", "They", "It", "We", "I", "His", "Her", "Their", "One"])
_CAPITALISED = re.compile(r"\b[A-Z][\w’'.-]*")


def score_attributions(path: Path, limit: int | None = None) -> Scores:
    """Read every article of a PolNeAR-format file once and score slant's attributions."""
    rows = read_jsonl(path)[:limit]
    for number, row in enumerate(rows, 1):
        if not isinstance(row.get("text"), str) or not isinstance(row.get("attributions"), list):
            raise InputError(f"{path}: record {number} has no 'text' and 'attributions'", "give a PolNeAR-format file")
    readings = read([row["text"] for row in rows])
    gold_total = credited = named = named_right = found_total = found_right = 0
    for row, reading in zip(rows, readings, strict=True):
        gold = [g for g in row["attributions"] if isinstance(g, dict) and g.get("content")]
        found = reading.attributions
        found_total += len(found)
        found_right += sum(any(_same(a.content, _span(g["content"])) for g in gold) for a in found)
        for attribution in gold:
            gold_total += 1
            credit = _credit_for(_span(attribution["content"]), found)
            credited += credit is not None
            source = attribution.get("source")
            if credit is not None and source and _is_name(source["text"]):
                named += 1
                named_right += _names(credit.speaker, source["text"])
    return Scores(
        measures={
            "content credited": credited / max(gold_total, 1),
            "credit precision": found_right / max(found_total, 1),
            "named source right": named_right / max(named, 1),
        },
        counts={"articles": len(rows), "gold attributions": gold_total, "credits": found_total, "named sources": named},
    )


def _span(part: dict[str, Any]) -> Span:
    return Span(int(part["start"]), int(part["end"]))


def _same(a: Span, b: Span) -> bool:
    overlap = min(a.end, b.end) - max(a.start, b.start)
    shorter = min(a.end - a.start, b.end - b.start)
    return shorter > 0 and overlap >= MIN_OVERLAP * shorter


def _credit_for(content: Span, found: list[Attribution]) -> Attribution | None:
    return next((a for a in found if _same(a.content, content)), None)


def _is_name(source: str) -> bool:
    return any(word not in _NOT_NAME_WORDS for word in _CAPITALISED.findall(source))


def _names(speaker: str, source: str) -> bool:
    words = {w.rstrip(".’'s") for w in _CAPITALISED.findall(source) if w not in _NOT_NAME_WORDS}
    return any(word and word.lower() in speaker.lower() for word in words)  # "PENCE" is Mike Pence
