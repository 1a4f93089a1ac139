"""Actors: the people, organisations and places an article names, found in its own text.

No list of actors, officials or sides: a name is a run of capitalised words; titles before it
("Senate Majority Leader", "Vermont Sen.") and appositions after it (", a spokeswoman for the
Pentagon,") give its role and affiliation; head words ("Committee", "Inc.") and acronyms make it
an organisation. Mentions merge within an article (a surname or title + surname is the person
named in full earlier; "Mr. Gibbs" is Robert Gibbs) and across articles (`merge_actors`).
The word lists are data files in reading/wordlists/ (titles, organisation head words, words
that never begin a name), general English and news style, not any story's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from slant.text.quotes import in_quote, quote_spans
from slant.text.sentences import sentence_spans, starts_sentence
from slant.text.spans import Span
from slant.text.wordlists import TEXT_WORDLISTS, rows, words

_WORDLISTS = Path(__file__).parent / "wordlists"
TITLE_WORDS = words(_WORDLISTS / "titles.txt")
OFFICE_OF = {row[0]: row[1] for row in rows(_WORDLISTS / "titles.txt") if len(row) > 1}  # "rep" -> "representative"
ORGANISATION_WORDS = words(_WORDLISTS / "organisation_words.txt")
NOT_NAMES = words(_WORDLISTS / "not_names.txt")

_UPPER = "A-ZÀ-ÖØ-Þ"
_CAP_WORD = rf"(?:[{_UPPER}][^\W\d_]*(?:[’'-][^\W\d_]+)*\.?|[{_UPPER}]\.(?:[{_UPPER}]\.)*)"
# Lower-case words inside a name: particles ("Cavo de Vries") and joiners ("Bank of America").
_JOINERS = frozenset(
    [
        "de",
        "del",
        "da",
        "di",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "du",
        "bin",
        "al",
        "ibn",
        "of",
        "for",
        "and",
        "the",
        "on",
        "&",
    ]
)
_JOINER = "(?:" + "|".join(re.escape(j) for j in sorted(_JOINERS)) + ")"
_PARTICLES = _JOINERS - {"of", "for", "and", "the", "on", "&"}  # capitalised, they begin a name: "Al Franken", "Le Pen"
NAME_PATTERN = rf"{_CAP_WORD}(?:\s(?:{_JOINER}\s)?{_CAP_WORD})*"  # a run of capitalised words
_NAME_RUN = re.compile(rf"(?<![\w’'.-]){NAME_PATTERN}")
# A US party and state after a name: "(D-Calif.)", or AP style ", R-Ky.,".
_PARTY_STATE = re.compile(r"^\s*(?:\(([DRI])[-–]\s?[A-Z][\w.]*\)|,\s([DRI])[-–][A-Z][\w.]*,)")
_PARTIES = {"D": "Democratic", "R": "Republican", "I": "Independent"}
_APPOSITION = re.compile(
    r"^,\s((?:the|a|an|who\sis)\s[^,.;:“”\"]{3,110}?|[A-Z][\w’'-]*(?:\s[A-Z][\w’'-]*)?\s(?:of|for|at)\s[^,.;:“”\"]{3,90}?)"
    r"(?=,|\.|;|\s(?:said|says|told)\b)"
)
# "of the Harbour Board", "for Crumb & Co"
_AFFILIATION_IN = re.compile(rf"\b(?:of|for|at|with)\s(?:the\s)?({_CAP_WORD}(?:\s(?:&\s)?{_CAP_WORD})*)")
_PARTY_MEMBERS = ("Democrat", "Republican", "Independent")
SUBJECT_DEPS = ("nsubj", "nsubjpass")
_MEMBER = re.compile(rf"^(?:(?:a|an)\s({_CAP_WORD})\b|({'|'.join(_PARTY_MEMBERS)})\s(?:of|from)\b)")
_ARTICLE_BEFORE = re.compile(r"\bthe\s$")
_PLACE_BEFORE = re.compile(r"\b(?:in|from|across|near|outside|inside|throughout)\s$")
_ABBREVIATED = words(TEXT_WORDLISTS / "abbreviations.txt")


class Actor(BaseModel):
    """A person, organisation or place as the articles name it."""

    name: str  # the fullest form: "Chuck Schumer", "the House Intelligence Committee"
    kind: str  # person | organisation | place
    roles: list[str] = []  # as the text states them: "Senate Majority Leader", "a spokeswoman for the Pentagon"
    affiliation: str | None = None  # party, organisation or country the text ties them to
    mentions: int = 0
    aliases: list[str] = []


@dataclass(frozen=True)
class Mention:
    """Where an article names an actor."""

    start: int
    end: int
    actor: str  # the Actor's name
    quoted: bool = False  # inside a quotation
    subject: bool = False  # the person its sentence is about: its subject (see subjects_by_parse)


@dataclass
class ActorIndex:
    """The actors of one article and their mentions in order."""

    actors: dict[str, Actor] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)

    def person_before(self, position: int) -> str | None:
        """Who "he" or "she" at `position` most likely is: the subject of the sentence where a person
        was last the subject, else the person last named (outside quotations).
        """
        people = [
            m for m in self.mentions if m.end <= position and not m.quoted and self.actors[m.actor].kind == "person"
        ]
        subject = next((m for m in reversed(people) if m.subject), None)
        return (subject or people[-1]).actor if people else None

    def person_titled(self, title: str, position: int) -> str | None:
        """The person named last before `position` whose stated roles include the word `title`, or
        another form of its office ("the congresswoman" after "Rep. Ana Diaz").
        """
        office = OFFICE_OF.get(title, title)
        for mention in reversed(self.mentions):
            actor = self.actors[mention.actor]
            roles = [[OFFICE_OF.get(w, w) for w in role.lower().replace(".", "").split()] for role in actor.roles]
            if mention.end <= position and actor.kind == "person" and any(office in words for words in roles):
                return mention.actor
        return None

    def first_in(self, start: int, end: int) -> str | None:
        """The first person or organisation named outside quotations in [start, end): a sentence's subject."""
        for mention in self.mentions:
            inside = start <= mention.start and mention.end <= end and not mention.quoted
            if inside and self.actors[mention.actor].kind != "place":
                return mention.actor
        return None

    def at(self, start: int, end: int) -> str | None:
        """The actor named within [start, end), the last one if several."""
        found = [m.actor for m in self.mentions if start <= m.start and m.end <= end]
        return found[-1] if found else None


