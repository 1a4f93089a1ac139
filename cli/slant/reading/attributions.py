"""Who said what, read on the dependency parse: each attribution is a source (who), a cue (the
reporting word) and a content (what), as PolNeAR annotates them.

- The cue is a reporting verb (slant's one list, text/wordlists/attribution_verbs.txt) used as a
  verb outside quotations, "according to", or a noun of the list with its holder ("his comment
  that …", "Clinton's support for …").
- The source is the subject of the reporting verb (of the verb it is joined to, in "smiled and
  said"), the agent of a passive ("was reported by X") or the object of "according to". Nothing
  else is a source: an adjective or a place ("Western", "Moscow") speaks only where the parse
  makes it the subject of a reporting verb.
- The content is the clause the verb reports ("said that …"), else the clause the verb is set into
  ("…, officials said"), else the quotation in the sentence, else what follows the verb from its
  object on ("called the remarks reckless"), else the object of its preposition ("called for a
  repeal", "spoke about the cuts").
- The speaker: a name is the article's actor it names ("Schumer" is Chuck Schumer); "he"/"she"
  the person the article last made a subject; "it" the organisation or country that is the subject
  of its own sentence, else the one named last, and "they" the same of organisations; a
  description with a title ("the senator") the person last given that title, and "the official"
  the official who spoke last. Anything else stays as the text says it ("a campaign aide"). A
  dateline ("WASHINGTON -- President Obama … said") is never the speaker.
- Not content: a show named in title case after "to", "on" or a possessive ("told CNN’s “New
  Day” that …"), the hearer of "told" ("told reporters"), the medium of "spoke on Radio X", a
  place after a noun of saying ("his home state of Ohio").
- Only a source that can speak gives speech: a pronoun, a name, or a description whose noun
  names a speaker (reading/wordlists/speaker_nouns.txt: "officials", "a spokeswoman"); "the
  exchange adds tension" is an attribution of another kind.
- A quotation no reporting verb credits goes on in the voice news style gives it: the speaker of
  its sentence, else of the last quotation in its paragraph or the paragraph before.
- Words set off by typography, not by a verb: a transcript's speaker label ("PENCE: Well, …",
  when the label is the surname of someone the article names or two labels take turns), a
  signature after a quotation ("“…” ― Ana Ruiz") and a headline's source ("Pence: Debate Will Go
  On").
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from slant.reading.actors import SUBJECT_DEPS, TITLE_WORDS, ActorIndex, is_headline, name_span
from slant.reading.model import Attribution
from slant.text.attribution import SPEECH_VERBS, VIEW_VERBS
from slant.text.quotes import in_quote
from slant.text.sentences import DATELINE
from slant.text.spans import Span
from slant.text.wordlists import words

SPEAKER_NOUNS = words(Path(__file__).parent / "wordlists" / "speaker_nouns.txt")
DIRECT_QUOTE_WORDS = 4  # a shorter quotation is a scare quote inside a paraphrase
_SUBJECTS = frozenset(["nsubj", "nsubjpass", "csubj"])
_CONTENT_DEPS = ("ccomp", "xcomp", "parataxis")
_NOT_PART_OF_SOURCE = frozenset(["appos", "relcl", "acl", "punct", "advcl", "cc", "conj"])
_PERSON_PRONOUNS = frozenset(["he", "she", "him", "her", "his"])
_GROUP_PRONOUNS = frozenset(["it", "they", "them", "its", "their"])
_THING_PRONOUNS = frozenset(["it", "its"])  # a country speaks as "it" ("Russia … what it describes as"), not "they"
_RELATIVE_PRONOUNS = frozenset(["who", "that", "which"])
_JOINED_VERBS = 3  # how far up a chain of joined verbs a subject is looked for
_NAMED_ENTITIES = frozenset(["PERSON", "ORG", "GPE", "NORP"])
_TOLD_THINGS = frozenset(["story", "tale", "truth", "lie", "joke", "anecdote", "secret", "news"])  # "told the story"
_TITLE_JOINERS = frozenset(["of", "the", "and", "a", "an", "in", "on", "for", "to", "at", "with"])  # "… of the Union"
_PLACE_ENTITIES = frozenset(["GPE", "LOC", "FAC"])
TITLE_QUOTATION_WORDS = 6  # the longest title-case quotation read as a name ("“Aaron Klein Investigative Radio”")
_TOPIC_PREPOSITIONS = frozenset(["for", "about", "of", "on", "against"])  # "called for …", "spoke about …"


def find_attributions(doc: Any, quotes: list[Span], actors: ActorIndex) -> list[Attribution]:
    """Every attribution in a parsed article (a spaCy Doc), in text order."""
    found: list[Attribution] = []
    sentences = [Span(s.start_char, s.end_char) for s in doc.sents]
    for token in doc:
        if in_quote(token.idx, quotes):
            continue
        if _is_cue(token):
            attribution = _from_verb(doc, token, quotes, actors, _sentence_of(sentences, token.idx), sentences)
        elif token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            attribution = _according_to(doc, token, quotes, actors, _sentence_of(sentences, token.idx))
        elif _is_nominal_cue(token):
            attribution = _from_noun(doc, token, quotes, actors)
        else:
            continue
        if attribution is not None:
            found.append(_same_role(attribution, found, actors))
    found += _set_off(doc.text, quotes, actors)
    return _continued_quotations(doc.text, sentences, found, quotes)


# A speaker's label opening a paragraph ("PENCE: Well, …"), a signature after a quotation
# ("“…” ― Ana Ruiz") and a headline's source ("Pence: Debate Will Go On").
_NAME = r"[A-Z][\w.’'-]*(?:[ \t][A-Z][\w.’'-]*){0,4}"
_LABEL = re.compile(r"^[ \t]*[\"“”]?((?:[A-Z][A-Z.’'-]*[ \t]){0,2}[A-Z][A-Z’'-]+):[ \t]+(\S.*?)[ \t]*$", re.M)
_SIGNATURE = re.compile(rf"(?<=[\"”’])[ \t\xa0]*([―—–])[ \t\xa0]*({_NAME})[ \t\xa0]*$", re.M)
_HEADLINE_SOURCE = re.compile(rf"({_NAME}):[ \t]+(\S.*?)[ \t]*$")


def _set_off(text: str, quotes: list[Span], actors: ActorIndex) -> list[Attribution]:
    """Words credited by typography (see the module docstring)."""
    return [
        *_transcript_turns(text, actors),
        *_signatures(text, quotes, actors),
        *_headline_source(text, quotes, actors),
    ]


def _transcript_turns(text: str, actors: ActorIndex) -> list[Attribution]:
    labels = list(_LABEL.finditer(text))
    turns = Counter(label.group(1) for label in labels)
    transcript = sum(n >= 2 for n in turns.values()) >= 2  # two speakers taking turns
    found = []
    for label in labels:
        turn = transcript and turns[label.group(1)] >= 2
        speaker = _labelled_person(label.group(1), actors) or (label.group(1).title() if turn else None)
        if speaker is not None:
            colon, content = Span(label.end(1), label.end(1) + 1), Span(*label.span(2))
            found.append(
                Attribution(source=Span(*label.span(1)), cue=colon, content=content, speaker=speaker, direct=True)
            )
    return found


def _signatures(text: str, quotes: list[Span], actors: ActorIndex) -> list[Attribution]:
    found = []
    for signature in _SIGNATURE.finditer(text):
        quoted = next((q for q in quotes if q.end == signature.start()), None)
        if quoted is not None:
            name, dash = Span(*signature.span(2)), Span(*signature.span(1))
            speaker = actors.at(name.start, name.end) or signature.group(2)
            found.append(Attribution(source=name, cue=dash, content=quoted, speaker=speaker, direct=True))
    return found


def _headline_source(text: str, quotes: list[Span], actors: ActorIndex) -> list[Attribution]:
    first_line = text.split("\n", 1)[0]
    headline = _HEADLINE_SOURCE.match(first_line)
    if not headline or not is_headline(first_line) or in_quote(headline.start(), quotes):
        return []
    source, content = Span(*headline.span(1)), Span(*headline.span(2))
    named = actors.at(source.start, source.end)
    speech = named is not None and actors.actors[named].kind in ("person", "organisation")  # "Poll:" is a finding
    speaker = named or headline.group(1)
    cue = Span(source.end, source.end + 1)
    return [Attribution(source=source, cue=cue, content=content, speaker=speaker, direct=False, speech=speech)]


def _labelled_person(label: str, actors: ActorIndex) -> str | None:
    """The person a transcript label names by surname ("PENCE" is Mike Pence), if the article names one."""
    surname = label.split()[-1].rstrip(".").lower()
    people = [a for a in actors.actors.values() if a.kind == "person" and a.name.lower() != label.lower()]
    named = [a for a in people if a.name.split()[-1].lower() == surname]
    return max(named, key=lambda a: a.mentions).name if named else None


def _same_role(attribution: Attribution, earlier: list[Attribution], actors: ActorIndex) -> Attribution:
    """The official: "the official" after "a European Union defense official said" is that one."""
    words = attribution.speaker.lower().split()
    if attribution.speaker in actors.actors or len(words) != 2 or words[0] != "the":
        return attribution
    for before in reversed(earlier):
        if before.speaker not in actors.actors and before.speaker.lower().split()[-1] == words[1]:
            return attribution.model_copy(update={"speaker": before.speaker})
    return attribution


def _is_cue(token: Any) -> bool:
    return token.pos_ in ("VERB", "AUX") and (_is_speech(token) or _lemma(token) in VIEW_VERBS)


def _lemma(token: Any) -> str:
    """The verb's lemma; the small model makes "hoped" and "hoping" "hop", so "hope" is read back."""
    lemma, word = str(token.lemma_).lower(), str(token.lower_)
    silent_e = word in (lemma + "ed", lemma + "ing")  # "hoped" and "hoping" read as forms of "hop"
    return lemma + "e" if silent_e and lemma + "e" in VIEW_VERBS else lemma


