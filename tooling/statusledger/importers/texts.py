"""The text of the files an import creates, written by the one YAML writer (yamlwrite.py)."""

from __future__ import annotations

from statusledger.records.models import Incident, Maintenance, Postmortem, Services
from statusledger.yamlwrite import document, plain


def record_text(record: Incident | Maintenance) -> str:
    """The file text of a new incident or maintenance record."""
    return document(plain(record, always=("visibility",)))


def postmortem_text(postmortem: Postmortem, body: str) -> str:
    """The file text of a postmortem: YAML front matter, then the Markdown body."""
    return f"---\n{document(plain(postmortem))}---\n\n{body.strip()}\n"


def services_text(services: Services) -> str:
    """The text of a new services.yaml: one block per top-level key, groups last."""
    data = plain(services)
    if "groups" in data:
        data["groups"] = data.pop("groups")
    return document(data, blank_between=True)