ENTITY_KINDS = {"PERSON": "person", "ORG": "organisation", "NORP": "organisation", "GPE": "place", "LOC": "place"}


def typed_by_entities(index: ActorIndex, entities: Sequence[tuple[int, int, str]]) -> ActorIndex:
    """The actors the parse's named entities ((start, end, label)) show to be places: an actor whose
    mentions no entity of its kind covers, and most of whose entities are places, is a place
    ("Puerto Rico", though the name finder read it as a person). Only places: the small model often
    calls a titled person an organisation ("Superintendent Marcus Bell").
    """
    votes: dict[str, Counter[str]] = {}
    for mention in index.mentions:
        label = next((lab for s, e, lab in entities if s <= mention.start and mention.end <= e), None)
        if label in ENTITY_KINDS:
            votes.setdefault(mention.actor, Counter())[ENTITY_KINDS[label]] += 1
    for name, counted in votes.items():
        kind = counted.most_common(1)[0][0]
        if kind == "place" and not counted[index.actors[name].kind]:  # no entity agrees with the name finder
            index.actors[name] = index.actors[name].model_copy(update={"kind": kind})
    return index


def name_span(token: Any) -> tuple[int, int]:
    """The characters of a name on the parse: the token with its compound and flat parts ("Vladimir Putin")."""
    words = [token, *(c for c in token.children if c.dep_ in ("compound", "flat"))]
    return min(t.idx for t in words), max(t.idx + len(t.text) for t in words)


def subjects_by_parse(index: ActorIndex, doc: Any, quotes: list[Span]) -> ActorIndex:
    """The people the parse (a spaCy Doc) makes their sentence's first subject outside
    quotations: the ones "he" or "she" can point back to. A sentence whose subject is "he" or
    "she" keeps the person before it ("He said Obama …" is not about Obama); one with no subject
    outside quotations keeps find_actors' guess, the first person it names.
    """
    mentions = index.mentions
    for sentence in doc.sents:
        subject = next((t for t in sentence if t.dep_ in SUBJECT_DEPS and not in_quote(t.idx, quotes)), None)
        if subject is None:
            continue
        inside = [i for i, m in enumerate(mentions) if sentence.start_char <= m.start < sentence.end_char]
        if subject.lower_ in ("he", "she"):
            named = None
        else:
            start, end = name_span(subject)
            named = next((i for i in inside if mentions[i].start < end and start < mentions[i].end), None)
            if named is None or index.actors[mentions[named].actor].kind != "person":
                continue
        for i in inside:
            mentions[i] = replace(mentions[i], subject=i == named)
    return index


