"""Finding what a command works on: the records, one record by id, a free id for a new one."""

from __future__ import annotations

import difflib
from datetime import datetime
from pathlib import Path

from statusledger.errors import StatusledgerError
from statusledger.loading import INCIDENTS_DIR, Ledger, LoadedRecord, record_files
from statusledger.naming import slugify, unique
from statusledger.records.models import Services
from statusledger.validation.settled import load_settled


def ledger_of(root: Path, now: datetime) -> Ledger:
    """The records as `validate` reads them: those it settled stay summaries (settled.py).

    A change is checked like a `validate` of the result, so at ten thousand records declaring
    an incident costs what the change does, not a full load. The record being changed is read
    whole (find).
    """
    return load_settled(root, now)[0]


def services_of(ledger: Ledger) -> Services:
    """The loaded services.yaml, or an error saying to fix it first."""
    if ledger.services is None:
        raise StatusledgerError(
            "services.yaml does not load; run 'statusledger validate' and fix it first"
        )
    return ledger.services.model


def find(ledger: Ledger, record_id: str) -> LoadedRecord:
    """The record by id (or by its path), or an error that suggests the ids meant."""
    wanted = Path(record_id).stem if record_id.endswith((".yaml", ".yml")) else record_id
    record = ledger.whole(wanted)
    if record is not None:
        return record
    broken = [
        f
        for f in ledger.findings
        if f.path.startswith(INCIDENTS_DIR + "/") and Path(f.path).stem == wanted
    ]
    if broken:
        first = broken[0]
        raise StatusledgerError(
            f"{first.path} does not load ({first.line}:{first.col}: {first.message}); fix it "
            "first ('statusledger validate' lists every problem)"
        )
    ids = sorted(r.id for r in ledger.facts)
    near = [i for i in ids if wanted and wanted in i][:3]
    near += [i for i in difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6) if i not in near]
    hint = (
        f"; did you mean {' or '.join(near[:3])}?"
        if near
        else "; an id is a file name under incidents/YYYY/ without .yaml"
    )
    raise StatusledgerError(f"no incident or maintenance with id '{wanted}'{hint}")


def new_record_path(root: Path, day: str, title: str, fallback: str) -> Path:
    """incidents/YYYY/<day>-<slug>.yaml, with -2, -3 ... when the id is taken in any year."""
    taken = {p.stem for p in record_files(root)}
    record_id = unique(f"{day}-{slugify(title, fallback)}", taken)
    return root / INCIDENTS_DIR / day[:4] / f"{record_id}.yaml"
