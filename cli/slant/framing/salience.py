"""How much of a story a sentence tells: a score learned from neutral reference summaries.

Each source sentence is described by features of its place in the story, never by its words,
so nothing about a topic, a name or an outlet is learned:

- agreement: how close it is in meaning to the story as a whole and to the nearest sentence of
  another article, and what share of its content words the other articles and the headlines use
  (for one article alone: the rest of that article);
- position: an article's first or second sentence (news puts who, what, when and where first);
- form: length, quotation share, attribution ("X said"), figures, capitalised words (names);
- tone: writer's-stance cues, emotive words, openers that lean on the sentence before.

A linear model of these features was fitted on NeuS training stories to predict the share of a
sentence's words that the editors' neutral summary uses (evals/tools/derive_salience.py writes
framing/wordlists/salience.tsv; regenerate it, do not edit it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slant.framing.neutrality import emotive_outside_quotes, stance_cues
from slant.text.attribution import attributed
from slant.text.quotes import quote_spans
from slant.text.sentences import Evidence, leans_on_previous
from slant.text.tokens import stem, tokens
from slant.text.wordlists import rows

if TYPE_CHECKING:
    import numpy as np

FEATURES = (
    "bias",
    "centrality",
    "nearest_other_article",
    "words_in_other_articles",
    "words_in_headlines",
    "first_sentence",
    "second_sentence",
    "length",
    "quoted_share",
    "attributed",
    "has_figure",
    "capitalised_share",
    "stance_cue",
    "emotive_words",
    "leans_on_previous",
)
WEIGHTS_FILE = Path(__file__).parent / "wordlists" / "salience.tsv"
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")


def features(sentences: list[Evidence], titles: dict[str, str], vectors: np.ndarray) -> np.ndarray:
    """One row of FEATURES per sentence; `vectors` are the sentences' unit embeddings, `titles`
    the headline of each document id (may be empty).
    """
    import numpy as np

    centre = vectors.mean(axis=0)
    centre = centre / max(float(np.linalg.norm(centre)), 1e-9)
    similarity = vectors @ vectors.T
    words_of = [{stem(t) for t in tokens(s.text)} for s in sentences]
    doc_words: dict[str, set[str]] = {}
    for sentence, words in zip(sentences, words_of, strict=True):
        doc_words.setdefault(sentence.doc_id, set()).update(words)
    headline_words = {doc: {stem(t) for t in tokens(title)} for doc, title in titles.items()}
    all_headlines = set().union(*headline_words.values()) if headline_words else set()
    seen: dict[str, int] = {}
    table = np.zeros((len(sentences), len(FEATURES)))
    for i, sentence in enumerate(sentences):
        rank = seen.get(sentence.doc_id, 0)
        seen[sentence.doc_id] = rank + 1
        if len(doc_words) > 1:
            others = [j for j, s in enumerate(sentences) if s.doc_id != sentence.doc_id]
        else:  # one article: agreement with the rest of it
            others = [j for j in range(len(sentences)) if j != i]
        other_words = set().union(*(words_of[j] for j in others))
        words = words_of[i] or {""}
        text = sentence.text
        length = max(len(text.split()), 1)
        table[i] = (
            1.0,
            float(vectors[i] @ centre),
            float(similarity[i, others].max()) if others else 0.0,
            len(words & other_words) / len(words),
            len(words & all_headlines) / len(words),
            float(rank == 0),
            float(rank == 1),
            min(length, 60) / 30,
            sum(q.end - q.start for q in quote_spans(text)) / max(len(text), 1),
            float(attributed(text)),
            float(bool(re.search(r"\d", text))),
            len(_CAPITALISED.findall(text)) / length,
            float(bool(stance_cues(text))),
            min(len(emotive_outside_quotes(text)), 3) / 3,
            float(leans_on_previous(text)),
        )
    return table


def salience(sentences: list[Evidence], titles: dict[str, str], embedder: Any) -> list[float]:
    """The learned score of each sentence (higher: more of the story, more neutrally told)."""
    if not sentences:
        return []
    vectors = embedder.embed([s.text for s in sentences])
    return [float(v) for v in features(sentences, titles, vectors) @ _weights()]


_LOADED: list[np.ndarray] = []


def _weights() -> np.ndarray:
    import numpy as np

    if not _LOADED:
        table = {row[0]: float(row[1]) for row in rows(WEIGHTS_FILE)}
        _LOADED.append(np.array([table.get(name, 0.0) for name in FEATURES]))
    return _LOADED[0]
