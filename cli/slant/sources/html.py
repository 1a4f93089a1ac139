"""Main article text and metadata from a news page: the story, not the site around it.

Metadata comes from the page's structured data (schema.org NewsArticle in JSON-LD), then its
meta tags (Open Graph, article:*, Dublin Core), then its markup (<h1>, <time>). The text is the
paragraphs of the <article> or <main> element once the site's own parts are gone: navigation,
scripts, bylines, share and newsletter boxes, "Related stories", comments, copyright lines.
"""

from __future__ import annotations

import json
import re
from typing import Any

_NOISE = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button, figure figcaption"
# Parts of an article element that the site adds around the story (matched in class or id names).
_SITE_PART = re.compile(
    r"(?:^|[-_\s])(?:related|recommended|newsletter|share|sharing|social|promo|comments?|byline|copyright|"
    r"more-stories|read-more|subscribe|advert|advertisement|ad)(?:$|[-_\s])",
    re.IGNORECASE,
)
_BLOCKS = "h1, h2, h3, h4, p, li, blockquote, pre"
# Text a reader of the page never sees (and which may carry instructions meant for a model).
_HIDDEN = '[hidden], [aria-hidden="true" i], [style]'
_HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:!important\s*)?(?:;|$)", re.IGNORECASE
)
_META = {
    "title": ('meta[property="og:title"]', 'meta[name="twitter:title"]'),
    "source": ('meta[property="og:site_name"]', 'meta[name="application-name"]'),
    "published": (
        'meta[property="article:published_time"]',
        'meta[name="article:published_time"]',
        'meta[itemprop="datePublished"]',
        'meta[name="dc.date"]',
        'meta[name="DC.date.issued"]',
        'meta[name="pubdate"]',
        'meta[name="date"]',
        "time[datetime]",
    ),
    "author": ('meta[name="author"]', 'meta[property="article:author"]', '[rel="author"]', '[itemprop="author"]'),
    "url": ('link[rel="canonical"]', 'meta[property="og:url"]'),
}
_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle"}


def extract_article(html: str) -> tuple[dict[str, Any], str]:
    """Return (metadata, text): the story's paragraphs, one per line, and what the page says of it."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    meta = _structured_data(tree)
    for field, selectors in _META.items():
        if not meta.get(field):
            meta[field] = next(filter(None, (_value(tree.css_first(s)) for s in selectors)), None)
    meta["title"] = meta.get("title") or _value(tree.css_first("h1")) or _value(tree.css_first("title"))
    for node in tree.css(_NOISE):
        node.decompose()
    _drop_hidden(tree)
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        raise ValueError("no readable text in this HTML page")
    for node in root.css("[class], [id]"):
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _SITE_PART.search(names):
            node.decompose()
    blocks = [node.text(separator=" ", strip=True) for node in root.css(_BLOCKS)]
    text = "\n\n".join(block for block in blocks if block)
    if not text:  # pages without paragraph markup
        text = root.text(separator="\n", strip=True)
    if not text.strip():
        raise ValueError("no readable text in this HTML page (only scripts or markup?)")
    return {key: value for key, value in meta.items() if value}, text


def _drop_hidden(tree: Any) -> None:
    """Remove what the page hides from its readers: the hidden attribute, aria-hidden="true", and
    inline display:none or visibility:hidden.
    """
    for node in tree.css(_HIDDEN):
        if _is_hidden(node.attributes):
            node.decompose()


def _is_hidden(attributes: dict[str, str | None]) -> bool:
    if "hidden" in attributes or (attributes.get("aria-hidden") or "").strip().lower() == "true":
        return True
    return bool(_HIDDEN_STYLE.search(attributes.get("style") or ""))


def _value(node: Any) -> str | None:
    """What a metadata node says: its content, datetime or href attribute, else its text."""
    if node is None:
        return None
    attributes = node.attributes
    if node.tag == "a":  # a byline link: its text is the name, its href a page about them
        return " ".join(node.text(strip=True).split()) or None
    value = attributes.get("content") or attributes.get("datetime") or attributes.get("href") or node.text(strip=True)
    return " ".join(str(value).split()) or None


def _structured_data(tree: Any) -> dict[str, Any]:
    """Title, date, author and publisher of the page's schema.org article, if it declares one."""
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text() or "null")
        except (ValueError, RecursionError):
            continue
        for item in _items(data):
            kinds = item.get("@type")
            if not set(kinds if isinstance(kinds, list) else [kinds]) & _ARTICLE_TYPES:
                continue
            return {
                "title": _name(item.get("headline")),
                "published": _name(item.get("datePublished")),
                "author": _name(item.get("author")),
                "source": _name(item.get("publisher")),
                "url": _name(item.get("url")),
            }
    return {}


def _items(data: Any) -> list[dict[str, Any]]:
    """The objects of a JSON-LD block: one object, a list of them, or an @graph."""
    found = data if isinstance(data, list) else [data]
    objects = [item for item in found if isinstance(item, dict)]
    return [inner for item in objects for inner in ([item, *_items(item["@graph"])] if "@graph" in item else [item])]


def _name(value: Any) -> str | None:
    """Text from a JSON-LD value: a string, an object's name, or the names in a list."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [name for name in map(_name, value) if name]
        return ", ".join(names) or None
    return None
