"""Turn raw article text into the cleaned text slant stores, and infer what metadata it shows."""

from __future__ import annotations

import re
import unicodedata

# Lines that are the site talking, not the article (social promotions, comment policies, ...).
_BOILERPLATE = re.compile(
    r"""^(
        (follow|join|subscribe\ to)\b.*\b(whatsapp|telegram|twitter|facebook|instagram|channel|newsletter)\b.*
      | .*\bcomments?\ posted\ here\b.*
      | .*\b(kindly\ )?refrain\ from\ using\b.*\bcomments?\b.*
      | (share\ this\ (article|story)|click\ here\b|sign\ up\ for\b|advertisement|read\ more:?).*
      | https?://\S+
      | (©|(\(c\)|copyright)\s*©?\s*\d{4}\b).{0,120}
      | .{0,80}\ball\ rights\ reserved\.?
      | (related|more)\ (stories|articles|coverage|on\ this\ story|from\ \w+):?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A byline on a line of its own: "By Jane Doe", "By JANE DOE and Sam Roe, Reuters" (names capitalised).
_BYLINE = re.compile(r"^(?:By|BY)\s+[A-Z][\w.'’-]*(?:[\s,]+(?:and\s+)?[A-Z][\w.'’-]*){0,7}\s*(?:\|.*)?$")
_DATE_LINE = re.compile(r"^\s*(?:date|published|posted)\s*:?\s*(\d{4}-\d{2}-\d{2})\b[ \t]*", re.I)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")  # zero-width characters, soft hyphen
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Terminal escape sequences (CSI "ESC [ ... final", OSC "ESC ] ... BEL or ESC \\", other ESC pairs),
# then any other C0/C1 control character except tab and newline, and Unicode bidi overrides
# (which can make a terminal line read differently from its bytes).
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` without terminal escape sequences and control characters (tabs and newlines stay).

    Everything slant shows a person passes through this: a title or a file name could otherwise
    clear the screen, retitle the window or write to the clipboard.
    """
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def clean_text(raw: str) -> tuple[str, list[str]]:
    """Normalise Unicode and whitespace and drop boilerplate lines.

    Returns the cleaned text and the lines that were removed (reported by `slant show`).
    Paragraphs are kept as single lines separated by one blank line.
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", raw))
    text = printable(text.replace("\r\n", "\n").replace("\r", "\n"))
    kept: list[str] = []
    removed: list[str] = []
    for raw_line in text.split("\n"):
        line = _SPACES.sub(" ", raw_line).strip()
        if line and (_BOILERPLATE.match(line) or _BYLINE.match(line)):
            removed.append(line)
            continue
        if line and kept and line == _last_nonblank(kept):  # a repeated title or line
            removed.append(line)
            continue
        if not line and (not kept or not kept[-1]):
            continue
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept), removed


def _last_nonblank(lines: list[str]) -> str:
    for line in reversed(lines):
        if line:
            return line
    return ""


def split_date_line(raw: str) -> tuple[str | None, str]:
    """Take a leading 'date 2025-12-01' marker off the text (seed 002 has one)."""
    match = _DATE_LINE.match(raw)
    if not match:
        return None, raw
    return match.group(1), raw[match.end() :]


def headline(text: str) -> str | None:
    """The first line, if it reads as a headline: short, no final period, mostly capitalised."""
    first, _, rest = text.partition("\n")
    words = first.split()
    if not rest.strip() or not 3 <= len(words) <= 25 or first.rstrip()[-1:] in ".:;,":
        return None
    capitalised = sum(1 for word in words if word[:1].isupper() or not word[:1].isalpha())
    return first if capitalised / len(words) >= 0.6 else None
