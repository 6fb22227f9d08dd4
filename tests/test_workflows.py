"""The GitHub workflows, dependabot and pre-commit files: valid, pinned, least-privilege, and
calling only statusledger commands and options that exist."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from statusledger.cli import cli
from tests.helpers import PROJECT

GITHUB = PROJECT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s+v\d[\w.]*\s*$")
RECORD_FILES = [
    "services.yaml",
    "incidents/2026/2026-11-20-api-errors.yaml",
    "incidents/2025/2025-06-11-x.yml",
    "postmortems/2026-11-20-api-errors.md",
    "status/incidents/2026/a.yaml",
    "status/services.yaml",
]
OTHER_FILES = [
    "README.md",
    "docs/services.yaml.md",
    "postmortems/drafts/a.md",
    "tooling/statusledger/history.py",
    "incidents/2026/notes.txt",
]


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the bare key `on` as True; GitHub reads it as "on".
    on = workflow.get("on", workflow.get(True))
    assert on is not None, "a workflow needs `on`"
    return {name: None for name in on} if isinstance(on, list) else dict(on)


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def statusledger_calls(script: str) -> list[list[str]]:
    """Every `statusledger ...` command line in a shell script, without redirections."""
    calls = []
    for line in script.replace("\\\n", " ").splitlines():
        for part in re.split(r"&&|\|\||;|\|(?!\|)", line):
            words = shlex.split(part, comments=True)
            if words[:1] != ["statusledger"]:
                continue
            for index, word in enumerate(words):
                if word.startswith((">", "<", "2>")):
                    words = words[:index]
                    break
            calls.append(words[1:])
    return calls


def assert_exists(args: list[str]) -> None:
    """Parse a call as the real CLI would; unknown commands, options or choices fail."""
    words = list(args)
    while words and words[0].startswith("-"):  # options of the group itself, such as --root
        option = words.pop(0)
        known = {o: p for p in cli.params for o in p.opts}
        assert option.split("=")[0] in known, f"statusledger {option}: no such option"
        if "=" not in option and not getattr(known[option], "is_flag", False):
            words.pop(0)
    name, *rest = words
    ctx = click.Context(cli, info_name="statusledger")
    command = cli.get_command(ctx, name)
    assert command is not None, f"statusledger {name}: no such command"
    try:
        command.make_context(name, rest, parent=ctx)
    except click.UsageError as err:
        pytest.fail(f"statusledger {' '.join(args)}: {err.format_message()}")


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"pull-request.yml", "publish.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_a_workflow_has_what_github_requires(path: Path) -> None:
    workflow = load(path)
    assert triggers(workflow)
    assert workflow["jobs"]
    for name, job in workflow["jobs"].items():
        assert "runs-on" in job, name
        assert job["steps"], name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [
        ln
        for ln in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\s*(-\s+)?uses:", ln)
    ]
    assert lines
    for line in lines:
        assert PINNED.match(line), f"not pinned to a 40-hex SHA with a # vX comment: {line}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_declared_and_least_privilege(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("permissions") == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        granted = job.get("permissions", workflow["permissions"])
        assert isinstance(granted, dict), name
        writes = {scope for scope, level in granted.items() if level == "write"}
        assert writes <= {"pages", "id-token"}, name
        if writes:
            assert name == "deploy" and "checkout" not in str(job["steps"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_runs_pull_request_code_with_a_privileged_token(path: Path) -> None:
    assert "pull_request_target" not in triggers(load(path))
    assert "workflow_run" not in triggers(load(path))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_call_only_commands_and_options_that_exist(path: Path) -> None:
    scripts = [step["run"] for step in steps(load(path)) if "run" in step]
    calls = [call for script in scripts for call in statusledger_calls(script)]
    assert calls
    for call in calls:
        assert_exists(call)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_expressions_never_reach_a_shell_script(path: Path) -> None:
    for step in steps(load(path)):
        assert "${{" not in step.get("run", ""), step["run"]


def test_jobs_that_compare_with_a_base_check_out_the_whole_history() -> None:
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            if "--base" not in str(job["steps"]):
                continue
            checkout = next(s for s in job["steps"] if "actions/checkout" in s.get("uses", ""))
            assert checkout["with"]["fetch-depth"] == 0


def test_pull_requests_are_validated_with_annotations_and_summarised() -> None:
    workflow = load(GITHUB / "workflows" / "pull-request.yml")
    assert "pull_request" in triggers(workflow)
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    assert 'validate --base "origin/$BASE_REF" --format github' in runs
    assert 'sla --format markdown >> "$GITHUB_STEP_SUMMARY"' in runs
    assert "diff --base" in runs and "$GITHUB_STEP_SUMMARY" in runs.split("diff --base")[1]


def test_publishing_runs_on_main_daily_and_never_races() -> None:
    workflow = load(GITHUB / "workflows" / "publish.yml")
    on = triggers(workflow)
    assert on["push"] == {"branches": ["main"]}
    assert re.fullmatch(r"\d+ \d+ \* \* \*", on["schedule"][0]["cron"])
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    uses = [step.get("uses", "").split("@")[0] for step in steps(workflow)]
    assert "actions/upload-pages-artifact" in uses
    assert "actions/deploy-pages" in uses
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"


def test_dependabot_updates_python_and_actions() -> None:
    config = load(GITHUB / "dependabot.yml")
    assert config["version"] == 2
    ecosystems = {u["package-ecosystem"] for u in config["updates"]}
    assert ecosystems == {"pip", "github-actions"}


def test_codeowners_and_the_pull_request_template_exist() -> None:
    owners = (GITHUB / "CODEOWNERS").read_text(encoding="utf-8")
    rules = [ln.split()[0] for ln in owners.splitlines() if ln.strip() and ln[0] != "#"]
    assert rules[0] == "*"
    assert {"/incidents/", "/postmortems/", "/services.yaml"} <= set(rules)
    template = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert "Declaring an incident" in template
    assert "corrections:" in template


def hooks(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = [hook for repo in data["repos"] for hook in repo["hooks"]]
    assert isinstance(data, list)
    return data


def test_the_offered_pre_commit_hook_validates_only_when_records_change() -> None:
    (hook,) = hooks(PROJECT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "statusledger-validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert_exists(shlex.split(hook["entry"])[1:])
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in RECORD_FILES)
    assert not any(files.search(p) for p in OTHER_FILES)


def test_this_repository_s_pre_commit_runs_ruff_mypy_and_validate() -> None:
    found = {hook["id"]: hook for hook in hooks(PROJECT / ".pre-commit-config.yaml")}
    assert {"ruff-check", "ruff-format", "mypy", "statusledger-validate"} <= set(found)
    assert_exists(shlex.split(found["statusledger-validate"]["entry"])[1:])
    assert found["statusledger-validate"]["pass_filenames"] is False


def test_pre_commit_accepts_both_files() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    clientlib.load_manifest(PROJECT / ".pre-commit-hooks.yaml")
    clientlib.load_config(PROJECT / ".pre-commit-config.yaml")


def test_the_files_match_github_s_published_schemas() -> None:
    pytest.importorskip("check_jsonschema")
    for schema, files in (
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.dependabot", [GITHUB / "dependabot.yml"]),
    ):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "check_jsonschema",
                "--builtin-schema",
                schema,
                *map(str, files),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_notifications_go_out_after_a_successful_deploy_of_a_push_only() -> None:
    workflow = load(GITHUB / "workflows" / "publish.yml")
    job = workflow["jobs"]["notify"]
    assert job["needs"] == "deploy"
    condition = " ".join(job["if"].split())
    assert "github.event_name == 'push'" in condition
    assert f"github.event.before != '{'0' * 40}'" in condition
    assert job.get("permissions") == {"contents": "read"}
    checkout = next(s for s in job["steps"] if "actions/checkout" in s.get("uses", ""))
    assert checkout["with"]["fetch-depth"] == 0
    assert checkout["with"]["persist-credentials"] is False


def test_notify_takes_the_before_commit_and_secrets_through_env_and_keeps_its_state() -> None:
    workflow = load(GITHUB / "workflows" / "publish.yml")
    job = workflow["jobs"]["notify"]
    (step,) = [s for s in job["steps"] if "statusledger notify" in s.get("run", "")]
    env = step["env"]
    assert env["BEFORE"] == "${{ github.event.before }}"
    secrets = {k: v for k, v in env.items() if k != "BEFORE"}
    assert secrets
    assert all(v == f"${{{{ secrets.{k} }}}}" for k, v in secrets.items()), secrets
    # Every variable the example services.yaml names is passed.
    assert {"SLACK_WEBHOOK_URL", "STATUS_WEBHOOK_URL", "SMTP_URL"} <= set(secrets)
    (call,) = statusledger_calls(step["run"])
    assert call[:3] == ["notify", "--base", "$BEFORE"]
    state = call[call.index("--state") + 1]
    uses = {s.get("uses", "").split("@")[0]: s for s in job["steps"]}
    restore, save = uses["actions/cache/restore"], uses["actions/cache/save"]
    folder = state.rsplit("/", 1)[0]
    assert restore["with"]["path"] == save["with"]["path"] == folder
    # A key of its own per run, found again through restore-keys; saved even after a failure.
    assert "github.run_id" in restore["with"]["key"]
    assert restore["with"]["key"] == save["with"]["key"]
    assert restore["with"]["key"].startswith(restore["with"]["restore-keys"])
    assert save["if"] == "always()"
    order = [s.get("name") for s in job["steps"]]
    assert order.index(restore["name"]) < order.index(step["name"]) < order.index(save["name"])


def test_the_notify_job_reuses_the_action_pins_of_the_other_jobs() -> None:
    text = (GITHUB / "workflows" / "publish.yml").read_text(encoding="utf-8")
    pins: dict[str, set[str]] = {}
    for line in text.splitlines():
        match = PINNED.match(line)
        if match:
            action = "/".join(match.group(1).split("/")[:2])
            pins.setdefault(action, set()).add(match.group(2))
    assert all(len(shas) == 1 for shas in pins.values()), pins


def test_the_insights_report_is_built_monthly_and_kept_as_an_artifact() -> None:
    workflow = load(GITHUB / "workflows" / "report.yml")
    on = triggers(workflow)
    assert re.fullmatch(r"\d+ \d+ 1 \* \*", on["schedule"][0]["cron"])
    assert "workflow_dispatch" in on
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    (call,) = [c for s in steps(workflow) for c in statusledger_calls(s.get("run", ""))]
    assert (
        call[0] == "report"
        and "--format" in call
        and call[call.index("--format") + 1] == ("markdown")
    )
    assert '--format markdown >> "$GITHUB_STEP_SUMMARY"' in runs
    out = call[call.index("--out") + 1]
    upload = next(s for s in steps(workflow) if "actions/upload-artifact" in s.get("uses", ""))
    assert upload["with"]["path"].rstrip("/") == out
    # Internal figures: never a Pages artifact, never deployed.
    uses = [step.get("uses", "").split("@")[0] for step in steps(workflow)]
    assert "actions/upload-pages-artifact" not in uses and "actions/deploy-pages" not in uses
