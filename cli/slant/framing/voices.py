"""Who an article lets speak: every quotation and attributed statement credited to its speaker,
direct (four or more words in quotation marks) or indirect, with its span.

The credits are the reading's attributions of speech (slant.reading.attributions: the subject of
a reporting verb or the agent of "according to", pronouns and titled descriptions resolved to
the actor they refer to); a view or finding ("voters want", "the poll shows") is not a voice,
and neither is a headline. A voice's kind, role and affiliation are its actor's (slant.reading.
actors); a description ("a spokeswoman for the ministry") is a role, affiliated with the
organisation or place it names. Camps are the analyst's (`camps`: camp name -> words of its
members); without them, a voice is grouped by the affiliation the text states, else "unstated".
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from slant.reading.actors import ActorIndex, affiliation, is_headline
from slant.reading.readings import reading_of
from slant.text.sentences import Evidence
from slant.text.spans import Span

UNSTATED = "unstated"


class Credit(BaseModel):
    """One quotation or attributed statement and who said it."""

    speaker: str
    start: int  # what was said: the quotation (direct) or the reported clause
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


def find_voices(
    doc_id: str,
    text: str,
    sentences: list[Span],
    camps: dict[str, list[str]] | None = None,
) -> list[Voice]:
    """Every speaker of the article, most often heard first."""
    reading = reading_of(text)
    actors = reading.actor_index
    entity_names = {text[e.start : e.end] for e in reading.entities}
    voices: dict[str, Voice] = {}
    for credit in find_credits(text):
        voice = voices.get(credit.speaker)
        if voice is None:
            voice = voices[credit.speaker] = _voice(credit.speaker, actors, entity_names)
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


def find_credits(text: str) -> list[Credit]:
    """The article's reported speech, each credited to its speaker, in text order."""
    reading = reading_of(text)
    credits = []
    for attribution in reading.attributions:
        sentence = reading.sentence_at(attribution.cue.start)
        if not attribution.speech or is_headline(text[sentence.start : sentence.end]):
            continue
        credits.append(
            Credit(
                speaker=attribution.speaker,
                start=attribution.content.start,
                end=attribution.content.end,
                direct=attribution.direct,
                verb=text[attribution.cue.start : attribution.cue.end].lower(),
            )
        )
    return credits


def _voice(speaker: str, actors: ActorIndex, entity_names: set[str]) -> Voice:
    """The voice of an actor, or of a description ("a European Union defense official": a role,
    affiliated with the organisation or place it names, as the parse's entities show it).
    """
    actor = actors.actors.get(speaker)
    if actor is not None:
        return Voice(
            speaker=actor.name,
            kind=actor.kind,
            role=max(actor.roles, key=lambda role: len(role.split())) if actor.roles else None,
            affiliation=affiliation(actor),
        )
    named = [
        name
        for name in actors.actors
        if name in entity_names and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", speaker)
    ]
    return Voice(speaker=speaker, kind="role", role=speaker, affiliation=named[0] if named else None)


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
