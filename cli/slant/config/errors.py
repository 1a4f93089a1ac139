"""Errors that reach the user: each carries an exit code and a hint saying what to do."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, stable across releases (scripts depend on them)."""

    OK = 0
    FAILED = 1  # the command ran, but some items failed (see the per-item messages)
    USAGE = 2  # bad arguments, bad input file, bad configuration
    MODEL = 3  # a model file is missing, truncated or has the wrong hash
    INDEX = 4  # the index is missing, locked, or was built with another embedder
    BACKEND = 5  # a server (Chroma, model server) cannot be reached


class SlantError(Exception):
    """Base class: a message, a hint and an exit code."""

    exit_code: ExitCode = ExitCode.FAILED

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class UsageError(SlantError):
    """The user asked for something that cannot be done as asked."""

    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """A setting (flag, SLANT_* variable or slant.toml) is invalid."""


class InputError(UsageError):
    """An input file or value cannot be read as an article or a question."""


class ModelError(SlantError):
    """A model file cannot be found, verified or loaded."""

    exit_code = ExitCode.MODEL


class IndexUnavailableError(SlantError):
    """The index cannot be used: missing, empty, locked or incompatible."""

    exit_code = ExitCode.INDEX


class BackendError(SlantError):
    """A server slant talks to cannot be reached or answered badly."""

    exit_code = ExitCode.BACKEND
