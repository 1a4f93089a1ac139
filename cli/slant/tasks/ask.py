"""`slant ask`: answers drawn only from retrieved passages, every sentence verified against the
passages it cites; an honest abstention when the articles do not answer.
"""

from __future__ import annotations

import functools
import json
import re
import shlex
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from pydantic import BaseModel

from slant.config.errors import IndexUnavailableError, InputError
from slant.config.settings import Settings
from slant.index.keywords import open_keyword_index
from slant.index.retrieval import Filters, Passage, search
from slant.index.selection import remember_stored_readings
from slant.index.store import Store
from slant.llm.model import Completion, TextModel, generate, is_writer
from slant.llm.prompts import render
from slant.llm.provenance import Provenance, provenance
from slant.reading.actors import TITLE_WORDS, affiliation, canonical
from slant.reading.readings import reading_of
from slant.text.names import NAME_WORD
from slant.text.numbers import NUMBER, SPELLED_NUMBERS, number_values
from slant.text.questions import (
    Question,
    analyse,
    enough_focus,
    focus_overlap,
    holds_kind,
    slot_missing,
)
from slant.text.sentences import Evidence, continues_subject, sentence_spans
from slant.text.spans import Span
from slant.text.tokens import tokens
from slant.verify.evidence import Verifier, is_statement, statement_spans
from slant.verify.meaning import MeaningCheck

ABSTENTION = "The indexed articles do not answer this."
MIN_RELEVANCE = 0.45  # relevance to the question an answer sentence needs (0.7 cosine + 0.3 overlap)
MAX_SENTENCES = 2
WRITER_PASSAGES = 4  # passages the writer reads from (~40-79 prompt tokens/s on 2 cores): docs/performance.md
WRITER_CHARS = 2000  # characters of those passages' sentences nearest the question it reads, in all
SHORT_ANSWER_WORDS = 25  # a longer "short answer" is a passage copied, not an answer: the writer found none
# For `expected_seconds` (slant doctor): the answer prompt's own tokens, the tokens of a written
# answer's JSON, the meaning checks of an answer and the tokens each reads, characters per token.
PROMPT_TOKENS, ANSWER_TOKENS, CHECKS, CHECK_TOKENS, CHARS_PER_TOKEN = 250, 80, 2, 150, 4.0
MAX_QUESTION_CHARS = 1000  # a question, not a document: longer input would fill the model's context
_JOINS = re.compile(r"\b(?:and|or|vs\.?|versus)\b|,", re.IGNORECASE)
_CITATION = re.compile(r"\s*\[(\d+)\]")
_CUT_REPLY = re.compile(
    r'\s*\{\s*"answer"\s*:\s*"((?:[^"\\]|\\.)*)"\s*,\s*"passage"\s*:\s*(\d+)'
)  # the writer's, cut off
MIN_SOURCE_RELEVANCE = 0.35  # for a source sentence (or it with its context) holding the focus, kind and slot
FOCUS_WEIGHT = 0.5  # how much the focus words count beside relevance when ranking answers
SLOT_WEIGHT = 1.2  # how much the words of the answer slot count ("which union treasurer": treasurer)
CONTEXT_SENTENCES = 2  # sentences before a candidate answer read with it for the question's focus
SLOT_SHARE = 0.5  # share of the answer slot ("how many import permits had") an answer must hold
LIKE_MEANING = 0.7  # cosine of two words' embeddings at which one stands for the other ("guarding", "protecting")
_MARK = re.compile(rf"\b(?:{NAME_WORD}|{NUMBER.pattern})")  # names and numbers
DRAFT_WEIGHT = 0.3  # how much the model's pointing counts (names and numbers of its draft)
_KIND_WORDS = {
    "amount": "how many or how much",
    "when": "when",
    "where": "where",
    "who": "who",
    "why": "why",
    "which": "which one",
    "other": "what",
}


class Citation(BaseModel):
    """A passage a sentence rests on: document, chunk, character span, quoted text."""

    doc_id: str
    chunk_id: str | None  # None: the sentence after an answer, beyond the retrieved passages
    start: int
    end: int
    quote: str
    source: str | None
    title: str | None


class AnswerSentence(BaseModel):
    """One verified sentence of an answer."""

    text: str
    origin: str  # "generated" (verified) | "source" (the supporting source sentence itself)
    support: float
    citations: list[Citation]


class Answer(BaseModel):
    """An answer, or an abstention with the closest passages."""

    question: str
    answered: bool
    short: str | None = None  # the writer's short answer, shown first: only if the checked sentences hold it
    sentences: list[AnswerSentence]
    closest: list[Passage]
    rejected: list[dict[str, Any]]
    generated_text: str
    provenance: Provenance | None  # None: the evidence decided and the model was not called
    timings: dict[str, float]
    see_also: str | None = None  # for a question comparing sources: the command that compares them


