"""Importers: records from another status page system's data (`statusledger import`).

Each importer reads its source into drafts (statuspage.py, cstate.py); apply.py matches them
against the repository and writes only what is new, so importing twice changes nothing.
tooling/docs/importing.md documents every mapping decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from statusledger.importers.apply import Outcome, plan, write
from statusledger.importers.cstate import read_cstate
from statusledger.importers.statuspage import read_statuspage

__all__ = ["Outcome", "import_cstate", "import_statuspage"]


def import_statuspage(root: Path, paths: Sequence[Path], *, dry_run: bool = False) -> Outcome:
    """Import Statuspage API v2 JSON files (or folders of them) into the repository at root."""
    outcome = plan(root, read_statuspage(paths))
    if not dry_run:
        write(root, outcome)
    return outcome


def import_cstate(root: Path, site: Path, *, dry_run: bool = False) -> Outcome:
    """Import a cState site's systems and issues into the repository at root."""
    outcome = plan(root, read_cstate(site))
    if not dry_run:
        write(root, outcome)
    return outcome
