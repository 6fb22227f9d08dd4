"""`statusledger schema`: JSON Schemas of the records, for editors."""

from __future__ import annotations

import json
from pathlib import Path

import click

from statusledger.schemas import json_schemas


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write one file per record kind into DIR (else print them as one JSON object).",
)
def schema(out: Path | None) -> None:
    """Write JSON Schemas of services.yaml, incident/maintenance records and postmortems."""
    schemas = json_schemas()
    if out is None:
        click.echo(json.dumps({k: json.loads(v) for k, v in schemas.items()}, indent=2))
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, text in schemas.items():
        (out / name).write_text(text, encoding="utf-8")
        click.echo(str(out / name))
