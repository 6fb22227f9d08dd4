"""The configured channels with their secrets, read from the environment, and how to hide them.

A webhook URL is a password (whoever has a Slack or Discord webhook URL can post as the page),
and so is an SMTP URL with user:pass. They are read from the variables services.yaml names and
never printed: every message that could name one shows only its scheme and host, and `scrub`
blanks any secret that still made it into a text, such as an error from a library.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from statusledger.notify.events import UpdateEvent
from statusledger.records.models import Notification, Services

_SCHEMES = {"webhook": ("http", "https"), "email": ("smtp", "smtps")}
_DEFAULT_SCHEMES = ("https", "http")


class ChannelProblem(Exception):
    """A channel cannot be used as configured (its variable unset or not a usable URL)."""


def mask(url: str) -> str:
    """Scheme and host of a URL, nothing else: what output may show of a secret URL."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
    except ValueError:
        return "<unparsable URL>"
    return f"{parts.scheme or '?'}://{host}"


@dataclass(frozen=True)
class Channel:
    """One channel of services.yaml and the secret URL its variable holds (None: unset)."""

    config: Notification
    secret: str | None

    @property
    def id(self) -> str:
        """The channel's id in services.yaml."""
        return self.config.id

    @property
    def type(self) -> str:
        """slack, teams, discord, webhook or email."""
        return self.config.type

    @property
    def variable(self) -> str:
        """The environment variable that holds the secret URL."""
        name = self.config.smtp_env if self.type == "email" else self.config.url_env
        assert name is not None  # the model requires the one of its type
        return name

    def where(self) -> str:
        """What output may say about the target: the variable, and scheme and host."""
        shown = mask(self.secret) if self.secret else "not set"
        return f"{self.type} via ${self.variable} ({shown})"

    def url(self) -> str:
        """The secret URL, checked; a ChannelProblem says what to set instead."""
        if not self.secret:
            raise ChannelProblem(
                f"${self.variable} is not set; set it to the channel's URL (in GitHub Actions, "
                "a repository secret passed as env)"
            )
        allowed = _SCHEMES.get(self.type, _DEFAULT_SCHEMES)
        try:
            parts = urlsplit(self.secret)
            parts.port  # noqa: B018 -- a bad port raises here, not half way through sending
        except ValueError:
            raise ChannelProblem(f"${self.variable} is not a valid URL") from None
        if parts.scheme not in allowed or not parts.hostname:
            raise ChannelProblem(
                f"${self.variable} must be a {' or '.join(s + '://' for s in allowed)} URL, "
                f"got {mask(self.secret)}"
            )
        return self.secret

    def matches(self, event: UpdateEvent) -> bool:
        """Whether the channel is told of this update: no filter, or a filtered component."""
        wanted = self.config.components
        return wanted is None or any(c in wanted for c in event.components)

    def secrets(self) -> list[str]:
        """Every piece of the secret worth blanking in text: the URL, its user and password."""
        if not self.secret:
            return []
        found = [self.secret]
        try:
            parts = urlsplit(self.secret)
        except ValueError:
            return found
        for piece in (parts.password, parts.username, parts.path, parts.query):
            if piece and len(piece) >= 4:
                found.extend({piece, unquote(piece)})
        return found


def channels(services: Services, environ: Mapping[str, str]) -> list[Channel]:
    """The channels of services.yaml in their order, each with its secret from `environ`."""
    result = []
    for config in services.notifications:
        name = config.smtp_env if config.type == "email" else config.url_env
        secret = environ.get(name or "") or None
        result.append(Channel(config, secret))
    return result


def scrub(text: str, secrets: Iterable[str]) -> str:
    """Blank every secret in a text, longest first (so a URL goes before its password)."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret and secret in text:
            text = text.replace(secret, "***")
    return text
