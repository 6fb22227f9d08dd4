"""The records' Git history: the append-only guard, one record's log, and what a change does.

This package is the only place that touches Git (through GitPython, in git.py alone). Built on it:

* `guard(ledger, base)` (guard.py, with pastfacts.py): the history rule of `validate --base REF`.
  A public timeline is a promise to customers; once an update, incident or postmortem is merged
  it may grow but not silently shrink or change.
* `changes(root, base)` (changes.py): what a branch changes on the public page, for pull-request
  summaries; `appended(ledger, base)`: the public updates it adds, for notify.
* `record_log(root, id)` (log.py): `statusledger log`, the story of one record across commits.

describe.py says in words what changed between two versions of a file; versions.py loads a
version read from Git as the loader would load the file.

"Merged" means present in the merge base of REF and HEAD (what `git diff REF...HEAD` compares
with), not REF's own tree: on a pull request the target branch may have moved on, and what it
gained since the branch point is not something the branch deleted.
"""

from statusledger.history.changes import Appended, FileChange, appended, changes
from statusledger.history.describe import Change, describe
from statusledger.history.git import default_base
from statusledger.history.guard import guard
from statusledger.history.log import LogEntry, RecordLog, record_log

__all__ = [
    "Appended",
    "Change",
    "FileChange",
    "LogEntry",
    "RecordLog",
    "appended",
    "changes",
    "default_base",
    "describe",
    "guard",
    "record_log",
]
