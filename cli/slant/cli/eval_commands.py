"""`slant eval ...`: run suites against reference annotations, compare runs, bless a baseline.

Exit codes: `run`/`rescore --strict` 1 when a gated check fails or is unmeasured; `diff` 1 when a gated
check regresses beyond its tolerance, 2 when the runs cannot be compared; `selfcheck` 1 when two
runs differ.

No `from __future__ import annotations`, as in `slant.cli.app`: typer builds `slant --help` faster
from annotations that are already evaluated.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from slant.cli.console import BarProgress, errors_to_exit, out, print_json
from slant.cli.help import PLAIN_HELP, HelpGroup
from slant.config.errors import ExitCode, InputError

if TYPE_CHECKING:
    from slant.config.settings import Settings
    from slant.evals.basil import Scores
    from slant.evals.diff import RunDiff
    from slant.evals.summary import Summary

eval_app = typer.Typer(
    help="Regression evals against reference annotations (see evals/SCHEMA.md).",
    no_args_is_help=True,
    cls=HelpGroup,
    **PLAIN_HELP,
)

DEFAULT_SUITE = Path("evals/suites/seed.yaml")
SuiteArgument = Annotated[Path, typer.Argument(help="Suite file.")]
RunsDirOption = Annotated[Path, typer.Option(help="Where run folders go.")]
JunitOption = Annotated[Path | None, typer.Option("--junit", help="Also write JUnit XML to FILE.")]
PromptsDirOption = Annotated[Path | None, typer.Option(help="Prompt files to use instead of slant's own.")]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Call the model even for cached prompts.")]


def _settings(ctx: typer.Context) -> "Settings":
    """Settings from the global flags (--model, --embedder); the index is always run-local."""
    from slant.config.settings import Settings

    params = ctx.find_root().params
    with errors_to_exit():
        return Settings.load(model=params.get("model"), embedder=params.get("embedder"))


@contextmanager
def _prompts_from(folder: Path | None) -> Iterator[None]:
    """Use another prompts folder for the duration of a run (slant.llm.prompts reads SLANT_PROMPTS_DIR)."""
    if folder is None:
        yield
        return
    if not folder.is_dir():
        raise InputError(f"--prompts-dir {folder} is not a folder", "give a folder of prompt .yaml files")
    previous = os.environ.get("SLANT_PROMPTS_DIR")
    os.environ["SLANT_PROMPTS_DIR"] = str(folder.resolve())
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SLANT_PROMPTS_DIR", None)
        else:
            os.environ["SLANT_PROMPTS_DIR"] = previous


def _execute(
    settings: "Settings",
    suite: Path,
    runs_dir: Path,
    use_cache: bool,
    judge_model: Path | None = None,
    judge_sha256: str | None = None,
) -> tuple[Path, "Summary"]:
    """Run a suite into a new run folder."""
    from slant.evals.loading import load_suite
    from slant.evals.runner import RunOptions, run_suite
    from slant.evals.runs import manifest, new_run_id, write_run

    loaded = load_suite(suite)
    with BarProgress() as progress:
        options = RunOptions(settings.cache_dir / "eval-outputs", use_cache, judge_model, judge_sha256, progress)
        run = run_suite(loaded, settings, options)
    judge = {"file": str(judge_model), "sha256": judge_sha256} if judge_model else None
    folder = runs_dir / new_run_id(loaded.suite.suite)
    summary = write_run(folder, manifest(loaded, run, use_cache, judge), run.results)
    return folder, summary


@eval_app.command("run")
def run(
    ctx: typer.Context,
    suite: SuiteArgument = DEFAULT_SUITE,
    runs_dir: RunsDirOption = Path("evals/runs"),
    no_cache: NoCacheOption = False,
    prompts_dir: PromptsDirOption = None,
    junit: JunitOption = None,
    judge_model: Annotated[Path | None, typer.Option(help="A second local GGUF for the model-graded check.")] = None,
    judge_sha256: Annotated[str | None, typer.Option(help="Expected sha256 of --judge-model.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 when a gated check fails or is unmeasured.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run SUITE with the real model into evals/runs/<id>/ (manifest, results, summary, report.md)."""
    settings = _settings(ctx)
    with errors_to_exit(), _prompts_from(prompts_dir):
        folder, summary = _execute(settings, suite, runs_dir, not no_cache, judge_model, judge_sha256)
        if junit is not None:
            _junit(folder, junit)
    _show_summary(folder, summary, json_out)
    if strict and not summary.ok:
        raise typer.Exit(int(ExitCode.FAILED))


