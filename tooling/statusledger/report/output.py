"""Where the report may be written: anywhere but the public site or the folder it is built from.

The report counts internal incidents and may name people, so a report that landed in `public/`
(or in the MkDocs docs folder, which `statusledger build` publishes) would leak them.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from statusledger.atomic import write_atomic
from statusledger.errors import UsageError

REPORT_FILES = ("index.html", "report.json")


def site_folders(root: Path) -> list[Path]:
    """The site's output and docs folders: public/ and site/, and what mkdocs.yml names."""
    folders = [root / "public", root / "site"]
    config = root / "mkdocs.yml"
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_Tolerant)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        data = None
    if isinstance(data, dict):
        for key in ("site_dir", "docs_dir"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                folders.append(root / value)
    return [Path(os.path.realpath(f)) for f in folders]


class _Tolerant(yaml.SafeLoader):
    """A safe loader that reads MkDocs' `!!python/name:` and `!ENV` tags as plain values."""


def _ignore(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_Tolerant.add_multi_constructor("", _ignore)


def check_out(root: Path, out: Path) -> Path:
    """The resolved output folder; one inside a site folder is a usage error (exit 2)."""
    target = Path(os.path.realpath(out))
    for folder in site_folders(root):
        if target == folder or folder in target.parents:
            raise UsageError(
                f"--out {out}: inside {folder}, which the public site is built from or into; "
                "the report is internal (it counts internal incidents), so write it elsewhere, "
                "e.g. --out report"
            )
    return target


def write_report(out: Path, files: dict[str, bytes]) -> None:
    """Write each file whole (the project's one atomic write), making the folder if needed."""
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        write_atomic(out / name, data)
