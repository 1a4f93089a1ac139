"""Who an article lets speak: every quotation and attributed statement credited to its speaker,
direct (four or more words in quotation marks) or indirect, with its span.

Speakers are the article's own actors (slant.reading.actors): a named person or organisation,
"he"/"she" resolved to the person named last, or a role ("a spokeswoman for the Pentagon",
"officials"). The reporting styles of English news are read: speaker before the quote ("Schumer
said: ...") or after it ("..., said Schumer" / "..., Schumer said"), an apposition between name
and verb (", the Senate Majority Leader,"), "according to X", a quotation that goes on across
sentences or paragraphs, and statements without quotation marks ("X said that ...").
Camps are the analyst's (`camps`: camp name -> words of its members); without them, a voice is
grouped by the affiliation the text states (party, organisation, country), else "unstated".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from slant.reading.actors import NAME_PATTERN, ActorIndex, affiliation, find_actors, is_headline
from slant.text.attribution import SPEECH_VERBS
from slant.text.quotes import in_quote
from slant.text.sentences import Evidence
from slant.text.spans import Span
from slant.text.wordlists import words

DIRECT_QUOTE_WORDS = 4  # a shorter quotation is a scare quote inside a paraphrase
UNSTATED = "unstated"
_SPEAKER_NOUNS = words(Path(__file__).parent / "wordlists" / "speaker_nouns.txt")
_VERB = "|".join(sorted(SPEECH_VERBS, key=len, reverse=True))
_NOUN = "|".join(sorted(_SPEAKER_NOUNS, key=len, reverse=True))
_FILLER = rf"(?!(?:that|which|who|and|but|{_VERB})\b)(?:[\w’'-]+|[\w’'-]+(?:\.[\w’'-]+)+\.?)\s"  # no sentence end
_ROLE = (
    r"(?:[Aa]n?|[Tt]he|[Oo]ne|[Tt]wo|[Tt]hree|[Ss]everal|[Ss]ome|[Mm]any|[Oo]ther|[Tt]op|[Ss]enior|[Hh]is|[Hh]er|[Tt]heir)"
    rf"\s(?:{_FILLER}){{0,5}}?(?:{_NOUN})\b"
    rf"(?:\s(?:for|of|at|with|from)\s(?:the\s)?{NAME_PATTERN})?"
    rf"|(?:{NAME_PATTERN})\s(?:{_NOUN})\b"  # "Pentagon officials", "union sources"
)
_SPEAKER = rf"(?P<speaker>{_ROLE}|{NAME_PATTERN}|[Hh]e|[Ss]he|[Tt]hey|[Ii]t)"
_BETWEEN = (
    r"(?:\s\([^()]{1,24}\))?(?:,\s(?:who,?\s)?[^,“”\"]{1,120}?,)?"
    r"(?:\s(?:also|later|then|further|previously|recently|repeatedly|reportedly|again|has|have|had|would|will))*"
)
_SPEAKER_VERB = re.compile(rf"(?<![\w’']){_SPEAKER}{_BETWEEN}\s(?P<verb>{_VERB})\b")
_AFTER_QUOTE = re.compile(
    rf"[\s,—–-]*(?:(?P<verb_first>{_VERB})\s(?:{_SPEAKER})|{_SPEAKER.replace('speaker', 'speaker2')}"
    rf"{_BETWEEN}\s(?P<verb>{_VERB}))\b"
)
_ACCORDING = re.compile(rf"\b[Aa]ccording to (?:{_SPEAKER}|(?P<object>him|her))")
_PRONOUNS = frozenset(["he", "she", "they", "it", "him", "her"])


class Credit(BaseModel):
    """One quotation or attributed statement and who said it."""

    speaker: str
    start: int  # the quotation (direct) or the sentence (indirect)
    end: int
    direct: bool
    verb: str


class Voice(BaseModel):
    """Someone the article lets speak."""

    speaker: str
    kind: str = "person"  # person | organisation | place | role
    role: str | None = None  # role as the article states it
    affiliation: str | None = None  # party, organisation or country the article ties them to
    camp: str = UNSTATED  # the analyst's camp, else the affiliation, else "unstated"
    direct: int = 0  # quotations in their own words
    indirect: int = 0  # paraphrases (possibly with a scare quote)
    verbs: list[str] = []
    characters: int = 0
    evidence: list[Evidence] = []


@dataclass
class _Found:
    name: str
    kind: str
    role: str | None = None
    affiliation: str | None = None


def find_voices(
    doc_id: str,
    text: str,
    sentences: list[Span],
    quotes: list[Span],
    camps: dict[str, list[str]] | None = None,
    actors: ActorIndex | None = None,
) -> list[Voice]:
    """Every speaker of the article, most often heard first."""
    actors = actors or find_actors(text)
    found: dict[str, _Found] = {}
    voices: dict[str, Voice] = {}
    for credit in find_credits(text, sentences, quotes, actors, found):
        who = found[credit.speaker]
        voice = voices.get(credit.speaker)
        if voice is None:
            voice = voices[credit.speaker] = Voice(
                speaker=who.name, kind=who.kind, role=who.role, affiliation=who.affiliation
            )
            voice.camp = camp_of(voice, camps or {})
        voice.direct += int(credit.direct)
        voice.indirect += int(not credit.direct)
        voice.characters += credit.end - credit.start
        if credit.verb and credit.verb not in voice.verbs:
            voice.verbs.append(credit.verb)
        sentence = next((s for s in sentences if s.start <= credit.start < s.end), Span(credit.start, credit.end))
        if len(voice.evidence) < 4 and all(e.start != sentence.start for e in voice.evidence):
            evidence = Evidence(
                doc_id=doc_id, start=sentence.start, end=sentence.end, text=text[sentence.start : sentence.end]
            )
            voice.evidence.append(evidence)
    return sorted(voices.values(), key=lambda v: (-(v.direct + v.indirect), v.speaker))


def find_credits(
    text: str, sentences: list[Span], quotes: list[Span], actors: ActorIndex, found: dict[str, _Found] | None = None
) -> list[Credit]:
    """Every quotation credited to its speaker, then every statement attributed without quotes."""
    found = {} if found is None else found
    credits: list[Credit] = []
    previous: Credit | None = None
    for quote in quotes:
        sentence = _sentence_of(sentences, quote.start)
        if is_headline(text[sentence.start : sentence.end]):
            continue
        closing = _sentence_of(sentences, max(quote.end - 1, quote.start))
        direct = len(text[quote.start : quote.end].split()) >= DIRECT_QUOTE_WORDS
        speaker, verb = _quote_speaker(text, quote, sentence, closing, quotes, actors, found)
        if speaker is None and previous is not None and _continues(text, previous, quote):
            speaker, verb = previous.speaker, previous.verb
        if speaker is None:
            continue
        credit = Credit(speaker=speaker, start=quote.start, end=quote.end, direct=direct, verb=verb)
        credits.append(credit)
        previous = credit if direct else previous
    credited = {_sentence_of(sentences, c.start).start for c in credits}
    for sentence in sentences:
        if sentence.start in credited or is_headline(text[sentence.start : sentence.end]):
            continue
        speaker, verb = _statement_speaker(text, sentence, quotes, actors, found)
        if speaker is not None:
            credits.append(Credit(speaker=speaker, start=sentence.start, end=sentence.end, direct=False, verb=verb))
    return sorted(credits, key=lambda c: c.start)


def _quote_speaker(
    text: str,
    quote: Span,
    sentence: Span,
    closing: Span,
    quotes: list[Span],
    actors: ActorIndex,
    found: dict[str, _Found],
) -> tuple[str | None, str]:
    after = _AFTER_QUOTE.match(text, quote.end, max(closing.end, quote.end))
    if after:
        group = "speaker" if after["verb_first"] else "speaker2"
        speaker = _resolve(text, after.start(group), after.end(group), actors, found)
        if speaker:
            return speaker, (after["verb_first"] or after["verb"]).lower()
    before = text[sentence.start : quote.start]
    matches = [m for m in _SPEAKER_VERB.finditer(before) if not in_quote(sentence.start + m.start(), quotes)]
    for match in reversed(matches):
        speaker = _resolve(
            text, sentence.start + match.start("speaker"), sentence.start + match.end("speaker"), actors, found
        )
        if speaker:
            return speaker, match["verb"].lower()
    if before.rstrip().endswith(":"):  # "The mayor ended with a warning: ‘...’"
        named = actors.at(sentence.start, quote.start)
        if named:
            return _actor(named, actors, found), ""
    according = _ACCORDING.search(text, sentence.start, max(closing.end, quote.end))
    if according:
        group = "speaker" if according["speaker"] else "object"
        speaker = _resolve(text, according.start(group), according.end(group), actors, found)
        if speaker:
            return speaker, "according to"
    subject = actors.first_in(sentence.start, quote.start)  # "Perry pledges to end “...”": the subject speaks
    if subject:
        return _actor(subject, actors, found), ""
    if re.match(r"(?:He|She)\b", text[sentence.start : quote.start]):  # "He signaled he did, saying, “...”"
        person = actors.person_before(sentence.start)
        if person:
            return _actor(person, actors, found), ""
    return None, ""


def _statement_speaker(
    text: str, sentence: Span, quotes: list[Span], actors: ActorIndex, found: dict[str, _Found]
) -> tuple[str | None, str]:
    for match in _SPEAKER_VERB.finditer(text, sentence.start, sentence.end):
        if in_quote(match.start(), quotes):
            continue
        speaker = _match_speaker(text, match, 0, actors, found)
        if speaker:
            return speaker, match["verb"].lower()
    according = _ACCORDING.search(text, sentence.start, sentence.end)
    if according and not in_quote(according.start(), quotes):
        group = "speaker" if according["speaker"] else "object"
        speaker = _resolve(text, according.start(group), according.end(group), actors, found)
        if speaker:
            return speaker, "according to"
    return None, ""


def _match_speaker(
    text: str, match: re.Match[str], offset: int, actors: ActorIndex, found: dict[str, _Found]
) -> str | None:
    """The speaker of a "SPEAKER, apposition, VERB" match: a person the apposition names
    ("Castleford's manager, Helen Marsh, said") before the phrase in front of it.
    """
    named = actors.at(offset + match.end("speaker"), offset + match.start("verb"))
    if named and actors.actors[named].kind == "person":
        return _actor(named, actors, found)
    return _resolve(text, offset + match.start("speaker"), offset + match.end("speaker"), actors, found)


def _resolve(text: str, start: int, end: int, actors: ActorIndex, found: dict[str, _Found]) -> str | None:
    """The key of the speaker named at text[start:end]: an actor, a pronoun's person, or a role."""
    words_ = text[start:end]
    lowered = words_.lower()
    if lowered in _PRONOUNS:
        person = actors.person_before(start) if lowered in ("he", "she", "him", "her") else None
        return _actor(person, actors, found) if person else None
    if words_.endswith(("'s", "’s")):
        return None
    head = lowered.split()[-1]
    if head in _SPEAKER_NOUNS:
        return _role(text, words_, actors, start, found)
    named = actors.at(start, end)
    return _actor(named, actors, found) if named else None


