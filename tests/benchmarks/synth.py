"""Synthetic organisations in the exact record format of tooling/docs/records.md, for benchmarks.

`generate()` writes services.yaml, ``incidents/YYYY/<id>.yaml`` and ``postmortems/<id>.md`` under a
folder. Output depends only on the arguments: one ``random.Random(seed)`` drives every choice, the
clock is never read, and two runs with the same arguments are byte-identical. YAML is written from
templates (no ``yaml.dump``) so that 10,000 incidents take well under a few seconds.

Every generated record is valid: all incidents are resolved before ``end``, impacts are closed,
milestones and updates are in order, and ids equal file stems. sev1/sev2 incidents without a
postmortem only raise policy warnings.

Command line::

    python -m tests.benchmarks.synth OUT --incidents 10000 --components 20 --years 2 \\
        --postmortems 50 --seed 0
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

DEFAULT_END = datetime(2026, 11, 1, tzinfo=UTC)

SEVERITIES = ("sev1", "sev2", "sev3", "sev4")
SEVERITY_WEIGHTS = (3, 12, 45, 40)
SEVERE = ("sev1", "sev2")
CATEGORIES = (
    "outage",
    "degradation",
    "network",
    "bug",
    "security",
    "data-loss",
    "third-party",
    "capacity",
    "other",
)
CATEGORY_WEIGHTS = (20, 30, 12, 15, 3, 2, 8, 8, 2)
LEVELS = ("degraded_performance", "partial_outage", "major_outage")
LEVEL_WEIGHTS = {
    "sev1": (10, 30, 60),
    "sev2": (30, 50, 20),
    "sev3": (60, 35, 5),
    "sev4": (90, 10, 0),
}
# Minutes: (detect max, acknowledge max, mitigate max, resolve max) after the previous milestone.
DELAYS = {
    "sev1": (10, 20, 180, 120),
    "sev2": (15, 45, 360, 240),
    "sev3": (20, 300, 1440, 480),
    "sev4": (20, 1800, 2880, 1440),
}
# The longest incident (started .. last update) fits in this margin before `end`.
MARGIN_MINUTES = 6 * 24 * 60

MAINTENANCE_SHARE = 0.05
INTERNAL_SHARE = 0.02

PEOPLE = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
REGIONS = ("eu-west", "eu-central", "us-east", "us-west", "ap-south", "ap-northeast")
COMPONENT_NAMES = (
    ("Public API", "REST and gRPC endpoints"),
    ("Web dashboard", "The web application"),
    ("Database", "Managed PostgreSQL clusters"),
    ("Sign-in and SSO", "Password, SAML and OAuth sign-in"),
    ("Object storage", "Uploads, attachments and exports"),
    ("Job queue", "Background jobs and scheduled tasks"),
    ("Search", "Full-text search across workspaces"),
    ("Webhooks", "Outbound event delivery"),
    ("Email notifications", "Alert emails and invitations"),
    ("Billing", "Checkout, invoices and card payments"),
    ("CDN", "Static assets and edge caching"),
    ("DNS", "Authoritative DNS for customer domains"),
    ("Reports", "Scheduled reports and CSV exports"),
    ("Mobile push", "iOS and Android push notifications"),
    ("Analytics", "Usage dashboards and event ingestion"),
)
GROUP_NAMES = (
    "Core platform",
    "Applications",
    "Integrations",
    "Data",
    "Edge",
    "Developer tools",
    "Payments",
    "Messaging",
)
# Per category: (title template, slug); `{name}` is the first impacted component's name.
TITLES = {
    "outage": (("{name} unavailable", "unavailable"), ("{name} outage", "outage")),
    "degradation": (
        ("Elevated latency on {name}", "latency"),
        ("Elevated error rates on {name}", "errors"),
        ("Slow responses from {name}", "slowness"),
    ),
    "network": (
        ("Network connectivity issues affecting {name}", "network"),
        ("Packet loss in one region affecting {name}", "packet-loss"),
    ),
    "bug": (
        ("Incorrect results returned by {name}", "incorrect-results"),
        ("Failed requests to {name} after a release", "release-errors"),
    ),
    "security": (("Security issue affecting {name}", "security"),),
    "data-loss": (("Data loss in {name}", "data-loss"),),
    "third-party": (
        ("Upstream provider issue affecting {name}", "provider-issue"),
        ("Delays in {name} caused by a third-party provider", "provider-delays"),
    ),
    "capacity": (
        ("Capacity shortage in {name}", "capacity"),
        ("Queue backlog in {name}", "backlog"),
    ),
    "other": (("Intermittent problems with {name}", "intermittent"),),
}
MESSAGES = {
    "investigating": (
        "We are investigating reports of problems with {name}.",
        "We are looking into elevated error rates on {name}.",
        "Some customers are seeing failures when using {name}. We are investigating.",
        "Our monitoring detected issues with {name}. Engineers are investigating.",
        "We are still investigating the problems with {name} and will update shortly.",
    ),
    "identified": (
        "The issue with {name} has been identified and a fix is being implemented.",
        "We traced the problem to a recent change to {name} and are rolling it back.",
        "The cause has been identified as an overloaded dependency of {name}.",
        "We found the cause and are deploying a fix for {name}.",
    ),
    "monitoring": (
        "A fix has been applied to {name} and we are monitoring the results.",
        "{name} is recovering. We are watching error rates closely.",
        "Traffic to {name} is back to normal levels. We continue to monitor.",
    ),
    "resolved": (
        "This incident has been resolved. {name} is operating normally.",
        "{name} has been stable for some time and the incident is resolved.",
        "Error rates on {name} are back to normal. A postmortem will follow.",
        "The problem with {name} is fixed. We apologise for the disruption.",
    ),
}
MAINTENANCE_MESSAGES = {
    "scheduled": "We will perform scheduled maintenance on {name}.",
    "in_progress": "Scheduled maintenance on {name} is in progress.",
    "completed": "The scheduled maintenance on {name} has been completed.",
}
# Per category: (root cause, how a postmortem title says it).
ROOT_CAUSES = {
    "outage": ("deploy", "after a deploy"),
    "degradation": ("config-change", "after a configuration change"),
    "network": ("network", "caused by a network fault"),
    "bug": ("deploy", "caused by a faulty release"),
    "security": ("security", "caused by a security vulnerability"),
    "data-loss": ("data", "caused by a failed data migration"),
    "third-party": ("dependency", "caused by a failing provider"),
    "capacity": ("capacity", "caused by exhausted capacity"),
    "other": ("unknown", "of unknown cause"),
}
ACTION_TYPES = ("mitigate", "prevent", "detect", "process")
ACTION_TITLES = (
    "Add an alert on the error rate of {name}",
    "Roll out changes to {name} region by region",
    "Add a runbook for failing over {name}",
    "Load test {name} at twice the peak traffic",
    "Validate configuration of {name} in CI before it is pushed",
    "Review the on-call escalation path for {name}",
)

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.'()/%-]*[A-Za-z0-9.)%]")
_YAML_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n"})
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class _Component:
    id: str
    name: str


@dataclass(frozen=True)
class _Drawn:
    """One drawn incident: what its id, tags and postmortem need, and its YAML lines."""

    slug: str
    severity: str
    category: str
    title: str
    resolved: int
    name: str
    lines: list[str]


def _scalar(text: str) -> str:
    """Return `text` as a YAML scalar: plain when that is safe, else double-quoted."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text)


