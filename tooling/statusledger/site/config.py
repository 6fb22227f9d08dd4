"""The plugin's typed options in mkdocs.yml (`plugins: - statusledger: {...}`)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

NOW_ENV = "STATUSLEDGER_NOW"


class StatusledgerConfig(Config):  # type: ignore[no-untyped-call]
    """Where the records are and which moment the build shows.

    `root` defaults to the folder of mkdocs.yml; `now` defaults to the STATUSLEDGER_NOW
    environment variable (set by `statusledger build --now`), else SOURCE_DATE_EPOCH, else
    the clock.
    """

    root = c.Optional(c.Type(str))
    now = c.Optional(c.Type(str))
    days = c.Type(int, default=90)
