"""`slant sources --html`: each outlet over time on one self-contained page (inline CSS and SVG,
nothing fetched): a chart of its loaded-language rate and its share of the stories, then its
voices by affiliation and its stance toward the main actors.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from slant.report.compare import templates, write_page

if TYPE_CHECKING:
    from slant.tasks.sources import SourcesReport

# (field, label, scale): what the chart draws per source, each on its own axis.
CHART = (
    ("loaded_sentences", "share of sentences read as loaded", 1.0),
    ("loaded_per_100", "loaded terms per 100 words", None),
    ("story_share", "share of stories covered", 1.0),
)
_COLOUR = {"loaded_sentences": "#922b21", "loaded_per_100": "#c0392b", "story_share": "#2471a3"}


def write_sources_html(report: SourcesReport, path: Path) -> None:
    """Write the sources page to `path`."""
    write_page(templates().get_template("sources.html").render(report=report, chart=chart_svg(report)), path)


def chart_svg(report: SourcesReport) -> str:
    """Horizontal bars, one row per source: loaded sentences and terms, and share of stories covered."""
    row, label_width, bar_width, gap = 22, 190, 260, 40
    width = label_width + len(CHART) * (bar_width + gap)
    height = 30 + row * len(report.sources)
    parts = [
        f'<svg id="sources-chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Loaded language and story coverage per source">'
    ]
    for column, (field, label, scale) in enumerate(CHART):
        x0 = label_width + column * (bar_width + gap)
        values = [float(getattr(s, field)) for s in report.sources]
        peak = scale or max([*values, 0.01])
        parts.append(f'<text x="{x0}" y="14" font-size="12" font-weight="600">{escape(label)}</text>')
        for number, (source, value) in enumerate(zip(report.sources, values, strict=True)):
            y = 24 + number * row
            length = bar_width * value / peak
            parts.append(
                f'<rect class="bar" data-field="{field}" x="{x0}" y="{y}" width="{length:.1f}" height="{row - 6}" '
                f'fill="{_COLOUR[field]}"><title>{escape(source.source)}: {value:g}</title></rect>'
                f'<text x="{x0 + length + 4:.1f}" y="{y + row - 10}" font-size="11">{value:g}</text>'
            )
    for number, source in enumerate(report.sources):
        y = 24 + number * row + row - 10
        name = source.source if len(source.source) <= 28 else source.source[:27] + "…"
        parts.append(f'<text x="4" y="{y}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