@functools.cache
def _day_text(day_number: int) -> str:
    """Return ``YYYY-MM-DD`` of a day counted from the Unix epoch."""
    return (_EPOCH + timedelta(days=day_number)).date().isoformat()


def _ts(minute: int) -> str:
    """Format minutes since the Unix epoch as an ISO 8601 UTC timestamp with ``Z``."""
    day_number, in_day = divmod(minute, 1440)
    hour, rest = divmod(in_day, 60)
    return f"{_day_text(day_number)}T{hour:02d}:{rest:02d}:00Z"


def _day(minute: int) -> date:
    """Return the UTC calendar day of minutes since the Unix epoch."""
    return (_EPOCH + timedelta(minutes=minute)).date()


def _minutes(moment: datetime) -> int:
    """Return whole minutes since the Unix epoch of an aware datetime."""
    return int((moment - _EPOCH).total_seconds()) // 60


def _services(rng: random.Random, count: int) -> tuple[str, list[_Component]]:
    """Return the text of services.yaml and the components it declares."""
    n_groups = max(1, round(count / 5))
    groups: list[tuple[str, str]] = []
    for index in range(n_groups):
        rank = index // len(GROUP_NAMES)
        group_name = GROUP_NAMES[index % len(GROUP_NAMES)]
        groups.append((f"g{index}", group_name if rank == 0 else f"{group_name} {rank + 1}"))
    edges: dict[int, list[int]] = {}
    for index in range(1, count):
        if rng.random() < 0.3:
            edges[index] = sorted(set(rng.sample(range(index), min(index, rng.randint(1, 2)))))
    if count > 1 and not edges:
        edges[1] = [0]

    components: list[_Component] = []
    lines = [
        "page:",
        "  name: Synthetic Cloud",
        "  url: https://status.example.com",
        "  timezone: UTC",
        "  language: en",
        "components:",
    ]
    for index in range(count):
        base, description = COMPONENT_NAMES[index % len(COMPONENT_NAMES)]
        rank = index // len(COMPONENT_NAMES)
        name = base if rank == 0 else f"{base} {rank + 1}"
        component = _Component(f"c{index:03d}", name)
        components.append(component)
        lines += [
            f"  - id: {component.id}",
            f"    name: {_scalar(name)}",
            f"    group: {groups[index * n_groups // count][0]}",
            f"    description: {_scalar(description)}",
            f"    sla: {'premium' if index % 3 == 0 else 'standard'}",
        ]
        if index in edges:
            lines.append(f"    depends_on: [{', '.join(f'c{dep:03d}' for dep in edges[index])}]")
    lines.append("groups:")
    lines += [f"  - {{id: {group_id}, name: {_scalar(name)}}}" for group_id, name in groups]
    lines += [
        "slas:",
        "  standard:",
        "    target: 99.9",
        "    window: month",
        "    weights: {major_outage: 1.0, partial_outage: 0.3, degraded_performance: 0.0}",
        "    exclude_maintenance: true",
        "    credits:",
        "      - {below: 99.9, credit: 10}",
        "      - {below: 99.0, credit: 25}",
        "      - {below: 95.0, credit: 100}",
        "  premium:",
        "    target: 99.95",
        "    window: quarter",
        "    weights: {major_outage: 1.0, partial_outage: 0.5, degraded_performance: 0.1}",
        "    exclude_maintenance: true",
        "    credits:",
        "      - {below: 99.95, credit: 10}",
        "      - {below: 99.9, credit: 25}",
        "      - {below: 99.0, credit: 50}",
        "      - {below: 95.0, credit: 100}",
        "policies:",
        "  sev1: {acknowledge: 15m, resolve: 4h, update_every: 30m, postmortem: 5d}",
        "  sev2: {acknowledge: 30m, resolve: 8h, update_every: 1h, postmortem: 10d}",
        "  sev3: {acknowledge: 4h, resolve: 3d}",
        "  sev4: {acknowledge: 1d}",
    ]
    return "\n".join(lines) + "\n", components


