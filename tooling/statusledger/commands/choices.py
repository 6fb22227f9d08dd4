"""A click.Choice that says "did you mean ...?" for a near miss, as the record checks do."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import datetime

import click

from statusledger.errors import UsageError
from statusledger.records.types import parse_timestamp


class Suggesting(click.Choice):  # type: ignore[type-arg]
    """Choices of an enum; a mistyped value (`identifed`) is answered with the closest one."""

    def __init__(self, choices: Sequence[str]) -> None:
        super().__init__(list(choices))

    def get_invalid_choice_message(self, value: object, ctx: click.Context | None) -> str:
        """Name the closest allowed value first, then all of them."""
        allowed = [str(c) for c in self.choices]
        close = difflib.get_close_matches(str(value), allowed, n=1)
        guess = f"; did you mean {close[0]!r}?" if close else ""
        return f"{value!r} is not one of {', '.join(allowed)}{guess}"


def timestamp(option: str, text: str | None) -> datetime | None:
    """An option's ISO 8601 timestamp (with offset), or a usage error naming the option."""
    if text is None:
        return None
    try:
        return parse_timestamp(text)
    except ValueError as err:
        raise UsageError(f"{option}: {err}") from None