def roles_by_parse(index: ActorIndex, doc: Any) -> ActorIndex:
    """The descriptions the parse (a spaCy Doc) sets beside a name as its apposition, as roles:
    before it ("Obama's campaign press secretary, Ben LaBolt, said", "The House Republican leader,
    Representative Kevin McCarthy, …") or after it ("W. Douglas Parker, chairman and chief
    executive of American Airlines, sent …", whose "of" names the affiliation). Only a description
    whose noun is a title; an opening phrase about someone else ("After meeting the Finnish
    minister, Carl Dahl said") is no apposition.
    """
    for token in doc:
        if token.dep_ != "appos" or token.head.i > token.i:
            continue
        if token.head.lower_ in TITLE_WORDS:  # "The House Republican leader, Representative Kevin McCarthy"
            name, description = token, token.head
        elif token.lower_ in TITLE_WORDS:  # "W. Douglas Parker, chairman … of American Airlines"
            name, description = token.head, token
        else:
            continue
        start, end = name_span(name)
        named = next((m.actor for m in index.mentions if m.start < end and start < m.end), None)
        if named is None or index.actors[named].kind != "person":
            continue
        actor = index.actors[named]
        first = description.left_edge.i + (description.left_edge.dep_ == "det")
        last = description.i if description.i < name.i else description.right_edge.i
        role = doc.text[doc[first].idx : doc[last].idx + len(doc[last].text)]
        if not any(role in known for known in actor.roles):  # "a senator" read before by find_actors
            actor.roles.append(role)
        if description.i > name.i:
            actor.affiliation = actor.affiliation or _organisation_in(role)
    return index


def find_actors(text: str) -> ActorIndex:
    """Every actor the text names, with roles and affiliations, mentions merged."""
    index = ActorIndex()
    quotes = quote_spans(text)
    sentences = sentence_spans(text)
    common = _common_words(text)
    headlines = [s for s in sentences if is_headline(text[s.start : s.end])]
    for match in _NAME_RUN.finditer(text):
        if not any(h.start <= match.start() < h.end for h in headlines):
            for start, tokens in _segments(match):
                _read_name(text, start, tokens, index, quotes, common)
    for sentence in sentences:
        inside = [m for m in index.mentions if sentence.start <= m.start < sentence.end and not m.quoted]
        first = next((m for m in inside if index.actors[m.actor].kind == "person"), None)
        if first is not None:
            index.mentions[index.mentions.index(first)] = replace(first, subject=True)
    return index


def _segments(match: re.Match[str]) -> list[tuple[int, list[str]]]:
    """A run of capitalised words cut where a sentence ends ("Friday. Schumer" is two runs)."""
    segments: list[tuple[int, list[str]]] = []
    start, tokens = match.start(), list[str]()
    for token in re.finditer(r"\S+", match.group()):
        if not tokens:
            start = match.start() + token.start()
        word = token.group()
        stem = word[:-1].lower()
        ends = word.endswith(".") and len(stem) > 1 and "." not in stem and stem not in TITLE_WORDS | _ABBREVIATED
        tokens.append(word[:-1] if ends else word)
        if ends:
            segments.append((start, tokens))
            tokens = []
    if tokens:
        segments.append((start, tokens))
    return segments


