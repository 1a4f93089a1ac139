"""Framing signals of one article, each with the span it was read from: voices and quotes,
reporting verbs, loaded and emotive words, hedges, rhetorical devices, frames and genre.

Loaded sentences are the sentence reader's (slant.readers.loaded, a small fine-tuned model shipped
with slant): the sentences whose own wording, quotations masked, it reads as loaded. Loaded words
are the words of the learned loaded-word table (see loaded_terms), each carrying its sentence's
P(loaded) from the same reader. The rest are rules over word lists. The same text always gives the same
profile.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from pydantic import BaseModel

from slant.framing.lexicon import CERTAINTY, FRAMES, HEDGES, LOADED_WORDS, OTHER_FRAME, vader_valences
from slant.framing.voices import Voice, camp_shares, find_voices
from slant.readers.loaded import is_loaded, sentence_bias
from slant.readers.wording import writer_wording_within
from slant.reading.actors import ActorIndex
from slant.sources.documents import Article
from slant.text.attribution import EVALUATIVE_VERBS, NEUTRAL_VERBS, UNAMBIGUOUS_VERBS
from slant.text.quotes import outside_quotes, quote_spans
from slant.text.sentences import Evidence as Evidence
from slant.text.sentences import sentence_spans, starts_sentence
from slant.text.spans import Span

_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_SPEAKER_LABEL = re.compile(r"[ \t]*(?:Q|A|[A-Z][\w.’' -]{0,30})[:.]\s")
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|I’m|I'm|I’ve|I've)\b")
# Genre thresholds per 1000 words outside quotes: US news reports (BASIL dev) stay below 5
# rhetorical devices in 99 of 100 articles, and below 4 first-person words in 95.
OPINION_DEVICES = 10
OPINION_FIRST_PERSON = 5
OPINION_LOADED = 8
EMOTIVE_VALENCE = 2.0  # VADER's scale runs from -4 to 4
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f\u20e3]")


class Term(BaseModel):
    """A word or phrase that carries framing, where it stands, and whether it is quoted."""

    term: str
    kind: str  # loaded | emotive | hedge | certainty | verb-loaded | verb-neutral | device
    start: int
    end: int
    in_quote: bool
    reason: str = ""
    probability: float | None = None  # loaded: the sentence reader's P(loaded) of its sentence


class LoadedSentence(BaseModel):
    """A sentence whose own wording the sentence reader reads as loaded, with its P(loaded)."""

    start: int
    end: int
    text: str
    probability: float


class FrameScore(BaseModel):
    """A Media Frames Corpus dimension: keyword hits per 100 words, and where."""

    frame: str
    score: float
    evidence: list[Evidence] = []


class Profile(BaseModel):
    """The framing profile of one article."""

    doc_id: str
    label: str
    headline: str | None
    lead: Evidence | None
    genre: str
    genre_reasons: list[str]
    voices: list[Voice]
    terms: list[Term]
    frames: list[FrameScore]
    words: int
    quoted_share: float
    camp_shares: dict[str, float] = {}
    own_sentences: int = 0  # sentences with wording of the writer's own (not wholly quoted)
    loaded_sentences: list[LoadedSentence] = []

    def count(self, kind: str, quoted: bool | None = False) -> int:
        """How many terms of a kind (outside quotes by default)."""
        return sum(1 for t in self.terms if t.kind == kind and (quoted is None or t.in_quote == quoted))

    def loaded_share(self) -> float:
        """The share of the article's own sentences (not wholly quoted) that read as loaded."""
        return len(self.loaded_sentences) / max(self.own_sentences, 1)


def _inside(spans: list[Span], start: int, end: int) -> bool:
    return any(s.start <= start and end <= s.end for s in spans)