def _speaks(source: Any, actors: ActorIndex, span: Span) -> bool:
    """Whether the source can speak: a pronoun, an actor, a description with a name beside it, or
    one whose noun names a speaker ("officials", "a spokeswoman"); "the exchange adds new tension"
    is no one's speech.
    """
    if source.pos_ == "PRON" or _is_name(source) or actors.at(span.start, span.end) is not None:
        return True
    if any(child.dep_ == "appos" and _is_name(child) for child in source.children):
        return True  # "The mill owner, Pavel Novak, said"
    return source.lower_ in SPEAKER_NOUNS or source.lower_ in TITLE_WORDS


def _is_speech(token: Any) -> bool:
    return token.lower_ in SPEECH_VERBS or token.lemma_.lower() in SPEECH_VERBS


def _from_verb(
    doc: Any, verb: Any, quotes: list[Span], actors: ActorIndex, sentence: Span, sentences: list[Span]
) -> Attribution | None:
    source = _subject(verb, quotes)
    if source is None:
        return None
    content = _with_whole_quotations(_content(doc, verb, source, quotes, sentence, sentences), quotes)
    words = doc.text[content.start : content.end].split() if content is not None else []
    backs_a_name = not _is_speech(verb) and len(words) == 1 and words[0][:1].isupper()  # "voters backed Sanders"
    if content is None or (content not in quotes and len(words) < 2 and not backs_a_name):
        return None  # a one-word content is a quotation ('tweeted, "finally,"') or a view of a name, else no statement
    speech = _speaks(source, actors, _noun_phrase(source)) and (_is_speech(verb) or content in quotes)
    return _attribution(doc, source, Span(verb.idx, verb.idx + len(verb.text)), content, quotes, actors, speech)


