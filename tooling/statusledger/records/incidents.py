"""Incidents and maintenance windows: the records of incidents/YYYY/<id>.yaml."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from statusledger.records.base import Correction, Model, NonEmpty, Source
from statusledger.records.types import Timestamp
from statusledger.records.vocabulary import (
    Category,
    ImpactLevel,
    IncidentStatus,
    MaintenanceStatus,
    SeverityLevel,
    Visibility,
)


class Impact(Model):
    """One component at one level for one stretch of time; `to` absent while ongoing."""

    component: str
    level: ImpactLevel
    from_: Timestamp = Field(alias="from")
    to: Timestamp | None = None


class Timeline(Model):
    """Milestones of the response; each optional, never decreasing in this order."""

    started: Timestamp | None = None
    detected: Timestamp | None = None
    acknowledged: Timestamp | None = None
    mitigated: Timestamp | None = None
    resolved: Timestamp | None = None


MILESTONES = ("started", "detected", "acknowledged", "mitigated", "resolved")

# The roles `statusledger assign` sets (the incident command roles of Google SRE and PagerDuty);
# a record may name others by hand. Like every role, internal: never published.
ROLES = ("commander", "deputy", "communications", "operations", "scribe", "liaison")


class SeverityChange(Model):
    """An escalation or downgrade: internal, kept so metrics know the severity at any moment."""

    at: Timestamp
    from_: SeverityLevel = Field(alias="from")
    to: SeverityLevel


class IncidentUpdate(Model):
    """One public message; append-only once merged."""

    at: Timestamp
    status: IncidentStatus
    message: NonEmpty


class MaintenanceUpdate(Model):
    """One public message about a maintenance window."""

    at: Timestamp
    status: MaintenanceStatus
    message: NonEmpty


class Incident(Model):
    """Something went wrong (tooling/docs/records.md)."""

    title: NonEmpty
    kind: Literal["incident"]
    severity: SeverityLevel
    category: Category
    visibility: Visibility = Visibility.PUBLIC
    impact: list[Impact] = Field(default_factory=list)
    timeline: Timeline = Field(default_factory=Timeline)
    roles: dict[str, str] = Field(default_factory=dict)
    severity_changes: list[SeverityChange] = Field(default_factory=list)
    updates: list[IncidentUpdate] = Field(min_length=1)
    postmortem: str | None = None
    tags: list[str] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)
    source: Source | None = None

    @property
    def status(self) -> IncidentStatus:
        """The current status is the status of the last update."""
        return self.updates[-1].status

    @property
    def is_open(self) -> bool:
        """Whether the incident is still going on."""
        return self.status is not IncidentStatus.RESOLVED

    def severity_at(self, moment: datetime) -> SeverityLevel:
        """The severity in force at `moment`: a change applies from its `at` on."""
        for change in self.severity_changes:
            if change.at > moment:
                return change.from_
        return self.severity


class Window(Model):
    """When a maintenance is planned to happen."""

    start: Timestamp
    end: Timestamp

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end <= self.start:
            raise ValueError("window.end must be after window.start")
        return self


class Maintenance(Model):
    """Planned work on some components; they show under_maintenance while it runs."""

    title: NonEmpty
    kind: Literal["maintenance"]
    visibility: Visibility = Visibility.PUBLIC
    window: Window
    components: list[str] = Field(min_length=1)
    updates: list[MaintenanceUpdate] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)
    source: Source | None = None

    @property
    def status(self) -> MaintenanceStatus:
        """The current status is the status of the last update."""
        return self.updates[-1].status


Record = Annotated[Incident | Maintenance, Field(discriminator="kind")]
