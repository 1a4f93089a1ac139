"""A short neutral narrative of how the compared sources differ.

slant first states the differences itself, as sentences built from the deterministic signals
("The Ledger uses 16 loaded terms outside quotes; The Courier uses 5."), each tied to the spans it
counts. The model may rephrase them into prose (prompts/compare_narrative.yaml, JSON: each
sentence cites its finding); each generated sentence is kept only if the finding it cites
supports it (slant.verify: numbers, names and quotations must occur in the findings or articles;
with a writer, the meaning check reads it against the finding) and it carries no loaded
language. Sentences that fail are replaced by the findings themselves, so a weak model gives a
terse narrative, never a wrong one.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from slant.config.settings import Settings
from slant.framing.neutrality import loaded_outside_quotes
from slant.llm.model import TextModel, generate, is_writer
from slant.llm.prompts import render
from slant.llm.provenance import Provenance, provenance
from slant.sources.documents import Article
from slant.text.numbers import number_values
from slant.text.sentences import Evidence, sentence_spans
from slant.verify.evidence import Verifier
from slant.verify.meaning import MeaningCheck

if TYPE_CHECKING:
    from slant.framing.claims import Claim, Omission
    from slant.framing.signals import Profile

SENTENCES = 5
SPANS_PER_SOURCE = 3
_COMPARATIVE = re.compile(r"\b(?:more|fewer|less|greater|higher|lower|larger|smaller|twice|as many|as much)\b", re.I)


class NarrativeSentence(BaseModel):
    """One sentence of the narrative and the spans that back it."""

    text: str
    origin: str  # "model" (a verified model sentence) | "rule" or "reader" (built from the signals)
    support: float
    evidence: list[Evidence]


class Narrative(BaseModel):
    """The narrative, what was rejected and why, and what produced it."""

    sentences: list[NarrativeSentence]
    rejected: list[dict[str, Any]] = []
    provenance: Provenance | None = None


def findings(
    profiles: list[Profile], labels: list[str], shared: list[Claim], omissions: list[Omission]
) -> list[NarrativeSentence]:
    """The differences as plain sentences built from the signals, most telling first."""
    found: list[NarrativeSentence] = []

    def add(text: str, evidence: list[Evidence], origin: str = "rule") -> None:
        if evidence:
            found.append(NarrativeSentence(text=text, origin=origin, support=1.0, evidence=evidence))

    def terms(kind: str) -> list[Evidence]:
        spans = []
        for profile in profiles:
            hits = [t for t in profile.terms if t.kind == kind and not t.in_quote][:SPANS_PER_SOURCE]
            spans += [Evidence(doc_id=profile.doc_id, start=t.start, end=t.end, text=t.term) for t in hits]
        return spans

    loaded = [
        f"{len(p.loaded_sentences)} of its {p.own_sentences} sentences ({p.loaded_share():.0%})" for p in profiles
    ]
    add(
        _each(labels, loaded, "reads as loaded in {}", "in {}"),
        [e for p in profiles for e in _most_loaded(p)],
        origin="reader",
    )
    counts = [p.count("loaded") for p in profiles]
    add(_each(labels, counts, "uses {} loaded terms outside quotes", "uses {}"), terms("loaded"))
    for label in labels:  # the most telling omission of each source
        omission = next((o for o in omissions if o.missing_from == label), None)
        if omission is not None:
            claim = omission.claim
            what = "a reason" if claim.is_reason else "a statement"
            add(
                f"{', '.join(claim.reported_by)} report{'s' if len(claim.reported_by) == 1 else ''} {what} "
                f"that {label} leaves out: {claim.text}",
                claim.evidence,
            )
    voices = []
    for label, profile in zip(labels, profiles, strict=True):
        shares = ", ".join(f"{camp} {share:.0%}" for camp, share in profile.camp_shares.items() if share)
        voices.append(f"{label} attributes statements to {len(profile.voices)} speakers ({shares or 'none'})")
    add("; ".join(voices) + ".", [v.evidence[0] for p in profiles for v in p.voices[:2] if v.evidence])
    add(
        "; ".join(f"{label} reads as {_article(p.genre)}" for label, p in zip(labels, profiles, strict=True)) + ".",
        terms("loaded") + terms("device") or [e for p in profiles for e in ([p.lead] if p.lead else [])],
    )
    devices = [p.count("device") for p in profiles]
    if any(devices):
        text = _each(
            labels, devices, "uses {} rhetorical devices (exclamations, emoji, second person, questions)", "uses {}"
        )
        add(text, terms("device"))
    direct = [sum(v.direct for v in p.voices) for p in profiles]
    add(
        _each(labels, direct, "quotes {} statements directly", "{}"),
        [v.evidence[0] for p in profiles for v in p.voices if v.direct and v.evidence][:6],
    )
    if shared:
        add(f"All report: {shared[0].text}", shared[0].evidence)
    return found


def _most_loaded(profile: Profile) -> list[Evidence]:
    """The spans of an article's most loaded sentences (SPANS_PER_SOURCE at most)."""
    ranked = sorted(profile.loaded_sentences, key=lambda s: -s.probability)[:SPANS_PER_SOURCE]
    return [Evidence(doc_id=profile.doc_id, start=s.start, end=s.end, text=s.text) for s in ranked]


