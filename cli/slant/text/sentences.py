"""Sentence boundaries as character spans, so every finding can point into the stored text."""

from __future__ import annotations

import re

from pydantic import BaseModel

from slant.text.names import NAME_WORD
from slant.text.quotes import outside_quotes, quote_spans
from slant.text.spans import Span
from slant.text.tokens import is_stopword
from slant.text.wordlists import TEXT_WORDLISTS, words

# Abbreviations whose trailing period does not end a sentence ("Sen.", "12 p.m.", "Calif.").
_ABBREVIATIONS = words(TEXT_WORDLISTS / "abbreviations.txt")
_CLOSERS = "’”\"')]»"
_STOP_AT_END = re.compile(rf"[.!?…][{re.escape(_CLOSERS)}]*$")
_END = re.compile(rf"[.!?…]+[{re.escape(_CLOSERS)}]*(?:\[\d+(?:,\s?\d+)*\])*(?=\s)")  # "… said.[2] Next"


class Evidence(BaseModel):
    """A span of a stored document, with its text."""

    doc_id: str
    start: int
    end: int
    text: str


# A dateline: "SEOUL, South Korea — ", "WASHINGTON (Reuters) - ". Not "Moscow: ", which may name a speaker.
DATELINE = re.compile(
    r"^[A-Z][A-Za-z.’'-]*(?: [A-Z][A-Za-z.’'-]*)*(?:, [A-Z][A-Za-z.’'-]*(?: [A-Z][A-Za-z.’'-]*)*)?"
    r"(?: \([A-Za-z. ]+\))? (?:—|–|--|-) (?=[A-Z“\"‘])"
)
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?:;\n]['’\"”)]?\s*|[“\"(‘]\s*)$")


def starts_sentence(text: str, position: int) -> bool:
    """Whether `position` begins a sentence: the text's start, or after end punctuation, a line
    break or an opening quotation mark (a capital there need not start a name).
    """
    return position == 0 or bool(_OPENS_SENTENCE.search(text[max(0, position - 4) : position]))


_INITIALS = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")  # "J.B", "U.S", "D.C" before their last period


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    if match.group() == ".":
        word = _word_before(text, match.start())
        next_word = re.match(r"\s*([\w’']*)", text[match.end() :])
        if _INITIALS.match(word) and next_word and not is_stopword(next_word.group(1)):
            return False  # "Gov. J.B. Pritzker", "the U.S. Senate"; but "in the U.S. The …" ends
        if word and (is_abbreviation(word) or (len(word) == 1 and word.isalpha())):  # "J. Smith", not "April 4."
            return False
    following = text[match.end() :].lstrip()
    return not following or not (following[0].islower() or following[0] in "-–—")  # "D-N.Y. -- all of"


def is_abbreviation(word: str) -> bool:
    """Whether a word is one whose period does not end a sentence: a title ("Mr", "Gov"), a month
    or a state ("Calif").
    """
    return word.lower() in _ABBREVIATIONS


def _word_before(text: str, end: int) -> str:
    """The run of word characters and periods ending at `end` (e.g. "U.S" before its last period)."""
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._"):
        start -= 1
    return text[start:end]


def sentence_spans(text: str) -> list[Span]:
    """Split text into sentences; a line break always ends one. Spans exclude outer whitespace."""
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for match in _END.finditer(line.group()):
            if _ends_sentence(line.group(), match):
                _append_trimmed(text, start, line.start() + match.end(), spans)
                start = line.start() + match.end()
        _append_trimmed(text, start, line.end(), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end))


_SAID_AFTER = "(?:said|says|added|told|declared|stated|noted|warned|continued|explained)"  # "…,” he said
# Openers that lean on an earlier sentence: pronouns, demonstratives, "the latter", "According to
# him", connectives ("But", "Also", "Then", "Additionally"), words that count or contrast what
# came before ("Others", "Fifty more", "Most of them", "All three"), a bare "the" and a noun as
# the subject ("The move was …", "The board approved the …": which move, which board?); and a
# closing "..., he said." after a quotation.
_LEANS_ON_PREVIOUS = re.compile(
    r"^(?:[‘“\"']\s*)?(?:He|She|It|They|His|Her|Its|Their|This|That|These|Those|Such|Now|Then|But|And|Yet|So|Also"
    r"|Still|However|Meanwhile|Instead|Likewise|Similarly|Moreover|Furthermore|Nevertheless|Nonetheless"
    r"|Therefore|Thus|Hence|Otherwise|(?:In|By) contrast|The latter|The former|According to (?:him|her|them|it)"
    r"|Additionally|In addition(?! to)|Besides|Separately|Indeed|Consequently|Accordingly|As a result(?! of)|Actually"
    r"|In response(?! to)|Even so|Again|On the (?:other|one) (?:hand|side)|At the same time|In the meantime"
    r"|By comparison|Conversely|Alternatively|Even then|In turn|Elsewhere"
    r"|(?:Earlier|Later)(?! (?:this|that|in|on|last|next)\b)|Within (?:minutes|hours|days|weeks)(?! of\b)"
    r"|(?:Minutes|Hours|Days|Weeks|Moments) later|At the end(?! of)|Here(?:’s|'s| is| are)"  # "Here are …": below what?
    r"|Others|Another|Both|Neither|(?:All|The) (?:two|three|four|five)"
    r"|(?!The )[A-Z][a-z]+ more(?! than)|[A-Z][a-z]+(?: [a-z]+)? of them"  # "Fifty more …", "Most of them …"
    r"|The [a-z]+(?=,)"  # "The rule, first proposed last year, …"
    r"|The [a-z]+ (?:would|will|was|were|is|are|has|have|had|could|can|may|might|must|should|did|does"
    r"|also|then|comes|came|said|says)"
    r"|The [a-z]+ [a-z]+ed (?:the|a|an|that|it|its|his|her|their|to|on|in|with|from|by|for|down|up|out)"
    r"|The (?:Democrat|Republican)(?=,| (?:said|says|is|was|has|had|will|would)\b)"  # "The Democrat, who …"
    # a noun that names what was told before: "The show-stopping development comes as …"
    r"|The (?:[a-z-]+ )?(?:move|decision|development|news|announcement|incident|remarks|comments|revelation"
    r"|episode|controversy)(?=,| (?:comes|came|follows|followed|marks|marked|is|was|has|had|will|would|could"
    r"|represents|adds|added|sparked|drew)\b))\b"
    rf"|[’”'\"] (?:he|she|they) {_SAID_AFTER}\b"
    r"|^[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+)? (?:added|went on)\b"  # "Okafor added that …": after what?
    r"|\bsaid (?:that )?(?:this|that) (?:is|was)\b"  # "… said that that is a racist attack": what is?
    r"|^[A-Z][^,]{0,40}, (?:it|this|that|he|she|they)\b"  # "For the West, it raises ..."
    # "it" in an opening clause that names nothing: "In countries where it’s a day off, …" (not "he" or
    # "she", whom news often names after: "While she was a candidate, the congresswoman …")
    r"|^(?:In|When|Where|While|As|After|Before|Since|Once|If|Until)\b[^,A-Z]{0,60}\bit\b[^,]*,"
    r"|^[A-Z][a-z]+ (?:it|this|that|these|those|them|him|her),"  # "Without it, …"
    r"|^[^,]{0,80}, (?:however|though|too|instead|meanwhile|moreover|therefore|nonetheless|nevertheless|in turn"
    r"|in contrast|for (?:its|his|her|their) part|on the other hand),"  # "The court, though, kept …"
)


