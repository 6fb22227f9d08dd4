"""What "now" is: --now, else SOURCE_DATE_EPOCH, else the wall clock, always with an offset.

Fixing now is what makes two builds of the same records byte-identical, so every command that
reads the clock takes it from here and passes it down as a parameter.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from statusledger.errors import UsageError
from statusledger.records.types import parse_timestamp


def resolve_now(text: str | None = None) -> datetime:
    """Return the moment commands should treat as now, in UTC."""
    if text:
        try:
            return parse_timestamp(text)
        except ValueError as err:
            raise UsageError(f"--now: {err}") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except ValueError:
            raise UsageError(
                f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}"
            ) from None
    return datetime.now(tz=UTC).replace(microsecond=0)