def ask(
    question: str,
    settings: Settings,
    model: TextModel,
    embedder: Any,
    filters: Filters | None = None,
    on_text: Callable[[str], None] | None = None,
) -> Answer:
    """Retrieve, generate, verify; see the module docstring."""
    from slant.llm.embedder import RememberingEmbedder

    question = question.strip()
    if not question:
        raise InputError("The question is empty", 'ask something, e.g. slant ask "Who said what?"')
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            f"The question is {len(question):,} characters long (at most {MAX_QUESTION_CHARS:,})",
            "ask a shorter question; to analyse a text, ingest it and use summarize or compare",
        )
    started = time.perf_counter()
    store = Store.open(settings, embedder.embedder_id)
    if store.chunks.count() == 0:
        raise IndexUnavailableError("The index is empty", "run `slant ingest PATH...` first")
    named = _sources_named(question, store)
    if len(named) >= 2:
        return _per_source(question, named, store, embedder, settings, filters, started)
    passages = search(store, embedder, question, settings.k, filters)
    retrieved = time.perf_counter()
    embedder = RememberingEmbedder(embedder)  # the checks below embed the same sentences again and again
    if not _always_drafts(settings, model):
        reading = _read(passages, store)
        candidates = _candidates(question, reading.sources, reading.texts, embedder, dates=reading.dates)
        close_call = len(candidates) >= 2 and candidates[0][0] - candidates[1][0] < DRAFT_WEIGHT
        if settings.answer_writer == "sources" or not close_call:
            best = candidates[0][1] if candidates else []
            sentences = [_sentence(e.text, "source", score, e, passages, reading.titles) for e, score in best]
            return Answer(
                question=question,
                answered=bool(sentences),
                sentences=sentences,
                closest=passages[:3],
                rejected=[],
                generated_text="",
                provenance=None,
                timings={
                    "retrieval": round(retrieved - started, 4),
                    "verification": round(time.perf_counter() - retrieved, 4),
                    "total": round(time.perf_counter() - started, 4),
                },
            )
    if is_writer(model.model):
        return _written(question, passages, store, embedder, model, settings, on_text, started, retrieved)
    packed = _pack(question, passages, model, settings)
    prompt = render("ask", passages=[p.text.replace("\n", " ") for p in packed], question=question)
    draft = _CheckedDraft(on_text, packed, store, embedder) if on_text is not None else None
    completion = generate(model, prompt, settings, on_text=draft)
    if draft is not None:
        draft.finish()
    generated = time.perf_counter()
    sentences, rejected = _verify(completion.text, question, packed, _read(packed, store), embedder)
    return Answer(
        question=question,
        answered=bool(sentences),
        sentences=sentences,
        closest=packed[:3],
        rejected=rejected,
        generated_text=completion.text.strip(),
        provenance=provenance(model, prompt, settings),
        timings=_timings(started, retrieved, completion, generated),
    )


def _written(
    question: str,
    passages: list[Passage],
    store: Store,
    embedder: Any,
    model: TextModel,
    settings: Settings,
    on_text: Callable[[str], None] | None,
    started: float,
    retrieved: float,
) -> Answer:
    """The writer's answer (prompts/answer.yaml): a short answer and a sentence that answers in
    full, checked by meaning against the passage it cites (verify/). While it writes, `on_text`
    gets the evidence's best candidate answer. A sentence that fails leaves the answer to the
    evidence: the best source sentence that holds the writer's short answer, else the evidence's
    own best if it names what the writer named (`_agrees`). When the two name different things,
    or the writer finds no answer in the passages, slant declines with the closest passages.
    """
    reading = _read(passages, store)
    if on_text is not None:
        best = _source_answer(question, reading.sources, reading.texts, embedder, dates=reading.dates)
        if best:
            on_text(" ".join(evidence.text for evidence, _ in best))
    packed = _pack(question, passages[:WRITER_PASSAGES], model, settings, "answer")
    prompt = render("answer", passages=_excerpts(question, packed, embedder), question=question)
    completion = generate(model, prompt, settings)
    generated = time.perf_counter()
    written = _WrittenAnswer.parse(completion.text, len(packed))
    sentences: list[AnswerSentence] = []
    rejected: list[dict[str, Any]] = []
    choice = re.search(r"\bor\b", question, re.I)  # "Did Ruiz or Okafor win?" is answered by a word it gives
    if written.answer and not _new_words(written.answer, question) and not choice:  # "the student": whose name?
        rejected.append({"text": written.answer, "reasons": ["gives nothing the question does not: no answer"]})
        written = _WrittenAnswer("", "", 0)
    read = _read(packed, store) if written.answer else None  # once, for the checks and the candidates
    tie = _tied_elsewhere(written.answer, question, read.texts) if read else None
    if tie:
        rejected.append({"text": written.answer, "reasons": [f"the articles tie {written.answer} to {tie}"]})
    elif read:
        meaning = MeaningCheck(model, settings)
        cited = f"{written.sentence} [{written.passage}]" if written.passage and written.sentence else written.sentence
        sentences, rejected = _verify(cited, question, packed, read, embedder, meaning, draft=written.answer)
        if all(s.origin == "source" for s in sentences) and not _holds(written.answer, question, sentences):
            held = _holding(written.answer, question, packed, read, embedder, meaning)
            agrees = _agrees(written.answer, question, " ".join(s.text for s in sentences))
            sentences = held or (sentences if agrees else [])
    short = written.answer if sentences and _holds(written.answer, question, sentences) else None
    return Answer(
        question=question,
        answered=bool(sentences),
        short=short,
        sentences=sentences,
        closest=packed[:3],
        rejected=rejected,
        generated_text=completion.text.strip(),
        provenance=provenance(model, prompt, settings),
        timings=_timings(started, retrieved, completion, generated),
    )


