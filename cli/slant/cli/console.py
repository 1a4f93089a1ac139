"""The CLI's consoles and its error boundary: data to stdout, everything else to stderr.

Nothing here imports rich until something is printed: `slant --help` and `slant CMD --help` print
through typer alone (see `tests/test_cli_basics.py`), so they never pay for rich.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

import typer

from slant.config.errors import SlantError

if TYPE_CHECKING:
    from pydantic import BaseModel
    from rich.console import Console
    from rich.text import Text


@cache
def _safe_console_class() -> type[Console]:
    from rich.console import Console

    from slant.text.cleaning import printable

    class SafeConsole(Console):
        """A rich console that never passes escape sequences or control characters from the text
        it is given to the terminal: every string it renders (plain, markup or a table cell) goes
        through `printable` first. Text from articles must still not be parsed as markup: see `data`.
        """

        def render_str(self, text: str, **kwargs: Any) -> Text:
            """Render a string without its escape sequences and control characters."""
            return super().render_str(printable(text), **kwargs)

    return SafeConsole


class _LazyConsole:
    """Stands in for a SafeConsole and makes it on first use (importing rich then)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def real(self) -> Console:
        """The console itself, made now if not yet."""
        if self._console is None:
            self._console = _safe_console_class()(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def real_console(console: Console) -> Console:
    """The rich console behind `out` or `err`, for rich objects that need a Console itself."""
    return console.real if isinstance(console, _LazyConsole) else console


def data(value: object) -> Text:
    """A value from an article, a file name or a model, shown as it is (never read as markup)."""
    from rich.text import Text

    from slant.text.cleaning import printable

    return Text(printable(str(value)))


def data_markup(value: object) -> str:
    """A value from an article etc. for use inside a markup string (brackets escaped)."""
    from rich.markup import escape

    from slant.text.cleaning import printable

    return escape(printable(str(value)))


if TYPE_CHECKING:
    out: Console
    err: Console
else:
    out = _LazyConsole(highlight=False, soft_wrap=False)
    err = _LazyConsole(stderr=True, highlight=False)


def debug_enabled() -> bool:
    """--debug (or SLANT_DEBUG=1) shows tracebacks instead of one-line errors."""
    return os.environ.get("SLANT_DEBUG", "") not in ("", "0")


@contextmanager
def errors_to_exit() -> Iterator[None]:
    """Turn a SlantError into `Error: ...` on stderr and its exit code (the one boundary)."""
    try:
        yield
    except SlantError as exc:
        if debug_enabled():
            raise
        err.print(f"[bold red]Error:[/] {data_markup(exc)}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        err.print("Interrupted.")
        raise typer.Exit(130) from None


def print_json(data: BaseModel | dict[str, Any] | list[Any]) -> None:
    """Write one JSON document to stdout."""
    if hasattr(data, "model_dump_json"):  # a pydantic model
        text = data.model_dump_json(indent=2)
    else:
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class BarProgress:
    """A transient rich progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=real_console(err),
            transient=True,
            disable=not err.is_terminal,
        )
        self._task: Any = None

    def __enter__(self) -> BarProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def start(self, total: int | None, description: str) -> None:
        """Begin a phase."""
        self._task = self._bar.add_task(description, total=total, detail="")

    def advance(self, steps: int = 1, detail: str = "") -> None:
        """Move the bar."""
        if self._task is not None:
            self._bar.update(self._task, advance=steps, detail=detail)


@contextmanager
def draft_stream(enabled: bool) -> Iterator[Callable[[str], None] | None]:
    """Show the model's draft live while it writes (terminal only); it vanishes when done.

    The core passes on only the draft's sentences that passed a first evidence check, and the
    label says so: only the verified answer printed afterwards stays.
    """
    if not (enabled and out.is_terminal):
        yield None
        return
    from rich.live import Live
    from rich.text import Text

    from slant.text.cleaning import printable

    draft = Text("checked text, while the model writes: ", style="dim")

    def show(piece: str) -> None:
        draft.append(printable(piece))

    with Live(draft, console=real_console(out), transient=True, refresh_per_second=12):
        yield show
