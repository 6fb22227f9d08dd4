"""The fixed words of the records: impact levels, statuses, severities, causes (records.md).

Each is a str Enum, so a record holds the plain word and a typo is refused with the list of
words allowed.
"""

from __future__ import annotations

from enum import Enum


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
