"""Which files of a repository are records, and which links among them are refused.

Kept apart from loading.py, which reads what this lists: the walk decides what may be read at
all, before a byte of it is.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from statusledger.errors import Finding, Severity

SERVICES_FILE = "services.yaml"
INCIDENTS_DIR = "incidents"
POSTMORTEMS_DIR = "postmortems"
RECORD_SUFFIXES = (".yaml", ".yml")


class Scan:
    """Lists record files, refusing symbolic links that leave the repository or loop.

    A record, postmortem or services.yaml that is a link to /proc/self/environ or to another
    checkout would be published as if it were a record; a link loop would fail deep inside a
    read. Both become findings at the link. Links within the repository are read as the files
    they point at; linked folders are not entered (a warning says so), nor are files whose
    suffix differs from the expected one only by case.
    """

    def __init__(self, root: Path) -> None:
        self.root = os.path.realpath(root)
        self.prefix = os.path.join(self.root, "")
        self.findings: list[Finding] = []

    def admits(self, path: str, rel: str, *, folder: bool = False) -> bool:
        """Whether a path that is a symbolic link may be read (it is, if it is not a link)."""
        if not os.path.islink(path):
            return True
        try:
            os.stat(path)
        except OSError as err:
            if err.errno == errno.ELOOP:
                self.refuse(
                    rel,
                    "file/symlink-loop",
                    "the file is a symbolic link that loops back on itself",
                    "replace the link with the file it should point at",
                )
                return False
            return True  # a dangling link: reading it reports the missing file
        target = os.path.realpath(path)
        if not (target + os.sep).startswith(self.prefix):
            self.refuse(
                rel,
                "file/outside-repository",
                f"the file is a symbolic link to {target}, outside the repository; it is not read",
                "put the file itself in the repository instead of a link to it",
            )
            return False
        if folder and rel != INCIDENTS_DIR:
            self.refuse(
                rel,
                "file/skipped",
                "this folder is a symbolic link; records in linked folders are not read",
                f"move the folder's files into {INCIDENTS_DIR}/YYYY/ instead of linking it",
                Severity.WARNING,
            )
            return False
        return True

    def walk(self, folder: str, rel: str, found: list[str]) -> None:
        """Record files under `folder`, as os.walk would find them (links checked first)."""
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            name = f"{rel}/{entry.name}"
            if entry.is_symlink():
                admitted = self.admits(entry.path, name, folder=os.path.isdir(entry.path))
                if admitted and entry.is_file() and entry.name.endswith(RECORD_SUFFIXES):
                    found.append(entry.path)
            elif entry.is_dir():
                self.walk(entry.path, name, found)
            elif entry.name.endswith(RECORD_SUFFIXES):
                if entry.is_file():  # not a FIFO or socket, which a read would wait on
                    found.append(entry.path)
            elif entry.name.lower().endswith(RECORD_SUFFIXES):
                self.skipped(name, ".yaml")

    def skipped(self, rel: str, suffix: str) -> None:
        """Warn about a file that looks like a record but is not read: its suffix's case."""
        stem, _, ext = rel.rpartition(".")
        self.refuse(
            rel,
            "file/skipped",
            f"'.{ext}' files are not read; record files end in '{suffix}' (lower case)",
            f"rename it: git mv '{rel}' '{stem}{suffix}'",
            Severity.WARNING,
        )

    def refuse(
        self, rel: str, rule: str, message: str, hint: str, severity: Severity = Severity.ERROR
    ) -> None:
        """Note a finding at line 1 of a refused or skipped path."""
        self.findings.append(Finding(rel, 1, 1, rule, message, hint, severity))


def record_files(root: Path) -> list[Path]:
    """Incident and maintenance files: incidents/YYYY/<id>.yaml, in a stable order.

    os.walk rather than Path.rglob: at ten thousand records the pathlib objects made for
    every entry cost more than reading the files. Files the loader refuses or skips (links
    out of the repository, loops, `.YAML`) are left out; `load_ledger` reports them.
    """
    return [Path(p) for p in record_file_names(root)[0]]


def record_file_names(root: Path) -> tuple[list[str], list[Finding]]:
    """record_files as plain strings, which is all the loader needs, and the files refused.

    One scandir per folder: the directory entries already say which are files, where a
    stat per record cost a twentieth of a warm `validate`.
    """
    found: list[str] = []
    scan = Scan(root)
    folder = os.path.join(root, INCIDENTS_DIR)
    if scan.admits(folder, INCIDENTS_DIR, folder=True):
        scan.walk(folder, INCIDENTS_DIR, found)
    return sorted(found), scan.findings


def postmortem_files(root: Path) -> list[Path]:
    """Postmortem files: postmortems/<id>.md, in a stable order (links checked as for records)."""
    return listed_postmortems(root)[0]


def listed_postmortems(root: Path) -> tuple[list[Path], list[Finding]]:
    """postmortem_files, and the files refused or skipped (links, `.MD`)."""
    folder = root / POSTMORTEMS_DIR
    scan = Scan(root)
    if not folder.is_dir() or not scan.admits(str(folder), POSTMORTEMS_DIR):
        return [], scan.findings
    found = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        rel = f"{POSTMORTEMS_DIR}/{entry.name}"
        if entry.name.endswith(".md"):
            if entry.is_symlink() and not scan.admits(entry.path, rel):
                continue
            if entry.is_file():
                found.append(folder / entry.name)
        elif entry.name.lower().endswith((".md", ".markdown")) and os.path.isfile(entry.path):
            scan.skipped(rel, ".md")
    return found, scan.findings


def site_links(root: Path, docs_dir: Path) -> list[Finding]:
    """Symbolic links under the site's docs folder that a build must not follow.

    MkDocs copies whatever a link points at into the published site (a link to
    /proc/self/environ would publish CI secrets) and walks linked folders, so a folder linked to
    its own parent never ends. Such links are refused before MkDocs reads the folder.
    """
    scan = Scan(root)
    for folder, dirs, files in os.walk(docs_dir):
        for name in sorted([*dirs, *files]):
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                continue
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if scan.admits(path, rel) and name in dirs and _encloses(path):
                scan.refuse(
                    rel,
                    "file/symlink-loop",
                    "this folder is a symbolic link to a folder that contains it; a build would "
                    "walk it forever",
                    "remove the link, or link the files it should show one by one",
                )
    return scan.findings


_DOCS_DIR = re.compile(r"""^docs_dir:[ \t]*['"]?([^'"#\r\n]+?)['"]?[ \t]*(?:#.*)?$""", re.MULTILINE)


def docs_folder(root: Path) -> Path:
    """The site's docs folder as mkdocs.yml names it (MkDocs' default `docs` without one).

    Read with a pattern, not a YAML parser: mkdocs.yml may hold Python tags (emoji options)
    that the records' strict reader refuses, and only this one key matters here.
    """
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    found = _DOCS_DIR.search(text)
    return root / (found.group(1).strip() if found else "docs")


def _encloses(link: str) -> bool:
    """Whether a linked folder points at itself or at a folder above it."""
    target = os.path.join(os.path.realpath(link), "")
    return os.path.join(os.path.realpath(os.path.dirname(link)), "").startswith(target)
