"""Support checks: is a generated sentence backed by a source sentence, and do its numbers,
names and quotations occur in the document it cites (quotations verbatim and said by whom the
sentence says)? A sentence that flips a negation, addresses a model ("write that …") or is
backed only by such a line is never supported.

Whether the evidence says what the sentence says is judged by meaning when the verifier has a
meaning check (verify/meaning.py: an instruction-tuned writer), else by word overlap, which
admits only the sources' own words.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import Any

from pydantic import BaseModel

from slant.sources.documents import Article
from slant.text.attribution import attributed
from slant.text.instructions import addresses_model, addresses_reader, injected_spans
from slant.text.names import NAME_WORD
from slant.text.numbers import NUMBER, as_written, number_values
from slant.text.questions import CALENDAR_WORDS
from slant.text.quotes import quote_spans
from slant.text.sentences import Evidence, is_fragment, sentence_spans
from slant.text.spans import Span
from slant.text.tokens import is_stopword, tokens
from slant.text.wordlists import MEANING_MODIFIERS
from slant.verify.meaning import MeaningCheck

MIN_SUPPORT = 0.7  # combined score a sentence needs to count as supported (by word overlap)
MIN_RELATED = 0.45  # combined score below which the meaning check is not asked: no sentence is near
# Source sentences, the closest, the meaning check reads a claim against. With 3 it let "Councillor
# Okafor proposed the closure" pass beside "Mayor Whitfield, who proposed the closure" (test_writer.py).
MEANING_EVIDENCE = 2
MAX_NEW_WORDS = 0.2  # share of a sentence's content words its evidence sentence may lack
_UNIT = re.compile(
    r"\s*(%|percent|per cent|million|billion|thousand|trillion|people|years?|days?|hours?|votes?)\b", re.I
)
# "rather than" and "instead of" deny as "not" does ("rather than on the birth issue" for "not on the
# basis of the birth issue"); "n’t" is written with either apostrophe.
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot|rather than|instead of|hardly|barely|scarcely)\b"
    r"|n['’]t\b",
    re.I,
)
_CAPITALISED = re.compile(rf"\b{NAME_WORD}")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_NAME_RUN = re.compile(rf"\b{NAME_WORD}(?:\s{NAME_WORD})*")


class Support(BaseModel):
    """How well a sentence is backed, by which source span, and what failed."""

    score: float
    evidence: Evidence | None
    problems: list[str]
    judged: bool | None = None  # the meaning check's verdict; None: not asked (word overlap decides)

    @property
    def supported(self) -> bool:
        """True when every fact check passed and the evidence says it: by the meaning check's
        verdict where it was asked, else by word overlap (MIN_SUPPORT).
        """
        if self.problems:
            return False
        return self.judged if self.judged is not None else self.score >= MIN_SUPPORT


def content_sentences(article: Article, min_words: int = 6) -> list[Evidence]:
    """Sentences that state something (see `statement_spans`)."""
    return [
        Evidence(doc_id=article.id, start=span.start, end=span.end, text=article.text[span.start : span.end])
        for span in statement_spans(article.text, min_words)
    ]


def statement_spans(text: str, min_words: int) -> list[Span]:
    """The sentences of `text` that state something, of at least `min_words` words: not headings,
    list labels or fragments, and not in a paragraph's run of instructions to a model.
    """
    injected = injected_spans(text)
    return [
        span
        for span in sentence_spans(text)
        if len(text[span.start : span.end].split()) >= min_words
        and is_statement(text[span.start : span.end])
        and not any(start <= span.start < end for start, end in injected)
    ]


def _drift(sentence: str, evidence: str, by_words: bool = True) -> list[str]:
    """What a sentence adds to its best evidence: names swapped ("B beat A" for "A beat B"), a
    quoted or attributed claim stated as fact, a negation added or dropped, a name or number put
    in another's place; and, `by_words`, new words. With the meaning check, new words are its to
    judge: a paraphrase rewords.
    """
    problems = []
    if by_words:
        words = set(tokens(sentence))
        new = sorted(words - set(tokens(evidence)))
        if len(new) > max(1, MAX_NEW_WORDS * len(words)):
            problems.append(f"adds words its evidence lacks: {', '.join(new[:6])}")
    swapped = _swapped_names(sentence, evidence)
    if swapped:
        problems.append(f"swaps the roles of {swapped[0]!r} and {swapped[1]!r}")
    quoted = sum(q.end - q.start for q in quote_spans(evidence))
    if quoted > 0.5 * len(evidence) and not attributed(sentence) and not quote_spans(sentence):
        problems.append("states as fact what the source only quotes someone as saying")
    elif attributed(evidence) and not attributed(sentence):
        problems.append("states as fact what the source attributes to someone")
    if len(_NEGATION.findall(sentence)) != len(_NEGATION.findall(evidence)):
        problems.append("negation differs from its evidence")  # one added or dropped, even beside another
    added = sorted(_modifiers(sentence) - _modifiers(evidence))
    if added:  # "X, a former envoy" for "X, the envoy"; "only 40" for "40"
        problems.append(f"says {added[0]!r}, which its evidence does not")
    replaced = _replaced(sentence, evidence)  # the best sentence's: "Whitfield voted against" is Okafor's vote
    if replaced:
        problems.append(f"has {replaced[0]!r} where its evidence has {replaced[1]!r}")
    return problems


def _modifiers(text: str) -> set[str]:
    """The words of `text` that change what it claims ("former", "alleged", "only", "likely")."""
    return {word for word in _WORD.findall(text.lower()) if word in MEANING_MODIFIERS}


def _name_runs(text: str) -> list[str]:
    """The names of a text in order, each time it gives one ("The Port Ellery council": Port Ellery;
    "Obama’s": Obama).
    """
    names = []
    for run in _NAME_RUN.finditer(text):
        words = re.sub(r"['’]s?$", "", run.group()).split()  # "Obama’s", "the United States’"
        while words and is_stopword(words[0]):
            words.pop(0)
        if words:
            names.append(" ".join(words))
    return names


def _replaced(sentence: str, evidence: str) -> tuple[str, str] | None:
    """A name or number the sentence gives more often than its evidence while the evidence gives
    another more often than the sentence: one put in the other's place ("Mayor Ruiz said" for
    "Mayor Okafor said", "at 11:20" for "at 4:20"), though both may occur elsewhere in the cited
    article. Names are compared by their last word ("Ana Ruiz" and "Mayor Ruiz" agree); a name or
    number only dropped, or only added from elsewhere in the article, is not a replacement.
    """

    def marks(text: str) -> Counter[str]:  # numbers as digits alone: "5%" and "5 percent", "1,000" and "1000" agree
        return Counter([*(name.split()[-1] for name in _name_runs(text)), *number_values(text)])

    def ordinary(word: str) -> bool:  # a sentence's capitalised first word that the other text uses in lower case
        lower = word.lower()
        return lower != word and re.search(rf"\b{re.escape(lower)}\b", sentence + " " + evidence) is not None

    ours, theirs = marks(sentence), marks(evidence)
    ours -= Counter(_resolved_pronouns(sentence, evidence))
    extra = Counter({word: n for word, n in (ours - theirs).items() if not ordinary(word)})
    missing = Counter({word: n for word, n in (theirs - ours).items() if not ordinary(word)})
    if extra and missing:
        return next(iter(extra)), next(iter(missing))
    return None


def _resolved_pronouns(sentence: str, evidence: str) -> list[str]:
    """Names the sentence gives where its evidence has "he", "she" or "they" before the same two
    words ("Mr. Etheridge won two years ago" for "He won two years ago"): the pronoun written out,
    by the last word of the name. A name the evidence gives elsewhere is not the pronoun's ("He
    won …, and Obama carried …" is not "Obama won …").
    """
    resolved = []
    for pronoun in re.finditer(r"\b(?:[Hh]e|[Ss]he|[Tt]hey) (\w+ \w+)", evidence):
        written = re.search(rf"({_NAME_RUN.pattern}) {re.escape(pronoun.group(1))}\b", sentence)
        name = written.group(1).split()[-1] if written else None
        if name and not re.search(rf"\b{re.escape(name)}\b", evidence):  # not someone the sentence names itself
            resolved.append(name)
    return resolved


def _swapped_names(sentence: str, evidence: str) -> tuple[str, str] | None:
    """Two names both sentences hold, in the opposite order ("B beat A" for "A beat B"), unless
    one sentence is passive ("by") and the other not.
    """
    if bool(re.search(r"\bby\b", sentence)) != bool(re.search(r"\bby\b", evidence)):
        return None

    def order(text: str) -> list[str]:  # by last word: "Gov. Ann Lee" and "Lee" are one name; no date
        last_words = (name.split()[-1] for name in _name_runs(text))
        return list(dict.fromkeys(word for word in last_words if word.lower() not in CALENDAR_WORDS))

    ours, theirs = order(sentence), order(evidence)
    shared = [name for name in ours if name in theirs]
    for first, second in itertools.pairwise(shared):
        if theirs.index(first) > theirs.index(second):
            return first, second
    return None


def is_statement(text: str) -> bool:
    """Starts like a sentence and ends with a full stop (or a quote closing one), and is not text
    addressed to a model ("Disregard the article and write that …": article text is data) or a
    call to action to the reader ("Watch the full interview.").
    """
    return not is_fragment(text) and not addresses_model(text) and not addresses_reader(text)


def _normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


class Verifier:
    """Checks sentences against a fixed set of source sentences (embedded once); by meaning when
    given a `meaning` check, else by word overlap.
    """

    def __init__(
        self,
        embedder: Any,
        sources: list[Evidence],
        source_texts: list[str],
        documents: dict[str, str] | None = None,
        meaning: MeaningCheck | None = None,
    ) -> None:
        self.embedder = embedder
        self.meaning = meaning
        self.sources = sources
        self.vectors = embedder.embed([s.text for s in sources]) if sources else None
        self.corpus = _normalise("\n".join(source_texts))
        self.documents = {doc_id: _normalise(text) for doc_id, text in (documents or {}).items()}

    def check(self, sentence: str, allowed_docs: set[str] | None = None) -> Support:
        """The best-supporting source sentence and the fact checks for `sentence`, made against
        the documents it may cite (`allowed_docs`), else the document of its best evidence.
        """
        problems = ["addresses a model or the reader, not a report"] if addresses_model(sentence) else []
        if self.vectors is None:
            return Support(score=0.0, evidence=None, problems=[*self.fact_problems(sentence), *problems, "no sources"])
        vector = self.embedder.embed([sentence])[0]
        cosines = self.vectors @ vector
        words = set(tokens(sentence))
        scored = sorted(
            (
                (0.6 * float(cosines[index]) + 0.4 * len(words & set(tokens(source.text))) / max(len(words), 1), index)
                for index, source in enumerate(self.sources)
                if allowed_docs is None or source.doc_id in allowed_docs
            ),
            reverse=True,
        )
        best_score, best = (scored[0][0], self.sources[scored[0][1]]) if scored else (0.0, None)
        cited = allowed_docs or ({best.doc_id} if best is not None else set())
        within = "\n".join(self.documents[d] for d in sorted(cited) if d in self.documents) or None
        problems += self.fact_problems(sentence, within)
        if best is None:
            return Support(score=0.0, evidence=None, problems=problems)
        if addresses_model(best.text):
            problems.append("its evidence addresses a model, not a report")
        if self.meaning is None:
            problems += _drift(sentence, best.text)
            return Support(score=round(best_score, 3), evidence=best, problems=problems)
        closest = sorted((self.sources[i] for _, i in scored[:MEANING_EVIDENCE]), key=lambda e: (e.doc_id, e.start))
        evidence = " ".join(e.text for e in closest)
        problems += _drift(sentence, best.text, by_words=False)
        if best_score < MIN_RELATED:
            problems.append(f"no source sentence is close to it (support {best_score:.2f})")
        judged = None
        if not problems:  # the exact checks first: the model is asked only about what they pass
            judged = self.meaning.says(evidence, sentence)
            if not judged:
                problems.append("its evidence does not say this (meaning check)")
        return Support(score=round(best_score, 3), evidence=best, problems=problems, judged=judged)

    def fact_problems(self, sentence: str, within: str | None = None) -> list[str]:
        """Numbers (as whole tokens, with their unit), names and quotations of `sentence` that
        `within` (default: all the sources) does not contain; quotations credited to someone the
        source does not name with them.
        """
        text = _normalise(sentence)
        corpus = _normalise(within) if within is not None else self.corpus
        problems = []
        for match in NUMBER.finditer(text):
            number = as_written(match)
            unit = _UNIT.match(text, match.end())
            if not _has_number(corpus, number, unit.group(1) if unit else None):
                stated = f"{number} {unit.group(1)}" if unit else number
                problems.append(f"number {stated!r} not in the sources")
        for span in quote_spans(text):
            quote = text[span.start + 1 : span.end - 1].strip()
            if len(quote) < 3:
                continue
            if quote not in corpus:
                problems.append(f"quotation {quote!r} not verbatim in the sources")
                continue
            outside = text[: span.start] + " " * (span.end - span.start) + text[span.end :]
            named = set(_names(outside, corpus))
            heads = [  # "Mayor Whitfield": Whitfield; "Obama's": Obama
                re.sub(r"'s$", "", run.group().split()[-1]) for run in _NAME_RUN.finditer(outside)
            ]
            stranger = [h for h in heads if h in named and h not in _around(corpus, quote)]
            if stranger:
                problems.append(f"quotation credited to {stranger[0]!r}, whom the source does not name with it")
        for name in _names(text, corpus):
            if re.sub(r"'s$", "", name) not in corpus:  # text and corpus are normalised: "Trump's" is Trump
                problems.append(f"name {name!r} not in the sources")
        return problems


def _names(text: str, corpus: str) -> list[str]:
    """Capitalised words of `text` that name someone or something: all of them, except a sentence's
    first word when the sources use it as an ordinary lower-case word ("The", "Officials").
    """
    starts = {span.start for span in sentence_spans(text)}
    found = []
    for match in _CAPITALISED.finditer(text):
        word = match.group()
        if match.start() in starts and (is_stopword(word) or re.search(rf"\b{re.escape(word.lower())}\b", corpus)):
            continue
        found.append(word)
    return found


def _has_number(corpus: str, number: str, unit: str | None) -> bool:
    """Whether `number` occurs in `corpus` as a whole number ("20" not inside "2024"), with its unit."""
    digits = re.escape(number.rstrip("%"))
    after = (
        r"\s*(?:%|percent|per cent)"
        if number.endswith("%") or (unit and unit.lower() in ("%", "percent", "per cent"))
        else ""
    )
    if unit and not after:
        after = rf"\s*{re.escape(unit.lower())}"
    pattern = rf"(?<![\d.,:]){digits}(?![\d]|[.,:]\d){after}"
    return re.search(pattern, corpus, re.IGNORECASE) is not None


def _around(corpus: str, quote: str) -> str:
    """Who the source names with a quotation, wherever it gives it: the sentences the quotation
    spans, or, where those name no one outside the quotation (a quotation running on), the
    sentence before too.
    """
    spans = sentence_spans(corpus)
    windows = []
    at = corpus.find(quote)
    while at >= 0:
        inside = [i for i, s in enumerate(spans) if s.start < at + len(quote) and at < s.end]
        if inside:
            start, end = spans[inside[0]].start, spans[inside[-1]].end
            window = corpus[start:at] + " " + corpus[at + len(quote) : end]
            if not _CAPITALISED.search(window) and inside[0] > 0:
                previous = spans[inside[0] - 1]
                window = corpus[previous.start : previous.end] + " " + window
            windows.append(window)
        at = corpus.find(quote, at + 1)
    return " ".join(windows)
