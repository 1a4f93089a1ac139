"""What made each finding of a comparison, and how sure it is.

Every finding names one origin:

- `rule`: counted or built by slant's rules over word lists and the text (voices and reporting
  verbs, emotive words, hedges, devices, genre, frames, and the differences stated from them);
- `reader`: a trained reader's judgement, with its probability as the confidence (loaded-language
  sentences, stance), where the finding carries one;
- `model`: a sentence the language model wrote, kept because the articles support it (its
  confidence is the verifier's support);
- `source sentence`: an article's own sentence, quoted (headlines, claims, omissions).

`Contributors` says which of them took part in one run, for the page headers: a model that was
asked but whose every proposal was rejected is named as such, not as having written anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from slant.framing.narrative import Narrative, NarrativeSentence
    from slant.framing.signals import Profile, Term
    from slant.framing.stance import Stance

Origin = Literal["rule", "reader", "model", "source sentence"]
READER_NAMES = {"loaded": "loaded-language sentences", "stance": "stance"}
PROFILE_ORIGINS = {
    "headline": "source sentence",
    "genre": "rule",
    "quoted_share": "rule",
    "camp_shares": "rule",
    "loaded_sentences": "reader",
}


def term_origin(term: Term) -> Origin:
    """A flagged word: a reader's when it carries the reader's probability, else a rule's."""
    return "reader" if getattr(term, "probability", None) is not None else "rule"


def stance_origin(stance: Stance) -> Origin:
    """A stance: the stance reader's when it carries a probability, else the rules'."""
    return "reader" if getattr(stance, "probability", None) is not None else "rule"


def sentence_origin(sentence: NarrativeSentence) -> Origin:
    """A sentence of the differences: the model's (verified), or built from the signals (a reader's
    judgement, or the rules').
    """
    if sentence.origin == "model":
        return "model"
    return "reader" if sentence.origin == "reader" else "rule"


def label(origin: Origin, confidence: float | None = None, kind: str = "P") -> str:
    """How a finding's origin is shown to people: "rule", "reader, P 0.83", "model, support 0.91"."""
    return origin if confidence is None else f"{origin}, {kind} {confidence:.2f}"


def term_label(term: Term) -> str:
    """A flagged word's origin and confidence, for people."""
    return label(term_origin(term), getattr(term, "probability", None))


def stance_label(stance: Stance) -> str:
    """A stance's origin and confidence, for people."""
    return label(stance_origin(stance), getattr(stance, "probability", None))


def sentence_label(sentence: NarrativeSentence) -> str:
    """A difference's origin, for people: "rule", "reader", or "model, verified, support 0.91"."""
    origin = sentence_origin(sentence)
    return f"model, verified, support {sentence.support:.2f}" if origin == "model" else origin


class Contributors(BaseModel):
    """Who took part in one comparison."""

    rules: bool = Field(True, description="Always: profiles, voices and the differences are counted by rule.")
    readers: list[str] = Field(description="Trained readers whose judgements are among the findings.")
    model: str | None = Field(description="The language model asked (file or server id); null with --no-llm.")
    model_sentences_kept: int = Field(0, description="Sentences of the differences the model wrote (verified).")
    model_sentences_rejected: int = Field(0, description="Sentences the model proposed that the evidence rejected.")
    model_stance_proposals: int = Field(
        0, description="Stances the model proposed: recorded beside the evidence's label, never deciding it."
    )

    def summary(self) -> str:
        """One line for a page header: what actually made this run's findings."""
        made = "rules" + (f" and readers ({', '.join(self.readers)})" if self.readers else "")
        if self.model is None:
            return f"{made}; no language model (--no-llm)"
        proposed = self.model_sentences_kept + self.model_sentences_rejected
        if self.model_sentences_kept:
            wrote = f"wrote {self.model_sentences_kept} of the differences (verified against the sources)"
        elif proposed:
            wrote = f"asked, none of its {proposed} sentences passed verification (nothing it wrote is shown)"
        else:
            wrote = "asked, it proposed no usable sentence (nothing it wrote is shown)"
        stances = "; its stance proposals are recorded, never deciding" if self.model_stance_proposals else ""
        return f"{made}; model {self.model} {wrote}{stances}"


def contributors(profiles: list[Profile], stances: list[Stance], narrative: Narrative) -> Contributors:
    """Who took part, read from the findings themselves."""
    readers = []
    if any(p.loaded_sentences for p in profiles) or any(term_origin(t) == "reader" for p in profiles for t in p.terms):
        readers.append(READER_NAMES["loaded"])
    if any(stance_origin(s) == "reader" for s in stances):
        readers.append(READER_NAMES["stance"])
    asked = [s.provenance.model for s in stances if s.provenance is not None]
    if narrative.provenance is not None:
        asked.insert(0, narrative.provenance.model)
    return Contributors(
        readers=readers,
        model=asked[0] if asked else None,
        model_sentences_kept=sum(1 for s in narrative.sentences if sentence_origin(s) == "model"),
        model_sentences_rejected=len(narrative.rejected),
        model_stance_proposals=sum(1 for s in stances if s.proposed is not None),
    )


def with_origins(data: dict[str, Any]) -> dict[str, Any]:
    """A comparison's JSON with `origin` on every finding (terms and stances by whether a reader
    scored them, the rest by kind).
    """
    for profile in data.get("profiles", []):
        profile["origins"] = dict(PROFILE_ORIGINS)
        for term in profile.get("terms", []):
            term["origin"] = "reader" if term.get("probability") is not None else "rule"
        for item in profile.get("voices", []) + profile.get("frames", []):
            item["origin"] = "rule"
    for stance in data.get("stances", []):
        stance["origin"] = "reader" if stance.get("probability") is not None else "rule"
    for claim in data.get("shared", []) + data.get("partial", []):
        claim["origin"] = "source sentence"
    for omission in data.get("omissions", []):
        omission["origin"] = "source sentence"
    return data
