"""The error every bad input raises: a scenario, a sweep request, an argument."""

from __future__ import annotations

from typing import Optional


class ScenarioError(ValueError):
    """A scenario (or a sweep request, or an argument) that is not valid.

    The message names the file, line, key and what is allowed, as the ``quotasim``
    command does. The attributes say the same for a program: ``path`` (the file, or
    ``None``), ``line`` (1-based, or ``None``) and ``key`` (the dotted key, or ``None``).
    It pickles with them, so a process pool passes it back whole.
    """

    def __init__(
        self,
        message: str,
        path: Optional[str] = None,
        line: Optional[int] = None,
        key: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.key = key

    def __reduce__(self):
        return (type(self), (str(self), self.path, self.line, self.key))