def _excerpts(question: str, passages: list[Passage], embedder: Any) -> list[str]:
    """What the writer reads of each passage: the sentences nearest the question, each with the
    sentence after it (an answer may follow its lead: "… was named treasurer." / "She is 42."),
    in the passage's order with gaps marked "…", WRITER_CHARS in all. Each passage keeps at least
    its nearest sentence, so the writer's passage numbers stay the passages' own. About 40% fewer
    prompt tokens than the whole passages, for the same right answers (docs/performance.md).
    """
    spans = [sentence_spans(p.text) for p in passages]
    places = [(i, j) for i, found in enumerate(spans) for j in range(len(found))]
    text = {(i, j): " ".join(passages[i].text[spans[i][j].start : spans[i][j].end].split()) for i, j in places}
    scores = _relevance(question, list(text.values()), embedder) if places else []
    ranked = [places[k] for k in sorted(range(len(places)), key=lambda k: -scores[k])]
    kept = {next(place for place in ranked if place[0] == i) for i, found in enumerate(spans) if found}
    for i, j in ranked:
        if sum(len(text[place]) for place in kept) >= WRITER_CHARS:
            break
        kept |= {(i, j), (i, j + 1)} if j + 1 < len(spans[i]) else {(i, j)}
    excerpts = []
    for i, passage in enumerate(passages):
        chosen = sorted(j for at, j in kept if at == i)
        if not chosen:
            excerpts.append(" ".join(passage.text.split()))
            continue
        parts = ["…"] if chosen[0] > 0 else []
        for before, j in zip([None, *chosen], chosen, strict=False):
            if before is not None and j > before + 1:
                parts.append("…")
            parts.append(text[(i, j)])
        excerpts.append(" ".join(parts + (["…"] if chosen[-1] < len(spans[i]) - 1 else [])))
    return excerpts


def _timings(started: float, retrieved: float, completion: Completion, generated: float) -> dict[str, float]:
    """Seconds of an answer the model wrote: retrieval, its first token, its writing, the checks."""
    return {
        "retrieval": round(retrieved - started, 4),
        "first_token": round(completion.first_token_seconds, 4),
        "generation": round(completion.seconds, 4),
        "verification": round(time.perf_counter() - generated, 4),
        "total": round(time.perf_counter() - started, 4),
    }


def expected_seconds(read_rate: float, write_rate: float, settings: Settings) -> float:
    """Seconds a written answer takes at these rates (tokens per second): the writer reads about
    WRITER_CHARS of its passages (`_excerpts`, at most the passages themselves) and the prompt,
    writes about ANSWER_TOKENS, and the meaning check reads the closest sentences and the answer
    once or twice.
    """
    passage_tokens = min(WRITER_CHARS, WRITER_PASSAGES * settings.chunk_chars) / CHARS_PER_TOKEN
    read = passage_tokens + PROMPT_TOKENS + CHECKS * CHECK_TOKENS
    return read / read_rate + (ANSWER_TOKENS + CHECKS * 6) / write_rate


class _WrittenAnswer(NamedTuple):
    """The writer's JSON reply; empty strings when it finds no answer (or replies otherwise)."""

    answer: str
    sentence: str
    passage: int

    @classmethod
    def parse(cls, text: str, passages: int) -> _WrittenAnswer:
        """The reply's fields; from a reply the token limit cut off in its sentence, the answer
        and passage alone (then the evidence gives the sentence).
        """
        try:
            reply = json.loads(text)
            answer, passage, sentence = str(reply["answer"]).strip(), reply["passage"], str(reply["sentence"]).strip()
        except (ValueError, KeyError, TypeError):
            cut = _CUT_REPLY.match(text)
            if cut is None:
                return cls("", "", 0)
            answer, passage, sentence = cut.group(1).strip(), int(cut.group(2)), ""
        if not isinstance(passage, int) or not 1 <= passage <= passages:
            passage = 0
        short = answer and len(answer.split()) <= SHORT_ANSWER_WORDS
        return cls(answer, sentence, passage) if short else cls("", "", 0)


