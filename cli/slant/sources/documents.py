"""Reading article files (txt, md, html, json, jsonl) into cleaned, identified Articles."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from slant.sources.metadata import MAX_METADATA_BYTES, load_metadata, short_repr
from slant.text.cleaning import clean_text, headline, printable, split_date_line
from slant.text.dates import iso_date

FORMATS = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")
SIDECAR = "metadata.yaml"  # per-folder metadata: {file name: {title, source, published, ...}}
MAX_FILE_BYTES = 10 * 1024 * 1024
_TOO_DEEP = "JSON nested too deeply to be an article; give one object per article with a 'text' field"
# Byte-order marks of the encodings other than UTF-8 that editors save text in.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_FIELDS = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article"),
    "source": ("source", "outlet", "publisher", "site"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "pubdate"),
    "author": ("author", "byline"),
    "lean": ("lean",),
}


class Article(BaseModel):
    """One article as stored: its cleaned text, the id derived from it, and its metadata."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="First 16 hex digits of the sha256 of the cleaned text.")
    text: str = Field(description="Cleaned text; every citation is a character span into it.")
    title: str | None = None
    source: str | None = Field(None, description="Outlet or source name, where known.")
    url: str | None = None
    published: str | None = Field(None, description="Publication date as the source gives it.")
    author: str | None = None
    lean: str | None = Field(None, description="The source's lean or group (--meta lean=left), for coverage.")
    origin: str = Field(description="Where it was read from: a file path, 'path#line', or '-'.")
    removed: list[str] = Field(default_factory=list, description="Boilerplate lines dropped.")

    @property
    def label(self) -> str:
        """A short human name: source and title where known, else the file name."""
        name = self.title or Path(self.origin.split("#")[0]).name or self.id
        return f"{self.source}: {name}" if self.source else name


class ReadFailure(BaseModel):
    """An input that could not be read, with a message that says what to do."""

    origin: str
    message: str


def document_id(text: str) -> str:
    """The id of a document: a hash of its cleaned text (same text, same id)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def make_article(raw_text: str, origin: str, meta: dict[str, Any]) -> Article:
    """Clean raw text, infer title and date where the metadata lacks them, and identify it."""
    date, body = split_date_line(raw_text)
    text, removed = clean_text(body)
    if not text.strip():
        raise ValueError("no article text after cleaning (empty file?)")
    fields = {key: _field_text(key, meta.get(key)) for key in ("title", "source", "url", "author", "lean")}
    published = meta.get("published")
    fields["published"] = _published(published) if published not in (None, "") else date
    fields["title"] = fields["title"] or headline(text)
    return Article(id=document_id(text), text=text, origin=origin, removed=removed, **fields)


def _field_text(name: str, value: Any) -> str | None:
    """A metadata field as one line of text; a list, a mapping or a number is refused by name."""
    if value is None:
        return None
    if not isinstance(value, str):
        kind = type(value).__name__
        raise ValueError(f"field {name!r} must be text, not {kind} {short_repr(value)}; fix the file's metadata")
    cleaned = " ".join(printable(value).split())
    return cleaned or None


def _published(value: Any) -> str:
    try:
        return iso_date(value)
    except ValueError as exc:
        raise ValueError(f"field 'published': {exc}") from None


def origin_of(path: Path) -> str:
    """The absolute path an article was read from (a symlink loop stays as given, to be reported)."""
    return os.path.realpath(path)


def iter_input_files(paths: list[Path]) -> Iterator[Path]:
    """Expand folders recursively into article files of known formats, in a stable order.

    Broken links are kept, so that reading them reports the problem instead of skipping them.
    """
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in _folder_files(path) if p.suffix.lower() in FORMATS)
        else:
            yield path


def unsupported_files(paths: list[Path]) -> list[Path]:
    """Files inside the given folders that are not in a readable format (reported as skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in _folder_files(path)
                if p.suffix.lower() not in FORMATS and p.name != SIDECAR and not p.name.startswith(".")
            )
    return found


