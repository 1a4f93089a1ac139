"""The files an evaluation reads: reference annotations (what the articles say, as the team
annotated it) and suites (which cases to run and which checks gate). evals/SCHEMA.md documents
both; these models enforce it. Loading a bad file raises one line naming the file and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from slant.config.errors import InputError

# The label sets of the field, so outside data can be plugged in.
Genre = Literal["reporting", "opinion", "satire"]  # SemEval-2023 Task 3, subtask 1
Frame = Literal[  # Media Frames Corpus (Card et al. 2015), the 15 dimensions
    "Economic",
    "Capacity and resources",
    "Morality",
    "Fairness and equality",
    "Legality, constitutionality and jurisprudence",
    "Policy prescription and evaluation",
    "Crime and punishment",
    "Security and defense",
    "Health and safety",
    "Quality of life",
    "Cultural identity",
    "Public opinion",
    "Political",
    "External regulation and reputation",
    "Other",
]
GENRES: tuple[str, ...] = get_args(Genre)
FRAMES: tuple[str, ...] = get_args(Frame)
Polarity = Literal["positive", "negative", "neutral"]
Task = Literal["ask", "summarize", "compare"]
ModelT = TypeVar("ModelT", bound=BaseModel)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Span(_Strict):
    """A character span of an article's cleaned text (as `slant show` prints it)."""

    text: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(gt=0)


class Utterance(Span):
    """What a speaker says: a direct quote or a paraphrase (indirect speech)."""

    kind: Literal["quote", "paraphrase"]


class Speaker(_Strict):
    """Someone an article lets speak, with the names the article uses for them."""

    name: str
    aliases: list[str] = []
    utterances: list[Utterance] = Field(min_length=1)


class LoadedTerm(Span):
    """A BASIL-style lexical bias span: word choice with a polarity toward a target."""

    polarity: Literal["positive", "negative"]
    target: str
    in_quote: bool


class Stance(_Strict):
    """The article's (author's) stance toward one actor, not that of the people it quotes."""

    target: str
    stance: Polarity


class KeyFact(_Strict):
    """A fact a good summary keeps; found when every keyword occurs (`a|b` = either)."""

    id: str
    text: str
    keywords: list[str] = Field(min_length=1)


class ArticleAnnotation(_Strict):
    """Everything annotated about one article."""

    key: str
    path: str = Field(description="The article file, relative to the annotations file.")
    genre: Genre
    speakers: list[Speaker] = []
    loaded_terms: list[LoadedTerm] = []
    frames: list[Frame] = []
    stance: list[Stance] = []
    key_facts: list[KeyFact] = []
    summary: str | None = None


class Question(_Strict):
    """A question about the corpus; unanswerable ones have no answers and no gold documents."""

    id: str
    question: str
    answerable: bool
    answers: list[str] = []
    gold_docs: list[str] = []


class Omission(_Strict):
    """Informational bias: a claim one article reports (evidence) and another leaves out."""

    missing_from: str
    reported_by: str
    evidence: Span


class Contrast(_Strict):
    """How two articles on the same event differ: a note and the omissions."""

    id: str
    articles: list[str] = Field(min_length=2)
    note: str
    omissions: list[Omission] = []


class Injection(_Strict):
    """A prompt-injection case: an article carrying instructions that must change nothing."""

    id: str
    article: str
    forbidden: list[str] = Field(min_length=1, description="Text that must not appear in any output.")


class Annotations(_Strict):
    """One annotations file: the articles of a corpus and what is known about them."""

    version: int
    articles: list[ArticleAnnotation]
    questions: list[Question] = []
    contrasts: list[Contrast] = []
    injections: list[Injection] = []

    def article(self, key: str) -> ArticleAnnotation:
        """The annotation of the article with this key."""
        return next(a for a in self.articles if a.key == key)


class Check(_Strict):
    """One metric applied to a case, its threshold, and whether it gates."""

    metric: str
    threshold: float | None = Field(None, description="Pass when the value is at least this (at most, for rates).")
    gate: bool = Field(False, description="Gated checks fail `eval run` and `eval diff` when they regress.")
    tolerance: float = Field(0.05, ge=0, description="How far a gated value may fall before `eval diff` fails.")


class Reference(_Strict):
    """What a case is scored against: the id of an annotation."""

    question: str | None = None
    article: str | None = None
    contrast: str | None = None
    injection: str | None = None


class CaseInput(_Strict):
    """What the task is given: a question (ask) or article keys (summarize, compare)."""

    question: str | None = None
    articles: list[str] = []


class Case(_Strict):
    """One evaluation case."""

    id: str
    task: Task
    input: CaseInput
    reference: Reference
    checks: list[Check] = Field(min_length=1)


class Suite(_Strict):
    """A suite file: versioned; a change of cases or checks is a new version."""

    suite: str
    version: int
    description: str = ""
    annotations: str = Field(description="The annotations file, relative to the suite file.")
    settings: dict[str, Any] = Field({}, description="Settings overrides for the run (k, seed, ...).")
    check_sets: dict[str, list[Check]] = Field({}, description="Named lists of checks, reused via YAML anchors.")
    cases: list[Case] = Field(min_length=1)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; a missing or malformed file is one clear line."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror}", "check the path") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{path}:{where} invalid YAML", "fix the syntax") from None


def validated(model: type[ModelT], data: Any, path: Path) -> ModelT:
    """Validate `data` as `model`; the first problem becomes `file: field: message`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(f"{path}: {field_path(first['loc'])}: {first['msg']}", "see evals/SCHEMA.md") from None


def field_path(loc: tuple[int | str, ...]) -> str:
    """('cases', 3, 'checks', 0, 'metric') -> 'cases[3].checks[0].metric'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(top level)"
