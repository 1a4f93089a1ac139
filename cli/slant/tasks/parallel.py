"""Running one model task over many items on several workers, results in input order.

- One worker: in this process, one item after the other.
- Model servers (--llm-url): threads; item i goes to server i mod n (round-robin), so several
  servers share a batch.
- The in-process model: separate processes (spawned, not forked), each loading the model once
  and, unless `threads` is set, using its share of the cores.

Results come back in the order of the items whatever order the workers finish in, so a single
writer in the calling process can append them deterministically. A task that fails yields its
exception in its place; the others go on. The batch summaries use this, and evals can too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, TypeVar

from slant.config.settings import Settings
from slant.llm.model import TextModel

Item = TypeVar("Item")
Result = TypeVar("Result")
# A task gets the settings, the model and the embedder to use, and one item. With the in-process
# model on several workers it runs in another process, so it must be a module-level function.
Task = Callable[[Settings, TextModel, Any, Item], Result]


def map_with_models(
    settings: Settings,
    task: Task[Item, Result],
    items: Sequence[Item],
    workers: int = 1,
    model: TextModel | None = None,
) -> Iterator[Result | Exception]:
    """Yield task(settings, model, embedder, item) for each item, in order (see the module docstring).

    A `model` object given by the caller (an Index's own, e.g. a LangChain model) cannot travel to
    other processes, so its items run one after the other in this process.
    """
    if model is not None or workers <= 1 or len(items) <= 1:
        yield from (_attempt(task, settings, None, item, model) for item in items)
        return
    executor: Executor
    if settings.llm_urls:
        executor = ThreadPoolExecutor(max_workers=workers)
        urls = settings.llm_urls
        futures = [executor.submit(_attempt, task, settings, urls[i % len(urls)], item) for i, item in enumerate(items)]
    else:
        import multiprocessing
        import os

        if settings.threads is None:  # share the cores: oversubscribed llama.cpp threads spin and stall
            settings = settings.model_copy(update={"threads": max(1, (os.cpu_count() or 1) // workers)})
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        futures = [executor.submit(_attempt, task, settings, None, item) for item in items]
    with executor:
        try:
            yield from (_outcome(future) for future in futures)
        finally:  # stopped early (an interrupt, or the caller gave up): start nothing new
            for future in futures:
                future.cancel()


def _attempt(
    task: Task[Item, Result], settings: Settings, url: str | None, item: Item, model: TextModel | None = None
) -> Result | Exception:
    """Run one task with the given model, else this process's (the server at `url`, if given, or the
    settings' model file, loaded only when the task first calls it) and embedder.
    """
    from slant.llm.loaded import LazyModel, embedder_for, model_for

    try:
        if model is None:
            model = model_for(settings, url) if url else LazyModel(settings)
        return task(settings, model, embedder_for(settings), item)
    except Exception as exc:  # one failing item is reported in its place; the batch goes on
        return exc


def _outcome(future: Future[Result | Exception]) -> Result | Exception:
    try:
        return future.result()
    except Exception as exc:  # e.g. a worker process that died
        return exc
