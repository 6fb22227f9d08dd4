"""Rules: references (docs/rules.md) — ids exist, are unique, point both ways and match their files.

A dangling id is a broken link on the published page (an impact on a component the page does not
show, a postmortem link that leads nowhere), so each one is an error at the exact value that names
it. Rules that need services.yaml skip quietly when it did not load: its own findings say why.
Files that failed to load are still known by their paths (from the loader's findings), so a
record pointing at a broken postmortem is not also told that the postmortem is missing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from statusledger.errors import Finding, Severity
from statusledger.facts import IncidentFacts, MaintenanceFacts, RecordFacts
from statusledger.loading import (
    INCIDENTS_DIR,
    POSTMORTEMS_DIR,
    Ledger,
    Loaded,
    LoadedPostmortem,
)
from statusledger.records.models import (
    Incident,
    PostmortemStatus,
    Services,
    Visibility,
)
from statusledger.validation import Context, Rule

Where = tuple[str, int, int]


def _finding(
    where: Where, rule: str, message: str, hint: str, severity: Severity = Severity.ERROR
) -> Finding:
    path, line, col = where
    return Finding(path, line, col, rule, message, hint, severity)


def _did_you_mean(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    return f"did you mean '{close[0]}'? " if close else ""


def _known(ids: Iterable[str]) -> str:
    listed = sorted(set(ids))
    if not listed:
        return "none are defined yet"
    shown = ", ".join(listed[:12])
    return f"known: {shown}" + (", ..." if len(listed) > 12 else "")


# --- services.yaml -----------------------------------------------------------------------------


def _duplicates(
    services: Loaded[Services], section: str, ids: list[str], rule: str, noun: str
) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, ident in enumerate(ids):
        if ident not in first:
            first[ident] = index
            continue
        line = services.at(section, first[ident], "id")[1]
        yield _finding(
            services.at(section, index, "id"),
            rule,
            f"{noun} id '{ident}' is already used at line {line}",
            f"give each {noun} its own id; records refer to {noun}s by id",
        )


def duplicate_components(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Two components with one id would make every impact on that id ambiguous."""
    if ledger.services is None:
        return
    ids = [c.id for c in ledger.services.model.components]
    yield from _duplicates(
        ledger.services, "components", ids, "ref/duplicate-component", "component"
    )


