"""The public projection of the records, computed once per build.

Everything the site, feeds, API, calendar and badges show comes from a View, and a View holds
nothing internal: no internal record, no draft postmortem, no roles, authors or owners. So a
renderer cannot leak what it was never given.

model.py holds the shapes, records.py and components.py fill them, build.py puts them together
behind public_ledger.
"""

from statusledger.views.build import build_view, public_ledger
from statusledger.views.model import (
    EPOCH,
    ActionItemView,
    AffectedView,
    ComponentView,
    DayView,
    GroupView,
    IncidentView,
    MaintenanceState,
    MaintenanceView,
    PostmortemView,
    UpdateView,
    View,
)

__all__ = [
    "EPOCH",
    "ActionItemView",
    "AffectedView",
    "ComponentView",
    "DayView",
    "GroupView",
    "IncidentView",
    "MaintenanceState",
    "MaintenanceView",
    "PostmortemView",
    "UpdateView",
    "View",
    "build_view",
    "public_ledger",
]
