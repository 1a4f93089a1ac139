"""Rendering results for people (rich tables on stdout) or programs (--json)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slant.cli.console import data, data_markup, err, out, print_json

if TYPE_CHECKING:
    from rich.table import Table

    from slant.config.settings import Settings
    from slant.config.tuned import TunedNumber
    from slant.index.ingest import IngestReport
    from slant.index.retrieval import Passage
    from slant.index.store import StoredDocument
    from slant.llm.files import ModelFile
    from slant.tasks.doctor import Check


def _table(*headers: str, **options: Any) -> Table:
    from rich.table import Table  # here, not at the top: `slant --help` does not need it

    return Table(*headers, **options)


def message(text: str) -> None:
    """A status line for people, on stderr."""
    err.print(text, soft_wrap=True)


def plain(text: str) -> None:
    """Text for programs or pipes (Markdown, say), on stdout exactly as given."""
    out.print(text, soft_wrap=True, markup=False, highlight=False)


def ingest_report(report: IngestReport) -> None:
    """Per-file problems, then one summary line."""
    for failure in report.failed:
        err.print(f"[red]failed[/]  {data_markup(failure.origin)}: {data_markup(failure.message)}", soft_wrap=True)
    for duplicate in report.near_duplicates:
        action = "skipped" if duplicate.skipped else "kept"
        err.print(
            f"[yellow]near-duplicate[/] {data_markup(duplicate.origin)} ({duplicate.doc_id}) repeats "
            f"{duplicate.duplicate_of} ({duplicate.similarity:.0%} shared word 5-grams): {action}",
            soft_wrap=True,
        )
    from slant.sources.documents import FORMATS

    for path in report.unsupported:
        reason = f"not a format slant reads ({', '.join(FORMATS)})"
        err.print(f"[yellow]skipped[/] {data_markup(path)}: {reason}", soft_wrap=True)
    if report.undated:
        more = len(report.undated) - 3
        shown = ", ".join(report.undated[:3]) + (f" and {more} more" if more > 0 else "")
        err.print(
            f"[yellow]undated[/] {len(report.undated)} article(s) with no readable date ({data_markup(shown)}): "
            "--since/--until leave them out and stories place them by text alone; "
            "give the date with --meta published=YYYY-MM-DD or a 'published' field",
            soft_wrap=True,
        )
    skipped = sum(1 for d in report.near_duplicates if d.skipped) + len(report.unsupported)
    out.print(
        f"added {len(report.added)}, updated {len(report.updated)}, "
        f"unchanged {len(report.unchanged)}{f' ({report.unread} files not re-read)' if report.unread else ''}, "
        f"skipped {skipped}, failed {len(report.failed)} "
        f"({report.chunks_embedded} chunks embedded in {report.seconds:.1f} s)"
    )


def documents(stored: list[StoredDocument], json_out: bool) -> None:
    """The document list."""
    if json_out:
        print_json([_document_row(d) for d in stored])
        return
    table = _table("id", "title", "source", "date", "chunks")
    for document in stored:
        row = _document_row(document)
        table.add_row(*map(data, (row["id"], row["title"], row["source"], row["published"], row["chunks"])))
    out.print(table)


def _document_row(document: StoredDocument) -> dict[str, Any]:
    article = document.article
    return {
        "id": article.id,
        "title": article.title or f"({article.text[:50]}…)",
        "source": article.source or "",
        "published": article.published or "",
        "chunks": document.chunks,
        "origin": article.origin,
    }


def document(stored: StoredDocument, json_out: bool) -> None:
    """One document in full."""
    article = stored.article
    if json_out:
        print_json({**article.model_dump(), "chunks": stored.chunks, "ingested_at": stored.ingested_at})
        return
    for name in ("id", "title", "source", "published", "author", "url", "origin"):
        value = getattr(article, name)
        if value:
            out.print(f"[bold]{name}:[/] {data_markup(value)}", soft_wrap=True)
    out.print(f"[bold]chunks:[/] {stored.chunks}   [bold]ingested:[/] {stored.ingested_at}")
    for line in article.removed:
        out.print(f"[dim]removed: {data_markup(line)}[/]", soft_wrap=True)
    out.print()
    out.print(article.text, soft_wrap=True, markup=False)


def removed(ids: list[str]) -> None:
    """What rm removed."""
    out.print(f"removed {len(ids)} document(s)" + (": " + ", ".join(ids) if ids else ""))


def stats_table(summary: dict[str, Any]) -> None:
    """The stats as a two-column table."""
    table = _table("statistic", "value")
    for key, value in summary.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        table.add_row(key, data(value))
    out.print(table)


def passages(found: list[Passage], json_out: bool) -> None:
    """Search results with their spans and scores."""
    if json_out:
        print_json([p.model_dump() for p in found])
        return
    if not found:
        out.print("No passages found.")
    for rank, passage in enumerate(found, start=1):
        scores = f"score {passage.score:.4f}"
        if passage.dense is not None:
            scores += f", dense {passage.dense:.3f}"
        if passage.keyword is not None:
            scores += f", bm25 {passage.keyword:.2f}"
        out.print(
            f"[bold]\\[{rank}][/] {data_markup(passage.source or '')} {passage.doc_id} "
            f"\\[{passage.start}:{passage.end}] ({scores})",
            soft_wrap=True,
        )
        out.print("    " + passage.text.replace("\n", " "), soft_wrap=True, markup=False)


def model_files(files: list[ModelFile], defaults: list[bool], builtin: str | None, json_out: bool) -> None:
    """The resolved model files, each marked when it is slant's default for its role."""
    from slant.llm.files import LLM_NAMES

    rows: list[dict[str, Any]] = [
        {
            "role": f.role,
            "path": str(f.path),
            "size": f.size,
            "sha256": f.sha256,
            "origin": f.origin,
            "default": default,
        }
        for f, default in zip(files, defaults, strict=True)
    ]
    if json_out:
        print_json(rows)
        return
    table = _table("role", "path", "size", "sha256", "origin")
    for row in rows:
        size = f"{row['size'] / 1e6:.1f} MB"
        role = f"{row['role']} (default)" if row["default"] else row["role"]
        table.add_row(*map(data, (role, row["path"], size, row["sha256"], row["origin"])))
    out.print(table)
    writer, fast = LLM_NAMES["writer"], LLM_NAMES["fast"]
    using = {"writer": "the writer, slant's default", "fast": f"the fast model (--llm fast); the default is {writer}"}
    chosen = using.get(builtin or "", f"not a built-in one; the default is {writer}")
    out.print(
        f"Language model: {chosen}. Choose with --llm writer ({writer}) or --llm fast ({fast}), "
        "or SLANT_LLM; --model PATH runs any GGUF instead.",
        soft_wrap=True,
        markup=False,
        highlight=False,
    )


