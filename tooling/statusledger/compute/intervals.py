"""Integer time intervals: the exact arithmetic under uptime.

Instants are whole microseconds since the Unix epoch (Python ints), so sums of durations are exact
however many records there are; only the final percentages become floats.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

MICROS = 1_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE = timedelta(microseconds=1)

Span = tuple[int, int]


def micros(moment: datetime) -> int:
    """An aware instant as whole microseconds since the epoch (exact, unlike .timestamp())."""
    return (moment - _EPOCH) // _ONE


def instant(value: int) -> datetime:
    """The inverse of `micros`."""
    return _EPOCH + timedelta(microseconds=value)


def union(spans: Iterable[Span]) -> list[Span]:
    """Merge possibly overlapping spans into sorted disjoint ones (empty spans dropped)."""
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(spans: Sequence[Span], holes: Sequence[Span]) -> list[Span]:
    """Sorted disjoint `spans` minus sorted disjoint `holes`, in one pass."""
    result: list[Span] = []
    index = 0
    for start, end in spans:
        while index < len(holes) and holes[index][1] <= start:
            index += 1
        cursor = start
        probe = index
        while probe < len(holes) and holes[probe][0] < end:
            hole_start, hole_end = holes[probe]
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
            probe += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def clip(spans: Sequence[Span], low: int, high: int) -> list[Span]:
    """Sorted disjoint spans restricted to [low, high)."""
    result = []
    for start, end in spans:
        start, end = max(start, low), min(end, high)
        if start < end:
            result.append((start, end))
    return result


def max_weight_spans(items: Iterable[tuple[int, int, int]]) -> dict[int, list[Span]]:
    """Split time into sorted disjoint spans by the largest weight active in each.

    `items` are (start, end, weight) with integer weights; spans of weight 0 are left out.
    Overlapping items are never added up: the largest weight at each instant wins.
    """
    events = sorted(
        event
        for start, end, weight in items
        if weight > 0 and end > start
        for event in ((start, 1, weight), (end, -1, weight))
    )
    order = sorted({weight for _, _, weight in events}, reverse=True)
    active = dict.fromkeys(order, 0)
    spans: dict[int, list[Span]] = {}
    current = previous = 0
    last = len(events) - 1
    for position, (moment, delta, weight) in enumerate(events):
        if current > 0 and moment > previous:
            _extend(spans.setdefault(current, []), previous, moment)
        active[weight] += delta
        if position == last or events[position + 1][0] != moment:
            current = next((w for w in order if active[w]), 0)
        previous = moment
    return spans


def _extend(spans: list[Span], start: int, end: int) -> None:
    if spans and spans[-1][1] == start:
        spans[-1] = (spans[-1][0], end)
    else:
        spans.append((start, end))


class Intervals:
    """Sorted disjoint spans with prefix sums: the overlap with any window in O(log n)."""

    __slots__ = ("_ends", "_prefix", "_starts")

    def __init__(self, spans: Sequence[Span]) -> None:
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]
        self._prefix = [0]
        for start, end in spans:
            self._prefix.append(self._prefix[-1] + end - start)

    def __bool__(self) -> bool:
        """Whether there is any span at all."""
        return bool(self._starts)

    @property
    def total(self) -> int:
        """The summed length of every span."""
        return self._prefix[-1]

    def measure(self, low: int, high: int) -> int:
        """How much of [low, high) the spans cover."""
        if low >= high:
            return 0
        first = bisect_right(self._ends, low)
        after = bisect_left(self._starts, high)
        if first >= after:
            return 0
        total = self._prefix[after] - self._prefix[first]
        total -= max(0, low - self._starts[first])
        total -= max(0, self._ends[after - 1] - high)
        return total