def _is_nominal_cue(token: Any) -> bool:
    """A noun of saying or of a view with its holder: "his comment that …", "Clinton's support for …"."""
    lemma = token.lemma_.lower()
    return (
        token.pos_ == "NOUN"
        and (lemma in SPEECH_VERBS or lemma in VIEW_VERBS)
        and any(child.dep_ == "poss" for child in token.children)
    )


def _from_noun(doc: Any, noun: Any, quotes: list[Span], actors: ActorIndex) -> Attribution | None:
    holder = next(child for child in noun.children if child.dep_ == "poss")
    content_heads = [child for child in noun.children if child.dep_ in ("acl", "ccomp", "prep") and child.i > noun.i]
    if not content_heads:
        return None
    head = content_heads[0]
    if head.dep_ == "prep":
        objects = [c for c in head.children if c.dep_ in ("pobj", "pcomp")]
        if not objects:
            return None
        head = objects[0]
    if head.head.lower_ == "of" and all(t.ent_type_ in _PLACE_ENTITIES for t in head.subtree):  # "his state of Ohio"
        return None
    content = _with_whole_quotations(_trimmed(doc.text, _subtree_span(head)), quotes)
    if content is None:
        return None
    # Someone's "comment that …" is their speech; their "support for …" is a view.
    speech = noun.lemma_.lower() in SPEECH_VERBS and _speaks(holder, actors, _noun_phrase(holder))
    return _attribution(doc, holder, Span(noun.idx, noun.idx + len(noun.text)), content, quotes, actors, speech)