def config(settings: Settings, sources: dict[str, str], json_out: bool) -> None:
    """Effective settings with their source."""
    values = settings.model_dump(mode="json")
    if json_out:
        print_json({name: {"value": values[name], "source": sources[name]} for name in values})
        return
    table = _table("setting", "value", "source", "env")
    for name, value in values.items():
        table.add_row(name, data(value), sources[name], f"SLANT_{name.upper()}")
    out.print(table)


def tuned_numbers(numbers: list[TunedNumber], json_out: bool) -> None:
    """The numbers the components are set with, each with the file it lives in."""
    if json_out:
        print_json([n.model_dump() for n in numbers])
        return
    table = _table("home", "number", "value")
    for number in numbers:
        table.add_row(number.home, number.name, data(number.value))
    out.print(table)


def checks(results: list[Check], json_out: bool) -> None:
    """Doctor's findings."""
    if json_out:
        print_json([c.model_dump() for c in results])
        return
    for check in results:
        mark = "[green]ok[/]  " if check.ok else "[red]FAIL[/]"
        out.print(f"{mark} {check.name}: {data_markup(check.detail)}", soft_wrap=True)
        if check.fix:
            out.print(f"     fix: {data_markup(check.fix)}", soft_wrap=True)


def answer(result: Any) -> None:
    """An answer with its citations, or the abstention and the closest passages."""
    from slant.tasks.ask import ABSTENTION

    if not result.answered:
        out.print(ABSTENTION)
        out.print("Closest passages:")
        for passage in result.closest:
            out.print(
                f"  - {passage.source or ''} {passage.doc_id}[{passage.start}:{passage.end}]: "
                f"{passage.text[:160].replace(chr(10), ' ')}…",
                soft_wrap=True,
                markup=False,
            )
    if result.short:
        out.print(f"Answer: {result.short}", soft_wrap=True, markup=False)
    for sentence in result.sentences:
        marker = "" if sentence.origin == "generated" else " (quoted from the source)"
        out.print(sentence.text + marker, soft_wrap=True, markup=False)
        for citation in sentence.citations:
            where = " · ".join(part for part in (citation.source, citation.title) if part)
            out.print(
                f"    ↳ {where} {citation.doc_id}[{citation.start}:{citation.end}] “{citation.quote}”",
                soft_wrap=True,
                markup=False,
            )
    if result.see_also:
        out.print(f"For how these sources frame it side by side: {result.see_also}", soft_wrap=True, markup=False)