def _read_name(
    text: str, start: int, tokens: list[str], index: ActorIndex, quotes: list[Span], common: set[str]
) -> None:
    """Read one run of capitalised words; `common` holds the words the text uses in lower case."""
    tokens = _until_possessive(tokens)
    if start and text[start - 1] == "(" and re.match(r"[DRI][-–]", tokens[0]):
        return  # the "R-Texas" of "(R-Texas)": read as the party of the name before it
    sentence_start = starts_sentence(text, start)
    while tokens and (tokens[0].rstrip(".").lower() in NOT_NAMES or _joins(tokens[0])):
        start += len(tokens[0]) + 1
        tokens = tokens[1:]
        sentence_start = False
    while tokens and (tokens[-1].rstrip(".,").lower() in NOT_NAMES or _joins(tokens[-1])):
        tokens = tokens[:-1]  # "Washington on Monday" is Washington
    if not tokens:
        return
    if sentence_start and len(tokens) == 1 and tokens[0].lower() in common:
        return  # "Officials", "Asked": an ordinary word at the start of a sentence
    title_end = max((i + 1 for i, t in enumerate(tokens) if _is_title(t)), default=0)
    role_words, name_words = tokens[:title_end], tokens[title_end:]
    lone = name_words[0].lower().rstrip(".,") if len(name_words) == 1 else ""
    if role_words and lone and (lone in common or lone in ORGANISATION_WORDS):
        role_words, name_words = [], tokens  # "General Staff": an organisation, not a person called Staff
    if not name_words or _joins(name_words[0]):
        return
    cut = tokens.index("and") if "and" in tokens else 0
    titled_first = cut > 1 and _is_title(tokens[0]) and not _is_title(tokens[cut - 1])  # "Ms. Pelosi and Mr. Schumer"
    if ("and" in name_words or titled_first) and not any(w.lower() in ORGANISATION_WORDS for w in tokens):
        # "President Obama and Netanyahu" names two, "House and Senate Democrats" one group
        _read_name(text, start, tokens[:cut], index, quotes, common)
        _read_name(text, start + len(" ".join(tokens[: cut + 1])) + 1, tokens[cut + 1 :], index, quotes, common)
        return
    if name_words[0] in _PARTY_MEMBERS and name_words[1:2] == ["of"]:
        return  # "Democrat of Arizona" describes the person before it
    home = None
    if "of" in name_words and (role_words or name_words.index("of") >= 2):
        cut = name_words.index("of")  # "Senator Mitch McConnell of Kentucky"; "Bank of America" stays whole
        if not any(w.lower() in ORGANISATION_WORDS for w in name_words[:cut]):
            name_words, home = name_words[:cut], " ".join(name_words[cut + 1 :])
    name_words[-1] = re.sub(r"[’']s?$", "", name_words[-1])  # "Obama's" names Obama
    if not name_words[-1]:
        return
    name = " ".join(name_words).rstrip(",")
    name_start = start + (len(" ".join(role_words)) + 1 if role_words else 0)
    end = name_start + len(name)
    quoted = in_quote(name_start, quotes)
    if quoted and not role_words and len(name_words) == 1:
        return  # a lone capitalised word inside a quotation: too little to go on
    kind = _kind(text, name_start, name_words, bool(role_words))
    key = _merge(index, name, kind)
    actor = index.actors[key]
    actor.mentions += 1
    if name != actor.name and name not in actor.aliases:
        actor.aliases.append(name)
    role = " ".join(role_words) or _role_before(text[max(0, start - 80) : start])
    if role and role not in actor.roles:
        actor.roles.append(role)
    after = end + len(f" of {home}") if home else end  # the apposition follows "of Kentucky"
    _read_apposition(text[after : end + 160], actor)
    actor.affiliation = actor.affiliation or home
    index.mentions.append(Mention(name_start, end, key, quoted))


def _joins(token: str) -> bool:
    """A word that joins a name but never begins or ends one: "of", "the", a lower-case particle."""
    return token.lower() in _JOINERS and not (token[:1].isupper() and token.lower() in _PARTICLES)


def _until_possessive(tokens: list[str]) -> list[str]:
    """The tokens up to the first possessive ("Apple’s" in "Apple’s Board" is Apple)."""
    for i, token in enumerate(tokens):
        if re.search(r"[’']s$", token):
            return [*tokens[:i], token[:-2]] if len(token) > 2 else tokens[:i]
    return tokens


def _is_title(token: str) -> bool:
    return token.rstrip(".,").lower() in TITLE_WORDS


def _kind(text: str, start: int, name_words: list[str], titled: bool) -> str:
    lowered = [w.rstrip(".,").lower() for w in name_words]
    acronym = len(name_words) == 1 and name_words[0].isupper() and len(name_words[0]) > 1
    if (
        any(w in ORGANISATION_WORDS for w in lowered)
        or acronym
        or _ARTICLE_BEFORE.search(text[max(0, start - 4) : start])
    ):
        return "organisation"
    if titled:
        return "person"
    if len(name_words) == 1 and _PLACE_BEFORE.search(text[max(0, start - 12) : start]):
        return "place"
    return "person" if len(name_words) >= 2 else "organisation"


def _merge(index: ActorIndex, name: str, kind: str) -> str:
    """The key of the actor `name` refers to: itself, or a person named in full earlier whose
    name ends with it ("Schumer", "Peña Nieto" after "Enrique Peña Nieto"; after "in" too: "bring
    in Netanyahu"). Of several ("Ted Cruz", "Heidi Cruz"), the one named most so far, else first.
    """
    if name in index.actors:
        return name
    bearers = [a for key, a in index.actors.items() if a.kind == "person" and _shortens(name, key)]
    if bearers:
        return max(bearers, key=lambda a: a.mentions).name  # max keeps the first of equals
    index.actors[name] = Actor(name=name, kind=kind)
    return name


