"""Score `ask` on development questions about a BASIL-format article file: questions written by
reading the articles (evals/questions/*.yaml), answerable ones with exact answer aliases and the
article that holds them, unanswerable ones that no article answers.

Measures: answerable questions answered right *and* cited (an alias in the answer, a citation in
an article of the keyed article's event); unanswerable questions declined; answers stating something their cited
article does not say (numbers, names or quotations the verifier cannot find there).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from slant.config.errors import InputError
from slant.evals.schema import read_yaml, validated


class DevQuestion(BaseModel):
    """One development question and what answers it."""

    id: str
    question: str
    key: str  # the BASIL article key that holds the answer (or is most related)
    kind: str = "other"
    answers: list[str] = []
    unanswerable: bool = False


class DevQuestions(BaseModel):
    """A question file."""

    questions: list[DevQuestion]


class QuestionResult(BaseModel):
    """What ask did with one question."""

    id: str
    question: str
    unanswerable: bool
    answered: bool
    right: bool  # answerable: alias in the answer and a citation in the keyed article; else declined
    invented: list[str]  # what the answer states that its cited article does not
    answer: str


def load_questions(path: Path) -> DevQuestions:
    """Read and check a question file."""
    questions = validated(DevQuestions, read_yaml(path), path)
    answerable = [q for q in questions.questions if not q.unanswerable and not q.answers]
    if answerable:
        raise InputError(f"{path}: {answerable[0].id} has no answers", "give answers, or set unanswerable: true")
    return questions


def article_origins(data: Path) -> dict[str, set[str]]:
    """BASIL key -> the origins slant records ("path#N") for the articles of the same event: any
    article reporting the story may be the one an answer cites.
    """
    from slant.sources.documents import origin_of

    origin = origin_of(data)
    keys: dict[str, str] = {}
    events: dict[str, set[str]] = {}
    for number, line in enumerate(data.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            record = json.loads(line)
            key, event = str(record.get("key", number)), str(record.get("event", number))
            keys[key] = event
            events.setdefault(event, set()).add(f"{origin}#{number}")
    return {key: events[event] for key, event in keys.items()}


def score(
    question: DevQuestion,
    answer: Any,
    origin_of_doc: dict[str, str],
    origins: dict[str, set[str]],
    unsupported: Callable[[str, set[str]], list[str]],
) -> QuestionResult:
    """One question's result from slant's Answer; `unsupported(sentence, doc_ids)` lists what a
    sentence states that the cited documents do not.
    """
    text = " ".join(s.text for s in answer.sentences)
    cited_origins = {origin_of_doc.get(c.doc_id) for s in answer.sentences for c in s.citations}
    if question.unanswerable:
        right = not answer.answered
    else:
        found = any(alias.lower() in text.lower() for alias in question.answers)
        right = answer.answered and found and bool(origins.get(question.key, set()) & cited_origins)
    invented = [p for s in answer.sentences for p in unsupported(s.text, {c.doc_id for c in s.citations})]
    return QuestionResult(
        id=question.id,
        question=question.question,
        unanswerable=question.unanswerable,
        answered=answer.answered,
        right=bool(right),
        invented=invented,
        answer=text,
    )


def summary(results: list[QuestionResult]) -> dict[str, float | int]:
    """The totals a note quotes."""
    answerable = [r for r in results if not r.unanswerable]
    unanswerable = [r for r in results if r.unanswerable]
    return {
        "answerable": len(answerable),
        "answerable_right_and_cited": sum(r.right for r in answerable),
        "unanswerable": len(unanswerable),
        "unanswerable_declined": sum(r.right for r in unanswerable),
        "answers_stating_what_sources_do_not": sum(1 for r in results if r.invented),
    }
