"""One module per subcommand; each exposes a click command, assembled here in help order."""

from __future__ import annotations

import click

from statusledger.commands.build import build
from statusledger.commands.diff import diff
from statusledger.commands.import_ import import_
from statusledger.commands.log import log
from statusledger.commands.metrics import metrics
from statusledger.commands.new import new
from statusledger.commands.resolve import resolve
from statusledger.commands.schema import schema
from statusledger.commands.serve import serve
from statusledger.commands.sla import sla
from statusledger.commands.update import update
from statusledger.commands.uptime import uptime
from statusledger.commands.validate import validate

COMMANDS: list[click.Command] = [
    validate,
    new,
    update,
    resolve,
    sla,
    uptime,
    metrics,
    build,
    serve,
    import_,
    schema,
    log,
    diff,
]