def find_terms(text: str, offset: int = 0, quotes: list[Span] | None = None, *, read: bool = True) -> list[Term]:
    """Every framing word of `text` (positions shifted by `offset`), each with why it was flagged;
    the sentence reader's loaded words only when `read` (the rule-based kinds alone are cheap).

    Loaded and emotive words are looked for in lower-case words and at the start of a sentence
    only: a capitalised word inside a sentence is a name ("House Intelligence Committee").
    """
    quotes = quote_spans(text) if quotes is None else quotes
    valences = vader_valences()
    found = loaded_terms(text, offset, quotes) if read else []
    read_at = {t.start - offset for t in found}
    for match in _WORD.finditer(text):
        word = match.group().lower().replace("’", "'")
        named = match.group()[0].isupper() and not starts_sentence(text, match.start())
        kind, reason = _kind(word, named, valences)
        if kind and not (kind == "emotive" and match.start() in read_at):
            found.append(_term(text, match.start(), match.end(), kind, offset, quotes, reason))
    for match in _EMOJI.finditer(text):
        found.append(_term(text, match.start(), match.end(), "device", offset, quotes, "emoji"))
    for match in re.finditer(r"!|\byou\b|\byour\b", text, re.IGNORECASE):
        reason = "exclamation" if match.group() == "!" else "addresses the reader"
        found.append(_term(text, match.start(), match.end(), "device", offset, quotes, reason))
    return sorted(found, key=lambda t: (t.start, t.kind))


def loaded_terms(text: str, offset: int = 0, quotes: list[Span] | None = None) -> list[Term]:
    """The loaded words of `text`: the words of the learned loaded-word table
    (framing/wordlists/loaded_words.tsv, a model of word choice fitted on expert annotations), each
    with its sentence's P(loaded) from the sentence reader as its probability.

    The reader's own word evidence (the drop in P when a word is left out) is not used here: on
    BASIL dev it flagged expert-marked words with precision 0.045 and F1 0.071, against 0.110 for
    the table learned on half the events and scored on the other half (docs/analyses.md). The
    reader judges sentences (the neutrality gate, stance); the table picks the words.
    """
    quotes = quote_spans(text) if quotes is None else quotes
    spans = sentence_spans(text)
    candidates = []
    for match in _WORD.finditer(text):
        word = match.group().lower().replace("’", "'")
        named = match.group()[0].isupper() and not starts_sentence(text, match.start())
        if word in LOADED_WORDS and not named:  # a quoted one is flagged as the speaker's (in_quote)
            candidates.append((match, word))
    if not candidates:
        return []
    holding = [
        next((s for s in spans if s.start <= m.start() < s.end), Span(m.start(), m.end())) for m, _ in candidates
    ]
    unique = list(dict.fromkeys(holding))
    probability_of = dict(zip(unique, sentence_bias([text[s.start : s.end] for s in unique]), strict=True))
    found = []
    for (match, word), sentence in zip(candidates, holding, strict=True):
        probability = probability_of[sentence]
        reason = f"loaded word (score {LOADED_WORDS[word]:.2f}); its sentence reads as loaded with P {probability:.2f}"
        term = _term(text, match.start(), match.end(), "loaded", offset, quotes, reason)
        term.probability = probability
        found.append(term)
    return found


def _kind(word: str, named: bool, valences: dict[str, float]) -> tuple[str | None, str]:
    if word in EVALUATIVE_VERBS:
        return "verb-loaded", "attribution verb that judges (a neutral report says 'said')"
    if word in NEUTRAL_VERBS and word in UNAMBIGUOUS_VERBS:  # "comments", "points" are mostly nouns
        return "verb-neutral", "neutral attribution verb"
    if word in HEDGES:
        return "hedge", "signals uncertainty"
    if word in CERTAINTY:
        return "certainty", "asserts certainty"
    if named:
        return None, ""
    if abs(valences.get(word, 0.0)) >= EMOTIVE_VALENCE:
        return "emotive", f"VADER valence {valences[word]:+.1f}"
    return None, ""


def _term(text: str, start: int, end: int, kind: str, offset: int, quotes: list[Span], reason: str) -> Term:
    return Term(
        term=text[start:end],
        kind=kind,
        start=start + offset,
        end=end + offset,
        in_quote=_inside(quotes, start, end),
        reason=reason,
    )