def _according_to(
    doc: Any, according: Any, quotes: list[Span], actors: ActorIndex, sentence: Span
) -> Attribution | None:
    to = doc[according.i + 1]
    agent = next((child for child in to.children if child.dep_ == "pobj"), None)
    if agent is None:
        return None
    phrase = Span(according.idx, _noun_phrase(agent).end)
    before = Span(sentence.start, phrase.start)
    after = Span(phrase.end, sentence.end)
    content = _trimmed(doc.text, max(before, after, key=lambda s: s.end - s.start))
    if content.end - content.start < 2:
        return None
    return _attribution(doc, agent, Span(according.idx, to.idx + len(to.text)), content, quotes, actors, True)


def _attribution(
    doc: Any, source: Any, cue: Span, content: Span, quotes: list[Span], actors: ActorIndex, speech: bool
) -> Attribution:
    """An attribution whose source is the phrase of the `source` token, its speaker resolved."""
    source_span = _noun_phrase(source)
    return Attribution(
        source=source_span,
        cue=cue,
        content=content,
        speaker=_speaker(doc, source, source_span, actors),
        direct=_is_direct(content, quotes, doc.text),
        speech=speech,
    )


def _subject(verb: Any, quotes: list[Span]) -> Any | None:
    """The verb's subject; a passive's agent; for a verb joined to another ("smiled and said"), that
    one's; for a relative pronoun ("officials who said"), the noun it stands for.
    """
    subject = _own_subject(verb, quotes)
    if subject is not None and subject.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
        return verb.head
    if subject is None and verb.dep_ == "acl" and verb.head.i < verb.i and _is_name(verb.head):
        return verb.head  # "Chuck Schumer, the Senate minority leader, called …" parsed as a noun phrase
    if subject is None and verb.tag_ in ("VBD", "VBZ", "VBP"):  # "…, her adviser, Jake Sullivan, said:"
        before = next((t for t in reversed(verb.doc[verb.sent.start : verb.i]) if t.dep_ != "punct"), None)
        if before is not None and _is_name(before) and before.ent_type_ not in ("DATE", "TIME", "NORP"):
            return None if in_quote(before.idx, quotes) else before  # a name parsed as an apposition
    return subject


def _is_name(token: Any) -> bool:
    return bool(token.pos_ == "PROPN" or token.ent_type_ in _NAMED_ENTITIES)


