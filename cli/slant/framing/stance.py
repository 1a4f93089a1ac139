"""Stance of each article toward the main actors (NATO and the West, Russia, their officials).

The model proposes a label and the number of the sentence that shows it, through constrained
decoding (the JSON schema in prompts/stance.yaml). The evidence decides: a label whose cited
sentence does not name the actor becomes "unclear", as does "critical" or "favourable" cited on a
sentence without evaluative wording (loaded, emotive, device) or "neutral" cited on one with it;
the model's proposal is kept with a note saying why.
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel

from slant.config.settings import Settings
from slant.framing.lexicon import ACTOR_SIDES
from slant.framing.signals import find_terms
from slant.llm.model import TextModel, generate
from slant.llm.prompts import load_prompt, render
from slant.llm.provenance import Provenance, provenance
from slant.sources.documents import Article
from slant.text.sentences import Evidence
from slant.verify.evidence import content_sentences

UNCLEAR = "unclear"
MAX_SENTENCES = 12  # sentences naming an actor shown to the model (evaluative ones first)
_EVALUATIVE = {"loaded", "emotive", "verb-loaded", "device"}


class Stance(BaseModel):
    """How one article presents one actor, and the sentence that shows it."""

    doc_id: str
    source: str
    actor: str
    stance: str  # favourable | critical | neutral | unclear
    evidence: list[Evidence]
    proposed: str  # what the model answered, before the evidence check
    note: str | None = None  # why a proposal was downgraded
    provenance: Provenance


def stances(article: Article, label: str, model: TextModel, settings: Settings) -> list[Stance]:
    """The stance of `article` toward every main actor it names (one constrained model call)."""
    named = [s for s in content_sentences(article, min_words=5) if _names_any_actor(s.text)]
    named.sort(key=lambda s: not _evaluative(s.text))
    candidates = sorted(named[:MAX_SENTENCES], key=lambda s: s.start)
    actors = [actor for actor, pattern in ACTOR_SIDES.items() if any(re.search(pattern, s.text) for s in candidates)]
    if not actors:
        return []
    prompt = render("stance", actors=actors, sentences=[s.text.replace("\n", " ") for s in candidates])
    entry = load_prompt("stance").output_schema or {}
    schema = {"type": "object", "properties": dict.fromkeys(actors, entry), "required": actors}
    completion = generate(model, prompt, settings, json_schema=schema)
    answers = _parse(completion.text)
    made = provenance(model, prompt, settings)
    return [_decide(article.id, label, actor, answers.get(actor, (UNCLEAR, 0)), candidates, made) for actor in actors]


def _names_any_actor(text: str) -> bool:
    return any(re.search(pattern, text) for pattern in ACTOR_SIDES.values())


def _evaluative(text: str) -> list[str]:
    return [t.term for t in find_terms(text) if t.kind in _EVALUATIVE and not t.in_quote]


def _decide(
    doc_id: str, label: str, actor: str, answer: tuple[str, int], candidates: list[Evidence], made: Provenance
) -> Stance:
    """The model's answer for one actor, kept only if the cited sentence bears it out."""
    proposed, number = answer
    result = Stance(
        doc_id=doc_id, source=label, actor=actor, stance=UNCLEAR, evidence=[], proposed=proposed, provenance=made
    )
    if proposed == UNCLEAR:
        return result
    if not 1 <= number <= len(candidates):
        result.note = f"the model answered {proposed!r} but cited no sentence of the article"
        return result
    cited = candidates[number - 1]
    if not re.search(ACTOR_SIDES[actor], cited.text):
        result.note = f"the model answered {proposed!r} citing a sentence that does not name {actor}"
        return result
    evaluative = _evaluative(cited.text)
    if proposed != "neutral" and not evaluative:
        result.note = f"the model answered {proposed!r} citing a sentence without evaluative wording"
        return result
    if proposed == "neutral" and evaluative:
        result.note = f"the model answered 'neutral' citing a sentence with evaluative wording: {', '.join(evaluative)}"
        return result
    result.stance, result.evidence = proposed, [cited]
    return result


def _parse(text: str) -> dict[str, tuple[str, int]]:
    """Each actor's label and sentence number from a (schema-constrained) answer."""
    try:
        data = json.loads(text.strip())
    except ValueError:
        return {}
    answers = {}
    for actor, entry in data.items() if isinstance(data, dict) else []:
        try:
            stance, number = str(entry.get("stance", UNCLEAR)), int(entry.get("sentence", 0))
        except (ValueError, TypeError, AttributeError):
            continue
        answers[actor] = (stance if stance in ("favourable", "critical", "neutral") else UNCLEAR, number)
    return answers
