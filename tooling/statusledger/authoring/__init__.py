"""new, update and resolve: write records the way an author would, keeping what they wrote.

Records are reviewed in pull requests, so an edit must show up in the diff as the lines it adds
and nothing else: the one YAML editor (yamledit.py) inserts text where the composed YAML says,
and proves the result loads to exactly the model the change intends; the whole repository with
the new text in place must then pass the validation rules for that file.

The package: `commands` (the commands), `changes` (what a command changes, on the model),
`texts` (new records, postmortems, default messages), `writing` (proof, validation and the
atomic write under the record's lock), `checks` (what the commands refuse), `inputs` and
`lookup` (what they are handed and what they find).

Choices the record format leaves open, made here and shown in `--help`:
- a new incident's category defaults to `outage` when any impact is a major or partial outage,
  else `degradation`;
- a new maintenance record is named after the day its window starts (in page.timezone), the
  day people look for it, while an incident is named after the day it was opened;
- a resolved incident is never reopened by `update`: its history says it ended. If the problem
  is back, open a new incident that mentions the old one (Statuspage does the same); a record
  that is simply wrong is corrected by hand in review.
"""

from statusledger.authoring.commands import (
    assign_role,
    new_incident,
    new_maintenance,
    new_postmortem,
    resolve_record,
    update_record,
)
from statusledger.authoring.inputs import (
    IncidentDraft,
    MaintenanceDraft,
    Written,
    display_path,
    parse_component_level,
)

__all__ = [
    "IncidentDraft",
    "MaintenanceDraft",
    "Written",
    "assign_role",
    "display_path",
    "new_incident",
    "new_maintenance",
    "new_postmortem",
    "parse_component_level",
    "resolve_record",
    "update_record",
]