def _tied_elsewhere(short: str, question: str, texts: dict[str, str]) -> str | None:
    """The organisation the articles' readings tie the person of a short answer to, when it is not
    the one the question names ("Which Apple executive …?" is not answered by W. Douglas Parker,
    "chairman and chief executive of American Airlines"); None when they tie them to it or to none.
    """
    qualifier = " ".join(analyse(question).qualifier)
    ties = set()
    for text in texts.values() if qualifier else ():
        actors = reading_of(text).actor_index.actors
        person = actors.get(canonical(short, actors))
        tie = affiliation(person) if person is not None and person.kind == "person" else None
        organisation = actors.get(canonical(tie, actors)) if tie else None
        if tie and organisation is not None and organisation.kind == "organisation":
            ties.add(tie)
    if any(qualifier in tie or tie in qualifier for tie in ties):
        return None
    return min(ties, default=None)


def _holding(
    short: str, question: str, passages: list[Passage], reading: _Reading, embedder: Any, meaning: MeaningCheck
) -> list[AnswerSentence]:
    """The best candidate answer that holds the writer's short answer, when its own sentence
    failed and the evidence's best candidate does not hold it: the writer points, the rules of
    `_candidates` and the meaning check (does the candidate give that answer?) decide.
    """
    for _, answer in _candidates(question, reading.sources, reading.texts, embedder, short, reading.dates):
        shown = [_sentence(e.text, "source", score, e, passages, reading.titles) for e, score in answer]
        if _holds(short, question, shown):
            claim = f'The answer to the question "{question}" is: {short}.'
            return shown if meaning.says(" ".join(s.text for s in shown), claim) else []
    return []


def _holds(short: str, question: str, sentences: list[AnswerSentence]) -> bool:
    """Whether the checked answer holds every word of the short answer the question does not
    give ("William Taylor III, her lawyer"), a title aside ("Sen. Harry Reid" is held by "Senate
    Minority Leader Harry Reid") and a number as words or digits ("six" holds "6"): only then is
    it shown above the sentence, and only then does the evidence answer for the writer.
    """
    shown = set(_answer_words(" ".join(s.text + " " + " ".join(c.quote for c in s.citations) for s in sentences)))
    needed = _new_words(short, question)
    return (needed - TITLE_WORDS or needed) <= shown


def _new_words(short: str, question: str) -> set[str]:
    """The words of a short answer that the question does not give."""
    return set(_answer_words(short)) - set(_answer_words(question))


def _agrees(short: str, question: str, answer: str) -> bool:
    """Whether an answer (the writer's own sentence, or the evidence's) names what the writer's
    short answer names: the last name or number of the short answer that the question does not
    give ("Reese" of "Father Thomas J. Reese", "6" as "six"). A short answer with none (a reason,
    a clause) agrees with any answer.
    """
    named = _named_word(short, question)
    return named is None or named in _answer_words(answer)


def _named_word(short: str, question: str) -> str | None:
    """The last name or number of a short answer that the question does not give, if any."""
    asked = set(_answer_words(question))
    named = [w for w in _answer_words(" ".join(_MARK.findall(short))) if w not in asked]
    return named[-1] if named else None


def _answer_words(text: str) -> list[str]:
    """The words by which a short answer and a sentence are compared: numbers in words as digits."""
    return [SPELLED_NUMBERS.get(word, word) for word in tokens(text)]


def _always_drafts(settings: Settings, model: TextModel) -> bool:
    """Whether the model drafts every answer (settings.answer_writer): "model", or "auto" with a
    writer (a local model file of 1 GB or more). Otherwise ("auto" with a smaller model) it drafts
    only where its draft can change the answer: its sentences almost never pass the verifier, so
    it can change only which source sentence answers, by pointing (at most DRAFT_WEIGHT), when
    the best two candidates are that close. "sources" never drafts.
    """
    if settings.answer_writer == "auto":
        return is_writer(model.model)
    return settings.answer_writer == "model"


def _sources_named(question: str, store: Store) -> list[str]:
    """The sources of the index the question names ("How did Fox and the Times describe …").
    Only a question joining two things ("and", "or", "vs", a comma) can name two; the others
    never pay for reading the sources.
    """
    if not _JOINS.search(question):
        return []
    known = sorted({str(s) for s in open_keyword_index(store).sources.tolist() if s}, key=len, reverse=True)
    lowered = question.lower()
    found: dict[str, tuple[int, int]] = {}
    for name in known:  # longest first: "The New York Times" before "Times"
        match = re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", lowered)
        if match and not any(start <= match.start() < end for start, end in found.values()):
            found[name] = (match.start(), match.end())
    return sorted(found, key=lambda name: found[name][0])  # in the order the question names them