def _own_subject(verb: Any, quotes: list[Span]) -> Any | None:
    """The subject of the verb, else of the verbs it is joined to ("stormed back, leaned in and
    said"); a participle opening the sentence takes the subject after it ("Calling him a coward,
    Cruz told …"), and one closing a sentence after a noun's clause goes with the verb that holds
    the noun ("dismissed claims that the firm hid losses, calling them absurd": the one who
    dismissed calls). A word inside a quotation is never the subject of a verb outside it: in
    "“… thousands of lawsuits …,” Bloomberg said" the parse may give "said" both.
    """
    joined = [verb, verb.head.head.head] if _closes_a_nouns_clause(verb) else [verb]
    while joined[-1].dep_ in ("conj", "xcomp", "advcl") and len(joined) <= _JOINED_VERBS:
        joined.append(joined[-1].head)
    if verb.dep_ == "pcomp":  # "… after saying that …": the subject of the verb the phrase is set into
        joined.append(verb.head.head)
    opening = verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.i < verb.head.i
    for candidate in joined:
        for child in candidate.children:
            if in_quote(child.idx, quotes):
                continue
            if child.dep_ in ("nsubj", "csubj") and (candidate is verb or child.i < verb.i or opening):
                return child
            if child.dep_ == "agent":
                agent = next((c for c in child.children if c.dep_ == "pobj"), None)
                if agent is not None:
                    return agent
    return None


def _closes_a_nouns_clause(verb: Any) -> bool:
    """A participle after a comma that the parse hangs on the clause of a noun ("claims that …")."""
    clause = verb.head
    return bool(
        verb.dep_ == "advcl"
        and verb.tag_ == "VBG"
        and clause.i < verb.i
        and clause.dep_ == "acl"
        and any(c.dep_ == "nsubj" for c in clause.children)
        and clause.head.head.pos_ in ("VERB", "AUX")
        and verb.doc[verb.i - 1].text == ","
    )


def _content(
    doc: Any, verb: Any, source: Any, quotes: list[Span], sentence: Span, sentences: list[Span]
) -> Span | None:
    """What the verb reports (see the module docstring)."""
    text = doc.text
    for child in verb.children:
        if child.dep_ in _CONTENT_DEPS and not _inside(child, source):
            return _trimmed(text, _subtree_span(child))
    for child in (c for c in verb.children if c.dep_ == "advcl" and c.i > verb.i):  # "calling for X to step up …"
        mark = next((m for m in child.children if m.dep_ == "mark" and m.lower_ == "for"), None)
        if mark is not None:
            return _trimmed(text, Span(mark.idx + len(mark.text), _subtree_span(child).end))
    if verb.dep_ in ("ccomp", "parataxis") and verb.head.pos_ in ("VERB", "AUX"):  # "…, officials said."
        return _without(text, _subtree_span(verb.head), _subtree_span(verb))
    after = text[verb.idx + len(verb.text) : verb.idx + len(verb.text) + 3]
    following = [q for q in quotes if 0 <= q.start - (verb.idx + len(verb.text)) <= 3]
    if ":" in after and following:  # 'X says: "…"' (the quotation may run over several sentences)
        return following[0]
    if text[verb.idx : sentence.end].rstrip().endswith(":"):  # 'Trump said in a statement on Friday:' and his words
        announced = [q for q in quotes if sentence.end <= q.start and not text[sentence.end : q.start].strip()]
        at = sentences.index(sentence)
        return announced[0] if announced else sentences[at + 1] if at + 1 < len(sentences) else None
    # A quotation in the sentence, or one ending in it ('"… John? You've been …?" Obama said.').
    in_sentence = [
        q for q in quotes if q.start < sentence.end and sentence.start < q.end and not _names_a_show(text, q)
    ]
    if in_sentence:
        return min(in_sentence, key=lambda q: min(abs(q.start - verb.idx), abs(q.end - verb.idx)))
    objects = [c for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "dative", "oprd", "attr", "acomp")]
    if objects and not (verb.lemma_ == "tell" and _is_hearer(objects[0])):  # "called the remarks reckless"
        return _trimmed(text, Span(objects[0].left_edge.idx, _subtree_span(verb).end))
    for prep in (c for c in verb.children if c.i > verb.i and c.dep_ == "prep" and c.lower_ in _TOPIC_PREPOSITIONS):
        topic = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
        if topic is None or topic.ent_type_ in ("DATE", "TIME"):  # "called for a repeal", not "said on Friday"
            continue
        if not (prep.lower_ == "on" and topic.pos_ == "PROPN" and verb.lemma_ in ("speak", "talk")):  # not a medium
            return _trimmed(text, _subtree_span(topic))  # "spoke on the cuts", not "spoke on Sirius XM"
    # "said on Friday during a news conference that he may wait": the clause the parse hung elsewhere
    mark = next((t for t in verb.subtree if t.i > verb.i and t.dep_ == "mark" and t.lower_ == "that"), None)
    if mark is not None:
        return _trimmed(text, Span(mark.idx + len(mark.text), _subtree_span(mark.head).end))
    return None


