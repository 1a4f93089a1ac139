"""Who an article lets speak: each quotation and each attributed statement is credited to a
speaker (a named person, a role such as "a NATO official", or an institution such as "the
Kremlin"), with the role or affiliation the article states, the side the speaker is on, and
whether the words are quoted directly or paraphrased. Deterministic; every credit cites its span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel

from slant.framing.lexicon import ACTOR_SIDES
from slant.text.attribution import UNAMBIGUOUS_VERBS
from slant.text.sentences import Evidence, Span

DIRECT_QUOTE_WORDS = 4  # a shorter quotation is a scare quote inside a paraphrase
_VERB = "|".join(sorted(UNAMBIGUOUS_VERBS, key=len, reverse=True))
_ROLE_NOUNS = (
    "official|officials|spokeswoman|spokesperson|spokesman|analyst|analysts|diplomat|diplomats|attach[ée]|"
    "colonel|general|minister|commander|lawmaker|lawmakers|observers|experts|expert|adviser|advisor|"
    "ambassador|agencies|mediators|governments|leaders|source|sources|officer|officers|"
    r"(?:head|chair|chief)\sof\s[\w’]+(?:\s[A-Z]\w+){0,3}"
)
_TITLE = (
    r"(?:(?:Army\s)?General|Gen\.|Adm\.|Admiral|President|Prime\sMinister|Foreign\sMinister|Defen[cs]e\sMinister|"
    r"Secretary\sGeneral|Colonel|Col\.|Dr\.|Mr\.|Ms\.|Mrs\.)"
)
_CAP = r"[A-Z][a-z’'-]+"
_NAME = rf"(?:{_TITLE}\s)?{_CAP}(?:\s(?:[A-Z]\.\s)?{_CAP}){{0,3}}"  # one capitalised word: a surname
_ROLE = (
    rf"(?:[Aa]n?|[Tt]he|[Oo]ne|[Ss]everal|[Ss]ome)\s(?:(?!(?:that|which|who|claim|of|to)\s)[\w.’-]+\s){{0,4}}?"
    rf"(?:{_ROLE_NOUNS})"
    rf"(?:\s(?:based\s)?in\s{_CAP})?"
    rf"|(?:Russian|Western|NATO|European|U\.S\.|Ukrainian|Kremlin|Security|Senior)\s(?:[\w.’-]+\s){{0,2}}?"
    rf"(?:{_ROLE_NOUNS})(?:\s(?:based\s)?in\s{_CAP})?"
    rf"|(?:analysts|officials|experts|observers|diplomats)(?:\s(?:based\s)?in\s{_CAP})?"
)
_INSTITUTION = r"[Tt]he\sKremlin|Moscow|Russia|NATO|[Tt]he\salliance|[Tt]he\sWest|Washington|Kyiv|Brussels"
_SPEAKER = rf"(?P<speaker>{_NAME}|{_ROLE}|{_INSTITUTION})"
_BETWEEN = (
    r"(?:,[^.;:‘“\"]{1,120}?,)?(?:,?\swho)?(?:\s(?:reportedly|repeatedly|openly|also|further|later|has|have|had))*"
)
_SPEAKER_VERB = re.compile(rf"(?<![\w’]){_SPEAKER}{_BETWEEN}\s(?P<verb>{_VERB})\b")
_AFTER_QUOTE = re.compile(
    rf"^[\s,]*(?:(?P<verb1>{_VERB})\s{_SPEAKER}|(?P<speaker2>{_NAME}|{_ROLE}|{_INSTITUTION}|he|she|they)"
    rf"{_BETWEEN}\s(?P<verb2>{_VERB})\b)"
)
_PRONOUN_VERB = re.compile(rf"(?:^|,\s)(?:[Hh]e|[Ss]he)(?:\s(?:also|further|later|openly))?\s(?P<verb>{_VERB})\b")
_ACCORDING = re.compile(rf"[Aa]ccording to (?:{_SPEAKER}|(?P<pronoun>him|her))")
_PERSON_MENTION = re.compile(rf"(?:{_TITLE}\s)?{_CAP}(?:\s{_CAP})+")
_NOT_PERSON_WORDS = frozenset(
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
        "Line",
        "Part",
        "Matters",
        "Now",
        "Bottom",
        "Moscow",
        "Responds",
    ]
)
_NOT_SPEAKER_START = frozenset(
    ["This", "That", "It", "In", "On", "For", "As", "But", "Yet", "While", "Every", "Until", "If", "Now", "What", "Key"]
)
_NOT_SPEAKERS = frozenset(["The", "He", "She", "They", "We", "You", "Such", "These", "Those", "Speaking", "Despite"])


class Voice(BaseModel):
    """Someone the article lets speak."""

    speaker: str
    role: str | None = None  # role or affiliation as the article states it
    side: str = "unstated"  # Russia | NATO/West | unstated
    direct: int = 0  # quotations in their own words
    indirect: int = 0  # paraphrases (possibly with a scare quote)
    verbs: list[str] = []
    characters: int = 0
    evidence: list[Evidence] = []


@dataclass
class _Credit:
    speaker: str
    verb: str
    direct: bool
    characters: int
    span: Span


def find_voices(doc_id: str, text: str, sentences: list[Span], quotes: list[Span]) -> list[Voice]:
    """Every speaker of the article, most often heard first."""
    voices: dict[str, Voice] = {}
    last_person: str | None = None
    quoted_before: str | None = None  # who spoke the quotation of the previous sentence
    surnames: set[str] = set()  # of the people named so far, to resolve "he", "she", "according to him"
    for index, span in enumerate(sentences):
        sentence = text[span.start : span.end]
        inner = [q for q in quotes if span.start <= q.start < span.end]
        credits = _attribute(text, span, inner, last_person)
        if not credits and inner and sentence.startswith(("‘", "“", '"')) and quoted_before:
            credits = [_Credit(quoted_before, "", True, _quoted_chars(inner), span)]  # the quotation goes on
        quoted_now = None
        for credit in credits:
            key = _add(voices, credit, doc_id, text, sentences, index)
            if key and credit.direct:
                quoted_now = key
        quoted_before = quoted_now
        mentioned = _first_person(sentence, surnames)
        last_person = mentioned or last_person
        for credit in credits:
            if _is_person(_clean(credit.speaker)):
                last_person = _clean(credit.speaker).split()[-1]
    return sorted(voices.values(), key=lambda v: (-(v.direct + v.indirect), v.speaker))


def _first_person(sentence: str, surnames: set[str]) -> str | None:
    """The surname of the first person a sentence names (its likely subject); learns new surnames."""
    found: list[tuple[int, str]] = []
    for person in _PERSON_MENTION.finditer(sentence):
        words = person.group().split()
        if words[-1] not in _NOT_PERSON_WORDS and words[0] not in _NOT_SPEAKER_START | _NOT_SPEAKERS:
            surnames.add(words[-1])
            found.append((person.start(), words[-1]))
    for surname in surnames:
        at = re.search(rf"\b{re.escape(surname)}\b", sentence)
        if at:
            found.append((at.start(), surname))
    return min(found)[1] if found else None


def _attribute(text: str, span: Span, inner: list[Span], last_person: str | None) -> list[_Credit]:
    """Who speaks in one sentence: the quotation's speaker first, then other attributions."""
    sentence = text[span.start : span.end]
    direct = any(len(text[q.start : q.end].split()) >= DIRECT_QUOTE_WORDS for q in inner)
    quoted = _quoted_chars(inner)
    chars = quoted if direct else span.end - span.start
    credits: list[_Credit] = []
    if inner:
        after = _AFTER_QUOTE.match(text[inner[-1].end : span.end])
        speaker = None
        if after:
            verb = after["verb1"] or after["verb2"]
            speaker = after["speaker"] or after["speaker2"]
            if speaker in ("he", "she", "they"):
                speaker = last_person if speaker != "they" else None
            if speaker:
                return [_Credit(speaker, verb, direct, chars, span)]
        before = text[span.start : inner[0].start]
        if before.rstrip().endswith(":"):  # "Gerasimov left the stage with a final warning: ‘...’"
            intro = next((m for m in re.finditer(_SPEAKER, before) if _clean(m["speaker"])), None)
            if intro:
                return [_Credit(intro["speaker"], "", direct, chars, span)]
    matches = [m for m in _SPEAKER_VERB.finditer(sentence) if not _inside_quote(span.start + m.start(), inner)]
    matches = [m for m in matches if _clean(m["speaker"])]
    if matches:
        # the speaker nearest before the first quotation said it; the others are paraphrased
        before_quote = [m for m in matches if not inner or span.start + m.end() <= inner[0].start]
        quoter = before_quote[-1] if before_quote else None
        for match in matches:
            if match is quoter:
                credits.append(_Credit(match["speaker"], match["verb"], direct, chars, span))
            else:
                credits.append(_Credit(match["speaker"], match["verb"], False, span.end - span.start - quoted, span))
        return credits
    pronoun = _PRONOUN_VERB.search(sentence)
    if pronoun and last_person:
        return [_Credit(last_person, pronoun["verb"], direct, chars, span)]
    according = _ACCORDING.search(sentence)
    if according:
        speaker = according["speaker"] or last_person
        if speaker:
            return [_Credit(speaker, "according", direct, chars, span)]
    return []