def _per_source(
    question: str,
    named: list[str],
    store: Store,
    embedder: Any,
    settings: Settings,
    filters: Filters | None,
    started: float,
) -> Answer:
    """A question about several sources: each source's most relevant sentence, side by side, and
    the `slant compare` command that compares them in full. No model prose: the evidence speaks.
    """
    from slant.llm.embedder import RememberingEmbedder

    embedder = RememberingEmbedder(embedder)
    topic = question  # what is asked about, without the names of the sources: they are in no sentence
    for name in named:
        topic = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "", topic, flags=re.IGNORECASE)
    asked = analyse(topic)
    sentences: list[AnswerSentence] = []
    closest: list[Passage] = []
    for name in named:
        scope = Filters(
            sources=[name], since=filters.since if filters else None, until=filters.until if filters else None
        )
        passages = search(store, embedder, topic, settings.k, scope)
        closest += passages[:1]
        sources = _passage_sentences(passages)
        if not sources:
            continue
        scores = _relevance(topic, [s.text for s in sources], embedder)
        best = max(range(len(sources)), key=lambda i: scores[i] + FOCUS_WEIGHT * focus_overlap(asked, sources[i].text))
        if scores[best] >= MIN_SOURCE_RELEVANCE:
            found = store.get(sources[best].doc_id)
            titles = {sources[best].doc_id: found.article.title if found else None}
            sentences.append(
                _sentence(sources[best].text, "source", round(scores[best], 3), sources[best], passages, titles)
            )
    compare = " ".join(f"--source {shlex.quote(name)}" for name in named)
    return Answer(
        question=question,
        answered=bool(sentences),
        sentences=sentences,
        closest=closest,
        rejected=[],
        generated_text="",
        provenance=None,
        timings={"total": round(time.perf_counter() - started, 4)},
        see_also=f"slant compare {compare}",
    )


def _pack(
    question: str, passages: list[Passage], model: TextModel, settings: Settings, prompt: str = "ask"
) -> list[Passage]:
    """Passages that fit the model's context with the prompt and the answer, best first."""
    empty = render(prompt, passages=[], question=question)
    budget = model.context_size - settings.max_tokens - model.count_tokens(empty.text)
    if budget <= 0:
        raise InputError(
            "The question is longer than the model's context",
            "shorten it, or raise SLANT_N_CTX",
        )
    packed = []
    for passage in passages:
        cost = model.count_tokens(passage.text) + 4
        if cost <= budget:
            packed.append(passage)
            budget -= cost
    return packed


class _CheckedDraft:
    """Passes the model's draft on to `on_text` as it is written, sentence by sentence, each only
    once it passes a first check: the verifier's support check against the passages it may cite.
    A sentence the evidence does not back ("the port was bombed", from an injected line) is never
    shown, not even as a draft; the full checks run on the whole draft afterwards (`_verify`).
    """

    def __init__(self, on_text: Callable[[str], None], passages: list[Passage], store: Store, embedder: Any) -> None:
        sources, texts, _, _ = _read(passages, store)
        self.on_text = on_text
        self.passages = passages
        self.verifier = Verifier(embedder, sources, list(texts.values()), texts)
        self.pending = ""

    def __call__(self, piece: str) -> None:
        self.pending += piece
        spans = sentence_spans(self.pending)
        if len(spans) > 1:  # every sentence but the last is complete
            for span in spans[:-1]:
                self._show(self.pending[span.start : span.end])
            self.pending = self.pending[spans[-1].start :]

    def finish(self) -> None:
        """Check and pass on the last sentence of the draft."""
        self._show(self.pending)
        self.pending = ""

    def _show(self, raw: str) -> None:
        sentence = _CITATION.sub("", raw).strip()
        cited = [int(n) for n in _CITATION.findall(raw) if 1 <= int(n) <= len(self.passages)]
        allowed = {self.passages[n - 1].doc_id for n in cited} or None
        if sentence and self.verifier.check(sentence, allowed).supported:
            self.on_text(sentence + " ")