def _actor(name: str, actors: ActorIndex, found: dict[str, _Found]) -> str:
    actor = actors.actors[name]
    role = max(actor.roles, key=len) if actor.roles else None  # "the region's public health director" over "Dr."
    # an organisation is its own affiliation ("the White House")
    stated = affiliation(actor) or (actor.name if actor.kind == "organisation" else None)
    found.setdefault(name, _Found(actor.name, actor.kind, role, stated))
    return name


def _role(text: str, words_: str, actors: ActorIndex, start: int, found: dict[str, _Found]) -> str:
    """A speaker named by role: "the official" is the official met before, if any."""
    phrase = re.sub(
        r"^(A|An|The|One|Two|Three|Several|Some|Many|Other|Top|Senior|His|Her|Their)\s",
        lambda m: m.group().lower(),
        words_,
    )
    head = phrase.split()[-1].lower()
    if phrase.startswith("the "):
        titled = actors.person_titled(head, start)  # "the president said": the person with that title
        if titled:
            return _actor(titled, actors, found)
    if phrase.startswith("the ") and len(phrase.split()) == 2:  # "the colonel": the colonel introduced before
        earlier = rf"\b(?:[Aa]n?|[Oo]ne)\s(?:{_FILLER}){{0,5}}?{re.escape(head)}\b"
        introduced = list(re.finditer(earlier, text[:start]))
        if introduced:
            phrase = re.sub(r"^(A|An|One)\s", lambda m: m.group().lower(), introduced[-1].group())
    qualifier = " ".join(re.sub(r"[’']s$", "", w) for w in re.findall(r"\b[A-Z][\w.’'-]*", phrase))
    found.setdefault(phrase, _Found(phrase, "role", phrase, qualifier or None))
    return phrase