def profile(article: Article, camps: dict[str, list[str]] | None = None, actors: ActorIndex | None = None) -> Profile:
    """Compute every signal of one article (voices grouped by the analyst's `camps`, if any)."""
    text = article.text
    sentences = sentence_spans(text)
    quotes = quote_spans(text)
    terms = find_terms(text, quotes=quotes)
    for span in sentences:
        line_start = text.rfind("\n", 0, span.start) + 1
        interview = _SPEAKER_LABEL.match(text, line_start) is not None  # "Q: ..." or "Name: ..." lines
        if text[span.end - 1 : span.end] == "?" and not _inside(quotes, span.start, span.end) and not interview:
            terms.append(
                Term(
                    term=text[span.start : span.end],
                    kind="device",
                    start=span.start,
                    end=span.end,
                    in_quote=False,
                    reason="rhetorical question",
                )
            )
    words = len(_WORD.findall(text))
    voices = find_voices(article.id, text, sentences, camps=camps)
    frames = _frames(article, sentences, words)
    lead = next((s for s in sentences if len(text[s.start : s.end].split()) > 8), None)
    genre, reasons = _genre(terms, text, words)
    quoted = sum(q.end - q.start for q in quotes)
    own, loaded = _loaded_sentences(text, sentences, quotes)
    return Profile(
        doc_id=article.id,
        label=article.label,
        headline=article.title,
        lead=_evidence(article, lead) if lead else None,
        genre=genre,
        genre_reasons=reasons,
        voices=voices,
        terms=sorted(terms, key=lambda t: t.start),
        frames=frames,
        words=words,
        quoted_share=round(quoted / max(len(text), 1), 3),
        camp_shares=camp_shares(voices),
        own_sentences=own,
        loaded_sentences=loaded,
    )


def _loaded_sentences(text: str, sentences: list[Span], quotes: list[Span]) -> tuple[int, list[LoadedSentence]]:
    """How many sentences hold wording of the writer's own, and those the reader reads as loaded."""
    wordings = {s: writer_wording_within(text, s.start, s.end, quotes) for s in sentences}
    own = [s for s in sentences if _WORD.search(wordings[s])]
    probabilities = sentence_bias([wordings[s] for s in own])
    loaded = [
        LoadedSentence(start=s.start, end=s.end, text=text[s.start : s.end], probability=p)
        for s, p in zip(own, probabilities, strict=True)
        if is_loaded(p)
    ]
    return len(own), loaded


def _evidence(article: Article, span: Span) -> Evidence:
    return Evidence(doc_id=article.id, start=span.start, end=span.end, text=article.text[span.start : span.end])


def _frames(article: Article, sentences: list[Span], words: int) -> list[FrameScore]:
    hits: Counter[str] = Counter()
    where: dict[str, list[tuple[int, Span]]] = defaultdict(list)
    for span in sentences:
        tokens = [w.lower() for w in _WORD.findall(article.text[span.start : span.end])]
        for frame, keywords in FRAMES.items():
            count = sum(1 for token in tokens if token in keywords)
            if count:
                hits[frame] += count
                where[frame].append((count, span))
    scores = [
        FrameScore(
            frame=frame,
            score=round(100 * count / max(words, 1), 2),
            evidence=[_evidence(article, s) for _, s in sorted(where[frame], key=lambda x: (-x[0], x[1].start))[:2]],
        )
        for frame, count in hits.most_common()
    ]
    return scores or [FrameScore(frame=OTHER_FRAME, score=0.0)]


def _genre(terms: list[Term], text: str, words: int) -> tuple[str, list[str]]:
    """Opinion when the writer speaks in their own voice outside quotes: rhetorical devices
    (addressing the reader, exclamations, rhetorical questions), or first person with loaded words.
    Quotations, interview questions and letters quoted in a report do not count.
    """
    per_k = 1000 / max(words, 1)
    devices = sum(1 for t in terms if t.kind == "device" and not t.in_quote) * per_k
    loaded = sum(1 for t in terms if t.kind == "loaded" and not t.in_quote) * per_k
    first_person = len(_FIRST_PERSON.findall(outside_quotes(text, quote_spans(text)))) * per_k
    reasons = [
        f"{devices:.1f} rhetorical devices per 1000 words outside quotes",
        f"{loaded:.1f} loaded words per 1000 words outside quotes",
        f"{first_person:.1f} first-person words per 1000 words outside quotes",
    ]
    if devices >= OPINION_DEVICES or (first_person >= OPINION_FIRST_PERSON and loaded >= OPINION_LOADED):
        return "opinion", reasons
    return "news report", reasons
