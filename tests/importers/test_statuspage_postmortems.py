"""Statuspage postmortems survive the move: `postmortem` updates and `postmortem_body` alike.

The fixture (fixtures/statuspage/postmortems) has three incidents in the page zone
Europe/Berlin: one whose postmortem is only a `postmortem` update, one with the same text as
`postmortem_body` and as an update (written once), and one whose update adds to the body.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from statusledger.yamlfile import parse
from tests.helpers import RESOLVED_INCIDENT, make_repo, run_cli
from tests.importers.test_statuspage import FIXTURES, imported, load, tree

POSTMORTEMS = FIXTURES / "postmortems"
NOW = "2026-11-23T00:00:00Z"
LOGIN = "2026-07-02-login-failures"
DEPLOY = "2026-08-10-api-errors-after-a-deploy"
UPLOADS = "2026-09-01-slow-uploads"


def postmortem(root: Path, ident: str) -> tuple[Any, str]:
    """Front matter (as data) and body of postmortems/<ident>.md."""
    text = (root / f"postmortems/{ident}.md").read_text(encoding="utf-8")
    front, body = text.removeprefix("---\n").split("---\n", 1)
    return parse(front)[0], body


def test_each_postmortem_is_a_published_record_linked_both_ways(tmp_path: Path) -> None:
    result = run_cli("import", "statuspage", str(POSTMORTEMS), cwd=tmp_path)

    assert result.code == 0, result.err
    assert "left out" not in result.out
    assert "postmortems: 3 created" in result.out
    for ident in (LOGIN, DEPLOY, UPLOADS):
        front, _ = postmortem(tmp_path, ident)
        assert front["status"] == "published"
        assert front["incidents"] == [ident]
        assert load(tmp_path / f"incidents/2026/{ident}.yaml")["postmortem"] == ident
    assert run_cli("validate", "--now", NOW, cwd=tmp_path).code == 0


def test_a_postmortem_update_alone_is_the_postmortem_dated_by_its_time(tmp_path: Path) -> None:
    imported(tmp_path, POSTMORTEMS)

    front, body = postmortem(tmp_path, LOGIN)
    assert front == {
        "title": "Login failures",
        "incidents": [LOGIN],
        "status": "published",
        "date": "2026-07-06",  # 23:30 in Berlin, 21:30 UTC
        "summary": (
            "An expired certificate on the login service made 40% of sign-ins fail for an hour."
        ),
    }
    assert body == (
        "\n# What happened\n\n"
        "An expired certificate on the login service made 40% of sign-ins fail for an hour.\n\n"
        "# What we changed\n\n"
        "* Certificates are renewed 30 days ahead\n"
        "* An alert fires 14 days before expiry\n"
    )
    record = load(tmp_path / f"incidents/2026/{LOGIN}.yaml")
    assert [u["status"] for u in record["updates"]] == ["investigating", "resolved"]


def test_the_same_text_in_body_and_update_is_written_once(tmp_path: Path) -> None:
    imported(tmp_path, POSTMORTEMS)

    front, body = postmortem(tmp_path, DEPLOY)
    assert front["date"] == "2026-08-14"  # postmortem_published_at, not the update's day
    assert body.count("ran out of connections") == 1
    assert body.strip().endswith("We rolled the deploy back.")


def test_an_update_that_adds_to_the_body_is_kept_after_it(tmp_path: Path) -> None:
    imported(tmp_path, POSTMORTEMS)

    front, body = postmortem(tmp_path, UPLOADS)
    assert (
        front["summary"]
        == "A failing disk slowed one storage node, and every upload waited for it."
    )
    assert body == (
        "\n## Summary\n\n"
        "A failing disk slowed one storage node, and every upload waited for it.\n\n"
        "Addendum: the replacement disks arrived on 4 September and all nodes run on them now.\n"
    )


def test_importing_again_changes_no_byte_and_reports_nothing(tmp_path: Path) -> None:
    imported(tmp_path, POSTMORTEMS)
    before = tree(tmp_path)

    again = run_cli("import", "statuspage", str(POSTMORTEMS), cwd=tmp_path)

    assert again.code == 0, again.err
    assert "records: 0 created, 0 updated, 3 unchanged" in again.out
    assert again.out == "records: 0 created, 0 updated, 3 unchanged\nservices.yaml: unchanged\n"
    assert tree(tmp_path) == before


def test_an_edited_postmortem_is_never_written_over_and_is_reported(tmp_path: Path) -> None:
    imported(tmp_path, POSTMORTEMS)
    path = tmp_path / f"postmortems/{LOGIN}.md"
    edited = path.read_text(encoding="utf-8") + "\n## Timeline\n\nOurs.\n"
    edited = edited.replace("status: published", "status: published\nauthors: [alice]")
    path.write_text(edited, encoding="utf-8")
    before = tree(tmp_path)

    again = run_cli("import", "statuspage", str(POSTMORTEMS), cwd=tmp_path)

    assert again.code == 0, again.err
    assert tree(tmp_path) == before
    assert (
        f"postmortems/{LOGIN}.md: differs from the source's postmortem (edited here or at the "
        "source); left as it is" in again.out
    )


def test_a_deleted_postmortem_file_is_written_again_from_the_source(tmp_path: Path) -> None:
    imported(tmp_path, POSTMORTEMS)
    before = tree(tmp_path)
    (tmp_path / f"postmortems/{DEPLOY}.md").unlink()

    again = run_cli("import", "statuspage", str(POSTMORTEMS), cwd=tmp_path)

    assert again.code == 0, again.err
    assert f"wrote postmortems/{DEPLOY}.md" in again.out
    assert tree(tmp_path) == before


def test_a_postmortem_id_taken_by_another_incident_gets_a_free_id(tmp_path: Path) -> None:
    other = "2026-06-01-other"
    taken = f"""\
        ---
        title: Another incident's postmortem
        incidents: [{other}]
        status: draft
        date: 2026-06-05
        summary: Not the login failures.
        ---
        Ours.
        """
    make_repo(
        tmp_path,
        {
            f"incidents/2026/{other}.yaml": RESOLVED_INCIDENT + f"postmortem: {LOGIN}\n",
            f"postmortems/{LOGIN}.md": taken,
        },
    )
    mine = (tmp_path / f"postmortems/{LOGIN}.md").read_bytes()

    result = run_cli("import", "statuspage", str(POSTMORTEMS), cwd=tmp_path)

    assert result.code == 0, result.err
    assert (tmp_path / f"postmortems/{LOGIN}.md").read_bytes() == mine
    front, _ = postmortem(tmp_path, f"{LOGIN}-2")
    assert front["incidents"] == [LOGIN]
    assert load(tmp_path / f"incidents/2026/{LOGIN}.yaml")["postmortem"] == f"{LOGIN}-2"
    assert run_cli("validate", "--now", NOW, cwd=tmp_path).code == 0
