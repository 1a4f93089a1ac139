"""A comparison for people: table cells, Markdown, and a self-contained HTML page (inline CSS,
JS and SVG; no external assets, nothing fetched) with the articles side by side, their framing
spans highlighted with the reason in a tooltip, and a chart of the main signals per source.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slant.config.errors import InputError
from slant.tasks.origins import sentence_label, stance_label, stance_origin, term_label, term_origin
from slant.text.cleaning import printable
from slant.text.quotes import quote_spans

if TYPE_CHECKING:
    from slant.framing.signals import Profile, Term
    from slant.index.stories import StoryInfo
    from slant.sources.documents import Article
    from slant.tasks.compare import Comparison
    from slant.text.sentences import Evidence
    from slant.text.spans import Span

SIGNAL_ROWS = [
    "headline",
    "genre",
    "voices",
    "attributed text by camp",
    "reporting verbs",
    "loaded sentences",
    "loaded terms (unquoted)",
    "loaded examples",
    "emotive words",
    "hedges",
    "rhetorical devices",
    "top frames",
    "quoted share",
]
REASONS = {
    "loaded": "loaded term outside quotes: word choice that carries a judgement",
    "emotive": "emotive word (VADER valence of 2 or more)",
    "hedge": "hedge: marks a claim as uncertain",
    "certainty": "certainty marker: presents a claim as beyond doubt",
    "verb-loaded": "loaded reporting verb (a neutral report says 'said')",
    "device": "rhetorical device: exclamation, emoji or second person",
}
CHART = [
    ("loaded", "loaded terms"),
    ("emotive", "emotive words"),
    ("hedge", "hedges"),
    ("device", "rhetorical devices"),
    ("verb-loaded", "loaded verbs"),
]
# What made each row of the profile (slant.tasks.origins); the loaded-term rows are a reader's
# where the sentence reader scored them (see `row_origin`).
ROW_ORIGINS = {
    "headline": "source sentence",
    "genre": "rule",
    "voices": "rule",
    "attributed text by camp": "rule",
    "reporting verbs": "rule",
    "loaded sentences": "reader",
    "loaded terms (unquoted)": "rule",
    "loaded examples": "rule",
    "emotive words": "rule",
    "hedges": "rule",
    "rhetorical devices": "rule",
    "top frames": "rule",
    "quoted share": "rule",
}
_PALETTE = ["#c0392b", "#2471a3", "#1e8449", "#7d3c98", "#b9770e", "#566573"]
_MAX_HIGHLIGHT_CHARS = 60  # longer device spans (whole rhetorical questions) are listed, not marked


def per_1000(profile: Profile, kind: str) -> float:
    """Terms of a kind outside quotes per 1000 words."""
    return round(1000 * profile.count(kind) / max(profile.words, 1), 1)


def cell(result: Comparison, profile: Profile, row: str) -> str:
    """One cell of the profile table."""
    if row == "headline":
        return profile.headline or "—"
    if row == "genre":
        return profile.genre
    if row == "voices":
        return (
            "; ".join(f"{v.speaker} [{v.camp}] {v.direct} direct/{v.indirect} indirect" for v in profile.voices[:6])
            or "—"
        )
    if row == "attributed text by camp":
        return ", ".join(f"{camp} {share:.0%}" for camp, share in profile.camp_shares.items()) or "—"
    if row == "reporting verbs":
        verbs = sorted({t.term.lower() for t in profile.terms if t.kind.startswith("verb") and not t.in_quote})
        return ", ".join(verbs) or "—"
    if row == "loaded sentences":
        return f"{len(profile.loaded_sentences)} of {profile.own_sentences} ({profile.loaded_share():.0%})"
    if row == "loaded examples":
        return ", ".join(dict.fromkeys(t.term for t in profile.terms if t.kind == "loaded" and not t.in_quote)) or "—"
    if row == "top frames":
        return ", ".join(f"{f.frame} {f.score}" for f in profile.frames[:3])
    if row == "quoted share":
        return f"{profile.quoted_share:.0%}"
    kind = {"loaded terms (unquoted)": "loaded", "emotive words": "emotive", "hedges": "hedge"}.get(row, "device")
    return f"{profile.count(kind)} ({per_1000(profile, kind)}/1000 words)"


def row_origin(result: Comparison, row: str) -> str:
    """What made a row of the profile table, over all the compared articles."""
    if row in ("loaded terms (unquoted)", "loaded examples"):
        terms = [t for p in result.profiles for t in p.terms if t.kind == "loaded" and not t.in_quote]
        return " + ".join(sorted({term_origin(t) for t in terms})) or ROW_ORIGINS[row]
    return ROW_ORIGINS[row]


def stance_cell(result: Comparison, profile: Profile, actor: str) -> str:
    """The stance of one article toward one actor, with its confidence and evidence span."""
    for stance in result.stances:
        if stance.doc_id == profile.doc_id and stance.actor == actor:
            probability = getattr(stance, "probability", None)
            notes = [f"P {probability:.2f}"] if probability is not None else []
            notes += [f"{e.doc_id[:8]}[{e.start}:{e.end}]" for e in stance.evidence[:1]]
            return f"{stance.stance} ({'; '.join(notes)})" if notes else stance.stance
    return "—"


def stance_origin_cell(result: Comparison, actor: str) -> str:
    """What made the stances toward one actor (the origin column of a stance row)."""
    return " + ".join(sorted({stance_origin(s) for s in result.stances if s.actor == actor})) or "rule"


def term_reason(term: Term) -> str:
    """Why a span is marked, and what marked it (the tooltip of the page)."""
    reason = REASONS[term.kind]
    if term.in_quote:
        reason = f"{term.kind} term inside a quotation (the speaker's words, not the outlet's)"
    return f"{reason} [{term_label(term)}]"


def markdown(result: Comparison) -> str:
    """The comparison as a Markdown document; text from the articles is escaped (see `_md`)."""
    sources = [_md(source) for source in result.sources]
    lines = ["# Comparison: " + " vs ".join(sources), "", f"_Made by: {_md(result.contributors.summary())}._", ""]
    lines += ["| signal | origin | " + " | ".join(sources) + " |", "|---" * (len(sources) + 2) + "|"]
    for row in SIGNAL_ROWS:
        cells = " | ".join(_md(cell(result, p, row)) for p in result.profiles)
        lines.append(f"| {row} | {row_origin(result, row)} | {cells} |")
    for actor in sorted({s.actor for s in result.stances}):
        cells = " | ".join(_md(stance_cell(result, p, actor)) for p in result.profiles)
        lines.append(f"| stance: {_md(actor)} | {stance_origin_cell(result, actor)} | {cells} |")
    lines += ["", "## Differences", ""]
    for sentence in result.narrative.sentences:
        spans = ", ".join(f"`{e.doc_id}[{e.start}:{e.end}]`" for e in sentence.evidence[:4])
        lines.append(f"- {_md(sentence.text)} *({sentence_label(sentence)})* — {spans}")
    lines += ["", "## Voices (rule)", ""]
    for source, profile in zip(sources, result.profiles, strict=True):
        lines.append(f"**{source}**")
        lines.append("")
        for voice in profile.voices:
            role = f", {_md(voice.role)}" if voice.role and voice.role != voice.speaker else ""
            spans = ", ".join(f"`[{e.start}:{e.end}]`" for e in voice.evidence[:3])
            verbs = _md(", ".join(voice.verbs)) or "—"
            lines.append(
                f"- {_md(voice.speaker)}{role} ({_md(voice.camp)}): {voice.direct} direct, "
                f"{voice.indirect} indirect, verbs {verbs} — {spans}"
            )
        lines.append("")
    for title, claims in (("Reported by all", result.shared), ("Reported by some", result.partial)):
        lines += [f"## {title} ({len(claims)}; source sentences)", ""]
        lines += [f"- {_md(c.text)} — {_md(', '.join(c.reported_by))}: {_spans(c.evidence)}" for c in claims]
        lines.append("")
    lines += ["## Omissions (source sentences reported elsewhere, absent here)", ""]
    for omission in result.omissions:
        claim = omission.claim
        lines.append(f"- **{_md(omission.missing_from)}** omits: {_md(claim.text)} — {_spans(claim.evidence)}")
    return "\n".join(lines) + "\n"


# Markdown punctuation that could start a link, emphasis, code, strikethrough or a table cell
# (with "[" and "]" escaped no link can form, so parentheses may stay as written).
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")


def _md(text: str) -> str:
    """Text from an article as inert Markdown: HTML characters become entities (no tag, no
    autolink, no `javascript:` link can form) and Markdown punctuation is backslash-escaped.
    """
    text = printable(text).replace("\n", " ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def _spans(evidence: list[Evidence]) -> str:
    return ", ".join(f"`{e.doc_id}[{e.start}:{e.end}]`" for e in evidence)


def write_html(result: Comparison, articles: list[Article], path: Path, story: StoryInfo | None = None) -> None:
    """Write the self-contained HTML page to `path`."""
    write_page(html_page(result, articles, story), path)


def write_page(page: str, path: Path) -> None:
    """Write a report page, or say in one line why it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Cannot write --html {path}: {exc.strerror}", "choose a writable file") from None