def _add(voices: dict[str, Voice], credit: _Credit, doc_id: str, text: str, sentences: list[Span], index: int) -> str:
    """Record a credit under its speaker; returns the speaker's key ("" if not a speaker)."""
    name = _clean(credit.speaker)
    if not name:
        return ""
    key = _resolve(name, voices)
    voice = voices.get(key)
    if voice is None:
        if _is_person(name):
            full, role = _full_name_and_role(text, name)
        elif re.fullmatch(rf"(?:{_INSTITUTION})", name):
            full, role = name, None
        else:  # "a senior U.S. military attaché", "Russian officials": the role is all the article says
            full = role = re.sub(r"^(A|An|The|One|Several|Some)\s", lambda m: m.group().lower(), name)
        voice = voices[key] = Voice(speaker=full, role=role)
        context = " ".join(filter(None, [voice.speaker, voice.role]))
        # the speaker's stated role, else the sentence before (the sentence itself names whom they talk about)
        voice.side = _side(context) or _side(_previous(text, sentences, index)) or "unstated"
    voice.direct += int(credit.direct)
    voice.indirect += int(not credit.direct)
    voice.characters += credit.characters
    if credit.verb and credit.verb.lower() not in voice.verbs:
        voice.verbs.append(credit.verb.lower())
    if len(voice.evidence) < 4:
        sentence = text[credit.span.start : credit.span.end]
        voice.evidence.append(Evidence(doc_id=doc_id, start=credit.span.start, end=credit.span.end, text=sentence))
    return key


