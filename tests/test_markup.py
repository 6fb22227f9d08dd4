"""Record Markdown to HTML: the plain-sentence shortcut must agree with the real converter."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from statusledger import markup

ALPHABET = "Aaz09 ,.;:?'\"()/%$@=-#*_`[]<>&!|~\\\n\t+"


def converted(text: str) -> str:
    """What Markdown and nh3 make of the text, without the shortcut or the memo."""
    converter = markup._converter()
    converter.reset()
    return markup.sanitise(converter.convert(text))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
@example("We are investigating reports of problems with Billing.")
@example("    indented is code")
@example("1. a numbered list")
@example("3) another list")
@example("a line  \nwith a break")
@example("Title\n===")
@example("x -- y (50%) @ 5$: done?")
def test_shortcut_agrees_with_markdown(text: str) -> None:
    assert markup.render_markdown(text) == converted(text)


def test_plain_sentences_take_the_shortcut() -> None:
    assert markup._plain_paragraph("We are investigating (again).") is not None
    assert markup._plain_paragraph("**bold**") is None
    assert markup._plain_paragraph("    code") is None


def test_markup_in_messages_is_still_rendered_and_sanitised() -> None:
    html = markup.render_markdown("Use `retry` and see [docs](javascript:alert(1))")
    assert "<code>retry</code>" in html
    assert "javascript:" not in html
