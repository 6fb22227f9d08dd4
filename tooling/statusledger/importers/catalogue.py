"""Components and groups: the source's keys matched to services.yaml ids, new ones appended.

A component that already exists (same name, preferably in a group of the same name) is never
changed; a new one gets the slug of its name as id, prefixed with its group's slug when the
plain slug is taken, then -2, -3... New components and groups are appended to services.yaml as
text, so every existing line, comment included, stays exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from statusledger.errors import StatusledgerError
from statusledger.importers.drafts import Batch, ComponentDraft, ComponentRef, GroupDraft
from statusledger.importers.notes import Notes
from statusledger.loading import SERVICES_FILE, Loaded, load_services_text
from statusledger.naming import slugify, unique
from statusledger.records.models import Component, Group, Services
from statusledger.yamledit import Editor, key_order
from statusledger.yamlwrite import plain


@dataclass
class Catalogue:
    """Source component and group keys mapped to ids in services.yaml, and what is new."""

    groups: dict[str, str] = field(default_factory=dict)
    components: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    new_groups: list[Group] = field(default_factory=list)
    new_components: list[Component] = field(default_factory=list)


def catalogue(batch: Batch, services: Services | None, notes: Notes) -> Catalogue:
    """Match the batch's groups and components against services.yaml (or nothing yet)."""
    cat = Catalogue()
    groups = list(services.groups) if services else []
    components = list(services.components) if services else []
    for group_draft in batch.groups:
        cat.groups[group_draft.key] = _group(group_draft, groups, cat)
    names = {g.id: g.name for g in groups}
    for draft in batch.components:
        group_id = cat.groups.get(draft.group) if draft.group else None
        if draft.group and group_id is None:
            notes.add(
                "unknown-group",
                f"component '{draft.name}'",
                f"its group ({draft.group}) is not defined; added without a group",
            )
        cat.components[draft.key] = _component(draft, group_id, names, components, cat)
    for component in components:
        cat.names.setdefault(component.name, component.id)
    return cat


def _group(draft: GroupDraft, groups: list[Group], cat: Catalogue) -> str:
    match = next((g for g in groups if g.name == draft.name), None)
    if match is None:
        match = Group(
            id=unique(slugify(draft.name, "group"), {g.id for g in groups}),
            name=draft.name,
            description=draft.description,
        )
        groups.append(match)
        cat.new_groups.append(match)
    return match.id


def _component(
    draft: ComponentDraft,
    group_id: str | None,
    group_names: dict[str, str],
    components: list[Component],
    cat: Catalogue,
) -> str:
    same_name = [c for c in components if c.name == draft.name]
    match = next((c for c in same_name if c.group == group_id), None)
    if match is None and same_name:
        match = same_name[0]
    if match is None:
        taken = {c.id for c in components}
        base = slugify(draft.name, "component")
        if base in taken and group_id:
            base = slugify(f"{group_names[group_id]} {draft.name}", "component")
        match = Component(
            id=unique(base, taken),
            name=draft.name,
            group=group_id,
            description=draft.description,
            since=draft.since,
            only_show_if_degraded=draft.only_show_if_degraded,
        )
        components.append(match)
        cat.new_components.append(match)
    return match.id


class Resolver:
    """Finds the id of a referenced component; remembers the references it could not place."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.missing: dict[ComponentRef, list[str]] = {}

    def __call__(self, ref: ComponentRef, where: str) -> str | None:
        """The id by the source's key, else by name; None (remembered) when neither is known."""
        if ref.key is not None and ref.key in self.cat.components:
            return self.cat.components[ref.key]
        if ref.name in self.cat.names:
            return self.cat.names[ref.name]
        users = self.missing.setdefault(ref, [])
        if where not in users:
            users.append(where)
        return None

    def report(self, notes: Notes, shown: int = 5) -> None:
        """One note per missing component, naming the records that referred to it."""
        for ref, users in self.missing.items():
            code = f" ({ref.key})" if ref.key else ""
            more = f" and {len(users) - shown} more" if len(users) > shown else ""
            notes.add(
                "unknown-component",
                f"component '{ref.name}'{code}",
                f"not defined; left out of {len(users)} record(s): "
                + "; ".join(users[:shown])
                + more,
            )


def extend_services(text: str, services: Services, cat: Catalogue) -> str:
    """services.yaml with the new groups and components appended, every old line kept.

    The one YAML editor adds them after the last item of each list, in its style (block or
    flow); the result must load to exactly the old content plus the new items, or nothing is
    written.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    try:
        editor = Editor(text.removeprefix(bom), SERVICES_FILE, key_order(Services))
        editor.append(("components",), [plain(c) for c in cat.new_components])
        editor.append(("groups",), [plain(g) for g in cat.new_groups])
        result: str | None = bom + editor.result()
    except StatusledgerError:
        result = None
    if result is None or not _extends(result, services, cat):
        raise StatusledgerError(
            f"could not add the new components to {SERVICES_FILE} without changing what is "
            "there; add them by hand: " + ", ".join(c.id for c in cat.new_components)
        )
    return result


def _extends(text: str, services: Services, cat: Catalogue) -> bool:
    loaded = load_services_text(text, SERVICES_FILE)
    if not isinstance(loaded, Loaded):
        return False
    model = loaded.model
    return (
        model.components == [*services.components, *cat.new_components]
        and model.groups == [*services.groups, *cat.new_groups]
        and model.page == services.page
        and model.slas == services.slas
        and model.policies == services.policies
    )
