"""Stance of each article toward its main actors: favourable, neutral or critical, with its
probability and the sentences that show it.

The main actors are the people and organisations the compared articles name most (or those the
analyst names with `--actor`). The stance reader (slant.readers.stance, an encoder trained on
annotated news) reads the passages that name the actor outside quotations. The evidence is the
sentences naming the actor whose tone shows the stance most. "unclear" only when the article names
the actor nowhere outside quotations.

With a model, it proposes a label per actor through constrained decoding (prompts/stance.yaml);
the evidence decides: the proposal is kept in `proposed`, and a disagreement is noted.
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel

from slant.config.settings import Settings
from slant.framing.lexicon import vader_valences
from slant.framing.signals import find_terms, loaded_terms
from slant.llm.model import TextModel, generate
from slant.llm.prompts import load_prompt, render
from slant.llm.provenance import Provenance, provenance
from slant.readers.stance import StanceReading, read_stances, sentence_tones, stance_passages
from slant.readers.wording import writer_wording_within
from slant.reading.actors import Actor, ActorIndex, canonical, merge_actors, same_person_name
from slant.sources.documents import Article
from slant.text.quotes import quote_spans
from slant.text.sentences import Evidence, sentence_spans

UNCLEAR = "unclear"
LABELS = ("favourable", "neutral", "critical")
MAIN_ACTORS = 5
EVIDENCE_SENTENCES = 3
# The rule on top of the reader: the writer's own evaluative words in the sentences naming the
# actor (loaded words signed by VADER's valence, emotive words at half weight, judging attribution
# verbs) decide when they sum to CLEAR_EVALUATION and outweigh the other side by OUTWEIGHS; with no
# such word at all the writer's stance is neutral. Chosen on the stance reader's held-out readings
# (evals/tools/train_stance_encoder.py --held-out; accuracy / macro-F1): the reader alone gives
# PerSenT 0.562 / 0.515 and BASIL 0.629 / 0.359; with the rule at 8, 0.540 / 0.505 and 0.673 /
# 0.426 (at 4: 0.497 / 0.466 and 0.622 / 0.425; at 10: 0.545 / 0.514 and 0.673 / 0.409). PerSenT's
# labels count events, not only the writer's words; BASIL's are the writer's stance, which slant
# reports.
CLEAR_EVALUATION = 8.0
OUTWEIGHS = 1.5
_WEIGHTS = {"loaded": 1.0, "emotive": 0.5, "verb-loaded": 1.0}


class Stance(BaseModel):
    """How one article presents one actor, and the sentences that show it."""

    doc_id: str
    source: str
    actor: str
    stance: str  # favourable | neutral | critical | unclear
    probability: float | None = None  # the stance reader's probability of `stance`
    score: float = 0.0  # mean sentiment (VADER compound, -1 to 1) of the sentences naming the actor
    evidence: list[Evidence] = []
    proposed: str | None = None  # what the model answered, if a model was asked
    note: str | None = None
    provenance: Provenance | None = None


def main_actors(indexes: list[ActorIndex], named: list[str] | None = None, limit: int = MAIN_ACTORS) -> list[Actor]:
    """The analyst's actors, else the people and organisations the articles name most often."""
    merged = merge_actors(indexes)
    if named:
        return [merged.get(canonical(name, merged)) or Actor(name=name, kind="organisation") for name in named]
    ranked = sorted(
        (a for a in merged.values() if a.kind in ("person", "organisation") and a.mentions >= 2),
        key=lambda a: (-a.mentions, a.name),
    )
    return ranked[:limit]


def stance_toward(article: Article, label: str, index: ActorIndex, actor: Actor) -> Stance:
    """The writer's stance toward `actor`, read from the sentences naming it."""
    return stances_toward(article, label, index, [actor])[0]


def stances_toward(article: Article, label: str, index: ActorIndex, actors: list[Actor]) -> list[Stance]:
    """stance_toward for each actor, the passages of all read by the stance reader at once."""
    text = article.text
    namings = [sentences_naming(text, index, actor) for actor in actors]
    requests = [(actor.name, stance_passages(text, naming)) for actor, naming in zip(actors, namings, strict=True)]
    readings = read_stances([request for request, naming in zip(requests, namings, strict=True) if naming])
    found = iter(readings)
    return [
        _stance(article, label, actor, naming, next(found) if naming else None)
        for actor, naming in zip(actors, namings, strict=True)
    ]


