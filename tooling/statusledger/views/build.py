"""build_view: the ledger projected onto what the public may see, once per build."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import replace
from datetime import datetime

from statusledger.compute.status import overall_status
from statusledger.loading import Ledger
from statusledger.records.models import PostmortemStatus, Services, Visibility
from statusledger.views.components import component_views, group_views
from statusledger.views.model import View
from statusledger.views.records import incident_views, maintenance_views, postmortem_views


def public_ledger(ledger: Ledger) -> Ledger:
    """The ledger as the public may see it: public records and published postmortems only.

    Every public output is computed from this (component status, bars, badges, the API's
    indicator, the SLA pages), so an internal incident changes nothing the public sees; the
    internal commands (sla, uptime, metrics) read the whole ledger. Filtering once, here, is
    what keeps a later figure from forgetting to.
    """
    return replace(
        ledger,
        records=[r for r in ledger.records if r.model.visibility is Visibility.PUBLIC],
        postmortems=[p for p in ledger.postmortems if p.model.status is PostmortemStatus.PUBLISHED],
    )


def build_view(
    ledger: Ledger,
    now: datetime,
    days: int = 90,
    markdown_memo: MutableMapping[str, bytes] | None = None,
) -> View:
    """Project the ledger onto what the public may see, at `now`.

    Everything below reads the public ledger only, so no internal record or unpublished
    postmortem can reach a page. `markdown_memo` keeps the HTML of postmortem bodies between
    builds (see markup.py).
    """
    ledger = public_ledger(ledger)
    services = _services(ledger)
    page = services.page
    # By id, the last of a duplicate id winning (validation refuses duplicates).
    published = {p.id: p for p in ledger.postmortems}
    names = {c.id: c.name for c in services.components}
    incidents = incident_views(ledger.records, page, names, published, services.policies)
    maintenances = maintenance_views(ledger.records, page, now)
    public_ids = {i.id for i in incidents} | {m.id for m in maintenances}
    postmortems = postmortem_views(published.values(), page, public_ids, markdown_memo)
    components = component_views(services, ledger.records, now, days, incidents, public_ids)
    return View(
        page=page,
        now=now,
        overall=overall_status(c.status for c in components),
        components=components,
        groups=group_views(components, services.groups),
        incidents=incidents,
        maintenances=maintenances,
        postmortems=postmortems,
    )


def _services(ledger: Ledger) -> Services:
    if ledger.services is None:
        raise ValueError("build_view needs a ledger whose services.yaml loaded")
    return ledger.services.model