def _shortens(name: str, full: str) -> bool:
    """Whether `name` is the last words of `full` (a surname, or given name dropped), middle
    initials and a particle's case aside: "Gorsuch" and "Neil Gorsuch" both shorten "Neil M.
    Gorsuch", "De Blasio" shortens "Bill de Blasio".
    """
    if name == full:
        return False
    short, long = _without_initials(name.lower()), _without_initials(full.lower())
    return 0 < len(short) <= len(long) and long[-len(short) :] == short and len(name) < len(full)


def same_person_name(one: str, other: str) -> bool:
    """Whether two names of people can name the same person (one shortens the other, or equal)."""
    return one == other or _shortens(one, other) or _shortens(other, one)


def _without_initials(name: str) -> list[str]:
    return [word for word in name.split() if not re.fullmatch(r"[A-Za-z]\.?", word)]


_LOWER_ROLE = re.compile(r"((?:[A-Z][\w’'-]*\s){0,4}(?:[a-z]+\s)?[a-z]+)\s$")


def _role_before(preceding: str) -> str | None:
    """A lower-case role between a name and the organisation before it: "Treasury Department spokeswoman"."""
    found = _LOWER_ROLE.search(preceding)
    if not found:
        return None
    words_ = found.group(1).split()
    if words_[-1] not in TITLE_WORDS or not words_[0][:1].isupper():
        return None
    return found.group(1)


def _read_apposition(following: str, actor: Actor) -> None:
    party = _PARTY_STATE.match(following)
    if party:
        actor.affiliation = actor.affiliation or _PARTIES[party.group(1) or party.group(2)]
        return
    found = _APPOSITION.match(following)
    if not found or actor.kind != "person":
        return
    role = found.group(1).strip()
    if role not in actor.roles:
        actor.roles.append(role)
    member = _MEMBER.match(role)  # "a Democrat from New York": the party is the affiliation
    member_of = re.sub(r"[’']s$", "", member.group(member.lastindex or 1).strip()) if member else None
    actor.affiliation = actor.affiliation or member_of or _organisation_in(role)


def _organisation_in(role: str) -> str | None:
    """The name a role's "of", "for", "at" or "with" gives ("spokeswoman for the Harbour Board")."""
    of = _AFFILIATION_IN.search(role)
    return re.sub(r"[’']s$", "", of.group(1).strip()) if of else None


def is_headline(sentence: str) -> bool:
    """A title-case line ("Senate Rejects Governor’s Budget"), not a sentence of the report."""
    found = re.findall(r"[A-Za-z][\w’']*", sentence)
    ends_like_a_sentence = sentence.rstrip().endswith((".", "!", ".”", '."', ".’"))
    return len(found) >= 3 and not ends_like_a_sentence and sum(w[0].isupper() for w in found) >= 0.7 * len(found)


def _common_words(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w’'])[a-z][a-z’'-]*", text))


def affiliation(actor: Actor) -> str | None:
    """The affiliation the text states: a party ("(D-Calif.)"), an organisation in a title
    ("Treasury Department spokeswoman"), or a title's qualifier ("Vermont Sen.").
    """
    if actor.affiliation:
        return actor.affiliation
    for role in actor.roles:
        capitalised = [re.sub(r"[’']s$", "", w) for w in role.split() if w[:1].isupper()]
        organisation = [i for i, w in enumerate(capitalised) if w.lower().rstrip(".") in ORGANISATION_WORDS]
        if organisation:
            return " ".join(capitalised[: organisation[-1] + 1])
        qualifier = [w for w in capitalised if not _is_title(w)]
        if qualifier:
            return " ".join(qualifier)
    return None


def merge_actors(per_article: list[ActorIndex]) -> dict[str, Actor]:
    """One actor per real-world actor across articles: same full name, or a surname that only
    one person of the articles bears.
    """
    merged: dict[str, Actor] = {}
    for index in per_article:
        for actor in index.actors.values():
            key = canonical(actor.name, merged)
            into = merged.setdefault(key, actor.model_copy(update={"mentions": 0, "roles": [], "aliases": []}))
            into.mentions += actor.mentions
            into.roles += [r for r in actor.roles if r not in into.roles]
            into.aliases += [a for a in [actor.name, *actor.aliases] if a != into.name and a not in into.aliases]
            into.affiliation = into.affiliation or actor.affiliation
    return merged


def canonical(name: str, known: dict[str, Actor]) -> str:
    """The key under which `name` is already known: same name, or the same surname of one person."""
    if name in known:
        return name
    same = [k for k, a in known.items() if a.kind == "person" and (_shortens(name, k) or _shortens(k, name))]
    return same[0] if len(same) == 1 else name
