"""Stories: articles grouped into the events they report, one article at a time.

A new article joins the story it reports or starts a new one; nothing already placed moves. The
article is compared with the stories whose centre (the mean of their articles' vectors) is
nearest in meaning, and scored against each of them as

    (1 - LEXICAL_WEIGHT) * cosine(article, story centre)
        + LEXICAL_WEIGHT * max over the story's articles of tf-idf cosine(article, member)

where the vectors embed the headline and the lead (who, what, when, where) and tf-idf weighs the
words of headline and text by how rare they are among the articles seen so far (names, places
and figures of one event are rare). It joins the best story scoring JOIN_SCORE or more, unless
its date and every dated article of that story are more than MAX_DAYS_APART apart (articles weeks
apart are rarely one event). The constants were chosen on NeuS training stories (see the README,
"Stories"); nothing here names a topic.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slant.text.sentences import sentence_spans
from slant.text.tokens import stem, tokens

if TYPE_CHECKING:
    import numpy as np

JOIN_SCORE = 0.45
LEXICAL_WEIGHT = 0.5
MAX_DAYS_APART = 7
CANDIDATES = 10  # nearest story centres scored in full
LEAD_SENTENCES = 4


def story_text(title: str | None, text: str) -> str:
    """What is embedded to place an article: its headline and lead."""
    lead = " ".join(text[s.start : s.end] for s in sentence_spans(text)[:LEAD_SENTENCES])
    return f"{title}. {lead}" if title else lead


@dataclass
class Story:
    """One story: its articles in the order they arrived, and the sum of their vectors."""

    id: str
    members: list[str]
    vector_sum: np.ndarray
    days: list[int | None]


@dataclass
class StoryGrouper:
    """Places articles into stories incrementally (see the module docstring)."""

    stories: list[Story] = field(default_factory=list)
    story_of: dict[str, str] = field(default_factory=dict)
    _bags: dict[str, Counter[str]] = field(default_factory=dict)
    _document_frequency: Counter[str] = field(default_factory=Counter)

    def place(self, doc_id: str, vector: np.ndarray, title: str | None, text: str, day: int | None) -> str:
        """The id of the story the article joins (or starts; its id is the article's)."""
        import numpy as np

        bag = Counter(stem(t) for t in tokens(f"{title or ''} {title or ''} {text}"))
        self._document_frequency.update(bag.keys())
        self._bags[doc_id] = bag
        weights = self._tfidf(bag)
        best: Story | None = None
        best_score = JOIN_SCORE
        if self.stories:
            centres = np.array([s.vector_sum for s in self.stories])
            centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-9)
            similarity = centres @ vector
            for index in np.argsort(-similarity)[:CANDIDATES]:
                story = self.stories[int(index)]
                if not _close_in_time(day, story.days):
                    continue
                lexical = max(_cosine(weights, self._tfidf(self._bags[m])) for m in story.members)
                score = (1 - LEXICAL_WEIGHT) * float(similarity[index]) + LEXICAL_WEIGHT * lexical
                if score >= best_score:
                    best, best_score = story, score
        if best is None:
            best = Story(doc_id, [], np.zeros_like(vector), [])
            self.stories.append(best)
        best.members.append(doc_id)
        best.vector_sum = best.vector_sum + vector
        best.days.append(day)
        self.story_of[doc_id] = best.id
        return best.id

    def _tfidf(self, bag: Counter[str]) -> dict[str, float]:
        seen = len(self._bags)
        weights = {
            word: (1 + math.log(count)) * math.log((seen + 1) / (self._document_frequency[word] + 0.5))
            for word, count in bag.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {word: w / norm for word, w in weights.items()}


def _close_in_time(day: int | None, days: list[int | None]) -> bool:
    """False only when the article and every dated article of the story are far apart."""
    dated = [d for d in days if d is not None]
    return day is None or not dated or any(abs(d - day) <= MAX_DAYS_APART for d in dated)


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(word, 0.0) for word, weight in a.items())