def _verify(
    text: str,
    question: str,
    passages: list[Passage],
    reading: _Reading,
    embedder: Any,
    meaning: MeaningCheck | None = None,
    draft: str | None = None,
) -> tuple[list[AnswerSentence], list[dict[str, Any]]]:
    """The sentences of `text` (citing passages as [n]) the checks pass, by meaning when given a
    `meaning` check, each naming what the writer's short answer (`draft`) names; if none passes,
    the evidence's best answer, pointed at by the `draft` (default: the text); if none, a writer's
    sentence its evidence says, shown after the sentence before that evidence when that one names
    the short answer and the two answer the question. `reading`: the passages' `_read`.
    """
    from slant.llm.embedder import RememberingEmbedder

    embedder = RememberingEmbedder(embedder)
    sources, texts, dates, titles = reading
    verifier = Verifier(embedder, sources, list(texts.values()), texts, meaning)
    chosen: list[AnswerSentence] = []
    rejected: list[dict[str, Any]] = []
    shown_together: list[AnswerSentence] = []  # the sentence that names the answer, then the writer's
    unnamed = f"does not name what the short answer names ({draft})"
    body = text.strip()
    if body and "NOT IN SOURCES" not in body.upper():
        for raw in (body[span.start : span.end] for span in sentence_spans(body)):
            cited = [int(n) for n in _CITATION.findall(raw)]
            sentence = _CITATION.sub("", raw).strip()
            if not sentence:
                continue
            valid = [n for n in cited if 1 <= n <= len(passages)]
            allowed = {passages[n - 1].doc_id for n in valid} or None
            support = verifier.check(sentence, allowed)
            verified = support.supported  # the evidence says it: whether it answers is checked next
            support.problems += _not_answering(question, sentence, support.evidence, reading, embedder)
            names_the_answer = draft is None or _agrees(draft, question, sentence)
            if not names_the_answer:
                support.problems.append(unnamed)
            if support.supported and support.evidence is not None:
                chosen.append(_sentence(sentence, "generated", support.score, support.evidence, passages, titles))
                continue
            reasons = support.problems or [f"support {support.score:.2f} below threshold"]
            if len(valid) < len(cited):
                reasons.append("cites a passage that was not retrieved")
            rejected.append({"text": sentence, "reasons": reasons})
            if shown_together or not verified or names_the_answer or draft is None or support.evidence is None:
                continue
            named_before = _naming_before(draft, question, support.evidence, texts)
            if named_before is not None and not _not_answering(
                question, f"{named_before.text} {sentence}", named_before, reading, embedder
            ):
                shown_together = [
                    _sentence(named_before.text, "source", support.score, named_before, passages, titles),
                    _sentence(sentence, "generated", support.score, support.evidence, passages, titles),
                ]
    if not chosen:
        pointer = body if draft is None else draft
        for evidence, score in _source_answer(question, sources, texts, embedder, draft=pointer, dates=dates):
            chosen.append(_sentence(evidence.text, "source", score, evidence, passages, titles))
    if not chosen and shown_together:  # no candidate holds the answer: the writer's sentence and the one before do
        chosen = shown_together
        rejected = [r for r in rejected if r["text"] != chosen[1].text]
    return chosen[:MAX_SENTENCES], rejected


def _not_answering(
    question: str, sentence: str, evidence: Evidence | None, reading: _Reading, embedder: Any
) -> list[str]:
    """What keeps a checked sentence from answering the question: it is not relevant or not about
    the question's focus, read alone or, as a candidate is, with the sentences before its
    evidence in the article (the writer, like the article, may leave out the names a story
    opened with); or it holds no answer of the kind asked (a number the question names may be in
    the article or its date).
    """
    context, article = sentence, None
    if evidence is not None and evidence.doc_id in reading.texts:
        context = f"{_with_context(evidence, reading.texts)} {sentence}"
        article = f"{reading.texts[evidence.doc_id]}\n{reading.dates.get(evidence.doc_id, '')}"
    problems = []
    relevance = max(_relevance(question, [sentence, context], embedder))
    if relevance < MIN_RELEVANCE:
        problems.append(f"relevance {relevance:.2f} to the question too low")
    problems += answer_type_problems(question, sentence, article)
    asked = analyse(question)
    if not enough_focus(asked, sentence) and not enough_focus(asked, context):
        problems.append("is not about what the question asks")
    return problems


class _Reading(NamedTuple):
    """What retrieved passages give to answer from: their sentences, and each article's text,
    date and title by document id.
    """

    sources: list[Evidence]
    texts: dict[str, str]
    dates: dict[str, str]
    titles: dict[str, str | None]


def _read(passages: list[Passage], store: Store) -> _Reading:
    found = {p.doc_id: store.get(p.doc_id) for p in passages}
    articles = {doc_id: document.article for doc_id, document in found.items() if document}
    remember_stored_readings(store, list(articles.values()))
    return _Reading(
        _passage_sentences(passages),
        {doc_id: article.text for doc_id, article in articles.items()},
        {doc_id: article.published or "" for doc_id, article in articles.items()},
        {doc_id: article.title for doc_id, article in articles.items()},
    )


def _source_answer(
    question: str,
    sources: list[Evidence],
    texts: dict[str, str],
    embedder: Any,
    draft: str = "",
    dates: dict[str, str] | None = None,
) -> list[tuple[Evidence, float]]:
    """The best candidate answer (`_candidates`), or nothing: then these articles do not answer."""
    candidates = _candidates(question, sources, texts, embedder, draft, dates)
    return candidates[0][1] if candidates else []


