"""UI strings and date formats of the page in its language (en, it, fr, ro, de, es).

The strings live in `locales/<language>.json`, one flat table per language with the same keys,
so a translator edits one file and a test can check that no language lacks a key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from statusledger.records.types import duration_text

LANGUAGES = ("en", "it", "fr", "ro", "de", "es")
# Durations on the page: days, hours and minutes, a no-break space before each unit.
_UNITS = (("\u00a0d", 86_400), ("\u00a0h", 3_600), ("\u00a0min", 60))


@cache
def _table(language: str) -> dict[str, object]:
    text = (
        resources.files("statusledger.site")
        .joinpath(f"locales/{language}.json")
        .read_text(encoding="utf-8")
    )
    table: dict[str, object] = json.loads(text)
    return table


@dataclass(frozen=True)
class Locale:
    """Words, dates and times of one language, shown in one time zone."""

    language: str
    zone: ZoneInfo

    def t(self, key: str, **values: object) -> str:
        """Return the UI string for `key`, English when the language lacks it."""
        text = _table(self.language).get(key) or _table("en").get(key) or key
        return str(text).format(**values) if values else str(text)

    def month_name(self, number: int) -> str:
        """The month's name in this language (1 = January)."""
        months = _table(self.language)["months"]
        assert isinstance(months, list)
        return str(months[number - 1])

    def day(self, value: date) -> str:
        """A calendar day as people of this language write it."""
        return self.t("date", day=value.day, month=self.month_name(value.month), year=value.year)

    def month(self, year: int, number: int) -> str:
        """A month and its year."""
        return self.t("month_year", month=self.month_name(number), year=year)

    def local(self, moment: datetime) -> datetime:
        """The moment in the page's time zone."""
        return moment.astimezone(self.zone)

    def moment(self, moment: datetime) -> str:
        """Day, time and the zone's abbreviation ("November 23, 2026, 10:20 CET")."""
        return f"{self.day(self.local(moment).date())}, {self.clock(moment)}"

    def clock(self, moment: datetime) -> str:
        """The time of day with the zone's abbreviation ("10:20 CET").

        Zones without a common abbreviation (tzdata writes "+03") show their offset instead.
        """
        local = self.local(moment)
        return f"{local.hour:02d}:{local.minute:02d} {zone_name(local)}"

    def duration(self, value: timedelta) -> str:
        """A duration in days, hours and minutes ("2 h 10 min"); the units are international."""
        minutes = int(value.total_seconds() // 60)
        return duration_text(minutes * 60, units=_UNITS, join=" ", zero="0\u00a0min")

    def percent(self, value: float) -> str:
        """An uptime percentage with three decimals, decimal comma where the language uses it."""
        text = f"{value:.3f}"
        if self.language != "en":
            text = text.replace(".", ",")
        return f"{text}\u00a0%" if self.language in ("fr", "de") else f"{text}%"


def zone_name(local: datetime) -> str:
    """The abbreviation of a local moment's zone, or UTC with its offset when it has none."""
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = local.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    sign = "-" if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def locale(language: str, zone: str) -> Locale:
    """The locale for a page; unknown languages fall back to English."""
    return Locale(language if language in LANGUAGES else "en", ZoneInfo(zone))


def keys(language: str) -> set[str]:
    """Every key a language defines (tests check that every language defines the same)."""
    return set(_table(language))
