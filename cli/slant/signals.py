"""Deterministic framing signals of one article, each with the span it was read from:
voices and quotes, reporting verbs, loaded and emotive words, hedges, rhetorical devices,
frames and genre. No model is involved; the same text always gives the same profile.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from pydantic import BaseModel

from slant.documents import Article
from slant.lexicon import (
    CERTAINTY,
    FRAMES,
    HEDGES,
    LOADED_TERMS,
    LOADED_VERBS,
    NEUTRAL_VERBS,
    OTHER_FRAME,
    vader_emotive,
)
from slant.sentences import Span, sentence_spans

_QUOTES = re.compile(r"“[^”]{2,}?”|\"[^\"\n]{2,}?\"|‘[^‘]{2,}?’(?![a-z])")
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\ufe0f\u20e3]")
_NAME = r"(?:(?:Adm\.|Gen\.|Dr\.|[A-Z][a-z’'-]+)\s){0,3}[A-Z][a-z’'-]+"
_ROLE = (
    r"(?:an?\s|the\s)?(?:U\.S\.\s|[\w’-]+\s){0,4}?(?:official|officials|spokeswoman|spokesperson|spokesman|"
    r"analyst|analysts|diplomat|attach[ée]|colonel|minister|commander|lawmaker|observers)"
)
# Verbs that introduce a speaker (nouns and adjectives such as "claims", "alleged" left out).
_VERBS = "|".join(sorted((NEUTRAL_VERBS | LOADED_VERBS | {"called"}) - {"claims", "alleged", "according"}))
_SPEAKER_BEFORE = re.compile(rf"({_NAME}|{_ROLE})(?:,[^,]{{3,80}},)?\s+({_VERBS})\b")
_SPEAKER_AFTER = re.compile(rf"^[\s,]*(?:({_VERBS})\s+({_NAME}|{_ROLE})|(he|she|they)\s+({_VERBS}))")
_ACCORDING = re.compile(rf"[Aa]ccording to ({_NAME}|{_ROLE})")
_NOT_SPEAKERS = frozenset(
    [
        "The",
        "This",
        "That",
        "It",
        "In",
        "On",
        "For",
        "As",
        "But",
        "Yet",
        "While",
        "He",
        "She",
        "They",
        "We",
        "but",
        "and",
    ]
)
_NOT_PERSON = frozenset(
    [
        "Staff",
        "Forces",
        "Committee",
        "Ministry",
        "Times",
        "Union",
        "Organization",
        "States",
        "Treaty",
        "West",
        "Europe",
        "Kingdom",
        "Nations",
        "Council",
        "Duma",
        "Federation",
        "Alliance",
        "Summit",
        "War",
        "Committee",
    ]
)
_PERSON = re.compile(r"\b[A-Z][a-z’'-]+(?:\s[A-Z][a-z’'-]+)+")


class Evidence(BaseModel):
    """A span of a stored document, with its text."""

    doc_id: str
    start: int
    end: int
    text: str


class Term(BaseModel):
    """A word or phrase that carries framing, where it stands, and whether it is quoted."""

    term: str
    kind: str  # loaded | emotive | hedge | certainty | verb-loaded | verb-neutral | device
    start: int
    end: int
    in_quote: bool


class Voice(BaseModel):
    """Someone the article lets speak."""

    speaker: str
    direct: int = 0
    indirect: int = 0
    verbs: list[str] = []
    characters: int = 0
    evidence: list[Evidence] = []


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

    def count(self, kind: str, quoted: bool | None = False) -> int:
        """How many terms of a kind (outside quotes by default)."""
        return sum(1 for t in self.terms if t.kind == kind and (quoted is None or t.in_quote == quoted))


def quote_spans(text: str) -> list[Span]:
    """Spans of text inside quotation marks."""
    return [Span(m.start(), m.end()) for m in _QUOTES.finditer(text)]


def _inside(spans: list[Span], start: int, end: int) -> bool:
    return any(s.start <= start and end <= s.end for s in spans)


def find_terms(text: str, offset: int = 0, quotes: list[Span] | None = None) -> list[Term]:
    """Every lexicon hit in `text` (positions shifted by `offset`)."""
    quotes = quote_spans(text) if quotes is None else quotes
    emotive = vader_emotive()
    found: list[Term] = []
    lowered = text.lower().replace("’", "'")
    for phrase in (t for t in LOADED_TERMS if " " in t):
        for match in re.finditer(re.escape(phrase), lowered):
            found.append(_term(text, match.start(), match.end(), "loaded", offset, quotes))
    for match in _WORD.finditer(text):
        word = match.group().lower().replace("’", "'")
        kind = (
            "loaded"
            if word in LOADED_TERMS
            else "verb-loaded"
            if word in LOADED_VERBS
            else "verb-neutral"
            if word in NEUTRAL_VERBS
            else "hedge"
            if word in HEDGES
            else "certainty"
            if word in CERTAINTY
            else "emotive"
            if word in emotive
            else None
        )
        if kind:
            found.append(_term(text, match.start(), match.end(), kind, offset, quotes))
    for match in _EMOJI.finditer(text):
        found.append(_term(text, match.start(), match.end(), "device", offset, quotes))
    for match in re.finditer(r"!|\byou\b|\byour\b", text, re.IGNORECASE):
        found.append(_term(text, match.start(), match.end(), "device", offset, quotes))
    return sorted(found, key=lambda t: (t.start, t.kind))


def _term(text: str, start: int, end: int, kind: str, offset: int, quotes: list[Span]) -> Term:
    return Term(
        term=text[start:end],
        kind=kind,
        start=start + offset,
        end=end + offset,
        in_quote=_inside(quotes, start, end),
    )


def profile(article: Article) -> Profile:
    """Compute every signal of one article."""
    text = article.text
    sentences = sentence_spans(text)
    quotes = quote_spans(text)
    terms = find_terms(text, quotes=quotes)
    for span in sentences:
        if text[span.end - 1 : span.end] == "?" and not _inside(quotes, span.start, span.end):
            terms.append(
                Term(
                    term=text[span.start : span.end],
                    kind="device",
                    start=span.start,
                    end=span.end,
                    in_quote=False,
                )
            )
    words = len(_WORD.findall(text))
    voices = _voices(article, sentences, quotes)
    frames = _frames(article, sentences, words)
    lead = next((s for s in sentences if len(text[s.start : s.end].split()) > 8), None)
    genre, reasons = _genre(terms, words, voices)
    quoted = sum(q.end - q.start for q in quotes)
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
    )


def _evidence(article: Article, span: Span) -> Evidence:
    return Evidence(doc_id=article.id, start=span.start, end=span.end, text=article.text[span.start : span.end])


def _speaker_key(name: str) -> str:
    name = name.strip().removeprefix("the ").removeprefix("The ")
    if name[:1].isupper() and " " in name and not re.search(r"\b(official|officials|analyst|diplomat|attach)", name):
        return name.split()[-1]
    return name


def _voices(article: Article, sentences: list[Span], quotes: list[Span]) -> list[Voice]:
    text = article.text
    voices: dict[str, Voice] = {}
    last_named: str | None = None

    def credit(name: str, verb: str, span: Span, direct: bool, chars: int) -> None:
        nonlocal last_named
        words = name.split()
        while words and words[0] in _NOT_SPEAKERS:
            words = words[1:]
        if not words:
            return
        name = " ".join(words)
        key = _speaker_key(name)
        voice = voices.setdefault(key, Voice(speaker=key))
        if len(name) > len(voice.speaker) and key in name:
            voice.speaker = name.strip()
        voice.direct += int(direct)
        voice.indirect += int(not direct)
        voice.characters += chars
        if verb and verb.lower() not in voice.verbs:
            voice.verbs.append(verb.lower())
        if len(voice.evidence) < 3:
            voice.evidence.append(_evidence(article, span))
        if name[:1].isupper():
            last_named = key

    for span in sentences:
        sentence = text[span.start : span.end]
        for person in _PERSON.finditer(sentence):
            if person.group().split()[-1] not in _NOT_PERSON and not person.group().startswith(("The ", "In ")):
                last_named = _speaker_key(person.group())
        inner = [q for q in quotes if span.start <= q.start < span.end]
        before = _SPEAKER_BEFORE.search(sentence)
        according = _ACCORDING.search(sentence)
        if inner:
            after = _SPEAKER_AFTER.match(text[inner[-1].end : span.end])
            chars = sum(q.end - q.start for q in inner)
            if after and after.group(2):
                credit(after.group(2), after.group(1), span, True, chars)
            elif after and after.group(3) and last_named:
                credit(last_named, after.group(4), span, True, chars)
            elif before:
                credit(before.group(1), before.group(2), span, True, chars)
            elif according:
                credit(according.group(1), "according", span, True, chars)
        elif before:
            credit(before.group(1), before.group(2), span, False, span.end - span.start)
        elif according:
            credit(according.group(1), "according", span, False, span.end - span.start)
    return sorted(voices.values(), key=lambda v: (-(v.direct + v.indirect), v.speaker))


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


def _genre(terms: list[Term], words: int, voices: list[Voice]) -> tuple[str, list[str]]:
    per_k = 1000 / max(words, 1)
    devices = sum(1 for t in terms if t.kind == "device")
    loaded = sum(1 for t in terms if t.kind == "loaded" and not t.in_quote)
    attributed = sum(v.direct + v.indirect for v in voices)
    reasons = [
        f"{devices * per_k:.1f} rhetorical devices per 1000 words",
        f"{loaded * per_k:.1f} loaded terms outside quotes per 1000 words",
        f"{attributed} attributed statements",
    ]
    if devices * per_k >= 10 or loaded * per_k >= 15:
        return "opinion", reasons
    if attributed * per_k < 3:
        return "analysis", reasons
    return "news report", reasons