def _candidates(
    question: str,
    sources: list[Evidence],
    texts: dict[str, str],
    embedder: Any,
    draft: str = "",
    dates: dict[str, str] | None = None,
) -> list[tuple[float, list[tuple[Evidence, float]]]]:
    """The source sentences that may answer, each with its rank and the sentences shown for it
    (itself, and the next one where that holds the answer or carries on), best first.

    A candidate must

    - be about the question's focus: itself, or read with the two sentences before it in its
      article (an answer sentence need not repeat the names the story opened with: "Her
      appointment takes effect on March 3.");
    - hold an answer of the kind asked (and an entity of its type: `_lacks_entity`), itself or in the sentence
      after it when that one is about the question too ("The tenants union adopted a resolution …" / "The vote
      took place at the union's convention in Kestrel Bay."); a year the question names may be the article's,
      from its date;
    - hold half the words of the question's answer slot ("which union treasurer" -> "treasurer";
      "where did the council sign the lease" -> two of "council", "sign", "lease");
    - be relevant to the question, itself or with those two sentences.

    Candidates are ranked by relevance to the question, focus words, and the share of the answer
    slot they hold. The model's draft, even when it cannot be verified, points: a source
    sentence holding the names and numbers the draft gives (and the question does not) ranks
    higher. The evidence still decides whether it answers.

    A next sentence whose pronoun subject carries on from the answer ("The Riverside council
    voted on the plan." / "It passed by 7 votes to 2.") continues it, and is read and shown with it.
    """
    if not sources:
        return []
    asked = analyse(question)
    scores = _relevance(question, [s.text for s in sources], embedder)
    pointed = _pointed_at(draft, question, sources)
    found: list[tuple[float, list[tuple[Evidence, float]]]] = []
    for index, source in enumerate(sources):
        about = enough_focus(asked, source.text)
        context = _with_context(source, texts)
        if not about and not enough_focus(asked, context):
            continue
        if scores[index] < MIN_SOURCE_RELEVANCE and _relevance(question, [context], embedder)[0] < MIN_SOURCE_RELEVANCE:
            continue
        article = f"{texts.get(source.doc_id, '')}\n{(dates or {}).get(source.doc_id, '')}"
        answer = [source]
        following = _next_sentence(source, texts)
        if answer_type_problems(question, source.text, article) or _lacks_entity(asked, question, source, texts):
            if (
                following is None
                or answer_type_problems(question, following.text, article)
                or _lacks_entity(asked, question, following, texts)
                or focus_overlap(asked, following.text) == 0  # a sentence about something else
            ):
                continue
            answer.append(following)
        elif following is not None and continues_subject(following.text):
            answer.append(following)
        slot = _slot_held(asked, " ".join(e.text for e in answer), embedder)
        if slot < SLOT_SHARE:
            continue
        rank = (
            scores[index]
            + FOCUS_WEIGHT * focus_overlap(asked, source.text)
            + SLOT_WEIGHT * slot
            + DRAFT_WEIGHT * pointed[index]
        )
        found.append((rank, [(e, round(scores[index], 3)) for e in answer]))
    return sorted(found, key=lambda candidate: -candidate[0])


def _lacks_entity(asked: Question, question: str, sentence: Evidence, texts: dict[str, str]) -> bool:
    """Whether the sentence names no entity of the type the question asks for (who: a person,
    organisation or group; where: a place; when: a date or time; how many: a number; which
    executive: a person), as the article's reading found them, beyond those the question names
    ("Which executive called Brewer?" is not answered by Brewer).
    """
    if not asked.entities or sentence.doc_id not in texts:
        return False
    text = texts[sentence.doc_id]
    named = set(tokens(question))
    found = reading_of(text).entities_in(sentence.start, sentence.end, asked.entities)
    return all(set(tokens(text[e.start : e.end])) <= named for e in found)


def _slot_held(asked: Question, text: str, embedder: Any) -> float:
    """Share of the answer slot the text holds. When its own words hold less than SLOT_SHARE, a
    word of like meaning counts too ("protecting" for "guarding": embeddings at LIKE_MEANING or
    closer; ask's embedder remembers the words it has embedded).
    """
    if not asked.slot:
        return 1.0
    missing = slot_missing(asked, text)
    if len(missing) > (1 - SLOT_SHARE) * len(asked.slot):
        words = sorted({t for t in tokens(text) if len(t) > 3})
        if words:
            vectors = embedder.embed(words + missing)
            closest = (vectors[len(words) :] @ vectors[: len(words)].T).max(axis=1)
            missing = [m for m, cosine in zip(missing, closest, strict=True) if float(cosine) < LIKE_MEANING]
    return 1 - len(missing) / len(asked.slot)


@functools.lru_cache(maxsize=32)
def _spans(text: str) -> list[Span]:
    """An article's sentences, split once per article (every candidate looks around itself)."""
    return sentence_spans(text)


def _with_context(evidence: Evidence, texts: dict[str, str]) -> str:
    """A sentence with the CONTEXT_SENTENCES before it in its article."""
    text = texts.get(evidence.doc_id)
    if text is None:
        return evidence.text
    spans = _spans(text)
    at = next((i for i, s in enumerate(spans) if s.start <= evidence.start < s.end), None)
    if at is None:
        return evidence.text
    return " ".join(text[s.start : s.end] for s in spans[max(0, at - CONTEXT_SENTENCES) : at + 1])