def _is_hearer(token: Any) -> bool:
    """Whom someone tells, not what: "told reporters", "told The Huffington Post", not "told the story"."""
    return token.lemma_.lower() not in _TOLD_THINGS


def _names_a_show(text: str, quote: Span) -> bool:
    """A title-case quotation after "to", "on", "in" or a possessive ("told CNN’s “New Day,”",
    "speaking to “Morning Desk”"): the name of a show, not what was said. A label someone gives
    ("branded it the “Harbour Grab Act”") is their words.
    """
    quotation = text[quote.start : quote.end]
    words = re.findall(r"[A-Za-z][\w’']*", quotation)
    ends_like_a_sentence = re.search(r"[.!?][’”\"']*$", quotation.strip(" ,")) is not None
    capitalised = all(w[0].isupper() or (i > 0 and w in _TITLE_JOINERS) for i, w in enumerate(words))
    named_as_a_show = re.search(r"(?:\b(?:to|on|in)|[’']s)\s*$", text[max(0, quote.start - 12) : quote.start])
    title = 2 <= len(words) <= TITLE_QUOTATION_WORDS and capitalised and not ends_like_a_sentence
    return title and named_as_a_show is not None


def _noun_phrase(token: Any) -> Span:
    """The source's words: the noun with its determiners, titles and modifiers ("a spokeswoman for
    the ministry"), without appositions or clauses set off by commas.
    """
    kept = [token]
    stack = [child for child in token.children if child.dep_ not in _NOT_PART_OF_SOURCE]
    while stack:
        child = stack.pop()
        kept.append(child)
        stack.extend(c for c in child.children if c.dep_ not in _NOT_PART_OF_SOURCE)
    start = min(t.idx for t in kept)
    end = max(t.idx + len(t.text) for t in kept)
    return Span(start, end)


def _speaker(doc: Any, source: Any, span: Span, actors: ActorIndex) -> str:
    """Who the source refers to (see the module docstring)."""
    word = source.lower_
    if word in _PERSON_PRONOUNS:
        return actors.person_before(source.idx) or source.text
    if word in _GROUP_PRONOUNS:
        kinds = ("organisation", "place") if word in _THING_PRONOUNS else ("organisation",)
        return _group_before(doc, source, actors, kinds) or source.text
    # "Schumer", "President Vladimir Putin"; or a role with the name beside it ("the manager, Helen Marsh,")
    for head in [source, *(c for c in source.children if c.dep_ == "appos")]:
        if _is_name(head) and head.idx >= _dateline_end(head.sent):
            named = actors.at(*name_span(head))
            if named is not None:
                return named
    is_definite = any(child.lower_ == "the" and child.dep_ == "det" for child in source.children)
    if is_definite and source.lower_ in TITLE_WORDS:
        titled = actors.person_titled(source.lower_, source.idx)
        if titled is not None:
            return titled
    described = str(doc.text[span.start : span.end])
    first = doc[source.left_edge.i]
    if first.pos_ in ("DET", "PRON", "NUM") and first.is_sent_start:  # "A retired colonel said" mid-text
        described = described[:1].lower() + described[1:]
    return described


def _group_before(doc: Any, pronoun: Any, actors: ActorIndex, kinds: tuple[str, ...]) -> str | None:
    """What "it" or "they" refers to: an actor of one of `kinds` named earlier outside quotations,
    the subject of the pronoun's own sentence if there is one ("The council condemned the test as
    what it called …"), else the one named last.
    """
    named = [
        m for m in actors.mentions if m.end <= pronoun.idx and not m.quoted and actors.actors[m.actor].kind in kinds
    ]
    sentence = pronoun.sent
    after_dateline = _dateline_end(sentence)
    subjects = [m for m in named if m.start >= after_dateline and _is_subject(doc, m.start, m.end)]
    return (subjects or named)[-1].actor if named else None