@eval_app.command()
def rescore(
    run_folder: Annotated[Path, typer.Argument(help="A run folder.")],
    suite: Annotated[Path | None, typer.Option(help="Suite file; default: the one the run used.")] = None,
    junit: JunitOption = None,
    strict: Annotated[bool, typer.Option(help="Exit 1 when a gated check fails or is unmeasured.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Score a run's stored outputs again with the current metrics and annotations (no model)."""
    from slant.evals.loading import load_suite
    from slant.evals.runner import rescore as run_rescore
    from slant.evals.runs import read_run, suite_identity, write_run

    with errors_to_exit():
        stored = read_run(run_folder)
        loaded = load_suite(suite or Path(stored.manifest["suite"]["path"]))
        results = run_rescore(loaded, stored.results)
        manifest_data = {**stored.manifest, "rescored": suite_identity(loaded)}
        summary = write_run(run_folder, manifest_data, results)
        if junit is not None:
            _junit(run_folder, junit)
    _show_summary(run_folder, summary, json_out)
    if strict and not summary.ok:
        raise typer.Exit(int(ExitCode.FAILED))


@eval_app.command()
def diff(
    before: Annotated[Path, typer.Argument(help="The earlier run (or a baseline folder).")],
    after: Annotated[Path, typer.Argument(help="The later run.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the diff as JSON.")] = False,
) -> None:
    """Per-metric deltas and per-case regressions and fixes; exit 1 on a gated regression."""
    from slant.evals.diff import diff_runs
    from slant.evals.runs import read_run

    with errors_to_exit():
        result = diff_runs(read_run(before), read_run(after))
    if json_out:
        print_json({**result.model_dump(mode="json"), "gated_regressions": len(result.gated_regressions)})
    else:
        _show_diff(result)
    if result.gated_regressions:
        raise typer.Exit(int(ExitCode.FAILED))


@eval_app.command()
def bless(
    run_folder: Annotated[Path, typer.Argument(help="The run to make the baseline.")],
    baseline_dir: Annotated[Path, typer.Option(help="Where baselines live (one folder per suite).")] = Path(
        "evals/baseline"
    ),
) -> None:
    """Make RUN the committed baseline of its suite (evals/baseline/<suite>/)."""
    from slant.evals.runs import bless as run_bless
    from slant.evals.runs import read_run

    with errors_to_exit():
        target = run_bless(read_run(run_folder), baseline_dir)
    out.print(f"Blessed {run_folder} as {target}; commit it.", soft_wrap=True)


@eval_app.command()
def selfcheck(
    ctx: typer.Context,
    suite: SuiteArgument = DEFAULT_SUITE,
    runs_dir: RunsDirOption = Path("evals/runs"),
) -> None:
    """Run SUITE twice without the cache and require identical outputs (determinism)."""
    from slant.evals.runs import read_run

    settings = _settings(ctx)
    with errors_to_exit():
        first, _ = _execute(settings, suite, runs_dir, use_cache=False)
        second, _ = _execute(settings, suite, runs_dir, use_cache=False)
        a, b = read_run(first), read_run(second)
    differing = [x.id for x, y in zip(a.results, b.results, strict=True) if (x.output, x.error) != (y.output, y.error)]
    if differing:
        differ = ", ".join(differing)
        out.print(f"Not deterministic: {len(differing)} case(s) differ: {differ} ({first} vs {second})", soft_wrap=True)
        raise typer.Exit(int(ExitCode.FAILED))
    out.print(
        f"Deterministic: {len(a.results)} cases gave identical outputs twice ({first}, {second}).", soft_wrap=True
    )


@eval_app.command()
def basil(
    data: Annotated[Path, typer.Argument(help="BASIL-format JSON-lines file (one article a line).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the measures as JSON.")] = False,
    loaded_words: Annotated[
        Path | None, typer.Option(help="A loaded-word table (word<TAB>score) to use instead of slant's own.")
    ] = None,
) -> None:
    """Score loaded language (lexical-bias P/R/F1, density rho) and sentence neutrality on DATA."""
    from slant.evals.basil import score_basil
    from slant.framing.lexicon import use_loaded_words

    with errors_to_exit():
        if loaded_words is not None:
            use_loaded_words(loaded_words)
        scores = score_basil(data)
    _show_scores(data, scores, json_out)


@eval_app.command()
def attributions(
    data: Annotated[Path, typer.Argument(help="PolNeAR-format JSON-lines file (one article a line).")],
    limit: Annotated[int | None, typer.Option(help="Score only the first N articles.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the measures as JSON.")] = False,
) -> None:
    """Score who-said-what on DATA: gold contents credited, the precision of slant's credits, named sources right."""
    from slant.evals.attributions import score_attributions

    with errors_to_exit():
        scores = score_attributions(data, limit)
    _show_scores(data, scores, json_out)


@eval_app.command()
def sentences(
    data: Annotated[Path, typer.Argument(help="Labelled sentences: JSON lines or CSV with text and label.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the measures as JSON.")] = False,
) -> None:
    """Score the sentence-neutrality check on sentences labelled biased / neutral (or 1 / 0)."""
    from slant.evals.basil import score_sentences

    with errors_to_exit():
        scores = score_sentences(data)
    _show_scores(data, scores, json_out)


@eval_app.command()
def stance(
    data: Annotated[Path, typer.Argument(help="PerSenT-format JSON lines: text, entity, sentiment.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the measures as JSON.")] = False,
) -> None:
    """Score the writer's stance toward each article's main entity: accuracy, macro-F1, confusion."""
    from slant.evals.stance import score_stance

    with errors_to_exit():
        scores = score_stance(data)
    if json_out:
        print_json({"data": str(data), **scores.model_dump(mode="json")})
        return
    out.print(f"{data}: {scores.counts['articles']} articles", soft_wrap=True)
    for name, value in scores.measures.items():
        out.print(f"  {name:<28} {value:.3f}", soft_wrap=True)
    out.print("  confusion (gold \\ said)    " + " ".join(f"{s:>10}" for s in next(iter(scores.confusion.values()))))
    for gold, row in scores.confusion.items():
        out.print(f"  {gold:<28} " + " ".join(f"{n:>10}" for n in row.values()), soft_wrap=True)


@eval_app.command()
def questions(
    ctx: typer.Context,
    questions_file: Annotated[Path, typer.Argument(help="Development questions (evals/questions/*.yaml).")],
    data: Annotated[Path, typer.Option(help="The BASIL-format article file the questions are about.")],
    index: Annotated[Path, typer.Option(help="Where to build (and keep) the index of DATA.")] = Path(
        "evals/runs/questions-index"
    ),
    json_out: Annotated[bool, typer.Option("--json", help="Print every result as JSON.")] = False,
) -> None:
    """Ask every question of QUESTIONS_FILE over the articles of DATA and score the answers."""
    from slant.api import Index
    from slant.evals.questions import article_origins, load_questions, score, summary
    from slant.verify.evidence import Verifier

    with errors_to_exit():
        asked = load_questions(questions_file)
        origins = article_origins(data)
        slant_index = Index.from_settings(_settings(ctx).model_copy(update={"index": index}))
        slant_index.ingest([data])
        stored = {d.article.id: d.article for d in slant_index.documents()}
        texts = {doc_id: article.text for doc_id, article in stored.items()}
        checker = Verifier(None, [], [], texts)

        def unsupported(sentence: str, doc_ids: set[str]) -> list[str]:
            within = "\n".join(texts[d] for d in doc_ids if d in texts)
            return checker.fact_problems(sentence, within) if within else ["cites nothing"]

        origin_of_doc = {doc_id: article.origin for doc_id, article in stored.items()}
        results = [score(q, slant_index.ask(q.question), origin_of_doc, origins, unsupported) for q in asked.questions]
    totals = summary(results)
    if json_out:
        print_json({"questions": str(questions_file), "summary": totals, "results": [r.model_dump() for r in results]})
        return
    for result in results:
        mark = "right" if result.right else "WRONG"
        shown = result.answer[:110] if result.answered else "(declined)"
        out.print(f"{mark:<5} {result.id:<4} {result.question[:70]:<70} | {shown}", soft_wrap=True, markup=False)
    out.print(
        f"answerable: {totals['answerable_right_and_cited']}/{totals['answerable']} right and cited; "
        f"unanswerable: {totals['unanswerable_declined']}/{totals['unanswerable']} declined; "
        f"answers stating what their sources do not: {totals['answers_stating_what_sources_do_not']}",
        soft_wrap=True,
    )


@eval_app.command()
def summaries(
    ctx: typer.Context,
    data: Annotated[Path, typer.Argument(help="Story clusters with a neutral reference (NeuS-format JSON lines).")],
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N stories.")] = None,
    no_llm: Annotated[bool, typer.Option("--no-llm", help="Summarise without the model.")] = False,
    words: Annotated[int | None, typer.Option(min=10, help="Words per summary (default: the settings').")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print every story's summary and scores as JSON.")] = False,
) -> None:
    """Summarise every story of DATA (--combined) and score it: ROUGE, length, neutrality, faults."""
    from slant.evals.summaries import read_stories, score_stories, sources_neutrality, totals
    from slant.llm.loaded import embedder_for, model_for
    from slant.tasks.summarize import summarize_articles

    with errors_to_exit():
        settings = _settings(ctx)
        if words is not None:
            settings = settings.model_copy(update={"summary_words": words})
        stories = read_stories(data, limit)
        embedder = embedder_for(settings)
        model = None if no_llm else model_for(settings)

        def summarize(articles: list) -> list[str]:  # type: ignore[type-arg]
            summary = summarize_articles(articles, settings, model, embedder, "story", combined=True)
            return [s.text for s in summary.sentences]

        with BarProgress() as progress:
            progress.start(len(stories), "Summarising stories")
            scores = []
            for scored in score_stories(stories, str(data), summarize, embedder.embed):
                scores.append(scored)
                progress.advance()
    measures = {**totals(scores), "sources": sources_neutrality(stories), "model": "none" if no_llm else "default"}
    if json_out:
        print_json({"data": str(data), "summary": measures, "stories": [s.model_dump() for s in scores]})
        return
    for name, value in measures.items():
        out.print(f"  {name:<22} {value}", soft_wrap=True, markup=False)


@eval_app.command()
def stories(
    ctx: typer.Context,
    data: Annotated[Path, typer.Argument(help="Articles with known events: BASIL- or NeuS-format JSON lines.")],
    seed: Annotated[int, typer.Option(help="Shuffle seed (the order the articles arrive in).")] = 0,
    json_out: Annotated[bool, typer.Option("--json", help="Print the measures as JSON.")] = False,
) -> None:
    """Group DATA's articles into stories one by one (shuffled) and score against their events (B-cubed)."""
    from slant.evals.stories import read_event_articles, score_grouping

    with errors_to_exit():
        articles = read_event_articles(data)
        score = score_grouping(articles, _settings(ctx), seed)
    if json_out:
        print_json({"data": str(data), "seed": seed, **score.model_dump()})
        return
    out.print(
        f"{data}: {score.articles} articles, {score.events} events -> {score.stories} stories; "
        f"B-cubed P {score.precision:.3f} R {score.recall:.3f} F1 {score.f1:.3f}; "
        f"{score.ms_per_article} ms to place an article",
        soft_wrap=True,
    )


def _show_scores(data: Path, scores: "Scores", json_out: bool) -> None:
    if json_out:
        print_json({"data": str(data), **scores.model_dump(mode="json")})
        return
    counts = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in scores.counts.items())
    out.print(f"{data}: {counts}", soft_wrap=True)
    width = max(28, *(len(name) for name in scores.measures))
    for name, value in scores.measures.items():
        out.print(f"  {name:<{width}} {value:.3f}", soft_wrap=True)


def _junit(folder: Path, path: Path) -> None:
    from slant.evals.report import write_junit
    from slant.evals.runs import read_run

    stored = read_run(folder)
    write_junit(path, str(stored.manifest["suite"]["id"]), stored.results)


def _show_summary(folder: Path, summary: "Summary", json_out: bool) -> None:
    if json_out:
        print_json({"run": str(folder), **summary.model_dump(mode="json")})
        return
    from rich.table import Table

    table = Table(title=f"{folder}", title_justify="left")
    for column in ("metric", "mean", "measured", "unmeasured"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for metric in summary.metrics:
        mean = "—" if metric.mean is None else f"{metric.mean:.3f}"
        table.add_row(metric.metric, mean, str(metric.measured), str(metric.unmeasured))
    out.print(table)
    out.print(
        f"{summary.cases} cases, {summary.errored} errored; gated checks: {summary.gated_passed} passed, "
        f"{summary.gated_failed} failed, {summary.gated_unmeasured} unmeasured. Report: {folder / 'report.md'}",
        soft_wrap=True,
    )


def _show_diff(result: "RunDiff") -> None:
    from rich.table import Table

    table = Table(title=f"{result.before} → {result.after}", title_justify="left")
    for column in ("metric", "before", "after", "delta"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for metric in result.metrics:
        cells = ["—" if v is None else f"{v:.3f}" for v in (metric.before, metric.after)]
        delta = "—" if metric.delta is None else f"{metric.delta:+.3f}"
        table.add_row(metric.metric, *cells, delta)
    out.print(table)
    for change in result.changes:
        flag = " GATED, beyond tolerance" if change in result.gated_regressions else ""
        out.print(
            f"{change.kind}: {change.case} {change.metric} {change.before} → {change.after}{flag}", soft_wrap=True
        )
    if result.missing_cases:
        out.print(f"missing from the later run: {', '.join(result.missing_cases)}", soft_wrap=True)
    verdict = (
        f"{len(result.gated_regressions)} gated regression(s)" if result.gated_regressions else "no gated regression"
    )
    out.print(f"{len(result.changes)} change(s); {verdict}.", soft_wrap=True)
