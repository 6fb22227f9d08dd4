"""One module per subcommand; each exposes a click command, listed here in help order.

Commands are imported only when run (or listed by --help): `validate` should not pay for
the authoring, site and compute modules it never uses.
"""

from __future__ import annotations

import importlib

import click

# command name -> (module under statusledger.commands, attribute), in help order
COMMAND_MODULES: dict[str, tuple[str, str]] = {
    "init": ("init", "init"),
    "validate": ("validate", "validate"),
    "new": ("new", "new"),
    "update": ("update", "update"),
    "resolve": ("resolve", "resolve"),
    "assign": ("assign", "assign"),
    "sla": ("sla", "sla"),
    "uptime": ("uptime", "uptime"),
    "metrics": ("metrics", "metrics"),
    "status": ("status", "status"),
    "todo": ("todo", "todo_command"),
    "report": ("report", "report"),
    "build": ("build", "build"),
    "serve": ("serve", "serve"),
    "import": ("import_", "import_"),
    "schema": ("schema", "schema"),
    "log": ("log", "log"),
    "diff": ("diff", "diff"),
    "notify": ("notify", "notify"),
}


def command(name: str) -> click.Command | None:
    """The click command called `name`, importing its module now; None if there is none."""
    where = COMMAND_MODULES.get(name)
    if where is None:
        return None
    module = importlib.import_module(f"statusledger.commands.{where[0]}")
    found: click.Command = getattr(module, where[1])
    return found
