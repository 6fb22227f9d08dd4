"""services.yaml: the page, its components, groups, SLAs, response policies and channels."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from statusledger.records.base import ComponentId, Language, Model, NonEmpty, Number, Switch
from statusledger.records.types import BaseUrl, Day, Duration
from statusledger.records.vocabulary import ImpactLevel, SeverityLevel


class Page(Model):
    """Settings of the published page."""

    name: NonEmpty
    url: BaseUrl
    timezone: str = "UTC"
    language: Language = "en"
    description: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as UTC or Europe/Berlin"
            ) from None
        return value


class Component(Model):
    """Something users depend on, shown with a status and uptime bars."""

    id: ComponentId
    name: NonEmpty
    group: str | None = None
    description: str | None = None
    sla: str | None = None
    depends_on: list[str] = Field(default_factory=list)
    since: Day | None = None
    only_show_if_degraded: Switch = False


class Group(Model):
    """A heading that gathers components on the page."""

    id: ComponentId
    name: NonEmpty
    description: str | None = None


class Weights(Model):
    """How much of a second of each impact level counts as downtime."""

    major_outage: Number = Field(default=1.0, ge=0, le=1)
    partial_outage: Number = Field(default=0.3, ge=0, le=1)
    degraded_performance: Number = Field(default=0.0, ge=0, le=1)

    def of(self, level: ImpactLevel) -> float:
        """Return the weight of one impact level."""
        return float(getattr(self, level.value))


class CreditTier(Model):
    """A service credit owed when uptime falls below `below` percent."""

    below: Number = Field(gt=0, le=100)
    credit: Number = Field(ge=0)


class Sla(Model):
    """A service level agreement, measured per calendar window."""

    target: Number = Field(gt=0, le=100)
    window: Literal["month", "quarter", "year"] = "month"
    weights: Weights = Field(default_factory=Weights)
    exclude_maintenance: Switch = True
    credits: list[CreditTier] = Field(default_factory=list)


class Policy(Model):
    """Response targets for one severity."""

    acknowledge: Duration | None = None
    resolve: Duration | None = None
    update_every: Duration | None = None
    postmortem: Duration | None = None


ChannelType = Literal["slack", "teams", "discord", "webhook", "email"]
EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=128)]
EMAIL_PATTERN = r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$"
Email = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)]


class Notification(Model):
    """A channel told of every public update (statusledger notify); secrets stay in the env.

    One model for every type, checked per type after parsing, so a misplaced key is reported
    at its own line with the loader's usual finding rather than a union's tangle of errors.
    """

    id: ComponentId
    type: ChannelType
    url_env: EnvName | None = None
    components: list[str] | None = None
    to: list[Email] = Field(default_factory=list)
    from_: Email | None = Field(default=None, alias="from")
    smtp_env: EnvName | None = None

    @model_validator(mode="after")
    def _keys_of_its_type(self) -> Notification:
        if self.type == "email":
            wrong = [k for k, v in (("url_env", self.url_env),) if v is not None]
            needed = [
                k
                for k, v in (("to", self.to), ("from", self.from_), ("smtp_env", self.smtp_env))
                if not v
            ]
            what = (
                "an email channel needs to, from and smtp_env (the variable holding the SMTP URL)"
            )
        else:
            wrong = [
                k
                for k, v in (("to", self.to), ("from", self.from_), ("smtp_env", self.smtp_env))
                if v
            ]
            needed = [] if self.url_env else ["url_env"]
            what = (
                f"a {self.type} channel needs url_env, the name of the environment variable that "
                "holds its URL"
            )
        if needed:
            raise ValueError(f"channel '{self.id}': missing {', '.join(needed)}; {what}")
        if wrong:
            raise ValueError(
                f"channel '{self.id}': {', '.join(wrong)} is not a key of a {self.type} channel; "
                "remove it"
            )
        return self


class Services(Model):
    """services.yaml: the page, its components and the rules they are held to."""

    page: Page
    components: list[Component] = Field(min_length=1)
    groups: list[Group] = Field(default_factory=list)
    slas: dict[ComponentId, Sla] = Field(default_factory=dict)
    policies: dict[SeverityLevel, Policy] = Field(default_factory=dict)
    notifications: list[Notification] = Field(default_factory=list)

    def component(self, component_id: str) -> Component | None:
        """Return the component with this id, if any."""
        for component in self.components:
            if component.id == component_id:
                return component
        return None
