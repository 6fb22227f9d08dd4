"""What an import writes: new files load back to the same record, and old text is kept."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from statusledger.importers.drafts import clean_text
from statusledger.importers.texts import record_text
from statusledger.loading import Loaded, load_record_text, load_services_text
from statusledger.naming import slugify, unique
from statusledger.records.models import Incident, Services
from statusledger.yamledit import Append, Editor, Set, edit_record, key_order
from tests.helpers import MINIMAL_SERVICES, RESOLVED_INCIDENT

AT = datetime(2026, 3, 1, 8, 5, tzinfo=UTC)


def incident(message: str, title: str = "Errors") -> Incident:
    return Incident.model_validate({
        "title": title,
        "kind": "incident",
        "severity": "sev3",
        "category": "outage",
        "updates": [{"at": AT, "status": "investigating", "message": message}],
        "source": {"system": "statuspage", "id": "abc", "derived": ["severity"]},
    })  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=300), st.text(min_size=1, max_size=80))
def test_any_message_and_title_survive_the_round_trip(message: str, title: str) -> None:
    message, title = clean_text(message), " ".join(title.split())
    if not message or not title:
        return
    record = incident(message, title)

    loaded = load_record_text(record_text(record), "incidents/2026/x.yaml")

    assert isinstance(loaded, Loaded), loaded
    assert loaded.model == record


def test_records_read_like_hand_written_ones() -> None:
    text = record_text(incident("First line: with a colon.\n\nSecond paragraph."))

    assert text == (
        "title: Errors\n"
        "kind: incident\n"
        "severity: sev3\n"
        "category: outage\n"
        "visibility: public\n"
        "updates:\n"
        "  - at: 2026-03-01T08:05:00Z\n"
        "    status: investigating\n"
        "    message: |-\n"
        "      First line: with a colon.\n"
        "\n"
        "      Second paragraph.\n"
        "source:\n"
        "  system: statuspage\n"
        "  id: abc\n"
        "  derived:\n"
        "    - severity\n"
    )


def append_items(text: str, key: str, items: list[dict[str, str]]) -> str:
    editor = Editor(text, "services.yaml", key_order(Services))
    editor.append((key,), items)
    return editor.result()


def test_items_are_appended_after_the_last_item_of_their_block() -> None:
    text = "page: {name: X, url: https://x.example}\ncomponents:\n    - id: a\n      name: A\n\n# groups below\ngroups:\n    - {id: g, name: G}\n"  # noqa: E501

    result = append_items(text, "components", [{"id": "b", "name": "B"}])

    assert result == (
        "page: {name: X, url: https://x.example}\n"
        "components:\n"
        "    - id: a\n"
        "      name: A\n"
        "    - id: b\n"
        "      name: B\n"
        "\n"
        "# groups below\n"
        "groups:\n"
        "    - {id: g, name: G}\n"
    )


def test_a_missing_block_is_added_in_the_documented_order_and_flow_lists_are_extended() -> None:
    added = append_items(
        MINIMAL_SERVICES.replace("groups:\n  - {id: core, name: Core platform}\n", ""),
        "groups",
        [{"id": "x", "name": "X"}],
    )
    assert "    name: Web app\ngroups:\n  - id: x\n    name: X\nslas:\n" in added
    flow = append_items("components: [{id: a, name: A}]\n", "components", [{"id": "b"}])
    assert flow == "components: [{id: a, name: A}, {id: b}]\n"


def test_appending_components_keeps_a_valid_services_file() -> None:
    result = append_items(MINIMAL_SERVICES, "components", [{"id": "queue", "name": "Queue"}])

    loaded = load_services_text(result, "services.yaml")
    assert isinstance(loaded, Loaded)
    assert [c.id for c in loaded.model.components] == ["api", "database", "web", "queue"]
    assert [g.id for g in loaded.model.groups] == ["core"]


def test_editing_a_record_keeps_comments_crlf_and_appends() -> None:
    text = "# reviewed\n" + RESOLVED_INCIDENT.replace(
        "severity: sev3", "severity: sev3  # agreed in the review"
    )
    text = text.replace("\n", "\r\n")
    model = load_record_text(text, "incidents/2026/x.yaml")
    assert isinstance(model, Loaded) and isinstance(model.model, Incident)
    update = {"at": "2026-11-20T16:00:00Z", "status": "resolved", "message": "Postmortem soon."}

    result = edit_record(
        text,
        "incidents/2026/x.yaml",
        model.model,
        [Set(("impact", 0), {"level": "major_outage"}), Append(("updates",), [update])],
    )

    assert result.startswith("# reviewed\r\n")
    assert "severity: sev3  # agreed in the review\r\n" in result
    assert "  - at: 2026-11-20T16:00:00Z\r\n    status: resolved\r\n" in result
    assert "\n" not in result.replace("\r\n", "")
    loaded = load_record_text(result, "incidents/2026/x.yaml")
    assert isinstance(loaded, Loaded) and isinstance(loaded.model, Incident)
    assert loaded.model.impact[0].level.value == "major_outage"
    assert loaded.model.updates[-1].message == "Postmortem soon."


def test_slugs_are_ascii_ids_cut_at_a_word() -> None:
    assert slugify("(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧ Server Juice", "x") == "server-juice"
    assert slugify("api.anthropic.com", "x") == "api-anthropic-com"
    assert slugify("Pénurie d'électricité à Zürich", "x") == "penurie-d-electricite-a-zurich"
    assert slugify("✧✧✧", "incident") == "incident"
    long = slugify("word " * 30, "x")
    assert len(long) <= 60 and not long.endswith("-") and long.endswith("word")
    assert slugify("x" * 56 + " abc def", "x") == "x" * 56 + "-abc"  # a word ending at 60 stays
    assert unique("a", {"a", "a-2"}) == "a-3"
