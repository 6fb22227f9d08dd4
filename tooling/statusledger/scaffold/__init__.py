"""A new organisation's status repository: the files `statusledger init` writes.

Like `mkdocs new` or `hugo new site`, it never overwrites: a folder that already holds a
services.yaml or mkdocs.yml is refused whole, and any other file already there (a README, a
.gitignore) is kept as it is and named.

The templates ship as package data, so `init` works from a wheel. The workflows are this
repository's own, installing statusledger from its release instead of from the source tree
(a test holds the two to that one difference).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from statusledger import __version__
from statusledger.errors import StatusledgerError, UsageError
from statusledger.loading import load_services_text
from statusledger.schemas import json_schemas

# target path in the new repository -> template name under templates/
TEMPLATES = {
    "services.yaml": "services.yaml",
    "mkdocs.yml": "mkdocs.yml",
    ".gitignore": "gitignore",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    "README.md": "README.md",
    ".github/workflows/pull-request.yml": "workflows/pull-request.yml",
    ".github/workflows/publish.yml": "workflows/publish.yml",
    ".github/workflows/report.yml": "workflows/report.yml",
}
# Folders git does not keep when empty, but which the build and the loader expect.
KEEP = ("incidents/.gitkeep", "postmortems/.gitkeep", "site/docs/.gitkeep")
# Files whose presence means the folder already is a status (or MkDocs) repository.
OWNED = ("services.yaml", "mkdocs.yml")


def template(name: str) -> str:
    """One template's text, as shipped in the package."""
    return (resources.files(__package__) / "templates" / name).read_text(encoding="utf-8")


def scaffold(name: str, url: str) -> dict[str, str]:
    """{relative path: text} of a new organisation's repository."""
    values = {
        "@@NAME_YAML@@": json.dumps(name, ensure_ascii=False),
        "@@NAME@@": name,
        "@@URL@@": url,
        "@@VERSION@@": __version__,
    }
    files: dict[str, str] = {}
    for target, source in TEMPLATES.items():
        text = template(source)
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        files[target] = text
    for keep in KEEP:
        files[keep] = ""
    for schema_name, text in json_schemas().items():
        files[f"site/schemas/{schema_name}"] = text
    return files


def default_name(folder: Path) -> str:
    """A page name from the folder's name: `acme-status` -> `Acme`."""
    words = folder.resolve().name.replace("_", "-").split("-")
    kept = [w for w in words if w and w.lower() not in ("status", "page", "statuspage")]
    return " ".join(w.capitalize() for w in kept) or "Example"


def initialise(folder: Path, name: str | None, url: str) -> tuple[int, list[str]]:
    """Write the scaffold into `folder`: (files written, files kept as they were)."""
    files = scaffold(name or default_name(folder), url.rstrip("/"))
    # The page's name and URL go through the same checks as any services.yaml.
    services = load_services_text(files["services.yaml"], "services.yaml")
    if isinstance(services, list):
        raise UsageError("; ".join(f"--name/--url: {f.message}" for f in services))
    owned = [rel for rel in OWNED if (folder / rel).exists()]
    if owned:
        raise StatusledgerError(
            f"{folder}: already holds {', '.join(owned)}; statusledger init never overwrites. "
            "Run it in a new or empty folder"
        )
    kept = []
    for rel, text in files.items():
        target = folder / rel
        if target.exists():
            kept.append(rel)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    return len(files) - len(kept), kept
