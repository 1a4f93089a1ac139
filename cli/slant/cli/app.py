"""The `slant` command line: parse options, build settings, call the core, render.

No `from __future__ import annotations` here: typer reads every command's annotations to build
the command line, and evaluating them from strings (compiling each) was a third of `slant --help`.
Names imported only for type checking are quoted.
"""

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from slant import __version__
from slant.cli import render
from slant.cli.console import BarProgress, draft_stream, errors_to_exit, print_json
from slant.cli.eval_commands import eval_app
from slant.cli.help import PLAIN_HELP, HelpGroup
from slant.config.errors import ExitCode, InputError

if TYPE_CHECKING:
    from slant.api import Index
    from slant.config.settings import Settings

app = typer.Typer(
    name="slant",
    help="Compare how news sources cover the same events. Every finding cites its evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=HelpGroup,
    **PLAIN_HELP,
)
app.add_typer(eval_app, name="eval")
_flags: dict[str, Any] = {}

JsonOption = Annotated[bool, typer.Option("--json", help="Print results as JSON.")]
WaitOption = Annotated[float, typer.Option("--wait", help="Seconds to wait for another writer.")]


def _settings(**flags: Any) -> "Settings":
    from slant.config.settings import Settings

    with errors_to_exit():
        return Settings.load(**_flags, **flags)


COMPARE_ALL_LIMIT = 50  # compare with no ids refuses past this many articles: compare per story


def _index(**flags: Any) -> "Index":
    """The index and models the global options and these flags name (the library's `Index`)."""
    from slant.api import Index

    return Index.from_settings(_settings(**flags))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"slant {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    index: Annotated[Path | None, typer.Option(help="Index folder (env SLANT_INDEX).")] = None,
    chroma_url: Annotated[str | None, typer.Option(help="Chroma server URL instead of the local index.")] = None,
    llm_url: Annotated[
        list[str] | None, typer.Option(help="OpenAI-compatible model server http://host:port/v1 (repeatable).")
    ] = None,
    llm: Annotated[
        Literal["writer", "fast"] | None,
        typer.Option(help="Built-in model: writer (Qwen2.5-Coder-1.5B, the default) or fast (Gemma 3 270M)."),
    ] = None,
    model: Annotated[Path | None, typer.Option(help="GGUF model file; overrides --llm (env SLANT_MODEL).")] = None,
    backend: Annotated[
        str | None, typer.Option(help="Model backend: llama, openai, langchain, or a plugin's (env SLANT_BACKEND).")
    ] = None,
    langchain_model: Annotated[
        str | None, typer.Option(help="module:attribute of a LangChain model, for --backend langchain.")
    ] = None,
    embedder: Annotated[Path | None, typer.Option(help="Folder with model.onnx + tokenizer.json.")] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Global options come before the command: `slant --index DIR search ...`."""
    _flags.clear()
    urls = ",".join(llm_url) if llm_url else None
    _flags.update(
        index=index,
        chroma_url=chroma_url,
        llm_url=urls,
        llm=llm,
        model=model,
        embedder=embedder,
        backend=backend,
        langchain_model=langchain_model,
    )
    if debug:
        os.environ["SLANT_DEBUG"] = "1"


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files, folders (recursive), or - for stdin.")],
    source: Annotated[str | None, typer.Option(help="Set the source (outlet) of every article.")] = None,
    meta: Annotated[list[str] | None, typer.Option(help="Set a field on every article: key=value.")] = None,
    dedupe: Annotated[bool, typer.Option(help="Skip near-duplicates of stored articles.")] = False,
    wait: WaitOption = 30.0,
    json_out: JsonOption = False,
) -> None:
    """Add articles (.txt .md .html .json .jsonl) to the index; unchanged ones cost nothing."""
    index = _index()
    with errors_to_exit():
        metadata = _parse_meta([*(meta or []), *([f"source={source}"] if source is not None else [])])
        with BarProgress() as progress:
            report = index.ingest(paths, metadata=metadata, dedupe=dedupe, progress=progress, wait=wait)
    print_json(report) if json_out else render.ingest_report(report)
    if not report.ok:
        raise typer.Exit(int(ExitCode.FAILED))


def _parse_meta(pairs: list[str]) -> dict[str, str]:
    allowed = {"title", "source", "url", "published", "author", "lean"}
    result = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in allowed:
            raise InputError(f"--meta {pair!r}", f"use key=value with key one of {sorted(allowed)}")
        result[key] = value
    for key, value in result.items():
        if not value.strip():
            flag = "--source" if key == "source" else f"--meta {key}="
            raise InputError(f"{flag} is empty", f"give a value for {key}, or leave the option out")
    if "published" in result:
        from slant.text.dates import iso_date

        try:
            result["published"] = iso_date(result["published"])
        except ValueError as exc:
            raise InputError(f"--meta published: {exc}", "for example --meta published=2024-03-05") from None
    return result


@app.command("ls")
def list_documents(json_out: JsonOption = False) -> None:
    """List the indexed documents: id, title, source, date, chunks."""
    index = _index()
    with errors_to_exit():
        documents = index.documents()
    render.documents(documents, json_out)


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="Document id (or a unique prefix).")],
    json_out: JsonOption = False,
) -> None:
    """Show one document: metadata, cleaned text, and the boilerplate that was removed."""
    index = _index()
    with errors_to_exit():
        found = index.document(doc_id)
        if found is None:
            raise InputError(f"No document {doc_id!r} in the index", "see `slant ls` for ids")
    render.document(found, json_out)


@app.command("rm")
def remove(
    doc_ids: Annotated[list[str] | None, typer.Argument(help="Document ids to remove.")] = None,
    source: Annotated[str | None, typer.Option(help="Remove every document of this source.")] = None,
    wait: WaitOption = 30.0,
    json_out: JsonOption = False,
) -> None:
    """Remove documents from the index (by id, or all of a source)."""
    index = _index()
    with errors_to_exit():
        if not doc_ids and not source:
            raise InputError("Nothing to remove", "give document ids or --source NAME")
        removed = index.remove(doc_ids or [], source=source, wait=wait)
    print_json({"removed": removed}) if json_out else render.removed(removed)


@app.command()
def stats(json_out: JsonOption = False) -> None:
    """Counts of documents, chunks and sources, and what the index was built with."""
    index = _index()
    with errors_to_exit():
        summary = index.stats()
    print_json(summary) if json_out else render.stats_table(summary)


@app.command()
def reindex(wait: WaitOption = 30.0) -> None:
    """Re-chunk and re-embed every document (after changing the embedder or chunk size)."""
    index = _index()
    with errors_to_exit(), BarProgress() as progress:
        count = index.reindex(progress, wait)
    render.message(f"Reindexed {count} documents.")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int | None, typer.Option("-k", help="Number of passages.")] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only these sources.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Top passages for QUERY with scores and spans (no language model)."""
    index = _index(k=k)
    with errors_to_exit():
        passages = index.search(query, sources=source or [], since=since, until=until)
    render.passages(passages, json_out)