def _each(labels: list[str], counts: list[Any], first: str, rest: str) -> str:
    parts = [f"{labels[0]} {first.format(counts[0])}"]
    parts += [f"{label} {rest.format(count)}" for label, count in zip(labels[1:], counts[1:], strict=True)]
    return "; ".join(parts) + "."


def _article(genre: str) -> str:
    return "a news report" if genre == "news report" else genre


def narrate(
    facts: list[NarrativeSentence],
    articles: list[Article],
    model: TextModel | None,
    embedder: Any,
    settings: Settings,
) -> Narrative:
    """Verified model prose over the findings, filled up with the findings themselves."""
    if model is None:
        return Narrative(sentences=facts[:SENTENCES])
    prompt = render("compare_narrative", findings=[f.text for f in facts])
    completion = generate(model, prompt, settings)
    sources = [Evidence(doc_id=f"finding-{i}", start=i, end=i + 1, text=f.text) for i, f in enumerate(facts)]
    documents = {a.id: a.text for a in articles} | {e.doc_id: e.text for e in sources}
    meaning = MeaningCheck(model, settings) if is_writer(model.model) else None
    verifier = Verifier(embedder, sources, [a.text for a in articles] + [f.text for f in facts], documents, meaning)
    chosen: list[NarrativeSentence] = []
    rejected: list[dict[str, Any]] = []
    used: set[int] = set()
    for proposal, finding in _proposals(completion.text, len(facts)):
        support = verifier.check(proposal, {f"finding-{finding - 1}"} if finding else None)
        if support.evidence is not None and _unfigured_comparison(proposal, support.evidence.text):
            support.problems.append("compares without the figures of its finding")
        loaded = loaded_outside_quotes(proposal)
        if support.supported and not loaded and support.evidence is not None:
            index = support.evidence.start
            if index not in used:
                used.add(index)
                chosen.append(
                    NarrativeSentence(
                        text=proposal, origin="model", support=support.score, evidence=facts[index].evidence
                    )
                )
            continue
        reasons = support.problems + [f"loaded: {t}" for t in loaded]
        if not support.supported and not support.problems:
            reasons.append(f"support {support.score:.2f} below threshold")
        rejected.append({"text": proposal, "reasons": reasons})
    for index, fact in enumerate(facts):
        if len(chosen) >= SENTENCES:
            break
        if index not in used:
            chosen.append(fact)
    return Narrative(sentences=chosen, rejected=rejected, provenance=provenance(model, prompt, settings))


def _unfigured_comparison(proposal: str, finding: str) -> bool:
    """Whether a sentence compares ("more loaded terms than") and leaves out a figure its finding
    gives: "4" against "4" is no "more", and only the figures let anyone check a comparison.
    """
    figures = set(number_values(finding))
    return bool(figures and _COMPARATIVE.search(proposal) and not figures <= set(number_values(proposal)))


def _proposals(text: str, findings: int) -> list[tuple[str, int]]:
    """The sentences of the model's JSON reply, each with the finding it cites (0: none valid)."""
    try:
        items = json.loads(text)["sentences"]
    except (ValueError, KeyError, TypeError):
        return []
    proposals = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            continue
        finding = item.get("finding")
        cited = finding if isinstance(finding, int) and 1 <= finding <= findings else 0
        written = " ".join(item["text"].split())
        proposals += [(written[s.start : s.end], cited) for s in sentence_spans(written)]
    return [(sentence, cited) for sentence, cited in proposals if len(sentence.split()) >= 4]