def summaries(results: list[Any]) -> None:
    """Summaries for people: sentences, evidence spans, scores."""
    from slant.tasks.batch import markdown

    out.print(markdown(results), soft_wrap=True, markup=False)


def stories(found: list[Any]) -> None:
    """One row per story: id, title, dates, sources (by group, with the blindspot), article count."""
    table = _table("story", "title", "dates", "sources", "articles", title="Stories")
    for story in found:
        dates = story.first if story.first == story.last else f"{story.first} – {story.last}"
        sources = ", ".join(story.sources)
        if story.coverage:
            sources = "; ".join(f"{group}: {', '.join(names)}" for group, names in sorted(story.coverage.items()))
        if story.blindspot:
            sources += f" (only {story.blindspot})"
        name = f"{story.id} (edited)" if story.edited else story.id
        table.add_row(name, data(story.title), dates or "", data(sources), str(len(story.articles)))
    out.print(table)


def sources(report: Any) -> None:
    """One row per source: lean, articles, stories covered, loaded sentences and terms, voices, stances."""
    columns = ("source", "lean", "articles", "stories", "loaded sentences", "loaded/100", "voices", "stances")
    table = _table(*columns, title="Sources")
    for s in report.sources:
        voices = ", ".join(f"{camp} {count}" for camp, count in s.voices.items())
        stances = "; ".join(f"{t.actor} +{t.favourable} ={t.neutral} -{t.critical}" for t in s.stances if t.named)
        share = f"{s.stories} ({100 * s.story_share:.0f}%)"
        loaded = f"{100 * s.loaded_sentences:.0f}%"
        cells = (data(s.source), data(s.lean or ""), str(s.articles), share, loaded, f"{s.loaded_per_100:g}")
        table.add_row(*cells, data(voices), data(stances))
    out.print(table)
    if report.actors:
        out.print(f"Main actors: {', '.join(report.actors)} (stances: +favourable =neutral -critical)", markup=False)


def comparison(result: Any) -> None:
    """Profiles side by side, stances, the narrative, then shared claims and omissions."""
    from slant.report.compare import SIGNAL_ROWS, cell, row_origin, stance_cell, stance_origin_cell
    from slant.tasks.origins import sentence_label

    out.print(f"Made by: {result.contributors.summary()}.", soft_wrap=True, markup=False)
    table = _table("signal", "origin", *map(data_markup, result.sources), title="Framing profile")
    for name in SIGNAL_ROWS:
        table.add_row(name, row_origin(result, name), *[data(cell(result, p, name)) for p in result.profiles])
    for actor in sorted({s.actor for s in result.stances}):
        cells = [data(stance_cell(result, p, actor)) for p in result.profiles]
        table.add_row(data(f"stance: {actor}"), stance_origin_cell(result, actor), *cells)
    out.print(table)
    out.print("\n[bold]Differences:[/]")
    for sentence in result.narrative.sentences:
        spans = ", ".join(f"{e.doc_id}[{e.start}:{e.end}]" for e in sentence.evidence[:4])
        out.print(f"  - {sentence.text} ({sentence_label(sentence)}) ↳ {spans}", soft_wrap=True, markup=False)
    out.print(f"\n[bold]Reported by all ({len(result.shared)}; source sentences):[/]")
    for claim in result.shared[:5]:
        out.print(f"  - {claim.text}  [{', '.join(claim.reported_by)}]", soft_wrap=True, markup=False)
    if result.partial:
        out.print(f"\n[bold]Reported by some ({len(result.partial)}; source sentences):[/]")
        for claim in result.partial[:5]:
            out.print(f"  - {claim.text}  [{', '.join(claim.reported_by)}]", soft_wrap=True, markup=False)
    out.print("\n[bold]Omissions (source sentences reported elsewhere, absent here):[/]")
    for omission in result.omissions:
        claim = omission.claim
        spans = ", ".join(f"{e.doc_id}[{e.start}:{e.end}]" for e in claim.evidence)
        out.print(
            f"  - {omission.missing_from} omits: {claim.text} ({', '.join(claim.reported_by)}: {spans})",
            soft_wrap=True,
            markup=False,
        )