@app.command()
def models(json_out: JsonOption = False) -> None:
    """Show each model file slant uses: role, path, size, sha256, origin, and which is the default."""
    from slant.llm.files import resolve_embedder
    from slant.llm.loaded import builtin_llm, model_file

    settings = _settings()
    with errors_to_exit():
        files = resolve_embedder(settings)
        resolved = [model_file(settings), files.onnx, files.tokenizer]  # the backend's model (default: the GGUF)
    defaults = [builtin_llm(settings) == "writer", settings.embedder is None, settings.embedder is None]
    render.model_files(resolved, defaults, builtin_llm(settings), json_out)


@app.command()
def config(
    numbers: Annotated[
        bool, typer.Option("--numbers", help="Show instead every number the components are set with, and its home.")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """Show every setting's effective value and where it came from."""
    from slant.config.settings import setting_sources

    if numbers:
        from slant.config.tuned import tuned_numbers

        render.tuned_numbers(tuned_numbers(), json_out)
        return
    settings = _settings()
    render.config(settings, setting_sources(_flags), json_out)


@app.command()
def doctor(
    repair: Annotated[
        bool, typer.Option(help="First mend what interrupted writes left (documents out of their stories).")
    ] = False,
    wait: WaitOption = 30.0,
    json_out: JsonOption = False,
) -> None:
    """Check models, index, SQLite and disk, and say what to fix."""
    from slant.tasks.doctor import run_checks

    settings = _settings()
    if repair:
        from slant.index.maintenance import repair as repair_index

        with errors_to_exit():
            placed, taken_out = repair_index(settings, wait)
        render.message(f"repaired: {placed} documents put in a story, {taken_out} removed documents taken out")
    checks = run_checks(settings)
    render.checks(checks, json_out)
    if not all(check.ok for check in checks):
        raise typer.Exit(int(ExitCode.FAILED))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    k: Annotated[int | None, typer.Option("-k", help="Passages to retrieve.")] = None,
    source: Annotated[list[str] | None, typer.Option(help="Only these sources.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    doc: Annotated[list[str] | None, typer.Option(help="Only these document ids.")] = None,
    story: Annotated[str | None, typer.Option(help="Only the articles of this story (`slant stories`).")] = None,
    json_out: JsonOption = False,
) -> None:
    """Answer QUESTION from the indexed articles, with verified citations (or abstain)."""
    index = _index(k=k)
    with errors_to_exit(), draft_stream(enabled=not json_out) as on_text:
        answer = index.ask(
            question, sources=source or [], since=since, until=until, doc_ids=doc or [], on_text=on_text, story=story
        )
    print_json(answer) if json_out else render.answer(answer)


@app.command()
def summarize(
    doc_ids: Annotated[list[str] | None, typer.Argument(help="Document ids.")] = None,
    all_documents: Annotated[bool, typer.Option("--all", help="Every indexed document.")] = False,
    source: Annotated[list[str] | None, typer.Option(help="Every document of these sources.")] = None,
    combined: Annotated[bool, typer.Option(help="One summary of the story across them.")] = False,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to FILE: .jsonl (resumable) or .md.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Summarise N articles at once (processes, or threads over --llm-url servers).")
    ] = 1,
    words: Annotated[int | None, typer.Option(min=10, help="Most words in a --combined summary [default: 75].")] = None,
    sentences: Annotated[int | None, typer.Option(min=1, help="Most sentences per article [default: 3].")] = None,
    story: Annotated[str | None, typer.Option(help="The articles of this story (`slant stories`), combined.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Neutral summaries: one per article, or --combined across articles."""
    lengths = {"summary_words": words, "summary_sentences": sentences}
    index = _index(**{name: value for name, value in lengths.items() if value is not None})
    with errors_to_exit(), BarProgress() as progress:
        result = index.summarize_to(
            out_file,
            doc_ids or [],
            sources=source or [],
            everything=all_documents,
            combined=combined or story is not None,
            progress=progress,
            workers=workers,
            story=story,
        )
    if out_file is not None:
        render.message(result.status)
    elif json_out:
        print_json([s.model_dump(mode="json") for s in result.summaries])
    else:
        render.summaries(result.summaries)
    if result.failed:
        raise typer.Exit(int(ExitCode.FAILED))


stories_app = typer.Typer(
    help="Stories: the events ingest grouped the articles into.", no_args_is_help=False, cls=HelpGroup, **PLAIN_HELP
)
app.add_typer(stories_app, name="stories")


@stories_app.callback(invoke_without_command=True)
def stories(
    ctx: typer.Context,
    source: Annotated[list[str] | None, typer.Option(help="Only stories these sources covered.")] = None,
    since: Annotated[str | None, typer.Option(help="Only stories with an article on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Only stories with an article on or before YYYY-MM-DD.")] = None,
    blindspots: Annotated[
        bool, typer.Option(help="Only stories one group of sources covered (--meta lean=, or [source_groups]).")
    ] = False,
    json_out: JsonOption = False,
) -> None:
    """List the stories: title, dates, sources, coverage, articles. `merge`, `split` and `move` edit them."""
    if ctx.invoked_subcommand is not None:
        return
    with errors_to_exit():
        start, end = (_day_option(name, value) for name, value in (("--since", since), ("--until", until)))
        found = _index().stories()
    if source:
        found = [s for s in found if set(source) & set(s.sources)]
    if start:
        found = [s for s in found if s.last is not None and s.last >= start]
    if end:
        found = [s for s in found if s.first is not None and s.first <= end]
    if blindspots:
        found = [s for s in found if s.blindspot is not None]
    if json_out:
        print_json([s.model_dump(mode="json") for s in found])
    else:
        render.stories(found)


def _day_option(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    from slant.text.dates import iso_date

    try:
        return iso_date(value)[:10]
    except ValueError as exc:
        raise InputError(f"{name}: {exc}", f"for example {name} 2024-03-05") from None


@stories_app.command("merge")
def merge_stories(
    story: Annotated[str, typer.Argument(help="The story to keep (id or prefix).")],
    others: Annotated[list[str], typer.Argument(help="Stories whose articles move into it.")],
    wait: WaitOption = 30.0,
) -> None:
    """Merge stories that report one event (kept across re-ingests and reindex)."""
    with errors_to_exit():
        kept = _index().merge_stories(story, others, wait=wait)
    render.message(f"merged into story {kept}")


@stories_app.command("split")
def split_story(
    story: Annotated[str, typer.Argument(help="The story (id or prefix).")],
    doc_ids: Annotated[list[str], typer.Argument(help="Its articles that report another event.")],
    wait: WaitOption = 30.0,
) -> None:
    """Move some articles of a story into a new story of their own (kept across re-ingests)."""
    with errors_to_exit():
        made = _index().split_story(story, doc_ids, wait=wait)
    render.message(f"new story {made}")


@stories_app.command("move")
def move_to_story(
    doc_ids: Annotated[list[str], typer.Argument(help="Articles to move (ids or prefixes).")],
    to: Annotated[str, typer.Option("--to", help="The story they report (id or prefix).")],
    wait: WaitOption = 30.0,
) -> None:
    """Move articles into the story they report (kept across re-ingests and reindex)."""
    with errors_to_exit():
        target = _index().move_to_story(doc_ids, to, wait=wait)
    render.message(f"moved to story {target}")


@app.command()
def sources(
    html: Annotated[Path | None, typer.Option("--html", help="Also write a self-contained HTML page.")] = None,
    json_out: JsonOption = False,
) -> None:
    """Each source across all its articles: loaded language, voices, stances, stories covered."""
    from slant.report.sources import write_sources_html

    with errors_to_exit():
        report = _index().sources()
        if html is not None:
            write_sources_html(report, html)
    print_json(report) if json_out else render.sources(report)
    if html is not None:
        render.message(f"wrote {html}")


@app.command()
def compare(
    doc_ids: Annotated[list[str] | None, typer.Argument(help="Document ids (two or more).")] = None,
    source: Annotated[list[str] | None, typer.Option(help="Documents of these sources.")] = None,
    no_llm: Annotated[bool, typer.Option("--no-llm", help="Deterministic profile alone (no model).")] = False,
    output: Annotated[str, typer.Option("--format", help="table, md (Markdown) or json.")] = "table",
    html: Annotated[Path | None, typer.Option("--html", help="Also write a self-contained HTML page.")] = None,
    actor: Annotated[list[str] | None, typer.Option(help="An actor to give stances toward (repeatable).")] = None,
    camp: Annotated[
        list[str] | None, typer.Option(help='A camp of voices: "Name=member,member" (repeatable; replaces [camps]).')
    ] = None,
    story: Annotated[str | None, typer.Option(help="The articles of this story (`slant stories`).")] = None,
    json_out: JsonOption = False,
) -> None:
    """How the selected articles frame the same events, with evidence for every cell."""
    from slant.report.compare import markdown, write_html

    with errors_to_exit():
        index = _index(**({"camps": _camps(camp)} if camp else {}))
        if output not in ("table", "md", "json"):
            raise InputError(f"--format {output!r}", "use table, md or json")
        everything = not doc_ids and not source and story is None
        articles = index.articles(doc_ids or [], sources=source or [], everything=everything, story=story)
        if everything and len(articles) > COMPARE_ALL_LIMIT:
            raise InputError(
                f"compare with no ids would compare all {len(articles)} articles",
                "compare one story (`slant stories`, then `slant compare --story ID`), or give ids or --source",
            )
        comparison = index.compare(articles=articles, use_model=not no_llm, actors=actor or [])
        if html is not None:
            write_html(comparison, articles, html, index.story(story) if story is not None else None)
    if json_out or output == "json":
        print_json(comparison)
    elif output == "md":
        render.plain(markdown(comparison))
    else:
        render.comparison(comparison)
    if html is not None:
        render.message(f"wrote {html}")


def _camps(options: list[str]) -> dict[str, list[str]]:
    """--camp "Democrats=Pelosi,Schumer,Democratic" options as a camps table."""
    camps: dict[str, list[str]] = {}
    for option in options:
        name, equals, members = option.partition("=")
        listed = [m.strip() for m in members.split(",") if m.strip()]
        if not equals or not name.strip() or not listed:
            raise InputError(f"--camp {option!r}", 'write it as NAME=member,member, e.g. "Democrats=Pelosi,Democratic"')
        camps[name.strip()] = listed
    return camps


def main() -> None:
    """Console-script entry point."""
    app()