def _pointed_at(draft: str, question: str, sources: list[Evidence]) -> list[float]:
    """Per source sentence, the share of the draft's names and numbers (not the question's) it holds."""
    marks = {m for m in _MARK.findall(draft) if m not in question} - {"The", "In", "It", "A"}
    if not marks:
        return [0.0] * len(sources)
    return [sum(1 for m in marks if m in s.text) / len(marks) for s in sources]


def _naming_before(draft: str, question: str, evidence: Evidence, texts: dict[str, str]) -> Evidence | None:
    """The sentence right before the evidence in its article, when it names what the writer's
    short answer names, as an entity of the kind asked, and the writer's own sentence does not
    ("… met with criticism from the American Federation of Teachers." / "In a statement, union
    President Randi Weingarten called the report …"): the two show the answer together.
    """
    text = texts.get(evidence.doc_id)
    if text is None:
        return None
    span = next((s for s in reversed(_spans(text)) if s.end <= evidence.start), None)
    named = _named_word(draft, question)
    if span is None or named is None or not is_statement(text[span.start : span.end]):
        return None
    kinds = analyse(question).entities  # the name must be one of the kind asked: no person for "where"
    found = reading_of(text).entities_in(span.start, span.end, kinds) if kinds else [span]
    if not any(named in _answer_words(text[e.start : e.end]) for e in found):
        return None
    return Evidence(doc_id=evidence.doc_id, start=span.start, end=span.end, text=text[span.start : span.end])


def _next_sentence(evidence: Evidence, texts: dict[str, str]) -> Evidence | None:
    text = texts.get(evidence.doc_id)
    if text is None:
        return None
    span = next((s for s in _spans(text) if s.start >= evidence.end), None)
    if span is None or not is_statement(text[span.start : span.end]):
        return None
    return Evidence(doc_id=evidence.doc_id, start=span.start, end=span.end, text=text[span.start : span.end])


def answer_type_problems(question: str, sentence: str, article: str | None = None) -> list[str]:
    """What keeps a sentence from answering the kind of question asked: a number or year the
    question names must occur in it (or in its `article`, text and date: "In 2019, how many …"
    is not answered by an article about another year); "how many" needs an amount, "when" a date or time, "where"
    a place, "why" a reason, "who"/"which" a name the question does not already give.
    """
    problems = []
    numbers = set(number_values(sentence)) | set(number_values(article or ""))
    missing = [n for n in number_values(question) if n not in numbers]
    if missing:
        problems.append(f"does not mention {', '.join(missing)}, which the question asks about")
    asked = analyse(question)
    if not holds_kind(asked, sentence, question):
        problems.append(f"the question asks {_KIND_WORDS[asked.kind]}, and the sentence does not say")
    return problems


def _passage_sentences(passages: list[Passage]) -> list[Evidence]:
    found: dict[tuple[str, int], Evidence] = {}
    for passage in passages:
        for span in statement_spans(passage.text, min_words=5):
            text = passage.text[span.start : span.end]
            if not text.endswith("?"):
                start = passage.start + span.start
                found[(passage.doc_id, start)] = Evidence(
                    doc_id=passage.doc_id, start=start, end=passage.start + span.end, text=text
                )
    return list(found.values())


def _relevance(question: str, texts: list[str], embedder: Any) -> list[float]:
    """How well each text answers the question: 0.7 cosine + 0.3 share of question words."""
    vectors = embedder.embed([question, *texts])
    cosines = vectors[1:] @ vectors[0]
    words = set(tokens(question))
    return [
        0.7 * float(cosine) + 0.3 * len(words & set(tokens(text))) / max(len(words), 1)
        for cosine, text in zip(cosines, texts, strict=True)
    ]


def _sentence(
    text: str, origin: str, support: float, evidence: Evidence, passages: list[Passage], titles: dict[str, str | None]
) -> AnswerSentence:
    citations = [
        Citation(
            doc_id=evidence.doc_id,
            chunk_id=p.chunk_id,
            start=evidence.start,
            end=evidence.end,
            quote=evidence.text,
            source=p.source,
            title=titles.get(evidence.doc_id),
        )
        for p in passages
        if p.doc_id == evidence.doc_id and p.start <= evidence.start and evidence.end <= p.end
    ][:1]
    if not citations:  # the sentence after an answer may lie beyond the passage: cite its document
        source = next(p.source for p in passages if p.doc_id == evidence.doc_id)
        citations = [
            Citation(
                doc_id=evidence.doc_id,
                chunk_id=None,
                start=evidence.start,
                end=evidence.end,
                quote=evidence.text,
                source=source,
                title=titles.get(evidence.doc_id),
            )
        ]
    return AnswerSentence(text=text, origin=origin, support=support, citations=citations)