def _clean(name: str) -> str:
    words = name.strip(" ,’'‘").split()
    while words and words[0] in _NOT_SPEAKER_START:
        words = words[1:]
    cleaned = " ".join(words)
    return "" if cleaned in _NOT_SPEAKERS or cleaned.lower() in ("the", "he", "she", "they") else cleaned


def _is_person(name: str) -> bool:
    if not name or name.split()[-1] in _NOT_PERSON_WORDS:
        return False
    return bool(re.fullmatch(rf"(?:{_TITLE}\s)?{_CAP}(?:\s(?:[A-Z]\.\s)?{_CAP}){{0,3}}", name)) and not re.fullmatch(
        rf"(?:{_INSTITUTION})", name
    )


def _head(name: str) -> str:
    words = re.sub(r"\s(?:based\s)?in\s[A-Z]\w+$", "", name).split()
    return words[-1].lower() if words else ""


def _resolve(name: str, voices: dict[str, Voice]) -> str:
    """The key of the voice `name` refers to: surnames for people, earlier roles for "the X"."""
    if _is_person(name):
        return name.split()[-1]  # a named person: keyed by surname
    lowered = name.lower()
    if lowered.startswith("the ") and lowered not in ("the kremlin", "the west", "the alliance"):
        head = _head(name)
        for key in reversed(list(voices)):
            if _head(key) == head and not _is_person(key):
                return key
    return lowered.removeprefix("the ") if re.fullmatch(rf"(?:{_INSTITUTION})", name) else lowered


def _full_name_and_role(text: str, surname_or_name: str) -> tuple[str, str | None]:
    """The fullest form of a person's name in the article and the role stated next to it."""
    surname = surname_or_name.split()[-1]
    full = surname_or_name
    for match in re.finditer(rf"(?:{_TITLE}\s)?(?:{_CAP}\s|[A-Z]\.\s){{0,4}}{re.escape(surname)}\b", text):
        if len(match.group()) > len(full) and match.group().split()[0] not in _NOT_SPEAKER_START | _NOT_SPEAKERS:
            full = match.group()
    role = None
    for match in re.finditer(rf"{re.escape(surname)}\b", text):
        role = _role_after(text[match.end() : match.end() + 140]) or _role_before(text[: match.start()])
        if role:
            break
    title = re.match(rf"{_TITLE}", full)
    return full, role or (title.group() if title else None)


def _role_before(preceding: str) -> str | None:
    """A title just before a name: "Foreign Ministry spokeswoman" Maria Zakharova."""
    found = re.search(rf"((?:[A-Z][\w’-]*\s){{0,3}}(?:{_ROLE_NOUNS}))\s(?:{_TITLE}\s)?(?:{_CAP}\s){{0,3}}$", preceding)
    return found.group(1) if found else None


def _role_after(following: str) -> str | None:
    """An appositive after a name: "Valery Gerasimov, the Chief of the General Staff ...,"."""
    found = re.match(r",\s((?:the\s|a\s|an\s)?[^,]{3,110}?)(?:,|\.|\stold|\ssaid)", following)
    if found and re.search(rf"\b({_ROLE_NOUNS}|Chief|Chair|chair|head|Secretary)\b", found.group(1)):
        return found.group(1).strip()
    return None


def _side(text: str) -> str | None:
    found = [side for side, pattern in ACTOR_SIDES.items() if re.search(pattern, text)]
    return found[0] if len(found) == 1 else None


def _previous(text: str, sentences: list[Span], index: int) -> str:
    return text[sentences[index - 1].start : sentences[index - 1].end] if index else ""


def _quoted_chars(quotes: list[Span]) -> int:
    return sum(q.end - q.start for q in quotes)


def _inside_quote(position: int, quotes: list[Span]) -> bool:
    return any(q.start <= position < q.end for q in quotes)


def side_shares(voices: list[Voice]) -> dict[str, float]:
    """Share of the attributed text each side gets (quotations and paraphrases, by characters)."""
    total = sum(v.characters for v in voices)
    shares: dict[str, float] = {}
    for voice in voices:
        shares[voice.side] = shares.get(voice.side, 0.0) + voice.characters / max(total, 1)
    return {side: round(share, 3) for side, share in sorted(shares.items())}