def _folder_files(folder: Path) -> Iterator[Path]:
    return (p for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def read_articles(paths: list[Path], overrides: dict[str, str] | None = None) -> Iterator[Article | ReadFailure]:
    """Read every input; a bad file yields a ReadFailure and the rest go on."""
    overrides = overrides or {}
    sidecars: dict[Path, dict[str, Any] | ValueError] = {}
    for path in iter_input_files(paths):
        if str(path) == "-":
            yield from _read_stdin(overrides)
            continue
        try:
            meta = {**_sidecar_fields(path, sidecars), **overrides}
            if path.suffix.lower() == ".jsonl":
                yield from _read_jsonl(path, meta)
                continue
            raw = _read_text(path)
        except OSError as exc:
            link = " (a broken link)" if path.is_symlink() and not path.exists() else ""
            yield ReadFailure(origin=str(path), message=f"cannot read it{link}: {exc.strerror}; check the path")
            continue
        except ValueError as exc:
            yield ReadFailure(origin=str(path), message=str(exc))
            continue
        yield from _read_one(raw, origin_of(path), path.suffix.lower(), meta)


def _read_stdin(meta: dict[str, Any]) -> Iterator[Article | ReadFailure]:
    """One article from standard input, held to the size limit of a file."""
    text = sys.stdin.read(MAX_FILE_BYTES + 1)  # characters: at least as many bytes
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        yield ReadFailure(origin="-", message=_too_large(None))
        return
    yield from _read_one(text, "-", ".txt", meta)


def _read_jsonl(path: Path, meta: dict[str, Any]) -> Iterator[Article | ReadFailure]:
    """One article per line, read line by line (a JSONL file may hold any number of articles)."""
    origin = origin_of(path)
    found_any = False
    with path.open("rb") as handle:
        for number, data in enumerate(handle, start=1):
            if not data.strip():
                continue
            found_any = True
            where = f"{origin}#{number}"
            if len(data) > MAX_FILE_BYTES:
                yield ReadFailure(origin=where, message=f"line {number} is over {MAX_FILE_BYTES // 10**6} MB")
                continue
            try:
                line = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                yield ReadFailure(origin=where, message=f"line {number} is not valid UTF-8 (byte {exc.start})")
                continue
            yield _from_record_text(line, where, meta, f"line {number}")
    if not found_any:
        yield ReadFailure(origin=origin, message="empty file")


def _read_one(raw: str, origin: str, suffix: str, meta: dict[str, Any]) -> Iterator[Article | ReadFailure]:
    if suffix == ".json":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield ReadFailure(origin=origin, message=f"invalid JSON at line {exc.lineno}: {exc.msg}")
            return
        except RecursionError:
            yield ReadFailure(origin=origin, message=_TOO_DEEP)
            return
        records = data if isinstance(data, list) else [data]
        for number, record in enumerate(records, start=1):
            where = f"{origin}#{number}" if len(records) > 1 else origin
            yield _from_record(record, where, meta)
        return
    try:
        if suffix in (".html", ".htm"):
            from slant.sources.html import extract_article

            html_meta, text = extract_article(raw)
            if not _is_date(html_meta.get("published")):  # a page's own metadata may be anything
                html_meta.pop("published", None)
            yield make_article(text, origin, {**html_meta, **meta})
        elif suffix in (".md", ".markdown"):
            front, text = _front_matter(raw)
            yield make_article(text, origin, {**front, **meta})
        else:
            yield make_article(raw, origin, meta)
    except ValueError as exc:
        yield ReadFailure(origin=origin, message=str(exc))


def _is_date(value: Any) -> bool:
    try:
        iso_date(value)
    except ValueError:
        return False
    return True


def _from_record_text(line: str, origin: str, meta: dict[str, Any], where: str) -> Article | ReadFailure:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return ReadFailure(origin=origin, message=f"malformed JSON on {where}: {exc.msg}")
    except RecursionError:
        return ReadFailure(origin=origin, message=f"{where}: {_TOO_DEEP}")
    return _from_record(record, origin, meta)


def _from_record(record: Any, origin: str, meta: dict[str, Any]) -> Article | ReadFailure:
    if not isinstance(record, dict):
        return ReadFailure(origin=origin, message="expected a JSON object with a 'text' field")
    found = {key: next((record[n] for n in names if record.get(n)), None) for key, names in _FIELDS.items()}
    text = found.pop("text")
    if not isinstance(text, str) or not text.strip():
        return ReadFailure(origin=origin, message="no 'text' (or 'body'/'content') field with text")
    try:
        return make_article(text, origin, {**found, **meta})
    except ValueError as exc:
        return ReadFailure(origin=origin, message=str(exc))


def _read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValueError(_too_large(size))
    data = path.read_bytes()
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is not None:  # the codec reads the byte-order mark and drops it
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ValueError(f"not valid {encoding.upper()} (byte {exc.start}); re-save it as UTF-8") from None
        if not text.strip():
            raise ValueError("empty file")
        return text
    if not data.strip():
        raise ValueError("empty file")
    if b"\x00" in data[:8192]:
        raise ValueError("binary file, not text; convert it to .txt, .md, .html or .json")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-8 (byte {exc.start}); re-save it as UTF-8") from None


def _too_large(size: int | None) -> str:
    """`size` None: more than the limit, how much more unknown (standard input is not read further)."""
    found = f"{size / 1e6:.1f} MB, limit" if size is not None else "over the limit of"
    return (
        f"too large for one article ({found} {MAX_FILE_BYTES / 1e6:.0f} MB); "
        "split it into articles, e.g. one JSON object per line in a .jsonl file"
    )


def _front_matter(raw: str) -> tuple[dict[str, Any], str]:
    if not raw.startswith("---"):
        return {}, raw
    _, _, rest = raw.partition("\n")
    header, sep, body = rest.partition("\n---")
    if not sep:
        return {}, raw
    try:
        data = load_metadata(header) or {}
    except ValueError as exc:
        raise ValueError(f"front matter: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("front matter must be a mapping of fields")
    return data, body.partition("\n")[2]


def _sidecar_fields(path: Path, cache: dict[Path, dict[str, Any] | ValueError]) -> dict[str, Any]:
    """The fields the folder's metadata.yaml gives this file (ValueError if it cannot be used)."""
    folder = path.parent
    if folder not in cache:
        try:
            cache[folder] = _sidecar(folder / SIDECAR)
        except ValueError as exc:  # remembered: a bad metadata.yaml is read once per ingest
            cache[folder] = exc
    found = cache[folder]
    if isinstance(found, ValueError):
        raise found
    fields = found.get(path.name, {})
    if not isinstance(fields, dict):
        raise ValueError(f"{folder / SIDECAR}: the entry for {path.name!r} must be a mapping of fields")
    return fields


def _sidecar(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    with path.open("rb") as handle:  # no further than the limit: load_metadata refuses what is longer
        head = handle.read(MAX_METADATA_BYTES + 1)
    try:
        data = load_metadata(head.decode("utf-8")) or {}
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not valid UTF-8 (byte {exc.start}); re-save it as UTF-8") from None
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of file name to fields")
    return data
