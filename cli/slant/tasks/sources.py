"""`slant sources`: each outlet across all its articles: how loaded its own words are, whose
voices it quotes (by affiliation or the analyst's camp), its stance toward the index's main
actors, and the share of the index's stories it covered. Deterministic signals only (no model),
each a count anyone can check against `slant compare` on the same articles.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from pydantic import BaseModel, Field

from slant.config.settings import Settings
from slant.framing.signals import profile
from slant.framing.stance import UNCLEAR, main_actors, stance_toward
from slant.index.stories import StoryInfo
from slant.reading.actors import find_actors
from slant.sources.documents import Article

SCHEMA_VERSION = 2  # 2: loaded_sentences
TOP_VOICES = 6


class ActorStance(BaseModel):
    """One outlet's articles that name one main actor, by the stance they take toward it."""

    actor: str
    favourable: int = 0
    neutral: int = 0
    critical: int = 0

    @property
    def named(self) -> int:
        """Articles with a readable stance toward the actor."""
        return self.favourable + self.neutral + self.critical


class SourceProfile(BaseModel):
    """One outlet over time."""

    source: str
    lean: str | None = Field(description="Its lean or group (--meta lean=, or [source_groups]).")
    articles: int
    first: str | None = Field(description="Earliest and latest publication date of its articles, where known.")
    last: str | None
    stories: int = Field(description="Stories it covered.")
    story_share: float = Field(description="Share of the index's stories it covered.")
    loaded_sentences: float = Field(
        description="Share of its own sentences (not wholly quoted) the sentence reader reads as loaded."
    )
    loaded_per_100: float = Field(description="Loaded terms outside quotations per 100 of its own words.")
    quoted_share: float = Field(description="Share of its words inside quotations.")
    voices: dict[str, int] = Field(description="Quotations and paraphrases by the speaker's camp or affiliation.")
    stances: list[ActorStance] = Field(description="Its stance toward the index's most named actors.")


class SourcesReport(BaseModel):
    """Every outlet of the index (`--json` prints exactly this, versioned)."""

    schema_version: int = SCHEMA_VERSION
    stories: int
    actors: list[str]
    sources: list[SourceProfile]


def profile_sources(articles: list[Article], stories: list[StoryInfo], settings: Settings) -> SourcesReport:
    """Profile each source over its articles; sources are ordered by article count, then name."""
    indexes = [find_actors(a.text) for a in articles]
    actors = main_actors(indexes)
    covered: dict[str, int] = Counter(source for story in stories for source in story.sources)
    by_source: dict[str, list[int]] = defaultdict(list)
    for number, article in enumerate(articles):
        by_source[article.source or "(no source)"].append(number)
    found = []
    for source, numbers in by_source.items():
        mine = [articles[n] for n in numbers]
        profiles = [profile(articles[n], camps=settings.camps, actors=indexes[n]) for n in numbers]
        words = sum(p.words for p in profiles)
        quoted_words = sum(p.words * p.quoted_share for p in profiles)
        voices: Counter[str] = Counter()
        for p in profiles:
            for voice in p.voices:
                voices[voice.camp] += voice.direct + voice.indirect
        toward = []
        for actor in actors:
            counts = ActorStance(actor=actor.name)
            for n in numbers:
                stance = stance_toward(articles[n], source, indexes[n], actor).stance
                if stance != UNCLEAR:
                    setattr(counts, stance, getattr(counts, stance) + 1)
            toward.append(counts)
        dates = sorted(a.published[:10] for a in mine if a.published)
        found.append(
            SourceProfile(
                source=source,
                lean=next((a.lean for a in mine if a.lean), None) or settings.source_groups.get(source),
                articles=len(mine),
                first=dates[0] if dates else None,
                last=dates[-1] if dates else None,
                stories=covered.get(source, 0),
                story_share=round(covered.get(source, 0) / len(stories), 3) if stories else 0.0,
                loaded_sentences=round(
                    sum(len(p.loaded_sentences) for p in profiles) / max(sum(p.own_sentences for p in profiles), 1), 3
                ),
                loaded_per_100=round(100 * sum(p.count("loaded") for p in profiles) / max(words - quoted_words, 1), 2),
                quoted_share=round(quoted_words / max(words, 1), 3),
                voices=dict(voices.most_common(TOP_VOICES)),
                stances=toward,
            )
        )
    found.sort(key=lambda s: (-s.articles, s.source))
    return SourcesReport(stories=len(stories), actors=[a.name for a in actors], sources=found)