def _maintenance(
    rng: random.Random, start: int, visibility: str, components: Sequence[_Component]
) -> tuple[str, str]:
    """Return (slug, YAML text) of a completed maintenance window starting at `start`."""
    chosen = rng.sample(list(components), min(len(components), rng.choice((1, 1, 1, 2))))
    name = chosen[0].name
    end = start + rng.choice((30, 60, 90, 120, 240))
    announced = start - rng.randint(1, 7) * 24 * 60
    lines = [
        f"title: {_scalar(f'Scheduled maintenance of {name}')}",
        "kind: maintenance",
        f"visibility: {visibility}",
        "window:",
        f"  start: {_ts(start)}",
        f"  end: {_ts(end)}",
        f"components: [{', '.join(component.id for component in chosen)}]",
        "updates:",
    ]
    for at, status in ((announced, "scheduled"), (start, "in_progress"), (end, "completed")):
        lines += [
            f"  - at: {_ts(at)}",
            f"    status: {status}",
            f"    message: {_scalar(MAINTENANCE_MESSAGES[status].format(name=name))}",
        ]
    lines.append(f"tags: [{rng.choice(REGIONS)}]")
    return "maintenance", "\n".join(lines) + "\n"


def _incident(
    rng: random.Random,
    start: int,
    visibility: str,
    components: Sequence[_Component],
    ordinal: int,
) -> _Drawn:
    """Draw one resolved incident starting at `start`, its YAML lines up to ``updates``.

    `ordinal` counts incidents so far; the first ones cover every category and impact level.
    """
    severity = rng.choices(SEVERITIES, SEVERITY_WEIGHTS)[0]
    category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
    if ordinal < len(CATEGORIES):
        category = CATEGORIES[ordinal]
    detect, ack, mitigate, resolve = DELAYS[severity]
    detected = start + rng.randint(0, detect)
    acknowledged = detected + rng.randint(1, ack)
    mitigated = acknowledged + rng.randint(10, mitigate)
    resolved = mitigated + rng.randint(5, resolve)
    has_mitigated = rng.random() < 0.9

    impacts: list[tuple[_Component, str, int, int]] = []
    for index in range(rng.choices((1, 2, 3), (6, 3, 1))[0]):
        # Now and then the same component again: overlapping impacts must not add up.
        reuse = bool(impacts) and rng.random() < 0.2
        component = impacts[-1][0] if reuse else rng.choice(components)
        level = rng.choices(LEVELS, LEVEL_WEIGHTS[severity])[0]
        if index == 0 and ordinal < len(LEVELS):
            level = LEVELS[ordinal]
        if index == 0:
            begin, end = start, mitigated if has_mitigated else resolved
        else:
            begin = start + rng.randint(0, mitigated - start)
            end = begin + rng.randint(1, resolved - begin)
        impacts.append((component, level, begin, end))
    name = impacts[0][0].name
    template, slug = rng.choice(TITLES[category])
    title = template.format(name=name)

    lines = [
        f"title: {_scalar(title)}",
        "kind: incident",
        f"severity: {severity}",
        f"category: {category}",
        f"visibility: {visibility}",
        "impact:",
    ]
    for component, level, begin, end in impacts:
        lines += [
            f"  - component: {component.id}",
            f"    level: {level}",
            f"    from: {_ts(begin)}",
            f"    to: {_ts(end)}",
        ]
    lines += [
        "timeline:",
        f"  started: {_ts(start)}",
        f"  detected: {_ts(detected)}",
        f"  acknowledged: {_ts(acknowledged)}",
    ]
    if has_mitigated:
        lines.append(f"  mitigated: {_ts(mitigated)}")
    lines.append(f"  resolved: {_ts(resolved)}")
    if severity != "sev4" or rng.random() < 0.5:
        commander, communications = rng.sample(PEOPLE, 2)
        lines += ["roles:", f"  commander: {commander}", f"  communications: {communications}"]

    count = rng.randint(2, 5)
    last = resolved + rng.randint(0, 5)
    first = detected + rng.randint(0, min(15, (last - detected) // 4))
    times = [first, *sorted(rng.sample(range(first + 1, last), count - 2)), last]
    statuses = [
        "investigating",
        *(
            ("investigating", "identified", "monitoring")[step]
            for step in sorted(rng.choices(range(3), k=count - 2))
        ),
        "resolved",
    ]
    lines.append("updates:")
    for at, status in zip(times, statuses, strict=True):
        message = rng.choice(MESSAGES[status]).format(name=name)
        lines += [f"  - at: {_ts(at)}", f"    status: {status}", f"    message: {_scalar(message)}"]
    return _Drawn(slug, severity, category, title, resolved, name, lines)


def _postmortem(rng: random.Random, record_id: str, incident: _Drawn, end: int) -> str:
    """Return the Markdown text of a published postmortem of `incident`, dated before `end`."""
    written = min(_day(incident.resolved) + timedelta(days=rng.randint(1, 4)), _day(end - 1))
    cause, phrase = ROOT_CAUSES[incident.category]
    lines = [
        "---",
        f"title: {_scalar(f'{incident.title} {phrase}')}",
        f"incidents: [{record_id}]",
        "status: published",
        f"date: {written.isoformat()}",
        f"authors: [{', '.join(rng.sample(PEOPLE, rng.randint(1, 2)))}]",
        f"summary: {_scalar(f'{incident.title}. The root cause was classified as {cause}.')}",
        f"root_causes: [{cause}]",
        f"detection: {rng.choices(('alert', 'customer-report', 'internal-report'), (6, 3, 1))[0]}",
        "action_items:",
    ]
    for number, title in enumerate(rng.sample(ACTION_TITLES, 2), start=1):
        due = written + timedelta(days=rng.randint(7, 60))
        status = rng.choice(("done", "done", "wont_do")) if due < _day(end) else "open"
        lines += [
            f"  - id: AI-{number}",
            f"    title: {_scalar(title.format(name=incident.name))}",
            f"    type: {rng.choice(ACTION_TYPES)}",
            f"    owner: {rng.choice(PEOPLE)}",
            f"    priority: {rng.choice(('high', 'medium', 'low'))}",
            f"    due: {due.isoformat()}",
            f"    status: {status}",
            f"    ticket: https://tracker.example.com/OPS-{rng.randint(100, 9999)}",
        ]
    lines += [
        "---",
        "## Summary",
        f"{incident.title}.",
        "## Impact",
        f"Customers using {incident.name} saw errors or slow responses.",
        "## Root causes",
        f"Classified as {cause}.",
        "## Trigger",
        "A routine change.",
        "## Resolution",
        "The change was reverted and the service recovered.",
        "## Detection",
        "Automated alerting paged the on-call engineer.",
        "## What went well",
        "The rollback was quick.",
        "## What went wrong",
        "The change was not caught in review.",
        "## Where we got lucky",
        "The problem started outside peak hours.",
        "## Timeline",
        f"- {_ts(incident.resolved)} resolved",
    ]
    return "\n".join(lines) + "\n"


def _write(folder: str, name: str, text: str, folders: set[str]) -> None:
    """Write UTF-8 text with ``\\n`` line endings to `folder`/`name`, creating `folder` once."""
    if folder not in folders:
        os.makedirs(folder, exist_ok=True)
        folders.add(folder)
    with open(os.path.join(folder, name), "wb") as file:
        file.write(text.encode("utf-8"))


def generate(
    root: Path,
    *,
    incidents: int,
    components: int = 8,
    years: int = 2,
    postmortems: int = 0,
    seed: int = 0,
    end: datetime = DEFAULT_END,
) -> None:
    """Write a complete synthetic organisation under `root`.

    `incidents` records (about 5% maintenance windows, about 2% internal) start uniformly over the
    `years` years before `end`, all resolved or completed before `end`. The first `postmortems`
    public sev1/sev2 incidents in time order get a published postmortem linked both ways; fewer
    when there are not enough such incidents. Existing files under `root` are overwritten, never
    deleted, so pass an empty folder.
    """
    if end.tzinfo is None:
        raise ValueError("end must be an aware datetime")
    if incidents < 0 or components < 1 or years < 1 or postmortems < 0:
        raise ValueError("need incidents >= 0, components >= 1, years >= 1, postmortems >= 0")
    rng = random.Random(seed)
    base = os.fspath(root)
    services_text, component_list = _services(rng, components)
    folders: set[str] = set()
    _write(base, "services.yaml", services_text, folders)
    postmortem_folder = os.path.join(base, "postmortems")
    incident_folder = os.path.join(base, "incidents")

    end_minute = _minutes(end.astimezone(UTC))
    last = end_minute - MARGIN_MINUTES
    first = end_minute - round(365.25 * years) * 24 * 60
    starts = sorted(rng.randrange(first, last) for _ in range(incidents))
    maintenance = set(rng.sample(range(incidents), round(incidents * MAINTENANCE_SHARE)))
    internal = set(rng.sample(range(incidents), round(incidents * INTERNAL_SHARE)))

    ordinal = 0
    written = 0
    for number, start in enumerate(starts, start=1):
        index = number - 1
        visibility = "internal" if index in internal else "public"
        prefix = _day_text(start // 1440)
        if index in maintenance:
            slug, text = _maintenance(rng, start, visibility, component_list)
            record_id = f"{prefix}-{slug}-{number}"
        else:
            drawn = _incident(rng, start, visibility, component_list, ordinal)
            ordinal += 1
            record_id = f"{prefix}-{drawn.slug}-{number}"
            lines = drawn.lines
            if written < postmortems and drawn.severity in SEVERE and visibility == "public":
                written += 1
                text = _postmortem(rng, record_id, drawn, end_minute)
                _write(postmortem_folder, f"{record_id}.md", text, folders)
                lines.append(f"postmortem: {record_id}")
            tags = rng.sample(REGIONS, rng.choice((0, 1, 1, 2)))
            if tags:
                lines.append(f"tags: [{', '.join(tags)}]")
            text = "\n".join(lines) + "\n"
        folder = os.path.join(incident_folder, prefix[:4])
        _write(folder, f"{record_id}.yaml", text, folders)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, generate the organisation and return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.synth",
        description="Write a synthetic statusledger organisation for benchmarks.",
    )
    parser.add_argument("out", type=Path, help="folder to write (created if missing)")
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--components", type=int, default=8)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--postmortems", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--end",
        type=datetime.fromisoformat,
        default=DEFAULT_END,
        help="aware ISO 8601 timestamp everything happens before (default 2026-11-01T00:00:00Z)",
    )
    args = parser.parse_args(argv)
    try:
        generate(
            args.out,
            incidents=args.incidents,
            components=args.components,
            years=args.years,
            postmortems=args.postmortems,
            seed=args.seed,
            end=args.end,
        )
    except ValueError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