def _dateline_end(sentence: Any) -> int:
    """Where the sentence's dateline ends ("WASHINGTON -- President Obama … said"), or where the
    sentence starts: a dateline is a place the parse often makes the subject, although the
    sentence is not about it.
    """
    dateline = DATELINE.match(sentence.text)
    return int(sentence.start_char) + (dateline.end() if dateline else 0)


def _is_subject(doc: Any, start: int, end: int) -> bool:
    words = doc.char_span(start, end, alignment_mode="expand")
    return words is not None and words.root.dep_ in SUBJECT_DEPS


def _is_direct(content: Span, quotes: list[Span], text: str) -> bool:
    return any(
        q.start < content.end and content.start < q.end and len(text[q.start : q.end].split()) >= DIRECT_QUOTE_WORDS
        for q in quotes
    )


def _continued_quotations(
    text: str, sentences: list[Span], found: list[Attribution], quotes: list[Span]
) -> list[Attribution]:
    """Quotations no reporting verb of their own credits, in the voice news style gives them:
    - another quotation in the sentence of an attribution, or running into it ("…,” McCarthy said,
      in an attack on “this new majority”) is that speaker's, a short one ("a “bomb-thrower”") as
      a paraphrase;
    - a quotation in a sentence with no attribution goes on in the voice of the last quotation
      credited in its paragraph or the paragraph before ("“We will rebuild,” she said. “It will
      take years.”"), or of the speaker a paragraph ending in a colon announces ("Trump tweeted:"),
      or of the speech the paragraph before ends on ("…, Bloomberg said.");
      one left open at its paragraph's end is the voice of the quotation that takes it up.
    Only speech counts. A quotation of fewer than DIRECT_QUOTE_WORDS words carries a voice on only
    when it is a sentence of its own ("“God help us.”").
    """
    speech = [a for a in found if a.speech]
    covered = [a.content for a in found]
    continued: list[Attribution] = []
    for quote in quotes:
        if any(c.start < quote.end and quote.start < c.end for c in covered) or _names_a_show(text, quote):
            continue
        sentence = _sentence_of(sentences, quote.start)
        own = [s for s in sentences if s.start < quote.end and quote.start < s.end]
        in_own = [a for a in speech if any(s.start <= a.cue.start < s.end for s in own)]
        short = len(text[quote.start : quote.end].split()) < DIRECT_QUOTE_WORDS
        whole_sentence = not text[sentence.start : quote.start].strip() and not text[quote.end : sentence.end].strip()
        voice = min(in_own, key=lambda a: abs(a.cue.start - quote.start)) if in_own else None
        carries = whole_sentence or not short
        if voice is None and carries and not any(sentence.start <= a.cue.start < sentence.end for a in found):
            voice = (
                _taken_up(text, quote, quotes, speech)
                or _last_quoted_voice(text, speech + continued, quote.start)
                or _announced(text, speech, quote)
                or _reported_before(text, sentences, speech, quote)
            )
        if voice is not None:
            continued.append(voice.model_copy(update={"content": quote, "source": None, "direct": carries}))
            covered.append(quote)
    return sorted(found + continued, key=lambda a: (a.content.start, a.cue.start))


def _taken_up(text: str, quote: Span, quotes: list[Span], speech: list[Attribution]) -> Attribution | None:
    """The speaker of the quotation that takes up one left open at its paragraph's end (news style
    runs a quotation over paragraphs so: '"We will rebuild.¶"It will take years," she said.').
    """
    if text[quote.end - 1] in '"”’':  # closed
        return None
    following = next((q for q in quotes if q.start >= quote.end), None)
    if following is None:
        return None
    return next((a for a in speech if a.content.start <= following.start < a.content.end), None)


