"""Rules: files and ids — ids are unique, valid, not reserved, and match their files.

A record's id is its file stem and becomes a URL of the site, so a stem MkDocs would take for a
folder index, one that collides with another on a case-insensitive checkout, or one filed under
the wrong year is an error at line 1 of the file. These rules read paths only, so they also see
files that failed to load (the loader's findings name them).
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator
from datetime import date

from statusledger.errors import Finding, Severity
from statusledger.listing import docs_folder, site_links
from statusledger.loading import INCIDENTS_DIR, POSTMORTEMS_DIR, Ledger, LoadedRecord
from statusledger.records.models import RECORD_ID_PATTERN, Maintenance
from statusledger.validation import Context, Rule
from statusledger.validation.references import _finding, _folder, _stem

_RECORD_ID = re.compile(RECORD_ID_PATTERN)
_RECORD_ID_MAX = 120
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[^0-9])")
_YEAR = re.compile(r"^\d{4}$")


def _record_paths(ledger: Ledger, *, settled: bool = True) -> list[str]:
    """Every record file: those that loaded and those the loader reported on.

    Without `settled`, less those validate took as settled (for rules about one record).
    """
    paths = {r.path for r in (ledger.facts if settled else ledger.records)}
    for finding in ledger.findings:
        if _folder(finding.path) == INCIDENTS_DIR and finding.severity is Severity.ERROR:
            paths.add(finding.path)
    return sorted(paths)


def duplicate_record_ids(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Report one id (file stem) used in two year folders: links could not tell them apart."""
    first: dict[str, str] = {}
    for path in _record_paths(ledger):
        stem = _stem(path)
        if stem not in first:
            first[stem] = path
            continue
        yield _finding(
            (path, 1, 1),
            "ref/duplicate-id",
            f"record id '{stem}' is also used by {first[stem]}",
            "rename one of the files; ids (file names) must be unique across all years",
        )


@functools.lru_cache(maxsize=1 << 16)  # two rules ask about every record's id
def _date_prefix(stem: str) -> date | str | None:
    """Return the day a stem starts with, None without a date prefix, the text if no date."""
    match = _DATE_PREFIX.match(stem)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return stem[:10]


def _year_of(record: LoadedRecord | None) -> str:
    if record is None:
        return "YYYY"
    model = record.model
    moment = (
        model.window.start
        if isinstance(model, Maintenance)
        else (model.timeline.started or model.updates[0].at)
    )
    return str(moment.year)


def record_locations(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check records live in incidents/YYYY/<id>.yaml, the year matching a dated id.

    Tools and people find a record by its year; one filed under the wrong year is lost.
    """
    by_path = {r.path: r for r in ledger.records}
    for path in _record_paths(ledger, settled=False):
        parts = path.split("/")
        prefix = _date_prefix(_stem(path))
        misplaced = len(parts) != 3 or not _YEAR.fullmatch(parts[1])
        wrong_year = isinstance(prefix, date) and not misplaced and parts[1] != str(prefix.year)
        if not (misplaced or wrong_year):
            continue
        year = str(prefix.year) if isinstance(prefix, date) else _year_of(by_path.get(path))
        hint = f"move it: git mv {path} {INCIDENTS_DIR}/{year}/{parts[-1]}"
        if misplaced:
            yield _finding(
                (path, 1, 1),
                "ref/file-location",
                f"record files live in {INCIDENTS_DIR}/YYYY/<id>.yaml, not in "
                f"{posixpath.dirname(path) or '.'}/",
                hint,
            )
        else:
            yield _finding(
                (path, 1, 1),
                "ref/folder-year",
                f"the id starts with {_stem(path)[:10]} but the file is in the {parts[1]} folder",
                hint,
            )


# MkDocs makes index.md and README.md the page of their folder (any case), so a record or
# postmortem with such an id would never get a page of its own, or would replace the archive.
RESERVED_IDS = frozenset({"index", "readme"})


def _id_problem(stem: str) -> str | None:
    if stem.lower() in RESERVED_IDS:
        return (
            f"'{stem}' is a reserved id: MkDocs turns index and README files into the page of "
            "their folder, so this one would never be published as its own page"
        )
    if stem.endswith("."):
        return (
            f"'{stem}' ends in a dot, which Windows drops from file names (a checkout there "
            "would name another file)"
        )
    if len(stem) > _RECORD_ID_MAX:
        return f"the id is {len(stem)} characters long; at most {_RECORD_ID_MAX} are allowed"
    if not _RECORD_ID.fullmatch(stem):
        return (
            f"'{stem}' is not a valid id: use letters, digits, '-', '_' and '.', "
            "starting with a letter or digit"
        )
    prefix = _date_prefix(stem)
    if isinstance(prefix, str):
        return f"the id starts with '{prefix}', which is not a real date"
    return None


def invalid_ids(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Check file stems are valid ids, since they become links and URLs."""
    postmortem_paths = {pm.path for pm in ledger.postmortems} | {
        f.path
        for f in ledger.findings
        if _folder(f.path) == POSTMORTEMS_DIR and f.severity is Severity.ERROR
    }
    for path in [*_record_paths(ledger, settled=False), *sorted(postmortem_paths)]:
        problem = _id_problem(_stem(path))
        if problem is None:
            continue
        yield _finding(
            (path, 1, 1),
            "ref/invalid-id",
            problem,
            "rename the file, e.g. YYYY-MM-DD-short-summary" + posixpath.splitext(path)[1],
        )


def _case_collisions(paths: list[str]) -> Iterator[Finding]:
    first: dict[str, str] = {}
    for path in paths:
        stem = _stem(path)
        seen = first.setdefault(stem.casefold(), path)
        if seen != path and _stem(seen) != stem:
            yield _finding(
                (path, 1, 1),
                "ref/case-collision",
                f"the id '{stem}' differs only by case from '{_stem(seen)}' ({seen}); on macOS "
                "and Windows checkouts they are the same file",
                "rename one of them; ids are compared without regard to case",
            )


def case_collisions(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Report ids that differ only by case: case-insensitive file systems make them collide."""
    yield from _case_collisions(_record_paths(ledger))
    postmortems = {pm.path for pm in ledger.postmortems} | {
        f.path
        for f in ledger.findings
        if _folder(f.path) == POSTMORTEMS_DIR and f.severity is Severity.ERROR
    }
    yield from _case_collisions(sorted(postmortems))


def reserved_component_ids(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """A component's page is components/<id>/: `index` or `readme` would be the folder's page."""
    if ledger.services is None:
        return
    for index, component in enumerate(ledger.services.model.components):
        if component.id.lower() in RESERVED_IDS:
            yield _finding(
                ledger.services.at("components", index, "id"),
                "ref/invalid-id",
                f"'{component.id}' is a reserved id: MkDocs would make the component's page the "
                "page of the components folder",
                "choose another id, e.g. the service's name",
            )


def site_file_links(ledger: Ledger, context: Context) -> Iterator[Finding]:
    """Files of the site's docs folder are published as they are: none may link outside.

    The same check the build makes before MkDocs reads the folder, run here so a pull request
    adding such a link fails review rather than the publish job.
    """
    yield from site_links(ledger.root, docs_folder(ledger.root))


RULES: list[Rule] = [
    duplicate_record_ids,
    record_locations,
    invalid_ids,
    case_collisions,
    reserved_component_ids,
    site_file_links,
]

# Rules that look at one record at a time, by its path (validation/settled.py skips records
# they passed).
PER_RECORD: list[Rule] = [record_locations, invalid_ids]