def duplicate_groups(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Two groups with one id would make the page's headings ambiguous."""
    if ledger.services is None:
        return
    ids = [g.id for g in ledger.services.model.groups]
    yield from _duplicates(ledger.services, "groups", ids, "ref/duplicate-group", "group")


def unknown_groups(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check groups exist: a component in an undefined group would vanish from the layout."""
    if ledger.services is None:
        return
    services = ledger.services
    groups = {g.id for g in services.model.groups}
    for index, component in enumerate(services.model.components):
        if component.group is None or component.group in groups:
            continue
        yield _finding(
            services.at("components", index, "group"),
            "ref/unknown-group",
            f"component '{component.id}' is in group '{component.group}', which is not defined",
            f"{_did_you_mean(component.group, groups)}add it under groups: or fix the id "
            f"({_known(groups)})",
        )


def unknown_slas(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check SLAs exist: a component held to an undefined SLA has no target to report."""
    if ledger.services is None:
        return
    services = ledger.services
    slas = set(services.model.slas)
    for index, component in enumerate(services.model.components):
        if component.sla is None or component.sla in slas:
            continue
        yield _finding(
            services.at("components", index, "sla"),
            "ref/unknown-sla",
            f"component '{component.id}' uses SLA '{component.sla}', which is not defined",
            f"{_did_you_mean(component.sla, slas)}add it under slas: or fix the id "
            f"({_known(slas)})",
        )


def unknown_dependencies(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """depends_on drives the dependency view; an unknown id there is a typo."""
    if ledger.services is None:
        return
    services = ledger.services
    ids = {c.id for c in services.model.components}
    for index, component in enumerate(services.model.components):
        for position, dependency in enumerate(component.depends_on):
            if dependency in ids:
                continue
            yield _finding(
                services.at("components", index, "depends_on", position),
                "ref/unknown-dependency",
                f"component '{component.id}' depends on '{dependency}', which is not a component",
                f"{_did_you_mean(dependency, ids)}fix the id or remove it ({_known(ids)})",
            )


def dependency_cycles(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Report depends_on cycles: they mean nothing (nothing fails first) and loop tools."""
    if ledger.services is None:
        return
    services = ledger.services
    index_of: dict[str, int] = {}
    for index, component in enumerate(services.model.components):
        index_of.setdefault(component.id, index)
    for cycle, (index, position) in _cycles(services.model, index_of):
        yield _finding(
            services.at("components", index, "depends_on", position),
            "ref/dependency-cycle",
            "components depend on each other in a cycle: " + " -> ".join(cycle),
            f"remove one link of the cycle, e.g. '{cycle[-1]}' from the depends_on of "
            f"'{cycle[-2]}'",
        )


def _cycles(
    services: Services, index_of: dict[str, int]
) -> Iterator[tuple[list[str], tuple[int, int]]]:
    """Depth-first search without recursion; each back edge closes one reported cycle."""
    done: set[str] = set()
    for start in index_of:
        if start in done:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        on_path: dict[str, int] = {start: 0}
        while stack:
            node, position = stack[-1]
            deps = services.components[index_of[node]].depends_on
            if position >= len(deps):
                stack.pop()
                del on_path[node]
                done.add(node)
                continue
            stack[-1] = (node, position + 1)
            target = deps[position]
            if target not in index_of or target in done:
                continue
            if target in on_path:
                cycle = [name for name, _ in stack[on_path[target] :]] + [target]
                yield cycle, (index_of[node], position)
                continue
            on_path[target] = len(stack)
            stack.append((target, 0))


def duplicate_channels(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Channel ids key what `notify --state` remembers as sent; two alike would share it."""
    if ledger.services is None:
        return
    ids = [n.id for n in ledger.services.model.notifications]
    yield from _duplicates(
        ledger.services, "notifications", ids, "ref/duplicate-channel", "notification channel"
    )


def unknown_channel_components(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """A filter on a component that does not exist would silently tell the channel nothing."""
    if ledger.services is None:
        return
    services = ledger.services
    ids = {c.id for c in services.model.components}
    for index, channel in enumerate(services.model.notifications):
        for position, component in enumerate(channel.components or []):
            if component in ids:
                continue
            yield _finding(
                services.at("notifications", index, "components", position),
                "ref/unknown-channel-component",
                f"notification channel '{channel.id}' filters on '{component}', which is not a "
                "component",
                f"{_did_you_mean(component, ids)}use a component id ({_known(ids)})",
            )


def duplicate_credits(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Two credit tiers with one `below` leave the credit owed at that uptime undecided."""
    if ledger.services is None:
        return
    services = ledger.services
    for name, sla in services.model.slas.items():
        first: dict[float, int] = {}
        for index, tier in enumerate(sla.credits):
            seen = first.setdefault(tier.below, index)
            if seen == index:
                continue
            yield _finding(
                services.at("slas", name, "credits", index, "below"),
                "ref/duplicate-credit",
                f"SLA '{name}' has two credit tiers below {tier.below:g} "
                f"(line {services.at('slas', name, 'credits', seen, 'below')[1]})",
                "keep one tier per 'below' value; the credit is that of the smallest 'below' "
                "above the uptime",
            )


# --- records -> services -----------------------------------------------------------------------


def unknown_components(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check impacts and maintenance name components; others never show on the page."""
    if ledger.services is None:
        return
    ids = {c.id for c in ledger.services.model.components}
    for record in ledger.records:
        model = record.model
        named: list[tuple[tuple[str | int, ...], str]]
        if isinstance(model, Incident):
            named = [
                (("impact", i, "component"), imp.component) for i, imp in enumerate(model.impact)
            ]
        else:
            named = [(("components", i), c) for i, c in enumerate(model.components)]
        for loc, component in named:
            if component in ids:
                continue
            yield _finding(
                record.at(*loc),
                "ref/unknown-component",
                f"'{component}' is not a component in services.yaml",
                f"{_did_you_mean(component, ids)}use a component id ({_known(ids)})",
            )


def repeated_components(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """A maintenance listing one component twice is a slip (a copy, or another id meant)."""
    for record in ledger.maintenances:
        seen: dict[str, int] = {}
        for index, component in enumerate(record.model.components):
            first = seen.setdefault(component, index)
            if first == index:
                continue
            yield _finding(
                record.at("components", index),
                "ref/repeated-component",
                f"'{component}' is listed twice in components (first at line "
                f"{record.at('components', first)[1]})",
                "list each component once; was another component meant?",
            )


def duplicate_action_items(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Action item ids name one item each: trackers and the page link them by id."""
    for postmortem in ledger.postmortems:
        seen: dict[str, int] = {}
        for index, item in enumerate(postmortem.model.action_items):
            first = seen.setdefault(item.id, index)
            if first == index:
                continue
            yield _finding(
                postmortem.at("action_items", index, "id"),
                "ref/duplicate-action-item",
                f"action item id '{item.id}' is already used at line "
                f"{postmortem.at('action_items', first, 'id')[1]}",
                "give each action item its own id (AI-1, AI-2, ...)",
            )


# --- incidents <-> postmortems -----------------------------------------------------------------


def _records_by_id(ledger: Ledger) -> dict[str, RecordFacts]:
    """Records' facts by id, the first of duplicates winning as in Ledger.record (one pass)."""
    index: dict[str, RecordFacts] = {}
    for facts in ledger.facts:
        index.setdefault(facts.id, facts)
    return index


def _incidents(ledger: Ledger) -> list[IncidentFacts]:
    return [f for f in ledger.facts if isinstance(f, IncidentFacts)]


def _postmortems_by_id(ledger: Ledger) -> dict[str, LoadedPostmortem]:
    index: dict[str, LoadedPostmortem] = {}
    for postmortem in ledger.postmortems:
        index.setdefault(postmortem.id, postmortem)
    return index


def _folder(path: str) -> str:
    """The top folder of a relative path ('' for a file at the root)."""
    head, sep, _ = path.partition("/")
    return head if sep else ""


def _stem(path: str) -> str:
    """The file name without its extension: the id of a record or postmortem."""
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def _failed_stems(ledger: Ledger, folder: str) -> set[str]:
    """Ids of files in `folder` that exist but did not load (their findings name them)."""
    stems: set[str] = set()
    for finding in ledger.findings:
        # Warnings (a skipped `.YAML` file, a linked folder) name no file that tried to load.
        if _folder(finding.path) == folder and finding.severity is Severity.ERROR:
            stems.add(_stem(finding.path))
    return stems


def unknown_postmortems(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check an incident's postmortem link leads to postmortems/<id>.md, not to a 404."""
    broken = _failed_stems(ledger, POSTMORTEMS_DIR)
    known = {pm.id for pm in ledger.postmortems}
    for record in _incidents(ledger):
        target = record.postmortem
        if target is None or target in known or target in broken:
            continue
        yield _finding(
            record.at("postmortem"),
            "ref/unknown-postmortem",
            f"postmortem '{target}' does not exist (no {POSTMORTEMS_DIR}/{target}.md)",
            f"{_did_you_mean(target, known)}fix the id, or write it with "
            f"'statusledger new postmortem {record.id}'",
        )


def postmortem_backlinks(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check a linked postmortem lists the incident back, or the two pages disagree."""
    postmortems = _postmortems_by_id(ledger)
    for record in _incidents(ledger):
        target = record.postmortem
        postmortem = postmortems.get(target) if target else None
        if postmortem is None or record.id in postmortem.model.incidents:
            continue
        yield _finding(
            record.at("postmortem"),
            "ref/postmortem-backlink",
            f"postmortem '{postmortem.id}' does not list this incident in its incidents:",
            f"add {record.id} to 'incidents:' in {postmortem.path}, or fix this link",
        )


def unknown_incidents(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check a postmortem's incidents: are incident records, or its page links nowhere."""
    broken = _failed_stems(ledger, INCIDENTS_DIR)
    records = _records_by_id(ledger)
    known = {r.id for r in records.values() if isinstance(r, IncidentFacts)}
    for postmortem in ledger.postmortems:
        for index, ident in enumerate(postmortem.model.incidents):
            record = records.get(ident)
            if isinstance(record, MaintenanceFacts):
                yield _finding(
                    postmortem.at("incidents", index),
                    "ref/not-an-incident",
                    f"'{ident}' is a maintenance window, not an incident",
                    "postmortems cover incidents; record what went wrong as an incident "
                    "and list that one",
                )
            elif record is None and ident not in broken:
                yield _finding(
                    postmortem.at("incidents", index),
                    "ref/unknown-incident",
                    f"incident '{ident}' does not exist (no {INCIDENTS_DIR}/YYYY/{ident}.yaml)",
                    f"{_did_you_mean(ident, known)}fix the id or remove it",
                )


def incident_backlinks(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check incidents listed by a postmortem name it back, or the two pages disagree."""
    records = _records_by_id(ledger)
    for postmortem in ledger.postmortems:
        for index, ident in enumerate(postmortem.model.incidents):
            record = records.get(ident)
            if not isinstance(record, IncidentFacts):
                continue
            linked = record.postmortem
            if linked == postmortem.id:
                continue
            now_says = f"it names '{linked}'" if linked else "it names none"
            yield _finding(
                postmortem.at("incidents", index),
                "ref/incident-backlink",
                f"incident '{ident}' does not name this postmortem ({now_says})",
                f"set 'postmortem: {postmortem.id}' in {record.path}, or remove it from here",
            )


def internal_only_postmortems(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Warn when a published postmortem covers only internal incidents: it reveals them.

    It is a warning (an error with --strict): publishing may be deliberate, but usually the
    postmortem was published by habit while its incidents were kept off the page.
    """
    records = _records_by_id(ledger)
    for postmortem in ledger.postmortems:
        if postmortem.model.status is not PostmortemStatus.PUBLISHED:
            continue
        linked = [records.get(ident) for ident in postmortem.model.incidents]
        incidents = [r for r in linked if isinstance(r, IncidentFacts)]
        if not incidents or any(i.visibility is Visibility.PUBLIC for i in incidents):
            continue
        yield _finding(
            postmortem.at("status"),
            "ref/internal-only-postmortem",
            "this published postmortem covers only internal incidents; publishing it reveals "
            "that they happened",
            "keep it unpublished (status: in_review), or make one of its incidents public "
            "if the page should tell the story",
            Severity.ERROR if context.strict else Severity.WARNING,
        )


RULES: list[Rule] = [
    duplicate_components,
    duplicate_credits,
    repeated_components,
    duplicate_action_items,
    duplicate_groups,
    unknown_groups,
    unknown_slas,
    unknown_dependencies,
    dependency_cycles,
    duplicate_channels,
    unknown_channel_components,
    unknown_components,
    unknown_postmortems,
    postmortem_backlinks,
    unknown_incidents,
    incident_backlinks,
    internal_only_postmortems,
]

# Rules that look at one record at a time, by its content and path (with services.yaml, which
# the settled cache is keyed by); validation/settled.py skips records they passed.
PER_RECORD: list[Rule] = [unknown_components, repeated_components]
