"""The meaning check: an instruction-tuned model, constrained to answer yes or no, says whether
the evidence says what a claim says (prompts/judge.yaml).

It stands where word overlap stood: a faithful paraphrase in new words passes, a sentence the
evidence does not state fails. The verifier's exact checks (numbers, names, quotations and who
said them, negation, swapped roles) still run first and are never overruled by it: the model
proposes, the evidence decides.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from slant.llm.model import TextModel, generate
from slant.llm.prompts import render

if TYPE_CHECKING:
    from slant.config.settings import Settings


class MeaningCheck:
    """Asks the model once per (evidence, claim) pair and remembers the verdict."""

    def __init__(self, model: TextModel, settings: Settings) -> None:
        self.model = model
        self.settings = settings
        self.verdicts: dict[tuple[str, str], bool | None] = {}
        self.seconds = 0.0

    def says(self, evidence: str, claim: str) -> bool | None:
        """Whether `evidence` says what `claim` says; None when the model's answer is not the
        JSON its schema asks for (a served model may ignore the schema): then nothing passes.
        """
        key = (evidence, claim)
        if key not in self.verdicts:
            prompt = render("judge", claim=_one_line(claim), evidence=_one_line(evidence))
            completion = generate(self.model, prompt, self.settings)
            self.seconds += completion.seconds
            self.verdicts[key] = _verdict(completion.text)
        return self.verdicts[key]


def _verdict(text: str) -> bool | None:
    try:
        answer = json.loads(text)["answer"]
    except (ValueError, KeyError, TypeError):
        return None
    return {"yes": True, "no": False}.get(answer)


def _one_line(text: str) -> str:
    """Article text as one line: a line break in it cannot start a new part of the prompt."""
    return " ".join(text.split())