def _continues(text: str, previous: Credit, quote: Span) -> bool:
    """A quotation that goes on from the previous one: in the same paragraph, or opening the
    paragraph right after the one the previous quotation stands in (news style: a speaker's
    quotes run on over paragraphs until someone else is named).
    """
    between = text[previous.end : quote.start]
    if "\n" not in between:
        return True
    opens_paragraph = text[text.rfind("\n", 0, quote.start) + 1 : quote.start].strip() == ""
    paragraphs_between = len([p for p in re.split(r"\n\s*\n|\n", between) if p.strip()])
    return opens_paragraph and paragraphs_between <= 1


def _sentence_of(sentences: list[Span], position: int) -> Span:
    return next((s for s in sentences if s.start <= position < s.end), Span(position, position + 1))


def camp_of(voice: Voice, camps: dict[str, list[str]]) -> str:
    """The analyst's camp whose member words name the voice, its role or affiliation; else the
    affiliation the article states; else "unstated".
    """
    described = " ".join(filter(None, [voice.speaker, voice.role, voice.affiliation]))
    for camp, members in camps.items():
        if any(
            re.search(rf"(?<!\w){re.escape(m.strip())}(?!\w)", described, re.IGNORECASE) for m in members if m.strip()
        ):
            return camp
    return voice.affiliation or UNSTATED


def camp_shares(voices: list[Voice]) -> dict[str, float]:
    """Share of the attributed text each camp gets (quotations and paraphrases, by characters)."""
    total = sum(v.characters for v in voices)
    shares: dict[str, float] = {}
    for voice in voices:
        shares[voice.camp] = shares.get(voice.camp, 0.0) + voice.characters / max(total, 1)
    return {camp: round(share, 3) for camp, share in sorted(shares.items())}
