"""`slant compare`: framing profiles side by side, what each source reports or leaves out, the
stance of each toward the main actors, and a short verified narrative of the differences.

Deterministic signals carry the comparison (slant.framing.signals, slant.framing.voices, slant.framing.claims); with a
model, stances and the narrative's prose are proposed by it and decided by the evidence. Every
finding names what made it, and `contributors` what took part in the run (slant.tasks.origins).
`--json` prints `Comparison` exactly: its `schema_version` changes whenever a field does.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from slant.config.settings import Settings
from slant.framing.claims import Claim, Omission, align, omissions
from slant.framing.narrative import Narrative, findings, narrate
from slant.framing.signals import Profile, profile
from slant.framing.stance import Stance, main_actors, stances
from slant.llm.model import TextModel
from slant.reading.actors import Actor, find_actors
from slant.sources.documents import Article
from slant.tasks.origins import Contributors, contributors, with_origins
from slant.text.instructions import without_instructions
from slant.verify.evidence import content_sentences

# 3: actors, voices with kind/affiliation/camp, camp shares, stances without a model;
# 4: every finding's `origin` (rule, reader, model, source sentence) and `contributors`
SCHEMA_VERSION = 5  # 5: profiles carry own_sentences and loaded_sentences (the sentence reader)


class Comparison(BaseModel):
    """The whole comparison (`--json` prints exactly this, versioned)."""

    schema_version: int = Field(SCHEMA_VERSION, description="Bumped whenever a field changes meaning or shape.")
    sources: list[str] = Field(description="One label per article, in the order of `profiles`.")
    profiles: list[Profile]
    actors: list[Actor] = Field(description="The main actors compared: the analyst's, else the most named.")
    stances: list[Stance] = Field(description="Each article's stance toward each main actor.")
    shared: list[Claim] = Field(description="Claims every article reports.")
    partial: list[Claim] = Field(description="Claims more than one, but not every, article reports.")
    omissions: list[Omission] = Field(description="Per article: claims others report that it leaves out.")
    narrative: Narrative
    used_model: bool = Field(description="False with --no-llm: the deterministic profile alone.")
    contributors: Contributors = Field(description="What made this run's findings: rules, readers, the model.")

    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Every finding names its origin (slant.tasks.origins)."""
        data: dict[str, Any] = handler(self)
        return with_origins(data)


def labels_for(articles: list[Article]) -> dict[str, str]:
    """A short unique label per article: its source, with the id added where sources repeat."""
    names = [a.source or a.label for a in articles]
    return {
        a.id: name if names.count(name) == 1 else f"{name} {a.id[:6]}" for a, name in zip(articles, names, strict=True)
    }


def compare(
    articles: list[Article],
    settings: Settings,
    embedder: Any,
    model: TextModel | None,
    omissions_per_source: int | None = None,
    actors: list[str] | None = None,
) -> Comparison:
    """Profile each article, align their claims and (with a model) add stances and prose.

    `omissions_per_source` caps the omissions listed per article (default: every one found);
    `actors` names the actors to give stances toward (default: the most named); voices are grouped
    by `settings.camps` where the analyst defines camps.
    """
    from slant.llm.embedder import RememberingEmbedder

    embedder = RememberingEmbedder(embedder)
    labels = labels_for(articles)
    claims = align([s for a in articles for s in content_sentences(a)], labels, embedder)
    everyone = len(articles)
    shared = [c for c in claims if len(c.reported_by) == everyone and everyone > 1]
    partial = [c for c in claims if 1 < len(c.reported_by) < everyone]
    readable = [a.model_copy(update={"text": without_instructions(a.text)}) for a in articles]
    indexes = [find_actors(a.text) for a in readable]
    profiles = [profile(a, camps=settings.camps, actors=i) for a, i in zip(readable, indexes, strict=True)]
    opinion = frozenset(labels[p.doc_id] for p in profiles if p.genre == "opinion")
    left_out = [o for a in articles for o in omissions(claims, labels[a.id], a.text, omissions_per_source, opinion)]
    ordered = [labels[a.id] for a in articles]
    facts = findings(profiles, ordered, shared, left_out)
    main = main_actors(indexes, actors)
    found: list[Stance] = []
    for article, index in zip(readable, indexes, strict=True):
        found += stances(article, labels[article.id], index, main, model, settings)
    narrative = narrate(facts, articles, model, embedder, settings)
    return Comparison(
        sources=ordered,
        profiles=profiles,
        actors=main,
        stances=found,
        shared=shared,
        partial=partial,
        omissions=left_out,
        narrative=narrative,
        used_model=model is not None,
        contributors=contributors(profiles, found, narrative),
    )
