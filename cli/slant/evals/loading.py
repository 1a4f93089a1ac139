"""Load a suite with its annotations and articles, and check that every reference holds:
spans match the cleaned text slant stores, ids point at something, metrics exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from slant.config.errors import InputError
from slant.evals.metrics import METRICS
from slant.evals.schema import Annotations, Case, Span, Suite, read_yaml, validated
from slant.sources.documents import Article, ReadFailure, read_articles


@dataclass(frozen=True)
class LoadedSuite:
    """A validated suite: its file, the annotations, and the cleaned articles by key."""

    path: Path
    suite: Suite
    annotations: Annotations
    articles: dict[str, Article]

    def article_files(self) -> list[Path]:
        """The article files, in annotation order (what a run ingests)."""
        folder = self.annotations_path.parent
        return [(folder / a.path).resolve() for a in self.annotations.articles]

    @property
    def annotations_path(self) -> Path:
        """Where the annotations file is."""
        return (self.path.parent / self.suite.annotations).resolve()

    def key_of(self, doc_id: str) -> str | None:
        """The article key of a stored document id."""
        return next((key for key, a in self.articles.items() if a.id == doc_id), None)


def load_suite(path: Path) -> LoadedSuite:
    """Read and check a suite file (see evals/SCHEMA.md)."""
    suite = validated(Suite, read_yaml(path), path)
    annotations_path = (path.parent / suite.annotations).resolve()
    annotations = load_annotations(annotations_path)
    articles = _read(annotations, annotations_path)
    for number, case in enumerate(suite.cases):
        _check_case(case, annotations, f"{path}: cases[{number}]")
    ids = [case.id for case in suite.cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(f"{path}: cases: duplicate id {duplicates[0]!r}", "give every case its own id")
    return LoadedSuite(path=path, suite=suite, annotations=annotations, articles=articles)


def load_annotations(path: Path) -> Annotations:
    """Read an annotations file and check its spans against the cleaned article texts."""
    annotations = validated(Annotations, read_yaml(path), path)
    articles = _read(annotations, path)
    keys = set(articles)
    for number, article in enumerate(annotations.articles):
        text = articles[article.key].text
        where = f"{path}: articles[{number}]"
        for s, speaker in enumerate(article.speakers):
            for u, utterance in enumerate(speaker.utterances):
                _check_span(utterance, text, f"{where}.speakers[{s}].utterances[{u}]")
        for t, term in enumerate(article.loaded_terms):
            _check_span(term, text, f"{where}.loaded_terms[{t}]")
    for number, question in enumerate(annotations.questions):
        where = f"{path}: questions[{number}]"
        _check_keys(question.gold_docs, keys, f"{where}.gold_docs")
        if question.answerable and not (question.answers and question.gold_docs):
            raise InputError(f"{where}: an answerable question needs answers and gold_docs", "add them")
        if not question.answerable and (question.answers or question.gold_docs):
            raise InputError(f"{where}: an unanswerable question has no answers or gold_docs", "remove them")
    for number, contrast in enumerate(annotations.contrasts):
        where = f"{path}: contrasts[{number}]"
        _check_keys(contrast.articles, keys, f"{where}.articles")
        for o, omission in enumerate(contrast.omissions):
            _check_keys([omission.missing_from, omission.reported_by], keys, f"{where}.omissions[{o}]")
            text = articles[omission.reported_by].text
            _check_span(omission.evidence, text, f"{where}.omissions[{o}].evidence")
    for number, injection in enumerate(annotations.injections):
        _check_keys([injection.article], keys, f"{path}: injections[{number}].article")
    return annotations


def _read(annotations: Annotations, path: Path) -> dict[str, Article]:
    """The cleaned article of every annotated key, exactly as `slant ingest` stores it."""
    articles: dict[str, Article] = {}
    for number, annotation in enumerate(annotations.articles):
        file = (path.parent / annotation.path).resolve()
        if not file.is_file():
            raise InputError(f"{path}: articles[{number}].path: no file {file}", "fix the path")
        read = list(read_articles([file]))
        if len(read) != 1 or isinstance(read[0], ReadFailure):
            raise InputError(f"{path}: articles[{number}].path: {file} is not one readable article", "fix it")
        if annotation.key in articles:
            raise InputError(f"{path}: articles[{number}].key: duplicate {annotation.key!r}", "use unique keys")
        articles[annotation.key] = read[0]
    return articles


def _check_span(span: Span, text: str, where: str) -> None:
    if text[span.start : span.end] != span.text:
        found = text.find(span.text)
        hint = f"the text occurs at {found}:{found + len(span.text)}" if found >= 0 else "the text does not occur"
        raise InputError(f"{where}: span {span.start}:{span.end} does not hold {span.text[:40]!r}", hint)


def _check_keys(keys: list[str], known: set[str], where: str) -> None:
    for key in keys:
        if key not in known:
            raise InputError(f"{where}: unknown article {key!r}", f"use one of {sorted(known)}")


def _check_case(case: Case, annotations: Annotations, where: str) -> None:
    """The case's reference exists, its input fits its task, and its metrics suit the task."""
    ref = case.reference
    known = {
        "question": {q.id for q in annotations.questions},
        "article": {a.key for a in annotations.articles},
        "contrast": {c.id for c in annotations.contrasts},
        "injection": {i.id for i in annotations.injections},
    }
    for field, ids in known.items():
        value = getattr(ref, field)
        if value is not None and value not in ids:
            raise InputError(f"{where}.reference.{field}: unknown id {value!r}", f"use one of {sorted(ids)}")
    needs = {"ask": "question", "summarize": "article", "compare": "contrast"}[case.task]
    if getattr(ref, needs) is None and not (case.task == "ask" and ref.injection):
        raise InputError(f"{where}.reference: a {case.task} case needs reference.{needs}", "add it")
    if case.task == "ask" and not case.input.question:
        raise InputError(f"{where}.input.question: an ask case needs a question", "add it")
    if case.task != "ask" and not case.input.articles:
        raise InputError(f"{where}.input.articles: a {case.task} case needs article keys", "add them")
    for key in case.input.articles:
        if key not in known["article"]:
            raise InputError(
                f"{where}.input.articles: unknown article {key!r}", f"use one of {sorted(known['article'])}"
            )
    for number, check in enumerate(case.checks):
        metric = METRICS.get(check.metric)
        if metric is None or case.task not in metric.tasks:
            usable = sorted(name for name, m in METRICS.items() if case.task in m.tasks)
            raise InputError(
                f"{where}.checks[{number}].metric: {check.metric!r} is not a {case.task} metric",
                f"use one of {', '.join(usable)}",
            )
