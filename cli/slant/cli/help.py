"""Fast help for `slant` and its command groups.

Two costs of typer are avoided, and `tests/test_cli_basics.py` checks that `slant --help` and
every `slant CMD --help` stay free of them:

- rich's help formatter (typer's default when rich is installed) costs more than the rest of
  start-up: help here is typer's plain formatter (`PLAIN_HELP`), with each command's first
  sentence wrapped instead of cut off;
- typer checks every option of a group through a pydantic adapter, even an option left out, and
  a group's options are checked before `slant CMD --help` is answered: a group's options here
  build that adapter only when given a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from typer.core import TyperGroup

PLAIN_HELP: dict[str, Any] = {"rich_markup_mode": None}


class HelpGroup(TyperGroup):
    """A command group with plain help, whose options left out cost nothing."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for param in self.params:
            _defer_coercion(param)

    def get_help_option(self, ctx: Any) -> Any:
        """The --help option, whose absence (a group's, before `slant CMD --help`) costs nothing."""
        option = super().get_help_option(ctx)
        if option is not None:
            _defer_coercion(option)
        return option

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The Commands section: every visible command and its first sentence."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _defer_coercion(param: Any) -> None:
    """Give a typer parameter a coercion that builds typer's own only for a value it is given.

    Uses typer's private `_runtime_param` hook (typer 0.29); with another typer, where the hook is
    missing, the parameter is left as it is (correct, only slower).
    """
    deferred = _deferred_class()
    descriptor = getattr(param, "type_descriptor", None)
    if deferred is None or descriptor is None or getattr(param, "_runtime_param", False) is not None:
        return
    param._runtime_param = deferred(
        parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, descriptor=descriptor
    )


@cache
def _deferred_class() -> Any:
    """The deferred coercion class (made once: a dataclass costs a compile)."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:  # pragma: no cover - another typer
        return None

    @dataclass(frozen=True)
    class Deferred(RuntimeParam):
        """Missing values (None, or no values of a repeatable option) pass as typer passes them;
        others go to typer's coercion.
        """

        descriptor: Any = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if isinstance(value, tuple | list) and not value:
                return []  # what typer's list coercion makes of no values
            built = build_runtime_param(self.descriptor)
            param._runtime_param = built  # typer's own from now on
            return built._coerce_value(value, param=param, ctx=ctx)

    return Deferred
