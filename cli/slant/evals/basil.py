"""Score slant's loaded-language detector and sentence-neutrality check on BASIL-format files
(Fan et al. 2019: one article a line with expert-marked bias phrases; see the data README), and
the neutrality check on any file of labelled sentences. Nothing is downloaded; the files are the
evaluator's own.

Measures (BASIL):
- lexical bias precision / recall / F1: slant's loaded words (kind "loaded": the learned word
  table's, slant.framing.signals.loaded_terms) outside quotes against the experts' lexical-bias
  phrases outside quotes. A flag is right when it overlaps such a phrase; a phrase is found when a
  flag overlaps it.
- Spearman rho between the experts' and slant's loaded phrases per 100 words, per article.
- sentence neutrality macro-F1: a sentence is "biased" when it holds an expert lexical-bias phrase
  outside quotes; slant calls it biased when the neutrality check finds a cue of the writer's stance
  (the sentence reader, with the rules on top).
- quotations credited: of the quoted bias phrases whose speaker the experts name (not other_*),
  the share slant credits to anyone, and to the right speaker: the same surname for a person; for a
  group ("House_Democrats", "Obama_campaign") a speaker whose name, role or affiliation carries
  one of the group's words.
- stance: for each (article, entity) of `author_feelings`, slant's stance toward that entity
  (critical = neg, neutral = neu, favourable = pos; str-neg and str-pos count as neg and pos):
  share with a stance (not "unclear"), accuracy, and macro-F1 over neg / neu / pos.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from slant.config.errors import InputError
from slant.framing.neutrality import is_biased, stance_cues
from slant.framing.signals import find_terms
from slant.framing.stance import UNCLEAR, stance_toward
from slant.framing.voices import find_credits, find_voices
from slant.reading.actors import OFFICE_OF, Actor, ActorIndex, find_actors
from slant.sources.documents import Article
from slant.text.sentences import sentence_spans
from slant.text.spans import Span

BIASED_LABELS = frozenset(["biased", "1", "true", "yes", "non-neutral", "loaded"])
NEUTRAL_LABELS = frozenset(["neutral", "0", "false", "no", "non-biased", "unbiased", "not biased"])


class Scores(BaseModel):
    """Named measures of one evaluation, with what they were measured on."""

    measures: dict[str, float]
    counts: dict[str, int]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file; a bad line is an error naming the file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})", "give the path of a JSON-lines file") from error
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise InputError(f"{path}:{number}: not JSON ({error.msg})", "one JSON object per line") from error
    return records


def score_basil(path: Path) -> Scores:
    """Lexical-bias P/R/F1, density rho and sentence-neutrality macro-F1 on a BASIL-format file."""
    flags = hits = phrases = found = 0
    gold_density: list[float] = []
    slant_density: list[float] = []
    sentence_pairs: list[tuple[bool, bool]] = []
    speakers: list[tuple[bool, bool]] = []  # (credited to anyone, to the right speaker)
    stances: list[tuple[str, str]] = []  # (gold, slant)
    for number, article in enumerate(read_jsonl(path), 1):
        text, gold = _basil_article(article, f"{path}:{number}")
        actors = find_actors(text)
        speakers += _speakers(article, text, actors)
        stances += _stances(article, text, number, actors)
        spans = [Span(t.start, t.end) for t in find_terms(text) if t.kind == "loaded" and not t.in_quote]
        flags += len(spans)
        hits += sum(1 for s in spans if any(_overlap(s, g) for g in gold))
        phrases += len(gold)
        found += sum(1 for g in gold if any(_overlap(s, g) for s in spans))
        words = max(len(text.split()), 1)
        gold_density.append(100 * len(gold) / words)
        slant_density.append(100 * len(spans) / words)
        for sentence in sentence_spans(text):
            biased = any(_overlap(sentence, g) for g in gold)
            sentence_pairs.append((biased, is_biased(text[sentence.start : sentence.end])))
    precision, recall = hits / max(flags, 1), found / max(phrases, 1)
    return Scores(
        measures={
            "lexical_precision": round(precision, 3),
            "lexical_recall": round(recall, 3),
            "lexical_f1": round(_f1(precision, recall), 3),
            "lexical_density_rho": round(spearman(gold_density, slant_density), 3),
            **_neutrality_measures(sentence_pairs),
            "quotes_credited_right": round(sum(r for _, r in speakers) / max(len(speakers), 1), 3),
            "quotes_credited_anyone": round(sum(a for a, _ in speakers) / max(len(speakers), 1), 3),
            **_stance_measures(stances),
        },
        counts={"articles": len(gold_density), "gold_phrases": phrases, "flags": flags}
        | {"sentences": len(sentence_pairs), "named_quotes": len(speakers), "stance_pairs": len(stances)},
    )


STANCE_OF = {"critical": "neg", "neutral": "neu", "favourable": "pos"}


def _speakers(article: dict[str, Any], text: str, actors: ActorIndex) -> list[tuple[bool, bool]]:
    """For each quoted phrase with a named speaker: credited to anyone, to the right one."""
    sentences = sentence_spans(text)
    credits = find_credits(text)
    voices = {v.speaker: v for v in find_voices("-", text, sentences)}
    results = []
    for phrase in article.get("phrases", []):
        speaker = str(phrase.get("speaker", ""))
        wording = str(phrase.get("txt", "")).strip('“”"')
        at = text.find(wording) if wording else -1
        if phrase.get("quote") != "yes" or not speaker or speaker.startswith("other") or at < 0:
            continue
        credit = next((c for c in credits if c.start <= at < c.end), None)
        if credit is None:
            results.append((False, False))
            continue
        actor = actors.actors.get(credit.speaker)
        name = actor.name if actor else credit.speaker
        voice = voices.get(name)
        stated = [*actor.aliases, *actor.roles] if actor else []
        voiced = [voice.role, voice.affiliation] if voice else []
        described = " ".join(filter(None, [name, *stated, *voiced])).lower()
        results.append((True, _same_speaker(speaker, _with_chambers(described))))
    return results


# BASIL names a member of Congress by party and chamber ("House_Democrats"); slant, by the title.
_CHAMBER_OF_OFFICE = {"representative": "house", "senator": "senate"}


def _with_chambers(described: str) -> str:
    offices = {OFFICE_OF.get(word, word) for word in described.replace(".", "").split()}
    return " ".join([described, *(chamber for office, chamber in _CHAMBER_OF_OFFICE.items() if office in offices)])


def _same_speaker(gold: str, described: str) -> bool:
    parts = gold.split("_")
    if len(parts) >= 2 and all(p[:1].isupper() for p in parts) and not any(_GROUP_WORD.search(p) for p in parts):
        return parts[-1].lower() in described  # a person: the surname
    return any(p.lower()[:6] in described for p in parts if len(p) > 3 and not _GROUP_WORD.fullmatch(p.lower()))


_GROUP_WORD = re.compile(
    r"(?i)(lawmakers?|officials?|leaders?|members?|campaign|administration|democrats|republicans|plaintiffs)"
)


def _stances(article: dict[str, Any], text: str, number: int, actors: ActorIndex) -> list[tuple[str, str]]:
    feelings = article.get("author_feelings") or {}
    if not feelings:
        return []
    stored = Article(id=f"{number:016x}", text=text, origin="-")
    pairs = []
    for entity, label in feelings.items():
        stance = stance_toward(stored, "-", actors, Actor(name=str(entity), kind="person")).stance
        pairs.append((str(label).replace("str-", ""), STANCE_OF.get(stance, UNCLEAR)))
    return pairs


def _stance_measures(pairs: list[tuple[str, str]]) -> dict[str, float]:
    if not pairs:
        return {}
    f1s = []
    for label in ("neg", "neu", "pos"):
        tp = sum(1 for gold, said in pairs if gold == said == label)
        f1s.append(
            _f1(
                tp / max(sum(1 for _, s in pairs if s == label), 1), tp / max(sum(1 for g, _ in pairs if g == label), 1)
            )
        )
    return {
        "stance_coverage": round(sum(1 for _, said in pairs if said != UNCLEAR) / len(pairs), 3),
        "stance_accuracy": round(sum(1 for gold, said in pairs if gold == said) / len(pairs), 3),
        "stance_macro_f1": round(sum(f1s) / 3, 3),
    }


def score_sentences(path: Path) -> Scores:
    """On labelled sentences (JSON lines or CSV with `text` and `label`): slant's verdict on each
    (the sentence reader at its threshold, `is_biased`) as macro-F1 and per-class precision and
    recall, under both names earlier runs used ("reader_*" and the neutrality check's); and the
    stricter gate of neutral summaries (the reader with the rules on top, `stance_cues`) as
    "summary_gate_*", which keeps out more than biased wording.
    """
    labelled = _labelled(path)
    if not labelled:
        raise InputError(f"{path}: no labelled sentences", "give rows with a text and a label field")
    gold = [_biased(label, f"{path}: {text[:40]!r}") for text, label in labelled]
    read = list(zip(gold, [is_biased(text) for text, _ in labelled], strict=True))
    gated = list(zip(gold, [bool(stance_cues(text)) for text, _ in labelled], strict=True))
    return Scores(
        measures={
            **_binary_measures("reader", read),
            **_neutrality_measures(read),
            **_binary_measures("summary_gate", gated),
        },
        counts={"sentences": len(gold)},
    )


def _binary_measures(name: str, pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    """Macro-F1 and per-class precision / recall of biased-vs-neutral decisions."""
    measures: dict[str, float] = {}
    f1s = []
    for positive, label in ((True, "biased"), (False, "neutral")):
        tp = sum(1 for gold, said in pairs if gold == positive and said == positive)
        precision = tp / max(sum(1 for _, said in pairs if said == positive), 1)
        recall = tp / max(sum(1 for gold, _ in pairs if gold == positive), 1)
        measures[f"{name}_{label}_precision"] = round(precision, 3)
        measures[f"{name}_{label}_recall"] = round(recall, 3)
        f1s.append(_f1(precision, recall))
    return {f"{name}_macro_f1": round(sum(f1s) / 2, 3), **measures}


def _basil_article(article: dict[str, Any], where: str) -> tuple[str, list[Span]]:
    try:
        text = article["text"]
        phrases = article["phrases"]
    except (KeyError, TypeError) as error:
        hint = "each line needs text and phrases (BASIL format)"
        raise InputError(f"{where}: missing field {error}", hint) from error
    gold = []
    for phrase in phrases:
        if phrase.get("bias") != "lex" or phrase.get("quote") != "no":
            continue
        wording = str(phrase.get("txt", "")).strip('“”"')
        start = text.find(wording) if wording else -1
        if start >= 0:
            gold.append(Span(start, start + len(wording)))
    return text, gold


def _labelled(path: Path) -> list[tuple[str, str]]:
    if path.suffix.lower() == ".csv":
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except OSError as error:
            raise InputError(f"{path}: cannot read ({error.strerror})", "give the path of a CSV file") from error
    else:
        rows = read_jsonl(path)
    pairs = []
    for number, row in enumerate(rows, 1):
        if "text" not in row or "label" not in row:
            raise InputError(f"{path}: row {number} lacks a text or label field", "give every row text and label")
        pairs.append((str(row["text"]), str(row["label"])))
    return pairs


def _biased(label: str, where: str) -> bool:
    value = label.strip().lower()
    if value in BIASED_LABELS:
        return True
    if value in NEUTRAL_LABELS:
        return False
    raise InputError(f"{where}: unknown label {label!r}", "label sentences biased/neutral (or 1/0)")


def _neutrality_measures(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    measures = _binary_measures("neutrality", pairs)
    return {
        "neutrality_macro_f1": measures["neutrality_macro_f1"],
        "biased_sentences_flagged": measures["neutrality_biased_recall"],
        "neutral_sentences_passed": measures["neutrality_neutral_recall"],
        "neutrality_biased_precision": measures["neutrality_biased_precision"],
        "neutrality_neutral_precision": measures["neutrality_neutral_precision"],
    }


def spearman(a: list[float], b: list[float]) -> float:
    """Spearman's rank correlation (ties share their mean rank); 0 when either side is constant."""
    ra, rb = _ranks(a), _ranks(b)
    n = len(a)
    if n < 2:
        return 0.0
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    return cov / (va * vb) ** 0.5 if va and vb else 0.0


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2
        i = j + 1
    return ranks


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
