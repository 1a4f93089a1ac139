"""Fill in `start`/`end` of every one-line span `{text: ...}` in an annotations file.

Usage: python evals/tools/fill_spans.py evals/annotations/seeds.yaml

Spans are offsets into the cleaned text slant stores (slant.sources.documents.read_articles), found as
the first occurrence of `text` in the article named by the nearest `key:` (or, for omission
evidence, `reported_by:`) above the line. Comments and layout are kept. A text that does not
occur, or occurs more than once, is reported; make it longer to disambiguate.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from slant.sources.documents import read_articles

_SPAN_LINE = re.compile(r"^(\s*(?:- )?(?:evidence: )?)(\{text: .*\})\s*$")
_CONTEXT = re.compile(r"^\s*(?:- )?(key|reported_by): (\S+)\s*$")


def main(path: Path) -> int:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = {}
    for article in data["articles"]:
        found = list(read_articles([(path.parent / article["path"]).resolve()]))
        texts[article["key"]] = found[0].text
    lines = path.read_text(encoding="utf-8").splitlines()
    current, problems = None, 0
    for number, line in enumerate(lines):
        context = _CONTEXT.match(line)
        if context:
            current = context.group(2)
        match = _SPAN_LINE.match(line)
        if not match or current not in texts:
            continue
        fields = yaml.safe_load(match.group(2))
        text = texts[current]
        start = text.find(fields["text"])
        if start < 0 or text.count(fields["text"]) > 1:
            problems += 1
            why = "does not occur" if start < 0 else "occurs more than once"
            print(f"{path}:{number + 1}: {fields['text'][:50]!r} {why} in {current}")
            if start < 0:
                continue
        ordered = {"text": fields.pop("text"), "start": start}
        ordered["end"] = start + len(ordered["text"])
        fields.pop("start", None)
        fields.pop("end", None)
        ordered.update(fields)
        body = ", ".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in ordered.items())
        lines[number] = f"{match.group(1)}{{{body}}}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
