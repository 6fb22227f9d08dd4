"""What new, update, resolve and assign refuse before they edit anything.

A record says what has happened, so a moment the author gives (or the `now` a command writes)
may not lie ahead of the clock: today a typo in a date or an offset is written and only fails
`validate` later, in the middle of an incident. A minute of skew between the author's watch
and the machine is forgiven. And a second incident declared on a component that already has
an open one is almost always a duplicate (two people paged by the same alert), so it asks for
`--force` or an update of the open incident. Combinations of `update`'s options that say
nothing, or half of something, are usage errors here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from statusledger.errors import StatusledgerError, UsageError
from statusledger.loading import Ledger, Loaded
from statusledger.records.models import Incident, SeverityLevel
from statusledger.records.types import format_timestamp

SKEW = timedelta(minutes=1)

Moment = tuple[str, datetime]


def wall_clock() -> datetime:
    """Read the machine's clock, whatever --now or SOURCE_DATE_EPOCH say."""
    return datetime.now(tz=UTC).replace(microsecond=0)


def refuse_future(moments: Sequence[Moment], now: datetime, clock: datetime | None) -> datetime:
    """Refuse moments later than the machine's clock or than now, beyond SKEW.

    `moments` are (how the user gave it, moment) pairs; the one named "now" is the command's
    own now. Returns the moment to validate the result as of: now, or a moment within the
    skew after it, so a forgiven second of skew does not then fail the `time/future` rule.
    """
    clock = clock if clock is not None else wall_clock()
    for label, moment in moments:
        if moment > clock + SKEW:
            source = " (from --now or SOURCE_DATE_EPOCH)" if label == "now" else ""
            raise UsageError(
                f"{label} {format_timestamp(moment)}{source} is later than this machine's "
                f"clock ({format_timestamp(clock)}) by more than a minute: a record says what "
                "has happened. Check the date and the offset (Z is UTC, +01:00 is an hour "
                "ahead of it)"
            )
        if label != "now" and moment > now + SKEW:
            raise UsageError(
                f"{label} {format_timestamp(moment)} is later than now "
                f"({format_timestamp(now)}): a record says what has happened. Check the date "
                "and the offset, or give a later --now"
            )
    return max([now, *(moment for _, moment in moments)])


def refuse_disorder(milestones: Sequence[tuple[str, datetime | None]]) -> None:
    """Refuse options that put the timeline's milestones out of order (they never decrease)."""
    given = [(label, moment) for label, moment in milestones if moment is not None]
    for (before, early), (after, late) in pairwise(given):
        if late < early:
            raise UsageError(
                f"{after} ({format_timestamp(late)}) is before {before} "
                f"({format_timestamp(early)}); milestones never decrease: started <= detected "
                "<= acknowledged"
            )


def refuse_update_options(
    status: str | None,
    message: str | None,
    components: Sequence[str],
    at: datetime | None,
    severity: SeverityLevel | None,
    detected: datetime | None,
    acknowledged: datetime | None,
) -> None:
    """Refuse combinations of update's options that say nothing or half of something."""
    if (status is None) != (message is None):
        missing = "--message" if message is None else "--status"
        raise UsageError(f"{missing} is missing: a public update needs both --status and --message")
    if status is not None:
        return
    if components:
        raise UsageError(
            "--component changes what the page shows: give --status and --message with it"
        )
    if severity is None and detected is None and acknowledged is None:
        raise UsageError(
            "give --status and --message (a public update), or an internal change: "
            "--severity, --detected or --acknowledged"
        )
    if at is not None and severity is None:
        raise UsageError(
            "--at dates a public update or a severity change; --detected and --acknowledged "
            "carry their own time"
        )


def refuse_incident_flags(
    record_id: str,
    components: Sequence[str],
    severity: SeverityLevel | None,
    detected: datetime | None,
    acknowledged: datetime | None,
) -> None:
    """Refuse what only incidents have on a maintenance window (impacts, severity, milestones)."""
    if components:
        raise StatusledgerError(
            f"{record_id} is a maintenance window, which has no impacts; "
            "--component is for incidents"
        )
    flags = [
        flag
        for flag, value in (
            ("--severity", severity),
            ("--detected", detected),
            ("--acknowledged", acknowledged),
        )
        if value is not None
    ]
    if flags:
        raise StatusledgerError(
            f"{record_id} is a maintenance window; {', '.join(flags)} "
            f"{'is' if len(flags) == 1 else 'are'} for incidents"
        )


def open_incidents_on(ledger: Ledger, components: Iterable[str]) -> list[Loaded[Incident]]:
    """Open incidents with an impact (ongoing or not) on any of `components`."""
    wanted = set(components)
    return [
        record
        for record in ledger.incidents
        if record.model.is_open and wanted & {impact.component for impact in record.model.impact}
    ]


def refuse_duplicate(ledger: Ledger, components: Sequence[str]) -> None:
    """Refuse to declare an incident on components an open incident already covers."""
    found = open_incidents_on(ledger, components)
    if not found:
        return
    lines = []
    for record in found:
        model = record.model
        on = sorted({impact.component for impact in model.impact} & set(components))
        lines.append(
            f"  {record.id} ({record.path}): {model.title!r}, {model.status.value} since "
            f"{format_timestamp(model.updates[-1].at)}, on {', '.join(on)}"
        )
    first = found[0].id
    what = "an open incident" if len(found) == 1 else "open incidents"
    raise StatusledgerError(
        f"{', '.join(_covered(found, components))} already {_has(found, components)} {what}; "
        "nothing was written:\n"
        + "\n".join(lines)
        + f"\nPost to it with 'statusledger update {first} --status S --message M' (add "
        "--component ID:LEVEL to change what it affects), or pass --force to declare a "
        "separate incident"
    )


def _covered(found: Sequence[Loaded[Incident]], components: Sequence[str]) -> list[str]:
    touched = {impact.component for record in found for impact in record.model.impact}
    return [c for c in components if c in touched]


def _has(found: Sequence[Loaded[Incident]], components: Sequence[str]) -> str:
    return "has" if len(_covered(found, components)) == 1 else "have"
