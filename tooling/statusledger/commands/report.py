"""`statusledger report --out DIR`: the internal insights report (index.html and report.json)."""

from __future__ import annotations

from pathlib import Path

import click

from statusledger.clock import resolve_now
from statusledger.commands.figures import NOW_OPTION, as_json, day_option, load_figures


@click.command(name="report")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for index.html and report.json; never inside the public site.",
)
@click.option(
    "--from",
    "from_text",
    metavar="DAY",
    default=None,
    help="First day (page.timezone). Default: the first of the month 11 months before --to.",
)
@click.option(
    "--to", "to_text", metavar="DAY", default=None, help="Last day, included. Default: today."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "markdown"]),
    default="html",
    show_default=True,
    help="What to print after writing the files: the path, or a Markdown summary for CI.",
)
@NOW_OPTION
@click.pass_obj
def report(
    obj: object,
    out: Path,
    from_text: str | None,
    to_text: str | None,
    fmt: str,
    now_text: str | None,
) -> None:
    """The internal insights report: trends of incidents, response, SLA and follow-up."""
    from statusledger.cli import Env
    from statusledger.report.figures import report_figures
    from statusledger.report.html import render_html
    from statusledger.report.markdown import render_markdown
    from statusledger.report.output import check_out, write_report
    from statusledger.report.window import choose_days, window

    assert isinstance(obj, Env)
    first, last = day_option("--from", from_text), day_option("--to", to_text)
    now = resolve_now(now_text)
    target = check_out(obj.root, out)
    ledger, services = load_figures(obj)
    zone = services.page.timezone
    first, last = choose_days(first, last, now, zone)
    figures = report_figures(
        services, ledger.records, ledger.postmortems, window(first, last, zone), now
    )
    page = render_html(figures, services.page.name, services.page.language)
    data = as_json(figures.to_json()) + "\n"
    write_report(target, {"index.html": page.encode(), "report.json": data.encode()})
    if fmt == "markdown":
        click.echo(render_markdown(figures, services.page.name))
    else:
        click.echo(f"wrote {out / 'index.html'} and {out / 'report.json'}")