def templates() -> Any:
    """The report templates, HTML-escaping every value (article text is data, never markup)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("slant.report", "templates"), autoescape=select_autoescape(["html"]))


def html_page(result: Comparison, articles: list[Article], story: StoryInfo | None = None) -> str:
    """The page: the story it reports (where given), one column per source (profile, voices,
    stance, highlighted text), then claims.
    """
    texts = {a.id: a.text for a in articles}
    columns = []
    for index, (source, profile) in enumerate(zip(result.sources, result.profiles, strict=True)):
        columns.append(
            {
                "source": source,
                "colour": _PALETTE[index % len(_PALETTE)],
                "profile": profile,
                "cells": [(row, row_origin(result, row), cell(result, profile, row)) for row in SIGNAL_ROWS],
                "stances": [s for s in result.stances if s.doc_id == profile.doc_id],
                "text": highlighted(texts[profile.doc_id], profile),
                "questions": [t for t in profile.terms if t.kind == "device" and len(t.term) > _MAX_HIGHLIGHT_CHARS],
            }
        )
    page: str = (
        templates()
        .get_template("compare.html")
        .render(
            result=result,
            columns=columns,
            chart=chart_svg(result),
            reasons=REASONS,
            story=story,
            sentence_label=sentence_label,
            stance_label=stance_label,
        )
    )
    return page


def highlighted(text: str, profile: Profile) -> str:
    """The article as HTML: sentences read as loaded underlined, quotations and framing terms
    marked, each with its reason.
    """
    quotes = quote_spans(text)
    speakers = _quote_speakers(profile, quotes)
    terms = _non_overlapping(
        [t for t in profile.terms if t.kind in REASONS and t.end - t.start <= _MAX_HIGHLIGHT_CHARS], quotes
    )
    # (position, order, tag): closes before opens, outer around inner (sentence, quotation, term)
    events: list[tuple[int, int, str]] = []
    for sentence in profile.loaded_sentences:
        if any(q.start < sentence.start < q.end or q.start < sentence.end < q.end for q in quotes):
            continue  # a sentence inside a quotation of several sentences is not the writer's wording
        reason = f"sentence read as loaded [reader, P {sentence.probability:.2f}]"
        events.append((sentence.start, 3, f'<span class="loaded-sentence" title="{escape(reason)}">'))
        events.append((sentence.end, 2, "</span>"))
    for quote in quotes:
        reason = f"quotation — {speakers.get(quote.start, 'speaker not identified')}"
        events.append((quote.start, 4, f'<q class="quote" data-reason="{escape(reason)}" title="{escape(reason)}">'))
        events.append((quote.end, 1, "</q>"))
    for term in terms:
        reason = term_reason(term)
        mark = f'<mark class="{term.kind}" data-reason="{escape(reason)}" title="{escape(reason)}">'
        events.append((term.start, 5, mark))
        events.append((term.end, 0, "</mark>"))
    events.sort(key=lambda e: (e[0], e[1]))
    html, position = [], 0
    for at, _, tag in events:
        html.append(escape(text[position:at]))
        html.append(tag)
        position = at
    html.append(escape(text[position:]))
    return "".join(html)


def _non_overlapping(terms: list[Term], quotes: list[Span]) -> list[Term]:
    """Longest first; none crossing a quotation boundary or another term."""
    kept: list[Term] = []
    for term in sorted(terms, key=lambda t: (t.start, -(t.end - t.start))):
        crosses = any(
            q.start < term.end and term.start < q.end and not (q.start <= term.start and term.end <= q.end)
            for q in quotes
        )
        if not crosses and not any(k.start < term.end and term.start < k.end for k in kept):
            kept.append(term)
    return kept


def _quote_speakers(profile: Profile, quotes: list[Span]) -> dict[int, str]:
    """Who each quotation is credited to, where slant found the speaker."""
    found: dict[int, str] = {}
    for voice in profile.voices:
        for evidence in voice.evidence:
            for quote in quotes:
                if evidence.start <= quote.start < evidence.end:
                    found.setdefault(quote.start, f"{voice.speaker} ({voice.camp})")
    return found


def chart_svg(result: Comparison) -> str:
    """A grouped bar chart (inline SVG) of the main signals per 1000 words, one colour per source."""
    width, height, left, top, bottom = 760, 300, 50, 20, 60
    group = (width - left - 10) / len(CHART)
    bar = min(28.0, (group - 16) / max(len(result.profiles), 1))
    values = [[per_1000(p, kind) for kind, _ in CHART] for p in result.profiles]
    peak = max([v for row in values for v in row] + [1.0])
    scale = (height - top - bottom) / peak
    parts = [
        f'<svg id="signal-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Main signals per 1000 words, per source">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#888"/>',
        f'<text x="4" y="{top + 4}" font-size="11" fill="#555">{peak:.0f}</text>',
        f'<text x="4" y="{height - bottom}" font-size="11" fill="#555">0</text>',
    ]
    for k, (_, name) in enumerate(CHART):
        x0 = left + k * group + 8
        for s, row in enumerate(values):
            h = row[k] * scale
            x = x0 + s * bar
            colour = _PALETTE[s % len(_PALETTE)]
            label = f"{result.sources[s]}: {row[k]} {name} per 1000 words"
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar - 2:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{escape(label)}</title></rect>'
            )
            parts.append(
                f'<text x="{x + bar / 2 - 1:.1f}" y="{height - bottom - h - 3:.1f}" font-size="10" '
                f'text-anchor="middle">{row[k]:g}</text>'
            )
        parts.append(
            f'<text x="{x0 + len(values) * bar / 2:.1f}" y="{height - bottom + 16}" font-size="12" '
            f'text-anchor="middle">{escape(name)}</text>'
        )
    for s, source in enumerate(result.sources):
        x = left + s * 160
        parts.append(
            f'<rect x="{x}" y="{height - 22}" width="12" height="12" fill="{_PALETTE[s % len(_PALETTE)]}"/>'
            f'<text x="{x + 16}" y="{height - 12}" font-size="12">{escape(source)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
