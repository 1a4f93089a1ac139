"""Neutral summaries of one article, or of one story across articles.

A summary is built from the sources' own sentences, each one whole, neutral and able to stand
alone, and so verified by construction:

1. Candidates: source sentences with no writer's-stance cue (framing/neutrality.py), whole,
   in the third person, and not leaning on the one before ("He said …", "This is …"); asides
   in brackets or between dashes and loaded modifiers are cut (deletions only: nothing new can
   enter; see `_trimmed`).
2. Ranking by salience (framing/salience.py): agreement with the other articles and the
   headlines, position, form and tone, weighted as learned from editors' neutral summaries; a
   single article's opening statements get a bonus (the lead says who did what, when, where).
3. Selection within the length the user sets (words for a story, sentences for an article),
   one sentence per fact: no two close in meaning or sharing a figure; a sentence calling
   something "the X" that only the article's earlier sentences introduced waits until X is told.
4. Order: what more sources report first; the most salient sentence first (what happened), then
   what each side says. A person first mentioned by surname gets the full name their article
   gave ("Paul" -> "Rand Paul"), the only words added to a source sentence.

With `summary_writer = "model"` (or "auto" and a local model file of 1 GB or more, such as the
writer, Qwen2.5-Coder-1.5B-Instruct), the model first writes a summary in neutral words from the
most salient sentences, loaded ones among them (prompts/summarize.yaml); each of its sentences is
kept only if the sentences it cites say it (verify/: the exact checks, then the meaning check; a
model without the meaning check may use no content word the sources lack) and it carries no stance
cue. The picker fills what is left, marked as the sources' own sentences. The default is the
sources' sentences alone: on NeuS val the writer added nothing and let a false sentence through
(docs/analyses.md). Never empty
while the articles have a statement.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from slant.config.settings import Settings
from slant.framing.neutrality import neutrality, ruled_cues, stance_cues
from slant.framing.salience import salience
from slant.framing.signals import find_terms
from slant.index.stories import rare_word_similarity
from slant.llm.model import TextModel, generate, is_writer
from slant.llm.prompts import render
from slant.llm.provenance import Provenance, provenance
from slant.reading.actors import TITLE_WORDS, find_actors, same_person_name
from slant.reading.attributions import SPEAKER_NOUNS
from slant.reading.model import Reading
from slant.reading.readings import reading_of
from slant.sources.documents import Article
from slant.text.attribution import SPEECH_VERBS, attributed
from slant.text.instructions import foreign_text
from slant.text.numbers import figures
from slant.text.quotes import outside_quotes, quote_spans
from slant.text.references import unintroduced_reference
from slant.text.sentences import DATELINE, Evidence, is_fragment, leans_on_previous, sentence_spans
from slant.text.tokens import stem, tokens
from slant.text.wordlists import MEANING_MODIFIERS, TEXT_WORDLISTS, words
from slant.verify.evidence import Verifier, content_sentences
from slant.verify.meaning import MeaningCheck

if TYPE_CHECKING:
    from slant.framing.claims import Claim

_DUPLICATE_COSINE = (0.75, 0.6)  # one article's sentences; two articles' (their leads on one event sit near 0.7)
# Two sentences sharing this much of their rarest words (names, figures, places) tell one event,
# however differently worded (tf-idf cosine; chosen on NeuS train: repeats by rule 15.5% ->
# 11.7% of summaries for 0.2 ROUGE-1).
_SHARED_RARE_WORDS = 0.4
# Two sentences that alone in the story use one past-tense verb ("the House passed …" twice), and
# are this close in meaning, tell one event (chosen on NeuS val, checked on train).
_SHARED_EVENT_COSINE = 0.35
_EVENT_VERB = re.compile(r"[a-z]{3,}(?<!e)ed")  # "passed", "overturned"; not "indeed", "proceed"
# How much closeness to a chosen sentence counts against a candidate's salience in a story's
# summary (maximal marginal relevance; chosen on the first 600 NeuS train stories: at 0.3 ROUGE-1
# 38.50 -> 38.47 and rule-found faults 16.8% -> 13.0%; 0.4-0.6 cut faults further for 0.2-0.4 ROUGE-1).
_REDUNDANCY = 0.3
_MIN_WORDS, _MAX_WORDS = 8, 60  # shorter lines are mostly asides; longer crowd out the rest
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|myself|we|We|us|our|Our|ours)\b")
_OPENING_QUOTES = ("‘", "“", '"', "'")
_LEAD_BONUS = (
    0.2,
    0.1,
)  # one article's first and second statement  # longer sentences crowd out the rest of a short summary
_ASIDE = re.compile(r"\s*\([^()]{1,120}\)|\s+[—–]\s[^—–]{1,120}\s[—–](?=\s)")
# An aside that says what a count holds is part of the claim: "Four people were killed (including the gunman)".
_COUNTS_IN = re.compile(r"[\s(—–]*(?:including|excluding|not including|not counting|except|plus|minus)\b", re.I)
_LABEL = re.compile(r"^[A-Z][a-z’']*(?: [a-z’']+){1,3}: (?=[A-Z“\"‘])")  # "Why it matters: ", "Reality check: "
_DETERMINERS = frozenset(
    ["a", "an", "the", "this", "that", "these", "those", "its", "his", "her", "their", "our", "your"]
)
_NOT_DESCRIBED = words(TEXT_WORDLISTS / "function_words.txt")  # a loaded word before one is a noun ("his ouster over")
_COURTESY_TITLE = r"(?:Mr|Mrs|Ms|Miss)\.? "
_PARTICLE = r"(?:de|del|da|di|van|von|der|den|la|le|du|bin|al|ibn) "  # "Cavo de Vries"; not "and", "of", "on"
_PERSON_NAME = re.compile(rf"[A-Z][\w.’'-]*(?: (?:{_PARTICLE})?[A-Z][\w.’'-]*)+")
_OFFICES = TITLE_WORDS & SPEAKER_NOUNS  # titles that name a person alone: "the president said"
WRITER_SENTENCES = 12  # the most salient sentences the writer writes a summary from
WORDS_PER_SENTENCE = 25  # a story summary's word budget in sentences, for the writer


class SummarySentence(BaseModel):
    """One sentence of a summary and the evidence for it."""

    text: str
    origin: str  # "generated" (verified model sentence) | "source" (sentence of the article, asides cut)
    support: float
    evidence: list[Evidence]
    reported_by: list[str] = []  # combined summaries: the sources whose articles support it


class Summary(BaseModel):
    """A neutral summary of one article (or of a story across articles)."""

    doc_ids: list[str]
    sources: list[str]  # one label per article
    title: str
    sentences: list[SummarySentence]
    support_score: float
    neutrality_score: float
    rejected: list[dict[str, Any]]
    provenance: Provenance | None  # None: no model call was made
    seconds: float


def summarize_article(article: Article, settings: Settings, model: TextModel | None, embedder: Any) -> Summary:
    """Summarise one article in at most `settings.summary_sentences` sentences."""
    return summarize_articles([article], settings, model, embedder, article.label)


def summarize_articles(
    articles: list[Article],
    settings: Settings,
    model: TextModel | None,
    embedder: Any,
    title: str,
    combined: bool = False,
) -> Summary:
    """Summarise articles: one article in sentences, a story (`combined`) in words (see the
    module docstring). `model` None, or one that `writes` rules out, means sources only.
    """
    from slant.llm.embedder import RememberingEmbedder

    embedder = RememberingEmbedder(embedder)
    sources = [s for article in articles for s in content_sentences(article)]
    limit = _Limit(settings.summary_words if combined else None, None if combined else settings.summary_sentences)
    claim_of = _claims(sources, articles, embedder)
    used = Counter(verb for source in sources for verb in _event_verbs(source.text))
    rare_verbs = {verb for verb, count in used.items() if count <= 2}
    texts = {a.id: a.text for a in articles}
    chosen: list[SummarySentence] = []
    rejected: list[dict[str, Any]] = []
    seconds, call = 0.0, None
    salient = _salient([s for s in sources if not foreign_text(texts[s.doc_id], s.start, s.end)], articles, embedder)
    ranked = _ranked(salient, articles)
    if model is not None and writes(model, settings):
        proposals, seconds, call = _proposals(salient, articles, limit, settings, model)
        meaning = MeaningCheck(model, settings) if is_writer(model.model) else None
        verifier = Verifier(embedder, sources, list(texts.values()), texts, meaning)
        vocabulary = {stem(word) for article in articles for word in tokens(article.text)}
        for proposal, cited in proposals:
            support = verifier.check(proposal, cited)
            reasons = support.problems + stance_cues(proposal)
            if is_fragment(proposal):  # cut off by the token limit, or no sentence at all
                reasons.append("is not a whole sentence")
            elif leans_on_previous(proposal):  # "He also warned …": the picker may place it elsewhere
                reasons.append("leans on the sentence before it")
            new = [word for word in tokens(proposal) if stem(word) not in vocabulary]
            if new and meaning is None:  # judged by words: the sources' own only, so no new fact can enter
                reasons.append(f"uses words the sources lack: {', '.join(new)}")
            if support.supported and not reasons and support.evidence is not None:
                candidate = SummarySentence(
                    text=proposal,
                    origin="generated",
                    support=support.score,
                    evidence=[support.evidence],
                    reported_by=_reported_by(claim_of, support.evidence),
                )
                if limit.admits(candidate, chosen) and not _repeats(candidate, chosen, claim_of, rare_verbs, embedder):
                    chosen.append(candidate)
            else:
                if not support.supported and not support.problems:
                    reasons.append(f"support {support.score:.2f} below threshold")
                rejected.append({"text": proposal, "reasons": reasons})
        seconds += meaning.seconds if meaning is not None else 0.0
    redundancy = _REDUNDANCY if combined else 0.0  # one article's sentences tell one event on purpose
    waiting: list[tuple[Evidence, str, float]] = []  # named "the X" before X was told: try again later
    while ranked:
        best = ranked.pop(_next_best(ranked, chosen, redundancy, embedder))
        source, text, _ = best
        candidate = SummarySentence(
            text=text,
            origin="source",
            support=1.0,
            evidence=[source],
            reported_by=_reported_by(claim_of, source),
        )
        if not limit.admits(candidate, chosen) or _repeats(candidate, chosen, claim_of, rare_verbs, embedder):
            continue
        if _points_back(source, text, texts, " ".join(c.text for c in chosen)):
            waiting.append(best)
            continue
        chosen.append(candidate)
        ranked = sorted(ranked + waiting, key=lambda r: -r[2])
        waiting = []
    if not chosen and sources:  # every statement is loaded or leans on another: the least bad, earliest one
        standing = [
            s
            for s in sources
            if not leans_on_previous(s.text) and not _points_back(s, s.text, texts, "") and not s.text.endswith("?")
        ]
        standing = standing or [s for s in sources if not leans_on_previous(s.text)] or sources
        source = min(standing, key=lambda s: len(stance_cues(s.text)))
        chosen.append(SummarySentence(text=_trimmed(source.text), origin="source", support=1.0, evidence=[source]))
    chosen = _names_in_full(_in_reading_order(chosen), texts)
    return Summary(
        doc_ids=[a.id for a in articles],
        sources=[_source_label(a) for a in articles],
        title=title,
        sentences=chosen,
        support_score=round(sum(s.support for s in chosen) / len(chosen), 3) if chosen else 0.0,
        neutrality_score=neutrality([s.text for s in chosen]),
        rejected=rejected,
        provenance=call,
        seconds=round(seconds, 3),
    )


def writes(model: TextModel, settings: Settings) -> bool:
    """Whether the model proposes summary sentences: settings.summary_writer, where "auto" means
    a local model file of 1 GB or more (a served model's size is unknown: say "model" to use it).
    """
    if settings.summary_writer != "auto":
        return settings.summary_writer == "model"
    return is_writer(model.model)


class _Limit:
    """The summary's length: a word budget (stories) or a sentence count (articles)."""

    def __init__(self, words: int | None, sentences: int | None) -> None:
        self.words = words
        self.sentences = sentences

    def admits(self, candidate: SummarySentence, chosen: list[SummarySentence]) -> bool:
        if self.sentences is not None and len(chosen) >= self.sentences:
            return False
        if self.words is None:
            return True
        return sum(len(s.text.split()) for s in chosen) + len(candidate.text.split()) <= self.words


def _proposals(
    salient: list[tuple[Evidence, float]],
    articles: list[Article],
    limit: _Limit,
    settings: Settings,
    model: TextModel,
) -> tuple[list[tuple[str, set[str]]], float, Provenance]:
    """The model's proposed sentences (prompts/summarize.yaml), each with the articles whose
    sentences it cites, written from the WRITER_SENTENCES most salient sentences in reading order
    (the prompt stays small: the writer reads ~79 tokens a second on two cores). Loaded and
    attributed ones are among them: restating their facts in neutral words is what the writer can
    do that the picker cannot; its sentences face the same gate.
    """
    order = {article.id: place for place, article in enumerate(articles)}
    shown = sorted(salient[:WRITER_SENTENCES], key=lambda r: (order[r[0].doc_id], r[0].start))
    labels = {a.id: _source_label(a) for a in articles}
    count = limit.sentences or max(1, (limit.words or 0) // WORDS_PER_SENTENCE)
    prompt = render(
        "summarize",
        sentences=[(labels[e.doc_id], " ".join(e.text.split())) for e, _ in shown],
        count=count,
        story=len(articles) > 1,
    )
    completion = generate(model, prompt, settings)
    proposals = []
    for item in _summary_items(completion.text):
        cited = {shown[n - 1][0].doc_id for n in item["from"] if isinstance(n, int) and 1 <= n <= len(shown)}
        text = " ".join(str(item["text"]).split())
        if cited:  # one item may hold several sentences: each is checked on its own
            proposals += [(text[span.start : span.end], cited) for span in sentence_spans(text)]
    return proposals, completion.seconds, provenance(model, prompt, settings)


def _summary_items(text: str) -> list[dict[str, Any]]:
    """The sentences of the writer's JSON reply; none when it is not the JSON asked for."""
    try:
        items = json.loads(text)["summary"]
    except (ValueError, KeyError, TypeError):
        return []
    return [i for i in items if isinstance(i, dict) and "text" in i and isinstance(i.get("from"), list)]


def _points_back(source: Evidence, text: str, texts: dict[str, str], said_before: str) -> str | None:
    """What the sentence names as known that the summary has not told ("the subpoena", "the
    president"): text/references.py, with the reading's titles that name a person alone.
    """
    return unintroduced_reference(text, texts[source.doc_id][: source.start], said_before, _OFFICES)


def _usable(sentence: str) -> bool:
    """A sentence a summary can use as it is: neutral, whole, standing alone, not a question,
    not a bare quotation, and not too long.
    """
    trimmed = _trimmed(sentence)
    if stance_cues(trimmed) or is_fragment(sentence) or leans_on_previous(sentence) or leans_on_previous(trimmed):
        return False
    if sentence.endswith("?"):
        return False
    quotes = quote_spans(sentence)
    if _FIRST_PERSON.search(outside_quotes(sentence, quotes)):
        return False  # the writer's own experience or view
    opened = {m.start() for m in re.finditer(r"[‘“]", sentence)}
    closed = {m.end() for m in re.finditer(r"”|(?<=[.!?,])’", sentence)}  # not the ’ of "Russia’s"
    if opened - {q.start for q in quotes} or closed - {q.end for q in quotes} or sentence.count('"') % 2:
        return False  # a quotation that runs on from or into another sentence
    quoted = sum(q.end - q.start for q in quotes)
    if (quoted > 0.5 * len(sentence) or sentence.startswith(_OPENING_QUOTES)) and not attributed(sentence):
        return False  # no one's words
    return _MIN_WORDS <= len(trimmed.split()) <= _MAX_WORDS


def _salient(sources: list[Evidence], articles: list[Article], embedder: Any) -> list[tuple[Evidence, float]]:
    """Every source sentence with its salience, the most salient first (framing/salience.py:
    agreement across the articles and with the headlines, position, form and tone, weights learned
    from neutral reference summaries).
    """
    scores = salience(sources, {a.id: a.title or "" for a in articles}, embedder)
    if len(articles) == 1:  # a news article opens with who did what, when and where
        for rank, bonus in enumerate(_LEAD_BONUS[: len(scores)]):
            scores[rank] += bonus
    return [(sources[i], scores[i]) for i in sorted(range(len(sources)), key=lambda i: -scores[i])]


def _ranked(salient: list[tuple[Evidence, float]], articles: list[Article]) -> list[tuple[Evidence, str, float]]:
    """The salient sentences a summary can use as they are, each with its text as a summary uses
    it (`_trimmed`), the most salient first.
    """
    readings = {a.id: reading_of(a.text) for a in articles}
    return [
        (source, _trimmed(source.text), score)
        for source, score in salient
        if _usable(source.text) and _reads_as_a_statement(source, readings[source.doc_id])
    ]


def _reads_as_a_statement(source: Evidence, reading: Reading) -> bool:
    """Whether the article's reading finds a verb in the sentence, someone credited in it if it
    speculates or judges ("… may be needed to calm the panic over the department's report that …":
    a noun credits no one), and a speaker for every loaded word it puts in quotation marks ("… to
    block a “disastrous” bill": whose word? it does not say).
    """
    if not reading.has_verb(source.start, source.end):
        return False  # a phrase: "A $1 million check from a donor to a party."
    if ruled_cues(source.text, attributed=reading.attributes(source.start, source.end)):
        return False  # speculation or judgement no one is said to hold
    if not any(source.start <= quote.start < source.end for quote in reading.quotes):
        return True  # no quotation marks: nothing to read for a scare quote
    for term in find_terms(source.text):
        at = source.start + term.start
        if (
            term.in_quote
            and term.kind == "loaded"
            and not any(a.content.start <= at < a.content.end for a in reading.attributions)
        ):
            return False
    return True


def _next_best(
    ranked: list[tuple[Evidence, str, float]], chosen: list[SummarySentence], redundancy: float, embedder: Any
) -> int:
    """The candidate to try next: the highest salience less `redundancy` times its cosine to the
    closest chosen sentence (maximal marginal relevance), so that after a story's lead, another
    outlet's wording of the same lead gives way to the next fact.
    """
    if not chosen or not redundancy:
        return 0
    candidates = embedder.embed([text for _, text, _ in ranked])
    closest = (candidates @ embedder.embed([c.text for c in chosen]).T).max(axis=1)
    marginal = [score - redundancy * float(cosine) for (_, _, score), cosine in zip(ranked, closest, strict=True)]
    return max(range(len(ranked)), key=marginal.__getitem__)


def _trimmed(sentence: str) -> str:
    """The sentence with deletions only: a dateline ("SEOUL, South Korea — ") or a label before it
    ("Why it matters: "), asides in brackets or between dashes (not one saying what a count holds:
    "(including the gunman)"), and loaded modifiers outside quotes
    ("a reckless plan" -> "a plan", "shockingly large" -> "large"): an -ly adverb before another
    word (not before a participle it grades: "strongly worded"), or a word between a determiner and
    the next word (not before a preposition: "his ouster over" keeps its noun); never a word that
    carries the claim ("hardly", "falsely"). Nothing is added but a corrected "a"/"an".
    """
    text = _ASIDE.sub(_cut_aside, _LABEL.sub("", DATELINE.sub("", sentence)))
    quotes = quote_spans(text)
    for term in sorted(find_terms(text, quotes=quotes), key=lambda t: -t.start):
        if term.kind != "loaded" or term.in_quote or term.term.lower() in MEANING_MODIFIERS:
            continue  # "hardly", "falsely": cutting them changes the claim
        before = text[: term.start].rstrip()
        after = text[term.end :]
        adverb = term.term.endswith("ly")
        described = re.match(r" ([a-z][\w’'-]*)", after)  # the next word, which a modifier describes
        after_determiner = (before.split() or [""])[-1].lower() in _DETERMINERS
        # after a determiner, a word before a preposition is the noun itself: "his ouster over his role"
        adjective = after_determiner and described is not None and described.group(1) not in _NOT_DESCRIBED
        grades_a_participle = adverb and re.match(r" [a-z]+(?:ed|en)\b", after)  # not "a strongly worded" -> "a worded"
        if ((adverb and described) or adjective) and not grades_a_participle:
            article = re.search(r"\b([Aa])n?$", before)
            if article:  # "an outrageous claim" -> "a claim"; "a reckless act" -> "an act"
                before = before[: article.start()] + article.group(1) + ("n" if after[1] in "aeio" else "")
            text = before + after
    return text


def _cut_aside(aside: re.Match[str]) -> str:
    """Nothing for an aside, unless it says what a count holds (_COUNTS_IN)."""
    return aside.group() if _COUNTS_IN.match(aside.group()) else ""


def _in_reading_order(chosen: list[SummarySentence]) -> list[SummarySentence]:
    """What more sources report first (a story); within that, the best-ranked sentence first
    (what happened), then reports, then attributed statements. Sorts are stable: ranked within each.
    One article's sentences keep the article's order among the places they take ("Barbara
    Underwood said …" before "…, Ms Underwood said").
    """
    ordered = sorted(chosen, key=lambda s: -len(s.reported_by))
    ordered = ordered[:1] + sorted(ordered[1:], key=lambda s: (-len(s.reported_by), attributed(s.text)))
    for doc_id in dict.fromkeys(s.evidence[0].doc_id for s in ordered):
        places = [i for i, s in enumerate(ordered) if s.evidence[0].doc_id == doc_id]
        in_article = sorted((ordered[i] for i in places), key=lambda s: s.evidence[0].start)
        for place, sentence in zip(places, in_article, strict=True):
            ordered[place] = sentence
    return ordered


def _names_in_full(chosen: list[SummarySentence], texts: dict[str, str]) -> list[SummarySentence]:
    """The summary's first mention of a person by surname ("Paul was heard …") gets the name its
    article gives in full outside quotations ("Rand Paul"): the only words a summary adds to a
    source sentence (reading/actors.py merges "Paul" with "Rand Paul"). A sentence that opens on a
    name its own article never gives in full ("Ocasio-Cortez’s resolution …") gets the one person
    of the story's other articles, named in full with a title or role, whose name ends with it.
    `texts`: each article's text by id.
    """
    indexes = {doc_id: find_actors(text) for doc_id, text in texts.items()}
    in_full: set[tuple[str, str]] = set()  # the articles' own full names of people, outside quotations
    titled: set[str] = set()  # of those, the people their article gives a title or role ("Representative …")
    for doc_id, index in indexes.items():
        for m in index.mentions:
            name, actor = texts[doc_id][m.start : m.end], index.actors[m.actor]
            if not m.quoted and actor.kind == "person" and _PERSON_NAME.fullmatch(name):  # capitalised words
                in_full.add((doc_id, name))
                if actor.roles:
                    titled.add(name)
    told = ""
    named: list[SummarySentence] = []
    for sentence in chosen:
        evidence = sentence.evidence[0]
        index, text = indexes[evidence.doc_id], sentence.text
        for mention in index.mentions:
            actor = index.actors[mention.actor]
            short = texts[evidence.doc_id][mention.start : mention.end]
            if mention.quoted or not evidence.start <= mention.start < evidence.end:
                continue
            if (evidence.doc_id, actor.name) in in_full:
                full = actor.name
            elif text.startswith(short) and not actor.roles:
                bearers = {name for name in titled if name != short and same_person_name(short, name)}
                full = bearers.pop() if len(bearers) == 1 else short
            else:
                continue
            if short == full or full in told + text:
                continue
            # "Mr. Hickenlooper" -> "John Hickenlooper", not "Mr. John Hickenlooper"
            text = re.sub(rf"(?<![\w’'-])(?:{_COURTESY_TITLE})?{re.escape(short)}(?![\w-])", full, text, count=1)
        named.append(sentence.model_copy(update={"text": text}) if text != sentence.text else sentence)
        told += " " + text
    return named


def _claims(sources: list[Evidence], articles: list[Article], embedder: Any) -> dict[tuple[str, int], Claim]:
    """For each source sentence (doc id, start): its claim, aligned across the articles as
    `slant compare` aligns them (one article: none).
    """
    if len(articles) < 2:
        return {}
    from slant.framing.claims import align

    labels = {article.id: _source_label(article) for article in articles}
    return {(e.doc_id, e.start): claim for claim in align(sources, labels, embedder) for e in claim.evidence}


def _reported_by(claim_of: dict[tuple[str, int], Claim], sentence: Evidence) -> list[str]:
    """The sources that report this sentence's claim (empty for one article)."""
    claim = claim_of.get((sentence.doc_id, sentence.start))
    return claim.reported_by if claim is not None else []


def _source_label(article: Article) -> str:
    return article.source or article.id


def _event_verbs(sentence: str) -> set[str]:
    """The stems of a sentence's past-tense verbs of what happened ("the House passed"): not of
    who said it, not a describing word ("an alleged attack", "Russia's alleged role", "federally
    subsidized housing"), not what is only to come ("is expected to").
    """
    words = re.findall(r"[\w’'-]+", sentence.lower())
    return {
        stem(word)
        for i, word in enumerate(words)
        if _EVENT_VERB.fullmatch(word)
        and word not in SPEECH_VERBS
        and word != "hundred"
        and not (i > 0 and (words[i - 1] in _DETERMINERS or words[i - 1].endswith(("ly", "'s", "’s"))))
        and not (i + 1 < len(words) and words[i + 1] == "to")
    }


def _repeats(
    candidate: SummarySentence,
    chosen: list[SummarySentence],
    claim_of: dict[tuple[str, int], Claim],
    rare_verbs: set[str],
    embedder: Any,
) -> bool:
    """The candidate says again what a chosen sentence says: the same claim aligned across the
    articles, close in meaning, the same figure, the same rare words, or a verb only the two
    use in the story ("rare_verbs") at some closeness in meaning.
    """
    if not chosen:
        return False

    def claim(sentence: SummarySentence) -> Claim | None:
        return claim_of.get((sentence.evidence[0].doc_id, sentence.evidence[0].start))

    if claim(candidate) is not None and any(claim(c) is claim(candidate) for c in chosen):
        return True
    given = figures(candidate.text)
    if any(given & figures(c.text) for c in chosen):
        return True
    if any(rare_word_similarity(candidate.text, c.text) >= _SHARED_RARE_WORDS for c in chosen):
        return True
    vectors = embedder.embed([candidate.text] + [c.text for c in chosen])
    verbs = _event_verbs(candidate.text) & rare_verbs
    same, other = _DUPLICATE_COSINE
    for sentence, similarity in zip(chosen, vectors[1:] @ vectors[0], strict=True):
        if similarity >= (same if sentence.evidence[0].doc_id == candidate.evidence[0].doc_id else other):
            return True
        if similarity >= _SHARED_EVENT_COSINE and verbs & _event_verbs(sentence.text):
            return True
    return False
