"""Postmortems: the front matter of postmortems/<id>.md and its action items."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from statusledger.records.base import Correction, Model, NonEmpty
from statusledger.records.types import Day, Url
from statusledger.records.vocabulary import (
    ActionStatus,
    ActionType,
    Detection,
    PostmortemStatus,
    Priority,
    RootCause,
)


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