# A pronoun subject carries on with whom or what the sentence before was about ("She won by …").
_CONTINUES_SUBJECT = re.compile(r"^(?:He|She|It|They|His|Her|Its|Their)\b")


def continues_subject(sentence: str) -> bool:
    """True when the sentence goes on about the subject of the one before: "It passed by 7 to 2."."""
    return bool(_CONTINUES_SUBJECT.match(sentence))


# "these" or "those" and a noun, outside quotes: things named before ("Work on those measures
# stalled"); not "those who", "those of", "those killed", "those seeking". And "do so".
_POINTS_BACK = re.compile(
    r"\b(?:these|those) (?!(?:who|whom|whose|which|that|of|in|with|at|for|on|are|were|most)\b)[a-z]+(?<!ing)(?<!ed)\b"
    r"|\b(?:do|does|did|doing|done) so\b"  # "… seems unable to do so"
    r"|\b(?:was|were|is|are) referring to\b"  # "Page was referring to …": to words said before
    r"|\b[Ff]or (?:example|instance)\b|\b[Aa] similar\b"  # an example of, or like, what was said before
    r"|\b(?:disagreed|agreed|objected|countered)(?=[,.;])"  # with what was said before
    # "Until that point, …": which one? Not "at that point in the decade when …"
    r"|\b(?:[Uu]ntil|[Aa]t|[Bb]y|[Ss]ince|[Aa]fter|[Bb]efore) that (?:point|time|moment|stage|date)\b"
    r"(?! (?:in|of|when)\b)"
    r"|\b(?:[Oo]ne|[Nn]o|[Aa]ny|[Oo]ther) such\b"  # "One such cause …": like one told before
    r"|\bthe other (?:one|two|three|four|five|six|seven|eight|nine|ten)\b"  # "the other two cities": after the first
)


# "…, he said": he is someone named before, unless the sentence names a person ahead of it
# ("President Okafor plans to …, he said on Friday").
_SAID_BY_PRONOUN = re.compile(rf", (?:he|she|they) {_SAID_AFTER}\b")
_FULL_NAME = re.compile(rf"\b{NAME_WORD} {NAME_WORD}")


def leans_on_previous(sentence: str) -> bool:
    """True when the sentence cannot stand alone: "He said ...", "This is ...", "But ...", "The
    move was ...", "... on those measures", "…, he said" with no one named before it.
    """
    if _LEANS_ON_PREVIOUS.search(sentence):
        return True
    said = _SAID_BY_PRONOUN.search(sentence)
    if said and not _FULL_NAME.search(sentence[: said.start()]):
        return True
    return bool(_POINTS_BACK.search(outside_quotes(sentence, quote_spans(sentence))))


_CLAUSE_ONLY = re.compile(r"^(?:Because(?! of)|Although|Though|Whereas)\b[^,;:—–]*$")


def ends_with_stop(text: str) -> bool:
    """Whether the text ends as a sentence does: a full stop, question or exclamation mark, and
    any closing quotes or brackets (a headline does not).
    """
    return bool(_STOP_AT_END.search(text.strip()))


def is_fragment(sentence: str) -> bool:
    """True when the text is not a whole sentence: no capital (or digit, or quote) at the start,
    no full stop, question or exclamation mark at the end, a bracket left open, a note in
    brackets, or a "Because …" clause with no sentence to belong to.
    """
    starts = re.match(r"^[‘“\"']?[A-Z0-9]", sentence)  # not "(": a note in brackets ("(These are opinion …)")
    ends = ends_with_stop(sentence)
    unclosed = sentence.count("(") > sentence.count(")")  # cut off inside brackets: "Raskin (D-Md."
    clause_only = bool(_CLAUSE_ONLY.match(sentence))  # "Because the ferry stopped and …." with no main clause
    return not (starts and ends) or unclosed or clause_only
