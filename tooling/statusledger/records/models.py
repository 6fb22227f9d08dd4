"""Pydantic models of services.yaml, incidents, maintenance windows and postmortems (records.md).

Every model is frozen and forbids unknown keys: a typo in a record must fail review, not
silently vanish from the page. This module imports nothing else of ours but the scalar types.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)

from statusledger.records.types import BaseUrl, Day, Duration, Timestamp, Url

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
RECORD_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class Model(BaseModel):
    """Base of every record model: immutable, strict about keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ImpactLevel(str, Enum):
    """What users saw, from mildest to worst."""

    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"


class ComponentStatus(str, Enum):
    """A component's status as shown on the page (Statuspage's vocabulary)."""

    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

    @property
    def rank(self) -> int:
        """Order of badness: major > partial > degraded > maintenance > ok (docs/records.md)."""
        return _STATUS_RANK[self]


_STATUS_RANK = {
    ComponentStatus.OPERATIONAL: 0,
    ComponentStatus.UNDER_MAINTENANCE: 1,
    ComponentStatus.DEGRADED_PERFORMANCE: 2,
    ComponentStatus.PARTIAL_OUTAGE: 3,
    ComponentStatus.MAJOR_OUTAGE: 4,
}


class SeverityLevel(str, Enum):
    """sev1 is the worst."""

    SEV1 = "sev1"
    SEV2 = "sev2"
    SEV3 = "sev3"
    SEV4 = "sev4"


class Category(str, Enum):
    """What kind of failure it was."""

    OUTAGE = "outage"
    DEGRADATION = "degradation"
    NETWORK = "network"
    BUG = "bug"
    SECURITY = "security"
    DATA_LOSS = "data-loss"
    THIRD_PARTY = "third-party"
    CAPACITY = "capacity"
    OTHER = "other"


class Visibility(str, Enum):
    """Internal records never reach any published file."""

    PUBLIC = "public"
    INTERNAL = "internal"


class IncidentStatus(str, Enum):
    """The status of an incident update (Statuspage's vocabulary)."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"


class MaintenanceStatus(str, Enum):
    """The status of a maintenance update (Statuspage's vocabulary)."""

    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    VERIFYING = "verifying"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class PostmortemStatus(str, Enum):
    """Only published postmortems go public."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"


class RootCause(str, Enum):
    """Root cause families, for filtering the archive and for recurrence."""

    CONFIG_CHANGE = "config-change"
    DEPLOY = "deploy"
    CAPACITY = "capacity"
    DEPENDENCY = "dependency"
    HARDWARE = "hardware"
    NETWORK = "network"
    SECURITY = "security"
    DATA = "data"
    HUMAN_PROCESS = "human-process"
    UNKNOWN = "unknown"


class Detection(str, Enum):
    """How the problem came to our attention."""

    ALERT = "alert"
    CUSTOMER_REPORT = "customer-report"
    INTERNAL_REPORT = "internal-report"
    OTHER = "other"


class ActionType(str, Enum):
    """What an action item is for."""

    MITIGATE = "mitigate"
    PREVENT = "prevent"
    DETECT = "detect"
    PROCESS = "process"


class Priority(str, Enum):
    """Action item priority."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ActionStatus(str, Enum):
    """Action item state; open and in_progress count as not done."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WONT_DO = "wont_do"


Language = Literal["en", "it", "fr", "ro", "de", "es"]
ComponentId = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]
RecordId = Annotated[str, Field(pattern=RECORD_ID_PATTERN, max_length=120)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank (only spaces); write the text")
    return value


NonEmpty = Annotated[
    str, Field(min_length=1, json_schema_extra={"pattern": r"\S"}), AfterValidator(_not_blank)
]
# Numbers and switches as YAML writes them: `yes`, "99.9" or 1 where a number or a boolean
# belongs are refused rather than read as 1 %, 99.9 or true (pydantic's lax mode would).
Number = Annotated[float, Strict()]
Switch = Annotated[bool, Strict()]


class Correction(Model):
    """A reviewed change to something already merged (the history guard's escape hatch).

    The published page shows corrections, so rewriting history is never silent.
    """

    at: Timestamp
    what: NonEmpty
    why: NonEmpty


class Source(Model):
    """Where an imported record came from, so a second import recognises it."""

    system: Literal["statuspage", "cstate"]
    id: NonEmpty
    url: Url | None = None
    derived: list[str] = Field(default_factory=list)


# --- services.yaml ---------------------------------------------------------------------------


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


# --- incidents and maintenance ---------------------------------------------------------------


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


# --- postmortems ------------------------------------------------------------------------------


class ActionItem(Model):
    """Follow-up work from a postmortem; owner is internal."""

    id: NonEmpty
    title: NonEmpty
    type: ActionType
    owner: str | None = None
    priority: Priority = Priority.MEDIUM
    due: Day | None = None
    status: ActionStatus = ActionStatus.OPEN
    ticket: Url | None = None

    @property
    def is_done(self) -> bool:
        """Done or deliberately dropped."""
        return self.status in (ActionStatus.DONE, ActionStatus.WONT_DO)

    def overdue(self, today: date) -> bool:
        """Still open after its due day."""
        return not self.is_done and self.due is not None and self.due < today


class Postmortem(Model):
    """The front matter of postmortems/<id>.md; the body is kept beside it by the loader."""

    title: NonEmpty
    incidents: list[str] = Field(min_length=1)
    status: PostmortemStatus
    date: Day
    authors: list[str] = Field(default_factory=list)
    summary: NonEmpty
    root_causes: list[RootCause] = Field(default_factory=list)
    detection: Detection | None = None
    action_items: list[ActionItem] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    corrections: list[Correction] = Field(default_factory=list)