def _last_quoted_voice(text: str, credited: list[Attribution], position: int) -> Attribution | None:
    """The last direct quotation credited before `position`, in its paragraph or the one before."""
    paragraph_start = text.rfind("\n", 0, position)
    previous_start = text.rfind("\n", 0, max(paragraph_start - 1, 0)) if paragraph_start > 0 else -1
    # A paragraph break may be a blank line: step over it to the paragraph before.
    while previous_start > 0 and not text[previous_start + 1 : paragraph_start].strip():
        previous_start = text.rfind("\n", 0, previous_start - 1)
    before = [a for a in credited if a.direct and previous_start < a.content.end <= position]
    # '"…," said Trump, according to TIME. "…"': the words go on in Trump's voice, not the reporter's
    inner = [a for a in before if not any(a.content.start <= b.cue.start < a.content.end for b in credited)]
    return max(inner or before, key=lambda a: a.content.end) if before else None


def _reported_before(text: str, sentences: list[Span], speech: list[Attribution], quote: Span) -> Attribution | None:
    """The speaker of the last sentence of the paragraph before a quotation that opens its
    paragraph, when that sentence reports speech ("…, Bloomberg said." and then his words).
    """
    previous_end = _end_of_paragraph_before(text, quote)
    if previous_end is None:
        return None
    last = _sentence_of(sentences, max(previous_end - 1, 0))
    reported = [a for a in speech if last.start <= a.cue.start < last.end]
    return reported[-1] if reported else None


def _announced(text: str, speech: list[Attribution], quote: Span) -> Attribution | None:
    """The speaker of the paragraph before a quotation that opens its paragraph, when that
    paragraph ends in a colon ("… the president tweeted, asking whether …:" and then his words).
    """
    previous_end = _end_of_paragraph_before(text, quote)
    if previous_end is None or text[previous_end - 1 : previous_end] != ":":
        return None
    previous_start = text.rfind("\n", 0, previous_end) + 1
    announced = [a for a in speech if previous_start <= a.cue.start < previous_end]
    return announced[-1] if announced else None


def _end_of_paragraph_before(text: str, quote: Span) -> int | None:
    """Where the paragraph before ends (its last non-space character), when the quotation opens
    its own paragraph; else None.
    """
    line_start = text.rfind("\n", 0, quote.start) + 1
    if text[line_start : quote.start].strip():
        return None
    previous_end = line_start
    while previous_end > 0 and text[previous_end - 1].isspace():
        previous_end -= 1
    return previous_end


def _sentence_of(sentences: list[Span], position: int) -> Span:
    import bisect

    at = max(0, bisect.bisect_right([s.start for s in sentences], position) - 1)
    return sentences[at] if sentences else Span(position, position)


def _with_whole_quotations(content: Span | None, quotes: list[Span]) -> Span | None:
    """The content grown to the whole of every quotation it overlaps: a quotation of several
    sentences ('“I love this country. It is going to hell,” he said.') is all the speaker's.
    """
    if content is None:
        return None
    overlapping = [q for q in quotes if q.start < content.end and content.start < q.end]
    if not overlapping:
        return content
    return Span(min(content.start, *(q.start for q in overlapping)), max(content.end, *(q.end for q in overlapping)))


def _without(text: str, clause: Span, inset: Span) -> Span:
    """The clause without the reporting verb's own words set into it ("…, officials said", "The
    plan, she said, is dead"): the part before them, or after them, or the whole clause around them.
    """
    if inset.end >= clause.end:
        return _trimmed(text, Span(clause.start, inset.start))
    if inset.start <= clause.start:
        return _trimmed(text, Span(inset.end, clause.end))
    return _trimmed(text, clause)


def _inside(token: Any, other: Any) -> bool:
    return any(t.i == other.i for t in token.subtree)


def _subtree_span(token: Any) -> Span:
    return Span(token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text))


def _trimmed(text: str, span: Span) -> Span:
    """The span without surrounding spaces and punctuation that joins clauses (", " and "that ")."""
    start, end = span
    while start < end and text[start] in " \n\t,—–-:;":
        start += 1
    while end > start and text[end - 1] in " \n\t,—–-:;":
        end -= 1
    return Span(start, end)