def _stance(
    article: Article, label: str, actor: Actor, naming: list[tuple[int, int]], reading: StanceReading | None
) -> Stance:
    """The stance the reader (and the rule on top) give, with the sentences that show it."""
    text = article.text
    result = Stance(doc_id=article.id, source=label, actor=actor.name, stance=UNCLEAR)
    if reading is None:
        result.note = "the article does not name this actor outside quotations"
        return result
    quotes = quote_spans(text)
    about = [writer_wording_within(text, s, e, quotes) for s, e in naming]  # the writer's own words
    tones = sentence_tones(about)
    result.stance, result.probability = reading.stance, reading.probability
    ruled = _writers_evaluation(about)
    if ruled is not None and ruled != reading.stance:  # a stance without a probability is the rule's
        result.stance, result.probability = ruled, None
        words = "no evaluative word of the writer's" if ruled == "neutral" else "the writer's evaluative words"
        result.note = f"{words} decide it (the stance reader read {reading.stance})"
    result.score = round(sum(tones) / len(tones), 3)
    ranked = sorted(zip(tones, naming, strict=True), key=lambda pair: pair[0])
    if result.stance == "critical":
        chosen = ranked[:EVIDENCE_SENTENCES]
    elif result.stance == "favourable":
        chosen = ranked[::-1][:EVIDENCE_SENTENCES]
    else:
        chosen = sorted(ranked, key=lambda pair: abs(pair[0]))[:1]
    result.evidence = [
        Evidence(doc_id=article.id, start=s, end=e, text=text[s:e]) for _, (s, e) in sorted(chosen, key=lambda x: x[1])
    ]
    return result


def _writers_evaluation(sentences: list[str]) -> str | None:
    """What the writer's own evaluative words in the sentences decide: "critical" or "favourable"
    when they clearly lean one way (see CLEAR_EVALUATION), "neutral" when there are none, else None
    (the stance reader decides).
    """
    valences = vader_valences()
    against = favour = 0.0
    for sentence in sentences:
        for term in find_terms(sentence, read=False) + loaded_terms(sentence):
            if term.in_quote or term.kind not in _WEIGHTS:
                continue
            value = valences.get(term.term.lower(), -1.0 if term.kind != "emotive" else 0.0)
            value = -abs(value) if term.kind == "verb-loaded" else value
            if value < 0:
                against -= value * _WEIGHTS[term.kind]
            else:
                favour += value * _WEIGHTS[term.kind]
    if against >= CLEAR_EVALUATION and against > OUTWEIGHS * favour:
        return "critical"
    if favour >= CLEAR_EVALUATION and favour > OUTWEIGHS * against:
        return "favourable"
    return "neutral" if against == favour == 0 else None


def stances(
    article: Article,
    label: str,
    index: ActorIndex,
    actors: list[Actor],
    model: TextModel | None,
    settings: Settings,
) -> list[Stance]:
    """The stance of `article` toward each actor; with a model, its proposals are recorded beside."""
    found = stances_toward(article, label, index, actors)
    named = [s for s in found if s.stance != UNCLEAR]
    if model is None or not named:
        return found
    sentences = list(dict.fromkeys(e.text.replace("\n", " ") for s in named for e in s.evidence))
    names = [s.actor for s in named]
    prompt = render("stance", actors=names, sentences=sentences)
    entry = load_prompt("stance").output_schema or {}
    schema = {"type": "object", "properties": dict.fromkeys(names, entry), "required": names}
    answers = _parse(generate(model, prompt, settings, json_schema=schema).text)
    made = provenance(model, prompt, settings)
    for stance in named:
        stance.proposed = answers.get(stance.actor, UNCLEAR)
        stance.provenance = made
        if stance.proposed not in (stance.stance, UNCLEAR):
            disagreement = f"the model proposed {stance.proposed!r}; the wording of the article shows {stance.stance!r}"
            stance.note = "; ".join(filter(None, [stance.note, disagreement]))
    return found


def sentences_naming(text: str, index: ActorIndex, actor: Actor) -> list[tuple[int, int]]:
    """The (start, end) of each sentence that names the actor outside quotations."""
    key = canonical(actor.name, index.actors)
    if key not in index.actors:
        surname = actor.name.split()[-1]
        key = next((k for k, a in index.actors.items() if a.kind == "person" and k.split()[-1] == surname), "")
    if key:
        keys = {key} | {k for k, a in index.actors.items() if a.kind == "person" and same_person_name(k, key)}
        mentions = [m for m in index.mentions if m.actor in keys and not m.quoted]
        spans = [s for s in sentence_spans(text) if any(s.start <= m.start < s.end for m in mentions)]
        return [(s.start, s.end) for s in spans]
    # A group the articles name in words ("lawmakers"), else by the words before its noun ("GOP
    # leaders" named as "GOP", "Democratic lawmakers" as "Democrats"); hyphens aside ("Wal-Mart").
    words, sentences = actor.name.split(), sentence_spans(text)
    for word in [words[-1], *reversed(words[:-1])]:
        stem = re.sub(r"(?:ic|s)$", "", word) or word
        loose = "-?".join(re.escape(c) for c in stem)
        found = [(s.start, s.end) for s in sentences if re.search(rf"\b{loose}", text[s.start : s.end], re.I)]
        if found:
            return found
    return []


def _parse(text: str) -> dict[str, str]:
    """Each actor's label from a (schema-constrained) answer."""
    try:
        data = json.loads(text.strip())
    except ValueError:
        return {}
    answers = {}
    for actor, entry in data.items() if isinstance(data, dict) else []:
        stance = entry.get("stance", UNCLEAR) if isinstance(entry, dict) else UNCLEAR
        answers[actor] = stance if stance in LABELS else UNCLEAR
    return answers
