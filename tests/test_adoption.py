"""Another organisation adopts statusledger: a wheel in a fresh environment, `init`, a build.

The wheel is installed, not linked to this source tree, so the test sees exactly what a user
of the package gets: the theme and stylesheet must come from package data.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from statusledger.scaffold import TEMPLATES, scaffold
from tests.helpers import PROJECT, run_cli

NOW = "2026-11-30T10:00:00Z"


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh virtual environment holding statusledger from a freshly built wheel."""
    work = tmp_path_factory.mktemp("wheel")
    _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "-q", "-w", str(work / "dist"), str(PROJECT), cwd=work,
    )  # fmt: skip
    (wheel,) = (work / "dist").glob("statusledger-*.whl")
    _run(sys.executable, "-m", "venv", str(work / "venv"), cwd=work)
    pip = str(work / "venv" / "bin" / "pip")
    constraints = str(PROJECT / "tests" / "constraints.txt")
    _run(
        pip, "install", "-q", "--disable-pip-version-check", "-c", constraints, str(wheel), cwd=work
    )
    return work / "venv" / "bin"


def test_a_wheel_builds_a_styled_site_for_a_new_organisation(
    installed: Path, tmp_path: Path
) -> None:
    env = {
        "PATH": f"{installed}{os.pathsep}/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "STATUSLEDGER_CACHE_DIR": str(tmp_path / "cache"),
    }
    statusledger = str(installed / "statusledger")
    org = tmp_path / "acme-status"
    said = _run(
        statusledger, "init", str(org), "--url", "https://status.acme.test", cwd=tmp_path, env=env
    )
    assert "wrote" in said
    path = _run(
        statusledger, "new", "incident", "--title", "Checkout fails for some cards",
        "--severity", "sev2", "--component", "website:partial_outage",
        "--message", "We are investigating failed card payments.", "--now", NOW,
        cwd=org, env=env,
    ).strip()  # fmt: skip
    record = (org / path).read_text(encoding="utf-8")
    assert record.startswith("# yaml-language-server: $schema=../../site/schemas/")
    assert (org / "site" / "schemas" / "incident.schema.json").is_file()
    _run(statusledger, "validate", "--now", NOW, cwd=org, env=env)
    old = os.umask(0o022)  # the usual umask; the build must not narrow it
    try:
        _run(statusledger, "build", "--now", NOW, cwd=org, env=env)
    finally:
        os.umask(old)
    site = org / "public"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="assets/statusledger.css"' in home
    assert (site / "assets" / "statusledger.css").stat().st_size > 1000
    assert "Checkout fails for some cards" in home
    assert 'type="application/atom+xml"' in home
    for rel in (
        "history.rss",
        "history.atom",
        "maintenance.ics",
        "api/v2/summary.json",
        "api/v2/incidents/unresolved.json",
        "badges/website.svg",
        "components/website/history.atom",
    ):
        assert (site / rel).is_file(), rel
    assert "Checkout fails" in (site / "api/v2/incidents/unresolved.json").read_text()
    unreadable = [
        p.relative_to(site).as_posix()
        for p in [site, *site.rglob("*")]
        if not p.stat().st_mode & 0o004 or (p.is_dir() and not p.stat().st_mode & 0o001)
    ]
    assert unreadable == []


def test_init_never_overwrites(tmp_path: Path) -> None:
    org = tmp_path / "status"
    org.mkdir()
    (org / "README.md").write_text("# Ours\n", encoding="utf-8")
    result = run_cli("init", str(org))
    assert result.code == 0, result.err
    assert (org / "README.md").read_text(encoding="utf-8") == "# Ours\n"
    assert "kept your README.md" in result.err
    services = (org / "services.yaml").read_bytes()
    (org / "services.yaml").write_text("page: {}\n", encoding="utf-8")
    again = run_cli("init", str(org))
    assert again.code == 1
    assert "never overwrites" in again.err
    assert (org / "services.yaml").read_text(encoding="utf-8") == "page: {}\n"
    assert services  # the first run wrote one


def test_init_refuses_a_page_url_that_is_not_one(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "x"), "--url", "status.example.com")
    assert result.code == 2
    assert "--name/--url" in result.err
    assert not (tmp_path / "x").exists()


def test_a_new_organisation_validates_and_names_itself(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path / "acme-status")).code == 0
    services = yaml.safe_load((tmp_path / "acme-status" / "services.yaml").read_text())
    assert services["page"]["name"] == "Acme"
    assert run_cli("--root", str(tmp_path / "acme-status"), "validate").code == 0


@pytest.mark.parametrize(
    "workflow", sorted(p.name for p in (PROJECT / ".github" / "workflows").glob("*.yml"))
)
def test_new_organisations_get_this_repositorys_workflows(workflow: str) -> None:
    """The same steps, installing the released package instead of this source tree."""
    ours = (PROJECT / ".github" / "workflows" / workflow).read_text(encoding="utf-8")
    theirs = scaffold("Acme", "https://status.acme.test")[f".github/workflows/{workflow}"]
    from statusledger import __version__

    back = theirs.replace(
        f'python -m pip install "statusledger=={__version__}"',
        "python -m pip install -c tests/constraints.txt .",
    ).replace(
        f"cache-dependency-path: .github/workflows/{workflow}",
        "cache-dependency-path: tests/constraints.txt",
    )
    assert back == ours
    assert f".github/workflows/{workflow}" in TEMPLATES
