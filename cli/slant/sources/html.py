"""Main article text and metadata from an HTML page (not its navigation, scripts or ads)."""

from __future__ import annotations

from typing import Any

_NOISE = "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, button"
_BLOCKS = "h1, h2, h3, h4, p, li, blockquote, pre"
_META = {
    "source": ('meta[property="og:site_name"]',),
    "published": ('meta[property="article:published_time"]', 'meta[name="date"]', "time[datetime]"),
    "author": ('meta[name="author"]',),
    "url": ('link[rel="canonical"]', 'meta[property="og:url"]'),
}


def extract_article(html: str) -> tuple[dict[str, Any], str]:
    """Return (metadata, text): paragraphs of the <article>/<main> element, one per line."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    meta: dict[str, Any] = {"title": _title(tree)}
    for field, selectors in _META.items():
        for selector in selectors:
            node = tree.css_first(selector)
            if node is not None:
                value = node.attributes.get("content") or node.attributes.get("datetime") or node.attributes.get("href")
                if value:
                    meta[field] = value
                    break
    for node in tree.css(_NOISE):
        node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        raise ValueError("no readable text in this HTML page")
    blocks = [node.text(separator=" ", strip=True) for node in root.css(_BLOCKS)]
    text = "\n\n".join(block for block in blocks if block)
    if not text:  # pages without paragraph markup
        text = root.text(separator="\n", strip=True)
    if not text.strip():
        raise ValueError("no readable text in this HTML page (only scripts or markup?)")
    return meta, text


def _title(tree: Any) -> str | None:
    for selector in ('meta[property="og:title"]', "h1", "title"):
        node = tree.css_first(selector)
        if node is None:
            continue
        value = node.attributes.get("content") if selector.startswith("meta") else node.text(strip=True)
        if value:
            return str(value)
    return None
